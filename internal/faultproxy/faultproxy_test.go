package faultproxy

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// upstream is a server that answers every request with a fixed NDJSON
// body and keeps the request bodies it saw.
type upstream struct {
	mu     sync.Mutex
	bodies [][]byte
	hits   atomic.Int32
	page   []byte
}

func (u *upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	u.mu.Lock()
	u.bodies = append(u.bodies, b)
	u.mu.Unlock()
	u.hits.Add(1)
	w.Header().Set("X-Accept-Encoding", r.Header.Get("Accept-Encoding"))
	w.Write(u.page)
}

func ndjson(lines int) []byte {
	var b bytes.Buffer
	for i := range lines {
		fmt.Fprintf(&b, `{"op":"put","id":"R-%04d","pad":"%s"}`+"\n", i, strings.Repeat("x", i%17))
	}
	return b.Bytes()
}

func setup(t *testing.T, seed uint64) (*upstream, *Proxy, string) {
	t.Helper()
	u := &upstream{page: ndjson(40)}
	us := httptest.NewServer(u)
	t.Cleanup(us.Close)
	p := New(us.URL, seed)
	t.Cleanup(p.Close)
	ps := httptest.NewServer(p)
	t.Cleanup(ps.Close)
	return u, p, ps.URL
}

func get(t *testing.T, url string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestPassThrough(t *testing.T) {
	u, p, url := setup(t, 1)
	resp, b, err := get(t, url+"/x")
	if err != nil || resp.StatusCode != 200 || !bytes.Equal(b, u.page) {
		t.Fatalf("pass-through: %v %v %d bytes", err, resp, len(b))
	}
	if p.Fired() != 0 || len(p.Events()) != 1 {
		t.Fatalf("events: %+v", p.Events())
	}
}

func TestCutMidLineAndAtBoundary(t *testing.T) {
	for _, mode := range []CutMode{CutMidLine, CutLineBoundary} {
		for seed := range uint64(8) {
			u, p, url := setup(t, seed)
			p.Script(Rule{Path: "/changes", Times: 1, Fault: Fault{Action: Cut, Cut: mode}})
			_, b, err := get(t, url+"/changes")
			if err == nil {
				t.Fatalf("mode %d seed %d: body read without error (%d of %d bytes)", mode, seed, len(b), len(u.page))
			}
			if len(b) == 0 || len(b) >= len(u.page) || !bytes.Equal(b, u.page[:len(b)]) {
				t.Fatalf("mode %d: got %d bytes, not a proper prefix", mode, len(b))
			}
			atBoundary := b[len(b)-1] == '\n'
			if atBoundary != (mode == CutLineBoundary) {
				t.Fatalf("mode %d seed %d: cut after %q", mode, seed, b[max(0, len(b)-10):])
			}
			// The rule is spent: the next request passes.
			if _, b, err := get(t, url+"/changes"); err != nil || !bytes.Equal(b, u.page) {
				t.Fatalf("after the cut: %v", err)
			}
		}
	}
}

func TestSeededCutsRepeat(t *testing.T) {
	cuts := func() []string {
		_, p, url := setup(t, 42)
		p.Script(Rule{Times: 5, Fault: Fault{Action: Cut, Cut: CutRandom}})
		for range 5 {
			get(t, url)
		}
		var notes []string
		for _, e := range p.Events() {
			notes = append(notes, e.Note)
		}
		return notes
	}
	a, b := cuts(), cuts()
	if strings.Join(a, "|") != strings.Join(b, "|") || len(a) != 5 {
		t.Fatalf("same seed, other cuts:\n%v\n%v", a, b)
	}
}

func TestLoseAfterCommit(t *testing.T) {
	u, p, url := setup(t, 3)
	p.Script(Rule{Method: "PUT", Times: 1, Fault: Fault{Action: Lose}}, Rule{Method: "PUT", Times: 1, Fault: Fault{Action: Lose, Status: -1}})
	put := func() (*http.Response, error) {
		req, _ := http.NewRequestWithContext(t.Context(), "PUT", url+"/a", strings.NewReader("hello"))
		return http.DefaultClient.Do(req)
	}
	resp, err := put()
	if err != nil || resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("first PUT: %v %v", err, resp)
	}
	resp.Body.Close()
	if _, err := put(); err == nil {
		t.Fatal("second PUT: the closed connection was not seen")
	}
	if u.hits.Load() != 2 {
		t.Fatalf("the server saw %d requests, want 2 (both committed)", u.hits.Load())
	}
}

