-- County-office intake: who took an application at the window, evidence
-- files attached to applications, and the office's settings.
--
-- IF NOT EXISTS: tests that roll the schema back to an older version
-- re-run this migration over a file that still has these tables.
--
-- Art. 18: evidence is restricted to document types (PDF, JPEG, PNG,
-- checked by content) and erasable per application; no column here holds
-- any of the kinds of information Art. 18 forbids.

CREATE TABLE IF NOT EXISTS office_intakes (
	application_id TEXT PRIMARY KEY,   -- objection or restoration UUID
	kind           TEXT NOT NULL CHECK (kind IN ('objection', 'restoration')),
	clerk_id       TEXT NOT NULL,      -- staff number of the clerk who took it
	applicant_role TEXT NOT NULL CHECK (applicant_role IN ('self', 'legal_representative', 'agent')),
	auth_ref       TEXT NOT NULL DEFAULT '',  -- authorisation letter number (representative, agent)
	at             INTEGER NOT NULL
);

-- Evidence content, addressed by its SHA-256; shared by attachments of
-- the same bytes and deleted when no attachment refers to it.
CREATE TABLE IF NOT EXISTS evidence_blobs (
	sha256  TEXT PRIMARY KEY,
	type    TEXT NOT NULL CHECK (type IN ('application/pdf', 'image/jpeg', 'image/png')),
	size    INTEGER NOT NULL,
	content BLOB NOT NULL
);

CREATE TABLE IF NOT EXISTS evidence (
	application_id TEXT NOT NULL,
	sha256         TEXT NOT NULL REFERENCES evidence_blobs (sha256),
	name           TEXT NOT NULL,
	added_at       INTEGER NOT NULL,
	PRIMARY KEY (application_id, sha256)
);
CREATE INDEX IF NOT EXISTS evidence_sha ON evidence (sha256);

-- Device settings (reader port, printer, county), last writer kept.
CREATE TABLE IF NOT EXISTS settings (
	key        TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at INTEGER NOT NULL
);
