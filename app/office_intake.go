package app

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	credit "github.com/gansu-credit/credit"
)

// IntakeInPerson is the authorisation logged for an intake look when the
// subject applies in person (their presence, ID checked by the clerk, is
// the authorisation).
const IntakeInPerson = "in_person"

// intakeLook is the subject a clerk looked up for intake in this session;
// filing is allowed only for it.
type intakeLook struct {
	subject credit.Subject
	records []credit.Record
	role    credit.ApplicantRole
	authRef string
}

// IntakeView is what the intake lookup shows the clerk: the subject and
// every record (objections may target any record, restorations only the
// untrustworthy ones).
type IntakeView struct {
	Subject credit.Subject
	Records []credit.Record
	Role    credit.ApplicantRole
	Inquiry credit.Inquiry // the log entry written for this look
}

// HasCardReader reports whether a card reader is configured.
func (o *Office) HasCardReader() bool { return o.card != nil }

// ReadCardForIntake reads the applicant's card and returns its number, to
// be looked up with IntakeLookup. Nothing else of the card is kept.
func (o *Office) ReadCardForIntake(ctx context.Context, cs *ClerkSession) (string, error) {
	if err := o.active(cs); err != nil {
		return "", err
	}
	if o.card == nil {
		return "", credit.Errorf(credit.EUNAVAILABLE, "本机未配置读卡器，请手工输入证件号码。", "No card reader is configured; type the ID number.")
	}
	card, err := o.card.ReadCard(ctx)
	if err != nil {
		if credit.ErrorCode(err) == credit.EINTERNAL {
			return "", o.unavailable(ctx, "intake: read card", err)
		}
		return "", fmt.Errorf("intake: read card: %w", err)
	}
	if card.Expired(o.now()) {
		return "", credit.Errorf(credit.EINVALID, "该身份证已过有效期。", "This ID card has expired.")
	}
	return card.Number, nil
}

// IntakeLookup opens a subject's records so a clerk can take an objection
// or a restoration application on the subject's behalf (Art. 46, 47). The
// identifier is a resident ID number or a USCC, checksum validated. A
// representative or agent must give the number of their authorisation
// (authorisation letter, legal-representative certificate); an
// organisation cannot apply "in person". The look is logged as a clerk
// inquiry with purpose credit.PurposeIntake before any data is read.
func (o *Office) IntakeLookup(ctx context.Context, cs *ClerkSession, subjectID string, role credit.ApplicantRole, authRef string) (*IntakeView, error) {
	if err := o.active(cs); err != nil {
		return nil, err
	}
	id, kind, err := credit.ParseSubjectID(subjectID)
	if err != nil {
		return nil, err
	}
	if !role.Valid() {
		return nil, credit.Errorf(credit.EINVALID, "请选择申请人身份（本人、法定代表人或委托代理人）。", "Choose who is applying (the subject, a legal representative or an agent).")
	}
	authRef = strings.TrimSpace(authRef)
	switch {
	case role == credit.ApplicantSelf && kind == credit.LegalPerson:
		return nil, credit.Errorf(credit.EINVALID, "单位的申请须由法定代表人或委托代理人办理。", "An organisation applies through its legal representative or an agent.")
	case role == credit.ApplicantSelf:
		authRef = IntakeInPerson
	case authRef == "":
		return nil, credit.Errorf(credit.EINVALID, "代为申请须填写授权委托书或法定代表人身份证明书的编号。", "An application on someone's behalf needs the number of the authorisation letter or representative certificate.")
	case utf8.RuneCountInString(authRef) > maxAuthRefRunes:
		return nil, credit.Errorf(credit.EINVALID, "授权书编号不能超过%d个字。", "The authorisation reference may not exceed %d characters.", maxAuthRefRunes)
	}

	subj, err := o.records.Subject(ctx, id)
	known := err == nil && subj.ID == id
	if err != nil && credit.ErrorCode(err) != credit.ENOTFOUND {
		return nil, o.unavailable(ctx, "intake: subject", err)
	}
	if !known {
		subj = credit.Subject{ID: id, Kind: kind}
	}
	q := credit.Inquiry{
		ID: credit.NewUUID(), SubjectID: id, InquirerKind: credit.InquirerClerk, InquirerID: cs.Clerk.ID,
		Purpose: credit.PurposeIntake, AuthRef: authRef, Channel: o.deviceID, At: o.now(),
	}
	if err := q.Validate(credit.NaturalPerson); err != nil { // the stricter rule for every subject
		return nil, err
	}
	if err := o.inquiries.LogInquiry(ctx, q); err != nil {
		o.log.ErrorContext(ctx, "log intake inquiry", logKeySubject, subj, logKeyErr, err)
		return nil, fmt.Errorf("%w: %w", credit.Errorf(credit.EUNAVAILABLE, "暂时无法登记本次查询，因此不显示信息，请稍后再试。", "This inquiry could not be logged, so no data is shown. Please try again later."), err)
	}
	o.log.InfoContext(ctx, "intake lookup", logKeyClerk, cs.Clerk.ID, logKeySubject, subj, logKeyRole, string(role))
	if !known {
		o.noteResult(ctx, q.ID, 0) // office_audit.go
		return nil, credit.Errorf(credit.ENOTFOUND, "本机未查到该主体的信用记录，无法选择要申请的记录。", "No records of this subject on this computer, so there is no record to apply about.")
	}
	recs, err := o.records.RecordsOf(ctx, id)
	if err != nil && credit.ErrorCode(err) != credit.ENOTFOUND {
		return nil, o.unavailable(ctx, "intake: records", err)
	}
	own := recs[:0:0]
	for _, r := range recs {
		if r.SubjectID == id { // never another subject's record, whatever the port answers
			own = append(own, r)
		}
	}
	o.noteResult(ctx, q.ID, len(own))
	cs.mu.Lock()
	cs.intake = &intakeLook{subject: subj, records: own, role: role, authRef: authRef}
	cs.mu.Unlock()
	return &IntakeView{Subject: subj, Records: own, Role: role, Inquiry: q}, nil
}

