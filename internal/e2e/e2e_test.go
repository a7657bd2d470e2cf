package e2e_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/device/idcard/samsim"
	"github.com/gansu-credit/credit/internal/pty"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
)

const (
	deviceID = "KIOSK-620102-01"
	// canary is a string that appears only in the record that gets
	// withdrawn; after the next sync it must be gone from every file.
	canary = "金丝雀内容E2E-7f3a91"
)

// loseFirstPUT lets the server process the first application PUT fully and
// then answers 502, as if the response were lost on the way back.
type loseFirstPUT struct {
	next http.Handler
	lost atomic.Bool
}

func (h *loseFirstPUT) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	upload := (r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/applications/")) || r.URL.Path == protocol.PathApplicationsBatch
	if upload && h.lost.CompareAndSwap(false, true) {
		rec := httptest.NewRecorder()
		h.next.ServeHTTP(rec, r)
		if rec.Code >= 300 {
			panic("the platform refused the first PUT: " + rec.Body.String())
		}
		http.Error(w, "bad gateway", http.StatusBadGateway)
		return
	}
	h.next.ServeHTTP(w, r)
}

type rig struct {
	srv    *syncserver.Server
	proxy  *loseFirstPUT
	db     *store.DB
	dbPath string
	client *syncclient.Client
	sim    *samsim.Sim
	svc    *app.Service
}

func newRig(t *testing.T) *rig {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()

	// The platform, seeded with synthetic Gansu data plus a canary record
	// for the demo card holder.
	srv, err := syncserver.Open(ctx, filepath.Join(dir, "server.db"), syncserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ds := synth.Generate(1, 300)
	canaryRec := credit.Record{
		ID: "R-E2E-CANARY", SubjectID: synth.DemoID, Category: credit.CategoryUntrustworthy,
		Title: "行政处罚", Content: canary, SourceUnit: "兰州市城关区市场监督管理局",
		DocumentNo: "兰城市监罚〔2026〕9号", LegalBasis: "《中华人民共和国产品质量法》第四十九条",
		DecisionDate: time.Date(2026, 3, 2, 0, 0, 0, 0, credit.China), Tier: credit.TierGeneral, Version: 1,
	}
	if err := srv.PutSubjects(ctx, ds.Subjects, append(ds.Records, canaryRec)); err != nil {
		t.Fatal(err)
	}
	proxy := &loseFirstPUT{next: srv.Handler()}
	hs := httptest.NewServer(proxy)
	t.Cleanup(hs.Close)

	// The kiosk's store and sync client.
	dbPath := filepath.Join(dir, "kiosk.db")
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	client := syncclient.New(syncclient.Config{
		BaseURL: hs.URL, Key: enrol(t, srv, hs.URL, dir), DeviceID: deviceID, Outbox: db, Applier: db,
		RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 50 * time.Millisecond, PageLimit: 100,
	})

	// The card reader: the simulator on the master of a real pty, the
	// driver on the slave through tarm/serial.
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	sim := samsim.New(master, nil)
	simCtx, stopSim := context.WithCancel(context.Background())
	simDone := make(chan struct{})
	go func() { defer close(simDone); _ = sim.Run(simCtx) }()
	reader, closer, err := idcard.Open(slave, idcard.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopSim()
		closer.Close()
		master.Close()
		<-simDone
	})

	svc := app.New(app.Deps{Records: db, Inquiries: db, Applications: db, Card: reader, DeviceID: deviceID})
	return &rig{srv: srv, proxy: proxy, db: db, dbPath: dbPath, client: client, sim: sim, svc: svc}
}

func demoCard() credit.IDCard {
	return credit.IDCard{Kind: credit.CardResident, Name: synth.DemoName, Sex: "2", Ethnic: "01", Birth: "19850312",
		Address: "甘肃省兰州市城关区庆阳路1号", Number: synth.DemoID, Authority: "兰州市公安局城关分局",
		ValidFrom: "20160101", ValidTo: "20360101"}
}

func findRecord(s *app.Session, id string) (credit.Record, bool) {
	for _, g := range s.Records {
		for _, r := range g.Records {
			if r.ID == id {
				return r, true
			}
		}
	}
	return credit.Record{}, false
}

