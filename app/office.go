package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Office defaults.
const (
	DefaultClerkIdle = 5 * time.Minute  // idle lock of a clerk session
	DefaultLockAfter = 5                // consecutive failed logins before a lockout
	DefaultLockFor   = 15 * time.Minute // length of a lockout
)

// Log keys of the office service.
const (
	logKeyClerk   = "clerk"
	logKeyPurpose = "purpose"
	logKeyRole    = "role"
	logKeyBytes   = "bytes"
	logKeyType    = "type"
	logKeySetting = "setting"
	logKeyOK      = "ok"
	logKeyEntries = "entries"
)

// OfficeDeps are the parts an Office is built from. Clerks is required for
// logins; Records and Inquiries for authorised inquiries; Queue for the
// queue. The rest have defaults.
type OfficeDeps struct {
	Clerks     Clerks
	Records    Records
	Inquiries  InquiryLog
	Queue      ApplicationQueue
	Calendar   credit.Calendar // default credit.WeekendCalendar{}
	DeviceID   string          // channel of the inquiries; default "office"
	Now        func() time.Time
	Logger     *slog.Logger
	Argon2     Argon2Params  // cost of new password hashes; zero: DefaultArgon2
	IdleAfter  time.Duration // idle lock; 0: DefaultClerkIdle
	LockAfter  int           // 0: DefaultLockAfter
	LockFor    time.Duration // 0: DefaultLockFor
	StaleAfter time.Duration // 0: DefaultStaleAfter
	// ServerNow is the platform's time as the sync client estimates it;
	// staleness is judged by it (staleness.go). nil: Now.
	ServerNow func() time.Time

	Intake      IntakeStore     // intake of applications on a citizen's behalf
	Evidence    EvidenceStore   // evidence attachments
	Settings    SettingsStore   // reader port, printer, county
	Card        CardReader      // nil: no reader attached; IDs are typed
	ReaderPorts func() []string // serial ports a reader may be on (cmd/office: idcard.Ports)
	VerifyAudit AuditVerifier   // nil: the audit view is unavailable
	Printers    PrinterLister   // nil: no printers are detected; names are typed

	// Printing is the kiosk service whose printing and verification
	// parts (Deps.Documents, Slips, Signer, Registry, Reports, Trusted)
	// the office prints and checks with; nil: nothing is printed or
	// checked (office_print.go).
	Printing *Service
}

// Office runs the county office's use cases for logged-in clerks. It is
// safe for concurrent use.
type Office struct {
	clerks     Clerks
	records    Records
	inquiries  InquiryLog
	queue      ApplicationQueue
	cal        credit.Calendar
	deviceID   string
	now        func() time.Time
	log        *slog.Logger
	argon      Argon2Params
	idleAfter  time.Duration
	lockAfter  int
	lockFor    time.Duration
	staleAfter time.Duration
	serverNow  func() time.Time

	intake      IntakeStore
	evidence    EvidenceStore
	settings    SettingsStore
	card        CardReader
	readerPorts func() []string
	verifyAudit AuditVerifier
	printers    PrinterLister
	printing    *Service

	dummyOnce sync.Once
	dummyHash string // verified against for unknown staff numbers
}

