package app_test

import (
	"crypto"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// counterWords are the kiosk's "ask at the service counter", which make
// no sense to a clerk who is the service counter.
var counterWords = []string{"服务窗口", "service counter"}

// wantWords checks that err's zh and en messages contain want and none of
// refuse.
func wantWords(t *testing.T, err error, code string, want [2]string, refuse []string) {
	t.Helper()
	if credit.ErrorCode(err) != code {
		t.Fatalf("code %q, want %q: %v", credit.ErrorCode(err), code, err)
	}
	zh, en := credit.ErrorMessage(err), credit.ErrorMessageEN(err)
	if !strings.Contains(zh, want[0]) || !strings.Contains(en, want[1]) {
		t.Errorf("messages %q / %q, want %q / %q in them", zh, en, want[0], want[1])
	}
	for _, r := range refuse {
		if strings.Contains(zh, r) || strings.Contains(en, r) {
			t.Errorf("messages %q / %q say %q", zh, en, r)
		}
	}
}

// TestOfficePrintWords: the office's printer errors tell the clerk what to
// check or whom to call, never "ask at the service counter" (issue 7).
func TestOfficePrintWords(t *testing.T) {
	noKey := func(ed25519.PrivateKey) crypto.Signer { return nil }
	tests := []struct {
		name   string
		signer func(ed25519.PrivateKey) crypto.Signer
		noSvc  bool // the office was built without printing
		fail   bool
		report bool // print the inquiry report, not the receipt
		code   string
		want   [2]string
	}{
		{name: "receipt, no printer", noSvc: true, code: credit.EUNAVAILABLE, want: [2]string{"设置", "Settings"}},
		{name: "receipt, no key", signer: noKey, code: credit.EUNAVAILABLE, want: [2]string{"技术支持", "technical support"}},
		{name: "receipt, printer fails", fail: true, code: credit.EDEVICE, want: [2]string{"重新打印", "Print again"}},
		{name: "report, no key", signer: noKey, report: true, code: credit.EUNAVAILABLE, want: [2]string{"技术支持", "technical support"}},
		{name: "report, printer fails", fail: true, report: true, code: credit.EDEVICE, want: [2]string{"设置", "Settings"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newPrintDesk(t, tt.signer)
			ctx := t.Context()
			if tt.noSvc {
				d.office = app.NewOffice(app.OfficeDeps{Clerks: d.clerks, Records: d.mem, Inquiries: d.mem, Queue: d.queue, Intake: d.desk,
					Now: d.clock.Now, Argon2: apptest.FastArgon2})
			}
			if tt.fail {
				d.docs.SetErr(errors.New("lp: printer on fire"))
			}
			var err error
			if tt.report {
				_, err = d.office.PrintInquiryReport(ctx, d.cs, apptest.OrgID)
			} else {
				if _, err := d.office.IntakeLookup(ctx, d.cs, apptest.PersonID, credit.ApplicantSelf, ""); err != nil {
					t.Fatal(err)
				}
				ob, ferr := d.office.FileIntakeObjection(ctx, d.cs, app.IntakeObjectionForm{RecordID: apptest.RecUntr, Type: credit.ObjBeyondPeriod, Statement: "公示期已满。", Contact: "13900000000"})
				if ferr != nil {
					t.Fatal(ferr)
				}
				_, err = d.office.PrintReceipt(ctx, d.cs, credit.KindObjection, ob.ID)
			}
			wantWords(t, err, tt.code, tt.want, counterWords)
		})
	}
}
