-- Tamper-evident inquiry log (Art. 24, 25, 45; domain.md R3, R18): each
-- device's (channel's) inquiries form a hash chain, one link per inquiry:
-- seq is the position in the device's chain (1, 2, …) and
-- hash = sha256(prev_hash || canonical fields of the inquiry), both hex
-- (store/audit.go). Inquiries logged before this migration have no link
-- and are chained, oldest first, by the device's next inquiry.
--
-- A link outlives a deleted inquiry row, so the gap shows; audit_heads
-- holds each chain's last link, so a removed last entry shows too.
-- IF NOT EXISTS: the schema is additive only, safe to re-run.
CREATE TABLE IF NOT EXISTS inquiry_chain (
	inquiry_id TEXT PRIMARY KEY,
	channel    TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	prev_hash  TEXT NOT NULL,
	hash       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inquiry_chain_pos ON inquiry_chain (channel, seq);

CREATE TABLE IF NOT EXISTS audit_heads (
	channel TEXT PRIMARY KEY,
	seq     INTEGER NOT NULL,
	hash    TEXT NOT NULL
);
