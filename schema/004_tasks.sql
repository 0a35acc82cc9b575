-- 004: follow-up tasks, their events (for the customer's timeline), and
-- tier changes (what the "tier" task rule reacts to).

CREATE TABLE task (
	id            INTEGER PRIMARY KEY,
	uuid          TEXT NOT NULL UNIQUE,
	title         TEXT NOT NULL,
	notes         TEXT,
	customer_id   INTEGER REFERENCES customer(id),
	assignee_id   INTEGER REFERENCES staff(id),     -- a staff member, or
	assignee_role TEXT CHECK (assignee_role IN
	              ('cashier', 'clerk', 'manager', 'admin', 'agent')),  -- a role
	due_at        TEXT,                    -- ISO 8601 UTC; a day: its local midnight
	all_day       INTEGER NOT NULL DEFAULT 0 CHECK (all_day IN (0, 1)),
	priority      INTEGER NOT NULL DEFAULT 1 CHECK (priority IN (0, 1, 2)),
	status        TEXT NOT NULL DEFAULT 'open'
	              CHECK (status IN ('open', 'done', 'cancelled')),
	snoozed_until TEXT,
	rule          TEXT,                    -- the rule that made it
	cause         TEXT,                    -- rule, customer, occasion: once only
	created_at    TEXT NOT NULL,
	created_by    INTEGER REFERENCES staff(id),
	updated_at    TEXT NOT NULL,
	closed_at     TEXT,
	closed_by     INTEGER REFERENCES staff(id),
	CHECK (assignee_id IS NULL OR assignee_role IS NULL)
);
CREATE UNIQUE INDEX task_cause ON task(cause) WHERE cause IS NOT NULL;
CREATE INDEX task_due ON task(status, due_at);
CREATE INDEX task_customer ON task(customer_id, status);

CREATE TABLE task_event (
	id          INTEGER PRIMARY KEY,
	task_id     INTEGER NOT NULL REFERENCES task(id),
	customer_id INTEGER REFERENCES customer(id),
	kind        TEXT NOT NULL CHECK (kind IN
	            ('created', 'done', 'cancelled', 'reopened', 'snoozed', 'assigned')),
	at          TEXT NOT NULL,
	staff_id    INTEGER REFERENCES staff(id),
	detail      TEXT
);
CREATE INDEX task_event_customer ON task_event(customer_id, at, id);

CREATE TABLE tier_change (
	id          INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customer(id),
	tier        TEXT,                      -- NULL: no tier any more
	previous    TEXT,
	at          TEXT NOT NULL
);

-- The "first_visit" rule finds visits by time.
CREATE INDEX interaction_visit_time ON interaction(occurred_at)
	WHERE kind = 'visit';
