/*
 * test_history: a customer's history on a real encrypted database:
 * interactions and what they refuse, the last visit they and sales make,
 * purchases found by id and receipt, listed newest first, the points a
 * sale would earn before it is recorded, the detail of a row, the cached
 * columns checked against the history, and the spend sparkline.
 */
#include "unit.h"
#include "unit_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/history.h"
#include "patron/interaction.h"
#include "patron/purchase.h"
#include "patron/timeline.h"

#define DAY_MS (86400LL * 1000)

/* customer.last_visit of id, or "" when NULL. */
static void
last_visit(struct unit_fixture *f, int64_t id, char *out, size_t len)
{
	sqlite3_stmt *st;

	assert_int_equal(store_prepare(f->s, "SELECT coalesce(last_visit, '') "
	    "FROM customer WHERE id = ?1", &st, &f->e), 0);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* A sale that must be recorded; its id. */
static int64_t
sale(struct unit_fixture *f, int64_t customer, const char *receipt,
	int64_t total, int64_t at)
{
	struct purchase_input in = { .customer_id = customer,
		.receipt = receipt, .total = total, .occurred_ms = at };
	struct purchase p;

	if (purchase_add(f->s, &f->cfg, &in, 0, &p, &f->e) != 0)
		fail_msg("sale %s: %s", receipt, f->e.msg);
	return p.id;
}

static void
test_interactions(void **state)
{
	struct unit_fixture *f = *state;
	int64_t c = unit_add(f, "Wang Fang", NULL, NULL), now = util_now_ms();
	int64_t id, day = now - 3 * DAY_MS;
	char lv[32], want[32];

	assert_int_equal(interaction_add(f->s, c, IK_NKINDS, "x", 0, 0, &id,
	    &f->e), -1);
	assert_int_equal(f->e.code, PX_USAGE);
	assert_int_equal(interaction_add(f->s, c, IK_NOTE, " \n", 0, 0, &id,
	    &f->e), -1);
	assert_int_equal(f->e.code, PX_DATAERR);
	assert_string_equal(f->e.msg, "a note needs some text");
	assert_int_equal(interaction_add(f->s, c, IK_CALL, "rang \033[2J", 0,
	    0, &id, &f->e), -1);
	assert_int_equal(f->e.code, PX_DATAERR);
	assert_int_equal(interaction_add(f->s, c, IK_NOTE, "later",
	    now + DAY_MS, 0, &id, &f->e), -1);
	assert_string_equal(f->e.msg, "an interaction cannot be in the "
	    "future");
	/* A note is no visit; a visit, with or without text, is. */
	assert_int_equal(interaction_add(f->s, c, IK_NOTE, "asked for sizes",
	    0, 0, &id, &f->e), 0);
	last_visit(f, c, lv, sizeof lv);
	assert_string_equal(lv, "");
	assert_int_equal(interaction_add(f->s, c, IK_VISIT, NULL, day, 0, &id,
	    &f->e), 0);
	last_visit(f, c, lv, sizeof lv);
	util_iso_utc(day, want, sizeof want);
	assert_string_equal(lv, want);
	/* An older visit leaves the last one; a sale after it moves it. */
	assert_int_equal(interaction_add(f->s, c, IK_VISIT, "walked in",
	    day - DAY_MS, 0, &id, &f->e), 0);
	last_visit(f, c, lv, sizeof lv);
	assert_string_equal(lv, want);
	sale(f, c, "R-1", 1000, day + DAY_MS);
	last_visit(f, c, lv, sizeof lv);
	util_iso_utc(day + DAY_MS, want, sizeof want);
	assert_string_equal(lv, want);
}

/* purchase_each's callback: receipts, comma-separated. */
static int
receipts(const struct purchase *p, void *arg)
{
	char *out = arg;

	snprintf(out + strlen(out), 128 - strlen(out), "%s%s%s",
	    out[0] ? "," : "", p->receipt, p->voided ? "(void)" : "");
	return 0;
}

static void
test_purchases(void **state)
{
	struct unit_fixture *f = *state;
	int64_t a = unit_add(f, "Ann", NULL, NULL), b = unit_add(f, "Bo", NULL,
	    NULL), now = util_now_ms(), id, points;
	struct purchase_input in = { .customer_id = a, .total = 12345 };
	struct purchase p;
	char out[128] = "";
	int64_t r1, r2, r3;

	/* The preview earns what recording then does. */
	assert_int_equal(purchase_points(f->s, &f->cfg, &in, &points, &f->e),
	    0);
	assert_int_equal(points, 123);
	r1 = sale(f, a, "R-1", 12345, now - 2 * DAY_MS);
	assert_int_equal(purchase_get(f->s, r1, &p, &f->e), 0);
	assert_int_equal(p.points, 123);
	assert_string_equal(p.currency, "CNY");
	r2 = sale(f, b, "R-2", 500, now - DAY_MS);
	r3 = sale(f, a, "R-3", 800, now);
	/* By id, by receipt, by branch and receipt. */
	assert_int_equal(purchase_resolve(f->s, &f->cfg, "2", &id, &f->e), 0);
	assert_int_equal(id, r2);
	assert_int_equal(purchase_resolve(f->s, &f->cfg, "id:3", &id, &f->e),
	    0);
	assert_int_equal(id, r3);
	assert_int_equal(purchase_resolve(f->s, &f->cfg, "R-1", &id, &f->e),
	    0);
	assert_int_equal(id, r1);
	snprintf(out, sizeof out, "receipt:%s:R-3", f->cfg.store_branch);
	assert_int_equal(purchase_resolve(f->s, &f->cfg, out, &id, &f->e), 0);
	assert_int_equal(id, r3);
	assert_int_equal(purchase_resolve(f->s, &f->cfg, "R-9", &id, &f->e),
	    -1);
	assert_int_equal(f->e.code, PX_FAIL);
	assert_int_equal(purchase_resolve(f->s, &f->cfg, "id:x", &id, &f->e),
	    -1);
	assert_int_equal(f->e.code, PX_USAGE);
	/* Newest first, per customer or all, up to a limit. */
	out[0] = '\0';
	assert_int_equal(purchase_void(f->s, &f->cfg, r1, "typo", 0, &p,
	    &f->e), 0);
	assert_int_equal(purchase_each(f->s, a, 0, receipts, out, &f->e), 2);
	assert_string_equal(out, "R-3,R-1(void)");
	out[0] = '\0';
	assert_int_equal(purchase_each(f->s, 0, 2, receipts, out, &f->e), 2);
	assert_string_equal(out, "R-3,R-2");
	assert_int_equal(purchase_void(f->s, &f->cfg, r1, "again", 0, &p,
	    &f->e), -1);
	assert_int_equal(f->e.code, PX_DATAERR);
}

/* history_check's callback: the last disagreement. */
static void
said(const char *msg, void *arg)
{
	snprintf(arg, 256, "%s", msg);
}

static void
test_detail_and_check(void **state)
{
	struct unit_fixture *f = *state;
	struct purchase_line lines[] = { { "SKU-1", "Blue coat", 2, 4000 } };
	struct purchase_input in = { .receipt = "R-7", .total = 8000,
		.lines = lines, .nlines = 1 };
	struct timeline_item it;
	struct timeline_detail d = { 0 };
	struct purchase p;
	char msg[256] = "";
	int found = 0;

	in.customer_id = unit_add(f, "Cy", NULL, NULL);
	assert_int_equal(purchase_add(f->s, &f->cfg, &in, 0, &p, &f->e), 0);
	assert_int_equal(timeline_page(f->s, in.customer_id, TL_F_PURCHASES,
	    NULL, &it, 1, &f->e), 1);
	assert_int_equal(it.kind, TL_PURCHASE);
	assert_int_equal(it.id, p.id);
	assert_int_equal(timeline_detail(f->s, &f->cfg, &it, &d, &f->e), 0);
	for (int i = 0; i < d.n; i++)
		if (strstr(d.f[i].value, "SKU-1") != NULL &&
		    strstr(d.f[i].value, "Blue coat") != NULL)
			found = 1;
	assert_true(found);
	timeline_detail_free(&d);
	/* The cached last visit agrees with the history, until it is
	 * changed behind its back. */
	assert_int_equal(history_check(f->s, &f->cfg, util_now_ms(), said,
	    msg, &f->e), 0);
	assert_int_equal(store_exec(f->s, "UPDATE customer SET last_visit = "
	    "'2001-01-01T00:00:00.000Z'", &f->e), 0);
	assert_int_equal(history_check(f->s, &f->cfg, util_now_ms(), said,
	    msg, &f->e), 1);
	assert_non_null(strstr(msg, "customer 1: cached last visit "
	    "2001-01-01T00:00:00.000Z, the history gives 2"));
	assert_int_equal(history_last_visit(f->s, in.customer_id, &f->e), 0);
	assert_int_equal(history_check(f->s, &f->cfg, util_now_ms(), said,
	    msg, &f->e), 0);
}

static void
test_sparkline(void **state)
{
	const int64_t v[6] = { 0, 101, 800, 400, -50, 699 };
	char buf[64];

	(void)state;
	history_sparkline(v, 6, 1, buf, sizeof buf);
	assert_string_equal(buf, " .@= #");
	history_sparkline(v, 6, 0, buf, sizeof buf);
	assert_string_equal(buf, " \u2582\u2588\u2584 \u2587");
	history_sparkline(v, 1, 1, buf, sizeof buf);
	assert_string_equal(buf, " ");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_DB_TEST(test_interactions),
		UNIT_DB_TEST(test_purchases),
		UNIT_DB_TEST(test_detail_and_check),
		cmocka_unit_test(test_sparkline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
