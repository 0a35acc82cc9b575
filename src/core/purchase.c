/*
 * purchase: purchases, returns and voids with the points they earn or
 * reverse (purchase.h).
 */
#include "patron/purchase.h"
#include "patron/history.h"
#include "patron/loyalty.h"
#include "patron/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PURCHASE_FIELDS "id, uuid, customer_id, branch, receipt, total, " \
	"currency, coalesce(return_of, 0), occurred_at, points, " \
	"voided_at IS NOT NULL"
#define PURCHASE_COLS PURCHASE_FIELDS " FROM purchase "
/* What is left of a sale to return: its total less its live returns. */
#define PURCHASE_LEFT "total + coalesce((SELECT sum(r.total) FROM " \
	"purchase r WHERE r.return_of = purchase.id AND r.voided_at IS " \
	"NULL), 0)"

static void
purchase_row(sqlite3_stmt *st, struct purchase *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, p->uuid, sizeof p->uuid);
	p->customer_id = sqlite3_column_int64(st, 2);
	store_col_text(st, 3, p->branch, sizeof p->branch);
	store_col_text(st, 4, p->receipt, sizeof p->receipt);
	p->total = sqlite3_column_int64(st, 5);
	store_col_text(st, 6, p->currency, sizeof p->currency);
	p->return_of = sqlite3_column_int64(st, 7);
	p->occurred_ms = store_col_ms(st, 8);
	p->points = sqlite3_column_int64(st, 9);
	p->voided = sqlite3_column_int(st, 10);
}

