package report

import (
	"image"
	"strings"
	"testing"
	"time"
)

// alnumCapacityQ is the alphanumeric capacity at ECC Q per version
// (ISO/IEC 18004 Table 7).
var alnumCapacityQ = []int{0, 16, 29, 47, 67, 87, 108, 125, 157, 189, 221, 259, 296, 352, 376, 426, 470, 531, 574, 644, 702}

func predictVersion(n int) int {
	for v := 1; v < len(alnumCapacityQ); v++ {
		if n <= alnumCapacityQ[v] {
			return v
		}
	}
	return 99
}

// TestQRRoundTrip encodes the largest realistic claim sets, decodes the
// image with gozxing, and checks version, mode and quiet zone.
func TestQRRoundTrip(t *testing.T) {
	priv := testKey(t, 1)
	long := fixtureReport(t)
	long.Subject.Name = strings.Repeat("堃喆镕赟", 8)[:30*3] // 30 Chinese characters
	long.Subject.ID = "91620102MA74ABCD3X"
	long.Subject.Kind = "legal_person"
	short := fixtureReport(t)
	for name, r := range map[string]Report{"short name": short, "30-character name": long} {
		t.Run(name, func(t *testing.T) {
			c := r.Claims(9999, 365*24*time.Hour)
			c.Summary = []uint64{65535, 65535, 65535}
			s, err := Sign(priv, c)
			if err != nil {
				t.Fatal(err)
			}
			q, err := EncodeQR(s.Text)
			if err != nil {
				t.Fatal(err)
			}
			if q.VersionNumber > MaxQRVersion {
				t.Fatalf("version %d", q.VersionNumber)
			}
			if want := predictVersion(len(s.Text)); q.VersionNumber != want {
				t.Errorf("%d chars gave version %d, alphanumeric mode predicts %d", len(s.Text), q.VersionNumber, want)
			}
			bm := q.Bitmap()
			if side := 4*q.VersionNumber + 17 + 2*QuietZone; len(bm) != side {
				t.Fatalf("bitmap side %d, want %d", len(bm), side)
			}
			for i := range QuietZone {
				for j := range bm {
					if bm[i][j] || bm[j][i] || bm[len(bm)-1-i][j] || bm[j][len(bm)-1-i] {
						t.Fatalf("quiet zone has a dark module at ring %d", i)
					}
				}
			}
			got, err := DecodeQR(q.Image(-4))
			if err != nil {
				t.Fatal(err)
			}
			if got != s.Text {
				t.Fatal("decoded text differs")
			}
			if r := Verify(got, keySetOf("", priv), issued); r.Status != StatusValid {
				t.Fatalf("Verify = %s", r.Status)
			}
		})
	}
}

func TestEncodeQRRejects(t *testing.T) {
	for name, text := range map[string]string{
		"lower case": "cr1:abc",
		"chinese":    "CR1:王",
		"empty":      "",
		"too long":   Prefix + strings.Repeat("A", alnumCapacityQ[MaxQRVersion]),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := EncodeQR(text); err == nil {
				t.Fatal("EncodeQR accepted it")
			}
		})
	}
	if _, err := EncodeQR(Prefix + strings.Repeat("A", alnumCapacityQ[MaxQRVersion]-len(Prefix))); err != nil {
		t.Errorf("largest version-20 text refused: %v", err)
	}
}

func TestDarkRuns(t *testing.T) {
	bm := [][]bool{
		{true, true, false, true},
		{false, false, false, false},
		{true, true, true, true},
	}
	got := darkRuns(bm)
	want := []run{{0, 0, 2}, {0, 3, 1}, {2, 0, 4}}
	if len(got) != len(want) {
		t.Fatalf("runs %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("runs %v, want %v", got, want)
		}
	}
}

func TestDecodeQRNoCode(t *testing.T) {
	if _, err := DecodeQR(blankImage(200)); err == nil {
		t.Error("decoded a QR from a blank image")
	}
}

func blankImage(n int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, n, n))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	return img
}

// TestQRSurvivesBlot: a white blot over ~6% of the symbol's centre still
// decodes at ECC Q.
func TestQRSurvivesBlot(t *testing.T) {
	s, keys := signFixture(t)
	q, err := EncodeQR(s.Text)
	if err != nil {
		t.Fatal(err)
	}
	const px = 4
	img := q.Image(-px)
	gray := image.NewGray(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			gray.Set(x, y, img.At(x, y))
		}
	}
	side := 4*q.VersionNumber + 17
	blot := int(float64(side) * 0.245) // 0.245² ≈ 6% of the area
	c := (side/2 + QuietZone) * px
	for y := c - blot*px/2; y < c+blot*px/2; y++ {
		for x := c - blot*px/2; x < c+blot*px/2; x++ {
			gray.Pix[y*gray.Stride+x] = 255
		}
	}
	got, err := DecodeQR(gray)
	if err != nil {
		t.Fatalf("blotted symbol (v%d, %d×%d modules) does not decode: %v", q.VersionNumber, blot, blot, err)
	}
	if r := Verify(got, keys, issued); r.Status != StatusValid {
		t.Fatalf("Verify = %s", r.Status)
	}
}
