package apptest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

var (
	_ app.Clerks           = (*Clerks)(nil)
	_ app.ApplicationQueue = (*Queue)(nil)
)

// FastArgon2 are argon2id parameters cheap enough for tests.
var FastArgon2 = app.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// Clerks is an in-memory app.Clerks following the port's contract.
type Clerks struct {
	mu    sync.Mutex
	accts map[string]credit.ClerkAccount
}

// NewClerks returns an empty account store.
func NewClerks() *Clerks { return &Clerks{accts: map[string]credit.ClerkAccount{}} }

// AddClerk implements app.Clerks.
func (c *Clerks) AddClerk(_ context.Context, a credit.ClerkAccount) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.accts[a.ID]; ok {
		return credit.Errorf(credit.ECONFLICT, "工号%s已存在。", "Staff number %s exists.", a.ID)
	}
	a.FailedCount, a.LockedUntil = 0, time.Time{}
	c.accts[a.ID] = a
	return nil
}

// ClerkAccount implements app.Clerks.
func (c *Clerks) ClerkAccount(_ context.Context, id string) (credit.ClerkAccount, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.accts[id]
	if !ok {
		return credit.ClerkAccount{}, notFound()
	}
	return a, nil
}

// ListClerks implements app.Clerks.
func (c *Clerks) ListClerks(context.Context) ([]credit.Clerk, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := []credit.Clerk{}
	for _, a := range c.accts {
		out = append(out, a.Clerk)
	}
	slices.SortFunc(out, func(a, b credit.Clerk) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// LoginFailed implements app.Clerks.
func (c *Clerks) LoginFailed(_ context.Context, id string, lockAfter int, lockUntil time.Time) (credit.ClerkAccount, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.accts[id]
	if !ok {
		return credit.ClerkAccount{}, notFound()
	}
	a.FailedCount++
	if a.FailedCount >= lockAfter {
		a.FailedCount, a.LockedUntil = 0, lockUntil
	}
	c.accts[id] = a
	return a, nil
}

// LoginSucceeded implements app.Clerks.
func (c *Clerks) LoginSucceeded(_ context.Context, id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.accts[id]
	if !ok {
		return notFound()
	}
	a.FailedCount, a.LockedUntil = 0, time.Time{}
	c.accts[id] = a
	return nil
}

// Queue is an in-memory app.ApplicationQueue.
type Queue struct {
	mu           sync.Mutex
	Objections   []credit.Objection
	Restorations []credit.Restoration
}

func closed(s credit.ApplicationStatus) bool {
	switch s {
	case credit.StatusCorrected, credit.StatusNotCorrected, credit.StatusClosed, credit.StatusRejected:
		return true
	}
	return false
}

// OpenObjections implements app.ApplicationQueue.
func (q *Queue) OpenObjections(context.Context) ([]credit.Objection, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := []credit.Objection{}
	for _, o := range q.Objections {
		if !closed(o.Status) {
			out = append(out, o)
		}
	}
	return out, nil
}

// OpenRestorations implements app.ApplicationQueue.
func (q *Queue) OpenRestorations(context.Context) ([]credit.Restoration, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := []credit.Restoration{}
	for _, r := range q.Restorations {
		if !closed(r.Status) {
			out = append(out, r)
		}
	}
	return out, nil
}

var (
	_ app.IntakeStore   = (*Desk)(nil)
	_ app.EvidenceStore = (*Desk)(nil)
	_ app.SettingsStore = (*Desk)(nil)
)

// Desk is an in-memory office store: applications taken at the window
// (with the kiosk's contract: ECONFLICT for a second open application on a
// record, same ID twice a no-op), intake notes, evidence and settings.
// Captured applications also go into Queue when it is set.
type Desk struct {
	Queue *Queue
	// Fail makes the named method return the error.
	Fail map[string]error

	mu           sync.Mutex
	objections   []credit.Objection
	restorations []credit.Restoration
	intakes      map[string]credit.Intake
	evidence     map[string][]credit.Evidence
	blobs        map[string][]byte
	settings     map[string]string
	settingBy    map[string]string
}

// NewDesk returns an empty Desk feeding q (may be nil).
func NewDesk(q *Queue) *Desk {
	return &Desk{Queue: q, Fail: map[string]error{}, intakes: map[string]credit.Intake{}, evidence: map[string][]credit.Evidence{},
		blobs: map[string][]byte{}, settings: map[string]string{}, settingBy: map[string]string{}}
}

func (d *Desk) fail(op string) error { return d.Fail[op] }

// SaveObjection implements app.IntakeStore.
func (d *Desk) SaveObjection(_ context.Context, o credit.Objection) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.fail("SaveObjection"); err != nil {
		return err
	}
	return saveOpen(&d.objections, o, func(x credit.Objection) (string, string, credit.ApplicationStatus, string) {
		return x.ID, x.RecordID, x.Status, x.No
	}, func(no string) error {
		return credit.Errorf(credit.ECONFLICT, "该记录已有正在办理的异议申请（%s）。", "This record already has an open objection (%s).", no)
	}, d.Queue, func(q *Queue) *[]credit.Objection { return &q.Objections })
}

// SaveRestoration implements app.IntakeStore.
func (d *Desk) SaveRestoration(_ context.Context, r credit.Restoration) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.fail("SaveRestoration"); err != nil {
		return err
	}
	return saveOpen(&d.restorations, r, func(x credit.Restoration) (string, string, credit.ApplicationStatus, string) {
		return x.ID, x.RecordID, x.Status, x.No
	}, func(no string) error {
		return credit.Errorf(credit.ECONFLICT, "该记录已有正在办理的信用修复申请（%s）。", "This record already has an open restoration application (%s).", no)
	}, d.Queue, func(q *Queue) *[]credit.Restoration { return &q.Restorations })
}

