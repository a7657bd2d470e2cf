package app

import (
	"context"

	credit "github.com/gansu-credit/credit"
)

// CardChangeKind says what a CardWatcher saw on the reader.
type CardChangeKind int

// Card changes.
const (
	CardPlaced   CardChangeKind = iota + 1 // a card was placed and read once (CardChange.Card)
	CardTakenOff                           // the card is gone (the watcher debounces: a few empty answers in a row)
	ReaderLost                             // the reader stopped answering or cannot be opened (CardChange.Err, user-facing)
	ReaderBack                             // the reader answers again
)

// CardChange is one report of a CardWatcher.
type CardChange struct {
	Kind CardChangeKind
	Card credit.IDCard // CardPlaced only
	Err  error         // ReaderLost only
}

// CardWatcher watches the reader for cards placed and taken off. Between
// those it only checks that a card is still present (find/select), without
// reading it again, so an open session costs the reader no full reads. The
// kiosk adapts idcard.Watcher to it.
type CardWatcher interface {
	// WatchCards reports every change through emit, in order, from one
	// goroutine, until ctx ends; it then returns ctx.Err(). A lost reader
	// is retried, not returned.
	WatchCards(ctx context.Context, emit func(CardChange)) error
}

// runWatcher is RunCardWatch over a CardWatcher.
func (s *Service) runWatcher(ctx context.Context) error {
	return s.watch.WatchCards(ctx, func(c CardChange) { s.cardChanged(ctx, c) })
}

// cardChanged applies one change seen by the CardWatcher: a card placed
// opens its holder's session (publishing CardRead or Error) unless that
// card's session is already open; a card taken off ends the open session
// (CardRemoved) when Deps.EndOnCardRemoval is set. The watcher reports a
// placed card once, so a card left on the reader after a session is not
// read again until it is taken off and placed again.
func (s *Service) cardChanged(ctx context.Context, c CardChange) {
	if ctx.Err() != nil {
		return
	}
	switch c.Kind {
	case CardPlaced:
		s.cardPlaced(ctx, c.Card)
	case CardTakenOff:
		s.log.DebugContext(ctx, "card taken off the reader")
		if s.endOnRemoval {
			s.endActive(ctx)
		}
	case ReaderLost:
		s.log.WarnContext(ctx, "card reader lost", logKeyErr, c.Err)
		err := c.Err
		if credit.ErrorCode(err) == credit.EINTERNAL {
			err = errReaderLost
		}
		s.bus.publish(Event{Type: Error, Err: err})
	case ReaderBack:
		s.log.InfoContext(ctx, "card reader back")
	}
}

// errReaderLost is shown when the watcher's error carries no message of its
// own.
var errReaderLost = credit.Errorf(credit.EUNAVAILABLE,
	"身份证阅读器没有响应，请检查连接或联系工作人员；企业查询和报告核验仍可使用。",
	"The ID card reader is not answering. Check its connection or ask a member of staff; business search and report checks still work.")

// cardPlaced opens the session of a card the watcher has just read.
func (s *Service) cardPlaced(ctx context.Context, card credit.IDCard) {
	s.cardMu.Lock()
	s.stateMu.Lock()
	active := s.active
	s.stateMu.Unlock()
	if active != nil {
		active.mu.Lock()
		same := active.Card.Number != "" && sameNumber(active.Card.Number, card.Number)
		active.mu.Unlock()
		if same || !s.endOnRemoval {
			// Its session is open already (a tap was quicker), or the
			// holder keeps their session with the card off: leave it.
			s.cardMu.Unlock()
			return
		}
		// Another card without a removal seen in between: the first
		// holder's session ends before the next one opens.
		s.cardMu.Unlock()
		s.endActive(ctx)
		s.cardMu.Lock()
	}
	sess, err := s.openSession(ctx, card)
	if err == nil {
		s.setActive(sess)
	}
	s.cardMu.Unlock()
	if err != nil {
		s.bus.publish(Event{Type: Error, Err: err})
		return
	}
	s.bus.publish(Event{Type: CardRead, Session: sess})
}

// endActive ends the open session, if any, because its card was taken off.
func (s *Service) endActive(ctx context.Context) {
	s.stateMu.Lock()
	active := s.active
	s.stateMu.Unlock()
	if active == nil {
		return
	}
	s.log.InfoContext(ctx, "card taken off: session ended")
	s.EndSession(active)
	s.bus.publish(Event{Type: CardRemoved, Session: active})
}

// sameNumber compares a session's (normalised) ID number with a card's raw
// one.
func sameNumber(session, raw string) bool {
	num, err := credit.ParseIDNumber(raw)
	return err == nil && string(num) == session
}
