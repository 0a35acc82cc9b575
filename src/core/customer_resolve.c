/*
 * customer_resolve: the customer a reference names, an id, uuid, card or
 * phone, with or without its prefix (customer.h).
 */
#include "patron/customer.h"

#include <ctype.h>
#include <string.h>

#include <sqlite3.h>

#include "patron/phone.h"

/* The id of the single row sql (with ?1 = arg) finds; 0 if none. */
static int
customer_find(struct store *s, const char *sql, const char *arg,
	int64_t *id, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	if (store_stmt(s, sql, &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		/* A phone shared by two customers names neither. */
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			perr_set(e, PX_DATAERR, "%s is shared by customers "
				"%lld and %lld; give the id", arg,
				(long long)*id,
				(long long)sqlite3_column_int64(st, 0));
			store_stmt_done(s, st);
			return -1;
		}
	}
	store_stmt_done(s, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, rc, e, "lookup");
	return 0;
}

static int
is_uuid(const char *s)
{
	if (strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' :
		    !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
customer_resolve(struct store *s, const struct config *cfg,
	const char *ref, int64_t *id, struct perr *e)
{
	static const char *const by_id =
		"SELECT id FROM customer WHERE id = ?1";
	static const char *const by_uuid =
		"SELECT id FROM customer WHERE uuid = lower(?1)";
	static const char *const by_card =
		"SELECT id FROM customer WHERE card = ?1 AND deleted_at IS NULL";
	static const char *const by_phone =
		"SELECT id FROM customer WHERE phone = ?1 AND deleted_at IS NULL "
		"ORDER BY id LIMIT 2";
	char card[64], e164[PHONE_MAX + 1];
	int64_t found[3] = { 0, 0, 0 };
	const char *kind[3] = { "card", "id", "phone" };
	int all_digits = ref[0] != '\0';

	*id = 0;
	if (strncmp(ref, "id:", 3) == 0)
		ref += 3, kind[0] = NULL;
	if (kind[0] == NULL || strncmp(ref, "uuid:", 5) == 0 || is_uuid(ref)) {
		const char *v = kind[0] == NULL ? ref :
		    strncmp(ref, "uuid:", 5) == 0 ? ref + 5 : ref;

		if (customer_find(s, kind[0] == NULL ? by_id : by_uuid, v, id,
			    e) < 0)
			return -1;
		goto out;
	}
	if (strncmp(ref, "card:", 5) == 0) {
		if (customer_check_card(ref + 5, card, sizeof card) == NULL &&
		    customer_find(s, by_card, card, id, e) < 0)
			return -1;
		goto out;
	}
	if (strncmp(ref, "phone:", 6) == 0) {
		if (phone_normalize(ref + 6, cfg->store_country, e164) == NULL &&
		    customer_find(s, by_phone, e164, id, e) < 0)
			return -1;
		goto out;
	}
	for (const char *p = ref; *p != '\0'; p++)
		all_digits &= isdigit((unsigned char)*p) != 0;
	if (customer_check_card(ref, card, sizeof card) == NULL &&
	    customer_find(s, by_card, card, &found[0], e) < 0)
		return -1;
	if (all_digits && strlen(ref) <= 18 &&
	    customer_find(s, by_id, ref, &found[1], e) < 0)
		return -1;
	if (phone_normalize(ref, cfg->store_country, e164) == NULL &&
	    strlen(ref) >= 6 && customer_find(s, by_phone, e164, &found[2], e) < 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		if (found[i] == 0)
			continue;
		if (*id != 0 && *id != found[i])
			return perr_set(e, PX_DATAERR, "%s is ambiguous: it is "
				"the %s of one customer and the %s of another; "
				"write id:%s, card:%s or phone:%s", ref,
				kind[0], kind[i], ref, ref, ref);
		*id = found[i];
	}
out:
	if (*id == 0)
		return perr_set(e, PX_FAIL, "no customer %s", ref);
	return 0;
}
