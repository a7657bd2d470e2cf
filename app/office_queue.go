package app

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// QueueFilter narrows the queue. Zero fields match everything.
type QueueFilter struct {
	Kind   credit.ApplicationKind   // objections or restorations
	Status credit.ApplicationStatus // one open status
	Region string                   // prefix of the subject's 6-digit division code (county or city)
}

// QueueItem is one open application in the office queue.
type QueueItem struct {
	Kind        credit.ApplicationKind
	ID          string
	No          string
	SubjectID   string
	SubjectName string
	RecordID    string
	Status      credit.ApplicationStatus
	ReceivedAt  time.Time
	Due         time.Time // the deadline now running (zero: none recorded)
	Overdue     bool      // Due has passed
	DaysLate    int       // working days after Due, up to today
}

// OpenApplications lists the open objections and restoration applications
// matching f, soonest deadline first (those without one last), with the
// overdue ones flagged and their working days late counted on the
// office's calendar.
func (o *Office) OpenApplications(ctx context.Context, cs *ClerkSession, f QueueFilter) ([]QueueItem, error) {
	if err := o.active(cs); err != nil {
		return nil, err
	}
	var items []QueueItem
	if f.Kind == "" || f.Kind == credit.KindObjection {
		objs, err := o.queue.OpenObjections(ctx)
		if err != nil {
			return nil, o.unavailable(ctx, "queue: objections", err)
		}
		for _, x := range objs {
			items = append(items, QueueItem{Kind: credit.KindObjection, ID: x.ID, No: x.No, SubjectID: x.SubjectID,
				SubjectName: x.SubjectName, RecordID: x.RecordID, Status: x.Status, ReceivedAt: x.ReceivedAt, Due: x.DecisionDue})
		}
	}
	if f.Kind == "" || f.Kind == credit.KindRestoration {
		rs, err := o.queue.OpenRestorations(ctx)
		if err != nil {
			return nil, o.unavailable(ctx, "queue: restorations", err)
		}
		for _, x := range rs {
			due := x.FeedbackDue
			if x.Status == credit.StatusQueued || x.Status == credit.StatusReceived {
				due = x.AcceptDue // not yet accepted by the department
			}
			items = append(items, QueueItem{Kind: credit.KindRestoration, ID: x.ID, No: x.No, SubjectID: x.SubjectID,
				SubjectName: x.SubjectName, RecordID: x.RecordID, Status: x.Status, ReceivedAt: x.ReceivedAt, Due: due})
		}
	}
	now := o.now()
	kept := items[:0]
	for _, it := range items {
		if (f.Status != "" && it.Status != f.Status) || (f.Region != "" && !strings.HasPrefix(subjectRegion(it.SubjectID), f.Region)) {
			continue
		}
		it.Overdue, it.DaysLate = credit.Lateness(o.cal, it.Due, now)
		kept = append(kept, it)
	}
	slices.SortStableFunc(kept, func(a, b QueueItem) int {
		if a.Due.IsZero() != b.Due.IsZero() {
			if a.Due.IsZero() {
				return 1
			}
			return -1
		}
		return cmp.Or(a.Due.Compare(b.Due), a.ReceivedAt.Compare(b.ReceivedAt), strings.Compare(a.No, b.No))
	})
	return kept, nil
}

// subjectRegion is the division code inside a subject's identifier.
func subjectRegion(id string) string {
	if _, kind, err := credit.ParseSubjectID(id); err == nil {
		if kind == credit.NaturalPerson {
			return credit.IDNumber(id).Region()
		}
		return credit.USCC(id).Region()
	}
	return ""
}

// WorkingDaysLate counts the working days after the day of due up to and
// including the day of now (China time): a deadline at the end of Friday
// is one working day late on Monday. It is 0 when now is not past due.
// It is credit.WorkingDaysLate, kept for callers of app.
func WorkingDaysLate(cal credit.Calendar, due, now time.Time) int {
	return credit.WorkingDaysLate(cal, due, now)
}
