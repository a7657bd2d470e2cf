package e2e_test

// The fault rig the scenarios in faults_test.go (and the crash, power-loss
// and nemesis tests) run on, and its invariant check (faultRig.check).

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/faultproxy"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
	_ "modernc.org/sqlite"
)

var faultReceiptPub, faultReceiptKey, _ = ed25519.GenerateKey(rand.NewChaCha8([32]byte{'r', 'c', 'p', 't'}))

// faultRig is a platform behind a fault proxy and one enrolled kiosk.
type faultRig struct {
	t       *testing.T
	seed    uint64
	rng     *rand.Rand
	srvPath string
	srvOpts syncserver.Options
	srvMu   sync.Mutex
	srv     *syncserver.Server
	handler atomic.Pointer[http.Handler]
	proxy   *faultproxy.Proxy
	db      *store.DB
	dbPath  string
	client  *syncclient.Client
	cfg     syncclient.Config // the client's configuration (newClient)
	// cursorBefore is the cursor's seq a scenario saw before its round.
	cursorBefore int64

	records   []credit.Record // the platform's records as last put
	objected  map[string]bool // records with an objection captured
	canaries  []string        // contents of withdrawn records
	canaryIDs []string
	captured  []string // application UUIDs captured on the kiosk
}

func newFaultRig(t *testing.T, seed uint64) *faultRig {
	t.Helper()
	checkNoLeaks(t) // leaks_test.go: I9 once the rig is closed
	ctx := t.Context()
	dir := t.TempDir()
	r := &faultRig{t: t, seed: seed, rng: rand.New(rand.NewPCG(seed, seed*7+1)), srvPath: filepath.Join(dir, "server.db"),
		srvOpts: syncserver.Options{TombstoneHorizon: time.Millisecond, ReceiptKey: faultReceiptKey}, objected: map[string]bool{}}
	r.openServer()
	t.Cleanup(func() {
		r.srvMu.Lock()
		defer r.srvMu.Unlock()
		r.srv.Close()
	})
	ds := synth.Generate(int64(seed), 40)
	r.records = ds.Records
	r.addCanary(ds.Subjects[0].ID)
	if err := r.srv.PutSubjects(ctx, ds.Subjects, r.records); err != nil {
		t.Fatal(err)
	}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, q *http.Request) { (*r.handler.Load()).ServeHTTP(w, q) }))
	t.Cleanup(up.Close)
	r.proxy = faultproxy.New(up.URL, seed)
	t.Cleanup(r.proxy.Close)
	front := httptest.NewServer(r.proxy)
	t.Cleanup(front.Close)

	r.dbPath = filepath.Join(dir, "kiosk.db")
	db, err := store.Open(ctx, r.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r.db = db
	r.cfg = syncclient.Config{
		BaseURL: front.URL, Key: enrol(t, r.srv, front.URL, dir), DeviceID: deviceID, Outbox: db, Applier: db,
		RetryWaitMin: 5 * time.Millisecond, RetryWaitMax: faultWaitMax, RetryMax: 3, PageLimit: faultPageLimit,
		RequestTimeout: 10 * time.Second, MaxPageBytes: 1 << 20, ReceiptKeys: []ed25519.PublicKey{faultReceiptPub},
	}
	r.client = syncclient.New(r.cfg)
	if _, err := r.client.SyncOnce(ctx); err != nil {
		t.Fatalf("first sync: %v", err)
	}
	assertInFiles(t, r.dbPath, r.canaries[0], true)
	r.check("after the first sync", true)
	return r
}

func (r *faultRig) openServer() {
	srv, err := syncserver.Open(r.t.Context(), r.srvPath, r.srvOpts)
	if err != nil {
		r.t.Fatal(err)
	}
	h := srv.Handler()
	r.srv = srv
	r.handler.Store(&h)
}

// restart closes the platform and opens it again on the same database.
func (r *faultRig) restart() {
	r.srvMu.Lock()
	defer r.srvMu.Unlock()
	if err := r.srv.Close(); err != nil {
		r.t.Error(err)
	}
	r.openServer()
}

// skew restarts the platform with its clock off by d.
func (r *faultRig) skew(d time.Duration) {
	r.srvOpts.Now = func() time.Time { return time.Now().Add(d) }
	r.restart()
}

func (r *faultRig) server() *syncserver.Server {
	r.srvMu.Lock()
	defer r.srvMu.Unlock()
	return r.srv
}

