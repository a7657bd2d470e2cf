-- County-office staff accounts (office app). password_hash is a PHC
-- argon2id string; the password itself is never stored.
CREATE TABLE clerks (
	id            TEXT PRIMARY KEY,      -- staff number
	name          TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor')),
	password_hash TEXT NOT NULL,
	failed_count  INTEGER NOT NULL DEFAULT 0,  -- consecutive failed logins
	locked_until  INTEGER                      -- Unix nanoseconds; NULL = not locked
);
