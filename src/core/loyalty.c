/*
 * loyalty: the points ledger (append-only) and the rules of config
 * `loyalty`. See include/patron/loyalty.h for the model: lots, the order
 * debits use them in, tiers by points earned in 12 months.
 */
#include "patron/loyalty.h"
#include "patron/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const loyalty_kind_names[] = { "earn", "redeem", "adjust",
	"expire", "reverse", "bonus", NULL };

#define MS_PER_DAY (86400LL * 1000)

static int64_t
pow10i(int n)
{
	int64_t v = 1;

	while (n-- > 0)
		v *= 10;
	return v;
}

/* A config decimal as a number with 4 decimals (config checked it). */
static int64_t
scaled4(const char *s)
{
	int64_t v;

	return util_decimal_parse(s, 4, &v) < 0 ? 0 : v;
}

int64_t
loyalty_points_for(const struct config *cfg, int64_t total, long multiplier)
{
	__int128 num, den;

	if (total <= 0)
		return 0;
	num = (__int128)total * scaled4(cfg->loyalty_points_per_unit) *
	    multiplier;
	den = (__int128)pow10i(util_currency_decimals(cfg->store_currency)) *
	    10000 * CONFIG_SCALE;
	if (cfg->loyalty_rounding == CONFIG_ROUND_NEAREST)
		num += den / 2;
	num /= den;
	return num > INT64_MAX / 2 ? INT64_MAX / 2 : (int64_t)num;
}

int
loyalty_tier_for(const struct config *cfg, int64_t qualifying)
{
	int t = -1;

	for (int i = 0; i < cfg->ntiers; i++)
		if (qualifying >= cfg->tiers[i].threshold)
			t = i;
	return t;
}

int64_t
loyalty_value(const struct config *cfg, int64_t points)
{
	__int128 v = (__int128)points * scaled4(cfg->loyalty_point_value) *
	    pow10i(util_currency_decimals(cfg->store_currency)) / 10000;

	return (int64_t)v;
}

static void
iso(int64_t ms, char *buf, size_t len)
{
	util_iso_utc(ms, buf, len);
}

