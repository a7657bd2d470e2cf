package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/synth"
)

// serve with the snapshot tuning switched off (no read-ahead, no mmap)
// and on (the defaults) bootstraps an empty kiosk by snapshot alike.
func TestServeSnapshotTuning(t *testing.T) {
	for _, flags := range [][]string{{"--read-ahead=false", "--mmap-size", "-1"}, {}} {
		t.Run(strings.Join(flags, " "), func(t *testing.T) {
			dir := t.TempDir()
			db := seeded(t, dir, 40)
			base, stop := serve(t, db, append([]string{"--page-limit", "7"}, flags...)...)
			defer stop()
			key := enrolKey(t, db, base, "KIOSK-1")
			local, err := store.Open(t.Context(), filepath.Join(dir, "kiosk.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer local.Close()
			c := syncclient.New(syncclient.Config{BaseURL: base, Key: key, DeviceID: "KIOSK-1", Outbox: local, Applier: local, RetryMax: -1})
			if _, err := c.SyncOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			st, err := local.Stats(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			ds := synth.Generate(1, 40) // what seed --n 40 put
			if st.Subjects != len(ds.Subjects) || st.Records != len(ds.Records) {
				t.Errorf("kiosk holds %d subjects and %d records after the bootstrap, want %d and %d", st.Subjects, st.Records, len(ds.Subjects), len(ds.Records))
			}
		})
	}
}
