package syncserver

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

const (
	tokA = "token-a"
	tokB = "token-b"
)

func openServer(t *testing.T, path string, pageLimit int) *Server {
	t.Helper()
	s, err := Open(t.Context(), path, Options{
		Devices:   map[string]string{tokA: "kiosk-a", tokB: "kiosk-b"},
		Now:       func() time.Time { return t0 },
		PageLimit: pageLimit,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func subjectsAndRecords(n int) ([]credit.Subject, []credit.Record) {
	var ss []credit.Subject
	var rs []credit.Record
	for i := range n {
		id := fmt.Sprintf("S%03d", i)
		ss = append(ss, credit.Subject{ID: id, Kind: credit.LegalPerson, Name: "公司" + id, Region: "620102", Version: 1})
		rs = append(rs, credit.Record{ID: "R" + id, SubjectID: id, Category: credit.CategoryUntrustworthy, Title: "处罚",
			Content: "CANARY-" + id, SourceUnit: "兰州市市场监督管理局", DecisionDate: t0, Version: 1})
	}
	return ss, rs
}

type client struct {
	t     *testing.T
	base  string
	token string
}

func (c client) do(method, path string, body []byte, hdr map[string]string) (*http.Response, []byte) {
	c.t.Helper()
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.base+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func (c client) page(cursor string, limit int) (*protocol.Page, int, []byte) {
	c.t.Helper()
	q := url.Values{}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", fmt.Sprint(limit))
	}
	resp, b := c.do("GET", protocol.PathChanges+"?"+q.Encode(), nil, nil)
	if resp.StatusCode != 200 {
		return nil, resp.StatusCode, b
	}
	p, err := protocol.DecodePage(bytes.NewReader(b), 0)
	if err != nil {
		c.t.Fatalf("decode: %v", err)
	}
	return p, 200, b
}

func problemOf(t *testing.T, b []byte) protocol.Problem {
	t.Helper()
	var p protocol.Problem
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("not a problem: %s", b)
	}
	return p
}

func TestPagesAndCursor(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "srv.db"), 3)
	ss, rs := subjectsAndRecords(4) // 8 ops
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	c := client{t, hs.URL, tokA}

	var got []credit.Change
	cursor, pages := "", 0
	for {
		p, code, b := c.page(cursor, 10) // clamped to PageLimit 3
		if code != 200 {
			t.Fatalf("status %d: %s", code, b)
		}
		pages++
		if len(p.Changes) > 3 || !p.AsOf.Equal(t0) {
			t.Fatalf("page of %d ops as of %v", len(p.Changes), p.AsOf)
		}
		got = append(got, p.Changes...)
		if p.Next == cursor && len(p.Changes) > 0 {
			t.Fatal("cursor did not advance")
		}
		cursor = p.Next
		if !p.More {
			break
		}
	}
	if pages != 3 || len(got) != 8 {
		t.Fatalf("%d pages, %d changes", pages, len(got))
	}
	if got[0].Subject == nil || got[0].Subject.Name != "公司S000" || got[4].Record == nil || got[4].Record.Content != "CANARY-S000" {
		t.Errorf("changes: %+v / %+v", got[0], got[4])
	}
	// Caught up: an empty last page keeps the cursor's position.
	p, _, _ := c.page(cursor, 0)
	if len(p.Changes) != 0 || p.More {
		t.Errorf("caught-up page: %+v", p)
	}

	// Tombstone: no personal data, and the earlier put is gone from the log.
	if err := s.WithdrawRecord(t.Context(), "RS001", "withdrawn"); err != nil {
		t.Fatal(err)
	}
	p, _, raw := c.page(cursor, 0)
	if len(p.Changes) != 1 || p.Changes[0].Op != credit.OpDel || p.Changes[0].ID != "RS001" || p.Changes[0].Reason != "withdrawn" || p.Changes[0].Version != 2 {
		t.Fatalf("tombstone page: %+v", p.Changes)
	}
	if bytes.Contains(raw, []byte("CANARY")) || bytes.Contains(raw, []byte("公司")) {
		t.Errorf("tombstone page carries data: %s", raw)
	}
	var all []byte
	n := 0
	for cur, more := "", true; more; {
		p, _, raw = c.page(cur, 0)
		all, n, cur, more = append(all, raw...), n+len(p.Changes), p.Next, p.More
	}
	if bytes.Contains(all, []byte("CANARY-S001")) || n != 8 {
		t.Errorf("full feed after withdrawal still holds the record or lost ops: %d ops", n)
	}
	if err := s.WithdrawRecord(t.Context(), "RS001", ""); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Errorf("withdraw twice: %v", err)
	}
}

