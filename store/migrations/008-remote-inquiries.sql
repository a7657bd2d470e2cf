-- Inquiry logs to the platform and back (Art. 24, 25, 45).
--
-- inquiries_sent marks this device's own log entries the platform has
-- acknowledged (or refused, with its reason): the upload sends the others.
-- It is kept apart from inquiries so the hash chain (004) is untouched.
--
-- remote_inquiries holds the entries made at OTHER terminals, as the
-- change feed brought them: the same fields as the local log, no names.
-- They are not part of this device's hash chain. IF NOT EXISTS: the
-- schema is additive only, safe to re-run.
CREATE TABLE IF NOT EXISTS inquiries_sent (
	id       TEXT PRIMARY KEY,            -- inquiries.id
	sent_at  INTEGER NOT NULL,            -- Unix nanoseconds, device clock
	rejected TEXT NOT NULL DEFAULT ''     -- the platform's reason when it refused the entry
);

CREATE TABLE IF NOT EXISTS remote_inquiries (
	id            TEXT PRIMARY KEY,
	subject_id    TEXT NOT NULL,
	inquirer_kind TEXT NOT NULL,
	inquirer_id   TEXT NOT NULL DEFAULT '',
	purpose       TEXT NOT NULL DEFAULT '',
	auth_ref      TEXT NOT NULL DEFAULT '',
	channel       TEXT NOT NULL,
	at            INTEGER NOT NULL         -- Unix nanoseconds
);
CREATE INDEX IF NOT EXISTS remote_inquiries_subject ON remote_inquiries (subject_id, at);
