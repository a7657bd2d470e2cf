package syncserver

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
)

// FuzzBlobRequests sends arbitrary manifests, missing-lists and chunk
// ranges: the platform answers each with a 2xx or a 4xx problem, never a
// 5xx, and never keeps a blob that is not a document.
func FuzzBlobRequests(f *testing.F) {
	sha := strings.Repeat("ab", 32)
	f.Add(`{"evidence":[{"sha256":"`+sha+`","name":"a.pdf"}]}`, "bytes 0-9/10", []byte("%PDF-1.7\n1"))
	f.Add(`{"sha256":["`+sha+`"]}`, "bytes 0-3/4", []byte("\x89PNG"))
	f.Add(`{"evidence":[{"sha256":"","name":""}]}`, "bytes 5-1/3", []byte{})
	f.Add(`[1,2`, "bytes */*", []byte("RIFF....WAVE"))
	s, err := Open(f.Context(), filepath.Join(f.TempDir(), "srv.db"), Options{
		Devices: map[string]string{tokA: "kiosk-a"}, Now: func() time.Time { return t0 }, MaxBlobBytes: 1 << 16,
	})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	do := func(t *testing.T, method, path string, body []byte, hdr map[string]string) int {
		r := httptest.NewRequestWithContext(t.Context(), method, path, bytes.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+tokA)
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 || (w.Code >= 400 && w.Header().Get("Content-Type") != protocol.ContentTypeProblem) {
			t.Fatalf("%s %s → %d %s", method, path, w.Code, w.Body.String())
		}
		return w.Code
	}
	f.Fuzz(func(t *testing.T, manifest, contentRange string, chunk []byte) {
		do(t, http.MethodPut, protocol.PathApplications+"app-1/evidence", []byte(manifest), nil)
		do(t, http.MethodPost, protocol.PathBlobsMissing, []byte(manifest), nil)
		do(t, http.MethodPut, protocol.PathBlobs+shaOf(chunk), chunk, map[string]string{"Content-Range": contentRange})
		rows, err := s.db.QueryContext(t.Context(), `SELECT type FROM blobs`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var typ string
			if err := rows.Scan(&typ); err != nil || protocol.EvidenceExtension(typ) == ".bin" {
				t.Fatalf("kept a blob of type %q (%v)", typ, err)
			}
		}
	})
}
