package main

import (
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/cmd/internal/devicesync"
	"github.com/gansu-credit/credit/store"
)

// TestLocalDayOffCountsAtOnce: a day a supervisor adds counts in the
// office's live calendar without a restart, and stops counting when
// removed.
func TestLocalDayOffCountsAtOnce(t *testing.T) {
	ctx := t.Context()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "office.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.DiscardHandler)
	cal := devicesync.OpenCalendar(ctx, db, "622901", "", nil, log)
	e := calendarEditing{DB: db, cal: cal, log: log}
	day := time.Date(2026, 12, 1, 10, 0, 0, 0, credit.China)
	if !cal.Live.IsWorkingDay(day) {
		t.Fatal("1 December off before any edit")
	}
	if err := e.AddLocalDayOff(ctx, credit.LocalDayOff{County: "622901", Date: "2026-12-01", Name: "测试", AddedBy: "S001"}); err != nil {
		t.Fatal(err)
	}
	if cal.Live.IsWorkingDay(day) {
		t.Fatal("the added day does not count at once")
	}
	if err := e.AddLocalDayOff(ctx, credit.LocalDayOff{County: "622901", Date: "2026-12-01", Name: "测试", AddedBy: "S001"}); credit.ErrorCode(err) != credit.ECONFLICT {
		t.Fatalf("twice: %v", err)
	}
	if err := e.RemoveLocalDayOff(ctx, "2026-12-01", "S001", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if !cal.Live.IsWorkingDay(day) {
		t.Fatal("the removed day still counts")
	}
	if err := e.RemoveLocalDayOff(ctx, "2026-12-01", "S001", time.Time{}); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("remove missing: %v", err)
	}
}