// saveOpen appends item to list (and to the queue's list, when there is a
// queue) unless an item with its ID is there already (a repeat: nil) or
// another one on the same record is still open (conflict with its number),
// as the store's one-open-application-per-record rule (Art. 46).
func saveOpen[T any](list *[]T, item T, key func(T) (id, record string, status credit.ApplicationStatus, no string),
	conflict func(no string) error, q *Queue, queued func(*Queue) *[]T) error {
	id, record, _, _ := key(item)
	for _, x := range *list {
		xid, xrec, xstatus, xno := key(x)
		if xid == id {
			return nil
		}
		if xrec == record && !closed(xstatus) {
			return conflict(xno)
		}
	}
	*list = append(*list, item)
	if q != nil {
		q.mu.Lock()
		*queued(q) = append(*queued(q), item)
		q.mu.Unlock()
	}
	return nil
}

// RecordIntake implements app.IntakeStore.
func (d *Desk) RecordIntake(_ context.Context, in credit.Intake) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.fail("RecordIntake"); err != nil {
		return err
	}
	if _, ok := d.intakes[in.ApplicationID]; !ok {
		d.intakes[in.ApplicationID] = in
	}
	return nil
}

// Objections returns the captured objections.
func (d *Desk) Objections() []credit.Objection {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.objections)
}

// Restorations returns the captured restoration applications.
func (d *Desk) Restorations() []credit.Restoration {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.restorations)
}

// Intake returns the intake note of an application.
func (d *Desk) Intake(id string) (credit.Intake, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	in, ok := d.intakes[id]
	return in, ok
}

// AddEvidence implements app.EvidenceStore.
func (d *Desk) AddEvidence(_ context.Context, e credit.Evidence, data []byte) (credit.Evidence, error) {
	typ, err := credit.CheckEvidence(e.Name, data)
	if err != nil {
		return credit.Evidence{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.fail("AddEvidence"); err != nil {
		return credit.Evidence{}, err
	}
	known := false
	for _, o := range d.objections {
		known = known || o.ID == e.ApplicationID
	}
	for _, r := range d.restorations {
		known = known || r.ID == e.ApplicationID
	}
	if !known {
		return credit.Evidence{}, notFound()
	}
	sum := sha256.Sum256(data)
	e.SHA256, e.Type, e.Size = hex.EncodeToString(sum[:]), typ, int64(len(data))
	list := d.evidence[e.ApplicationID]
	for _, x := range list {
		if x.SHA256 == e.SHA256 {
			return x, nil
		}
	}
	if len(list) >= credit.MaxEvidencePerApp {
		return credit.Evidence{}, credit.Errorf(credit.EINVALID, "每件申请最多附加 %d 个文件。", "At most %d files can be attached to an application.", credit.MaxEvidencePerApp)
	}
	d.evidence[e.ApplicationID] = append(list, e)
	d.blobs[e.SHA256] = slices.Clone(data)
	return e, nil
}

// EvidenceOf implements app.EvidenceStore.
func (d *Desk) EvidenceOf(_ context.Context, id string) ([]credit.Evidence, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.fail("EvidenceOf"); err != nil {
		return nil, err
	}
	return append([]credit.Evidence{}, d.evidence[id]...), nil
}

// Settings implements app.SettingsStore.
func (d *Desk) Settings(context.Context) (map[string]string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.fail("Settings"); err != nil {
		return nil, err
	}
	return maps.Clone(d.settings), nil
}

// SetSetting implements app.SettingsStore.
func (d *Desk) SetSetting(_ context.Context, key, value, by string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.fail("SetSetting"); err != nil {
		return err
	}
	d.settings[key], d.settingBy[key] = value, by
	return nil
}

// SettingBy returns who last set key.
func (d *Desk) SettingBy(key string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.settingBy[key]
}
