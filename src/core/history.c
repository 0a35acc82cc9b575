/*
 * history: purchases, returns and voids with the points they earn or
 * reverse; interactions; the per-customer timeline and its summary.
 */
#include "patron/history.h"
#include "patron/loyalty.h"
#include "patron/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const interaction_kind_names[] = { "visit", "call", "email",
	"complaint", "note", NULL };
const char *const timeline_kind_names[] = { "purchase", "return", "points",
	"visit", "call", "email", "complaint", "note", "task", "change", NULL };

/* A purchase may be dated this far ahead of the clock (clock skew). */
#define FUTURE_SLACK_MS (5 * 60 * 1000)

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
	if (at > now + FUTURE_SLACK_MS)
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
	    (why = utf8_check(text, HISTORY_TEXT_MAX, 1)) != NULL)
		return perr_set(e, PX_DATAERR, "text: %s", why);
	if (kind != IK_VISIT && (text == NULL ||
	    text[strspn(text, " \t\n")] == '\0'))
		return perr_set(e, PX_DATAERR, "a %s needs some text",
		    interaction_kind_names[kind]);
	if (at > now + FUTURE_SLACK_MS)
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

/* The latest live sale or visit of customer who (SQL), NULL if none. */
#define LAST_VISIT_OF(who) "(SELECT max(at) FROM (SELECT max(occurred_at) " \
	"AS at FROM purchase WHERE customer_id = " who " AND total > 0 AND " \
	"voided_at IS NULL UNION ALL SELECT max(occurred_at) FROM " \
	"interaction WHERE customer_id = " who " AND kind = 'visit'))"

