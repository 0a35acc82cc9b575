/*
 * powerlog.so: an LD_PRELOAD library that records what a power cut could
 * lose. For every regular file in one directory (POWERLOG_DIR) it appends a
 * record to POWERLOG_OUT for each open, write, truncate, sync, rename and
 * unlink, by inode, with the bytes written; a sync of the directory itself
 * is recorded too. tests/helpers/crashstates.c rebuilds the files from the
 * log as a power cut at any point could have left them.
 *
 * Each record is one write(2) to a file opened with O_APPEND, so several
 * processes can share a log and a kill -9 leaves every record whole but
 * perhaps the last. With POWERLOG_MARK_FD=N, writes to descriptor N (the
 * writer's "committed n" lines on standard output) are recorded as markers
 * in the same order. The record layout is struct plrec in powerlog.h.
 *
 * Only calls made through the dynamic linker are seen: SQLite's unix VFS
 * (open64, pwrite64, ftruncate64, fdatasync, unlink) and Patron's own
 * (open, pwrite, write, fsync, rename); stdio's internal writes are not.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "powerlog.h"

#define MAXFD 4096

enum { T_NONE, T_FILE, T_DIR };

static struct {
	int kind;
	uint64_t ino;
} fds[MAXFD];

static pthread_mutex_t pl_mu = PTHREAD_MUTEX_INITIALIZER;
static char pl_dir[PATH_MAX];
static size_t pl_dirlen;
static int pl_out = -1, pl_mark = -1, pl_ready;

static int (*r_open)(const char *, int, ...);
static int (*r_open64)(const char *, int, ...);
static int (*r_openat)(int, const char *, int, ...);
static int (*r_openat64)(int, const char *, int, ...);
static int (*r_creat)(const char *, mode_t);
static int (*r_creat64)(const char *, mode_t);
static ssize_t (*r_write)(int, const void *, size_t);
static ssize_t (*r_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*r_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*r_writev)(int, const struct iovec *, int);
static ssize_t (*r_pwritev)(int, const struct iovec *, int, off_t);
static ssize_t (*r_pwritev64)(int, const struct iovec *, int, off_t);
static int (*r_ftruncate)(int, off_t);
static int (*r_ftruncate64)(int, off_t);
static int (*r_truncate)(const char *, off_t);
static int (*r_truncate64)(const char *, off_t);
static int (*r_fallocate)(int, int, off_t, off_t);
static int (*r_fallocate64)(int, int, off_t, off_t);
static int (*r_posix_fallocate)(int, off_t, off_t);
static int (*r_posix_fallocate64)(int, off_t, off_t);
static int (*r_fsync)(int);
static int (*r_fdatasync)(int);
static int (*r_sync_file_range)(int, off_t, off_t, unsigned int);
static void (*r_sync)(void);
static int (*r_syncfs)(int);
static int (*r_rename)(const char *, const char *);
static int (*r_renameat)(int, const char *, int, const char *);
static int (*r_unlink)(const char *);
static int (*r_unlinkat)(int, const char *, int);
static int (*r_close)(int);

#define NEXT(name) (r_##name = (__typeof__(r_##name))dlsym(RTLD_NEXT, #name))

/* The real functions: on first use, which may come before pl_init. */
static void
pl_resolve(void)
{
	NEXT(open), NEXT(open64), NEXT(openat), NEXT(openat64);
	NEXT(creat), NEXT(creat64), NEXT(write), NEXT(pwrite);
	NEXT(pwrite64), NEXT(writev), NEXT(pwritev), NEXT(pwritev64);
	NEXT(ftruncate), NEXT(ftruncate64), NEXT(truncate), NEXT(truncate64);
	NEXT(fallocate), NEXT(fallocate64), NEXT(posix_fallocate);
	NEXT(posix_fallocate64), NEXT(fsync), NEXT(fdatasync);
	NEXT(sync_file_range), NEXT(sync), NEXT(syncfs), NEXT(rename);
	NEXT(renameat), NEXT(unlink), NEXT(unlinkat), NEXT(close);
}

#define REAL(name) (r_##name != NULL ? (void)0 : pl_resolve(), r_##name)

