package idcard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
)

// EventKind says what a Watcher saw.
type EventKind int

// Watcher events.
const (
	CardInserted EventKind = iota + 1 // a card answered find/select; its read follows
	CardRead                          // the card's text was read (Event.Card)
	CardRemoved                       // the card is gone (after WatchConfig.RemoveAfter misses) or the reader was lost with a card on it
	ReaderLost                        // the port cannot be opened, or the reader stopped answering (Event.Err)
	ReaderBack                        // the reader answers again (also emitted once at start-up after a ReaderLost)
	WatchError                        // a read failed while the reader stays connected (Event.Err): bad frame, SW3 fault
)

// String names the kind for logs.
func (k EventKind) String() string {
	switch k {
	case CardInserted:
		return "card-inserted"
	case CardRead:
		return "card-read"
	case CardRemoved:
		return "card-removed"
	case ReaderLost:
		return "reader-lost"
	case ReaderBack:
		return "reader-back"
	case WatchError:
		return "error"
	}
	return fmt.Sprintf("event-%d", int(k))
}

// Event is what a Watcher emits. Card is set only for CardRead; Err for
// ReaderLost and WatchError (a *credit.Error inside, for the screen).
type Event struct {
	Kind EventKind
	Card credit.IDCard
	Err  error
}

// Watch defaults.
const (
	DefaultPoll        = 500 * time.Millisecond
	DefaultRemoveAfter = 3
	DefaultBackoffMin  = 200 * time.Millisecond
	DefaultBackoffMax  = 5 * time.Second
)

// WatchConfig tunes a Watcher. Open is required.
type WatchConfig struct {
	// Open opens the line to the reader: idcard.SerialOpener(path, baud)
	// for a real port, anything else in tests. It is called again after
	// the reader was lost (USB unplug), with backoff.
	Open func(ctx context.Context) (io.ReadWriteCloser, error)
	// Reader configures the Reader built over each opened line (its
	// Logger defaults to Logger).
	Reader Config
	// Poll is the pause between polls; 0 = DefaultPoll.
	Poll time.Duration
	// RemoveAfter is how many consecutive "no card" answers make a
	// CardRemoved; 0 = DefaultRemoveAfter.
	RemoveAfter int
	// BackoffMin and BackoffMax bound the pause between reconnection
	// attempts, doubling from min to max; 0 = the defaults.
	BackoffMin, BackoffMax time.Duration
	// Sleep pauses for d or until ctx ends (then it returns false);
	// nil = a real timer. Tests inject it.
	Sleep  func(ctx context.Context, d time.Duration) bool
	Logger *slog.Logger // nil = discard
}

// SerialOpener returns a WatchConfig.Open that opens the serial port at
// path (a stable name such as /dev/credit-idcard survives replugging).
func SerialOpener(path string, baud int) func(context.Context) (io.ReadWriteCloser, error) {
	return func(context.Context) (io.ReadWriteCloser, error) {
		p, err := OpenSerial(path, baud)
		if err != nil {
			return nil, err
		}
		return p, nil
	}
}

// Watcher polls a reader and turns what it sees into events. It owns the
// line: it opens it, and closes and reopens it when the reader is lost.
type Watcher struct {
	cfg  WatchConfig
	emit func(Event)
	log  *slog.Logger

	mu  sync.Mutex
	cur *Reader // the connected reader, nil while lost
}

// errNotConnected is ReadCard's answer while the line is down.
var errNotConnected = &credit.Error{Code: credit.EUNAVAILABLE,
	Message:   "读卡器未连接，请检查读卡器连接或联系工作人员。",
	MessageEN: "The card reader is not connected. Check its connection or ask a member of staff."}

// ReadCard reads the card now through the Watcher's line (a "Read card"
// button while Run watches), so a Watcher can serve as app.CardReader. It
// does not change what the Watcher reports. While the reader is lost it
// returns an EUNAVAILABLE error.
func (w *Watcher) ReadCard(ctx context.Context) (credit.IDCard, error) {
	w.mu.Lock()
	r := w.cur
	w.mu.Unlock()
	if r == nil {
		return credit.IDCard{}, fmt.Errorf("idcard: watch: read card: %w", errNotConnected)
	}
	return r.ReadCard(ctx)
}

func (w *Watcher) setCurrent(r *Reader) {
	w.mu.Lock()
	w.cur = r
	w.mu.Unlock()
}

