/*
 * vfs: a shim VFS that seals every page Patron writes and opens every page
 * it reads, delegating real I/O, locking and shared memory to "unix".
 *
 * Main database:  [Patron header, HEADER_SIZE][page 1][page 2]...
 *   Each page sealed in place: SQLite reserves PAGE_RESERVE bytes at the end
 *   of every page, which hold the nonce and the tag.
 *
 * WAL ("-pwal"):  logical  [32 hdr][24 fhdr|page][24 fhdr|page]...
 *                 physical [72 sealed hdr][64 sealed fhdr|page]...
 *   The WAL header and every frame header (which holds SQLite's checksum
 *   over the plaintext) are sealed with their own nonce, the frame header
 *   together with the number of frames known to be on disk (synced) when it
 *   was written: a frame that fails to authenticate is damage if a later
 *   frame vouches for it, and otherwise a torn tail; pages are sealed in
 *   place exactly like database pages (bound to their page number, which the
 *   frame header gives), so a checkpoint moves sealed pages from the WAL to
 *   the database without opening and sealing them again. Any read or write
 *   is split at these regions.
 *
 * Marks ("-pmark"): what the WAL must hold, kept outside it (see "marks"
 *   below), so that a WAL cut short, emptied, replaced or damaged where no
 *   later frame vouches for it is refused instead of replayed short.
 *
 * Journal ("-pjournal"): [32 prefix: magic, salt][logical journal bytes]
 *   Page images (PAGE_SIZE writes at offsets 4 mod 8, where SQLite's record
 *   layout puts them) are sealed; every other byte (page numbers, header,
 *   SQLite's checksums) is XORed with a keystream chosen by the salt, which
 *   is renewed whenever SQLite starts a new journal at offset 0.
 */
#include "patron/vfs.h"
#include "patron/priv.h"
#include "patron/walidx.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#define WAL_HDR 32
#define WAL_FHDR 24
#define WAL_FRAME (WAL_FHDR + PAGE_SIZE)
#define SEAL_OVER (PAGE_NONCE + PAGE_TAG)
#define PWAL_HDR (WAL_HDR + SEAL_OVER)
/* A sealed frame header also carries how many frames were durable. */
#define FHDR_CLAIM 4
#define PWAL_FHDR (WAL_FHDR + FHDR_CLAIM + SEAL_OVER)
#define PWAL_FRAME (PWAL_FHDR + PAGE_SIZE)
#define JRN_PREFIX 32
#define JRN_MAGIC "PTRNJRN1"
/* SQLite's lock-byte page: never written, never authenticated. */
#define PENDING_PAGE (0x40000000 / PAGE_SIZE)

enum vfs_kind { VFS_MAIN, VFS_WAL, VFS_JOURNAL };

struct vfs_file {
	sqlite3_file base;
	int kind;
	struct keyctx *key;
	uint8_t dbid[DBID_BYTES];
	char *path;		/* the name this file was opened under */
	char *renamed;		/* owned storage for a renamed WAL/journal */
	int has_salt;
	uint8_t salt[24];
	sqlite3_int64 jrn_hdr;	/* journal: where the last header read starts */
	long run_start;		/* WAL: first frame written since the last sync */
	long fh_frame;		/* WAL: frame whose header was just handled */
	uint32_t fh_pgno;	/* ... and the page number it holds */
	struct vfs_file *wal;	/* main: the WAL of the same connection */
	struct vfs_file *owner; /* WAL: the main file of its connection */
	int in_ckpt;		/* WAL: between CKPT_START and CKPT_DONE */
	uint32_t ckpt_end;	/* WAL: frames up to this one copied by it */
	int ckpt_pending;	/* main: a checkpoint waits for its sync */
	uint32_t ckpt_frames;	/* ... having copied this many frames */
	int mark_fd;		/* WAL: NAME-pmark, or -1 until needed */
	int hdr_pending;	/* WAL: a new header written, not synced */
	int commit_pending;	/* WAL: a commit frame written, not synced */
	uint32_t commit_end;	/* ... the frames up to and including it */
	uint8_t commit_salt[8]; /* ... and the salts of its WAL */
	int raw_valid;		/* WAL: raw_tail is the last page copied out */
	uint8_t raw_tail[PAGE_RESERVE];
	struct vfs_file *next;	/* list of open main files */
	struct walidx *widx;	/* main: its connection's WAL index */
	sqlite3_file *real;
	uint8_t scratch[PWAL_FRAME];
};

static sqlite3_vfs *vfs_unix;
static struct keyctx *vfs_key;
static struct header vfs_tmpl;
static struct vfs_file *vfs_mains;
static pthread_mutex_t vfs_lock = PTHREAD_MUTEX_INITIALIZER;
static char vfs_error[512];

static const sqlite3_io_methods vfs_methods;

const char *
vfs_last_error(void)
{
	return vfs_error;
}

void
vfs_clear_error(void)
{
	vfs_error[0] = '\0';
}

/* The name of the file on disk ("x-pwal", where SQLite says "x-wal"). */
static const char *
vfs_name(const struct vfs_file *f)
{
	return f->renamed ? f->renamed : f->path ? f->path : "?";
}

static void
vfs_note(const struct vfs_file *f, const char *what, long n, const char *why)
{
	snprintf(vfs_error, sizeof vfs_error, "%s %ld of %s %s", what, n,
		vfs_name(f), why);
}

void
vfs_set_key(struct keyctx *k, const struct header *tmpl)
{
	pthread_mutex_lock(&vfs_lock);
	if (vfs_key != NULL)
		keyctx_free(vfs_key);
	vfs_key = k ? keyctx_ref(k) : NULL;
	if (tmpl != NULL)
		vfs_tmpl = *tmpl;
	else
		memset(&vfs_tmpl, 0, sizeof vfs_tmpl);
	pthread_mutex_unlock(&vfs_lock);
}

