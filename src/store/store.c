/*
 * store: the encrypted database as the rest of Patron sees it. Unlocking
 * happens on the header alone, before SQLite touches the file, so a wrong
 * credential changes nothing; every connection then gets the same pragmas
 * and the embedded migrations.
 */
#include "patron/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "patron/outfile.h"
#include "patron/priv.h"
#include "patron/vfs.h"
#include "patron/walidx.h"

struct store {
	sqlite3 *db;
	char *path;
	struct keyctx *key;
	struct header hdr;
	int slot;
	int flags;
	int query_only;
	int nested;	/* store_begin savepoints inside a transaction */
	int bulk;	/* nested units without savepoints (store_bulk) */
	int doomed;	/* a unit failed in bulk mode: the outer must not commit */
	int64_t actor;	/* the staff member acting, for the audit trail */
	/* Statements of hot paths, prepared once (store_stmt). */
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cache[48];
	int ncache;
};

/* Set by the layers above (store_hooks). */
static struct store_hooks hooks;

void
store_hooks(const struct store_hooks *h)
{
	hooks = *h;
}

static void
store_cache_clear(struct store *s)
{
	for (int i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].st);
	s->ncache = 0;
}

int
store_stmt(struct store *s, const char *sql, sqlite3_stmt **st,
	struct perr *e)
{
	int rc;

	for (int i = 0; i < s->ncache; i++)
		if (s->cache[i].sql == sql) {
			*st = s->cache[i].st;
			sqlite3_reset(*st);
			sqlite3_clear_bindings(*st);
			return 0;
		}
	rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
		NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, e, "database");
	if (s->ncache < (int)(sizeof s->cache / sizeof s->cache[0])) {
		s->cache[s->ncache].sql = sql;
		s->cache[s->ncache].st = *st;
		s->ncache++;
	}
	return 0;
}

void
store_stmt_done(struct store *s, sqlite3_stmt *st)
{
	for (int i = 0; i < s->ncache; i++)
		if (s->cache[i].st == st) {
			sqlite3_reset(st);
			return;
		}
	sqlite3_finalize(st);
}

sqlite3 *
store_db(struct store *s)
{
	return s->db;
}

const char *
store_path(const struct store *s)
{
	return s->path;
}

int64_t *
store_actor(struct store *s)
{
	return &s->actor;
}

struct keyctx *
store_key(struct store *s)
{
	return s->key;
}

const struct header *
store_header(const struct store *s)
{
	return &s->hdr;
}

int
store_unlock_slot(const struct store *s)
{
	return s->slot;
}

static int
store_code(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return PX_TEMPFAIL;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_CONSTRAINT:
	case SQLITE_MISMATCH:
	case SQLITE_TOOBIG:
	case SQLITE_RANGE:
		return PX_DATAERR;
	case SQLITE_IOERR:
		return rc == SQLITE_IOERR_DATA ? PX_DATAERR : PX_IOERR;
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
		return PX_IOERR;
	case SQLITE_AUTH:
	case SQLITE_PERM:
		return PX_NOPERM;
	default:
		return PX_FAIL;
	}
}

/*
 * Damage seen: this session leaves the files as they are, so no
 * checkpoint at close copies the WAL over them and removes it.
 */
static void
store_keep_files(struct store *s)
{
	if (s != NULL && s->db != NULL)
		sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1,
			NULL);
}

int
store_error(struct store *s, int rc, struct perr *e, const char *what)
{
	const char *detail = vfs_last_error();
	const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);

	if (rc == SQLITE_IOERR_DATA || (rc & 0xff) == SQLITE_CORRUPT ||
	    (rc & 0xff) == SQLITE_NOTADB)
		store_keep_files(s);

	if (((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_NOTADB ||
		    (rc & 0xff) == SQLITE_CANTOPEN) &&
		detail[0] != '\0')
		return perr_set(e, store_code(rc), "%s: %s", what, detail);
	if ((rc & 0xff) == SQLITE_CORRUPT) {
		char cut[256];

		if (s != NULL && s->db != NULL &&
		    vfs_describe_damage(s->db, cut, sizeof cut))
			return perr_set(e, PX_DATAERR, "%s: %s", what, cut);
		return perr_set(e, PX_DATAERR, "%s: %s: the database is damaged",
			what, msg);
	}
	return perr_set(e, store_code(rc), "%s: %s", what, msg);
}

