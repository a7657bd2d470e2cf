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
}

// RunCardWatch polls the reader every interval (DefaultCardPoll when <= 0)
// and opens a session when a card is placed, publishing CardRead with it
// (or Error), exactly as ReadCard does. It does not poll while a session is
// open, and after a session it waits until the reader has been seen empty,
// so a card left on the reader is not read again after Finish. It returns
// nil at once when no reader is attached, otherwise ctx.Err() when ctx is
// done.
func (s *Service) RunCardWatch(ctx context.Context, interval time.Duration) error {
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
	busy := s.active != nil
	s.stateMu.Unlock()
	if busy {
		s.cardMu.Unlock()
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
