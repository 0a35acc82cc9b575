/*
 * util: errors as values, checked allocation, time, ids and small string
 * helpers shared by every layer.
 */
#ifndef PATRON_UTIL_H
#define PATRON_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Exit codes, sysexits(3), as DESIGN.md section 5 fixes them. */
enum {
	PX_OK = 0,
	PX_FAIL = 1,
	PX_USAGE = 64,
	PX_DATAERR = 65,
	PX_NOINPUT = 66,
	PX_CANTCREAT = 73,
	PX_IOERR = 74,
	PX_TEMPFAIL = 75,
	PX_NOPERM = 77,
	PX_CONFIG = 78,
};

/*
 * An error: the exit code it maps to, one line of text, and where in an
 * input it was found (file, line, column; 0 when not applicable).
 */
struct perr {
	int code;
	int line;
	int col;
	char file[256];
	char msg[512];
};

/* Fill e (if not NULL) and return -1, so callers can `return perr_set(...)`. */
int perr_set(struct perr *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same, with a location in an input file. */
int perr_at(struct perr *e, int code, const char *file, int line, int col,
	const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void perr_clear(struct perr *e);
/* Print "patron: [file:line:col: ]msg" on stderr. */
void perr_print(const struct perr *e);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Milliseconds since the Unix epoch, wall clock. */
int64_t util_now_ms(void);
/* "2026-11-22T07:14:59.123Z" into buf (at least 25 bytes). */
void util_iso_utc(int64_t ms, char *buf, size_t len);
/* A UUID version 7 (time-ordered, RFC 9562) as 36 characters plus NUL. */
void util_uuid7(char out[37]);
/*
 * A name beside path for a file written and then renamed into place:
 * "PATH.WHAT-" and 12 random hex digits. Create it with O_EXCL.
 */
char *util_temp_name(const char *path, const char *what);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void util_hex(const uint8_t *in, size_t n, char *out);

/* Write all of buf at offset, retrying on EINTR and short writes. */
int util_pwrite_all(int fd, const void *buf, size_t n, int64_t off);
/* Read up to n bytes at offset; returns bytes read (short at EOF) or -1. */
long util_pread_all(int fd, void *buf, size_t n, int64_t off);
/* fsync the directory holding path, so a rename or create is durable. */
int util_fsync_dir(const char *path);

/*
 * Test hook: when the environment variable PATRON_FAULT names this point,
 * the process kills itself with SIGKILL here (crash tests use it to stop a
 * key change at every step). Without the variable it does nothing.
 */
void util_fault_point(const char *name);

#endif
