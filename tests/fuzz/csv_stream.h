/*
 * csv_stream: what the CSV import targets share. Each input is read twice,
 * in the default 64 KiB chunks and in chunks of a few bytes, and both
 * reads must give the same rows and the same error: the streaming reader
 * (a line at a time, capped by the limits, across chunk boundaries) may
 * not depend on how the bytes arrive. Inputs of odd length are read with
 * small limits, so every limit is reached by small inputs; even ones with
 * the real limits (run.sh lets these targets grow inputs past 1 MiB). No
 * row may pass a limit, and no input holding a NUL byte may be accepted.
 */
#ifndef PATRON_FUZZ_CSV_STREAM_H
#define PATRON_FUZZ_CSV_STREAM_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/import.h"

struct csv_stream {
	const struct import_limits *lim;
	import_row_fn check;	/* the target's own checks of a row */
	void *arg;
	long rows;
};

static int
csv_stream_row(const struct import_row *r, void *arg, struct perr *e)
{
	struct csv_stream *s = arg;
	size_t total = 0;

	if (r->nraw > s->lim->columns || ++s->rows > s->lim->rows)
		abort();
	for (int i = 0; i < r->nraw; i++) {
		size_t len = strlen(r->raw[i]);

		if (len > s->lim->field)
			abort();
		total += len;
	}
	if (total > s->lim->row)
		abort();
	return s->check(r, s->arg, e);
}

static void
csv_stream_read(const uint8_t *data, size_t size, const struct config *cfg,
	const struct import_kind *kind, import_row_fn check, void *arg)
{
	static const struct import_limits small = { 64, 256, 128, 8, 20, 0 };
	struct import_limits lim = size % 2 ? small : import_limits_default;
	struct perr e[2];
	long rc[2];

	for (int i = 0; i < 2; i++) {
		struct csv_stream s = { &lim, check, arg, 0 };
		FILE *f = fmemopen((void *)data, size, "r");

		if (f == NULL)
			abort();
		lim.chunk = i == 0 ? import_limits_default.chunk :
		    1 + size % 7;
		memset(&e[i], 0, sizeof e[i]);
		rc[i] = import_csv_limits(f, "fuzz.csv", cfg, kind, &lim,
		    csv_stream_row, &s, &e[i]);
		fclose(f);
		if (rc[i] < 0 && ((e[i].code != PX_DATAERR &&
		    e[i].code != PX_IOERR) || e[i].msg[0] == '\0' ||
		    strchr(e[i].msg, '\n') != NULL))
			abort();
		if (rc[i] >= 0 && (rc[i] != s.rows ||
		    memchr(data, '\0', size) != NULL))
			abort();
	}
	if (rc[0] != rc[1] || e[0].code != e[1].code ||
	    e[0].line != e[1].line || strcmp(e[0].msg, e[1].msg) != 0) {
		fprintf(stderr, "csv_stream: chunks of %zu and %zu differ: "
		    "%ld '%s' line %d, %ld '%s' line %d\n",
		    import_limits_default.chunk, 1 + size % 7, rc[0],
		    e[0].msg, e[0].line, rc[1], e[1].msg, e[1].line);
		abort();
	}
}

#endif
