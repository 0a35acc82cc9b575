/*
 * cmd_sql: `patron sql [--write] [--json|--csv] SQL`, the admin console on
 * the decrypted database. Read-only unless --write: the connection runs
 * with query_only, and each statement is checked before it runs.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "patron/audit.h"
#include "patron/cli.h"
#include "patron/perm.h"
#include "patron/safe.h"


enum { SQL_TABLE, SQL_JSON, SQL_CSV };

struct sql_out {
	int format;
	int rows;	/* JSON rows written so far, across statements */
	/* Table rows are collected to size the columns. */
	char **cells;
	size_t ncells, cap;
};

static const char *
sql_text(sqlite3_stmt *st, int i, char *buf, size_t len)
{
	const unsigned char *b;
	int n;

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		return NULL;
	case SQLITE_BLOB:
		b = sqlite3_column_blob(st, i);
		n = sqlite3_column_bytes(st, i);
		if ((size_t)n * 2 + 4 > len)
			n = (int)(len - 4) / 2;
		buf[0] = 'x';
		buf[1] = '\'';
		util_hex(b, (size_t)n, buf + 2);
		strcat(buf, "'");
		return buf;
	default:
		return (const char *)sqlite3_column_text(st, i);
	}
}

/* RFC 4180: quote only the fields that need it (libcsv quotes always). */
static void
sql_csv_field(const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' ||
		(s[0] != '\0' && s[strlen(s) - 1] == ' '))
		csv_fwrite(stdout, s, strlen(s));
	else
		fputs(s, stdout);
}

/* Collect one table cell (a copy of text). */
static void
sql_cell(struct sql_out *o, const char *text)
{
	if (o->ncells == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		o->cells = xrealloc(o->cells, o->cap * sizeof *o->cells);
	}
	o->cells[o->ncells++] = xstrdup(text);
}

static void
sql_row(struct sql_out *o, sqlite3_stmt *st, int first)
{
	int n = sqlite3_column_count(st);
	char buf[8192];

	if (o->format == SQL_JSON) {
		printf("%s{", o->rows++ ? ",\n" : "");
		for (int i = 0; i < n; i++) {
			int t = sqlite3_column_type(st, i);

			if (i)
				putchar(',');
			cli_json_string(stdout, sqlite3_column_name(st, i));
			putchar(':');
			if (t == SQLITE_NULL)
				fputs("null", stdout);
			else if (t == SQLITE_INTEGER || t == SQLITE_FLOAT)
				fputs((const char *)sqlite3_column_text(st, i),
					stdout);
			else
				cli_json_string(stdout,
					sql_text(st, i, buf, sizeof buf));
		}
		putchar('}');
		return;
	}
	if (o->format == SQL_CSV) {
		if (first) {
			for (int i = 0; i < n; i++) {
				if (i)
					putchar(',');
				sql_csv_field(sqlite3_column_name(st, i));
			}
			fputs("\r\n", stdout);
		}
		for (int i = 0; i < n; i++) {
			if (i)
				putchar(',');
			sql_csv_field(sql_text(st, i, buf, sizeof buf));
		}
		fputs("\r\n", stdout);
		return;
	}
	if (first)
		for (int i = 0; i < n; i++)
			sql_cell(o, sqlite3_column_name(st, i));
	for (int i = 0; i < n; i++) {
		const char *v = sql_text(st, i, buf, sizeof buf);

		sql_cell(o, v ? v : "NULL");
	}
}

/* Print the collected table of a statement with n columns. */
static void
sql_flush_table(struct sql_out *o, int n)
{
	int *w;

	if (o->ncells == 0 || n == 0)
		return;
	w = xcalloc((size_t)n, sizeof *w);
	for (size_t i = 0; i < o->ncells; i++) {
		int cw = safe_width(o->cells[i]);

		if (cw > 60)
			cw = 60;
		if (cw > w[i % (size_t)n])
			w[i % (size_t)n] = cw;
	}
	for (size_t i = 0; i < o->ncells; i++) {
		size_t col = i % (size_t)n;

		cli_print_safe(stdout, o->cells[i],
			col + 1 == (size_t)n ? 0 : w[col]);
		fputs(col + 1 == (size_t)n ? "\n" : "  ", stdout);
		free(o->cells[i]);
	}
	o->ncells = 0;
	free(w);
}

static int
sql_audit(struct store *s, const char *text, struct perr *e)
{
	char *detail = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&detail, &len);
	int rc;

	if (f == NULL)
		return perr_set(e, PX_FAIL, "out of memory");
	fputs("{\"sql\":", f);
	cli_json_string(f, text);
	fputc('}', f);
	fclose(f);
	rc = audit_log(s, "sql", "database", 0, 0, detail, e);
	free(detail);
	return rc;
}

static int
cmd_sql(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "write", no_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct sql_out o = { SQL_TABLE, 0, NULL, 0, 0 };
	const char *sql, *tail;
	struct store *s;
	struct staff who;
	int ch, write = 0, rc = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'w':
			write = 1;
			break;
		case 'j':
			o.format = SQL_JSON;
			break;
		case 'c':
			o.format = SQL_CSV;
			break;
		default:
			return cli_usage(&cmd_sql_entry, "bad option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage(&cmd_sql_entry, "sql needs one SQL argument");
	if (cli_open(c, 0, &s) < 0)
		return cli_fail(c);
	if (cli_login(c, s, PERM_sql, &who) < 0) {
		store_close(s);
		return cli_fail(c);
	}
	if (!write && store_query_only(s, &c->err) < 0) {
		store_close(s);
		return cli_fail(c);
	}
	if (o.format == SQL_JSON)
		putchar('[');
	for (sql = argv[optind]; rc == 0 && sql != NULL && *sql != '\0';
		sql = tail) {
		sqlite3_stmt *st = NULL;
		int step, first = 1;

		if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, &tail) !=
			SQLITE_OK) {
			perr_set(&c->err, PX_DATAERR, "sql: %s",
				sqlite3_errmsg(store_db(s)));
			rc = -1;
			break;
		}
		if (st == NULL)
			continue; /* whitespace or a comment */
		if (!write && !sqlite3_stmt_readonly(st)) {
			sqlite3_finalize(st);
			perr_set(&c->err, PX_NOPERM,
				"sql: this statement writes; add --write");
			rc = -1;
			break;
		}
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			sql_row(&o, st, first);
			first = 0;
		}
		if (o.format == SQL_TABLE)
			sql_flush_table(&o, sqlite3_column_count(st));
		if (step != SQLITE_DONE) {
			store_error(s, step, &c->err, "sql");
			if (c->err.code == PX_FAIL)
				c->err.code = PX_DATAERR;
			rc = -1;
		}
		/* A statement that wrote is recorded, text and all (the
		 * triggers record the rows it changed in audited tables). */
		if (rc == 0 && !sqlite3_stmt_readonly(st) &&
		    sql_audit(s, sqlite3_sql(st), &c->err) < 0)
			rc = -1;
		sqlite3_finalize(st);
		/* ATTACH of a new file: give it the reserve sealing needs. */
		store_fix_reserve(s);
	}
	if (o.format == SQL_JSON)
		puts("]");
	for (size_t i = 0; i < o.ncells; i++)
		free(o.cells[i]);
	free(o.cells);
	store_close(s);
	return rc < 0 ? cli_fail(c) : 0;
}

const struct cli_cmd cmd_sql_entry = {
	.name = "sql",
	.summary = "Run SQL on the decrypted database (admin only; read-only "
		   "unless --write).",
	.usage = "sql [--write] [--json|--csv] SQL",
	.run = cmd_sql,
};
