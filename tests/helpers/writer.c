/*
 * writer: a test helper that drives a Patron database the way crash and
 * concurrency tests need: committing numbered transactions until killed,
 * or holding a transaction open. Credentials come from the same environment
 * as patron's (PATRON_DB, PATRON_KEY_FILE or PATRON_PASSPHRASE).
 *
 *   writer loop            commit n = max+1, ... into w(n); print n after COMMIT
 *   writer loop N          the same, N times, then wait to be killed (the
 *                          last commit reported, the WAL left as it is)
 *   writer shared          the same, with max+1 read inside each transaction,
 *                          so several writers can run at once
 *   writer hold SQL        BEGIN, run SQL, print "ready", wait to be killed
 *   writer hold-journal SQL  the same in rollback-journal mode
 *   writer idle            open the database, print "ready", wait to be killed
 *   writer read SQL        the same inside a read transaction (BEGIN; SQL)
 *   writer staff NAME ROLE PIN   add a staff account
 *   writer dump SQL        run SQL (statements separated by ';') read-only,
 *                          as `patron sql` does, printing each row's
 *                          columns joined by '|': a read without the
 *                          staff login's Argon2id, for tests that read
 *                          thousands of times
 *
 * WRITER_CHECKPOINT=N in the environment sets PRAGMA wal_autocheckpoint
 * (SQLite's default is 1000 pages): a small N makes a writer checkpoint
 * often, so a kill at a random moment often lands inside a checkpoint.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patron/audit.h"
#include "patron/staff.h"
#include "patron/store.h"

static struct store *
writer_open(void)
{
	const char *db = getenv("PATRON_DB"), *kf = getenv("PATRON_KEY_FILE");
	const char *pass = getenv("PATRON_PASSPHRASE");
	struct cred *cred;
	struct store *s;
	struct perr e;

	if (kf != NULL && *kf != '\0')
		cred = cred_from_keyfile(kf, &e);
	else
		cred = cred_new(CRED_PASSPHRASE, pass ? pass : "",
			pass ? strlen(pass) : 0);
	audit_install();
	if (cred == NULL || store_open(db, cred, 0, &s, &e) < 0) {
		perr_print(&e);
		exit(e.code ? e.code : 1);
	}
	cred_free(cred);
	return s;
}

static void
writer_die(struct store *s, struct perr *e)
{
	perr_print(e);
	store_close(s);
	exit(e->code ? e->code : 1);
}

int
main(int argc, char **argv)
{
	struct store *s;
	struct perr e;

	if (argc < 2) {
		fputs("usage: writer loop | hold SQL | staff NAME ROLE PIN\n",
			stderr);
		return 64;
	}
	s = writer_open();
	if (getenv("WRITER_CHECKPOINT") != NULL) {
		char sql[64];

		snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = %d",
		        atoi(getenv("WRITER_CHECKPOINT")));
		if (store_exec(s, sql, &e) < 0)
			writer_die(s, &e);
	}
	if (strcmp(argv[1], "loop") == 0) {
		if (store_exec(s,
			    "CREATE TABLE IF NOT EXISTS w (n INTEGER PRIMARY "
			    "KEY, pad TEXT)",
			    &e) < 0)
			writer_die(s, &e);
		sqlite3_stmt *st;
		long first = 1, limit = argc == 3 ? atol(argv[2]) : -1;

		/* Continue after the numbers an earlier writer committed. */
		if (store_prepare(s, "SELECT coalesce(max(n), 0) + 1 FROM w",
			    &st, &e) < 0)
			writer_die(s, &e);
		if (sqlite3_step(st) == SQLITE_ROW)
			first = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		for (long n = first; limit < 0 || n < first + limit; n++) {
			char sql[256];

			snprintf(sql, sizeof sql,
				"BEGIN IMMEDIATE; INSERT INTO w VALUES (%ld, "
				"printf('%%.*c', 200 + %ld %% 3000, 'x')); COMMIT",
				n, n * 7919);
			if (store_exec(s, sql, &e) < 0)
				writer_die(s, &e);
			printf("%ld\n", n);
			fflush(stdout);
		}
		for (;;)
			pause();
	}
	if (strcmp(argv[1], "shared") == 0) {
		sqlite3_stmt *st;

		if (store_exec(s,
			    "CREATE TABLE IF NOT EXISTS w (n INTEGER PRIMARY "
			    "KEY, pad TEXT)",
			    &e) < 0)
			writer_die(s, &e);
		if (store_prepare(s,
			    "INSERT INTO w SELECT coalesce(max(n), 0) + 1, "
			    "printf('%.*c', 100 + abs(random()) % 3000, 'y') "
			    "FROM w RETURNING n",
			    &st, &e) < 0)
			writer_die(s, &e);
		for (;;) {
			long n = 0;
			int rc;

			if (store_begin(s, &e) < 0)
				writer_die(s, &e);
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW)
				n = sqlite3_column_int64(st, 0);
			while (rc == SQLITE_ROW)
				rc = sqlite3_step(st);
			sqlite3_reset(st);
			if (rc != SQLITE_DONE) {
				store_error(s, rc, &e, "insert");
				writer_die(s, &e);
			}
			if (store_commit(s, &e) < 0)
				writer_die(s, &e);
			printf("%ld\n", n);
			fflush(stdout);
		}
	}
	if ((strcmp(argv[1], "hold") == 0 ||
		    strcmp(argv[1], "hold-journal") == 0) &&
		argc == 3) {
		if (strcmp(argv[1], "hold-journal") == 0 &&
			store_exec(s, "PRAGMA journal_mode = DELETE", &e) < 0)
			writer_die(s, &e);
		/* A small cache makes the transaction spill pages to disk. */
		if (store_exec(s, "PRAGMA cache_size = 50", &e) < 0 ||
			store_exec(s, "BEGIN IMMEDIATE", &e) < 0 ||
			store_exec(s, argv[2], &e) < 0)
			writer_die(s, &e);
		puts("ready");
		fflush(stdout);
		for (;;)
			pause();
	}
	/* Another session: open and idle, or inside a read transaction. */
	if ((strcmp(argv[1], "idle") == 0 && argc == 2) ||
		(strcmp(argv[1], "read") == 0 && argc == 3)) {
		if (argc == 3 && (store_exec(s, "BEGIN", &e) < 0 ||
				     store_exec(s, argv[2], &e) < 0))
			writer_die(s, &e);
		puts("ready");
		fflush(stdout);
		for (;;)
			pause();
	}
	if (strcmp(argv[1], "dump") == 0 && argc == 3) {
		const char *sql = argv[2], *tail;
		sqlite3_stmt *st;
		int rc;

		if (store_query_only(s, &e) < 0)
			writer_die(s, &e);
		while (*sql != '\0') {
			rc = sqlite3_prepare_v2(
			        store_db(s), sql, -1, &st, &tail);
			if (rc != SQLITE_OK) {
				store_error(s, rc, &e, "prepare");
				writer_die(s, &e);
			}
			sql = tail;
			if (st == NULL)
				continue;
			while ((rc = sqlite3_step(st)) == SQLITE_ROW)
				for (int i = 0; i < sqlite3_column_count(st);
				        i++) {
					const unsigned char *v =
					        sqlite3_column_text(st, i);

					printf("%s%c", v ? (const char *)v : "",
					        i + 1 < sqlite3_column_count(st)
					                ? '|'
					                : '\n');
				}
			sqlite3_finalize(st);
			if (rc != SQLITE_DONE) {
				store_error(s, rc, &e, "read");
				writer_die(s, &e);
			}
		}
		store_close(s);
		return fflush(stdout) == 0 ? 0 : 74;
	}
	if (strcmp(argv[1], "staff") == 0 && argc == 5) {
		if (staff_add(s, argv[2], argv[3], argv[4], 0, NULL, &e) < 0)
			writer_die(s, &e);
		store_close(s);
		return 0;
	}
	fputs("writer: bad arguments\n", stderr);
	store_close(s);
	return 64;
}
