/*
 * unit_db: a real encrypted database in a fresh temp directory, unlocked
 * with a key file (no Argon2 cost), and the fixture of the domain's tests
 * around it: the database, the default configuration and an error.
 */
#ifndef PATRON_TEST_UNIT_DB_H
#define PATRON_TEST_UNIT_DB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "patron/audit.h"
#include "patron/config.h"
#include "patron/customer.h"
#include "patron/store.h"

struct unit_db {
	char dir[64];
	char path[128];		/* DIR/t.db */
	char keyfile[128];	/* DIR/key, the same key as cred */
	struct cred *cred;
};

/*
 * Create the directory, key file and database, run sql in it and return
 * the open store (NULL on failure, reported on stderr).
 */
static inline struct store *
unit_db_create(struct unit_db *u, const char *sql)
{
	uint8_t key[KEYFILE_BYTES];
	struct store *s = NULL;
	struct perr e;
	FILE *fp;

	strcpy(u->dir, "/tmp/patron-unit.XXXXXX");
	if (mkdtemp(u->dir) == NULL)
		return NULL;
	snprintf(u->path, sizeof u->path, "%s/t.db", u->dir);
	snprintf(u->keyfile, sizeof u->keyfile, "%s/key", u->dir);
	randombytes_buf(key, sizeof key);
	fp = fopen(u->keyfile, "wb");
	if (fp == NULL || fwrite(key, 1, sizeof key, fp) != sizeof key) {
		if (fp != NULL)
			fclose(fp);
		return NULL;
	}
	fclose(fp);
	u->cred = cred_new(CRED_KEYFILE, key, sizeof key);
	sodium_memzero(key, sizeof key);
	audit_install();
	if (store_create(u->path, u->cred, KDF_INTERACTIVE, &s, &e) < 0 ||
		store_exec(s, sql, &e) < 0) {
		perr_print(&e);
		store_close(s);
		return NULL;
	}
	return s;
}

/* Remove the directory and everything in it. */
static inline int
unit_db_remove(struct unit_db *u)
{
	char cmd[160];

	cred_free(u->cred);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", u->dir);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * The domain's fixture (cmocka_unit_test_setup_teardown(test, unit_setup,
 * unit_teardown)): a fresh database, config_defaults (country CN, currency
 * CNY) and the last error of a helper. PINs hashed in it cost the test
 * minimum (PATRON_TEST_KDF, patron(1)).
 */
struct unit_fixture {
	struct unit_db u;
	struct store *s;
	struct config cfg;
	struct perr e;
};
#define UNIT_DB_TEST(t) \
	cmocka_unit_test_setup_teardown(t, unit_setup, unit_teardown)

static inline int
unit_setup(void **state)
{
	struct unit_fixture *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	setenv("PATRON_TEST_KDF", "1", 1);
	f->s = unit_db_create(&f->u, "SELECT 1");
	if (f->s == NULL) {
		free(f);
		return -1;
	}
	config_defaults(&f->cfg);
	*state = f;
	return 0;
}

static inline int
unit_teardown(void **state)
{
	struct unit_fixture *f = *state;
	int rc;

	store_close(f->s);
	rc = unit_db_remove(&f->u);
	free(f);
	return rc;
}

/* Add the customer in, failing the test on an error; the new id. */
static inline int64_t
unit_add_input(struct unit_fixture *f, const struct customer_input *in)
{
	int64_t id;

	if (customer_add(f->s, &f->cfg, in, 0, &id, &f->e) < 0)
		fail_msg("add %s: %s", in->name, f->e.msg);
	return id;
}

/* Add a customer by name, with a phone and a birthday unless NULL. */
static inline int64_t
unit_add(struct unit_fixture *f, const char *name, const char *phone,
	const char *birthday)
{
	struct customer_input in;

	customer_input_init(&in);
	in.name = name;
	in.phone = phone;
	in.birthday = birthday;
	return unit_add_input(f, &in);
}

#endif
