//go:build linux

package lazyfs

import (
	"fmt"
	"io"
	"slices"
	"sort"
)

// backing is the durable copy of a file: what survives a crash. *os.File
// is one.
type backing interface {
	io.ReaderAt
	io.WriterAt
	Truncate(size int64) error
}

// extent is a run of unsynced bytes at off.
type extent struct {
	off  int64
	data []byte
}

func (e extent) end() int64 { return e.off + int64(len(e.data)) }

// overlay is one file's writes since its last fsync, over its durable
// content: a page cache of dirty ranges. The file a reader sees is the
// durable content cut at cut (bytes at or past it read as zeros: a
// truncation since the sync took them), grown or cut to size, with the
// extents laid over it.
type overlay struct {
	base int64    // the durable content's size (at the last sync)
	size int64    // the file's size as its users see it
	cut  int64    // the smallest size the file was truncated to since the sync (≤ base)
	ext  []extent // sorted by off, neither overlapping nor touching
}

func newOverlay(base int64) overlay { return overlay{base: base, size: base, cut: base} }

// dirty reports whether anything is unsynced.
func (o *overlay) dirty() bool { return len(o.ext) > 0 || o.size != o.base || o.cut != o.base }

// dirtyBytes is the number of unsynced bytes held in memory.
func (o *overlay) dirtyBytes() int64 {
	var n int64
	for _, e := range o.ext {
		n += int64(len(e.data))
	}
	return n
}

// write records p written at off (pwrite).
func (o *overlay) write(off int64, p []byte) {
	if len(p) == 0 {
		return
	}
	end := off + int64(len(p))
	// [i, j) are the extents that overlap or touch [off, end).
	i := sort.Search(len(o.ext), func(k int) bool { return o.ext[k].end() >= off })
	j := i
	for j < len(o.ext) && o.ext[j].off <= end {
		j++
	}
	o.size = max(o.size, end)
	switch {
	case i == j: // nothing touched: a new extent
		o.ext = slices.Insert(o.ext, i, extent{off: off, data: slices.Clone(p)})
	case j == i+1 && o.ext[i].off <= off: // inside or extending one extent (appends, rewrites)
		e := &o.ext[i]
		rel := off - e.off
		if end > e.end() {
			e.data = append(e.data[:rel], p...)
		} else {
			copy(e.data[rel:], p)
		}
	default: // several extents, or one starting after off: merge into one
		start, stop := min(off, o.ext[i].off), max(end, o.ext[j-1].end())
		data := make([]byte, stop-start)
		for _, e := range o.ext[i:j] {
			copy(data[e.off-start:], e.data)
		}
		copy(data[off-start:], p)
		o.ext = slices.Replace(o.ext, i, j, extent{off: start, data: data})
	}
}

// truncate records ftruncate to n bytes.
func (o *overlay) truncate(n int64) {
	i := sort.Search(len(o.ext), func(k int) bool { return o.ext[k].end() > n })
	if i < len(o.ext) && o.ext[i].off < n {
		o.ext[i].data = o.ext[i].data[:n-o.ext[i].off]
		i++
	}
	o.ext = o.ext[:i]
	o.size = n
	o.cut = min(o.cut, n)
}

// readAt reads the file as its users see it into p from off, durable
// bytes coming from b. It returns io.EOF at or past the end, as pread.
func (o *overlay) readAt(b io.ReaderAt, p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("lazyfs: read at negative offset %d", off)
	}
	if off >= o.size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), o.size-off)]
	clear(p)
	if off < o.cut {
		q := p[:min(int64(len(p)), o.cut-off)]
		if _, err := b.ReadAt(q, off); err != nil && err != io.EOF {
			return 0, fmt.Errorf("lazyfs: read durable bytes at %d: %w", off, err)
		}
	}
	end := off + int64(len(p))
	i := sort.Search(len(o.ext), func(k int) bool { return o.ext[k].end() > off })
	for _, e := range o.ext[i:] {
		if e.off >= end {
			break
		}
		lo, hi := max(e.off, off), min(e.end(), end)
		copy(p[lo-off:hi-off], e.data[lo-e.off:hi-e.off])
	}
	return len(p), nil
}

// sync makes everything durable (fsync): the truncation, the extents,
// the size; then the overlay is clean over the new content.
func (o *overlay) sync(b backing) error {
	if !o.dirty() {
		return nil
	}
	if o.cut < o.base {
		if err := b.Truncate(o.cut); err != nil {
			return fmt.Errorf("lazyfs: sync: truncate to %d: %w", o.cut, err)
		}
	}
	for _, e := range o.ext {
		if _, err := b.WriteAt(e.data, e.off); err != nil {
			return fmt.Errorf("lazyfs: sync: write %d bytes at %d: %w", len(e.data), e.off, err)
		}
	}
	if err := b.Truncate(o.size); err != nil {
		return fmt.Errorf("lazyfs: sync: size %d: %w", o.size, err)
	}
	*o = newOverlay(o.size)
	return nil
}
