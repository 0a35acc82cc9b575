/*
 * interaction: visits, calls, emails, complaints and notes on a customer's
 * history (interaction.h).
 */
#include "patron/interaction.h"
#include "patron/history.h"
#include "patron/loyalty.h"
#include "patron/utf8.h"

#include <string.h>

const char *const interaction_kind_names[] = { "visit", "call", "email",
	"complaint", "note", NULL };

int
interaction_add(struct store *s, int64_t customer, int kind, const char *text,
	int64_t occurred_ms, int64_t actor, int64_t *id, struct perr *e)
{
	int64_t now = util_now_ms(), at = occurred_ms ? occurred_ms : now,
	    balance;
	char uuid[37], when[32], created[32];
	sqlite3_stmt *st;
	const char *why;
	int rc;

	if (kind < 0 || kind >= IK_NKINDS)
		return perr_set(e, PX_USAGE, "unknown kind of interaction");
	if (text != NULL && text[0] != '\0' &&
	    (why = utf8_check(text, INTERACTION_TEXT_MAX, 1)) != NULL)
		return perr_set(e, PX_DATAERR, "text: %s", why);
	if (kind != IK_VISIT && (text == NULL ||
	    text[strspn(text, " \t\n")] == '\0'))
		return perr_set(e, PX_DATAERR, "a %s needs some text",
		    interaction_kind_names[kind]);
	if (at > now + HISTORY_FUTURE_MS)
		return perr_set(e, PX_DATAERR, "an interaction cannot be in "
		    "the future");
	util_uuid7(uuid);
	util_iso_utc(at, when, sizeof when);
	util_iso_utc(now, created, sizeof created);
	if (store_begin(s, e) < 0)
		return -1;
	if (loyalty_balance(s, customer, &balance, e) < 0 ||
	    store_stmt(s, "INSERT INTO interaction (uuid, customer_id, kind, "
	    "occurred_at, text, staff_id, created_at) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7)", &st, e) < 0)
		goto fail;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, customer);
	sqlite3_bind_text(st, 3, interaction_kind_names[kind], -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 4, when, -1, SQLITE_STATIC);
	if (text != NULL && text[0] != '\0')
		sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
	if (actor > 0)
		sqlite3_bind_int64(st, 6, actor);
	sqlite3_bind_text(st, 7, created, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	if (rc != SQLITE_DONE) {
		store_error(s, rc, e, "interaction");
		goto fail;
	}
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(store_db(s));
	if (kind == IK_VISIT && history_last_visit(s, customer, e) < 0)
		goto fail;
	return store_commit(s, e) < 0 ? (store_rollback(s), -1) : 0;
fail:
	store_rollback(s);
	return -1;
}
