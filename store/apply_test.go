package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

func putSubject(seq int64, s credit.Subject) credit.Change {
	return credit.Change{Seq: seq, Op: credit.OpPut, Type: credit.TypeSubject, ID: s.ID, Version: s.Version, Subject: &s}
}

func putRecord(seq int64, r credit.Record) credit.Change {
	return credit.Change{Seq: seq, Op: credit.OpPut, Type: credit.TypeRecord, ID: r.ID, Version: r.Version, Record: &r}
}

func del(seq int64, typ credit.ChangeType, id string) credit.Change {
	return credit.Change{Seq: seq, Op: credit.OpDel, Type: typ, ID: id, Reason: "withdrawn"}
}

func record(id, subject, content string, ver int64) credit.Record {
	return credit.Record{ID: id, SubjectID: subject, Category: credit.CategoryUntrustworthy, Title: "行政处罚",
		Content: content, SourceUnit: "兰州市市场监督管理局", DocumentNo: "兰市监罚〔2025〕1号",
		LegalBasis: "《中华人民共和国食品安全法》第一百二十四条", Tier: credit.TierGeneral,
		DecisionDate:   time.Date(2025, 3, 1, 0, 0, 0, 0, credit.China),
		PublicityUntil: time.Date(2026, 3, 1, 0, 0, 0, 0, credit.China), Version: ver}
}

func TestApplyPageVersionRules(t *testing.T) {
	db, _ := openTest(t)
	ctx := t.Context()
	s := orgContains
	s.Version = 5
	r := record("R1", s.ID, "v5", 5)
	if err := db.ApplyPage(ctx, []credit.Change{putSubject(1, s), putRecord(2, r)}, "c1", fixedNow); err != nil {
		t.Fatal(err)
	}
	renamed := s
	renamed.Name = "兰州丝路商贸有限公司"
	tests := []struct {
		name        string
		version     int64
		wantName    string
		wantContent string
	}{
		{"older version ignored", 4, s.Name, "v5"},
		{"same version ignored", 5, s.Name, "v5"},
		{"newer version wins", 6, renamed.Name, "v6"},
		{"replayed older after newer ignored", 5, renamed.Name, "v6"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := renamed
			sub.Version = tt.version
			rec := record("R1", s.ID, "v"+string(rune('0'+tt.version)), tt.version)
			if err := db.ApplyPage(ctx, []credit.Change{putSubject(int64(10+i), sub), putRecord(int64(20+i), rec)}, "c", fixedNow); err != nil {
				t.Fatal(err)
			}
			got, err := db.Subject(ctx, s.ID)
			if err != nil || got.Name != tt.wantName {
				t.Fatalf("name %q, %v; want %q", got.Name, err, tt.wantName)
			}
			recs, err := db.RecordsOf(ctx, s.ID)
			if err != nil || len(recs) != 1 || recs[0].Content != tt.wantContent {
				t.Fatalf("records %+v, %v; want content %q", recs, err, tt.wantContent)
			}
		})
	}
	// The name index follows the rename.
	if got, _ := db.SearchOrganisations(ctx, "黄河", 10); len(got) != 0 {
		t.Fatalf("old name still indexed: %v", names(got))
	}
	if got, _ := db.SearchOrganisations(ctx, "丝路", 10); len(got) != 1 {
		t.Fatalf("new name not indexed: %v", names(got))
	}
}

