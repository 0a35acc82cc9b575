/*
 * test_audit: the audit trail on a real encrypted database: changes of data
 * and audit_log entries chain up and verify; an entry edited, a detail
 * altered, an entry deleted in the middle or cut off the end is found where
 * it happened; erasing a customer's details keeps the chain whole; and the
 * listing filters, newest first.
 */
#include "unit.h"
#include "unit_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/audit.h"
#include "patron/staff.h"

/* A trail of six entries: two customers (with tags, so two entries each),
 * a reveal by ann (id 1) and her login. */
static void
trail(struct unit_fixture *f)
{
	struct customer_input in;
	const char *tags[] = { "vip" };
	int64_t ann;

	assert_int_equal(staff_add(f->s, "ann", "manager", "1234", 0, &ann,
	    &f->e), 0);
	audit_actor(f->s, ann);
	customer_input_init(&in);
	in.name = "Wang Fang";
	in.tags = tags;
	in.ntags = 1;
	unit_add_input(f, &in);
	unit_add(f, "Anna Schmidt", NULL, NULL);
	assert_int_equal(audit_log(f->s, "reveal", "customer", 1, 1,
	    "{\"reason\":\"asked\"}", &f->e), 0);
	assert_int_equal(audit_log(f->s, "login", "staff", ann, 0, NULL,
	    &f->e), 0);
}

/* audit_verify's answer, with the first bad entry in *bad. */
static int
verify(struct unit_fixture *f, int64_t *bad, long *checked)
{
	memset(&f->e, 0, sizeof f->e);
	return audit_verify(f->s, bad, checked, &f->e);
}

static void
test_intact(void **state)
{
	struct unit_fixture *f = *state;
	int64_t bad = -1;
	long checked = 0, before;

	assert_int_equal(verify(f, &bad, &checked), 0);
	assert_int_equal(checked, 0);
	trail(f);
	assert_int_equal(verify(f, &bad, &checked), 0);
	assert_int_equal(bad, 0);
	before = checked;
	assert_true(checked >= 6);
	assert_int_equal(audit_log(f->s, "export", "customer", 0, 0, NULL,
	    &f->e), 0);
	assert_int_equal(verify(f, &bad, &checked), 0);
	assert_int_equal(checked, before + 1);
}

static void
test_edited(void **state)
{
	struct unit_fixture *f = *state;
	int64_t bad;
	long checked;

	trail(f);
	assert_int_equal(store_exec(f->s, "UPDATE audit SET staff_id = NULL "
	    "WHERE id = 3", &f->e), 0);
	assert_int_equal(verify(f, &bad, &checked), 1);
	assert_int_equal(bad, 3);
	assert_int_equal(checked, 2);
	assert_string_equal(f->e.msg, "audit entry 3: altered, inserted or "
	    "out of place (its chain does not verify)");
}

static void
test_detail_altered(void **state)
{
	struct unit_fixture *f = *state;
	int64_t bad;
	long checked;

	trail(f);
	assert_int_equal(store_exec(f->s, "UPDATE audit SET detail = "
	    "'{\"reason\":\"bored\"}' WHERE action = 'reveal'", &f->e), 0);
	assert_int_equal(verify(f, &bad, &checked), 1);
	assert_true(bad > 0);
	assert_non_null(strstr(f->e.msg, ": what changed was altered"));
}

static void
test_deleted(void **state)
{
	struct unit_fixture *f = *state;
	int64_t bad;
	long checked;

	trail(f);
	assert_int_equal(store_exec(f->s, "DELETE FROM audit WHERE id = 2",
	    &f->e), 0);
	assert_int_equal(verify(f, &bad, &checked), 1);
	assert_int_equal(bad, 3);
	assert_string_equal(f->e.msg, "audit entry 3: entry 2 before it is "
	    "missing");
}

static void
test_cut_off(void **state)
{
	struct unit_fixture *f = *state;
	int64_t bad = -1;
	long checked;

	trail(f);
	assert_int_equal(store_exec(f->s, "DELETE FROM audit WHERE id = "
	    "(SELECT max(id) FROM audit)", &f->e), 0);
	assert_int_equal(verify(f, &bad, &checked), 1);
	assert_int_equal(bad, 0);
	assert_non_null(strstr(f->e.msg, "audit trail: entries after "));
}

/* audit_each's callback: "action:entity:customer:staff:detail" lines, the
 * detail "d" if there is one, "none" if it is NULL. */
static int
listed(const struct audit_entry *en, void *arg)
{
	char *out = arg;

	snprintf(out + strlen(out), 1024 - strlen(out), "%s:%s:%lld:%s:%s\n",
	    en->action, en->entity, (long long)en->customer_id, en->staff,
	    en->detail ? "d" : "none");
	return 0;
}

static void
test_forget_and_list(void **state)
{
	struct unit_fixture *f = *state;
	struct audit_filter flt = { 0 };
	char out[1024] = "";
	int64_t bad;
	long checked;

	trail(f);
	flt.customer_id = 1;
	assert_int_equal(audit_each(f->s, &flt, listed, out, &f->e), 3);
	assert_string_equal(out, "reveal:customer:1:ann:d\n"
	    "tag:customer:1:ann:d\n"
	    "insert:customer:1:ann:d\n");
	assert_int_equal(audit_forget_customer(f->s, 1, &f->e), 0);
	out[0] = '\0';
	assert_int_equal(audit_each(f->s, &flt, listed, out, &f->e), 3);
	assert_string_equal(out, "reveal:customer:1:ann:none\n"
	    "tag:customer:1:ann:none\n"
	    "insert:customer:1:ann:none\n");
	/* The chain holds the details' hashes, not the details. */
	assert_int_equal(verify(f, &bad, &checked), 0);
	/* Anna's are untouched; filters by action and staff, and a limit. */
	flt.customer_id = 2;
	out[0] = '\0';
	assert_int_equal(audit_each(f->s, &flt, listed, out, &f->e), 1);
	assert_string_equal(out, "insert:customer:2:ann:d\n");
	memset(&flt, 0, sizeof flt);
	flt.action = "login";
	flt.staff = "ann";
	out[0] = '\0';
	assert_int_equal(audit_each(f->s, &flt, listed, out, &f->e), 1);
	assert_string_equal(out, "login:staff:0:ann:none\n");
	flt.staff = "nobody";
	assert_int_equal(audit_each(f->s, &flt, listed, out, &f->e), 0);
	memset(&flt, 0, sizeof flt);
	flt.limit = 2;
	out[0] = '\0';
	assert_int_equal(audit_each(f->s, &flt, listed, out, &f->e), 2);
	assert_memory_equal(out, "login:", 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_DB_TEST(test_intact),
		UNIT_DB_TEST(test_edited),
		UNIT_DB_TEST(test_detail_altered),
		UNIT_DB_TEST(test_deleted),
		UNIT_DB_TEST(test_cut_off),
		UNIT_DB_TEST(test_forget_and_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
