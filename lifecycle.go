package credit

import (
	"fmt"
	"strings"
	"time"
)

// Restoration statuses (Art. 47; 国办发〔2025〕22号). StatusReceived,
// StatusRejected (not accepted, with written reasons) and StatusClosed are
// shared with objections.
const (
	StatusAccepted ApplicationStatus = "accepted" // the department accepted the application
	StatusRestored ApplicationStatus = "restored" // restoration granted: the record is deleted
	StatusRefused  ApplicationStatus = "refused"  // restoration refused, with written reasons
)

// lifecycleLabels names the statuses declared here (see ApplicationStatus.Label).
var lifecycleLabels = map[ApplicationStatus][2]string{
	StatusAccepted: {"已受理修复申请", "restoration application accepted"},
	StatusRestored: {"已修复", "credit restored"},
	StatusRefused:  {"不予修复", "restoration refused"},
}

// Lifecycle is the set of moves an officer may make on one kind of
// application, and the working-day deadlines that run from its receipt.
type Lifecycle struct {
	Kind ApplicationKind
	// next lists the statuses reachable in one move from each status.
	next map[ApplicationStatus][]ApplicationStatus
	// stages are the deadlines, in the order they fall due.
	stages []Stage
}

// Stage is one working-day deadline of a lifecycle: it runs from the time
// of receipt and is met once the application has reached any of MetBy.
type Stage struct {
	Name  string // label, decision, acceptance, feedback
	Days  int    // working days after the day of receipt
	MetBy []ApplicationStatus
}

// ObjectionLifecycle: received → labelled → under review → corrected or
// not corrected (with written reasons) → closed. The label is due within 1
// working day and the decision within 7 (Art. 46).
var ObjectionLifecycle = Lifecycle{
	Kind: KindObjection,
	next: map[ApplicationStatus][]ApplicationStatus{
		StatusQueued:       {StatusReceived, StatusRejected},
		StatusReceived:     {StatusLabelled},
		StatusLabelled:     {StatusUnderReview},
		StatusUnderReview:  {StatusCorrected, StatusNotCorrected},
		StatusCorrected:    {StatusClosed},
		StatusNotCorrected: {StatusClosed},
	},
	stages: []Stage{
		{Name: "label", Days: ObjectionLabelDays, MetBy: []ApplicationStatus{StatusLabelled, StatusUnderReview, StatusCorrected, StatusNotCorrected, StatusClosed}},
		{Name: "decision", Days: ObjectionDecisionDays, MetBy: []ApplicationStatus{StatusCorrected, StatusNotCorrected, StatusClosed}},
	},
}

// RestorationLifecycle: received → accepted, or rejected with written
// reasons; accepted → restored, or refused with written reasons; each
// outcome → closed. Acceptance is due within 3 working days and the
// feedback within 10 (Art. 47; 国办发〔2025〕22号).
var RestorationLifecycle = Lifecycle{
	Kind: KindRestoration,
	next: map[ApplicationStatus][]ApplicationStatus{
		StatusQueued:   {StatusReceived, StatusRejected},
		StatusReceived: {StatusAccepted, StatusRejected},
		StatusAccepted: {StatusRestored, StatusRefused},
		StatusRejected: {StatusClosed},
		StatusRestored: {StatusClosed},
		StatusRefused:  {StatusClosed},
	},
	stages: []Stage{
		{Name: "acceptance", Days: RestorationAcceptDays, MetBy: []ApplicationStatus{StatusAccepted, StatusRejected, StatusRestored, StatusRefused, StatusClosed}},
		{Name: "feedback", Days: RestorationFeedbackDays, MetBy: []ApplicationStatus{StatusRejected, StatusRestored, StatusRefused, StatusClosed}},
	},
}

// LifecycleOf returns the lifecycle of kind; ok is false for an unknown
// kind.
func LifecycleOf(kind ApplicationKind) (Lifecycle, bool) {
	switch kind {
	case KindObjection:
		return ObjectionLifecycle, true
	case KindRestoration:
		return RestorationLifecycle, true
	}
	return Lifecycle{}, false
}

