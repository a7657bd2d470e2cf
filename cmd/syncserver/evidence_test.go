package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// TestEvidenceCommand: a device uploads a file and names it for an
// application over HTTP; `syncserver evidence` lists it and writes the
// identical bytes under a safe name.
func TestEvidenceCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "platform.db")
	s, err := syncserver.Open(t.Context(), db, syncserver.Options{Devices: map[string]string{"tok": "kiosk-1"}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	send := func(method, path string, body []byte, hdr map[string]string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), method, hs.URL+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer tok")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode/100 != 2 {
			t.Fatalf("%s %s: %v %v", method, path, resp.Status, err)
		}
		resp.Body.Close()
	}
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("e"), 700)...)
	sum := sha256.Sum256(pdf)
	sha := hex.EncodeToString(sum[:])
	app := credit.NewUUID()
	send("PUT", protocol.PathBlobs+sha, pdf, map[string]string{"Content-Range": fmt.Sprintf("bytes 0-%d/%d", len(pdf)-1, len(pdf))})
	m, _ := json.Marshal(protocol.EvidenceManifestV1{Evidence: []protocol.EvidenceV1{{SHA256: sha, Name: "../../etc/决定书.exe"}}})
	send("PUT", protocol.PathApplications+app+"/evidence", m, nil)
	hs.Close()
	s.Close()

	out := filepath.Join(dir, "out")
	tests := []struct {
		name  string
		args  []string
		code  int
		want  string
		files int
	}{
		{"no --app", []string{"evidence", "--db", db}, 2, "--app (or --compact) is required", 0},
		{"none", []string{"evidence", "--db", db, "--app", credit.NewUUID()}, 0, "no evidence files", 0},
		{"list", []string{"evidence", "--db", db, "--app", app}, 0, sha[:12] + "  application/pdf", 0},
		{"write", []string{"evidence", "--db", db, "--app", app, "--out", out}, 0, "→ " + filepath.Join(out, sha[:12]+"-决定书.exe.pdf"), 1},
		{"compact keeps a named file", []string{"evidence", "--db", db, "--compact", "--older-than", "0s"}, 0, "dropped 0 unfinished uploads and 0 files", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.args...)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.want) {
				t.Fatalf("code %d, out %q, err %q; want %d and %q", code, stdout, stderr, tt.code, tt.want)
			}
			entries, _ := os.ReadDir(out)
			if len(entries) != tt.files {
				t.Fatalf("%d files in --out", len(entries))
			}
			if tt.files == 1 {
				got, err := os.ReadFile(filepath.Join(out, entries[0].Name()))
				if err != nil || !bytes.Equal(got, pdf) {
					t.Fatalf("written file differs (%v)", err)
				}
			}
		})
	}
}
