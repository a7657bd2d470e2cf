package credit_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

func TestAddWorkingDays(t *testing.T) {
	cst := credit.China
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name string
		from string
		n    int
		want string // deadline date, ends 23:59:59
	}{
		{"Friday receipt, 1 WD → Monday", "2026-11-27 10:00", 1, "2026-11-30"},
		{"Friday receipt, 7 WD → Tuesday week after next", "2026-11-27 10:00", 7, "2026-12-08"},
		{"Saturday receipt counts from Monday", "2026-11-28 09:00", 1, "2026-11-30"},
		{"Monday, 1 WD → Tuesday", "2026-11-30 23:59", 1, "2026-12-01"},
		{"Wednesday, 3 WD → Monday", "2026-12-02 08:00", 3, "2026-12-07"},
		{"10 WD spans two weekends", "2026-12-01 08:00", 10, "2026-12-15"},
		{"zero days is the day itself", "2026-12-01 08:00", 0, "2026-12-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := credit.AddWorkingDays(credit.WeekendCalendar{}, at(tt.from), tt.n)
			if got.Format("2006-01-02 15:04:05") != tt.want+" 23:59:59" {
				t.Fatalf("got %s, want %s 23:59:59", got.Format("2006-01-02 15:04:05"), tt.want)
			}
		})
	}
}

func TestAddWorkingDaysUsesChinaTime(t *testing.T) {
	// 2026-11-27 17:00 UTC is Saturday 01:00 in China: counting starts Monday.
	from := time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC)
	got := credit.AddWorkingDays(credit.WeekendCalendar{}, from, 1)
	if got.Format("2006-01-02") != "2026-11-30" {
		t.Fatalf("got %s", got)
	}
}

func TestNewObjectionDeadlines(t *testing.T) {
	recv := time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China) // Friday
	o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{
		ID: "3f2a9c01-0000-4000-8000-000000000001", SubjectID: "11010519491231002X", RecordID: "R1",
		Type: credit.ObjWrongInfo, Statement: "罚款已缴清", ReceivedAt: recv,
	})
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	if o.No != "YY-20261127-3F2A9C01" {
		t.Errorf("No = %q", o.No)
	}
	if o.LabelDue.Format("01-02") != "11-30" || o.DecisionDue.Format("01-02") != "12-08" {
		t.Errorf("dues %s %s", o.LabelDue, o.DecisionDue)
	}
	if o.Status != credit.StatusQueued {
		t.Errorf("status %q", o.Status)
	}
}

func TestObjectionValidate(t *testing.T) {
	base := credit.Objection{ID: credit.NewUUID(), SubjectID: "S", RecordID: "R", Type: credit.ObjOmission,
		Statement: "x", ReceivedAt: time.Now()}
	mut := map[string]func(o *credit.Objection){
		"bad uuid":      func(o *credit.Objection) { o.ID = "123" },
		"no record":     func(o *credit.Objection) { o.RecordID = "" },
		"unknown type":  func(o *credit.Objection) { o.Type = "because" },
		"blank reason":  func(o *credit.Objection) { o.Statement = "  \n" },
		"no time":       func(o *credit.Objection) { o.ReceivedAt = time.Time{} },
		"too long text": func(o *credit.Objection) { o.Statement = string(make([]rune, 2001)) },
	}
	if err := base.Validate(); err != nil {
		t.Fatalf("base: %v", err)
	}
	for name, m := range mut {
		o := base
		m(&o)
		if err := o.Validate(); credit.ErrorCode(err) != credit.EINVALID {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestNewUUIDIsUniqueAndCanonical(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		u := credit.NewUUID()
		if len(u) != 36 || u[14] != '4' || seen[u] {
			t.Fatalf("bad or repeated uuid %q", u)
		}
		seen[u] = true
	}
}

func TestInquiryValidateEnforcesArt23(t *testing.T) {
	now := time.Now()
	self := credit.Inquiry{SubjectID: "S", Channel: "K1", At: now, InquirerKind: credit.InquirerSelf, Purpose: credit.PurposeSelf}
	if err := self.Validate(credit.NaturalPerson); err != nil {
		t.Fatal(err)
	}
	pub := self
	pub.InquirerKind = credit.InquirerPublic
	if credit.ErrorCode(pub.Validate(credit.NaturalPerson)) != credit.EUNAUTHORIZED {
		t.Error("public inquiry into a natural person must be refused")
	}
	if err := pub.Validate(credit.LegalPerson); err != nil {
		t.Errorf("public inquiry into a business: %v", err)
	}
	clerk := self
	clerk.InquirerKind, clerk.InquirerID, clerk.Purpose = credit.InquirerClerk, "C001", "行政审批"
	if credit.ErrorCode(clerk.Validate(credit.NaturalPerson)) != credit.EUNAUTHORIZED {
		t.Error("clerk inquiry without authorisation reference must be refused")
	}
	clerk.AuthRef = "SQ-2026-001"
	if err := clerk.Validate(credit.NaturalPerson); err != nil {
		t.Error(err)
	}
}

func TestCardExpired(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, credit.China)
	for _, tt := range []struct {
		to   string
		want bool
	}{{"长期", false}, {"20261127", false}, {"20261126", true}, {"20360101", false}, {"", false}} {
		if got := (credit.IDCard{ValidTo: tt.to}).Expired(now); got != tt.want {
			t.Errorf("ValidTo %q: expired = %v", tt.to, got)
		}
	}
}
