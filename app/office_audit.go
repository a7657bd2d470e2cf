package app

import (
	"context"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	credit "github.com/gansu-credit/credit"
)

// The supervisor's audit view of the inquiry log (Art. 24, 25, 45;
// issue 7): every inquiry made on this device — who (clerk, card holder
// or public search), when, which subject (masked for natural persons),
// purpose, authorisation reference and how many records it showed (for
// the office's authorised inquiries) — newest first, a page at a time,
// beside the hash chain's check (VerifyAudit). Reading the log is itself
// logged (slog: "audit log viewed" with the supervisor's staff number and
// the filter; the office keeps no stored admin log apart from the calendar
// edits', so the application log is where it goes).

// AuditPageSize is the number of entries on one page of the audit view.
const AuditPageSize = 50

// maxAuditFilterRunes bounds a typed filter value.
const maxAuditFilterRunes = 64

// InquiryLogReader pages through the device's inquiry log (store.DB). The
// office finds it on its inquiry log (OfficeDeps.Inquiries).
type InquiryLogReader interface {
	InquiryLog(ctx context.Context, f credit.InquiryFilter) (credit.InquiryPage, error)
}

// InquiryResults keeps how many records each logged inquiry showed
// (store.DB); the office finds it on its inquiry log. It is optional: an
// entry without a count shows none.
type InquiryResults interface {
	SetInquiryResult(ctx context.Context, id string, records int) error
}

// noteResult records how many records inquiry id showed.
func (o *Office) noteResult(ctx context.Context, id string, records int) {
	noteInquiryResult(ctx, o.log, o.inquiries, id, records)
}

// noteInquiryResult records on inquiries, when it keeps them
// (InquiryResults), how many records the logged inquiry id showed — the
// kiosk's own looks and business searches as the office's. A failure is
// logged only: the inquiry itself is logged and chained already.
func noteInquiryResult(ctx context.Context, log *slog.Logger, inquiries any, id string, records int) {
	ir, ok := inquiries.(InquiryResults)
	if !ok || id == "" {
		return
	}
	if err := ir.SetInquiryResult(ctx, id, records); err != nil {
		log.WarnContext(ctx, "inquiry result not recorded", logKeyErr, err)
	}
}

// AuditQuery is what a supervisor filters the inquiry log by.
type AuditQuery struct {
	From, To string // days as 2006-01-02 in China time, both included; "" open
	Clerk    string // the inquirer's staff number; "" any
	Channel  string // device id; "" any
	Purpose  string // Inquiry.Purpose (an Art. 25 purpose, credit.PurposeSelf or PurposePublic); "" any
	Page     int    // 0-based page of AuditPageSize entries, newest first
}

// AuditEntry is one inquiry as the audit view shows it.
type AuditEntry struct {
	Position   int64 // in the device's hash chain; 0: not chained yet
	At         time.Time
	Inquirer   credit.InquirerKind
	InquirerID string // a clerk's staff number; "" for self and public
	Channel    string
	Subject    string // the subject's identifier, masked for a natural person
	Purpose    string
	AuthRef    string
	Results    int // records the inquiry showed; 0 none found; -1 not recorded
}

// AuditPage is one page of the filtered log.
type AuditPage struct {
	Entries []AuditEntry
	Page    int // 0-based, after clamping to the last page
	Pages   int // at least 1
	Total   int // entries the filter selects
}

func errAuditDate() error {
	return credit.Errorf(credit.EINVALID, "日期格式应如 2026-11-27。", "Dates are written like 2026-11-27.")
}

// Filter checks q and turns it into the store's filter for its page: the
// days are whole days in China time ("To" included), a range must not run
// backwards, the typed values must be short and printable.
func (q AuditQuery) Filter() (credit.InquiryFilter, error) {
	var f credit.InquiryFilter
	for _, d := range []struct {
		s   string
		out *time.Time
		add int
	}{{q.From, &f.From, 0}, {q.To, &f.To, 1}} {
		s := strings.TrimSpace(d.s)
		if s == "" {
			continue
		}
		day, err := time.ParseInLocation("2006-01-02", s, credit.China)
		if err != nil || day.Year() < 2000 || day.Year() > 2100 {
			return f, errAuditDate()
		}
		*d.out = day.AddDate(0, 0, d.add)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return f, credit.Errorf(credit.EINVALID, "起始日期不能晚于截止日期。", "The start date is after the end date.")
	}
	for _, v := range []struct {
		s   string
		out *string
	}{{q.Clerk, &f.Inquirer}, {q.Channel, &f.Channel}, {q.Purpose, &f.Purpose}} {
		s := strings.TrimSpace(v.s)
		if utf8.RuneCountInString(s) > maxAuditFilterRunes || !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' }) {
			return f, credit.Errorf(credit.EINVALID, "筛选条件过长或含有无效字符。", "A filter is too long or holds characters that cannot be used.")
		}
		*v.out = s
	}
	f.Offset, f.Limit = max(q.Page, 0)*AuditPageSize, AuditPageSize
	return f, nil
}

// AuditLog returns a page of the inquiry log for a supervisor; a clerk is
// refused with EUNAUTHORIZED. Natural persons' ID numbers are masked
// (the supervisor audits who looked, not whom to look up). A page past the
// end is the last page. The view is logged with the supervisor's number.
func (o *Office) AuditLog(ctx context.Context, cs *ClerkSession, q AuditQuery) (AuditPage, error) {
	if err := o.active(cs); err != nil {
		return AuditPage{}, err
	}
	if !cs.IsSupervisor() {
		o.log.WarnContext(ctx, "audit log refused: not a supervisor", logKeyClerk, cs.Clerk.ID)
		return AuditPage{}, errSupervisorOnly()
	}
	lr, ok := o.inquiries.(InquiryLogReader)
	if !ok {
		return AuditPage{}, credit.Errorf(credit.EUNAVAILABLE, "本机无法查看查询日志。", "The inquiry log cannot be read on this computer.")
	}
	f, err := q.Filter()
	if err != nil {
		return AuditPage{}, err
	}
	res, err := lr.InquiryLog(ctx, f)
	if err != nil {
		return AuditPage{}, o.unavailable(ctx, "audit log", err)
	}
	pages := max((res.Total+AuditPageSize-1)/AuditPageSize, 1)
	page := max(q.Page, 0)
	if page >= pages {
		page = pages - 1
		f.Offset = page * AuditPageSize
		if res, err = lr.InquiryLog(ctx, f); err != nil {
			return AuditPage{}, o.unavailable(ctx, "audit log", err)
		}
	}
	out := AuditPage{Entries: make([]AuditEntry, 0, len(res.Entries)), Page: page, Pages: pages, Total: res.Total}
	for _, e := range res.Entries {
		out.Entries = append(out.Entries, AuditEntry{Position: e.Position, At: e.At, Inquirer: e.InquirerKind, InquirerID: e.InquirerID,
			Channel: e.Channel, Subject: maskedSubjectID(e.SubjectID), Purpose: e.Purpose, AuthRef: e.AuthRef, Results: e.Results})
	}
	o.log.InfoContext(ctx, "audit log viewed", logKeyClerk, cs.Clerk.ID, "page", page, "from", f.From, "to", f.To,
		"inquirer", f.Inquirer, "channel", f.Channel, logKeyPurpose, f.Purpose)
	return out, nil
}

// maskedSubjectID masks an identifier unless it is an organisation's
// public code; one that parses as neither is masked too.
func maskedSubjectID(id string) string {
	if _, kind, err := credit.ParseSubjectID(id); err == nil && kind != credit.NaturalPerson {
		return id
	}
	return credit.IDNumber(id).Masked()
}