// EndIntake forgets the subject looked up for intake (the clerk cleared
// the form or finished).
func (o *Office) EndIntake(cs *ClerkSession) {
	if cs == nil {
		return
	}
	cs.mu.Lock()
	cs.intake = nil
	cs.mu.Unlock()
}

// IntakeObjectionForm is what the clerk fills in for an objection.
type IntakeObjectionForm struct {
	RecordID  string
	Type      credit.ObjectionType
	Statement string
	Contact   string
}

// IntakeRestorationForm is what the clerk fills in for a restoration
// application. Committed is true only after the commitment letter was
// shown to the applicant and they signed it.
type IntakeRestorationForm struct {
	RecordID    string
	Performance string
	Committed   bool
	Contact     string
}

// lookedUp returns the intake subject and the chosen record, refusing a
// record that is not the looked-up subject's.
func (o *Office) lookedUp(ctx context.Context, cs *ClerkSession, recordID, contact string) (*intakeLook, credit.Record, string, error) {
	if err := o.active(cs); err != nil {
		return nil, credit.Record{}, "", err
	}
	if o.intake == nil {
		return nil, credit.Record{}, "", errNotConfigured()
	}
	cs.mu.Lock()
	look := cs.intake
	cs.mu.Unlock()
	if look == nil {
		return nil, credit.Record{}, "", credit.Errorf(credit.EUNAUTHORIZED, "请先查询申请人的信用记录。", "Look up the applicant's records first.")
	}
	for _, r := range look.records {
		if r.ID == recordID {
			contact = strings.TrimSpace(contact)
			switch {
			case contact == "":
				return nil, credit.Record{}, "", credit.Errorf(credit.EINVALID, "请填写联系电话或地址，以便答复申请人。", "Enter a phone number or address for the reply.")
			case utf8.RuneCountInString(contact) > maxContactRunes:
				return nil, credit.Record{}, "", credit.Errorf(credit.EINVALID, "联系方式不能超过%d个字。", "The contact details may not exceed %d characters.", maxContactRunes)
			}
			return look, r, contact, nil
		}
	}
	o.log.WarnContext(ctx, "intake for a record outside the lookup refused", logKeyRecord, recordID)
	return nil, credit.Record{}, "", credit.Errorf(credit.EINVALID, "请选择该申请人的一条记录。", "Choose one of the applicant's records.")
}

