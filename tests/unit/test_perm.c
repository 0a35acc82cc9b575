/*
 * test_perm: what each role may do by default and as configured, the
 * messages of a refusal, masking, the redeem limit, which role covers
 * which, and that a reveal needs a reason and lands in the audit trail.
 */
#include "unit.h"
#include "unit_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/perm.h"

static struct staff
who(const char *name, const char *role)
{
	struct staff s = { .id = 1 };

	snprintf(s.name, sizeof s.name, "%s", name);
	snprintf(s.role, sizeof s.role, "%s", role);
	return s;
}

static void
test_names(void **state)
{
	(void)state;
	assert_int_equal(perm_role("cashier"), ROLE_cashier);
	assert_int_equal(perm_role("admin"), ROLE_admin);
	assert_int_equal(perm_role("Admin"), -1);
	assert_int_equal(perm_role("root"), -1);
	assert_string_equal(perm_role_name(ROLE_agent), "agent");
	assert_string_equal(perm_role_name(ROLE_N), "?");
	assert_string_equal(perm_role_name(-1), "?");
	assert_string_equal(perm_name(PERM_others_tasks), "others_tasks");
	assert_string_equal(perm_what(PERM_adjust), "adjust or grant points");
	assert_string_equal(perm_name(PERM_N), "?");
	for (int r = 0; r < ROLE_N; r++)
		assert_int_equal(perm_role(perm_role_name(r)), r);
}

static void
test_defaults(void **state)
{
	struct config c;

	(void)state;
	config_defaults(&c);
	/* Every role sees customers; only the admin has keys and SQL. */
	for (int r = 0; r < ROLE_N; r++)
		assert_true(perm_allows(&c, perm_role_name(r), PERM_view));
	assert_true(perm_allows(&c, "cashier", PERM_redeem));
	assert_false(perm_allows(&c, "cashier", PERM_adjust));
	assert_false(perm_allows(&c, "cashier", PERM_import));
	assert_true(perm_allows(&c, "clerk", PERM_import));
	assert_false(perm_allows(&c, "agent", PERM_purchase));
	assert_false(perm_allows(&c, "agent", PERM_redeem));
	assert_true(perm_allows(&c, "manager", PERM_void));
	assert_false(perm_allows(&c, "manager", PERM_keys));
	assert_false(perm_allows(&c, "manager", PERM_sql));
	assert_true(perm_allows(&c, "admin", PERM_keys));
	assert_true(perm_allows(&c, "admin", PERM_sql));
	/* An unknown role (a database from elsewhere) may do nothing, and
	 * no permission past the table is granted. */
	assert_false(perm_allows(&c, "owner", PERM_view));
	assert_false(perm_allows(&c, "admin", PERM_N));
	assert_false(perm_allows(&c, "admin", -1));
	/* Masked by default: the cashier and the agent. */
	assert_true(perm_masked(&c, "cashier"));
	assert_true(perm_masked(&c, "agent"));
	assert_false(perm_masked(&c, "clerk"));
	assert_false(perm_masked(&c, "admin"));
	assert_true(perm_masked(&c, "owner"));
}

static void
test_configured(void **state)
{
	struct config c;

	(void)state;
	config_defaults(&c);
	c.roles[ROLE_clerk].allow[PERM_sql] = 1;
	c.roles[ROLE_admin].allow[PERM_export] = 0;
	c.roles[ROLE_manager].mask_personal_data = 1;
	assert_true(perm_allows(&c, "clerk", PERM_sql));
	assert_false(perm_allows(&c, "cashier", PERM_sql));
	assert_false(perm_allows(&c, "admin", PERM_export));
	assert_true(perm_masked(&c, "manager"));
}

static void
test_refusals(void **state)
{
	struct staff cathy = who("cathy", "cashier");
	struct staff max = who("max", "manager"), ada = who("ada", "agent");
	struct config c;
	struct perr e;

	(void)state;
	config_defaults(&c);
	assert_int_equal(perm_check(&c, &max, PERM_adjust, &e), 0);
	memset(&e, 0, sizeof e);
	assert_int_equal(perm_check(&c, &cathy, PERM_adjust, &e), -1);
	assert_int_equal(e.code, PX_NOPERM);
	assert_string_equal(e.msg, "cathy (cashier) may not adjust or grant "
	    "points");
	assert_int_equal(perm_unmasked(&c, &max, "the audit trail", &e), 0);
	assert_int_equal(perm_unmasked(&c, &cathy, "the audit trail", &e), -1);
	assert_int_equal(e.code, PX_NOPERM);
	assert_string_equal(e.msg, "cathy (cashier) sees personal data "
	    "masked, and the audit trail shows it whole");
	/* The redeem limit: up to it, not a point more; none for a
	 * manager; and an agent may not redeem at all. */
	assert_int_equal(perm_redeem(&c, &cathy, 2000, &e), 0);
	assert_int_equal(perm_redeem(&c, &cathy, 2001, &e), -1);
	assert_int_equal(e.code, PX_NOPERM);
	assert_string_equal(e.msg, "cathy (cashier) may redeem at most 2000 "
	    "points at once; a manager can redeem more");
	assert_int_equal(perm_redeem(&c, &max, 1000000, &e), 0);
	assert_int_equal(perm_redeem(&c, &ada, 1, &e), -1);
	assert_string_equal(e.msg, "ada (agent) may not redeem points");
	c.roles[ROLE_cashier].redeem_limit = 0;
	assert_int_equal(perm_redeem(&c, &cathy, 1000000, &e), 0);
}

