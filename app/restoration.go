package app

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	credit "github.com/gansu-credit/credit"
)

// CommitmentLetter is the credit commitment letter (信用承诺书) the holder
// reads in full and signs before applying for restoration (2025 plan),
// pre-filled with their name and the record.
func CommitmentLetter(name string, rec credit.Record) (zh, en string) {
	zh = fmt.Sprintf("信用承诺书\n\n本人%s，就“%s”（%s）申请信用修复，郑重承诺：\n"+
		"一、已经履行认定失信行为的决定所规定的法定义务，纠正失信行为，消除不良影响；\n"+
		"二、所提交的履行情况说明及相关材料真实、准确、完整，不存在虚假内容；\n"+
		"三、今后严格遵守法律法规，诚实守信，不再发生同类失信行为；\n"+
		"四、如违反上述承诺，愿意接受撤销信用修复、记入失信记录等处理，并依法承担相应法律责任。\n\n"+
		"本承诺书将与信用修复申请一并报送认定单位，并按规定公开。信用修复免费办理。", name, rec.Title, rec.DocumentNo)
	en = fmt.Sprintf("Credit commitment letter\n\nI, %s, apply for credit restoration of “%s” (%s) and solemnly undertake:\n"+
		"1. I have performed the legal obligations the decision imposed, corrected the untrustworthy conduct and removed its effects;\n"+
		"2. the statement of performance and the materials I submit are true, accurate and complete;\n"+
		"3. I will abide by the law, act in good faith and not repeat such conduct;\n"+
		"4. if I break this undertaking, I accept that the restoration may be revoked and the breach recorded, and I bear the legal consequences.\n\n"+
		"This letter is sent with the application to the deciding unit and published as the rules require. Restoration is free of charge.", name, rec.Title, rec.DocumentNo)
	return zh, en
}

// Restoring returns the holder's open restoration application for the
// record, if any.
func (s *Session) Restoring(recordID string) (credit.Restoration, bool) {
	for _, r := range s.Restorations {
		if r.RecordID != recordID {
			continue
		}
		switch r.Status {
		case credit.StatusCorrected, credit.StatusNotCorrected, credit.StatusClosed, credit.StatusRejected,
			credit.StatusRestored, credit.StatusRefused:
			continue
		}
		return r, true
	}
	return credit.Restoration{}, false
}

// FileRestoration files the holder's application to restore one of their
// own untrustworthy records (Art. 47, 2025 plan): the performance
// statement, the signed commitment letter and an optional contact. It is
// saved durably through the port (ECONFLICT when the record already has an
// open application) and the session is refreshed so the record shows
// "restoration applied". The returned application carries its number and
// the acceptance (3 WD) and feedback (10 WD) dates.
func (s *Service) FileRestoration(ctx context.Context, sess *Session, recordID, performance, contact string, committed bool) (credit.Restoration, error) {
	r, err := s.fileRestoration(ctx, sess, recordID, performance, contact, committed)
	if err != nil {
		if credit.ErrorCode(err) != credit.EINVALID {
			s.bus.publish(Event{Type: Error, Err: err})
		}
		return credit.Restoration{}, err
	}
	return r, nil
}

func (s *Service) fileRestoration(ctx context.Context, sess *Session, recordID, performance, contact string, committed bool) (credit.Restoration, error) {
	if _, err := activeSubject(sess); err != nil {
		return credit.Restoration{}, err
	}
	sess.mu.Lock()
	defer sess.mu.Unlock()
	rec, ok := sess.Record(recordID)
	if !ok {
		s.log.WarnContext(ctx, "restoration of a record outside the session refused", logKeyRecord, recordID)
		return credit.Restoration{}, credit.Errorf(credit.EUNAUTHORIZED, "只能对本人的信用记录申请修复。", "You can apply to restore only your own records.")
	}
	if rec.Category != credit.CategoryUntrustworthy {
		return credit.Restoration{}, credit.Errorf(credit.EINVALID, "只有失信信息可以申请信用修复。", "Only untrustworthiness information can be restored.")
	}
	contact = strings.TrimSpace(contact)
	if utf8.RuneCountInString(contact) > maxContactRunes {
		return credit.Restoration{}, credit.Errorf(credit.EINVALID, "联系方式不能超过%d个字。", "The contact details may not exceed %d characters.", maxContactRunes)
	}
	performance = strings.TrimSpace(performance)
	if utf8.RuneCountInString(performance) > credit.MaxStatementRunes {
		return credit.Restoration{}, credit.Errorf(credit.EINVALID, "履行情况说明不能超过%d个字。", "The statement may not exceed %d characters.", credit.MaxStatementRunes)
	}
	r := credit.NewRestoration(s.cal, credit.Restoration{
		ID:          credit.NewUUID(),
		SubjectID:   sess.Subject.ID,
		SubjectName: sess.Card.Name,
		RecordID:    rec.ID,
		Performance: performance,
		Committed:   committed,
		Contact:     contact,
		Channel:     s.deviceID,
		ReceivedAt:  s.now(),
	})
	if err := r.Validate(); err != nil {
		return credit.Restoration{}, err
	}
	if err := s.apps.SaveRestoration(ctx, r); err != nil {
		if credit.ErrorCode(err) == credit.EINTERNAL {
			s.log.ErrorContext(ctx, "save restoration", logKeyErr, err)
			return credit.Restoration{}, fmt.Errorf("%w: %w", credit.Errorf(credit.EUNAVAILABLE, "信用修复申请暂时无法保存，请稍后再试或到服务窗口办理。", "The restoration application could not be saved. Please try again later or ask at the service counter."), err)
		}
		return credit.Restoration{}, fmt.Errorf("save restoration: %w", err)
	}
	s.log.InfoContext(ctx, "restoration filed", logKeyApplication, r.No, logKeySubject, sess.Subject)
	if err := s.loadSession(ctx, sess); err != nil {
		s.log.WarnContext(ctx, "refresh after restoration", logKeyErr, err)
	}
	if _, ok := sess.Restoring(rec.ID); !ok {
		sess.Restorations = append(sess.Restorations, r)
	}
	return r, nil
}