__attribute__((constructor)) static void
pl_init(void)
{
	const char *dir = getenv("POWERLOG_DIR"), *out = getenv("POWERLOG_OUT");
	const char *mark = getenv("POWERLOG_MARK_FD");

	pl_resolve();
	if (dir == NULL || out == NULL || realpath(dir, pl_dir) == NULL)
		return;
	pl_dirlen = strlen(pl_dir);
	pl_out = REAL(open)(
		out, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (pl_out < 0) {
		fprintf(stderr, "powerlog: %s: %s\n", out, strerror(errno));
		_exit(70);
	}
	if (mark != NULL && *mark != '\0')
		pl_mark = atoi(mark);
	pl_ready = 1;
}

/* The absolute path of (dirfd, path), without resolving the last part. */
static int
pl_abs(int dirfd, const char *path, char *out)
{
	char base[PATH_MAX];

	if (path == NULL)
		return -1;
	if (path[0] == '/')
		return snprintf(out, PATH_MAX, "%s", path) < PATH_MAX ? 0 : -1;
	if (dirfd == AT_FDCWD) {
		if (getcwd(base, sizeof base) == NULL)
			return -1;
	} else if (dirfd >= 0 && dirfd < MAXFD && fds[dirfd].kind == T_DIR) {
		snprintf(base, sizeof base, "%s", pl_dir);
	} else {
		return -1;
	}
	return snprintf(out, PATH_MAX, "%s/%s", base, path) < PATH_MAX ? 0 : -1;
}

/* The name of path inside POWERLOG_DIR, or NULL if it is elsewhere. */
static const char *
pl_name(int dirfd, const char *path, char *buf)
{
	char *slash;

	if (!pl_ready || pl_abs(dirfd, path, buf) < 0)
		return NULL;
	slash = strrchr(buf, '/');
	if (slash == NULL || (size_t)(slash - buf) != pl_dirlen ||
		strncmp(buf, pl_dir, pl_dirlen) != 0 || slash[1] == '\0')
		return NULL;
	return slash + 1;
}

static void
pl_emit(uint32_t op, uint64_t ino, int64_t off, int64_t len, const char *p,
	const char *p2, const struct iovec *iov, int iovcnt)
{
	struct plrec r = {PL_MAGIC, op, ino, off, len, 0, 0, 0, 0};
	size_t total, at;
	char *buf;
	int saved = errno;

	r.plen = p ? (uint32_t)strlen(p) : 0;
	r.p2len = p2 ? (uint32_t)strlen(p2) : 0;
	r.pid = (int32_t)getpid();
	total = sizeof r + r.plen + r.p2len + (iov ? (size_t)len : 0);
	buf = malloc(total);
	if (buf == NULL)
		abort();
	memcpy(buf, &r, sizeof r);
	at = sizeof r;
	memcpy(buf + at, p, r.plen);
	at += r.plen;
	memcpy(buf + at, p2, r.p2len);
	at += r.p2len;
	for (int i = 0; iov && i < iovcnt && at < total; i++) {
		size_t n = iov[i].iov_len;

		if (n > total - at)
			n = total - at;
		memcpy(buf + at, iov[i].iov_base, n);
		at += n;
	}
	pthread_mutex_lock(&pl_mu);
	if (REAL(write)(pl_out, buf, total) != (ssize_t)total)
		abort();
	pthread_mutex_unlock(&pl_mu);
	free(buf);
	errno = saved;
}

static int
pl_kind(int fd)
{
	return pl_ready && fd >= 0 && fd < MAXFD ? fds[fd].kind : T_NONE;
}

static int
pl_opened(int fd, int dirfd, const char *path, int flags)
{
	char buf[PATH_MAX], real[PATH_MAX];
	const char *name;
	struct stat st;

	if (fd < 0 || fd >= MAXFD || !pl_ready)
		return fd;
	fds[fd].kind = T_NONE;
	if (pl_abs(dirfd, path, buf) == 0 && realpath(buf, real) != NULL &&
		strcmp(real, pl_dir) == 0) {
		fds[fd].kind = T_DIR;
		return fd;
	}
	name = pl_name(dirfd, path, buf);
	if (name == NULL || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return fd;
	fds[fd].kind = T_FILE;
	fds[fd].ino = st.st_ino;
	pl_emit(PL_OPEN, st.st_ino, (flags & O_TRUNC) != 0, 0, name, NULL, NULL,
		0);
	return fd;
}

#define OPEN_MODE(flags, mode)                                                 \
	do {                                                                   \
		if ((flags) & (O_CREAT | __O_TMPFILE)) {                       \
			va_list ap;                                            \
			va_start(ap, flags);                                   \
			mode = va_arg(ap, mode_t);                             \
			va_end(ap);                                            \
		}                                                              \
	} while (0)

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return pl_opened(REAL(open)(path, flags, mode), AT_FDCWD, path, flags);
}

int
open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return pl_opened(
		REAL(open64)(path, flags, mode), AT_FDCWD, path, flags);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return pl_opened(
		REAL(openat)(dirfd, path, flags, mode), dirfd, path, flags);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return pl_opened(
		REAL(openat64)(dirfd, path, flags, mode), dirfd, path, flags);
}

