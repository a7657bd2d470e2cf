package app

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
)

// RecordGroup is the records of one category, in credit.Categories order.
type RecordGroup struct {
	Category credit.Category
	Records  []credit.Record // empty when the subject has none in this category
}

// Session is what one card holder sees at the kiosk. It lives in memory
// only, until EndSession. Read its fields after the call that changed them
// returns; it is not meant for concurrent readers and writers.
type Session struct {
	mu     sync.Mutex // serialises FileObjection and EndSession
	origin *Session   // the session this one reloads (refreshActive); nil for the first

	Card        credit.IDCard
	CardExpired bool           // the card's validity has ended (served anyway)
	Subject     credit.Subject // the holder; Known tells whether the cache has them
	Known       bool
	Records     []RecordGroup      // one group per category, always all three
	Inquiries   []credit.Inquiry   // who looked at the holder's data
	Objections  []credit.Objection // the holder's objections
	// Restorations are the holder's restoration applications.
	Restorations []credit.Restoration
	// Allowance counts the reports about the holder issued this year
	// (Art. 45); AllowanceKnown is false when the terminal cannot count.
	Allowance      credit.ReportAllowance
	AllowanceKnown bool
	DataAsOf       time.Time // last complete sync; zero if never
	Stale          bool      // DataAsOf is zero or older than Deps.StaleAfter
}

// Hold keeps the session's data from changing — a filing appending to it,
// EndSession dropping it from the card watcher's goroutine — until release
// is called. The UI holds it while it reads the session to draw a screen.
// While holding it, call none of the session's locking methods (Ended) nor
// the service's methods for it: they would wait for the release.
func (s *Session) Hold() (release func()) {
	s.mu.Lock()
	return s.mu.Unlock
}

// Ended reports whether EndSession has dropped the session's data (a
// CardRead event delivered late must not bring it back on screen).
func (s *Session) Ended() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Card.Number == ""
}

// Empty reports whether the holder has no records at all.
func (s *Session) Empty() bool {
	for _, g := range s.Records {
		if len(g.Records) > 0 {
			return false
		}
	}
	return true
}

// Record returns the holder's record with this ID.
func (s *Session) Record(id string) (credit.Record, bool) {
	for _, g := range s.Records {
		for _, r := range g.Records {
			if r.ID == id {
				return r, true
			}
		}
	}
	return credit.Record{}, false
}

// groupRecords sorts records of subjectID into the three categories; records
// of any other subject or category are dropped.
func groupRecords(subjectID string, recs []credit.Record) []RecordGroup {
	groups := make([]RecordGroup, len(credit.Categories))
	for i, c := range credit.Categories {
		groups[i].Category = c
	}
	for _, r := range recs {
		if r.SubjectID != subjectID {
			continue
		}
		if i := slices.Index(credit.Categories, r.Category); i >= 0 {
			groups[i].Records = append(groups[i].Records, r)
		}
	}
	return groups
}

// ReadCard reads the card on the reader, logs a self-inquiry and returns the
// holder's session. A holder the cache does not know gets a session with no
// records (Known false). An expired card is noted, not refused.
func (s *Service) ReadCard(ctx context.Context) (*Session, error) {
	if s.card == nil {
		err := credit.Errorf(credit.EUNAVAILABLE, "本机未连接身份证阅读器，请联系工作人员。", "No ID card reader is attached to this terminal. Please ask a member of staff.")
		s.bus.publish(Event{Type: Error, Err: err})
		return nil, err
	}
	s.cardMu.Lock()
	card, err := s.card.ReadCard(ctx)
	var sess *Session
	switch {
	case err == nil:
		sess, err = s.openSession(ctx, card)
	case credit.ErrorCode(err) == credit.ENOTFOUND:
		s.stateMu.Lock()
		s.armed = true // the reader is empty: the next card placed is new
		s.stateMu.Unlock()
		err = cardError(ctx, s, err)
	default:
		err = cardError(ctx, s, err)
	}
	if err == nil {
		s.setActive(sess)
	}
	s.cardMu.Unlock()
	if err != nil {
		s.bus.publish(Event{Type: Error, Err: err})
		return nil, err
	}
	s.bus.publish(Event{Type: CardRead, Session: sess})
	return sess, nil
}