void
vfs_clear_key(void)
{
	vfs_set_key(NULL, NULL);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * "x-wal" becomes "x-pwal", "x-journal" becomes "x-pjournal"; anything else
 * is returned as is. The result is double-NUL terminated, as SQLite's own
 * file names are, and must be freed if it differs from name.
 */
static char *
vfs_rename(const char *name)
{
	const char *from = NULL, *to = NULL;
	size_t base, n;
	char *out;

	if (name == NULL)
		return NULL;
	if (ends_with(name, "-wal")) {
		from = "-wal";
		to = VFS_WAL_SUFFIX;
	} else if (ends_with(name, "-journal")) {
		from = "-journal";
		to = VFS_JOURNAL_SUFFIX;
	} else
		return (char *)name;
	base = strlen(name) - strlen(from);
	n = base + strlen(to);
	out = xcalloc(1, n + 4);
	memcpy(out, name, base);
	memcpy(out + base, to, strlen(to));
	return out;
}

/* ---- main database ---------------------------------------------------- */

/*
 * SQLite reads the first bytes of page 1 straight from the database file
 * when it opens it (page size, reserve), before it looks in the WAL, and
 * then reads page 1 whole through the WAL. A power cut during a checkpoint
 * can leave page 1 in the file torn while the WAL still holds it whole:
 * a stock database survives that, as its torn page 1 still begins with a
 * valid header. So a partial read of a page 1 that fails to authenticate
 * gets the header every Patron database has (page size, reserve, WAL
 * mode), and nothing else; the whole-page read that follows is
 * authenticated as always, from the WAL if it holds page 1 and from the
 * file (failing, naming page 1) if not.
 */
static void
vfs_main_header_hint(uint8_t *page)
{
	memset(page, 0, PAGE_SIZE);
	memcpy(page, "SQLite format 3", 16);
	page[16] = (uint8_t)(PAGE_SIZE >> 8);
	page[17] = (uint8_t)(PAGE_SIZE >> 16);
	page[18] = 2;
	page[19] = 2;
	page[20] = PAGE_RESERVE;
	page[21] = 64;
	page[22] = 32;
	page[23] = 32;
}

static int
vfs_main_read(struct vfs_file *f, uint8_t *out, int amt, sqlite3_int64 off)
{
	int short_read = 0;

	while (amt > 0) {
		sqlite3_int64 pg = off / PAGE_SIZE;
		int in = (int)(off % PAGE_SIZE);
		int take = PAGE_SIZE - in < amt ? PAGE_SIZE - in : amt;
		/* Whole aligned pages are opened in the caller's buffer. */
		uint8_t *page = (in == 0 && take == PAGE_SIZE) ? out : f->scratch;
		int rc;

		rc = f->real->pMethods->xRead(f->real, page, PAGE_SIZE,
			HEADER_SIZE + pg * PAGE_SIZE);
		if (rc == SQLITE_IOERR_SHORT_READ) {
			/* unix zero-fills; all zero means past the end. */
			if (!sodium_is_zero(page, PAGE_SIZE)) {
				vfs_note(f, "page", (long)pg + 1, "is truncated");
				return SQLITE_IOERR_DATA;
			}
			short_read = 1;
		} else if (rc != SQLITE_OK) {
			return rc;
		} else if (pg == PENDING_PAGE) {
			memset(page, 0, PAGE_SIZE);
		} else if (keyctx_open_page(f->key, f->dbid, KEYCTX_DB,
				   (uint64_t)pg + 1, NULL, page) < 0) {
			if (pg == 0 && take < PAGE_SIZE) {
				/* See vfs_main_header_hint. */
				vfs_main_header_hint(page);
				memcpy(out, page + in, (size_t)take);
				out += take;
				off += take;
				amt -= take;
				continue;
			}
			vfs_note(f, "page", (long)pg + 1,
				"failed authentication (damaged, tampered with, "
				"or not this database's key)");
			memset(out, 0, (size_t)amt);
			return SQLITE_IOERR_DATA;
		}
		if (page != out)
			memcpy(out, page + in, (size_t)take);
		out += take;
		off += take;
		amt -= take;
	}
	return short_read ? SQLITE_IOERR_SHORT_READ : SQLITE_OK;
}

/*
 * Page 1 as SQLite writes it must say PAGE_SIZE and PAGE_RESERVE: anything
 * else (a page_size change slipping through, a new ATTACHed file without
 * the reserve) would put data where the nonce and tag go.
 */
static int
vfs_page1_ok(const struct vfs_file *f, const uint8_t *in)
{
	if (in[16] == (PAGE_SIZE >> 8) && in[17] == 0 && in[20] == PAGE_RESERVE)
		return 1;
	snprintf(vfs_error, sizeof vfs_error,
		"refused to write %s with page size %d and %d reserved bytes: "
		"Patron databases use %d and %d",
		f->path, in[16] << 8 | in[17], in[20], PAGE_SIZE, PAGE_RESERVE);
	return 0;
}

static int
vfs_main_write(struct vfs_file *f, const uint8_t *in, int amt,
	sqlite3_int64 off)
{
	if (off % PAGE_SIZE != 0 || amt % PAGE_SIZE != 0) {
		snprintf(vfs_error, sizeof vfs_error,
			"refused a write of %d bytes at offset %lld of %s: "
			"encrypted databases are written in whole pages",
			amt, (long long)off, f->path);
		return SQLITE_IOERR_WRITE;
	}
	for (; amt > 0; amt -= PAGE_SIZE, in += PAGE_SIZE, off += PAGE_SIZE) {
		uint64_t pgno = (uint64_t)(off / PAGE_SIZE) + 1;
		int rc;

		const uint8_t *out = f->scratch;
		struct vfs_file *w = f->wal;

		/*
		 * A checkpoint copying a page it read sealed from the WAL: the
		 * nonce and tag identify it (a plaintext page has zeros there).
		 */
		if (w != NULL && w->in_ckpt && w->raw_valid &&
			memcmp(in + PAGE_PAYLOAD, w->raw_tail, PAGE_RESERVE) == 0)
			out = in;
		else if (pgno == 1 && !vfs_page1_ok(f, in))
			return SQLITE_IOERR_WRITE;
		else
			keyctx_seal_page(f->key, f->dbid, KEYCTX_DB, pgno, NULL,
				in, f->scratch);
		if (w != NULL)
			w->raw_valid = 0;
		rc = f->real->pMethods->xWrite(f->real, out, PAGE_SIZE,
			HEADER_SIZE + off);
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

/* ---- WAL ---------------------------------------------------------------- */

/*
 * A WAL region: the file header (frame -1), or a frame's header or page.
 * lstart/llen are logical, pstart/plen physical.
 */
struct wal_region {
	long frame;
	int is_page;
	sqlite3_int64 lstart, pstart;
	int llen, plen;
};

static void
wal_region_at(sqlite3_int64 off, struct wal_region *r)
{
	if (off < WAL_HDR) {
		r->frame = -1;
		r->is_page = 0;
		r->lstart = 0;
		r->llen = WAL_HDR;
		r->pstart = 0;
		r->plen = PWAL_HDR;
		return;
	}
	r->frame = (long)((off - WAL_HDR) / WAL_FRAME);
	r->is_page = (off - WAL_HDR) % WAL_FRAME >= WAL_FHDR;
	r->lstart = WAL_HDR + (sqlite3_int64)r->frame * WAL_FRAME +
		(r->is_page ? WAL_FHDR : 0);
	r->llen = r->is_page ? PAGE_SIZE : WAL_FHDR;
	r->pstart = PWAL_HDR + (sqlite3_int64)r->frame * PWAL_FRAME +
		(r->is_page ? PWAL_FHDR : 0);
	r->plen = r->is_page ? PAGE_SIZE : PWAL_FHDR;
}

/* Logical size of a WAL whose physical size is p. */
static sqlite3_int64
wal_logical_size(sqlite3_int64 p)
{
	sqlite3_int64 n, rem;

	if (p < PWAL_HDR)
		return 0;
	n = (p - PWAL_HDR) / PWAL_FRAME;
	rem = (p - PWAL_HDR) % PWAL_FRAME;
	return WAL_HDR + n * WAL_FRAME + (rem >= PWAL_FHDR ? WAL_FHDR + rem - PWAL_FHDR : 0);
}

/* Physical offset for logical offset l, rounded up to a region's end. */
static sqlite3_int64
wal_physical_size(sqlite3_int64 l)
{
	struct wal_region r;

	if (l <= 0)
		return 0;
	wal_region_at(l, &r);
	if (l == r.lstart)
		return r.pstart;
	return r.pstart + r.plen;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

/*
 * The page number a frame holds, from its sealed header. The header just
 * written or opened by this call sequence is remembered for the page that
 * follows it; otherwise it is read from the file. Returns -1 if the header
 * is missing or fails to authenticate.
 */
/*
 * Open a sealed frame header (read from the file if sealed is NULL): the
 * 24 bytes SQLite wrote into fh, and the number of frames that were
 * durable when it was written into *claim. Returns -1 if it is missing or
 * fails to authenticate.
 */
static int
wal_open_fhdr(struct vfs_file *f, long frame, const uint8_t *sealed,
	uint8_t fh[WAL_FHDR], uint32_t *claim)
{
	uint8_t buf[PWAL_FHDR], plain[WAL_FHDR + FHDR_CLAIM];

	if (sealed == NULL) {
		if (f->real->pMethods->xRead(f->real, buf, PWAL_FHDR,
			    PWAL_HDR + (sqlite3_int64)frame * PWAL_FRAME) !=
			SQLITE_OK)
			return -1;
		sealed = buf;
	}
	if (keyctx_open_small(f->key, f->dbid, KEYCTX_WAL_FRAME,
		    (uint64_t)frame, sealed, sizeof plain, plain) < 0)
		return -1;
	memcpy(fh, plain, WAL_FHDR);
	if (claim != NULL)
		*claim = (uint32_t)plain[24] | (uint32_t)plain[25] << 8 |
			(uint32_t)plain[26] << 16 | (uint32_t)plain[27] << 24;
	return 0;
}

static int
wal_frame_pgno(struct vfs_file *f, long frame, uint32_t *pgno)
{
	uint8_t fh[WAL_FHDR];

	if (f->fh_frame == frame) {
		f->fh_frame = -1;
		*pgno = f->fh_pgno;
		return 0;
	}
	if (wal_open_fhdr(f, frame, NULL, fh, NULL) < 0)
		return -1;
	*pgno = be32(fh);
	return 0;
}

/*
 * Open one region into out (llen bytes). Returns SQLITE_OK, SQLITE_DONE if
 * the region lies past the end of the file or failed to authenticate
 * (out zeroed), or an I/O error.
 */
static int
wal_open_region(struct vfs_file *f, const struct wal_region *r, uint8_t *out)
{
	uint8_t *p = f->scratch;
	uint32_t pgno;
	int rc;

	rc = f->real->pMethods->xRead(f->real, p, r->plen, r->pstart);
	if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
		return rc;
	if (rc == SQLITE_OK) {
		if (r->is_page) {
			if (wal_frame_pgno(f, r->frame, &pgno) == 0) {
				memcpy(out, p, PAGE_SIZE);
				if (keyctx_open_page(f->key, f->dbid, KEYCTX_DB,
					    pgno, NULL, out) == 0)
					return SQLITE_OK;
			}
		} else if (r->frame < 0) {
			if (keyctx_open_small(f->key, f->dbid, KEYCTX_WAL_HDR, 0,
				    p, WAL_HDR, out) == 0)
				return SQLITE_OK;
		} else if (wal_open_fhdr(f, r->frame, p, out, NULL) == 0) {
			f->fh_frame = r->frame;
			f->fh_pgno = be32(out);
			return SQLITE_OK;
		}
	}
	memset(out, 0, (size_t)r->llen);
	return SQLITE_DONE;
}

/*
 * Whether a frame after `frame`, of the current WAL (same salts), vouches
 * that `frame` was already on disk when it was written: then the failure
 * is damage to a durable frame, not a write lost or torn by a crash.
 */
static int
wal_later_frames_valid(struct vfs_file *f, long frame)
{
	struct wal_region r;
	uint8_t hdr[WAL_HDR], fh[WAL_FHDR];
	sqlite3_int64 size;
	uint32_t claim;

	wal_region_at(0, &r);
	if (wal_open_region(f, &r, hdr) != SQLITE_OK)
		return 0;
	if (f->real->pMethods->xFileSize(f->real, &size) != SQLITE_OK)
		return 0;
	for (long i = frame + 1;; i++) {
		if (PWAL_HDR + (sqlite3_int64)(i + 1) * PWAL_FRAME > size)
			return 0;
		if (wal_open_fhdr(f, i, NULL, fh, &claim) == 0 &&
			memcmp(fh + 8, hdr + 16, 8) == 0 &&
			claim > (uint32_t)frame)
			return 1;
	}
}

/* ---- marks -------------------------------------------------------------- */

/*
 * NAME-pmark says what the WAL must hold, from outside the WAL:
 *   slot 0, written by the writer (under SQLite's write lock) after each
 *     sync that made a commit durable: "the WAL with these salts holds
 *     committed frames 1..N";
 *   slot 1, written and synced after a checkpoint's database sync (under
 *     the checkpoint lock): "frames 1..N of the WAL with these salts are
 *     in the database file".
 * Each is one sealed record in a 512-byte sector of its own (a sector is
 * written whole or not at all). Slot 0 is not synced: it is written only
 * once the frames it vouches for are durable, so whatever of it survives a
 * power cut is true, and a lost write only means less is known. Frames in
 * slot 0 and not in slot 1 are needed: a WAL without them (missing, cut
 * short, another WAL, or damaged where SQLite's replay would stop early) is
 * refused and kept, never replayed short or deleted.
 */
#define MARK_SLOT 512
#define MARK_PLAIN 12
#define MARK_SEALED (MARK_PLAIN + SEAL_OVER)

struct wal_mark {
	uint8_t salt[8];
	uint32_t frames;
};

/* Frames [0, hi) of the WAL with these salts must be there and intact. */
struct wal_need {
	int any;
	uint8_t salt[8];
	uint32_t lo, hi;	/* lo: frames already in the database */
};

static char *
mark_path(const struct vfs_file *f)
{
	const char *db = f->kind == VFS_MAIN ? f->path
					     : sqlite3_filename_database(f->path);

	return db ? xasprintf("%s%s", db, VFS_MARK_SUFFIX) : NULL;
}

/*
 * Open NAME-pmark (creating it if create is set) with the database file's
 * permissions and group, as the lock file gets them. Returns the
 * descriptor, or -1 (a missing file when not creating is not an error).
 */
static int
mark_open(struct vfs_file *f, int create)
{
	struct stat dbst, st;
	char *path, *db;
	int fd;

	if (f->mark_fd >= 0)
		return f->mark_fd;
	if ((path = mark_path(f)) == NULL)
		return -1;
	db = xasprintf("%.*s", (int)(strlen(path) - strlen(VFS_MARK_SUFFIX)),
		path);
	if (stat(db, &dbst) != 0) {
		free(db);
		free(path);
		return -1;
	}
	free(db);
	fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC |
		(create ? O_CREAT : 0), dbst.st_mode & 0660);
	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
	} else if (fd >= 0 && st.st_uid == geteuid()) {
		if ((st.st_mode & 0777) != (dbst.st_mode & 0660))
			(void)fchmod(fd, dbst.st_mode & 0660);
		if (st.st_gid != dbst.st_gid)
			(void)fchown(fd, (uid_t)-1, dbst.st_gid);
	}
	if (fd < 0 && create)
		snprintf(vfs_error, sizeof vfs_error, "cannot open %s: %s",
			path, strerror(errno));
	free(path);
	f->mark_fd = fd;
	return fd;
}

static int
mark_read(struct vfs_file *f, int slot, struct wal_mark *m)
{
	uint8_t sealed[MARK_SEALED], plain[MARK_PLAIN];
	int fd = mark_open(f, 0);

	if (fd < 0 || util_pread_all(fd, sealed, sizeof sealed,
			      (int64_t)slot * MARK_SLOT) != (long)sizeof sealed ||
	    keyctx_open_small(f->key, f->dbid, KEYCTX_WAL_MARK,
		    (uint64_t)slot, sealed, sizeof plain, plain) < 0)
		return -1;
	memcpy(m->salt, plain, 8);
	m->frames = (uint32_t)plain[8] | (uint32_t)plain[9] << 8 |
		(uint32_t)plain[10] << 16 | (uint32_t)plain[11] << 24;
	return 0;
}

static int
mark_write(struct vfs_file *f, int slot, const struct wal_mark *m, int sync)
{
	uint8_t sealed[MARK_SEALED], plain[MARK_PLAIN];
	int fd = mark_open(f, 1);

	if (fd < 0)
		return SQLITE_IOERR_WRITE;
	memcpy(plain, m->salt, 8);
	for (int i = 0; i < 4; i++)
		plain[8 + i] = (uint8_t)(m->frames >> (8 * i));
	keyctx_seal_small(f->key, f->dbid, KEYCTX_WAL_MARK, (uint64_t)slot,
		plain, sizeof plain, sealed);
	if (util_pwrite_all(fd, sealed, sizeof sealed,
		    (int64_t)slot * MARK_SLOT) < 0 ||
	    (sync && fdatasync(fd) != 0)) {
		snprintf(vfs_error, sizeof vfs_error, "cannot write the WAL "
			"marks of %s: %s", vfs_name(f), strerror(errno));
		return sync ? SQLITE_IOERR_FSYNC : SQLITE_IOERR_WRITE;
	}
	return SQLITE_OK;
}

/* What the marks say the WAL must hold (n->any is 0 if nothing). */
static void
wal_need(struct vfs_file *f, struct wal_need *n)
{
	struct wal_mark a, b;
	int have_b;

	memset(n, 0, sizeof *n);
	/* Slot 1 first: a checkpoint newer than slot 0 only lowers the need. */
	have_b = mark_read(f, 1, &b) == 0;
	if (mark_read(f, 0, &a) < 0 || a.frames == 0)
		return;
	n->lo = have_b && memcmp(a.salt, b.salt, 8) == 0 ? b.frames : 0;
	if (a.frames <= n->lo)
		return;
	n->any = 1;
	memcpy(n->salt, a.salt, 8);
	n->hi = a.frames;
}

static void
wal_refuse(const struct vfs_file *f, const struct wal_need *n, const char *why)
{
	snprintf(vfs_error, sizeof vfs_error,
		"%s %s: %u committed frame%s recorded in it %s not in the "
		"database yet; nothing was replayed or deleted (restore the "
		"file or a backup; see patron(1), DAMAGE)",
		vfs_name(f), why, n->hi - n->lo, n->hi - n->lo == 1 ? "" : "s",
		n->hi - n->lo == 1 ? "is" : "are");
}

static int
vfs_wal_read(struct vfs_file *f, uint8_t *out, int amt, sqlite3_int64 off)
{
	/* Recovery reads whole frames; page lookups read a page alone. */
	struct wal_region first;
	int lenient, short_read = 0;
	uint8_t buf[PAGE_SIZE];

	/*
	 * Only a header opened by this very call may name the page that
	 * follows it: another process may have rewritten the WAL since.
	 */
	f->fh_frame = -1;
	wal_region_at(off, &first);
	if (f->in_ckpt && first.is_page && off == first.lstart &&
		amt == PAGE_SIZE) {
		/*
		 * A checkpoint copies this page to the database file, where
		 * the same seal is valid (both are bound to the page number):
		 * hand it over sealed. vfs_main_write recognises it.
		 */
		int rc = f->real->pMethods->xRead(f->real, out, PAGE_SIZE,
			first.pstart);

		if (rc == SQLITE_OK) {
			memcpy(f->raw_tail, out + PAGE_PAYLOAD, PAGE_RESERVE);
			f->raw_valid = 1;
			if ((uint32_t)first.frame + 1 > f->ckpt_end)
				f->ckpt_end = (uint32_t)first.frame + 1;
			return SQLITE_OK;
		}
		if (rc != SQLITE_IOERR_SHORT_READ)
			return rc;
	}
	lenient = !first.is_page && off == first.lstart;
	while (amt > 0) {
		struct wal_region r;
		int in, take, rc;

		wal_region_at(off, &r);
		in = (int)(off - r.lstart);
		take = r.llen - in < amt ? r.llen - in : amt;
		rc = wal_open_region(f, &r, buf);
		if (rc == SQLITE_DONE) {
			sqlite3_int64 size = 0;
			struct wal_need need;

			f->real->pMethods->xFileSize(f->real, &size);
			/* Recovery's replay stops here: is anything committed
			 * left behind? The marks say so, or a later frame. */
			if (lenient)
				wal_need(f, &need);
			if (lenient && need.any && r.frame < (long)need.hi) {
				if (r.frame < 0)
					snprintf(vfs_error, sizeof vfs_error,
						"the header of %s failed "
						"authentication (damaged or "
						"tampered with)", vfs_name(f));
				else
					vfs_note(f, "WAL frame", r.frame + 1,
						r.pstart >= size
						? "is missing (the WAL was cut "
						  "short)"
						: "failed authentication "
						  "(damaged or tampered with)");
				return SQLITE_IOERR_DATA;
			}
			if (r.pstart >= size) {
				short_read = 1;
			} else if (!lenient ||
				(r.frame >= 0 && wal_later_frames_valid(f, r.frame))) {
				vfs_note(f, "WAL frame", r.frame + 1,
					"failed authentication (damaged or "
					"tampered with)");
				return SQLITE_IOERR_DATA;
			}
			/* A torn tail: SQLite sees a bad checksum and stops. */
		} else if (rc != SQLITE_OK) {
			return rc;
		}
		memcpy(out, buf + in, (size_t)take);
		out += take;
		off += take;
		amt -= take;
	}
	f->fh_frame = -1;
	return short_read ? SQLITE_IOERR_SHORT_READ : SQLITE_OK;
}

static int
vfs_wal_write(struct vfs_file *f, const uint8_t *in, int amt,
	sqlite3_int64 off)
{
	uint8_t buf[PAGE_SIZE], sealed[PWAL_FRAME];

	while (amt > 0) {
		struct wal_region r;
		int at, take, rc;

		wal_region_at(off, &r);
		at = (int)(off - r.lstart);
		take = r.llen - at < amt ? r.llen - at : amt;
		if (at != 0 || take != r.llen) {
			/* Partial region: read, patch, seal again. */
			rc = wal_open_region(f, &r, buf);
			if (rc != SQLITE_OK && rc != SQLITE_DONE)
				return rc;
		}
		memcpy(buf + at, in, (size_t)take);
		if (r.is_page) {
			uint32_t pgno;

			if (!sodium_is_zero(buf + PAGE_PAYLOAD, PAGE_RESERVE)) {
				snprintf(vfs_error, sizeof vfs_error,
					"refused a WAL page with data in its "
					"reserved bytes (%s)", f->path);
				return SQLITE_IOERR_WRITE;
			}
			if (wal_frame_pgno(f, r.frame, &pgno) < 0) {
				snprintf(vfs_error, sizeof vfs_error,
					"refused a WAL page before its frame "
					"header (%s)", f->path);
				return SQLITE_IOERR_WRITE;
			}
			if (pgno == 1 && !vfs_page1_ok(f, buf))
				return SQLITE_IOERR_WRITE;
			keyctx_seal_page(f->key, f->dbid, KEYCTX_DB, pgno, NULL,
				buf, sealed);
		} else if (r.frame < 0) {
			/* A new WAL: nothing of it is on disk yet. */
			f->run_start = -1;
			f->hdr_pending = 1;
			memcpy(f->commit_salt, buf + 16, 8);
			keyctx_seal_small(f->key, f->dbid, KEYCTX_WAL_HDR, 0,
				buf, WAL_HDR, sealed);
		} else {
			uint8_t plain[WAL_FHDR + FHDR_CLAIM];
			uint32_t claim;

			/*
			 * Frames before the first one written since our last
			 * sync are committed, so synced (synchronous=FULL).
			 */
			if (f->run_start < 0 || r.frame < f->run_start)
				f->run_start = r.frame;
			claim = (uint32_t)f->run_start;
			memcpy(plain, buf, WAL_FHDR);
			for (int i = 0; i < 4; i++)
				plain[WAL_FHDR + i] = (uint8_t)(claim >> (8 * i));
			f->fh_frame = r.frame;
			f->fh_pgno = be32(buf);
			if (be32(buf + 4) != 0) {
				/* A commit frame: the marks learn of it once
				 * it is synced. */
				f->commit_pending = 1;
				f->commit_end = (uint32_t)r.frame + 1;
				memcpy(f->commit_salt, buf + 8, 8);
			}
			keyctx_seal_small(f->key, f->dbid, KEYCTX_WAL_FRAME,
				(uint64_t)r.frame, plain, sizeof plain, sealed);
		}
		rc = f->real->pMethods->xWrite(f->real, sealed, r.plen,
			r.pstart);
		if (rc != SQLITE_OK)
			return rc;
		in += take;
		off += take;
		amt -= take;
	}
	return SQLITE_OK;
}

/* ---- rollback journal --------------------------------------------------- */

static int
jrn_new_salt(struct vfs_file *f)
{
	uint8_t prefix[JRN_PREFIX];

	randombytes_buf(f->salt, sizeof f->salt);
	memcpy(prefix, JRN_MAGIC, 8);
	memcpy(prefix + 8, f->salt, sizeof f->salt);
	f->has_salt = 1;
	return f->real->pMethods->xWrite(f->real, prefix, JRN_PREFIX, 0);
}

static int
jrn_load_salt(struct vfs_file *f)
{
	uint8_t prefix[JRN_PREFIX];
	int rc;

	f->has_salt = 0;
	rc = f->real->pMethods->xRead(f->real, prefix, JRN_PREFIX, 0);
	if (rc == SQLITE_IOERR_SHORT_READ)
		return SQLITE_OK;
	if (rc != SQLITE_OK)
		return rc;
	if (memcmp(prefix, JRN_MAGIC, 8) == 0) {
		memcpy(f->salt, prefix + 8, sizeof f->salt);
		f->has_salt = 1;
	}
	return SQLITE_OK;
}

static int
jrn_is_page(int amt, sqlite3_int64 off)
{
	return amt == PAGE_SIZE && off % 8 == 4;
}

/*
 * A journal record is [page number][page][checksum]: the page is sealed
 * bound to its offset and to the page number written just before it, so a
 * record cannot be pointed at another page. The 4 bytes before a page are
 * read back (and decrypted) to learn it.
 */
static int
jrn_pgno_before(struct vfs_file *f, sqlite3_int64 off, uint64_t *pos)
{
	uint8_t b[4];
	int rc;

	rc = f->real->pMethods->xRead(f->real, b, 4, JRN_PREFIX + off - 4);
	if (rc != SQLITE_OK)
		return rc;
	keyctx_stream_xor(f->key, f->salt, (uint64_t)(off - 4), b, 4);
	*pos = (uint64_t)off | (uint64_t)be32(b) << 40;
	return SQLITE_OK;
}

/*
 * A journal header's size of the database before the transaction, which
 * a rollback restores: the journal's bytes other than pages are encrypted
 * but not authenticated, so a damaged one could have the rollback grow the
 * file to any size. What the file lacks of it can only come from the
 * journal's own records: more than that is damage.
 */
static int
jrn_size_plausible(struct vfs_file *f, uint32_t pages)
{
	const char *db = sqlite3_filename_database(f->path);
	sqlite3_int64 jsize = 0;
	struct stat st;
	uint64_t have;

	if (db == NULL || stat(db, &st) != 0 ||
	    f->real->pMethods->xFileSize(f->real, &jsize) != SQLITE_OK)
		return 1;
	have = st.st_size > HEADER_SIZE ?
	    (uint64_t)(st.st_size - HEADER_SIZE) / PAGE_SIZE : 0;
	if (pages <= have + (uint64_t)jsize / (PAGE_SIZE + 8) + 1)
		return 1;
	snprintf(vfs_error, sizeof vfs_error, "the header of %s is damaged "
		"(it says the database had %u pages; the file has %llu and "
		"the journal holds at most %llu): nothing was rolled back",
		vfs_name(f), pages, (unsigned long long)have,
		(unsigned long long)jsize / (PAGE_SIZE + 8));
	return 0;
}

static int
vfs_jrn_read(struct vfs_file *f, uint8_t *out, int amt, sqlite3_int64 off)
{
	uint64_t pos;
	int rc;

	if (!f->has_salt) {
		memset(out, 0, (size_t)amt);
		return SQLITE_IOERR_SHORT_READ;
	}
	rc = f->real->pMethods->xRead(f->real, out, amt, JRN_PREFIX + off);
	if (rc != SQLITE_OK)
		return rc;
	if (jrn_is_page(amt, off)) {
		rc = jrn_pgno_before(f, off, &pos);
		if (rc != SQLITE_OK)
			return rc;
		if (keyctx_open_page(f->key, f->dbid, KEYCTX_JOURNAL, pos,
			    f->salt, out) < 0) {
			vfs_note(f, "journal record at offset", (long)off,
				"failed authentication (damaged or tampered "
				"with)");
			return SQLITE_IOERR_DATA;
		}
	} else {
		keyctx_stream_xor(f->key, f->salt, (uint64_t)off, out,
			(size_t)amt);
		/* SQLite reads a header's magic (8 bytes), then its fields. */
		if (amt == 8)
			f->jrn_hdr = off;
		else if (amt == 4 && f->jrn_hdr >= 0 && off == f->jrn_hdr + 16 &&
		    !jrn_size_plausible(f, be32(out)))
			return SQLITE_IOERR_DATA;
	}
	return SQLITE_OK;
}

static int
vfs_jrn_write(struct vfs_file *f, const uint8_t *in, int amt,
	sqlite3_int64 off)
{
	uint8_t *buf;
	int rc;

	/* A header at offset 0 starts a new journal: renew the keystream. */
	if (!f->has_salt || (off == 0 && amt >= 28)) {
		rc = jrn_new_salt(f);
		if (rc != SQLITE_OK)
			return rc;
	}
	if (jrn_is_page(amt, off)) {
		uint64_t pos;

		rc = jrn_pgno_before(f, off, &pos);
		if (rc != SQLITE_OK)
			return rc;
		keyctx_seal_page(f->key, f->dbid, KEYCTX_JOURNAL, pos, f->salt,
			in, f->scratch);
		return f->real->pMethods->xWrite(f->real, f->scratch, amt,
			JRN_PREFIX + off);
	}
	buf = amt <= (int)sizeof f->scratch ? f->scratch : xmalloc((size_t)amt);
	memcpy(buf, in, (size_t)amt);
	keyctx_stream_xor(f->key, f->salt, (uint64_t)off, buf, (size_t)amt);
	rc = f->real->pMethods->xWrite(f->real, buf, amt, JRN_PREFIX + off);
	if (buf != f->scratch)
		free(buf);
	return rc;
}

/*
 * Before SQLite reads a WAL: refuse one that lacks frames the marks say
 * are committed and not yet in the database. A check that fails is made
 * again (a session may have just moved the marks and the WAL on).
 */
static int
wal_check_open(struct vfs_file *f, int exists)
{
	struct wal_need n;
	struct wal_region r;
	uint8_t hdr[WAL_HDR];
	sqlite3_int64 size;
	const char *why = NULL;

	for (int tries = 0; tries < 3; tries++) {
		wal_need(f, &n);
		if (!n.any)
			return SQLITE_OK;
		why = NULL;
		wal_region_at(0, &r);
		if (!exists)
			why = "is missing";
		else if (f->real->pMethods->xFileSize(f->real, &size) !=
			SQLITE_OK)
			return SQLITE_IOERR_FSTAT;
		else if (size < PWAL_HDR)
			why = "is empty";
		else if (wal_open_region(f, &r, hdr) != SQLITE_OK)
			why = "has a header that fails authentication (damaged "
			      "or tampered with)";
		else if (memcmp(hdr + 16, n.salt, 8) != 0)
			why = "is not the WAL this database last wrote";
		else if (size < PWAL_HDR + (sqlite3_int64)n.hi * PWAL_FRAME)
			why = "was cut short";
		if (why == NULL)
			return SQLITE_OK;
	}
	wal_refuse(f, &n, why);
	return SQLITE_IOERR_DATA;
}

/* ---- io methods --------------------------------------------------------- */

static int
vfs_close(sqlite3_file *file)
{
	struct vfs_file *f = (struct vfs_file *)file;
	int rc = SQLITE_OK;

	pthread_mutex_lock(&vfs_lock);
	if (f->kind == VFS_MAIN) {
		for (struct vfs_file **pp = &vfs_mains; *pp; pp = &(*pp)->next)
			if (*pp == f) {
				*pp = f->next;
				break;
			}
		if (f->wal != NULL)
			f->wal->owner = NULL;
	} else if (f->owner != NULL && f->owner->wal == f) {
		f->owner->wal = NULL;
	}
	pthread_mutex_unlock(&vfs_lock);
	walidx_detach(f->widx, 0);
	f->widx = NULL;
	if (f->mark_fd >= 0)
		close(f->mark_fd);
	f->mark_fd = -1;
	if (f->real->pMethods != NULL)
		rc = f->real->pMethods->xClose(f->real);
	keyctx_free(f->key);
	free(f->renamed);
	sodium_memzero(f->scratch, sizeof f->scratch);
	return rc;
}

static int
vfs_read(sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
	struct vfs_file *f = (struct vfs_file *)file;

	switch (f->kind) {
	case VFS_MAIN:
		return vfs_main_read(f, buf, amt, off);
	case VFS_WAL:
		return vfs_wal_read(f, buf, amt, off);
	default:
		return vfs_jrn_read(f, buf, amt, off);
	}
}

static int
vfs_write(sqlite3_file *file, const void *buf, int amt, sqlite3_int64 off)
{
	struct vfs_file *f = (struct vfs_file *)file;

	switch (f->kind) {
	case VFS_MAIN:
		return vfs_main_write(f, buf, amt, off);
	case VFS_WAL:
		return vfs_wal_write(f, buf, amt, off);
	default:
		return vfs_jrn_write(f, buf, amt, off);
	}
}

static int
vfs_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct vfs_file *f = (struct vfs_file *)file;
	sqlite3_int64 p;

	switch (f->kind) {
	case VFS_MAIN:
		p = HEADER_SIZE + size;
		break;
	case VFS_WAL:
		p = wal_physical_size(size);
		f->fh_frame = -1;
		break;
	default:
		p = size == 0 ? 0 : JRN_PREFIX + size;
		if (size == 0)
			f->has_salt = 0;
		break;
	}
	return f->real->pMethods->xTruncate(f->real, p);
}

/*
 * After a checkpoint's database sync: record, synced, that the frames it
 * copied are in the database, before SQLite may reset or delete the WAL.
 */
static int
vfs_mark_checkpoint(struct vfs_file *f)
{
	struct wal_region r;
	struct wal_mark m;
	uint8_t hdr[WAL_HDR];

	f->ckpt_pending = 0;
	if (f->wal == NULL)
		return SQLITE_OK;
	wal_region_at(0, &r);
	if (wal_open_region(f->wal, &r, hdr) != SQLITE_OK)
		return SQLITE_OK;	/* no WAL to speak of */
	memcpy(m.salt, hdr + 16, 8);
	m.frames = f->ckpt_frames;
	return mark_write(f->wal, 1, &m, 1);
}

static int
vfs_sync(sqlite3_file *file, int flags)
{
	struct vfs_file *f = (struct vfs_file *)file;
	int rc;

	f->fh_frame = -1;
	f->run_start = -1;
	rc = f->real->pMethods->xSync(f->real, flags);
	if (f->kind == VFS_WAL && rc == SQLITE_OK &&
	    (f->hdr_pending || f->commit_pending)) {
		struct wal_mark m;

		/*
		 * Durable now: say so outside the WAL. A new WAL is marked
		 * (synced) before any frame of it is written, so the mark
		 * never speaks of an older WAL than the one with frames; a
		 * lost write of a commit's mark only means less is known.
		 */
		memcpy(m.salt, f->commit_salt, 8);
		m.frames = f->commit_pending ? f->commit_end : 0;
		if (f->hdr_pending)
			rc = mark_write(f, 0, &m, 1);
		else
			(void)mark_write(f, 0, &m, 0);
	}
	if (f->kind == VFS_WAL)
		f->hdr_pending = f->commit_pending = 0;
	if (f->kind == VFS_MAIN && f->ckpt_pending && rc == SQLITE_OK)
		rc = vfs_mark_checkpoint(f);
	return rc;
}

static int
vfs_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
	struct vfs_file *f = (struct vfs_file *)file;
	sqlite3_int64 p;
	int rc;

	rc = f->real->pMethods->xFileSize(f->real, &p);
	if (rc != SQLITE_OK)
		return rc;
	switch (f->kind) {
	case VFS_MAIN:
		*size = p > HEADER_SIZE ? p - HEADER_SIZE : 0;
		break;
	case VFS_WAL:
		*size = wal_logical_size(p);
		break;
	default:
		*size = p > JRN_PREFIX && f->has_salt ? p - JRN_PREFIX : 0;
		break;
	}
	return SQLITE_OK;
}

