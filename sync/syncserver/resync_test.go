package syncserver

import (
	"bytes"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

func resyncReason(t *testing.T, c client, path string) string {
	t.Helper()
	resp, b := c.do("GET", path, nil, nil)
	if resp.StatusCode != 410 {
		return ""
	}
	p := problemOf(t, b)
	if p.Code != protocol.CodeResyncRequired {
		t.Fatalf("410 with code %q", p.Code)
	}
	return p.Reason
}

func TestCursorExpiryAndReasons(t *testing.T) {
	var clock atomic.Int64
	clock.Store(t0.UnixNano())
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "srv.db"), Options{
		Devices: map[string]string{tokA: "kiosk-a"}, Now: func() time.Time { return time.Unix(0, clock.Load()) },
		TombstoneHorizon: 30 * 24 * time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ss, rs := subjectsAndRecords(3)
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	c := client{t, hs.URL, tokA}
	p, _, _ := c.page("", 0)
	old := p.Next
	if err := s.WithdrawRecord(t.Context(), "RS001", "withdrawn"); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Compact(t.Context()); err != nil || n != 0 {
		t.Fatalf("compacted a fresh tombstone: %d %v", n, err)
	}
	if r := resyncReason(t, c, protocol.PathChanges+"?cursor="+url.QueryEscape(old)); r != "" {
		t.Fatalf("cursor refused before the horizon: %s", r)
	}
	clock.Add(int64(31 * 24 * time.Hour))
	if n, err := s.Compact(t.Context()); err != nil || n != 1 {
		t.Fatalf("compact: %d %v", n, err)
	}
	if r := resyncReason(t, c, protocol.PathChanges+"?cursor="+url.QueryEscape(old)); r != protocol.ReasonCursorExpired {
		t.Errorf("old cursor: reason %q", r)
	}
	// A cursor at or past the dropped tombstone still works.
	p, code, _ := c.page("", 0)
	if code != 200 || len(p.Changes) != 5 {
		t.Fatalf("fresh pull: %d, %+v", code, p)
	}
	if r := resyncReason(t, c, protocol.PathChanges+"?cursor="+url.QueryEscape(p.Next)); r != "" {
		t.Errorf("current cursor refused: %s", r)
	}
	epoch, _ := s.Epoch(t.Context())
	ahead := encodeCursor(s.key, "kiosk-a", cursor{V: cursorVersion, Epoch: epoch, Seq: 1 << 40})
	if r := resyncReason(t, c, protocol.PathChanges+"?cursor="+url.QueryEscape(ahead)); r != protocol.ReasonCursorAhead {
		t.Errorf("cursor past the head (restored server): reason %q", r)
	}
	if _, err := s.RotateEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}
	if r := resyncReason(t, c, protocol.PathChanges+"?cursor="+url.QueryEscape(p.Next)); r != protocol.ReasonEpochChanged {
		t.Errorf("after rotation: reason %q", r)
	}
}

func snapshotPage(t *testing.T, c client, token, after string, limit int) (*protocol.Page, int, []byte) {
	t.Helper()
	q := url.Values{"limit": {string(rune('0' + limit))}}
	if token != "" {
		q.Set("token", token)
	}
	if after != "" {
		q.Set("after", after)
	}
	resp, b := c.do("GET", protocol.PathSnapshot+"?"+q.Encode(), nil, nil)
	if resp.StatusCode != 200 {
		return nil, resp.StatusCode, b
	}
	p, err := protocol.DecodePage(bytes.NewReader(b), 0)
	if err != nil {
		t.Fatalf("decode snapshot page: %v", err)
	}
	return p, 200, b
}

