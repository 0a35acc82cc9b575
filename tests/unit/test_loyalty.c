/*
 * test_loyalty: money and time helpers, the points rules, and the ledger,
 * purchases, upkeep, merge and timeline on a real encrypted database. Each
 * balance is checked against the ledger it caches.
 */
#include "unit.h"
#include "unit_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "patron/customer.h"
#include "patron/history.h"
#include "patron/interaction.h"
#include "patron/purchase.h"
#include "patron/timeline.h"
#include "patron/loyalty.h"

#define DAY_MS (86400LL * 1000)

/* purchase_add's answer; the error, if any, in f->e. */
static int
buy(struct unit_fixture *f, int64_t customer, const char *receipt,
	int64_t total, int64_t at, int64_t return_of, struct purchase *p)
{
	struct purchase_input in = { .customer_id = customer,
		.receipt = receipt, .total = total, .occurred_ms = at,
		.return_of = return_of };

	return purchase_add(f->s, &f->cfg, &in, 0, p, &f->e);
}

/* A purchase that must succeed; its points. */
static int64_t
sale(struct unit_fixture *f, int64_t customer, int64_t total, int64_t at,
	struct purchase *p)
{
	struct purchase tmp;

	if (p == NULL)
		p = &tmp;
	if (buy(f, customer, NULL, total, at, 0, p) != 0)
		fail_msg("purchase: %s", f->e.msg);
	return p->points;
}

/* The first column of the first row of sql (?1 bound to a), or -999. */
static int64_t
q_int(struct unit_fixture *f, const char *sql, int64_t a)
{
	sqlite3_stmt *st;
	int64_t v = -999;

	if (store_prepare(f->s, sql, &st, &f->e) < 0)
		fail_msg("%s: %s", sql, f->e.msg);
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t
balance(struct unit_fixture *f, int64_t id)
{
	int64_t cached = q_int(f, "SELECT points FROM customer WHERE id = ?1",
	    id);

	/* The cache and the ledger never disagree. */
	assert_int_equal(cached, q_int(f, "SELECT coalesce(sum(points), 0) "
	    "FROM ledger WHERE customer_id = ?1", id));
	return cached;
}

static int64_t
entries(struct unit_fixture *f, int64_t id)
{
	return q_int(f, "SELECT count(*) FROM ledger WHERE customer_id = ?1",
	    id);
}

static void
count_problem(const char *msg, void *arg)
{
	(*(long *)arg)++;
}

static long
problems(struct unit_fixture *f)
{
	long seen = 0, n = loyalty_check(f->s, count_problem, &seen, &f->e);

	assert_int_equal(n, seen);
	return n;
}

static int64_t
utc_ms(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
		.tm_hour = h, .tm_min = mi, .tm_sec = s };

	return (int64_t)timegm(&tm) * 1000;
}

/* loyalty_redeem, _adjust and _earn share one shape. */
typedef int (*points_fn)(struct store *, const struct config *, int64_t,
	int64_t, const char *, int64_t, int64_t, struct ledger_entry *,
	struct perr *);

static int
op(struct unit_fixture *f, points_fn fn, int64_t id, int64_t points,
	const char *reason, struct ledger_entry *en)
{
	return fn(f->s, &f->cfg, id, points, reason, 0, util_now_ms(), en,
	    &f->e);
}

static int
void_of(struct unit_fixture *f, int64_t id, struct purchase *p)
{
	return purchase_void(f->s, &f->cfg, id, "test", 0, p, &f->e);
}

/* The call was refused as bad data. */
static void
refused(struct unit_fixture *f, int rc)
{
	assert_int_equal(rc, -1);
	assert_int_equal(f->e.code, PX_DATAERR);
}

