-- 005: the audit trail. Every entry is chained to the one before by a
-- keyed MAC (src/store/audit.c). Triggers record every change of data
-- through patron_audit(action, entity, entity_id, customer_id, 2, key,
-- value, ...) for what was written, or (..., 3, key, before, after, ...)
-- for what changed; every connection of Patron's store provides it. (The
-- details are made in C: SQLite's JSON functions may not run in triggers
-- of an untrusted schema.)

CREATE TABLE audit (
	id          INTEGER PRIMARY KEY,       -- 1, 2, 3...: a gap is a deletion
	at          TEXT NOT NULL,             -- ISO 8601 UTC
	staff_id    INTEGER,                   -- who (NULL: nobody logged in)
	action      TEXT NOT NULL,             -- insert, update, delete, login, reveal, export...
	entity      TEXT NOT NULL,             -- customer, purchase, ledger, task, staff, key...
	entity_id   INTEGER,
	customer_id INTEGER,                   -- the customer it is about, if any
	detail      TEXT,                      -- JSON: what changed; NULL once erased
	detail_hash BLOB NOT NULL,             -- BLAKE2b of detail as written
	mac         BLOB NOT NULL              -- the chain
);
CREATE INDEX audit_customer ON audit(customer_id, id)
	WHERE customer_id IS NOT NULL;
CREATE INDEX audit_staff ON audit(staff_id, id);
CREATE INDEX audit_at ON audit(at);

CREATE TRIGGER audit_customer_ins AFTER INSERT ON customer BEGIN
	SELECT patron_audit('insert', 'customer', new.id, new.id, 2,
	    'name', new.name, 'given_name', new.given_name, 'family_name', new.family_name, 'phone', new.phone, 'email', new.email, 'birthday', new.birthday, 'card', new.card, 'notes', new.notes, 'fields', new.fields, 'deleted_at', new.deleted_at, 'merged_into', new.merged_into);
END;
CREATE TRIGGER audit_customer_upd AFTER UPDATE OF name, given_name, family_name, phone, email, birthday, card, notes, fields, deleted_at, merged_into ON customer BEGIN
	SELECT patron_audit('update', 'customer', new.id, new.id, 3,
	    'name', old.name, new.name, 'given_name', old.given_name, new.given_name, 'family_name', old.family_name, new.family_name, 'phone', old.phone, new.phone, 'email', old.email, new.email, 'birthday', old.birthday, new.birthday, 'card', old.card, new.card, 'notes', old.notes, new.notes, 'fields', old.fields, new.fields, 'deleted_at', old.deleted_at, new.deleted_at, 'merged_into', old.merged_into, new.merged_into);
END;
CREATE TRIGGER audit_customer_del AFTER DELETE ON customer BEGIN
	SELECT patron_audit('delete', 'customer', old.id, old.id, 2,
	    'name', old.name, 'given_name', old.given_name, 'family_name', old.family_name, 'phone', old.phone, 'email', old.email, 'birthday', old.birthday, 'card', old.card, 'notes', old.notes, 'fields', old.fields, 'deleted_at', old.deleted_at, 'merged_into', old.merged_into);
END;
CREATE TRIGGER audit_tag_ins AFTER INSERT ON customer_tag BEGIN
	SELECT patron_audit('tag', 'customer', new.customer_id, new.customer_id, 2,
	    'tag', new.tag);
END;
CREATE TRIGGER audit_tag_del AFTER DELETE ON customer_tag BEGIN
	SELECT patron_audit('untag', 'customer', old.customer_id, old.customer_id, 2,
	    'tag', old.tag);
END;
CREATE TRIGGER audit_consent_ins AFTER INSERT ON consent BEGIN
	SELECT patron_audit('consent', 'customer', new.customer_id, new.customer_id, 2,
	    'channel', new.channel, 'given', new.given, 'text_version', new.text_version);
END;
CREATE TRIGGER audit_purchase_ins AFTER INSERT ON purchase BEGIN
	SELECT patron_audit('insert', 'purchase', new.id, new.customer_id, 2,
	    'receipt', new.receipt, 'branch', new.branch, 'total', new.total, 'currency', new.currency, 'points', new.points, 'occurred_at', new.occurred_at, 'return_of', new.return_of);
END;
CREATE TRIGGER audit_purchase_upd AFTER UPDATE OF voided_at, customer_id ON purchase BEGIN
	SELECT patron_audit(CASE WHEN old.voided_at IS NULL AND new.voided_at IS NOT NULL THEN 'void' ELSE 'update' END, 'purchase', new.id, new.customer_id, 3,
	    'customer_id', old.customer_id, new.customer_id, 'voided_at', old.voided_at, new.voided_at, 'void_reason', old.void_reason, new.void_reason);
END;
CREATE TRIGGER audit_interaction_ins AFTER INSERT ON interaction BEGIN
	SELECT patron_audit('insert', 'interaction', new.id, new.customer_id, 2,
	    'kind', new.kind, 'text', new.text, 'occurred_at', new.occurred_at);
END;
CREATE TRIGGER audit_interaction_upd AFTER UPDATE ON interaction BEGIN
	SELECT patron_audit('update', 'interaction', new.id, new.customer_id, 3,
	    'customer_id', old.customer_id, new.customer_id, 'kind', old.kind, new.kind, 'text', old.text, new.text, 'occurred_at', old.occurred_at, new.occurred_at);
END;
CREATE TRIGGER audit_ledger_ins AFTER INSERT ON ledger BEGIN
	SELECT patron_audit('insert', 'ledger', new.id, new.customer_id, 2,
	    'kind', new.kind, 'points', new.points, 'balance', new.balance, 'reason', new.reason, 'purchase_id', new.purchase_id, 'expires_at', new.expires_at);
END;
CREATE TRIGGER audit_task_ins AFTER INSERT ON task BEGIN
	SELECT patron_audit('insert', 'task', new.id, new.customer_id, 2,
	    'title', new.title, 'assignee_id', new.assignee_id, 'assignee_role', new.assignee_role, 'due_at', new.due_at, 'priority', new.priority, 'rule', new.rule);
END;
CREATE TRIGGER audit_task_upd AFTER UPDATE OF title, notes, customer_id, assignee_id, assignee_role, due_at, status, snoozed_until ON task BEGIN
	SELECT patron_audit('update', 'task', new.id, new.customer_id, 3,
	    'title', old.title, new.title, 'notes', old.notes, new.notes, 'customer_id', old.customer_id, new.customer_id, 'assignee_id', old.assignee_id, new.assignee_id, 'assignee_role', old.assignee_role, new.assignee_role, 'due_at', old.due_at, new.due_at, 'status', old.status, new.status, 'snoozed_until', old.snoozed_until, new.snoozed_until);
END;
-- Staff: never the PIN hash, only that it changed.
CREATE TRIGGER audit_staff_ins AFTER INSERT ON staff BEGIN
	SELECT patron_audit('insert', 'staff', new.id, 0, 2,
	    'name', new.name, 'role', new.role);
END;
CREATE TRIGGER audit_staff_upd AFTER UPDATE OF name, role, disabled, pin_hash ON staff BEGIN
	SELECT patron_audit('update', 'staff', new.id, 0, 3,
	    'name', old.name, new.name, 'role', old.role, new.role, 'disabled', old.disabled, new.disabled, 'pin_changed', 0, old.pin_hash <> new.pin_hash);
END;
