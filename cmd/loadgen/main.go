// Command loadgen measures syncserver under many devices pulling deltas
// at once (issue 3, "Speed"): it enrols --devices simulated devices (each
// with its own Ed25519 key, made in memory, enrolled through the real
// flow: a one-time code from syncserver's Go API on --db, then POST
// /sync/v1/enroll), lets each catch up once (not measured), then has
// them pull GET /sync/v1/changes with their own cursors for --duration,
// every request signed as syncclient signs it. A writer withdraws records
// meanwhile (--withdraw-every) so that the pulls carry tombstones and the
// server records their deliveries. It prints p50/p95/p99/max latency,
// requests per second and errors, and stops by itself.
//
//	loadgen [--server URL --db PATH] [--devices 2000] [--duration 30s]
//	        [--concurrency N] [--interval 1s] [--withdraw-every 500ms]
//	        [--seed-n 100] [--read-conns N] [--flush-every 25ms]
//	        [--scopes 620102,620402]
//	        [--cpuprofile F] [--blockprofile F] [--mutexprofile F]
//
// Without --server it starts its own syncserver on 127.0.0.1 over a fresh
// database (in --db, or a temporary directory) seeded with --seed-n
// subjects. With --server (which must be on 127.0.0.1 or localhost) the
// devices are added through the Go API on --db, the file that server
// runs on; the writer then withdraws records of the synth dataset for
// --seed and --seed-n (absent ids are counted, not fatal).
//
// --interval is each device's pause between pulls once it is caught up
// (jittered ±50 %); 0 makes the run closed-loop: every device pulls again
// as soon as it has its answer, so latency measures the queue of
// --devices requests in flight. --concurrency caps the requests in
// flight (default: one per device).
package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/cputime"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
	"github.com/klauspost/compress/zstd"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	server, db    string
	devices       int
	concurrency   int
	duration      time.Duration
	interval      time.Duration
	withdrawEvery time.Duration
	seed          int64
	seedN         int
	enrolWorkers  int
	catchWorkers  int
	timeout       time.Duration
	readConns     int
	flushEvery    time.Duration
	scopes        []string
	prof          profiles
}

func run(args []string, stdout, stderr io.Writer) int {
	var c config
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.server, "server", "", "syncserver base URL on 127.0.0.1 (empty: start one in this process)")
	fs.StringVar(&c.db, "db", "", "the server's database (required with --server; else where to create one)")
	fs.IntVar(&c.devices, "devices", 2000, "simulated devices")
	fs.IntVar(&c.concurrency, "concurrency", 0, "most requests in flight (0: one per device)")
	fs.DurationVar(&c.duration, "duration", 30*time.Second, "measured phase (at most 10m)")
	fs.DurationVar(&c.interval, "interval", 0, "each device's pause between caught-up pulls, jittered ±50% (0: closed loop)")
	fs.DurationVar(&c.withdrawEvery, "withdraw-every", 500*time.Millisecond, "withdraw one record this often during the run (0: none)")
	fs.Int64Var(&c.seed, "seed", 1, "synth seed")
	fs.IntVar(&c.seedN, "seed-n", 100, "synth subjects (seeded when loadgen starts its own server)")
	fs.IntVar(&c.enrolWorkers, "enrol-workers", 8, "parallel enrolments")
	fs.IntVar(&c.catchWorkers, "catchup-workers", 64, "devices catching up at once before the run")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.IntVar(&c.readConns, "read-conns", 0, "read-only connection pool of the server it starts (0: syncserver's default; -1: none, reads on the writer connection)")
	scopes := fs.String("scopes", "", "comma-separated county scopes given to the devices in turn, e.g. 620102,620402 (empty: the whole province)")
	fs.DurationVar(&c.flushEvery, "flush-every", 0, "how often the server it starts writes queued delivery notes (0: syncserver's default)")
	fs.StringVar(&c.prof.cpu, "cpuprofile", "", "write a CPU profile of the measured run (client and server) to this file")
	fs.StringVar(&c.prof.block, "blockprofile", "", "write a block profile of the measured run to this file")
	fs.StringVar(&c.prof.mutex, "mutexprofile", "", "write a mutex profile of the measured run to this file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *scopes != "" {
		c.scopes = strings.Split(*scopes, ",")
	}
	switch {
	case c.devices < 1 || c.devices > 100000:
		fmt.Fprintln(stderr, "loadgen: --devices must be 1..100000")
		return 2
	case c.duration <= 0 || c.duration > 10*time.Minute:
		fmt.Fprintln(stderr, "loadgen: --duration must be in (0, 10m]")
		return 2
	case c.server != "" && c.db == "":
		fmt.Fprintln(stderr, "loadgen: --server needs --db (the file that server runs on)")
		return 2
	}
	if c.concurrency <= 0 || c.concurrency > c.devices {
		c.concurrency = c.devices
	}
	// Everything stops by itself: setup, catch-up and the run are bounded.
	ctx, cancel := context.WithTimeout(context.Background(), c.duration+15*time.Minute)
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	if err := load(ctx, c, stdout); err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 1
	}
	return 0
}

