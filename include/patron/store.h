/*
 * store: opening the encrypted database (unlock, pragmas, migrations),
 * statements and transactions, and the operations on the file as a whole
 * (key slots, backup, restore, check, rotation).
 */
#ifndef PATRON_STORE_H
#define PATRON_STORE_H

#include <sqlite3.h>

#include "patron/header.h"
#include "patron/keyctx.h"
#include "patron/keyslot.h"
#include "patron/util.h"

/* One migration, embedded from schema/NNN_name.sql at build time. */
struct store_migration {
	int version;
	const char *name;
	const char *sql;
};
extern const struct store_migration store_migrations[];
extern const int store_nmigrations;

enum store_flags {
	STORE_READONLY = 1,	/* open read-only (no migrations) */
	STORE_EXCLUSIVE = 2,	/* locking_mode=EXCLUSIVE: no other session */
	STORE_NO_MIGRATE = 4,	/* open as is (restore verifies a backup) */
};

struct store;

/*
 * Create a new database at path (which must not exist): header with one
 * key slot for cred (Argon2id at kdf_level for a passphrase), schema
 * applied. On failure nothing is left behind.
 */
int store_create(const char *path, const struct cred *cred, int kdf_level,
	struct store **out, struct perr *e);
/* Unlock and open an existing database. Wrong credential: exit code 77. */
int store_open(const char *path, const struct cred *cred, int flags,
	struct store **out, struct perr *e);
void store_close(struct store *s);

/*
 * What the layers above add to every store, set once before the first
 * open (the audit trail's, audit_install). open runs on each connection
 * before its pragmas and migrations; rekey after the database was copied
 * under a new data key (rotation), with the old store and the copy. A
 * NULL member is no hook; a failing one fails the open or the rotation.
 */
struct store_hooks {
	int (*open)(struct store *s, struct perr *e);
	int (*rekey)(struct store *from, struct store *to, struct perr *e);
};
void store_hooks(const struct store_hooks *h);

sqlite3 *store_db(struct store *s);
/* Where the audit trail keeps the acting staff member (audit_actor). */
int64_t *store_actor(struct store *s);
const char *store_path(const struct store *s);
struct keyctx *store_key(struct store *s);
/* The header as read at open (or as last written by this process). */
const struct header *store_header(const struct store *s);
/* Index of the key slot that unlocked the database. */
int store_unlock_slot(const struct store *s);
int store_schema_version(struct store *s);

/* Turn a failed SQLite call into an error with the right exit code. */
int store_error(struct store *s, int rc, struct perr *e, const char *what);
int store_exec(struct store *s, const char *sql, struct perr *e);
/*
 * BEGIN IMMEDIATE, COMMIT, ROLLBACK. Inside a transaction already open
 * (an import wrapping many additions in one), a savepoint instead, so the
 * inner commit or rollback leaves the outer transaction to its owner.
 */
int store_begin(struct store *s, struct perr *e);
int store_commit(struct store *s, struct perr *e);
void store_rollback(struct store *s);
/* Roll back a unit that has not written anything yet (cheaper in bulk). */
void store_abandon(struct store *s);
/*
 * Bulk mode, for one big outer transaction of many small units (imports):
 * nested units take no savepoint; a unit rolled back after writing dooms
 * the outer transaction, whose commit then fails (nothing is written).
 */
void store_bulk(struct store *s, int on);
/*
 * Turn this connection's triggers off or on (SQLITE_DBCONFIG_ENABLE_TRIGGER;
 * SQLite re-prepares kept statements by itself). Only for a bulk writer
 * that does the triggers' work itself in one statement afterwards: the
 * customer import fills the change log so. Other sessions are unaffected.
 */
int store_triggers(struct store *s, int on, struct perr *e);
/* A column holding an ISO 8601 time, in ms since the epoch (0: NULL). */
int64_t store_col_ms(sqlite3_stmt *st, int col);
/* A text column into buf, cut to len (NULL: ""). */
void store_col_text(sqlite3_stmt *st, int col, char *buf, size_t len);

/*
 * The meta table: settings and bookkeeping by key, as text, read and
 * written in the caller's transaction. Get fills buf (cut to len; "" if the
 * key is absent) and returns 1 if it was there, 0 if not; both return -1 on
 * failure with e set, its message led by what (the caller's name for the
 * work).
 */
int store_meta_get(struct store *s, const char *key, char *buf, size_t len,
	const char *what, struct perr *e);
int store_meta_set(struct store *s, const char *key, const char *value,
	const char *what, struct perr *e);
/* Prepare, reporting failures through e. */
/*
 * A statement prepared once per connection and kept: sql must be a string
 * constant (it is the cache key, by address). The statement comes reset,
 * without bindings; give it back with store_stmt_done (never finalize it).
 */
int store_stmt(struct store *s, const char *sql, sqlite3_stmt **st,
	struct perr *e);
void store_stmt_done(struct store *s, sqlite3_stmt *st);
/*
 * Step st to the end, appending its first column to *ids (*n of them, a
 * growing array), and finalize it. 0, or -1 with e set (what failed).
 */
int store_ids(struct store *s, sqlite3_stmt *st, int64_t **ids, size_t *n,
	const char *what, struct perr *e);
int store_prepare(struct store *s, const char *sql, sqlite3_stmt **st,
	struct perr *e);

/*
 * Make the connection read-only (PRAGMA query_only) for the rest of its
 * life; ATTACH may then only open files that exist.
 */
int store_query_only(struct store *s, struct perr *e);

/* Give every empty attached database the reserved bytes sealing needs. */
void store_fix_reserve(struct store *s);

/*
 * Replace the header (key slots) with h, crash-safely, while holding the
 * database's write lock so no two key changes interleave.
 */
int store_write_header(struct store *s, struct header *h, struct perr *e);

/* Copy the whole database, consistently, into a new encrypted file. */
int store_backup(struct store *s, const char *dest, struct perr *e);
/*
 * Verify an open backup before it is restored: every page authenticated,
 * SQLite's integrity check. Problems go to report(); any makes it -1 (65).
 */
int store_verify(struct store *b, void (*report)(const char *msg, void *arg),
	void *arg, struct perr *e);
/*
 * Replace the content of the open database live with that of the open,
 * verified backup b, in one transaction: other sessions see the old or the
 * new content, never a mix. live keeps its own key slots.
 */
int store_restore(struct store *live, struct store *b, struct perr *e);
/*
 * Where there is no database: install a copy of the backup file src at
 * dest, through a temporary file and a rename. src must not be open.
 */
int store_install(const char *src, const char *dest, struct perr *e);
/* Remove a database file and its WAL, journal and shm (a failed create). */
void store_unlink_all(const char *path);

/*
 * Rotate the data key: re-encrypt everything into a new file under a new
 * key, wrapped for cred (and a new recovery code if recovery is not NULL,
 * written there), which atomically replaces the database. Needs the
 * database to itself (STORE_EXCLUSIVE).
 */
int store_rotate(struct store *s, const struct cred *cred, int kdf_level,
	char *recovery, struct perr *e);

/*
 * Authenticate every page and run PRAGMA integrity_check. Each problem is
 * passed to report(); returns the number of problems, or -1 with e set.
 */
long store_check(struct store *s, void (*report)(const char *msg, void *arg),
	void *arg, struct perr *e);
/* Which copies of the header are damaged (vfs_header_copies). */
int store_header_damage(struct store *s);

#endif
