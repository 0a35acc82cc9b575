/*
 * test_import: the CSV reader's streaming. An endless stream of valid rows
 * stops at the limit of rows (too slow to reach through the command line),
 * and the rows and their line numbers do not depend on how the bytes
 * arrive (chunks of 1 to 17 bytes against the default 64 KiB).
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "patron/import.h"

/* A file with no end in sight: a header, then the same row, ten more
 * times than the limit of rows (so a reader without the limit ends, and
 * this test fails instead of hanging). */
struct endless {
	const char *head, *row;
	size_t at;		/* bytes of head given so far */
	size_t rowat;
	long rows;		/* rows given so far */
};

static ssize_t
endless_read(void *cookie, char *buf, size_t size)
{
	struct endless *s = cookie;
	size_t n = 0, hl = strlen(s->head), rl = strlen(s->row);

	while (n < size && s->at < hl)
		buf[n++] = s->head[s->at++];
	while (n < size && s->rows < IMPORT_ROWS_MAX + 10) {
		buf[n++] = s->row[s->rowat++];
		if (s->rowat == rl) {
			s->rowat = 0;
			s->rows++;
		}
	}
	return (ssize_t)n;
}

static int
count_row(const struct import_row *r, void *arg, struct perr *e)
{
	long *n = arg;

	(void)r;
	(void)e;
	++*n;
	return 0;
}

static void
test_rows_limit(void **state)
{
	cookie_io_functions_t io = { endless_read, NULL, NULL, NULL };
	struct endless s = { "name\n", "Ann\n", 0, 0, 0 };
	struct config cfg;
	struct perr e;
	long rows = 0;
	FILE *f = fopencookie(&s, "r", io);

	(void)state;
	assert_non_null(f);
	config_defaults(&cfg);
	memset(&e, 0, sizeof e);
	assert_int_equal(import_csv(f, "endless", &cfg, count_row, &rows, &e),
		-1);
	assert_int_equal(rows, IMPORT_ROWS_MAX);
	assert_int_equal(e.code, PX_DATAERR);
	assert_int_equal(e.line, IMPORT_ROWS_MAX + 2);
	assert_non_null(strstr(e.msg, "more than 10000000 rows"));
	fclose(f);
}

/* Each row as "line:field|field|..." */
static int
log_row(const struct import_row *r, void *arg, struct perr *e)
{
	FILE *out = arg;

	(void)e;
	fprintf(out, "%ld:", r->line);
	for (int i = 0; i < r->nraw; i++)
		fprintf(out, "%s%s", i ? "|" : "", r->raw[i]);
	fputc('\n', out);
	return 0;
}

static char *
read_in_chunks(const char *text, size_t chunk, long *rc, struct perr *e)
{
	struct import_limits lim = import_limits_default;
	struct config cfg;
	char *log = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&log, &len);
	FILE *in = fmemopen((void *)text, strlen(text), "r");

	assert_non_null(out);
	assert_non_null(in);
	config_defaults(&cfg);
	lim.chunk = chunk;
	memset(e, 0, sizeof *e);
	*rc = import_csv_limits(in, "t.csv", &cfg, &import_kind_customers,
	    &lim, log_row, out, e);
	fclose(in);
	fclose(out);
	return log;
}

static void
test_chunks(void **state)
{
	static const char *const files[] = {
		("\xef\xbb\xbfName,notes\r\n\"Wang, Fang\",\"one\r\ntwo\"\r\n"
		 "\r\nJos\xc3\xa9,\"says \"\"hi\"\"\"\r\nLast,end"),
		"name\rA\rB\r\"C\rD\"\rE\r",
		"\n\nname,notes\n\nA,\"x\n\ny\"\n\nB,z\n",
		"name,notes\nA,b,c\n",
		"name,notes\nA,\"open\nB,c\n",
		"name,notes\nA,\"b\"x\n",
	};

	(void)state;
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		struct perr e0, e;
		long rc0, rc;
		char *want = read_in_chunks(files[f], 65536, &rc0, &e0);
		for (size_t chunk = 1; chunk <= 17; chunk++) {
			char *got = read_in_chunks(files[f], chunk, &rc, &e);

			assert_string_equal(got, want);
			assert_int_equal(rc, rc0);
			assert_int_equal(e.line, e0.line);
			assert_string_equal(e.msg, e0.msg);
			free(got);
		}
		free(want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_limit),
		cmocka_unit_test(test_chunks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
