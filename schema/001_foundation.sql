-- 001: what the storage engine needs: settings and staff accounts.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE staff (
	id              INTEGER PRIMARY KEY,
	uuid            TEXT NOT NULL UNIQUE,
	name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
	role            TEXT NOT NULL
	                CHECK (role IN ('cashier', 'clerk', 'manager', 'admin', 'agent')),
	pin_hash        TEXT NOT NULL,           -- crypto_pwhash_str (Argon2id)
	disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	failed_attempts INTEGER NOT NULL DEFAULT 0,
	locked_until    TEXT,
	created_at      TEXT NOT NULL,           -- ISO 8601 UTC
	updated_at      TEXT NOT NULL,
	created_by      INTEGER REFERENCES staff(id),
	updated_by      INTEGER REFERENCES staff(id)
);