static int
vfs_lock_file(sqlite3_file *file, int level)
{
	struct vfs_file *f = (struct vfs_file *)file;

	return f->real->pMethods->xLock(f->real, level);
}

static int
vfs_unlock(sqlite3_file *file, int level)
{
	struct vfs_file *f = (struct vfs_file *)file;

	return f->real->pMethods->xUnlock(f->real, level);
}

static int
vfs_check_reserved_lock(sqlite3_file *file, int *out)
{
	struct vfs_file *f = (struct vfs_file *)file;

	return f->real->pMethods->xCheckReservedLock(f->real, out);
}

/* Pragmas that would break the encryption are refused or pinned here. */
static int
vfs_pragma(struct vfs_file *f, char **a)
{
	const char *name = a[1], *val = a[2];

	if (sqlite3_stricmp(name, "page_size") == 0 && val != NULL &&
		atoi(val) != PAGE_SIZE) {
		a[0] = sqlite3_mprintf("page_size is fixed at %d in an "
				       "encrypted Patron database",
			PAGE_SIZE);
		return SQLITE_ERROR;
	}
	if (sqlite3_stricmp(name, "mmap_size") == 0) {
		/* Memory-mapped pages would bypass decryption. */
		a[0] = sqlite3_mprintf("0");
		return SQLITE_OK;
	}
	if (sqlite3_stricmp(name, "temp_store") == 0 && val != NULL &&
		sqlite3_stricmp(val, "memory") != 0 && strcmp(val, "2") != 0) {
		a[0] = sqlite3_mprintf("temp_store is fixed at MEMORY: "
				       "temporary files would be plaintext");
		return SQLITE_ERROR;
	}
	if (sqlite3_stricmp(name, "temp_store_directory") == 0 ||
		sqlite3_stricmp(name, "data_store_directory") == 0) {
		a[0] = sqlite3_mprintf("%s is not available", name);
		return SQLITE_ERROR;
	}
	return f->real->pMethods->xFileControl(f->real, SQLITE_FCNTL_PRAGMA, a);
}