// addCanary appends a record whose content is a unique canary string.
func (r *faultRig) addCanary(subjectID string) {
	n := len(r.canaries) + 1
	c := fmt.Sprintf("金丝雀FAULT-%d-%d", r.seed, n)
	rec := credit.Record{ID: fmt.Sprintf("R-FAULT-CANARY-%d", n), SubjectID: subjectID, Category: credit.CategoryUntrustworthy,
		Title: "行政处罚", Content: c, SourceUnit: "兰州市城关区市场监督管理局", DocumentNo: fmt.Sprintf("兰城市监罚〔2026〕%d号", 100+n),
		LegalBasis: "《中华人民共和国产品质量法》第四十九条", DecisionDate: time.Date(2026, 3, 2, 0, 0, 0, 0, credit.China),
		Tier: credit.TierGeneral, Version: 1}
	r.records = append(r.records, rec)
	r.canaries = append(r.canaries, c)
	r.canaryIDs = append(r.canaryIDs, rec.ID)
}

func (r *faultRig) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.rng.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// work changes the platform (corrections and the withdrawal of the
// canary) and captures objections on the kiosk.
func (r *faultRig) work(objections int) {
	t, ctx := r.t, r.t.Context()
	var bumped []credit.Record
	for range 5 {
		rec := r.records[r.rng.IntN(len(r.records)-1)] // never the canary
		rec.Title += "（更正）"
		rec.Version++
		bumped = append(bumped, rec)
	}
	if err := r.server().PutSubjects(ctx, nil, bumped); err != nil {
		t.Fatal(err)
	}
	if err := r.server().WithdrawRecord(ctx, r.canaryIDs[0], "withdrawn"); err != nil {
		t.Fatal(err)
	}
	r.capture(objections)
}

// capture captures n objections on the kiosk, against records without one.
func (r *faultRig) capture(n int) {
	t, ctx := r.t, r.t.Context()
	for range n {
		var rec credit.Record
		for {
			rec = r.records[r.rng.IntN(len(r.records)-1)]
			if !r.objected[rec.ID] {
				break
			}
		}
		r.objected[rec.ID] = true
		o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: r.uuid(), SubjectID: rec.SubjectID, SubjectName: "测试",
			RecordID: rec.ID, Type: credit.ObjWrongInfo, Statement: "记录有误，请核查。", Channel: deviceID,
			ReceivedAt: time.Now().Truncate(time.Second)})
		if err := r.db.SaveObjection(ctx, o); err != nil {
			t.Fatal(err)
		}
		r.captured = append(r.captured, o.ID)
	}
}

