package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/klauspost/compress/zstd"
)

// puller sends signed /changes requests.
type puller struct {
	base string
	hc   *http.Client
	sem  chan struct{}
	dec  *zstd.Decoder
}

type statusErr int

func (e statusErr) Error() string { return fmt.Sprintf("HTTP %d", int(e)) }

func errKind(err error) string {
	var se statusErr
	switch {
	case errors.As(err, &se):
		return se.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, protocol.ErrMalformedPage):
		return "bad page"
	}
	return "transport"
}

// pull fetches one page after d's cursor and, when it verifies, moves the
// cursor. It returns whether more pages follow and the ops on the page.
func (p *puller) pull(ctx context.Context, d *device) (bool, int, error) {
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return false, 0, ctx.Err()
	}
	defer func() { <-p.sem }()
	target := protocol.PathChanges
	if d.cursor != "" {
		target += "?" + url.Values{"cursor": {d.cursor}}.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+target, nil)
	if err != nil {
		return false, 0, err
	}
	var nonce [protocol.NonceBytes]byte
	_, _ = rand.Read(nonce[:])
	req.Header.Set(protocol.HeaderSignature, protocol.Sign(d.key, http.MethodGet, target, d.id, time.Now(), base64.RawURLEncoding.EncodeToString(nonce[:]), nil))
	req.Header.Set(protocol.HeaderProtocol, fmt.Sprint(protocol.Version))
	req.Header.Set("Accept-Encoding", "zstd, gzip")
	resp, err := p.hc.Do(req)
	if err != nil {
		return false, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, protocol.MaxPageBytes+1))
	if err != nil {
		return false, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return false, 0, statusErr(resp.StatusCode)
	}
	switch resp.Header.Get("Content-Encoding") {
	case "zstd":
		if body, err = p.dec.DecodeAll(body, nil); err != nil {
			return false, 0, fmt.Errorf("zstd: %w: %w", err, protocol.ErrMalformedPage)
		}
	case "":
	default:
		return false, 0, fmt.Errorf("content encoding %q: %w", resp.Header.Get("Content-Encoding"), protocol.ErrMalformedPage)
	}
	pg, err := protocol.DecodePage(bytes.NewReader(body), 0)
	if err != nil {
		return false, 0, err
	}
	d.cursor = pg.Next
	return pg.More, len(pg.Changes), nil
}

// parallel runs fn(0..n-1) on workers goroutines; the first error stops
// the rest.
func parallel(ctx context.Context, n, workers int, fn func(int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					cancel(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return context.Cause(ctx)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// pct returns the q-th percentile of sorted (nearest rank).
func pct(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*q/100+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
