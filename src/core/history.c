/*
 * history: what the customer row caches from the history (the last
 * visit), the check of that cache, and the summary above the timeline
 * (history.h).
 */
#include "patron/history.h"
#include "patron/loyalty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
