/*
 * walidx: SQLite's WAL index in POSIX shared memory, guarded by record locks
 * on NAME-plock. See walidx.h for why.
 *
 * One node per lock file and process (POSIX locks belong to the process, and
 * closing any descriptor of a file drops them all, so each process opens the
 * lock file once), shared by all the connections of the process, each of
 * which keeps its own masks of the slots it holds, as SQLite's unix VFS does.
 *
 * Lock file bytes: 0..7 are SQLite's eight WAL-index lock slots, byte 8 is
 * the dead-man switch. Every attached session holds a shared lock on it;
 * whoever gets it exclusively is alone, and (re)creates the memory under a
 * fresh random name, which it writes into the lock file for the others
 * (an unguessable name: no other local user can take it in advance).
 */
#include "patron/walidx.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include <sodium.h>

#include "patron/util.h"

#define NSLOT SQLITE_SHM_NLOCK
#define DMS_BYTE NSLOT

struct walidx_node {
	dev_t dev;		/* of the lock file */
	ino_t ino;
	int lockfd;
	int *spare;		/* more descriptors of the lock file, kept open
				 * (closing one would drop our locks) */
	int nspare;
	int memfd;
	char name[64];
	int size;		/* region size, fixed by the first map */
	int per;		/* regions per mapping (pages over 32 KiB) */
	int nregion;
	void **regions;
	struct walidx *conns;
	struct walidx_node *next;
};

struct walidx {
	struct walidx_node *node;
	uint16_t shared;	/* slots held shared by this connection */
	uint16_t excl;		/* ... and exclusively */
	struct walidx *next;
};

static struct walidx_node *walidx_nodes;
static pthread_mutex_t walidx_mutex = PTHREAD_MUTEX_INITIALIZER;

static int
walidx_fcntl(int fd, short type, int ofst, int n)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = ofst;
	fl.l_len = n;
	return fcntl(fd, F_SETLK, &fl);
}

static void
walidx_lock_path(const char *dbpath, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s%s", dbpath, WALIDX_LOCK_SUFFIX);
}

#define WALIDX_NAME_LEN 47	/* "/patron-" 32 hex ".walidx" */

/* A fresh, unguessable object name: nobody can take it in advance. */
static void
walidx_new_name(char *out, size_t outlen)
{
	uint8_t r[16];
	char hex[33];

	randombytes_buf(r, sizeof r);
	util_hex(r, sizeof r, hex);
	snprintf(out, outlen, "/patron-%s.walidx", hex);
}

/* The name the first session wrote into the lock file; -1 if none. */
static int
walidx_read_name(int lockfd, char *out, size_t outlen)
{
	char buf[WALIDX_NAME_LEN + 1];
	long n = util_pread_all(lockfd, buf, WALIDX_NAME_LEN, 0);

	if (n != WALIDX_NAME_LEN || outlen <= WALIDX_NAME_LEN)
		return -1;
	buf[n] = '\0';
	if (strncmp(buf, "/patron-", 8) != 0 ||
	    strspn(buf + 8, "0123456789abcdef") != 32 ||
	    strcmp(buf + 40, ".walidx") != 0)
		return -1;
	memcpy(out, buf, (size_t)n + 1);
	return 0;
}

int
walidx_object_name(const char *dbpath, char *out, size_t outlen)
{
	char path[4096];
	int fd, rc;

	walidx_lock_path(dbpath, path, sizeof path);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	rc = walidx_read_name(fd, out, outlen);
	/* Only tests call this, from a process with no session open. */
	close(fd);
	return rc;
}

/*
 * An object or lock file made by someone else is used only if it could only
 * have been made by a session of this database: by us, by the database's
 * owner, or (the shared-group deployment) in the database's group when the
 * group may write the database, with no access for others.
 */
static int
walidx_trusted(const struct stat *st, const struct stat *dbst)
{
	if (!S_ISREG(st->st_mode) || (st->st_mode & 0002))
		return 0;
	if (st->st_uid == geteuid() || st->st_uid == dbst->st_uid)
		return 1;
	return st->st_gid == dbst->st_gid && (dbst->st_mode & 0020) &&
	    (st->st_mode & 0007) == 0;
}

