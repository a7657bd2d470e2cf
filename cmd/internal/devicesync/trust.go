package devicesync

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
)

// TrustStore keeps the one trust list a device holds and the root keys
// it came to trust by rotation (store.DB).
type TrustStore interface {
	TrustList(ctx context.Context) (seq uint64, signed []byte, err error)
	SaveTrustList(ctx context.Context, seq uint64, signed []byte) (bool, error)
	AddTrustRoot(ctx context.Context, pub []byte) error
	TrustRoots(ctx context.Context) ([][]byte, error)
}

// Trust keeps a device's trust list: every list that arrives (through
// sync, in a snapshot or from a file) is checked against the configured
// root keys (and the next root the held list names), a rollback is
// refused, and the list is stored before it is used. KeySet hands the
// verifier the newest list. It implements syncclient.TrustListSink and is
// safe for concurrent use.
type Trust struct {
	store    TrustStore
	roots    []ed25519.PublicKey
	fallback report.KeySet
	log      *slog.Logger

	mu  sync.Mutex // one save at a time; guards cur and set
	cur *report.TrustList
	set report.KeySet // cur.KeySet()
}

// NewTrust returns a Trust over store that accepts lists signed by roots.
// Until a list is held, KeySet returns fallback (the device's own key, or
// a key file). It does no I/O: call Open.
func NewTrust(store TrustStore, roots []ed25519.PublicKey, fallback report.KeySet, log *slog.Logger) *Trust {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Trust{store: store, roots: roots, fallback: fallback, log: log}
}

// Open loads the roots kept by rotation and the held list, checking it
// again with the roots. A held list the roots no longer accept (they
// were changed) is logged and not used.
func (t *Trust) Open(ctx context.Context) error {
	rotated, err := t.store.TrustRoots(ctx)
	if err != nil {
		return fmt.Errorf("devicesync: open trust roots: %w", err)
	}
	t.mu.Lock()
	for _, pub := range rotated {
		t.addRoot(pub)
	}
	t.mu.Unlock()
	_, held, err := t.store.TrustList(ctx)
	if err != nil {
		return fmt.Errorf("devicesync: open trust list: %w", err)
	}
	if held == nil {
		return nil
	}
	t.mu.Lock()
	roots := t.roots
	t.mu.Unlock()
	tl, err := report.LoadTrustList(held, roots, 0)
	if err != nil {
		t.log.Warn("held trust list not accepted by the root keys; waiting for a new one", "err", err)
		return nil
	}
	t.mu.Lock()
	t.cur, t.set = tl, tl.KeySet()
	t.mu.Unlock()
	t.log.Info("trust list loaded", "seq", tl.Seq, "keys", len(tl.Keys), "revoked", len(tl.Revoked))
	return nil
}

// SaveTrustList checks signed and stores it in place of the held list
// (syncclient.TrustListSink). A list the roots did not sign, or a
// malformed one, is EINVALID; an older one ECONFLICT. The held list again
// changes nothing.
func (t *Trust) SaveTrustList(ctx context.Context, signed []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	seq, held, err := t.store.TrustList(ctx)
	if err != nil {
		return fmt.Errorf("devicesync: trust list: %w", err)
	}
	trusted := t.roots
	if held != nil {
		if cur, err := report.LoadTrustList(held, t.roots, 0); err == nil && cur.NextRoot != nil {
			trusted = append(append([]ed25519.PublicKey(nil), t.roots...), cur.NextRoot)
		}
	}
	tl, err := report.LoadTrustList(signed, trusted, seq)
	switch {
	case errors.Is(err, report.ErrTrustListRollback):
		return credit.Errorf(credit.ECONFLICT, "拒绝回退：该信任列表比已保存的旧。", "Rollback refused: %v", err)
	case err != nil:
		return credit.Errorf(credit.EINVALID, "信任列表无效。", "The trust list was refused: %v", err)
	}
	// Root rotation (reports.md §6 next_root_spki): the root that signed
	// it is kept before the list, so a restart accepts its later lists.
	if !hasRoot(t.roots, tl.Root) {
		if err := t.store.AddTrustRoot(ctx, tl.Root); err != nil {
			return fmt.Errorf("devicesync: keep rotated root: %w", err)
		}
		t.addRoot(tl.Root)
		t.log.Info("trust list signed by the next root; root kept", "seq", tl.Seq)
	}
	if _, err := t.store.SaveTrustList(ctx, tl.Seq, signed); err != nil {
		return err // ECONFLICT for another list under the held seq
	}
	if t.cur == nil || tl.Seq != t.cur.Seq {
		t.log.Info("trust list kept", "seq", tl.Seq, "keys", len(tl.Keys), "revoked", len(tl.Revoked))
	}
	t.cur, t.set = tl, tl.KeySet()
	return nil
}

// addRoot trusts pub (32 bytes) from now on; t.mu is held.
func (t *Trust) addRoot(pub []byte) {
	if len(pub) == ed25519.PublicKeySize && !hasRoot(t.roots, pub) {
		t.roots = append(slices.Clip(t.roots), ed25519.PublicKey(pub))
	}
}

func hasRoot(roots []ed25519.PublicKey, pub ed25519.PublicKey) bool {
	return slices.ContainsFunc(roots, func(r ed25519.PublicKey) bool { return r.Equal(pub) })
}

// KeySet is the newest held list's view for the verifier, or the
// fallback while none is held.
func (t *Trust) KeySet() report.KeySet {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cur == nil {
		return t.fallback
	}
	return t.set
}

// Seq is the held list's seq; ok is false while none is held.
func (t *Trust) Seq() (seq uint64, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cur == nil {
		return 0, false
	}
	return t.cur.Seq, true
}

// LoadRoots reads root public keys (report.ParsePublicKeys) from path.
func LoadRoots(path string) ([]ed25519.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read root keys: %w", err)
	}
	roots, err := report.ParsePublicKeys(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return roots, nil
}

// CheckSigner says whether the held list lets the device key pub sign at
// at (report.TrustList.CheckSigner); nil while no list is held.
func (t *Trust) CheckSigner(pub ed25519.PublicKey, at time.Time) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cur == nil {
		return nil
	}
	return t.cur.CheckSigner(pub, at)
}

// Signer wraps the device's signing key so that it refuses to sign while
// the held list says the key may not: not listed, retired, compromised or
// outside its window (reports.md §6: a terminal does not issue what no
// verifier would accept). The refusal is an EUNAUTHORIZED *credit.Error
// for the person at the terminal. now is time.Now when nil.
func (t *Trust) Signer(priv ed25519.PrivateKey, now func() time.Time) crypto.Signer {
	if now == nil {
		now = time.Now
	}
	return guardedSigner{priv: priv, trust: t, now: now}
}

type guardedSigner struct {
	priv  ed25519.PrivateKey
	trust *Trust
	now   func() time.Time
}

func (g guardedSigner) Public() crypto.PublicKey { return g.priv.Public() }

func (g guardedSigner) Sign(rand io.Reader, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	if err := g.trust.CheckSigner(g.priv.Public().(ed25519.PublicKey), g.now()); err != nil {
		return nil, err
	}
	return g.priv.Sign(rand, msg, opts)
}
