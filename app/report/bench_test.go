package report

import (
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
