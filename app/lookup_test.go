package app_test

import (
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/report"
)

func TestApplicationProgress(t *testing.T) {
	mem := apptest.Fixture(friday.Add(-time.Hour))
	svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Lookup: mem,
		Card: apptest.NewCard(apptest.PersonCard(), nil), Now: func() time.Time { return friday }})
	sess, err := svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	o, err := svc.FileObjection(t.Context(), sess, apptest.RecUntr, credit.ObjBeyondPeriod, "公示期已满。", "13800000000")
	if err != nil {
		t.Fatal(err)
	}
	r, err := svc.FileRestoration(t.Context(), sess, apptest.RecUntr2, "已履行", "", true)
	if err != nil {
		t.Fatal(err)
	}
	svc.EndSession(sess)

	tests := []struct {
		name, no string
		code     string
		want     app.Progress
	}{
		{"objection", o.No, "", app.Progress{Kind: credit.KindObjection, No: o.No, Status: credit.StatusQueued, ReceivedAt: o.ReceivedAt, FirstDue: o.LabelDue, SecondDue: o.DecisionDue}},
		{"restoration typed loosely", " " + strings.ToLower(r.No) + " ", "", app.Progress{Kind: credit.KindRestoration, No: r.No, Status: credit.StatusQueued, ReceivedAt: r.ReceivedAt, FirstDue: r.AcceptDue, SecondDue: r.FeedbackDue}},
		{"unknown", "YY-20261127-00000000", credit.ENOTFOUND, app.Progress{}},
		{"not a number", "张三丰", credit.EINVALID, app.Progress{}},
		{"an ID number", apptest.PersonID, credit.EINVALID, app.Progress{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := svc.ApplicationProgress(t.Context(), tt.no)
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("progress %+v, want %+v", got, tt.want)
			}
		})
	}

	none := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem})
	_, err = none.ApplicationProgress(t.Context(), o.No)
	wantCode(t, err, credit.EUNAVAILABLE)
}

func TestVerifyText(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, otherPriv, _ := ed25519.GenerateKey(nil)
	e := newPrintEnv(t, true, false, false)
	keys := report.NewKeySet(report.TrustedKey{Public: pub, Office: "城关区政务服务中心"})
	svc := app.New(app.Deps{Records: e.mem, Inquiries: e.mem, Applications: e.mem, Trusted: keys, Now: func() time.Time { return friday }})
	if !svc.CanVerify() || app.New(app.Deps{Records: e.mem, Inquiries: e.mem, Applications: e.mem}).CanVerify() {
		t.Fatal("CanVerify does not follow the key set")
	}
	claims := report.Receipt{Kind: credit.KindObjection, ApplicationID: "x", No: "YY-20261127-3F2A9C01",
		Subject:    credit.Subject{ID: apptest.PersonID, Name: apptest.PersonName, Kind: credit.NaturalPerson},
		ReceivedAt: friday, FirstDue: friday.Add(72 * time.Hour), SecondDue: friday.Add(240 * time.Hour), IssuedAt: friday}.Claims(1, app.ReceiptValidity)
	good, err := report.Sign(priv, claims)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := report.Sign(otherPriv, claims)
	if err != nil {
		t.Fatal(err)
	}
	// Typed over two lines, in lower case.
	half := len(good.Text) / 2
	typed := "  " + strings.ToLower(good.Text[:half]) + "\n" + strings.ToLower(good.Text[half:]) + "\n"
	tests := []struct {
		name, text string
		want       report.Status
	}{
		{"genuine", good.Text, report.StatusValid},
		{"typed", typed, report.StatusValid},
		{"unknown key", forged.Text, report.StatusUnknownKey},
		{"garbage", "hello", report.StatusMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := svc.VerifyText(tt.text)
			if res.Status != tt.want {
				t.Errorf("status %s (%s), want %s", res.Status, res.Detail, tt.want)
			}
			if tt.want == report.StatusValid && (res.Claims == nil || res.Claims.ReportID != claims.ReportID || res.Office != "城关区政务服务中心") {
				t.Errorf("result %+v", res)
			}
		})
	}
}
