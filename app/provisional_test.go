package app_test

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"os/exec"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// notice2027 stands for the 2027 holiday notice once it is out (the
// shipped 2027.json is still empty).
const notice2027 = `{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}`

// holidays loads the official notices of the given years from assets,
// or notice2027 for "2027".
func holidays(t *testing.T, years ...string) *credit.HolidayCalendar {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, y := range years {
		b, err := os.ReadFile("../assets/holidays/" + y + ".json")
		if y == "2027" {
			b, err = []byte(notice2027), nil
		}
		if err != nil {
			t.Fatal(err)
		}
		fsys[y+".json"] = &fstest.MapFile{Data: b}
	}
	cal, err := credit.LoadHolidays(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// An objection filed on Monday 28 December 2026 has its decision due in
// January 2027: provisional while the 2027 notice is not loaded, and the
// printed receipt (A4 PDF and slip) marks both due dates and says why;
// with the 2027 notice, or filed in November, nothing is marked (issue
// #5; Art. 46 deadlines).
func TestReceiptMarksProvisionalDues(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils); skipping")
	}
	monday := time.Date(2026, 12, 28, 10, 0, 0, 0, credit.China)
	for _, tt := range []struct {
		name  string
		years []string
		at    time.Time
		want  bool
	}{
		{"2027 notice not out", []string{"2026"}, monday, true},
		{"2027 notice loaded", []string{"2026", "2027"}, monday, false},
		{"within 2026", []string{"2026"}, friday, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cal := holidays(t, tt.years...)
			_, priv, err := ed25519.GenerateKey(nil)
			if err != nil {
				t.Fatal(err)
			}
			mem := apptest.Fixture(tt.at.Add(-time.Hour))
			docs, slips := &apptest.DocumentPrinter{}, &apptest.SlipPrinter{}
			deps := app.Deps{Records: mem, Inquiries: mem, Applications: mem, Reports: mem, Calendar: cal,
				Card: apptest.NewCard(apptest.PersonCard(), nil), DeviceID: apptest.DeviceID, Signer: priv,
				Documents: docs, Now: func() time.Time { return tt.at }}
			svc := app.New(deps)
			sess, err := svc.ReadCard(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			o, err := svc.FileObjection(t.Context(), sess, apptest.RecUntr, credit.ObjBeyondPeriod, "公示期已满。", "")
			if err != nil {
				t.Fatal(err)
			}
			if got := svc.DuesProvisional(credit.KindObjection, o.ReceivedAt); got != tt.want {
				t.Fatalf("DuesProvisional = %v, want %v (decision due %s)", got, tt.want, o.DecisionDue)
			}
			if _, err := svc.PrintObjectionReceipt(t.Context(), sess, o); err != nil {
				t.Fatal(err)
			}
			cmd := exec.CommandContext(t.Context(), "pdftotext", "-layout", "-", "-")
			cmd.Stdin = bytes.NewReader(docs.Documents()[0].PDF)
			out, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			txt := string(out)
			due := o.DecisionDue.In(credit.China).Format("2006-01-02")
			marked := strings.Count(txt, "（暂定）(provisional)") == 2 && strings.Contains(txt, due+" 前 (by)（暂定）") &&
				strings.Contains(txt, "公布后将重新计算") && strings.Contains(txt, "not yet announced")
			unmarked := !strings.Contains(txt, "暂定") && !strings.Contains(txt, "provisional") && strings.Contains(txt, due+" 前 (by)")
			if tt.want && !marked || !tt.want && !unmarked {
				t.Fatalf("receipt PDF (provisional %v):\n%s", tt.want, txt)
			}

			// The same through the receipt printer.
			deps.Documents, deps.Slips = nil, slips
			if _, err := app.New(deps).PrintObjectionReceipt(t.Context(), sess, o); err != nil {
				t.Fatal(err)
			}
			s := slips.Slips()[0]
			var lines strings.Builder
			for _, l := range s.Lines {
				lines.WriteString(l.Value + "\n")
			}
			lines.WriteString(strings.Join(s.Footer, "\n"))
			if got := strings.Count(lines.String(), "暂定"); tt.want && got != 3 || !tt.want && got != 0 {
				t.Fatalf("slip (provisional %v) has %d marks:\n%s", tt.want, got, lines.String())
			}
		})
	}
}
