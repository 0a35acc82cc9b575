/*
 * fuzz_walidx: libFuzzer target for the WAL-index name in the lock file.
 * The lock file NAME-plock next to a database names the shared-memory
 * object that holds the WAL index; anyone who can write that file chooses
 * the name a session opens, and the name a fresh session removes as stale.
 * The input is written as the lock file of a database in a temp directory:
 *
 *   - walidx_object_name must accept exactly the names walidx makes
 *     ("/patron-" 32 lower-case hex ".walidx") and give back nothing else;
 *   - a session must attach (making its own object, whatever the file
 *     said), map and lock the index, and detach removing its object.
 *
 * The target never touches a memory object it did not make: a lock file
 * naming an object that exists is not attached to (a session would open
 * it, or remove it as stale).
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

#include "patron/walidx.h"

#define FUZZ_NAME_LEN 47	/* "/patron-" 32 hex ".walidx" */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[64];
static char fuzz_db[96];
static char fuzz_lock[112];

static void
fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz_walidx: %s\n", what);
	abort();
}

static void
fuzz_cleanup(void)
{
	unlink(fuzz_lock);
	unlink(fuzz_db);
	rmdir(fuzz_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd;

	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	strcpy(fuzz_dir, "/tmp/patron-fuzz-walidx.XXXXXX");
	if (mkdtemp(fuzz_dir) == NULL)
		fuzz_fail("cannot make a temp directory");
	snprintf(fuzz_db, sizeof fuzz_db, "%s/t.db", fuzz_dir);
	snprintf(fuzz_lock, sizeof fuzz_lock, "%s%s", fuzz_db,
		WALIDX_LOCK_SUFFIX);
	/* The database file only needs to exist: walidx takes its owner,
	 * group and mode. */
	fd = open(fuzz_db, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		fuzz_fail("cannot make the database file");
	close(fd);
	atexit(fuzz_cleanup);
	return 0;
}

/* Whether name is one walidx could have made. */
static int
fuzz_well_formed(const char *name)
{
	return strlen(name) == FUZZ_NAME_LEN &&
	    strncmp(name, "/patron-", 8) == 0 &&
	    strspn(name + 8, "0123456789abcdef") == 32 &&
	    strcmp(name + 40, ".walidx") == 0;
}

static void
fuzz_write_lock(const uint8_t *data, size_t size)
{
	int fd = open(fuzz_lock, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size) ||
	    close(fd) != 0)
		fuzz_fail("cannot write the lock file");
}

/* A session attaches, uses the index and goes, removing what it made. */
static void
fuzz_session(void)
{
	char err[256], made[64];
	void volatile *p;
	struct walidx *w;
	int rc, fd;

	rc = walidx_attach(fuzz_db, &w, err, sizeof err);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "fuzz_walidx: attach: %s\n", err);
		fuzz_fail("a session alone could not attach");
	}
	if (walidx_map(w, 0, 32768, 1, &p) != SQLITE_OK || p == NULL)
		fuzz_fail("cannot map the first region");
	((volatile uint8_t *)p)[0] = 1;
	if (walidx_lock(w, 0, 1, SQLITE_SHM_LOCK | SQLITE_SHM_EXCLUSIVE) !=
	    SQLITE_OK || walidx_lock(w, 0, 1, SQLITE_SHM_UNLOCK |
	    SQLITE_SHM_EXCLUSIVE) != SQLITE_OK)
		fuzz_fail("cannot lock and unlock the index");
	walidx_detach(w, 1);
	/* What the session made is recorded, and gone with it. */
	if (walidx_object_name(fuzz_db, made, sizeof made) != 0 ||
	    !fuzz_well_formed(made))
		fuzz_fail("the session left no name of its own in the lock file");
	fd = shm_open(made, O_RDONLY, 0);
	if (fd >= 0) {
		close(fd);
		shm_unlink(made);
		fuzz_fail("the memory object outlived its only session");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[64], small[FUZZ_NAME_LEN];
	int fd;

	fuzz_write_lock(data, size);
	memset(name, 0, sizeof name);
	if (walidx_object_name(fuzz_db, name, sizeof name) == 0) {
		if (!fuzz_well_formed(name))
			fuzz_fail("accepted a name walidx never makes");
		if (size < FUZZ_NAME_LEN ||
		    memcmp(name, data, FUZZ_NAME_LEN) != 0)
			fuzz_fail("the name is not the lock file's first bytes");
		/* Someone's live object (or a leftover): not ours to touch. */
		fd = shm_open(name, O_RDONLY, 0);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
	} else if (size >= FUZZ_NAME_LEN) {
		memcpy(name, data, FUZZ_NAME_LEN);
		name[FUZZ_NAME_LEN] = '\0';
		if (strlen(name) == FUZZ_NAME_LEN && fuzz_well_formed(name))
			fuzz_fail("refused a well-formed name");
	}
	/* No room for the name: refused, never cut short. */
	if (walidx_object_name(fuzz_db, small, sizeof small) == 0)
		fuzz_fail("wrote a name into a buffer too small for it");
	fuzz_session();
	return 0;
}