int
purchase_get(struct store *s, int64_t id, struct purchase *out,
	struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_stmt(s, "SELECT " PURCHASE_COLS "WHERE id = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		purchase_row(st, out);
	store_stmt_done(s, st);
	if (rc == SQLITE_DONE)
		return perr_set(e, PX_FAIL, "no purchase %lld", (long long)id);
	if (rc != SQLITE_ROW)
		return store_error(s, rc, e, "purchase");
	return loyalty_balance(s, out->customer_id, &out->balance, NULL) < 0 ?
	    (out->balance = 0, 0) : 0;
}

/* The id of receipt in branch, 0 if none. */
static int
receipt_find(struct store *s, const char *branch, const char *receipt,
	int64_t *id, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_stmt(s, "SELECT id FROM purchase WHERE branch = ?1 AND "
	    "receipt = ?2", &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, branch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, receipt, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	store_stmt_done(s, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	    store_error(s, rc, e, "purchase");
}

int
purchase_resolve(struct store *s, const struct config *cfg, const char *ref,
	int64_t *id, struct perr *e)
{
	const char *colon = strchr(ref, ':');
	char branch[64];
	char *end;
	long long v;

	if (strncmp(ref, "id:", 3) == 0 || strspn(ref, "0123456789") ==
	    strlen(ref)) {
		const char *n = ref[0] == 'i' ? ref + 3 : ref;

		v = strtoll(n, &end, 10);
		if (*n == '\0' || *end != '\0' || v <= 0)
			return perr_set(e, PX_USAGE, "'%s' is not a purchase id",
			    ref);
		*id = v;
		return 0;
	}
	if (strncmp(ref, "receipt:", 8) == 0) {
		ref += 8;
		colon = strchr(ref, ':');
	}
	if (colon != NULL && (size_t)(colon - ref) < sizeof branch) {
		memcpy(branch, ref, (size_t)(colon - ref));
		branch[colon - ref] = '\0';
		ref = colon + 1;
	} else
		snprintf(branch, sizeof branch, "%s", cfg->store_branch);
	if (receipt_find(s, branch, ref, id, e) < 0)
		return -1;
	if (*id == 0)
		return perr_set(e, PX_FAIL, "no receipt '%s' in branch %s", ref,
		    branch);
	return 0;
}

int64_t
purchase_ceiling(const struct config *cfg)
{
	int64_t v = 0, scale = 1;
	int dec = util_currency_decimals(cfg->store_currency);

	/* The option has up to 4 decimals; the currency may have fewer. */
	if (util_decimal_parse(cfg->store_max_purchase, 4, &v) < 0)
		return 0;
	for (int i = dec; i < 4; i++)
		scale *= 10;
	for (int i = 4; i < dec; i++)
		v *= 10;
	/* A ceiling set is never none: less than a minor unit is one. */
	return v > 0 && v / scale == 0 ? 1 : v / scale;
}

static int
check_input(const struct config *cfg, const struct purchase_input *in,
	struct perr *e)
{
	int64_t max = purchase_ceiling(cfg);
	char a[64], b[64];
	const char *why;

	if (in->receipt != NULL) {
		if (in->receipt[0] == '\0')
			return perr_set(e, PX_DATAERR, "receipt: empty");
		if ((why = utf8_check(in->receipt, RECEIPT_MAX, 0)) != NULL)
			return perr_set(e, PX_DATAERR, "receipt: %s", why);
		if (strchr(in->receipt, ':') != NULL)
			return perr_set(e, PX_DATAERR, "receipt: no ':' in a "
			    "receipt number");
	}
	if (in->branch != NULL && (in->branch[0] == '\0' ||
	    (why = utf8_check(in->branch, 63, 0)) != NULL ||
	    strchr(in->branch, ':') != NULL))
		return perr_set(e, PX_DATAERR, "branch: %s", why ? why :
		    "one word without ':'");
	if (in->nlines < 0 || in->nlines > PURCHASE_LINES_MAX)
		return perr_set(e, PX_DATAERR, "at most %d lines",
		    PURCHASE_LINES_MAX);
	for (int i = 0; i < in->nlines; i++) {
		const struct purchase_line *l = &in->lines[i];

		if (l->sku == NULL || l->sku[0] == '\0' ||
		    (why = utf8_check(l->sku, 64, 0)) != NULL)
			return perr_set(e, PX_DATAERR, "line %d: sku: %s", i + 1,
			    why ? why : "empty");
		if (l->name != NULL &&
		    (why = utf8_check(l->name, 200, 0)) != NULL)
			return perr_set(e, PX_DATAERR, "line %d: name: %s",
			    i + 1, why);
		if (l->quantity <= 0 || l->quantity > 1000000)
			return perr_set(e, PX_DATAERR, "line %d: quantity "
			    "from 1 to 1000000", i + 1);
		if (l->unit_price < 0)
			return perr_set(e, PX_DATAERR, "line %d: a negative "
			    "price", i + 1);
	}
	if (in->total == 0)
		return perr_set(e, PX_DATAERR, "total: zero records nothing "
		    "(a visit without a sale is `visit add`)");
	if (in->return_of != 0 && in->total >= 0)
		return perr_set(e, PX_DATAERR, "a return has a negative total");
	if (in->return_of == 0 && in->total < 0 && !in->unlinked)
		return perr_set(e, PX_DATAERR, "a negative total is a return: "
		    "it names the sale it returns (purchase add --return-of)");
	if (max > 0 && in->total > max) {
		util_money_text(in->total, cfg->store_currency, a, sizeof a);
		util_money_text(max, cfg->store_currency, b, sizeof b);
		return perr_set(e, PX_DATAERR, "total %s is more than one "
		    "purchase may be, %s (store.max_purchase)", a, b);
	}
	return 0;
}

/*
 * The points a return takes back: in proportion to what the returned
 * purchase earned, never more than it has left. Only an import may bring
 * a return without its sale (from a till that does not say which): it
 * takes back the total at the base rate, but never more than the balance,
 * since nothing says the points were earned here.
 */
static int
return_points(struct store *s, const struct config *cfg,
	const struct purchase_input *in, int64_t *points, struct perr *e)
{
	struct purchase orig;
	sqlite3_stmt *st;
	int64_t returned = 0, reversed = 0, amount = -in->total;
	char a[64], b[64];
	int rc;

	if (in->return_of == 0 && !in->unlinked)
		return perr_set(e, PX_DATAERR, "a return names the sale it "
		    "returns");
	if (in->return_of == 0) {
		int64_t balance;

		if (loyalty_balance(s, in->customer_id, &balance, e) < 0)
			return -1;
		*points = loyalty_points_for(cfg, amount, CONFIG_SCALE);
		if (*points > balance)
			*points = balance > 0 ? balance : 0;
		*points = -*points;
		return 0;
	}
	if (purchase_get(s, in->return_of, &orig, e) < 0)
		return -1;
	if (orig.customer_id != in->customer_id || orig.total <= 0 ||
	    orig.voided)
		return perr_set(e, PX_DATAERR, "purchase %lld is not a live "
		    "sale of this customer", (long long)in->return_of);
	if (store_stmt(s, "SELECT -coalesce(sum(total), 0), "
	    "-coalesce(sum(points), 0) FROM purchase WHERE return_of = ?1 AND "
	    "voided_at IS NULL", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, orig.id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		returned = sqlite3_column_int64(st, 0);
		reversed = sqlite3_column_int64(st, 1);
	}
	store_stmt_done(s, st);
	if (rc != SQLITE_ROW)
		return store_error(s, rc, e, "purchase");
	if (orig.total - returned <= 0)
		return perr_set(e, PX_DATAERR, "purchase %lld (receipt %s) is "
		    "returned in full already", (long long)orig.id,
		    orig.receipt);
	if (amount > orig.total - returned) {
		util_money_text(orig.total - returned, cfg->store_currency, a,
		    sizeof a);
		util_money_text(amount, cfg->store_currency, b, sizeof b);
		return perr_set(e, PX_DATAERR, "purchase %lld (receipt %s) has "
		    "%s left to return, not %s", (long long)orig.id,
		    orig.receipt, a, b);
	}
	/* Of the returned share so far, less what returns took already:
	 * returns in parts then add up to what the whole would take. */
	*points = (int64_t)((__int128)orig.points * (returned + amount) /
	    orig.total) - reversed;
	if (*points > orig.points - reversed)
		*points = orig.points - reversed;
	if (*points < 0)
		*points = 0;
	*points = -*points;
	return 0;
}

int
purchase_points(struct store *s, const struct config *cfg,
	const struct purchase_input *in, int64_t *points, struct perr *e)
{
	int tier;

	if (in->total < 0)
		return return_points(s, cfg, in, points, e);
	/* The multiplier of the tier the customer holds now. */
	if (loyalty_tier_now(s, cfg, in->customer_id, util_now_ms(), &tier,
	    e) < 0)
		return -1;
	*points = loyalty_points_for(cfg, in->total, tier >= 0 ?
	    cfg->tiers[tier].multiplier : CONFIG_SCALE);
	return 0;
}

int
purchase_add(struct store *s, const struct config *cfg,
	const struct purchase_input *in, int64_t actor, struct purchase *out,
	struct perr *e)
{
	int64_t now = util_now_ms(), at = in->occurred_ms ? in->occurred_ms :
	    now, existing, points = 0, id;
	const char *branch = in->branch ? in->branch : cfg->store_branch;
	char uuid[37], when[32], created[32], receipt[RECEIPT_MAX + 1];
	sqlite3_stmt *st;
	int rc;

	if (check_input(cfg, in, e) < 0)
		return -1;
	if (at > now + HISTORY_FUTURE_MS)
		return perr_set(e, PX_DATAERR, "a purchase cannot be in the "
		    "future");
	util_uuid7(uuid);
	if (in->receipt != NULL)
		snprintf(receipt, sizeof receipt, "%s", in->receipt);
	else	/* made up: the end of the uuid, random */
		snprintf(receipt, sizeof receipt, "auto-%s", uuid + 24);
	if (store_begin(s, e) < 0)
		return -1;
	if (receipt_find(s, branch, receipt, &existing, e) < 0)
		goto fail;
	if (existing > 0) {
		if (purchase_get(s, existing, out, e) < 0)
			goto fail;
		if (out->customer_id == in->customer_id &&
		    out->total == in->total)
			return store_commit(s, e) < 0 ? -1 : 1;
		perr_set(e, PX_DATAERR, "receipt %s of branch %s is already "
		    "recorded (purchase %lld, customer %lld)", receipt, branch,
		    (long long)out->id, (long long)out->customer_id);
		goto fail;
	}
	if (purchase_points(s, cfg, in, &points, e) < 0)
		goto fail;
	util_iso_utc(at, when, sizeof when);
	util_iso_utc(now, created, sizeof created);
	if (store_stmt(s, "INSERT INTO purchase (uuid, customer_id, branch, "
	    "receipt, total, currency, return_of, occurred_at, points, "
	    "staff_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11)", &st, e) < 0)
		goto fail;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, in->customer_id);
	sqlite3_bind_text(st, 3, branch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, receipt, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, in->total);
	sqlite3_bind_text(st, 6, cfg->store_currency, -1, SQLITE_STATIC);
	if (in->return_of > 0)
		sqlite3_bind_int64(st, 7, in->return_of);
	sqlite3_bind_text(st, 8, when, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, points);
	if (actor > 0)
		sqlite3_bind_int64(st, 10, actor);
	sqlite3_bind_text(st, 11, created, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	if (rc != SQLITE_DONE) {
		store_error(s, rc, e, "purchase");
		goto fail;
	}
	id = sqlite3_last_insert_rowid(store_db(s));
	for (int i = 0; i < in->nlines; i++) {
		const struct purchase_line *l = &in->lines[i];

		if (store_stmt(s, "INSERT INTO purchase_line (purchase_id, line, "
		    "sku, name, quantity, unit_price) VALUES (?1, ?2, ?3, ?4, "
		    "?5, ?6)", &st, e) < 0)
			goto fail;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, i + 1);
		sqlite3_bind_text(st, 3, l->sku, -1, SQLITE_STATIC);
		if (l->name != NULL)
			sqlite3_bind_text(st, 4, l->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, l->quantity);
		sqlite3_bind_int64(st, 6, l->unit_price);
		rc = sqlite3_step(st);
		store_stmt_done(s, st);
		if (rc != SQLITE_DONE) {
			store_error(s, rc, e, "purchase line");
			goto fail;
		}
	}
	if (points != 0) {
		char cause[40], why_text[RECEIPT_MAX + 32];
		struct ledger_post p = { in->customer_id,
			points > 0 ? LK_EARN : LK_REVERSE, points, id, cause,
			why_text, at, actor, 1 };

		snprintf(cause, sizeof cause, "purchase:%lld", (long long)id);
		snprintf(why_text, sizeof why_text, "%s %s",
		    in->total < 0 ? "return, receipt" : "receipt", receipt);
		if (loyalty_post(s, cfg, &p, NULL, e) < 0)
			goto fail;
	}
	if (history_last_visit(s, in->customer_id, e) < 0 ||
	    loyalty_retier(s, cfg, in->customer_id, now, e) < 0 ||
	    purchase_get(s, id, out, e) < 0)
		goto fail;
	return store_commit(s, e) < 0 ? (store_rollback(s), -1) : 0;
fail:
	store_rollback(s);
	return -1;
}

int
purchase_void(struct store *s, const struct config *cfg, int64_t id,
	const char *reason, int64_t actor, struct purchase *out,
	struct perr *e)
{
	int64_t now = util_now_ms();
	char when[32];
	sqlite3_stmt *st;
	const char *why;
	int rc;

	if (reason != NULL && (why = utf8_check(reason, 200, 0)) != NULL)
		return perr_set(e, PX_DATAERR, "reason: %s", why);
	if (store_begin(s, e) < 0)
		return -1;
	if (purchase_get(s, id, out, e) < 0)
		goto fail;
	if (out->voided) {
		perr_set(e, PX_DATAERR, "purchase %lld is already void",
		    (long long)id);
		goto fail;
	}
	/* A sale with live returns: void the returns first. */
	if (out->total > 0) {
		int64_t live;

		if (store_stmt(s, "SELECT count(*) FROM purchase WHERE "
		    "return_of = ?1 AND voided_at IS NULL", &st, e) < 0)
			goto fail;
		sqlite3_bind_int64(st, 1, id);
		rc = sqlite3_step(st);
		live = sqlite3_column_int64(st, 0);
		store_stmt_done(s, st);
		if (rc != SQLITE_ROW) {
			store_error(s, rc, e, "purchase");
			goto fail;
		}
		if (live > 0) {
			perr_set(e, PX_DATAERR, "purchase %lld has returns: "
			    "void them first", (long long)id);
			goto fail;
		}
	}
	util_iso_utc(now, when, sizeof when);
	if (store_stmt(s, "UPDATE purchase SET voided_at = ?2, voided_by = ?3, "
	    "void_reason = ?4 WHERE id = ?1", &st, e) < 0)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, when, -1, SQLITE_STATIC);
	if (actor > 0)
		sqlite3_bind_int64(st, 3, actor);
	if (reason != NULL && reason[0] != '\0')
		sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	if (rc != SQLITE_DONE) {
		store_error(s, rc, e, "purchase");
		goto fail;
	}
	if (out->points != 0) {
		char cause[40], why_text[RECEIPT_MAX + 32];
		struct ledger_post p = { out->customer_id, LK_REVERSE,
			-out->points, id, cause, why_text, now, actor, 1 };

		snprintf(cause, sizeof cause, "void:%lld", (long long)id);
		snprintf(why_text, sizeof why_text, "void of receipt %s",
		    out->receipt);
		if (loyalty_post(s, cfg, &p, NULL, e) < 0)
			goto fail;
	}
	if (history_last_visit(s, out->customer_id, e) < 0 ||
	    loyalty_retier(s, cfg, out->customer_id, now, e) < 0 ||
	    purchase_get(s, id, out, e) < 0)
		goto fail;
	return store_commit(s, e) < 0 ? (store_rollback(s), -1) : 0;
fail:
	store_rollback(s);
	return -1;
}

/*
 * The rows of st (bound here: ?1 the customer, ?2 the limit) to fn, with
 * what is left to return from column 11 when left; st is finalised.
 */
static long
purchase_rows(struct store *s, sqlite3_stmt *st, int64_t customer,
	long limit, int left, int (*fn)(const struct purchase *, void *),
	void *arg, struct perr *e)
{
	struct purchase p;
	long n = 0;
	int rc;

	sqlite3_bind_int64(st, 1, customer);
	sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		purchase_row(st, &p);
		if (left)
			p.left = sqlite3_column_int64(st, 11);
		n++;
		if (fn(&p, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : store_error(s, rc, e, "purchase");
}

long
purchase_each(struct store *s, int64_t customer, long limit,
	int (*fn)(const struct purchase *, void *), void *arg, struct perr *e)
{
	sqlite3_stmt *st;

	if (store_prepare(s, customer > 0 ?
	    "SELECT " PURCHASE_COLS "WHERE customer_id = ?1 ORDER BY "
	    "occurred_at DESC, id DESC LIMIT ?2" :
	    "SELECT " PURCHASE_COLS "WHERE ?1 = 0 ORDER BY occurred_at DESC, "
	    "id DESC LIMIT ?2", &st, e) < 0)
		return -1;
	return purchase_rows(s, st, customer, limit, 0, fn, arg, e);
}

long
purchase_returnable(struct store *s, int64_t customer, long limit,
	int (*fn)(const struct purchase *, void *), void *arg, struct perr *e)
{
	sqlite3_stmt *st;

	if (store_prepare(s, "SELECT " PURCHASE_FIELDS ", " PURCHASE_LEFT
	    " AS left_ FROM purchase WHERE customer_id = ?1 AND total > 0 AND "
	    "voided_at IS NULL AND left_ > 0 ORDER BY occurred_at DESC, "
	    "id DESC LIMIT ?2", &st, e) < 0)
		return -1;
	return purchase_rows(s, st, customer, limit, 1, fn, arg, e);
}