/* Alone (holding the dead-man switch exclusively): make the memory anew. */
static int
walidx_create_memory(struct walidx_node *n, const struct stat *dbst,
	char *err, size_t errlen)
{
	mode_t mode = dbst->st_mode & 0660;
	char old[64];

	/* A stale object of an earlier run goes (if it was ours to remove). */
	if (walidx_read_name(n->lockfd, old, sizeof old) == 0)
		(void)shm_unlink(old);
	walidx_new_name(n->name, sizeof n->name);
	n->memfd = shm_open(n->name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
		mode);
	if (n->memfd < 0) {
		snprintf(err, errlen, "cannot create WAL index /dev/shm%s: %s",
			n->name, strerror(errno));
		return SQLITE_IOERR_SHMOPEN;
	}
	(void)fchmod(n->memfd, mode);
	(void)fchown(n->memfd, (uid_t)-1, dbst->st_gid);
	if (util_pwrite_all(n->lockfd, n->name, WALIDX_NAME_LEN, 0) < 0 ||
	    ftruncate(n->lockfd, WALIDX_NAME_LEN) != 0) {
		snprintf(err, errlen, "cannot write the lock file: %s",
			strerror(errno));
		shm_unlink(n->name);
		return SQLITE_IOERR_SHMOPEN;
	}
	return SQLITE_OK;
}

/* Open the memory, alone (create it afresh) or joining others. */
static int
walidx_open_memory(struct walidx_node *n, const struct stat *dbst,
	char *err, size_t errlen)
{
	struct stat st;
	int rc;

	if (walidx_fcntl(n->lockfd, F_WRLCK, DMS_BYTE, 1) == 0) {
		if ((rc = walidx_create_memory(n, dbst, err, errlen)) != SQLITE_OK)
			return rc;
	} else {
		if (walidx_fcntl(n->lockfd, F_RDLCK, DMS_BYTE, 1) != 0)
			return SQLITE_BUSY;
		if (walidx_read_name(n->lockfd, n->name, sizeof n->name) == 0)
			n->memfd = shm_open(n->name, O_RDWR | O_CLOEXEC, 0);
		else
			errno = ENOENT;
		if (n->memfd < 0 && errno == ENOENT) {
			/* The last other session may have just closed. */
			if (walidx_fcntl(n->lockfd, F_WRLCK, DMS_BYTE, 1) == 0) {
				rc = walidx_create_memory(n, dbst, err, errlen);
				if (rc != SQLITE_OK)
					return rc;
			} else {
				snprintf(err, errlen, "the WAL index /dev/shm%s "
					"was removed while another session has "
					"the database open; close all Patron "
					"sessions of it and try again", n->name);
				return SQLITE_IOERR_SHMOPEN;
			}
		} else if (n->memfd < 0) {
			snprintf(err, errlen, "cannot open WAL index "
				"/dev/shm%s: %s", n->name, strerror(errno));
			return SQLITE_IOERR_SHMOPEN;
		} else if (fstat(n->memfd, &st) != 0 ||
		    !walidx_trusted(&st, dbst)) {
			snprintf(err, errlen, "WAL index /dev/shm%s was made "
				"by another user; not using it", n->name);
			return SQLITE_IOERR_SHMOPEN;
		}
	}
	/* Downgrade (or confirm) to the shared lock every session holds. */
	if (walidx_fcntl(n->lockfd, F_RDLCK, DMS_BYTE, 1) != 0)
		return SQLITE_BUSY;
	return SQLITE_OK;
}

static void
walidx_node_free(struct walidx_node *n, int del)
{
	/* Each mapping starts at a region whose index is a multiple of per. */
	for (int i = 0; i < n->nregion; i += n->per)
		if (n->regions[i] != NULL)
			munmap(n->regions[i], (size_t)n->size * (size_t)n->per);
	free(n->regions);
	if (n->memfd >= 0) {
		/* Remove the memory only if no other session is attached. */
		if (del && n->lockfd >= 0 &&
		    walidx_fcntl(n->lockfd, F_WRLCK, DMS_BYTE, 1) == 0)
			shm_unlink(n->name);
		close(n->memfd);
	}
	for (int i = 0; i < n->nspare; i++)
		close(n->spare[i]);
	free(n->spare);
	if (n->lockfd >= 0)
		close(n->lockfd);	/* drops this process's locks */
	free(n);
}

