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
 * whoever gets it exclusively is alone, and (re)creates the memory.
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

#include "patron/util.h"

#define NSLOT SQLITE_SHM_NLOCK
#define DMS_BYTE NSLOT

struct walidx_node {
	dev_t dev;		/* of the lock file */
	ino_t ino;
	int lockfd;
	int memfd;
	char name[64];
	int size;		/* region size, fixed by the first map */
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

static void
walidx_name(dev_t dev, ino_t ino, char *out, size_t outlen)
{
	snprintf(out, outlen, "/patron-%llx-%llx.walidx",
		(unsigned long long)dev, (unsigned long long)ino);
}

int
walidx_object_name(const char *dbpath, char *out, size_t outlen)
{
	char path[4096];
	struct stat st;

	walidx_lock_path(dbpath, path, sizeof path);
	if (stat(path, &st) != 0)
		return -1;
	walidx_name(st.st_dev, st.st_ino, out, outlen);
	return 0;
}

/*
 * An object made by someone else is used only if it could only have been
 * made by a session of this database: same owner as us, or the group and no
 * access for others (the shared-group deployment).
 */
static int
walidx_trusted(int memfd, const struct stat *lockst)
{
	struct stat st;

	if (fstat(memfd, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	if (st.st_uid == geteuid())
		return 1;
	return st.st_gid == lockst->st_gid && (st.st_mode & 0007) == 0;
}

/* Open the memory, alone (create it afresh) or joining others. */
static int
walidx_open_memory(struct walidx_node *n, const struct stat *lockst,
	char *err, size_t errlen)
{
	mode_t mode = lockst->st_mode & 0660;

	if (walidx_fcntl(n->lockfd, F_WRLCK, DMS_BYTE, 1) == 0) {
		if (shm_unlink(n->name) != 0 && errno != ENOENT) {
			snprintf(err, errlen, "cannot remove stale WAL index "
				"/dev/shm%s: %s", n->name, strerror(errno));
			return SQLITE_IOERR_SHMOPEN;
		}
		n->memfd = shm_open(n->name, O_RDWR | O_CREAT | O_EXCL |
			O_CLOEXEC, mode);
		if (n->memfd < 0) {
			snprintf(err, errlen, "cannot create WAL index "
				"/dev/shm%s: %s", n->name, strerror(errno));
			return SQLITE_IOERR_SHMOPEN;
		}
		(void)fchmod(n->memfd, mode);
	} else {
		if (walidx_fcntl(n->lockfd, F_RDLCK, DMS_BYTE, 1) != 0)
			return SQLITE_BUSY;
		n->memfd = shm_open(n->name, O_RDWR | O_CLOEXEC, 0);
		if (n->memfd < 0 && errno == ENOENT) {
			snprintf(err, errlen, "the WAL index /dev/shm%s was "
				"removed while another session has the "
				"database open; close all Patron sessions of "
				"it and try again", n->name);
			return SQLITE_IOERR_SHMOPEN;
		}
		if (n->memfd < 0) {
			snprintf(err, errlen, "cannot open WAL index "
				"/dev/shm%s: %s", n->name, strerror(errno));
			return SQLITE_IOERR_SHMOPEN;
		}
		if (!walidx_trusted(n->memfd, lockst)) {
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
	for (int i = 0; i < n->nregion; i++)
		if (n->regions[i] != NULL)
			munmap(n->regions[i], (size_t)n->size);
	free(n->regions);
	if (n->memfd >= 0) {
		/* Remove the memory only if no other session is attached. */
		if (del && n->lockfd >= 0 &&
		    walidx_fcntl(n->lockfd, F_WRLCK, DMS_BYTE, 1) == 0)
			shm_unlink(n->name);
		close(n->memfd);
	}
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
	int rc;

	*out = NULL;
	walidx_lock_path(dbpath, path, sizeof path);
	pthread_mutex_lock(&walidx_mutex);
	if (stat(path, &st) == 0)
		for (n = walidx_nodes; n != NULL; n = n->next)
			if (n->dev == st.st_dev && n->ino == st.st_ino)
				goto found;

	if (stat(dbpath, &dbst) != 0) {
		snprintf(err, errlen, "%s: %s", dbpath, strerror(errno));
		pthread_mutex_unlock(&walidx_mutex);
		return SQLITE_IOERR_SHMOPEN;
	}
	n = xcalloc(1, sizeof *n);
	n->memfd = -1;
	n->lockfd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		dbst.st_mode & 0660);
	if (n->lockfd < 0 || fstat(n->lockfd, &st) != 0 ||
	    !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: %s", path,
			n->lockfd < 0 ? strerror(errno) : "not a file");
		rc = SQLITE_IOERR_SHMOPEN;
		goto fail;
	}
	/* The lock file gets the database file's permissions. */
	if (st.st_uid == geteuid() && (st.st_mode & 0777) !=
	    (dbst.st_mode & 0660))
		(void)fchmod(n->lockfd, dbst.st_mode & 0660);
	n->dev = st.st_dev;
	n->ino = st.st_ino;
	walidx_name(n->dev, n->ino, n->name, sizeof n->name);
	rc = walidx_open_memory(n, &st, err, errlen);
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
	if (n->size == 0)
		n->size = size;
	if (n->size != size || region < 0) {
		rc = SQLITE_IOERR_SHMMAP;
		goto out;
	}
	if (region >= n->nregion) {
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
			(size_t)(region + 1) * sizeof *n->regions);
		for (int i = n->nregion; i <= region; i++) {
			void *p = mmap(NULL, (size_t)size,
				PROT_READ | PROT_WRITE, MAP_SHARED, n->memfd,
				(off_t)i * size);

			if (p == MAP_FAILED) {
				rc = SQLITE_IOERR_SHMMAP;
				goto out;
			}
			n->regions[i] = p;
			n->nregion = i + 1;
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
		/* Release at the system level only what no sibling holds. */
		for (int i = ofst; i < ofst + n; i++)
			if (!(others_shared & (1u << i)) &&
			    walidx_fcntl(node->lockfd, F_UNLCK, i, 1) != 0)
				rc = SQLITE_IOERR_UNLOCK;
		if (rc == SQLITE_OK) {
			w->shared &= ~mask;
			w->excl &= ~mask;
		}
	} else if (flags & SQLITE_SHM_SHARED) {
		if (others_excl & mask)
			rc = SQLITE_BUSY;
		else if (!(w->shared & mask)) {
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
