package office

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui"
)

// auditDesk is a desk whose inquiry log keeps result counts, with a
// supervisor logged in, the given inquiries logged (result counts by
// position; -1 none kept) and the chain check's result set.
func auditDesk(t *testing.T, lang ui.Lang, qs []credit.Inquiry, results []int, chain app.AuditResult) *desk {
	t.Helper()
	var log countingLog
	d := newDesk(t, lang, func(o *app.OfficeDeps) {
		log = countingLog{Mem: o.Inquiries.(*apptest.Mem), n: map[string]int{}}
		o.Inquiries = log
	})
	for i, q := range qs {
		if err := d.mem.LogInquiry(t.Context(), q); err != nil {
			t.Fatal(err)
		}
		if results[i] >= 0 {
			log.n[q.ID] = results[i]
		}
	}
	d.audit = chain
	d.logIn(t, "S001", clerkPassword)
	d.ui.tabs.SelectIndex(tabAudit)
	d.pump()
	return d
}

// clerkInquiry is an inquiry by C001 into the person, n minutes before
// the desk's now.
func clerkInquiry(n int, purpose credit.InquiryPurpose, authRef string) credit.Inquiry {
	return credit.Inquiry{ID: credit.NewUUID(), SubjectID: apptest.PersonID, InquirerKind: credit.InquirerClerk, InquirerID: "C001",
		Purpose: string(purpose), AuthRef: authRef, Channel: "office-620102", At: friday.Add(-time.Duration(n) * time.Minute)}
}

// TestAuditCountWords: every count the inquiry log shows (the records an
// inquiry showed, the entries of the page, the chain check's devices and
// entries) reads right in English, singular for one; Chinese has no
// plural.
func TestAuditCountWords(t *testing.T) {
	for _, c := range []struct {
		lang    ui.Lang
		results []int
		devices int
		want    []string // drawn on the window
		wantNot []string
	}{
		{ui.English, []int{1}, 1, []string{"1 record", "Page 1 of 1, 1 entry (newest first)", "The inquiry log is intact: 1 device, 1 entry."},
			[]string{"1 records", "1 entries", "1 devices"}},
		{ui.English, []int{2, 1}, 3, []string{"2 records", "1 record", "Page 1 of 1, 2 entries (newest first)", "The inquiry log is intact: 3 devices, 2 entries."},
			[]string{"1 records", "2 record ", "1 entries"}},
		{ui.English, []int{0, 11, 21}, 21, []string{"Not found", "11 records", "21 records", "Page 1 of 1, 3 entries (newest first)", "The inquiry log is intact: 21 devices, 3 entries."},
			[]string{"21 record ", "1 records"}},
		{ui.Chinese, []int{1}, 1, []string{"1 条", "第 1 / 1 页，共 1 条（最新的在前）", "查询日志完整：1 台设备，1 条记录。"}, nil},
	} {
		t.Run(fmt.Sprintf("%s-%v", c.lang, c.results), func(t *testing.T) {
			var qs []credit.Inquiry
			for i := range c.results {
				qs = append(qs, clerkInquiry(i+1, credit.PurposeCivilService, fmt.Sprintf("SQ-%03d", i)))
			}
			d := auditDesk(t, c.lang, qs, c.results, app.AuditResult{OK: true, Devices: c.devices, Entries: len(qs)})
			drawn := texts(d.w)
			for _, w := range c.want {
				if !containsText(drawn, w) {
					t.Errorf("%q not shown", w)
				}
			}
			for _, w := range c.wantNot {
				if containsCount(drawn, w) {
					t.Errorf("%q shown", w)
				}
			}
			assertLaidOut(t, d.w, "counts")
		})
	}
}

// TestAuditIntakeInPerson: a look for intake where the subject came in
// person is logged with app.IntakeInPerson; the log shows it in words,
// never the code. A typed authorisation reference is shown as typed,
// even one that happens to read like the code.
func TestAuditIntakeInPerson(t *testing.T) {
	for _, lang := range []ui.Lang{ui.Chinese, ui.English} {
		t.Run(string(lang), func(t *testing.T) {
			d := newDesk(t, lang)
			d.logIn(t, "C001", clerkPassword)
			d.lookUp(t, apptest.PersonID, credit.ApplicantSelf, "") // in person
			d.lookUp(t, apptest.PersonID, credit.ApplicantAgent, "WT-2026-007")
			if err := d.mem.LogInquiry(t.Context(), clerkInquiry(5, credit.PurposeCivilService, app.IntakeInPerson)); err != nil {
				t.Fatal(err)
			}
			test0 := d.mem.LoggedInquiries()
			if len(test0) != 3 || test0[0].AuthRef != app.IntakeInPerson {
				t.Fatalf("logged %+v", test0)
			}
			d.audit = app.AuditResult{OK: true, Devices: 1, Entries: 3}
			d.logIn(t, "S001", clerkPassword)
			d.ui.tabs.SelectIndex(tabAudit)
			d.pump()
			shown := map[string]int{} // label texts, each label once
			for _, l := range drawnLabels(d.w) {
				shown[l.l.Text]++
			}
			inPerson := pick(lang, "本人到场", "In person")
			if shown[inPerson] != 1 || shown["WT-2026-007"] != 1 {
				t.Errorf("%q shown %d times, %q %d; want each once (the two intake looks)", inPerson, shown[inPerson], "WT-2026-007", shown["WT-2026-007"])
			}
			if k := shown[app.IntakeInPerson]; k != 1 {
				t.Errorf("the code %q shown %d times, want once (typed as a reference)", app.IntakeInPerson, k)
			}
			assertLaidOut(t, d.w, "intake")
		})
	}
}

// TestAuditPurposeLineStarts: in Chinese, a purpose wrapped in its
// column never starts a line with an enumeration comma or other closing
// punctuation, at any window width; every purpose is still shown whole.
func TestAuditPurposeLineStarts(t *testing.T) {
	var qs []credit.Inquiry
	for i, p := range credit.Art25Purposes {
		qs = append(qs, clerkInquiry(i+1, p, fmt.Sprintf("SQ-%03d", i)))
	}
	results := make([]int, len(qs))
	for _, w := range []float32{1024, 1366, 1920} { // before the fix, "、" began a line at 1024 and 1920
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			d := auditDesk(t, ui.Chinese, qs, results, app.AuditResult{OK: true, Devices: 1, Entries: len(qs)})
			d.w.Resize(fyne.NewSize(w, 1600)) // every row in view
			d.pump()
			for _, s := range texts(d.w) {
				if r := []rune(strings.TrimLeft(s, " \u200a")); len(r) > 0 && strings.ContainsRune("、，。；：）」』", r[0]) {
					t.Errorf("a line starts with %q: %q", r[0], s)
				}
			}
			assertLaidOut(t, d.w, "purposes")
		})
	}
}

// containsCount reports whether some drawn text contains the count
// phrase s not as the tail of a longer number ("1 record" is not in
// "11 records").
func containsCount(drawn []string, s string) bool {
	for _, x := range drawn {
		for i := strings.Index(x, s); i >= 0; {
			if i == 0 || x[i-1] < '0' || x[i-1] > '9' {
				return true
			}
			j := strings.Index(x[i+1:], s)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	return false
}

// containsText reports whether some drawn text contains s.
func containsText(drawn []string, s string) bool {
	for _, x := range drawn {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}
