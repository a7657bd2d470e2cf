package app_test

import (
	"crypto/ed25519"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/report"
)

// printEnv is a service over the fixture with the given printers and key.
type printEnv struct {
	mem   *apptest.Mem
	svc   *app.Service
	slips *apptest.SlipPrinter
	docs  *apptest.DocumentPrinter
	pub   ed25519.PublicKey
}

func newPrintEnv(t *testing.T, slip, a4, key bool) *printEnv {
	t.Helper()
	e := &printEnv{mem: apptest.Fixture(friday.Add(-time.Hour))}
	d := app.Deps{Records: e.mem, Inquiries: e.mem, Applications: e.mem, Reports: e.mem,
		Card: apptest.NewCard(apptest.PersonCard(), nil), DeviceID: apptest.DeviceID, Office: "城关区政务服务中心",
		Now: func() time.Time { return friday }, Logger: slog.New(slog.DiscardHandler)}
	if slip {
		e.slips = &apptest.SlipPrinter{}
		d.Slips = e.slips
	}
	if a4 {
		e.docs = &apptest.DocumentPrinter{}
		d.Documents = e.docs
	}
	if key {
		pub, priv, err := ed25519.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		e.pub, d.Signer = pub, priv
	}
	e.svc = app.New(d)
	return e
}

func (e *printEnv) objection(t *testing.T) (*app.Session, credit.Objection) {
	t.Helper()
	sess, err := e.svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	o, err := e.svc.FileObjection(t.Context(), sess, apptest.RecUntr, credit.ObjBeyondPeriod, "公示期已满。", "")
	if err != nil {
		t.Fatal(err)
	}
	return sess, o
}

func TestPrintObjectionReceiptSlip(t *testing.T) {
	e := newPrintEnv(t, true, true, true)
	sess, o := e.objection(t)
	p, err := e.svc.PrintObjectionReceipt(t.Context(), sess, o)
	if err != nil {
		t.Fatal(err)
	}
	if p.Via != app.PrintedSlip || p.No != o.No {
		t.Errorf("printed %+v", p)
	}
	slips := e.slips.Slips()
	if len(slips) != 1 || len(e.docs.Documents()) != 0 {
		t.Fatalf("slips %d, A4 jobs %d", len(slips), len(e.docs.Documents()))
	}
	s := slips[0]
	var lines strings.Builder
	for _, l := range s.Lines {
		lines.WriteString(l.Label + "=" + l.Value + "\n")
	}
	for _, want := range []string{"申请编号=" + o.No, "所涉记录=行政处罚：未按期申报纳税", "受理时间=2026-11-27 10:00",
		"异议标注期限=2026-11-30 前", "核查决定期限=2026-12-08 前", "受理机构=城关区政务服务中心"} {
		if !strings.Contains(lines.String(), want) {
			t.Errorf("slip lacks %q:\n%s", want, lines.String())
		}
	}
	if strings.Contains(lines.String(), apptest.PersonName) || !strings.Contains(strings.Join(s.Footer, " "), "免费") {
		t.Errorf("slip shows the full name or lacks free of charge: %+v", s)
	}
	res := report.Verify(s.QR, report.NewKeySet(report.TrustedKey{Public: e.pub}), friday.Add(time.Minute))
	if res.Status != report.StatusValid || res.Claims.ReportID != o.No {
		t.Fatalf("slip QR verifies as %s (%s)", res.Status, res.Detail)
	}
	info, ok := res.Claims.Receipt()
	if !ok || info.Kind != credit.KindObjection || !info.SecondDue.Equal(o.DecisionDue.Truncate(time.Second)) {
		t.Errorf("receipt claims %+v %v", info, ok)
	}
}

func TestPrintObjectionReceiptA4(t *testing.T) {
	e := newPrintEnv(t, false, true, true)
	sess, o := e.objection(t)
	p, err := e.svc.PrintObjectionReceipt(t.Context(), sess, o)
	if err != nil {
		t.Fatal(err)
	}
	docs := e.docs.Documents()
	if p.Via != app.PrintedA4 || len(docs) != 1 || p.JobID != docs[0].JobID {
		t.Fatalf("printed %+v, jobs %+v", p, len(docs))
	}
	if !strings.HasPrefix(string(docs[0].PDF), "%PDF-") || !strings.Contains(docs[0].Title, o.No) {
		t.Errorf("job %q is not the receipt PDF", docs[0].Title)
	}
}