int
store_exec(struct store *s, const char *sql, struct perr *e)
{
	int rc;

	vfs_clear_error();
	rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, e, "database");
	return 0;
}

/* One statement (a constant string), prepared once and kept. */
static int
store_exec_kept(struct store *s, const char *sql, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_stmt(s, sql, &st, e) < 0)
		return -1;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 :
	    store_error(s, rc, e, "database");
}

int
store_begin(struct store *s, struct perr *e)
{
	int rc;

	/* Inside a transaction (an import adding many customers): nest. */
	if (!sqlite3_get_autocommit(s->db)) {
		if (!s->bulk &&
		    store_exec_kept(s, "SAVEPOINT patron_nest", e) < 0)
			return -1;
		s->nested++;
		return 0;
	}
	s->doomed = 0;
	/*
	 * busy_timeout covers most waits, but SQLite answers BUSY at once in
	 * some WAL states (another session recovering or restarting the
	 * log): retry those for a few seconds before giving up with 75.
	 */
	for (int tries = 0;; tries++) {
		vfs_clear_error();
		rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY || tries >= 100)
			break;
		sqlite3_sleep(20 + tries);
	}
	return rc == SQLITE_OK ? 0 : store_error(s, rc, e, "database");
}

int
store_commit(struct store *s, struct perr *e)
{
	if (s->nested > 0) {
		s->nested--;
		return s->bulk ? 0 : store_exec_kept(s, "RELEASE patron_nest", e);
	}
	if (s->doomed)
		return perr_set(e, PX_FAIL, "a step of this transaction failed; "
			"nothing was written");
	return store_exec(s, "COMMIT", e);
}

void
store_abandon(struct store *s)
{
	if (s->nested > 0 && s->bulk)
		s->nested--;	/* nothing was written: nothing to undo */
	else
		store_rollback(s);
}

void
store_bulk(struct store *s, int on)
{
	s->bulk = on;
	/* Foreign keys checked at commit: no statement journal per row. The
	 * pragma ends with the transaction by itself. */
	if (on)
		sqlite3_exec(s->db, "PRAGMA defer_foreign_keys = ON; "
			"PRAGMA cache_size = -131072", NULL, NULL, NULL);
	else
		sqlite3_exec(s->db, "PRAGMA cache_size = -16384", NULL, NULL,
			NULL);
}

int
store_triggers(struct store *s, int on, struct perr *e)
{
	int now = -1;
	int rc = sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on,
	    &now);

	if (rc != SQLITE_OK || now != on)
		return perr_set(e, PX_FAIL, "cannot turn triggers %s",
			on ? "on" : "off");
	return 0;
}

