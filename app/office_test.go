package app_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type officeFixture struct {
	office *app.Office
	clerks *apptest.Clerks
	mem    *apptest.Mem
	queue  *apptest.Queue
	clock  *clock
}

const clerkPassword = "s3cret-pass"

func newOffice(t *testing.T) *officeFixture {
	t.Helper()
	f := &officeFixture{clerks: apptest.NewClerks(), mem: apptest.Fixture(friday.Add(-time.Hour)), queue: &apptest.Queue{}, clock: &clock{t: friday}}
	f.office = app.NewOffice(app.OfficeDeps{
		Clerks: f.clerks, Records: f.mem, Inquiries: f.mem, Queue: f.queue,
		Now: f.clock.Now, Argon2: apptest.FastArgon2, DeviceID: "office-620102",
	})
	if err := f.office.AddClerk(t.Context(), credit.Clerk{ID: "C001", Name: "王芳", Role: credit.RoleClerk}, clerkPassword); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *officeFixture) login(t *testing.T) *app.ClerkSession {
	t.Helper()
	cs, err := f.office.Login(t.Context(), "C001", clerkPassword)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestLogin(t *testing.T) {
	f := newOffice(t)
	cs := f.login(t)
	if cs.Clerk != (credit.Clerk{ID: "C001", Name: "王芳", Role: credit.RoleClerk}) || cs.Ended() {
		t.Fatalf("session %+v", cs.Clerk)
	}
	tests := []struct {
		name, id, pw string
		code         string
		msg          string
	}{
		{"wrong password", "C001", "wrong-pass", credit.EUNAUTHORIZED, "工号或密码错误"},
		{"unknown clerk", "C999", clerkPassword, credit.EUNAUTHORIZED, "工号或密码错误"},
		{"empty password", "C001", "", credit.EINVALID, "请输入工号和密码"},
		{"empty id", " ", "x", credit.EINVALID, "请输入工号和密码"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := f.office.Login(t.Context(), tt.id, tt.pw)
			if cs != nil || credit.ErrorCode(err) != tt.code || !strings.Contains(credit.ErrorMessage(err), tt.msg) {
				t.Fatalf("Login = %v, %v (%s)", cs, err, credit.ErrorMessage(err))
			}
		})
	}
	// A success clears the failure count: four more failures do not lock.
	f.login(t)
	for range 4 {
		f.office.Login(t.Context(), "C001", "wrong-pass")
	}
	f.login(t)
}

func TestLockoutAfterFiveFailures(t *testing.T) {
	f := newOffice(t)
	ctx := t.Context()
	for i := 1; i <= 4; i++ {
		_, err := f.office.Login(ctx, "C001", "wrong-pass")
		var le *app.LockedError
		if errors.As(err, &le) {
			t.Fatalf("locked after %d failures", i)
		}
	}
	_, err := f.office.Login(ctx, "C001", "wrong-pass")
	var le *app.LockedError
	if !errors.As(err, &le) || !le.Until.Equal(friday.Add(15*time.Minute)) {
		t.Fatalf("fifth failure: %v", err)
	}
	if !strings.Contains(credit.ErrorMessage(err), "已锁定") || !strings.Contains(credit.ErrorMessage(err), "2026-11-27 10:15") ||
		!strings.Contains(credit.ErrorMessageEN(err), "locked until 2026-11-27 10:15") {
		t.Errorf("lockout message %q / %q", credit.ErrorMessage(err), credit.ErrorMessageEN(err))
	}
	// The right password is refused while locked, with the same end time.
	f.clock.Add(14 * time.Minute)
	if _, err := f.office.Login(ctx, "C001", clerkPassword); !errors.As(err, &le) || !le.Until.Equal(friday.Add(15*time.Minute)) {
		t.Fatalf("right password while locked: %v", err)
	}
	f.clock.Add(time.Minute)
	f.login(t)
}

func TestIdleLock(t *testing.T) {
	f := newOffice(t)
	cs := f.login(t)
	f.clock.Add(4 * time.Minute)
	if f.office.IdleLock(cs) {
		t.Fatal("locked after 4 minutes")
	}
	f.office.Touch(cs)
	if got := f.office.IdleRemaining(cs); got != 5*time.Minute {
		t.Errorf("remaining after a touch %v", got)
	}
	f.clock.Add(4*time.Minute + 59*time.Second)
	if f.office.IdleLock(cs) {
		t.Fatal("locked before 5 minutes since the touch")
	}
	f.clock.Add(time.Second)
	if !f.office.IdleLock(cs) || !cs.Ended() {
		t.Fatal("not locked after 5 idle minutes")
	}
	f.office.Touch(cs) // does not revive
	if _, err := f.office.AuthorisedInquiry(t.Context(), cs, apptest.OrgID, string(credit.PurposeAdministrative), ""); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("inquiry on a locked session: %v", err)
	}
	cs2 := f.login(t)
	f.office.Logout(cs2)
	if _, err := f.office.OpenApplications(t.Context(), cs2, app.QueueFilter{}); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("queue after logout: %v", err)
	}
	if len(f.mem.LoggedInquiries()) != 0 {
		t.Error("an inquiry was logged for an ended session")
	}
}

