//go:build linux

package lazyfs

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// memBacking is a backing file in memory.
type memBacking struct{ b []byte }

func (m *memBacking) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(m.b)) {
		return 0, io.EOF
	}
	n := copy(p, m.b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (m *memBacking) WriteAt(p []byte, off int64) (int, error) {
	if end := off + int64(len(p)); end > int64(len(m.b)) {
		m.b = append(m.b, make([]byte, end-int64(len(m.b)))...)
	}
	return copy(m.b[off:], p), nil
}

func (m *memBacking) Truncate(n int64) error {
	if n <= int64(len(m.b)) {
		m.b = m.b[:n]
	} else {
		m.b = append(m.b, make([]byte, n-int64(len(m.b)))...)
	}
	return nil
}

// model is the simple truth the overlay is checked against: the file as
// its users see it, and the durable bytes, both whole.
type model struct{ live, durable []byte }

func (m *model) write(off int64, p []byte) {
	if len(p) == 0 {
		return // pwrite of nothing does not grow a file
	}
	if end := off + int64(len(p)); end > int64(len(m.live)) {
		m.live = append(m.live, make([]byte, end-int64(len(m.live)))...)
	}
	copy(m.live[off:], p)
}

func (m *model) truncate(n int64) {
	if n <= int64(len(m.live)) {
		m.live = m.live[:n]
	} else {
		m.live = append(m.live, make([]byte, n-int64(len(m.live)))...)
	}
}

// runOps decodes ops into writes, truncations, reads, syncs and crashes,
// runs them on an overlay and on the model, and fails at the first
// difference. Each op is 4 bytes: kind, offset, length, fill.
func runOps(t *testing.T, initial, ops []byte) {
	t.Helper()
	b := &memBacking{b: slices.Clone(initial)}
	m := &model{live: slices.Clone(initial), durable: slices.Clone(initial)}
	o := newOverlay(int64(len(initial)))
	for i := 0; i+4 <= len(ops); i += 4 {
		kind, off, n, fill := ops[i]%6, int64(ops[i+1]), int(ops[i+2]%80), ops[i+3]
		what := fmt.Sprintf("op %d (kind %d off %d n %d)", i/4, kind, off, n)
		switch kind {
		case 0, 1: // write
			p := bytes.Repeat([]byte{fill}, n)
			for k := range p {
				p[k] += byte(k)
			}
			o.write(off, p)
			m.write(off, p)
		case 2: // truncate
			o.truncate(off)
			m.truncate(off)
		case 3: // sync
			if err := o.sync(b); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			m.durable = slices.Clone(m.live)
			if !bytes.Equal(b.b, m.durable) {
				t.Fatalf("%s: durable after sync\n got %v\nwant %v", what, b.b, m.durable)
			}
			if o.dirty() {
				t.Fatalf("%s: dirty after sync", what)
			}
		case 4: // crash: the unsynced state is lost
			o = newOverlay(int64(len(b.b)))
			m.live = slices.Clone(m.durable)
		case 5: // a read at an offset
			p := make([]byte, n)
			got, err := o.readAt(b, p, off)
			want := 0
			if off < int64(len(m.live)) {
				want = min(n, len(m.live)-int(off))
			}
			if got != want || (err == io.EOF) != (off >= int64(len(m.live))) {
				t.Fatalf("%s: read %d bytes, err %v; want %d bytes", what, got, err, want)
			}
			if got > 0 && !bytes.Equal(p[:got], m.live[off:off+int64(got)]) {
				t.Fatalf("%s: read %v, want %v", what, p[:got], m.live[off:off+int64(got)])
			}
		}
		checkOverlay(t, what, o, b, m)
	}
}

// checkOverlay compares the whole file and the overlay's invariants.
func checkOverlay(t *testing.T, what string, o overlay, b *memBacking, m *model) {
	t.Helper()
	if o.size != int64(len(m.live)) {
		t.Fatalf("%s: size %d, want %d", what, o.size, len(m.live))
	}
	all := make([]byte, o.size+7)
	n, _ := o.readAt(b, all, 0)
	if !bytes.Equal(all[:n], m.live) {
		t.Fatalf("%s: content\n got %v\nwant %v", what, all[:n], m.live)
	}
	for k, e := range o.ext {
		if len(e.data) == 0 || e.end() > o.size || (k > 0 && o.ext[k-1].end() >= e.off) {
			t.Fatalf("%s: extents %d: %+v not sorted, apart, non-empty and within the size", what, k, o.ext)
		}
	}
	if o.cut > o.base || !bytes.Equal(b.b, m.durable) {
		t.Fatalf("%s: cut %d base %d, durable bytes changed before a sync", what, o.cut, o.base)
	}
}

// TestOverlayModel runs seeded random operation sequences against the
// model, and a few written out by hand.
func TestOverlayModel(t *testing.T) {
	tests := []struct {
		name         string
		initial, ops []byte
	}{
		{"append then sync", nil, []byte{0, 0, 10, 1, 0, 10, 10, 2, 3, 0, 0, 0}},
		{"overwrite inside durable", []byte("0123456789"), []byte{0, 3, 4, 9, 5, 0, 20, 0}},
		{"write past end leaves a zero hole", []byte("abc"), []byte{0, 40, 5, 7, 5, 0, 79, 0, 3, 0, 0, 0}},
		{"truncate then grow reads zeros", []byte("abcdefgh"), []byte{2, 2, 0, 0, 0, 6, 2, 1, 5, 0, 9, 0}},
		{"truncate then crash restores", []byte("abcdefgh"), []byte{2, 1, 0, 0, 4, 0, 0, 0, 5, 0, 9, 0}},
		{"merge across extents", nil, []byte{0, 0, 4, 1, 0, 10, 4, 2, 0, 20, 4, 3, 0, 2, 20, 4, 3, 0, 0, 0}},
		{"write touching the next extent", nil, []byte{0, 10, 4, 1, 0, 6, 4, 2, 0, 14, 1, 3}},
		{"truncate inside an extent", nil, []byte{0, 0, 40, 1, 2, 13, 0, 0, 0, 20, 3, 5, 3, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runOps(t, tt.initial, tt.ops) })
	}
	rng := rand.New(rand.NewPCG(3, 14))
	for i := range 300 {
		ops := make([]byte, 4*(1+rng.IntN(40)))
		for k := range ops {
			ops[k] = byte(rng.UintN(256))
		}
		initial := bytes.Repeat([]byte{'d'}, rng.IntN(100))
		t.Run(fmt.Sprint("random", i), func(t *testing.T) { runOps(t, initial, ops) })
	}
}

// FuzzOverlay checks the dirty-range bookkeeping against the model on
// any operation sequence.
func FuzzOverlay(f *testing.F) {
	f.Add(uint8(0), []byte{0, 0, 10, 1, 3, 0, 0, 0})
	f.Add(uint8(50), []byte{2, 10, 0, 0, 0, 30, 9, 2, 4, 0, 0, 0, 5, 5, 20, 0})
	f.Add(uint8(7), []byte{0, 250, 79, 255, 2, 0, 0, 0, 0, 3, 3, 3})
	f.Fuzz(func(t *testing.T, initial uint8, ops []byte) {
		if len(ops) > 4*200 {
			ops = ops[:4*200]
		}
		runOps(t, bytes.Repeat([]byte{'d'}, int(initial)), ops)
	})
}

// TestTear checks a torn crash on real files: it persists exactly the
// first KeptOps operations in arrival order and whole sectors of the
// next write, and the same seed tears the same way.
func TestTear(t *testing.T) {
	run := func(seed uint64) ([]byte, []byte, CrashReport) {
		dir := t.TempDir()
		var states []*fileState
		for _, name := range []string{"a", "b"} {
			f, err := os.Create(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			s, err := newFileState(f)
			if err != nil {
				t.Fatal(err)
			}
			states = append(states, s)
		}
		var seq uint64
		for i := range 40 {
			p := make([]byte, 700) // not a sector multiple: tears fall inside
			binary.BigEndian.PutUint32(p, uint32(i+1))
			seq++
			states[i%2].write(seq, int64(i/2)*700, p)
		}
		rep, err := tear(states, rand.New(rand.NewPCG(seed, 1)))
		if err != nil {
			t.Fatal(err)
		}
		a, _ := os.ReadFile(filepath.Join(dir, "a"))
		b, _ := os.ReadFile(filepath.Join(dir, "b"))
		return a, b, rep
	}
	for seed := range uint64(8) {
		a, b, rep := run(seed)
		if rep.Ops != 40 || rep.Files != 2 || rep.DroppedBytes != 40*700 {
			t.Fatalf("seed %d: report %+v, want 40 ops over 2 files, 28000 bytes", seed, rep)
		}
		// Op i (0-based) went to file i%2 at (i/2)*700: the first KeptOps
		// are whole, the next one is cut to TornBytes.
		wantLen := func(file int) int {
			n := 0
			for i := file; i < 40; i += 2 {
				switch {
				case i < rep.KeptOps:
					n = (i/2 + 1) * 700
				case i == rep.KeptOps && rep.TornBytes > 0:
					n = i/2*700 + rep.TornBytes
				}
			}
			return n
		}
		if len(a) != wantLen(0) || len(b) != wantLen(1) {
			t.Fatalf("seed %d (%+v): files of %d and %d bytes, want %d and %d", seed, rep, len(a), len(b), wantLen(0), wantLen(1))
		}
		if rep.TornBytes > 0 && (rep.KeptOps/2*700+rep.TornBytes)%sectorSize != 0 {
			t.Errorf("seed %d: torn write cut at %d, not a sector boundary", seed, rep.TornBytes)
		}
		if a2, b2, rep2 := run(seed); rep2 != rep || !bytes.Equal(a, a2) || !bytes.Equal(b, b2) {
			t.Errorf("seed %d: a second torn crash with the same seed differs: %+v vs %+v", seed, rep, rep2)
		}
	}
}
