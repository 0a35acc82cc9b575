/*
 * customer_merge: two records of one customer made one (customer.h).
 */
#include "patron/customer.h"

#include <sqlite3.h>

#include "patron/history.h"
#include "patron/loyalty.h"

int
customer_merge(struct store *s, const struct config *cfg, int64_t keep,
	int64_t other, int64_t actor, struct perr *e)
{
	static const char *const steps[] = {
		/* Contact details and fields: keep's own win. */
		"UPDATE customer SET "
		"phone = coalesce(phone, (SELECT phone FROM customer WHERE id = ?2)), "
		"email = coalesce(email, (SELECT email FROM customer WHERE id = ?2)), "
		"birthday = coalesce(birthday, (SELECT birthday FROM customer WHERE id = ?2)), "
		"notes = CASE WHEN (SELECT notes FROM customer WHERE id = ?2) IS NULL "
		"THEN notes WHEN notes IS NULL THEN (SELECT notes FROM customer WHERE id = ?2) "
		"ELSE notes || char(10) || (SELECT notes FROM customer WHERE id = ?2) END, "
		"fields = json_patch((SELECT fields FROM customer WHERE id = ?2), fields), "
		"updated_at = ?3, updated_by = ?4 WHERE id = ?1",
		"INSERT OR IGNORE INTO customer_tag (customer_id, tag) "
		"SELECT ?1, tag FROM customer_tag WHERE customer_id = ?2",
		"DELETE FROM customer_tag WHERE customer_id = ?2",
		"UPDATE consent SET customer_id = ?1 WHERE customer_id = ?2 AND "
		"NOT EXISTS (SELECT 1 FROM consent WHERE customer_id = ?1)",
		/* History follows; points moved by loyalty_merge before. */
		"UPDATE purchase SET customer_id = ?1 WHERE customer_id = ?2",
		"UPDATE interaction SET customer_id = ?1 WHERE customer_id = ?2",
		"UPDATE task SET customer_id = ?1 WHERE customer_id = ?2",
		"UPDATE task_event SET customer_id = ?1 WHERE customer_id = ?2",
		"UPDATE customer SET deleted_at = ?3, merged_into = ?1, updated_at = ?3, "
		"updated_by = ?4 WHERE id = ?2",
		/* The card moves too if keep has none. */
		"UPDATE customer SET card = (SELECT card FROM customer WHERE id = ?2) "
		"WHERE id = ?1 AND card IS NULL",
		"UPDATE customer SET card = NULL WHERE id = ?2 AND card = "
		"(SELECT card FROM customer WHERE id = ?1)",
	};
	char now[32];

	if (keep == other)
		return perr_set(e, PX_USAGE, "cannot merge a customer into itself");
	util_iso_utc(util_now_ms(), now, sizeof now);
	if (store_begin(s, e) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		int64_t who = i == 0 ? keep : other;
		int rc;

		if (store_prepare(s, "SELECT 1 FROM customer WHERE id = ?1 AND "
			    "deleted_at IS NULL", &st, e) < 0)
			goto fail;
		sqlite3_bind_int64(st, 1, who);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW) {
			perr_set(e, PX_FAIL, "no customer %lld (or already "
				"merged)", (long long)who);
			goto fail;
		}
	}
	if (loyalty_merge(s, cfg, keep, other, actor, util_now_ms(), e) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		sqlite3_stmt *st;
		int rc;

		if (store_prepare(s, steps[i], &st, e) < 0)
			goto fail;
		sqlite3_bind_int64(st, 1, keep);
		sqlite3_bind_int64(st, 2, other);
		if (sqlite3_bind_parameter_count(st) >= 3)
			sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 4 && actor > 0)
			sqlite3_bind_int64(st, 4, actor);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			store_error(s, rc, e, "merge");
			goto fail;
		}
	}
	/* The history moved: both last visits follow from it again. */
	if (history_last_visit(s, keep, e) < 0 ||
	    history_last_visit(s, other, e) < 0 ||
	    loyalty_retier(s, cfg, keep, util_now_ms(), e) < 0)
		goto fail;
	return store_commit(s, e) < 0 ? -1 : 0;
fail:
	store_rollback(s);
	return -1;
}
