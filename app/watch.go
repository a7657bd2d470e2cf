package app

import (
	"context"
	"time"

	credit "github.com/gansu-credit/credit"
)

// DefaultCardPoll is how often RunCardWatch asks the reader for a card.
const DefaultCardPoll = time.Second

// setActive records sess as the open session; the watcher then waits for
// the card to be taken off before it opens another.
func (s *Service) setActive(sess *Session) {
	s.stateMu.Lock()
	s.active, s.armed = sess, false
	s.stateMu.Unlock()
	s.missing = 0 // callers hold cardMu
}

// RunCardWatch watches the reader until ctx ends. With Deps.CardWatch it
// runs that watcher (interval unused), which checks for the card with
// find/select only and reads it once when placed (cardwatch.go). Without
// one it polls Card every interval (DefaultCardPoll when <= 0) and opens a session when a card is placed, publishing CardRead with it
// (or Error), exactly as ReadCard does. It does not poll while a session is
// open, and after a session it waits until the reader has been seen empty,
// so a card left on the reader is not read again after Finish. It returns
// nil at once when no reader is attached, otherwise ctx.Err() when ctx is
// done.
func (s *Service) RunCardWatch(ctx context.Context, interval time.Duration) error {
	if s.watch != nil {
		return s.runWatcher(ctx)
	}
	if s.card == nil {
		return nil
	}
	if interval <= 0 {
		interval = DefaultCardPoll
	}
	t := time.NewTimer(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		s.pollCard(ctx)
		t.Reset(interval)
	}
}

// pollCard makes one attempt of the watcher.
func (s *Service) pollCard(ctx context.Context) {
	s.cardMu.Lock()
	s.stateMu.Lock()
	active := s.active
	s.stateMu.Unlock()
	if active != nil {
		gone := s.endOnRemoval && s.cardGone(ctx, active)
		s.cardMu.Unlock()
		if gone {
			s.log.InfoContext(ctx, "card taken off: session ended")
			s.EndSession(active)
			s.bus.publish(Event{Type: CardRemoved, Session: active})
		}
		return
	}
	card, err := s.card.ReadCard(ctx)
	if ctx.Err() != nil {
		s.cardMu.Unlock()
		return
	}
	s.stateMu.Lock()
	armed := s.armed
	if credit.ErrorCode(err) == credit.ENOTFOUND {
		s.armed = true
	}
	s.stateMu.Unlock()
	if err != nil || !armed {
		// No card, a read error (the next poll retries), or the last
		// holder's card still on the reader.
		s.cardMu.Unlock()
		if err != nil && credit.ErrorCode(err) != credit.ENOTFOUND {
			s.log.DebugContext(ctx, "card watch", logKeyErr, err)
		}
		return
	}
	sess, err := s.openSession(ctx, card)
	if err == nil {
		s.setActive(sess)
	} else {
		// Do not retry the same bad card in a loop: wait for it to go.
		s.stateMu.Lock()
		s.armed = false
		s.stateMu.Unlock()
	}
	s.cardMu.Unlock()
	if err != nil {
		s.bus.publish(Event{Type: Error, Err: err})
		return
	}
	s.bus.publish(Event{Type: CardRead, Session: sess})
}

// RemovedAfter is how many polls in a row must find no card (or another
// card) before a session ends on card removal: one bad read of a card
// lying on the reader does not end it.
const RemovedAfter = 2

// cardGone polls the reader during the session active (with cardMu held)
// and reports whether its card has been taken off, or replaced by
// another, for RemovedAfter polls in a row. Read errors count as neither.
func (s *Service) cardGone(ctx context.Context, active *Session) bool {
	card, err := s.card.ReadCard(ctx)
	if ctx.Err() != nil {
		return false
	}
	active.mu.Lock()
	want := active.Card.Number
	active.mu.Unlock()
	switch {
	case credit.ErrorCode(err) == credit.ENOTFOUND:
		s.stateMu.Lock()
		s.armed = true // the reader is empty: the next card placed is new
		s.stateMu.Unlock()
	case err != nil:
		return false
	default:
		num, perr := credit.ParseIDNumber(card.Number)
		if perr == nil && string(num) == want {
			s.missing = 0
			return false
		}
		s.stateMu.Lock()
		s.armed = true // another card: read it once this session ends
		s.stateMu.Unlock()
	}
	s.missing++
	if s.missing < RemovedAfter {
		return false
	}
	s.missing = 0
	return true
}
