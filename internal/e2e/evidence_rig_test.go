package e2e_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/internal/faultproxy"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
)

// evidenceRig is an office terminal (real store file, app.Office, sync
// client) talking through a fault proxy to a real platform.
type evidenceRig struct {
	t       *testing.T
	srv     *syncserver.Server
	srvPath string
	front   string // the proxy's URL
	proxy   *faultproxy.Proxy
	db      *store.DB
	dbPath  string
	client  *syncclient.Client
	office  *app.Office
	cs      *app.ClerkSession
	records []credit.Record // the demo person's records
}

const evidenceOfficer = "officer-token-e2e"

func newEvidenceRig(t *testing.T, maxBlob int64) *evidenceRig {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	r := &evidenceRig{t: t, srvPath: filepath.Join(dir, "server.db"), dbPath: filepath.Join(dir, "office.db")}
	srv, err := syncserver.Open(ctx, r.srvPath, syncserver.Options{MaxBlobBytes: maxBlob, Officers: map[string]string{evidenceOfficer: "officer-1"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	r.srv = srv
	ds := synth.Generate(3, 30)
	if err := srv.PutSubjects(ctx, ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	for _, rec := range ds.Records {
		if rec.SubjectID == synth.DemoID {
			r.records = append(r.records, rec)
		}
	}
	up := httptest.NewServer(srv.Handler())
	t.Cleanup(up.Close)
	r.proxy = faultproxy.New(up.URL, 7)
	t.Cleanup(r.proxy.Close)
	front := httptest.NewServer(r.proxy)
	t.Cleanup(front.Close)
	r.front = front.URL

	db, err := store.Open(ctx, r.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r.db = db
	r.client = syncclient.New(syncclient.Config{
		BaseURL: front.URL, Key: enrol(t, srv, front.URL, dir), DeviceID: deviceID, Outbox: db, Applier: db,
		RetryWaitMin: 5 * time.Millisecond, RetryWaitMax: 20 * time.Millisecond, RetryMax: 2, RequestTimeout: 10 * time.Second,
	})
	r.sync() // the office's cache, so the clerk can look the applicant up

	r.office = app.NewOffice(app.OfficeDeps{Clerks: db, Records: db, Inquiries: db, Queue: db, Intake: db, Evidence: db,
		Argon2: apptest.FastArgon2, DeviceID: deviceID})
	if err := r.office.AddClerk(ctx, credit.Clerk{ID: "C001", Name: "王芳", Role: credit.RoleClerk}, "correct-horse-9"); err != nil {
		t.Fatal(err)
	}
	if r.cs, err = r.office.Login(ctx, "C001", "correct-horse-9"); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *evidenceRig) sync() syncclient.Result {
	r.t.Helper()
	res, err := r.client.SyncOnce(r.t.Context())
	if err != nil {
		r.t.Fatalf("sync: %v", err)
	}
	return res
}

// intake files an objection at the office window against the demo
// person's i-th record.
func (r *evidenceRig) intake(i int) credit.Objection {
	r.t.Helper()
	ctx := r.t.Context()
	if _, err := r.office.IntakeLookup(ctx, r.cs, synth.DemoID, credit.ApplicantSelf, ""); err != nil {
		r.t.Fatal(err)
	}
	o, err := r.office.FileIntakeObjection(ctx, r.cs, app.IntakeObjectionForm{RecordID: r.records[i].ID, Type: credit.ObjWrongInfo,
		Statement: "记录有误，附证明材料。", Contact: "13800000000"})
	if err != nil {
		r.t.Fatal(err)
	}
	return o
}

func (r *evidenceRig) attach(appID, name string, data []byte) credit.Evidence {
	r.t.Helper()
	e, err := r.office.AttachEvidence(r.t.Context(), r.cs, appID, name, data)
	if err != nil {
		r.t.Fatalf("attach %s: %v", name, err)
	}
	return e
}

// fetch gets an evidence file as an officer through /platform/v1.
func (r *evidenceRig) fetch(appID, sha string) []byte {
	r.t.Helper()
	req, _ := http.NewRequestWithContext(r.t.Context(), http.MethodGet, r.front+"/platform/v1/applications/"+appID+"/evidence/"+sha, nil)
	req.Header.Set("Authorization", "Bearer "+evidenceOfficer)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK {
		r.t.Fatalf("officer fetch: %d %s", resp.StatusCode, b.String())
	}
	return b.Bytes()
}

// outboxState reads an outbox item's state and last error from the file.
func (r *evidenceRig) outboxState(id string) (string, string) {
	r.t.Helper()
	var state, lastErr string
	db := openRO(r.t, r.dbPath)
	defer db.Close()
	if err := db.QueryRowContext(r.t.Context(), `SELECT state, last_error FROM outbox WHERE id = ?`, id).Scan(&state, &lastErr); err != nil {
		r.t.Fatal(err)
	}
	return state, lastErr
}

// serverCount counts rows of the platform's file.
func (r *evidenceRig) serverCount(query string, args ...any) int {
	r.t.Helper()
	var n int
	db := openRO(r.t, r.srvPath)
	defer db.Close()
	if err := db.QueryRowContext(r.t.Context(), query, args...).Scan(&n); err != nil {
		r.t.Fatal(err)
	}
	return n
}

// events counts the proxy's requests of a method whose path starts with
// prefix, from event index from.
func (r *evidenceRig) events(method, prefix string, from int) int {
	n := 0
	for _, e := range r.proxy.Events()[from:] {
		if e.Method == method && strings.HasPrefix(e.Path, prefix) {
			n++
		}
	}
	return n
}

// fakePDF is a deterministic PDF-looking file of n bytes.
func fakePDF(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	b := []byte(fmt.Sprintf("%%PDF-1.7\n%% evidence %d\n", seed))
	for len(b) < n {
		b = append(b, byte(rng.UintN(256)))
	}
	return b[:n]
}

// fakePNG is a small PNG-looking file.
func fakePNG(seed uint64) []byte {
	return append([]byte("\x89PNG\r\n\x1a\n"), fakePDF(seed, 3000)[16:]...)
}
