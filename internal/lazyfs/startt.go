//go:build linux

package lazyfs

import (
	"errors"
	"testing"
)

// StartT is Start for a test: it mounts backing at mnt for t, skips t
// where FUSE cannot be mounted (ErrUnavailable), fails it on any other
// error, and unmounts when t ends (an unmount error fails t).
func StartT(t testing.TB, backing, mnt string, opts Options) *Proc {
	t.Helper()
	p, err := Start(t.Context(), backing, mnt, opts)
	if errors.Is(err, ErrUnavailable) {
		t.Skipf("power-loss file system: %v", err)
	} else if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	})
	return p
}