func TestApplyPageCursorAndDataAsOf(t *testing.T) {
	db, _ := openTest(t)
	ctx := t.Context()
	if c, err := db.Cursor(ctx); c != "" || err != nil {
		t.Fatalf("Cursor before sync = %q, %v", c, err)
	}
	if at, err := db.DataAsOf(ctx); !at.IsZero() || err != nil {
		t.Fatalf("DataAsOf before sync = %v, %v", at, err)
	}
	asOf := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	if err := db.ApplyPage(ctx, []credit.Change{putSubject(1, orgExact)}, "cursor-1", asOf); err != nil {
		t.Fatal(err)
	}
	// An empty page still moves the cursor.
	if err := db.ApplyPage(ctx, nil, "cursor-2", asOf.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	c, _ := db.Cursor(ctx)
	at, _ := db.DataAsOf(ctx)
	if c != "cursor-2" || !at.Equal(asOf.Add(time.Minute)) {
		t.Fatalf("cursor %q at %v", c, at)
	}

	bad := record("R9", orgPrefix.ID, "x", 1)
	bad.SourceUnit = ""
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	failing := []struct {
		name    string
		ctx     context.Context
		changes []credit.Change
		code    string
	}{
		{"unknown op", ctx, []credit.Change{putSubject(2, orgPrefix), {Seq: 3, Op: "patch", Type: credit.TypeRecord, ID: "R1"}}, credit.EINVALID},
		{"cancelled context", cancelled, []credit.Change{putSubject(2, orgPrefix)}, credit.EINTERNAL},
	}
	for _, tt := range failing {
		t.Run(tt.name, func(t *testing.T) {
			err := db.ApplyPage(tt.ctx, tt.changes, "cursor-bad", fixedNow)
			if err == nil || credit.ErrorCode(err) != tt.code {
				t.Fatalf("ApplyPage = %v, want code %s", err, tt.code)
			}
			if tt.ctx == cancelled && !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled: %v", err)
			}
			if c, _ := db.Cursor(ctx); c != "cursor-2" {
				t.Fatalf("cursor moved to %q", c)
			}
			if at, _ := db.DataAsOf(ctx); !at.Equal(asOf.Add(time.Minute)) {
				t.Fatalf("data as of moved to %v", at)
			}
			if _, err := db.Subject(ctx, orgPrefix.ID); credit.ErrorCode(err) != credit.ENOTFOUND {
				t.Fatalf("subject of the failed page was kept: %v", err)
			}
		})
	}
	// Invalid puts are quarantined: the page commits without them.
	quarantined := []struct {
		name    string
		changes []credit.Change
	}{
		{"invalid record", []credit.Change{putRecord(3, bad)}},
		{"invalid subject", []credit.Change{putSubject(2, credit.Subject{ID: "123", Kind: credit.LegalPerson, Name: "x", Version: 1})}},
		{"put without payload", []credit.Change{{Seq: 2, Op: credit.OpPut, Type: credit.TypeRecord, ID: "R1"}}},
		{"id mismatch", []credit.Change{{Seq: 2, Op: credit.OpPut, Type: credit.TypeSubject, ID: orgLatin.ID, Subject: &orgPrefix}}},
	}
	for i, tt := range quarantined {
		t.Run(tt.name, func(t *testing.T) {
			if err := db.ApplyPage(ctx, tt.changes, "cursor-q", asOf); err != nil {
				t.Fatalf("ApplyPage = %v", err)
			}
			if q, err := db.QuarantinedPuts(ctx); err != nil || len(q) != i+1 {
				t.Fatalf("quarantine = %+v, %v", q, err)
			}
			if _, err := db.Subject(ctx, orgPrefix.ID); credit.ErrorCode(err) != credit.ENOTFOUND {
				t.Fatalf("quarantined subject applied: %v", err)
			}
		})
	}
	// Unknown types from a newer platform are skipped; the page commits.
	future := credit.Change{Seq: 5, Op: credit.OpPut, Type: "restoration_status", ID: "x"}
	if err := db.ApplyPage(ctx, []credit.Change{future, putSubject(6, orgPrefix)}, "cursor-3", asOf); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.Cursor(ctx); c != "cursor-3" {
		t.Fatalf("cursor %q", c)
	}
}