int
creat(const char *path, mode_t mode)
{
	return pl_opened(REAL(creat)(path, mode), AT_FDCWD, path, O_TRUNC);
}

int
creat64(const char *path, mode_t mode)
{
	return pl_opened(REAL(creat64)(path, mode), AT_FDCWD, path, O_TRUNC);
}

static void
pl_wrote(int fd, ssize_t n, off_t off, const struct iovec *iov, int iovcnt)
{
	if (n <= 0)
		return;
	if (pl_kind(fd) == T_FILE)
		pl_emit(PL_WRITE, fds[fd].ino, off, n, NULL, NULL, iov, iovcnt);
}

ssize_t
write(int fd, const void *p, size_t n)
{
	struct iovec v = {(void *)p, n};
	ssize_t w = REAL(write)(fd, p, n);

	if (w > 0 && pl_ready && fd == pl_mark)
		pl_emit(PL_MARK, 0, 0, w, NULL, NULL, &v, 1);
	else if (w > 0 && pl_kind(fd) == T_FILE)
		pl_wrote(fd, w, lseek(fd, 0, SEEK_CUR) - w, &v, 1);
	return w;
}

ssize_t
pwrite(int fd, const void *p, size_t n, off_t off)
{
	struct iovec v = {(void *)p, n};
	ssize_t w = REAL(pwrite)(fd, p, n, off);

	pl_wrote(fd, w, off, &v, 1);
	return w;
}

ssize_t
pwrite64(int fd, const void *p, size_t n, off_t off)
{
	struct iovec v = {(void *)p, n};
	ssize_t w = REAL(pwrite64)(fd, p, n, off);

	pl_wrote(fd, w, off, &v, 1);
	return w;
}

ssize_t
writev(int fd, const struct iovec *iov, int cnt)
{
	ssize_t w = REAL(writev)(fd, iov, cnt);

	if (w > 0 && pl_ready && fd == pl_mark)
		pl_emit(PL_MARK, 0, 0, w, NULL, NULL, iov, cnt);
	else if (w > 0 && pl_kind(fd) == T_FILE)
		pl_wrote(fd, w, lseek(fd, 0, SEEK_CUR) - w, iov, cnt);
	return w;
}

ssize_t
pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	ssize_t w = REAL(pwritev)(fd, iov, cnt, off);

	pl_wrote(fd, w, off, iov, cnt);
	return w;
}

ssize_t
pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
{
	ssize_t w = REAL(pwritev64)(fd, iov, cnt, off);

	pl_wrote(fd, w, off, iov, cnt);
	return w;
}

static int
pl_sized(int rc, int fd, uint32_t op, off_t a, off_t b)
{
	if (rc == 0 && pl_kind(fd) == T_FILE)
		pl_emit(op, fds[fd].ino, a, b, NULL, NULL, NULL, 0);
	return rc;
}

int
ftruncate(int fd, off_t len)
{
	return pl_sized(REAL(ftruncate)(fd, len), fd, PL_TRUNC, len, 0);
}

int
ftruncate64(int fd, off_t len)
{
	return pl_sized(REAL(ftruncate64)(fd, len), fd, PL_TRUNC, len, 0);
}

static int
pl_truncated(int rc, const char *path, off_t len)
{
	char buf[PATH_MAX];
	const char *name = rc == 0 ? pl_name(AT_FDCWD, path, buf) : NULL;
	struct stat st;

	if (name != NULL && stat(path, &st) == 0)
		pl_emit(PL_TRUNC, st.st_ino, len, 0, name, NULL, NULL, 0);
	return rc;
}

int
truncate(const char *path, off_t len)
{
	return pl_truncated(REAL(truncate)(path, len), path, len);
}

int
truncate64(const char *path, off_t len)
{
	return pl_truncated(REAL(truncate64)(path, len), path, len);
}

