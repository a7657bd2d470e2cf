package faultproxy

import (
	"bytes"
	"fmt"
	"net/http"
)

// Stale answers (sync.md §3 F20): the proxy keeps the answers the server
// gave, per method and path, and a Replay serves one of them again for a
// later request, as a misbehaving cache or middlebox would.

// maxHistory bounds the answers kept per method and path (the oldest go).
const maxHistory = 64

func historyKey(r *http.Request) string { return r.Method + " " + r.URL.Path }

// record keeps an answer the server gave (forwarded whole, before any
// fault changed it).
func (p *Proxy) record(r *http.Request, up *upstreamResponse) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.history == nil {
		p.history = map[string][]*upstreamResponse{}
	}
	k := historyKey(r)
	// A copy: the faults change up's body afterwards.
	h := append(p.history[k], &upstreamResponse{status: up.status, header: up.header.Clone(), body: bytes.Clone(up.body)})
	if len(h) > maxHistory {
		h = h[len(h)-maxHistory:]
	}
	p.history[k] = h
}

// replay writes the recorded answer f.ReplayOf picks and reports whether
// there was one; without one the request is forwarded as usual.
func (p *Proxy) replay(w http.ResponseWriter, r *http.Request, f Fault) bool {
	p.mu.Lock()
	h := p.history[historyKey(r)]
	i := f.ReplayOf - 1
	if f.ReplayOf <= 0 {
		i = len(h) - 1 + f.ReplayOf
	}
	var up *upstreamResponse
	if i >= 0 && i < len(h) {
		up = h[i]
	}
	p.mu.Unlock()
	if up == nil {
		return false
	}
	p.log(r, Replay, 0, fmt.Sprintf("replayed recorded answer %d of %d", i+1, len(h)))
	writeHead(w, up, f.Header)
	_, _ = w.Write(up.body)
	return true
}
