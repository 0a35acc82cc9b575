/*
 * walidx: SQLite's WAL index ("shared memory") kept in memory, never on disk.
 *
 * SQLite's unix VFS keeps the WAL index in a file NAME-shm next to the
 * database. That file holds SQLite's running checksum of the WAL, computed
 * over plaintext pages, so the shim serves the index itself: the memory is a
 * POSIX shared-memory object (tmpfs, /dev/shm) with a random name, and the
 * locks that guard it are POSIX record locks on the file NAME-plock next to
 * the database, which outlives any one session and holds only that name.
 *
 * Keeping the locks on disk is what makes the memory safe to lose: a session
 * that finds the memory gone (removed by a logout clean-up such as
 * logind's RemoveIPC) while another session still holds the dead-man lock
 * refuses to start, instead of building a second index beside the first one.
 */
#ifndef PATRON_WALIDX_H
#define PATRON_WALIDX_H

#include <stddef.h>

#define WALIDX_LOCK_SUFFIX "-plock"

struct walidx;

/*
 * Attach a connection to the WAL index of the database file dbpath. Returns
 * an SQLite result code: SQLITE_OK, SQLITE_BUSY (another session is setting
 * the index up; SQLite retries), or an I/O error with err set.
 */
int walidx_attach(const char *dbpath, struct walidx **out, char *err,
	size_t errlen);

/* xShmMap, xShmLock and xShmBarrier of sqlite3_io_methods. */
int walidx_map(struct walidx *w, int region, int size, int extend,
	void volatile **pp);
int walidx_lock(struct walidx *w, int ofst, int n, int flags);
void walidx_barrier(void);

/*
 * Detach a connection (xShmUnmap). With del set, and no other session
 * attached anywhere, the memory object is removed as well.
 */
void walidx_detach(struct walidx *w, int del);

/*
 * The name of the memory object for dbpath, as the lock file records it
 * (for tests; it opens and closes the lock file, so not while this process
 * has the database open).
 */
int walidx_object_name(const char *dbpath, char *out, size_t outlen);

#endif
