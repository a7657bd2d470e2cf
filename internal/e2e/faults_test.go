package e2e_test

// Fault-injection scenarios of sync.md §3 run end to end: the reference
// platform on SQLite, an enrolled sync client and the kiosk's SQLite store,
// with internal/faultproxy between them on 127.0.0.1. After every faulty
// round and again after healing, the invariants of issue 3 are checked
// against the raw databases (see faultRig.check).

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
	"github.com/klauspost/compress/zstd"
	_ "modernc.org/sqlite"
)

const (
	faultSeed      = 20261127
	faultWaitMax   = 60 * time.Millisecond // the client's per-request backoff cap
	faultPageLimit = 20
)

// faultReceiptPub and faultReceiptKey are the platform's receipt key in
// the fault scenarios: the platform signs receipts with it, the kiosk and
// check verify them (sync.md I6).
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
func (r *faultRig) morePages() { r.corrections(3 * faultPageLimit) }

// pageRewrite returns a Rewrite that inserts extra op lines (given their
// seqs) into the first gap of the change log wide enough for them, and
// fixes the trailer's count and SHA-256, as a platform holding bad rows
// would have produced the page. A page without such a gap is left alone.
func pageRewrite(extra func(seqs []int64) []string, n int, inserted *atomic.Int32) func([]byte) []byte {
	return func(body []byte) []byte {
		lines := bytes.SplitAfter(body, []byte("\n"))
		if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
			lines = lines[:len(lines)-1]
		}
		if len(lines) < 3 {
			return body
		}
		var tr protocol.Trailer
		if err := json.Unmarshal(lines[len(lines)-1], &tr); err != nil || tr.Op != protocol.OpEnd {
			return body
		}
		seqOf := func(l []byte) int64 {
			var x struct {
				Seq int64 `json:"seq"`
			}
			_ = json.Unmarshal(l, &x)
			return x.Seq
		}
		ops := lines[:len(lines)-1]
		for i := 1; i < len(ops); i++ {
			prev, next := seqOf(ops[i-1]), seqOf(ops[i])
			if next-prev <= int64(n) {
				continue
			}
			seqs := make([]int64, n)
			for k := range seqs {
				seqs[k] = prev + 1 + int64(k)
			}
			var out []byte
			for _, l := range ops[:i] {
				out = append(out, l...)
			}
			for _, l := range extra(seqs) {
				out = append(append(out, l...), '\n')
			}
			for _, l := range ops[i:] {
				out = append(out, l...)
			}
			tr.N += n
			sum := sha256.Sum256(out)
			tr.SHA256 = hex.EncodeToString(sum[:])
			b, _ := json.Marshal(tr)
			inserted.Add(1)
			return append(append(out, b...), '\n')
		}
		return body
	}
}

// zstdBomb is a valid zstd frame of 32 MiB of zeros (a few KB on the
// wire).
func zstdBomb(t *testing.T) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(make([]byte, 32<<20), nil)
}

// sawClockSkew checks the platform refused at least one attempt (the
// clock_skew 401) before the client corrected its clock.
func sawClockSkew(r *faultRig, _ syncclient.Result, _ error, _ time.Duration, from int) {
	for _, e := range r.proxy.Events()[from:] {
		if e.Status == http.StatusUnauthorized {
			return
		}
	}
	r.t.Error("the skewed platform never refused an attempt: the scenario proves nothing")
}

// maxGap is the longest pause between two requests the proxy saw from
// index from on (not counting the pause before the first of them: the
// scenario's setup).
func maxGap(ev []faultproxy.Event, from int) time.Duration {
	var g time.Duration
	for i := from + 1; i < len(ev); i++ {
		g = max(g, ev[i].At.Sub(ev[i-1].At))
	}
	return g
}

