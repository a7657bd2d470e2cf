package syncserver

import (
	"crypto/ed25519"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/sync/protocol"
)

// trustRig is a root key, a device signing key, and a way to sign lists.
type trustRig struct {
	root   ed25519.PrivateKey
	device ed25519.PrivateKey
}

func newTrustRig(t *testing.T) trustRig {
	t.Helper()
	_, root, _ := ed25519.GenerateKey(nil)
	_, dev, _ := ed25519.GenerateKey(nil)
	return trustRig{root: root, device: dev}
}

func (r trustRig) rootPub() []ed25519.PublicKey {
	return []ed25519.PublicKey{r.root.Public().(ed25519.PublicKey)}
}

// list signs a list of seq naming the device key (status st) and revoking
// the given report numbers.
func (r trustRig) list(t *testing.T, seq uint64, st report.KeyStatus, revoked ...string) []byte {
	t.Helper()
	tl := &report.TrustList{Seq: seq, IssuedAt: t0.Add(-time.Hour), NextUpdate: t0.Add(30 * 24 * time.Hour),
		Keys: []report.ListKey{{Public: r.device.Public().(ed25519.PublicKey), OfficeCode: "620102", OfficeName: "城关区信用中心",
			Status: st, SignFrom: t0.Add(-24 * time.Hour), StatusAt: t0.Add(-24 * time.Hour)}}}
	if st == report.KeyRetired {
		tl.Keys[0].SignTo = t0.Add(-time.Hour)
	}
	for _, no := range revoked {
		tl.Revoked = append(tl.Revoked, report.RevokedHash(no))
	}
	b, err := report.SignTrustList(tl, r.root)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (r trustRig) kid() string {
	k := report.KeyID(r.device.Public().(ed25519.PublicKey))
	return hex.EncodeToString(k[:])
}

func TestPublishTrustList(t *testing.T) {
	r := newTrustRig(t)
	_, other, _ := ed25519.GenerateKey(nil)
	s := openServer(t, filepath.Join(t.TempDir(), "p.db"), 0)
	ctx := t.Context()
	if _, err := s.TrustList(ctx); err != ErrNoTrustList {
		t.Fatalf("empty: %v", err)
	}
	forged, _ := report.SignTrustList(&report.TrustList{Seq: 9, IssuedAt: t0}, other)
	steps := []struct {
		name    string
		data    []byte
		code    string
		changed bool
		seq     uint64
	}{
		{"first", r.list(t, 2, report.KeyActive), "", true, 2},
		{"same again is a no-op", r.list(t, 2, report.KeyActive), "", false, 2},
		{"other list, same seq", r.list(t, 2, report.KeyRetired), credit.ECONFLICT, false, 2},
		{"rollback", r.list(t, 1, report.KeyActive), credit.ECONFLICT, false, 2},
		{"not signed by the root", forged, credit.EUNAUTHORIZED, false, 2},
		{"garbage", []byte("not cbor"), credit.EINVALID, false, 2},
		{"newer", r.list(t, 3, report.KeyActive, "620102K1-20261127-000001"), "", true, 3},
	}
	for _, st := range steps {
		_, changed, err := s.PublishTrustList(ctx, st.data, r.rootPub())
		if credit.ErrorCode(err) != st.code || (st.code == "" && err != nil) || changed != st.changed {
			t.Fatalf("%s: changed %v err %v, want %v %q", st.name, changed, err, st.changed, st.code)
		}
		tl, err := s.TrustList(ctx)
		if err != nil || tl.Seq != st.seq {
			t.Fatalf("%s: current %v %v, want seq %d", st.name, tl, err, st.seq)
		}
	}
}

// The published list reaches every device as one trust_list put in the
// change feed, carrying the signed bytes; a newer list supersedes it.
func TestTrustListInChangeFeed(t *testing.T) {
	r := newTrustRig(t)
	s := openServer(t, filepath.Join(t.TempDir(), "p.db"), 0)
	hs := newHTTPServer(t, s)
	for _, seq := range []uint64{4, 5} {
		if _, _, err := s.PublishTrustList(t.Context(), r.list(t, seq, report.KeyActive), r.rootPub()); err != nil {
			t.Fatal(err)
		}
	}
	for _, tok := range []string{tokA, tokB} {
		c := client{t: t, base: hs, token: tok}
		_, code, b := c.page("", 0)
		if code != 200 {
			t.Fatalf("page %d", code)
		}
		lines := feedLines(t, b, protocol.TypeTrustList)
		if len(lines) != 1 || lines[0].ID != protocol.TrustListID || lines[0].Ver != 5 {
			t.Fatalf("%s: trust_list lines %+v", tok, lines)
		}
		signed, err := protocol.ParseTrustListData(lines[0].D)
		if err != nil {
			t.Fatal(err)
		}
		tl, err := report.LoadTrustList(signed, r.rootPub(), 0)
		if err != nil || tl.Seq != 5 {
			t.Fatalf("device view: %v %v", tl, err)
		}
	}
}
