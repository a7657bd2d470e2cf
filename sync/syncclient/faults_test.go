package syncclient

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

func TestPullRefusesBadPages(t *testing.T) {
	tests := []struct {
		name   string
		mangle func(body []byte) []byte
		header func(h http.Header, body []byte)
		cursor string
		code   string
	}{
		{name: "truncated at a line", code: credit.EINVALID, mangle: func(b []byte) []byte {
			lines := bytes.SplitAfter(b, []byte("\n"))
			return bytes.Join(lines[:len(lines)-2], nil)
		}},
		{name: "bad trailer hash", code: credit.EINVALID, mangle: func(b []byte) []byte {
			return bytes.Replace(b, []byte("CANARY-0"), []byte("CANARY-9"), 1)
		}},
		{name: "connection cut mid-body", code: credit.EUNAVAILABLE, mangle: func(b []byte) []byte { return b[:len(b)/2] },
			header: func(h http.Header, b []byte) { h.Set("Content-Length", strconv.Itoa(len(b))) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 0)
			seed(t, f.srv, 2)
			// A first good round gives a real cursor.
			if _, err := f.client(nil).SyncOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			if err := f.srv.WithdrawRecord(t.Context(), "R1", "withdrawn"); err != nil {
				t.Fatal(err)
			}
			seed(t, f.srv, 1) // a new version of subject 0 and R0
			before, pages, records := f.store.snapshot()
			if tt.cursor != "" {
				f.store.mu.Lock()
				p, sig, _ := strings.Cut(before, ".")
				f.store.cursor = p + "A." + sig
				before = f.store.cursor
				f.store.mu.Unlock()
			}
			if tt.mangle != nil {
				f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
					rec := httptest.NewRecorder()
					r.Header.Del("Accept-Encoding") // mangle the plain NDJSON
					next.ServeHTTP(rec, r)
					body := rec.Body.Bytes()
					if tt.header != nil {
						tt.header(w.Header(), body)
					}
					w.WriteHeader(rec.Code)
					w.Write(tt.mangle(body))
				})
			}
			_, err := f.client(func(c *Config) { c.RetryMax = -1 }).SyncOnce(t.Context())
			if credit.ErrorCode(err) != tt.code {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
			after, pagesAfter, recordsAfter := f.store.snapshot()
			if after != before || pagesAfter != pages || recordsAfter != records {
				t.Errorf("something was applied: cursor moved %v, pages %d→%d, records %d→%d", after != before, pages, pagesAfter, records, recordsAfter)
			}
		})
	}
}

func TestUnauthorizedNoRetry(t *testing.T) {
	f := newFixture(t, 0)
	id := credit.NewUUID()
	f.store.enqueue(credit.KindObjection, id, objection(id, "x"))
	_, err := f.client(func(c *Config) { c.Token = "wrong" }).SyncOnce(t.Context())
	if credit.ErrorCode(err) != credit.EUNAUTHORIZED || !strings.Contains(credit.ErrorMessage(err), "本终端未获授权") {
		t.Fatalf("err = %v", err)
	}
	if got := f.requests(); len(got) != 1 {
		t.Errorf("requests %v, want a single PUT", got)
	}
	f.store.mu.Lock()
	defer f.store.mu.Unlock()
	if len(f.store.attempts)+len(f.store.rejected)+len(f.store.delivered) != 0 {
		t.Error("the outbox item changed state on 401")
	}
}

func TestUnreachable(t *testing.T) {
	f := newFixture(t, 0)
	f.hs.Close()
	id := credit.NewUUID()
	f.store.enqueue(credit.KindObjection, id, objection(id, "x"))
	_, err := f.client(nil).SyncOnce(t.Context())
	if credit.ErrorCode(err) != credit.EUNAVAILABLE {
		t.Fatalf("err = %v", err)
	}
	f.store.mu.Lock()
	defer f.store.mu.Unlock()
	if len(f.store.attempts[id]) != 1 {
		t.Errorf("attempts %v", f.store.attempts)
	}
}

func TestStalledPageTimesOut(t *testing.T) {
	f := newFixture(t, 0)
	seed(t, f.srv, 1)
	release := make(chan struct{})
	defer close(release)
	f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes()[:10]) // a few bytes, then the link stalls
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	_, err := f.client(func(c *Config) { c.RequestTimeout = 200 * time.Millisecond; c.RetryMax = -1 }).SyncOnce(t.Context())
	if credit.ErrorCode(err) != credit.EUNAVAILABLE {
		t.Fatalf("err = %v", err)
	}
	if cur, pages, _ := f.store.snapshot(); cur != "" || pages != 0 {
		t.Error("a stalled page was applied")
	}
}
