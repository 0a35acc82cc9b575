/*
 * fuzz_restore: libFuzzer target for the restore reader: what `patron
 * restore FILE` does with the file it is given, with the right key. The
 * backup is opened as cmd_restore opens it (store_open, STORE_NO_MIGRATE),
 * verified (store_verify: every page authenticated, integrity_check), and
 * if it passes, put in place both ways restore can: over a live database
 * (store_restore) and where there is none (store_install). Whatever the
 * file holds, nothing may crash, hang, leak or hit UB.
 *
 * Once per process, in a temp directory, a database with a key file and a
 * backup of it (store_backup) are made and kept in memory. The input's
 * first byte says what the backup file is:
 *
 *   0 (mod 3)  the rest of the input, as it is
 *   1 (mod 3)  the real backup up to an offset (bytes 1-4, little-endian,
 *              modulo its size + 1), then the rest of the input
 *   2 (mod 3)  the real backup with patches: records of offset (4 bytes,
 *              modulo its size), length (1 byte) and that many bytes
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "patron/audit.h"
#include "patron/store.h"
#include "patron/vfs.h"
#include "patron/walidx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[64];
static char fuzz_live[96], fuzz_backup[96], fuzz_dest[96];
static struct cred *fuzz_cred;
static uint8_t *fuzz_live_bytes, *fuzz_backup_bytes;
static size_t fuzz_live_len, fuzz_backup_len;

static void fuzz_cleanup(void);

static void
fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz_restore: %s\n", what);
	fuzz_cleanup();	/* abort() skips atexit */
	abort();
}

/*
 * Remove a database, its logs and marks, keeping the lock file: a session
 * that failed leaves its WAL-index object behind, and the next session,
 * reading its name there, removes it (without the name it would stay in
 * /dev/shm).
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

/* At exit: the objects the last sessions may have left go too. */
static void
fuzz_unlink_object(const char *path)
{
	char name[64];

	if (walidx_object_name(path, name, sizeof name) == 0)
		shm_unlink(name);
}

static void
fuzz_cleanup(void)
{
	char cmd[128];

	fuzz_unlink_object(fuzz_live);
	fuzz_unlink_object(fuzz_backup);
	fuzz_unlink_object(fuzz_dest);

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_restore: cannot remove %s\n", fuzz_dir);
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
		fuzz_fail("cannot read a file made at start");
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
		fuzz_fail("cannot write a file");
}

static void
fuzz_report(const char *msg, void *arg)
{
	(void)msg;
	(void)arg;
}

/*
 * What restore does with the file at fuzz_backup. Returns 0 if it was
 * restored both ways, -1 if it was refused (with a message).
 */
static int
fuzz_restore(void)
{
	struct store *b, *live, *got;
	struct perr e;
	int rc;

	perr_clear(&e);
	if (store_open(fuzz_backup, fuzz_cred, STORE_NO_MIGRATE, &b, &e) < 0) {
		if (e.msg[0] == '\0')
			fuzz_fail("a backup refused without a message");
		return -1;
	}
	if (store_verify(b, fuzz_report, NULL, &e) < 0) {
		if (e.msg[0] == '\0')
			fuzz_fail("verification failed without a message");
		store_close(b);
		return -1;
	}
	/* Over a live database, as it was at start. */
	fuzz_remove(fuzz_live);
	fuzz_spew(fuzz_live, fuzz_live_bytes, fuzz_live_len);
	if (store_open(fuzz_live, fuzz_cred, STORE_NO_MIGRATE, &live, &e) < 0)
		fuzz_fail("cannot open the live database");
	rc = store_restore(live, b, &e);
	store_close(live);
	store_close(b);
	if (rc < 0) {
		perr_print(&e);
		fuzz_fail("a verified backup could not be restored");
	}
	/* Where there is none: installed, and it opens. */
	fuzz_remove(fuzz_dest);
	if (store_install(fuzz_backup, fuzz_dest, &e) < 0 ||
	    store_open(fuzz_dest, fuzz_cred, STORE_NO_MIGRATE, &got, &e) < 0) {
		perr_print(&e);
		fuzz_fail("a verified backup could not be installed");
	}
	store_close(got);
	fuzz_remove(fuzz_dest);
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t key[KEYFILE_BYTES];
	struct store *s;
	struct perr e;

	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	audit_install();
	strcpy(fuzz_dir, "/tmp/patron-fuzz-restore.XXXXXX");
	if (mkdtemp(fuzz_dir) == NULL)
		fuzz_fail("cannot make a temp directory");
	snprintf(fuzz_live, sizeof fuzz_live, "%s/live.db", fuzz_dir);
	snprintf(fuzz_backup, sizeof fuzz_backup, "%s/backup.db", fuzz_dir);
	snprintf(fuzz_dest, sizeof fuzz_dest, "%s/dest.db", fuzz_dir);
	atexit(fuzz_cleanup);
	randombytes_buf(key, sizeof key);
	fuzz_cred = cred_new(CRED_KEYFILE, key, sizeof key);
	sodium_memzero(key, sizeof key);
	if (store_create(fuzz_live, fuzz_cred, KDF_INTERACTIVE, &s, &e) < 0 ||
	    store_exec(s, "CREATE TABLE w(b BLOB); INSERT INTO w SELECT "
	    "randomblob(700) FROM (SELECT 1 UNION SELECT 2)", &e) < 0 ||
	    store_backup(s, fuzz_backup, &e) < 0) {
		perr_print(&e);
		fuzz_fail("cannot make the database and its backup");
	}
	store_close(s);
	fuzz_live_bytes = fuzz_slurp(fuzz_live, &fuzz_live_len);
	fuzz_backup_bytes = fuzz_slurp(fuzz_backup, &fuzz_backup_len);
	/* The backup as made must restore: the inputs start from it. */
	if (fuzz_restore() < 0)
		fuzz_fail("the real backup does not restore");
	return 0;
}

static uint32_t
fuzz_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* The backup file the input describes (layout at the top). */
static uint8_t *
fuzz_file(const uint8_t *data, size_t size, size_t *len)
{
	const uint8_t *real = fuzz_backup_bytes;
	size_t real_len = fuzz_backup_len;
	uint8_t *f;

	if (size == 0 || data[0] % 3 == 0 || (data[0] % 3 == 1 && size < 5)) {
		*len = size > 0 ? size - 1 : 0;
		f = malloc(*len + 1);
		if (f == NULL)
			abort();
		if (*len > 0)
			memcpy(f, data + 1, *len);
		return f;
	}
	if (data[0] % 3 == 1) {
		size_t keep = fuzz_u32(data + 1) % (real_len + 1);

		*len = keep + size - 5;
		f = malloc(*len + 1);
		if (f == NULL)
			abort();
		memcpy(f, real, keep);
		memcpy(f + keep, data + 5, size - 5);
		return f;
	}
	*len = real_len;
	f = malloc(*len);
	if (f == NULL)
		abort();
	memcpy(f, real, real_len);
	for (size_t i = 1; i + 5 <= size;) {
		size_t at = fuzz_u32(data + i) % real_len;
		size_t n = data[i + 4];

		i += 5;
		if (n > size - i)
			n = size - i;
		if (n > real_len - at)
			n = real_len - at;
		memcpy(f + at, data + i, n);
		i += n;
	}
	return f;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *f;
	size_t len;

	f = fuzz_file(data, size, &len);
	fuzz_remove(fuzz_backup);
	fuzz_spew(fuzz_backup, f, len);
	free(f);
	(void)fuzz_restore();
	return 0;
}
