package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// TypeCalendar is the change type carrying the platform's signed
// working-day calendar data (credit.TypeCalendar): the put's id is
// credit.CalendarUpdate.ID ("year:2027", "counties"), its ver the
// update's version and its d the signed bytes as a base64 JSON string,
// as a trust list's. Like trust lists, calendar puts are not applied to
// the cache: DecodePage skips them and PageCalendars finds them.
const TypeCalendar = string(credit.TypeCalendar)

// CalendarPut is a calendar put found on a verified change page. Its
// bytes are not trusted: the device checks them with the platform keys
// (credit.OpenCalendar).
type CalendarPut struct {
	Seq    int64  // change-log seq
	ID     string // year:2027 or counties
	Ver    int64  // the version the platform states
	Signed []byte // the signed update
}

// CalendarData encodes a signed calendar update as a change's d.
func CalendarData(signed []byte) json.RawMessage { return TrustListData(signed) }

// ParseCalendarData decodes a calendar change's d to the signed bytes.
func ParseCalendarData(d json.RawMessage) ([]byte, error) {
	b, err := ParseTrustListData(d)
	if err != nil {
		return nil, fmt.Errorf("protocol: calendar data: %w", err)
	}
	return b, nil
}

// PageCalendars returns the calendar puts of a page body, in order. Call
// it only on a body DecodePage verified; a put whose d does not decode is
// left out.
func PageCalendars(body []byte) []CalendarPut {
	var puts []CalendarPut
	for line := range bytes.Lines(body) {
		if !bytes.Contains(line, []byte(`"`+TypeCalendar+`"`)) {
			continue
		}
		var l Line
		if json.Unmarshal(line, &l) != nil || l.T != TypeCalendar || l.Op != OpPut {
			continue
		}
		if signed, err := ParseCalendarData(l.D); err == nil {
			puts = append(puts, CalendarPut{Seq: l.Seq, ID: l.ID, Ver: l.Ver, Signed: signed})
		}
	}
	return puts
}
