package app

import (
	"context"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
)

// EventType says what happened.
type EventType int

// Event types.
const (
	CardRead       EventType = iota + 1 // a card was read and a session opened (Event.Session)
	SessionEnded                        // the session was ended and its data dropped
	ObjectionFiled                      // an objection was saved (Event.Objection)
	SyncStatus                          // the sync loop reported progress (Event.Sync)
	Error                               // a use case failed (Event.Err, a user-facing error)
	SessionUpdated                      // the open session was reloaded after a sync (Event.Session replaces Event.Previous)
	CardRemoved                         // the holder's card was taken off and the session ended (Event.Session)
)

// String names the event type.
func (t EventType) String() string {
	switch t {
	case CardRead:
		return "CardRead"
	case SessionEnded:
		return "SessionEnded"
	case ObjectionFiled:
		return "ObjectionFiled"
	case SyncStatus:
		return "SyncStatus"
	case Error:
		return "Error"
	case SessionUpdated:
		return "SessionUpdated"
	case CardRemoved:
		return "CardRemoved"
	}
	return "EventType(?)"
}

// SyncPhase is where the sync loop is.
type SyncPhase string

// Sync phases.
const (
	SyncIdle    SyncPhase = "idle"    // waiting for the next round
	SyncRunning SyncPhase = "running" // pushing or pulling now
	SyncOffline SyncPhase = "offline" // the platform cannot be reached; retrying
	SyncFailed  SyncPhase = "failed"  // the last round failed for another reason
	SyncOff     SyncPhase = "off"     // this terminal is not configured to sync
)

// SyncInfo is what the sync loop reports through PublishSync.
type SyncInfo struct {
	Phase       SyncPhase
	Applied     int // changes applied in the last round
	Pending     int // applications still waiting to be sent
	LastSuccess time.Time
	Err         error
	// Done and Total measure the running bootstrap or deltas: changes
	// applied of those the platform announced; Total is 0 when unknown
	// (Percent, synclag.go).
	Done, Total int64
	// Lag is the device's deletion lag as the platform last reported it
	// (synclag.go).
	Lag DeletionLag
}

// Event is one item of the feed. Only the field matching Type is set.
type Event struct {
	Seq       int64 // increases by one per published event; a gap means drops
	Type      EventType
	At        time.Time
	Session   *Session
	Previous  *Session // SessionUpdated: the session Session replaces
	Objection *credit.Objection
	Sync      SyncInfo
	Err       error
}

// EventBuffer is the capacity of each subscription. When a subscriber falls
// this far behind, the OLDEST undelivered event is dropped to make room:
// publishing never blocks, and the newest state (e.g. the latest sync
// status) always arrives.
const EventBuffer = 32

// bus is a small publish/subscribe hub (after syncthing lib/events).
type bus struct {
	now  func() time.Time
	mu   sync.Mutex
	seq  int64
	subs map[chan Event]struct{}
}

func newBus(now func() time.Time) *bus {
	return &bus{now: now, subs: map[chan Event]struct{}{}}
}

// Subscribe returns a channel of events published from now on and a
// function that ends the subscription and closes the channel. The cancel
// function may be called more than once.
func (s *Service) Subscribe() (<-chan Event, func()) {
	b := s.bus
	ch := make(chan Event, EventBuffer)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs, ch)
			close(ch)
			b.mu.Unlock()
		})
	}
}

// PublishSync lets the sync loop report its status to the UI. When a round
// has finished and applied changes, the open session (if any) is reloaded
// first, so the holder never keeps looking at withdrawn information; the
// reload runs on the caller's goroutine (the sync loop), never the UI's.
func (s *Service) PublishSync(info SyncInfo) {
	if info.Phase == SyncIdle && info.Applied > 0 {
		s.refreshActive(context.Background())
	}
	s.history.note(info, s.now())
	s.bus.publish(Event{Type: SyncStatus, Sync: info})
}

// publish delivers ev to every subscriber without blocking, dropping each
// full subscriber's oldest event.
func (b *bus) publish(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	ev.Seq = b.seq
	if ev.At.IsZero() {
		ev.At = b.now()
	}
	for ch := range b.subs {
		for {
			select {
			case ch <- ev:
			default:
				select {
				case <-ch: // drop the oldest
				default:
				}
				continue
			}
			break
		}
	}
}
