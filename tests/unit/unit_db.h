/*
 * unit_db: a real encrypted database in a fresh temp directory for the
 * store and VFS tests, unlocked with a key file (no Argon2 cost).
 */
#ifndef PATRON_TEST_UNIT_DB_H
#define PATRON_TEST_UNIT_DB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

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

#endif
