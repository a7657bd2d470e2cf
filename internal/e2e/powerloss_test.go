package e2e_test

// F14 (sync.md §3): power loss during SQLite writes. The child copies the
// kiosk's db, -wal and -shm files at every failpoint of a sync (each copy
// is the disk as a crash there leaves it). Each sampled copy is opened as
// is, and again as a power cut leaves it: the -shm gone (it lives in
// memory) and the WAL cut at a random byte past what was certainly on the
// platter (the frames a checkpoint already copied, and the applications
// captured with synchronous=FULL). Every copy must pass integrity_check,
// hold every application the citizen was told was saved, and have its
// cursor consistent with its data.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gansu-credit/credit/internal/failpoint"
	"github.com/gansu-credit/credit/store"
)

// WAL file and wal-index (-shm) layout, from SQLite's file format
// documentation and wal.c.
const (
	walHeaderLen   = 32
	walFrameHeader = 24
	shmBackfillOff = 96 // WalCkptInfo.nBackfill, after two 48-byte index headers
	// WalCkptInfo.nBackfillAttempted (after nBackfill, 5 read marks and 8
	// lock bytes): set once the WAL is synced, before a checkpoint writes
	// the db file. A checkpoint running beside the writer (store's
	// pageCheckpointer) may be writing the db file while a copy is taken;
	// the frames it copies were durable before it began.
	shmAttemptedOff = 128
)

// walState is what of a WAL is known to be durable: its salt and size
// when the last application was captured (synchronous=FULL syncs it).
type walState struct {
	salt []byte
	size int64
}

func readWALState(t *testing.T, dbPath string) walState {
	t.Helper()
	// Reading the -wal file is safe with connections open: SQLite's POSIX
	// locks are on the db and -shm files only.
	b, err := os.ReadFile(dbPath + "-wal")
	if os.IsNotExist(err) || len(b) < walHeaderLen {
		return walState{}
	} else if err != nil {
		t.Fatal(err)
	}
	return walState{salt: bytes.Clone(b[16:24]), size: int64(len(b))}
}

// durablePrefix is how much of wal a power cut cannot take: the frames a
// checkpoint copied (the WAL was synced before it) and, while the WAL was
// not restarted since the capture (same salt), all it held then.
func durablePrefix(wal, shm []byte, captured walState) int64 {
	if len(wal) < walHeaderLen {
		return int64(len(wal))
	}
	n := int64(walHeaderLen)
	if captured.salt != nil && bytes.Equal(wal[16:24], captured.salt) {
		n = max(n, captured.size)
	}
	if len(shm) >= shmBackfillOff+4 {
		frame := int64(walFrameHeader + binary.BigEndian.Uint32(wal[8:12]))
		backfilled := int64(binary.NativeEndian.Uint32(shm[shmBackfillOff:]))
		if len(shm) >= shmAttemptedOff+4 {
			backfilled = max(backfilled, int64(binary.NativeEndian.Uint32(shm[shmAttemptedOff:])))
		}
		n = max(n, walHeaderLen+backfilled*frame)
	}
	return min(n, int64(len(wal)))
}

// cutPower turns the crash copy in dir into a power-cut copy in a new
// folder: no -shm, the WAL cut at a random byte past its durable prefix
// (or, when tooDeep, right after its header: more than a power cut can
// take).
func (c *crashRig) cutPower(dir string, captured walState, tooDeep bool) (string, int64, int64) {
	t := c.t
	t.Helper()
	out := t.TempDir()
	read := func(suf string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, "kiosk.db"+suf))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return b
	}
	db, wal, shm := read(""), read("-wal"), read("-shm")
	keep := durablePrefix(wal, shm, captured)
	cut := keep + c.rng.Int64N(int64(len(wal))-keep+1)
	if tooDeep {
		cut = min(walHeaderLen, int64(len(wal)))
	}
	if err := os.WriteFile(filepath.Join(out, "kiosk.db"), db, 0o600); err != nil {
		t.Fatal(err)
	}
	if wal != nil {
		if err := os.WriteFile(filepath.Join(out, "kiosk.db-wal"), wal[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return out, cut, int64(len(wal))
}

// TestPowerLossCopies syncs twice (a delta round with deletions and three
// fresh captures, then a resync), copying the files at every failpoint,
// and checks a seeded sample of the copies as they are and power-cut.
func TestPowerLossCopies(t *testing.T) {
	c := newCrashRig(t, faultSeed+200)
	const perRound = 4
	checked := 0
	for round, resync := range []bool{false, true} {
		c.work(2*faultPageLimit, 0)
		if resync {
			if _, err := c.server().RotateEpoch(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		// The kiosk captures with its store open, as it does while the
		// sync runs; the captures are in the WAL when the sync starts.
		db, err := store.Open(t.Context(), c.live)
		if err != nil {
			t.Fatal(err)
		}
		c.db = db
		plain := c.plainRecords()
		for range 3 {
			c.capture(plain)
		}
		captured := readWALState(t, c.live)
		snaps := t.TempDir()
		killed := c.runChild(failpoint.Spec{}, snaps, "")
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if killed {
			t.Fatal("the child was killed with no failpoint armed")
		}
		dirs, err := os.ReadDir(snaps)
		if err != nil {
			t.Fatal(err)
		}
		if len(dirs) < perRound {
			t.Fatalf("round %d: %d copies taken, want ≥ %d: the failpoints were not reached", round, len(dirs), perRound)
		}
		if round == 0 {
			// The checks have teeth: the first copy's WAL holds the
			// captures, and cutting into them loses some.
			deep, at, of := c.cutPower(filepath.Join(snaps, dirs[0].Name()), captured, true)
			n := c.missingCaptures(deep)
			t.Logf("a WAL cut too deep (at %d of %d bytes) lost %d of %d captured applications", at, of, n, len(c.captured))
			if n == 0 {
				t.Errorf("a WAL cut at %d of %d bytes lost no captured application: the power-cut copies prove nothing", at, of)
			}
		}
		saved := c.seq
		for _, i := range c.rng.Perm(len(dirs))[:perRound] {
			dir := filepath.Join(snaps, dirs[i].Name())
			cut, at, of := c.cutPower(dir, captured, false) // before opening dir checkpoints its WAL
			c.seq = 0                                       // a copy may be older than the last check
			c.verify("copy at "+dirs[i].Name(), dir, false)
			c.seq = 0
			c.verify(fmt.Sprintf("power cut at %s (WAL cut at %d of %d bytes)", dirs[i].Name(), at, of), cut, false)
			checked += 2
		}
		c.seq = saved
		c.verify("after the round", "", true)
	}
	t.Logf("%d copies checked", checked)
}

// missingCaptures opens the copy in dir and counts the captured
// applications its outbox lacks.
func (c *crashRig) missingCaptures(dir string) int {
	c.t.Helper()
	missing := 0
	c.withStore(filepath.Join(dir, "kiosk.db"), func() {
		out, err := c.db.Outbox(c.t.Context())
		if err != nil {
			c.t.Fatal(err)
		}
		have := map[string]bool{}
		for _, e := range out {
			have[e.ID] = true
		}
		for _, id := range c.captured {
			if !have[id] {
				missing++
			}
		}
	})
	return missing
}
