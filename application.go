package credit

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Deadlines in working days (Art. 46 and the 2025 restoration plan).
const (
	ObjectionLabelDays      = 1  // label "under objection" within 1 working day
	ObjectionDecisionDays   = 7  // decide within 7 working days
	RestorationAcceptDays   = 3  // department decides acceptance within 3 working days
	RestorationFeedbackDays = 10 // Credit China feeds back within 10 working days
	MaxStatementRunes       = 2000
)

// ApplicationKind names what an outbox item carries.
type ApplicationKind string

// Application kinds.
const (
	KindObjection   ApplicationKind = "objection"
	KindRestoration ApplicationKind = "restoration"
)

// ApplicationStatus is the lifecycle of an objection or restoration.
type ApplicationStatus string

// Statuses, as synced back from the platform.
const (
	StatusQueued       ApplicationStatus = "queued"   // captured on the device, not yet at the platform
	StatusReceived     ApplicationStatus = "received" // the platform holds it (receipt stored)
	StatusLabelled     ApplicationStatus = "labelled"
	StatusUnderReview  ApplicationStatus = "under_review"
	StatusCorrected    ApplicationStatus = "corrected"
	StatusNotCorrected ApplicationStatus = "not_corrected"
	StatusClosed       ApplicationStatus = "closed"
	StatusRejected     ApplicationStatus = "rejected"
)

// Label returns the status's Chinese and English names.
func (s ApplicationStatus) Label() (zh, en string) {
	switch s {
	case StatusQueued:
		return "已受理，待上传", "accepted, waiting to upload"
	case StatusReceived:
		return "平台已接收", "received by the platform"
	case StatusLabelled:
		return "已标注异议", "labelled as under objection"
	case StatusUnderReview:
		return "核查中", "under review"
	case StatusCorrected:
		return "已更正", "corrected"
	case StatusNotCorrected:
		return "不予更正", "not corrected"
	case StatusClosed:
		return "已办结", "closed"
	case StatusRejected:
		return "不予受理", "rejected"
	}
	if l, ok := lifecycleLabels[s]; ok { // restoration statuses: lifecycle.go
		return l[0], l[1]
	}
	return string(s), string(s)
}

// ObjectionType is the ground of an objection (domain.md §3.1).
type ObjectionType string

// Objection types.
const (
	ObjWrongInfo    ObjectionType = "wrong_info" // 信息错误
	ObjOmission     ObjectionType = "omission"   // 信息遗漏
	ObjShouldNotPub ObjectionType = "should_not_publish"
	ObjBeyondPeriod ObjectionType = "beyond_period" // 超期公示
	ObjInconsistent ObjectionType = "inconsistent"  // 与认定单位信息不一致
)

// ObjectionTypes lists the types in display order.
var ObjectionTypes = []ObjectionType{ObjWrongInfo, ObjOmission, ObjShouldNotPub, ObjBeyondPeriod, ObjInconsistent}

// Label returns the type's Chinese and English names.
func (t ObjectionType) Label() (zh, en string) {
	switch t {
	case ObjWrongInfo:
		return "信息错误", "The information is wrong"
	case ObjOmission:
		return "信息遗漏", "Information is missing"
	case ObjShouldNotPub:
		return "不应公示", "It should not be published"
	case ObjBeyondPeriod:
		return "超过公示期限", "Published beyond its period"
	case ObjInconsistent:
		return "与认定单位信息不一致", "Differs from the deciding unit's data"
	}
	return string(t), string(t)
}

// Objection is an application under Art. 46 against one record.
type Objection struct {
	ID          string            `json:"id"` // client UUID: the idempotency key
	No          string            `json:"no"` // application number shown to the citizen
	SubjectID   string            `json:"subject_id"`
	SubjectName string            `json:"subject_name"`
	RecordID    string            `json:"record_id"`
	Type        ObjectionType     `json:"type"`
	Statement   string            `json:"statement"`
	Contact     string            `json:"contact"`
	Channel     string            `json:"channel"` // device id
	ReceivedAt  time.Time         `json:"received_at"`
	LabelDue    time.Time         `json:"label_due"`
	DecisionDue time.Time         `json:"decision_due"`
	Status      ApplicationStatus `json:"status"`
}

// NewObjection fills the number and the deadlines of o from its receipt time.
func NewObjection(cal Calendar, o Objection) Objection {
	o.No = ApplicationNo(KindObjection, o.ReceivedAt, o.ID)
	o.LabelDue = AddWorkingDays(cal, o.ReceivedAt, ObjectionLabelDays)
	o.DecisionDue = AddWorkingDays(cal, o.ReceivedAt, ObjectionDecisionDays)
	if o.Status == "" {
		o.Status = StatusQueued
	}
	return o
}

// Validate checks the fields a citizen fills in.
func (o Objection) Validate() error {
	switch {
	case !isUUID(o.ID):
		return Errorf(EINVALID, "申请编号无效。", "The application id is not a UUID.")
	case o.SubjectID == "" || o.RecordID == "":
		return Errorf(EINVALID, "请选择要提出异议的记录。", "Choose the record you object to.")
	case !validObjectionType(o.Type):
		return Errorf(EINVALID, "请选择异议类型。", "Choose the kind of objection.")
	case strings.TrimSpace(o.Statement) == "":
		return Errorf(EINVALID, "请填写异议理由。", "Please state why the record is wrong.")
	case utf8.RuneCountInString(o.Statement) > MaxStatementRunes:
		return Errorf(EINVALID, "异议理由不能超过%d字。", "The statement may not exceed %d characters.", MaxStatementRunes)
	case o.ReceivedAt.IsZero():
		return Errorf(EINVALID, "缺少受理时间。", "The time of receipt is missing.")
	}
	return nil
}

func validObjectionType(t ObjectionType) bool {
	for _, k := range ObjectionTypes {
		if k == t {
			return true
		}
	}
	return false
}

// ApplicationNo derives the printed application number from the kind, the
// time of receipt and the client UUID: YY (objection) or XF (restoration),
// the date in China time and the first 8 hex digits of the UUID, e.g.
// YY-20261127-3F2A9C01. It is unique per UUID without coordination.
func ApplicationNo(kind ApplicationKind, at time.Time, id string) string {
	prefix := "YY"
	if kind == KindRestoration {
		prefix = "XF"
	}
	hex := strings.ToUpper(strings.ReplaceAll(id, "-", ""))
	if len(hex) > 8 {
		hex = hex[:8]
	}
	return fmt.Sprintf("%s-%s-%s", prefix, at.In(China).Format("20060102"), hex)
}

// isUUID accepts the canonical 8-4-4-4-12 hex form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}
