package apptest

import (
	"context"
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
