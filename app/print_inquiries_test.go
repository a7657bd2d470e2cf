package app_test

import (
	"bytes"
	"crypto/ed25519"
	"log/slog"
	"os/exec"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// The printed report lists the inquiries the screen lists: this
// terminal's own and those other terminals made (AllInquiries), each with
// its channel (Art. 24, 45; the report standard's inquiry record).
func TestPrintedReportShowsRemoteInquiries(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils); skipping")
	}
	remote := []credit.Inquiry{
		{ID: "q-office-b", SubjectID: apptest.PersonID, InquirerKind: credit.InquirerClerk, InquirerID: "C042",
			Purpose: "administrative_licensing", AuthRef: "AUTH-1", Channel: "office-620103", At: friday.Add(-26 * time.Hour)},
		{ID: "q-kiosk-c", SubjectID: apptest.OrgID, InquirerKind: credit.InquirerPublic, Purpose: credit.PurposePublic,
			Channel: "kiosk-620104-02", At: friday.Add(-3 * time.Hour)},
	}
	tests := []struct {
		name     string
		print    func(t *testing.T, svc *app.Service, mem *apptest.Mem, log *withRemote) error
		want     []string // channels in the printed table
		wantWhen []time.Time
	}{
		{"kiosk self report", func(t *testing.T, svc *app.Service, _ *apptest.Mem, _ *withRemote) error {
			sess, err := svc.ReadCard(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			_, err = svc.PrintReport(t.Context(), sess)
			return err
		}, []string{apptest.DeviceID, "office-620103"}, []time.Time{friday, remote[0].At}},
		{"office organisation report", func(t *testing.T, svc *app.Service, mem *apptest.Mem, log *withRemote) error {
			office := app.NewOffice(app.OfficeDeps{Clerks: apptest.NewClerks(), Records: mem, Inquiries: log, Queue: &apptest.Queue{},
				Now: func() time.Time { return friday }, Argon2: apptest.FastArgon2, DeviceID: "office-620102", Printing: svc})
			if err := office.AddClerk(t.Context(), credit.Clerk{ID: "C001", Name: "王芳", Role: credit.RoleClerk}, clerkPassword); err != nil {
				t.Fatal(err)
			}
			cs, err := office.Login(t.Context(), "C001", clerkPassword)
			if err != nil {
				t.Fatal(err)
			}
			_, err = office.PrintInquiryReport(t.Context(), cs, apptest.OrgID)
			return err
		}, []string{"office-620102", "kiosk-620104-02"}, []time.Time{friday, remote[1].At}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := apptest.Fixture(friday.Add(-time.Hour))
			log := &withRemote{Mem: mem, remote: remote}
			docs := &apptest.DocumentPrinter{}
			_, priv, err := ed25519.GenerateKey(nil)
			if err != nil {
				t.Fatal(err)
			}
			svc := app.New(app.Deps{Records: mem, Inquiries: log, Applications: mem, Reports: mem, Documents: docs, Signer: priv,
				Card: apptest.NewCard(apptest.PersonCard(), nil), DeviceID: apptest.DeviceID, Office: "城关区政务服务中心",
				Now: func() time.Time { return friday }, Logger: slog.New(slog.DiscardHandler)})
			if err := tt.print(t, svc, mem, log); err != nil {
				t.Fatal(err)
			}
			printed := docs.Documents()
			if len(printed) != 1 {
				t.Fatalf("%d documents printed", len(printed))
			}
			cmd := exec.CommandContext(t.Context(), "pdftotext", "-layout", "-", "-")
			cmd.Stdin = bytes.NewReader(printed[0].PDF)
			txt, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(txt), "\n")
			for i, ch := range tt.want {
				when := tt.wantWhen[i].In(credit.China).Format("2006-01-02 15:04")
				found := false
				for _, l := range lines {
					found = found || (strings.Contains(l, when) && strings.Contains(l, ch))
				}
				if !found {
					t.Errorf("no inquiry row at %s through %s in the printed report:\n%s", when, ch, txt)
				}
			}
		})
	}
}
