-- Reports this terminal issued, waiting to be registered with the
-- platform's online lookup (PUT /sync/v1/reports/{no}); an outbox of its
-- own, so a report printed offline is registered when sync comes back.
-- Only what is printed on the paper is kept: no name, no full ID number.
CREATE TABLE IF NOT EXISTS report_registrations (
	no           TEXT PRIMARY KEY,   -- report number (报告编号)
	code         TEXT NOT NULL,      -- 8-character verification code (核验码)
	kid          TEXT NOT NULL,      -- signing key id, 16 hex digits
	issued_at    INTEGER NOT NULL,   -- Unix seconds (iat)
	expires_at   INTEGER NOT NULL,   -- Unix seconds (exp)
	report_type  INTEGER NOT NULL,
	subject_display TEXT NOT NULL,   -- masked ID number or USCC, as printed
	queued_at    INTEGER NOT NULL,   -- Unix nanoseconds
	done_at      INTEGER,            -- Unix nanoseconds; NULL while pending
	refused      TEXT NOT NULL DEFAULT '', -- the platform's refusal, kept for the operator
	attempts     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS report_registrations_pending ON report_registrations (queued_at) WHERE done_at IS NULL;