void
store_rollback(struct store *s)
{
	if (s->nested > 0 && s->bulk) {
		s->nested--;
		s->doomed = 1;
	} else if (s->nested > 0) {
		s->nested--;
		store_exec_kept(s, "ROLLBACK TO patron_nest", NULL);
		store_exec_kept(s, "RELEASE patron_nest", NULL);
	} else if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int64_t
store_col_ms(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	int64_t ms;

	return t != NULL && util_time_parse(t, &ms) == 0 ? ms : 0;
}

void
store_col_text(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const char *t = (const char *)sqlite3_column_text(st, col);

	snprintf(buf, len, "%s", t ? t : "");
}

int
store_meta_get(struct store *s, const char *key, char *buf, size_t len,
	const char *what, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	buf[0] = '\0';
	if (store_stmt(s, "SELECT value FROM meta WHERE key = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_col_text(st, 0, buf, len);
	store_stmt_done(s, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, rc, e, what);
	return rc == SQLITE_ROW;
}

int
store_meta_set(struct store *s, const char *key, const char *value,
	const char *what, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_stmt(s, "INSERT OR REPLACE INTO meta (key, value) VALUES "
		    "(?1, ?2)", &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, what);
}

int
store_prepare(struct store *s, const char *sql, sqlite3_stmt **st,
	struct perr *e)
{
	int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);

	if (rc != SQLITE_OK)
		return store_error(s, rc, e, "database");
	return 0;
}

int
store_ids(struct store *s, sqlite3_stmt *st, int64_t **ids, size_t *n,
	const char *what, struct perr *e)
{
	size_t cap = *n;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*ids = xrealloc(*ids, cap * sizeof **ids);
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, what);
}

static int
store_int(struct store *s, const char *sql, int *out, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return store_error(s, rc, e, "database");
	return 0;
}

int
store_schema_version(struct store *s)
{
	int v = -1;

	store_int(s, "PRAGMA user_version", &v, NULL);
	return v;
}

static int
store_migrate(struct store *s, struct perr *e)
{
	int cur, latest = store_migrations[store_nmigrations - 1].version;

	if (store_int(s, "PRAGMA user_version", &cur, e) < 0)
		return -1;
	if (cur > latest)
		return perr_set(e, PX_FAIL,
			"%s was made by a newer Patron (schema %d; this Patron "
			"knows up to %d): upgrade Patron to open it",
			s->path, cur, latest);
	if (cur == latest || (s->flags & (STORE_READONLY | STORE_NO_MIGRATE)))
		return 0;
	if (store_begin(s, e) < 0)
		return -1;
	/* Another session may have migrated while we waited for the lock. */
	if (store_int(s, "PRAGMA user_version", &cur, e) < 0)
		goto fail;
	for (int i = 0; i < store_nmigrations; i++) {
		const struct store_migration *m = &store_migrations[i];
		char sql[64];

		if (m->version <= cur)
			continue;
		vfs_clear_error();
		if (sqlite3_exec(s->db, m->sql, NULL, NULL, NULL) != SQLITE_OK) {
			perr_set(e, PX_FAIL, "migration %s failed: %s", m->name,
				sqlite3_errmsg(s->db));
			goto fail;
		}
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
			m->version);
		if (store_exec(s, sql, e) < 0)
			goto fail;
	}
	return store_commit(s, e);
fail:
	store_rollback(s);
	return -1;
}

/*
 * Every statement passes here. ATTACH may not name a URI (which could pick
 * a plaintext VFS) and, on a read-only connection, may not create a file.
 * Set-group-ID, no ATTACH at all: it would open a file the user names with
 * Patron's group.
 */
static int
store_authorize(void *arg, int action, const char *a1, const char *a2,
	const char *db, const char *trigger)
{
	struct store *s = arg;
	struct stat st;

	(void)a2;
	(void)db;
	(void)trigger;
	if (action != SQLITE_ATTACH)
		return SQLITE_OK;
	if (priv_shared() || a1 == NULL || strncasecmp(a1, "file:", 5) == 0)
		return SQLITE_DENY;
	if (s->query_only && (a1[0] == '\0' || stat(a1, &st) < 0))
		return SQLITE_DENY;
	return SQLITE_OK;
}

int
store_query_only(struct store *s, struct perr *e)
{
	if (store_exec(s, "PRAGMA query_only = ON", e) < 0)
		return -1;
	s->query_only = 1;
	return 0;
}

