package syncclient

import (
	"context"
	"errors"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// fakeStore is an in-memory Outbox and Applier with the store's rules:
// versioned puts, dels that always succeed, cursor saved with the page.
type fakeStore struct {
	mu        sync.Mutex
	items     []credit.OutboxItem
	delivered map[string]credit.Receipt
	rejected  map[string]string
	attempts  map[string][]string
	cursor    string
	asOf      time.Time
	pages     int
	subjects  map[string]credit.Subject
	records   map[string]credit.Record
	statuses  map[string]credit.StatusUpdate
	tombs     []credit.Change

	quarantined          map[string]string // type/id → reason
	snapActive           bool
	snapToken, snapAfter string
	snapSeen             map[string]bool
	begins, swept        int
}

var (
	_ Outbox  = (*fakeStore)(nil)
	_ Applier = (*fakeStore)(nil)
)

func newFakeStore() *fakeStore {
	return &fakeStore{
		delivered: map[string]credit.Receipt{}, rejected: map[string]string{}, attempts: map[string][]string{},
		subjects: map[string]credit.Subject{}, records: map[string]credit.Record{}, statuses: map[string]credit.StatusUpdate{},
		quarantined: map[string]string{},
	}
}

func (f *fakeStore) enqueue(kind credit.ApplicationKind, id string, body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items = append(f.items, credit.OutboxItem{ID: id, Kind: kind, Body: body, Digest: protocol.BodyDigest(body)})
}

func (f *fakeStore) PendingOutbox(_ context.Context, limit int) ([]credit.OutboxItem, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []credit.OutboxItem
	for _, it := range f.items {
		_, d := f.delivered[it.ID]
		_, r := f.rejected[it.ID]
		if !d && !r && len(out) < limit {
			it.Attempts = len(f.attempts[it.ID])
			out = append(out, it)
		}
	}
	return out, nil
}

func (f *fakeStore) MarkDelivered(_ context.Context, r credit.Receipt) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, dup := f.delivered[r.ApplicationID]; dup {
		return errors.New("delivered twice")
	}
	f.delivered[r.ApplicationID] = r
	return nil
}

func (f *fakeStore) MarkRejected(_ context.Context, id, reason string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rejected[id] = reason
	return nil
}

func (f *fakeStore) MarkAttempt(_ context.Context, id, lastError string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts[id] = append(f.attempts[id], lastError)
	return nil
}

func (f *fakeStore) Cursor(context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cursor, nil
}

func (f *fakeStore) ApplyPage(_ context.Context, changes []credit.Change, next string, asOf time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range changes {
		switch {
		case c.Op == credit.OpDel:
			delete(f.records, c.ID)
			delete(f.subjects, c.ID)
			delete(f.quarantined, string(c.Type)+"/"+c.ID)
			f.tombs = append(f.tombs, c)
		case c.Subject != nil:
			if old, ok := f.subjects[c.ID]; !ok || old.Version < c.Version {
				f.subjects[c.ID] = *c.Subject
			}
		case c.Record != nil:
			if old, ok := f.records[c.ID]; !ok || old.Version < c.Version {
				f.records[c.ID] = *c.Record
			}
		case c.Status != nil:
			f.statuses[c.ID] = *c.Status
		}
	}
	f.cursor, f.asOf = next, asOf
	f.pages++
	return nil
}

func (f *fakeStore) snapshot() (cursor string, pages, records int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cursor, f.pages, len(f.records)
}

func (f *fakeStore) Quarantine(_ context.Context, seq int64, typ, id string, ver int64, data []byte, reason string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.quarantined[typ+"/"+id] = reason
	if f.snapActive {
		f.snapSeen["q/"+typ+"/"+id] = true
	}
	return nil
}

func (f *fakeStore) SnapshotProgress(context.Context) (string, string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.snapToken, f.snapAfter, f.snapActive, nil
}

func (f *fakeStore) BeginSnapshot(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.snapActive, f.snapToken, f.snapAfter, f.snapSeen = true, "", "", map[string]bool{}
	f.begins++
	return nil
}

func (f *fakeStore) ApplySnapshotPage(_ context.Context, changes []credit.Change, token, after string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.snapActive {
		return errors.New("no snapshot begun")
	}
	for _, c := range changes {
		switch {
		case c.Subject != nil:
			f.subjects[c.ID] = *c.Subject
			f.snapSeen["s/"+c.ID] = true
		case c.Record != nil:
			f.records[c.ID] = *c.Record
			f.snapSeen["r/"+c.ID] = true
		case c.Status != nil:
			f.statuses[c.ID] = *c.Status
		}
	}
	f.snapToken, f.snapAfter = token, after
	return nil
}

func (f *fakeStore) FinishSnapshot(_ context.Context, cursor string, _ int64, asOf time.Time) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.snapActive {
		return 0, errors.New("no snapshot begun")
	}
	n := 0
	for id := range f.subjects {
		if !f.snapSeen["s/"+id] {
			delete(f.subjects, id)
			n++
		}
	}
	for id := range f.records {
		if !f.snapSeen["r/"+id] {
			delete(f.records, id)
			n++
		}
	}
	for k := range f.quarantined {
		if !f.snapSeen["q/"+k] {
			delete(f.quarantined, k)
		}
	}
	f.snapActive, f.snapToken, f.snapAfter = false, "", ""
	f.cursor, f.asOf = cursor, asOf
	f.swept += n
	return n, nil
}
