-- IF NOT EXISTS throughout: a database rolled back to an older schema
-- version by hand still carries these tables.
-- Working-day calendar data the platform sent, signed (issue #5): the
-- newest version of each update ("year:2027", "counties"). data is the
-- checked content (a holiday-cn file or a county file), signed the bytes
-- as received.
CREATE TABLE IF NOT EXISTS calendar_updates (
	id       TEXT PRIMARY KEY,
	kind     TEXT NOT NULL,
	version  INTEGER NOT NULL,
	data     BLOB NOT NULL,
	signed   BLOB NOT NULL,
	saved_at INTEGER NOT NULL
);

-- Local days off a supervisor added at the office (domain.md §7.2: Eid,
-- Tibetan New Year … set by local notices each year).
CREATE TABLE IF NOT EXISTS calendar_local_days (
	date     TEXT PRIMARY KEY,   -- 2006-01-02, China time
	name     TEXT NOT NULL,
	county   TEXT NOT NULL,
	added_by TEXT NOT NULL,
	added_at INTEGER NOT NULL
);

-- Every edit of the local days off, append-only: who, when, what.
CREATE TABLE IF NOT EXISTS calendar_audit (
	seq    INTEGER PRIMARY KEY AUTOINCREMENT,
	at     INTEGER NOT NULL,
	clerk  TEXT NOT NULL,
	action TEXT NOT NULL CHECK (action IN ('add', 'remove')),
	county TEXT NOT NULL,
	date   TEXT NOT NULL,
	name   TEXT NOT NULL
);

-- Applications whose stored deadlines were counted over a year without a
-- holiday notice (provisional = 1), as of the last recount.
CREATE TABLE IF NOT EXISTS deadline_marks (
	application_id TEXT PRIMARY KEY,
	provisional    INTEGER NOT NULL,
	counted_at     INTEGER NOT NULL
);
