// Package apptest provides in-memory implementations of the app ports, for
// the tests of app and app/ui. Mem follows the contracts written in
// app/ports.go (ENOTFOUND, ECONFLICT on a second open objection, idempotent
// saves, UnderObjection set on records) and can be told to misbehave.
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
	_ app.Records      = (*Mem)(nil)
	_ app.InquiryLog   = (*Mem)(nil)
	_ app.Applications = (*Mem)(nil)
	_ app.CardReader   = (*Card)(nil)
)

// Mem is an in-memory cache of subjects, records, inquiries and
// objections. The zero value is not usable; call NewMem.
type Mem struct {
	mu         sync.Mutex
	subjects   map[string]credit.Subject
	records    []credit.Record
	inquiries  []credit.Inquiry
	objections []credit.Objection
	asOf       time.Time

	restorations []credit.Restoration
	reports      map[string][]time.Time // report issue times by subject

	// LeakPersons makes the port misbehave the way a buggy store might:
	// searches match natural persons too, Subject answers an unknown ID
	// with the first natural person, and RecordsOf returns every record.
	LeakPersons bool
	// Fail makes the named method ("Subject", "RecordsOf", "LogInquiry",
	// "SaveObjection", ...) return the error.
	Fail map[string]error
}

// NewMem returns an empty cache whose last sync was at asOf.
func NewMem(asOf time.Time) *Mem {
	return &Mem{subjects: map[string]credit.Subject{}, asOf: asOf, Fail: map[string]error{}}
}

// Put adds a subject and its records.
func (m *Mem) Put(s credit.Subject, recs ...credit.Record) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.subjects[s.ID] = s
	m.records = append(m.records, recs...)
}

// RemoveRecord deletes a record, as a sync tombstone does.
func (m *Mem) RemoveRecord(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	kept := m.records[:0]
	for _, r := range m.records {
		if r.ID != id {
			kept = append(kept, r)
		}
	}
	m.records = kept
}

// SetDataAsOf changes the time of the last sync.
func (m *Mem) SetDataAsOf(t time.Time) {
	m.mu.Lock()
	m.asOf = t
	m.mu.Unlock()
}

// LoggedInquiries returns a copy of the inquiry log.
func (m *Mem) LoggedInquiries() []credit.Inquiry {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.inquiries)
}

// SavedObjections returns a copy of the saved objections.
func (m *Mem) SavedObjections() []credit.Objection {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.objections)
}

func (m *Mem) fail(op string) error {
	return m.Fail[op]
}

func notFound() error {
	return credit.Errorf(credit.ENOTFOUND, "未找到。", "Not found.")
}

// Subject implements app.Records.
func (m *Mem) Subject(_ context.Context, id string) (credit.Subject, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail("Subject"); err != nil {
		return credit.Subject{}, err
	}
	if s, ok := m.subjects[id]; ok {
		return s, nil
	}
	if m.LeakPersons {
		for _, s := range m.sortedSubjects() {
			if s.IsPerson() {
				return s, nil
			}
		}
	}
	return credit.Subject{}, notFound()
}

func (m *Mem) sortedSubjects() []credit.Subject {
	out := make([]credit.Subject, 0, len(m.subjects))
	for _, s := range m.subjects {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b credit.Subject) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// RecordsOf implements app.Records: by category, newest decision first,
// UnderObjection set where an objection is open.
func (m *Mem) RecordsOf(_ context.Context, subjectID string) ([]credit.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail("RecordsOf"); err != nil {
		return nil, err
	}
	var out []credit.Record
	for _, r := range m.records {
		if r.SubjectID == subjectID || m.LeakPersons {
			r.UnderObjection = m.openObjection(r.ID) != nil
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b credit.Record) int {
		if c := slices.Index(credit.Categories, a.Category) - slices.Index(credit.Categories, b.Category); c != 0 {
			return c
		}
		return b.DecisionDate.Compare(a.DecisionDate)
	})
	return out, nil
}

// SearchOrganisations implements app.Records (substring of the name or the
// exact code).
func (m *Mem) SearchOrganisations(_ context.Context, query string, limit int) ([]credit.Subject, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail("SearchOrganisations"); err != nil {
		return nil, err
	}
	var out []credit.Subject
	for _, s := range m.sortedSubjects() {
		if !m.LeakPersons && s.Kind != credit.LegalPerson {
			continue
		}
		if strings.Contains(s.Name, query) || s.ID == query {
			out = append(out, s)
		}
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

// DataAsOf implements app.Records.
func (m *Mem) DataAsOf(context.Context) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.asOf, m.fail("DataAsOf")
}

// LogInquiry implements app.InquiryLog.
func (m *Mem) LogInquiry(_ context.Context, q credit.Inquiry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail("LogInquiry"); err != nil {
		return err
	}
	m.inquiries = append(m.inquiries, q)
	return nil
}

// InquiriesOf implements app.InquiryLog, newest first.
func (m *Mem) InquiriesOf(_ context.Context, subjectID string) ([]credit.Inquiry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []credit.Inquiry
	for i := len(m.inquiries) - 1; i >= 0; i-- {
		if m.inquiries[i].SubjectID == subjectID {
			out = append(out, m.inquiries[i])
		}
	}
	return out, nil
}

// openObjection returns the open objection against the record, if any.
func (m *Mem) openObjection(recordID string) *credit.Objection {
	for i, o := range m.objections {
		if o.RecordID != recordID {
			continue
		}
		switch o.Status {
		case credit.StatusCorrected, credit.StatusNotCorrected, credit.StatusClosed, credit.StatusRejected:
			continue
		}
		return &m.objections[i]
	}
	return nil
}

// SaveObjection implements app.Applications.
func (m *Mem) SaveObjection(_ context.Context, o credit.Objection) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail("SaveObjection"); err != nil {
		return err
	}
	for _, x := range m.objections {
		if x.ID == o.ID {
			return nil
		}
	}
	if open := m.openObjection(o.RecordID); open != nil {
		return credit.Errorf(credit.ECONFLICT, "该记录已有异议申请正在处理（%s）。", "This record already has an objection in progress (%s).", open.No)
	}
	m.objections = append(m.objections, o)
	return nil
}

// ObjectionsOf implements app.Applications.
func (m *Mem) ObjectionsOf(_ context.Context, subjectID string) ([]credit.Objection, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []credit.Objection
	for _, o := range m.objections {
		if o.SubjectID == subjectID {
			out = append(out, o)
		}
	}
	return out, nil
}

// Objection implements app.Applications.
func (m *Mem) Objection(_ context.Context, id string) (credit.Objection, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.objections {
		if o.ID == id {
			return o, nil
		}
	}
	return credit.Objection{}, notFound()
}

// Card is a card reader holding one card (or an error).
type Card struct {
	mu    sync.Mutex
	card  credit.IDCard
	err   error
	reads int
}

// NewCard returns a reader that answers with card, or with err if non-nil.
func NewCard(card credit.IDCard, err error) *Card {
	return &Card{card: card, err: err}
}

// Set changes what the reader answers.
func (c *Card) Set(card credit.IDCard, err error) {
	c.mu.Lock()
	c.card, c.err = card, err
	c.mu.Unlock()
}

// Reads counts the calls to ReadCard.
func (c *Card) Reads() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reads
}

// ReadCard implements app.CardReader.
func (c *Card) ReadCard(ctx context.Context) (credit.IDCard, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	if err := ctx.Err(); err != nil {
		return credit.IDCard{}, err
	}
	return c.card, c.err
}
