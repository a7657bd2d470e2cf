-- Resync from a snapshot (sync.md §2.4): rows written by a snapshot carry
-- its generation; when the last page is in, every row of an older
-- generation is swept. ADD COLUMN with a constant default rewrites no row.
ALTER TABLE subjects ADD COLUMN resync_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN resync_gen INTEGER NOT NULL DEFAULT 0;

-- done_gen: the last completed snapshot's; target_gen: the one being
-- written (active = 1), resumable from token/after.
CREATE TABLE resync_state (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	done_gen   INTEGER NOT NULL DEFAULT 0,
	target_gen INTEGER NOT NULL DEFAULT 0,
	active     INTEGER NOT NULL DEFAULT 0,
	token      TEXT NOT NULL DEFAULT '',
	after      TEXT NOT NULL DEFAULT '',
	started_at INTEGER
);

-- Puts this version could not read (sync.md §2.3, F17): kept aside for
-- staff, never shown, removed by a del of the same id and by the sweep.
CREATE TABLE quarantine (
	type        TEXT NOT NULL,
	id          TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	version     INTEGER NOT NULL,
	reason      TEXT NOT NULL,
	data        BLOB,
	resync_gen  INTEGER NOT NULL DEFAULT 0,
	received_at INTEGER NOT NULL,
	PRIMARY KEY (type, id)
);
