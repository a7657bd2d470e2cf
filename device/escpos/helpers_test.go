package escpos_test

import (
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gansu-credit/credit/device/escpos"
	"github.com/gansu-credit/credit/device/escpos/escpossim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sampleCR1 is an alphanumeric-mode QR text shaped like a report's CR1:
// payload (not a signed one).
const sampleCR1 = "CR1:6BFOXN*TS0BI$ZD.P9UOL97O4-2HH77HRM3DSPTLRR+%3F.FH+L0S$GZ1TV9+F:L3Z6+J7YT8I27C4QU0"

// sampleReceipt is the objection receipt of the golden tests.
func sampleReceipt() escpos.Receipt {
	return escpos.Receipt{
		Title: "信用信息异议申请回执",
		Lines: []escpos.Line{
			{Label: "申请编号", Value: "YY-620102-20260115-0042"},
			{Label: "申请人", Value: "王*"},
			{Label: "异议记录", Value: "行政处罚：未按规定申报纳税（兰城税罚〔2025〕318号）"},
			{Label: "受理时间", Value: "2026-01-15 10:30"},
			{Label: "答复期限", Value: "2026-01-22 前（5 个工作日）"},
		},
		QR:     sampleCR1,
		Footer: []string{"扫码或登录信用甘肃查询办理进度", "《甘肃省社会信用条例》"},
	}
}

// dump renders an ESC/POS stream one command per line: hex bytes (at most
// 48 a line) and a comment naming the command.
func dump(t *testing.T, b []byte) string {
	t.Helper()
	cmds, err := escpossim.Parse(b)
	if err != nil {
		t.Fatalf("parse own output: %v", err)
	}
	var sb strings.Builder
	for i, c := range cmds {
		end := len(b)
		if i+1 < len(cmds) {
			end = cmds[i+1].Offset
		}
		chunk := b[c.Offset:end]
		for j := 0; j < len(chunk); j += 48 {
			sb.WriteString(hex.EncodeToString(chunk[j:min(j+48, len(chunk))]))
			if j == 0 {
				fmt.Fprintf(&sb, "  # %s", c)
			}
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

// undump reads dump's format back into bytes.
func undump(t *testing.T, s string) []byte {
	t.Helper()
	var out []byte
	for n, line := range strings.Split(s, "\n") {
		h, _, _ := strings.Cut(line, "#")
		b, err := hex.DecodeString(strings.TrimSpace(h))
		if err != nil {
			t.Fatalf("golden line %d: %v", n+1, err)
		}
		out = append(out, b...)
	}
	return out
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(dump(t, got)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	want := undump(t, string(raw))
	if !bytes.Equal(got, want) {
		t.Errorf("%s: byte stream differs from the golden file (%d bytes, want %d); got:\n%s", name, len(got), len(want), firstDiff(dump(t, got), string(raw)))
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got  %.200s\n want %.200s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("lengths %d vs %d lines", len(g), len(w))
}