// Transition reports whether an application may move from one status to
// the next in one step. An illegal move is an ECONFLICT *Error naming both
// statuses in Chinese and English.
func (l Lifecycle) Transition(from, to ApplicationStatus) error {
	for _, s := range l.next[from] {
		if s == to {
			return nil
		}
	}
	fromZH, fromEN := from.Label()
	toZH, toEN := to.Label()
	kindZH, kindEN := "异议申请", "objection"
	if l.Kind == KindRestoration {
		kindZH, kindEN = "信用修复申请", "restoration application"
	}
	return &Error{Code: ECONFLICT,
		Message:   fmt.Sprintf("该%s当前状态为“%s”，不能改为“%s”。", kindZH, fromZH, toZH),
		MessageEN: fmt.Sprintf("This %s is %s; it cannot become %s.", kindEN, fromEN, toEN)}
}

// NeedsReasons reports whether moving to status must come with written
// reasons: an objection not corrected (Art. 46), a restoration not
// accepted or refused (国办发〔2025〕22号).
func NeedsReasons(to ApplicationStatus) bool {
	return to == StatusNotCorrected || to == StatusRejected || to == StatusRefused
}

// Check is Transition plus the written-reasons rule: an EINVALID *Error
// when to needs reasons and reasons is blank.
func (l Lifecycle) Check(from, to ApplicationStatus, reasons string) error {
	if err := l.Transition(from, to); err != nil {
		return err
	}
	if NeedsReasons(to) && strings.TrimSpace(reasons) == "" {
		zh, en := to.Label()
		return &Error{Code: EINVALID, Message: fmt.Sprintf("“%s”须书面说明理由。", zh),
			MessageEN: fmt.Sprintf("Written reasons are required for %q.", en)}
	}
	return nil
}

// CloseOnRevocation checks that an application at status may be closed
// because the basis of its record was revoked (Art. 48: the record is
// withdrawn, so an objection or restoration about it has nothing left to
// decide). Every status that is not final may; a final one is an ECONFLICT
// *Error. The move is outside the officer's ordinary steps (Transition).
func (l Lifecycle) CloseOnRevocation(status ApplicationStatus) error {
	if !l.Final(status) {
		return nil
	}
	zh, en := status.Label()
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf("该申请已“%s”，无需关闭。", zh),
		MessageEN: fmt.Sprintf("The application is already %s; there is nothing to close.", en)}
}

// BasisRevokedNote is the written reason an application closed by a
// revocation carries to the device (Art. 48).
const BasisRevokedNote = "该信用信息的认定依据已被撤销，信息已撤回，本申请相应终结。 The basis of this record was revoked and the record withdrawn; this application is closed."

// Final reports whether no move leads out of status.
func (l Lifecycle) Final(status ApplicationStatus) bool { return len(l.next[status]) == 0 }

// Stages returns the deadlines in the order they fall due.
func (l Lifecycle) Stages() []Stage { return append([]Stage(nil), l.stages...) }

// Pending returns the first deadline status has not met yet; ok is false
// when every deadline is met (or status is final).
func (l Lifecycle) Pending(status ApplicationStatus) (st Stage, ok bool) {
	if l.Final(status) {
		return Stage{}, false
	}
	for _, st := range l.stages {
		met := false
		for _, s := range st.MetBy {
			met = met || s == status
		}
		if !met {
			return st, true
		}
	}
	return Stage{}, false
}

// Overdue reports whether an application received at receivedAt and now
// at status is past its first unmet deadline (Art. 46: overdue items are
// flagged with how many working days late), and by how many working days
// (WorkingDaysLate: it may be 0 when only days off have passed since).
func (l Lifecycle) Overdue(cal Calendar, receivedAt time.Time, status ApplicationStatus, now time.Time) (late bool, workingDays int) {
	st, ok := l.Pending(status)
	if !ok {
		return false, 0
	}
	due := AddWorkingDays(cal, receivedAt, st.Days)
	if !now.After(due) {
		return false, 0
	}
	return true, WorkingDaysLate(cal, due, now)
}

// Overdue is ObjectionLifecycle.Overdue: an objection's label is due within
// 1 working day of receipt and its decision within 7 (Art. 46).
func Overdue(cal Calendar, receivedAt time.Time, status ApplicationStatus, now time.Time) (late bool, workingDays int) {
	return ObjectionLifecycle.Overdue(cal, receivedAt, status, now)
}