static void
test_decimal(void **state)
{
	static const struct { const char *s; int dec; int64_t v; } good[] = {
		{ "12", 2, 1200 }, { "12.5", 2, 1250 }, { "-3.25", 2, -325 },
		{ "0.01", 2, 1 }, { "7", 0, 7 }, { "+4.1", 3, 4100 },
		/* 10^15 is the largest magnitude */
		{ "10000000000000", 2, 1000000000000000LL },
		{ "-10000000000000", 2, -1000000000000000LL },
	};
	static const char *const bad[] = { "", "-", "+", "12.", ".", "1.234",
		"1e3", "12,50", " 12", "12 ", "1.2.3", "--1", "0x10",
		"10000000000000.01", "99999999999999999999", NULL };
	static const struct { int64_t v; int dec; const char *s; } fmt[] = {
		{ 1250, 2, "12.50" }, { -5, 2, "-0.05" }, { 7, 0, "7" },
		{ -1234567, 3, "-1234.567" }, { 0, 2, "0.00" },
		{ INT64_MIN, 2, "-92233720368547758.08" },
	};
	int64_t v;
	char buf[32];

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(util_decimal_parse(good[i].s, good[i].dec, &v),
		    0);
		assert_int_equal(v, good[i].v);
	}
	assert_int_equal(util_decimal_parse("7.5", 0, &v), -1);
	for (int i = 0; bad[i] != NULL; i++) {
		v = 42;
		if (util_decimal_parse(bad[i], 2, &v) != -1 || v != 42)
			fail_msg("'%s' was accepted", bad[i]);
	}
	for (size_t i = 0; i < sizeof fmt / sizeof fmt[0]; i++) {
		util_decimal_format(fmt[i].v, fmt[i].dec, buf, sizeof buf);
		assert_string_equal(buf, fmt[i].s);
	}
	assert_int_equal(util_currency_decimals("CNY"), 2);
	assert_int_equal(util_currency_decimals("JPY"), 0);
	assert_int_equal(util_currency_decimals("KWD"), 3);
	/* For people: thousands separated, a sign when asked. */
	util_decimal_group(1250000, 2, 0, buf, sizeof buf);
	assert_string_equal(buf, "12,500.00");
	util_decimal_group(1250, 0, 1, buf, sizeof buf);
	assert_string_equal(buf, "+1,250");
	util_decimal_group(-1250, 0, 1, buf, sizeof buf);
	assert_string_equal(buf, "-1,250");
	util_decimal_group(999, 0, 1, buf, sizeof buf);
	assert_string_equal(buf, "+999");
	util_decimal_group(0, 0, 1, buf, sizeof buf);
	assert_string_equal(buf, "0");
	util_decimal_group(-100000, 2, 0, buf, sizeof buf);
	assert_string_equal(buf, "-1,000.00");
	util_decimal_group(INT64_MIN, 2, 0, buf, sizeof buf);
	assert_string_equal(buf, "-92,233,720,368,547,758.08");
	util_money_text(26850, "CNY", buf, sizeof buf);
	assert_string_equal(buf, "268.50 CNY");
	util_money_text(1234567, "JPY", buf, sizeof buf);
	assert_string_equal(buf, "1,234,567 JPY");
}

static void
test_time(void **state)
{
	static const struct { const char *s; int y, mo, d, h, mi, sec, ms; }
	    good[] = {	/* in UTC */
		/* A date alone is local midnight: 16:00 UTC the day before. */
		{ "2026-12-01", 2026, 11, 30, 16, 0, 0, 0 },
		{ "2026-12-01 15:30", 2026, 12, 1, 7, 30, 0, 0 },
		{ "2026-12-01T15:30:45", 2026, 12, 1, 7, 30, 45, 0 },
		{ "2026-12-01T07:30:00Z", 2026, 12, 1, 7, 30, 0, 0 },
		{ "2026-12-01T15:30:00+08:00", 2026, 12, 1, 7, 30, 0, 0 },
		{ "2026-12-01T02:00:00-05:30", 2026, 12, 1, 7, 30, 0, 0 },
		{ "2026-12-01T07:30:00.123Z", 2026, 12, 1, 7, 30, 0, 123 },
		{ "2028-02-29", 2028, 2, 28, 16, 0, 0, 0 },
	};
	static const char *const bad[] = { "2026-02-29", "2026-13-01",
		"2026-00-10", "2026-04-31", "2026-1-1", "2026-12-01x",
		"2026-12-01 15:30x", "2026-12-01 24:00", "2026-12-01T15:61",
		"2026-12-01T07:30:00.12Z", "2026-12-01T07:30:00+0800",
		"2026-12-01 ", "", NULL };
	static const struct { int y, m, d, n, y2, m2, d2; } mon[] = {
		{ 2026, 1, 31, 1, 2026, 2, 28 },
		{ 2028, 1, 31, 1, 2028, 2, 29 },
		{ 2028, 2, 29, 12, 2029, 2, 28 },
		{ 2026, 3, 31, -1, 2026, 2, 28 },
		{ 2026, 1, 15, -13, 2024, 12, 15 },
		{ 2026, 11, 30, 24, 2028, 11, 30 },
	};
	int64_t ms;

	util_time_zone("Asia/Shanghai");
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (util_time_parse(good[i].s, &ms) != 0)
			fail_msg("'%s' was refused", good[i].s);
		assert_int_equal(ms, utc_ms(good[i].y, good[i].mo, good[i].d,
		    good[i].h, good[i].mi, good[i].sec) + good[i].ms);
	}
	for (int i = 0; bad[i] != NULL; i++)
		if (util_time_parse(bad[i], &ms) != -1)
			fail_msg("'%s' was accepted", bad[i]);
	/* Month ends clamp; the time of day stays. */
	for (size_t i = 0; i < sizeof mon / sizeof mon[0]; i++) {
		ms = utc_ms(mon[i].y, mon[i].m, mon[i].d, 10, 0, 0) + 5;
		assert_int_equal(util_add_months(ms, mon[i].n),
		    utc_ms(mon[i].y2, mon[i].m2, mon[i].d2, 10, 0, 0) + 5);
	}
}

