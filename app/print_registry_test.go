package app_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/report"
)

// memRegistry is an app.ReportRegistry in memory.
type memRegistry struct {
	mu     sync.Mutex
	queued []report.Signed
	err    error
}

func (m *memRegistry) QueueRegistration(_ context.Context, s report.Signed) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return m.err
	}
	m.queued = append(m.queued, s)
	return nil
}

// A printed report is queued for registration before it prints: also
// when the printer then fails (a registered, unprinted report harms
// nobody; a printed, unregistered one fails its online check). A queue
// that cannot take it stops the printing.
func TestPrintReportQueuesRegistration(t *testing.T) {
	tests := []struct {
		name        string
		printerErr  error
		registryErr error
		wantCode    string
		wantQueued  int
		wantPrinted int
	}{
		{name: "printed", wantQueued: 1, wantPrinted: 1},
		{name: "printer fails", printerErr: errors.New("lp: offline"), wantCode: credit.EDEVICE, wantQueued: 1},
		{name: "queue fails", registryErr: errors.New("disk full"), wantCode: credit.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem, docs := apptest.Fixture(friday.Add(-time.Hour)), &apptest.DocumentPrinter{}
			reg := &memRegistry{err: tt.registryErr}
			_, priv, _ := ed25519.GenerateKey(nil)
			svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Reports: mem,
				Card: apptest.NewCard(apptest.PersonCard(), nil), Documents: docs, Signer: priv, Registry: reg,
				Now: func() time.Time { return friday }, Logger: slog.New(slog.DiscardHandler)})
			docs.SetErr(tt.printerErr)
			sess, err := svc.ReadCard(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			p, err := svc.PrintReport(t.Context(), sess)
			if credit.ErrorCode(err) != tt.wantCode {
				t.Fatalf("err = %v, want code %q", err, tt.wantCode)
			}
			if len(reg.queued) != tt.wantQueued || len(docs.Documents()) != tt.wantPrinted {
				t.Fatalf("queued %d, printed %d", len(reg.queued), len(docs.Documents()))
			}
			if tt.wantQueued == 0 {
				return
			}
			s := reg.queued[0]
			if tt.wantCode == "" && s.Claims.ReportID != p.No {
				t.Errorf("queued report %q, printed %q", s.Claims.ReportID, p.No)
			}
			if len(s.Code) != 8 || !strings.Contains(s.Claims.SubjectIDDisplay, "*") || s.Claims.Type != report.NaturalPersonReport {
				t.Errorf("queued %+v", s.Claims)
			}
		})
	}
}

// Deps.TrustedKeys is asked at each check: keys that change (a newer
// trust list) change the verdict without a new Service.
func TestVerifyTextAsksTrustedKeys(t *testing.T) {
	mem := apptest.Fixture(friday.Add(-time.Hour))
	pub, priv, _ := ed25519.GenerateKey(nil)
	signed, err := report.Sign(priv, report.Claims{ReportID: "620000K1-20261127-000001", IssuedAt: friday, Expires: friday.Add(time.Hour),
		Type: report.NaturalPersonReport, SubjectName: "张三", SubjectIDDisplay: "6201**********123X", Pages: 1})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var keys report.KeySet
	svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Now: func() time.Time { return friday },
		TrustedKeys: func() report.KeySet { mu.Lock(); defer mu.Unlock(); return keys }})
	if svc.CanVerify() || svc.VerifyText(signed.Text).Status != report.StatusUnknownKey {
		t.Fatal("verified with no keys")
	}
	mu.Lock()
	keys.Add(pub, "城关区")
	mu.Unlock()
	if !svc.CanVerify() || svc.VerifyText(signed.Text).Status != report.StatusValid {
		t.Fatal("the keys given later are not used")
	}
}
