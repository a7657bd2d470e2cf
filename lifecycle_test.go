package credit_test

import (
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

func TestLifecycleTransition(t *testing.T) {
	obj, rest := credit.ObjectionLifecycle, credit.RestorationLifecycle
	tests := []struct {
		name     string
		l        credit.Lifecycle
		from, to credit.ApplicationStatus
		ok       bool
	}{
		// Art. 46: received → labelled → under review → decision → closed.
		{"objection label", obj, credit.StatusReceived, credit.StatusLabelled, true},
		{"objection review", obj, credit.StatusLabelled, credit.StatusUnderReview, true},
		{"objection corrected", obj, credit.StatusUnderReview, credit.StatusCorrected, true},
		{"objection not corrected", obj, credit.StatusUnderReview, credit.StatusNotCorrected, true},
		{"objection close corrected", obj, credit.StatusCorrected, credit.StatusClosed, true},
		{"objection close not corrected", obj, credit.StatusNotCorrected, credit.StatusClosed, true},
		{"objection delivered", obj, credit.StatusQueued, credit.StatusReceived, true},
		{"objection decided before review", obj, credit.StatusLabelled, credit.StatusCorrected, false},
		{"objection decided unlabelled", obj, credit.StatusReceived, credit.StatusNotCorrected, false},
		{"objection label twice", obj, credit.StatusLabelled, credit.StatusLabelled, false},
		{"objection reopened", obj, credit.StatusClosed, credit.StatusUnderReview, false},
		{"objection decision changed", obj, credit.StatusCorrected, credit.StatusNotCorrected, false},
		{"objection accepted as restoration", obj, credit.StatusReceived, credit.StatusAccepted, false},
		// Art. 47 and the 2025 plan.
		{"restoration accepted", rest, credit.StatusReceived, credit.StatusAccepted, true},
		{"restoration rejected", rest, credit.StatusReceived, credit.StatusRejected, true},
		{"restoration restored", rest, credit.StatusAccepted, credit.StatusRestored, true},
		{"restoration refused", rest, credit.StatusAccepted, credit.StatusRefused, true},
		{"restoration close restored", rest, credit.StatusRestored, credit.StatusClosed, true},
		{"restoration close refused", rest, credit.StatusRefused, credit.StatusClosed, true},
		{"restoration close rejected", rest, credit.StatusRejected, credit.StatusClosed, true},
		{"restoration restored unaccepted", rest, credit.StatusReceived, credit.StatusRestored, false},
		{"restoration labelled", rest, credit.StatusReceived, credit.StatusLabelled, false},
		{"restoration restored after refusal", rest, credit.StatusRefused, credit.StatusRestored, false},
		{"restoration reopened", rest, credit.StatusClosed, credit.StatusAccepted, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.l.Transition(tt.from, tt.to)
			if (err == nil) != tt.ok {
				t.Fatalf("Transition(%s, %s) = %v, want ok=%v", tt.from, tt.to, err, tt.ok)
			}
			if err != nil {
				if credit.ErrorCode(err) != credit.ECONFLICT {
					t.Errorf("code %q, want conflict", credit.ErrorCode(err))
				}
				fromZH, _ := tt.from.Label()
				_, toEN := tt.to.Label()
				if !strings.Contains(credit.ErrorMessage(err), fromZH) || !strings.Contains(credit.ErrorMessageEN(err), toEN) {
					t.Errorf("message does not name the statuses: %q / %q", credit.ErrorMessage(err), credit.ErrorMessageEN(err))
				}
			}
		})
	}
}

func TestLifecycleReasons(t *testing.T) {
	tests := []struct {
		name     string
		l        credit.Lifecycle
		from, to credit.ApplicationStatus
		reasons  string
		code     string
	}{
		{"not corrected without reasons", credit.ObjectionLifecycle, credit.StatusUnderReview, credit.StatusNotCorrected, "  ", credit.EINVALID},
		{"not corrected with reasons", credit.ObjectionLifecycle, credit.StatusUnderReview, credit.StatusNotCorrected, "原决定书认定事实清楚。", ""},
		{"corrected needs none", credit.ObjectionLifecycle, credit.StatusUnderReview, credit.StatusCorrected, "", ""},
		{"rejected without reasons", credit.RestorationLifecycle, credit.StatusReceived, credit.StatusRejected, "", credit.EINVALID},
		{"refused without reasons", credit.RestorationLifecycle, credit.StatusAccepted, credit.StatusRefused, "", credit.EINVALID},
		{"refused with reasons", credit.RestorationLifecycle, credit.StatusAccepted, credit.StatusRefused, "罚款未缴清。", ""},
		{"restored needs none", credit.RestorationLifecycle, credit.StatusAccepted, credit.StatusRestored, "", ""},
		{"illegal move wins over reasons", credit.RestorationLifecycle, credit.StatusReceived, credit.StatusRefused, "", credit.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := credit.ErrorCode(tt.l.Check(tt.from, tt.to, tt.reasons)); got != tt.code {
				t.Fatalf("Check = %q, want %q", got, tt.code)
			}
		})
	}
}