static void
test_covers(void **state)
{
	struct config c;

	(void)state;
	config_defaults(&c);
	for (int r = 0; r < ROLE_N; r++) {
		assert_true(perm_covers(&c, "admin", perm_role_name(r)));
		assert_true(perm_covers(&c, perm_role_name(r),
		    perm_role_name(r)));
	}
	assert_true(perm_covers(&c, "manager", "cashier"));
	assert_false(perm_covers(&c, "manager", "admin"));
	assert_false(perm_covers(&c, "cashier", "manager"));
	/* The clerk has all the cashier has, unmasked and without a limit;
	 * the cashier lacks import and sees data masked. */
	assert_true(perm_covers(&c, "clerk", "cashier"));
	assert_false(perm_covers(&c, "cashier", "clerk"));
	/* Masked data does not cover unmasked, whatever the permissions. */
	c.roles[ROLE_cashier].allow[PERM_import] = 1;
	c.roles[ROLE_cashier].redeem_limit = 0;
	assert_false(perm_covers(&c, "cashier", "clerk"));
	c.roles[ROLE_cashier].mask_personal_data = 0;
	assert_true(perm_covers(&c, "cashier", "clerk"));
	/* A limit covers only a lower limit, and never none. */
	c.roles[ROLE_manager].redeem_limit = 3000;
	c.roles[ROLE_cashier].redeem_limit = 2000;
	assert_true(perm_covers(&c, "manager", "cashier"));
	c.roles[ROLE_cashier].redeem_limit = 4000;
	assert_false(perm_covers(&c, "manager", "cashier"));
	c.roles[ROLE_cashier].redeem_limit = 0;
	assert_false(perm_covers(&c, "manager", "cashier"));
	/* A limit does not matter to a role that may not redeem. */
	assert_true(perm_covers(&c, "manager", "agent"));
	assert_false(perm_covers(&c, "admin", "owner"));
	assert_false(perm_covers(&c, "owner", "cashier"));
}

/* The audit entries of action, as "customer_id detail" lines. */
static int
audited(struct unit_fixture *f, const char *action, char *out, size_t len)
{
	sqlite3_stmt *st;
	int n = 0;

	out[0] = '\0';
	assert_int_equal(store_prepare(f->s, "SELECT customer_id, detail FROM "
	    "audit WHERE action = ?1 ORDER BY id", &st, &f->e), 0);
	sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out + strlen(out), len - strlen(out), "%lld %s\n",
		    (long long)sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

static void
test_reveal(void **state)
{
	struct unit_fixture *f = *state;
	struct staff cathy = who("cathy", "cashier");
	char log[512];
	int64_t id = unit_add(f, "Wang Fang", "13800138000", NULL);

	assert_int_equal(perm_reveal(f->s, &f->cfg, &cathy, id, "  ", &f->e),
	    -1);
	assert_int_equal(f->e.code, PX_DATAERR);
	assert_string_equal(f->e.msg, "reason is needed: say why you need "
	    "to see the data");
	assert_int_equal(perm_reveal(f->s, &f->cfg, &cathy, id, NULL, &f->e),
	    -1);
	assert_int_equal(perm_reveal(f->s, &f->cfg, &cathy, id, "a\nb",
	    &f->e), -1);
	assert_int_equal(f->e.code, PX_DATAERR);
	assert_int_equal(audited(f, "reveal", log, sizeof log), 0);
	assert_int_equal(perm_reveal(f->s, &f->cfg, &cathy, id,
	    " customer asked \"why\" ", &f->e), 0);
	assert_int_equal(audited(f, "reveal", log, sizeof log), 1);
	snprintf(log + 400, 100, "%lld {\"fields\":[\"phone\",\"email\"],"
	    "\"reason\":\"customer asked \\\"why\\\"\"}\n", (long long)id);
	assert_string_equal(log, log + 400);
	/* Without the permission: refused, and nothing recorded. */
	f->cfg.roles[ROLE_cashier].allow[PERM_reveal] = 0;
	assert_int_equal(perm_reveal(f->s, &f->cfg, &cathy, id, "asked",
	    &f->e), -1);
	assert_int_equal(f->e.code, PX_NOPERM);
	assert_string_equal(f->e.msg, "cathy (cashier) may not reveal masked "
	    "data");
	assert_int_equal(audited(f, "reveal", log, sizeof log), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_configured),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_covers),
		UNIT_DB_TEST(test_reveal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
