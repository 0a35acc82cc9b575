/*
 * perr: errors as values, and the one line that reports one on stderr.
 */
#include "patron/perr.h"
#include "patron/safe.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
perr_set(struct perr *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	perr_clear(e);
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int
perr_at(struct perr *e, int code, const char *file, int line, int col,
	const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	perr_clear(e);
	e->code = code;
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void
perr_clear(struct perr *e)
{
	memset(e, 0, sizeof *e);
}

void
perr_print(const struct perr *e)
{
	const char *msg = e->msg[0] || e->file[0] ? e->msg : "error";

	/* Messages echo what people typed and file names: one line, safe. */
	fputs("patron: ", stderr);
	if (e->file[0] != '\0') {
		safe_write(stderr, e->file, strlen(e->file), 0);
		if (e->line > 0)
			fprintf(stderr, ":%d", e->line);
		if (e->line > 0 && e->col > 0)
			fprintf(stderr, ":%d", e->col);
		fputs(": ", stderr);
	}
	safe_write(stderr, msg, strlen(msg), 0);
	fputc('\n', stderr);
}
