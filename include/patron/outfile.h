/*
 * outfile: a file the user names for output: export -o, customer
 * export-data -o, import --skip-invalid and backup all go through here,
 * so one rule holds for all (patron(1), FILES, "Output files"):
 *
 * - a new path or a regular file is written beside it (PATH.tmp- and
 *   random hex, mode 0600) and renamed over it when complete: never half
 *   a file;
 * - a FIFO or a character device (a terminal, a pipe someone reads) is
 *   written in place and stays what it is; "-" is standard output;
 * - a symbolic link, a directory, a block device or a socket is refused
 *   (PX_CANTCREAT): renaming over a link would replace the link, and
 *   following one Patron did not make lets whoever made it choose the
 *   file replaced (Patron runs as root or set-group-ID).
 *
 * Files are opened with the user's own group (priv_open). Every error
 * names the path as the user gave it, never the file beside it.
 */
#ifndef PATRON_OUTFILE_H
#define PATRON_OUTFILE_H

#include <stdio.h>

#include "patron/util.h"

/* Only a new path or a regular file (a backup must be a real file). */
#define OUTFILE_FILE 1
/* Choose o->tmp but do not make it: the caller creates it (a backup). */
#define OUTFILE_NO_OPEN 2

struct outfile {
	const char *path;	/* as given: errors name it */
	char *tmp;		/* the file beside, renamed at commit; or NULL */
	FILE *f;		/* where to write; NULL with OUTFILE_NO_OPEN */
};

/*
 * Decide how path is written (above) and open it. With OUTFILE_FILE, "-",
 * a FIFO and a device are refused too ("-": PX_USAGE, else PX_CANTCREAT).
 * On error nothing is made and o holds nothing to release.
 */
int outfile_open(struct outfile *o, const char *path, int flags,
	struct perr *e);
/*
 * Finish: flush, sync and close, then rename the file beside over path
 * (refused, PX_CANTCREAT, if path has become something else meanwhile)
 * and sync the directory. On error the file beside is removed. Either
 * way o is released.
 */
int outfile_commit(struct outfile *o, struct perr *e);
/* Give up: close, remove the file beside, release o. */
void outfile_abort(struct outfile *o);
/* In e's message, the file beside renamed to the path given. */
void outfile_name_error(const struct outfile *o, struct perr *e);

#endif
