package syncclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// fakeClocks are a device wall clock that can be set anywhere and a
// monotonic clock that only the test advances.
type fakeClocks struct {
	wall atomic.Int64 // UnixNano
	mono atomic.Int64 // nanoseconds
}

func (f *fakeClocks) now() time.Time                    { return time.Unix(0, f.wall.Load()) }
func (f *fakeClocks) elapsed() time.Duration            { return time.Duration(f.mono.Load()) }
func (f *fakeClocks) advance(d time.Duration)           { f.mono.Add(int64(d)); f.wall.Add(int64(d)) }
func (f *fakeClocks) jump(to func(time.Time) time.Time) { f.wall.Store(to(f.now()).UnixNano()) }

var clockJumps = []struct {
	name string
	to   func(time.Time) time.Time
}{
	{"forward a day", func(t time.Time) time.Time { return t.Add(24 * time.Hour) }},
	{"back a day", func(t time.Time) time.Time { return t.Add(-24 * time.Hour) }},
	{"to 1970", func(time.Time) time.Time { return time.Unix(0, 0) }},
}

// TestClockJumpsDuringStaleness (F15): the device's clock jumps between
// two rounds; sync goes on, and the server-anchored time, the data's age
// and the last success follow the platform's clock, not the device's.
func TestClockJumpsDuringStaleness(t *testing.T) {
	for _, tt := range clockJumps {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, 0)
			seed(t, f.srv, 3)
			var k fakeClocks
			k.wall.Store(t0.UnixNano())
			c := f.client(func(cfg *Config) { cfg.Now, cfg.Monotonic = k.now, k.elapsed })
			if _, ok := c.ServerNow(); ok {
				t.Fatal("anchored before any answer")
			}
			res, err := c.SyncOnce(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			k.advance(90 * time.Minute)
			k.jump(tt.to)
			now, ok := c.ServerNow()
			if !ok || now.Sub(t0.Add(90*time.Minute)).Abs() > time.Second {
				t.Errorf("ServerNow = %v, %v; want %v (device clock at %v)", now, ok, t0.Add(90*time.Minute), k.now())
			}
			if age, ok := c.DataAge(res.AsOf); !ok || (age-90*time.Minute).Abs() > time.Second {
				t.Errorf("DataAge = %v, %v; want 1h30m", age, ok)
			}
			// The next round works, and its success is dated by the
			// platform (whose fixture clock stands at t0).
			seed(t, f.srv, 4)
			res, err = c.SyncOnce(t.Context())
			if err != nil || res.Applied == 0 {
				t.Fatalf("round after the jump: %+v, %v", res, err)
			}
			if ls := c.LastSuccess(); ls.Sub(t0).Abs() > time.Second {
				t.Errorf("LastSuccess = %v, want the platform's %v", ls, t0)
			}
		})
	}
}

// TestClockJumpsDuringBackoff (F15): Run's waits are durations; a device
// clock jumping while Run waits does not change them.
func TestClockJumpsDuringBackoff(t *testing.T) {
	run := func(t *testing.T, jump func(time.Time) time.Time) []time.Duration {
		f := newFixture(t, 0)
		f.setWrap(func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			http.Error(w, "down", http.StatusServiceUnavailable)
		})
		var k fakeClocks
		k.wall.Store(t0.UnixNano())
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var waits []time.Duration
		c := f.client(func(cfg *Config) {
			cfg.Now, cfg.Monotonic = k.now, k.elapsed
			cfg.RetryMax, cfg.RetryWaitMax, cfg.BackoffMax = -1, 10*time.Second, 40*time.Second
			cfg.Sleep = func(ctx context.Context, d time.Duration) error {
				waits = append(waits, d)
				k.advance(d)
				if jump != nil {
					k.jump(jump)
				}
				if len(waits) == 5 {
					cancel()
				}
				return ctx.Err()
			}
		})
		c.rand = func() float64 { return 1 }
		if err := c.Run(ctx); err != context.Canceled {
			t.Fatalf("Run = %v", err)
		}
		return waits
	}
	steady := run(t, nil)
	for _, tt := range clockJumps {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, tt.to)
			if len(got) != len(steady) {
				t.Fatalf("waits %v, steady clock %v", got, steady)
			}
			for i := range got {
				if got[i] != steady[i] {
					t.Errorf("wait %d = %v with the jumps, %v with a steady clock", i, got[i], steady[i])
				}
			}
		})
	}
}

