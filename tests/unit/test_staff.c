/*
 * test_staff: accounts on a real encrypted database: what a name, role
 * and PIN must be, a login that says the same for every failure, the
 * lockout after wrong PINs and the ways out of it, and the cost of a PIN
 * hash (interactive; the test minimum only under PATRON_TEST_KDF=1).
 */
#include "unit.h"
#include "unit_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/staff.h"

/* Add an account that must be made; its id. */
static int64_t
account(struct unit_fixture *f, const char *name, const char *role,
	const char *pin)
{
	int64_t id = 0;

	if (staff_add(f->s, name, role, pin, 0, &id, &f->e) < 0)
		fail_msg("staff %s: %s", name, f->e.msg);
	return id;
}

/* staff_login with pin_attempts 3 and lockout_minutes lock. */
static int
login(struct unit_fixture *f, const char *name, const char *pin, int lock,
	struct staff *out)
{
	memset(&f->e, 0, sizeof f->e);
	return staff_login(f->s, name, pin, 3, lock, out, &f->e);
}

static void
test_add_checks(void **state)
{
	struct unit_fixture *f = *state;
	char long_name[STAFF_NAME_MAX + 2], long_pin[STAFF_PIN_MAX + 2];
	struct staff_row r;

	assert_true(staff_role_valid("agent"));
	assert_false(staff_role_valid("owner"));
	assert_false(staff_role_valid("Admin"));
	account(f, "ann", "manager", "1234");
	assert_int_equal(staff_add(f->s, "ann", "clerk", "5678", 0, NULL,
	    &f->e), -1);
	assert_int_equal(f->e.code, PX_DATAERR);
	assert_string_equal(f->e.msg, "staff 'ann' already exists");
	assert_int_equal(staff_add(f->s, "bob", "owner", "5678", 0, NULL,
	    &f->e), -1);
	assert_string_equal(f->e.msg, "unknown role 'owner' (cashier, clerk, "
	    "manager, admin, agent)");
	assert_int_equal(staff_add(f->s, "", "clerk", "5678", 0, NULL, &f->e),
	    -1);
	assert_int_equal(f->e.code, PX_DATAERR);
	assert_int_equal(staff_add(f->s, "bo\tb", "clerk", "5678", 0, NULL,
	    &f->e), -1);
	memset(long_name, 'n', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	assert_int_equal(staff_add(f->s, long_name, "clerk", "5678", 0, NULL,
	    &f->e), -1);
	long_name[STAFF_NAME_MAX] = '\0';
	account(f, long_name, "clerk", "5678");
	assert_int_equal(staff_add(f->s, "cy", "clerk", "123", 0, NULL,
	    &f->e), -1);
	assert_string_equal(f->e.msg, "a PIN must be 4 to 128 characters");
	memset(long_pin, '7', sizeof long_pin - 1);
	long_pin[sizeof long_pin - 1] = '\0';
	assert_int_equal(staff_add(f->s, "cy", "clerk", long_pin, 0, NULL,
	    &f->e), -1);
	/* Nothing refused was written. */
	assert_int_equal(staff_get(f->s, "bob", &r, &f->e), -1);
	assert_int_equal(f->e.code, PX_FAIL);
	assert_int_equal(staff_get(f->s, "cy", &r, &f->e), -1);
	assert_int_equal(staff_get(f->s, "ann", &r, &f->e), 0);
	assert_string_equal(r.role, "manager");
	assert_false(r.disabled);
	assert_int_equal(r.failed_attempts, 0);
	assert_string_equal(r.locked_until, "");
}

static void
test_login(void **state)
{
	struct unit_fixture *f = *state;
	int64_t ann = account(f, "ann", "manager", "1234");
	struct staff who;

	assert_int_equal(login(f, "ann", "1234", 5, &who), 0);
	assert_int_equal(who.id, ann);
	assert_string_equal(who.name, "ann");
	assert_string_equal(who.role, "manager");
	/* A wrong PIN, an unknown name, a disabled account: one answer. */
	assert_int_equal(login(f, "ann", "4321", 5, &who), -1);
	assert_int_equal(f->e.code, PX_NOPERM);
	assert_string_equal(f->e.msg, "wrong staff name or PIN");
	assert_int_equal(who.id, 0);
	assert_int_equal(login(f, "nobody", "1234", 5, &who), -1);
	assert_string_equal(f->e.msg, "wrong staff name or PIN");
	assert_int_equal(staff_set_disabled(f->s, ann, 1, &f->e), 0);
	assert_int_equal(login(f, "ann", "1234", 5, &who), -1);
	assert_string_equal(f->e.msg, "wrong staff name or PIN");
	assert_int_equal(staff_set_disabled(f->s, ann, 0, &f->e), 0);
	assert_int_equal(login(f, "ann", "1234", 5, &who), 0);
}

static void
test_lockout(void **state)
{
	struct unit_fixture *f = *state;
	int64_t ann = account(f, "ann", "manager", "1234");
	int64_t bob = account(f, "bob", "clerk", "5678");
	struct staff_row r;
	struct staff who;

	/* A right PIN resets the count: two wrong, right, two wrong. */
	assert_int_equal(login(f, "ann", "0000", 5, &who), -1);
	assert_int_equal(login(f, "ann", "0000", 5, &who), -1);
	assert_int_equal(staff_get(f->s, "ann", &r, &f->e), 0);
	assert_int_equal(r.failed_attempts, 2);
	assert_int_equal(login(f, "ann", "1234", 5, &who), 0);
	assert_int_equal(staff_get(f->s, "ann", &r, &f->e), 0);
	assert_int_equal(r.failed_attempts, 0);
	assert_int_equal(login(f, "ann", "0000", 5, &who), -1);
	assert_int_equal(login(f, "ann", "0000", 5, &who), -1);
	assert_int_equal(login(f, "ann", "1234", 5, &who), 0);
	/* The third wrong PIN in a row locks, for lockout_minutes: then
	 * the right PIN is refused too, saying until when. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(login(f, "ann", "0000", 5, &who), -1);
	assert_int_equal(login(f, "ann", "1234", 5, &who), -1);
	assert_int_equal(f->e.code, PX_NOPERM);
	assert_non_null(strstr(f->e.msg, "ann is locked after too many wrong "
	    "PINs until 2"));
	assert_int_equal(staff_get(f->s, "ann", &r, &f->e), 0);
	assert_true(r.locked_until[0] != '\0');
	/* An admin's unlock ends it. */
	assert_int_equal(staff_unlock(f->s, ann, &f->e), 0);
	assert_int_equal(login(f, "ann", "1234", 5, &who), 0);
	/* lockout_minutes 0: until an admin unlocks it; a new PIN does. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(login(f, "bob", "0000", 0, &who), -1);
	assert_int_equal(login(f, "bob", "5678", 0, &who), -1);
	assert_string_equal(f->e.msg, "bob is locked after too many wrong "
	    "PINs until an admin unlocks it");
	assert_int_equal(staff_get(f->s, "bob", &r, &f->e), 0);
	assert_string_equal(r.locked_until, "admin");
	assert_int_equal(staff_set_pin(f->s, bob, "2468", &f->e), 0);
	assert_int_equal(login(f, "bob", "5678", 0, &who), -1);
	assert_string_equal(f->e.msg, "wrong staff name or PIN");
	assert_int_equal(login(f, "bob", "2468", 0, &who), 0);
	assert_int_equal(who.id, bob);
}

/* staff_each's callback: the names, comma-separated. */
static int
names(const struct staff_row *r, void *arg)
{
	char *out = arg;

	snprintf(out + strlen(out), 128 - strlen(out), "%s%s:%s",
	    out[0] ? "," : "", r->name, r->role);
	return 0;
}

static void
test_accounts(void **state)
{
	struct unit_fixture *f = *state;
	int64_t cy = account(f, "cy", "cashier", "1234");
	char all[128] = "";
	struct staff_row r;

	account(f, "ann", "manager", "1234");
	assert_int_equal(staff_set_role(f->s, cy, "clerk", &f->e), 0);
	assert_int_equal(staff_set_role(f->s, cy, "owner", &f->e), -1);
	assert_int_equal(f->e.code, PX_DATAERR);
	assert_int_equal(staff_set_pin(f->s, cy, "12", &f->e), -1);
	assert_int_equal(f->e.code, PX_DATAERR);
	assert_int_equal(staff_each(f->s, names, all, &f->e), 0);
	assert_string_equal(all, "ann:manager,cy:clerk");
	assert_int_equal(staff_get(f->s, "CY", &r, &f->e), 0);
	assert_int_equal(r.id, cy);
	assert_int_equal(staff_get(f->s, "nobody", &r, &f->e), -1);
	assert_string_equal(f->e.msg, "no staff member 'nobody'");
}

/* The PIN hash of name, as stored. */
static void
pin_hash(struct unit_fixture *f, const char *name, char *out, size_t len)
{
	sqlite3_stmt *st;

	assert_int_equal(store_prepare(f->s, "SELECT pin_hash FROM staff "
	    "WHERE name = ?1", &st, &f->e), 0);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static void
test_pin_cost(void **state)
{
	struct unit_fixture *f = *state;
	int64_t cy = account(f, "cy", "cashier", "1234");
	struct staff who;
	char h[256];

	pin_hash(f, "cy", h, sizeof h);
	assert_non_null(strstr(h, "$argon2id$v=19$m=8,t=1,"));
	assert_null(strstr(h, "1234"));
	setenv("PATRON_TEST_KDF", "0", 1);
	assert_int_equal(staff_set_pin(f->s, cy, "5678", &f->e), 0);
	account(f, "dee", "clerk", "1357");
	unsetenv("PATRON_TEST_KDF");
	pin_hash(f, "cy", h, sizeof h);
	assert_non_null(strstr(h, "$argon2id$v=19$m=65536,t=2,"));
	pin_hash(f, "dee", h, sizeof h);
	assert_non_null(strstr(h, "$argon2id$v=19$m=65536,t=2,"));
	/* A hash records its cost: each checks under either setting. */
	assert_int_equal(login(f, "cy", "5678", 5, &who), 0);
	setenv("PATRON_TEST_KDF", "1", 1);
	assert_int_equal(login(f, "dee", "1357", 5, &who), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_DB_TEST(test_add_checks),
		UNIT_DB_TEST(test_login),
		UNIT_DB_TEST(test_lockout),
		UNIT_DB_TEST(test_accounts),
		UNIT_DB_TEST(test_pin_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
