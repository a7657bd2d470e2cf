package ui

import (
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// TestStatusShowsOverdue: an objection filed on Friday 27 November whose
// label (due Monday 30 November) the platform has not applied is shown
// as overdue by 3 working days on Thursday 3 December, in Chinese and in
// English; on the day it was filed it is not flagged.
func TestStatusShowsOverdue(t *testing.T) {
	cal, err := credit.LoadHolidays(os.DirFS("../../assets/holidays"))
	if err != nil {
		t.Fatal(err)
	}
	mem := apptest.Fixture(friday.Add(-time.Hour))
	filer := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Calendar: cal,
		Card: apptest.NewCard(apptest.PersonCard(), nil), Now: func() time.Time { return friday }})
	sess, err := filer.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	o, err := filer.FileObjection(t.Context(), sess, apptest.RecUntr, credit.ObjBeyondPeriod, "公示期已满。", "13800000000")
	if err != nil {
		t.Fatal(err)
	}
	filer.EndSession(sess)

	tests := []struct {
		name string
		now  time.Time
		lang Lang
		want string // "" not flagged
	}{
		{"same day", friday, Chinese, ""},
		{"label missed", time.Date(2026, 12, 3, 9, 0, 0, 0, credit.China), Chinese, "已超期 3 个工作日"},
		{"label missed, English", time.Date(2026, 12, 3, 9, 0, 0, 0, credit.China), English, "Overdue by 3 working days"},
		{"one day", time.Date(2026, 12, 1, 9, 0, 0, 0, credit.China), English, "Overdue by 1 working day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := kioskAt(t, app.Deps{Records: mem, Inquiries: mem, Applications: mem, Lookup: mem, Calendar: cal,
				DeviceID: apptest.DeviceID, Now: func() time.Time { return tt.now }})
			u := k.ui
			if tt.lang == English {
				u.toggleLang()
			}
			test.Tap(u.home.statusBtn)
			test.Type(u.statusView.entry, o.No)
			test.Tap(u.statusView.lookupBtn)
			if u.statusView.kind == nil {
				t.Fatalf("not found: %q", u.message.Text)
			}
			got := u.statusView.overdue
			if tt.want == "" {
				if got != nil {
					t.Fatalf("flagged %q", got.Text)
				}
				return
			}
			if got == nil || got.Text != tt.want || got.Importance != widget.DangerImportance || !shows(k.w, tt.want) {
				t.Fatalf("overdue flag %+v, want %q on screen", got, tt.want)
			}
			if strings.Contains(strings.Join(texts(k.w), "\n"), apptest.PersonName) {
				t.Fatal("the status screen shows the name")
			}
		})
	}
}

// TestRecordsListShowsOverdue: the holder's own list of applications
// flags the objection whose label is overdue on Thursday 3 December.
func TestRecordsListShowsOverdue(t *testing.T) {
	cal, err := credit.LoadHolidays(os.DirFS("../../assets/holidays"))
	if err != nil {
		t.Fatal(err)
	}
	mem := apptest.Fixture(friday.Add(-time.Hour))
	card := apptest.NewCard(apptest.PersonCard(), nil)
	filer := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Calendar: cal, Card: card, Now: func() time.Time { return friday }})
	sess, err := filer.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	o, err := filer.FileObjection(t.Context(), sess, apptest.RecUntr, credit.ObjBeyondPeriod, "公示期已满。", "13800000000")
	if err != nil {
		t.Fatal(err)
	}
	filer.EndSession(sess)

	thursday := time.Date(2026, 12, 3, 9, 0, 0, 0, credit.China)
	k := kioskAt(t, app.Deps{Records: mem, Inquiries: mem, Applications: mem, Calendar: cal, Card: card,
		DeviceID: apptest.DeviceID, Now: func() time.Time { return thursday }})
	k.readCard(t)
	var line *widget.Label
	for _, l := range k.ui.records.objections {
		if strings.Contains(l.Text, o.No) {
			line = l
		}
	}
	if line == nil || !strings.HasSuffix(line.Text, "已超期 3 个工作日") || line.Importance != widget.DangerImportance {
		t.Fatalf("objection line %+v", line)
	}
}

// kioskAt shows the kiosk over a service built from deps (its own clock
// and calendar) in a 1024×1400 test window.
func kioskAt(t *testing.T, deps app.Deps) *kiosk {
	t.Helper()
	test.NewTempApp(t)
	k := &kiosk{q: make(chan func(), 4096), svc: app.New(deps)}
	k.ui = New(k.svc, k.opts())
	k.w = test.NewTempWindow(t, nil)
	k.ui.Show(k.w)
	k.w.Resize(fyne.NewSize(1024, 1400))
	t.Cleanup(k.ui.Close)
	return k
}
