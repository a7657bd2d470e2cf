package credit

import (
	"strings"
	"time"
)

// Restoration is a credit-restoration application under Art. 47 for one
// untrustworthiness record.
type Restoration struct {
	ID          string            `json:"id"` // client UUID
	No          string            `json:"no"`
	SubjectID   string            `json:"subject_id"`
	SubjectName string            `json:"subject_name"`
	RecordID    string            `json:"record_id"`
	Performance string            `json:"performance"` // how the obligations were performed
	Committed   bool              `json:"committed"`   // signed the credit commitment letter
	Contact     string            `json:"contact"`
	Channel     string            `json:"channel"`
	ReceivedAt  time.Time         `json:"received_at"`
	AcceptDue   time.Time         `json:"accept_due"`
	FeedbackDue time.Time         `json:"feedback_due"`
	Status      ApplicationStatus `json:"status"`
}

// NewRestoration fills the number and deadlines of r from its receipt time.
func NewRestoration(cal Calendar, r Restoration) Restoration {
	r.No = ApplicationNo(KindRestoration, r.ReceivedAt, r.ID)
	r.AcceptDue = AddWorkingDays(cal, r.ReceivedAt, RestorationAcceptDays)
	r.FeedbackDue = AddWorkingDays(cal, r.ReceivedAt, RestorationFeedbackDays)
	if r.Status == "" {
		r.Status = StatusQueued
	}
	return r
}

// Validate checks the fields an applicant fills in.
func (r Restoration) Validate() error {
	switch {
	case !isUUID(r.ID):
		return Errorf(EINVALID, "申请编号无效。", "The application id is not a UUID.")
	case r.SubjectID == "" || r.RecordID == "":
		return Errorf(EINVALID, "请选择要修复的失信记录。", "Choose the record to restore.")
	case strings.TrimSpace(r.Performance) == "":
		return Errorf(EINVALID, "请说明履行法定义务的情况。", "Describe how the obligations were performed.")
	case !r.Committed:
		return Errorf(EINVALID, "须签署信用承诺书。", "The credit commitment letter must be signed.")
	case r.ReceivedAt.IsZero():
		return Errorf(EINVALID, "缺少受理时间。", "The time of receipt is missing.")
	}
	return nil
}
