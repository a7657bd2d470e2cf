package syncserver

import (
	"bytes"
	"context"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/klauspost/compress/zstd"
)

// rawSnapshotPage fetches a snapshot page as it travels (body as sent,
// Content-Encoding) and decodes it.
func rawSnapshotPage(t *testing.T, c client, token, after string, limit int, accept string) ([]byte, *protocol.Page) {
	t.Helper()
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if token != "" {
		q.Set("token", token)
		q.Set("after", after)
	}
	resp, b := c.do("GET", protocol.PathSnapshot+"?"+q.Encode(), nil, map[string]string{"Accept-Encoding": accept})
	if resp.StatusCode != 200 {
		t.Fatalf("snapshot page after %q: %d %s", after, resp.StatusCode, b)
	}
	plain := b
	if enc := resp.Header.Get("Content-Encoding"); enc == "zstd" {
		dec, _ := zstd.NewReader(nil)
		defer dec.Close()
		var err error
		if plain, err = dec.DecodeAll(b, nil); err != nil {
			t.Fatal(err)
		}
	} else if enc != "" {
		t.Fatalf("Content-Encoding %q", enc)
	}
	p, err := protocol.DecodePage(bytes.NewReader(plain), 0)
	if err != nil {
		t.Fatalf("decode snapshot page: %v", err)
	}
	return plain, p
}

// A snapshot paged with read-ahead is byte for byte the snapshot paged
// without it (the clock is fixed), and every page after a full one came
// from the read-ahead; a request for anything else is served afresh.
func TestSnapshotReadAhead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "srv.db")
	ss, rs := subjectsAndRecords(10) // 20 rows: pages of 3 → 7 pages
	seeded := false
	pages := func(noAhead bool, steps func(c client, token, after string) (string, string, bool)) ([][]byte, *Server) {
		s, err := Open(t.Context(), path, Options{Devices: map[string]string{tokA: "kiosk-a"}, Now: func() time.Time { return t0 }, NoReadAhead: noAhead})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if !seeded {
			if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
				t.Fatal(err)
			}
			seeded = true
		}
		hs := httptest.NewServer(s.Handler())
		t.Cleanup(hs.Close)
		c := client{t, hs.URL, tokA}
		var out [][]byte
		token, after := "", ""
		for range 20 {
			plain, p := rawSnapshotPage(t, c, token, after, 3, "zstd")
			out = append(out, plain)
			if !p.More {
				break
			}
			token, after = p.Token, p.After
			if steps != nil {
				var more bool
				if token, after, more = steps(c, token, after); !more {
					break
				}
			}
		}
		return out, s
	}
	want, plain := pages(true, nil)
	if len(want) != 7 || plain.ahead.hits.Load() != 0 {
		t.Fatalf("without read-ahead: %d pages, %d hits", len(want), plain.ahead.hits.Load())
	}
	plain.Close()
	got, s := pages(false, nil)
	if len(got) != len(want) {
		t.Fatalf("%d pages with read-ahead, %d without", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("page %d differs with read-ahead:\n%s\nwant\n%s", i, got[i], want[i])
		}
	}
	if h, m := s.ahead.hits.Load(), s.ahead.misses.Load(); h != 6 || m != 0 {
		t.Errorf("read-ahead hits %d misses %d, want 6 and 0", h, m)
	}
	s.Close()

	// Other requests than the one read ahead: another limit, another
	// encoding, the same page twice. Each is served as without
	// read-ahead.
	var seen [][]byte
	_, s = pages(false, func(c client, token, after string) (string, string, bool) {
		b, _ := rawSnapshotPage(t, c, token, after, 2, "zstd") // another limit
		seen = append(seen, b)
		_, p := rawSnapshotPage(t, c, token, after, 3, "gzip;q=0, identity") // another encoding
		b, _ = rawSnapshotPage(t, c, token, after, 3, "zstd")                // asked again
		seen = append(seen, b)
		return p.Token, p.After, false
	})
	if s.ahead.misses.Load() < 1 {
		t.Errorf("misses %d, want ≥ 1", s.ahead.misses.Load())
	}
	noAhead, _ := pages(true, func(c client, token, after string) (string, string, bool) {
		b, _ := rawSnapshotPage(t, c, token, after, 2, "zstd")
		seen = append(seen, b)
		b, _ = rawSnapshotPage(t, c, token, after, 3, "zstd")
		seen = append(seen, b)
		return "", "", false
	})
	if len(noAhead) != 1 || len(seen) != 4 {
		t.Fatalf("%d pages, %d seen", len(noAhead), len(seen))
	}
	for i, pair := range [][2][]byte{{seen[0], seen[2]}, {seen[1], seen[3]}, {seen[1], want[1]}} {
		if !bytes.Equal(pair[0], pair[1]) {
			t.Errorf("pair %d: a page asked otherwise differs from the same request without read-ahead:\n%s\nwant\n%s", i, pair[0], pair[1])
		}
	}
}