// TestCardToObjectionToSyncToDeletion walks the whole skeleton: first sync,
// card read on a pty, the holder's records, an objection captured and
// delivered exactly once although the first response is lost, its status
// synced back, and a withdrawal on the platform that erases the record from
// the device's files at the next sync.
func TestCardToObjectionToSyncToDeletion(t *testing.T) {
	r := newRig(t)
	ctx := t.Context()

	// 1. First sync fills the cache.
	res, err := r.client.SyncOnce(ctx)
	if err != nil {
		t.Fatalf("first sync: %v", err)
	}
	t.Logf("first sync: %+v", res)
	if asOf, _ := r.db.DataAsOf(ctx); asOf.IsZero() {
		t.Fatal("data-as-of not set after the first sync")
	}

	// 2. No card yet: a plain message, nothing shown.
	if _, err := r.svc.ReadCard(ctx); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("read with no card: %v", err)
	}

	// 3. The holder places the card.
	if err := r.sim.SetCard(demoCard()); err != nil {
		t.Fatal(err)
	}
	sess, err := r.svc.ReadCard(ctx)
	if err != nil {
		t.Fatalf("ReadCard: %v", err)
	}
	if !sess.Known || sess.Subject.ID != synth.DemoID || sess.Card.Name != synth.DemoName {
		t.Fatalf("session: known=%v subject=%v", sess.Known, sess.Subject.ID)
	}
	counts := map[credit.Category]int{}
	for _, g := range sess.Records {
		counts[g.Category] = len(g.Records)
	}
	for _, c := range credit.Categories {
		if counts[c] == 0 {
			t.Errorf("no %s records for the demo holder", c)
		}
	}
	if _, ok := findRecord(sess, "R-E2E-CANARY"); !ok {
		t.Fatal("canary record not shown to its holder")
	}
	inq, err := r.db.InquiriesOf(ctx, synth.DemoID)
	if err != nil || len(inq) != 1 || inq[0].InquirerKind != credit.InquirerSelf || inq[0].Channel != deviceID {
		t.Fatalf("self-inquiry not logged: %v %+v", err, inq)
	}

	// 4. An objection against the canary record: labelled at once, locally.
	obj, err := r.svc.FileObjection(ctx, sess, "R-E2E-CANARY", credit.ObjWrongInfo, "该处罚已被撤销，决定书编号有误。", "13800000000")
	if err != nil {
		t.Fatalf("FileObjection: %v", err)
	}
	if rec, _ := findRecord(sess, "R-E2E-CANARY"); !rec.UnderObjection {
		t.Fatal("record not labelled under objection right after filing")
	}
	if !strings.HasPrefix(obj.No, "YY-") || !obj.DecisionDue.After(obj.LabelDue) {
		t.Fatalf("objection number/dues: %+v", obj)
	}
	// A second objection on the same record is refused, naming the first.
	if _, err := r.svc.FileObjection(ctx, sess, "R-E2E-CANARY", credit.ObjOmission, "再次提出", ""); credit.ErrorCode(err) != credit.ECONFLICT || !strings.Contains(credit.ErrorMessage(err), obj.No) {
		t.Fatalf("duplicate objection: %v", err)
	}

	// 5. Sync: the first PUT's response is lost; the retry gets the first
	// receipt and the platform holds exactly one row.
	if _, err := r.client.SyncOnce(ctx); err != nil {
		t.Fatalf("sync after objection: %v", err)
	}
	if !r.proxy.lost.Load() {
		t.Fatal("the lost-response fault never fired")
	}
	apps, err := r.srv.Applications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 1 || apps[0].ID != obj.ID || apps[0].DeviceID != deviceID {
		t.Fatalf("platform applications = %+v, want exactly the one objection", apps)
	}
	if pending, _ := r.db.PendingOutbox(ctx, 10); len(pending) != 0 {
		t.Fatalf("outbox still pending after delivery: %d", len(pending))
	}
	// One more round must not send it again.
	if _, err := r.client.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if apps, _ := r.srv.Applications(ctx); len(apps) != 1 {
		t.Fatalf("duplicate on the platform: %d rows", len(apps))
	}
	got, err := r.db.Objection(ctx, obj.ID)
	if err != nil || got.Status == credit.StatusQueued {
		t.Fatalf("objection status after delivery: %v %q", err, got.Status)
	}

	// 6. The platform labels it; the status comes back through the feed.
	if err := r.srv.SetApplicationStatus(ctx, obj.ID, credit.StatusLabelled, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.db.Objection(ctx, obj.ID); got.Status != credit.StatusLabelled {
		t.Fatalf("status after platform labelled it: %q", got.Status)
	}

	// 7. The deciding unit withdraws the record: after the next sync it is
	// gone from the cache and from the raw files.
	assertInFiles(t, r.dbPath, canary, true)
	if err := r.srv.WithdrawRecord(ctx, "R-E2E-CANARY", "withdrawn"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	recs, err := r.db.RecordsOf(ctx, synth.DemoID)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if rec.ID == "R-E2E-CANARY" {
			t.Fatal("withdrawn record still in the cache")
		}
	}
	assertInFiles(t, r.dbPath, canary, false)

	// 8. Card removed: no records for anyone.
	r.svc.EndSession(sess)
	r.sim.RemoveCard()
	if _, err := r.svc.ReadCard(ctx); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("read after removal: %v", err)
	}
}

// assertInFiles scans the raw bytes of the database and its -wal and -shm
// files for s.
func assertInFiles(t *testing.T, dbPath, s string, want bool) {
	t.Helper()
	found := false
	for _, p := range []string{dbPath, dbPath + "-wal", dbPath + "-shm"} {
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			found = true
			if !want {
				t.Errorf("%s still holds %q", filepath.Base(p), s)
			}
		}
	}
	if want && !found {
		t.Fatalf("%q not found in the database files before withdrawal: the scan proves nothing", s)
	}
}
