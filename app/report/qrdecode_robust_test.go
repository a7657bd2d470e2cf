package report

import (
	"bytes"
	"image/png"
	"math/rand/v2"
	"testing"
)

// TestDecodeQRSurvivesDetectorMisses: gozxing's detector alone misreads a
// few percent of clean symbols (seen as flaky verify tests). Over a fixed
// set of random payloads, some of which the plain decode misses, DecodeQR
// must read every one.
func TestDecodeQRSurvivesDetectorMisses(t *testing.T) {
	rng := rand.New(rand.NewPCG(20261127, 1))
	missedByPlain := 0
	for i := range 80 {
		raw := make([]byte, 200+rng.IntN(80))
		for j := range raw {
			raw[j] = byte(rng.UintN(256))
		}
		text := Prefix + Base45Encode(raw)
		q, err := EncodeQR(text)
		if err != nil {
			t.Fatal(err)
		}
		b, err := q.PNG(-8)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := decodeOnce(img, false); err != nil || got != text {
			missedByPlain++
		}
		got, err := DecodeQR(img)
		if err != nil || got != text {
			t.Fatalf("payload %d: DecodeQR = %v", i, err)
		}
	}
	if missedByPlain == 0 {
		t.Error("no fixed payload needs a fallback any more (gozxing changed?): pick a seed that exercises them")
	} else {
		t.Logf("%d of 80 payloads needed a fallback", missedByPlain)
	}
}
