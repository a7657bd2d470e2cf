package syncserver

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

const officerTok = "officer-tok"

func blobServer(t *testing.T, maxBlob int64) (*Server, client, client, client) {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "srv.db"), Options{
		Devices: map[string]string{tokA: "kiosk-a", tokB: "kiosk-b"}, Officers: map[string]string{officerTok: "officer-1"},
		Now: func() time.Time { return t0 }, MaxBlobBytes: maxBlob,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return s, client{t, hs.URL, tokA}, client{t, hs.URL, tokB}, client{t, hs.URL, officerTok}
}

func shaOf(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func chunk(c client, sha string, data []byte, first, last, total int) (*http.Response, []byte) {
	return c.do("PUT", protocol.PathBlobs+sha, data[first:last+1], map[string]string{"Content-Range": fmt.Sprintf("bytes %d-%d/%d", first, last, total)})
}

func manifest(c client, app string, files ...protocol.EvidenceV1) (*http.Response, []byte) {
	b, _ := json.Marshal(protocol.EvidenceManifestV1{ApplicationID: app, Evidence: files})
	return c.do("PUT", protocol.PathApplications+app+"/evidence", b, nil)
}

// TestBlobUploadSteps drives one upload through every answer the
// protocol has, in order; each step depends on the state the previous
// ones left.
func TestBlobUploadSteps(t *testing.T) {
	s, a, _, _ := blobServer(t, 4096)
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 2991)...) // 3000 bytes
	sha := shaOf(pdf)
	wav := append([]byte("RIFF\x00\x00\x00\x00WAVE"), make([]byte, 100)...)
	steps := []struct {
		name       string
		do         func() (*http.Response, []byte)
		status     int
		code       string
		wantOffset string
	}{
		{"bad range", func() (*http.Response, []byte) {
			return a.do("PUT", protocol.PathBlobs+sha, pdf[:10], map[string]string{"Content-Range": "bytes 0-9/*"})
		}, 400, protocol.CodeBadRequest, ""},
		{"bad hash in path", func() (*http.Response, []byte) { return chunk(a, "ABC", pdf, 0, 9, 3000) }, 400, protocol.CodeBadRequest, ""},
		{"body shorter than its range", func() (*http.Response, []byte) {
			return a.do("PUT", protocol.PathBlobs+sha, pdf[:5], map[string]string{"Content-Range": "bytes 0-9/3000"})
		}, 400, protocol.CodeBadRequest, ""},
		{"over the cap", func() (*http.Response, []byte) { return chunk(a, sha, pdf, 0, 9, 5000) }, 413, protocol.CodeTooLarge, ""},
		{"not a document (Art. 18)", func() (*http.Response, []byte) { return chunk(a, shaOf(wav), wav, 0, 50, len(wav)) }, 415, protocol.CodeUnsupportedType, ""},
		{"chunk past the offset", func() (*http.Response, []byte) { return chunk(a, sha, pdf, 1000, 1999, 3000) }, 409, protocol.CodeOffsetMismatch, "0"},
		{"first chunk", func() (*http.Response, []byte) { return chunk(a, sha, pdf, 0, 999, 3000) }, 204, "", "1000"},
		{"the same chunk again", func() (*http.Response, []byte) { return chunk(a, sha, pdf, 0, 999, 3000) }, 204, "", "1000"},
		{"another total for the same file", func() (*http.Response, []byte) { return chunk(a, sha, pdf, 1000, 1999, 3001) }, 400, protocol.CodeBadRequest, ""},
		{"offset", func() (*http.Response, []byte) { return a.do("HEAD", protocol.PathBlobs+sha, nil, nil) }, 204, "", "1000"},
		{"missing with its offset", func() (*http.Response, []byte) {
			return a.do("POST", protocol.PathBlobsMissing, []byte(`{"sha256":["`+sha+`"]}`), nil)
		}, 200, "", ""},
		{"overlapping last chunk", func() (*http.Response, []byte) { return chunk(a, sha, pdf, 900, 2999, 3000) }, 201, "", "3000"},
		{"complete already", func() (*http.Response, []byte) { return chunk(a, sha, pdf, 0, 999, 3000) }, 200, "", "3000"},
		{"content not matching its hash", func() (*http.Response, []byte) {
			other := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("y"), 91)...)
			return chunk(a, strings.Repeat("0", 64), other, 0, 99, 100)
		}, 400, protocol.CodeBadRequest, ""},
	}
	for _, st := range steps {
		resp, body := st.do()
		if resp.StatusCode != st.status {
			t.Fatalf("%s: %d %s, want %d", st.name, resp.StatusCode, body, st.status)
		}
		if st.code != "" {
			if p := problemOf(t, body); p.Code != st.code || p.DetailEN == "" || p.Detail == "" {
				t.Errorf("%s: problem %+v, want %s with zh and en messages", st.name, p, st.code)
			}
		}
		if got := resp.Header.Get(protocol.HeaderUploadOffset); st.wantOffset != "" && got != st.wantOffset {
			t.Errorf("%s: Upload-Offset %q, want %s", st.name, got, st.wantOffset)
		}
		if st.name == "missing with its offset" && !strings.Contains(string(body), `"offset":1000`) {
			t.Errorf("missing answered %s", body)
		}
	}
	var blobs, parts int
	if err := s.db.QueryRow(`SELECT (SELECT count(*) FROM blobs), (SELECT count(*) FROM blob_parts)`).Scan(&blobs, &parts); err != nil || blobs != 1 || parts != 0 {
		t.Fatalf("%d blobs, %d parts left (%v)", blobs, parts, err)
	}
	var content []byte
	if err := s.db.QueryRow(`SELECT content FROM blobs WHERE sha256 = ?`, sha).Scan(&content); err != nil || !bytes.Equal(content, pdf) {
		t.Fatalf("stored content differs (%v)", err)
	}
	resp, body := a.do("POST", protocol.PathBlobsMissing, []byte(`{"sha256":["`+sha+`","`+strings.Repeat("1", 64)+`"]}`), nil)
	var m protocol.BlobsMissingV1
	if err := json.Unmarshal(body, &m); err != nil || resp.StatusCode != 200 || len(m.Missing) != 1 || m.Missing[0].Offset != 0 {
		t.Fatalf("missing = %d %s", resp.StatusCode, body)
	}
}

