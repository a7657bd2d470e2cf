package idcard_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/device/idcard/samsim"
	"github.com/gansu-credit/credit/internal/lockedbuf"
	"github.com/gansu-credit/credit/internal/pty"
)

// events collects a Watcher's events for a test.
type events chan idcard.Event

func (e events) emit(ev idcard.Event) { e <- ev }

// next waits for the next event and checks its kind. Unless a
// WatchError is wanted, read failures are skipped: a card taken off
// between select and read gives one (SW3 41), which is right but timing.
func (e events) next(t *testing.T, want idcard.EventKind) idcard.Event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev := <-e:
			if ev.Kind == idcard.WatchError && want != idcard.WatchError {
				continue
			}
			if ev.Kind != want {
				t.Fatalf("event %v (err %v), want %v", ev.Kind, ev.Err, want)
			}
			return ev
		case <-timeout:
			t.Fatalf("no %v event within 5 s", want)
		}
	}
}

// until skips events until one of kind want arrives.
func (e events) until(t *testing.T, want idcard.EventKind) idcard.Event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case ev := <-e:
			if ev.Kind == want {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %v event within 5 s", want)
		}
	}
}

// quiet checks that no card or reader event is emitted for d (read
// failures are skipped as in next).
func (e events) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	timeout := time.After(d)
	for {
		select {
		case ev := <-e:
			if ev.Kind != idcard.WatchError {
				t.Fatalf("unexpected event %v (err %v)", ev.Kind, ev.Err)
			}
		case <-timeout:
			return
		}
	}
}

// device is a simulated reader behind a stable symlink, like
// /dev/credit-idcard in front of a USB adapter that can be unplugged.
type device struct {
	t      *testing.T
	link   string
	master *os.File
	sim    *samsim.Sim
	stop   context.CancelFunc
	done   chan struct{}
}

func newDevice(t *testing.T) *device {
	d := &device{t: t, link: filepath.Join(t.TempDir(), "credit-idcard")}
	d.plug()
	t.Cleanup(d.unplug)
	return d
}

// plug creates a new pty and points the link at it.
func (d *device) plug() {
	d.t.Helper()
	master, path, err := pty.Open()
	if err != nil {
		d.t.Fatal(err)
	}
	_ = os.Remove(d.link)
	if err := os.Symlink(path, d.link); err != nil {
		d.t.Fatal(err)
	}
	d.master, d.sim = master, samsim.New(master, nil)
	ctx, cancel := context.WithCancel(context.Background())
	d.stop, d.done = cancel, make(chan struct{})
	go func() { defer close(d.done); _ = d.sim.Run(ctx) }()
}

// unplug removes the link and closes the master: the port vanishes.
func (d *device) unplug() {
	if d.master == nil {
		return
	}
	_ = os.Remove(d.link) // first: the kernel may reuse the pts number at once
	d.stop()
	d.master.Close()
	<-d.done
	d.master = nil
}

func watchFast(open func(context.Context) (io.ReadWriteCloser, error)) idcard.WatchConfig {
	return idcard.WatchConfig{Open: open, Reader: fast, Poll: 20 * time.Millisecond,
		BackoffMin: 20 * time.Millisecond, BackoffMax: 100 * time.Millisecond}
}

func startWatch(t *testing.T, cfg idcard.WatchConfig) events {
	t.Helper()
	ev := make(events, 64)
	w := idcard.NewWatcher(cfg, ev.emit)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run returned %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
	return ev
}

func TestWatchInsertReadRemoveUnplug(t *testing.T) {
	dev := newDevice(t)
	ev := startWatch(t, watchFast(idcard.SerialOpener(dev.link, idcard.DefaultBaud)))
	ev.quiet(t, 150*time.Millisecond) // no card, reader fine: nothing to say

	if err := dev.sim.SetCard(demo); err != nil {
		t.Fatal(err)
	}
	ev.next(t, idcard.CardInserted)
	if got := ev.next(t, idcard.CardRead).Card; got != demo {
		t.Fatalf("card %+v, want %+v", got, demo)
	}
	ev.quiet(t, 200*time.Millisecond) // same card, many polls: no duplicates

	// A card left on the reader that find no longer sees (design §4.3)
	// is still there: select decides.
	dev.sim.SetFaults(samsim.Faults{FindFails: true})
	ev.quiet(t, 150*time.Millisecond)
	dev.sim.SetFaults(samsim.Faults{})

	dev.sim.RemoveCard()
	ev.next(t, idcard.CardRemoved)

	// Swapping cards between two polls gives removed + the new card.
	if err := dev.sim.SetCard(demo); err != nil {
		t.Fatal(err)
	}
	ev.next(t, idcard.CardInserted)
	ev.next(t, idcard.CardRead)
	other := demo
	other.Number, other.Birth, other.Sex = "11010519491231002X", "19491231", "2"
	if err := dev.sim.SetCard(other); err != nil {
		t.Fatal(err)
	}
	ev.next(t, idcard.CardRemoved)
	ev.next(t, idcard.CardInserted)
	if got := ev.next(t, idcard.CardRead).Card.Number; got != other.Number {
		t.Fatalf("number %s, want %s", got, other.Number)
	}

	// USB unplug with the card on: removed, lost; plugged back: back and
	// the card is read again.
	dev.unplug()
	ev.next(t, idcard.CardRemoved)
	lost := ev.next(t, idcard.ReaderLost)
	if credit.ErrorCode(lost.Err) != credit.EUNAVAILABLE {
		t.Errorf("ReaderLost error %v: code %q, want %q", lost.Err, credit.ErrorCode(lost.Err), credit.EUNAVAILABLE)
	}
	ev.quiet(t, 300*time.Millisecond) // retries do not repeat ReaderLost
	dev.plug()
	if err := dev.sim.SetCard(demo); err != nil {
		t.Fatal(err)
	}
	ev.next(t, idcard.ReaderBack)
	ev.next(t, idcard.CardInserted)
	if got := ev.next(t, idcard.CardRead).Card; got != demo {
		t.Fatalf("card after replug %+v", got)
	}
}

