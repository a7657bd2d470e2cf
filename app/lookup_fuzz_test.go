package app_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// FuzzApplicationProgress: whatever is typed, the lookup answers a found
// application, "invalid" or "not found", never personal data for a
// malformed number and never a panic.
func FuzzApplicationProgress(f *testing.F) {
	for _, s := range []string{"YY-20261127-3F2A9C01", " xf-20261127-3f2a9c01 ", "", "YY-", apptest.PersonID, "YY-20261127-3F2A9C01\n", "ＹＹ-20261127-3F2A9C01"} {
		f.Add(s)
	}
	mem := apptest.Fixture(time.Time{})
	svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem, Lookup: mem})
	f.Fuzz(func(t *testing.T, no string) {
		p, err := svc.ApplicationProgress(t.Context(), no)
		switch credit.ErrorCode(err) {
		case credit.EINVALID, credit.ENOTFOUND:
			if p != (app.Progress{}) {
				t.Errorf("progress %+v with error %v", p, err)
			}
		case "":
			t.Errorf("found %+v in an empty store", p)
		default:
			t.Errorf("unexpected error %v", err)
		}
	})
}

// FuzzVerifyText: any typed text gives a status with a message, and
// claims only for a valid-looking result.
func FuzzVerifyText(f *testing.F) {
	for _, s := range []string{"CR1:", "cr1:6BF", "", " \n\t", "CR1:" + string(make([]byte, 100))} {
		f.Add(s)
	}
	mem := apptest.Fixture(time.Time{})
	svc := app.New(app.Deps{Records: mem, Inquiries: mem, Applications: mem})
	f.Fuzz(func(t *testing.T, text string) {
		res := svc.VerifyText(text)
		if res.Status == "" || res.MessageZH == "" || res.MessageEN == "" {
			t.Errorf("result %+v", res)
		}
		if res.Claims != nil {
			t.Errorf("claims trusted with no keys: %+v", res)
		}
	})
}
