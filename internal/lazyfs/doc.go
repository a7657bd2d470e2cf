// Package lazyfs is a FUSE file system for power-loss tests (sync.md §3
// F14), after LazyFS (github.com/dsrhaslab/lazyfs): it passes through to
// a backing directory but keeps each file's writes since its last fsync
// or fdatasync in memory (a page cache of dirty ranges that reads are
// served from) and writes them to the backing file on fsync. Crash
// discards every unsynced write, as a power cut does to a disk's volatile
// cache, optionally persisting a seeded prefix of them first (a torn
// crash), then mounts the backing directory again.
//
// What it models: file data and sizes (write, pwrite at any offset,
// truncate, ftruncate, O_TRUNC) are volatile until the file is synced.
// Directory entries (create, unlink, rename, mkdir) reach the backing
// directory at once, so a directory fsync has nothing left to do; a real
// disk can lose a new name without one, this layer never does.
//
// What SQLite needs works: POSIX advisory locks (fcntl) are kept by the
// kernel itself, as the mount does not ask for FUSE lock requests, which
// is right for processes on one machine; the WAL index (-shm) is mmapped
// shared, which FUSE supports for files opened without direct I/O (the
// default here), its dirty pages reaching Write through the kernel's
// writeback.
//
// Mounting needs Linux, /dev/fuse and root (the mount is made with
// mount(2), no fusermount helper); Mount returns ErrUnavailable
// otherwise. On other systems the package is empty.
package lazyfs