func TestApplyPageDeletes(t *testing.T) {
	db, ds := openSynth(t, 3, 40)
	ctx := t.Context()
	demoRecs, _ := db.RecordsOf(ctx, synth.DemoUSCC)
	changes := []credit.Change{
		del(100, credit.TypeSubject, synth.DemoUSCC),
		del(101, credit.TypeRecord, ds.Records[0].ID), // a demo person's record
		del(102, credit.TypeRecord, "R-never-seen"),   // absent: fine
		del(103, credit.TypeSubject, synth.DemoUSCC),  // twice: fine
		del(104, credit.TypeSubject, synth.DemoID),    // the person
		del(105, "future_type", "whatever"),           // unknown type: tombstone only
	}
	if err := db.ApplyPage(ctx, changes, "c-del", fixedNow); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{synth.DemoUSCC, synth.DemoID} {
		if _, err := db.Subject(ctx, id); credit.ErrorCode(err) != credit.ENOTFOUND {
			t.Fatalf("deleted subject %s still there: %v", id[:6], err)
		}
		if recs, _ := db.RecordsOf(ctx, id); len(recs) != 0 {
			t.Fatalf("records of deleted subject survive: %d", len(recs))
		}
	}
	if len(demoRecs) == 0 {
		t.Fatal("demo business had no records to delete")
	}
	if got, _ := db.SearchOrganisations(ctx, "黄河商贸", 10); len(got) != 0 {
		t.Fatalf("deleted subject still found by name: %v", names(got))
	}
	if got, _ := db.SearchOrganisations(ctx, synth.DemoUSCC, 10); len(got) != 0 {
		t.Fatal("deleted subject still found by code")
	}
	ts, err := db.Tombstones(ctx, 0)
	if err != nil || len(ts) != len(changes) {
		t.Fatalf("tombstones %+v, %v", ts, err)
	}
	for _, tb := range ts {
		if tb.ID == synth.DemoID || !tb.AppliedAt.Equal(fixedNow) {
			t.Fatalf("tombstone %+v: a person's number must be masked, time injected", tb)
		}
	}
	if ts[4].ID != credit.IDNumber(synth.DemoID).Masked() || ts[0].ID != synth.DemoUSCC {
		t.Fatalf("tombstone ids %q %q", ts[4].ID, ts[0].ID)
	}
	// Other subjects are untouched.
	if _, err := db.Subject(ctx, ds.Subjects[5].ID); err != nil {
		t.Fatal(err)
	}
}

func TestApplicationStatus(t *testing.T) {
	db, _ := openSynth(t, 1, 5)
	ctx := t.Context()
	rec := demoPenalty(t, db)
	o := newObjection(rec.ID, fixedNow)
	if err := db.SaveObjection(ctx, o); err != nil {
		t.Fatal(err)
	}
	status := func(seq, ver int64, s credit.ApplicationStatus) credit.Change {
		return credit.Change{Seq: seq, Op: credit.OpPut, Type: credit.TypeApplicationStatus, ID: o.ID, Version: ver,
			Status: &credit.StatusUpdate{ApplicationID: o.ID, Status: s, At: fixedNow}}
	}
	tests := []struct {
		name   string
		change credit.Change
		want   credit.ApplicationStatus
		under  bool
	}{
		{"labelled", status(1, 2, credit.StatusLabelled), credit.StatusLabelled, true},
		{"under review", status(2, 3, credit.StatusUnderReview), credit.StatusUnderReview, true},
		{"stale replay ignored", status(3, 2, credit.StatusLabelled), credit.StatusUnderReview, true},
		{"unknown application ignored", func() credit.Change {
			c := status(4, 9, credit.StatusClosed)
			c.ID, c.Status.ApplicationID = credit.NewUUID(), ""
			return c
		}(), credit.StatusUnderReview, true},
		{"corrected closes it", status(5, 4, credit.StatusCorrected), credit.StatusCorrected, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := db.ApplyPage(ctx, []credit.Change{tt.change}, "c", fixedNow); err != nil {
				t.Fatal(err)
			}
			got, err := db.Objection(ctx, o.ID)
			if err != nil || got.Status != tt.want {
				t.Fatalf("status %q, %v; want %q", got.Status, err, tt.want)
			}
			if demoPenalty(t, db).UnderObjection != tt.under {
				t.Fatalf("UnderObjection != %v", tt.under)
			}
		})
	}
	// Delivery after a later status does not move it back to received.
	items, _ := db.PendingOutbox(ctx, 0)
	if err := db.MarkDelivered(ctx, credit.Receipt{ApplicationID: o.ID, Digest: items[0].Digest, ReceivedAt: fixedNow}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Objection(ctx, o.ID); got.Status != credit.StatusCorrected {
		t.Fatalf("status regressed to %q", got.Status)
	}
	empty := status(9, 10, "")
	if err := db.ApplyPage(ctx, []credit.Change{empty}, "c", fixedNow); err != nil {
		t.Fatalf("empty status: %v", err)
	}
	if q, _ := db.QuarantinedPuts(ctx); len(q) != 1 || q[0].Type != credit.TypeApplicationStatus {
		t.Fatalf("empty status not quarantined: %+v", q)
	}
	if got, _ := db.Objection(ctx, o.ID); got.Status != credit.StatusCorrected {
		t.Fatalf("empty status applied: %q", got.Status)
	}
}