static void
test_points_rules(void **state)
{
	enum { DOWN = CONFIG_ROUND_DOWN, NEAR = CONFIG_ROUND_NEAREST,
		ONE = CONFIG_SCALE };
	static const struct { const char *cur, *per_unit; int round;
		int64_t total; long mult; int64_t want; } earn[] = {
		{ "CNY", "1", DOWN, 1999, ONE, 19 },
		{ "CNY", "1", NEAR, 1999, ONE, 20 },
		{ "CNY", "1", NEAR, 1949, ONE, 19 },
		{ "CNY", "1", NEAR, 1950, ONE, 20 },
		{ "CNY", "0.5", DOWN, 1999, ONE, 9 },
		{ "CNY", "0.5", NEAR, 1999, ONE, 10 },
		{ "CNY", "2", DOWN, 1999, ONE, 39 },
		/* 19.99 x 1.25 = 24.9875; x 1.5 = 29.985 */
		{ "CNY", "1", DOWN, 1999, 12500, 24 },
		{ "CNY", "1", NEAR, 1999, 12500, 25 },
		{ "CNY", "1", DOWN, 1999, 15000, 29 },
		{ "CNY", "1", NEAR, 1999, 15000, 30 },
		{ "CNY", "1", DOWN, 10000, 12500, 125 },
		{ "CNY", "1", NEAR, 0, 15000, 0 },
		{ "CNY", "1", NEAR, -1999, 15000, 0 },
		/* Yen have no minor unit; dinars three decimals. */
		{ "JPY", "1", DOWN, 1999, ONE, 1999 },
		{ "JPY", "0.5", DOWN, 1999, ONE, 999 },
		{ "JPY", "0.5", NEAR, 1999, ONE, 1000 },
		{ "JPY", "0.5", NEAR, -5, ONE, 0 },
		{ "KWD", "1", DOWN, 1999, ONE, 1 },
	};
	static const struct { const char *cur, *value; int64_t points, want; }
	    worth[] = {
		{ "CNY", "0.01", 12345, 12345 }, { "CNY", "0.01", 0, 0 },
		{ "CNY", "0.015", 150, 225 }, { "CNY", "0.015", 1, 1 },
		{ "JPY", "0.01", 150, 1 }, { "KWD", "0.01", 1, 10 },
	};
	static const int64_t q[] = { 0, 999, 1000, 4999, 5000, 1000000 };
	static const int tier[] = { -1, -1, 0, 0, 1, 1 };
	struct unit_fixture *f = *state;
	struct config *c = &f->cfg;

	for (size_t i = 0; i < sizeof earn / sizeof earn[0]; i++) {
		strcpy(c->store_currency, earn[i].cur);
		strcpy(c->loyalty_points_per_unit, earn[i].per_unit);
		c->loyalty_rounding = earn[i].round;
		assert_int_equal(loyalty_points_for(c, earn[i].total,
		    earn[i].mult), earn[i].want);
	}
	/* Default tiers: Silver from 1000, Gold from 5000. */
	for (int i = 0; i < 6; i++)
		assert_int_equal(loyalty_tier_for(c, q[i]), tier[i]);
	/* Point values in minor units, rounded down. */
	for (size_t i = 0; i < sizeof worth / sizeof worth[0]; i++) {
		strcpy(c->store_currency, worth[i].cur);
		strcpy(c->loyalty_point_value, worth[i].value);
		assert_int_equal(loyalty_value(c, worth[i].points),
		    worth[i].want);
	}
}

static void
test_purchase_earns(void **state)
{
	struct unit_fixture *f = *state;
	struct purchase p, again;
	int64_t id, n;

	f->cfg.ntiers = 1;
	strcpy(f->cfg.tiers[0].name, "Club");
	f->cfg.tiers[0].threshold = 100;
	f->cfg.tiers[0].multiplier = 20000;
	id = unit_add(f, "Ada", NULL, NULL);
	assert_int_equal(buy(f, id, "R1", 15000, 0, 0, &p), 0);
	assert_int_equal(p.points, 150);
	assert_int_equal(p.balance, 150);
	assert_string_equal(p.currency, "CNY");
	assert_string_equal(p.branch, "MAIN");
	assert_int_equal(balance(f, id), 150);
	assert_int_equal(q_int(f, "SELECT tier = 'Club' FROM customer WHERE "
	    "id = ?1", id), 1);
	/* In the tier now: twice the points. */
	assert_int_equal(buy(f, id, "R2", 1000, 0, 0, &p), 0);
	assert_int_equal(p.points, 20);
	assert_int_equal(balance(f, id), 170);
	assert_int_equal(n = entries(f, id), 2);
	/* An offline retry of the same receipt earns nothing more. */
	assert_int_equal(buy(f, id, "R2", 1000, 0, 0, &again), 1);
	assert_int_equal(again.id, p.id);
	assert_int_equal(again.points, 20);
	assert_int_equal(balance(f, id), 170);
	/* The same receipt with another total or customer is a conflict. */
	refused(f, buy(f, id, "R2", 1001, 0, 0, &again));
	refused(f, buy(f, unit_add(f, "Bo", NULL, NULL), "R2", 1000, 0, 0,
	    &again));
	/* Ten minutes ahead of the clock is the future. */
	refused(f, buy(f, id, "R3", 1000, util_now_ms() + 10 * 60000, 0,
	    &again));
	assert_int_equal(q_int(f, "SELECT count(*) FROM purchase WHERE "
	    "customer_id = ?1", id), 2);
	assert_int_equal(balance(f, id), 170);
	assert_int_equal(entries(f, id), n);
	assert_int_equal(problems(f), 0);
}

