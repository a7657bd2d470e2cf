package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// ApplicationLookup finds an application by its printed number.
// store.DB implements it. Both methods answer ENOTFOUND when there is none.
type ApplicationLookup interface {
	ObjectionByNo(ctx context.Context, no string) (credit.Objection, error)
	RestorationByNo(ctx context.Context, no string) (credit.Restoration, error)
}

// Progress is what anyone holding an application number may see at the
// kiosk: the kind, status and dates, no personal data.
type Progress struct {
	Kind                credit.ApplicationKind
	No                  string
	Status              credit.ApplicationStatus
	ReceivedAt          time.Time
	FirstDue, SecondDue time.Time // label/decision or acceptance/feedback
	// Overdue says the platform missed the deadline now running, by
	// DaysLate working days (Art. 46; Service.Overdue).
	Overdue  bool
	DaysLate int
}

// applicationNo is the printed form, e.g. YY-20261127-3F2A9C01.
var applicationNo = regexp.MustCompile(`^(YY|XF)-[0-9]{8}-[0-9A-F]{8}$`)

// ApplicationProgress looks up an application by its number, with no card
// read: only the status and the dates are returned.
func (s *Service) ApplicationProgress(ctx context.Context, no string) (Progress, error) {
	no = strings.ToUpper(strings.Join(strings.Fields(no), ""))
	if !applicationNo.MatchString(no) {
		return Progress{}, credit.Errorf(credit.EINVALID, "申请编号格式不正确，例如 YY-20261127-3F2A9C01。", "That is not an application number; it looks like YY-20261127-3F2A9C01.")
	}
	if s.lookup == nil {
		return Progress{}, credit.Errorf(credit.EUNAVAILABLE, "本机暂不能查询申请进度，请到服务窗口查询。", "This terminal cannot look up applications. Please ask at the service counter.")
	}
	notFound := credit.Errorf(credit.ENOTFOUND, "本机未找到该申请。在其他地点提交的申请，请到服务窗口或“信用中国（甘肃）”网站查询。",
		"This terminal has no application with that number. For applications made elsewhere, ask at the service counter or look it up on the Credit China (Gansu) website.")
	var p Progress
	var err error
	if strings.HasPrefix(no, "YY") {
		var o credit.Objection
		o, err = s.lookup.ObjectionByNo(ctx, no)
		p = Progress{Kind: credit.KindObjection, No: o.No, Status: o.Status, ReceivedAt: o.ReceivedAt, FirstDue: o.LabelDue, SecondDue: o.DecisionDue}
	} else {
		var r credit.Restoration
		r, err = s.lookup.RestorationByNo(ctx, no)
		p = Progress{Kind: credit.KindRestoration, No: r.No, Status: r.Status, ReceivedAt: r.ReceivedAt, FirstDue: r.AcceptDue, SecondDue: r.FeedbackDue}
	}
	switch {
	case credit.ErrorCode(err) == credit.ENOTFOUND:
		return Progress{}, fmt.Errorf("%w: %w", notFound, err)
	case err != nil:
		return Progress{}, s.internal(ctx, "application progress", err)
	}
	p.Overdue, p.DaysLate = s.Overdue(p.Kind, p.Status, p.FirstDue, p.SecondDue)
	return p, nil
}
