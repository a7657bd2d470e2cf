package report

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"
)

func BenchmarkSignAndQR(b *testing.B) {
	priv := testKey(b, 1)
	c := fixtureReport(b).Claims(2, 90*24*time.Hour)
	for b.Loop() {
		s, err := Sign(priv, c)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := EncodeQR(s.Text); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	priv := testKey(b, 1)
	s, err := Sign(priv, fixtureReport(b).Claims(2, 90*24*time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	keys := keySetOf("", priv)
	for b.Loop() {
		if r := Verify(s.Text, keys, issued); r.Status != StatusValid {
			b.Fatal(r.Status)
		}
	}
}

func BenchmarkRenderPDF(b *testing.B) {
	priv := testKey(b, 1)
	r := fixtureReport(b)
	for b.Loop() {
		if _, err := Render(r, priv, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}

// threePageReport is the fixture grown to exactly three pages.
func threePageReport(t testing.TB) Report {
	t.Helper()
	r := fixtureReport(t)
	for n := 2; n < 200; n += 2 {
		r.Records = append(fixtureReport(t).Records, manyRecords(r.Subject.ID, n)...)
		out, err := Render(r, testKey(t, 1), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if out.Pages == 3 {
			return r
		}
		if out.Pages > 3 {
			break
		}
	}
	t.Fatal("could not fill exactly three pages")
	return Report{}
}

// TestThreePageReportSize holds the size target: a 3-page report
// is at most 300 KB (the font is subset, the QR drawn as vectors).
func TestThreePageReportSize(t *testing.T) {
	out, err := Render(threePageReport(t), testKey(t, 1), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if out.Pages != 3 || len(out.PDF) > 300<<10 {
		t.Fatalf("%d pages, %d bytes; want 3 pages within 300 KB", out.Pages, len(out.PDF))
	}
	t.Logf("3-page report: %d bytes", len(out.PDF))
}

func BenchmarkRender3Pages(b *testing.B) {
	priv := testKey(b, 1)
	r := threePageReport(b)
	var size int
	for b.Loop() {
		out, err := Render(r, priv, time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out.PDF)
	}
	b.ReportMetric(float64(size)/1024, "KB/pdf")
}

func BenchmarkRenderReceipt(b *testing.B) {
	priv := testKey(b, 1)
	o, rec := fixtureObjection(b)
	rc := ObjectionReceipt(o, rec)
	rc.IssuedAt = issued
	for b.Loop() {
		if _, err := RenderReceipt(rc, priv, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyTrustList verifies against a trust list of 500 keys and
// 10 000 revoked reports.
func BenchmarkVerifyTrustList(b *testing.B) {
	priv := testKey(b, 1)
	s, err := Sign(priv, fixtureReport(b).Claims(2, 90*24*time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	tl := fixtureList(b, 1)
	for i := range 499 {
		tl.Keys = append(tl.Keys, ListKey{Public: pubOf(testKey(b, byte(i%200)+2)), Status: KeyActive, SignFrom: tl.Keys[0].SignFrom})
		if i >= 198 {
			tl.Keys[len(tl.Keys)-1].Public = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{byte(i), byte(i >> 8)}, 16)).Public().(ed25519.PublicKey)
		}
	}
	for i := range 10000 {
		tl.Revoked = append(tl.Revoked, RevokedHash(fmt.Sprintf("620102K1-20260101-%06d", i)))
	}
	root := testKey(b, 100)
	loaded, err := LoadTrustList(signList(b, tl, root), []ed25519.PublicKey{pubOf(root)}, 0)
	if err != nil {
		b.Fatal(err)
	}
	keys := loaded.KeySet()
	for b.Loop() {
		if r := Verify(s.Text, keys, issued); r.Status != StatusValid {
			b.Fatal(r.Status, r.Detail)
		}
	}
}

func BenchmarkLoadTrustList(b *testing.B) {
	tl := fixtureList(b, 1)
	for i := range 10000 {
		tl.Revoked = append(tl.Revoked, RevokedHash(fmt.Sprintf("620102K1-20260101-%06d", i)))
	}
	root := testKey(b, 100)
	data := signList(b, tl, root)
	roots := []ed25519.PublicKey{pubOf(root)}
	b.ReportMetric(float64(len(data))/1024, "KB/list")
	for b.Loop() {
		if _, err := LoadTrustList(data, roots, 0); err != nil {
			b.Fatal(err)
		}
	}
}
