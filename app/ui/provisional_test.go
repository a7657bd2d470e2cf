package ui

import (
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// An objection filed on Monday 28 December 2026 has its decision due in
// January 2027, whose holiday notice is not out (the shipped 2027.json
// is empty): the application status screen and the holder's list of
// applications (and the receipt screen) mark its dates provisional and
// say why, in Chinese and in English; one filed in November is not
// marked (issue #5).
func TestProvisionalDuesShown(t *testing.T) {
	cal, err := credit.LoadHolidays(os.DirFS("../../assets/holidays"))
	if err != nil {
		t.Fatal(err)
	}
	monday := time.Date(2026, 12, 28, 10, 0, 0, 0, credit.China)
	for _, tt := range []struct {
		name       string
		filed      time.Time
		lang       Lang
		mark, note string // "" none shown
	}{
		{"zh", monday, Chinese, "（暂定）", "标“暂定”的期限跨入节假日安排尚未公布的年份，公布后将重新计算。"},
		{"en", monday, English, " (provisional)", "Dates marked provisional reach into a year whose public holidays are not yet announced; they are recounted when they are."},
		{"within 2026", friday, Chinese, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mem := apptest.Fixture(tt.filed.Add(-time.Hour))
			card := apptest.NewCard(apptest.PersonCard(), nil)
			filer := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Calendar: cal, Card: card, Now: func() time.Time { return tt.filed }})
			sess, err := filer.ReadCard(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			o, err := filer.FileObjection(t.Context(), sess, apptest.RecUntr, credit.ObjBeyondPeriod, "公示期已满。", "13800000000")
			if err != nil {
				t.Fatal(err)
			}
			filer.EndSession(sess)
			k := kioskAt(t, app.Deps{Records: mem, Inquiries: mem, Applications: mem, Lookup: mem, Calendar: cal, Card: card,
				DeviceID: apptest.DeviceID, Now: func() time.Time { return tt.filed.Add(time.Hour) }})
			u := k.ui
			if tt.lang == English {
				u.toggleLang()
			}
			marked := func(text string) bool {
				if tt.mark == "" {
					return !strings.Contains(text, "暂定") && !strings.Contains(text, "provisional")
				}
				return strings.Contains(text, tt.mark)
			}

			// Application status, by number, no card read.
			test.Tap(u.home.statusBtn)
			test.Type(u.statusView.entry, o.No)
			test.Tap(u.statusView.lookupBtn)
			if len(u.statusView.fields) != 5 {
				t.Fatalf("status not found: %q", u.message.Text)
			}
			for _, l := range u.statusView.fields[3:] { // the two due dates
				if !marked(l.Text) || tt.mark != "" && !shows(k.w, l.Text) {
					t.Errorf("status due %q, want mark %q", l.Text, tt.mark)
				}
			}
			if n := u.statusView.provisional; (n != nil) != (tt.note != "") || n != nil && (n.Text != tt.note || !shows(k.w, tt.note)) {
				t.Errorf("status note %+v, want %q", n, tt.note)
			}
			if strings.Contains(u.statusView.fields[2].Text, "暂定") { // received: not a deadline
				t.Errorf("received date marked: %q", u.statusView.fields[2].Text)
			}

			// The holder's list of applications, after a card read.
			u.show(screenHome)
			k.readCard(t)
			var line string
			for _, l := range u.records.objections {
				if strings.Contains(l.Text, o.No) {
					line = l.Text
				}
			}
			if line == "" || !marked(line) {
				t.Errorf("records line %q, want mark %q", line, tt.mark)
			}
			if n := u.records.provisional; (n != nil) != (tt.note != "") || n != nil && n.Text != tt.note {
				t.Errorf("records note %+v, want %q", n, tt.note)
			}

			// The receipt screen of the application.
			u.receipt = &o
			u.show(screenReceipt)
			rv := &u.receiptView
			if rv.decisionDue == nil || !marked(rv.labelDue.Text) || !marked(rv.decisionDue.Text) {
				t.Fatalf("receipt screen dues %+v", rv)
			}
			if n := rv.provisional; (n != nil) != (tt.note != "") || n != nil && (n.Text != tt.note || !shows(k.w, tt.note)) {
				t.Errorf("receipt note %+v, want %q", n, tt.note)
			}
		})
	}
}
