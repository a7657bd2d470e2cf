-- How many records each inquiry showed (the supervisor's audit view,
-- Art. 24, 25, 45): written after the records are read, so it is kept
-- beside the log, outside the hash chain (004), which is written before.
-- No personal data: the inquiry's id and a count.
CREATE TABLE IF NOT EXISTS inquiry_results (
	inquiry_id TEXT PRIMARY KEY,
	records    INTEGER NOT NULL
) WITHOUT ROWID;