// unknownPerson is a valid ID number the fixture does not hold; badCheck
// is the fixture person's number with a wrong check character.
var (
	unknownPerson = "62010219900101123" + string(credit.IDCheckChar("62010219900101123"))
	badCheck      = apptest.PersonID[:17] + map[bool]string{true: "1", false: "0"}[apptest.PersonID[17] == '0']
)

func TestAuthorisedInquiry(t *testing.T) {
	purpose := string(credit.PurposeAdministrative)
	tests := []struct {
		name, subject, purpose, authRef string
		code                            string // "" = allowed
		logged                          bool
	}{
		{"person without auth ref", apptest.PersonID, purpose, " ", credit.EUNAUTHORIZED, false},
		{"person with auth ref", apptest.PersonID, purpose, "SQ-2026-001", "", true},
		{"organisation without auth ref", apptest.OrgID, purpose, "", "", true},
		{"no purpose", apptest.OrgID, "", "", credit.EINVALID, false},
		{"purpose not in Art. 25", apptest.PersonID, credit.PurposeSelf, "SQ-1", credit.EINVALID, false},
		{"bad checksum", badCheck, purpose, "SQ-1", credit.EINVALID, false},
		{"auth ref too long", apptest.PersonID, purpose, strings.Repeat("号", 65), credit.EINVALID, false},
		{"unknown person", unknownPerson, purpose, "SQ-1", credit.ENOTFOUND, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newOffice(t)
			cs := f.login(t)
			v, err := f.office.AuthorisedInquiry(t.Context(), cs, tt.subject, tt.purpose, tt.authRef)
			if credit.ErrorCode(err) != tt.code {
				t.Fatalf("err %v, want code %q", err, tt.code)
			}
			if err != nil && (v != nil || credit.ErrorMessage(err) == "" || credit.ErrorMessageEN(err) == "") {
				t.Errorf("refusal with data or without a message: %v %v", v, err)
			}
			inq := f.mem.LoggedInquiries()
			if !tt.logged {
				if len(inq) != 0 {
					t.Fatalf("refused inquiry logged: %+v", inq)
				}
				return
			}
			if len(inq) != 1 {
				t.Fatalf("%d inquiries logged, want 1", len(inq))
			}
			q := inq[0]
			if q.InquirerKind != credit.InquirerClerk || q.InquirerID != "C001" || q.Purpose != tt.purpose ||
				q.AuthRef != strings.TrimSpace(tt.authRef) || q.Channel != "office-620102" || !q.At.Equal(friday) {
				t.Errorf("log entry %+v", q)
			}
			if err == nil {
				if v.Subject.ID != tt.subject || v.Inquiry.ID != q.ID || len(v.Records) != 3 || v.Stale {
					t.Errorf("view %+v", v)
				}
			}
		})
	}
}

func TestAuthorisedInquiryLogFirst(t *testing.T) {
	f := newOffice(t)
	cs := f.login(t)
	f.mem.Fail["LogInquiry"] = errors.New("disk full")
	v, err := f.office.AuthorisedInquiry(t.Context(), cs, apptest.PersonID, string(credit.PurposeTalent), "SQ-2")
	if v != nil || credit.ErrorCode(err) != credit.EUNAVAILABLE {
		t.Fatalf("unlogged inquiry answered: %v, %v", v, err)
	}
	f.mem.Fail["LogInquiry"] = nil
	f.mem.Fail["RecordsOf"] = errors.New("io error")
	if v, err := f.office.AuthorisedInquiry(t.Context(), cs, apptest.PersonID, string(credit.PurposeTalent), "SQ-2"); v != nil || err == nil || strings.Contains(credit.ErrorMessage(err), "io error") {
		t.Fatalf("records failure: %v, %v", v, err)
	}
}

func objection(no string, received time.Time, status credit.ApplicationStatus) credit.Objection {
	return credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{
		ID: credit.NewUUID(), SubjectID: apptest.PersonID, SubjectName: apptest.PersonName, RecordID: "r-" + no,
		Type: credit.ObjWrongInfo, Statement: "错", Channel: "kiosk", ReceivedAt: received, Status: status,
	})
}