static int
vfs_file_control(sqlite3_file *file, int op, void *arg)
{
	struct vfs_file *f = (struct vfs_file *)file;

	switch (op) {
	case SQLITE_FCNTL_PRAGMA:
		return vfs_pragma(f, arg);
	case SQLITE_FCNTL_MMAP_SIZE:
		*(sqlite3_int64 *)arg = 0;
		return SQLITE_OK;
	case SQLITE_FCNTL_SIZE_HINT:
		if (f->kind == VFS_MAIN) {
			sqlite3_int64 n = *(sqlite3_int64 *)arg + HEADER_SIZE;

			return f->real->pMethods->xFileControl(f->real, op, &n);
		}
		return SQLITE_OK;
	case SQLITE_FCNTL_CKPT_START:
	case SQLITE_FCNTL_CKPT_DONE:
		if (f->kind == VFS_MAIN && f->wal != NULL) {
			f->wal->in_ckpt = op == SQLITE_FCNTL_CKPT_START;
			f->wal->raw_valid = 0;
			if (op == SQLITE_FCNTL_CKPT_START) {
				f->wal->ckpt_end = 0;
				f->ckpt_pending = 0;
			} else {
				/* The database sync that follows (if all was
				 * copied) records it: vfs_mark_checkpoint. */
				f->ckpt_frames = f->wal->ckpt_end;
				f->ckpt_pending = f->ckpt_frames > 0;
			}
		}
		return f->real->pMethods->xFileControl(f->real, op, arg);
	case SQLITE_FCNTL_CHUNK_SIZE:
		/* Pre-extended files would end in unsealed zero pages. */
		return SQLITE_OK;
	case SQLITE_FCNTL_VFSNAME:
		*(char **)arg = sqlite3_mprintf("%s", VFS_NAME);
		return SQLITE_OK;
	default:
		return f->real->pMethods->xFileControl(f->real, op, arg);
	}
}

