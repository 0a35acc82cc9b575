/*
 * fuzz_vfs: libFuzzer target for the VFS read path with the right key: a
 * damaged write-ahead log ("-pwal") and a damaged hot rollback journal
 * ("-pjournal") of a real database. Whatever the damage, opening the
 * database and reading it (a count, store_check: every page authenticated
 * and PRAGMA integrity_check) must not crash, hang, leak or hit UB; errors
 * are expected.
 *
 * Once per process, in a temp directory, a database is made with a key file
 * and two crash states of it are kept in memory (the database file, its
 * log and the WAL marks "-pmark" where there are any): one with
 * transactions committed to the WAL and not checkpointed, one in the
 * middle of a rollback-journal transaction that has spilled pages into
 * the database file. Each input picks one state, damages its log (or its
 * marks) and opens it:
 *
 *   byte 0     bit 0: the journal state (else the WAL one);
 *              bit 1: tail mode (else patch mode);
 *              bit 2: damage the marks (if the state has them), not the log
 *   tail mode  bytes 1-4: offset (little-endian, modulo the file's size + 1);
 *              the file is kept up to the offset and the rest of the input
 *              follows it (so a file can also be cut short or grow)
 *   patch mode records of offset (4 bytes, modulo the file's size), length
 *              (1 byte) and that many bytes written over the file
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "patron/audit.h"
#include "patron/store.h"
#include "patron/vfs.h"
#include "patron/walidx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One crash state: the database file, its log and marks, as on disk. */
struct fuzz_state {
	uint8_t *db, *log, *mark;	/* mark NULL: no marks file */
	size_t db_len, log_len, mark_len;
	const char *suffix;	/* of the log: VFS_WAL_SUFFIX or ... */
};

static char fuzz_dir[64];
static char fuzz_db[96];
static struct cred *fuzz_cred;
static struct fuzz_state fuzz_wal, fuzz_journal;
static long fuzz_rows;	/* committed, in both states */

static void fuzz_cleanup(void);

static void
fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz_vfs: %s\n", what);
	fuzz_cleanup();	/* abort() skips atexit */
	abort();
}

/*
 * Remove the database, its logs and marks, keeping the lock file: a
 * session that failed leaves its WAL-index object behind, and the next
 * session, reading its name there, removes it (without the name it would
 * stay in /dev/shm).
 */
static void
fuzz_remove(const char *path)
{
	static const char *suffix[] = { "", VFS_WAL_SUFFIX, VFS_JOURNAL_SUFFIX,
		VFS_MARK_SUFFIX };
	char p[160];

	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
}

/* Whether the memory object named in path's lock file exists. */
static int
fuzz_object_left(const char *path, char *name, size_t len)
{
	int fd;

	if (walidx_object_name(path, name, len) != 0)
		return 0;
	if ((fd = shm_open(name, O_RDONLY, 0)) < 0)
		return 0;
	close(fd);
	return 1;
}

static void
fuzz_cleanup(void)
{
	char cmd[128], name[64];

	if (fuzz_object_left(fuzz_db, name, sizeof name))
		shm_unlink(name);
	store_unlink_all(fuzz_db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_vfs: cannot remove %s\n", fuzz_dir);
}

static void
fuzz_exec(struct store *s, const char *sql)
{
	struct perr e;

	if (store_exec(s, sql, &e) < 0) {
		perr_print(&e);
		fuzz_fail("cannot make the database");
	}
}

static uint8_t *
fuzz_slurp(const char *path, size_t *len)
{
	uint8_t *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	*len = 0;
	if (fd < 0)
		fuzz_fail("a file of the crash state is missing");
	do {
		if (*len == cap)
			buf = realloc(buf, cap = cap * 2 + 65536);
		if (buf == NULL)
			abort();
		n = read(fd, buf + *len, cap - *len);
		if (n > 0)
			*len += (size_t)n;
	} while (n > 0);
	close(fd);
	return buf;
}

static void
fuzz_spew(const char *path, const uint8_t *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || (len > 0 && write(fd, buf, len) != (ssize_t)len) ||
	    close(fd) != 0)
		fuzz_fail("cannot write a file of the crash state");
}

/*
 * Copy the database, its log and marks as they are now, while the store
 * holding them is open: the state a crash at this moment leaves. Copied by
 * a child process: a descriptor this process opened and closed on the
 * database would drop the POSIX locks SQLite holds on it.
 */
