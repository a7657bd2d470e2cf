package credit

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TypeCalendar is the change type of the platform's signed working-day
// calendar data (issue #5 "Calendar updates arrive through sync as signed
// data from the platform"): one State Council notice year, or the county
// overrides. Its id is CalendarUpdate.ID, its ver the update's Version and
// its d the signed bytes (SignCalendar).
const TypeCalendar ChangeType = "calendar"

// Kinds of CalendarUpdate.
const (
	// CalendarYear carries one year of the State Council's holiday notice
	// in the holiday-cn format.
	CalendarYear = "year"
	// CalendarCounties carries the county overrides (domain.md §7.2) in
	// the CountyFile format; it replaces the built-in Counties.
	CalendarCounties = "counties"
)

// MaxCalendarSize bounds the signed bytes OpenCalendar looks at.
const MaxCalendarSize = 1 << 20

// calendarContext separates calendar signatures from any other use of
// the platform key.
const calendarContext = "gansu-credit/calendar/v1\x00"

// CalendarUpdate is calendar data the platform publishes: a year's notice
// (Kind CalendarYear, Year) or the county overrides (Kind
// CalendarCounties, Counties). Version rises with each publication of the
// same ID; a device refuses an update not newer than the one it holds.
type CalendarUpdate struct {
	Kind     string
	Version  int64
	IssuedAt time.Time
	Year     HolidayYear // CalendarYear
	Counties []County    // CalendarCounties
}

// ID is the change id of the update: "year:2027" or "counties".
func (u CalendarUpdate) ID() string {
	if u.Kind == CalendarYear {
		return "year:" + strconv.Itoa(u.Year.Year)
	}
	return CalendarCounties
}

// calendarPayload is the signed JSON; data is a holiday-cn file or a
// CountyFile, parsed by ParseHolidayYear or ParseCounties.
type calendarPayload struct {
	Kind     string          `json:"kind"`
	Version  int64           `json:"version"`
	IssuedAt time.Time       `json:"issued_at"`
	Data     json.RawMessage `json:"data"`
}

// signedCalendar is the envelope: the payload bytes and the Ed25519
// signature over calendarContext || payload (both base64 in JSON).
type signedCalendar struct {
	Payload []byte `json:"payload"`
	Sig     []byte `json:"sig"`
}

func calendarInvalid(format string, args ...any) error {
	return Errorf(EINVALID, "日历数据格式错误。", "Calendar data is malformed: "+format, args...)
}

// SignCalendar checks u and signs it with the platform key.
func SignCalendar(u CalendarUpdate, key ed25519.PrivateKey) ([]byte, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("sign calendar: not an Ed25519 private key")
	}
	var data any
	switch u.Kind {
	case CalendarYear:
		y := u.Year
		if y.Papers == nil {
			y.Papers = []string{}
		}
		data = y
	case CalendarCounties:
		data = CountyFile{Counties: u.Counties}
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("sign calendar: %w", err)
	}
	payload, err := json.Marshal(calendarPayload{Kind: u.Kind, Version: u.Version, IssuedAt: u.IssuedAt.UTC(), Data: raw})
	if err != nil {
		return nil, fmt.Errorf("sign calendar: %w", err)
	}
	if _, err := ParseCalendarUpdate(payload); err != nil {
		return nil, fmt.Errorf("sign calendar: %w", err)
	}
	sig := ed25519.Sign(key, append([]byte(calendarContext), payload...))
	return json.Marshal(signedCalendar{Payload: payload, Sig: sig})
}

// OpenCalendar checks signed against keys (any one may have signed it)
// and returns the update. An unsigned or wrongly signed update is an
// EUNAUTHORIZED *Error; one that does not parse is EINVALID. Nothing in
// signed is trusted before the signature is checked.
func OpenCalendar(signed []byte, keys []ed25519.PublicKey) (CalendarUpdate, error) {
	if len(signed) > MaxCalendarSize {
		return CalendarUpdate{}, calendarInvalid("over %d bytes", MaxCalendarSize)
	}
	var env signedCalendar
	dec := json.NewDecoder(bytes.NewReader(signed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil || dec.More() {
		return CalendarUpdate{}, calendarInvalid("not a signed calendar envelope")
	}
	if len(env.Sig) == 0 {
		return CalendarUpdate{}, Errorf(EUNAUTHORIZED, "日历数据未签名。", "The calendar data is not signed.")
	}
	msg := append([]byte(calendarContext), env.Payload...)
	ok := false
	for _, k := range keys {
		if len(k) == ed25519.PublicKeySize && len(env.Sig) == ed25519.SignatureSize && ed25519.Verify(k, msg, env.Sig) {
			ok = true
			break
		}
	}
	if !ok {
		return CalendarUpdate{}, Errorf(EUNAUTHORIZED, "日历数据的签名无效。", "The calendar data is not signed by a trusted platform key.")
	}
	return ParseCalendarUpdate(env.Payload)
}

// PeekCalendar returns the update in signed without checking its
// signature: only for bytes whose signature was checked when they were
// stored (the platform's own published updates).
func PeekCalendar(signed []byte) (CalendarUpdate, error) {
	var env signedCalendar
	if len(signed) > MaxCalendarSize || json.Unmarshal(signed, &env) != nil {
		return CalendarUpdate{}, calendarInvalid("not a signed calendar envelope")
	}
	return ParseCalendarUpdate(env.Payload)
}

// ParseCalendarUpdate parses and checks a calendar payload (unsigned). A
// year must list at least one day: an empty stub is not a notice.
func ParseCalendarUpdate(payload []byte) (CalendarUpdate, error) {
	var p calendarPayload
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return CalendarUpdate{}, calendarInvalid("%v", err)
	}
	if dec.More() {
		return CalendarUpdate{}, calendarInvalid("data after the JSON object")
	}
	if p.Version <= 0 || p.Version > 1<<53 {
		return CalendarUpdate{}, calendarInvalid("version %d out of range", p.Version)
	}
	u := CalendarUpdate{Kind: p.Kind, Version: p.Version, IssuedAt: p.IssuedAt}
	switch p.Kind {
	case CalendarYear:
		y, err := ParseHolidayYear(p.Data)
		if err != nil {
			return CalendarUpdate{}, calendarInvalid("%v", err)
		}
		if len(y.Days) == 0 {
			return CalendarUpdate{}, calendarInvalid("year %d lists no days (the notice is not out)", y.Year)
		}
		u.Year = y
	case CalendarCounties:
		cs, err := ParseCounties(p.Data)
		if err != nil {
			return CalendarUpdate{}, calendarInvalid("%v", err)
		}
		u.Counties = cs
	default:
		return CalendarUpdate{}, calendarInvalid("unknown kind %q", p.Kind)
	}
	return u, nil
}

// ParseCalendarID splits a calendar change id: the year of "year:2027",
// or 0 for "counties".
func ParseCalendarID(id string) (year int, err error) {
	if id == CalendarCounties {
		return 0, nil
	}
	s, ok := strings.CutPrefix(id, "year:")
	y, err := strconv.Atoi(s)
	if !ok || err != nil || len(s) != 4 {
		return 0, calendarInvalid("change id %q", id)
	}
	return y, nil
}