// NewWatcher returns a Watcher that calls emit (from Run's goroutine, in
// order) for every event. It does no I/O.
func NewWatcher(cfg WatchConfig, emit func(Event)) *Watcher {
	if emit == nil {
		emit = func(Event) {}
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	if cfg.RemoveAfter <= 0 {
		cfg.RemoveAfter = DefaultRemoveAfter
	}
	if cfg.BackoffMin <= 0 {
		cfg.BackoffMin = DefaultBackoffMin
	}
	if cfg.BackoffMax < cfg.BackoffMin {
		cfg.BackoffMax = max(DefaultBackoffMax, cfg.BackoffMin)
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Reader.Logger == nil {
		cfg.Reader.Logger = log
	}
	return &Watcher{cfg: cfg, emit: emit, log: log}
}

// cardState is what the Watcher believes is on the reader.
type cardState int

const (
	noCard   cardState = iota
	inserted           // found, not read yet (the read failed)
	read               // read; number holds its number
)

// watchState is Run's loop state.
type watchState struct {
	port   io.ReadWriteCloser
	r      *Reader
	lost   bool // ReaderLost emitted and not yet followed by ReaderBack
	card   cardState
	number string
	misses int
}

// Run polls until ctx ends and then returns ctx.Err(), having closed the
// line. It never returns earlier: a lost reader is retried with backoff.
func (w *Watcher) Run(ctx context.Context) error {
	if w.cfg.Open == nil {
		return errors.New("idcard: watch: WatchConfig.Open is nil")
	}
	var st watchState
	defer func() {
		w.setCurrent(nil)
		if st.port != nil {
			_ = st.port.Close()
		}
	}()
	// The backoff grows with every failure (open, status or a poll that
	// finds the reader gone) and is reset by the first good poll, so a
	// reader that answers status but fails every read cannot make the
	// loop flap at full speed.
	backoff := w.cfg.BackoffMin
	for ctx.Err() == nil {
		err := error(nil)
		if st.port == nil {
			err = w.connect(ctx, &st)
		}
		if err == nil {
			err = w.poll(ctx, &st)
		}
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			w.lose(ctx, &st, err)
			w.cfg.Sleep(ctx, backoff)
			backoff = min(2*backoff, w.cfg.BackoffMax)
			continue
		}
		backoff = w.cfg.BackoffMin
		w.cfg.Sleep(ctx, w.cfg.Poll)
	}
	return ctx.Err()
}

// connect opens the line and checks that the SAM answers.
func (w *Watcher) connect(ctx context.Context, st *watchState) error {
	port, err := w.cfg.Open(ctx)
	if err != nil {
		return fmt.Errorf("idcard: watch: open: %w", err)
	}
	r := New(port, w.cfg.Reader)
	if err := r.Status(ctx); err != nil {
		_ = port.Close()
		return fmt.Errorf("idcard: watch: %w", err)
	}
	st.port, st.r = port, r
	w.setCurrent(r)
	if st.lost {
		st.lost = false
		w.log.InfoContext(ctx, "reader back")
		w.emit(Event{Kind: ReaderBack})
	}
	return nil
}

// lose closes the line and reports the loss once.
func (w *Watcher) lose(ctx context.Context, st *watchState, err error) {
	if st.port != nil {
		w.setCurrent(nil)
		_ = st.port.Close()
		st.port, st.r = nil, nil
	}
	if st.card != noCard {
		w.removed(ctx, st)
	}
	if !st.lost {
		st.lost = true
		w.log.WarnContext(ctx, "reader lost", logErr, err.Error())
		w.emit(Event{Kind: ReaderLost, Err: err})
	}
}

// poll makes one attempt. It returns an error only when the reader is
// lost (I/O failure or no answer at all).
//
// Every poll finds and selects; the card is read only when it is new, or
// when find answers 9F although a card was already read: with SAMs that
// do not find a card resting on the reader since its last read (SW3 80
// while select still works), a card that stays put is not read over and
// over, and a fresh 9F is how a swapped card shows. Other SAMs answer 9F
// each time, and the card is read at every poll to check its number.
func (w *Watcher) poll(ctx context.Context, st *watchState) error {
	found, err := st.r.present(ctx)
	if err != nil {
		return w.failed(ctx, st, err)
	}
	if st.card == noCard {
		st.card = inserted
		w.emit(Event{Kind: CardInserted})
	}
	st.misses = 0
	if st.card == read && !found {
		return nil // the same card, resting on the reader
	}
	card, err := st.r.ReadCard(ctx)
	if err != nil {
		return w.failed(ctx, st, err)
	}
	st.misses = 0
	if st.card == read && card.Number == st.number {
		return nil // the same card, still on the reader
	}
	if st.card == read { // swapped between two polls
		w.removed(ctx, st)
		w.emit(Event{Kind: CardInserted})
	}
	st.card, st.number = read, card.Number
	w.emit(Event{Kind: CardRead, Card: card})
	return nil
}

// failed sorts a failed poll: lost reader (returned), no card (counted)
// or another fault (reported).
func (w *Watcher) failed(ctx context.Context, st *watchState, err error) error {
	switch {
	case ctx.Err() != nil:
		return nil
	case isLost(err):
		return err
	case credit.ErrorCode(err) == credit.ENOTFOUND:
		if st.card != noCard {
			st.misses++
			if st.misses >= w.cfg.RemoveAfter {
				w.removed(ctx, st)
			}
		}
		return nil
	}
	w.log.WarnContext(ctx, "card read failed", logErr, err.Error())
	w.emit(Event{Kind: WatchError, Err: err})
	return nil
}

func (w *Watcher) removed(ctx context.Context, st *watchState) {
	st.card, st.number, st.misses = noCard, "", 0
	w.log.InfoContext(ctx, "card removed")
	w.emit(Event{Kind: CardRemoved})
}

// isLost reports whether err means the line or the reader is gone rather
// than a bad answer.
func isLost(err error) bool {
	return errors.Is(err, errIO) || errors.Is(err, ErrNoResponse)
}

// present finds and selects the card without reading it; found reports
// whether find itself succeeded (see findSelect).
func (r *Reader) present(ctx context.Context) (found bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.findSelect(ctx)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