/* Allocation without FALLOC_FL_KEEP_SIZE grows the file: an extension. */
int
fallocate(int fd, int mode, off_t off, off_t len)
{
	return pl_sized(REAL(fallocate)(fd, mode, off, len), fd,
		mode == 0 ? PL_EXTEND : PL_NOP, off, len);
}

int
fallocate64(int fd, int mode, off_t off, off_t len)
{
	return pl_sized(REAL(fallocate64)(fd, mode, off, len), fd,
		mode == 0 ? PL_EXTEND : PL_NOP, off, len);
}

int
posix_fallocate(int fd, off_t off, off_t len)
{
	return pl_sized(
		REAL(posix_fallocate)(fd, off, len), fd, PL_EXTEND, off, len);
}

int
posix_fallocate64(int fd, off_t off, off_t len)
{
	return pl_sized(
		REAL(posix_fallocate64)(fd, off, len), fd, PL_EXTEND, off, len);
}

static int
pl_synced(int rc, int fd)
{
	int k = rc == 0 ? pl_kind(fd) : T_NONE;

	if (k == T_FILE)
		pl_emit(PL_FSYNC, fds[fd].ino, 0, 0, NULL, NULL, NULL, 0);
	else if (k == T_DIR)
		pl_emit(PL_DIRSYNC, 0, 0, 0, NULL, NULL, NULL, 0);
	return rc;
}

int
fsync(int fd)
{
	return pl_synced(REAL(fsync)(fd), fd);
}

int
fdatasync(int fd)
{
	return pl_synced(REAL(fdatasync)(fd), fd);
}

/* Starts write-back but promises nothing: recorded, never a sync point. */
int
sync_file_range(int fd, off_t off, off_t n, unsigned int flags)
{
	return pl_sized(
		REAL(sync_file_range)(fd, off, n, flags), fd, PL_NOP, off, n);
}

void
sync(void)
{
	REAL(sync)();
	if (pl_ready)
		pl_emit(PL_SYNCALL, 0, 0, 0, NULL, NULL, NULL, 0);
}

int
syncfs(int fd)
{
	int rc = REAL(syncfs)(fd);

	if (rc == 0 && pl_ready)
		pl_emit(PL_SYNCALL, 0, 0, 0, NULL, NULL, NULL, 0);
	return rc;
}

static int
pl_renamed(int rc, int d1, const char *from, int d2, const char *to)
{
	char b1[PATH_MAX], b2[PATH_MAX];
	const char *n1, *n2;

	if (rc != 0 || !pl_ready)
		return rc;
	n1 = pl_name(d1, from, b1);
	n2 = pl_name(d2, to, b2);
	/* A move across the directory's edge is a create or an unlink. */
	if (n1 != NULL && n2 != NULL)
		pl_emit(PL_RENAME, 0, 0, 0, n1, n2, NULL, 0);
	else if (n1 != NULL)
		pl_emit(PL_UNLINK, 0, 0, 0, n1, NULL, NULL, 0);
	else if (n2 != NULL) {
		struct stat st;

		if (stat(b2, &st) == 0)
			pl_emit(PL_OPEN, st.st_ino, 0, 0, n2, NULL, NULL, 0);
	}
	return rc;
}

int
rename(const char *from, const char *to)
{
	return pl_renamed(REAL(rename)(from, to), AT_FDCWD, from, AT_FDCWD, to);
}

int
renameat(int d1, const char *from, int d2, const char *to)
{
	return pl_renamed(REAL(renameat)(d1, from, d2, to), d1, from, d2, to);
}

static int
pl_unlinked(int rc, int dirfd, const char *path)
{
	char buf[PATH_MAX];
	const char *name = rc == 0 ? pl_name(dirfd, path, buf) : NULL;

	if (name != NULL)
		pl_emit(PL_UNLINK, 0, 0, 0, name, NULL, NULL, 0);
	return rc;
}

int
unlink(const char *path)
{
	return pl_unlinked(REAL(unlink)(path), AT_FDCWD, path);
}

int
unlinkat(int dirfd, const char *path, int flags)
{
	return pl_unlinked(REAL(unlinkat)(dirfd, path, flags), dirfd, path);
}

int
close(int fd)
{
	if (fd >= 0 && fd < MAXFD)
		fds[fd].kind = T_NONE;
	return REAL(close)(fd);
}
