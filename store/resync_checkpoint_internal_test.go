package store

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

// ckptSubject is the organisation every record of checkpointPages
// belongs to.
var ckptSubject = "91620102000000060" + string(credit.USCCCheckChar("91620102000000060"))

// checkpointPages is a snapshot of n pages of per records each (≈ 1 KB
// of content per record), subjects first.
func checkpointPages(n, per int) [][]credit.Change {
	var pages [][]credit.Change
	seq := int64(0)
	for p := range n {
		var page []credit.Change
		for i := range per {
			seq++
			if p == 0 && i == 0 {
				s := credit.Subject{ID: ckptSubject, Kind: credit.LegalPerson, Name: "兰州测试有限公司", Region: "620102", Version: 1}
				page = append(page, credit.Change{Seq: seq, Op: credit.OpPut, Type: credit.TypeSubject, ID: s.ID, Version: 1, Subject: &s})
			}
			r := credit.Record{
				ID: fmt.Sprintf("R-%03d-%05d", p, i), SubjectID: ckptSubject, Category: credit.CategoryBasic,
				Title: "登记信息", Content: strings.Repeat("内容", 150), SourceUnit: "兰州市市场监督管理局",
				DocumentNo: "甘01", LegalBasis: "条例", Tier: credit.TierGeneral, Version: 1,
				DecisionDate: time.Date(2026, 1, 2, 0, 0, 0, 0, credit.China),
				History:      []credit.RecordChange{{Version: 1, Reason: credit.ReasonPublished, At: time.Date(2026, 1, 2, 0, 0, 0, 0, credit.China)}},
			}
			page = append(page, credit.Change{Seq: seq, Op: credit.OpPut, Type: credit.TypeRecord, ID: r.ID, Version: 1, Record: &r})
		}
		pages = append(pages, page)
	}
	return pages
}

// TestPageCheckpointer: snapshot pages commit without checkpointing on
// their connection (wal_autocheckpoint back to the default afterwards),
// the pageCheckpointer checkpoints them beside the next page, the WAL stays
// near its soft limit instead of growing by every page, and after
// FinishSnapshot no checkpoint runs, the -wal file is empty and the file
// is intact, holding every record.
func TestPageCheckpointer(t *testing.T) {
	ctx := t.Context()
	d, path := openInternal(t, "c.db")
	d.db.SetMaxOpenConns(2) // the page's connection and the checkpointer's
	d.pageCkpt.limit = 256 << 10
	const npages = 20
	pages := checkpointPages(npages, 150) // ≈ 400 KB of WAL per page
	if err := d.BeginSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	var maxWAL int64
	for i, p := range pages {
		if err := d.ApplySnapshotPage(ctx, p, "T", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		maxWAL = max(maxWAL, fi.Size())
	}
	// The soft limit plus the pages that may commit while a checkpoint
	// runs (maxPagesAhead) and a few for the timing; without catchUp it
	// grows by every page (≈ 8 MB).
	t.Logf("largest -wal: %d bytes", maxWAL)
	if limit := int64(256<<10 + (maxPagesAhead+4)*400<<10); maxWAL > limit {
		t.Errorf("-wal grew to %d bytes over %d pages, want ≤ %d (soft limit 256 KiB)", maxWAL, npages, limit)
	}
	d.pageCkpt.wait()
	d.pageCkpt.mu.Lock()
	runs := d.pageCkpt.runs
	d.pageCkpt.mu.Unlock()
	if runs == 0 {
		t.Error("no checkpoint ran beside the pages")
	}
	for range 2 { // both pooled connections
		var auto int
		conn, err := d.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := conn.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if auto != defaultAutoCheckpoint {
			t.Errorf("wal_autocheckpoint of a pooled connection after the pages = %d, want %d", auto, defaultAutoCheckpoint)
		}
	}
	d.db.SetMaxOpenConns(0)
	if _, err := d.FinishSnapshot(ctx, "c1", 1, time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)); err != nil {
		t.Fatal(err)
	}
	d.pageCkpt.mu.Lock()
	running := d.pageCkpt.running
	d.pageCkpt.mu.Unlock()
	if running {
		t.Error("a page checkpoint still runs after FinishSnapshot")
	}
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() != 0 {
		t.Errorf("-wal after FinishSnapshot: %v, err %v; want empty (TRUNCATE)", fi.Size(), err)
	}
	var ok string
	var n int
	if err := d.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check = %q, %v", ok, err)
	}
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM records`).Scan(&n); err != nil || n != npages*150 {
		t.Fatalf("records = %d, %v; want %d", n, err, npages*150)
	}
}

// TestNewFilePageSize: Open gives a new or empty file newFilePageSize;
// a cache created by an earlier version with SQLite's 4096 keeps it,
// migrates and works.
func TestNewFilePageSize(t *testing.T) {
	for _, tt := range []struct {
		name string
		prep func(t *testing.T, path string)
		want int
	}{
		{"new file", func(*testing.T, string) {}, newFilePageSize},
		{"empty file", func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}, newFilePageSize},
		{"old 4096 cache", func(t *testing.T, path string) {
			raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			ms, err := loadMigrations(migrationFS)
			if err != nil {
				t.Fatal(err)
			}
			// the schema of an old version: the first migrations only
			for _, q := range []string{ms[0].sql, ms[1].sql, ms[2].sql, `PRAGMA user_version = 3`} {
				if _, err := raw.ExecContext(t.Context(), q); err != nil {
					t.Fatal(err)
				}
			}
		}, 4096},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			path := filepath.Join(t.TempDir(), "c.db")
			tt.prep(t, path)
			d, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var ps int
			var mode string
			if err := d.db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&ps); err != nil {
				t.Fatal(err)
			}
			if err := d.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
				t.Fatal(err)
			}
			if ps != tt.want || mode != "wal" {
				t.Errorf("page_size %d, journal_mode %s; want %d, wal", ps, mode, tt.want)
			}
			if err := d.ApplyPage(ctx, checkpointPages(1, 3)[0], "c1", time.Now()); err != nil {
				t.Fatal(err)
			}
			recs, err := d.RecordsOf(ctx, ckptSubject)
			if err != nil || len(recs) != 3 {
				t.Fatalf("RecordsOf = %d records, %v; want 3", len(recs), err)
			}
		})
	}
}
