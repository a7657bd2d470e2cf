package report

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

func pubOf(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

// fixtureList is a list with one active key (device 1) signed by root 100.
func fixtureList(t testing.TB, seq uint64) *TrustList {
	t.Helper()
	return &TrustList{
		Seq:        seq,
		IssuedAt:   issued.Add(-24 * time.Hour),
		NextUpdate: issued.Add(29 * 24 * time.Hour),
		Keys: []ListKey{{Public: pubOf(testKey(t, 1)), OfficeCode: "620102", OfficeName: "兰州市城关区发展和改革局",
			Status: KeyActive, SignFrom: issued.Add(-365 * 24 * time.Hour), StatusAt: issued.Add(-365 * 24 * time.Hour)}},
	}
}

func signList(t testing.TB, tl *TrustList, root ed25519.PrivateKey) []byte {
	t.Helper()
	b, err := SignTrustList(tl, root)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTrustListRoundTrip(t *testing.T) {
	root := testKey(t, 100)
	tl := fixtureList(t, 7)
	tl.Revoked = [][16]byte{RevokedHash("620102K1-20260101-000002"), RevokedHash("620102K1-20260101-000001"), RevokedHash("620102K1-20260101-000001")}
	tl.NextRoot = pubOf(testKey(t, 101))
	data := signList(t, tl, root)
	got, err := LoadTrustList(data, []ed25519.PublicKey{pubOf(testKey(t, 99)), pubOf(root)}, 7)
	if err != nil {
		t.Fatal(err)
	}
	if got.Seq != 7 || !got.IssuedAt.Equal(tl.IssuedAt) || !got.NextUpdate.Equal(tl.NextUpdate) || len(got.Keys) != 1 ||
		len(got.Revoked) != 2 || !got.NextRoot.Equal(tl.NextRoot) || !got.Root.Equal(pubOf(root)) || !bytes.Equal(got.Raw, data) {
		t.Fatalf("loaded %+v", got)
	}
	k := got.Keys[0]
	if !k.Public.Equal(tl.Keys[0].Public) || k.OfficeName != "兰州市城关区发展和改革局" || k.Status != KeyActive || !k.SignFrom.Equal(tl.Keys[0].SignFrom) || !k.SignTo.IsZero() {
		t.Errorf("key %+v", k)
	}
	// Deterministic: the same list gives the same bytes.
	if again := signList(t, tl, root); !bytes.Equal(again, data) {
		t.Error("signing twice gave different bytes")
	}
	// ParseTrustList reads both the signed form and the draft.
	for _, b := range [][]byte{data, tl.Marshal()} {
		d, err := ParseTrustList(b)
		if err != nil || d.Seq != 7 || len(d.Keys) != 1 || d.Root != nil {
			t.Errorf("ParseTrustList = %+v, %v", d, err)
		}
	}
}

func TestLoadTrustListRefuses(t *testing.T) {
	root, other := testKey(t, 100), testKey(t, 99)
	roots := []ed25519.PublicKey{pubOf(root)}
	good := signList(t, fixtureList(t, 5), root)
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 1
	cases := []struct {
		name  string
		data  []byte
		prev  uint64
		roots []ed25519.PublicKey
		want  error
	}{
		{"non-root signer", signList(t, fixtureList(t, 5), other), 0, roots, ErrTrustListSignature},
		{"no roots", good, 0, nil, ErrTrustListSignature},
		{"rollback", good, 6, roots, ErrTrustListRollback},
		{"bit flip", flipped, 0, roots, nil}, // signature or malformed
		{"draft only", fixtureList(t, 5).Marshal(), 0, roots, ErrTrustListMalformed},
		{"empty", nil, 0, roots, ErrTrustListMalformed},
		{"garbage", []byte("not a list"), 0, roots, ErrTrustListMalformed},
		{"truncated", good[:len(good)-3], 0, roots, ErrTrustListMalformed},
		{"trailing", append(bytes.Clone(good), 0), 0, roots, ErrTrustListMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tl, err := LoadTrustList(c.data, c.roots, c.prev)
			if err == nil {
				t.Fatalf("accepted: %+v", tl)
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
	// The same seq again is fine (a device reloading its list).
	if _, err := LoadTrustList(good, roots, 5); err != nil {
		t.Errorf("same seq refused: %v", err)
	}
}

func TestTrustListRejectsBadContent(t *testing.T) {
	root := testKey(t, 100)
	cases := map[string]func(tl *TrustList){
		"short key":         func(tl *TrustList) { tl.Keys[0].Public = tl.Keys[0].Public[:31] },
		"duplicate key":     func(tl *TrustList) { tl.Keys = append(tl.Keys, tl.Keys[0]) },
		"status 0":          func(tl *TrustList) { tl.Keys[0].Status = 0 },
		"status 9":          func(tl *TrustList) { tl.Keys[0].Status = 9 },
		"no sign_from":      func(tl *TrustList) { tl.Keys[0].SignFrom = time.Time{} },
		"to before from":    func(tl *TrustList) { tl.Keys[0].SignTo = tl.Keys[0].SignFrom.Add(-time.Second) },
		"retired open":      func(tl *TrustList) { tl.Keys[0].Status = KeyRetired },
		"next before issue": func(tl *TrustList) { tl.NextUpdate = tl.IssuedAt.Add(-time.Second) },
		"short next root":   func(tl *TrustList) { tl.NextRoot = make([]byte, 5) },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			tl := fixtureList(t, 1)
			mutate(tl)
			if _, err := SignTrustList(tl, root); err == nil {
				t.Error("SignTrustList accepted it")
			}
			if _, err := ParseTrustListDraft(tl.Marshal()); err == nil {
				t.Error("ParseTrustListDraft accepted it")
			}
		})
	}
}

func TestTrustListRootRotation(t *testing.T) {
	rootA, rootB, rootC := testKey(t, 100), testKey(t, 101), testKey(t, 102)
	first := fixtureList(t, 1)
	first.NextRoot = pubOf(rootB)
	cur, err := LoadTrustList(signList(t, first, rootA), []ed25519.PublicKey{pubOf(rootA)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The next list is signed by B, which the device learnt from list 1.
	second := fixtureList(t, 2)
	next, err := cur.Update(signList(t, second, rootB))
	if err != nil {
		t.Fatalf("rotation to the named next root refused: %v", err)
	}
	if !next.Root.Equal(pubOf(rootB)) || next.Seq != 2 {
		t.Errorf("after rotation root %x seq %d", next.Root, next.Seq)
	}
	// A root nobody named is refused, before and after rotation.
	if _, err := cur.Update(signList(t, fixtureList(t, 3), rootC)); !errors.Is(err, ErrTrustListSignature) {
		t.Errorf("unnamed root accepted: %v", err)
	}
	// A (no longer named) can no longer sign for a device that moved to B.
	if _, err := next.Update(signList(t, fixtureList(t, 3), rootA)); !errors.Is(err, ErrTrustListSignature) {
		t.Errorf("old root accepted after rotation: %v", err)
	}
	// Rollback through Update.
	if _, err := next.Update(signList(t, fixtureList(t, 1), rootB)); !errors.Is(err, ErrTrustListRollback) {
		t.Errorf("rollback accepted: %v", err)
	}
}

// TestVerifyWithTrustList covers the trust-list outcomes in the §7.4
// order with an injected clock.
func TestVerifyWithTrustList(t *testing.T) {
	dev := testKey(t, 1)
	s, err := Sign(dev, fixtureReport(t).Claims(2, 90*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	now := issued.Add(time.Hour)
	cases := []struct {
		name   string
		mutate func(tl *TrustList)
		at     time.Time
		want   Status
		claims bool
		stale  bool
	}{
		{"active", func(*TrustList) {}, now, StatusValid, true, false},
		{"compromised", func(tl *TrustList) { tl.Keys[0].Status = KeyCompromised }, now, StatusKeyCompromised, false, false},
		{"retired inside window", func(tl *TrustList) {
			tl.Keys[0].Status, tl.Keys[0].SignTo = KeyRetired, issued.Add(time.Second)
		}, now, StatusValid, true, false},
		{"retired before iat", func(tl *TrustList) {
			tl.Keys[0].Status, tl.Keys[0].SignTo = KeyRetired, issued.Add(-time.Second)
		}, now, StatusKeyOutOfWindow, false, false},
		{"iat before sign_from", func(tl *TrustList) { tl.Keys[0].SignFrom = issued.Add(time.Second) }, now, StatusKeyOutOfWindow, false, false},
		{"sign_to boundary", func(tl *TrustList) { tl.Keys[0].SignTo = issued }, now, StatusValid, true, false},
		{"revoked", func(tl *TrustList) { tl.Revoked = [][16]byte{RevokedHash(s.Claims.ReportID)} }, now, StatusReportRevoked, true, false},
		{"other report revoked", func(tl *TrustList) { tl.Revoked = [][16]byte{RevokedHash("620102K1-20260115-000043")} }, now, StatusValid, true, false},
		{"revoked and expired", func(tl *TrustList) { tl.Revoked = [][16]byte{RevokedHash(s.Claims.ReportID)} }, issued.Add(100 * 24 * time.Hour), StatusReportRevoked, true, true},
		{"compromised and out of window", func(tl *TrustList) {
			tl.Keys[0].Status, tl.Keys[0].SignFrom = KeyCompromised, issued.Add(time.Hour)
		}, now, StatusKeyCompromised, false, false},
		{"stale list", func(*TrustList) {}, issued.Add(40 * 24 * time.Hour), StatusValid, true, true},
		{"key not listed", func(tl *TrustList) { tl.Keys[0].Public = pubOf(testKey(t, 2)) }, now, StatusUnknownKey, false, false},
	}
	root := testKey(t, 100)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tl := fixtureList(t, 3)
			c.mutate(tl)
			loaded, err := LoadTrustList(signList(t, tl, root), []ed25519.PublicKey{pubOf(root)}, 0)
			if err != nil {
				t.Fatal(err)
			}
			r := Verify(s.Text, loaded.KeySet(), c.at)
			if r.Status != c.want || r.ExitCode != c.want.ExitCode() {
				t.Fatalf("status %s (%d) detail %q, want %s", r.Status, r.ExitCode, r.Detail, c.want)
			}
			if (r.Claims != nil) != c.claims {
				t.Errorf("claims shown = %v, want %v", r.Claims != nil, c.claims)
			}
			stale := len(r.Warnings) == 1 && r.Warnings[0].Code == WarnTrustListStale && r.Warnings[0].MessageZH != ""
			if stale != c.stale {
				t.Errorf("warnings %+v, want stale=%v", r.Warnings, c.stale)
			}
			if r.TrustListSeq != 3 {
				t.Errorf("trust list seq %d", r.TrustListSeq)
			}
			if c.want == StatusValid && (r.Office != "兰州市城关区发展和改革局" || r.OfficeCode != "620102") {
				t.Errorf("office %q %q", r.Office, r.OfficeCode)
			}
		})
	}
	codes := map[Status]int{StatusKeyCompromised: 22, StatusKeyOutOfWindow: 23, StatusReportRevoked: 25}
	for st, code := range codes {
		if st.ExitCode() != code {
			t.Errorf("%s exit %d, want %d", st, st.ExitCode(), code)
		}
	}
}

// TestVerifyTrustListKidCollision: two listed keys share a kid; the one
// whose signature verifies decides the status.
func TestVerifyTrustListKidCollision(t *testing.T) {
	dev, other := testKey(t, 1), testKey(t, 2)
	s, err := Sign(dev, fixtureReport(t).Claims(2, 90*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	tl := fixtureList(t, 1)
	tl.Keys = append([]ListKey{{Public: pubOf(other), OfficeName: "compromised twin", Status: KeyCompromised, SignFrom: tl.Keys[0].SignFrom}}, tl.Keys...)
	ks := tl.KeySet()
	ks.keys[0].KID = ks.keys[1].KID // force the collision
	if r := Verify(s.Text, ks, issued.Add(time.Hour)); r.Status != StatusValid || r.Office != "兰州市城关区发展和改革局" {
		t.Fatalf("status %s office %q", r.Status, r.Office)
	}
}

func FuzzLoadTrustList(f *testing.F) {
	root := testKey(f, 100)
	tl := fixtureList(f, 2)
	tl.Revoked = [][16]byte{RevokedHash("x")}
	tl.NextRoot = pubOf(testKey(f, 101))
	f.Add(signList(f, tl, root))
	f.Add(tl.Marshal())
	f.Add([]byte{0x83, 0x40, 0x40, 0x40})
	roots := []ed25519.PublicKey{pubOf(root)}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, err := LoadTrustList(b, roots, 0); err == nil && got.Root == nil {
			t.Fatal("loaded without a root")
		}
		if d, err := ParseTrustList(b); err == nil {
			if _, err := ParseTrustListDraft(d.Marshal()); err != nil {
				t.Fatalf("re-encoding a parsed list fails: %v", err)
			}
		}
	})
}

func TestCheckSigner(t *testing.T) {
	dev := pubOf(testKey(t, 1))
	cases := []struct {
		name   string
		mutate func(tl *TrustList)
		at     time.Time
		ok     bool
	}{
		{"active", func(*TrustList) {}, issued, true},
		{"not listed", func(tl *TrustList) { tl.Keys = nil }, issued, false},
		{"compromised", func(tl *TrustList) { tl.Keys[0].Status = KeyCompromised }, issued, false},
		{"retired", func(tl *TrustList) { tl.Keys[0].Status, tl.Keys[0].SignTo = KeyRetired, issued.Add(time.Hour) }, issued, false},
		{"before window", func(tl *TrustList) { tl.Keys[0].SignFrom = issued.Add(time.Second) }, issued, false},
		{"after window", func(tl *TrustList) { tl.Keys[0].SignTo = issued.Add(-time.Second) }, issued, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tl := fixtureList(t, 1)
			c.mutate(tl)
			err := tl.CheckSigner(dev, c.at)
			if (err == nil) != c.ok {
				t.Fatalf("CheckSigner = %v, want ok=%v", err, c.ok)
			}
			if err != nil && (credit.ErrorCode(err) != credit.EUNAUTHORIZED || credit.ErrorMessage(err) == "") {
				t.Errorf("error %v is not a user-facing credit.Error", err)
			}
		})
	}
}
