package faultproxy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Forwarding to the upstream server and writing (whole, cut, slow or
// hung-up) responses back to the client.

// upstreamResponse is a fully read answer of the server.
type upstreamResponse struct {
	status int
	header http.Header
	body   []byte
}

func (p *Proxy) forward(ctx context.Context, r *http.Request, body []byte, identity bool) (*upstreamResponse, error) {
	out, err := http.NewRequestWithContext(ctx, r.Method, p.upstream+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, vs := range r.Header {
		if hopByHop(k) {
			continue
		}
		out.Header[k] = append([]string(nil), vs...)
	}
	if identity {
		out.Header.Set("Accept-Encoding", "identity")
	}
	out.ContentLength = int64(len(body))
	resp, err := p.client.Do(out)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, err
	}
	return &upstreamResponse{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

func hopByHop(k string) bool {
	switch http.CanonicalHeaderKey(k) {
	case "Connection", "Keep-Alive", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade", "Content-Length":
		return true
	}
	return false
}

// cutPoint picks where a Cut falls, in [0, len(body)).
func (p *Proxy) cutPoint(body []byte, f Fault) int {
	n := len(body)
	if n < 2 {
		return 0
	}
	switch f.Cut {
	case CutAt:
		return min(max(f.CutAt, 0), n-1)
	case CutLineBoundary:
		var ends []int
		for i := 0; i < n-1; i++ {
			if body[i] == '\n' {
				ends = append(ends, i+1)
			}
		}
		if len(ends) > 0 {
			return ends[p.intn(len(ends))]
		}
	case CutMidLine:
		var inside []int
		for i := 1; i < n; i++ {
			if body[i-1] != '\n' {
				inside = append(inside, i)
			}
		}
		if len(inside) > 0 {
			return inside[p.intn(len(inside))]
		}
	}
	return 1 + p.intn(n-1)
}

func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		if hopByHop(k) {
			continue
		}
		dst[k] = append([]string(nil), vs...)
	}
}

// writeHead writes an answer's status and headers (with extra's replacing
// those of the same names) and its Content-Length; the caller writes the
// body.
func writeHead(w http.ResponseWriter, up *upstreamResponse, extra http.Header) {
	copyHeader(w.Header(), up.header)
	for k, vs := range extra {
		w.Header()[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(up.body)))
	w.WriteHeader(up.status)
}

// hangUp hijacks the connection and closes it, with a RST when reset.
func hangUp(w http.ResponseWriter, reset bool) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0)
	}
	conn.Close()
}

// writeRaw hijacks the connection, writes the status line, the headers
// with the full Content-Length and the first n bytes of the body, and
// closes it.
func writeRaw(w http.ResponseWriter, up *upstreamResponse, n int) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", up.status, http.StatusText(up.status))
	h := up.header.Clone()
	for k := range h {
		if hopByHop(k) {
			h.Del(k)
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(up.body)))
	h.Set("Connection", "close")
	_ = h.Write(buf)
	buf.WriteString("\r\n")
	buf.Write(up.body[:n])
	_ = buf.Flush()
}

// writeSlow writes body in chunks paced to bytesPerSec.
func writeSlow(ctx context.Context, w http.ResponseWriter, body []byte, bytesPerSec, chunk int) {
	if bytesPerSec <= 0 {
		bytesPerSec = 8 << 10
	}
	if chunk <= 0 {
		chunk = 256
	}
	rc := http.NewResponseController(w)
	start := time.Now()
	for off := 0; off < len(body); off += chunk {
		end := min(off+chunk, len(body))
		if _, err := w.Write(body[off:end]); err != nil {
			return
		}
		_ = rc.Flush()
		due := start.Add(time.Duration(float64(end) / float64(bytesPerSec) * float64(time.Second)))
		t := time.NewTimer(time.Until(due))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
