package e2e_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
)

const (
	lcOfficerToken = "e2e-officer-token-0001"
	lcDevice       = "KIOSK-620102-LC"
	// lcCanary appears only in the record that gets restored; lcRevoked
	// only in the one whose basis is revoked.
	lcCanary  = "修复金丝雀E2E-4b7d20"
	lcRevoked = "撤销金丝雀E2E-91c3e8"
)

// lifecycleRig is a platform, a kiosk store and its sync client, and an
// officer talking to the platform's /platform/v1 over HTTP.
type lifecycleRig struct {
	t      *testing.T
	srv    *syncserver.Server
	base   string
	db     *store.DB
	dbPath string
	client *syncclient.Client
}

func newLifecycleRig(t *testing.T) *lifecycleRig {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	srv, err := syncserver.Open(ctx, filepath.Join(dir, "server.db"), syncserver.Options{
		Officers: map[string]string{lcOfficerToken: "OFFICER-1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ds := synth.Generate(2, 50)
	rec := func(id, content string) credit.Record {
		return credit.Record{ID: id, SubjectID: synth.DemoID, Category: credit.CategoryUntrustworthy, Title: "行政处罚",
			Content: content, SourceUnit: "兰州市城关区市场监督管理局", DocumentNo: "兰城市监罚〔2026〕" + id,
			DecisionDate: time.Date(2026, 3, 2, 0, 0, 0, 0, credit.China), Tier: credit.TierGeneral, Version: 1}
	}
	extra := []credit.Record{rec("R-LC-OBJ", "罚款二千元"), rec("R-LC-RST", lcCanary), rec("R-LC-REV", lcRevoked)}
	if err := srv.PutSubjects(ctx, ds.Subjects, append(ds.Records, extra...)); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)

	dbPath := filepath.Join(dir, "kiosk.db")
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	client := syncclient.New(syncclient.Config{
		BaseURL: hs.URL, Key: enrolKiosk(t, srv, hs.URL, dir), DeviceID: lcDevice, Outbox: db, Applier: db,
		RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 50 * time.Millisecond, PageLimit: 100,
	})
	return &lifecycleRig{t: t, srv: srv, base: hs.URL, db: db, dbPath: dbPath, client: client}
}

// enrolKiosk registers the kiosk on the platform and enrols its key, as
// an installer does.
func enrolKiosk(t *testing.T, srv *syncserver.Server, url, dir string) ed25519.PrivateKey {
	t.Helper()
	code, _, err := srv.AddDevice(t.Context(), lcDevice, "620102")
	if err != nil {
		t.Fatal(err)
	}
	key, err := syncclient.LoadOrCreateDeviceKey(filepath.Join(dir, "kiosk.db.key"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := syncclient.Enroll(t.Context(), syncclient.EnrollConfig{BaseURL: url, DeviceID: lcDevice, Code: code, Key: key}); err != nil {
		t.Fatal(err)
	}
	return key
}

func (r *lifecycleRig) sync() {
	r.t.Helper()
	if _, err := r.client.SyncOnce(r.t.Context()); err != nil {
		r.t.Fatalf("sync: %v", err)
	}
}

// officer POSTs an officer operation and returns the HTTP status.
func (r *lifecycleRig) officer(path, id string, body any) int {
	r.t.Helper()
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	req, err := http.NewRequestWithContext(r.t.Context(), "POST", r.base+strings.Replace(path, "{id}", id, 1), bytes.NewReader(b))
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+lcOfficerToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// status is the application's status on the device.
func (r *lifecycleRig) status(id string) credit.StatusUpdate {
	r.t.Helper()
	u, err := r.db.ApplicationStatus(r.t.Context(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return u
}

func (r *lifecycleRig) cached(recordID string) (credit.Record, bool) {
	r.t.Helper()
	recs, err := r.db.RecordsOf(r.t.Context(), synth.DemoID)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, rec := range recs {
		if rec.ID == recordID {
			return rec, true
		}
	}
	return credit.Record{}, false
}

// TestOfficerLifecycleReachesDevice: an objection and a restoration
// captured on the kiosk reach the platform, the officer's decisions come
// back through the feed (with written reasons), and a restored record and
// one whose basis was revoked are erased from the kiosk's files.
func TestOfficerLifecycleReachesDevice(t *testing.T) {
	r := newLifecycleRig(t)
	ctx := t.Context()
	r.sync()
	if _, ok := r.cached("R-LC-RST"); !ok {
		t.Fatal("first sync did not bring the demo holder's records")
	}

	// Captured on the device.
	now := time.Now()
	obj := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: credit.NewUUID(), SubjectID: synth.DemoID,
		SubjectName: synth.DemoName, RecordID: "R-LC-OBJ", Type: credit.ObjWrongInfo, Statement: "罚款金额有误。",
		Channel: lcDevice, ReceivedAt: now})
	if err := r.db.SaveObjection(ctx, obj); err != nil {
		t.Fatal(err)
	}
	rst := credit.NewRestoration(credit.WeekendCalendar{}, credit.Restoration{ID: credit.NewUUID(), SubjectID: synth.DemoID,
		SubjectName: synth.DemoName, RecordID: "R-LC-RST", Performance: "罚款已全额缴纳，整改完毕。", Committed: true,
		Channel: lcDevice, ReceivedAt: now})
	if err := r.db.SaveRestoration(ctx, rst); err != nil {
		t.Fatal(err)
	}
	r.sync()
	apps, err := r.srv.Applications(ctx)
	if err != nil || len(apps) != 2 {
		t.Fatalf("platform holds %d applications (%v), want 2", len(apps), err)
	}
	kinds := map[string]credit.ApplicationKind{}
	for _, a := range apps {
		kinds[a.ID] = a.Kind
	}
	if kinds[obj.ID] != credit.KindObjection || kinds[rst.ID] != credit.KindRestoration {
		t.Fatalf("kinds on the platform: %v", kinds)
	}
	if pending, _ := r.db.PendingOutbox(ctx, 0); len(pending) != 0 {
		t.Fatalf("%d item(s) still pending", len(pending))
	}

	steps := []struct {
		name   string
		path   string
		id     string
		body   any
		code   int
		status credit.ApplicationStatus // on the device after the next sync
		note   string
	}{
		{"officer labels", protocol.PathObjectionLabel, obj.ID, nil, 200, credit.StatusLabelled, ""},
		{"decision before review is refused", protocol.PathObjectionDecision, obj.ID,
			protocol.ObjectionDecisionV1{Reasons: "理由"}, http.StatusConflict, credit.StatusLabelled, ""},
		{"officer reviews", protocol.PathObjectionReview, obj.ID, nil, 200, credit.StatusUnderReview, ""},
		{"not corrected needs reasons", protocol.PathObjectionDecision, obj.ID,
			protocol.ObjectionDecisionV1{}, http.StatusBadRequest, credit.StatusUnderReview, ""},
		{"not corrected with reasons", protocol.PathObjectionDecision, obj.ID,
			protocol.ObjectionDecisionV1{Reasons: "经核查，处罚决定书金额与原始文书一致。"}, 200, credit.StatusNotCorrected, "经核查，处罚决定书金额与原始文书一致。"},
		{"restoration accepted", protocol.PathRestorationAccept, rst.ID, nil, 200, credit.StatusAccepted, ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if got := r.officer(st.path, st.id, st.body); got != st.code {
				t.Fatalf("HTTP %d, want %d", got, st.code)
			}
			r.sync()
			if u := r.status(st.id); u.Status != st.status || u.Note != st.note {
				t.Fatalf("device shows %s %q, want %s %q", u.Status, u.Note, st.status, st.note)
			}
		})
	}
	if o, err := r.db.Objection(ctx, obj.ID); err != nil || o.Status != credit.StatusNotCorrected {
		t.Fatalf("objection on the device: %q %v", o.Status, err)
	}
	// Decided: the record stays, no longer labelled under objection.
	if rec, ok := r.cached("R-LC-OBJ"); !ok || rec.UnderObjection {
		t.Fatalf("objected record after the decision: present %v, labelled %v", ok, rec.UnderObjection)
	}

	// Restored: the record is deleted from the device, files included.
	assertLifecycleFiles(t, r.dbPath, lcCanary, true)
	if got := r.officer(protocol.PathRestorationDecision, rst.ID, protocol.RestorationDecisionV1{Restored: true}); got != 200 {
		t.Fatalf("restore: HTTP %d", got)
	}
	r.sync()
	if u := r.status(rst.ID); u.Status != credit.StatusRestored {
		t.Fatalf("restoration on the device: %s", u.Status)
	}
	if _, ok := r.cached("R-LC-RST"); ok {
		t.Fatal("restored record still cached")
	}
	assertLifecycleFiles(t, r.dbPath, lcCanary, false)

	// Revoked basis (Art. 48): gone at the next sync as well.
	assertLifecycleFiles(t, r.dbPath, lcRevoked, true)
	if got := r.officer(protocol.PathRecordRevoke, "R-LC-REV", protocol.ReasonsV1{Reasons: "行政复议决定撤销"}); got != 200 {
		t.Fatalf("revoke: HTTP %d", got)
	}
	r.sync()
	if _, ok := r.cached("R-LC-REV"); ok {
		t.Fatal("revoked record still cached")
	}
	assertLifecycleFiles(t, r.dbPath, lcRevoked, false)
}

// assertLifecycleFiles scans the raw bytes of the database and its -wal
// and -shm files for s (the approach of assertInFiles in e2e_test.go).
func assertLifecycleFiles(t *testing.T, dbPath, s string, want bool) {
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
		t.Fatalf("%q not in the database files before the deletion: the scan proves nothing", s)
	}
}
