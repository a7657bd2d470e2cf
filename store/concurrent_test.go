package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/synth"
)

// TestConcurrentSyncAndKiosk runs a background sync (pages with puts and
// deletions) while the kiosk captures objections, logs inquiries and
// reads: nothing may fail with "database is locked".
func TestConcurrentSyncAndKiosk(t *testing.T) {
	db, ds := openSynth(t, 8, 400)
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	wg.Go(func() {
		for p := range 20 {
			var page []credit.Change
			for i := range 20 {
				s := ds.Subjects[2+(p*20+i)%300]
				s.Version = int64(2 + p)
				page = append(page, putSubject(int64(p*100+i), s))
			}
			page = append(page, del(int64(p*100+99), credit.TypeRecord, ds.Records[len(ds.Records)-1-p].ID))
			if err := db.ApplyPage(ctx, page, fmt.Sprintf("c%d", p), fixedNow); err != nil {
				errs <- fmt.Errorf("page %d: %w", p, err)
			}
		}
	})
	wg.Go(func() {
		for i, r := range ds.Records[:30] {
			o := newObjection(r.ID, fixedNow.Add(time.Duration(i)*time.Second))
			if err := db.SaveObjection(ctx, o); err != nil {
				errs <- fmt.Errorf("objection %d: %w", i, err)
			}
		}
	})
	wg.Go(func() {
		for i := range 50 {
			q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: synth.DemoID, InquirerKind: credit.InquirerSelf,
				Channel: "k", At: fixedNow.Add(time.Duration(i) * time.Second)}
			if err := db.LogInquiry(ctx, q); err != nil {
				errs <- err
			}
			if _, err := db.RecordsOf(ctx, synth.DemoID); err != nil {
				errs <- err
			}
			if _, err := db.SearchOrganisations(ctx, "有限", 5); err != nil {
				errs <- err
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if c, _ := db.Cursor(ctx); c != "c19" {
		t.Errorf("cursor %q", c)
	}
	if items, _ := db.PendingOutbox(ctx, 0); len(items) != 30 {
		t.Errorf("%d outbox items, want 30", len(items))
	}
	if qs, _ := db.InquiriesOf(ctx, synth.DemoID); len(qs) != 50 {
		t.Errorf("%d inquiries, want 50", len(qs))
	}
}
