//go:build linux

package lazyfs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// ErrUnavailable reports that FUSE cannot be mounted here (no
// /dev/fuse, not root, no FUSE in the kernel).
var ErrUnavailable = errors.New("lazyfs: FUSE unavailable")

// Options configure an FS.
type Options struct {
	// Seed seeds torn crashes (the prefix kept and where its last write
	// tears).
	Seed uint64
	// Log receives operational errors (it never sees file data).
	Log *slog.Logger
}

// FS is a lazy file system over a backing directory, mounted at a mount
// point, served by this process. Its methods are safe for concurrent use.
// This process must not mmap files on the mount (SQLite mmaps its -shm
// file): use Proc, which serves the mount from a child process.
type FS struct {
	backing, mnt string
	log          *slog.Logger
	rng          *rand.Rand

	mountMu sync.Mutex // serialises Mount, Unmount and Crash
	mu      sync.Mutex // guards the fields below; never held while unmounting
	server  *fuse.Server
	files   map[uint64]*fileState // open states by backing inode number
	all     []*fileState          // every state of this mount, to close at unmount

	seq     atomic.Uint64 // orders writes and truncations (torn crashes)
	crashed atomic.Bool   // the power is off: writes are lost, fsync fails
	syncs   atomic.Int64  // fsyncs that reached the backing files
}

// New returns an FS that will mount backing at mnt. Both must be
// existing directories. It does no I/O.
func New(backing, mnt string, opts Options) *FS {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &FS{backing: backing, mnt: mnt, log: log, rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))}
}

// Mountpoint is where the file system is (to be) mounted.
func (l *FS) Mountpoint() string { return l.mnt }

// Syncs counts the fsyncs that reached the backing files since New.
func (l *FS) Syncs() int64 { return l.syncs.Load() }

// Available reports why FUSE cannot be mounted here, or nil if it can
// be tried: /dev/fuse must be there and the process root.
func Available() error {
	if _, err := os.Stat("/dev/fuse"); err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("%w: mount(2) needs root (no fusermount helper is used)", ErrUnavailable)
	}
	return nil
}

// Mount mounts the file system and serves it until Unmount or Crash.
func (l *FS) Mount(ctx context.Context) error {
	if err := Available(); err != nil {
		return err
	}
	l.mountMu.Lock()
	defer l.mountMu.Unlock()
	return l.mount(ctx)
}

func (l *FS) mount(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.server != nil {
		return fmt.Errorf("lazyfs: mount %s: already mounted", l.mnt)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("lazyfs: mount %s: %w", l.mnt, err)
	}
	var st syscall.Stat_t
	if err := syscall.Stat(l.backing, &st); err != nil {
		return fmt.Errorf("lazyfs: mount %s: backing directory: %w", l.mnt, err)
	}
	root := &fs.LoopbackRoot{Path: l.backing, Dev: uint64(st.Dev)}
	root.NewNode = func(r *fs.LoopbackRoot, _ *fs.Inode, _ string, _ *syscall.Stat_t) fs.InodeEmbedder {
		return &node{LoopbackNode: fs.LoopbackNode{RootData: r}, lfs: l}
	}
	root.RootNode = root.NewNode(root, nil, "", &st)
	timeout := time.Second
	server, err := fs.Mount(l.mnt, root.RootNode, &fs.Options{
		EntryTimeout: &timeout, AttrTimeout: &timeout,
		MountOptions: fuse.MountOptions{
			FsName: "lazyfs", Name: "lazyfs", DirectMountStrict: true,
			DisableXAttrs: true, MaxBackground: 16,
		},
	})
	if err != nil {
		if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.ENODEV) || errors.Is(err, syscall.ENOENT) {
			return fmt.Errorf("%w: mount %s: %v", ErrUnavailable, l.mnt, err)
		}
		return fmt.Errorf("lazyfs: mount %s: %w", l.mnt, err)
	}
	l.server, l.files, l.all = server, map[uint64]*fileState{}, nil
	l.crashed.Store(false)
	return nil
}

// Unmount syncs nothing: it unmounts (a clean shutdown would fsync
// first) and closes the backing files, leaving unsynced writes
// unwritten. It waits for files still open on the mount to close.
func (l *FS) Unmount() error {
	l.mountMu.Lock()
	defer l.mountMu.Unlock()
	return l.unmount()
}

// unmount unmounts without holding l.mu: requests still being answered
// may need it.
func (l *FS) unmount() error {
	l.mu.Lock()
	server := l.server
	l.mu.Unlock()
	if server == nil {
		return nil
	}
	var err error
	for try := 0; ; try++ {
		// Server.Unmount retries a busy mount for about 0.3 s.
		if err = server.Unmount(); err == nil || !errors.Is(err, syscall.EBUSY) || try == 20 {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("lazyfs: unmount %s: %w", l.mnt, err)
	}
	server.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.all {
		if cerr := s.f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("lazyfs: unmount %s: close backing file: %w", l.mnt, cerr)
		}
	}
	l.server, l.files, l.all = nil, nil, nil
	return err
}

// Crash cuts the power: every write and truncation not fsynced since is
// lost (with torn, a seeded prefix of them in arrival order is persisted
// first, its last write cut at a sector boundary). Then the backing
// directory is mounted again, as the disk a rebooted machine finds.
// Processes using the mount must have exited (killed) before.
func (l *FS) Crash(ctx context.Context, torn bool) (CrashReport, error) {
	l.mountMu.Lock()
	defer l.mountMu.Unlock()
	l.crashed.Store(true)
	var rng *rand.Rand
	if torn {
		rng = l.rng
	}
	l.mu.Lock()
	rep, err := tear(l.all, rng)
	l.mu.Unlock()
	if err == nil {
		err = l.unmount()
	}
	if err != nil {
		return rep, fmt.Errorf("lazyfs: crash: %w", err)
	}
	if err := l.mount(ctx); err != nil {
		return rep, fmt.Errorf("lazyfs: crash: remount: %w", err)
	}
	return rep, nil
}

// stateAt returns the state of the file at the backing path p, opening
// it on first use; fresh drops a state left under the same inode number.
func (l *FS) stateAt(p string, fresh bool) (*fileState, syscall.Errno) {
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		return nil, fs.ToErrno(err)
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
		f.Close()
		return nil, fs.ToErrno(err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if s, ok := l.files[st.Ino]; ok && !fresh {
		f.Close()
		return s, 0
	}
	s, err := newFileState(f)
	if err != nil {
		f.Close()
		l.log.Error("lazyfs: open", "err", err)
		return nil, syscall.EIO
	}
	if l.files == nil {
		l.files = map[uint64]*fileState{}
	}
	l.files[st.Ino] = s
	l.all = append(l.all, s)
	return s, 0
}

// lookup returns the state of the backing inode ino, if one is open.
func (l *FS) lookup(ino uint64) *fileState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.files[ino]
}

// forgetLast drops the state of the file at backing path p when p is
// its last name (it is about to be unlinked or replaced). Its unsynced
// writes go with it; open handles keep reading and writing it.
func (l *FS) forgetLast(p string) {
	var st syscall.Stat_t
	if err := syscall.Lstat(p, &st); err != nil || st.Nlink > 1 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.files, st.Ino)
}
