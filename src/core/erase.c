/*
 * erase: the right to erasure (include/patron/erase.h).
 *
 * The erasing connection turns its triggers off for the transaction
 * (store_triggers) instead of the schema knowing an exemption: the ledger's
 * append-only triggers keep refusing every other connection, and the audit
 * triggers do not copy the values being wiped into new entries (whose
 * detail hashes would outlive them). What the triggers would have done for
 * the search index, a row in the change log, is written here.
 */
#include "patron/erase.h"
#include "patron/audit.h"
#include "patron/loyalty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The wiping, one statement at a time for each erased record: ?1 the
 * record's id, ?2 now, ?3 the staff member (NULL if none), ?4 a new uuid,
 * ?5 the placeholder name. count: what sqlite3_changes of it says is
 * the number of open tasks cancelled.
 */
static const struct {
	const char *sql;
	int count;
} erase_steps[] = {
	/* Open tasks about the person are cancelled, on their timeline too. */
	{ "INSERT INTO task_event (task_id, customer_id, kind, at, staff_id) "
	  "SELECT id, customer_id, 'cancelled', ?2, ?3 FROM task WHERE "
	  "customer_id = ?1 AND status = 'open'", 0 },
	{ "UPDATE task SET status = 'cancelled', closed_at = ?2, closed_by = "
	  "?3, snoozed_until = NULL, updated_at = ?2 WHERE customer_id = ?1 "
	  "AND status = 'open'", 1 },
	/* Free text: whatever staff wrote may name or describe the person. */
	{ "UPDATE task SET title = 'Task about an erased customer', notes = "
	  "NULL WHERE customer_id = ?1", 0 },
	{ "UPDATE task_event SET detail = NULL WHERE detail IS NOT NULL AND "
	  "(customer_id = ?1 OR task_id IN (SELECT id FROM task WHERE "
	  "customer_id = ?1))", 0 },
	{ "UPDATE interaction SET text = NULL WHERE customer_id = ?1 AND "
	  "text IS NOT NULL", 0 },
	{ "UPDATE purchase SET void_reason = NULL WHERE customer_id = ?1 AND "
	  "void_reason IS NOT NULL", 0 },
	{ "UPDATE ledger SET reason = NULL WHERE customer_id = ?1 AND reason "
	  "IS NOT NULL AND cause IS NOT 'erasure'", 0 },
	{ "DELETE FROM customer_tag WHERE customer_id = ?1", 0 },
	/* A consent record of nobody proves nothing: it goes. */
	{ "DELETE FROM consent WHERE customer_id = ?1", 0 },
	/*
	 * The audit trail's details about the person's records (those
	 * naming the customer are wiped by audit_forget_customer): a task
	 * written before it was tied to them, a purchase moved by a merge.
	 */
	{ "UPDATE audit SET detail = NULL, detail_salt = NULL WHERE detail IS "
	  "NOT NULL AND "
	  "((entity = 'task' AND entity_id IN (SELECT id FROM task WHERE "
	  "customer_id = ?1)) OR (entity = 'interaction' AND entity_id IN "
	  "(SELECT id FROM interaction WHERE customer_id = ?1)) OR (entity = "
	  "'purchase' AND entity_id IN (SELECT id FROM purchase WHERE "
	  "customer_id = ?1)) OR (entity = 'ledger' AND entity_id IN (SELECT "
	  "id FROM ledger WHERE customer_id = ?1)) OR (entity = 'customer' AND "
	  "entity_id = ?1))", 0 },
	{ "UPDATE customer SET uuid = ?4, name = ?5, given_name = NULL, "
	  "family_name = NULL, phone = NULL, email = NULL, birthday = NULL, "
	  "card = NULL, notes = NULL, fields = '{}', tier = NULL, deleted_at = "
	  "coalesce(deleted_at, ?2), erased_at = ?2, updated_at = ?2, "
	  "updated_by = ?3 WHERE id = ?1", 0 },
	/*
	 * The change log: one new row, so sessions holding a search index
	 * drop the person, then none of the old ones. The new row comes
	 * first: a seq a session has seen is never handed out again.
	 */
	{ "INSERT INTO customer_change (customer_id) VALUES (?1)", 0 },
	{ "DELETE FROM customer_change WHERE customer_id = ?1 AND seq < "
	  "last_insert_rowid()", 0 },
};

