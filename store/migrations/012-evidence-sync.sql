-- Which evidence attachments reached the platform (sync.md §2,
-- applications: blobs first, then the manifest, then the application).
-- An attachment without a row here is still to be sent; 'refused' keeps
-- the platform's reason (a file it does not accept) so it is not resent.
-- A table of its own rather than columns on evidence: IF NOT EXISTS lets
-- this step run again over a file that already has it.
CREATE TABLE IF NOT EXISTS evidence_sync (
	application_id TEXT NOT NULL,
	sha256         TEXT NOT NULL,
	state          TEXT NOT NULL CHECK (state IN ('sent', 'refused')),
	reason         TEXT NOT NULL DEFAULT '',
	at             INTEGER NOT NULL,
	PRIMARY KEY (application_id, sha256)
);
