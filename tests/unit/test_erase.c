/*
 * test_erase: the right to erasure on a real encrypted database: a session
 * holding a search index drops the person, the erasing connection gets
 * its triggers back (the ledger stays append-only), and what cannot be
 * erased says why.
 */
#include "unit.h"
#include "unit_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/customer.h"
#include "patron/erase.h"
#include "patron/loyalty.h"
#include "patron/search.h"

static long
query(struct unit_fixture *f, struct search *x, const char *q,
	struct search_hit *hits)
{
	struct perr e;
	long n;

	assert_int_equal(search_refresh(x, f->s, &e), 0);
	n = search_query(x, f->s, &f->cfg, q, hits, 10, NULL, NULL, &e);
	assert_true(n >= 0);
	return n;
}

static void
test_search_drops(void **state)
{
	struct unit_fixture *f = *state;
	struct search *x = search_new();
	struct search_hit h[10];
	struct store *other;
	struct erase_result r;
	struct perr e;
	int64_t a, b;

	b = unit_add(f, "Kim Park", "13800000002", NULL);
	/* The newest change is the erased person's: the session has seen
	 * its seq, and the erasure must not hand that seq out again. */
	a = unit_add(f, "Kim Lee", "13800000001", NULL);
	assert_int_equal(query(f, x, "kim", h), 2);
	assert_int_equal(query(f, x, "0001", h), 1);
	assert_int_equal(store_open(f->u.path, f->u.cred, 0, &other, &e), 0);
	assert_int_equal(erase_customer(other, &f->cfg, a, 0, &r, &e), 0);
	assert_int_equal(r.records, 1);
	assert_true(r.checkpointed);
	store_close(other);
	assert_int_equal(query(f, x, "kim", h), 1);
	assert_int_equal(h[0].id, b);
	assert_int_equal(query(f, x, "lee", h), 0);
	assert_int_equal(query(f, x, "0001", h), 0);
	assert_int_equal(query(f, x, "erased", h), 0);
	search_free(x);
}

static void
test_ledger_stays_append_only(void **state)
{
	struct unit_fixture *f = *state;
	struct ledger_entry en;
	struct erase_result r;
	struct perr e;
	int64_t a = unit_add(f, "Ada Lovelace", NULL, NULL);
	int64_t b = unit_add(f, "Bo Other", NULL, NULL);

	assert_int_equal(loyalty_adjust(f->s, &f->cfg, a, 300, "goodwill", 0,
	    util_now_ms(), &en, &e), 0);
	assert_int_equal(loyalty_adjust(f->s, &f->cfg, b, 50, "goodwill", 0,
	    util_now_ms(), &en, &e), 0);
	assert_int_equal(erase_customer(f->s, &f->cfg, a, 0, &r, &e), 0);
	assert_int_equal(r.forfeited, 300);
	/* The erasing connection has its triggers back. */
	assert_int_equal(store_exec(f->s, "UPDATE ledger SET reason = 'x'",
	    &e), -1);
	assert_non_null(strstr(e.msg, "append-only"));
	assert_int_equal(store_exec(f->s, "DELETE FROM ledger", &e), -1);
	/* And the change log again follows every change of a customer. */
	assert_int_equal(store_exec(f->s, "DELETE FROM customer_change", &e), 0);
	assert_int_equal(store_exec(f->s, "UPDATE customer SET notes = 'n' "
	    "WHERE id = 2", &e), 0);
	{
		sqlite3_stmt *st;

		assert_int_equal(store_prepare(f->s, "SELECT count(*) FROM "
		    "customer_change", &st, &e), 0);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 1);
		sqlite3_finalize(st);
	}
}

static void
test_refusals(void **state)
{
	struct unit_fixture *f = *state;
	struct perr e;
	int64_t a = unit_add(f, "Keep Me", NULL, NULL);
	int64_t b = unit_add(f, "Merge Me", NULL, NULL);

	assert_int_equal(erase_check(f->s, 99, &e), -1);
	assert_int_equal(e.code, PX_FAIL);
	assert_non_null(strstr(e.msg, "no customer 99"));
	assert_int_equal(customer_merge(f->s, &f->cfg, a, b, 0, &e), 0);
	assert_int_equal(erase_customer(f->s, &f->cfg, b, 0, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "merged into"));
	assert_int_equal(erase_customer(f->s, &f->cfg, a, 0, NULL, &e), 0);
	assert_int_equal(erase_customer(f->s, &f->cfg, a, 0, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "erased already"));
	/* A refusal leaves the connection's triggers on. */
	assert_int_equal(store_exec(f->s, "DELETE FROM ledger", &e), 0);
	assert_int_equal(store_exec(f->s, "INSERT INTO ledger (uuid, "
	    "customer_id, kind, points, balance, created_at) VALUES ('u', 1, "
	    "'adjust', 1, 1, '2026-01-01')", &e), 0);
	assert_int_equal(store_exec(f->s, "DELETE FROM ledger", &e), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_DB_TEST(test_search_drops),
		UNIT_DB_TEST(test_ledger_stays_append_only),
		UNIT_DB_TEST(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
