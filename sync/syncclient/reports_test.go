package syncclient

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

func TestRegisterReport(t *testing.T) {
	f := newFixture(t, 0)
	c := f.client(nil)
	rec := protocol.ReportRecordV1{Code: "7K3M9QZX", KID: "0123456789abcdef", IssuedAt: t0, Expires: t0.Add(90 * 24 * time.Hour),
		ReportType: 2, SubjectIDDisplay: "6201**********123X"}
	other := rec
	other.Code = "7K3M9QZY"
	unmasked := rec
	unmasked.SubjectIDDisplay = "620102199001011234"
	for _, tc := range []struct {
		name string
		no   string
		rec  protocol.ReportRecordV1
		code string
	}{
		{"first", "620102K1-20261127-000001", rec, ""},
		{"replay", "620102K1-20261127-000001", rec, ""},
		{"other data", "620102K1-20261127-000001", other, credit.ECONFLICT},
		{"unmasked", "620102K1-20261127-000002", unmasked, credit.EINVALID},
	} {
		if err := c.RegisterReport(t.Context(), tc.no, tc.rec); credit.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	var a protocol.LookupV1
	if got, err := f.srv.Lookup(t.Context(), "620102K1-20261127-000001", "7k3m9qzx"); err != nil || got.Status != protocol.LookupKnown {
		t.Fatalf("lookup: %+v %v", got, err)
	} else {
		a = got
	}
	if a.SubjectIDDisplay != rec.SubjectIDDisplay {
		t.Fatalf("%+v", a)
	}
}
