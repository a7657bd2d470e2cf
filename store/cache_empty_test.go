package store_test

import (
	"testing"
	"time"
)

// CacheEmpty: only a never-synced cache without subjects and records is
// empty; the outbox does not count.
func TestCacheEmpty(t *testing.T) {
	ctx := t.Context()
	fresh, _ := openTest(t)
	cursorOnly, _ := openTest(t)
	if err := cursorOnly.ApplyPage(ctx, nil, "c1", time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	loaded, _ := openSynth(t, 4, 20) // subjects and records, no cursor
	reset, _ := openSynth(t, 4, 20)
	rec := demoPenalty(t, reset)
	if err := reset.SaveObjection(ctx, newObjection(rec.ID, fixedNow)); err != nil {
		t.Fatal(err)
	}
	if err := reset.ResetCache(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		empty func() (bool, error)
		want  bool
	}{
		{"new store", func() (bool, error) { return fresh.CacheEmpty(ctx) }, true},
		{"cursor, no rows", func() (bool, error) { return cursorOnly.CacheEmpty(ctx) }, false},
		{"rows, no cursor", func() (bool, error) { return loaded.CacheEmpty(ctx) }, false},
		{"reset, objection in the outbox", func() (bool, error) { return reset.CacheEmpty(ctx) }, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.empty()
			if err != nil || got != tt.want {
				t.Fatalf("CacheEmpty = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}