// TestRetryAfterDateByServerClock (F15): an HTTP-date Retry-After is read
// against the platform's clock, so a device clock in 1970 neither waits
// decades (clamped to the cap) nor ignores it.
func TestRetryAfterDateByServerClock(t *testing.T) {
	for _, tt := range clockJumps {
		t.Run(tt.name, func(t *testing.T) {
			var k fakeClocks
			k.wall.Store(tt.to(t0).UnixNano())
			c := New(Config{BaseURL: "http://127.0.0.1:1", Now: k.now, Monotonic: k.elapsed})
			c.clock.observe(t0, 0, 0) // an answer dated t0
			resp := &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{
				"Retry-After": {t0.Add(7 * time.Second).Format(http.TimeFormat)}}}
			if d := c.backoff(time.Second, time.Minute, 0, resp); d < 6*time.Second || d > 7*time.Second {
				t.Errorf("wait %v, want the 7 s the platform asked for (less the Date's half second)", d)
			}
		})
	}
}

func TestServerClockObserve(t *testing.T) {
	var k fakeClocks
	sc := &serverClock{mono: k.elapsed}
	sc.observe(t0, 0, 2*time.Second) // Date t0, round trip of 2 s
	if now, _ := sc.now(); !now.Equal(t0.Add(-500 * time.Millisecond)) {
		t.Errorf("now = %v, want the Date's middle at the round trip's midpoint", now)
	}
	k.mono.Store(int64(10 * time.Second))
	sc.observe(t0.Add(9*time.Second), k.elapsed(), k.elapsed()) // within a second: ignored
	if now, _ := sc.now(); !now.Equal(t0.Add(9500 * time.Millisecond)) {
		t.Errorf("now = %v after a reading within a second", now)
	}
	sc.observe(t0.Add(time.Hour), k.elapsed(), k.elapsed()) // the platform's clock was set
	if now, _ := sc.now(); !now.Equal(t0.Add(time.Hour + 500*time.Millisecond)) {
		t.Errorf("now = %v after a far reading", now)
	}
}

// TestWrongClockBreaksTLS (F15): with the device clock far off, the
// platform's certificate looks expired or not yet valid; the round fails
// at once, says the clock is wrong, and is not retried in a loop.
func TestWrongClockBreaksTLS(t *testing.T) {
	var hits, handshakes atomic.Int32
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	ts.TLS = &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) { handshakes.Add(1); return nil, nil }}
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	defer ts.Close()
	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	for _, tt := range []struct {
		name  string
		clock time.Time
		wrong bool
	}{
		{"in 1960", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"in 2100", time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"right", time.Now(), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Time: func() time.Time { return tt.clock }}}}
			c := New(Config{BaseURL: ts.URL, Token: "t", Outbox: newFakeStore(), Applier: newFakeStore(), HTTPClient: hc,
				RetryMax: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
			before := handshakes.Load()
			_, err := c.SyncOnce(t.Context())
			if got := err != nil && strings.Contains(credit.ErrorMessageEN(err), "clock"); got != tt.wrong {
				t.Errorf("error %v; want a wrong-clock error: %v", err, tt.wrong)
			}
			if tt.wrong && credit.ErrorCode(err) != credit.EUNAVAILABLE {
				t.Errorf("code %s, want %s", credit.ErrorCode(err), credit.EUNAVAILABLE)
			}
			if n := handshakes.Load() - before; tt.wrong && n != 1 {
				t.Errorf("%d TLS handshakes in the round, want 1 (no retry)", n)
			}
		})
	}
	if n := hits.Load(); n == 0 || n > 3 {
		t.Errorf("the platform saw %d requests; want only the right clock's round", n)
	}
}
