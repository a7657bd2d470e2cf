//go:build linux

package lazyfs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// node is a loopback node whose regular files keep their writes in
// memory until fsync. Names (create, unlink, rename, mkdir) pass through
// to the backing directory at once, as in LazyFS: a crash loses data,
// never a directory entry.
type node struct {
	fs.LoopbackNode
	lfs *FS
}

var (
	_ fs.NodeOpener         = (*node)(nil)
	_ fs.NodeCreater        = (*node)(nil)
	_ fs.NodeGetattrer      = (*node)(nil)
	_ fs.NodeStatxer        = (*node)(nil)
	_ fs.NodeSetattrer      = (*node)(nil)
	_ fs.NodeFsyncer        = (*node)(nil)
	_ fs.NodeUnlinker       = (*node)(nil)
	_ fs.NodeRenamer        = (*node)(nil)
	_ fs.NodeCopyFileRanger = (*node)(nil)
	_ fs.NodeTmpfiler       = (*node)(nil)
)

// backingPath is the node's path in the backing directory.
func (n *node) backingPath() string {
	return filepath.Join(n.RootData.Path, n.Path(nil))
}

// Open opens the file's shared unsynced state; O_TRUNC truncates it
// there, not on the backing file.
func (n *node) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	st, errno := n.lfs.stateAt(n.backingPath(), false)
	if errno != 0 {
		return nil, 0, errno
	}
	if flags&syscall.O_TRUNC != 0 {
		st.truncate(n.lfs.seq.Add(1), 0)
	}
	return &handle{lfs: n.lfs, st: st}, 0, 0
}

// Create creates the file in the backing directory (the name is durable
// at once) and opens its state as Open does.
func (n *node) Create(ctx context.Context, name string, flags, mode uint32, out *fuse.EntryOut) (*fs.Inode, fs.FileHandle, uint32, syscall.Errno) {
	p := filepath.Join(n.backingPath(), name)
	_, err := os.Lstat(p)
	fresh := errors.Is(err, os.ErrNotExist)
	ch, fh, _, errno := n.LoopbackNode.Create(ctx, name, flags&^syscall.O_TRUNC, mode, out)
	if errno != 0 {
		return nil, nil, 0, errno
	}
	if r, ok := fh.(fs.FileReleaser); ok {
		r.Release(ctx) // the loopback's own descriptor; the state has one
	}
	st, errno := n.lfs.stateAt(p, fresh)
	if errno != 0 {
		return nil, nil, 0, errno
	}
	if flags&syscall.O_TRUNC != 0 {
		st.truncate(n.lfs.seq.Add(1), 0)
	}
	out.Attr.Size = uint64(st.size())
	return ch, &handle{lfs: n.lfs, st: st}, 0, 0
}

// Getattr reports the backing file's attributes with the size its users
// see.
func (n *node) Getattr(ctx context.Context, f fs.FileHandle, out *fuse.AttrOut) syscall.Errno {
	if h, ok := f.(*handle); ok {
		var st syscall.Stat_t
		if err := syscall.Fstat(int(h.st.f.Fd()), &st); err != nil {
			return fs.ToErrno(err)
		}
		out.FromStat(&st)
		out.Size = uint64(h.st.size())
		return 0
	}
	if errno := n.LoopbackNode.Getattr(ctx, nil, out); errno != 0 {
		return errno
	}
	if st := n.lfs.lookup(out.Ino); st != nil {
		out.Size = uint64(st.size())
	}
	return 0
}

// Statx is Getattr for statx(2).
func (n *node) Statx(ctx context.Context, f fs.FileHandle, flags, mask uint32, out *fuse.StatxOut) syscall.Errno {
	if errno := n.LoopbackNode.Statx(ctx, nil, flags, mask, out); errno != 0 {
		return errno
	}
	st := n.lfs.lookup(out.Ino)
	if h, ok := f.(*handle); ok {
		st = h.st
	}
	if st != nil {
		out.Size = uint64(st.size())
	}
	return 0
}