/* One int64 from a statement with up to three int64 bindings and a text. */
static int
one_int(struct store *s, const char *sql, int64_t a, const char *t,
	int64_t *out, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_stmt(s, sql, &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	if (t != NULL)
		sqlite3_bind_text(st, 2, t, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	store_stmt_done(s, st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	    store_error(s, rc, e, "points");
}

int
loyalty_balance(struct store *s, int64_t customer, int64_t *balance,
	struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_stmt(s, "SELECT points FROM customer WHERE id = ?1 AND "
	    "deleted_at IS NULL", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*balance = sqlite3_column_int64(st, 0);
	store_stmt_done(s, st);
	if (rc == SQLITE_DONE)
		return perr_set(e, PX_FAIL, "no customer %lld",
		    (long long)customer);
	return rc == SQLITE_ROW ? 0 : store_error(s, rc, e, "points");
}

/* Points earned by purchases since the tier window began. */
static int
qualifying(struct store *s, int64_t customer, int64_t now_ms, int64_t *q,
	struct perr *e)
{
	char from[32];

	iso(util_add_months(now_ms, -LOYALTY_TIER_MONTHS), from, sizeof from);
	return one_int(s, "SELECT coalesce(sum(points), 0) FROM purchase "
	    "WHERE customer_id = ?1 AND occurred_at > ?2 AND voided_at IS NULL",
	    customer, from, q, e);
}

/*
 * Points of the customer's lots that have lapsed by time t and are not
 * used yet: what lapsed minus every debit, as debits use lots in the order
 * they expire; never more than the balance nor less than zero.
 */
/*
 * The customer's lot sums in one pass over their ledger: all debits, and
 * the credits lapsed by now and by soon.
 */
static int
lot_sums(struct store *s, int64_t customer, int64_t now_ms, int64_t soon_ms,
	int64_t *debits, int64_t *lapsed_now, int64_t *lapsed_soon,
	struct perr *e)
{
	char a[32], b[32];
	sqlite3_stmt *st;
	int rc;

	iso(now_ms, a, sizeof a);
	iso(soon_ms, b, sizeof b);
	if (store_stmt(s, "SELECT -coalesce(sum(points) FILTER (WHERE points < "
	    "0), 0), coalesce(sum(points) FILTER (WHERE points > 0 AND "
	    "expires_at <= ?2), 0), coalesce(sum(points) FILTER (WHERE points > "
	    "0 AND expires_at <= ?3), 0) FROM ledger WHERE customer_id = ?1",
	    &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	sqlite3_bind_text(st, 2, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*debits = sqlite3_column_int64(st, 0);
		*lapsed_now = sqlite3_column_int64(st, 1);
		*lapsed_soon = sqlite3_column_int64(st, 2);
	}
	store_stmt_done(s, st);
	return rc == SQLITE_ROW ? 0 : store_error(s, rc, e, "points");
}

/* What of lapsed is not used by debits: never below 0 nor over balance. */
static int64_t
unused(int64_t lapsed, int64_t debits, int64_t balance)
{
	int64_t v = lapsed - debits;

	return v > balance ? (balance > 0 ? balance : 0) : v < 0 ? 0 : v;
}

int
loyalty_tier_now(struct store *s, const struct config *cfg, int64_t customer,
	int64_t now_ms, int *tier, struct perr *e)
{
	int64_t q;

	if (qualifying(s, customer, now_ms, &q, e) < 0)
		return -1;
	*tier = loyalty_tier_for(cfg, q);
	return 0;
}

int
loyalty_status(struct store *s, const struct config *cfg, int64_t customer,
	int64_t now_ms, struct loyalty_status *st, struct perr *e)
{
	int64_t debits, now_lapsed, soon_lapsed;
	char at[32];

	memset(st, 0, sizeof *st);
	if (loyalty_balance(s, customer, &st->balance, e) < 0 ||
	    qualifying(s, customer, now_ms, &st->qualifying, e) < 0 ||
	    lot_sums(s, customer, now_ms, now_ms + LOYALTY_SOON_DAYS *
	    MS_PER_DAY, &debits, &now_lapsed, &soon_lapsed, e) < 0)
		return -1;
	st->tier = loyalty_tier_for(cfg, st->qualifying);
	st->next = st->tier + 1 < cfg->ntiers ? st->tier + 1 : -1;
	if (st->next >= 0)
		st->to_next = cfg->tiers[st->next].threshold - st->qualifying;
	/* Lapsed already (the upkeep has not run yet) is not "soon". */
	st->expiring = unused(soon_lapsed, debits, st->balance) -
	    unused(now_lapsed, debits, st->balance);
	if (st->expiring > 0) {
		sqlite3_stmt *q;
		int64_t upto = 0;
		int rc;

		/* The first lot not used up: walking the lots in expiry order
		 * (a covering index), where their sum passes what debits took
		 * and the lot has not lapsed yet. */
		if (store_stmt(s, "SELECT expires_at, points FROM ledger WHERE "
		    "customer_id = ?1 AND points > 0 AND expires_at IS NOT NULL "
		    "ORDER BY expires_at", &q, e) < 0)
			return -1;
		iso(now_ms, at, sizeof at);
		sqlite3_bind_int64(q, 1, customer);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			const char *x = (const char *)sqlite3_column_text(q, 0);

			upto += sqlite3_column_int64(q, 1);
			if (upto > debits && x != NULL && strcmp(x, at) > 0) {
				st->expiring_ms = store_col_ms(q, 0);
				break;
			}
		}
		store_stmt_done(s, q);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_error(s, rc, e, "points");
	}
	return 0;
}

static int
entry_read(struct store *s, int64_t id, struct ledger_entry *out,
	struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_stmt(s, "SELECT l.id, l.uuid, l.customer_id, l.kind, "
	    "l.points, l.balance, coalesce(l.purchase_id, 0), "
	    "coalesce(l.reason, ''), l.created_at, l.expires_at, "
	    "coalesce(f.name, '') FROM ledger l LEFT JOIN staff f ON "
	    "f.id = l.staff_id WHERE l.id = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 3);

		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(st, 0);
		snprintf(out->uuid, sizeof out->uuid, "%s",
		    (const char *)sqlite3_column_text(st, 1));
		out->customer_id = sqlite3_column_int64(st, 2);
		for (int i = 0; i < LK_NKINDS; i++)
			if (strcmp(k, loyalty_kind_names[i]) == 0)
				out->kind = i;
		out->points = sqlite3_column_int64(st, 4);
		out->balance = sqlite3_column_int64(st, 5);
		out->purchase_id = sqlite3_column_int64(st, 6);
		snprintf(out->reason, sizeof out->reason, "%s",
		    (const char *)sqlite3_column_text(st, 7));
		out->occurred_ms = store_col_ms(st, 8);
		out->expires_ms = store_col_ms(st, 9);
		snprintf(out->staff, sizeof out->staff, "%s",
		    (const char *)sqlite3_column_text(st, 10));
	}
	store_stmt_done(s, st);
	if (rc == SQLITE_DONE)
		return perr_set(e, PX_FAIL, "no ledger entry %lld",
		    (long long)id);
	return rc == SQLITE_ROW ? 0 : store_error(s, rc, e, "points");
}

/* loyalty_post with an explicit expiry: -1 never, 0 by the rule. */
static int
post(struct store *s, const struct config *cfg, const struct ledger_post *p,
	int64_t expires_ms, struct ledger_entry *out, struct perr *e)
{
	int64_t balance, existing, now = util_now_ms();
	char uuid[37], created[32], expires[32];
	sqlite3_stmt *st;
	const char *why;
	int rc;

	if (p->points == 0)
		return perr_set(e, PX_DATAERR, "points must not be zero");
	if (p->reason != NULL &&
	    (why = utf8_check(p->reason, LOYALTY_REASON_MAX, 0)) != NULL)
		return perr_set(e, PX_DATAERR, "reason: %s", why);
	if (store_begin(s, e) < 0)
		return -1;
	if (p->cause != NULL) {
		if (store_stmt(s, "SELECT id FROM ledger WHERE customer_id = ?1 "
		    "AND cause = ?2", &st, e) < 0)
			goto fail;
		sqlite3_bind_int64(st, 1, p->customer_id);
		sqlite3_bind_text(st, 2, p->cause, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		existing = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		store_stmt_done(s, st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			store_error(s, rc, e, "points");
			goto fail;
		}
		if (existing > 0) {
			if (out != NULL && entry_read(s, existing, out, e) < 0)
				goto fail;
			return store_commit(s, e) < 0 ? -1 : 1;
		}
	}
	if (loyalty_balance(s, p->customer_id, &balance, e) < 0)
		goto fail;
	if (p->points < 0 && balance + p->points < 0 && !p->allow_negative) {
		perr_set(e, PX_DATAERR, "customer %lld has %lld points: cannot "
		    "take %lld", (long long)p->customer_id, (long long)balance,
		    (long long)-p->points);
		goto fail;
	}
	if (p->points > 0 && expires_ms == 0 && cfg != NULL &&
	    cfg->loyalty_expiry_months > 0)
		expires_ms = util_add_months(p->occurred_ms ? p->occurred_ms :
		    now, cfg->loyalty_expiry_months);
	util_uuid7(uuid);
	iso(now, created, sizeof created);
	if (store_stmt(s, "INSERT INTO ledger (uuid, customer_id, kind, points, "
	    "balance, purchase_id, cause, reason, expires_at, staff_id, "
	    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	    &st, e) < 0)
		goto fail;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, p->customer_id);
	sqlite3_bind_text(st, 3, loyalty_kind_names[p->kind], -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, p->points);
	sqlite3_bind_int64(st, 5, balance + p->points);
	if (p->purchase_id > 0)
		sqlite3_bind_int64(st, 6, p->purchase_id);
	if (p->cause != NULL)
		sqlite3_bind_text(st, 7, p->cause, -1, SQLITE_STATIC);
	if (p->reason != NULL && p->reason[0] != '\0')
		sqlite3_bind_text(st, 8, p->reason, -1, SQLITE_STATIC);
	if (p->points > 0 && expires_ms > 0) {
		iso(expires_ms, expires, sizeof expires);
		sqlite3_bind_text(st, 9, expires, -1, SQLITE_STATIC);
	}
	if (p->actor > 0)
		sqlite3_bind_int64(st, 10, p->actor);
	sqlite3_bind_text(st, 11, created, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	if (rc != SQLITE_DONE) {
		store_error(s, rc, e, "points");
		goto fail;
	}
	existing = sqlite3_last_insert_rowid(store_db(s));
	if (store_stmt(s, "UPDATE customer SET points = points + ?2 WHERE "
	    "id = ?1", &st, e) < 0)
		goto fail;
	sqlite3_bind_int64(st, 1, p->customer_id);
	sqlite3_bind_int64(st, 2, p->points);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	if (rc != SQLITE_DONE) {
		store_error(s, rc, e, "points");
		goto fail;
	}
	if (out != NULL && entry_read(s, existing, out, e) < 0)
		goto fail;
	return store_commit(s, e) < 0 ? (store_rollback(s), -1) : 0;
fail:
	store_rollback(s);
	return -1;
}

int
loyalty_post(struct store *s, const struct config *cfg,
	const struct ledger_post *p, struct ledger_entry *out, struct perr *e)
{
	return post(s, cfg, p, 0, out, e);
}

static int
need_reason(const char *reason, const char *what, struct perr *e)
{
	if (reason == NULL || reason[strspn(reason, " \t")] == '\0')
		return perr_set(e, PX_DATAERR, "%s needs a reason", what);
	return 0;
}

int
loyalty_redeem(struct store *s, const struct config *cfg, int64_t customer,
	int64_t points, const char *reason, int64_t actor, int64_t now_ms,
	struct ledger_entry *out, struct perr *e)
{
	struct ledger_post p = { customer, LK_REDEEM, -points, 0, NULL, reason,
		now_ms, actor, 0 };

	if (points <= 0)
		return perr_set(e, PX_DATAERR, "redeem a positive number of "
		    "points");
	if (points < cfg->loyalty_min_redeem)
		return perr_set(e, PX_DATAERR, "at least %d points are redeemed "
		    "at once (loyalty.min_redeem)", cfg->loyalty_min_redeem);
	return post(s, cfg, &p, 0, out, e) < 0 ? -1 : 0;
}

int
loyalty_adjust(struct store *s, const struct config *cfg, int64_t customer,
	int64_t points, const char *reason, int64_t actor, int64_t now_ms,
	struct ledger_entry *out, struct perr *e)
{
	struct ledger_post p = { customer, LK_ADJUST, points, 0, NULL, reason,
		now_ms, actor, 0 };

	if (need_reason(reason, "an adjustment", e) < 0)
		return -1;
	return post(s, cfg, &p, 0, out, e) < 0 ? -1 : 0;
}

int
loyalty_earn(struct store *s, const struct config *cfg, int64_t customer,
	int64_t points, const char *reason, int64_t actor, int64_t now_ms,
	struct ledger_entry *out, struct perr *e)
{
	struct ledger_post p = { customer, LK_EARN, points, 0, NULL, reason,
		now_ms, actor, 0 };

	if (points <= 0)
		return perr_set(e, PX_DATAERR, "earn a positive number of "
		    "points");
	if (need_reason(reason, "earning points without a purchase", e) < 0)
		return -1;
	return post(s, cfg, &p, 0, out, e) < 0 ? -1 : 0;
}

int
loyalty_welcome(struct store *s, const struct config *cfg, int64_t customer,
	int64_t actor, int64_t now_ms, struct perr *e)
{
	struct ledger_post p = { customer, LK_BONUS, cfg->loyalty_welcome_bonus,
		0, "welcome", "welcome bonus", now_ms, actor, 0 };

	if (cfg->loyalty_welcome_bonus <= 0)
		return 0;
	return post(s, cfg, &p, 0, NULL, e) < 0 ? -1 : 0;
}

int
loyalty_retier(struct store *s, const struct config *cfg, int64_t customer,
	int64_t now_ms, struct perr *e)
{
	const char *tier;
	char old[64] = "", at[32];
	sqlite3_stmt *st;
	int64_t q;
	int t, rc, had;

	if (qualifying(s, customer, now_ms, &q, e) < 0)
		return -1;
	t = loyalty_tier_for(cfg, q);
	tier = t >= 0 ? cfg->tiers[t].name : NULL;
	if (store_stmt(s, "SELECT tier FROM customer WHERE id = ?1", &st,
	    e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	rc = sqlite3_step(st);
	had = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
	if (had)
		snprintf(old, sizeof old, "%s",
		    (const char *)sqlite3_column_text(st, 0));
	store_stmt_done(s, st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "tier");
	/* Written only when it changes: no change-log entry otherwise. */
	if ((tier == NULL && !had) || (tier != NULL && had &&
	    strcmp(tier, old) == 0))
		return 0;
	iso(util_now_ms(), at, sizeof at);
	if (store_stmt(s, "UPDATE customer SET tier = ?2 WHERE id = ?1", &st,
	    e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	if (tier != NULL)
		sqlite3_bind_text(st, 2, tier, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, e, "tier");
	/* What the "tier" task rule reacts to. */
	if (store_stmt(s, "INSERT INTO tier_change (customer_id, tier, "
	    "previous, at) VALUES (?1, ?2, ?3, ?4)", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	if (tier != NULL)
		sqlite3_bind_text(st, 2, tier, -1, SQLITE_STATIC);
	if (had)
		sqlite3_bind_text(st, 3, old, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	return rc == SQLITE_DONE ? 1 : store_error(s, rc, e, "tier");
}

/* Ids from a query binding ?1 and ?2 as text, into a growing array. */
static int
ids_of(struct store *s, const char *sql, const char *a, const char *b,
	int64_t c, int64_t **ids, size_t *n, struct perr *e)
{
	sqlite3_stmt *st;

	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b != NULL)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_int64(st, 3, c);
	return store_ids(s, st, ids, n, "upkeep", e);
}

static int
upkeep_expire(struct store *s, const struct config *cfg, int64_t now_ms,
	const char *last, int64_t last_id, struct loyalty_upkeep *r,
	struct perr *e)
{
	int64_t *ids = NULL, balance, lapsed, debits, soon;
	size_t n = 0;
	char now[32], reason[96], day[16];
	int rc = 0;

	iso(now_ms, now, sizeof now);
	/* Lots that lapsed since the last run, and lots recorded since then
	 * that had lapsed already (a backdated purchase or import). */
	if (ids_of(s, "SELECT l.customer_id FROM ledger l JOIN customer c ON "
	    "c.id = l.customer_id WHERE l.expires_at > ?1 AND l.expires_at <= "
	    "?2 AND c.deleted_at IS NULL UNION SELECT l.customer_id FROM "
	    "ledger l JOIN customer c ON c.id = l.customer_id WHERE l.id > ?3 "
	    "AND l.expires_at <= ?2 AND c.deleted_at IS NULL", last, now,
	    last_id, &ids, &n, e) < 0)
		return -1;
	util_time_local(now_ms, "%Y-%m-%d", day, sizeof day);
	snprintf(reason, sizeof reason, "unused points lapsed by %s", day);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct ledger_post p = { ids[i], LK_EXPIRE, 0, 0, NULL, reason,
			now_ms, 0, 0 };

		if (loyalty_balance(s, ids[i], &balance, e) < 0 ||
		    lot_sums(s, ids[i], now_ms, now_ms, &debits, &lapsed, &soon,
		    e) < 0) {
			rc = -1;
			break;
		}
		lapsed = unused(lapsed, debits, balance);
		if (lapsed == 0)
			continue;
		p.points = -lapsed;
		if (post(s, cfg, &p, 0, NULL, e) < 0)
			rc = -1;
		r->expired_customers++;
		r->expired_points += lapsed;
	}
	free(ids);
	return rc;
}

static int
upkeep_birthdays(struct store *s, const struct config *cfg, int64_t now_ms,
	struct loyalty_upkeep *r, struct perr *e)
{
	if (cfg->loyalty_birthday_bonus <= 0)
		return 0;
	/* The last seven days, today included: a shop closed on the day
	 * still gives the bonus when it opens. */
	for (int d = 0; d < 7; d++) {
		int64_t t = now_ms - d * MS_PER_DAY, *ids = NULL;
		char md[8], year[8], cause[32];
		size_t n = 0;
		int y;

		util_time_local(t, "%m-%d", md, sizeof md);
		util_time_local(t, "%Y", year, sizeof year);
		y = atoi(year);
		if (ids_of(s, "SELECT id FROM customer WHERE substr(birthday, 6) "
		    "= ?1 AND deleted_at IS NULL", md, NULL, 0, &ids, &n, e) < 0)
			return -1;
		/* 29 February is kept on the 28th in other years. */
		if (strcmp(md, "02-28") == 0 &&
		    !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) &&
		    ids_of(s, "SELECT id FROM customer WHERE substr(birthday, 6) "
		    "= ?1 AND deleted_at IS NULL", "02-29", NULL, 0, &ids, &n,
		    e) < 0) {
			free(ids);
			return -1;
		}
		snprintf(cause, sizeof cause, "birthday:%d", y);
		for (size_t i = 0; i < n; i++) {
			struct ledger_post p = { ids[i], LK_BONUS,
				cfg->loyalty_birthday_bonus, 0, cause,
				"birthday bonus", now_ms, 0, 0 };
			int rc = post(s, cfg, &p, 0, NULL, e);

			if (rc < 0) {
				free(ids);
				return -1;
			}
			r->birthday_bonuses += rc == 0;
		}
		free(ids);
	}
	return 0;
}

void
loyalty_tiers_sig(const struct config *cfg, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int i = 0; i < cfg->ntiers && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s:%lld",
		    i ? "," : "", cfg->tiers[i].name,
		    (long long)cfg->tiers[i].threshold);
}

/* Is sig the tiers the upkeep last applied (or none applied yet)? */
static int
tiers_applied(struct store *s, const char *sig, int *same, struct perr *e)
{
	char last[CONFIG_TIERS_MAX * 64];
	int rc = store_meta_get(s, "loyalty_tiers", last, sizeof last,
	    "upkeep", e);

	if (rc < 0)
		return -1;
	*same = rc == 0 || strcmp(last, sig) == 0;
	return 0;
}

static int
upkeep_tiers(struct store *s, const struct config *cfg, int64_t now_ms,
	int64_t last_ms, struct loyalty_upkeep *r, struct perr *e)
{
	char from[32], to[32], sig[CONFIG_TIERS_MAX * 64];
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = 0, same;

	loyalty_tiers_sig(cfg, sig, sizeof sig);
	if (tiers_applied(s, sig, &same, e) < 0)
		return -1;
	/* Purchases that left the 12-month window since the last run; with
	 * tiers configured otherwise than when last applied, everyone. */
	if (last_ms > 0 && same)
		iso(util_add_months(last_ms, -LOYALTY_TIER_MONTHS), from,
		    sizeof from);
	else
		from[0] = '\0';
	iso(util_add_months(now_ms, -LOYALTY_TIER_MONTHS), to, sizeof to);
	if (ids_of(s, same ? "SELECT DISTINCT customer_id FROM purchase WHERE "
	    "occurred_at > ?1 AND occurred_at <= ?2" : "SELECT id FROM "
	    "customer WHERE deleted_at IS NULL", from, to, 0,
	    &ids, &n, e) < 0)
		return -1;
	if (store_meta_set(s, "loyalty_tiers", sig, "upkeep", e) < 0) {
		free(ids);
		return -1;
	}
	for (size_t i = 0; i < n && rc >= 0; i++) {
		rc = loyalty_retier(s, cfg, ids[i], now_ms, e);
		r->retiered += rc == 1;
	}
	free(ids);
	return rc < 0 ? -1 : 0;
}

int
loyalty_upkeep(struct store *s, const struct config *cfg, int64_t now_ms,
	struct loyalty_upkeep *r, struct perr *e)
{
	sqlite3_stmt *st;
	char last[32], last_id[32], now[32];
	int64_t last_ms = 0;
	int rc;

	memset(r, 0, sizeof *r);
	if (store_begin(s, e) < 0)
		return -1;
	if (store_meta_get(s, "loyalty_upkeep_at", last, sizeof last, "upkeep",
	    e) < 0 || store_meta_get(s, "loyalty_upkeep_id", last_id,
	    sizeof last_id, "upkeep", e) < 0)
		goto fail;
	if (last[0] != '\0' && util_time_parse(last, &last_ms) < 0)
		last[0] = '\0';
	/* A clock set back: nothing is undone, the next run catches up. */
	if (last_ms > now_ms)
		return store_commit(s, e);
	iso(now_ms, now, sizeof now);
	if (upkeep_expire(s, cfg, now_ms, last, atoll(last_id), r, e) < 0 ||
	    upkeep_birthdays(s, cfg, now_ms, r, e) < 0 ||
	    upkeep_tiers(s, cfg, now_ms, last_ms, r, e) < 0)
		goto fail;
	/* The ledger's last entry, so the next run starts after it. */
	if (store_prepare(s, "SELECT coalesce(max(id), 0) FROM ledger", &st,
	    e) < 0)
		goto fail;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(last_id, sizeof last_id, "%lld",
		    (long long)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		store_error(s, rc, e, "upkeep");
		goto fail;
	}
	if (store_meta_set(s, "loyalty_upkeep_at", now, "upkeep", e) < 0 ||
	    store_meta_set(s, "loyalty_upkeep_id", last_id, "upkeep", e) < 0)
		goto fail;
	if (store_commit(s, e) == 0)
		return 0;
fail:
	store_rollback(s);
	return -1;
}

static int
entry_row(sqlite3_stmt *st, struct ledger_entry *out)
{
	const char *k = (const char *)sqlite3_column_text(st, 3);

	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(st, 0);
	snprintf(out->uuid, sizeof out->uuid, "%s",
	    (const char *)sqlite3_column_text(st, 1));
	out->customer_id = sqlite3_column_int64(st, 2);
	for (int i = 0; i < LK_NKINDS; i++)
		if (k != NULL && strcmp(k, loyalty_kind_names[i]) == 0)
			out->kind = i;
	out->points = sqlite3_column_int64(st, 4);
	out->balance = sqlite3_column_int64(st, 5);
	out->purchase_id = sqlite3_column_int64(st, 6);
	snprintf(out->reason, sizeof out->reason, "%s",
	    (const char *)sqlite3_column_text(st, 7));
	out->occurred_ms = store_col_ms(st, 8);
	out->expires_ms = store_col_ms(st, 9);
	snprintf(out->staff, sizeof out->staff, "%s",
	    (const char *)sqlite3_column_text(st, 10));
	return 0;
}

#define ENTRY_COLS "l.id, l.uuid, l.customer_id, l.kind, l.points, " \
	"l.balance, coalesce(l.purchase_id, 0), coalesce(l.reason, ''), " \
	"l.created_at, l.expires_at, coalesce(f.name, '') FROM ledger l " \
	"LEFT JOIN staff f ON f.id = l.staff_id "

long
loyalty_history(struct store *s, int64_t customer, int64_t before_id,
	long limit, int (*fn)(const struct ledger_entry *, void *), void *arg,
	struct perr *e)
{
	struct ledger_entry en;
	sqlite3_stmt *st;
	long n = 0;
	int rc;

	if (store_prepare(s, "SELECT " ENTRY_COLS "WHERE l.customer_id = ?1 "
	    "AND l.id < ?2 ORDER BY l.id DESC LIMIT ?3", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	sqlite3_bind_int64(st, 2, before_id > 0 ? before_id : INT64_MAX);
	sqlite3_bind_int64(st, 3, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		entry_row(st, &en);
		n++;
		if (fn(&en, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : store_error(s, rc, e, "points");
}

int
loyalty_each(struct store *s, int (*fn)(const struct ledger_entry *, void *),
	void *arg, struct perr *e)
{
	struct ledger_entry en;
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(s, "SELECT " ENTRY_COLS "ORDER BY l.id", &st, e) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		entry_row(st, &en);
		if (fn(&en, arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "points");
}

int
loyalty_merge(struct store *s, const struct config *cfg, int64_t keep,
	int64_t other, int64_t actor, int64_t now_ms, struct perr *e)
{
	sqlite3_stmt *st;
	int64_t balance, debits, moved = 0;
	char reason[96];
	int rc;

	if (loyalty_balance(s, other, &balance, e) < 0)
		return -1;
	if (balance == 0)
		return 0;
	snprintf(reason, sizeof reason, "merged from customer %lld",
	    (long long)other);
	if (balance < 0) {
		/* A debt moves as it is. */
		struct ledger_post in = { keep, LK_ADJUST, balance, 0, NULL,
			reason, now_ms, actor, 1 };

		if (post(s, cfg, &in, -1, NULL, e) < 0)
			return -1;
		moved = balance;
	} else {
		/* The lots left, each with its expiry: debits used them in
		 * expiry order (never-expiring lots last). */
		if (one_int(s, "SELECT -coalesce(sum(points), 0) FROM ledger "
		    "WHERE customer_id = ?1 AND points < 0", other, NULL,
		    &debits, e) < 0 ||
		    store_prepare(s, "SELECT points, expires_at FROM ledger "
		    "WHERE customer_id = ?1 AND points > 0 ORDER BY expires_at "
		    "IS NULL, expires_at, id", &st, e) < 0)
			return -1;
		sqlite3_bind_int64(st, 1, other);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW && moved < balance) {
			int64_t lot = sqlite3_column_int64(st, 0), exp;
			struct ledger_post in = { keep, LK_ADJUST, 0, 0, NULL,
				reason, now_ms, actor, 0 };

			if (debits >= lot) {
				debits -= lot;
				continue;
			}
			lot -= debits;
			debits = 0;
			if (lot > balance - moved)
				lot = balance - moved;
			exp = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 :
			    store_col_ms(st, 1);
			in.points = lot;
			if (post(s, cfg, &in, exp, NULL, e) < 0) {
				sqlite3_finalize(st);
				return -1;
			}
			moved += lot;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_error(s, rc, e, "merge");
		/* Lots and balance disagree only after a negative spell:
		 * whatever is left moves without an expiry. */
		if (moved < balance) {
			struct ledger_post in = { keep, LK_ADJUST,
				balance - moved, 0, NULL, reason, now_ms, actor,
				0 };

			if (post(s, cfg, &in, -1, NULL, e) < 0)
				return -1;
		}
	}
	snprintf(reason, sizeof reason, "merged into customer %lld",
	    (long long)keep);
	{
		struct ledger_post out = { other, LK_ADJUST, -balance, 0, NULL,
			reason, now_ms, actor, 1 };

		return post(s, cfg, &out, -1, NULL, e) < 0 ? -1 : 0;
	}
}

long
loyalty_check(struct store *s, void (*fn)(const char *, void *), void *arg,
	struct perr *e)
{
	sqlite3_stmt *st;
	char msg[256];
	long bad = 0;
	int rc;

	/* Cached balances against the sums. */
	if (store_prepare(s, "SELECT c.id, c.points, coalesce((SELECT "
	    "sum(points) FROM ledger WHERE customer_id = c.id), 0) AS sum FROM "
	    "customer c WHERE c.points <> sum", &st, e) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(msg, sizeof msg, "customer %lld: cached balance %lld, "
		    "ledger sum %lld", sqlite3_column_int64(st, 0),
		    sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2));
		fn(msg, arg);
		bad++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, e, "check");
	/* Each entry's balance: the running sum in entry order. */
	if (store_prepare(s, "SELECT id, customer_id, balance, run FROM (SELECT "
	    "id, customer_id, balance, sum(points) OVER (PARTITION BY "
	    "customer_id ORDER BY id) AS run FROM ledger) WHERE balance <> run",
	    &st, e) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(msg, sizeof msg, "ledger entry %lld (customer %lld): "
		    "balance %lld, running sum %lld", sqlite3_column_int64(st, 0),
		    sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
		    sqlite3_column_int64(st, 3));
		fn(msg, arg);
		bad++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, e, "check");
	return bad;
}
