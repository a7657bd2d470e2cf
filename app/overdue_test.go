package app_test

import (
	"os"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// officialCalendar is the embedded holiday-cn calendar.
func officialCalendar(t testing.TB) *credit.HolidayCalendar {
	t.Helper()
	cal, err := credit.LoadHolidays(os.DirFS("../assets/holidays"))
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func TestOverdue(t *testing.T) {
	cal := officialCalendar(t)
	// Objection received Fri 2026-11-27: label due Mon 11-30, decision
	// due Tue 12-08.
	first, second := time.Date(2026, 11, 30, 23, 59, 59, 0, credit.China), time.Date(2026, 12, 8, 23, 59, 59, 0, credit.China)
	tests := []struct {
		name   string
		kind   credit.ApplicationKind
		status credit.ApplicationStatus
		now    time.Time
		late   int
	}{
		{"label not due yet", credit.KindObjection, credit.StatusReceived, time.Date(2026, 11, 30, 18, 0, 0, 0, credit.China), 0},
		{"label missed", credit.KindObjection, credit.StatusReceived, time.Date(2026, 12, 2, 9, 0, 0, 0, credit.China), 2},
		{"labelled, decision ahead", credit.KindObjection, credit.StatusLabelled, time.Date(2026, 12, 2, 9, 0, 0, 0, credit.China), 0},
		{"decision missed over a weekend", credit.KindObjection, credit.StatusUnderReview, time.Date(2026, 12, 14, 9, 0, 0, 0, credit.China), 4},
		{"decided: never overdue", credit.KindObjection, credit.StatusNotCorrected, time.Date(2027, 6, 1, 9, 0, 0, 0, credit.China), 0},
		{"restoration feedback missed", credit.KindRestoration, credit.StatusAccepted, time.Date(2026, 12, 9, 9, 0, 0, 0, credit.China), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := app.New(app.Deps{Calendar: cal, Now: func() time.Time { return tt.now }})
			over, late := svc.Overdue(tt.kind, tt.status, first, second)
			if over != (tt.late > 0) || late != tt.late {
				t.Fatalf("overdue %v by %d, want %d", over, late, tt.late)
			}
		})
	}
}

// TestApplicationProgressOverdue: the kiosk's status lookup flags an
// objection whose label the platform missed, counted in working days.
func TestApplicationProgressOverdue(t *testing.T) {
	mem := apptest.Fixture(friday.Add(-time.Hour))
	cal := officialCalendar(t)
	svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Lookup: mem, Calendar: cal,
		Card: apptest.NewCard(apptest.PersonCard(), nil), Now: func() time.Time { return friday }})
	sess, err := svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	o, err := svc.FileObjection(t.Context(), sess, apptest.RecUntr, credit.ObjBeyondPeriod, "公示期已满。", "13800000000")
	if err != nil {
		t.Fatal(err)
	}
	svc.EndSession(sess)
	for now, want := range map[time.Time]int{friday: 0, time.Date(2026, 12, 3, 9, 0, 0, 0, credit.China): 3} {
		later := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Lookup: mem, Calendar: cal, Now: func() time.Time { return now }})
		p, err := later.ApplicationProgress(t.Context(), o.No)
		if err != nil {
			t.Fatal(err)
		}
		if p.Overdue != (want > 0) || p.DaysLate != want {
			t.Errorf("at %s: overdue %v by %d, want %d", now.Format(time.DateTime), p.Overdue, p.DaysLate, want)
		}
	}
}
