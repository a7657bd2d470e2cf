package e2e_test

import (
	"crypto/ed25519"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
)

// terminal is one device of TestInquiriesReachOtherTerminals: its store
// and its sync client, enrolled with the platform.
type terminal struct {
	db     *store.DB
	client *syncclient.Client
}

func newTerminal(t *testing.T, srv *syncserver.Server, url, id string) terminal {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(t.Context(), filepath.Join(dir, "credit.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	code, _, err := srv.AddDevice(t.Context(), id, "620102")
	if err != nil {
		t.Fatal(err)
	}
	key, err := syncclient.LoadOrCreateDeviceKey(filepath.Join(dir, "credit.db.key"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := syncclient.Enroll(t.Context(), syncclient.EnrollConfig{BaseURL: url, DeviceID: id, Code: code, Key: key}); err != nil {
		t.Fatal(err)
	}
	return terminal{db: db, client: syncclient.New(syncclient.Config{BaseURL: url, Key: ed25519.PrivateKey(key), DeviceID: id,
		Outbox: db, Applier: db, RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 50 * time.Millisecond})}
}

func (d terminal) sync(t *testing.T) {
	t.Helper()
	if _, err := d.client.SyncOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestInquiriesReachOtherTerminals: a clerk at county office B makes an
// authorised inquiry into the demo card holder; after both terminals sync,
// the holder at kiosk A sees it in "who looked at my data" with B's
// channel, once, next to A's own entry; uploads are idempotent; both hash
// chains still verify (Art. 24, 25, 45).
func TestInquiriesReachOtherTerminals(t *testing.T) {
	ctx := t.Context()
	srv, err := syncserver.Open(ctx, filepath.Join(t.TempDir(), "server.db"), syncserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ds := synth.Generate(1, 50)
	if err := srv.PutSubjects(ctx, ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)

	kioskA := newTerminal(t, srv, hs.URL, "KIOSK-A")
	officeB := newTerminal(t, srv, hs.URL, "OFFICE-B")
	kioskA.sync(t)
	officeB.sync(t)

	// B: a clerk's authorised inquiry into the holder.
	office := app.NewOffice(app.OfficeDeps{Clerks: officeB.db, Records: officeB.db, Inquiries: officeB.db, DeviceID: "OFFICE-B",
		Argon2: app.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}})
	if err := office.AddClerk(ctx, credit.Clerk{ID: "C007", Name: "王芳", Role: credit.RoleClerk}, "correct horse 7"); err != nil {
		t.Fatal(err)
	}
	cs, err := office.Login(ctx, "C007", "correct horse 7")
	if err != nil {
		t.Fatal(err)
	}
	view, err := office.AuthorisedInquiry(ctx, cs, synth.DemoID, string(credit.Art25Purposes[0]), "授权-2026-118")
	if err != nil {
		t.Fatal(err)
	}
	officeB.sync(t) // uploads B's entry
	officeB.sync(t) // B's own entry comes back: recognised, not added
	kioskA.sync(t)  // brings it to A

	// A: the holder reads their card.
	kiosk := app.New(app.Deps{Records: kioskA.db, Inquiries: kioskA.db, Applications: kioskA.db,
		Card: apptest.NewCard(demoCard(), nil), DeviceID: "KIOSK-A"})
	sess, err := kiosk.ReadCard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sess.Inquiries) != 2 {
		t.Fatalf("kiosk A shows %d inquiries, want its own and B's: %+v", len(sess.Inquiries), sess.Inquiries)
	}
	// Art. 44: the records arrive with their change history.
	for _, g := range sess.Records {
		for _, rec := range g.Records {
			if len(rec.History) == 0 || rec.History[0].Reason != credit.ReasonPublished || rec.History[len(rec.History)-1].Version != rec.Version {
				t.Fatalf("record %s at the kiosk has history %+v", rec.ID, rec.History)
			}
		}
	}
	var fromB credit.Inquiry
	for _, q := range sess.Inquiries {
		if q.Channel == "OFFICE-B" {
			fromB = q
		}
	}
	if fromB.ID != view.Inquiry.ID || fromB.InquirerKind != credit.InquirerClerk || fromB.InquirerID != "C007" ||
		fromB.AuthRef != "授权-2026-118" || !fromB.At.Equal(view.Inquiry.At) {
		t.Fatalf("B's inquiry at A = %+v, want %+v", fromB, view.Inquiry)
	}
	if !sess.Inquiries[0].At.After(sess.Inquiries[1].At) && !sess.Inquiries[0].At.Equal(sess.Inquiries[1].At) {
		t.Errorf("inquiries not newest first: %+v", sess.Inquiries)
	}

	// A's own entry reaches B too; B's own log is not touched.
	kioskA.sync(t)
	officeB.sync(t)
	if remote, _ := officeB.db.RemoteInquiriesOf(ctx, synth.DemoID); len(remote) != 1 || remote[0].Channel != "KIOSK-A" {
		t.Fatalf("B's remote inquiries = %+v, want A's self-inquiry", remote)
	}
	if own, _ := officeB.db.InquiriesOf(ctx, synth.DemoID); len(own) != 1 {
		t.Fatalf("B's own log = %+v, want one entry", own)
	}

	// Idempotent: everything sent again is acknowledged, stored once.
	for _, d := range []terminal{kioskA, officeB} {
		if unsent, _ := d.db.UnsentInquiries(ctx, 10); len(unsent) != 0 {
			t.Fatalf("still unsent after sync: %+v", unsent)
		}
	}
	held, err := srv.InquiriesOf(ctx, synth.DemoID)
	if err != nil || len(held) != 2 {
		t.Fatalf("platform holds %+v (%v), want 2", held, err)
	}
	again, err := srv.ReceiveInquiries(ctx, "OFFICE-B", []protocol.InquiryV1{protocol.InquiryToWire(view.Inquiry)})
	if err != nil || len(again.Acked) != 1 || len(again.Rejected) != 0 {
		t.Fatalf("re-upload = %+v, %v", again, err)
	}
	if held, _ := srv.InquiriesOf(ctx, synth.DemoID); len(held) != 2 {
		t.Fatalf("re-upload duplicated: %d entries", len(held))
	}

	// `creditctl audit verify` on both terminals.
	for name, d := range map[string]terminal{"kiosk A": kioskA, "office B": officeB} {
		rep, err := d.db.VerifyAuditChain(ctx)
		if err != nil || !rep.OK() || rep.Entries != 1 {
			t.Errorf("%s: audit = %+v, %v; want one intact entry", name, rep, err)
		}
	}
}