func TestWatchRemovalNeedsConsecutiveMisses(t *testing.T) {
	dev := newDevice(t)
	cfg := watchFast(idcard.SerialOpener(dev.link, idcard.DefaultBaud))
	cfg.RemoveAfter = 8 // a flicker must last 8 polls (≥ 240 ms) to count: robust on a loaded machine
	cfg.Poll = 30 * time.Millisecond
	ev := startWatch(t, cfg)
	if err := dev.sim.SetCard(demo); err != nil {
		t.Fatal(err)
	}
	ev.next(t, idcard.CardInserted)
	ev.next(t, idcard.CardRead)
	// Flicker: the card is lifted for about one poll, then back.
	for range 3 {
		dev.sim.RemoveCard()
		time.Sleep(35 * time.Millisecond)
		if err := dev.sim.SetCard(demo); err != nil {
			t.Fatal(err)
		}
		time.Sleep(60 * time.Millisecond)
	}
	ev.quiet(t, 100*time.Millisecond)
	dev.sim.RemoveCard()
	ev.next(t, idcard.CardRemoved)
}

func TestWatchReportsBadFramesAndStaysConnected(t *testing.T) {
	dev := newDevice(t)
	ev := startWatch(t, watchFast(idcard.SerialOpener(dev.link, idcard.DefaultBaud)))
	ev.quiet(t, 60*time.Millisecond) // connected
	dev.sim.SetFaults(samsim.Faults{BadChecksum: true})
	if err := dev.sim.SetCard(demo); err != nil {
		t.Fatal(err)
	}
	e := ev.next(t, idcard.WatchError)
	if !errors.Is(e.Err, idcard.ErrChecksum) {
		t.Fatalf("error %v, want ErrChecksum", e.Err)
	}
	dev.sim.SetFaults(samsim.Faults{})
	for {
		e := <-ev
		if e.Kind == idcard.WatchError {
			continue // polls already under way
		}
		if e.Kind != idcard.CardInserted {
			t.Fatalf("event %v, want card-inserted", e.Kind)
		}
		break
	}
	ev.next(t, idcard.CardRead)
}

var _ app.CardReader = (*idcard.Watcher)(nil)

// The Watcher serves a "Read card" tap through its own line.
func TestWatcherReadCard(t *testing.T) {
	dev := newDevice(t)
	ev := make(events, 64)
	w := idcard.NewWatcher(watchFast(idcard.SerialOpener(dev.link, idcard.DefaultBaud)), ev.emit)
	if _, err := w.ReadCard(t.Context()); credit.ErrorCode(err) != credit.EUNAVAILABLE {
		t.Fatalf("ReadCard before Run: %v, want EUNAVAILABLE", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := w.ReadCard(t.Context())
		if errors.Is(err, idcard.ErrNoCard) {
			break // connected: the reader says there is no card
		}
		if time.Now().After(deadline) {
			t.Fatalf("never connected: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := dev.sim.SetCard(demo); err != nil {
		t.Fatal(err)
	}
	if got, err := w.ReadCard(t.Context()); err != nil || got != demo {
		t.Fatalf("ReadCard = %+v, %v", got, err)
	}
	dev.unplug()
	ev.until(t, idcard.ReaderLost)
	if _, err := w.ReadCard(t.Context()); credit.ErrorCode(err) != credit.EUNAVAILABLE {
		t.Fatalf("ReadCard while lost: %v, want EUNAVAILABLE", err)
	}
}

// A card resting on the reader that find no longer sees (SW3 80, select
// fine) is not read again at every poll; one that find sees is, so a swap
// shows.
func TestWatchReadsOnlyWhenFound(t *testing.T) {
	dev := newDevice(t)
	logs := &lockedbuf.Buffer{}
	cfg := watchFast(idcard.SerialOpener(dev.link, idcard.DefaultBaud))
	cfg.Reader.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ev := startWatch(t, cfg)
	reads := func() int { return strings.Count(logs.String(), "cmd=read ") }
	if err := dev.sim.SetCard(demo); err != nil {
		t.Fatal(err)
	}
	ev.next(t, idcard.CardInserted)
	ev.next(t, idcard.CardRead)

	dev.sim.SetFaults(samsim.Faults{FindFails: true})
	time.Sleep(60 * time.Millisecond) // a poll under way may still read
	before := reads()
	time.Sleep(250 * time.Millisecond) // about 10 polls
	if n := reads() - before; n != 0 {
		t.Errorf("%d reads of a resting card that find does not see", n)
	}
	ev.quiet(t, 10*time.Millisecond)

	dev.sim.SetFaults(samsim.Faults{})
	before = reads()
	time.Sleep(400 * time.Millisecond)
	if n := reads() - before; n == 0 {
		t.Errorf("no reads in 400 ms while find answers 9F; the number is not being checked")
	}
	ev.quiet(t, 10*time.Millisecond) // same number: still no events
}