// device is one simulated kiosk.
type device struct {
	id     string
	key    ed25519.PrivateKey
	cursor string
}

func load(ctx context.Context, c config, out io.Writer) error {
	ds := synth.Generate(c.seed, c.seedN)
	base := c.server
	dbPath := c.db
	if base != "" {
		u, err := url.Parse(base)
		if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost") {
			return fmt.Errorf("--server %q: only 127.0.0.1 or localhost", base)
		}
	} else if dbPath == "" {
		dir, err := os.MkdirTemp("", "loadgen-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dbPath = filepath.Join(dir, "server.db")
	}
	srv, err := syncserver.Open(ctx, dbPath, syncserver.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		ReadConns: c.readConns, DeliveryFlushInterval: c.flushEvery})
	if err != nil {
		return err
	}
	defer srv.Close()
	if base == "" {
		start := time.Now()
		if err := srv.PutSubjects(ctx, ds.Subjects, ds.Records); err != nil {
			return err
		}
		fmt.Fprintf(out, "seeded %d subjects, %d records in %s\n", len(ds.Subjects), len(ds.Records), time.Since(start).Round(time.Millisecond))
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = hs.Serve(ln) }()
		defer hs.Close()
		base = "http://" + ln.Addr().String()
	}

	hc := &http.Client{Timeout: c.timeout, Transport: &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        c.concurrency + 16,
		MaxIdleConnsPerHost: c.concurrency + 16,
		DisableCompression:  true,
		IdleConnTimeout:     time.Minute,
	}}
	defer hc.CloseIdleConnections()

	// Enrol: a code from the Go API, the key through POST /enroll.
	run := fmt.Sprintf("lg%d", time.Now().Unix()%1000000)
	devs := make([]*device, c.devices)
	start := time.Now()
	if err := parallel(ctx, c.devices, c.enrolWorkers, func(i int) error {
		_, key, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		d := &device{id: fmt.Sprintf("%s-%05d", run, i), key: key}
		scope := ""
		if len(c.scopes) > 0 {
			scope = c.scopes[i%len(c.scopes)]
		}
		code, _, err := srv.AddDevice(ctx, d.id, scope)
		if err != nil {
			return err
		}
		if _, err := syncclient.Enroll(ctx, syncclient.EnrollConfig{BaseURL: base, DeviceID: d.id, Code: code, Key: key, HTTPClient: hc}); err != nil {
			return err
		}
		devs[i] = d
		return nil
	}); err != nil {
		return fmt.Errorf("enrol: %w", err)
	}
	fmt.Fprintf(out, "enrolled %d devices in %s (%s)\n", c.devices, time.Since(start).Round(time.Millisecond), base)

	p := &puller{base: base, hc: hc, sem: make(chan struct{}, c.concurrency)}
	p.dec, _ = zstd.NewReader(nil, zstd.WithDecoderMaxWindow(8<<20), zstd.WithDecoderMaxMemory(64<<20))
	defer p.dec.Close()

	// Catch-up (not measured): every device pulls until caught up.
	start = time.Now()
	var catchPages atomic.Int64
	if err := parallel(ctx, c.devices, max(c.catchWorkers, 1), func(i int) error {
		for {
			more, _, err := p.pull(ctx, devs[i])
			if err != nil {
				return err
			}
			catchPages.Add(1)
			if !more {
				return nil
			}
		}
	}); err != nil {
		return fmt.Errorf("catch-up: %w", err)
	}
	fmt.Fprintf(out, "catch-up: %d pages in %s\n", catchPages.Load(), time.Since(start).Round(time.Millisecond))

	// The measured run.
	runCtx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	var wg sync.WaitGroup
	var withdrawn, missing atomic.Int64
	if c.withdrawEvery > 0 && len(ds.Records) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(c.withdrawEvery)
			defer t.Stop()
			for i := 0; i < len(ds.Records); i++ {
				select {
				case <-runCtx.Done():
					return
				case <-t.C:
				}
				err := srv.WithdrawRecord(runCtx, ds.Records[i].ID, "loadgen")
				switch {
				case err == nil:
					withdrawn.Add(1)
				case credit.ErrorCode(err) == credit.ENOTFOUND:
					missing.Add(1)
				}
			}
		}()
	}
	lat := make([][]time.Duration, c.devices)
	errs := make([]map[string]int, c.devices)
	var ops atomic.Int64
	if err := c.prof.start(); err != nil {
		return err
	}
	start, cpu0 := time.Now(), cputime.Process()
	for i := range devs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := mrand.New(mrand.NewPCG(uint64(i), 7))
			errs[i] = map[string]int{}
			if c.interval > 0 { // spread the first pulls over one interval
				if sleep(runCtx, time.Duration(rng.Int64N(int64(c.interval)))) != nil {
					return
				}
			}
			for runCtx.Err() == nil {
				t0 := time.Now()
				more, n, err := p.pull(runCtx, devs[i])
				if runCtx.Err() != nil {
					return // the run ended mid-request: not counted
				}
				lat[i] = append(lat[i], time.Since(t0))
				ops.Add(int64(n))
				if err != nil {
					errs[i][errKind(err)]++
				}
				if c.interval > 0 && !more {
					if sleep(runCtx, c.interval/2+time.Duration(rng.Int64N(int64(c.interval)))) != nil {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), cputime.Process()-cpu0
	if err := c.prof.stop(); err != nil {
		return err
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	errTotal := map[string]int{}
	nerr := 0
	for _, m := range errs {
		for k, v := range m {
			errTotal[k] += v
			nerr += v
		}
	}
	fmt.Fprintf(out, "devices %d, concurrency %d, interval %s, %s: %d requests, %.0f req/s, %d ops delivered, %d records withdrawn (%d absent)\n",
		c.devices, c.concurrency, c.interval, elapsed.Round(time.Millisecond), len(all), float64(len(all))/elapsed.Seconds(), ops.Load(), withdrawn.Load(), missing.Load())
	if len(all) > 0 {
		fmt.Fprintf(out, "latency p50 %s  p95 %s  p99 %s  max %s\n",
			ms(pct(all, 50)), ms(pct(all, 95)), ms(pct(all, 99)), ms(all[len(all)-1]))
	}
	if cpu > 0 {
		fmt.Fprintf(out, "process CPU %.1f s in %.1f s (%.2f cores), %.2f ms per request (client and server)\n",
			cpu.Seconds(), elapsed.Seconds(), cpu.Seconds()/elapsed.Seconds(), float64(cpu)/float64(time.Millisecond)/float64(max(len(all), 1)))
	}
	fmt.Fprintf(out, "errors %d", nerr)
	for k, v := range errTotal {
		fmt.Fprintf(out, "  %s: %d", k, v)
	}
	fmt.Fprintln(out)
	return nil
}
