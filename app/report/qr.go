package report

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// MaxQRVersion is the largest QR version a report may carry (§7.3): at
// 0.5 mm per module it stays within 53 mm including the quiet zone.
const MaxQRVersion = 20

// QuietZone is the border, in modules, that skip2 adds and the PDF keeps.
const QuietZone = 4

// isAlphanumeric reports whether s uses only the QR alphanumeric-mode
// characters ^[0-9A-Z $%*+\-./:]+$.
func isAlphanumeric(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if base45Index[s[i]] < 0 {
			return false
		}
	}
	return true
}

// EncodeQR makes the QR symbol for a QR text at ECC level Q (skip2's
// "High"). It refuses text outside alphanumeric mode and symbols above
// MaxQRVersion.
func EncodeQR(text string) (*qrcode.QRCode, error) {
	if !isAlphanumeric(text) {
		return nil, fmt.Errorf("encode QR: text must match ^[0-9A-Z $%%*+\\-./:]+$")
	}
	q, err := qrcode.New(text, qrcode.High)
	if err != nil {
		return nil, fmt.Errorf("encode QR: %w", err)
	}
	if q.VersionNumber > MaxQRVersion {
		return nil, fmt.Errorf("encode QR: %d characters need version %d, above the limit %d", len(text), q.VersionNumber, MaxQRVersion)
	}
	return q, nil
}

// run is a horizontal run of dark modules in one row of a QR bitmap.
type run struct{ row, col, n int }

// darkRuns merges each row's dark modules into runs, so the PDF draws one
// rectangle per run instead of one per module.
func darkRuns(bm [][]bool) []run {
	var out []run
	for y, row := range bm {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			out = append(out, run{y, start, x - start})
		}
	}
	return out
}
