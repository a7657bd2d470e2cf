//go:build linux

package lazyfs

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestMountModel runs seeded random pwrites, ftruncates, fsyncs,
// fdatasyncs and crashes on three files through the mount and checks
// each file, after every step, against the model of overlay_test.go:
// the mount shows every write; a crash leaves exactly what was synced.
func TestMountModel(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			l, _, mnt := mountT(t, seed)
			rng := rand.New(rand.NewPCG(seed, 99))
			names := []string{"db", "db-wal", "db-journal"}
			models := make([]*model, len(names))
			files := make([]*os.File, len(names))
			for i := range names {
				models[i] = &model{}
			}
			get := func(i int) *os.File {
				if files[i] == nil {
					f, err := os.OpenFile(filepath.Join(mnt, names[i]), os.O_RDWR|os.O_CREATE, 0o600)
					if err != nil {
						t.Fatal(err)
					}
					files[i] = f
				}
				return files[i]
			}
			for step := range 150 {
				i := rng.IntN(len(names))
				f, m := get(i), models[i]
				switch op := rng.IntN(10); {
				case op < 5:
					p := make([]byte, 1+rng.IntN(9000))
					for k := range p {
						p[k] = byte(rng.UintN(256))
					}
					off := rng.Int64N(20000)
					if _, err := f.WriteAt(p, off); err != nil {
						t.Fatal(err)
					}
					m.write(off, p)
				case op == 5:
					n := rng.Int64N(16000)
					if err := f.Truncate(n); err != nil {
						t.Fatal(err)
					}
					m.truncate(n)
				case op == 6:
					if err := f.Sync(); err != nil {
						t.Fatal(err)
					}
					m.durable = bytes.Clone(m.live)
				case op == 7:
					if err := unix.Fdatasync(int(f.Fd())); err != nil {
						t.Fatal(err)
					}
					m.durable = bytes.Clone(m.live)
				case op == 8:
					for k, f := range files {
						if f != nil {
							f.Close()
							files[k] = nil
						}
					}
					if _, err := l.Crash(t.Context(), false); err != nil {
						t.Fatal(err)
					}
					for _, m := range models {
						m.live = bytes.Clone(m.durable)
					}
				}
				for k, name := range names {
					b, err := os.ReadFile(filepath.Join(mnt, name))
					if err != nil && !errors.Is(err, os.ErrNotExist) {
						t.Fatal(err)
					}
					if !bytes.Equal(b, models[k].live) {
						t.Fatalf("step %d: %s holds %d bytes, the model %d (or they differ)", step, name, len(b), len(models[k].live))
					}
				}
			}
			for _, f := range files {
				if f != nil {
					f.Close()
				}
			}
		})
	}
}