func TestOverdue(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, credit.China)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	cal := credit.WeekendCalendar{}
	// Received Friday 2026-11-27: label due Mon 11-30, decision due Tue 12-08.
	recv := at("2026-11-27 10:00")
	tests := []struct {
		name   string
		l      credit.Lifecycle
		status credit.ApplicationStatus
		now    string
		late   bool
		days   int
	}{
		{"label on time", credit.ObjectionLifecycle, credit.StatusReceived, "2026-11-30 23:59", false, 0},
		{"label late one WD", credit.ObjectionLifecycle, credit.StatusReceived, "2026-12-01 09:00", true, 1},
		{"label late counts the oldest deadline", credit.ObjectionLifecycle, credit.StatusReceived, "2026-12-09 09:00", true, 7},
		{"labelled, decision not yet due", credit.ObjectionLifecycle, credit.StatusLabelled, "2026-12-08 12:00", false, 0},
		{"under review, decision late", credit.ObjectionLifecycle, credit.StatusUnderReview, "2026-12-10 12:00", true, 2},
		{"decided is never late", credit.ObjectionLifecycle, credit.StatusNotCorrected, "2027-06-01 12:00", false, 0},
		{"closed is never late", credit.ObjectionLifecycle, credit.StatusClosed, "2027-06-01 12:00", false, 0},
		// Restoration: acceptance due Wed 12-02, feedback due Fri 12-11.
		{"acceptance late, only a weekend", credit.RestorationLifecycle, credit.StatusReceived, "2026-12-03 08:00", true, 1},
		{"accepted, feedback on time", credit.RestorationLifecycle, credit.StatusAccepted, "2026-12-11 20:00", false, 0},
		{"accepted, feedback late over a weekend", credit.RestorationLifecycle, credit.StatusAccepted, "2026-12-13 20:00", true, 0},
		{"accepted, feedback late Monday", credit.RestorationLifecycle, credit.StatusAccepted, "2026-12-14 08:00", true, 1},
		{"restored is never late", credit.RestorationLifecycle, credit.StatusRestored, "2027-06-01 12:00", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			late, days := tt.l.Overdue(cal, recv, tt.status, at(tt.now))
			if late != tt.late || days != tt.days {
				t.Fatalf("Overdue = %v, %d; want %v, %d", late, days, tt.late, tt.days)
			}
		})
	}
	if late, days := credit.Overdue(cal, recv, credit.StatusReceived, at("2026-12-01 09:00")); !late || days != 1 {
		t.Fatalf("credit.Overdue = %v, %d", late, days)
	}
}

func TestLifecycleOfAndLabels(t *testing.T) {
	for _, k := range []credit.ApplicationKind{credit.KindObjection, credit.KindRestoration} {
		l, ok := credit.LifecycleOf(k)
		if !ok || l.Kind != k {
			t.Fatalf("LifecycleOf(%s) = %v, %v", k, l.Kind, ok)
		}
	}
	if _, ok := credit.LifecycleOf("appeal"); ok {
		t.Fatal("unknown kind has a lifecycle")
	}
	for _, s := range []credit.ApplicationStatus{credit.StatusAccepted, credit.StatusRestored, credit.StatusRefused} {
		if zh, en := s.Label(); zh == string(s) || en == string(s) {
			t.Errorf("%s has no label", s)
		}
	}
	if st, ok := credit.ObjectionLifecycle.Pending(credit.StatusLabelled); !ok || st.Name != "decision" || st.Days != 7 {
		t.Errorf("pending after label = %+v, %v", st, ok)
	}
}