static void
test_returns_voids(void **state)
{
	struct unit_fixture *f = *state;
	struct purchase big, small, r1, r2, v;
	int64_t id = unit_add(f, "Cy", NULL, NULL);

	assert_int_equal(sale(f, id, 10000, 0, &big), 100);
	assert_int_equal(buy(f, id, NULL, -2500, 0, big.id, &r1), 0);
	assert_int_equal(r1.points, -25);
	assert_int_equal(balance(f, id), 75);
	/* 75.00 is left to return: 80.00 is too much. */
	refused(f, buy(f, id, NULL, -8000, 0, big.id, &r2));
	assert_int_equal(balance(f, id), 75);
	/* Returned in two parts, the sale gives back all it earned. */
	assert_int_equal(sale(f, id, 1000, 0, &small), 10);
	assert_int_equal(buy(f, id, NULL, -333, 0, small.id, &r2), 0);
	assert_int_equal(r2.points, -3);
	assert_int_equal(buy(f, id, NULL, -667, 0, small.id, &r2), 0);
	assert_int_equal(r2.points, -7);
	refused(f, buy(f, id, NULL, -1, 0, small.id, &r2));
	assert_int_equal(balance(f, id), 75);
	/* A void reverses what the sale earned, once. */
	sale(f, id, 4000, 0, &v);
	assert_int_equal(balance(f, id), 115);
	assert_int_equal(void_of(f, v.id, &v), 0);
	assert_true(v.voided);
	assert_int_equal(balance(f, id), 75);
	refused(f, void_of(f, v.id, &v));
	assert_int_equal(balance(f, id), 75);
	/* Not a sale with live returns; void the return first. */
	refused(f, void_of(f, big.id, &v));
	assert_int_equal(void_of(f, r1.id, &v), 0);
	assert_int_equal(balance(f, id), 100);
	assert_int_equal(void_of(f, big.id, &v), 0);
	assert_int_equal(balance(f, id), 0);
	/* A voided sale cannot be returned. */
	refused(f, buy(f, id, NULL, -100, 0, big.id, &r2));
	assert_int_equal(problems(f), 0);
}

static int
returnable_one(const struct purchase *p, void *arg)
{
	struct purchase *out = arg;

	*out = *p;
	return 0;
}

/* A return names its sale; the ceiling of one purchase; what is left. */
static void
test_return_rules(void **state)
{
	struct unit_fixture *f = *state;
	struct purchase_input in = { 0 };
	struct purchase s1, p, left;
	int64_t id = unit_add(f, "Ed", NULL, NULL), n;

	assert_int_equal(sale(f, id, 10000, 0, &s1), 100);
	/* Without its sale a negative total takes nothing. */
	n = entries(f, id);
	refused(f, buy(f, id, NULL, -200000, 0, 0, &p));
	assert_non_null(strstr(f->e.msg, "names the sale"));
	assert_int_equal(balance(f, id), 100);
	assert_int_equal(entries(f, id), n);
	/* Too much for the sale: said in the currency, not minor units. */
	refused(f, buy(f, id, NULL, -500000, 0, s1.id, &p));
	assert_non_null(strstr(f->e.msg, "has 100.00 CNY left to return, "
	    "not 5,000.00 CNY"));
	/* What is left, net of a return. */
	assert_int_equal(buy(f, id, NULL, -3150, 0, s1.id, &p), 0);
	memset(&left, 0, sizeof left);
	assert_int_equal(purchase_returnable(f->s, id, 0, returnable_one,
	    &left, &f->e), 1);
	assert_int_equal(left.id, s1.id);
	assert_int_equal(left.left, 6850);
	assert_int_equal(buy(f, id, NULL, -6850, 0, s1.id, &p), 0);
	assert_int_equal(purchase_returnable(f->s, id, 0, returnable_one,
	    &left, &f->e), 0);
	/* The ceiling: store.max_purchase in the store's currency. */
	assert_int_equal(purchase_ceiling(&f->cfg), 10000000);
	refused(f, buy(f, id, NULL, 10000001, 0, 0, &p));
	assert_non_null(strstr(f->e.msg, "100,000.00 CNY"));
	strcpy(f->cfg.store_max_purchase, "0.5");
	strcpy(f->cfg.store_currency, "JPY");
	assert_int_equal(purchase_ceiling(&f->cfg), 1);	/* not none */
	strcpy(f->cfg.store_max_purchase, "2500.5");
	assert_int_equal(purchase_ceiling(&f->cfg), 2500);
	strcpy(f->cfg.store_currency, "KWD");
	assert_int_equal(purchase_ceiling(&f->cfg), 2500500);
	strcpy(f->cfg.store_max_purchase, "0");
	assert_int_equal(purchase_ceiling(&f->cfg), 0);
	strcpy(f->cfg.store_currency, "CNY");
	/* An import's return without its sale: never below zero. */
	in.customer_id = id;
	in.total = -50000;
	in.unlinked = 1;
	assert_int_equal(balance(f, id), 0);
	assert_int_equal(purchase_add(f->s, &f->cfg, &in, 0, &p, &f->e), 0);
	assert_int_equal(p.points, 0);
	assert_int_equal(balance(f, id), 0);
	assert_int_equal(problems(f), 0);
}