int
walidx_attach(const char *dbpath, struct walidx **out, char *err,
	size_t errlen)
{
	char path[4096];
	struct stat dbst, st;
	struct walidx_node *n;
	struct walidx *w;
	int fd, rc;

	*out = NULL;
	walidx_lock_path(dbpath, path, sizeof path);
	pthread_mutex_lock(&walidx_mutex);
	if (stat(dbpath, &dbst) != 0) {
		snprintf(err, errlen, "%s: %s", dbpath, strerror(errno));
		pthread_mutex_unlock(&walidx_mutex);
		return SQLITE_IOERR_SHMOPEN;
	}
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		dbst.st_mode & 0660);
	if (fd < 0 || fstat(fd, &st) != 0 || !walidx_trusted(&st, &dbst)) {
		snprintf(err, errlen, "%s: %s", path, fd < 0 ? strerror(errno) :
			"not a lock file made by a session of this database");
		if (fd >= 0)
			close(fd);
		pthread_mutex_unlock(&walidx_mutex);
		return SQLITE_IOERR_SHMOPEN;
	}
	/* This process has the file open already: keep the descriptor (to
	 * close it would drop the locks taken through the other one). */
	for (n = walidx_nodes; n != NULL; n = n->next)
		if (n->dev == st.st_dev && n->ino == st.st_ino) {
			n->spare = xrealloc(n->spare, (size_t)(n->nspare + 1) *
				sizeof *n->spare);
			n->spare[n->nspare++] = fd;
			goto found;
		}
	n = xcalloc(1, sizeof *n);
	n->memfd = -1;
	n->lockfd = fd;
	/* The lock file gets the database file's permissions and group. */
	if (st.st_uid == geteuid() && (st.st_mode & 0777) !=
	    (dbst.st_mode & 0660))
		(void)fchmod(fd, dbst.st_mode & 0660);
	if (st.st_uid == geteuid() && st.st_gid != dbst.st_gid)
		(void)fchown(fd, (uid_t)-1, dbst.st_gid);
	n->dev = st.st_dev;
	n->ino = st.st_ino;
	rc = walidx_open_memory(n, &dbst, err, errlen);
	if (rc != SQLITE_OK)
		goto fail;
	n->next = walidx_nodes;
	walidx_nodes = n;
found:
	w = xcalloc(1, sizeof *w);
	w->node = n;
	w->next = n->conns;
	n->conns = w;
	pthread_mutex_unlock(&walidx_mutex);
	*out = w;
	return SQLITE_OK;
fail:
	walidx_node_free(n, 0);
	pthread_mutex_unlock(&walidx_mutex);
	return rc;
}

int
walidx_map(struct walidx *w, int region, int size, int extend,
	void volatile **pp)
{
	struct walidx_node *n = w->node;
	struct stat st;
	off_t need;
	int rc = SQLITE_OK;

	*pp = NULL;
	pthread_mutex_lock(&walidx_mutex);
	if (n->size == 0) {
		long pg = sysconf(_SC_PAGESIZE);

		n->size = size;
		/* mmap offsets must be page-aligned: with pages larger than
		 * a region, map several regions at a time (as SQLite does). */
		n->per = pg > size && size > 0 ? (int)(pg / size) : 1;
	}
	if (n->size != size || region < 0) {
		rc = SQLITE_IOERR_SHMMAP;
		goto out;
	}
	if (region >= n->nregion) {
		int upto = (region / n->per + 1) * n->per;	/* regions mapped */

		need = (off_t)(region + 1) * size;
		if (fstat(n->memfd, &st) != 0) {
			rc = SQLITE_IOERR_SHMSIZE;
			goto out;
		}
		if (st.st_size < need) {
			if (!extend)
				goto out;
			/* Reserve the pages now: a full tmpfs is an error
			 * here, not a SIGBUS when SQLite writes. */
			if (posix_fallocate(n->memfd, 0, need) != 0) {
				rc = SQLITE_IOERR_SHMSIZE;
				goto out;
			}
		}
		n->regions = xrealloc(n->regions,
			(size_t)upto * sizeof *n->regions);
		for (int i = n->nregion; i < upto; i += n->per) {
			char *p = mmap(NULL, (size_t)size * (size_t)n->per,
				PROT_READ | PROT_WRITE, MAP_SHARED, n->memfd,
				(off_t)i * size);

			if (p == MAP_FAILED) {
				rc = SQLITE_IOERR_SHMMAP;
				goto out;
			}
			for (int k = 0; k < n->per; k++)
				n->regions[i + k] = p + (size_t)k * (size_t)size;
			n->nregion = i + n->per;
		}
	}
	*pp = n->regions[region];
out:
	pthread_mutex_unlock(&walidx_mutex);
	return rc;
}