static int
vfs_sector_size(sqlite3_file *file)
{
	struct vfs_file *f = (struct vfs_file *)file;

	return f->real->pMethods->xSectorSize(f->real);
}

static int
vfs_device_characteristics(sqlite3_file *file)
{
	struct vfs_file *f = (struct vfs_file *)file;
	int dc = f->real->pMethods->xDeviceCharacteristics(f->real);

	/* Writes are re-laid out: promise nothing about atomic sectors. */
	return dc & (SQLITE_IOCAP_POWERSAFE_OVERWRITE |
			    SQLITE_IOCAP_UNDELETABLE_WHEN_OPEN);
}

/*
 * The WAL index is served by walidx (memory, never a file next to the
 * database), not by the unix VFS, whose NAME-shm file would hold SQLite's
 * checksum of the WAL computed over plaintext.
 */
static int
vfs_shm_attach(struct vfs_file *f)
{
	char err[sizeof vfs_error];
	int rc;

	if (f->widx != NULL)
		return SQLITE_OK;
	if (f->kind != VFS_MAIN || f->path == NULL)
		return SQLITE_IOERR_SHMOPEN;
	err[0] = '\0';
	rc = walidx_attach(f->path, &f->widx, err, sizeof err);
	if (rc != SQLITE_OK && err[0] != '\0')
		snprintf(vfs_error, sizeof vfs_error, "%s", err);
	return rc;
}

