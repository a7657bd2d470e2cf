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

// IntakeStore captures applications taken at the office window. store.DB
// implements it. SaveObjection and SaveRestoration are the kiosk's durable
// captures (outbox, exactly once, ECONFLICT naming an open application's
// number); RecordIntake keeps the clerk's note beside the application and
// is idempotent per application.
type IntakeStore interface {
	SaveObjection(ctx context.Context, o credit.Objection) error
	SaveRestoration(ctx context.Context, r credit.Restoration) error
	RecordIntake(ctx context.Context, in credit.Intake) error
}

// EvidenceStore keeps files attached to applications, content-addressed.
// store.DB implements it. AddEvidence refuses non-document content and
// more than credit.MaxEvidencePerApp files with EINVALID, an unknown
// application with ENOTFOUND; the same content twice is a no-op.
type EvidenceStore interface {
	AddEvidence(ctx context.Context, e credit.Evidence, data []byte) (credit.Evidence, error)
	EvidenceOf(ctx context.Context, applicationID string) ([]credit.Evidence, error)
}

// SettingsStore is the device's key/value settings. store.DB implements it.
type SettingsStore interface {
	Settings(ctx context.Context) (map[string]string, error)
	SetSetting(ctx context.Context, key, value, by string) error
}

// AuditResult is the outcome of checking the inquiry log's hash chains.
type AuditResult struct {
	OK         bool
	Devices    int    // devices with a chain
	Entries    int    // chained entries checked
	FirstBreak string // the first break found (device, position, kind); "" when OK
}

// AuditVerifier re-checks the inquiry log's hash chains (cmd/office adapts
// store.DB.VerifyAuditChain). An error means the check could not run.
type AuditVerifier func(ctx context.Context) (AuditResult, error)