static void
fuzz_snapshot(const char *suffix)
{
	char log[128], cmd[768];
	pid_t pid;
	int status;

	snprintf(log, sizeof log, "%s%s", fuzz_db, suffix);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s/state.db' && cp '%s' "
		"'%s/state.log' && rm -f '%s/state.mark' && { [ ! -e '%s%s' ] "
		"|| cp '%s%s' '%s/state.mark'; }", fuzz_db, fuzz_dir, log,
		fuzz_dir, fuzz_dir, fuzz_db, VFS_MARK_SUFFIX, fuzz_db,
		VFS_MARK_SUFFIX, fuzz_dir);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fuzz_fail("cannot copy the crash state");
}

static void
fuzz_keep(struct fuzz_state *st, const char *suffix)
{
	char path[128];

	snprintf(path, sizeof path, "%s/state.db", fuzz_dir);
	st->db = fuzz_slurp(path, &st->db_len);
	snprintf(path, sizeof path, "%s/state.log", fuzz_dir);
	st->log = fuzz_slurp(path, &st->log_len);
	snprintf(path, sizeof path, "%s/state.mark", fuzz_dir);
	st->mark = access(path, F_OK) == 0 ? fuzz_slurp(path, &st->mark_len) :
	    NULL;
	st->suffix = suffix;
	if (st->log_len == 0)
		fuzz_fail("the crash state has an empty log");
}

static struct store *
fuzz_open(void)
{
	struct store *s;
	struct perr e;

	if (store_open(fuzz_db, fuzz_cred, 0, &s, &e) < 0) {
		perr_print(&e);
		fuzz_fail("cannot open the database");
	}
	return s;
}

