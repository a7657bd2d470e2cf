package protocol_test

import (
	"bytes"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

func calendarPage(t testing.TB, lines ...protocol.Line) []byte {
	t.Helper()
	var buf bytes.Buffer
	e := protocol.NewPageEncoder(&buf)
	for _, l := range lines {
		if err := e.Encode(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.End("c1", false, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPageCalendars(t *testing.T) {
	signed := []byte(`{"payload":"e30=","sig":"AA=="}`)
	body := calendarPage(t,
		protocol.Line{Op: protocol.OpPut, T: protocol.TypeCalendar, ID: "year:2027", Ver: 3, Seq: 1, D: protocol.CalendarData(signed)},
		protocol.Line{Op: protocol.OpPut, T: protocol.TypeCalendar, ID: "counties", Ver: 1, Seq: 2, D: []byte(`42`)}, // d not a string: left out
		protocol.Line{Op: protocol.OpDel, T: protocol.TypeCalendar, ID: "year:2020", Ver: 1, Seq: 3},
		protocol.Line{Op: protocol.OpPut, T: string(credit.TypeSubject), ID: "calendar", Ver: 1, Seq: 4, D: []byte(`{"id":"calendar","kind":"org","name":"calendar"}`)},
	)
	page, err := protocol.DecodePage(bytes.NewReader(body), 0)
	if err != nil {
		t.Fatal(err)
	}
	if page.Skipped != 3 || len(page.Changes) != 1 {
		t.Fatalf("calendar lines not skipped by DecodePage: skipped %d, changes %d", page.Skipped, len(page.Changes))
	}
	puts := protocol.PageCalendars(body)
	if len(puts) != 1 || puts[0].ID != "year:2027" || puts[0].Ver != 3 || puts[0].Seq != 1 || !bytes.Equal(puts[0].Signed, signed) {
		t.Fatalf("puts %+v", puts)
	}
	if _, err := protocol.ParseCalendarData([]byte(`""`)); err == nil {
		t.Fatal("empty calendar data parsed")
	}
}

func FuzzPageCalendars(f *testing.F) {
	f.Add(calendarPage(f, protocol.Line{Op: protocol.OpPut, T: protocol.TypeCalendar, ID: "year:2027", Ver: 1, Seq: 1, D: protocol.CalendarData([]byte("x"))}))
	f.Add([]byte(`{"op":"put","t":"calendar","id":"counties","d":"!!"}` + "\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, p := range protocol.PageCalendars(body) {
			if len(p.Signed) == 0 {
				t.Fatalf("empty put %+v", p)
			}
		}
	})
}