static void
test_redeem_adjust_earn(void **state)
{
	struct unit_fixture *f = *state;
	struct ledger_entry en;
	int64_t id = unit_add(f, "Di", NULL, NULL);

	refused(f, op(f, loyalty_earn, id, 500, NULL, &en));
	refused(f, op(f, loyalty_earn, id, 500, " \t", &en));
	refused(f, op(f, loyalty_earn, id, 0, "opening", &en));
	assert_int_equal(entries(f, id), 0);
	assert_int_equal(op(f, loyalty_earn, id, 500, "opening", &en), 0);
	assert_int_equal(en.kind, LK_EARN);
	assert_int_equal(en.balance, 500);
	assert_string_equal(en.reason, "opening");
	/* min_redeem is 100; the balance 500. Refusals write nothing. */
	refused(f, op(f, loyalty_redeem, id, 99, NULL, &en));
	refused(f, op(f, loyalty_redeem, id, 501, NULL, &en));
	refused(f, op(f, loyalty_redeem, id, 0, NULL, &en));
	assert_int_equal(balance(f, id), 500);
	assert_int_equal(entries(f, id), 1);
	assert_int_equal(op(f, loyalty_redeem, id, 150, NULL, &en), 0);
	assert_int_equal(en.kind, LK_REDEEM);
	assert_int_equal(en.points, -150);
	assert_int_equal(en.balance, 350);
	assert_int_equal(en.expires_ms, 0);
	/* Adjustments: a reason, and never below zero. */
	refused(f, op(f, loyalty_adjust, id, -50, "", &en));
	refused(f, op(f, loyalty_adjust, id, -50, NULL, &en));
	refused(f, op(f, loyalty_adjust, id, -351, "fix", &en));
	assert_int_equal(balance(f, id), 350);
	assert_int_equal(entries(f, id), 2);
	assert_int_equal(op(f, loyalty_adjust, id, -50, "fix", &en), 0);
	assert_int_equal(en.balance, 300);
	assert_int_equal(op(f, loyalty_adjust, id, 20, "goodwill", &en), 0);
	assert_true(en.expires_ms > util_now_ms());
	assert_int_equal(op(f, loyalty_redeem, id, 320, NULL, &en), 0);
	assert_int_equal(balance(f, id), 0);
	assert_int_equal(problems(f), 0);
}

