//go:build linux

package lazyfs

import (
	"cmp"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
)

// sectorSize is the unit a torn write keeps: a disk persists whole
// sectors or none of one.
const sectorSize = 512

// op is one unsynced write or truncation, in the order the file system
// received it (seq), kept so a torn crash can persist a prefix of them.
type op struct {
	seq   uint64
	off   int64 // write offset, or the new size of a truncation
	data  []byte
	trunc bool
}

// fileState is one backing file's unsynced state, shared by every node
// and handle of that file (keyed by the backing inode), so that it
// outlives the kernel forgetting an inode between two opens.
type fileState struct {
	mu  sync.Mutex
	f   *os.File // the backing file, read-write
	ov  overlay
	ops []op
}

func newFileState(f *os.File) (*fileState, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("lazyfs: stat %s: %w", f.Name(), err)
	}
	return &fileState{f: f, ov: newOverlay(fi.Size())}, nil
}

func (s *fileState) write(seq uint64, off int64, p []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ov.write(off, p)
	s.ops = append(s.ops, op{seq: seq, off: off, data: slices.Clone(p)})
}

func (s *fileState) truncate(seq uint64, size int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ov.truncate(size)
	s.ops = append(s.ops, op{seq: seq, off: size, trunc: true})
}

func (s *fileState) readAt(p []byte, off int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.ov.readAt(s.f, p, off)
	if err == io.EOF {
		err = nil // a short read (0 bytes) is how FUSE says end of file
	}
	return n, err
}

func (s *fileState) size() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ov.size
}

// sync makes the file's writes durable (fsync, fdatasync).
func (s *fileState) sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ov.sync(s.f); err != nil {
		return err
	}
	s.ops = nil
	return nil
}

// CrashReport says what a crash did to the unsynced writes.
type CrashReport struct {
	Files        int   // files that had unsynced writes or truncations
	Ops          int   // unsynced writes and truncations in all
	DroppedBytes int64 // unsynced bytes held in memory, before a torn crash kept some
	KeptOps      int   // a torn crash: operations persisted whole (a prefix in arrival order)
	TornBytes    int   // a torn crash: bytes persisted of the next write (whole sectors)
}

// tear persists a seeded random prefix of the unsynced operations of
// states in arrival order, the next write cut at a sector boundary, and
// reports what it did. Whatever is not persisted is lost with the states.
func tear(states []*fileState, rng *rand.Rand) (CrashReport, error) {
	type pending struct {
		op
		s *fileState
	}
	var all []pending
	var rep CrashReport
	for _, s := range states {
		s.mu.Lock()
		if s.ov.dirty() {
			rep.Files++
			rep.DroppedBytes += s.ov.dirtyBytes()
		}
		for _, o := range s.ops {
			all = append(all, pending{o, s})
		}
		s.mu.Unlock()
	}
	rep.Ops = len(all)
	if rng == nil {
		return rep, nil
	}
	slices.SortFunc(all, func(a, b pending) int { return cmp.Compare(a.seq, b.seq) })
	rep.KeptOps = rng.IntN(len(all) + 1)
	for i, p := range all {
		if i > rep.KeptOps {
			break
		}
		data := p.data
		if i == rep.KeptOps { // the torn one: whole sectors of its start
			if p.trunc {
				break
			}
			// The cuts are the sector boundaries inside the write.
			first := int((sectorSize - p.off%sectorSize) % sectorSize)
			if first >= len(data) {
				break
			}
			rep.TornBytes = first + rng.IntN((len(data)-1-first)/sectorSize+1)*sectorSize
			data = data[:rep.TornBytes]
		}
		var err error
		if p.trunc {
			err = p.s.f.Truncate(p.off)
		} else if len(data) > 0 {
			_, err = p.s.f.WriteAt(data, p.off)
		}
		if err != nil {
			return rep, fmt.Errorf("lazyfs: torn crash: persist op %d of %s: %w", p.seq, p.s.f.Name(), err)
		}
	}
	return rep, nil
}