// NewOffice returns an Office over d. It does no I/O.
func NewOffice(d OfficeDeps) *Office {
	o := &Office{
		clerks: d.Clerks, records: d.Records, inquiries: d.Inquiries, queue: d.Queue,
		cal: d.Calendar, deviceID: d.DeviceID, now: d.Now, log: d.Logger, argon: d.Argon2,
		idleAfter: d.IdleAfter, lockAfter: d.LockAfter, lockFor: d.LockFor, staleAfter: d.StaleAfter,
		intake: d.Intake, evidence: d.Evidence, settings: d.Settings, card: d.Card,
		readerPorts: d.ReaderPorts, verifyAudit: d.VerifyAudit, printing: d.Printing,
		printers: d.Printers,
	}
	if o.cal == nil {
		o.cal = credit.WeekendCalendar{}
	}
	if o.deviceID == "" {
		o.deviceID = "office"
	}
	if o.now == nil {
		o.now = time.Now
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	o.serverNow = orNow(d.ServerNow, o.now)
	if o.argon == (Argon2Params{}) {
		o.argon = DefaultArgon2
	}
	if o.idleAfter <= 0 {
		o.idleAfter = DefaultClerkIdle
	}
	if o.lockAfter <= 0 {
		o.lockAfter = DefaultLockAfter
	}
	if o.lockFor <= 0 {
		o.lockFor = DefaultLockFor
	}
	if o.staleAfter <= 0 {
		o.staleAfter = DefaultStaleAfter
	}
	return o
}

// Now is the office's clock.
func (o *Office) Now() time.Time { return o.now() }

// IdleAfter is how long a clerk session may go untouched before it locks.
func (o *Office) IdleAfter() time.Duration { return o.idleAfter }

// ClerkSession is one clerk's login. It ends at Logout or when it has been
// idle for IdleAfter.
type ClerkSession struct {
	Clerk      credit.Clerk
	LoggedInAt time.Time

	mu         sync.Mutex
	lastActive time.Time
	ended      bool
	intake     *intakeLook     // the subject looked up for intake, if any
	inquiry    *credit.Inquiry // the last authorised inquiry (office_print.go)
	failed     *failedReport   // a report that did not print, for "print again"
}

// Ended reports whether the session was logged out or locked.
func (cs *ClerkSession) Ended() bool {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.ended
}

// LockedError says an account is locked after too many failed logins, and
// until when. Login returns it joined with the user-facing *credit.Error.
type LockedError struct {
	Until time.Time
}

// Error implements error.
func (e *LockedError) Error() string {
	return "account locked until " + e.Until.In(credit.China).Format(time.RFC3339)
}

func errLocked(until time.Time) error {
	at := until.In(credit.China).Format("2006-01-02 15:04")
	return fmt.Errorf("%w: %w", credit.Errorf(credit.EUNAUTHORIZED, "连续登录失败次数过多，账号已锁定，请于 %s 后再试。",
		"Too many failed logins: the account is locked until %s.", at), &LockedError{Until: until})
}

func errBadLogin() error {
	return credit.Errorf(credit.EUNAUTHORIZED, "工号或密码错误。", "Wrong staff number or password.")
}

// Login checks a clerk's staff number and password. After LockAfter
// consecutive failures the account is locked for LockFor; a locked account
// is refused with the time the lock ends (a *LockedError in the chain),
// without looking at the password. An unknown staff number gets the same
// answer as a wrong password, after the same amount of work.
func (o *Office) Login(ctx context.Context, id, password string) (*ClerkSession, error) {
	id = strings.TrimSpace(id)
	if id == "" || password == "" {
		return nil, credit.Errorf(credit.EINVALID, "请输入工号和密码。", "Enter your staff number and password.")
	}
	if len(password) > maxPasswordBytes {
		return nil, errBadLogin()
	}
	acct, err := o.clerks.ClerkAccount(ctx, id)
	switch {
	case credit.ErrorCode(err) == credit.ENOTFOUND:
		o.dummyVerify(password)
		o.log.InfoContext(ctx, "login refused: unknown staff number")
		return nil, errBadLogin()
	case err != nil:
		return nil, o.unavailable(ctx, "login", err)
	}
	now := o.now()
	if acct.LockedUntil.After(now) {
		o.log.InfoContext(ctx, "login refused: locked", logKeyClerk, acct.ID)
		return nil, errLocked(acct.LockedUntil)
	}
	ok, err := VerifyPassword(acct.PasswordHash, password)
	if err != nil {
		return nil, o.unavailable(ctx, "login: stored hash", err)
	}
	if !ok {
		a, err := o.clerks.LoginFailed(ctx, acct.ID, o.lockAfter, now.Add(o.lockFor))
		if err != nil {
			return nil, o.unavailable(ctx, "login: count failure", err)
		}
		o.log.InfoContext(ctx, "login refused: wrong password", logKeyClerk, acct.ID, "failed", a.FailedCount)
		if a.LockedUntil.After(now) {
			return nil, errLocked(a.LockedUntil)
		}
		return nil, errBadLogin()
	}
	if err := o.clerks.LoginSucceeded(ctx, acct.ID); err != nil {
		return nil, o.unavailable(ctx, "login: reset failures", err)
	}
	o.log.InfoContext(ctx, "clerk logged in", logKeyClerk, acct.ID)
	return &ClerkSession{Clerk: acct.Clerk, LoggedInAt: now, lastActive: now}, nil
}

// dummyVerify spends the time of one verification, so an unknown staff
// number cannot be told from a wrong password by the answer's speed.
func (o *Office) dummyVerify(password string) {
	o.dummyOnce.Do(func() {
		h, err := HashPassword(o.argon, "dummy password")
		if err == nil {
			o.dummyHash = h
		}
	})
	if o.dummyHash != "" {
		_, _ = VerifyPassword(o.dummyHash, password)
	}
}

// Logout ends the session.
func (o *Office) Logout(cs *ClerkSession) {
	if cs == nil {
		return
	}
	cs.mu.Lock()
	was := cs.ended
	cs.ended, cs.intake = true, nil
	cs.mu.Unlock()
	if !was {
		o.log.Info("clerk logged out", logKeyClerk, cs.Clerk.ID)
	}
}

// Touch records the clerk's activity (a key press or a click), postponing
// the idle lock. An ended or already idle session is not revived.
func (o *Office) Touch(cs *ClerkSession) {
	_ = o.active(cs)
}

// IdleLock ends the session if it has been idle for IdleAfter and reports
// whether it has ended (now or before). The UI calls it from a timer and
// returns to the login screen when it answers true.
func (o *Office) IdleLock(cs *ClerkSession) bool {
	if cs == nil {
		return true
	}
	now := o.now()
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if !cs.ended && now.Sub(cs.lastActive) >= o.idleAfter {
		cs.ended, cs.intake = true, nil
		o.log.Info("clerk session locked after idle time", logKeyClerk, cs.Clerk.ID)
	}
	return cs.ended
}

// IdleRemaining is how long until the session locks if untouched.
func (o *Office) IdleRemaining(cs *ClerkSession) time.Duration {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.ended {
		return 0
	}
	return max(o.idleAfter-o.now().Sub(cs.lastActive), 0)
}

// active refuses an ended or idle session and otherwise records activity.
func (o *Office) active(cs *ClerkSession) error {
	if cs == nil || o.IdleLock(cs) {
		return credit.Errorf(credit.EUNAUTHORIZED, "登录已失效，请重新登录。", "You are logged out. Please log in again.")
	}
	cs.mu.Lock()
	cs.lastActive = o.now()
	cs.mu.Unlock()
	return nil
}

// AddClerk creates a clerk account with the password hashed by argon2id.
func (o *Office) AddClerk(ctx context.Context, c credit.Clerk, password string) error {
	c.Name = strings.TrimSpace(c.Name)
	if err := c.Validate(); err != nil {
		return err
	}
	if err := validatePassword(password); err != nil {
		return err
	}
	h, err := HashPassword(o.argon, password)
	if err != nil {
		return fmt.Errorf("add clerk: %w", err)
	}
	if err := o.clerks.AddClerk(ctx, credit.ClerkAccount{Clerk: c, PasswordHash: h}); err != nil {
		return fmt.Errorf("add clerk: %w", err)
	}
	o.log.InfoContext(ctx, "clerk added", logKeyClerk, c.ID, logKeyRole, string(c.Role))
	return nil
}

// ListClerks returns every clerk by staff number.
func (o *Office) ListClerks(ctx context.Context) ([]credit.Clerk, error) {
	cs, err := o.clerks.ListClerks(ctx)
	if err != nil {
		return nil, fmt.Errorf("list clerks: %w", err)
	}
	return cs, nil
}

// unavailable logs a port failure and returns it under a plain message; a
// *credit.Error from the port keeps its own message.
func (o *Office) unavailable(ctx context.Context, op string, err error) error {
	o.log.ErrorContext(ctx, op, logKeyErr, err)
	if code := credit.ErrorCode(err); code != credit.EINTERNAL {
		return fmt.Errorf("%s: %w", op, err)
	}
	return fmt.Errorf("%w: %s: %w", credit.Errorf(credit.EUNAVAILABLE, "系统暂时无法完成操作，请稍后再试。", "The system cannot do this right now. Please try again later."), op, err)
}
