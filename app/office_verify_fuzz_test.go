package app_test

import (
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
)

// FuzzOfficeVerifyFile: whatever file the clerk opens, the check answers
// with a verdict or a user-facing error, and never crashes.
func FuzzOfficeVerifyFile(f *testing.F) {
	q, err := report.EncodeQR("CR1:NOT-A-REAL-CODE")
	if err != nil {
		f.Fatal(err)
	}
	png, err := q.PNG(64)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{png, png[:len(png)/2], nil, []byte("GIF89a"), []byte("\xff\xd8\xff\xe0"), []byte("%PDF-1.4\n%%EOF")} {
		f.Add(seed)
	}
	d := newPrintDesk(f, nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := d.office.VerifyFile(t.Context(), d.cs, data)
		switch code := credit.ErrorCode(err); {
		case err == nil && res.Status == "":
			t.Fatal("no verdict and no error")
		case err != nil && code != credit.EINVALID && code != credit.EUNAVAILABLE:
			t.Fatalf("error %q: %v", code, err)
		}
	})
}
