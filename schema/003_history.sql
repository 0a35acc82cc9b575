-- 003: purchases and returns, interactions, and the loyalty ledger: what
-- the customer's timeline is made of.

-- A sale, or a return (a negative total). Receipts are unique per branch:
-- recording the same receipt again finds the first (offline retries).
CREATE TABLE purchase (
	id          INTEGER PRIMARY KEY,
	uuid        TEXT NOT NULL UNIQUE,
	customer_id INTEGER NOT NULL REFERENCES customer(id),
	branch      TEXT NOT NULL,
	receipt     TEXT NOT NULL,
	total       INTEGER NOT NULL,            -- minor units; < 0: a return
	currency    TEXT NOT NULL,
	return_of   INTEGER REFERENCES purchase(id),
	occurred_at TEXT NOT NULL,               -- ISO 8601 UTC
	points      INTEGER NOT NULL DEFAULT 0,  -- earned (< 0: reversed by a return)
	voided_at   TEXT,
	voided_by   INTEGER REFERENCES staff(id),
	void_reason TEXT,
	staff_id    INTEGER REFERENCES staff(id),
	created_at  TEXT NOT NULL,
	UNIQUE (branch, receipt)
);
CREATE INDEX purchase_customer ON purchase(customer_id, occurred_at, id);
-- Points earned in the tier window, read without the rows.
CREATE INDEX purchase_qualify ON purchase(customer_id, occurred_at, points)
	WHERE voided_at IS NULL;
CREATE INDEX purchase_time ON purchase(occurred_at);

CREATE TABLE purchase_line (
	purchase_id INTEGER NOT NULL REFERENCES purchase(id),
	line        INTEGER NOT NULL,
	sku         TEXT NOT NULL,
	name        TEXT,
	quantity    INTEGER NOT NULL,
	unit_price  INTEGER NOT NULL,            -- minor units
	PRIMARY KEY (purchase_id, line)
) WITHOUT ROWID;

CREATE TABLE interaction (
	id          INTEGER PRIMARY KEY,
	uuid        TEXT NOT NULL UNIQUE,
	customer_id INTEGER NOT NULL REFERENCES customer(id),
	kind        TEXT NOT NULL
	            CHECK (kind IN ('visit', 'call', 'email', 'complaint', 'note')),
	occurred_at TEXT NOT NULL,
	text        TEXT,
	staff_id    INTEGER REFERENCES staff(id),
	created_at  TEXT NOT NULL
);
CREATE INDEX interaction_customer ON interaction(customer_id, occurred_at, id);

-- The loyalty ledger: append-only. A customer's balance is the sum of
-- their entries; customer.points caches it, updated in the same
-- transaction, and `patron check` compares the two.
CREATE TABLE ledger (
	id          INTEGER PRIMARY KEY,
	uuid        TEXT NOT NULL UNIQUE,
	customer_id INTEGER NOT NULL REFERENCES customer(id),
	kind        TEXT NOT NULL CHECK (kind IN
	            ('earn', 'redeem', 'adjust', 'expire', 'reverse', 'bonus')),
	points      INTEGER NOT NULL CHECK (points <> 0),
	balance     INTEGER NOT NULL,            -- the balance after this entry
	purchase_id INTEGER REFERENCES purchase(id),
	cause       TEXT,                        -- once per customer: 'welcome', 'birthday:2026', 'purchase:7'
	reason      TEXT,
	expires_at  TEXT,                        -- credits: when what is left lapses
	staff_id    INTEGER REFERENCES staff(id),
	created_at  TEXT NOT NULL                -- entries are in time order
);
CREATE INDEX ledger_customer ON ledger(customer_id, created_at, id);
CREATE UNIQUE INDEX ledger_cause ON ledger(customer_id, cause)
	WHERE cause IS NOT NULL;
CREATE INDEX ledger_expiry ON ledger(expires_at) WHERE expires_at IS NOT NULL;
-- A customer's lots and debits, read without the rows (loyalty_status).
CREATE INDEX ledger_lots ON ledger(customer_id, expires_at, points);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN
	SELECT RAISE(ABORT, 'the points ledger is append-only: record a reversing entry');
END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN
	SELECT RAISE(ABORT, 'the points ledger is append-only: record a reversing entry');
END;

-- Birthday bonuses look customers up by month and day.
CREATE INDEX customer_birthday ON customer(substr(birthday, 6))
	WHERE birthday IS NOT NULL;