// A record withdrawn after its page was read ahead may still arrive in
// that page, but the feed from the snapshot's cursor deletes it: the
// device ends with exactly the platform's rows.
func TestSnapshotReadAheadThenWithdrawal(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "srv.db"), 0)
	ss, rs := subjectsAndRecords(6)
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	c := client{t, hs.URL, tokA}
	have := map[string]bool{}
	token, after, next := "", "", ""
	for i := 0; ; i++ {
		_, p := rawSnapshotPage(t, c, token, after, 4, "zstd")
		for _, ch := range p.Changes {
			have[string(ch.Type)+"/"+ch.ID] = true
		}
		if i == 1 { // page 3 (records) is being read ahead now
			if err := s.WithdrawRecord(t.Context(), "RS004", "test"); err != nil {
				t.Fatal(err)
			}
		}
		if !p.More {
			next = p.Next
			break
		}
		token, after = p.Token, p.After
	}
	if s.ahead.hits.Load() == 0 {
		t.Fatal("no page was read ahead")
	}
	for cursor := next; ; {
		p, code, b := c.page(cursor, 0)
		if code != 200 {
			t.Fatalf("feed: %d %s", code, b)
		}
		for _, ch := range p.Changes {
			have[string(ch.Type)+"/"+ch.ID] = ch.Op == "put"
		}
		if !p.More {
			break
		}
		cursor = p.Next
	}
	for i := range 6 {
		id := "RS00" + strconv.Itoa(i)
		if have["record/"+id] != (id != "RS004") {
			t.Errorf("record %s held %v after snapshot and feed", id, have["record/"+id])
		}
	}
}

// The read-ahead's bounds: one page per device, a page of another key
// replaces it, the bytes held and the readers running are capped, a page
// nobody takes expires, and close cancels and waits for its readers.
func TestReadAheadBounds(t *testing.T) {
	a := &readAhead{maxRunning: 1, maxBytes: 10}
	now := t0
	block := make(chan struct{})
	cancelled := make(chan string, 4)
	reader := func(body string, wait bool) func(ctx context.Context) ([]byte, int, string, error) {
		return func(ctx context.Context) ([]byte, int, string, error) {
			if wait {
				select {
				case <-block:
				case <-ctx.Done():
					cancelled <- body
					return nil, 0, "", ctx.Err()
				}
			}
			return []byte(body), 1, "k", nil
		}
	}
	k1 := aheadKey{device: "d1", token: "t", after: "s/1", limit: 1}
	k2 := aheadKey{device: "d2", token: "t", after: "s/1", limit: 1}
	a.start(k1, now, reader("one", true))
	a.start(k2, now, reader("two", false)) // one reader running at most: not started
	if p := a.take(k2); p != nil {
		t.Error("a second reader ran beyond maxRunning")
	}
	// Another key for d1 drops its page and cancels the reader, which
	// counts as running until it ends.
	k3 := aheadKey{device: "d1", token: "t", after: "s/2", limit: 1}
	a.start(k3, now, reader("three", false))
	if got := <-cancelled; got != "one" {
		t.Errorf("cancelled %q", got)
	}
	a.wg.Wait()
	if a.take(k1) != nil {
		t.Error("a dropped page was served")
	}
	a.start(k3, now, reader("three", false))
	a.wg.Wait()
	p := a.take(aheadKey{device: "d1", token: "t", after: "s/2", limit: 1})
	if p == nil || p.wait(t.Context()) != nil || string(p.body) != "three" || a.bytes != 0 {
		t.Fatalf("take: %+v, bytes %d", p, a.bytes)
	}
	// Bytes held: a finished page of 12 bytes stops further starts.
	a.start(k1, now, reader("twelve bytes", false))
	a.wg.Wait()
	a.start(k2, now, reader("x", false))
	if a.take(k2) != nil || a.bytes != 12 {
		t.Errorf("started beyond maxBytes (held %d)", a.bytes)
	}
	// Expiry: d1's page is dropped when a start comes after aheadTTL.
	a.start(k2, now.Add(aheadTTL+time.Second), reader("x", false))
	a.wg.Wait()
	if a.take(k1) != nil {
		t.Error("an expired page was served")
	}
	if p := a.take(k2); p == nil || a.bytes != 0 {
		t.Errorf("after expiry: page %v, bytes %d", p, a.bytes)
	}
	// close cancels a reader still running and waits for it.
	a.start(k1, now, reader("four", true))
	a.close()
	if got := <-cancelled; got != "four" {
		t.Errorf("close cancelled %q", got)
	}
	a.start(k2, now, reader("x", false))
	if len(a.pages) != 0 {
		t.Error("a page was started after close")
	}
}