func TestBadRequests(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "srv.db"), 0)
	ss, rs := subjectsAndRecords(2)
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	a, b := client{t, hs.URL, tokA}, client{t, hs.URL, tokB}
	pa, _, _ := a.page("", 1)
	payload, sig, _ := strings.Cut(pa.Next, ".")
	epoch, err := s.Epoch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	forged, _ := json.Marshal(cursor{V: 1, Epoch: epoch, Seq: 1000})

	tests := []struct {
		name   string
		c      client
		path   string
		status int
		code   string
	}{
		{"wrong token", client{t, hs.URL, "nope"}, protocol.PathHello, 401, protocol.CodeUnauthorized},
		{"no token", client{t, hs.URL, ""}, protocol.PathChanges, 401, protocol.CodeUnauthorized},
		{"tampered cursor", a, protocol.PathChanges + "?cursor=" + payload + "x." + sig, 410, protocol.CodeResyncRequired},
		{"forged payload", a, protocol.PathChanges + "?cursor=" + base64.RawURLEncoding.EncodeToString(forged) + "." + sig, 410, protocol.CodeResyncRequired},
		{"other device's cursor", b, protocol.PathChanges + "?cursor=" + url.QueryEscape(pa.Next), 410, protocol.CodeResyncRequired},
		{"garbage cursor", a, protocol.PathChanges + "?cursor=%00%01", 410, protocol.CodeResyncRequired},
		{"bad limit", a, protocol.PathChanges + "?limit=-1", 400, protocol.CodeBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := tt.c.do("GET", tt.path, nil, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if p := problemOf(t, body); p.Code != tt.code || resp.Header.Get("Content-Type") != protocol.ContentTypeProblem {
				t.Errorf("problem %+v", p)
			}
		})
	}
	resp, body := a.do("GET", protocol.PathHello, nil, nil)
	var h protocol.Hello
	if err := json.Unmarshal(body, &h); err != nil || resp.StatusCode != 200 || h.DeviceID != "kiosk-a" || h.MaxStalenessH != 72 || !h.ServerTime.Equal(t0) || h.PageLimit != protocol.DefaultPageLimit || h.TombstoneHorizonH != 180*24 {
		t.Errorf("hello %d %+v %v", resp.StatusCode, h, err)
	}
}

func objection(id, statement string) []byte {
	o := credit.Objection{ID: id, SubjectID: "S000", SubjectName: "公司S000", RecordID: "RS000", Type: credit.ObjWrongInfo,
		Statement: statement, Channel: "kiosk-a", ReceivedAt: t0.Add(-time.Hour)}
	b, _ := json.Marshal(o)
	return b
}

func put(c client, id string, body []byte, hdr map[string]string) (*http.Response, []byte) {
	h := map[string]string{protocol.HeaderIdempotencyKey: `"` + id + `"`, protocol.HeaderContentDigest: protocol.ContentDigest(body)}
	for k, v := range hdr {
		h[k] = v
	}
	return c.do("PUT", protocol.PathApplications+id, body, h)
}