int
erase_check(struct store *s, int64_t id, struct perr *e)
{
	sqlite3_stmt *st;
	int64_t into = 0;
	char when[32] = "";
	int rc, erased = 0, deleted = 0;

	if (store_prepare(s, "SELECT erased_at, deleted_at, merged_into FROM "
	    "customer WHERE id = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
			erased = 1;
			util_time_local(store_col_ms(st, 0), "%Y-%m-%d", when,
			    sizeof when);
		}
		deleted = sqlite3_column_type(st, 1) != SQLITE_NULL;
		into = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return perr_set(e, PX_FAIL, "no customer %lld", (long long)id);
	if (rc != SQLITE_ROW)
		return store_error(s, rc, e, "erase");
	if (erased)
		return perr_set(e, PX_FAIL, "customer %lld was erased already "
		    "(%s)", (long long)id, when);
	if (into > 0)
		return perr_set(e, PX_FAIL, "customer %lld was merged into "
		    "customer %lld: erase %lld, which erases this record too",
		    (long long)id, (long long)into, (long long)into);
	if (deleted)
		return perr_set(e, PX_FAIL, "customer %lld is deleted",
		    (long long)id);
	return 0;
}

/* The record and every record merged into it, at any depth. */
static int
erase_records(struct store *s, int64_t id, int64_t **ids, size_t *n,
	struct perr *e)
{
	sqlite3_stmt *st;

	*ids = NULL;
	*n = 0;
	if (store_prepare(s, "WITH RECURSIVE m(id) AS (SELECT ?1 UNION SELECT "
	    "c.id FROM customer c JOIN m ON c.merged_into = m.id) SELECT id "
	    "FROM m", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return store_ids(s, st, ids, n, "erase", e);
}

/* Take what is left of the balance off (or forgive a debt). */
static int
erase_forfeit(struct store *s, const struct config *cfg, int64_t id,
	int64_t actor, int64_t now_ms, int64_t *forfeited, struct perr *e)
{
	struct ledger_post p = { id, LK_ADJUST, 0, 0, "erasure",
		"balance forfeited on erasure", now_ms, actor, 1 };
	int64_t balance;

	*forfeited = 0;
	if (loyalty_balance(s, id, &balance, e) < 0)
		return -1;
	if (balance == 0)
		return 0;
	p.points = -balance;
	if (loyalty_post(s, cfg, &p, NULL, e) < 0)
		return -1;
	*forfeited = balance;
	return 0;
}

static int
erase_record(struct store *s, int64_t id, int64_t actor, const char *now,
	long *cancelled, struct perr *e)
{
	char uuid[37], name[64];

	util_uuid7(uuid);
	snprintf(name, sizeof name, ERASE_NAME " %lld", (long long)id);
	for (size_t i = 0; i < sizeof erase_steps / sizeof erase_steps[0];
	    i++) {
		sqlite3_stmt *st;
		int rc;

		if (store_prepare(s, erase_steps[i].sql, &st, e) < 0)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_bind_parameter_count(st) >= 2)
			sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 3 && actor > 0)
			sqlite3_bind_int64(st, 3, actor);
		if (sqlite3_bind_parameter_count(st) >= 5) {
			sqlite3_bind_text(st, 4, uuid, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 5, name, -1, SQLITE_STATIC);
		}
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return store_error(s, rc, e, "erase");
		if (erase_steps[i].count)
			*cancelled += sqlite3_changes(store_db(s));
	}
	return audit_forget_customer(s, id, e);
}

int
erase_customer(struct store *s, const struct config *cfg, int64_t id,
	int64_t actor, struct erase_result *r, struct perr *e)
{
	struct erase_result res = { 0 };
	int64_t *ids = NULL, now_ms = util_now_ms();
	char now[32], detail[160];
	size_t n = 0;
	int off = 0, nlog = -1, nckpt = -1;

	util_iso_utc(now_ms, now, sizeof now);
	if (store_begin(s, e) < 0)
		return -1;
	if (erase_check(s, id, e) < 0 || erase_records(s, id, &ids, &n, e) < 0)
		goto fail;
	if (store_triggers(s, 0, e) < 0)
		goto fail;
	off = 1;
	if (erase_forfeit(s, cfg, id, actor, now_ms, &res.forfeited, e) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (erase_record(s, ids[i], actor, now, &res.cancelled, e) < 0)
			goto fail;
	off = 0;
	if (store_triggers(s, 1, e) < 0)
		goto fail;
	res.records = (long)n;
	snprintf(detail, sizeof detail, "{\"records\":%ld,\"points_forfeited\":"
	    "%lld,\"tasks_cancelled\":%ld}", res.records,
	    (long long)res.forfeited, res.cancelled);
	if (audit_log(s, "customer_erased", "customer", id, id, detail, e) < 0 ||
	    store_commit(s, e) < 0)
		goto fail;
	free(ids);
	/*
	 * The log still holds the page images from before: copy what is new
	 * into the file and cut the log to nothing. Another session reading
	 * holds it up (after the busy timeout): said in r, not an error.
	 */
	res.checkpointed = sqlite3_wal_checkpoint_v2(store_db(s), "main",
	    SQLITE_CHECKPOINT_TRUNCATE, &nlog, &nckpt) == SQLITE_OK;
	if (r != NULL)
		*r = res;
	return 0;
fail:
	if (off)
		store_triggers(s, 1, NULL);
	store_rollback(s);
	free(ids);
	return -1;
}
