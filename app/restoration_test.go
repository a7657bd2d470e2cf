package app_test

import (
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/report"
)

func TestFileRestoration(t *testing.T) {
	e := newEnv(t)
	sess, err := e.svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sess.Restoring(apptest.RecUntr); ok {
		t.Fatal("restoring before applying")
	}
	r, err := e.svc.FileRestoration(t.Context(), sess, apptest.RecUntr, " 已于2025年4月缴清税款及滞纳金。 ", "13800000000", true)
	if err != nil {
		t.Fatal(err)
	}
	// Received Friday 27 Nov 2026: acceptance within 3 working days (Wed
	// 2 Dec), feedback within 10 (Fri 11 Dec).
	if got := r.AcceptDue.In(credit.China).Format("2006-01-02"); got != "2026-12-02" {
		t.Errorf("accept due %s", got)
	}
	if got := r.FeedbackDue.In(credit.China).Format("2006-01-02"); got != "2026-12-11" {
		t.Errorf("feedback due %s", got)
	}
	if r.Performance != "已于2025年4月缴清税款及滞纳金。" || !r.Committed || r.SubjectID != apptest.PersonID || r.Channel != apptest.DeviceID || r.No == "" {
		t.Errorf("restoration %+v", r)
	}
	if saved := e.mem.SavedRestorations(); len(saved) != 1 || saved[0].ID != r.ID {
		t.Fatalf("saved %+v", saved)
	}
	if got, ok := sess.Restoring(apptest.RecUntr); !ok || got.No != r.No {
		t.Error("the record does not show the restoration applied")
	}
	_, err = e.svc.FileRestoration(t.Context(), sess, apptest.RecUntr, "再次申请", "", true)
	wantCode(t, err, credit.ECONFLICT)
	if !strings.Contains(credit.ErrorMessage(err), r.No) {
		t.Errorf("conflict does not name the open application: %q", credit.ErrorMessage(err))
	}
}

func TestFileRestorationRefused(t *testing.T) {
	tests := []struct {
		name        string
		record      string
		performance string
		committed   bool
		code        string
	}{
		{"not signed", apptest.RecUntr, "已履行", false, credit.EINVALID},
		{"no statement", apptest.RecUntr, "  ", true, credit.EINVALID},
		{"basic information", apptest.RecBasic, "已履行", true, credit.EINVALID},
		{"someone else's record", apptest.RecOrg, "已履行", true, credit.EUNAUTHORIZED},
		{"too long", apptest.RecUntr, strings.Repeat("长", credit.MaxStatementRunes+1), true, credit.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			sess, err := e.svc.ReadCard(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.svc.FileRestoration(t.Context(), sess, tt.record, tt.performance, "", tt.committed)
			wantCode(t, err, tt.code)
			if n := len(e.mem.SavedRestorations()); n != 0 {
				t.Errorf("%d saved", n)
			}
		})
	}
}

func TestPrintRestorationReceipt(t *testing.T) {
	e := newPrintEnv(t, true, false, true)
	sess, err := e.svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.svc.FileRestoration(t.Context(), sess, apptest.RecUntr2, "已履行", "", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.PrintRestorationReceipt(t.Context(), sess, r); err != nil {
		t.Fatal(err)
	}
	s := e.slips.Slips()
	if len(s) != 1 || s[0].Title != "信用修复申请回执" {
		t.Fatalf("slips %+v", s)
	}
	res := report.Verify(s[0].QR, report.NewKeySet(report.TrustedKey{Public: e.pub}), friday.Add(time.Minute))
	info, ok := res.Claims.Receipt()
	if res.Status != report.StatusValid || !ok || info.Kind != credit.KindRestoration {
		t.Errorf("restoration slip verifies as %s %+v", res.Status, info)
	}
}

func TestCommitmentLetterNamesHolderAndRecord(t *testing.T) {
	rec := credit.Record{Title: "行政处罚：未按期申报纳税", DocumentNo: "兰税罚〔2025〕88号"}
	zh, en := app.CommitmentLetter(apptest.PersonName, rec)
	for _, s := range []string{zh, en} {
		if !strings.Contains(s, apptest.PersonName) || !strings.Contains(s, rec.Title) || !strings.Contains(s, rec.DocumentNo) {
			t.Errorf("letter lacks the holder or the record:\n%s", s)
		}
	}
}
