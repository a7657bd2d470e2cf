-- Initial schema of the kiosk's local cache.
--
-- Data minimisation: there is deliberately no column for religion, genes,
-- fingerprints, blood type, medical history or any biometric, and the ID
-- card photo is never stored. Times are Unix nanoseconds (NULL = none).

CREATE TABLE subjects (
	id      TEXT PRIMARY KEY,            -- ID number or USCC, normalised
	kind    TEXT NOT NULL CHECK (kind IN ('natural_person', 'legal_person')),
	name    TEXT NOT NULL,
	region  TEXT NOT NULL,
	version INTEGER NOT NULL,
	-- folded name for ranking name searches; legal persons only
	search_name TEXT
);

CREATE TABLE records (
	id              TEXT PRIMARY KEY,
	subject_id      TEXT NOT NULL,
	category        TEXT NOT NULL CHECK (category IN ('basic', 'untrustworthy', 'other')),
	title           TEXT NOT NULL,
	content         TEXT NOT NULL,
	source_unit     TEXT NOT NULL,
	document_no     TEXT NOT NULL,
	legal_basis     TEXT NOT NULL,
	decision_date   INTEGER,
	publicity_until INTEGER,
	tier            TEXT NOT NULL,
	version         INTEGER NOT NULL
);
CREATE INDEX records_subject ON records (subject_id, category, decision_date DESC);

-- Name search over legal persons only: character unigrams and bigrams of
-- the normalised name (trigram FTS cannot answer 1- and 2-character
-- queries). A plain table, so deletion is physical and immediate.
CREATE TABLE name_grams (
	gram       TEXT NOT NULL,
	subject_id TEXT NOT NULL,
	PRIMARY KEY (gram, subject_id)
) WITHOUT ROWID;
CREATE INDEX name_grams_subject ON name_grams (subject_id);

CREATE TABLE inquiries (
	id            TEXT PRIMARY KEY,
	subject_id    TEXT NOT NULL,
	inquirer_kind TEXT NOT NULL,
	inquirer_id   TEXT NOT NULL,
	purpose       TEXT NOT NULL,
	auth_ref      TEXT NOT NULL,
	channel       TEXT NOT NULL,
	at            INTEGER NOT NULL
);
CREATE INDEX inquiries_subject ON inquiries (subject_id, at DESC);

CREATE TABLE objections (
	id             TEXT PRIMARY KEY,      -- client UUID
	no             TEXT NOT NULL UNIQUE,  -- application number
	subject_id     TEXT NOT NULL,
	subject_name   TEXT NOT NULL,
	record_id      TEXT NOT NULL,
	type           TEXT NOT NULL,
	statement      TEXT NOT NULL,
	contact        TEXT NOT NULL,
	channel        TEXT NOT NULL,
	received_at    INTEGER NOT NULL,
	label_due      INTEGER,
	decision_due   INTEGER,
	status         TEXT NOT NULL,
	status_note    TEXT NOT NULL DEFAULT '',
	status_at      INTEGER,
	status_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX objections_subject ON objections (subject_id, received_at DESC);
CREATE INDEX objections_record ON objections (record_id, status);

-- Captured applications waiting for the platform (sync.md §2.6). body is
-- frozen when queued and sent byte for byte.
CREATE TABLE outbox (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	id         TEXT NOT NULL UNIQUE,     -- application UUID, idempotency key
	kind       TEXT NOT NULL,
	body       BLOB NOT NULL,
	digest     TEXT NOT NULL,            -- hex SHA-256 of body
	created_at INTEGER NOT NULL,
	state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
	attempts   INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	receipt    TEXT,                     -- the platform's receipt, JSON
	updated_at INTEGER NOT NULL
);
CREATE INDEX outbox_state ON outbox (state, seq);

CREATE TABLE sync_state (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	cursor     TEXT NOT NULL,
	data_as_of INTEGER
);

-- Content-free record of applied deletions: no name, no content.
CREATE TABLE tombstones (
	seq        INTEGER NOT NULL,
	type       TEXT NOT NULL,
	id         TEXT NOT NULL,            -- masked for natural persons
	applied_at INTEGER NOT NULL
);
CREATE INDEX tombstones_seq ON tombstones (seq);
