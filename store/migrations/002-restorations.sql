-- Credit-restoration applications (Art. 47), captured like objections.
CREATE TABLE restorations (
	id             TEXT PRIMARY KEY,      -- client UUID
	no             TEXT NOT NULL UNIQUE,  -- application number
	subject_id     TEXT NOT NULL,
	subject_name   TEXT NOT NULL,
	record_id      TEXT NOT NULL,
	performance    TEXT NOT NULL,
	committed      INTEGER NOT NULL,
	contact        TEXT NOT NULL,
	channel        TEXT NOT NULL,
	received_at    INTEGER NOT NULL,
	accept_due     INTEGER,
	feedback_due   INTEGER,
	status         TEXT NOT NULL,
	status_note    TEXT NOT NULL DEFAULT '',
	status_at      INTEGER,
	status_version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX restorations_subject ON restorations (subject_id, received_at DESC);
CREATE INDEX restorations_record ON restorations (record_id, status);