func openRO(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

type rowKey struct{ typ, id string }

// tableVersions reads {(type, id) → version} of subjects and records.
func tableVersions(t *testing.T, db *sql.DB, verCol string) map[rowKey]int64 {
	t.Helper()
	out := map[rowKey]int64{}
	for _, tb := range []struct{ typ, table string }{{"subject", "subjects"}, {"record", "records"}} {
		rows, err := db.QueryContext(t.Context(), `SELECT id, `+verCol+` FROM `+tb.table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			var v int64
			if err := rows.Scan(&id, &v); err != nil {
				t.Fatal(err)
			}
			out[rowKey{tb.typ, id}] = v
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// cursorSeq reads the change-log position inside the kiosk's cursor
// (base64url JSON before the MAC; the test knows the server's format).
func cursorSeq(t *testing.T, cur string) int64 {
	t.Helper()
	if cur == "" {
		return 0
	}
	payload, _, _ := strings.Cut(cur, ".")
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		t.Fatalf("cursor %q: %v", cur, err)
	}
	var c struct {
		Seq int64 `json:"s"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("cursor %q: %v", cur, err)
	}
	return c.Seq
}

// check asserts the invariants of issue 3. healed adds those that hold
// only once the faults are gone and a round succeeded.
func (r *faultRig) check(when string, healed bool) {
	t, ctx := r.t, r.t.Context()
	t.Helper()

	// PRAGMA integrity_check on the kiosk's file.
	kdb := openRO(t, r.dbPath)
	defer kdb.Close()
	var ic string
	if err := kdb.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ic); err != nil || ic != "ok" {
		t.Fatalf("%s: integrity_check = %q, %v", when, ic, err)
	}
	client := tableVersions(t, kdb, "version")
	sdb := openRO(t, r.srvPath)
	defer sdb.Close()
	server := tableVersions(t, sdb, "ver")

	// The cursor is never ahead of the applied data: every subject or
	// record change logged at or before the cursor's seq is reflected.
	cur, err := r.db.Cursor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seq := cursorSeq(t, cur)
	quarantined := map[rowKey]bool{}
	if qs, err := r.db.QuarantinedPuts(ctx); err == nil {
		for _, q := range qs {
			quarantined[rowKey{string(q.Type), q.ID}] = true
		}
	} else {
		t.Fatal(err)
	}
	rows, err := sdb.QueryContext(ctx, `SELECT type, id, ver, op FROM change_log WHERE seq <= ? AND device = '' AND type IN ('subject', 'record')`, seq)
	if err != nil {
		t.Fatal(err)
	}
	behind, logged := 0, 0
	for rows.Next() {
		logged++
		var k rowKey
		var ver int64
		var op string
		if err := rows.Scan(&k.typ, &k.id, &ver, &op); err != nil {
			t.Fatal(err)
		}
		got, ok := client[k]
		switch {
		case quarantined[k]:
		case op == protocol.OpPut && (!ok || got < ver):
			behind++
			if behind <= 3 {
				t.Errorf("%s: cursor at seq %d but %s %s v%d not applied (kiosk has v%d, present=%v)", when, seq, k.typ, k.id, ver, got, ok)
			}
		case op == protocol.OpDel && ok:
			behind++
			if behind <= 3 {
				t.Errorf("%s: cursor at seq %d but deleted %s %s still cached", when, seq, k.typ, k.id)
			}
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if seq > 0 && logged == 0 {
		t.Fatalf("%s: no change logged at or before the cursor's seq %d: the check proves nothing", when, seq)
	}

	// No application duplicated or foreign on the platform.
	apps, err := r.server().Applications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	outbox, err := r.db.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	local := map[string]store.OutboxEntry{}
	for _, e := range outbox {
		local[e.ID] = e
	}
	for _, id := range r.captured {
		if _, ok := local[id]; !ok {
			t.Errorf("%s: captured application %s missing from the kiosk's outbox", when, id)
		}
	}
	onServer := map[string]syncserver.StoredApplication{}
	for _, a := range apps {
		if _, dup := onServer[a.ID]; dup {
			t.Errorf("%s: application %s twice on the platform", when, a.ID)
		}
		onServer[a.ID] = a
		if _, ok := local[a.ID]; !ok || a.DeviceID != deviceID {
			t.Errorf("%s: platform holds application %s (device %s) the kiosk never captured", when, a.ID, a.DeviceID)
		}
	}
	for id, e := range local {
		if e.State == store.OutboxDelivered {
			a, ok := onServer[id]
			if !ok || e.Receipt == nil || e.Receipt.Digest != a.Receipt.Digest || !bytes.Equal(a.Body, e.Body) {
				t.Errorf("%s: application %s delivered on the kiosk but not (identically) on the platform", when, id)
			}
			// I6 receipt integrity: the stored receipt is the platform's,
			// signed over this very body's digest.
			if sum := sha256.Sum256(e.Body); e.Receipt != nil && e.Receipt.Digest != hex.EncodeToString(sum[:]) {
				t.Errorf("%s: application %s: receipt digest %s, body's %x", when, id, e.Receipt.Digest, sum)
			}
			if e.Receipt != nil {
				if err := protocol.VerifyReceipt([]ed25519.PublicKey{faultReceiptPub}, *e.Receipt); err != nil {
					t.Errorf("%s: application %s: stored receipt: %v", when, id, err)
				}
			}
		}
	}

	if !healed {
		return
	}
	// Healed: every application delivered exactly once, with its receipt.
	if len(apps) != len(local) {
		t.Errorf("%s: platform holds %d applications, kiosk captured %d", when, len(apps), len(local))
	}
	for id, e := range local {
		if e.State != store.OutboxDelivered || e.Receipt == nil {
			t.Errorf("%s: application %s still %s (attempts %d, %q)", when, id, e.State, e.Attempts, e.LastError)
		}
	}
	// The kiosk's data equals the platform's.
	if len(client) != len(server) {
		t.Errorf("%s: kiosk caches %d subjects+records, platform has %d", when, len(client), len(server))
	}
	diff := 0
	for k, v := range server {
		if got, ok := client[k]; !ok || got != v {
			diff++
			if diff <= 3 {
				t.Errorf("%s: %s %s: kiosk v%d (present=%v), platform v%d", when, k.typ, k.id, got, ok, v)
			}
		}
	}
	for k := range client {
		if _, ok := server[k]; !ok {
			diff++
			if diff <= 6 {
				t.Errorf("%s: kiosk caches %s %s the platform does not have", when, k.typ, k.id)
			}
		}
	}
	// Withdrawn records leave no trace in the files.
	kdb.Close()
	for i, c := range r.canaries {
		if _, ok := server[rowKey{"record", r.canaryIDs[i]}]; !ok {
			assertInFiles(t, r.dbPath, c, false)
		}
	}
}

// morePages puts enough corrections for three pages.