int
history_last_visit(struct store *s, int64_t customer, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	/* Recomputed, never moved forward with max(): a void or a merge
	 * takes it back, and a stale value in the future must not stay. */
	if (store_stmt(s, "UPDATE customer SET last_visit = "
	    LAST_VISIT_OF("?1") " WHERE id = ?1 AND last_visit IS NOT "
	    LAST_VISIT_OF("?1"), &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "last visit");
}

long
history_check(struct store *s, const struct config *cfg, int64_t now_ms,
	void (*fn)(const char *, void *), void *arg, struct perr *e)
{
	char msg[256], from[32] = "", cut[32], sig[CONFIG_TIERS_MAX * 64];
	char upkeep[32], applied[CONFIG_TIERS_MAX * 64];
	const unsigned char *had, *want;
	int64_t upkeep_ms = 0;
	sqlite3_stmt *st;
	long bad = 0;
	int rc;

	if (store_prepare(s, "SELECT id, last_visit, h FROM (SELECT c.id, "
	    "c.last_visit, " LAST_VISIT_OF("c.id") " AS h FROM customer c) "
	    "WHERE last_visit IS NOT h ORDER BY id", &st, e) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		had = sqlite3_column_text(st, 1);
		want = sqlite3_column_text(st, 2);
		snprintf(msg, sizeof msg, "customer %lld: cached last visit %s, "
		    "the history gives %s", sqlite3_column_int64(st, 0),
		    had ? (const char *)had : "none",
		    want ? (const char *)want : "none");
		fn(msg, arg);
		bad++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, e, "check");
	/* Tiers move as sales leave the 12-month window, at the daily
	 * upkeep: a customer with a sale that left it since the upkeep last
	 * ran is not behind by mistake, and is not compared. Nor is anyone
	 * when the upkeep applied other tiers than cfg's (a changed
	 * configuration, or check given another file). */
	loyalty_tiers_sig(cfg, sig, sizeof sig);
	if (store_meta_get(s, "loyalty_upkeep_at", upkeep, sizeof upkeep,
	    "check", e) < 0)
		return -1;
	if (upkeep[0] != '\0' && util_time_parse(upkeep, &upkeep_ms) < 0)
		upkeep_ms = 0;
	rc = store_meta_get(s, "loyalty_tiers", applied, sizeof applied,
	    "check", e);
	if (rc < 0)
		return -1;
	if (rc == 1 && strcmp(applied, sig) != 0) {
		fn("tiers not compared: the daily upkeep applied other "
		    "loyalty.tiers than this configuration's (patron points "
		    "expire applies these)", arg);
		return bad;
	}
	if (upkeep_ms > 0 && upkeep_ms <= now_ms)
		util_iso_utc(util_add_months(upkeep_ms, -LOYALTY_TIER_MONTHS),
		    from, sizeof from);
	util_iso_utc(util_add_months(now_ms, -LOYALTY_TIER_MONTHS), cut,
	    sizeof cut);
	if (store_prepare(s, "SELECT c.id, c.tier FROM customer c WHERE "
	    "c.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM purchase p "
	    "WHERE p.customer_id = c.id AND p.voided_at IS NULL AND "
	    "p.occurred_at > ?1 AND p.occurred_at <= ?2) ORDER BY c.id", &st,
	    e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cut, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name;
		int t;

		if (loyalty_tier_now(s, cfg, sqlite3_column_int64(st, 0), now_ms,
		    &t, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
		had = sqlite3_column_text(st, 1);
		name = t >= 0 ? cfg->tiers[t].name : NULL;
		if (had == NULL ? name == NULL : name != NULL &&
		    strcmp((const char *)had, name) == 0)
			continue;
		snprintf(msg, sizeof msg, "customer %lld: cached tier %s, the "
		    "history gives %s", sqlite3_column_int64(st, 0),
		    had ? (const char *)had : "none", name ? name : "none");
		fn(msg, arg);
		bad++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, e, "check");
	return bad;
}

/*
 * The timeline's sources, each read newest first through its index and
 * merged here; src orders rows of one instant (a higher src first).
 */
enum { SRC_INTERACTION, SRC_POINTS, SRC_PURCHASE, SRC_TASK, SRC_CHANGE,
	SRC_N };

static const char *const timeline_sql[SRC_N] = {
	"SELECT i.occurred_at, i.id, i.kind, 0, 0, 0, coalesce(i.text, ''), "
	"coalesce(f.name, '') FROM interaction i LEFT JOIN staff f ON "
	"f.id = i.staff_id WHERE i.customer_id = ?1 %s ORDER BY "
	"i.occurred_at DESC, i.id DESC LIMIT ?4",
	"SELECT l.created_at, l.id, l.kind, 0, l.points, 0, l.kind || "
	"coalesce(': ' || l.reason, ''), coalesce(f.name, '') FROM ledger l "
	"LEFT JOIN staff f ON f.id = l.staff_id WHERE l.customer_id = ?1 AND "
	"l.purchase_id IS NULL %s ORDER BY l.created_at DESC, l.id DESC "
	"LIMIT ?4",
	"SELECT p.occurred_at, p.id, CASE WHEN p.total < 0 THEN 'return' ELSE "
	"'purchase' END, p.total, p.points, p.voided_at IS NOT NULL, "
	"p.receipt, coalesce(f.name, '') FROM purchase p LEFT JOIN staff f ON "
	"f.id = p.staff_id WHERE p.customer_id = ?1 %s ORDER BY "
	"p.occurred_at DESC, p.id DESC LIMIT ?4",
	"SELECT e.at, e.id, 'task', 0, 0, 0, e.kind || ': ' || t.title, "
	"coalesce(f.name, '') FROM task_event e JOIN task t ON t.id = "
	"e.task_id LEFT JOIN staff f ON f.id = e.staff_id WHERE e.customer_id "
	"= ?1 %s ORDER BY e.at DESC, e.id DESC LIMIT ?4",
	"SELECT a.at, a.id, 'change', 0, 0, 0, a.action || ' ' || a.entity || "
	"coalesce(' ' || a.detail, ''), coalesce(f.name, '') FROM audit a LEFT "
	"JOIN staff f ON f.id = a.staff_id WHERE a.customer_id = ?1 %s ORDER "
	"BY a.at DESC, a.id DESC LIMIT ?4",
};
static const char *const timeline_at[SRC_N] = { "i.occurred_at", "l.created_at",
	"p.occurred_at", "e.at", "a.at" };
static const char *const timeline_id[SRC_N] = { "i.id", "l.id", "p.id",
	"e.id", "a.id" };
static const unsigned timeline_mask[SRC_N] = { TL_F_INTERACTIONS,
	TL_F_POINTS, TL_F_PURCHASES, TL_F_TASKS, TL_F_CHANGES };

struct tl_source {
	sqlite3_stmt *st;
	int have;		/* a row is waiting in st */
};

static int
tl_kind(const char *k)
{
	for (int i = 0; i < TL_NKINDS; i++)
		if (strcmp(k, timeline_kind_names[i]) == 0)
			return i;
	return TL_POINTS;	/* a ledger kind */
}

/* Row-order: is source a's row before source b's? */
static int
tl_before(struct tl_source *x, int a, int b)
{
	int c = strcmp((const char *)sqlite3_column_text(x[a].st, 0),
	    (const char *)sqlite3_column_text(x[b].st, 0));

	if (c != 0)
		return c > 0;
	return a > b;
}

long
timeline_page(struct store *s, int64_t customer, unsigned filter,
	const struct timeline_item *after, struct timeline_item *items,
	long n, struct perr *e)
{
	struct tl_source x[SRC_N];
	long got = 0;
	int rc = SQLITE_OK;

	memset(x, 0, sizeof x);
	for (int i = 0; i < SRC_N; i++) {
		char cond[160] = "", sql[1024];

		if (!(filter & timeline_mask[i]))
			continue;
		/* After (A, S, I) in (at, src, id) descending order. */
		if (after != NULL) {
			if (i < after->key_src)
				snprintf(cond, sizeof cond, "AND %s <= ?2",
				    timeline_at[i]);
			else if (i == after->key_src)
				snprintf(cond, sizeof cond, "AND (%s, %s) < "
				    "(?2, ?3)", timeline_at[i], timeline_id[i]);
			else
				snprintf(cond, sizeof cond, "AND %s < ?2",
				    timeline_at[i]);
		}
		snprintf(sql, sizeof sql, timeline_sql[i], cond);
		if (store_prepare(s, sql, &x[i].st, e) < 0) {
			got = -1;
			goto out;
		}
		sqlite3_bind_int64(x[i].st, 1, customer);
		if (after != NULL) {
			sqlite3_bind_text(x[i].st, 2, after->key_at, -1,
			    SQLITE_STATIC);
			sqlite3_bind_int64(x[i].st, 3, after->id);
		}
		sqlite3_bind_int64(x[i].st, 4, n);
		rc = sqlite3_step(x[i].st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			goto fail;
		x[i].have = rc == SQLITE_ROW;
	}
	while (got < n) {
		struct timeline_item *it = &items[got];
		sqlite3_stmt *st;
		int best = -1;

		for (int i = 0; i < SRC_N; i++)
			if (x[i].have && (best < 0 || tl_before(x, i, best)))
				best = i;
		if (best < 0)
			break;
		st = x[best].st;
		memset(it, 0, sizeof *it);
		store_col_text(st, 0, it->key_at, sizeof it->key_at);
		it->key_src = best;
		it->at_ms = store_col_ms(st, 0);
		it->id = sqlite3_column_int64(st, 1);
		it->kind = tl_kind((const char *)sqlite3_column_text(st, 2));
		it->amount = sqlite3_column_int64(st, 3);
		it->points = sqlite3_column_int64(st, 4);
		it->voided = sqlite3_column_int(st, 5);
		store_col_text(st, 6, it->text, sizeof it->text);
		store_col_text(st, 7, it->staff, sizeof it->staff);
		got++;
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			goto fail;
		x[best].have = rc == SQLITE_ROW;
	}
	rc = SQLITE_OK;
	goto out;
fail:
	store_error(s, rc, e, "timeline");
	got = -1;
out:
	for (int i = 0; i < SRC_N; i++)
		sqlite3_finalize(x[i].st);
	return rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW ? got :
	    -1;
}

/*
 * The whole of one timeline row, from its source: each query's columns
 * are the labels ("$" before one: minor units of the store currency).
 */
static const char *const detail_sql[SRC_N] = {
	"SELECT i.kind AS Kind, i.occurred_at AS \"When\", f.name AS \"By\", "
	"i.created_at AS Recorded, i.text AS \"Text\" FROM interaction i LEFT "
	"JOIN staff f ON f.id = i.staff_id WHERE i.id = ?1",
	"SELECT l.kind AS Kind, printf('%+d', l.points) AS Points, l.balance "
	"AS \"Balance after\", l.reason AS Reason, l.created_at AS \"When\", "
	"f.name AS \"By\", l.expires_at AS Expires FROM ledger l LEFT JOIN "
	"staff f ON f.id = l.staff_id WHERE l.id = ?1",
	"SELECT CASE WHEN p.total < 0 THEN 'return' ELSE 'purchase' END AS "
	"Kind, p.receipt AS Receipt, p.branch AS Branch, p.total AS \"$Total\", "
	"CASE WHEN p.points <> 0 THEN printf('%+d', p.points) END AS Points, "
	"p.occurred_at AS \"When\", f.name AS \"By\", (SELECT r.branch || ':' "
	"|| r.receipt FROM purchase r WHERE r.id = p.return_of) AS \"Return "
	"of\", p.voided_at AS Voided, v.name AS \"Voided by\", p.void_reason "
	"AS \"Void reason\" FROM purchase p LEFT JOIN staff f ON f.id = "
	"p.staff_id LEFT JOIN staff v ON v.id = p.voided_by WHERE p.id = ?1",
	"SELECT e.kind AS Event, e.at AS \"When\", f.name AS \"By\", e.detail "
	"AS Detail, '#' || t.id || ' ' || t.title AS Task, t.status AS Status, "
	"coalesce(a.name, t.assignee_role) AS \"For\", t.notes AS Notes FROM "
	"task_event e JOIN task t ON t.id = e.task_id LEFT JOIN staff f ON "
	"f.id = e.staff_id LEFT JOIN staff a ON a.id = t.assignee_id WHERE "
	"e.id = ?1",
	"SELECT a.action AS Action, a.entity || coalesce(' #' || a.entity_id, "
	"'') AS \"Record\", a.at AS \"When\", f.name AS \"By\", a.id AS "
	"\"Audit entry\", CASE WHEN a.detail IS NULL THEN 'erased' END AS "
	"Detail FROM audit a LEFT JOIN staff f ON f.id = a.staff_id WHERE "
	"a.id = ?1",
};

static void
detail_add(struct timeline_detail *d, const char *label, char *value)
{
	d->f = xrealloc(d->f, (size_t)(d->n + 1) * sizeof *d->f);
	d->f[d->n].label = xstrdup(label);
	d->f[d->n].value = value;
	d->n++;
}

/* A column's text as shown: ISO times local, money in decimals. */
static char *
detail_value(const struct config *cfg, const char *label, sqlite3_stmt *st,
	int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	size_t n = strlen(v);
	char buf[64];
	int64_t ms;

	if (label[0] == '$') {
		util_decimal_format(sqlite3_column_int64(st, col),
		    util_currency_decimals(cfg->store_currency), buf,
		    sizeof buf);
		return xasprintf("%s %s", buf, cfg->store_currency);
	}
	if (n >= 20 && n <= 30 && v[10] == 'T' && v[n - 1] == 'Z' &&
	    util_time_parse(v, &ms) == 0) {
		util_time_local(ms, "%a %Y-%m-%d %H:%M", buf, sizeof buf);
		return xstrdup(buf);
	}
	return xstrdup(v);
}

/* A purchase's lines, one a line: "2 x SKU name at 12.50". */
static int
detail_lines(struct store *s, const struct config *cfg, int64_t id,
	struct timeline_detail *d, struct perr *e)
{
	int dec = util_currency_decimals(cfg->store_currency);
	sqlite3_stmt *st;
	char *all = NULL, price[40];
	size_t len = 0;
	FILE *out;
	int rc, k = 0;

	if (store_stmt(s, "SELECT quantity, sku, coalesce(' ' || name, ''), "
	    "unit_price FROM purchase_line WHERE purchase_id = ?1 ORDER BY "
	    "line", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((out = open_memstream(&all, &len)) == NULL) {
		store_stmt_done(s, st);
		return perr_set(e, PX_FAIL, "out of memory");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		util_decimal_format(sqlite3_column_int64(st, 3), dec, price,
		    sizeof price);
		fprintf(out, "%s%lld x %s%s at %s", k++ ? "\n" : "",
		    (long long)sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2), price);
	}
	store_stmt_done(s, st);
	fclose(out);
	if (rc != SQLITE_DONE) {
		free(all);
		return store_error(s, rc, e, "timeline");
	}
	if (all[0] != '\0')
		detail_add(d, "Lines", all);
	else
		free(all);
	return 0;
}

/* An audit entry's detail, one field per key; an update's "was"/"now". */
static int
detail_audit(struct store *s, int64_t id, struct timeline_detail *d,
	struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_stmt(s, "SELECT j.key, j.type = 'array', coalesce(CASE WHEN "
	    "j.type = 'array' THEN json_extract(j.value, '$[0]') ELSE j.value "
	    "END, '(none)'), coalesce(CASE WHEN j.type = 'array' THEN "
	    "json_extract(j.value, '$[1]') END, '(none)') FROM audit a, "
	    "json_each(CASE WHEN json_valid(a.detail) AND json_type(a.detail) "
	    "= 'object' THEN a.detail END) j WHERE a.id = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *was = (const char *)sqlite3_column_text(st, 2);

		detail_add(d, (const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int(st, 1) ? xasprintf("was: %s\nnow: %s",
		    was, (const char *)sqlite3_column_text(st, 3)) :
		    xstrdup(was));
	}
	store_stmt_done(s, st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "timeline");
}

int
timeline_detail(struct store *s, const struct config *cfg,
	const struct timeline_item *it, struct timeline_detail *d,
	struct perr *e)
{
	sqlite3_stmt *st;
	int rc, src = it->key_src;

	memset(d, 0, sizeof *d);
	if (src < 0 || src >= SRC_N)
		return perr_set(e, PX_USAGE, "not a timeline row");
	if (store_stmt(s, detail_sql[src], &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, it->id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *label = sqlite3_column_name(st, i);

			if (sqlite3_column_type(st, i) == SQLITE_NULL ||
			    sqlite3_column_bytes(st, i) == 0)
				continue;
			detail_add(d, label + (label[0] == '$'),
			    detail_value(cfg, label, st, i));
		}
	store_stmt_done(s, st);
	if (rc == SQLITE_DONE)
		return perr_set(e, PX_FAIL, "that entry is gone");
	if (rc != SQLITE_ROW)
		return store_error(s, rc, e, "timeline");
	if ((src == SRC_PURCHASE && detail_lines(s, cfg, it->id, d, e) < 0) ||
	    (src == SRC_CHANGE && detail_audit(s, it->id, d, e) < 0)) {
		timeline_detail_free(d);
		return -1;
	}
	return 0;
}

void
timeline_detail_free(struct timeline_detail *d)
{
	for (int i = 0; i < d->n; i++) {
		free(d->f[i].label);
		free(d->f[i].value);
	}
	free(d->f);
	memset(d, 0, sizeof *d);
}

int
history_summary(struct store *s, int64_t customer, int64_t now_ms,
	struct history_summary *h, struct perr *e)
{
	int64_t from_ms = util_add_months(now_ms, -LOYALTY_TIER_MONTHS);
	char from[32], now_month[8], month[8];
	int now_y, now_m;
	sqlite3_stmt *st;
	int rc;

	memset(h, 0, sizeof *h);
	util_iso_utc(from_ms, from, sizeof from);
	if (store_prepare(s, "SELECT c.created_at, c.last_visit, "
	    "(SELECT min(occurred_at) FROM purchase WHERE customer_id = c.id), "
	    "(SELECT coalesce(sum(total), 0) FROM purchase WHERE customer_id = "
	    "c.id AND voided_at IS NULL), (SELECT count(*) FROM (SELECT "
	    "substr(occurred_at, 1, 10) FROM purchase WHERE customer_id = c.id "
	    "AND occurred_at > ?2 AND voided_at IS NULL AND total > 0 UNION "
	    "SELECT substr(occurred_at, 1, 10) FROM interaction WHERE "
	    "customer_id = c.id AND kind = 'visit' AND occurred_at > ?2)) "
	    "FROM customer c WHERE c.id = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int64_t first = store_col_ms(st, 2);

		h->first_seen_ms = store_col_ms(st, 0);
		if (first > 0 && first < h->first_seen_ms)
			h->first_seen_ms = first;
		h->last_visit_ms = store_col_ms(st, 1);
		h->lifetime = sqlite3_column_int64(st, 3);
		h->visits_12m = (long)sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return perr_set(e, PX_FAIL, "no customer %lld",
		    (long long)customer);
	if (rc != SQLITE_ROW)
		return store_error(s, rc, e, "summary");
	/* Spend of the last twelve months, month by month (local). */
	util_time_local(now_ms, "%Y-%m", now_month, sizeof now_month);
	now_y = atoi(now_month);
	now_m = atoi(now_month + 5);
	if (store_prepare(s, "SELECT occurred_at, total FROM purchase WHERE "
	    "customer_id = ?1 AND occurred_at > ?2 AND voided_at IS NULL",
	    &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t total = sqlite3_column_int64(st, 1);
		int back;

		util_time_local(store_col_ms(st, 0), "%Y-%m", month, sizeof month);
		back = (now_y - atoi(month)) * 12 + now_m - atoi(month + 5);
		h->spend_12m += total;
		if (total > 0)
			h->purchases_12m++;
		if (back >= 0 && back < 12)
			h->months[11 - back] += total;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, e, "summary");
	h->avg_basket = h->purchases_12m ? h->spend_12m / h->purchases_12m : 0;
	return 0;
}

void
history_sparkline(const int64_t *v, int n, int ascii, char *buf, size_t len)
{
	static const char *const blocks[] = { "\u2581", "\u2582", "\u2583",
		"\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char ascii_levels[] = "_.-=+*#@";
	int64_t max = 0;
	size_t pos = 0;

	for (int i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	if (len == 0)
		return;
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		const char *cell;
		char one[2] = { ' ', '\0' };
		int level;

		if (v[i] <= 0 || max == 0)
			cell = " ";
		else {
			level = (int)((v[i] * 8 - 1) / max);
			if (level > 7)
				level = 7;
			if (ascii) {
				one[0] = ascii_levels[level];
				cell = one;
			} else
				cell = blocks[level];
		}
		if (pos + strlen(cell) + 1 > len)
			break;
		memcpy(buf + pos, cell, strlen(cell) + 1);
		pos += strlen(cell);
	}
}