// TestDeletionErasesRawFiles is the legal requirement of §2.7: withdrawn
// information must leave the device, raw database files included.
func TestDeletionErasesRawFiles(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "erase.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ds := synth.Generate(21, 300) // neighbours on the same pages
	if err := db.Load(ctx, ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	const (
		orgName  = "甘肃绝密标记鳕鱼堡商贸有限公司"
		pName    = "欧阳鳕堡鲸"
		content  = "唯一内容标记：XYZZY-撤回-8848-鳕鱼堡"
		content2 = "第二条唯一内容：PLUGH-鲸落-9527"
	)
	o := org(uscc("91620102999999990"), orgName)
	p := credit.Subject{ID: idno("62010219700101999"), Kind: credit.NaturalPerson, Name: pName, Region: "620102", Version: 1}
	page := []credit.Change{putSubject(1, o), putSubject(2, p),
		putRecord(3, record("R-erase-1", o.ID, content, 1)), putRecord(4, record("R-erase-2", p.ID, content2, 1))}
	if err := db.ApplyPage(ctx, page, "c1", fixedNow); err != nil {
		t.Fatal(err)
	}
	if err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	secrets := []string{orgName, pName, content, content2, p.ID}
	if !store.RawContains(t, path, secrets[0]) || !store.RawContains(t, path, content) {
		t.Fatal("canary: the strings are not in the file before deletion; the test proves nothing")
	}
	dels := []credit.Change{del(10, credit.TypeRecord, "R-erase-1"), del(11, credit.TypeSubject, o.ID), del(12, credit.TypeSubject, p.ID)}
	if err := db.ApplyPage(ctx, dels, "c2", fixedNow); err != nil {
		t.Fatal(err)
	}
	// The WAL was checkpointed and truncated before Close.
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("-wal is %d bytes after a deleting page", fi.Size())
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if store.RawContains(t, path, s) {
			t.Errorf("%q survives in the raw files after deletion", s)
		}
	}
}

// BenchmarkApplyDelta10k applies one page of 10,000 changes, 9,000 record
// updates and 1,000 tombstones, to a cache holding those records,
// including the deletions' WAL checkpoint (target ≤ 1 s).
func BenchmarkApplyDelta10k(b *testing.B) {
	ctx := b.Context()
	ds := synth.Generate(11, 6000)
	recs := ds.Records[:10000]
	var page []credit.Change
	for i, r := range recs {
		if i%10 == 9 {
			page = append(page, del(int64(i+1), credit.TypeRecord, r.ID))
			continue
		}
		r.Version = 2
		r.Content += "（已更新）"
		page = append(page, putRecord(int64(i+1), r))
	}
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), "delta.db"))
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Load(ctx, ds.Subjects, recs); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := db.ApplyPage(ctx, page, "c", fixedNow); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st, _ := db.Stats(ctx)
		if st.Records != 9000 {
			b.Fatalf("%d records after the delta", st.Records)
		}
		db.Close()
		b.StartTimer()
	}
}