// cardError turns a reader's error into a plain message.
func cardError(ctx context.Context, s *Service, err error) error {
	switch credit.ErrorCode(err) {
	case credit.ENOTFOUND:
		return fmt.Errorf("%w: %w", credit.Errorf(credit.ENOTFOUND, "未检测到身份证，请将身份证平放在阅读区。", "No card found. Please place your ID card flat on the reader."), err)
	case credit.EINTERNAL:
		s.log.WarnContext(ctx, "read card", logKeyErr, err)
		return fmt.Errorf("%w: %w", credit.Errorf(credit.EDEVICE, "读卡失败，请重新放置身份证。", "The card could not be read. Please place it on the reader again."), err)
	}
	s.log.WarnContext(ctx, "read card", logKeyErr, err)
	return fmt.Errorf("read card: %w", err)
}

// openSession validates the card, logs the self-inquiry and loads the
// holder's data.
func (s *Service) openSession(ctx context.Context, card credit.IDCard) (*Session, error) {
	num, err := credit.ParseIDNumber(card.Number)
	if err != nil {
		if card.Kind == credit.CardForeign2017 || card.Kind == credit.CardForeign2023 {
			return nil, fmt.Errorf("%w: %w", credit.Errorf(credit.EINVALID, "本终端暂不能查询此类证件，请到服务窗口办理。", "This terminal cannot look up this kind of card yet. Please ask at the service counter."), err)
		}
		s.log.WarnContext(ctx, "card number rejected", logKeyCard, card, logKeyErr, err)
		return nil, fmt.Errorf("%w: %w", credit.Errorf(credit.EDEVICE, "身份证号码读取有误，请重新放置身份证。", "The card's number was not read correctly. Please place the card again."), err)
	}
	card.Number = string(num)
	now := s.now()
	sess := &Session{Card: card, CardExpired: card.Expired(now)}

	if err := s.resolveHolder(ctx, sess); err != nil {
		return nil, err
	}

	// Art. 24: the inquiry is logged before any data is shown.
	inquiry, err := s.logInquiry(ctx, sess.Subject, credit.InquirerSelf, credit.PurposeSelf)
	if err != nil {
		return nil, err
	}
	if err := s.loadSession(ctx, sess); err != nil {
		return nil, err
	}
	n := 0
	for _, g := range sess.Records {
		n += len(g.Records)
	}
	noteInquiryResult(ctx, s.log, s.inquiries, inquiry, n)
	s.log.InfoContext(ctx, "card session opened", logKeySubject, sess.Subject, "expired", sess.CardExpired, "known", sess.Known)
	return sess, nil
}

// resolveHolder looks the card holder up in the cache and sets
// sess.Subject and sess.Known.
func (s *Service) resolveHolder(ctx context.Context, sess *Session) error {
	card := sess.Card
	subj, err := s.records.Subject(ctx, card.Number)
	switch {
	case err == nil && subj.IsPerson() && subj.ID == card.Number:
		sess.Subject, sess.Known = subj, true
	case err == nil || credit.ErrorCode(err) == credit.ENOTFOUND:
		// Unknown to the cache (or the port answered with someone else,
		// which is treated as unknown): the holder has no records here.
		sess.Subject = credit.Subject{ID: card.Number, Kind: credit.NaturalPerson, Name: card.Name, Region: credit.IDNumber(card.Number).Region()}
		sess.Known = false
	default:
		return s.internal(ctx, "look up card holder", err)
	}
	return nil
}

// refreshActive reloads the open session after a sync round changed the
// cache, so that a withdrawn record leaves the screen at once and records
// that arrived are shown. It builds a new *Session (the UI may be reading
// the old one), makes it the active one and publishes SessionUpdated with
// both. No inquiry is logged: the holder is still in the same look at
// their own data.
func (s *Service) refreshActive(ctx context.Context) {
	s.stateMu.Lock()
	old := s.active
	s.stateMu.Unlock()
	if old == nil {
		return
	}
	old.mu.Lock()
	card := old.Card
	old.mu.Unlock()
	if card.Number == "" {
		return // ended meanwhile
	}
	fresh := &Session{Card: card, CardExpired: card.Expired(s.now()), origin: old.root()}
	if err := s.resolveHolder(ctx, fresh); err != nil {
		return // logged; the old view stays until the next round
	}
	if err := s.loadSession(ctx, fresh); err != nil {
		return
	}
	s.stateMu.Lock()
	if s.active != old {
		s.stateMu.Unlock()
		return // ended or replaced while we were reading
	}
	s.active = fresh
	s.stateMu.Unlock()
	s.bus.publish(Event{Type: SessionUpdated, Session: fresh, Previous: old})
}

