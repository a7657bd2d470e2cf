package e2e_test

// The crash rig (sync.md §3 F13, F14): the fault rig's platform and kiosk
// database, with the kiosk's sync client run as a child process (this test
// binary re-executed, see TestMain) that a failpoint SIGKILLs.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/failpoint"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncclient"
	"go.uber.org/goleak"
)

// The child's settings travel in the environment.
const (
	childDBEnv    = "CREDIT_E2E_CHILD_DB"    // kiosk database; set only in a child
	childURLEnv   = "CREDIT_E2E_CHILD_URL"   // platform (fault proxy) URL
	childSnapEnv  = "CREDIT_E2E_CHILD_SNAP"  // F14: copy the files at every failpoint into this folder
	childFinalEnv = "CREDIT_E2E_CHILD_FINAL" // copy the files after the sync, before closing the store
)

// TestMain runs the package's tests, or one sync as the crash tests'
// child process when childDBEnv is set.
func TestMain(m *testing.M) {
	if db := os.Getenv(childDBEnv); db != "" {
		os.Exit(childMain(db, os.Getenv(childURLEnv), os.Getenv(childSnapEnv), os.Getenv(childFinalEnv)))
	}
	goleak.VerifyTestMain(m) // I9 of sync.md: no goroutine outlives the tests
}

// childConfig is the kiosk's sync configuration in the crash tests: the
// fault rig's, so both see the same pages.
func childConfig(url string, key []byte, db *store.DB) syncclient.Config {
	return syncclient.Config{
		BaseURL: url, Key: key, DeviceID: deviceID, Outbox: db, Applier: db,
		RetryWaitMin: 5 * time.Millisecond, RetryWaitMax: faultWaitMax, RetryMax: 3, PageLimit: faultPageLimit,
		RequestTimeout: 10 * time.Second, MaxPageBytes: 1 << 20,
	}
}

// childMain is the child process: open the store, sync once, close. The
// files copied into finalDir after the sync are what a kiosk that keeps
// running holds on disk (closing the last connection checkpoints the WAL
// and removes it, which a running kiosk never does).
func childMain(dbPath, url, snapDir, finalDir string) int {
	ctx := context.Background()
	key, err := syncclient.LoadOrCreateDeviceKey(dbPath + ".key")
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: key:", err)
		return 2
	}
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	defer db.Close()
	if snapDir != "" {
		n := 0
		failpoint.Observe(func(name string) {
			n++
			if err := copyDBFiles(dbPath, fmt.Sprintf("%s/%03d-%s", snapDir, n, name)); err != nil {
				fmt.Fprintln(os.Stderr, "child: snapshot:", err)
			}
		})
	}
	res, err := syncclient.New(childConfig(url, key, db)).SyncOnce(ctx)
	fmt.Printf("pushed %d, applied %d (deleted %d) in %d pages, resyncs %d, swept %d\n",
		res.Pushed, res.Applied, res.Deleted, res.Pages, res.Resyncs, res.Swept)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: sync:", err)
		return 1
	}
	if finalDir != "" {
		if err := copyDBFiles(dbPath, finalDir); err != nil {
			fmt.Fprintln(os.Stderr, "child: copy:", err)
			return 2
		}
	}
	return 0
}

// dbSuffixes are the files SQLite keeps for one database.
var dbSuffixes = []string{"", "-wal", "-shm"}