func TestDuplicate(t *testing.T) {
	for _, conc := range []bool{false, true} {
		u, p, url := setup(t, 4)
		p.Script(Rule{Method: "PUT", Fault: Fault{Action: Duplicate, Copies: 3, Concurrent: conc}})
		req, _ := http.NewRequestWithContext(t.Context(), "PUT", url+"/a", strings.NewReader("same body"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatal(err)
		}
		resp.Body.Close()
		if u.hits.Load() != 3 {
			t.Fatalf("concurrent=%v: %d copies reached the server", conc, u.hits.Load())
		}
		for _, b := range u.bodies {
			if string(b) != "same body" {
				t.Fatalf("copy body %q", b)
			}
		}
	}
}

func TestCorruptAndTruncateRequest(t *testing.T) {
	u, p, url := setup(t, 5)
	p.Script(Rule{Times: 1, Fault: Fault{Action: CorruptRequest}}, Rule{Times: 1, Fault: Fault{Action: TruncateRequest}})
	orig := "0123456789abcdefghij"
	for range 2 {
		req, _ := http.NewRequestWithContext(t.Context(), "PUT", url+"/a", strings.NewReader(orig))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if got := string(u.bodies[0]); len(got) != len(orig) || got == orig {
		t.Fatalf("corrupted body %q", got)
	}
	if got := string(u.bodies[1]); len(got) >= len(orig) || !strings.HasPrefix(orig, got) {
		t.Fatalf("truncated body %q", got)
	}
}

func TestStatusStormAndRetryAfter(t *testing.T) {
	u, p, url := setup(t, 6)
	p.Script(Rule{Times: 3, Fault: Fault{Action: Status, Status: 429, Header: http.Header{"Retry-After": {"86400"}}}})
	for i := range 4 {
		resp, _, err := get(t, url)
		if err != nil {
			t.Fatal(err)
		}
		want := 429
		if i == 3 {
			want = 200
		}
		if resp.StatusCode != want || (want == 429 && resp.Header.Get("Retry-After") != "86400") {
			t.Fatalf("request %d: %d %v", i, resp.StatusCode, resp.Header)
		}
	}
	if u.hits.Load() != 1 || p.Fired() != 3 {
		t.Fatalf("server hits %d, fired %d", u.hits.Load(), p.Fired())
	}
}

func TestRefuse(t *testing.T) {
	u, p, url := setup(t, 7)
	p.Script(Rule{Times: 1, Fault: Fault{Action: Refuse}})
	if _, _, err := get(t, url); err == nil {
		t.Fatal("refused connection gave an answer")
	}
	if u.hits.Load() != 0 {
		t.Fatal("a refused request reached the server")
	}
}

func TestCorruptResponseAndIdentity(t *testing.T) {
	u, p, url := setup(t, 8)
	p.Script(Rule{Times: 1, Fault: Fault{Action: CorruptResponse, Identity: true}})
	resp, b, err := get(t, url)
	if err != nil || len(b) != len(u.page) || bytes.Equal(b, u.page) {
		t.Fatalf("corrupt response: %v, equal=%v", err, bytes.Equal(b, u.page))
	}
	if resp.Header.Get("X-Accept-Encoding") != "identity" {
		t.Fatalf("upstream saw Accept-Encoding %q", resp.Header.Get("X-Accept-Encoding"))
	}
}

func TestSlowLink(t *testing.T) {
	u, p, url := setup(t, 9)
	u.page = bytes.Repeat([]byte("0123456789abcdef\n"), 240) // 4080 bytes
	p.Script(Rule{Fault: Fault{Action: Slow, BytesPerSec: 16 << 10, Chunk: 128}})
	start := time.Now()
	_, b, err := get(t, url)
	el := time.Since(start)
	if err != nil || !bytes.Equal(b, u.page) {
		t.Fatalf("slow body: %v", err)
	}
	if el < 200*time.Millisecond || el > 5*time.Second {
		t.Fatalf("4 KB at 16 KB/s took %v", el)
	}
}

func TestSkipAndRewrite(t *testing.T) {
	_, p, url := setup(t, 10)
	p.Script(Rule{Skip: 1, Times: 1, Fault: Fault{Action: Rewrite, Rewrite: func([]byte) []byte { return []byte("new") }}})
	var got []string
	for range 3 {
		_, b, err := get(t, url)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(b[:min(3, len(b))]))
	}
	if got[0] == "new" || got[1] != "new" || got[2] == "new" {
		t.Fatalf("rewrites: %q", got)
	}
}