type faultCase struct {
	name string
	slow bool // skipped under -short
	// rules is the fault script of the faulty round.
	rules func(r *faultRig) []faultproxy.Rule
	// before runs after the work and before the faulty round.
	before func(r *faultRig)
	// firstOK: the client's own retries must absorb the fault, so the
	// faulty round succeeds.
	firstOK bool
	// noFault: the scenario injects nothing through the proxy.
	noFault bool
	// noHeal: the fault is permanent (a revoked device); only the
	// invariants that hold under it are checked.
	noHeal bool
	// gap names a known gap of the client that makes the scenario fail;
	// the scenario is skipped until it is closed.
	gap string
	// after checks what is particular to the scenario.
	after func(r *faultRig, res syncclient.Result, err error, elapsed time.Duration, evFrom int)
}

var (
	// uploads matches both upload forms: PUT /applications/{uuid} and
	// POST /applications:batch (several pending items go in a batch).
	uploads    = protocol.PathPrefix + "/applications"
	anyPut     = func(f faultproxy.Fault) faultproxy.Rule { return faultproxy.Rule{Path: uploads, Times: 1, Fault: f} }
	changesGET = protocol.PathChanges
)

func faultCases() []faultCase {
	wantErr := func(r *faultRig, _ syncclient.Result, err error, _ time.Duration, _ int) {
		if err == nil {
			r.t.Error("the faulty round reported success")
		}
	}
	return append([]faultCase{
		{name: "F1 connection reset before the request, twice", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Times: 2, Fault: faultproxy.Fault{Action: faultproxy.Refuse}}}
			}},
		{name: "F2 page cut inside a line",
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Cut, Cut: faultproxy.CutMidLine, Identity: true}}}
			}, after: wantErr},
		{name: "F2 page cut exactly at a line boundary",
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Cut, Cut: faultproxy.CutLineBoundary, Identity: true}}}
			}, after: wantErr},
		{name: "F2 compressed page cut at a random byte",
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Cut}}}
			}, after: wantErr},
		{name: "F2 corrupt byte in a page",
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.CorruptResponse, Identity: true}}}
			}, after: wantErr},
		{name: "F3 upload response lost after commit (502)", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{anyPut(faultproxy.Fault{Action: faultproxy.Lose})}
			}},
		{name: "F3 upload response lost after commit (connection closed)", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{anyPut(faultproxy.Fault{Action: faultproxy.Lose, Status: -1})}
			}},
		{name: "F4 upload delivered three times in a row", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Path: uploads, Fault: faultproxy.Fault{Action: faultproxy.Duplicate, Copies: 3}}}
			}},
		{name: "F4 upload delivered twice at once, client sees the later copy", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Path: uploads, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Duplicate, Copies: 2, Concurrent: true, AnswerLast: true}}}
			}},
		{name: "F5 upload body corrupted", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{anyPut(faultproxy.Fault{Action: faultproxy.CorruptRequest})}
			}, after: resentAfterDigestMismatch},
		{name: "F5 upload body truncated", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{anyPut(faultproxy.Fault{Action: faultproxy.TruncateRequest})}
			}, after: resentAfterDigestMismatch},
		{name: "F6 5xx storm longer than the retries",
			rules: func(*faultRig) []faultproxy.Rule {
				var rs []faultproxy.Rule
				for _, st := range []int{503, 500, 502, 504, 503, 503, 500, 502, 504, 503} {
					rs = append(rs, faultproxy.Rule{Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Status, Status: st}})
				}
				return rs
			},
			after: func(r *faultRig, res syncclient.Result, err error, el time.Duration, from int) {
				wantErr(r, res, err, el, from)
				ev := r.proxy.Events()[from:]
				// Each request gets at most RetryMax+1 attempts: the push and
				// the pull stop after 4 each.
				if len(ev) > 8 {
					r.t.Errorf("%d requests in the storm round, want ≤ 8 (2 requests × 4 attempts)", len(ev))
				}
				if g := maxGap(r.proxy.Events(), from); g > faultWaitMax+time.Second/2 {
					r.t.Errorf("a wait of %v under the storm, cap %v", g, faultWaitMax)
				}
			}},
		{name: "F7 429 with hostile Retry-After (huge, past date, negative)", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				ra := func(v string) faultproxy.Rule {
					return faultproxy.Rule{Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Status, Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {v}}}}
				}
				return []faultproxy.Rule{ra("86400"), ra(time.Now().Add(-48 * time.Hour).UTC().Format(http.TimeFormat)), ra("-5")}
			},
			after: func(r *faultRig, _ syncclient.Result, _ error, el time.Duration, from int) {
				if g := maxGap(r.proxy.Events(), from); g > faultWaitMax+time.Second/2 {
					r.t.Errorf("a wait of %v after a hostile Retry-After, cap %v", g, faultWaitMax)
				}
				if el > 10*time.Second {
					r.t.Errorf("the round took %v", el)
				}
			}},
		{name: "F7 429 with garbage Retry-After and 503 with a far one", firstOK: true,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{
					{Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Status, Status: 429, Header: http.Header{"Retry-After": {"soon, maybe"}}}},
					{Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Status, Status: 503, Header: http.Header{"Retry-After": {"999999999999"}}}},
				}
			},
			after: func(r *faultRig, _ syncclient.Result, _ error, _ time.Duration, from int) {
				if g := maxGap(r.proxy.Events(), from); g > faultWaitMax+time.Second/2 {
					r.t.Errorf("a wait of %v, cap %v", g, faultWaitMax)
				}
			}},
		{name: "F8 8 KB/s link losing a page", slow: true, before: (*faultRig).morePages,
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{
					{Method: "GET", Path: changesGET, Skip: 1, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Cut, Identity: true}},
					{Fault: faultproxy.Fault{Action: faultproxy.Slow, BytesPerSec: 8 << 10, Chunk: 256, Identity: true}},
				}
			},
			after: func(r *faultRig, res syncclient.Result, err error, el time.Duration, from int) {
				wantErr(r, res, err, el, from)
				if res.Pages == 0 {
					r.t.Errorf("no page got through the slow link: %+v", res)
				}
				if min := time.Duration(res.Bytes) * time.Second / (8 << 10); el < min {
					r.t.Errorf("%d bytes in %v: the link was not throttled", res.Bytes, el)
				}
			}},
		{name: "F9 server restart between pages", firstOK: true, before: (*faultRig).morePages,
			rules: func(r *faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Rewrite,
					Rewrite: func(b []byte) []byte { r.restart(); return b }}}}
			},
			after: func(r *faultRig, res syncclient.Result, _ error, _ time.Duration, _ int) {
				if res.Resyncs != 0 || res.Applied > 3*faultPageLimit+20 {
					r.t.Errorf("after the restart the client started over: %+v", res)
				}
			}},
		{name: "F11 offline past the tombstone horizon, snapshot page cut", noFault: false,
			before: func(r *faultRig) {
				time.Sleep(5 * time.Millisecond)
				if n, err := r.server().Compact(r.t.Context()); err != nil || n == 0 {
					r.t.Fatalf("compact: %d, %v", n, err)
				}
			},
			rules: func(*faultRig) []faultproxy.Rule {
				return []faultproxy.Rule{{Method: "GET", Path: protocol.PathSnapshot, Skip: 1, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Cut, Cut: faultproxy.CutMidLine, Identity: true}}}
			},
			after: func(r *faultRig, res syncclient.Result, err error, el time.Duration, from int) {
				wantErr(r, res, err, el, from)
				if res.Resyncs == 0 {
					r.t.Errorf("no resync after the tombstone horizon: %+v", res)
				}
			}},
		func() faultCase {
			var inserted atomic.Int32
			return faultCase{name: "F17 poison puts in a page that also deletes", firstOK: true,
				before: func(r *faultRig) {
					// Two records put and withdrawn leave a gap of two seqs in
					// the change log, where the poison lines go.
					ctx := r.t.Context()
					var spare []credit.Record
					for i := range 3 {
						rec := r.records[i]
						rec.ID = fmt.Sprintf("R-FAULT-SPARE-%d", i)
						spare = append(spare, rec)
					}
					if err := r.server().PutSubjects(ctx, nil, spare); err != nil {
						r.t.Fatal(err)
					}
					for _, rec := range spare[:2] {
						if err := r.server().WithdrawRecord(ctx, rec.ID, "withdrawn"); err != nil {
							r.t.Fatal(err)
						}
					}
				},
				rules: func(r *faultRig) []faultproxy.Rule {
					return []faultproxy.Rule{{Method: "GET", Path: changesGET, Fault: faultproxy.Fault{Action: faultproxy.Rewrite, Identity: true,
						Rewrite: pageRewrite(func(seqs []int64) []string {
							return []string{
								fmt.Sprintf(`{"op":"put","t":"record","id":"R-POISON-%d","ver":1,"seq":%d,"d":"not a record"}`, seqs[0], seqs[0]),
								fmt.Sprintf(`{"op":"put","t":"hologram","id":"H-%d","ver":1,"seq":%d,"d":{}}`, seqs[1], seqs[1]),
							}
						}, 2, &inserted)}}}
				},
				after: func(r *faultRig, res syncclient.Result, _ error, _ time.Duration, _ int) {
					if inserted.Load() == 0 {
						r.t.Fatal("no page had room for the poison lines")
					}
					if res.Quarantined == 0 || res.Skipped == 0 || res.Deleted == 0 {
						r.t.Errorf("poison page: %+v, want a quarantined put, a skipped op and the deletions applied", res)
					}
				}}
		}(),
		func() faultCase {
			var old []byte
			var oldIDs []string
			var seqBefore int64
			return faultCase{name: "F20 stale page served for a newer cursor",
				before: func(r *faultRig) {
					// Capture the delta page, apply it, then correct the same
					// records again and sync: the captured page is now stale.
					ctx := r.t.Context()
					r.proxy.Script(faultproxy.Rule{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Rewrite, Identity: true,
						Rewrite: func(b []byte) []byte { old = bytes.Clone(b); return b }}})
					if _, err := r.client.SyncOnce(ctx); err != nil || old == nil {
						r.t.Fatalf("capturing sync: %v", err)
					}
					var again []credit.Record
					for _, l := range bytes.Split(old, []byte("\n")) {
						var x protocol.Line
						if json.Unmarshal(l, &x) == nil && x.Op == protocol.OpPut && x.T == "record" {
							for _, rec := range r.records {
								if rec.ID == x.ID {
									rec.Version = 0
									again = append(again, rec)
									oldIDs = append(oldIDs, rec.ID)
								}
							}
						}
					}
					if len(again) == 0 {
						r.t.Fatal("the captured page holds no record put")
					}
					if err := r.server().PutSubjects(ctx, nil, again); err != nil {
						r.t.Fatal(err)
					}
					r.proxy.Script()
					if _, err := r.client.SyncOnce(ctx); err != nil {
						r.t.Fatal(err)
					}
					cur, _ := r.db.Cursor(ctx)
					seqBefore = cursorSeq(r.t, cur)
				},
				rules: func(r *faultRig) []faultproxy.Rule {
					return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Rewrite, Identity: true,
						Rewrite: func([]byte) []byte { return old }}}}
				},
				after: func(r *faultRig, res syncclient.Result, err error, _ time.Duration, _ int) {
					if err == nil || credit.ErrorCode(err) != credit.EUNAVAILABLE || res.Applied != 0 {
						r.t.Errorf("stale page: applied %d, err %v; want it refused as a transient fault", res.Applied, err)
					}
					// No version goes back.
					kdb := openRO(r.t, r.dbPath)
					defer kdb.Close()
					sdb := openRO(r.t, r.srvPath)
					defer sdb.Close()
					client, server := tableVersions(r.t, kdb, "version"), tableVersions(r.t, sdb, "ver")
					for _, id := range oldIDs {
						if k := (rowKey{"record", id}); client[k] < server[k] {
							r.t.Errorf("stale page rolled record %s back to v%d (platform v%d)", id, client[k], server[k])
						}
					}
					cur, _ := r.db.Cursor(r.t.Context())
					if s := cursorSeq(r.t, cur); s < seqBefore {
						r.t.Errorf("the stale page rewound the cursor from seq %d to %d", seqBefore, s)
					}
				}}
		}(),
		{name: "F16 platform clock 10 min ahead", noFault: true, firstOK: true,
			before: func(r *faultRig) { r.skew(10 * time.Minute) }, after: sawClockSkew},
		{name: "F16 platform clock 10 min behind", noFault: true, firstOK: true,
			before: func(r *faultRig) { r.skew(-10 * time.Minute) }, after: sawClockSkew},
		{name: "F19 device revoked: no retry storm, outbox intact", noFault: true, noHeal: true,
			before: func(r *faultRig) {
				if err := r.server().RevokeDevice(r.t.Context(), deviceID); err != nil {
					r.t.Fatal(err)
				}
			},
			after: func(r *faultRig, res syncclient.Result, err error, el time.Duration, from int) {
				if credit.ErrorCode(err) != credit.EUNAUTHORIZED {
					r.t.Errorf("revoked device: %v, want EUNAUTHORIZED", err)
				}
				if n := len(r.proxy.Events()) - from; n != 1 {
					r.t.Errorf("revoked device sent %d requests in the round, want 1", n)
				}
				pending, perr := r.db.PendingOutbox(r.t.Context(), 100)
				if perr != nil || len(pending) != len(r.captured) {
					r.t.Errorf("outbox after the refusal: %d pending of %d, %v", len(pending), len(r.captured), perr)
				}
			}},
		{name: "F23 decompression bomb",
			rules: func(r *faultRig) []faultproxy.Rule {
				bomb := zstdBomb(r.t)
				return []faultproxy.Rule{{Method: "GET", Path: changesGET, Times: 1, Fault: faultproxy.Fault{Action: faultproxy.Rewrite,
					Header:  http.Header{"Content-Encoding": {"zstd"}},
					Rewrite: func([]byte) []byte { return bomb }}}}
			}, after: wantErr},
	}, append(restoreFaultCases(), linkFaultCases()...)...)
}

