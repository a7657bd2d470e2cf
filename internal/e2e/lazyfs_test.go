//go:build linux

package e2e_test

// F14 (sync.md §3) on a real file system that loses unsynced writes
// (internal/lazyfs, after LazyFS): the kiosk's database lives on a lazyfs
// mount; a child process (the kiosk) captures applications and syncs
// through the fault proxy, and is SIGKILLed at a seeded moment (a sync
// failpoint, a while after its n-th "saved", or idle with its database
// open); then the power is cut: every write not fsynced is dropped (or,
// on torn cycles, a seeded prefix of them kept). After each cut the
// invariants of issue 3 are checked on the files the rebooted kiosk
// finds, and again after a restarted child synced.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/failpoint"
	"github.com/gansu-credit/credit/internal/lazyfs"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncclient"
)

// lazyChildEnv makes the test binary a capturing kiosk (lazyChildMain);
// its value is a lazyChildConfig in JSON.
const lazyChildEnv = "CREDIT_E2E_LAZY_CHILD"

// lazyCyclesEnv sets the number of power cuts (default lazyCycles),
// lazySeedEnv the seed (default faultSeed+300), for longer runs.
const (
	lazyCyclesEnv = "CREDIT_LAZYFS_CYCLES"
	lazySeedEnv   = "CREDIT_LAZYFS_SEED"
)

const lazyCycles = 3

func init() {
	// In init, before TestMain: the child needs no test framework.
	if v := os.Getenv(lazyChildEnv); v != "" {
		os.Exit(lazyChildMain(v))
	}
}

// lazyCapture is an objection the child captures: its UUID and record.
type lazyCapture struct{ ID, RecordID, SubjectID string }

type lazyChildConfig struct {
	DB, URL  string
	Captures []lazyCapture
}

// lazyChildMain is the kiosk: for each capture, save it (synchronous=FULL)
// and print "saved <uuid>" only then, as the kiosk tells the citizen,
// then sync once; then sync once more, print "idle" and wait with the
// database open until it is killed.
func lazyChildMain(env string) int {
	ctx := context.Background()
	var cfg lazyChildConfig
	if err := json.Unmarshal([]byte(env), &cfg); err != nil {
		fmt.Fprintln(os.Stderr, "lazy child:", err)
		return 2
	}
	key, err := syncclient.LoadOrCreateDeviceKey(cfg.DB + ".key")
	if err != nil {
		fmt.Fprintln(os.Stderr, "lazy child: key:", err)
		return 2
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lazy child:", err)
		return 2
	}
	client := syncclient.New(childConfig(cfg.URL, key, db))
	for _, c := range cfg.Captures {
		o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: c.ID, SubjectID: c.SubjectID, SubjectName: "测试",
			RecordID: c.RecordID, Type: credit.ObjWrongInfo, Statement: "记录有误，请核查。", Channel: deviceID,
			ReceivedAt: time.Now().Truncate(time.Second)})
		if err := db.SaveObjection(ctx, o); err != nil {
			fmt.Fprintln(os.Stderr, "lazy child: save:", err)
			return 2
		}
		fmt.Println("saved", c.ID)
		if _, err := client.SyncOnce(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "lazy child: sync:", err)
		}
	}
	if _, err := client.SyncOnce(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "lazy child: sync:", err)
	}
	fmt.Println("idle")
	time.Sleep(2 * time.Minute) // a running kiosk: the database stays open
	return 0
}

// lazyRig is a crash rig whose kiosk database is on a lazyfs mount.
type lazyRig struct {
	*crashRig
	fs      *lazyfs.Proc
	backing string // the durable files
}

// newLazyRig moves the crash rig's kiosk (database and device key) onto
// a lazyfs mount served by a child process, or skips the test where FUSE
// cannot be mounted.
func newLazyRig(t *testing.T, seed uint64) *lazyRig {
	t.Helper()
	if err := lazyfs.Available(); err != nil {
		t.Skipf("power-loss file system: %v", err)
	}
	c := newCrashRig(t, seed)
	backing, mnt := t.TempDir(), t.TempDir()
	for _, name := range []string{"kiosk.db", "kiosk.db.key"} {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(c.live), name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(backing, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p := lazyfs.StartT(t, backing, mnt, lazyfs.Options{Seed: seed})
	c.live = filepath.Join(mnt, "kiosk.db")
	return &lazyRig{crashRig: c, fs: p, backing: backing}
}

// lazyKill is when a cycle's child is killed: at a failpoint (fp.Name
// set), or delay after its afterSaved-th "saved" (afterSaved > 0), or
// else once idle. A child that reaches "idle" is killed then in any case.
type lazyKill struct {
	fp         failpoint.Spec
	afterSaved int
	delay      time.Duration
}

func (k lazyKill) String() string {
	switch {
	case k.fp.Name != "":
		return "at failpoint " + k.fp.String()
	case k.afterSaved > 0:
		return fmt.Sprintf("%v after save %d", k.delay, k.afterSaved)
	}
	return "idle"
}

// runLazyChild runs a capturing child until it is killed as k says,
// adding every application it reported saved to c.captured.
func (c *lazyRig) runLazyChild(caps []lazyCapture, k lazyKill) {
	t := c.t
	t.Helper()
	cfg, err := json.Marshal(lazyChildConfig{DB: c.live, URL: c.url, Captures: caps})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), lazyChildEnv+"="+string(cfg),
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	if k.fp.Name != "" {
		cmd.Env = append(cmd.Env, k.fp.Env())
	}
	// Killed with the test, so that it never holds the mount busy.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	saved := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if id, ok := strings.CutPrefix(line, "saved "); ok {
			c.captured = append(c.captured, id)
			if saved++; saved == k.afterSaved {
				time.Sleep(k.delay)
				_ = cmd.Process.Kill()
			}
		} else if line == "idle" {
			_ = cmd.Process.Kill()
		}
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	killed := errors.As(err, &ee)
	if killed {
		ws, ok := ee.Sys().(syscall.WaitStatus)
		killed = ok && ws.Signaled()
	}
	if !killed {
		t.Fatalf("child (killed %s) ended with %v, not by SIGKILL:\n%s", k, err, stderr.String())
	}
}

