package app

import (
	"context"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Records is the device's cache of subjects and records. store.DB
// implements it. Errors are *credit.Error with ENOTFOUND where nothing
// matches; anything else is internal.
type Records interface {
	// Subject returns the subject with this ID number or USCC.
	Subject(ctx context.Context, id string) (credit.Subject, error)
	// RecordsOf returns the subject's records, with UnderObjection set,
	// ordered by category then decision date (newest first).
	RecordsOf(ctx context.Context, subjectID string) ([]credit.Record, error)
	// SearchOrganisations finds legal persons by a USCC or by part of the
	// name (one or more Chinese characters); natural persons never match.
	SearchOrganisations(ctx context.Context, query string, limit int) ([]credit.Subject, error)
	// DataAsOf is the server time of the last complete sync (zero if never).
	DataAsOf(ctx context.Context) (time.Time, error)
}

// InquiryLog records every inquiry (Art. 24, 25, 45).
type InquiryLog interface {
	LogInquiry(ctx context.Context, q credit.Inquiry) error
	InquiriesOf(ctx context.Context, subjectID string) ([]credit.Inquiry, error)
}

// Applications captures applications durably. SaveObjection writes the
// objection and its outbox row (frozen JSON body) in one transaction with
// synchronous=FULL and returns only after the commit; it fails with
// ECONFLICT (naming the open application's number) when the record already
// has an open objection, and saving the same ID twice is a no-op.
type Applications interface {
	SaveObjection(ctx context.Context, o credit.Objection) error
	ObjectionsOf(ctx context.Context, subjectID string) ([]credit.Objection, error)
	Objection(ctx context.Context, id string) (credit.Objection, error)
	// SaveRestoration captures a restoration application exactly as
	// SaveObjection captures an objection (ECONFLICT when the record has
	// an open one).
	SaveRestoration(ctx context.Context, r credit.Restoration) error
	RestorationsOf(ctx context.Context, subjectID string) ([]credit.Restoration, error)
	Restoration(ctx context.Context, id string) (credit.Restoration, error)
}

// CardReader reads the identity card on the reader. idcard.Reader
// implements it. It returns ENOTFOUND when no card is present.
type CardReader interface {
	ReadCard(ctx context.Context) (credit.IDCard, error)
}
