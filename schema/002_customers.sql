-- 002: customers, their tags and consent records, and the change log the
-- in-memory search index follows.

CREATE TABLE customer (
	id          INTEGER PRIMARY KEY,
	uuid        TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL,               -- as shown: full name, any script
	given_name  TEXT,                        -- when entered separately
	family_name TEXT,
	phone       TEXT,                        -- E.164: +8613800138000
	email       TEXT,                        -- as entered; compared case-insensitively
	birthday    TEXT,                        -- YYYY-MM-DD
	card        TEXT,                        -- loyalty card number, upper case
	notes       TEXT,
	fields      TEXT NOT NULL DEFAULT '{}',       -- a JSON object
	points      INTEGER NOT NULL DEFAULT 0,  -- cached ledger balance (history issue)
	tier        TEXT,
	last_visit  TEXT,                        -- ISO 8601 UTC
	merged_into INTEGER REFERENCES customer(id),
	deleted_at  TEXT,                        -- soft delete
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	created_by  INTEGER REFERENCES staff(id),
	updated_by  INTEGER REFERENCES staff(id)
);
CREATE INDEX customer_phone ON customer(phone) WHERE phone IS NOT NULL;
CREATE INDEX customer_email ON customer(lower(email)) WHERE email IS NOT NULL;
-- A card names one customer: never shared, even with --allow-duplicate.
CREATE UNIQUE INDEX customer_card ON customer(card)
	WHERE card IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE customer_tag (
	customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,
	tag         TEXT NOT NULL,
	PRIMARY KEY (customer_id, tag)
) WITHOUT ROWID;
CREATE INDEX customer_tag_tag ON customer_tag(tag);

-- Consent is a record, not a flag: the latest row per channel counts.
CREATE TABLE consent (
	id           INTEGER PRIMARY KEY,
	customer_id  INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,
	channel      TEXT NOT NULL DEFAULT 'marketing',
	given        INTEGER NOT NULL CHECK (given IN (0, 1)),
	at           TEXT NOT NULL,
	staff_id     INTEGER REFERENCES staff(id),
	text_version TEXT
);
CREATE INDEX consent_customer ON consent(customer_id, channel, id);

-- Every change to a customer appends its id here; sessions holding a search
-- index in memory read what is new since the seq they last saw.
CREATE TABLE customer_change (
	seq         INTEGER PRIMARY KEY,   -- only the oldest are ever pruned
	customer_id INTEGER NOT NULL
);
CREATE TRIGGER customer_change_ins AFTER INSERT ON customer BEGIN
	INSERT INTO customer_change (customer_id) VALUES (new.id);
END;
CREATE TRIGGER customer_change_upd AFTER UPDATE ON customer BEGIN
	INSERT INTO customer_change (customer_id) VALUES (new.id);
END;
CREATE TRIGGER customer_change_del AFTER DELETE ON customer BEGIN
	INSERT INTO customer_change (customer_id) VALUES (old.id);
END;
CREATE TRIGGER customer_change_tag_ins AFTER INSERT ON customer_tag BEGIN
	INSERT INTO customer_change (customer_id) VALUES (new.customer_id);
END;
CREATE TRIGGER customer_change_tag_del AFTER DELETE ON customer_tag BEGIN
	INSERT INTO customer_change (customer_id) VALUES (old.customer_id);
END;