static int
vfs_shm_map(sqlite3_file *file, int pg, int sz, int extend, void volatile **pp)
{
	struct vfs_file *f = (struct vfs_file *)file;
	int rc;

	*pp = NULL;
	if ((rc = vfs_shm_attach(f)) != SQLITE_OK)
		return rc;
	return walidx_map(f->widx, pg, sz, extend, pp);
}

static int
vfs_shm_lock(sqlite3_file *file, int off, int n, int flags)
{
	struct vfs_file *f = (struct vfs_file *)file;
	int rc;

	if ((rc = vfs_shm_attach(f)) != SQLITE_OK)
		return rc;
	return walidx_lock(f->widx, off, n, flags);
}

static void
vfs_shm_barrier(sqlite3_file *file)
{
	walidx_barrier();
}

static int
vfs_shm_unmap(sqlite3_file *file, int del)
{
	struct vfs_file *f = (struct vfs_file *)file;

	walidx_detach(f->widx, del);
	f->widx = NULL;
	return SQLITE_OK;
}

/* Version 2: shared memory for WAL, but no xFetch, so nothing is mapped. */
static const sqlite3_io_methods vfs_methods = {
	.iVersion = 2,
	.xClose = vfs_close,
	.xRead = vfs_read,
	.xWrite = vfs_write,
	.xTruncate = vfs_truncate,
	.xSync = vfs_sync,
	.xFileSize = vfs_file_size,
	.xLock = vfs_lock_file,
	.xUnlock = vfs_unlock,
	.xCheckReservedLock = vfs_check_reserved_lock,
	.xFileControl = vfs_file_control,
	.xSectorSize = vfs_sector_size,
	.xDeviceCharacteristics = vfs_device_characteristics,
	.xShmMap = vfs_shm_map,
	.xShmLock = vfs_shm_lock,
	.xShmBarrier = vfs_shm_barrier,
	.xShmUnmap = vfs_shm_unmap,
};

/* ---- vfs methods -------------------------------------------------------- */

/* Read the header of a main file, or write one if the file is new. */
static int
vfs_main_header(struct vfs_file *f, int flags)
{
	uint8_t buf[HEADER_SIZE];
	struct header h;
	struct perr e;
	sqlite3_int64 size;
	int rc;

	rc = f->real->pMethods->xFileSize(f->real, &size);
	if (rc != SQLITE_OK)
		return rc;
	if (size == 0) {
		if (!(flags & SQLITE_OPEN_READWRITE))
			return SQLITE_CANTOPEN;
		/* unix creates files 0644 less the umask: these are private
		 * (set-group-ID, shared with the group). */
		chmod(f->path, priv_mode(0600, 0060));
		header_init(&h);
		memcpy(h.slots, vfs_tmpl.slots, sizeof h.slots);
		header_encode(&h, buf);
		header_encode(&h, buf + HEADER_COPY);
		rc = f->real->pMethods->xWrite(f->real, buf, HEADER_SIZE, 0);
		if (rc == SQLITE_OK)
			rc = f->real->pMethods->xSync(f->real, SQLITE_SYNC_FULL);
		if (rc != SQLITE_OK)
			return rc;
	} else if (size < HEADER_SIZE) {
		snprintf(vfs_error, sizeof vfs_error,
			"%s is truncated inside its header", f->path);
		return SQLITE_NOTADB;
	} else {
		rc = f->real->pMethods->xRead(f->real, buf, HEADER_SIZE, 0);
		if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
			return rc;
		if (header_parse(buf, size < HEADER_SIZE ? (size_t)size
							 : HEADER_SIZE,
			    &h, NULL, &e) < 0) {
			snprintf(vfs_error, sizeof vfs_error, "%s: %s",
				f->path, e.msg);
			return SQLITE_NOTADB;
		}
	}
	memcpy(f->dbid, h.db_id, DBID_BYTES);
	return SQLITE_OK;
}

/* The open main file that a WAL or journal named name belongs to. */
static struct vfs_file *
vfs_owner(const char *name)
{
	const char *db = sqlite3_filename_database(name);
	struct vfs_file *m, *same_name = NULL;

	if (db == NULL)
		return NULL;
	/* SQLite hands both files names from one allocation per connection. */
	for (m = vfs_mains; m != NULL; m = m->next) {
		if (m->path == db)
			return m;
		if (same_name == NULL && strcmp(m->path, db) == 0)
			same_name = m;
	}
	return same_name;
}

/*
 * Undo a WAL or journal open that failed before the file was: SQLite frees
 * the structure, so the main file must no longer point at it.
 */
static int
vfs_open_fail(struct vfs_file *f, int rc)
{
	pthread_mutex_lock(&vfs_lock);
	if (f->owner != NULL && f->owner->wal == f)
		f->owner->wal = NULL;
	f->owner = NULL;
	pthread_mutex_unlock(&vfs_lock);
	if (f->mark_fd >= 0)
		close(f->mark_fd);
	f->mark_fd = -1;
	keyctx_free(f->key);
	f->key = NULL;
	free(f->renamed);
	f->renamed = NULL;
	f->real->pMethods = NULL;
	return rc;
}

static int
vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
	int *out_flags)
{
	struct vfs_file *f = (struct vfs_file *)file;
	int type = flags & 0x0FFF00;
	const char *real_name = name;
	int rc;

	(void)vfs;
	memset(f, 0, sizeof *f);
	f->real = (sqlite3_file *)((char *)f + sizeof *f);
	f->fh_frame = -1;
	f->run_start = -1;
	f->mark_fd = -1;
	f->jrn_hdr = -1;
	if (name == NULL || !(type == SQLITE_OPEN_MAIN_DB ||
				     type == SQLITE_OPEN_WAL ||
				     type == SQLITE_OPEN_MAIN_JOURNAL)) {
		/* Temporary and super-journal files would hold plaintext. */
		snprintf(vfs_error, sizeof vfs_error,
			"refused to open a temporary file: temp_store must be "
			"MEMORY");
		return SQLITE_CANTOPEN;
	}
	pthread_mutex_lock(&vfs_lock);
	if (type == SQLITE_OPEN_MAIN_DB) {
		f->kind = VFS_MAIN;
		f->key = vfs_key ? keyctx_ref(vfs_key) : NULL;
	} else {
		struct vfs_file *m = vfs_owner(name);

		f->kind = type == SQLITE_OPEN_WAL ? VFS_WAL : VFS_JOURNAL;
		if (m != NULL) {
			f->key = keyctx_ref(m->key);
			memcpy(f->dbid, m->dbid, DBID_BYTES);
			if (f->kind == VFS_WAL && m->path == sqlite3_filename_database(name)) {
				f->owner = m;
				m->wal = f;
			}
		}
	}
	pthread_mutex_unlock(&vfs_lock);
	if (f->key == NULL) {
		snprintf(vfs_error, sizeof vfs_error,
			"%s: no key to open it with", name);
		return SQLITE_CANTOPEN;
	}
	if (f->kind != VFS_MAIN) {
		f->renamed = vfs_rename(name);
		if (f->renamed == name)
			f->renamed = NULL;
		else
			real_name = f->renamed;
	}
	f->path = (char *)name;
	if (f->kind == VFS_WAL) {
		/* A WAL that should hold committed frames but is gone is
		 * refused before it would be made anew, empty. */
		int exists = 0;

		rc = vfs_unix->xAccess(vfs_unix, real_name,
			SQLITE_ACCESS_EXISTS, &exists);
		if (rc == SQLITE_OK && !exists)
			rc = wal_check_open(f, 0);
		if (rc != SQLITE_OK)
			return vfs_open_fail(f, rc);
	}
	rc = vfs_unix->xOpen(vfs_unix, real_name, f->real, flags, out_flags);
	if (rc != SQLITE_OK)
		return vfs_open_fail(f, rc);
	f->base.pMethods = &vfs_methods;
	if (f->kind == VFS_MAIN)
		rc = vfs_main_header(f, flags);
	else if (f->kind == VFS_JOURNAL)
		rc = jrn_load_salt(f);
	else
		rc = wal_check_open(f, 1);
	if (rc != SQLITE_OK) {
		vfs_close(file);
		f->base.pMethods = NULL;
		return rc;
	}
	if (f->kind == VFS_MAIN) {
		pthread_mutex_lock(&vfs_lock);
		f->next = vfs_mains;
		vfs_mains = f;
		pthread_mutex_unlock(&vfs_lock);
	}
	return SQLITE_OK;
}