/* Open SQLite on a file whose key is already set in the VFS. */
static int
store_connect(struct store *s, int create, struct perr *e)
{
	/* CREATE lets ATTACH and VACUUM INTO make new (encrypted) files. */
	int flags = (s->flags & STORE_READONLY)
		? SQLITE_OPEN_READONLY
		: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int rc, n;

	vfs_clear_error();
	rc = sqlite3_open_v2(s->path, &s->db,
		flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE, VFS_NAME);
	if (rc != SQLITE_OK)
		return store_error(s, rc, e, s->path);
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_set_authorizer(s->db, store_authorize, s);
	if (hooks.open != NULL && hooks.open(s, e) < 0)
		return -1;
	if (create) {
		n = PAGE_RESERVE;
		sqlite3_file_control(s->db, "main", SQLITE_FCNTL_RESERVE_BYTES,
			&n);
	}
	if (store_exec(s,
		    "PRAGMA temp_store = MEMORY;"
		    "PRAGMA foreign_keys = ON;"
		    "PRAGMA synchronous = FULL;"
		    "PRAGMA secure_delete = ON;"
		    /* Each page read from disk costs a decryption: cache more. */
		    "PRAGMA cache_size = -16384;",
		    e) < 0)
		return -1;
	if (s->flags & STORE_EXCLUSIVE &&
		store_exec(s, "PRAGMA locking_mode = EXCLUSIVE", e) < 0)
		return -1;
	/* The first read authenticates page 1: a damaged file stops here. */
	if (store_int(s, "SELECT count(*) FROM sqlite_schema", &n, e) < 0)
		return -1;
	if (!(s->flags & STORE_READONLY) &&
		store_exec(s, "PRAGMA journal_mode = WAL", e) < 0)
		return -1;
	return store_migrate(s, e);
}

static struct store *
store_alloc(const char *path, int flags)
{
	struct store *s = xcalloc(1, sizeof *s);

	s->path = xstrdup(path);
	s->flags = flags;
	s->slot = -1;
	return s;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	store_cache_clear(s);
	if (s->db != NULL)
		sqlite3_close_v2(s->db);
	keyctx_free(s->key);
	free(s->path);
	sodium_memzero(&s->hdr, sizeof s->hdr);
	free(s);
}

void
store_unlink_all(const char *path)
{
	/* "-shm": left by Patron 0.1 builds that kept the WAL index there. */
	static const char *suffix[] = { "", VFS_WAL_SUFFIX, VFS_JOURNAL_SUFFIX,
		WALIDX_LOCK_SUFFIX, VFS_MARK_SUFFIX, "-shm" };

	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char *p = xasprintf("%s%s", path, suffix[i]);

		unlink(p);
		free(p);
	}
}

/* Write a new file holding only header h; it must not exist yet. */
static int
store_new_file(const char *path, const struct header *h, struct perr *e)
{
	/* Set-group-ID, the group's sessions write it too (0660). */
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		priv_mode(0600, 0060));

	if (fd < 0)
		return perr_set(e, errno == EEXIST ? PX_CANTCREAT : PX_CANTCREAT,
			"%s: %s", path,
			errno == EEXIST ? "already exists" : strerror(errno));
	if (header_create(fd, h, e) < 0) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	util_fsync_dir(path);
	return 0;
}

int
store_create(const char *path, const struct cred *cred, int kdf_level,
	struct store **out, struct perr *e)
{
	struct store *s;

	*out = NULL;
	if (vfs_register(e) < 0)
		return -1;
	s = store_alloc(path, 0);
	s->key = keyctx_generate();
	if (s->key == NULL) {
		store_close(s);
		return perr_set(e, PX_FAIL, "cannot allocate secure memory");
	}
	header_init(&s->hdr);
	if (keyslot_fill(&s->hdr.slots[0], cred, 0, kdf_level,
		    keyctx_data_key(s->key), NULL, e) < 0 ||
		store_new_file(path, &s->hdr, e) < 0) {
		store_close(s);
		return -1;
	}
	s->slot = 0;
	vfs_set_key(s->key, &s->hdr);
	if (store_connect(s, 1, e) < 0) {
		store_close(s);
		store_unlink_all(path);
		return -1;
	}
	*out = s;
	return 0;
}