// Setattr truncates in the unsynced state (ftruncate, truncate) and
// passes mode, owner and times through.
func (n *node) Setattr(ctx context.Context, f fs.FileHandle, in *fuse.SetAttrIn, out *fuse.AttrOut) syscall.Errno {
	if sz, ok := in.GetSize(); ok {
		st, errno := n.state(f)
		if errno != 0 {
			return errno
		}
		st.truncate(n.lfs.seq.Add(1), int64(sz))
		rest := *in
		rest.Valid &^= fuse.FATTR_SIZE
		in = &rest
	}
	if errno := n.LoopbackNode.Setattr(ctx, nil, in, out); errno != 0 {
		return errno
	}
	return n.Getattr(ctx, f, out)
}

// state is the file's state through its handle, or by its path.
func (n *node) state(f fs.FileHandle) (*fileState, syscall.Errno) {
	if h, ok := f.(*handle); ok {
		return h.st, 0
	}
	return n.lfs.stateAt(n.backingPath(), false)
}

// Fsync makes a file's writes durable (fsync and fdatasync alike). On a
// directory it has nothing to do: names are durable at once.
func (n *node) Fsync(ctx context.Context, f fs.FileHandle, flags uint32) syscall.Errno {
	h, ok := f.(*handle)
	if !ok {
		return 0
	}
	if n.lfs.crashed.Load() {
		return syscall.EIO // the power is off: nothing reaches the disk
	}
	if err := h.st.sync(); err != nil {
		n.lfs.log.Error("lazyfs: fsync", "err", err)
		return syscall.EIO
	}
	n.lfs.syncs.Add(1)
	return 0
}

// Unlink forgets the state of a file losing its last name, so that a
// new file reusing its backing inode number starts clean.
func (n *node) Unlink(ctx context.Context, name string) syscall.Errno {
	n.lfs.forgetLast(filepath.Join(n.backingPath(), name))
	return n.LoopbackNode.Unlink(ctx, name)
}

// Rename forgets the state of a file the rename replaces (its last
// name); the renamed file keeps its own.
func (n *node) Rename(ctx context.Context, name string, newParent fs.InodeEmbedder, newName string, flags uint32) syscall.Errno {
	if np, ok := newParent.(*node); ok && flags&fs.RENAME_EXCHANGE == 0 {
		n.lfs.forgetLast(filepath.Join(np.backingPath(), newName))
	}
	return n.LoopbackNode.Rename(ctx, name, newParent, newName, flags)
}

// CopyFileRange is refused, so the kernel copies through Read and Write.
func (n *node) CopyFileRange(context.Context, fs.FileHandle, uint64, *fs.Inode, fs.FileHandle, uint64, uint64, uint64) (uint32, syscall.Errno) {
	return 0, syscall.ENOSYS
}

// Tmpfile (O_TMPFILE) is not supported.
func (n *node) Tmpfile(context.Context, uint32, uint32, *fuse.EntryOut) (*fs.Inode, fs.FileHandle, uint32, syscall.Errno) {
	return nil, nil, 0, syscall.EOPNOTSUPP
}

// handle is an open file: reads and writes go to the file's state.
type handle struct {
	lfs *FS
	st  *fileState
}

var (
	_ fs.FileReader = (*handle)(nil)
	_ fs.FileWriter = (*handle)(nil)
)

// Read serves the file as its users see it: durable bytes under the
// unsynced ones.
func (h *handle) Read(ctx context.Context, buf []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	n, err := h.st.readAt(buf, off)
	if err != nil {
		h.lfs.log.Error("lazyfs: read", "err", err)
		return nil, syscall.EIO
	}
	return fuse.ReadResultData(buf[:n]), 0
}

// Write keeps data in memory until the file is synced. After a crash
// (the power is off) writes still arriving are lost.
func (h *handle) Write(ctx context.Context, data []byte, off int64) (uint32, syscall.Errno) {
	if off < 0 {
		return 0, syscall.EINVAL
	}
	if !h.lfs.crashed.Load() {
		h.st.write(h.lfs.seq.Add(1), off, data)
	}
	return uint32(len(data)), 0
}