// copyDBFiles copies the database and its -wal and -shm files (those that
// exist) into the folder dst, under the name kiosk.db.
func copyDBFiles(dbPath, dst string) error {
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	for _, suf := range dbSuffixes {
		b, err := os.ReadFile(dbPath + suf)
		if errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return err
		}
		if err := os.WriteFile(dst+"/kiosk.db"+suf, b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// crashRig is a fault rig whose kiosk also syncs from child processes.
//
// The test process keeps no connection to the kiosk's database open
// while a child runs, and checks copies of the files, never the live
// ones: closing its last connection would checkpoint the WAL and remove
// it, changing the state a restarted child finds; and reading the files
// with os.ReadFile drops this process's POSIX locks on them, so a
// connection kept open could miss the child's writes or write into a WAL
// the child has removed.
type crashRig struct {
	*faultRig
	url       string
	live      string                     // the kiosk's database
	withdrawn int                        // canaries withdrawn so far (r.canaryIDs[:withdrawn])
	faulty    bool                       // faults are scripted: a child's sync may fail (exit 1)
	child     atomic.Pointer[os.Process] // the running child, if any
	seq       int64                      // the cursor's seq at the last check (I5: never decreases)
}

func newCrashRig(t *testing.T, seed uint64) *crashRig {
	t.Helper()
	r := newFaultRig(t, seed)
	if err := r.db.Close(); err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(r.proxy)
	t.Cleanup(front.Close)
	return &crashRig{faultRig: r, url: front.URL, live: r.dbPath}
}

// withStore opens the kiosk's database as c.db for fn and closes it.
func (c *crashRig) withStore(path string, fn func()) {
	db, err := store.Open(c.t.Context(), path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer db.Close()
	c.db, c.dbPath = db, path
	defer func() { c.dbPath = c.live }()
	fn()
}

// runChild runs one sync in a child process, with the failpoint fp armed
// unless it is zero, and reports whether the child died by SIGKILL.
// snapDir and finalDir are passed on (childMain).
func (c *crashRig) runChild(fp failpoint.Spec, snapDir, finalDir string) (killed bool) {
	t := c.t
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childDBEnv+"="+c.live, childURLEnv+"="+c.url, childSnapEnv+"="+snapDir, childFinalEnv+"="+finalDir)
	// Under -race a process that exits sleeps a second first (for late
	// race reports); the child's races still fail it, without the wait.
	cmd.Env = append(cmd.Env, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	if fp.Name != "" {
		cmd.Env = append(cmd.Env, fp.Env())
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c.child.Store(cmd.Process)
	err := cmd.Wait()
	c.child.Store(nil)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true
		}
	}
	if err != nil && !(c.faulty && errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("child (failpoint %q): %v\n%s", fp.Name, err, out.String())
	}
	t.Logf("child (failpoint %q, not reached): %s", fp.Name, strings.TrimSpace(out.String()))
	return false
}

// killInFlight is a proxy rewrite that SIGKILLs the running child after
// the platform answered its request and before the answer reaches it.
func (c *crashRig) killInFlight(body []byte) []byte {
	if p := c.child.Load(); p != nil {
		_ = p.Kill() // SIGKILL: the child runs no more code
	}
	return body
}

// work changes the platform and captures applications on the kiosk: n
// corrections, objections new applications, a new canary record put and
// the previous one withdrawn (it must be in the kiosk's files now, so that
// its absence later proves the erasure).
func (c *crashRig) work(n, objections int) {
	t, ctx := c.t, c.t.Context()
	t.Helper()
	plain := c.plainRecords()
	var recs []credit.Record
	for range n {
		rec := plain[c.rng.IntN(len(plain))]
		rec.Version = 0 // the platform's next version
		rec.Title = fmt.Sprintf("行政处罚（更正%d）", c.rng.IntN(1000))
		recs = append(recs, rec)
	}
	c.addCanary(plain[0].SubjectID)
	// Terminated, so that no canary is found inside a later one.
	last := len(c.canaries) - 1
	c.canaries[last] = fmt.Sprintf("金丝雀CRASH-%d-%d止", c.seed, last)
	c.records[len(c.records)-1].Content = c.canaries[last]
	recs = append(recs, c.records[len(c.records)-1])
	if err := c.server().PutSubjects(ctx, nil, recs); err != nil {
		t.Fatal(err)
	}
	assertInFiles(t, c.live, c.canaries[c.withdrawn], true)
	if err := c.server().WithdrawRecord(ctx, c.canaryIDs[c.withdrawn], "withdrawn"); err != nil {
		t.Fatal(err)
	}
	c.withdrawn++
	c.withStore(c.live, func() {
		for range objections {
			c.capture(plain)
		}
	})
}

// plainRecords are the platform's records other than the canaries.
func (c *crashRig) plainRecords() []credit.Record {
	var out []credit.Record
	for _, rec := range c.records {
		if !slices.Contains(c.canaryIDs, rec.ID) {
			out = append(out, rec)
		}
	}
	return out
}

// capture saves an objection against a record not objected to yet, as
// the kiosk does (synchronous=FULL), and remembers it as captured.
func (c *crashRig) capture(plain []credit.Record) string {
	rec := plain[c.rng.IntN(len(plain))]
	for c.objected[rec.ID] {
		rec = plain[c.rng.IntN(len(plain))]
	}
	c.objected[rec.ID] = true
	o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: c.uuid(), SubjectID: rec.SubjectID, SubjectName: "测试",
		RecordID: rec.ID, Type: credit.ObjWrongInfo, Statement: "记录有误，请核查。", Channel: deviceID,
		ReceivedAt: time.Now().Truncate(time.Second)})
	if err := c.db.SaveObjection(c.t.Context(), o); err != nil {
		c.t.Fatal(err)
	}
	c.captured = append(c.captured, o.ID)
	return o.ID
}