/* Read the header and unwrap the data key, before SQLite opens the file. */
static int
store_unlock(struct store *s, const struct cred *cred, struct perr *e)
{
	uint8_t dk[KEY_BYTES];
	struct stat st;

	/* stat, not open: see vfs_read_header on descriptors and locks. */
	if (lstat(s->path, &st) < 0) {
		if (errno == ENOENT)
			return perr_set(e, PX_NOINPUT,
				"%s: no database here (create one with "
				"'patron init')",
				s->path);
		return perr_set(e, errno == EACCES ? PX_NOPERM : PX_IOERR,
			"%s: %s", s->path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return perr_set(e, PX_DATAERR, "%s: not a regular file",
			s->path);
	if (st.st_size < HEADER_SIZE + PAGE_SIZE && st.st_size > 0)
		return perr_set(e, PX_DATAERR,
			"%s is truncated (%lld bytes): not a whole Patron "
			"database",
			s->path, (long long)st.st_size);
	if (vfs_read_header(s->path, &s->hdr, e) < 0) {
		if (e->code != PX_NOPERM && e->code != PX_IOERR) {
			snprintf(e->file, sizeof e->file, "%s", s->path);
			e->code = PX_DATAERR;
		}
		return -1;
	}
	s->slot = keyslot_unlock(&s->hdr, cred, dk, e);
	if (s->slot < 0)
		return -1;
	s->key = keyctx_new(dk);
	sodium_memzero(dk, sizeof dk);
	if (s->key == NULL)
		return perr_set(e, PX_FAIL, "cannot allocate secure memory");
	return 0;
}

int
store_open(const char *path, const struct cred *cred, int flags,
	struct store **out, struct perr *e)
{
	struct store *s;

	*out = NULL;
	if (vfs_register(e) < 0)
		return -1;
	s = store_alloc(path, flags);
	if (store_unlock(s, cred, e) < 0) {
		store_close(s);
		return -1;
	}
	vfs_set_key(s->key, &s->hdr);
	if (store_connect(s, 0, e) < 0) {
		store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void
store_fix_reserve(struct store *s)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db, "PRAGMA database_list", -1, &st, NULL) !=
		SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		int n = PAGE_RESERVE;

		if (name != NULL && strcmp(name, "main") != 0 &&
			strcmp(name, "temp") != 0)
			sqlite3_file_control(s->db, name,
				SQLITE_FCNTL_RESERVE_BYTES, &n);
	}
	sqlite3_finalize(st);
}

int
store_write_header(struct store *s, struct header *h, struct perr *e)
{
	if (store_begin(s, e) < 0)
		return -1;
	if (vfs_write_header(s->db, h, s->hdr.seq, e) < 0) {
		store_rollback(s);
		return -1;
	}
	if (store_commit(s, e) < 0)
		return -1;
	s->hdr = *h;
	return 0;
}

/*
 * Copy every page of src's main database into dst's with the backup API,
 * in one step, so the copy is one consistent snapshot. Returns an SQLite
 * result code.
 */
static int
store_copy_pages(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc = SQLITE_OK;

	if (b == NULL)
		return sqlite3_errcode(dst);
	for (int tries = 0; tries < 100; tries++) {
		rc = sqlite3_backup_step(b, -1);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		sqlite3_sleep(50);
	}
	sqlite3_backup_finish(b);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Copy src (schema main) into the brand-new file path, keyed with k. */
static int
store_copy_to(struct store *src, const char *path, struct keyctx *k,
	const struct header *h, struct perr *e)
{
	struct store *d = store_alloc(path, STORE_NO_MIGRATE);
	int rc, fd;

	d->key = keyctx_ref(k);
	d->hdr = *h;
	if (store_new_file(path, h, e) < 0) {
		store_close(d);
		return -1;
	}
	vfs_set_key(k, h);
	rc = store_connect(d, 1, e);
	if (rc == 0) {
		rc = store_copy_pages(d->db, src->db);
		if (rc != SQLITE_OK)
			rc = store_error(d, rc, e, path);
	}
	/* Under a new data key what is sealed with it is sealed again. */
	if (rc == 0 && k != src->key && hooks.rekey != NULL)
		rc = hooks.rekey(src, d, e);
	vfs_set_key(src->key, &src->hdr);
	store_close(d);
	if (rc < 0) {
		store_unlink_all(path);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0) {
		if (fd >= 0)
			close(fd);
		store_unlink_all(path);
		return perr_set(e, PX_IOERR, "%s: cannot sync: %s", path,
			strerror(errno));
	}
	close(fd);
	return 0;
}


int
store_backup(struct store *s, const char *dest, struct perr *e)
{
	struct header h = s->hdr;
	struct outfile o;
	char *tmp;
	int rc;

	/* A real file (never a device, a FIFO or a link), made beside. */
	if (outfile_open(&o, dest, OUTFILE_FILE | OUTFILE_NO_OPEN, e) < 0)
		return -1;
	tmp = xstrdup(o.tmp);
	/* Same key slots, own database id: pages cannot be swapped across. */
	randombytes_buf(h.db_id, sizeof h.db_id);
	h.seq = 1;
	rc = store_copy_to(s, tmp, s->key, &h, e);
	if (rc < 0) {
		outfile_name_error(&o, e);	/* dest, not the file beside */
		outfile_abort(&o);
	} else
		rc = outfile_commit(&o, e);
	store_unlink_all(tmp);	/* its lock file; all of it if it failed */
	free(tmp);
	return rc;
}

int
store_rotate(struct store *s, const struct cred *cred, int kdf_level,
	char *recovery, struct perr *e)
{
	struct keyctx *k;
	struct header h;
	char *tmp, when[32];
	int was_recovery, n = 1;

	if (!(s->flags & STORE_EXCLUSIVE))
		return perr_set(e, PX_FAIL, "rotation needs exclusive access");
	/*
	 * In locking_mode=EXCLUSIVE a connection keeps the lock of its first
	 * write until it closes: from here on no other session can read or
	 * write, so nothing can be committed to the old file after the copy.
	 */
	snprintf(when, sizeof when, "%lld", (long long)util_now_ms());
	if (store_exec(s, "BEGIN EXCLUSIVE", e) < 0)
		return -1;
	if (store_meta_set(s, "data_key_rotated_ms", when, "rotation", e) < 0) {
		store_rollback(s);
		return -1;
	}
	if (store_commit(s, e) < 0)
		return -1;
	k = keyctx_generate();
	if (k == NULL)
		return perr_set(e, PX_FAIL, "cannot allocate secure memory");
	header_init(&h);
	was_recovery = s->hdr.slots[s->slot].type == SLOT_RECOVERY;
	if (keyslot_fill(&h.slots[0], cred, was_recovery, kdf_level,
		    keyctx_data_key(k), s->hdr.slots[s->slot].label, e) < 0)
		goto fail;
	if (recovery != NULL) {
		struct cred *rc;
		int r;

		keyslot_recovery_new(recovery);
		rc = cred_new(CRED_PASSPHRASE, recovery, strlen(recovery));
		r = rc ? keyslot_fill(&h.slots[n++], rc, 1, kdf_level,
				 keyctx_data_key(k), NULL, e)
		       : perr_set(e, PX_FAIL, "cannot allocate secure memory");
		cred_free(rc);
		if (r < 0)
			goto fail;
	}
	tmp = util_temp_name(s->path, "rotate");
	if (store_copy_to(s, tmp, k, &h, e) < 0) {
		struct outfile beside = { s->path, tmp, NULL };

		outfile_name_error(&beside, e);	/* the database, not tmp */
		free(tmp);
		goto fail;
	}
	util_fault_point("rotate-before-rename");
	/* Empty the old WAL so nothing of it is left to replay. */
	if (sqlite3_wal_checkpoint_v2(s->db, "main", SQLITE_CHECKPOINT_TRUNCATE,
		    NULL, NULL) != SQLITE_OK ||
		rename(tmp, s->path) < 0) {
		perr_set(e, PX_IOERR, "%s: cannot replace the database: %s",
			s->path, sqlite3_errmsg(s->db));
		store_unlink_all(tmp);
		free(tmp);
		keyctx_free(k);
		return -1;
	}
	util_fsync_dir(s->path);
	store_unlink_all(tmp);	/* its lock file, now unused */
	free(tmp);
	/* The old inode is nameless now; make it useless too. */
	vfs_poison(s->db, NULL);
	store_cache_clear(s);
	sqlite3_close_v2(s->db);
	s->db = NULL;
	keyctx_free(s->key);
	s->key = k;
	s->hdr = h;
	s->slot = 0;
	vfs_set_key(s->key, &s->hdr);
	return store_connect(s, 0, e);
fail:
	keyctx_free(k);
	return -1;
}

int
store_install(const char *src, const char *dest, struct perr *e)
{
	char *tmp = util_temp_name(dest, "restore");
	char buf[65536];
	int in, out, rc = 0;
	ssize_t n;

	/* The backup is a file the user names: read with the user's group. */
	in = priv_open(src, O_RDONLY | O_CLOEXEC, 0);
	if (in < 0) {
		free(tmp);
		return perr_set(e, PX_NOINPUT, "%s: %s", src, strerror(errno));
	}
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    priv_mode(0600, 0060));
	if (out < 0) {
		close(in);
		/* The path given, not the file beside it (issue 15 item 18). */
		rc = perr_set(e, PX_CANTCREAT, "%s: %s", dest, strerror(errno));
		free(tmp);
		return rc;
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (util_pwrite_all(out, buf, (size_t)n, lseek(out, 0, SEEK_CUR)) <
				0 ||
			lseek(out, n, SEEK_CUR) < 0) {
			n = -1;
			break;
		}
	if (n < 0 || fsync(out) < 0)
		rc = perr_set(e, PX_IOERR, "%s: %s", dest, strerror(errno));
	close(in);
	close(out);
	if (rc == 0 && rename(tmp, dest) < 0)
		rc = perr_set(e, PX_CANTCREAT, "%s: %s", dest, strerror(errno));
	if (rc < 0)
		unlink(tmp);
	else
		util_fsync_dir(dest);
	free(tmp);
	return rc;
}

int
store_verify(struct store *b, void (*report)(const char *msg, void *arg),
	void *arg, struct perr *e)
{
	long problems = store_check(b, report, arg, e);

	if (problems > 0)
		perr_set(e, PX_DATAERR,
			"%s failed verification (%ld problem%s): nothing was "
			"restored",
			b->path, problems, problems == 1 ? "" : "s");
	return problems == 0 ? 0 : -1;
}

int
store_restore(struct store *live, struct store *b, struct perr *e)
{
	struct stat st, sst;
	int rc;

	if (stat(b->path, &sst) == 0 && stat(live->path, &st) == 0 &&
		sst.st_dev == st.st_dev && sst.st_ino == st.st_ino)
		return perr_set(e, PX_USAGE, "%s is the database itself",
			b->path);
	rc = store_copy_pages(live->db, b->db);
	return rc == SQLITE_OK ? 0 : store_error(live, rc, e, live->path);
}

struct store_check_ctx {
	void (*report)(const char *msg, void *arg);
	void *arg;
	long problems;
};

static void
store_check_bad(const char *msg, void *arg)
{
	struct store_check_ctx *c = arg;

	c->problems++;
	c->report(msg, c->arg);
}

int
store_header_damage(struct store *s)
{
	return vfs_header_copies(s->db);
}

long
store_check(struct store *s, void (*report)(const char *msg, void *arg),
	void *arg, struct perr *e)
{
	struct store_check_ctx c = { report, arg, 0 };
	sqlite3_stmt *st;
	int rc;

	/* In a read transaction: no checkpoint can move pages meanwhile. */
	if (store_exec(s, "BEGIN; SELECT count(*) FROM sqlite_master", e) < 0) {
		if (!sqlite3_get_autocommit(s->db))
			store_rollback(s);
		return -1;
	}
	if (vfs_check_pages(s->db, store_check_bad, &c, e) < 0) {
		store_rollback(s);
		return -1;
	}
	store_rollback(s);
	if (store_prepare(s, "PRAGMA integrity_check(100)", &st, e) < 0)
		return -1;
	vfs_clear_error();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(st, 0);

		if (row != NULL && strcmp(row, "ok") != 0)
			store_check_bad(row, &c);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		struct perr tmp;

		store_error(s, rc, &tmp, "integrity check");
		store_check_bad(tmp.msg, &c);
	}
	if (c.problems > 0)
		store_keep_files(s);
	return c.problems;
}