static void
test_expiry(void **state)
{
	struct unit_fixture *f = *state;
	struct loyalty_upkeep r;
	struct loyalty_status st;
	int64_t now = util_now_ms(), id, soon, at = util_add_months(now, -30);

	f->cfg.loyalty_min_redeem = 10;
	assert_int_equal(f->cfg.loyalty_expiry_months, 24);
	id = unit_add(f, "Ed", NULL, NULL);
	assert_int_equal(sale(f, id, 10000, at, NULL), 100);
	assert_int_equal(sale(f, id, 5000, util_add_months(now, -10), NULL),
	    50);
	/* Each lot lapses 24 months after its purchase. */
	assert_int_equal(q_int(f, "SELECT strftime('%s', expires_at) FROM "
	    "ledger WHERE customer_id = ?1 ORDER BY id LIMIT 1", id),
	    util_add_months(at, 24) / 1000);
	assert_int_equal(op(f, loyalty_redeem, id, 30, NULL, NULL), 0);
	/* The redemption used the old lot: 70 of it lapse, not 100. */
	assert_int_equal(loyalty_upkeep(f->s, &f->cfg, now, &r, &f->e), 0);
	assert_int_equal(r.expired_customers, 1);
	assert_int_equal(r.expired_points, 70);
	assert_int_equal(balance(f, id), 50);
	assert_int_equal(q_int(f, "SELECT points FROM ledger WHERE "
	    "customer_id = ?1 AND kind = 'expire'", id), -70);
	assert_int_equal(loyalty_upkeep(f->s, &f->cfg, now, &r, &f->e), 0);
	assert_int_equal(r.expired_points, 0);
	assert_int_equal(loyalty_upkeep(f->s, &f->cfg, now + DAY_MS, &r,
	    &f->e), 0);
	assert_int_equal(r.expired_points, 0);
	assert_int_equal(balance(f, id), 50);
	assert_int_equal(loyalty_status(f->s, &f->cfg, id, now, &st, &f->e), 0);
	assert_int_equal(st.balance, 50);
	assert_int_equal(st.expiring, 0);
	/* A lot lapsing in about ten days is expiring soon; newer are not. */
	id = unit_add(f, "Fay", NULL, NULL);
	assert_int_equal(sale(f, id, 4000, util_add_months(now, -24) +
	    10 * DAY_MS, NULL), 40);
	assert_int_equal(sale(f, id, 10000, 0, NULL), 100);
	assert_int_equal(op(f, loyalty_redeem, id, 10, NULL, NULL), 0);
	assert_int_equal(loyalty_status(f->s, &f->cfg, id, now, &st, &f->e), 0);
	assert_int_equal(st.balance, 130);
	assert_int_equal(st.expiring, 30);
	soon = st.expiring_ms - now;
	assert_true(soon > 6 * DAY_MS && soon < 14 * DAY_MS);
	assert_int_equal(problems(f), 0);
}

static void
test_tier_window(void **state)
{
	struct unit_fixture *f = *state;
	struct loyalty_status st;
	struct loyalty_upkeep r;
	int64_t now = util_now_ms(), later = now + 2 * DAY_MS, id;

	id = unit_add(f, "Gus", NULL, NULL);
	assert_int_equal(sale(f, id, 100000, util_add_months(now, -12) +
	    DAY_MS, NULL), 1000);
	assert_int_equal(q_int(f, "SELECT tier = 'Silver' FROM customer WHERE "
	    "id = ?1", id), 1);
	/* Silver earns 1.25 points a unit. */
	assert_int_equal(sale(f, id, 10000, 0, NULL), 125);
	assert_int_equal(loyalty_status(f->s, &f->cfg, id, now, &st, &f->e), 0);
	assert_int_equal(st.qualifying, 1125);
	assert_int_equal(st.tier, 0);
	assert_int_equal(st.to_next, 5000 - 1125);
	/* Two days on, the big purchase has left the 12 months. */
	assert_int_equal(loyalty_status(f->s, &f->cfg, id, later, &st, &f->e),
	    0);
	assert_int_equal(st.qualifying, 125);
	assert_int_equal(st.tier, -1);
	assert_int_equal(st.next, 0);
	assert_int_equal(loyalty_upkeep(f->s, &f->cfg, now, &r, &f->e), 0);
	assert_int_equal(r.retiered, 0);
	assert_int_equal(q_int(f, "SELECT tier = 'Silver' FROM customer WHERE "
	    "id = ?1", id), 1);
	assert_int_equal(loyalty_upkeep(f->s, &f->cfg, later, &r, &f->e), 0);
	assert_int_equal(r.retiered, 1);
	assert_int_equal(q_int(f, "SELECT tier IS NULL FROM customer WHERE "
	    "id = ?1", id), 1);
	/* Points stay; only the tier went. */
	assert_int_equal(balance(f, id), 1125);
}

/* A customer born in 1992 (a leap year: any day is real) days ago. */
static int64_t
born(struct unit_fixture *f, const char *name, int64_t now, int days)
{
	char md[8], bday[16];

	util_time_local(now - days * DAY_MS, "%m-%d", md, sizeof md);
	snprintf(bday, sizeof bday, "1992-%s", md);
	return unit_add(f, name, NULL, bday);
}

/* A customer who asked for the welcome bonus. */
static int64_t
welcomed(struct unit_fixture *f, const char *name)
{
	struct customer_input in;

	customer_input_init(&in);
	in.name = name;
	in.welcome = 1;
	return unit_add_input(f, &in);
}

