// Package faultproxy is an HTTP proxy for tests that sits between a sync
// client and a server on 127.0.0.1 and injects scripted, seeded faults
// per request (sync.md §3): connections refused or cut mid-body (inside a
// line or exactly at a line boundary), responses lost after the server
// committed, duplicate deliveries, truncated or corrupt bodies, status
// storms with hostile Retry-After headers, a throttled link, stale
// answers replayed for newer requests, and arbitrary rewrites of a
// response body. Requests no rule matches pass
// through unchanged.
//
// The proxy reads whole bodies into memory; it is meant for small test
// pages, not for production traffic.
package faultproxy

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Action is what a fault does to a request.
type Action int

// Actions.
const (
	// Pass forwards the request and its answer unchanged.
	Pass Action = iota
	// Refuse closes the client's connection (with a TCP RST) before
	// anything reaches the server.
	Refuse
	// Cut forwards the request, then sends the status line, the headers
	// (with the full Content-Length) and only part of the body before
	// closing the connection. Fault.Cut says where.
	Cut
	// Lose forwards the request (the server commits), then answers
	// Fault.Status (502 when 0), or closes the connection when
	// Fault.Status < 0.
	Lose
	// Duplicate sends the request Fault.Copies times (2 when < 2) to the
	// server, one after the other or at once (Fault.Concurrent), and
	// answers with the first copy's response (the last one's when
	// Fault.AnswerLast).
	Duplicate
	// CorruptRequest flips one byte of the request body before forwarding.
	CorruptRequest
	// TruncateRequest forwards only a prefix of the request body.
	TruncateRequest
	// CorruptResponse flips one byte of the response body.
	CorruptResponse
	// Status answers Fault.Status with Fault.Header and a short body,
	// without forwarding.
	Status
	// Slow forwards and writes the answer at Fault.BytesPerSec in writes
	// of Fault.Chunk bytes.
	Slow
	// Rewrite forwards and replaces the response body by
	// Fault.Rewrite(body) (Content-Length adjusted).
	Rewrite
	// Replay answers, without forwarding, with an answer the server gave
	// earlier to a request of the same method and path, as a stale cache
	// would (replay.go). Fault.ReplayOf picks it.
	Replay
)

var actionNames = [...]string{"pass", "refuse", "cut", "lose", "duplicate", "corrupt-request", "truncate-request",
	"corrupt-response", "status", "slow", "rewrite", "replay"}

func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return "action(" + strconv.Itoa(int(a)) + ")"
}

// CutMode says where a Cut falls in the response body.
type CutMode int

// Cut modes.
const (
	// CutRandom cuts at a seeded random offset in [1, len-1].
	CutRandom CutMode = iota
	// CutMidLine cuts strictly inside a line (never right after a '\n').
	CutMidLine
	// CutLineBoundary cuts exactly after a '\n' that is not the last byte.
	CutLineBoundary
	// CutAt cuts after Fault.CutAt bytes.
	CutAt
)

// Fault is one scripted misbehaviour.
type Fault struct {
	Action Action
	// Status is the answer of Status and of Lose. Header goes with the
	// answer of Status; on a forwarded answer (Pass, Corrupt*, Slow,
	// Rewrite) it replaces the server's headers of the same names.
	Status int
	Header http.Header
	// Cut and CutAt place a Cut.
	Cut   CutMode
	CutAt int
	// Copies, Concurrent and AnswerLast shape a Duplicate.
	Copies     int
	Concurrent bool
	AnswerLast bool
	// BytesPerSec and Chunk shape Slow (8 KiB/s and 256 bytes when 0).
	BytesPerSec int
	Chunk       int
	// Identity asks the server for an uncompressed answer
	// (Accept-Encoding: identity), so line positions mean something.
	Identity bool
	// Rewrite transforms a response body (Rewrite action).
	Rewrite func(body []byte) []byte
	// ReplayOf picks the answer a Replay serves: the n-th recorded for
	// the method and path, counting from 1 at the oldest; 0 or less
	// counts back from the latest (0: the latest).
	ReplayOf int
}

// Rule applies a Fault to matching requests.
type Rule struct {
	Method string // "" matches any method
	Path   string // a prefix of the URL path; "" matches any
	Skip   int    // matching requests let through before the fault starts
	Times  int    // how many requests get the fault; 0 means every one
	Fault  Fault
}

// Event is one request as the proxy handled it.
type Event struct {
	At     time.Time
	Method string
	Path   string
	Action Action
	Status int    // status the server answered (0 when not forwarded)
	Note   string // what the fault did
}

type ruleState struct {
	Rule
	seen, applied int
}

// Proxy is an http.Handler forwarding to one upstream base URL.
type Proxy struct {
	upstream string
	client   *http.Client

	mu      sync.Mutex
	rng     *rand.Rand
	rules   []*ruleState
	events  []Event
	history map[string][]*upstreamResponse // replay.go
}

// maxBody caps what the proxy reads of any body.
const maxBody = 64 << 20

// New returns a proxy in front of upstream (e.g. "http://127.0.0.1:1234")
// whose random choices come from seed.
func New(upstream string, seed uint64) *Proxy {
	return &Proxy{
		upstream: strings.TrimRight(upstream, "/"),
		client: &http.Client{Transport: &http.Transport{
			DisableCompression:  true,
			MaxIdleConnsPerHost: 8,
		}},
		rng: rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d)),
	}
}

// Script replaces the rules; requests are matched against them in order
// and get the first fault whose rule still applies.
func (p *Proxy) Script(rules ...Rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = p.rules[:0]
	for _, r := range rules {
		p.rules = append(p.rules, &ruleState{Rule: r})
	}
}