// verify checks, on a copy of the kiosk's files as a restarting kiosk
// finds them (or on the copy in dir, if set), the fault rig's invariants
// (I1, I2, I5, integrity, and once healed I3 and the canaries), the
// cursor's monotonicity (I5) and, once healed, the scope checksums of both
// sides (I3).
func (c *crashRig) verify(when, dir string, healed bool) {
	t := c.t
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
		if err := copyDBFiles(c.live, dir); err != nil {
			t.Fatal(err)
		}
	}
	failed := t.Failed()
	c.withStore(dir+"/kiosk.db", func() { c.verifyOpen(when, healed) })
	if !failed && t.Failed() {
		t.Logf("(the failures above are %s)", when)
	}
}

func (c *crashRig) verifyOpen(when string, healed bool) {
	t := c.t
	t.Helper()
	c.check(when, healed)
	cur, err := c.db.Cursor(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if s := cursorSeq(t, cur); s < c.seq {
		t.Errorf("%s: the cursor went back from seq %d to %d", when, c.seq, s)
	} else {
		c.seq = s
	}
	if healed {
		if k, p := scopeChecksum(t, c.dbPath, false), scopeChecksum(t, c.srvPath, true); k != p {
			t.Errorf("%s: scope checksum: kiosk %s, platform %s", when, k, p)
		}
	}
}

// scopeChecksum hashes {(type, id, version, content hash)} of every
// subject and record in a kiosk database (platform=false) or in the
// platform's (true), in key order. Equal sums mean equal data (I3).
func scopeChecksum(t *testing.T, path string, platform bool) string {
	t.Helper()
	db := openRO(t, path)
	defer db.Close()
	var lines []string
	add := func(typ, id string, ver int64, fields ...string) {
		h := sha256.Sum256([]byte(strings.Join(fields, "\x00")))
		lines = append(lines, fmt.Sprintf("%s|%s|%d|%x", typ, id, ver, h[:8]))
	}
	query := func(q string, scan func(*sql.Rows) error) {
		rows, err := db.QueryContext(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	var id, a, b, body string
	var ver int64
	if platform {
		query(`SELECT id, ver, body FROM subjects`, func(rs *sql.Rows) error {
			var s protocol.SubjectV1
			if err := rs.Scan(&id, &ver, &body); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(body), &s); err != nil {
				return err
			}
			add("subject", id, ver, s.Name)
			return nil
		})
		query(`SELECT id, ver, body FROM records`, func(rs *sql.Rows) error {
			var r protocol.RecordV1
			if err := rs.Scan(&id, &ver, &body); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(body), &r); err != nil {
				return err
			}
			add("record", id, ver, r.Title, r.Content)
			return nil
		})
	} else {
		query(`SELECT id, version, name FROM subjects`, func(rs *sql.Rows) error {
			if err := rs.Scan(&id, &ver, &a); err != nil {
				return err
			}
			add("subject", id, ver, a)
			return nil
		})
		query(`SELECT id, version, title, content FROM records`, func(rs *sql.Rows) error {
			if err := rs.Scan(&id, &ver, &a, &b); err != nil {
				return err
			}
			add("record", id, ver, a, b)
			return nil
		})
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return fmt.Sprintf("%d rows %s", len(lines), hex.EncodeToString(sum[:8]))
}