func TestApplicationsIdempotent(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "srv.db"), 0)
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	a, b := client{t, hs.URL, tokA}, client{t, hs.URL, tokB}
	id := credit.NewUUID()
	body := objection(id, "处罚已撤销")

	resp, first := put(a, id, body, nil)
	if resp.StatusCode != 201 {
		t.Fatalf("first put %d: %s", resp.StatusCode, first)
	}
	resp, again := put(a, id, body, nil)
	if resp.StatusCode != 200 || !bytes.Equal(first, again) {
		t.Fatalf("replay %d: %s vs %s", resp.StatusCode, again, first)
	}
	var rc protocol.ReceiptV1
	if err := json.Unmarshal(first, &rc); err != nil || rc.ApplicationID != id || rc.Digest != protocol.BodyDigest(body) || rc.ServerSeq == 0 || !rc.ReceivedAt.Equal(t0) {
		t.Fatalf("receipt %+v %v", rc, err)
	}

	other := credit.NewUUID()
	tests := []struct {
		name   string
		id     string
		body   []byte
		hdr    map[string]string
		status int
		code   string
		msg    string
	}{
		{"same id other body", id, objection(id, "另一个理由"), nil, 422, protocol.CodeIdempotencyMismatch, "different application"},
		{"empty statement", other, objection(other, " "), nil, 400, protocol.CodeInvalidApplication, "Please state why"},
		{"not json", other, []byte("{"), nil, 400, protocol.CodeInvalidApplication, "not valid JSON"},
		{"key differs from path", other, objection(other, "x"), map[string]string{protocol.HeaderIdempotencyKey: id}, 400, protocol.CodeBadRequest, "Idempotency-Key"},
		{"body id differs", other, objection(id, "x"), nil, 400, protocol.CodeInvalidApplication, "differs"},
		{"digest mismatch", other, objection(other, "x"), map[string]string{protocol.HeaderContentDigest: protocol.ContentDigest([]byte("y"))}, 400, protocol.CodeDigestMismatch, "Content-Digest"},
		{"unknown kind", other, objection(other, "x"), map[string]string{protocol.HeaderApplicationKind: "complaint"}, 400, protocol.CodeInvalidApplication, "Unknown application kind"},
		{"too large", other, bytes.Repeat([]byte("x"), protocol.MaxApplicationBytes+1), nil, 413, protocol.CodeTooLarge, "exceeds"},
		{"wrong protocol", other, objection(other, "x"), map[string]string{protocol.HeaderProtocol: "9"}, 400, protocol.CodeVersionNotSupported, "not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := put(a, tt.id, tt.body, tt.hdr)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d: %s", resp.StatusCode, b)
			}
			if p := problemOf(t, b); p.Code != tt.code || !strings.Contains(p.DetailEN, tt.msg) {
				t.Errorf("problem %+v", p)
			}
		})
	}

	apps, err := s.Applications(t.Context())
	if err != nil || len(apps) != 1 || apps[0].DeviceID != "kiosk-a" || !bytes.Equal(apps[0].Body, body) || apps[0].Receipt != protocol.ReceiptFromWire(rc) {
		t.Fatalf("applications %+v %v", apps, err)
	}

	// The received status reaches kiosk a only; a later status too.
	if err := s.SetApplicationStatus(t.Context(), id, credit.StatusLabelled, "已标注"); err != nil {
		t.Fatal(err)
	}
	pa, _, _ := a.page("", 0)
	if len(pa.Changes) != 1 || pa.Changes[0].Status == nil || pa.Changes[0].Status.Status != credit.StatusLabelled || pa.Changes[0].Version != 2 {
		t.Errorf("kiosk a feed: %+v", pa.Changes)
	}
	if pb, _, _ := b.page("", 0); len(pb.Changes) != 0 {
		t.Errorf("kiosk b sees kiosk a's application: %+v", pb.Changes)
	}
	if err := s.SetApplicationStatus(t.Context(), credit.NewUUID(), credit.StatusClosed, ""); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Errorf("status of unknown application: %v", err)
	}
}

func TestRestartKeepsDataAndSeq(t *testing.T) {
	path := filepath.Join(t.TempDir(), "srv.db")
	s := openServer(t, path, 0)
	ss, rs := subjectsAndRecords(2)
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	p, _, _ := client{t, hs.URL, tokA}.page("", 0)
	hs.Close()
	before, _ := s.Stats(t.Context())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := openServer(t, path, 0)
	after, err := s2.Stats(t.Context())
	if err != nil || after != before || after.HeadSeq != 4 {
		t.Fatalf("stats before %+v after %+v %v", before, after, err)
	}
	if err := s2.WithdrawRecord(t.Context(), "RS000", "corrected"); err != nil {
		t.Fatal(err)
	}
	hs2 := httptest.NewServer(s2.Handler())
	defer hs2.Close()
	p2, code, body := client{t, hs2.URL, tokA}.page(p.Next, 0) // the old cursor still verifies
	if code != 200 {
		t.Fatalf("old cursor after restart: %d %s", code, body)
	}
	if len(p2.Changes) != 1 || p2.Changes[0].Seq != 5 || p2.Changes[0].Op != credit.OpDel {
		t.Errorf("after restart: %+v", p2.Changes)
	}
}