// Events returns a copy of the log of handled requests.
func (p *Proxy) Events() []Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Event(nil), p.events...)
}

// Fired counts the requests that got a fault other than Pass.
func (p *Proxy) Fired() int {
	n := 0
	for _, e := range p.Events() {
		if e.Action != Pass {
			n++
		}
	}
	return n
}

// Close releases the proxy's idle upstream connections.
func (p *Proxy) Close() { p.client.CloseIdleConnections() }

func (p *Proxy) pick(r *http.Request) Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, rs := range p.rules {
		if rs.Method != "" && rs.Method != r.Method || !strings.HasPrefix(r.URL.Path, rs.Path) {
			continue
		}
		rs.seen++
		if rs.seen <= rs.Skip || rs.Times > 0 && rs.applied >= rs.Times {
			continue
		}
		rs.applied++
		return rs.Fault
	}
	return Fault{}
}

func (p *Proxy) intn(n int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rng.IntN(n)
}

func (p *Proxy) log(r *http.Request, a Action, status int, note string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, Event{At: time.Now(), Method: r.Method, Path: r.URL.Path, Action: a, Status: status, Note: note})
}

// ServeHTTP applies the fault of the first matching rule.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := p.pick(r)
	if f.Action == Refuse {
		p.log(r, Refuse, 0, "connection reset before forwarding")
		hangUp(w, true)
		return
	}
	if f.Action == Status {
		h := w.Header()
		for k, vs := range f.Header {
			h[k] = append([]string(nil), vs...)
		}
		st := f.Status
		if st == 0 {
			st = http.StatusServiceUnavailable
		}
		p.log(r, Status, 0, fmt.Sprintf("answered %d %v", st, f.Header))
		http.Error(w, "fault injected", st)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		p.log(r, Pass, 0, "reading request: "+err.Error())
		http.Error(w, "proxy: "+err.Error(), http.StatusBadGateway)
		return
	}
	note := ""
	switch f.Action {
	case CorruptRequest:
		if len(body) > 0 {
			i := p.intn(len(body))
			body = bytes.Clone(body)
			body[i] ^= 0x20
			note = fmt.Sprintf("flipped request byte %d of %d", i, len(body))
		}
	case TruncateRequest:
		if len(body) > 0 {
			n := p.intn(len(body))
			body = body[:n]
			note = fmt.Sprintf("request body cut to %d bytes", n)
		}
	}
	if f.Action == Duplicate {
		p.duplicate(w, r, body, f)
		return
	}
	if f.Action == Replay {
		if p.replay(w, r, f) {
			return
		}
		f.Action = Pass // nothing recorded to replay: forwarded
	}
	up, err := p.forward(r.Context(), r, body, f.Identity)
	if err != nil {
		p.log(r, f.Action, 0, "upstream: "+err.Error())
		http.Error(w, "proxy: upstream: "+err.Error(), http.StatusBadGateway)
		return
	}
	p.record(r, up)
	switch f.Action {
	case Lose:
		if f.Status < 0 {
			p.log(r, Lose, up.status, "response lost: connection closed")
			hangUp(w, false)
			return
		}
		st := f.Status
		if st == 0 {
			st = http.StatusBadGateway
		}
		p.log(r, Lose, up.status, fmt.Sprintf("response lost: answered %d", st))
		http.Error(w, "fault injected: response lost", st)
		return
	case Cut:
		at := p.cutPoint(up.body, f)
		p.log(r, Cut, up.status, fmt.Sprintf("body cut after %d of %d bytes", at, len(up.body)))
		writeRaw(w, up, at)
		return
	case CorruptResponse:
		if len(up.body) > 0 {
			i := p.intn(len(up.body))
			up.body = bytes.Clone(up.body)
			up.body[i] ^= 0x01
			note = fmt.Sprintf("flipped response byte %d of %d", i, len(up.body))
		}
	case Rewrite:
		if f.Rewrite != nil {
			n := len(up.body)
			up.body = f.Rewrite(up.body)
			note = fmt.Sprintf("body rewritten: %d -> %d bytes", n, len(up.body))
		}
	}
	p.log(r, f.Action, up.status, note)
	writeHead(w, up, f.Header)
	if f.Action == Slow {
		writeSlow(r.Context(), w, up.body, f.BytesPerSec, f.Chunk)
		return
	}
	_, _ = w.Write(up.body)
}

func (p *Proxy) duplicate(w http.ResponseWriter, r *http.Request, body []byte, f Fault) {
	n := max(f.Copies, 2)
	resps := make([]*upstreamResponse, n)
	errs := make([]error, n)
	if f.Concurrent {
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { resps[i], errs[i] = p.forward(r.Context(), r, body, f.Identity) })
		}
		wg.Wait()
	} else {
		for i := range n {
			resps[i], errs[i] = p.forward(r.Context(), r, body, f.Identity)
		}
	}
	statuses := make([]string, n)
	for i := range n {
		if errs[i] != nil {
			statuses[i] = "err"
		} else {
			statuses[i] = strconv.Itoa(resps[i].status)
		}
	}
	k := 0
	if f.AnswerLast {
		k = n - 1
	}
	note := fmt.Sprintf("%d copies (concurrent=%v) answered %s; client gets copy %d", n, f.Concurrent, strings.Join(statuses, ","), k)
	if errs[k] != nil {
		p.log(r, Duplicate, 0, note)
		http.Error(w, "proxy: upstream: "+errs[k].Error(), http.StatusBadGateway)
		return
	}
	p.log(r, Duplicate, resps[k].status, note)
	writeHead(w, resps[k], nil)
	_, _ = w.Write(resps[k].body)
}
