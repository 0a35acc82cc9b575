/*
 * test_search: the ranked customer search on a real encrypted database:
 * rank order, ties by visit, any script, changes from another session, and
 * that stopping early never changes an answer.
 */
#include "unit.h"
#include "unit_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/customer.h"
#include "patron/interaction.h"
#include "patron/import.h"
#include "patron/search.h"

/* A customer with these details, last seen on visit unless NULL. */
static int64_t
add(struct unit_fixture *f, const char *name, const char *phone,
	const char *email, const char *card, const char *tag,
	const char *visit)
{
	struct customer_input in;
	const char *tags[1] = { tag };
	int64_t id;
	char sql[256];

	customer_input_init(&in);
	in.name = name;
	in.phone = phone;
	in.email = email;
	in.card = card;
	in.tags = tags;
	in.ntags = tag ? 1 : 0;
	in.allow_duplicate = 1;
	id = unit_add_input(f, &in);
	if (visit != NULL) {
		snprintf(sql, sizeof sql, "UPDATE customer SET last_visit = '%s' "
			"WHERE id = %lld", visit, (long long)id);
		assert_int_equal(store_exec(f->s, sql, &f->e), 0);
	}
	return id;
}

static long
query(struct unit_fixture *f, struct search *x, const char *q,
	struct search_hit *hits, size_t limit)
{
	struct perr e;
	long n;

	assert_int_equal(search_refresh(x, f->s, &e), 0);
	n = search_query(x, f->s, &f->cfg, q, hits, limit, NULL, NULL, &e);
	assert_true(n >= 0);
	return n;
}