static void
test_bonuses(void **state)
{
	struct unit_fixture *f = *state;
	struct loyalty_upkeep r;
	int64_t now = util_now_ms(), today, past, old, none, w;

	f->cfg.loyalty_birthday_bonus = 50;
	today = born(f, "Hal", now, 0);
	past = born(f, "Ivy", now, 3);
	old = born(f, "Jo", now, 10);
	none = unit_add(f, "Kit", NULL, NULL);
	assert_int_equal(loyalty_upkeep(f->s, &f->cfg, now, &r, &f->e), 0);
	assert_int_equal(r.birthday_bonuses, 2);
	assert_int_equal(balance(f, today), 50);
	assert_int_equal(balance(f, past), 50);
	assert_int_equal(balance(f, old), 0);
	assert_int_equal(balance(f, none), 0);
	assert_int_equal(loyalty_upkeep(f->s, &f->cfg, now, &r, &f->e), 0);
	assert_int_equal(r.birthday_bonuses, 0);
	assert_int_equal(loyalty_upkeep(f->s, &f->cfg, now + DAY_MS, &r,
	    &f->e), 0);
	assert_int_equal(r.birthday_bonuses, 0);
	assert_int_equal(balance(f, today), 50);
	assert_int_equal(entries(f, today), 1);
	assert_int_equal(balance(f, past), 50);
	/* Welcome: only when asked for and configured, and only once. */
	f->cfg.loyalty_welcome_bonus = 25;
	w = welcomed(f, "Lu");
	assert_int_equal(balance(f, w), 25);
	assert_int_equal(q_int(f, "SELECT count(*) FROM ledger WHERE "
	    "customer_id = ?1 AND kind = 'bonus'", w), 1);
	assert_int_equal(loyalty_welcome(f->s, &f->cfg, w, 0, now, &f->e), 0);
	assert_int_equal(balance(f, w), 25);
	assert_int_equal(entries(f, w), 1);
	assert_int_equal(entries(f, unit_add(f, "Max", NULL, NULL)), 0);
	f->cfg.loyalty_welcome_bonus = 0;
	assert_int_equal(entries(f, welcomed(f, "Ned")), 0);
	assert_int_equal(problems(f), 0);
}

static void
test_ledger_append_only(void **state)
{
	struct unit_fixture *f = *state;
	int64_t id = unit_add(f, "Oz", NULL, NULL);
	char sql[128];

	assert_int_equal(op(f, loyalty_earn, id, 100, "opening", NULL), 0);
	assert_true(store_exec(f->s, "UPDATE ledger SET points = 1", &f->e) <
	    0);
	assert_true(store_exec(f->s, "DELETE FROM ledger", &f->e) < 0);
	assert_int_equal(entries(f, id), 1);
	assert_int_equal(q_int(f, "SELECT points FROM ledger WHERE "
	    "customer_id = ?1", id), 100);
	assert_int_equal(problems(f), 0);
	snprintf(sql, sizeof sql, "UPDATE customer SET points = points + 1 "
	    "WHERE id = %lld", (long long)id);
	assert_int_equal(store_exec(f->s, sql, &f->e), 0);
	assert_int_equal(problems(f), 1);
}

static void
test_merge(void **state)
{
	struct unit_fixture *f = *state;
	int64_t now = util_now_ms(), keep, other;

	f->cfg.loyalty_min_redeem = 10;
	keep = unit_add(f, "Pam", NULL, NULL);
	other = unit_add(f, "Pam Dup", NULL, NULL);
	assert_int_equal(sale(f, keep, 1000, 0, NULL), 10);
	assert_int_equal(sale(f, other, 10000, util_add_months(now, -20),
	    NULL), 100);
	assert_int_equal(sale(f, other, 6000, util_add_months(now, -2), NULL),
	    60);
	assert_int_equal(op(f, loyalty_redeem, other, 30, NULL, NULL), 0);
	assert_int_equal(customer_merge(f->s, &f->cfg, keep, other, 0, &f->e),
	    0);
	assert_int_equal(balance(f, other), 0);
	assert_int_equal(balance(f, keep), 140);
	/* Lot by lot, oldest first, each with the expiry of other's lot. */
	assert_int_equal(q_int(f, "SELECT count(*) FROM ledger k JOIN ledger o "
	    "USING (expires_at) WHERE k.customer_id = ?1 AND k.kind = 'adjust' "
	    "AND o.kind = 'earn' AND o.customer_id <> ?1", keep), 2);
	assert_int_equal(q_int(f, "SELECT group_concat(points, '') FROM "
	    "(SELECT points FROM ledger WHERE customer_id = ?1 AND "
	    "kind = 'adjust' ORDER BY expires_at)", keep), 7060);
	assert_int_equal(problems(f), 0);
	assert_int_equal(q_int(f, "SELECT count(*) FROM purchase WHERE "
	    "customer_id = ?1", other), 0);
	assert_int_equal(q_int(f, "SELECT count(*) FROM purchase WHERE "
	    "customer_id = ?1", keep), 3);
}

