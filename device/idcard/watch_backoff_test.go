package idcard_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/device/idcard/samsim"
)

// fakeClock records the pauses a Watcher asks for and ends the run after n.
type fakeClock struct {
	mu     sync.Mutex
	pauses []time.Duration
	n      int
	cancel context.CancelFunc
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pauses = append(c.pauses, d)
	if len(c.pauses) >= c.n {
		c.cancel()
		return false
	}
	return ctx.Err() == nil
}

func TestWatchBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	clock := &fakeClock{n: 7, cancel: cancel}
	opens := 0
	ev := make(events, 64)
	w := idcard.NewWatcher(idcard.WatchConfig{
		Open: func(context.Context) (io.ReadWriteCloser, error) {
			opens++
			return nil, &os.PathError{Op: "open", Path: "/dev/credit-idcard", Err: os.ErrNotExist}
		},
		BackoffMin: 100 * time.Millisecond, BackoffMax: time.Second, Sleep: clock.sleep,
	}, ev.emit)
	if err := w.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
	ms := time.Millisecond
	want := []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, time.Second, time.Second, time.Second}
	if len(clock.pauses) != len(want) || opens != len(want) {
		t.Fatalf("pauses %v after %d opens, want %v", clock.pauses, opens, want)
	}
	for i := range want {
		if clock.pauses[i] != want[i] {
			t.Fatalf("pauses %v, want %v", clock.pauses, want)
		}
	}
	ev.next(t, idcard.ReaderLost)
	ev.quiet(t, 10*time.Millisecond)
}

// TestWatchOpenFailsThenWorks uses an in-memory line (net.Pipe) so the
// reconnect path is tested without a pty too.
func TestWatchOpenFailsThenWorks(t *testing.T) {
	fails := 2
	var mu sync.Mutex
	open := func(ctx context.Context) (io.ReadWriteCloser, error) {
		mu.Lock()
		defer mu.Unlock()
		if fails > 0 {
			fails--
			return nil, errors.New("no such device")
		}
		host, dev := net.Pipe()
		sim := samsim.New(dev, nil)
		if err := sim.SetCard(demo); err != nil {
			return nil, err
		}
		go func() { _ = sim.Run(context.Background()); dev.Close() }()
		return host, nil
	}
	ev := startWatch(t, watchFast(open))
	ev.next(t, idcard.ReaderLost)
	ev.next(t, idcard.ReaderBack)
	ev.next(t, idcard.CardInserted)
	ev.next(t, idcard.CardRead)
}

func TestWatchWithoutOpen(t *testing.T) {
	w := idcard.NewWatcher(idcard.WatchConfig{}, func(idcard.Event) {})
	if err := w.Run(t.Context()); err == nil {
		t.Fatal("Run without Open succeeded")
	}
}

// statusOnly answers the SAM status but fails every other command, like a
// reader whose RF side is broken: the Watcher must back off, not flap.
type statusOnly struct{ pending []byte }

func (s *statusOnly) Write(b []byte) (int, error) {
	req, err := idcard.DecodeRequest(b)
	if err != nil || req.Command != idcard.CmdStatus {
		return 0, errors.New("input/output error")
	}
	s.pending = idcard.EncodeResponse(0, 0, idcard.SW3OK, nil)
	return len(b), nil
}

func (s *statusOnly) Read(b []byte) (int, error) {
	n := copy(b, s.pending)
	s.pending = s.pending[n:]
	return n, nil
}

func (s *statusOnly) Close() error { return nil }

func TestWatchBacksOffWhenPollsFail(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	clock := &fakeClock{n: 4, cancel: cancel}
	ev := make(events, 64)
	w := idcard.NewWatcher(idcard.WatchConfig{
		Open:       func(context.Context) (io.ReadWriteCloser, error) { return &statusOnly{}, nil },
		BackoffMin: 100 * time.Millisecond, BackoffMax: time.Second, Sleep: clock.sleep,
	}, ev.emit)
	if err := w.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
	ms := time.Millisecond
	want := []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms}
	if len(clock.pauses) != len(want) {
		t.Fatalf("pauses %v, want %v", clock.pauses, want)
	}
	for i := range want {
		if clock.pauses[i] != want[i] {
			t.Fatalf("pauses %v, want %v", clock.pauses, want)
		}
	}
	ev.next(t, idcard.ReaderLost)
	ev.next(t, idcard.ReaderBack)
	ev.next(t, idcard.ReaderLost)
}