func TestEvidenceManifest(t *testing.T) {
	s, a, b, officer := blobServer(t, 0)
	ctx := t.Context()
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("z"), 500)...)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("p"), 300)...)
	for _, f := range [][]byte{pdf, png} {
		if resp, body := chunk(a, shaOf(f), f, 0, len(f)-1, len(f)); resp.StatusCode != 201 {
			t.Fatalf("upload %d %s", resp.StatusCode, body)
		}
	}
	app := credit.NewUUID()
	ev := func(data []byte, name string) protocol.EvidenceV1 {
		return protocol.EvidenceV1{SHA256: shaOf(data), Name: name}
	}
	absent := protocol.EvidenceV1{SHA256: strings.Repeat("a", 64), Name: "absent.pdf"}
	tests := []struct {
		name   string
		c      client
		files  []protocol.EvidenceV1
		status int
		code   string
		listed int
	}{
		{"a missing blob refuses the whole manifest", a, []protocol.EvidenceV1{ev(pdf, "a.pdf"), absent}, 409, protocol.CodeMissingBlobs, 0},
		{"empty", a, nil, 400, protocol.CodeBadRequest, 0},
		{"bad hash", a, []protocol.EvidenceV1{{SHA256: "xyz", Name: "a.pdf"}}, 400, protocol.CodeBadRequest, 0},
		{"no name", a, []protocol.EvidenceV1{{SHA256: shaOf(pdf), Name: " "}}, 400, protocol.CodeBadRequest, 0},
		{"accepted", a, []protocol.EvidenceV1{ev(pdf, "决定书.pdf")}, 200, "", 1},
		{"a repeat changes nothing", a, []protocol.EvidenceV1{ev(pdf, "决定书.pdf")}, 200, "", 1},
		{"a later file joins", a, []protocol.EvidenceV1{ev(pdf, "决定书.pdf"), ev(png, "收据.png")}, 200, "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := manifest(tt.c, app, tt.files...)
			if resp.StatusCode != tt.status {
				t.Fatalf("%d %s, want %d", resp.StatusCode, body, tt.status)
			}
			if tt.code != "" && problemOf(t, body).Code != tt.code {
				t.Errorf("problem %s, want %s", body, tt.code)
			}
			if list, err := s.Evidence(ctx, app); err != nil || len(list) != tt.listed {
				t.Errorf("listed %+v, %v; want %d", list, err, tt.listed)
			}
		})
	}
	// Once kiosk-a's application arrives, kiosk-b cannot add to it.
	if resp, body := put(a, app, objectionWithID(app), nil); resp.StatusCode != 201 {
		t.Fatalf("application %d %s", resp.StatusCode, body)
	}
	if resp, body := manifest(b, app, ev(png, "x.png")); resp.StatusCode != 409 || problemOf(t, body).Code != protocol.CodeConflict {
		t.Errorf("another device's manifest: %d %s", resp.StatusCode, body)
	}
	// The officer's view.
	if resp, _ := a.do("GET", "/platform/v1/applications/"+app+"/evidence", nil, nil); resp.StatusCode != 401 {
		t.Errorf("a device token read evidence: %d", resp.StatusCode)
	}
	resp, body := officer.do("GET", "/platform/v1/applications/"+app+"/evidence", nil, nil)
	var list protocol.EvidenceManifestV1
	if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != 200 || len(list.Evidence) != 2 || list.Evidence[1].Type != "image/png" {
		t.Fatalf("officer list %d %s", resp.StatusCode, body)
	}
	resp, body = officer.do("GET", "/platform/v1/applications/"+app+"/evidence/"+shaOf(png), nil, nil)
	if resp.StatusCode != 200 || !bytes.Equal(body, png) || resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("officer fetch %d %q", resp.StatusCode, resp.Header)
	}
	if resp, _ := officer.do("GET", "/platform/v1/applications/"+credit.NewUUID()+"/evidence/"+shaOf(png), nil, nil); resp.StatusCode != 404 {
		t.Errorf("a file of another application: %d", resp.StatusCode)
	}
}

