/*
 * plwriter: the writer the power-loss tests record (tests/cli/powerloss.sh).
 * It commits numbered transactions and reports each with one write(2) to
 * standard output after COMMIT returns, so powerlog.so can place the report
 * among the writes and syncs it records (stdio's writes it cannot see).
 *
 *   plwriter patron N [CKPT]   commit n = max+1 ... max+N into w(n) of the
 *                              Patron database (credentials as for patron),
 *                              with PRAGMA wal_autocheckpoint = CKPT, then
 *                              close (a last checkpoint)
 *   plwriter stock DB N MODE SYNC [CKPT]
 *                              the same in a plain SQLite database, through
 *                              SQLite's own VFS: MODE is a journal_mode
 *                              (wal, delete), SYNC a synchronous level
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "patron/audit.h"
#include "patron/store.h"

#define ROW_SQL                                                                \
	"INSERT INTO w VALUES (%ld, printf('%%.*c', 200 + %ld %% 3000, 'x'))"

static void
report(long n)
{
	char line[32];
	int len = snprintf(line, sizeof line, "%ld\n", n);

	if (write(STDOUT_FILENO, line, (size_t)len) != len)
		exit(74);
}

static int
stock(const char *db, long count, const char *mode, const char *sync, int ckpt)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	char sql[256];
	long first = 1;

	if (sqlite3_open(db, &h) != SQLITE_OK)
		goto fail;
	snprintf(sql, sizeof sql,
		"PRAGMA journal_mode = %s; PRAGMA synchronous = %s; "
		"PRAGMA wal_autocheckpoint = %d; CREATE TABLE IF NOT EXISTS w "
		"(n INTEGER PRIMARY KEY, pad TEXT)",
		mode, sync, ckpt);
	if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK ||
		sqlite3_prepare_v2(h, "SELECT coalesce(max(n), 0) + 1 FROM w",
			-1, &st, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(st) == SQLITE_ROW)
		first = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	for (long n = first; n < first + count; n++) {
		snprintf(sql, sizeof sql,
			"BEGIN IMMEDIATE; " ROW_SQL "; COMMIT", n, n * 7919);
		if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
		report(n);
	}
	return sqlite3_close(h) == SQLITE_OK ? 0 : 70;
fail:
	fprintf(stderr, "plwriter: %s: %s\n", db, sqlite3_errmsg(h));
	return 70;
}

static int
patron(long count, int ckpt)
{
	const char *db = getenv("PATRON_DB"), *kf = getenv("PATRON_KEY_FILE");
	const char *pass = getenv("PATRON_PASSPHRASE");
	struct cred *cred;
	struct store *s;
	sqlite3_stmt *st;
	struct perr e;
	char sql[256];
	long first = 1;

	if (kf != NULL && *kf != '\0')
		cred = cred_from_keyfile(kf, &e);
	else
		cred = cred_new(CRED_PASSPHRASE, pass ? pass : "",
			pass ? strlen(pass) : 0);
	audit_install();
	if (cred == NULL || store_open(db, cred, 0, &s, &e) < 0) {
		perr_print(&e);
		return e.code ? e.code : 70;
	}
	cred_free(cred);
	snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = %d", ckpt);
	if (store_exec(s, sql, &e) < 0 ||
		store_exec(s,
			"CREATE TABLE IF NOT EXISTS w (n INTEGER PRIMARY KEY, "
			"pad TEXT)",
			&e) < 0 ||
		store_prepare(s, "SELECT coalesce(max(n), 0) + 1 FROM w", &st,
			&e) < 0)
		goto fail;
	if (sqlite3_step(st) == SQLITE_ROW)
		first = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	for (long n = first; n < first + count; n++) {
		snprintf(sql, sizeof sql,
			"BEGIN IMMEDIATE; " ROW_SQL "; COMMIT", n, n * 7919);
		if (store_exec(s, sql, &e) < 0)
			goto fail;
		report(n);
	}
	store_close(s);
	return 0;
fail:
	perr_print(&e);
	store_close(s);
	return e.code ? e.code : 70;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && argc <= 4 && strcmp(argv[1], "patron") == 0)
		return patron(atol(argv[2]), argc > 3 ? atoi(argv[3]) : 1000);
	if (argc >= 6 && argc <= 7 && strcmp(argv[1], "stock") == 0)
		return stock(argv[2], atol(argv[3]), argv[4], argv[5],
			argc > 6 ? atoi(argv[6]) : 1000);
	fputs("usage: plwriter patron N [CKPT] | stock DB N MODE SYNC [CKPT]\n",
		stderr);
	return 64;
}
