package app

import (
	"context"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Clerks keeps the county office's staff accounts. store.DB implements it.
// Errors are *credit.Error: ENOTFOUND for an unknown staff number, ECONFLICT
// when adding a number that exists; anything else is internal.
type Clerks interface {
	// AddClerk stores a new account (FailedCount and LockedUntil are
	// ignored: a new account starts unlocked).
	AddClerk(ctx context.Context, a credit.ClerkAccount) error
	// ClerkAccount returns the account with this staff number.
	ClerkAccount(ctx context.Context, id string) (credit.ClerkAccount, error)
	// ListClerks returns every clerk, ordered by staff number.
	ListClerks(ctx context.Context) ([]credit.Clerk, error)
	// LoginFailed atomically adds one to the account's consecutive
	// failures. When they reach lockAfter, the account is locked until
	// lockUntil and the count starts again from zero. It returns the
	// account as it is after the change.
	LoginFailed(ctx context.Context, id string, lockAfter int, lockUntil time.Time) (credit.ClerkAccount, error)
	// LoginSucceeded clears the failure count and any lock.
	LoginSucceeded(ctx context.Context, id string) error
}

// ApplicationQueue lists the applications still being handled, across all
// subjects. store.DB implements it.
type ApplicationQueue interface {
	// OpenObjections returns every objection whose status does not end it.
	OpenObjections(ctx context.Context) ([]credit.Objection, error)
	// OpenRestorations returns every restoration application whose status
	// does not end it.
	OpenRestorations(ctx context.Context) ([]credit.Restoration, error)
}