static void
test_timeline(void **state)
{
	struct unit_fixture *f = *state;
	struct timeline_item all[10], page[2], last;
	struct ledger_entry red;
	struct purchase p1, p2;
	int64_t now = util_now_ms(), id, i1, i2, i3;
	long n, got = 0;

	f->cfg.loyalty_min_redeem = 10;
	id = unit_add(f, "Quin", NULL, NULL);
	sale(f, id, 10000, now - 5 * DAY_MS, &p1);
	sale(f, id, 5000, now - 3 * DAY_MS, &p2);
	assert_int_equal(interaction_add(f->s, id, IK_NOTE, "asked for sizes",
	    now - 3 * DAY_MS, 0, &i3, &f->e), 0);
	assert_int_equal(interaction_add(f->s, id, IK_VISIT, NULL,
	    now - 2 * DAY_MS, 0, &i1, &f->e), 0);
	assert_int_equal(interaction_add(f->s, id, IK_CALL, "called back",
	    now - 2 * DAY_MS, 0, &i2, &f->e), 0);
	assert_int_equal(op(f, loyalty_redeem, id, 20, "a scarf", &red), 0);
	/* Newest first; in one instant purchases before interactions, and
	 * rows of one source by id downwards. */
	const struct { int kind; int64_t id; } want[] = {
		{ TL_POINTS, red.id }, { TL_CALL, i2 }, { TL_VISIT, i1 },
		{ TL_PURCHASE, p2.id }, { TL_NOTE, i3 }, { TL_PURCHASE, p1.id },
	};
	assert_int_equal(timeline_page(f->s, id, TL_F_ALL, NULL, all, 10,
	    &f->e), 6);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(all[i].kind, want[i].kind);
		assert_int_equal(all[i].id, want[i].id);
		assert_true(i == 0 || all[i].at_ms <= all[i - 1].at_ms);
	}
	assert_int_equal(all[0].points, -20);
	assert_int_equal(all[3].amount, 5000);
	assert_int_equal(all[3].points, 50);
	assert_int_equal(all[5].points, 100);
	/* Pages of two, each after the last row of the one before. */
	while ((n = timeline_page(f->s, id, TL_F_ALL, got ? &last : NULL, page,
	    2, &f->e)) > 0) {
		for (long i = 0; i < n; i++, got++) {
			assert_true(got < 6);
			assert_int_equal(page[i].kind, want[got].kind);
			assert_int_equal(page[i].id, want[got].id);
		}
		last = page[n - 1];
	}
	assert_int_equal(n, 0);
	assert_int_equal(got, 6);
	/* Purchase earnings are folded into their rows. */
	assert_int_equal(timeline_page(f->s, id, TL_F_POINTS, NULL, all, 10,
	    &f->e), 1);
	assert_int_equal(all[0].kind, TL_POINTS);
	assert_int_equal(all[0].points, -20);
	assert_int_equal(timeline_page(f->s, id, TL_F_PURCHASES, NULL, all, 10,
	    &f->e), 2);
	assert_int_equal(timeline_page(f->s, id, TL_F_INTERACTIONS, NULL, all,
	    10, &f->e), 3);
	/* A source that cannot be read is an error, not an empty page. */
	assert_int_equal(store_exec(f->s, "DROP TABLE interaction", &f->e), 0);
	assert_int_equal(timeline_page(f->s, id, TL_F_ALL, NULL, all, 10,
	    &f->e), -1);
}

static void
test_summary(void **state)
{
	struct unit_fixture *f = *state;
	struct history_summary h;
	struct purchase a, v;
	int64_t now = util_now_ms(), id, sum = 0;

	id = unit_add(f, "Rae", NULL, NULL);
	sale(f, id, 3000, 0, &a);
	sale(f, id, 20000, util_add_months(now, -13), NULL);
	sale(f, id, 6000, util_add_months(now, -2), NULL);
	assert_int_equal(buy(f, id, NULL, -1000, 0, a.id, &v), 0);
	sale(f, id, 500, 0, &v);
	assert_int_equal(void_of(f, v.id, &v), 0);
	assert_int_equal(history_summary(f->s, id, util_now_ms(), &h, &f->e),
	    0);
	assert_int_equal(h.lifetime, 28000);
	assert_int_equal(h.spend_12m, 8000);
	assert_int_equal(h.purchases_12m, 2);
	assert_int_equal(h.avg_basket, 4000);
	assert_int_equal(h.months[11], 2000);
	assert_int_equal(h.visits_12m, 2);
	assert_true(h.last_visit_ms >= now);
	for (int i = 0; i < 12; i++)
		sum += h.months[i];
	assert_int_equal(sum, h.spend_12m);
	assert_int_equal(balance(f, id), 30 + 200 + 60 - 10);
}


int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_time),
		UNIT_DB_TEST(test_points_rules),
		UNIT_DB_TEST(test_purchase_earns),
		UNIT_DB_TEST(test_returns_voids),
		UNIT_DB_TEST(test_return_rules),
		UNIT_DB_TEST(test_redeem_adjust_earn),
		UNIT_DB_TEST(test_expiry),
		UNIT_DB_TEST(test_tier_window),
		UNIT_DB_TEST(test_bonuses),
		UNIT_DB_TEST(test_ledger_append_only),
		UNIT_DB_TEST(test_merge),
		UNIT_DB_TEST(test_timeline),
		UNIT_DB_TEST(test_summary),
	};

	/* Every test reads local dates in one zone, whatever the host's. */
	util_time_zone("Asia/Shanghai");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
