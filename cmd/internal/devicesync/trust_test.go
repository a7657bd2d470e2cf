package devicesync

import (
	"crypto"
	"crypto/ed25519"
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/store"
)

// Trust takes only lists its roots (or the next root the held list
// names) signed, never an older one, keeps them in the store file and
// serves the newest, also after a restart.
func TestTrust(t *testing.T) {
	ctx := t.Context()
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)
	rootPub, root, _ := ed25519.GenerateKey(nil)
	nextPub, next, _ := ed25519.GenerateKey(nil)
	_, stranger, _ := ed25519.GenerateKey(nil)
	devPub, _, _ := ed25519.GenerateKey(nil)
	sign := func(seq uint64, by ed25519.PrivateKey, nextRoot ed25519.PublicKey) []byte {
		b, err := report.SignTrustList(&report.TrustList{Seq: seq, IssuedAt: at, NextRoot: nextRoot, Keys: []report.ListKey{{
			Public: devPub, OfficeName: "城关区", Status: report.KeyActive, SignFrom: at, StatusAt: at}}}, by)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	path := filepath.Join(t.TempDir(), "kiosk.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.Close() }()
	var fallback report.KeySet
	fallback.Add(devPub, "own")
	tr := NewTrust(db, []ed25519.PublicKey{rootPub}, fallback, nil)
	if err := tr.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if s := tr.KeySet(); s.Len() != 1 || s.Keys()[0].Office != "own" {
		t.Fatalf("before any list: %+v", s.Keys())
	}
	steps := []struct {
		name    string
		signed  []byte
		code    string
		wantSeq uint64
	}{
		{"first", sign(5, root, nil), "", 5},
		{"same again", sign(5, root, nil), "", 5},
		{"stranger's root", sign(6, stranger, nil), credit.EINVALID, 5},
		{"rollback", sign(4, root, nil), credit.ECONFLICT, 5},
		{"malformed", []byte("not a trust list"), credit.EINVALID, 5},
		{"names the next root", sign(6, root, nextPub), "", 6},
		{"signed by the next root", sign(7, next, nil), "", 7},
	}
	for _, st := range steps {
		err := tr.SaveTrustList(ctx, st.signed)
		if credit.ErrorCode(err) != st.code {
			t.Fatalf("%s: %v, want code %q", st.name, err, st.code)
		}
		seq, ok := tr.Seq()
		held, _, _ := db.TrustList(ctx)
		if !ok || seq != st.wantSeq || held != st.wantSeq {
			t.Fatalf("%s: serving %d, store holds %d, want %d", st.name, seq, held, st.wantSeq)
		}
	}
	if s := tr.KeySet(); s.Len() != 1 || s.Keys()[0].Office != "城关区" {
		t.Fatalf("served keys %+v", s.Keys())
	}
	// Only a key the held list lets sign may sign.
	_, devKey, _ := ed25519.GenerateKey(nil)
	if _, err := tr.Signer(devKey, func() time.Time { return at }).Sign(nil, []byte("m"), crypto.Hash(0)); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Errorf("a key not in the list signed: %v", err)
	}

	// Reopened with only the configured root: the rotation was kept, so
	// the list the next root signed is served at once, and its later
	// lists are taken.
	db.Close()
	if db, err = store.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	tr = NewTrust(db, []ed25519.PublicKey{rootPub}, fallback, nil)
	if err := tr.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if seq, ok := tr.Seq(); !ok || seq != 7 {
		t.Fatalf("after reopen: seq %d %v", seq, ok)
	}
	if _, _, _, fromList := tr.KeySet().TrustListInfo(); !fromList {
		t.Fatal("after reopen the fallback is served")
	}
	if err := tr.SaveTrustList(ctx, sign(8, next, nil)); err != nil {
		t.Fatalf("next root's list after a restart: %v", err)
	}

	// A held list no configured or kept root signed is not used.
	other, err := store.Open(ctx, filepath.Join(t.TempDir(), "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.SaveTrustList(ctx, 9, sign(9, stranger, nil)); err != nil {
		t.Fatal(err)
	}
	tr = NewTrust(other, []ed25519.PublicKey{rootPub}, fallback, nil)
	if err := tr.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := tr.Seq(); ok {
		t.Fatal("a list the roots do not accept is served")
	}
}
