package syncserver

import (
	"fmt"
	"strconv"
)

// DefaultMmapSize is the read pool's PRAGMA mmap_size when
// Options.MmapSize is 0: 2 GiB on 64-bit builds (SQLite's own ceiling,
// SQLITE_MAX_MMAP_SIZE), off on 32-bit ones, whose address space a
// mapping of the platform's database would crowd out.
//
// Why: a snapshot reads the whole database in key order. Without a
// mapping every page SQLite misses in its 2 MB cache is one pread
// system call; the 1M-record bootstrap spent ≈ 2.9 s of CPU in them
// (docs/benchmarks.md). Mapped, a page is read where the kernel's page
// cache holds it: no call, no copy. The mapping is page cache, not heap:
// it is shared by the pool's connections and the kernel reclaims it
// under memory pressure. Where the VFS cannot map (or SQLite is built
// without mmap) SQLite falls back to reads by itself. A mapped file must
// not shrink under its readers: the platform never vacuums in place
// (backups are VACUUM INTO another file, restore.go) and runs without
// auto_vacuum, so its file only grows while it serves.
const DefaultMmapSize = int64(strconv.IntSize/64) << 31

// readPoolCacheKiB is the page cache of each read connection, in KiB
// (PRAGMA cache_size = −KiB): 8 MiB, four times SQLite's default, so
// that the b-tree interior pages of the tables a snapshot walks stay
// cached between pages.
const readPoolCacheKiB = 8 << 10

// readPoolDSN is the DSN query of the read-only pool's connections.
func readPoolDSN(mmapSize int64) string {
	if mmapSize == 0 {
		mmapSize = DefaultMmapSize
	}
	dsn := fmt.Sprintf("?_pragma=busy_timeout(10000)&_pragma=query_only(1)&_pragma=cache_size(-%d)", readPoolCacheKiB)
	if mmapSize > 0 {
		dsn += fmt.Sprintf("&_pragma=mmap_size(%d)", mmapSize)
	}
	return dsn
}
