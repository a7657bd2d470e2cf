package app

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	credit "github.com/gansu-credit/credit"
)

// maxContactRunes bounds the contact field of an objection.
const maxContactRunes = 100

// FileObjection files the holder's objection against one of their own
// records (Art. 46). It validates, saves durably through the port (which
// answers ECONFLICT when the record already has an open objection), then
// refreshes the session so the record shows as under objection. The
// returned objection carries its number and due dates.
func (s *Service) FileObjection(ctx context.Context, sess *Session, recordID string, typ credit.ObjectionType, statement, contact string) (credit.Objection, error) {
	o, err := s.fileObjection(ctx, sess, recordID, typ, statement, contact)
	if err != nil {
		if code := credit.ErrorCode(err); code != credit.EINVALID {
			s.bus.publish(Event{Type: Error, Err: err})
		}
		return credit.Objection{}, err
	}
	s.bus.publish(Event{Type: ObjectionFiled, Objection: &o})
	return o, nil
}

func (s *Service) fileObjection(ctx context.Context, sess *Session, recordID string, typ credit.ObjectionType, statement, contact string) (credit.Objection, error) {
	if sess == nil {
		return credit.Objection{}, credit.Errorf(credit.EUNAUTHORIZED, "请先读取身份证。", "Please read your ID card first.")
	}
	sess.mu.Lock()
	defer sess.mu.Unlock()
	if sess.Subject.ID == "" {
		return credit.Objection{}, credit.Errorf(credit.EUNAUTHORIZED, "本次查询已结束，请重新读取身份证。", "This session has ended. Please read your ID card again.")
	}
	rec, ok := sess.Record(recordID)
	if !ok {
		s.log.WarnContext(ctx, "objection to a record outside the session refused", logKeyRecord, recordID)
		return credit.Objection{}, credit.Errorf(credit.EUNAUTHORIZED, "只能对本人的信用记录提出异议。", "You can object only to your own records.")
	}
	contact = strings.TrimSpace(contact)
	if utf8.RuneCountInString(contact) > maxContactRunes {
		return credit.Objection{}, credit.Errorf(credit.EINVALID, "联系方式不能超过%d个字。", "The contact details may not exceed %d characters.", maxContactRunes)
	}
	o := credit.NewObjection(s.cal, credit.Objection{
		ID:          credit.NewUUID(),
		SubjectID:   sess.Subject.ID,
		SubjectName: sess.Card.Name,
		RecordID:    rec.ID,
		Type:        typ,
		Statement:   strings.TrimSpace(statement),
		Contact:     contact,
		Channel:     s.deviceID,
		ReceivedAt:  s.now(),
	})
	if err := o.Validate(); err != nil {
		return credit.Objection{}, err
	}
	if err := s.apps.SaveObjection(ctx, o); err != nil {
		if credit.ErrorCode(err) == credit.EINTERNAL {
			s.log.ErrorContext(ctx, "save objection", logKeyErr, err)
			return credit.Objection{}, fmt.Errorf("%w: %w", credit.Errorf(credit.EUNAVAILABLE, "异议申请暂时无法保存，请稍后再试或到服务窗口办理。", "The objection could not be saved. Please try again later or ask at the service counter."), err)
		}
		return credit.Objection{}, fmt.Errorf("save objection: %w", err)
	}
	s.log.InfoContext(ctx, "objection filed", logKeyObjection, o.No, logKeySubject, sess.Subject)

	// The objection is saved; a failed refresh must not hide that. Mark
	// the record locally instead.
	if err := s.loadSession(ctx, sess); err != nil {
		s.log.WarnContext(ctx, "refresh after objection", logKeyErr, err)
		markUnderObjection(sess, rec.ID)
	}
	if !hasObjection(sess.Objections, o.ID) {
		sess.Objections = append(sess.Objections, o)
	}
	return o, nil
}

// markUnderObjection sets the local label on the record.
func markUnderObjection(sess *Session, recordID string) {
	for gi := range sess.Records {
		for ri := range sess.Records[gi].Records {
			if sess.Records[gi].Records[ri].ID == recordID {
				sess.Records[gi].Records[ri].UnderObjection = true
			}
		}
	}
}

func hasObjection(objs []credit.Objection, id string) bool {
	for _, o := range objs {
		if o.ID == id {
			return true
		}
	}
	return false
}
