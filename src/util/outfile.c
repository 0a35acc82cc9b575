/*
 * outfile: where a file the user names for output is written, and how
 * (the rule is in outfile.h and patron(1) FILES). Before this, every
 * command renamed a file of its own over whatever the path was, and as
 * root `-o /dev/null` replaced the system's /dev/null.
 */
#include "patron/outfile.h"
#include "patron/priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What path is, as lstat says, for a message; NULL if it may be replaced. */
static const char *
outfile_refused(const struct stat *st, int flags)
{
	if (S_ISREG(st->st_mode))
		return NULL;
	if (S_ISLNK(st->st_mode))
		return "a symbolic link: refused, name the file it points to";
	if (S_ISDIR(st->st_mode))
		return "a directory";
	if ((S_ISFIFO(st->st_mode) || S_ISCHR(st->st_mode)) &&
	    !(flags & OUTFILE_FILE))
		return NULL;
	if (S_ISFIFO(st->st_mode))
		return "a FIFO, not a file: refused";
	if (S_ISCHR(st->st_mode))
		return "a device, not a file: refused";
	if (S_ISBLK(st->st_mode))
		return "a block device: refused";
	return "not a regular file: refused";
}

/* lstat as the user: Patron's group must not tell what is in its files. */
static int
outfile_lstat(const char *path, struct stat *st)
{
	int rc;

	if (priv_user() < 0)
		return -1;
	rc = lstat(path, st);
	priv_group();
	return rc;
}

/* A FIFO or a character device, written where it is (never renamed). */
static int
outfile_in_place(struct outfile *o, struct perr *e)
{
	struct stat st;
	int fd;

	/* No O_CREAT, no O_TRUNC: it must still be what lstat saw. */
	fd = priv_open(o->path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
	    0);
	if (fd < 0)
		return perr_set(e, PX_CANTCREAT, "%s: %s", o->path,
		    strerror(errno));
	if (fstat(fd, &st) != 0 ||
	    !(S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
		close(fd);
		return perr_set(e, PX_CANTCREAT, "%s: changed while it was "
		    "opened: refused", o->path);
	}
	if ((o->f = fdopen(fd, "w")) == NULL) {
		close(fd);
		return perr_set(e, PX_CANTCREAT, "%s: %s", o->path,
		    strerror(errno));
	}
	return 0;
}

int
outfile_open(struct outfile *o, const char *path, int flags, struct perr *e)
{
	const char *why;
	struct stat st;
	int fd;

	memset(o, 0, sizeof *o);
	o->path = path;
	if (strcmp(path, "-") == 0) {
		if (flags & OUTFILE_FILE)
			return perr_set(e, PX_USAGE, "-: a file is needed here, "
			    "not standard output");
		o->f = stdout;
		return 0;
	}
	if (*path == '\0')
		return perr_set(e, PX_USAGE, "an empty file name");
	if (outfile_lstat(path, &st) == 0) {
		if ((why = outfile_refused(&st, flags)) != NULL)
			return perr_set(e, PX_CANTCREAT, "%s: %s", path, why);
		if (!S_ISREG(st.st_mode))
			return outfile_in_place(o, e);
	} else if (errno != ENOENT)
		return perr_set(e, PX_CANTCREAT, "%s: %s", path,
		    strerror(errno));
	/* A new path or a regular file: beside it, renamed when complete. */
	o->tmp = util_temp_name(path, "tmp");
	if (flags & OUTFILE_NO_OPEN)
		return 0;
	fd = priv_open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0 || (o->f = fdopen(fd, "w")) == NULL) {
		perr_set(e, PX_CANTCREAT, "%s: cannot create: %s", path,
		    strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	return 0;
}

int
outfile_commit(struct outfile *o, struct perr *e)
{
	struct stat st;
	int rc = 0;

	if (o->f == stdout) {
		fflush(stdout);	/* main reports a failed standard output */
		o->f = NULL;
		return 0;
	}
	if (o->f != NULL) {
		/* fsync is for files: a FIFO or a terminal has nothing to sync. */
		if (fflush(o->f) != 0 || (o->tmp != NULL &&
		    fsync(fileno(o->f)) != 0))
			rc = perr_set(e, PX_IOERR, "%s: cannot write: %s",
			    o->path, strerror(errno));
		if (fclose(o->f) != 0 && rc == 0)
			rc = perr_set(e, PX_IOERR, "%s: cannot write: %s",
			    o->path, strerror(errno));
		o->f = NULL;
	}
	if (o->tmp == NULL)
		return rc;
	/* What was checked at the start is checked again at the end. */
	if (rc == 0 && outfile_lstat(o->path, &st) == 0 &&
	    !S_ISREG(st.st_mode))
		rc = perr_set(e, PX_CANTCREAT, "%s: no longer a regular file: "
		    "refused", o->path);
	if (rc == 0 && rename(o->tmp, o->path) != 0)
		rc = perr_set(e, PX_CANTCREAT, "%s: cannot create: %s",
		    o->path, strerror(errno));
	if (rc == 0)
		util_fsync_dir(o->path);
	else
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return rc;
}

void
outfile_abort(struct outfile *o)
{
	if (o->f != NULL && o->f != stdout)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
}

void
outfile_name_error(const struct outfile *o, struct perr *e)
{
	char out[sizeof e->msg];
	size_t n, len = 0, tl;
	const char *p, *hit;

	if (o->tmp == NULL || e == NULL || strstr(e->msg, o->tmp) == NULL)
		return;
	tl = strlen(o->tmp);
	for (p = e->msg; (hit = strstr(p, o->tmp)) != NULL; p = hit + tl) {
		n = (size_t)(hit - p);
		len += (size_t)snprintf(out + len, sizeof out - len, "%.*s%s",
		    (int)n, p, o->path);
		if (len >= sizeof out)
			break;
	}
	if (len < sizeof out)
		snprintf(out + len, sizeof out - len, "%s", p);
	snprintf(e->msg, sizeof e->msg, "%s", out);
}