func TestPrintReceiptProblems(t *testing.T) {
	tests := []struct {
		name            string
		slip, a4, key   bool
		fail            bool
		code            string
		wantInMessageEN string
	}{
		{name: "no printer", key: true, code: credit.EUNAVAILABLE, wantInMessageEN: "No printer"},
		{name: "no key", slip: true, code: credit.EUNAVAILABLE, wantInMessageEN: "signing key"},
		{name: "printer fails", slip: true, key: true, fail: true, code: credit.EDEVICE, wantInMessageEN: "Print again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newPrintEnv(t, tt.slip, tt.a4, tt.key)
			sess, o := e.objection(t)
			if tt.fail {
				e.slips.SetErr(errors.New("escpos: paper out"))
			}
			_, err := e.svc.PrintObjectionReceipt(t.Context(), sess, o)
			wantCode(t, err, tt.code)
			if !strings.Contains(credit.ErrorMessageEN(err), tt.wantInMessageEN) {
				t.Errorf("message %q", credit.ErrorMessageEN(err))
			}
			// The kiosk sends the citizen to the service counter
			// (the office has its own words: print_words_test.go).
			wantWords(t, err, tt.code, [2]string(counterWords), nil)
			if !tt.fail {
				return
			}
			// The printer is fixed: printing again works.
			e.slips.SetErr(nil)
			if _, err := e.svc.PrintObjectionReceipt(t.Context(), sess, o); err != nil {
				t.Fatal(err)
			}
			if n := len(e.slips.Slips()); n != 1 {
				t.Errorf("%d slips after the retry", n)
			}
		})
	}
}

func TestPrintReceiptRefusesOthers(t *testing.T) {
	e := newPrintEnv(t, true, false, true)
	sess, o := e.objection(t)
	other := o
	other.SubjectID = apptest.OrgID
	if _, err := e.svc.PrintObjectionReceipt(t.Context(), sess, other); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Errorf("someone else's receipt: %v", err)
	}
	e.svc.EndSession(sess)
	if _, err := e.svc.PrintObjectionReceipt(t.Context(), sess, o); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Errorf("after the session ended: %v", err)
	}
	if len(e.slips.Slips()) != 0 {
		t.Error("a slip was printed")
	}
}

func TestPrintReportCountsFreeReports(t *testing.T) {
	e := newPrintEnv(t, true, true, true)
	sess, err := e.svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	a, ok := e.svc.ReportAllowance(t.Context(), sess)
	if !ok || a.Used != 0 || a.Free != 2 || a.Year != 2026 {
		t.Fatalf("allowance before %+v %v", a, ok)
	}
	for i := 1; i <= 3; i++ {
		p, err := e.svc.PrintReport(t.Context(), sess)
		if err != nil {
			t.Fatalf("report %d: %v", i, err) // never blocked, even past the free ones
		}
		if p.Via != app.PrintedA4 || !strings.HasPrefix(p.No, "620000K1-20261127-") {
			t.Errorf("printed %+v", p)
		}
		a, _ = e.svc.ReportAllowance(t.Context(), sess)
		if a.Used != i || sess.Allowance.Used != i || !sess.AllowanceKnown {
			t.Errorf("after %d reports: used %d, session shows %d", i, a.Used, sess.Allowance.Used)
		}
	}
	docs := e.docs.Documents()
	if len(docs) != 3 || !strings.HasPrefix(string(docs[0].PDF), "%PDF-") {
		t.Fatalf("%d jobs", len(docs))
	}
	if len(e.slips.Slips()) != 0 {
		t.Error("a report went to the receipt printer")
	}
}

func TestPrintReportProblems(t *testing.T) {
	tests := []struct {
		name          string
		a4, key, fail bool
		code          string
	}{
		{name: "no A4 printer", key: true, code: credit.EUNAVAILABLE},
		{name: "no key", a4: true, code: credit.EUNAVAILABLE},
		{name: "printer fails", a4: true, key: true, fail: true, code: credit.EDEVICE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newPrintEnv(t, true, tt.a4, tt.key)
			sess, err := e.svc.ReadCard(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if tt.fail {
				e.docs.SetErr(errors.New("lp: printer offline"))
			}
			_, err = e.svc.PrintReport(t.Context(), sess)
			wantCode(t, err, tt.code)
			if a, _ := e.svc.ReportAllowance(t.Context(), sess); a.Used != 0 {
				t.Errorf("a report that was not printed was counted: %+v", a)
			}
		})
	}
}

// TestPrintReportUnknownHolder: a holder the cache does not know gets a
// report that says they have no records, under the name on the card.
func TestPrintReportUnknownHolder(t *testing.T) {
	e := newPrintEnv(t, false, true, true)
	card := apptest.PersonCard()
	card.Number = "11010519491231002" + string(credit.IDCheckChar("11010519491231002"))
	e.svc = app.New(app.Deps{Records: e.mem, Inquiries: e.mem, Applications: e.mem, Reports: e.mem,
		Card: apptest.NewCard(card, nil), Documents: e.docs, Signer: signerOf(t, e), Now: func() time.Time { return friday }})
	sess, err := e.svc.ReadCard(t.Context())
	if err != nil || sess.Known {
		t.Fatalf("session known %v, %v", sess != nil && sess.Known, err)
	}
	if _, err := e.svc.PrintReport(t.Context(), sess); err != nil {
		t.Fatal(err)
	}
	if a, ok := e.svc.ReportAllowance(t.Context(), sess); !ok || a.Used != 1 {
		t.Errorf("allowance %+v", a)
	}
}

func signerOf(t *testing.T, _ *printEnv) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}
