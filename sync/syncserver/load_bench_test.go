package syncserver

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/synth"
	"github.com/klauspost/compress/zstd"
)

// BenchmarkConcurrentPulls: 2,000 enrolled devices, each with its own
// Ed25519 key and cursor, pull GET /changes (signed, zstd) from an
// httptest server on 127.0.0.1 while a writer withdraws a record every
// 500 ms, so pages carry tombstones and the server records their
// deliveries (issue 3: p99 ≤ 200 ms), queued and written every 25 ms
// (delivery.go). read-conns is Options.ReadConns: -1 reads the feed on
// the writer connection, 4 through a read-only pool. Every tombstone
// costs one delivery row per device: at 2,000 devices, 2 withdrawals a second already mean
// 4,000 rows a second. inflight is how many of the devices have a
// request outstanding at once: 2000 is every device pulling back to back
// (closed loop); 100 is the same devices with at most 100 requests in
// flight, as when their pulls are spread over time. Reports p50/p99 in ms
// and requests/s. cmd/loadgen runs the same load for a fixed duration
// through the HTTP enrolment flow.
func BenchmarkConcurrentPulls(b *testing.B) {
	if testing.Short() {
		b.Skip("load benchmark: skipped under -short")
	}
	const devices = 2000
	for _, inflight := range []int{devices, 100} {
		for _, readConns := range []int{-1, 4} {
			b.Run(fmt.Sprintf("devices=%d/inflight=%d/read-conns=%d", devices, inflight, readConns), func(b *testing.B) {
				benchPulls(b, devices, inflight, readConns)
			})
		}
	}
}

type loadDevice struct {
	id     string
	key    ed25519.PrivateKey
	cursor string
}

func benchPulls(b *testing.B, devices, inflight, readConns int) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "server.db"), Options{ReadConns: readConns})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ds := synth.Generate(1, 200)
	if err := s.PutSubjects(ctx, ds.Subjects, ds.Records); err != nil {
		b.Fatal(err)
	}
	// Enrol the devices in one transaction (what AddDevice and POST
	// /enroll leave behind), each starting at the head of the feed.
	epoch, err := s.epoch(ctx)
	if err != nil {
		b.Fatal(err)
	}
	head, err := headSeq(ctx, s.db)
	if err != nil {
		b.Fatal(err)
	}
	devs := make([]*loadDevice, devices)
	now := formatTime(s.now())
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		for i := range devs {
			pub, key, err := ed25519.GenerateKey(rand.Reader)
			if err != nil {
				return err
			}
			d := &loadDevice{id: fmt.Sprintf("load-%05d", i), key: key}
			d.cursor = encodeCursor(s.key, d.id, cursor{V: cursorVersion, Epoch: epoch, Seq: head})
			if _, err := tx.ExecContext(ctx, `INSERT INTO device_keys(id, public_key, status, added_at, enrolled_at) VALUES(?, ?, ?, ?, ?)`,
				d.id, []byte(pub), deviceActive, now, now); err != nil {
				return err
			}
			devs[i] = d
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler()) // 127.0.0.1
	defer srv.Close()
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: inflight + 16, MaxIdleConnsPerHost: inflight + 16, DisableCompression: true,
	}}
	defer hc.CloseIdleConnections()
	dec, _ := zstd.NewReader(nil, zstd.WithDecoderMaxWindow(8<<20), zstd.WithDecoderMaxMemory(64<<20))
	defer dec.Close()

	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the writer: a tombstone every 500 ms
		defer wg.Done()
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for i := 0; i < len(ds.Records); i++ {
			select {
			case <-runCtx.Done():
				return
			case <-t.C:
			}
			_ = s.WithdrawRecord(runCtx, ds.Records[i].ID, "load")
		}
	}()

	sem := make(chan struct{}, inflight)
	lat := make([][]time.Duration, devices)
	var tickets, failures atomic.Int64
	var firstErr atomic.Value
	b.ResetTimer()
	start := time.Now()
	var pulls sync.WaitGroup
	for i, d := range devs {
		pulls.Add(1)
		go func() {
			defer pulls.Done()
			for tickets.Add(1) <= int64(b.N) {
				sem <- struct{}{}
				t0 := time.Now()
				err := loadPull(hc, dec, srv.URL, d)
				lat[i] = append(lat[i], time.Since(t0))
				<-sem
				if err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	pulls.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	stop()
	wg.Wait()
	if n := failures.Load(); n > 0 {
		b.Fatalf("%d of %d pulls failed, first: %v", n, b.N, firstErr.Load())
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	q := func(p float64) float64 {
		i := min(max(int(float64(len(all))*p+0.5)-1, 0), len(all)-1)
		return float64(all[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.95), "p95-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
}

// loadPull is one signed GET /changes after d's cursor, as syncclient
// sends it; the page is decoded and verified and the cursor moves.
func loadPull(hc *http.Client, dec *zstd.Decoder, base string, d *loadDevice) error {
	target := protocol.PathChanges + "?" + url.Values{"cursor": {d.cursor}}.Encode()
	req, err := http.NewRequest(http.MethodGet, base+target, nil)
	if err != nil {
		return err
	}
	var nonce [protocol.NonceBytes]byte
	_, _ = rand.Read(nonce[:])
	req.Header.Set(protocol.HeaderSignature, protocol.Sign(d.key, http.MethodGet, target, d.id, time.Now(), base64.RawURLEncoding.EncodeToString(nonce[:]), nil))
	req.Header.Set(protocol.HeaderProtocol, strconv.Itoa(protocol.Version))
	req.Header.Set("Accept-Encoding", "zstd, gzip")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, body)
	}
	if resp.Header.Get("Content-Encoding") == "zstd" {
		if body, err = dec.DecodeAll(body, nil); err != nil {
			return err
		}
	}
	pg, err := protocol.DecodePage(bytes.NewReader(body), 0)
	if err != nil {
		return err
	}
	d.cursor = pg.Next
	return nil
}
