/*
 * test_vfs: the points of the encrypting VFS that are easy to get wrong,
 * driven through SQLite's own file handles on a real database in a temp
 * directory.
 */
#include "unit.h"
#include "unit_db.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "patron/store.h"
#include "patron/vfs.h"
#include "patron/walidx.h"

struct fixture {
	struct unit_db u;
	const char *path;
	struct store *s;
	struct cred *cred;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	f->s = unit_db_create(&f->u,
		"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
		"WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
		"FROM c WHERE i < 200) INSERT INTO t (v) "
		"SELECT printf('row-%05d-', i) || hex(randomblob(60)) FROM c");
	if (f->s == NULL)
		return -1;
	f->path = f->u.path;
	f->cred = f->u.cred;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	int rc;

	store_close(f->s);
	rc = unit_db_remove(&f->u);
	free(f);
	return rc;
}

static sqlite3_file *
main_file(struct fixture *f)
{
	sqlite3_file *p = NULL;

	assert_int_equal(sqlite3_file_control(store_db(f->s), "main",
				 SQLITE_FCNTL_FILE_POINTER, &p),
		SQLITE_OK);
	return p;
}

static sqlite3_file *
journal_file(struct fixture *f)
{
	sqlite3_file *p = NULL;

	assert_int_equal(sqlite3_file_control(store_db(f->s), "main",
				 SQLITE_FCNTL_JOURNAL_POINTER, &p),
		SQLITE_OK);
	return p;
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* SQLite reads 100 bytes of page 1 before it knows the page size. */
static void
test_page1_partial_reads(void **state)
{
	struct fixture *f = *state;
	sqlite3_file *m = main_file(f);
	uint8_t head[100], part[16], page[PAGE_SIZE];
	struct perr e;

	/* Move every page from the WAL into the database file. */
	assert_int_equal(store_exec(f->s, "PRAGMA wal_checkpoint(TRUNCATE)", &e), 0);
	assert_int_equal(m->pMethods->xRead(m, head, sizeof head, 0), SQLITE_OK);
	assert_memory_equal(head, "SQLite format 3", 16);
	assert_int_equal(head[16] << 8 | head[17], PAGE_SIZE);
	assert_int_equal(head[20], PAGE_RESERVE);
	assert_int_equal(m->pMethods->xRead(m, part, sizeof part, 24), SQLITE_OK);
	assert_int_equal(m->pMethods->xRead(m, page, sizeof page, 0), SQLITE_OK);
	assert_memory_equal(part, page + 24, sizeof part);
	assert_memory_equal(head, page, sizeof head);
	/* A read straddling two pages is split and both are opened. */
	assert_int_equal(m->pMethods->xRead(m, part, sizeof part, PAGE_SIZE - 8),
		SQLITE_OK);
	assert_memory_equal(part, page + PAGE_SIZE - 8, 8);
}

static void
test_short_read_zero_filled(void **state)
{
	struct fixture *f = *state;
	sqlite3_file *m = main_file(f);
	sqlite3_int64 size;
	uint8_t page[PAGE_SIZE];

	assert_int_equal(m->pMethods->xFileSize(m, &size), SQLITE_OK);
	assert_int_equal(size % PAGE_SIZE, 0);
	memset(page, 0xaa, sizeof page);
	assert_int_equal(m->pMethods->xRead(m, page, sizeof page, size + 5 * PAGE_SIZE),
		SQLITE_IOERR_SHORT_READ);
	assert_true(sodium_is_zero(page, sizeof page));
}

/*
 * WAL frames are written as a 24-byte header and a page in two calls and
 * read back in one call during recovery; SQLite's checksums over plaintext
 * must never reach the file.
 */
static void
test_wal_frames(void **state)
{
	struct fixture *f = *state;
	sqlite3_file *w;
	uint8_t hdr[32], frame[24 + PAGE_SIZE], fh[24], page[PAGE_SIZE];
	char walpath[160];
	uint8_t *raw;
	size_t rawlen;
	sqlite3_int64 size;
	struct perr e;

	assert_int_equal(store_exec(f->s, "UPDATE t SET v = v || 'x'", &e), 0);
	w = journal_file(f);
	assert_non_null(w);
	assert_non_null(w->pMethods);
	assert_int_equal(w->pMethods->xRead(w, hdr, sizeof hdr, 0), SQLITE_OK);
	assert_int_equal(hdr[0], 0x37);
	assert_int_equal(hdr[1], 0x7f);
	assert_int_equal(hdr[8] << 24 | hdr[9] << 16 | hdr[10] << 8 | hdr[11],
		PAGE_SIZE);
	assert_int_equal(w->pMethods->xFileSize(w, &size), SQLITE_OK);
	assert_true(size >= 32 + 2 * (24 + PAGE_SIZE));
	assert_int_equal((size - 32) % (24 + PAGE_SIZE), 0);
	/* Frame 1 in one read equals its header and page read apart. */
	assert_int_equal(w->pMethods->xRead(w, frame, sizeof frame, 32 + 24 + PAGE_SIZE),
		SQLITE_OK);
	assert_int_equal(w->pMethods->xRead(w, fh, sizeof fh, 32 + 24 + PAGE_SIZE),
		SQLITE_OK);
	assert_int_equal(w->pMethods->xRead(w, page, sizeof page,
				 32 + 2 * 24 + PAGE_SIZE),
		SQLITE_OK);
	assert_memory_equal(frame, fh, 24);
	assert_memory_equal(frame + 24, page, PAGE_SIZE);
	assert_memory_equal(fh + 8, hdr + 16, 8); /* salts match */
	/* Neither checksum nor page content is on disk in the clear. */
	snprintf(walpath, sizeof walpath, "%s%s", f->path, VFS_WAL_SUFFIX);
	raw = slurp(walpath, &rawlen);
	assert_int_equal((rawlen - 72) % (68 + PAGE_SIZE), 0);
	assert_null(memmem(raw, rawlen, fh + 16, 8));
	assert_null(memmem(raw, rawlen, hdr + 24, 8));
	assert_null(memmem(raw, rawlen, "row-0", 5));
	free(raw);
}

/* A write that covers part of a WAL region is read, patched, sealed again. */
static void
test_wal_partial_write(void **state)
{
	struct fixture *f = *state;
	sqlite3_file *w;
	uint8_t page[PAGE_SIZE], back[PAGE_SIZE];
	sqlite3_int64 size, off;
	struct perr e;

	assert_int_equal(store_exec(f->s, "UPDATE t SET v = v || 'y'", &e), 0);
	w = journal_file(f);
	assert_int_equal(w->pMethods->xFileSize(w, &size), SQLITE_OK);
	/* A frame slot past the end, so the live frames are left alone. */
	off = size + 24;
	memset(page, 0, sizeof page);
	/* A page cannot come before its frame header (it names the page). */
	assert_int_equal(w->pMethods->xWrite(w, page, PAGE_SIZE, off),
		SQLITE_IOERR_WRITE);
	page[3] = 2; /* frame header: page number 2 */
	assert_int_equal(w->pMethods->xWrite(w, page, 24, size), SQLITE_OK);
	page[3] = 0;
	memcpy(page + 100, "patched", 7);
	assert_int_equal(w->pMethods->xWrite(w, page, 2000, off), SQLITE_OK);
	assert_int_equal(w->pMethods->xWrite(w, page + 2000, PAGE_SIZE - 2000,
				 off + 2000),
		SQLITE_OK);
	assert_int_equal(w->pMethods->xRead(w, back, sizeof back, off), SQLITE_OK);
	assert_memory_equal(back, page, sizeof page);
	assert_int_equal(w->pMethods->xTruncate(w, size), SQLITE_OK);
	assert_int_equal(w->pMethods->xFileSize(w, &off), SQLITE_OK);
	assert_int_equal(off, size);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Rollback journal records: 4-byte page number, the page, 4-byte checksum
 * over the plaintext. They read back exactly; the file shows none of them.
 */
static void
test_journal_records(void **state)
{
	struct fixture *f = *state;
	sqlite3_file *j, *m;
	uint8_t hdr[28], pg[4], page[PAGE_SIZE], ck[4], orig[PAGE_SIZE];
	uint32_t pgno, init, sector, sum;
	char jpath[160];
	uint8_t *raw;
	size_t rawlen;
	struct perr e;

	assert_int_equal(store_exec(f->s, "PRAGMA journal_mode = DELETE", &e), 0);
	assert_int_equal(store_exec(f->s, "BEGIN; UPDATE t SET v = 'changed' WHERE id = 7", &e), 0);
	j = journal_file(f);
	assert_non_null(j->pMethods);
	assert_int_equal(j->pMethods->xRead(j, hdr, sizeof hdr, 0), SQLITE_OK);
	init = be32(hdr + 12);
	sector = be32(hdr + 20);
	assert_int_equal(be32(hdr + 24), PAGE_SIZE);
	assert_int_equal(j->pMethods->xRead(j, pg, 4, sector), SQLITE_OK);
	assert_int_equal(j->pMethods->xRead(j, page, PAGE_SIZE, sector + 4), SQLITE_OK);
	assert_int_equal(j->pMethods->xRead(j, ck, 4, sector + 4 + PAGE_SIZE), SQLITE_OK);
	pgno = be32(pg);
	assert_true(pgno >= 1);
	/* The journal holds the page as it is in the database file. */
	m = main_file(f);
	assert_int_equal(m->pMethods->xRead(m, orig, PAGE_SIZE,
				 (sqlite3_int64)(pgno - 1) * PAGE_SIZE),
		SQLITE_OK);
	assert_memory_equal(page, orig, PAGE_SIZE);
	/* SQLite's checksum (pager_cksum) comes back as it was written. */
	sum = init;
	for (int i = PAGE_SIZE - 200; i > 0; i -= 200)
		sum += page[i];
	assert_int_equal(be32(ck), sum);
	snprintf(jpath, sizeof jpath, "%s%s", f->path, VFS_JOURNAL_SUFFIX);
	raw = slurp(jpath, &rawlen);
	assert_null(memmem(raw, rawlen, ck, 4));
	assert_null(memmem(raw, rawlen, "row-0", 5));
	assert_null(memmem(raw, rawlen, hdr + 12, 4));
	free(raw);
	/* The record's page number is bound to its page: change it, and the
	 * page no longer opens (the stream cipher alone would let it pass). */
	{
		int fd = open(jpath, O_RDWR);
		uint8_t b;
		off_t at = 32 + sector + 3;

		assert_true(fd >= 0);
		assert_int_equal(pread(fd, &b, 1, at), 1);
		b ^= 1;
		assert_int_equal(pwrite(fd, &b, 1, at), 1);
		assert_int_equal(j->pMethods->xRead(j, page, PAGE_SIZE, sector + 4),
			SQLITE_IOERR_DATA);
		b ^= 1;
		assert_int_equal(pwrite(fd, &b, 1, at), 1);
		close(fd);
		assert_int_equal(j->pMethods->xRead(j, page, PAGE_SIZE, sector + 4),
			SQLITE_OK);
	}
	store_rollback(f->s);
	assert_int_equal(store_exec(f->s, "PRAGMA journal_mode = WAL", &e), 0);
}

/* One page rewritten 1,000 times never repeats a nonce. */
static int
cmp_nonce(const void *a, const void *b)
{
	return memcmp(a, b, PAGE_NONCE);
}

static void
test_nonces_never_repeat(void **state)
{
	struct fixture *f = *state;
	static uint8_t nonces[1000][PAGE_NONCE];
	sqlite3_stmt *st;
	struct perr e;
	int root = 0, fd;

	assert_int_equal(store_exec(f->s,
				 "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF;"
				 "CREATE TABLE one (v); INSERT INTO one VALUES (0)",
				 &e),
		0);
	assert_int_equal(store_prepare(f->s,
				 "SELECT rootpage FROM sqlite_schema WHERE name = 'one'",
				 &st, &e),
		0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	root = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	fd = open(f->path, O_RDONLY);
	assert_true(fd >= 0);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(store_exec(f->s, "UPDATE one SET v = v + 1", &e), 0);
		assert_int_equal(pread(fd, nonces[i], PAGE_NONCE,
					 HEADER_SIZE + (off_t)(root - 1) * PAGE_SIZE +
						 PAGE_PAYLOAD),
			PAGE_NONCE);
	}
	close(fd);
	qsort(nonces, 1000, PAGE_NONCE, cmp_nonce);
	for (int i = 1; i < 1000; i++)
		assert_true(memcmp(nonces[i - 1], nonces[i], PAGE_NONCE) != 0);
	assert_int_equal(store_exec(f->s,
				 "PRAGMA synchronous = FULL; PRAGMA journal_mode = WAL", &e),
		0);
}

/* SQLite never writes the page holding the lock bytes at 1 GiB. */
static void
test_lock_byte_page(void **state)
{
	struct fixture *f = *state;
	sqlite3_file *m = main_file(f);
	sqlite3_int64 size, pending = 0x40000000;
	uint8_t page[PAGE_SIZE];

	assert_int_equal(m->pMethods->xFileSize(m, &size), SQLITE_OK);
	/* A sparse file reaching past 1 GiB: holes read as zeros. */
	assert_int_equal(truncate(f->path, HEADER_SIZE + pending + 2 * PAGE_SIZE), 0);
	memset(page, 0xaa, sizeof page);
	assert_int_equal(m->pMethods->xRead(m, page, PAGE_SIZE, pending), SQLITE_OK);
	assert_true(sodium_is_zero(page, sizeof page));
	/* Any other unwritten page is not data: it fails authentication. */
	assert_int_equal(m->pMethods->xRead(m, page, PAGE_SIZE, pending - PAGE_SIZE),
		SQLITE_IOERR_DATA);
	assert_non_null(strstr(vfs_last_error(), "failed authentication"));
	assert_int_equal(truncate(f->path, HEADER_SIZE + size), 0);
}

/*
 * Two connections of one process share one WAL index and one set of
 * system locks (POSIX locks belong to the process): a reader keeps its
 * snapshot while the other connection commits, sees the commit afterwards,
 * and closing one connection leaves the other's locks in place.
 */
static void
test_walidx_siblings(void **state)
{
	struct fixture *f = *state;
	struct store *b = NULL;
	sqlite3_stmt *st;
	struct perr e;
	char shmpath[4096], name[128];

	assert_int_equal(store_open(f->path, f->cred, 0, &b, &e), 0);
	assert_int_equal(store_exec(b, "BEGIN; SELECT count(*) FROM t", &e), 0);
	assert_int_equal(store_exec(f->s,
				 "INSERT INTO t (v) VALUES ('sibling')", &e),
		0);
	assert_int_equal(store_prepare(b, "SELECT count(*) FROM t", &st, &e), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 200);
	sqlite3_finalize(st);
	/* b's read mark keeps the checkpoint from passing its snapshot. */
	assert_int_equal(store_exec(b, "COMMIT", &e), 0);
	assert_int_equal(store_prepare(b, "SELECT count(*) FROM t", &st, &e), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 201);
	sqlite3_finalize(st);
	/* No -shm next to the database; the index is a memory object. */
	snprintf(shmpath, sizeof shmpath, "%s-shm", f->path);
	assert_int_not_equal(access(shmpath, F_OK), 0);
	assert_int_equal(walidx_object_name(f->path, name, sizeof name), 0);
	snprintf(shmpath, sizeof shmpath, "/dev/shm%s", name);
	assert_int_equal(access(shmpath, F_OK), 0);
	/* A write lock held by b blocks f->s until b commits. */
	assert_int_equal(store_exec(b, "BEGIN IMMEDIATE", &e), 0);
	assert_int_equal(sqlite3_exec(store_db(f->s), "BEGIN IMMEDIATE", NULL,
				 NULL, NULL) & 0xff,
		SQLITE_BUSY);
	assert_int_equal(store_exec(b, "COMMIT", &e), 0);
	store_close(b);
	assert_int_equal(store_exec(f->s,
				 "INSERT INTO t (v) VALUES ('after')", &e),
		0);
	store_close(f->s);
	f->s = NULL;
	assert_int_not_equal(access(shmpath, F_OK), 0);
}

static void
test_temp_files_refused(void **state)
{
	sqlite3_vfs *vfs = sqlite3_vfs_find(VFS_NAME);
	sqlite3_file *file = calloc(1, (size_t)vfs->szOsFile);
	int out = 0;

	(void)state;
	assert_int_equal(vfs->xOpen(vfs, NULL, file,
				 SQLITE_OPEN_TEMP_DB | SQLITE_OPEN_READWRITE |
					 SQLITE_OPEN_CREATE | SQLITE_OPEN_DELETEONCLOSE,
				 &out),
		SQLITE_CANTOPEN);
	assert_int_equal(vfs->xOpen(vfs, "/tmp/x-sub", file,
				 SQLITE_OPEN_SUBJOURNAL | SQLITE_OPEN_READWRITE |
					 SQLITE_OPEN_CREATE,
				 &out),
		SQLITE_CANTOPEN);
	free(file);
}

static void
test_vacuum_keeps_reserve(void **state)
{
	struct fixture *f = *state;
	sqlite3_file *m;
	uint8_t head[100];
	struct perr e;

	assert_int_equal(store_exec(f->s, "DELETE FROM t WHERE id % 2 = 0; VACUUM", &e), 0);
	m = main_file(f);
	assert_int_equal(m->pMethods->xRead(m, head, sizeof head, 0), SQLITE_OK);
	assert_int_equal(head[20], PAGE_RESERVE);
	assert_int_equal(store_exec(f->s, "PRAGMA page_size = 1024; VACUUM", &e), -1);
	assert_non_null(strstr(e.msg, "page_size is fixed"));
}

static void
test_schema_migrated(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_schema_version(f->s),
		store_migrations[store_nmigrations - 1].version);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_page1_partial_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_read_zero_filled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wal_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wal_partial_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nonces_never_repeat, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_byte_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walidx_siblings, setup, teardown),
		cmocka_unit_test(test_temp_files_refused),
		cmocka_unit_test_setup_teardown(test_vacuum_keeps_reserve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_migrated, setup, teardown),
	};
	struct perr e;

	if (sodium_init() < 0 || vfs_register(&e) < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