int
walidx_lock(struct walidx *w, int ofst, int n, int flags)
{
	struct walidx_node *node = w->node;
	uint16_t mask, others_shared = 0, others_excl = 0;
	int rc = SQLITE_OK;

	if (ofst < 0 || n < 1 || ofst + n > NSLOT)
		return SQLITE_IOERR_SHMLOCK;
	mask = (uint16_t)(((1u << (ofst + n)) - 1) & ~((1u << ofst) - 1));
	pthread_mutex_lock(&walidx_mutex);
	for (struct walidx *x = node->conns; x != NULL; x = x->next)
		if (x != w) {
			others_shared |= x->shared;
			others_excl |= x->excl;
		}
	if (flags & SQLITE_SHM_UNLOCK) {
		/* Only what this connection holds; at the system level only
		 * what no sibling holds too. */
		uint16_t held = mask & (w->shared | w->excl);

		for (int i = ofst; i < ofst + n; i++)
			if ((held & (1u << i)) && !(others_shared & (1u << i)) &&
			    walidx_fcntl(node->lockfd, F_UNLCK, i, 1) != 0)
				rc = SQLITE_IOERR_UNLOCK;
		w->shared &= ~held;
		w->excl &= ~held;
	} else if (flags & SQLITE_SHM_SHARED) {
		if (others_excl & mask)
			rc = SQLITE_BUSY;
		else if (!((w->shared | w->excl) & mask)) {
			/* (Held exclusively already: that covers it.) */
			if (!(others_shared & mask) &&
			    walidx_fcntl(node->lockfd, F_RDLCK, ofst, n) != 0)
				rc = SQLITE_BUSY;
			else
				w->shared |= mask;
		}
	} else {
		if ((others_shared | others_excl) & mask)
			rc = SQLITE_BUSY;
		else if (walidx_fcntl(node->lockfd, F_WRLCK, ofst, n) != 0)
			rc = SQLITE_BUSY;
		else
			w->excl |= mask;
	}
	pthread_mutex_unlock(&walidx_mutex);
	return rc;
}

void
walidx_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	pthread_mutex_lock(&walidx_mutex);
	pthread_mutex_unlock(&walidx_mutex);
}

void
walidx_detach(struct walidx *w, int del)
{
	struct walidx_node *n;

	if (w == NULL)
		return;
	n = w->node;
	pthread_mutex_lock(&walidx_mutex);
	for (struct walidx **pp = &n->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	/* A connection that goes away drops what it held. */
	for (int i = 0; i < NSLOT; i++) {
		uint16_t bit = (uint16_t)(1u << i), held = 0;

		if (!((w->shared | w->excl) & bit))
			continue;
		for (struct walidx *x = n->conns; x != NULL; x = x->next)
			held |= x->shared;
		if (!(held & bit))
			walidx_fcntl(n->lockfd, F_UNLCK, i, 1);
	}
	free(w);
	if (n->conns == NULL) {
		for (struct walidx_node **pp = &walidx_nodes; *pp != NULL;
		     pp = &(*pp)->next)
			if (*pp == n) {
				*pp = n->next;
				break;
			}
		walidx_node_free(n, del);
	}
	pthread_mutex_unlock(&walidx_mutex);
}
