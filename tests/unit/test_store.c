/*
 * test_store: opening, key slot updates, restore and the guard rails that
 * every connection gets, on real encrypted files in a temp directory.
 */
#include "unit.h"
#include "unit_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "patron/store.h"
#include "patron/vfs.h"

struct fixture {
	struct unit_db u;
	const char *path;
	const char *dir;
	const char *keyfile;
	struct cred *cred;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct store *s;

	s = unit_db_create(&f->u,
		"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
		"CREATE TABLE u (id INTEGER PRIMARY KEY, v TEXT);"
		"WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
		"FROM c WHERE i < 400) INSERT INTO t "
		"SELECT i, hex(randomblob(300)) FROM c;"
		"INSERT INTO u SELECT * FROM t");
	if (s == NULL)
		return -1;
	store_close(s);
	f->path = f->u.path;
	f->dir = f->u.dir;
	f->keyfile = f->u.keyfile;
	f->cred = f->u.cred;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	int rc = unit_db_remove(&f->u);

	free(f);
	return rc;
}

static struct store *
open_or_fail(struct fixture *f)
{
	struct store *s = NULL;
	struct perr e;

	if (store_open(f->path, f->cred, 0, &s, &e) < 0)
		fail_msg("open: %s", e.msg);
	return s;
}

/*
 * Session A rewrites frames of its own transaction (SQLite re-checksums
 * them at commit); session B, another process, then restarts the WAL and
 * writes other pages into the same frame slots. A must read B's frames
 * without a false authentication error.
 */
static void
test_wal_reused_by_another_process(void **state)
{
	struct fixture *f = *state;
	struct store *a;
	struct perr e;
	int p1[2], p2[2], status;
	sqlite3_stmt *st;
	pid_t pid;
	char x;

	assert_int_equal(pipe(p1), 0);
	assert_int_equal(pipe(p2), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *b;

		close(p1[1]);
		close(p2[0]);
		if (read(p1[0], &x, 1) != 1)
			_exit(2);
		if (store_open(f->path, f->cred, 0, &b, &e) < 0)
			_exit(3);
		sqlite3_wal_checkpoint_v2(store_db(b), "main",
			SQLITE_CHECKPOINT_RESTART, NULL, NULL);
		if (store_exec(b,
			    "BEGIN; UPDATE t SET v = v || 'b' WHERE id % 2 = 0;"
			    "UPDATE u SET v = v || 'b'; COMMIT",
			    &e) < 0)
			_exit(4);
		if (write(p2[1], "x", 1) != 1)
			_exit(5);
		/* Until the parent is done: EOF even if it dies on a failure. */
		if (read(p1[0], &x, 1) < 0)
			_exit(6);
		_exit(0);
	}
	close(p1[0]);
	close(p2[1]);
	a = open_or_fail(f);
	/* A small cache spills, so pages are written to the WAL twice. */
	assert_int_equal(store_exec(a,
				 "PRAGMA cache_size = 20; BEGIN;"
				 "UPDATE t SET v = v || 'a'; UPDATE t SET v = v || 'A';"
				 "UPDATE t SET v = v || 'z'; COMMIT",
				 &e),
		0);
	assert_int_equal(write(p1[1], "x", 1), 1);
	assert_int_equal(read(p2[0], &x, 1), 1);
	vfs_clear_error();
	assert_int_equal(store_prepare(a,
				 "SELECT (SELECT count(*) FROM t WHERE v LIKE '%b') +"
				 " (SELECT count(*) FROM u WHERE v LIKE '%b')",
				 &st, &e),
		0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 200 + 400);
	sqlite3_finalize(st);
	assert_string_equal(vfs_last_error(), "");
	close(p1[1]);
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(p2[0]);
	store_close(a);
}

/* Two sessions change key slots: the second one must not undo the first. */
static void
test_header_lost_update(void **state)
{
	struct fixture *f = *state;
	struct store *a = open_or_fail(f), *b = open_or_fail(f);
	struct header ha = *store_header(a), hb = *store_header(b);
	struct perr e;

	ha.slots[4].type = SLOT_KEYFILE;
	strcpy(ha.slots[4].label, "from a");
	assert_int_equal(store_write_header(a, &ha, &e), 0);
	hb.slots[5].type = SLOT_KEYFILE;
	strcpy(hb.slots[5].label, "from b");
	assert_int_equal(store_write_header(b, &hb, &e), -1);
	assert_int_equal(e.code, PX_TEMPFAIL);
	store_close(b);
	b = open_or_fail(f);
	assert_string_equal(store_header(b)->slots[4].label, "from a");
	assert_int_equal(store_header(b)->slots[5].type, SLOT_EMPTY);
	store_close(a);
	store_close(b);
}

/*
 * Opening a database this process already has open must leave the locks
 * of the first connection alone: another process still finds it locked.
 */
static void
test_second_open_keeps_locks(void **state)
{
	struct fixture *f = *state;
	struct store *a = NULL, *b = NULL;
	struct perr e;
	int status;
	pid_t pid;

	assert_int_equal(store_open(f->path, f->cred, STORE_EXCLUSIVE, &a, &e), 0);
	/* In exclusive locking mode the first write's lock is kept. */
	assert_int_equal(store_exec(a, "BEGIN EXCLUSIVE; DELETE FROM u WHERE id = 1;"
				       "COMMIT", &e),
		0);
	assert_int_equal(store_open(f->path, f->cred, 0, &b, &e), -1);
	assert_int_equal(e.code, PX_TEMPFAIL);
	/* Another process (a fresh one: SQLite state does not survive fork). */
	if (getenv("PATRON") == NULL) {
		store_close(a);
		skip();
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("PATRON_DB", f->path, 1);
		setenv("PATRON_KEY_FILE", f->keyfile, 1);
		unsetenv("PATRON_CONFIG");
		execl(getenv("PATRON"), "patron", "check", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), PX_TEMPFAIL);
	store_close(a);
}

static void
test_restore_onto_itself(void **state)
{
	struct fixture *f = *state;
	struct store *live = open_or_fail(f), *b = open_or_fail(f);
	struct perr e;

	assert_int_equal(store_restore(live, b, &e), -1);
	assert_non_null(strstr(e.msg, "database itself"));
	store_close(b);
	store_close(live);
}

/* ATTACH cannot name a URI (a plaintext VFS) nor, read-only, create files. */
static void
test_attach_guards(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_or_fail(f);
	char sql[256];
	struct perr e;

	snprintf(sql, sizeof sql, "ATTACH 'file:%s/u.db?vfs=unix' AS u", f->dir);
	assert_int_equal(store_exec(s, sql, &e), -1);
	snprintf(sql, sizeof sql, "VACUUM INTO 'file:%s/v.db?vfs=unix'", f->dir);
	assert_int_equal(store_exec(s, sql, &e), -1);
	snprintf(sql, sizeof sql, "%s/u.db", f->dir);
	assert_int_equal(access(sql, F_OK), -1);
	assert_int_equal(store_query_only(s, &e), 0);
	snprintf(sql, sizeof sql, "ATTACH '%s/new.db' AS n", f->dir);
	assert_int_equal(store_exec(s, sql, &e), -1);
	snprintf(sql, sizeof sql, "%s/new.db", f->dir);
	assert_int_equal(access(sql, F_OK), -1);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_wal_reused_by_another_process,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_lost_update, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_second_open_keeps_locks, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_restore_onto_itself, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_attach_guards, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
