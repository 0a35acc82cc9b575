/*
 * vfs: the encrypting SQLite VFS shim over the unix VFS.
 *
 * Main database files carry the Patron header (header.h) and then sealed
 * pages. WAL and rollback journals are stored as "-pwal" and "-pjournal",
 * names stock SQLite never looks for, with every page image sealed and the
 * checksums SQLite computes over plaintext never written in the clear.
 * Nameless temporary files are refused: every connection runs with
 * temp_store=MEMORY.
 */
#ifndef PATRON_VFS_H
#define PATRON_VFS_H

#include <stdint.h>

#include <sqlite3.h>

#include "patron/header.h"
#include "patron/keyctx.h"
#include "patron/util.h"

#define VFS_NAME "patron"
#define VFS_WAL_SUFFIX "-pwal"
#define VFS_JOURNAL_SUFFIX "-pjournal"
/* What the WAL must hold, kept outside it (see vfs.c, "marks"). */
#define VFS_MARK_SUFFIX "-pmark"

/* Register the shim (once per process; later calls do nothing). */
int vfs_register(struct perr *e);

/*
 * The key for database files opened from now on, and the header whose key
 * slots a database file created through the shim (VACUUM INTO, a backup
 * target, ATTACH of a new file) receives. Takes its own reference to k;
 * files already open keep the key they were opened with.
 */
void vfs_set_key(struct keyctx *k, const struct header *tmpl);
void vfs_clear_key(void);

/*
 * The last page that failed to authenticate or was found truncated, as a
 * sentence ("page 17 of /x/patron.db failed authentication"), or "" if none.
 */
const char *vfs_last_error(void);
void vfs_clear_error(void);

/*
 * Replace the header of the open database db (schema "main") with h,
 * through SQLite's own file handle (a second descriptor on the file would
 * drop SQLite's POSIX locks when closed). Crash-safe: see header_next.
 * Refused (exit code 75) unless the header on disk still has sequence
 * number expect_seq, so two key changes never overwrite each other.
 */
int vfs_write_header(sqlite3 *db, struct header *h, uint64_t expect_seq,
	struct perr *e);

/*
 * Read the header of the database file at path. If this process already
 * has the file open through the shim, through that handle: opening and
 * closing another descriptor on it would silently drop the POSIX locks
 * SQLite holds on it (they belong to the process, not the descriptor).
 */
int vfs_read_header(const char *path, struct header *h, struct perr *e);

/*
 * Overwrite page 1 of the open database db with random bytes. Rotation
 * does this to the replaced file while it still holds the exclusive lock,
 * so a session that opened the old file meanwhile fails loudly instead of
 * committing into a file that no longer has a name.
 */
int vfs_poison(sqlite3 *db, struct perr *e);

/*
 * Authenticate every page of the open database db outside the pager.
 * Calls bad(msg, arg) for each failure; returns the number of pages
 * checked, or -1 with e set.
 */
/*
 * Which copies of the header of the open database db fail their checksum:
 * bit 0 for the first, bit 1 for the second (the valid one is in use, and
 * the next key change writes both again); -1 if it cannot be read.
 */
int vfs_header_copies(sqlite3 *db);

/*
 * When SQLite finds the database malformed: whether the file lacks pages
 * that neither it nor the WAL holds (cut short), said as a sentence in msg.
 */
int vfs_describe_damage(sqlite3 *db, char *msg, size_t len);

long vfs_check_pages(sqlite3 *db, void (*bad)(const char *msg, void *arg),
	void *arg, struct perr *e);

#endif