/* Whether the WAL name still holds committed frames the database lacks. */
static int
vfs_wal_needed(const char *name)
{
	static struct vfs_file w;	/* under vfs_lock: a big scratch */
	struct wal_need n = { 0 };
	struct vfs_file *m;

	if (!ends_with(name, "-wal"))
		return 0;
	pthread_mutex_lock(&vfs_lock);
	if ((m = vfs_owner(name)) != NULL && m->key != NULL) {
		memset(&w, 0, sizeof w);
		w.kind = VFS_WAL;
		w.path = (char *)name;
		w.key = m->key;
		w.mark_fd = -1;
		memcpy(w.dbid, m->dbid, DBID_BYTES);
		wal_need(&w, &n);
		if (w.mark_fd >= 0)
			close(w.mark_fd);
		if (n.any) {
			w.renamed = vfs_rename(name);
			wal_refuse(&w, &n, "was kept");
			free(w.renamed);
		}
	}
	pthread_mutex_unlock(&vfs_lock);
	return n.any;
}

static int
vfs_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	char *real;
	int rc;

	(void)vfs;
	if (vfs_wal_needed(name))
		return SQLITE_IOERR_DELETE;
	real = vfs_rename(name);
	rc = vfs_unix->xDelete(vfs_unix, real, sync_dir);
	if (real != name)
		free(real);
	return rc;
}

static int
vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	char *real = vfs_rename(name);
	int rc;

	(void)vfs;
	rc = vfs_unix->xAccess(vfs_unix, real, flags, out);
	if (real != name)
		free(real);
	return rc;
}

static int
vfs_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return vfs_unix->xFullPathname(vfs_unix, name, n, out);
}

static void *
vfs_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	(void)name;
	return NULL; /* no extensions inside an encrypted database */
}

static void
vfs_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	snprintf(out, (size_t)n, "extensions are disabled in Patron");
}

static void (*vfs_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	(void)h;
	(void)sym;
	return NULL;
}

static void
vfs_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	(void)h;
}

static int
vfs_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	randombytes_buf(out, (size_t)n);
	return n;
}

static int
vfs_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return vfs_unix->xSleep(vfs_unix, us);
}

static int
vfs_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return vfs_unix->xCurrentTime(vfs_unix, out);
}

static int
vfs_get_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return vfs_unix->xGetLastError(vfs_unix, n, out);
}

static int
vfs_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return vfs_unix->xCurrentTimeInt64(vfs_unix, out);
}

static sqlite3_vfs vfs_patron = {
	.iVersion = 2,
	.mxPathname = 512,
	.zName = VFS_NAME,
	.xOpen = vfs_open,
	.xDelete = vfs_delete,
	.xAccess = vfs_access,
	.xFullPathname = vfs_full_pathname,
	.xDlOpen = vfs_dlopen,
	.xDlError = vfs_dlerror,
	.xDlSym = vfs_dlsym,
	.xDlClose = vfs_dlclose,
	.xRandomness = vfs_randomness,
	.xSleep = vfs_sleep,
	.xCurrentTime = vfs_current_time,
	.xGetLastError = vfs_get_last_error,
	.xCurrentTimeInt64 = vfs_current_time_int64,
};

int
vfs_register(struct perr *e)
{
	static int done;
	int rc;

	if (done)
		return 0;
	if (sodium_init() < 0)
		return perr_set(e, PX_FAIL, "libsodium failed to initialise");
	/*
	 * No URI file names: "file:x?vfs=unix" would name a VFS that writes
	 * plaintext. Must precede SQLite's initialisation.
	 */
	if (sqlite3_config(SQLITE_CONFIG_URI, 0) != SQLITE_OK)
		return perr_set(e, PX_FAIL,
			"SQLite was initialised before Patron's VFS");
	/* No global memory statistics: a mutex on every allocation. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	vfs_unix = sqlite3_vfs_find("unix");
	if (vfs_unix == NULL)
		return perr_set(e, PX_FAIL, "SQLite has no unix VFS");
	vfs_patron.szOsFile = (int)sizeof(struct vfs_file) + vfs_unix->szOsFile;
	vfs_patron.mxPathname = vfs_unix->mxPathname;
	rc = sqlite3_vfs_register(&vfs_patron, 0);
	if (rc != SQLITE_OK)
		return perr_set(e, PX_FAIL, "cannot register the VFS: %s",
			sqlite3_errstr(rc));
	done = 1;
	return 0;
}

/* ---- whole-file operations -------------------------------------------- */

static struct vfs_file *
vfs_file_of(sqlite3 *db, struct perr *e)
{
	sqlite3_file *file = NULL;

	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER,
		    &file) != SQLITE_OK ||
		file == NULL || file->pMethods != &vfs_methods) {
		perr_set(e, PX_FAIL, "database is not open through Patron's VFS");
		return NULL;
	}
	return (struct vfs_file *)file;
}

static int
vfs_write_copy(struct vfs_file *f, const struct header *h, int which,
	struct perr *e)
{
	uint8_t buf[HEADER_COPY];
	int rc;

	header_encode(h, buf);
	rc = f->real->pMethods->xWrite(f->real, buf, HEADER_COPY,
		(sqlite3_int64)which * HEADER_COPY);
	if (rc == SQLITE_OK)
		rc = f->real->pMethods->xSync(f->real, SQLITE_SYNC_FULL);
	if (rc != SQLITE_OK)
		return perr_set(e, PX_IOERR, "cannot write the header of %s: %s",
			f->path, sqlite3_errstr(rc));
	return 0;
}

int
vfs_write_header(sqlite3 *db, struct header *h, uint64_t expect_seq,
	struct perr *e)
{
	struct vfs_file *f = vfs_file_of(db, e);
	uint8_t region[HEADER_SIZE];
	int first, rc;

	if (f == NULL)
		return -1;
	rc = f->real->pMethods->xRead(f->real, region, HEADER_SIZE, 0);
	if (rc != SQLITE_OK)
		return perr_set(e, PX_IOERR, "cannot read the header of %s",
			f->path);
	if (header_next(region, HEADER_SIZE, h, &first, e) < 0)
		return -1;
	if (h->seq != expect_seq + 1) {
		/* Another session changed the slots since ours were read. */
		return perr_set(e, PX_TEMPFAIL,
			"the key slots of %s were changed by another session: "
			"nothing was written; run the command again",
			f->path);
	}
	util_fault_point("header-before-first");
	if (getenv("PATRON_FAULT") != NULL &&
		strcmp(getenv("PATRON_FAULT"), "header-torn-first") == 0) {
		/* Simulate a write cut off half way, then the crash. */
		uint8_t half[HEADER_COPY];

		header_encode(h, half);
		f->real->pMethods->xWrite(f->real, half, HEADER_COPY / 2,
			(sqlite3_int64)first * HEADER_COPY);
		f->real->pMethods->xSync(f->real, SQLITE_SYNC_FULL);
		util_fault_point("header-torn-first");
	}
	if (vfs_write_copy(f, h, first, e) < 0)
		return -1;
	util_fault_point("header-between");
	if (vfs_write_copy(f, h, 1 - first, e) < 0)
		return -1;
	util_fault_point("header-after");
	return 0;
}