// FileIntakeObjection files an objection for the looked-up subject through
// the same durable capture as the kiosk, with the office's device as the
// channel, and notes the clerk, applicant role and authorisation beside
// it. The returned objection carries its number and due dates.
func (o *Office) FileIntakeObjection(ctx context.Context, cs *ClerkSession, f IntakeObjectionForm) (credit.Objection, error) {
	look, rec, contact, err := o.lookedUp(ctx, cs, f.RecordID, f.Contact)
	if err != nil {
		return credit.Objection{}, err
	}
	ob := credit.NewObjection(o.cal, credit.Objection{
		ID: credit.NewUUID(), SubjectID: look.subject.ID, SubjectName: look.subject.Name, RecordID: rec.ID,
		Type: f.Type, Statement: strings.TrimSpace(f.Statement), Contact: contact, Channel: o.deviceID, ReceivedAt: o.now(),
	})
	if err := ob.Validate(); err != nil {
		return credit.Objection{}, err
	}
	if err := o.intake.SaveObjection(ctx, ob); err != nil {
		return credit.Objection{}, o.saveFailed(ctx, "intake: save objection", err)
	}
	o.noteIntake(ctx, cs, look, ob.ID, credit.KindObjection)
	o.log.InfoContext(ctx, "objection taken", logKeyClerk, cs.Clerk.ID, logKeyObjection, ob.No, logKeySubject, look.subject)
	return ob, nil
}

// FileIntakeRestoration files a restoration application for one of the
// looked-up subject's untrustworthiness records, as FileIntakeObjection
// does for objections.
func (o *Office) FileIntakeRestoration(ctx context.Context, cs *ClerkSession, f IntakeRestorationForm) (credit.Restoration, error) {
	look, rec, contact, err := o.lookedUp(ctx, cs, f.RecordID, f.Contact)
	if err != nil {
		return credit.Restoration{}, err
	}
	if rec.Category != credit.CategoryUntrustworthy {
		return credit.Restoration{}, credit.Errorf(credit.EINVALID, "只有失信信息可以申请信用修复。", "Only untrustworthiness records can be restored.")
	}
	r := credit.NewRestoration(o.cal, credit.Restoration{
		ID: credit.NewUUID(), SubjectID: look.subject.ID, SubjectName: look.subject.Name, RecordID: rec.ID,
		Performance: strings.TrimSpace(f.Performance), Committed: f.Committed, Contact: contact,
		Channel: o.deviceID, ReceivedAt: o.now(),
	})
	if utf8.RuneCountInString(r.Performance) > credit.MaxStatementRunes {
		return credit.Restoration{}, credit.Errorf(credit.EINVALID, "履行情况说明不能超过%d字。", "The statement may not exceed %d characters.", credit.MaxStatementRunes)
	}
	if err := r.Validate(); err != nil {
		return credit.Restoration{}, err
	}
	if err := o.intake.SaveRestoration(ctx, r); err != nil {
		return credit.Restoration{}, o.saveFailed(ctx, "intake: save restoration", err)
	}
	o.noteIntake(ctx, cs, look, r.ID, credit.KindRestoration)
	o.log.InfoContext(ctx, "restoration application taken", logKeyClerk, cs.Clerk.ID, logKeyApplication, r.No, logKeySubject, look.subject)
	return r, nil
}

// saveFailed keeps a port's user-facing error (ECONFLICT naming the open
// application) and words anything else plainly.
func (o *Office) saveFailed(ctx context.Context, op string, err error) error {
	if credit.ErrorCode(err) == credit.EINTERNAL {
		o.log.ErrorContext(ctx, op, logKeyErr, err)
		return fmt.Errorf("%w: %w", credit.Errorf(credit.EUNAVAILABLE, "申请暂时无法保存，请稍后再试。", "The application could not be saved. Please try again later."), err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// noteIntake records who took the application. The application is already
// captured and will be sent; a failure here is logged, not returned (the
// clerk's staff number is also in the intake inquiry's log entry).
func (o *Office) noteIntake(ctx context.Context, cs *ClerkSession, look *intakeLook, id string, kind credit.ApplicationKind) {
	in := credit.Intake{ApplicationID: id, Kind: kind, ClerkID: cs.Clerk.ID, Role: look.role, At: o.now()}
	if look.role != credit.ApplicantSelf {
		in.AuthRef = look.authRef
	}
	if err := o.intake.RecordIntake(ctx, in); err != nil {
		o.log.ErrorContext(ctx, "record intake note", logKeyApplication, id, logKeyErr, err)
	}
}