func TestOpenApplications(t *testing.T) {
	f := newOffice(t)
	cs := f.login(t)
	// friday = Fri 2026-11-27. Received Mon 11-16 → due (7 wd) Wed 11-25: 2 wd late.
	// Received Wed 11-18 → due Fri 11-27, today: not late. Received Tue 11-10 → due Thu 11-19: 6 wd late.
	late2 := objection("a", time.Date(2026, 11, 16, 9, 0, 0, 0, credit.China), credit.StatusReceived)
	onTime := objection("b", time.Date(2026, 11, 18, 9, 0, 0, 0, credit.China), credit.StatusQueued)
	late6 := objection("c", time.Date(2026, 11, 10, 9, 0, 0, 0, credit.China), credit.StatusUnderReview)
	done := objection("d", time.Date(2026, 11, 1, 9, 0, 0, 0, credit.China), credit.StatusCorrected)
	rest := credit.NewRestoration(credit.WeekendCalendar{}, credit.Restoration{ID: credit.NewUUID(), SubjectID: apptest.OrgID,
		SubjectName: apptest.OrgName, RecordID: apptest.RecOrg, Performance: "已缴清罚款", Committed: true,
		ReceivedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, credit.China)}) // accept due (3 wd) Wed 11-25
	f.queue.Objections = []credit.Objection{onTime, late2, done, late6}
	f.queue.Restorations = []credit.Restoration{rest}

	items, err := f.office.OpenApplications(t.Context(), cs, app.QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.No+":"+map[bool]string{true: "late", false: "ok"}[it.Overdue]+":"+string(rune('0'+it.DaysLate)))
	}
	want := []string{late6.No + ":late:6", late2.No + ":late:2", rest.No + ":late:2", onTime.No + ":ok:0"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("queue\n got %v\nwant %v", got, want)
	}
	if items[2].Kind != credit.KindRestoration || !items[2].Due.Equal(rest.AcceptDue) {
		t.Errorf("restoration item %+v", items[2])
	}
	for _, tt := range []struct {
		name string
		f    app.QueueFilter
		n    int
	}{
		{"objections", app.QueueFilter{Kind: credit.KindObjection}, 3},
		{"restorations", app.QueueFilter{Kind: credit.KindRestoration}, 1},
		{"status", app.QueueFilter{Status: credit.StatusQueued}, 2},
		{"region", app.QueueFilter{Region: "6201"}, 4},
		{"other region", app.QueueFilter{Region: "6202"}, 0},
	} {
		items, err := f.office.OpenApplications(t.Context(), cs, tt.f)
		if err != nil || len(items) != tt.n {
			t.Errorf("%s: %d items, %v; want %d", tt.name, len(items), err, tt.n)
		}
	}
}

func TestWorkingDaysLate(t *testing.T) {
	cal := credit.WeekendCalendar{}
	endOf := func(y int, m time.Month, d int) time.Time {
		return time.Date(y, m, d, 23, 59, 59, 0, credit.China)
	}
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, credit.China) }
	tests := []struct {
		name     string
		due, now time.Time
		want     int
	}{
		{"before due", endOf(2026, 11, 27), at(11, 27, 10), 0},
		{"saturday after a friday deadline", endOf(2026, 11, 27), at(11, 28, 10), 0},
		{"monday after a friday deadline", endOf(2026, 11, 27), at(11, 30, 8), 1},
		{"a week later", endOf(2026, 11, 20), at(11, 27, 10), 5},
		{"now in UTC", endOf(2026, 11, 27), time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC), 2}, // Tue 01:00 CST
		{"decades ago is bounded", endOf(1900, 1, 1), at(11, 27, 10), 2614},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := app.WorkingDaysLate(cal, tt.due, tt.now); got != tt.want {
				t.Errorf("WorkingDaysLate = %d, want %d", got, tt.want)
			}
		})
	}
}

// A session not made by Login (zero activity time) opens nothing.
func TestForgedSessionRefused(t *testing.T) {
	f := newOffice(t)
	forged := &app.ClerkSession{Clerk: credit.Clerk{ID: "C001", Name: "王芳", Role: credit.RoleSupervisor}}
	if _, err := f.office.AuthorisedInquiry(t.Context(), forged, apptest.OrgID, string(credit.PurposeTalent), ""); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("forged session: %v", err)
	}
	if _, err := f.office.OpenApplications(t.Context(), nil, app.QueueFilter{}); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("nil session: %v", err)
	}
	if len(f.mem.LoggedInquiries()) != 0 {
		t.Error("a forged session's inquiry was logged")
	}
}