int
vfs_read_header(const char *path, struct header *h, struct perr *e)
{
	uint8_t buf[HEADER_SIZE];
	struct stat want, st;
	sqlite3_int64 size = 0;
	int fd, rc = -1, found = 0;
	long n;

	if (stat(path, &want) == 0) {
		pthread_mutex_lock(&vfs_lock);
		for (struct vfs_file *m = vfs_mains; m != NULL; m = m->next) {
			if (stat(m->path, &st) < 0 || st.st_dev != want.st_dev ||
				st.st_ino != want.st_ino)
				continue;
			found = 1;
			m->real->pMethods->xFileSize(m->real, &size);
			rc = m->real->pMethods->xRead(m->real, buf, HEADER_SIZE, 0);
			break;
		}
		pthread_mutex_unlock(&vfs_lock);
	}
	if (found) {
		if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
			return perr_set(e, PX_IOERR, "%s: cannot read", path);
		return header_parse(buf,
			size < HEADER_SIZE ? (size_t)size : HEADER_SIZE, h, NULL,
			e);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return perr_set(e, errno == EACCES ? PX_NOPERM : PX_IOERR,
			"%s: %s", path, strerror(errno));
	n = util_pread_all(fd, buf, sizeof buf, 0);
	close(fd);
	if (n < 0)
		return perr_set(e, PX_IOERR, "%s: cannot read", path);
	return header_parse(buf, (size_t)n, h, NULL, e);
}

int
vfs_poison(sqlite3 *db, struct perr *e)
{
	struct vfs_file *f = vfs_file_of(db, e);
	uint8_t junk[PAGE_SIZE];
	int rc;

	if (f == NULL)
		return -1;
	randombytes_buf(junk, sizeof junk);
	rc = f->real->pMethods->xWrite(f->real, junk, PAGE_SIZE, HEADER_SIZE);
	if (rc == SQLITE_OK)
		rc = f->real->pMethods->xSync(f->real, SQLITE_SYNC_FULL);
	return rc == SQLITE_OK ? 0
			       : perr_set(e, PX_IOERR, "cannot write %s",
					 f->path);
}

/*
 * What the WAL holds, read as SQLite's recovery reads it: frames whose
 * headers authenticate, carry the WAL header's salts and continue SQLite's
 * checksum chain; the log ends at the last commit frame before the first
 * frame that does not.
 */
struct wal_view {
	uint32_t frames;	/* committed frames */
	uint32_t npage;		/* database pages after the last commit */
	uint32_t *pgno;		/* pages the committed frames hold, sorted */
	uint32_t broken;	/* the frame the chain broke at, + 1; 0 if none */
};

/* SQLite's WAL checksum (walformat.html) over n bytes, n a multiple of 8. */
static void
wal_cksum(int native, const uint8_t *a, size_t n, uint32_t s[2])
{
	uint32_t s1 = s[0], s2 = s[1], x0, x1;

	for (size_t i = 0; i < n; i += 8) {
		if (native) {
			memcpy(&x0, a + i, 4);
			memcpy(&x1, a + i + 4, 4);
		} else {
			x0 = be32(a + i);
			x1 = be32(a + i + 4);
		}
		s1 += x0 + s2;
		s2 += x1 + s1;
	}
	s[0] = s1;
	s[1] = s2;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
wal_view_has(const struct wal_view *v, uint32_t pgno)
{
	return v->pgno != NULL && bsearch(&pgno, v->pgno, v->frames,
		sizeof pgno, u32_cmp) != NULL;
}

static void
wal_scan(struct vfs_file *w, struct wal_view *v)
{
	const uint16_t one = 1;
	struct wal_region r;
	uint8_t hdr[WAL_HDR], fh[WAL_FHDR], *page = w->scratch;
	uint32_t sum[2] = { 0, 0 }, n = 0, pg;
	sqlite3_int64 size;
	int native;

	memset(v, 0, sizeof *v);
	wal_region_at(0, &r);
	if (w->real->pMethods->xFileSize(w->real, &size) != SQLITE_OK ||
	    wal_open_region(w, &r, hdr) != SQLITE_OK)
		return;
	/* Checksums in the byte order the magic number names. */
	native = (hdr[3] & 1) == (*(const uint8_t *)&one == 0);
	wal_cksum(native, hdr, 24, sum);
	if (be32(hdr + 24) != sum[0] || be32(hdr + 28) != sum[1])
		return;
	v->pgno = xcalloc(1, sizeof *v->pgno);
	for (uint32_t i = 0; PWAL_HDR + (sqlite3_int64)(i + 1) * PWAL_FRAME <=
	     size; i++) {
		if (wal_open_fhdr(w, (long)i, NULL, fh, NULL) < 0 ||
		    memcmp(fh + 8, hdr + 16, 8) != 0 || (pg = be32(fh)) == 0 ||
		    w->real->pMethods->xRead(w->real, page, PAGE_SIZE,
			PWAL_HDR + (sqlite3_int64)i * PWAL_FRAME + PWAL_FHDR) !=
			SQLITE_OK ||
		    keyctx_open_page(w->key, w->dbid, KEYCTX_DB, pg, NULL,
			page) < 0) {
			v->broken = i + 1;
			break;
		}
		wal_cksum(native, fh, 8, sum);
		wal_cksum(native, page, PAGE_SIZE, sum);
		if (be32(fh + 16) != sum[0] || be32(fh + 20) != sum[1])
			break;	/* a frame of an older log, or a torn one */
		v->pgno = xrealloc(v->pgno, (i + 1) * sizeof *v->pgno);
		v->pgno[i] = pg;
		if (be32(fh + 4) != 0) {
			n = i + 1;
			v->npage = be32(fh + 4);
		}
	}
	v->frames = n;
	qsort(v->pgno, n, sizeof *v->pgno, u32_cmp);
	sodium_memzero(page, PAGE_SIZE);
}

/*
 * Pages the database has that neither the file nor the WAL holds: a
 * sentence into msg, or 0 if none are missing.
 */
static int
vfs_missing(const struct wal_view *v, uint32_t in_file, const char *path,
	char *msg, size_t len)
{
	uint32_t first = 0, count = 0;

	for (uint32_t pg = in_file + 1; pg <= v->npage; pg++) {
		if (pg == PENDING_PAGE + 1 || wal_view_has(v, pg))
			continue;
		if (count++ == 0)
			first = pg;
	}
	if (count == 0)
		return 0;
	snprintf(msg, len, "%u page%s from page %u of %s %s missing: the file "
		"holds %u of the database's %u pages (cut short?)", count,
		count == 1 ? "" : "s", first, path, count == 1 ? "is" : "are",
		in_file, v->npage);
	return 1;
}

/* The database's size in pages, as page 1 in the file says, or 0. */
static uint32_t
vfs_page1_size(struct vfs_file *f)
{
	uint32_t n = 0;

	if (f->real->pMethods->xRead(f->real, f->scratch, PAGE_SIZE,
		HEADER_SIZE) == SQLITE_OK &&
	    keyctx_open_page(f->key, f->dbid, KEYCTX_DB, 1, NULL,
		f->scratch) == 0 &&
	    memcmp(f->scratch + 24, f->scratch + 92, 4) == 0)
		n = be32(f->scratch + 28);
	sodium_memzero(f->scratch, PAGE_SIZE);
	return n;
}

int
vfs_describe_damage(sqlite3 *db, char *msg, size_t len)
{
	struct vfs_file *f = vfs_file_of(db, NULL);
	struct wal_view v = { 0 };
	sqlite3_int64 size;
	int found;

	if (f == NULL || f->real->pMethods->xFileSize(f->real, &size) !=
		SQLITE_OK || size < HEADER_SIZE)
		return 0;
	if (f->wal != NULL)
		wal_scan(f->wal, &v);
	if (v.npage == 0)
		v.npage = vfs_page1_size(f);
	found = vfs_missing(&v, (uint32_t)((size - HEADER_SIZE) / PAGE_SIZE),
		f->path, msg, len);
	free(v.pgno);
	return found;
}

/*
 * Authenticate every page of the database file, and the committed frames
 * of the WAL. A page of the file that fails, or a last page cut short, is
 * no damage when the WAL holds a newer copy or the database ends before it
 * (a checkpoint cut off by a crash, which the next one completes): SQLite
 * never reads it. The WAL's own frames are checked against the marks.
 */
long
vfs_check_pages(sqlite3 *db, void (*bad)(const char *msg, void *arg),
	void *arg, struct perr *e)
{
	struct vfs_file *f = vfs_file_of(db, e);
	struct wal_view v = { 0 };
	struct wal_need need;
	sqlite3_int64 size;
	long n = 0;
	char msg[512];

	if (f == NULL)
		return -1;
	if (f->real->pMethods->xFileSize(f->real, &size) != SQLITE_OK)
		return perr_set(e, PX_IOERR, "cannot stat %s", f->path);
	if (size < HEADER_SIZE)
		return perr_set(e, PX_DATAERR, "%s is truncated", f->path);
	if (f->wal != NULL) {
		wal_scan(f->wal, &v);
		wal_need(f->wal, &need);
		if (need.any && v.frames < need.hi) {
			snprintf(msg, sizeof msg, "WAL frame %u of %s %s: %u "
				"committed frames are recorded, %u replayable",
				v.frames + 1, vfs_name(f->wal),
				v.broken ? "failed authentication" : "is missing",
				need.hi, v.frames);
			bad(msg, arg);
		}
	}
	if ((size - HEADER_SIZE) % PAGE_SIZE != 0) {
		uint32_t pg = (uint32_t)((size - HEADER_SIZE) / PAGE_SIZE) + 1;

		if (!wal_view_has(&v, pg) && !(v.npage != 0 && pg > v.npage)) {
			snprintf(msg, sizeof msg, "page %u is truncated", pg);
			bad(msg, arg);
		}
	}
	for (sqlite3_int64 pg = 0; HEADER_SIZE + (pg + 1) * PAGE_SIZE <= size;
		pg++) {
		int rc;

		n++;
		if (pg == PENDING_PAGE)
			continue;
		rc = f->real->pMethods->xRead(f->real, f->scratch, PAGE_SIZE,
			HEADER_SIZE + pg * PAGE_SIZE);
		if (rc != SQLITE_OK) {
			free(v.pgno);
			return perr_set(e, PX_IOERR, "cannot read %s", f->path);
		}
		if (keyctx_open_page(f->key, f->dbid, KEYCTX_DB,
			    (uint64_t)pg + 1, NULL, f->scratch) < 0) {
			if (!wal_view_has(&v, (uint32_t)pg + 1) &&
			    !(v.npage != 0 && pg + 1 > v.npage)) {
				snprintf(msg, sizeof msg,
					"page %lld failed authentication",
					(long long)pg + 1);
				bad(msg, arg);
			}
		}
	}
	if (v.npage == 0)
		v.npage = vfs_page1_size(f);
	if (vfs_missing(&v, (uint32_t)((size - HEADER_SIZE) / PAGE_SIZE),
		f->path, msg, sizeof msg))
		bad(msg, arg);
	free(v.pgno);
	return n;
}

int
vfs_header_copies(sqlite3 *db)
{
	struct vfs_file *f = vfs_file_of(db, NULL);
	uint8_t buf[HEADER_SIZE];
	struct header h;
	struct perr e;
	int damaged = 0;

	if (f == NULL || f->real->pMethods->xRead(f->real, buf, HEADER_SIZE,
				 0) != SQLITE_OK)
		return -1;
	for (int i = 0; i < 2; i++)
		if (header_decode(buf + i * HEADER_COPY, HEADER_COPY, &h, &e) < 0)
			damaged |= 1 << i;
	sodium_memzero(&h, sizeof h);
	return damaged;
}
