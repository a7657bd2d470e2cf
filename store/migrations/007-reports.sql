-- IF NOT EXISTS: a database rolled back to an older schema version by
-- hand (as TestMigrateFromVersion1 does) still carries this table.
-- Reports issued at this terminal, per subject, for the Art. 45 notice
-- "free reports used this year: n of 2". The report content is not kept:
-- only its number, whose report it was and when it was issued.
CREATE TABLE IF NOT EXISTS reports_issued (
	no         TEXT PRIMARY KEY,   -- report number (报告编号)
	subject_id TEXT NOT NULL,
	issued_at  INTEGER NOT NULL    -- Unix nanoseconds
);
CREATE INDEX IF NOT EXISTS reports_issued_subject ON reports_issued (subject_id, issued_at);