static long
fuzz_count(struct store *s)
{
	sqlite3_stmt *q;
	long n = -1;

	if (sqlite3_prepare_v2(store_db(s), "SELECT count(*) FROM w", -1, &q,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return n;
}

static void fuzz_restore_state(const struct fuzz_state *st,
	const uint8_t *log, size_t len, const uint8_t *mark, size_t mark_len);

/* The crash state st, undamaged, must open with every committed row. */
static void
fuzz_check_state(const struct fuzz_state *st)
{
	struct store *s;
	struct perr e;

	fuzz_restore_state(st, st->log, st->log_len, st->mark, st->mark_len);
	s = fuzz_open();
	if (fuzz_count(s) != fuzz_rows)
		fuzz_fail("the undamaged crash state lost committed rows");
	store_close(s);

	/* Without its log the state reads otherwise (or not at all): the
	 * inputs damage something that is read. */
	fuzz_restore_state(st, st->log, 0, st->mark, st->mark_len);
	if (store_open(fuzz_db, fuzz_cred, 0, &s, &e) == 0) {
		if (fuzz_count(s) == fuzz_rows)
			fuzz_fail("the crash state does not need its log");
		store_close(s);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t key[KEYFILE_BYTES];
	struct store *s;
	struct perr e;
	char sql[160];

	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	audit_install();
	strcpy(fuzz_dir, "/tmp/patron-fuzz-vfs.XXXXXX");
	if (mkdtemp(fuzz_dir) == NULL)
		fuzz_fail("cannot make a temp directory");
	snprintf(fuzz_db, sizeof fuzz_db, "%s/t.db", fuzz_dir);
	atexit(fuzz_cleanup);
	randombytes_buf(key, sizeof key);
	fuzz_cred = cred_new(CRED_KEYFILE, key, sizeof key);
	sodium_memzero(key, sizeof key);
	if (store_create(fuzz_db, fuzz_cred, KDF_INTERACTIVE, &s, &e) < 0) {
		perr_print(&e);
		fuzz_fail("cannot create the database");
	}
	fuzz_exec(s, "CREATE TABLE w(n INTEGER PRIMARY KEY, b BLOB);"
		"CREATE INDEX w_b ON w(b)");
	store_close(s);

	/* Committed transactions left in the WAL, not checkpointed. */
	s = fuzz_open();
	fuzz_exec(s, "PRAGMA wal_autocheckpoint = 0");
	for (int i = 0; i < 8; i++) {
		snprintf(sql, sizeof sql, "INSERT INTO w(b) SELECT "
			"randomblob(300) FROM (SELECT 1 UNION SELECT 2 "
			"UNION SELECT 3); DELETE FROM w WHERE n %% 5 = %d", i);
		fuzz_exec(s, sql);
	}
	fuzz_rows = fuzz_count(s);
	fuzz_snapshot(VFS_WAL_SUFFIX);
	store_close(s);
	fuzz_keep(&fuzz_wal, VFS_WAL_SUFFIX);

	/* A rollback-journal transaction that spilled into the database
	 * file (a small cache), as a crash leaves it: a hot journal. */
	s = fuzz_open();
	fuzz_exec(s, "PRAGMA journal_mode = DELETE; PRAGMA cache_size = 5; "
		"BEGIN IMMEDIATE; UPDATE w SET b = randomblob(200); "
		"INSERT INTO w(b) SELECT randomblob(500) FROM w");
	fuzz_snapshot(VFS_JOURNAL_SUFFIX);
	store_close(s);
	fuzz_keep(&fuzz_journal, VFS_JOURNAL_SUFFIX);
	/* Without its log each state reads differently: the logs matter. */
	fuzz_check_state(&fuzz_wal);
	fuzz_check_state(&fuzz_journal);
	return 0;
}

static uint32_t
fuzz_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* The file orig (of orig_len bytes) damaged by the input (see the top). */
static uint8_t *
fuzz_damage(const uint8_t *orig, size_t orig_len, const uint8_t *data,
	size_t size, size_t *len)
{
	uint8_t *f;

	if (size >= 5 && (data[0] & 2)) {
		size_t keep = fuzz_u32(data + 1) % (orig_len + 1);

		*len = keep + size - 5;
		f = malloc(*len + 1);
		if (f == NULL)
			abort();
		memcpy(f, orig, keep);
		memcpy(f + keep, data + 5, size - 5);
		return f;
	}
	*len = orig_len;
	f = malloc(*len + 1);
	if (f == NULL)
		abort();
	memcpy(f, orig, orig_len);
	for (size_t i = 1; i + 5 <= size && orig_len > 0;) {
		size_t at = fuzz_u32(data + i) % orig_len;
		size_t n = data[i + 4];

		i += 5;
		if (n > size - i)
			n = size - i;
		if (n > orig_len - at)
			n = orig_len - at;
		memcpy(f + at, data + i, n);
		i += n;
	}
	return f;
}

/* Put st on disk alone, with log and marks as given (mark NULL: none). */
static void
fuzz_restore_state(const struct fuzz_state *st, const uint8_t *log,
	size_t len, const uint8_t *mark, size_t mark_len)
{
	char path[128];

	fuzz_remove(fuzz_db);
	fuzz_spew(fuzz_db, st->db, st->db_len);
	snprintf(path, sizeof path, "%s%s", fuzz_db, st->suffix);
	fuzz_spew(path, log, len);
	if (mark != NULL) {
		snprintf(path, sizeof path, "%s%s", fuzz_db, VFS_MARK_SUFFIX);
		fuzz_spew(path, mark, mark_len);
	}
}

static void
fuzz_report(const char *msg, void *arg)
{
	(void)msg;
	(void)arg;
}

/*
 * After a session: if it set up a WAL index of its own (a new name in the
 * lock file), the object an earlier session left behind (left) is gone,
 * removed by it. The one the lock file names now, if it exists, becomes
 * left. So no input leaves more than one object in /dev/shm.
 */
static void
fuzz_gone(char *left)
{
	char name[64] = "";
	int fd, exists = fuzz_object_left(fuzz_db, name, sizeof name);

	if (left[0] != '\0' && strcmp(name, left) != 0 &&
	    (fd = shm_open(left, O_RDONLY, 0)) >= 0) {
		close(fd);
		fprintf(stderr, "fuzz_vfs: /dev/shm%s\n", left);
		fuzz_fail("a WAL-index object outlived the next index");
	}
	strcpy(left, exists ? name : "");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fuzz_state *st = size > 0 && (data[0] & 1) ?
	    &fuzz_journal : &fuzz_wal;
	sqlite3_stmt *q;
	struct store *s;
	struct perr e;
	static char left[64];	/* an object the last session left */
	uint8_t *f;
	size_t len;

	if (size > 0 && (data[0] & 4) && st->mark != NULL) {
		f = fuzz_damage(st->mark, st->mark_len, data, size, &len);
		fuzz_restore_state(st, st->log, st->log_len, f, len);
	} else {
		f = fuzz_damage(st->log, st->log_len, data, size, &len);
		fuzz_restore_state(st, f, len, st->mark, st->mark_len);
	}
	free(f);

	vfs_clear_error();
	if (store_open(fuzz_db, fuzz_cred, 0, &s, &e) < 0) {
		if (e.msg[0] == '\0')
			fuzz_fail("open failed without a message");
		fuzz_gone(left);
		return 0;
	}
	if (sqlite3_prepare_v2(store_db(s), "SELECT count(*), sum(length(b)) "
	    "FROM w", -1, &q, NULL) == SQLITE_OK) {
		while (sqlite3_step(q) == SQLITE_ROW)
			;
		sqlite3_finalize(q);
	}
	(void)store_check(s, fuzz_report, NULL, &e);
	store_close(s);
	fuzz_gone(left);
	return 0;
}