// TestSyncUnderFaults runs each scenario on a fresh rig: a first clean
// sync, platform changes and captured objections, one round through the
// faults, then rounds without them until the kiosk has converged.
func TestSyncUnderFaults(t *testing.T) {
	for i, c := range faultCases() {
		t.Run(c.name, func(t *testing.T) {
			if c.gap != "" {
				t.Skip("known gap: " + c.gap)
			}
			if c.slow && testing.Short() {
				t.Skip("slow link scenario skipped under -short")
			}
			ctx := t.Context()
			r := newFaultRig(t, faultSeed+uint64(i))
			r.work(3)
			if c.before != nil {
				c.before(r)
			}
			from := len(r.proxy.Events())
			if c.rules != nil {
				r.proxy.Script(c.rules(r)...)
			}
			start := time.Now()
			res, err := r.client.SyncOnce(ctx)
			el := time.Since(start)
			t.Logf("faulty round (%v): err=%v result=%+v", el.Round(time.Millisecond), err, res)
			for _, e := range r.proxy.Events()[from:] {
				if e.Action != faultproxy.Pass {
					t.Logf("  %s %s %s → %d %s", e.Method, e.Path, e.Action, e.Status, e.Note)
				}
			}
			if !c.noFault && r.proxy.Fired() == 0 {
				t.Fatal("the fault never fired: the scenario proves nothing")
			}
			if c.firstOK && err != nil {
				t.Errorf("the client's retries did not absorb the fault: %v", err)
			}
			if c.after != nil {
				c.after(r, res, err, el, from)
			}
			r.check("after the faulty round", false)
			if c.noHeal {
				return
			}

			r.proxy.Script()
			for n := 0; ; n++ {
				if _, err = r.client.SyncOnce(ctx); err == nil {
					break
				} else if n == 2 {
					t.Fatalf("no recovery after healing: %v", err)
				}
			}
			r.check("after healing", true)
			// One more round sends nothing again.
			res, err = r.client.SyncOnce(ctx)
			if err != nil || res.Pushed != 0 {
				t.Fatalf("quiet round: pushed %d, %v", res.Pushed, err)
			}
			r.check("after a quiet round", true)
		})
	}
}
