/*
 * The record format of powerlog.so's log (tests/preload/powerlog.c), read
 * by tests/helpers/crashstates.c: a header, then plen bytes of name, p2len
 * bytes of a second name (rename), then the bytes written (writes and
 * markers: len of them). Names are relative to POWERLOG_DIR.
 */
#ifndef POWERLOG_H
#define POWERLOG_H

#include <stdint.h>

#define PL_MAGIC 0x504c4f47u /* "PLOG" */

enum pl_op {
	PL_OPEN = 1, /* name, ino; off = 1 if opened with O_TRUNC */
	PL_WRITE,    /* ino, off, len, data */
	PL_TRUNC,    /* ino, off = the new size */
	PL_EXTEND,   /* ino, size at least off + len (fallocate) */
	PL_FSYNC,    /* ino: fsync or fdatasync of the file */
	PL_DIRSYNC,  /* fsync or fdatasync of POWERLOG_DIR */
	PL_SYNCALL,  /* sync(2), syncfs(2): everything */
	PL_RENAME,   /* name -> name2 */
	PL_UNLINK,   /* name */
	PL_MARK,     /* len bytes the process wrote to POWERLOG_MARK_FD */
	PL_NOP       /* recorded, changes nothing (sync_file_range) */
};

struct plrec {
	uint32_t magic, op;
	uint64_t ino;
	int64_t off, len;
	uint32_t plen, p2len;
	int32_t pid, pad;
};

#endif