func TestEvidenceManifestCap(t *testing.T) {
	_, a, _, _ := blobServer(t, 0)
	app := credit.NewUUID()
	var files []protocol.EvidenceV1
	for i := range credit.MaxEvidencePerApp + 1 {
		f := append([]byte("%PDF-1.7\n"), []byte(fmt.Sprint(i))...)
		if resp, body := chunk(a, shaOf(f), f, 0, len(f)-1, len(f)); resp.StatusCode != 201 {
			t.Fatalf("upload %d %s", resp.StatusCode, body)
		}
		files = append(files, protocol.EvidenceV1{SHA256: shaOf(f), Name: fmt.Sprintf("%d.pdf", i)})
	}
	if resp, body := manifest(a, app, files...); resp.StatusCode != 400 {
		t.Errorf("%d files in one manifest: %d %s", len(files), resp.StatusCode, body)
	}
	if resp, body := manifest(a, app, files[:credit.MaxEvidencePerApp]...); resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	resp, body := manifest(a, app, files[credit.MaxEvidencePerApp])
	if resp.StatusCode != 422 || !strings.Contains(string(body), "At most") {
		t.Errorf("one file over the cap across manifests: %d %s", resp.StatusCode, body)
	}
}

func objectionWithID(id string) []byte { return objection(id, "记录有误。") }

func TestCompactBlobs(t *testing.T) {
	now := t0
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "srv.db"), Options{
		Devices: map[string]string{tokA: "kiosk-a"}, Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	a := client{t, hs.URL, tokA}
	named := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("n"), 100)...)
	orphan := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("o"), 100)...)
	partial := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("p"), 100)...)
	for _, f := range [][]byte{named, orphan} {
		if resp, body := chunk(a, shaOf(f), f, 0, len(f)-1, len(f)); resp.StatusCode != 201 {
			t.Fatalf("upload %d %s", resp.StatusCode, body)
		}
	}
	if resp, body := chunk(a, shaOf(partial), partial, 0, 49, len(partial)); resp.StatusCode != 204 {
		t.Fatalf("partial %d %s", resp.StatusCode, body)
	}
	app := credit.NewUUID()
	if resp, body := manifest(a, app, protocol.EvidenceV1{SHA256: shaOf(named), Name: "n.pdf"}); resp.StatusCode != 200 {
		t.Fatalf("manifest %d %s", resp.StatusCode, body)
	}
	tests := []struct {
		name           string
		advance        time.Duration
		uploads, files int
	}{
		{"too recent: kept", 30 * time.Minute, 0, 0},
		{"older: the unfinished upload and the unnamed file go", 2 * time.Hour, 1, 1},
		{"again: nothing left to drop", 0, 0, 0},
	}
	for _, tt := range tests {
		now = now.Add(tt.advance)
		u, f, err := s.CompactBlobs(t.Context(), time.Hour)
		if err != nil || u != tt.uploads || f != tt.files {
			t.Fatalf("%s: dropped %d uploads, %d files (%v); want %d, %d", tt.name, u, f, err, tt.uploads, tt.files)
		}
	}
	if b, _, err := s.EvidenceFile(t.Context(), app, shaOf(named)); err != nil || !bytes.Equal(b, named) {
		t.Fatalf("a named file was dropped (%v)", err)
	}
	resp, body := a.do("POST", protocol.PathBlobsMissing, []byte(`{"sha256":["`+shaOf(partial)+`","`+shaOf(orphan)+`"]}`), nil)
	if resp.StatusCode != 200 || strings.Count(string(body), `"offset":0`) != 2 {
		t.Errorf("after compaction missing = %s", body)
	}
}