// TestLazyFSPowerLoss cuts the power on the kiosk's disk, cycle after
// cycle: platform changes (corrections, a canary put and the previous one
// withdrawn), a child capturing and syncing killed at a seeded moment,
// the unsynced writes dropped (odd cycles: torn, a seeded prefix kept).
// After the cut: integrity_check, every application reported saved is in
// the outbox, none duplicated or foreign on the platform, the cursor not
// ahead of the data. After a restarted child synced: every application on
// the platform exactly once with its receipt, the kiosk's data equal to
// the platform's (scope checksums), withdrawn canaries in no file, in the
// mount's view and in the durable files.
func TestLazyFSPowerLoss(t *testing.T) {
	cycles, seed := uint64(lazyCycles), uint64(faultSeed+300)
	for _, e := range []struct {
		name string
		v    *uint64
	}{{lazyCyclesEnv, &cycles}, {lazySeedEnv, &seed}} {
		if s := os.Getenv(e.name); s != "" {
			n, err := strconv.ParseUint(s, 10, 64)
			if err != nil || n < 1 {
				t.Fatalf("%s=%q: want a whole number ≥ 1", e.name, s)
			}
			*e.v = n
		}
	}
	c := newLazyRig(t, seed)
	var points []crashCase
	for _, cc := range crashCases {
		if cc.method == "" {
			points = append(points, cc)
		}
	}
	var dropped int64
	wentBack, cut := 0, 0
	for cycle := range int(cycles) {
		c.work(faultPageLimit+c.rng.IntN(2*faultPageLimit), 0)
		var caps []lazyCapture
		plain := c.plainRecords()
		for range 1 + c.rng.IntN(3) {
			rec := plain[c.rng.IntN(len(plain))]
			for c.objected[rec.ID] {
				rec = plain[c.rng.IntN(len(plain))]
			}
			c.objected[rec.ID] = true
			caps = append(caps, lazyCapture{ID: c.uuid(), RecordID: rec.ID, SubjectID: rec.SubjectID})
		}
		var k lazyKill
		switch c.rng.IntN(3) {
		case 0:
			cc := points[c.rng.IntN(len(points))]
			k.fp = failpoint.Spec{Name: cc.point, Count: 1 + c.rng.Int64N(2)}
			if cc.resync {
				if _, err := c.server().RotateEpoch(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
		case 1:
			k.afterSaved = 1 + c.rng.IntN(len(caps))
			k.delay = time.Duration(c.rng.IntN(40)) * time.Millisecond
		}
		torn := cycle%2 == 1
		at := fmt.Sprintf("cycle %d (killed %s, torn %v)", cycle, k, torn)
		c.runLazyChild(caps, k)
		// What the killed kiosk left in the page cache: the crash tests'
		// state (F13), before the power cut takes the unsynced part.
		c.verify("after the kill in "+at, "", false)
		seq := c.seq
		rep, err := c.fs.Crash(t.Context(), torn)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d applications captured in all; power cut: %+v", at, len(c.captured), rep)
		dropped += rep.DroppedBytes
		cut++
		// A power cut may take commits made with synchronous=NORMAL
		// (pages and their cursor together): the cursor may go back,
		// never ahead of the data (check).
		c.seq = 0
		c.verify("after the power cut in "+at, "", false)
		if c.seq < seq {
			wentBack++
		}
		running := t.TempDir()
		if c.runChild(failpoint.Spec{}, "", running) {
			t.Fatal("the restarted child was killed with no failpoint armed")
		}
		c.verify("after the restart from "+at, "", true)
		c.verify("while the restarted kiosk runs, after "+at, running, true)
		for i := range c.withdrawn {
			assertInFiles(t, filepath.Join(c.backing, "kiosk.db"), c.canaries[i], false)
		}
		if t.Failed() {
			break
		}
	}
	t.Logf("%d power cuts dropped %d unsynced bytes; %d took committed sync pages (the cursor went back)", cut, dropped, wentBack)
	if dropped == 0 {
		t.Error("the power cuts dropped no unsynced write: the test proves nothing")
	}
}