static void
test_rank_order(void **state)
{
	struct unit_fixture *f = *state;
	struct search *x = search_new();
	struct search_hit h[10];
	int64_t inner, prefix, email, tag, exact, phone;

	/* Visits make the worse ranks the more recent: rank must win. */
	inner = add(f, "Carolina Ng", NULL, NULL, NULL, NULL, "2026-11-20");
	prefix = add(f, "Lina Park", NULL, NULL, NULL, NULL, "2026-01-01");
	email = add(f, "Tom Reed", NULL, "linus@example.com", NULL, NULL,
		"2026-11-21");
	tag = add(f, "Bob Hale", NULL, NULL, NULL, "linen", "2026-11-22");
	exact = add(f, "Zed Mo", NULL, NULL, "LIN", NULL, "2020-01-01");
	add(f, "Nobody", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(query(f, x, "lin", h, 10), 5);
	assert_int_equal(h[0].id, exact);
	assert_int_equal(h[1].id, prefix);
	assert_int_equal(h[2].id, inner);
	assert_int_equal(h[3].id, email);
	assert_int_equal(h[4].id, tag);
	/* The last digits of a phone come before names. */
	phone = add(f, "Mei 8000", "13800138000", NULL, NULL, NULL, NULL);
	add(f, "Other", "13800138001", NULL, NULL, NULL, NULL);
	assert_int_equal(query(f, x, "8000", h, 10), 1);
	assert_int_equal(h[0].id, phone);
	assert_int_equal(h[0].rank, 1);
	/* The whole number, typed as people do, is exact. */
	assert_int_equal(query(f, x, "138 0013 8000", h, 10), 1);
	assert_int_equal(h[0].rank, 0);
	assert_int_equal(query(f, x, "+86 138-0013-8000", h, 10), 1);
	assert_int_equal(h[0].id, phone);
	search_free(x);
}

static void
test_ties_by_visit(void **state)
{
	struct unit_fixture *f = *state;
	struct search *x = search_new();
	struct search_hit h[10];
	int64_t old, recent, never, mid;

	old = add(f, "Anna Alt", NULL, NULL, NULL, NULL, "2024-05-01");
	recent = add(f, "Anna Neu", NULL, NULL, NULL, NULL,
		"2026-11-21T10:00:00Z");
	never = add(f, "Anna Nie", NULL, NULL, NULL, NULL, NULL);
	mid = add(f, "Anna Mitte", NULL, NULL, NULL, NULL, "2025-06-30");
	assert_int_equal(query(f, x, "ANNA", h, 10), 4);
	assert_int_equal(h[0].id, recent);
	assert_int_equal(h[1].id, mid);
	assert_int_equal(h[2].id, old);
	assert_int_equal(h[3].id, never);
	/* Two words: both must match, in any order. */
	assert_int_equal(query(f, x, "neu ann", h, 10), 1);
	assert_int_equal(h[0].id, recent);
	assert_int_equal(query(f, x, "anna zzz", h, 10), 0);
	/* The empty query lists the latest visitors. */
	assert_int_equal(query(f, x, "", h, 2), 2);
	assert_int_equal(h[0].id, recent);
	search_free(x);
}

static void
test_any_script(void **state)
{
	struct unit_fixture *f = *state;
	struct search *x = search_new();
	struct search_hit h[10];
	int64_t wf, wl, jm, ir;

	wf = add(f, "王芳", NULL, NULL, NULL, NULL, "2026-01-02");
	wl = add(f, "王丽", NULL, NULL, NULL, NULL, "2026-01-01");
	jm = add(f, "José Martínez", NULL, NULL, NULL, NULL, NULL);
	ir = add(f, "Ирина Петрова", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(query(f, x, "王", h, 10), 2);
	assert_int_equal(h[0].id, wf);
	assert_int_equal(h[1].id, wl);
	assert_int_equal(query(f, x, "芳", h, 10), 1);
	assert_int_equal(h[0].id, wf);
	assert_int_equal(h[0].rank, 3);
	assert_int_equal(query(f, x, "王芳", h, 10), 1);
	assert_int_equal(h[0].rank, 2);
	assert_int_equal(query(f, x, "jose", h, 10), 1);
	assert_int_equal(h[0].id, jm);
	assert_int_equal(query(f, x, "MARTÍN", h, 10), 1);
	assert_int_equal(query(f, x, "ирина", h, 10), 1);
	assert_int_equal(h[0].id, ir);
	assert_int_equal(query(f, x, "ИРИ", h, 10), 1);
	search_free(x);
}

/* Changes by another connection (another session) are seen. */
static void
test_refresh(void **state)
{
	struct unit_fixture *f = *state;
	struct search *x = search_new();
	struct search_hit h[10];
	struct customer_input in;
	struct store *other;
	struct perr e;
	int64_t a, b, c, d, at;

	a = add(f, "Kim Lee", NULL, NULL, NULL, NULL, NULL);
	b = add(f, "Kim Park", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(query(f, x, "kim", h, 10), 2);
	assert_int_equal(store_open(f->u.path, f->u.cred, 0, &other, &e), 0);
	customer_input_init(&in);
	in.name = "Kim Choi";
	assert_int_equal(customer_add(other, &f->cfg, &in, 0, &c, &e), 0);
	customer_input_init(&in);
	in.name = "Jun Lee";
	assert_int_equal(customer_edit(other, &f->cfg, a, &in, 0, &e), 0);
	/* A visit (the last visit follows from the history, and survives
	 * the merge below). */
	assert_int_equal(util_time_parse("2026-11-22T10:00:00Z", &at), 0);
	assert_int_equal(interaction_add(other, b, IK_VISIT, NULL, at, 0, NULL,
				 &e),
		0);
	store_close(other);
	assert_int_equal(query(f, x, "kim", h, 10), 2);
	assert_int_equal(h[0].id, b);	/* now the latest visitor */
	assert_int_equal(h[1].id, c);
	assert_int_equal(query(f, x, "jun", h, 10), 1);
	assert_int_equal(h[0].id, a);
	/* Changes pruned before this session read them: it rebuilds. */
	assert_int_equal(store_open(f->u.path, f->u.cred, 0, &other, &e), 0);
	customer_input_init(&in);
	in.name = "Kim Pruned";
	assert_int_equal(customer_add(other, &f->cfg, &in, 0, &d, &e), 0);
	customer_input_init(&in);
	in.name = "Lee Also";
	assert_int_equal(customer_add(other, &f->cfg, &in, 0, &d, &e), 0);
	assert_int_equal(store_exec(other, "DELETE FROM customer_change WHERE "
				 "seq < (SELECT max(seq) FROM customer_change)",
				 &e),
		0);
	store_close(other);
	assert_int_equal(query(f, x, "pruned", h, 10), 1);
	assert_int_equal(query(f, x, "kim", h, 10), 3);
	/* A merged customer is gone from the search. */
	assert_int_equal(customer_merge(f->s, &f->cfg, b, c, 0, &e), 0);
	assert_int_equal(query(f, x, "lee also", h, 10), 1);
	assert_int_equal(query(f, x, "kim", h, 10), 2);
	assert_int_equal(h[0].id, b);
	search_free(x);
}

static long
count(struct unit_fixture *f, const char *sql)
{
	sqlite3_stmt *st;
	struct perr e;
	long v;

	assert_int_equal(store_prepare(f->s, sql, &st, &e), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * An import turns the change-log triggers off and logs its customers in
 * one statement: a session's index sees them, a failed import logs
 * nothing, and the triggers work again on the importing connection.
 */
static void
test_import_logged(void **state)
{
	static const char good[] = "name,phone,tags\nAda Import,13800000001,"
		"vip\nBo Import,,\n";
	static const char bad[] = "name,email\nCy Import,not-an-email\n";
	struct unit_fixture *f = *state;
	struct search *x = search_new();
	struct import_opts o = { 0 };
	struct import_result r;
	struct search_hit h[10];
	struct perr e;
	FILE *in;
	int64_t a;

	a = add(f, "Old Import", NULL, NULL, NULL, NULL, NULL);
	assert_int_equal(query(f, x, "import", h, 10), 1);
	in = fmemopen((void *)good, sizeof good - 1, "r");
	assert_int_equal(import_customers(f->s, &f->cfg, 0, in, "good.csv", &o,
				 &r, &e), 0);
	fclose(in);
	assert_int_equal(r.added, 2);
	assert_int_equal(count(f, "SELECT count(*) FROM customer_change WHERE "
				 "customer_id > 1"), 2);
	assert_int_equal(query(f, x, "import", h, 10), 3);
	assert_int_equal(query(f, x, "vip", h, 10), 1);
	in = fmemopen((void *)bad, sizeof bad - 1, "r");
	assert_int_equal(import_customers(f->s, &f->cfg, 0, in, "bad.csv", &o,
				 &r, &e), -1);
	fclose(in);
	assert_int_equal(e.code, PX_DATAERR);
	assert_int_equal(count(f, "SELECT count(*) FROM customer"), 3);
	/* Triggers back on, kept statements included. */
	add(f, "After Import", NULL, NULL, NULL, "late", NULL);
	assert_int_equal(count(f, "SELECT count(*) FROM customer_change WHERE "
				 "customer_id = (SELECT max(id) FROM customer)"),
		2);
	assert_int_equal(store_exec(f->s, "UPDATE customer SET notes = 'x' "
				 "WHERE id = 1", &e), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM customer_change WHERE "
				 "customer_id = 1"), 2);
	assert_int_equal(query(f, x, "import", h, 10), 4);
	assert_int_equal(h[0].id == a || h[3].id == a, 1);
	search_free(x);
}

/*
 * Digits: 4 or more anywhere in a phone after its calling code (not for
 * masked staff), a card's number without its letters and leading zeros
 * (equal: exact; its start: a word start), full-width digits as typed.
 */
static void
test_digits(void **state)
{
	struct unit_fixture *f = *state;
	struct search *x = search_new();
	struct search_hit h[10];
	int64_t mid, card, dash, ending;

	mid = add(f, "Zhou Ming", "13912344384", NULL, NULL, NULL,
		"2026-05-01");
	card = add(f, "Card Holder", NULL, NULL, "C0001961", NULL, NULL);
	dash = add(f, "Dash Card", NULL, NULL, "AB-0042", NULL, NULL);
	ending = add(f, "Ends Alike", "13800001961", NULL, NULL, NULL,
		"2026-12-01");
	assert_int_equal(query(f, x, "4384", h, 10), 1);
	assert_int_equal(h[0].id, mid);
	assert_int_equal(query(f, x, "91234", h, 10), 1);	/* inside */
	assert_int_equal(h[0].id, mid);
	assert_int_equal(query(f, x, "\uff14\uff13\uff18\uff14", h, 10), 1);
	assert_int_equal(query(f, x, "912", h, 10), 0);	/* 3: not inside */
	assert_int_equal(query(f, x, "8613", h, 10), 0);	/* calling code */
	/* The card's number is exact: before the phone ending 1961, though
	 * that customer visited later. */
	assert_int_equal(query(f, x, "1961", h, 10), 2);
	assert_int_equal(h[0].id, card);
	assert_int_equal(h[0].rank, 0);
	assert_int_equal(h[1].id, ending);
	assert_int_equal(query(f, x, "0001961", h, 10), 2);
	assert_int_equal(h[0].id, card);
	assert_int_equal(query(f, x, "196", h, 10), 1);	/* its start */
	assert_int_equal(h[0].id, card);
	assert_int_equal(query(f, x, "42", h, 10), 1);
	assert_int_equal(h[0].id, dash);
	assert_int_equal(query(f, x, "zhou 4384", h, 10), 1);
	/* Masked: last 4 digits or whole only, never digits inside. */
	search_set_masked(x, 1);
	assert_int_equal(query(f, x, "4384", h, 10), 1);
	assert_int_equal(query(f, x, "91234", h, 10), 0);
	assert_int_equal(query(f, x, "1234", h, 10), 0);
	assert_int_equal(query(f, x, "1961", h, 10), 2);	/* cards show */
	search_free(x);
}

static const char *const syll[] = { "an", "na", "li", "mar", "ko", "ze",
	"ti", "ro", "el", "su", "ha", "wei" };

/*
 * Stopping once the best reachable rank is full must give the first rows
 * of the complete answer, with the index fresh or with an overlay.
 */
static void
test_early_stop_exact(void **state)
{
	struct unit_fixture *f = *state;
	struct search *x = search_new(), *fresh;
	struct search_hit small[7], *big = calloc(3000, sizeof *big),
			  *big2 = calloc(3000, sizeof *big2);
	const char *queries[] = { "a", "an", "ma", "mar", "li", "nako", "e",
		"ro", "wei", "zeti", "na li", "0", "12", "345", "su ha", "" };
	struct perr e;
	char name[64], phone[32], visit[32];

	srand(7);
	assert_int_equal(store_exec(f->s, "BEGIN", &e), 0);
	for (int i = 0; i < 1500; i++) {
		snprintf(name, sizeof name, "%s%s %s%s", syll[rand() % 12],
			syll[rand() % 12], syll[rand() % 12], syll[rand() % 12]);
		snprintf(phone, sizeof phone, "139%08d", rand() % 100000000);
		snprintf(visit, sizeof visit, "2026-%02d-%02d", 1 + rand() % 12,
			1 + rand() % 28);
		add(f, name, phone, NULL, NULL, NULL, rand() % 5 ? visit : NULL);
	}
	assert_int_equal(store_exec(f->s, "COMMIT", &e), 0);
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
			long n = query(f, x, queries[i], small, 7);
			long m = query(f, x, queries[i], big, 3000);

			assert_int_equal(n, m < 7 ? m : 7);
			for (long j = 0; j < n; j++) {
				assert_int_equal(small[j].id, big[j].id);
				assert_int_equal(small[j].rank, big[j].rank);
			}
			for (long j = 1; j < m; j++)
				assert_true(big[j - 1].rank <= big[j].rank);
			if (round == 1) {
				/* The overlay answers as a fresh index does. */
				fresh = search_new();
				assert_int_equal(query(f, fresh, queries[i], big2,
							 3000), m);
				for (long j = 0; j < m; j++)
					assert_int_equal(big2[j].id, big[j].id);
				search_free(fresh);
			}
		}
		/* Round two: 20 customers changed since the index was built. */
		assert_int_equal(store_exec(f->s, "UPDATE customer SET last_visit "
					 "= '2026-12-01', name = name || ' ana' "
					 "WHERE id % 75 = 0", &e),
			0);
	}
	free(big);
	free(big2);
	search_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_DB_TEST(test_rank_order),
		UNIT_DB_TEST(test_ties_by_visit),
		UNIT_DB_TEST(test_any_script),
		UNIT_DB_TEST(test_refresh),
		UNIT_DB_TEST(test_import_logged),
		UNIT_DB_TEST(test_early_stop_exact),
		UNIT_DB_TEST(test_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
