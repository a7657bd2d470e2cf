package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gansu-credit/credit/app/report"
)

// alter changes one character of the signed payload region while keeping
// the text valid Base45.
func alter(t *testing.T, text string) string {
	t.Helper()
	raw, err := report.Base45Decode(strings.TrimPrefix(text, report.Prefix))
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(raw, []byte("王堃"))
	if i < 0 {
		t.Fatal("name not found in the payload")
	}
	copy(raw[i:], "汪") // same length in UTF-8
	return report.Prefix + report.Base45Encode(raw)
}

func TestVerifyCommand(t *testing.T) {
	out, dir := issue(t)
	qr := field(t, out, "qr")
	keys := filepath.Join(dir, "keys.txt")
	inWindow := testNow.Add(time.Hour).Format(time.RFC3339)
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"valid text", []string{"--keys", keys, "--at", inWindow, qr}, 0, []string{"VALID", "真实有效", "王堃", "6201**********", "620102K1-20260115-000042", "兰州市城关区发展和改革局", "失信信息 1"}},
		{"valid PNG", []string{"--keys", keys, "--at", inWindow, "--image", filepath.Join(dir, "qr.png")}, 0, []string{"VALID"}},
		{"valid PDF", []string{"--keys", keys, "--at", inWindow, "--pdf", filepath.Join(dir, "r.pdf")}, 0, []string{"VALID", field(t, out, "code")}},
		{"altered", []string{"--keys", keys, "--at", inWindow, alter(t, qr)}, 20, []string{"ALTERED", "内容被篡改或伪造"}},
		{"no keys", []string{"--at", inWindow, qr}, 21, []string{"UNKNOWN_KEY"}},
		{"expired", []string{"--keys", keys, "--at", testNow.AddDate(0, 0, 91).Format(time.RFC3339), qr}, 10, []string{"EXPIRED", "王堃"}},
		{"before issue", []string{"--keys", keys, "--at", testNow.Add(-time.Hour).Format(time.RFC3339), qr}, 24, []string{"NOT_YET_VALID"}},
		{"garbage", []string{"--keys", keys, "hello"}, 30, []string{"MALFORMED", "无法识别的二维码"}},
		{"json valid", []string{"--json", "--keys", keys, "--at", inWindow, qr}, 0, []string{`"status": "VALID"`, `"subject_name": "王堃"`, `"report_id": "620102K1-20260115-000042"`, `"summary": [`}},
		{"json altered", []string{"--json", "--keys", keys, "--at", inWindow, alter(t, qr)}, 20, []string{`"status": "ALTERED"`, `"exit_code": 20`}},
		{"usage", []string{"--keys", keys}, 2, nil},
		{"two sources", []string{"--image", "x.png", qr}, 2, nil},
		{"bad --at", []string{"--at", "yesterday", qr}, 2, nil},
		{"missing key file", []string{"--keys", filepath.Join(dir, "nope"), qr}, 2, nil},
		{"missing image", []string{"--image", filepath.Join(dir, "nope.png")}, 2, nil},
		{"not an image", []string{"--image", keys}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(t.Context(), append([]string{"verify"}, tt.args...), &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout.String(), stderr.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
			if code == 20 && strings.Contains(stdout.String(), "汪") {
				t.Error("an altered report's unsigned name was shown")
			}
		})
	}
}

func TestVerifyImageWithoutQR(t *testing.T) {
	dir := t.TempDir()
	img := image.NewGray(image.Rect(0, 0, 300, 300))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	blank := filepath.Join(dir, "blank.png")
	if err := os.WriteFile(blank, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := Main(t.Context(), []string{"verify", "--image", blank}, &stdout, &stderr); code != 30 || !strings.Contains(stdout.String(), "MALFORMED") {
		t.Fatalf("blank image: exit %d, stdout %q", code, stdout.String())
	}
	truncated := filepath.Join(dir, "truncated.png")
	if err := os.WriteFile(truncated, buf.Bytes()[:len(buf.Bytes())/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if code := Main(t.Context(), []string{"verify", "--image", truncated}, &stdout, &stderr); code != 2 {
		t.Fatalf("truncated PNG: exit %d", code)
	}
}

// TestVerifyWithTrustList checks a printed report against a root-signed
// trust list as the officer edits it.
func TestVerifyWithTrustList(t *testing.T) {
	out, dir := issue(t)
	qr := field(t, out, "qr")
	no := field(t, out, "report_no")
	f := trustSetupFor(t, filepath.Join(dir, "device.key"))
	at := testNow.Add(time.Hour).Format(time.RFC3339)
	edited := func(t *testing.T, args ...string) string {
		t.Helper()
		draft := filepath.Join(t.TempDir(), "draft.tl")
		list := filepath.Join(t.TempDir(), "list.tl")
		run(t, 0, append([]string{"keys", "trust-list", args[0], "--in", f.list, "--out", draft}, args[1:]...)...)
		run(t, 0, "keys", "trust-list", "sign", "--root", f.rootKey, "--in", draft, "--out", list)
		return list
	}
	compromised := edited(t, "compromise", "--kid", f.devKID)
	revoked := edited(t, "revoke-report", "--report-no", no)
	retiredEarly := edited(t, "retire", "--kid", f.devKID, "--at", "2026-01-10")
	retiredLate := edited(t, "retire", "--kid", f.devKID, "--at", "2026-01-20")
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"valid", []string{"--trust", f.list, "--root-pub", f.rootPub, "--at", at, qr}, 0, []string{"VALID", "兰州市城关区发展和改革局", "核验数据 Trust list\tseq 1"}},
		{"valid pdf", []string{"--trust", f.list, "--root-pub", f.rootPub, "--at", at, "--pdf", filepath.Join(dir, "r.pdf")}, 0, []string{"VALID"}},
		{"compromised", []string{"--trust", compromised, "--root-pub", f.rootPub, "--at", at, qr}, 22, []string{"KEY_COMPROMISED", "签发密钥已吊销"}},
		{"revoked", []string{"--trust", revoked, "--root-pub", f.rootPub, "--at", at, qr}, 25, []string{"REPORT_REVOKED", "王堃"}},
		{"retired before issue", []string{"--trust", retiredEarly, "--root-pub", f.rootPub, "--at", at, qr}, 23, []string{"KEY_OUT_OF_WINDOW"}},
		{"retired after issue", []string{"--trust", retiredLate, "--root-pub", f.rootPub, "--at", at, qr}, 0, []string{"VALID"}},
		{"stale list", []string{"--trust", f.list, "--root-pub", f.rootPub, "--at", testNow.AddDate(0, 0, 40).Format(time.RFC3339), qr}, 0, []string{"TRUST_LIST_STALE"}},
		{"json", []string{"--json", "--trust", compromised, "--root-pub", f.rootPub, "--at", at, qr}, 22, []string{`"status": "KEY_COMPROMISED"`, `"trust_list_seq": 2`}},
		{"trust without root", []string{"--trust", f.list, qr}, 2, nil},
		{"trust and keys", []string{"--trust", f.list, "--root-pub", f.rootPub, "--keys", filepath.Join(dir, "keys.txt"), qr}, 2, nil},
		{"wrong root", []string{"--trust", f.list, "--root-pub", f.devPub, qr}, 2, nil},
		{"not a list", []string{"--trust", f.rootPub, "--root-pub", f.rootPub, qr}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _ := run(t, tt.code, append([]string{"verify"}, tt.args...)...)
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			if tt.code == 22 && strings.Contains(stdout, "王堃") {
				t.Error("a compromised key's claims were shown")
			}
		})
	}
}