func TestOpenFails(t *testing.T) {
	_, err := Open(t.Context(), filepath.Join(t.TempDir(), "missing", "dir", "srv.db"), Options{})
	if err == nil {
		t.Fatal("opened a database in a missing directory")
	}
}

func TestCursorCodec(t *testing.T) {
	key := []byte("k")
	c := encodeCursor(key, "dev", cursor{V: 1, Epoch: "e", Seq: 42})
	got, err := decodeCursor(key, "dev", "e", c)
	if err != nil || got.Seq != 42 {
		t.Fatalf("%+v %v", got, err)
	}
	for name, tc := range map[string]struct{ key, dev, epoch, s string }{
		"other key":    {"x", "dev", "e", c},
		"other device": {"k", "dev2", "e", c},
		"no dot":       {"k", "dev", "e", "abc"},
		"too long":     {"k", "dev", "e", strings.Repeat("a", 600)},
	} {
		if _, err := decodeCursor([]byte(tc.key), tc.dev, tc.epoch, tc.s); !errors.Is(err, errBadCursor) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := decodeCursor(key, "dev", "f", c); !errors.Is(err, errEpochChanged) {
		t.Errorf("other epoch: %v", err)
	}
}

func FuzzDecodeCursor(f *testing.F) {
	key := []byte("k")
	f.Add(encodeCursor(key, "dev", cursor{V: 1, Epoch: "e", Seq: 42}))
	f.Add("eyJ2IjoxfQ.AAAA")
	f.Add(".")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(key, "dev", "e", s)
		if err != nil {
			if !errors.Is(err, errBadCursor) {
				t.Fatalf("error without errBadCursor: %v", err)
			}
			return
		}
		if c.V != 1 || c.Epoch != "e" || c.Seq < 0 {
			t.Fatalf("accepted %+v", c)
		}
	})
}

func BenchmarkPutSubjects10k(b *testing.B) {
	ss, rs := subjectsAndRecords(10000)
	for i := 0; i < 2; i++ { // ~3 records per subject
		_, more := subjectsAndRecords(10000)
		for j := range more {
			more[j].ID = fmt.Sprintf("%s-%d", more[j].ID, i)
		}
		rs = append(rs, more...)
	}
	for b.Loop() {
		s, err := Open(context.Background(), filepath.Join(b.TempDir(), "srv.db"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.PutSubjects(context.Background(), ss, rs); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

func TestConcurrentDuplicatePuts(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "srv.db"), 0)
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	id := credit.NewUUID()
	body := objection(id, "同时提交")
	const n = 6
	type answer struct {
		status int
		body   []byte
	}
	answers := make(chan answer, n)
	for range n {
		go func() {
			req, _ := http.NewRequestWithContext(t.Context(), "PUT", hs.URL+protocol.PathApplications+id, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+tokA)
			req.Header.Set(protocol.HeaderIdempotencyKey, id)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				answers <- answer{}
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			answers <- answer{resp.StatusCode, b}
		}()
	}
	created := 0
	var first []byte
	for range n {
		a := <-answers
		switch a.status {
		case 201:
			created++
		case 200:
		default:
			t.Fatalf("status %d: %s", a.status, a.body)
		}
		if first == nil {
			first = a.body
		} else if !bytes.Equal(first, a.body) {
			t.Errorf("receipts differ: %s vs %s", first, a.body)
		}
	}
	apps, err := s.Applications(t.Context())
	if created != 1 || err != nil || len(apps) != 1 {
		t.Errorf("created %d, stored %d (%v)", created, len(apps), err)
	}
}