// root is the session a card read opened, which reloads replace.
func (s *Session) root() *Session {
	if s.origin != nil {
		return s.origin
	}
	return s
}

// loadSession fills the records, inquiries, objections and freshness.
func (s *Service) loadSession(ctx context.Context, sess *Session) error {
	id := sess.Subject.ID
	var recs []credit.Record
	if sess.Known {
		var err error
		if recs, err = s.records.RecordsOf(ctx, id); err != nil && credit.ErrorCode(err) != credit.ENOTFOUND {
			return s.internal(ctx, "load records", err)
		}
	}
	sess.Records = groupRecords(id, recs)
	inq, err := s.inquiriesOf(ctx, id) // own log and other terminals' (inquiries.go)
	if err != nil && credit.ErrorCode(err) != credit.ENOTFOUND {
		return s.internal(ctx, "load inquiries", err)
	}
	sess.Inquiries = inq
	objs, err := s.apps.ObjectionsOf(ctx, id)
	if err != nil && credit.ErrorCode(err) != credit.ENOTFOUND {
		return s.internal(ctx, "load objections", err)
	}
	sess.Objections = objs
	rests, err := s.apps.RestorationsOf(ctx, id)
	if err != nil && credit.ErrorCode(err) != credit.ENOTFOUND {
		return s.internal(ctx, "load restorations", err)
	}
	sess.Restorations = rests
	sess.Allowance, sess.AllowanceKnown = s.allowance(ctx, id)
	asOf, err := s.records.DataAsOf(ctx)
	if err != nil {
		return s.internal(ctx, "data as of", err)
	}
	sess.DataAsOf, sess.Stale = asOf, s.stale(asOf)
	return nil
}

// logInquiry writes one inquiry log entry for subj and returns its ID.
func (s *Service) logInquiry(ctx context.Context, subj credit.Subject, kind credit.InquirerKind, purpose string) (string, error) {
	q := credit.Inquiry{
		ID:           credit.NewUUID(),
		SubjectID:    subj.ID,
		InquirerKind: kind,
		Purpose:      purpose,
		Channel:      s.deviceID,
		At:           s.now(),
	}
	if err := q.Validate(subj.Kind); err != nil {
		return "", fmt.Errorf("log inquiry: %w", err)
	}
	if err := s.inquiries.LogInquiry(ctx, q); err != nil {
		s.log.ErrorContext(ctx, "log inquiry", logKeySubject, subj, logKeyErr, err)
		return "", fmt.Errorf("%w: %w", credit.Errorf(credit.EUNAVAILABLE, "暂时无法登记本次查询，请稍后再试。", "This inquiry could not be logged, so no data is shown. Please try again later."), err)
	}
	return q.ID, nil
}

// internal logs err and returns it wrapped: a *credit.Error in its chain
// keeps its message; anything else reads as an internal error.
func (s *Service) internal(ctx context.Context, op string, err error) error {
	s.log.ErrorContext(ctx, op, logKeyErr, err)
	return fmt.Errorf("%s: %w", op, err)
}

// EndSession drops the session's data from memory.
func (s *Service) EndSession(sess *Session) {
	if sess == nil {
		return
	}
	sess.mu.Lock()
	sess.Card = credit.IDCard{}
	sess.CardExpired = false
	sess.Subject = credit.Subject{}
	sess.Known = false
	sess.Records = nil
	sess.Inquiries = nil
	sess.Objections = nil
	sess.Restorations = nil
	sess.Allowance, sess.AllowanceKnown = credit.ReportAllowance{}, false
	sess.DataAsOf = time.Time{}
	sess.Stale = false
	sess.mu.Unlock()
	s.stateMu.Lock()
	if s.active != nil && s.active.root() == sess.root() {
		s.active = nil // sess or a reload of it
	}
	s.stateMu.Unlock()
	s.bus.publish(Event{Type: SessionEnded})
}