func TestSnapshotPaging(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "srv.db"), 0)
	ss, rs := subjectsAndRecords(3)
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	if err := s.WithdrawRecord(t.Context(), "RS001", "withdrawn"); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	a, b := client{t, hs.URL, tokA}, client{t, hs.URL, tokB}
	id := credit.NewUUID()
	if resp, body := put(a, id, objection(id, "x"), nil); resp.StatusCode != 201 {
		t.Fatalf("put: %d %s", resp.StatusCode, body)
	}
	idB := credit.NewUUID()
	if resp, body := put(b, idB, objection(idB, "y"), nil); resp.StatusCode != 201 {
		t.Fatalf("put: %d %s", resp.StatusCode, body)
	}
	st, _ := s.Stats(t.Context())

	var keys []string
	var raw []byte
	token, after := "", ""
	var last *protocol.Page
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("snapshot does not end")
		}
		p, code, body := snapshotPage(t, a, token, after, 2)
		if code != 200 {
			t.Fatalf("snapshot: %d %s", code, body)
		}
		if p.SnapshotSeq != st.HeadSeq || p.Token == "" || (token != "" && p.Token != token) {
			t.Fatalf("trailer: S0 %d (head %d), token %q", p.SnapshotSeq, st.HeadSeq, p.Token)
		}
		raw = append(raw, body...)
		for _, ch := range p.Changes {
			keys = append(keys, string(ch.Type)+"/"+ch.ID)
		}
		token, after, last = p.Token, p.After, p
		if !p.More {
			break
		}
	}
	want := "subject/S000 subject/S001 subject/S002 record/RS000 record/RS002 application_status/" + id
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("snapshot keys\n got %s\nwant %s", got, want)
	}
	if bytes.Contains(raw, []byte("CANARY-S001")) || bytes.Contains(raw, []byte(idB)) {
		t.Error("snapshot holds a withdrawn record or another device's application")
	}
	// The last page's next is a /changes cursor at S0: nothing after it yet.
	p, code, _ := a.page(last.Next, 0)
	if code != 200 || len(p.Changes) != 0 {
		t.Errorf("changes after S0: %d %+v", code, p)
	}
	// Another device's token, a forged one, a token of an old epoch.
	if r := resyncReason(t, b, protocol.PathSnapshot+"?token="+url.QueryEscape(token)); r != protocol.ReasonBadCursor {
		t.Errorf("other device's token: %q", r)
	}
	if r := resyncReason(t, a, protocol.PathSnapshot+"?token=abc.def"); r != protocol.ReasonBadCursor {
		t.Errorf("forged token: %q", r)
	}
	if _, err := s.RotateEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}
	if r := resyncReason(t, a, protocol.PathSnapshot+"?token="+url.QueryEscape(token)); r != protocol.ReasonSnapshotGone {
		t.Errorf("token of an old epoch: %q", r)
	}
	for _, after := range []string{strings.Repeat("x", 300), "x/S000", "S000", "s/" + strings.Repeat("x", 300)} {
		if resp, _ := a.do("GET", protocol.PathSnapshot+"?after="+url.QueryEscape(after), nil, nil); resp.StatusCode != 400 {
			t.Errorf("after %.10q: %d", after, resp.StatusCode)
		}
	}
}

func FuzzDecodeSnapshotToken(f *testing.F) {
	key := []byte("k")
	f.Add(encodeSnapshotToken(key, "dev", snapshotToken{V: 1, Epoch: "e", S0: 9}))
	f.Add("a.b")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := decodeSnapshotToken(key, "dev", "e", s)
		if err == nil && (tok.V != 1 || tok.Epoch != "e" || tok.S0 < 0) {
			t.Fatalf("accepted %+v", tok)
		}
	})
}

// A database from before tombstone times gets the upgrade time on its old
// rows, so its first compaction drops nothing.
func TestUpgradeStampsOldRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	s := openServer(t, path, 0)
	ss, rs := subjectsAndRecords(2)
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	if err := s.WithdrawRecord(t.Context(), "RS000", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(t.Context(), `ALTER TABLE change_log DROP COLUMN at`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	later := t0.Add(400 * 24 * time.Hour)
	s2, err := Open(t.Context(), path, Options{Now: func() time.Time { return later }})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	var blank int
	if err := s2.db.QueryRowContext(t.Context(), `SELECT count(*) FROM change_log WHERE at != ?`, formatTime(later)).Scan(&blank); err != nil || blank != 0 {
		t.Fatalf("%d rows not stamped (%v)", blank, err)
	}
	if n, err := s2.Compact(t.Context()); err != nil || n != 0 {
		t.Errorf("first compaction after the upgrade dropped %d (%v)", n, err)
	}
}
