/*
 * perr: an error as a value (exit code, one line, where in an input), and
 * the exit codes DESIGN.md fixes.
 */
#ifndef PATRON_PERR_H
#define PATRON_PERR_H

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

#endif
