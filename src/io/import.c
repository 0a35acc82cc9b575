/*
 * import: customers from CSV through libcsv, rows validated and added by
 * customer_add inside one transaction (a savepoint per row).
 */
#include "patron/import.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "patron/audit.h"
#include "patron/json_quote.h"
#include "patron/safe.h"
#include "patron/util.h"

static const char *const import_names[IC_NCOLS] = {
	[IC_NAME] = "name", [IC_GIVEN] = "given_name",
	[IC_FAMILY] = "family_name", [IC_PHONE] = "phone",
	[IC_EMAIL] = "email", [IC_BIRTHDAY] = "birthday", [IC_CARD] = "card",
	[IC_TAGS] = "tags", [IC_NOTES] = "notes",
	[IC_CONSENT] = "marketing_consent",
};

/* Columns of export files that an import reads back and ignores. */
static const char *const import_ignored[] = { "id", "uuid", "points", "tier",
	"last_visit", "created_at", NULL };

static const char *
import_need_customers(const int *seen)
{
	if (!seen[IC_NAME] && !seen[IC_GIVEN] && !seen[IC_FAMILY])
		return "no name column (name, or given_name and family_name)";
	return NULL;
}

const struct import_kind import_kind_customers = {
	import_names, IC_NCOLS, import_ignored, 1, import_need_customers,
};

static const char *const import_pnames[IP_NCOLS] = {
	[IP_RECEIPT] = "receipt", [IP_CUSTOMER] = "customer",
	[IP_CUSTOMER_ID] = "customer_id", [IP_OCCURRED] = "occurred_at",
	[IP_TOTAL] = "total", [IP_BRANCH] = "branch", [IP_VOIDED] = "voided",
};
static const char *const import_pignored[] = { "id", "uuid", "currency",
	"points", "return_of", NULL };

static const char *
import_need_purchases(const int *seen)
{
	if (!seen[IP_RECEIPT] || !seen[IP_TOTAL])
		return "the columns receipt and total are needed";
	if (!seen[IP_CUSTOMER] && !seen[IP_CUSTOMER_ID])
		return "a customer column is needed (card, phone or uuid)";
	return NULL;
}

const struct import_kind import_kind_purchases = {
	import_pnames, IP_NCOLS, import_pignored, 0, import_need_purchases,
};

/* Bytes read at a time. */
#define IMPORT_CHUNK (64 << 10)

const struct import_limits import_limits_default = {
	IMPORT_FIELD_MAX, IMPORT_ROW_MAX, IMPORT_HEADER_MAX, IMPORT_COLUMNS_MAX,
	IMPORT_ROWS_MAX, IMPORT_CHUNK,
};

struct import_ctx {
	const char *name;
	const struct config *cfg;
	const struct import_kind *kind;
	const struct import_limits *lim;
	import_row_fn fn;
	void *arg;
	struct perr *e;
	int failed;
	long line;		/* the line being fed */
	int line_start;		/* the next byte fed starts a line */
	long last_line;		/* where the last row (or the header) was */
	long newlines;		/* inside the fields of that row */
	size_t row_bytes;	/* raw bytes fed since the last row ended */
	int header_done;
	int map[IMPORT_COLUMNS_MAX];	/* file column -> a column of the
					 * kind, or IMPORT_COLS_MAX + custom
					 * field index, -1 ignored */
	const char *colname[IMPORT_COLUMNS_MAX];	/* for messages */
	int ncols;
	char **fields;
	int nfields, cap;
	long rows;
};

static void
import_field(void *s, size_t len, void *data)
{
	struct import_ctx *c = data;
	int max = c->header_done ? c->ncols : c->lim->columns;
	char *f;

	if (c->failed)
		return;
	/* Checked as fields end, so a row of endless commas stops here. */
	if (c->nfields == max) {
		if (c->header_done)
			perr_at(c->e, PX_DATAERR, c->name, (int)c->line, 0,
				"more than %d fields, the header has %d",
				c->ncols, c->ncols);
		else
			perr_at(c->e, PX_DATAERR, c->name, (int)c->line, 0,
				"the header has more than %d columns (the "
				"limit)", max);
		c->failed = 1;
		return;
	}
	if (c->nfields == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->fields = xrealloc(c->fields, (size_t)c->cap * sizeof *c->fields);
	}
	f = xmalloc(len + 1);
	if (len > 0)
		memcpy(f, s, len);
	f[len] = '\0';
	for (size_t i = 0; i < len; i++)
		c->newlines += f[i] == '\n';
	c->fields[c->nfields++] = f;
}

static void
import_drop_fields(struct import_ctx *c)
{
	for (int i = 0; i < c->nfields; i++)
		free(c->fields[i]);
	c->nfields = 0;
	c->newlines = 0;
}

static int
import_header(struct import_ctx *c)
{
	const struct import_kind *k = c->kind;
	int seen[IMPORT_COLS_MAX] = { 0 };
	int seen_custom[CONFIG_FIELDS_MAX] = { 0 };
	const char *missing;

	for (int i = 0; i < c->nfields; i++) {
		char *h = util_trim(c->fields[i]);
		int found = -1, ignored = -1;
		const struct config_field *cf;

		/* A UTF-8 byte order mark before the first name. */
		if (i == 0 && strncmp(h, "\xef\xbb\xbf", 3) == 0)
			h += 3;
		for (int n = 0; n < k->ncols; n++)
			if (strcasecmp(h, k->names[n]) == 0)
				found = n;
		for (int n = 0; k->ignored[n] != NULL; n++)
			if (strcasecmp(h, k->ignored[n]) == 0)
				ignored = n;
		if (found < 0 && k->custom &&
		    (cf = config_field_find(c->cfg, h)) != NULL) {
			int f = (int)(cf - c->cfg->fields);

			if (seen_custom[f]++)
				return perr_at(c->e, PX_DATAERR, c->name, 1, 0,
					"column %s appears twice", cf->key);
			c->map[i] = IMPORT_COLS_MAX + f;
			c->colname[i] = cf->key;
			continue;
		}
		if (found < 0 && ignored < 0) {
			char list[256] = "";
			char *shown = safe_dup(h, strnlen(h, 60), 0);
			int rc;

			for (int n = 0; n < k->ncols; n++) {
				strcat(list, n ? ", " : "");
				strcat(list, k->names[n]);
			}
			rc = perr_at(c->e, PX_DATAERR, c->name, 1, 0,
				"unknown column '%s' (columns: %s%s)", shown,
				list, k->custom ? " and the keys of "
				"customers.fields" : "");
			free(shown);
			return rc;
		}
		if (found >= 0 && seen[found]++)
			return perr_at(c->e, PX_DATAERR, c->name, 1, 0,
				"column %s appears twice", k->names[found]);
		c->map[i] = found;
		c->colname[i] = found >= 0 ? k->names[found] :
		    k->ignored[ignored];
	}
	if ((missing = k->need(seen)) != NULL)
		return perr_at(c->e, PX_DATAERR, c->name, 1, 0, "%s", missing);
	c->ncols = c->nfields;
	return 0;
}

static void
import_row(int term, void *data)
{
	struct import_ctx *c = data;
	struct import_row r;

	(void)term;
	c->row_bytes = 0;
	if (c->failed) {
		import_drop_fields(c);
		return;
	}
	if (!c->header_done) {
		c->header_done = 1;
		c->last_line = c->line - c->newlines;
		if (import_header(c) < 0)
			c->failed = 1;
		import_drop_fields(c);
		return;
	}
	memset(&r, 0, sizeof r);
	/* The row ends on the line being fed; its fields' newlines say
	 * where it began. */
	r.line = c->line - c->newlines;
	/* Files ending lines in a bare CR put many rows on one "line":
	 * count each row as a line of its own then. */
	if (r.line <= c->last_line)
		r.line = c->last_line + 1;
	c->last_line = r.line;
	r.raw = c->fields;
	r.nraw = c->nfields;
	if (c->nfields != c->ncols) {
		perr_at(c->e, PX_DATAERR, c->name, (int)r.line, 0,
			"%d fields, the header has %d", c->nfields, c->ncols);
		c->failed = 1;
		import_drop_fields(c);
		return;
	}
	if (c->rows == c->lim->rows) {
		perr_at(c->e, PX_DATAERR, c->name, (int)r.line, 0,
			"more than %ld rows, the limit of one import (split "
			"the file)", c->lim->rows);
		c->failed = 1;
		import_drop_fields(c);
		return;
	}
	for (int i = 0; i < c->nfields; i++)
		if (c->map[i] >= IMPORT_COLS_MAX)
			r.custom[c->map[i] - IMPORT_COLS_MAX] = c->fields[i];
		else if (c->map[i] >= 0)
			r.col[c->map[i]] = c->fields[i];
	c->rows++;
	if (c->fn(&r, c->arg, c->e) < 0)
		c->failed = 1;
	import_drop_fields(c);
}

/* A NUL byte where the next field byte goes: UTF-8 text never holds one
 * (a C string would end there, cutting the field short unseen), and a
 * whole row or file of them is likely UTF-16 (a spreadsheet's "Unicode
 * text"): the file is refused, not the row. */
#define IMPORT_NUL_HINT "(not UTF-8 text: UTF-16 or binary?)"

static void
import_nul(struct import_ctx *c)
{
	int i = c->nfields;

	if (!c->header_done)
		perr_at(c->e, PX_DATAERR, c->name, (int)c->line, 0, "a NUL "
			"byte in the header row, column %d " IMPORT_NUL_HINT,
			i + 1);
	else if (i < c->ncols)
		perr_at(c->e, PX_DATAERR, c->name, (int)c->line, 0,
			"%s: a NUL byte " IMPORT_NUL_HINT, c->colname[i]);
	else
		perr_at(c->e, PX_DATAERR, c->name, (int)c->line, 0, "a NUL "
			"byte in field %d, the header has %d " IMPORT_NUL_HINT,
			i + 1, c->ncols);
	c->failed = 1;
}

static size_t
import_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

/*
 * Feed len bytes to the parser, a line at a time (so the callbacks know
 * the line) and never more than the limits leave room for: the field being
 * read and the row's bytes may pass their limit by one byte, never more,
 * before the check below stops the file.
 */
static void
import_feed(struct import_ctx *c, struct csv_parser *p, const char *s,
	size_t len)
{
	const struct import_limits *lim = c->lim;

	while (len > 0 && !c->failed) {
		size_t n = 0, used, max = c->header_done ? lim->row :
		    lim->header;

		if (c->line_start) {
			if (c->line == INT_MAX) {
				perr_at(c->e, PX_DATAERR, c->name, INT_MAX, 0,
					"more than %d lines", INT_MAX);
				c->failed = 1;
				return;
			}
			c->line++;
			c->line_start = 0;
		}
		while (n < len && s[n] != '\n' && s[n] != '\r' && s[n] != '\0')
			n++;
		if (n == 0 && s[0] == '\0') {
			import_nul(c);
			return;
		}
		if (n < len && s[n] != '\0')
			n++;	/* the line break ends the piece */
		n = import_min(n, lim->field + 1 - p->entry_pos);
		n = import_min(n, max + 1 - c->row_bytes);
		c->row_bytes += n;
		used = csv_parse(p, s, n, import_field, import_row, c);
		if (c->failed) {
			;	/* a callback's error, before any parse error */
		} else if (used != n) {
			perr_at(c->e, PX_DATAERR, c->name, (int)c->line, 0, "%s",
				csv_strerror(csv_error(p)));
			c->failed = 1;
		} else if (p->entry_pos > lim->field) {
			perr_at(c->e, PX_DATAERR, c->name, (int)c->line, 0,
				"a field longer than %zu bytes, the limit of a "
				"field (an unclosed quote?)", lim->field);
			c->failed = 1;
		} else if (c->row_bytes > max && c->header_done) {
			perr_at(c->e, PX_DATAERR, c->name, (int)c->line, 0,
				"a row longer than %zu bytes, the limit of a "
				"row (an unclosed quote?)", max);
			c->failed = 1;
		} else if (c->row_bytes > max) {
			perr_at(c->e, PX_DATAERR, c->name, (int)c->line, 0,
				"a header row longer than %zu bytes, the limit "
				"of the header (is this a CSV file?)", max);
			c->failed = 1;
		}
		c->line_start = s[n - 1] == '\n';
		s += n;
		len -= n;
	}
}

long
import_csv(FILE *in, const char *name, const struct config *cfg,
	import_row_fn fn, void *arg, struct perr *e)
{
	return import_csv_limits(in, name, cfg, &import_kind_customers,
	    &import_limits_default, fn, arg, e);
}

long
import_csv_kind(FILE *in, const char *name, const struct config *cfg,
	const struct import_kind *kind, import_row_fn fn, void *arg,
	struct perr *e)
{
	return import_csv_limits(in, name, cfg, kind, &import_limits_default,
	    fn, arg, e);
}

long
import_csv_limits(FILE *in, const char *name, const struct config *cfg,
	const struct import_kind *kind, const struct import_limits *lim,
	import_row_fn fn, void *arg, struct perr *e)
{
	struct import_ctx c;
	struct csv_parser p;
	char *buf;
	size_t n;
	long rc;

	memset(&c, 0, sizeof c);
	c.name = name;
	c.cfg = cfg;
	c.kind = kind;
	c.lim = lim;
	c.fn = fn;
	c.arg = arg;
	c.e = e;
	c.line_start = 1;
	if (lim->columns > IMPORT_COLUMNS_MAX || lim->columns < 1 ||
	    lim->chunk == 0)
		return perr_set(e, PX_FAIL, "bad import limits");
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return perr_set(e, PX_FAIL, "cannot start the CSV parser");
	csv_set_blk_size(&p, 4096);
	/* Never getline: a file of one endless line would all be read
	 * into memory before any limit could be checked. */
	buf = xmalloc(lim->chunk);
	while (!c.failed && (n = fread(buf, 1, lim->chunk, in)) > 0)
		import_feed(&c, &p, buf, n);
	if (!c.failed && ferror(in)) {
		perr_set(e, PX_IOERR, "%s: read error", name);
		c.failed = 1;
	}
	if (!c.failed && csv_fini(&p, import_field, import_row, &c) != 0) {
		perr_at(e, PX_DATAERR, name, (int)c.line, 0,
			"the file ends inside a quoted field");
		c.failed = 1;
	}
	if (!c.failed && !c.header_done) {
		perr_at(e, PX_DATAERR, name, 1, 0, "empty file: a header row "
			"naming the columns is needed");
		c.failed = 1;
	}
	import_drop_fields(&c);
	free(c.fields);
	free(buf);
	csv_free(&p);
	rc = c.failed ? -1 : c.rows;
	return rc;
}

static const char *
nonempty(const char *s)
{
	return s != NULL && s[strspn(s, " \t")] != '\0' ? s : NULL;
}

void
import_row_done(struct import_kv *kv)
{
	for (int i = 0; i < kv->n; i++)
		free(kv->owned[i]);
	kv->n = 0;
}

int
import_row_input(const struct import_row *r, const struct config *cfg,
	struct customer_input *in, const char **tags, size_t maxtags,
	char *tagbuf, size_t tagbuflen, struct import_kv *kv, struct perr *e)
{
	const char *consent = nonempty(r->col[IC_CONSENT]);

	customer_input_init(in);
	kv->n = 0;
	for (int i = 0; i < cfg->nfields; i++)
		if (nonempty(r->custom[i]) != NULL) {
			kv->owned[kv->n] = xasprintf("%s=%s", cfg->fields[i].key,
				r->custom[i]);
			kv->kv[kv->n] = kv->owned[kv->n];
			kv->n++;
		}
	in->fields = kv->kv;
	in->nfields = (size_t)kv->n;
	in->name = nonempty(r->col[IC_NAME]);
	in->given_name = nonempty(r->col[IC_GIVEN]);
	in->family_name = nonempty(r->col[IC_FAMILY]);
	in->phone = nonempty(r->col[IC_PHONE]);
	in->email = nonempty(r->col[IC_EMAIL]);
	in->birthday = nonempty(r->col[IC_BIRTHDAY]);
	in->card = nonempty(r->col[IC_CARD]);
	in->notes = nonempty(r->col[IC_NOTES]);
	in->tags = tags;
	if (nonempty(r->col[IC_TAGS]) != NULL) {
		if (strlen(r->col[IC_TAGS]) >= tagbuflen)
			return perr_set(e, PX_DATAERR, "tags: too long");
		strcpy(tagbuf, r->col[IC_TAGS]);
		for (char *t = strtok(tagbuf, ";"); t != NULL;
		     t = strtok(NULL, ";")) {
			if (in->ntags == maxtags)
				return perr_set(e, PX_DATAERR,
					"tags: at most %zu", maxtags);
			tags[in->ntags++] = util_trim(t);
		}
	}
	if (consent != NULL) {
		static const char *const yes[] = { "yes", "y", "true", "1",
			NULL };
		static const char *const no[] = { "no", "n", "false", "0",
			NULL };

		for (int i = 0; yes[i] != NULL; i++)
			if (strcasecmp(consent, yes[i]) == 0)
				in->consent = 1;
		for (int i = 0; no[i] != NULL; i++)
			if (strcasecmp(consent, no[i]) == 0)
				in->consent = 0;
		if (in->consent < 0)
			return perr_set(e, PX_DATAERR,
				"marketing_consent: yes or no");
	}
	return 0;
}

struct import_run {
	struct store *s;
	const struct config *cfg;
	const struct import_kind *kind;
	int64_t actor;
	const struct import_opts *o;
	const char *name;
	FILE *in;
	struct import_result *r;
	long long last_progress;
	int header_written;
};

static void
import_reject(struct import_run *run, const struct import_row *row,
	const char *why)
{
	FILE *out = run->o->rejects;

	if (!run->header_written) {
		fputs("line,error", out);
		for (int i = 0; i < run->kind->ncols; i++)
			fprintf(out, ",%s", run->kind->names[i]);
		fputc('\n', out);
		run->header_written = 1;
	}
	fprintf(out, "%ld,", row->line);
	csv_fwrite(out, why, strlen(why));
	for (int i = 0; i < run->kind->ncols; i++) {
		fputc(',', out);
		if (row->col[i] != NULL)
			csv_fwrite(out, row->col[i], strlen(row->col[i]));
	}
	fputc('\n', out);
}

/* Count a row's outcome; a bad row is rejected, anything else stops. */
static int
import_outcome(struct import_run *run, const struct import_row *row, int rc,
	const struct perr *why, struct perr *e)
{
	char msg[sizeof e->msg + 64];

	if (run->o->progress != NULL && (run->r->rows & 1023) == 0)
		run->o->progress((long long)ftello(run->in), run->o->arg);
	run->r->rows++;
	if (rc >= 0) {
		if (rc == 1)
			run->r->existed++;
		else
			run->r->added++;
		return 0;
	}
	/* Busy, I/O and the like stop the import; bad data is the row's. */
	if (why->code != PX_DATAERR) {
		*e = *why;
		return -1;
	}
	run->r->rejected++;
	if (run->o->rejects != NULL) {
		import_reject(run, row, why->msg);
		return 0;
	}
	if (run->r->rejected <= IMPORT_SHOW_MAX && run->o->bad != NULL) {
		snprintf(msg, sizeof msg, "%s:%ld: %s", run->name, row->line,
			why->msg);
		run->o->bad(msg, run->o->arg);
	}
	return 0;
}

static int
import_one(const struct import_row *row, void *arg, struct perr *e)
{
	struct import_run *run = arg;
	struct customer_input in;
	const char *tags[CUSTOMER_TAGS_MAX];
	char tagbuf[4096];
	struct import_kv kv;
	struct perr why;
	int64_t id;
	int rc;

	perr_clear(&why);
	rc = import_row_input(row, run->cfg, &in, tags, CUSTOMER_TAGS_MAX,
		tagbuf, sizeof tagbuf, &kv, &why);
	if (rc == 0) {
		in.allow_duplicate = run->o->allow_duplicate;
		rc = customer_add(run->s, run->cfg, &in, run->actor, &id, &why);
	}
	import_row_done(&kv);
	return import_outcome(run, row, rc, &why, e);
}

int
import_purchase_parse(const struct import_row *r, const struct config *cfg,
	struct import_purchase *p, struct perr *e)
{
	const char *v;
	int dec = util_currency_decimals(cfg->store_currency);

	memset(p, 0, sizeof *p);
	if ((v = nonempty(r->col[IP_CUSTOMER])) != NULL) {
		if (strlen(v) >= sizeof p->customer)
			return perr_set(e, PX_DATAERR, "customer: too long");
		snprintf(p->customer, sizeof p->customer, "%s", v);
	} else if ((v = nonempty(r->col[IP_CUSTOMER_ID])) != NULL) {
		if (strspn(v, "0123456789") != strlen(v) || strlen(v) > 18)
			return perr_set(e, PX_DATAERR, "customer_id: a number");
		snprintf(p->customer, sizeof p->customer, "id:%s", v);
	} else
		return perr_set(e, PX_DATAERR, "customer: empty");
	if ((v = nonempty(r->col[IP_RECEIPT])) == NULL)
		return perr_set(e, PX_DATAERR, "receipt: empty");
	p->in.receipt = v;
	if ((v = nonempty(r->col[IP_TOTAL])) == NULL ||
	    util_decimal_parse(v, dec, &p->in.total) < 0)
		return perr_set(e, PX_DATAERR, "total: an amount in %s with at "
		    "most %d decimals", cfg->store_currency, dec);
	if ((v = nonempty(r->col[IP_OCCURRED])) != NULL &&
	    util_time_parse(v, &p->in.occurred_ms) < 0)
		return perr_set(e, PX_DATAERR, "occurred_at: a time like "
		    "2026-12-01 15:30 or 2026-12-01T07:30:00Z");
	p->in.branch = nonempty(r->col[IP_BRANCH]);
	/* A file's returns do not name their sales in this database. */
	p->in.unlinked = 1;
	if ((v = nonempty(r->col[IP_VOIDED])) != NULL) {
		if (strcasecmp(v, "yes") == 0 || strcmp(v, "1") == 0 ||
		    strcasecmp(v, "true") == 0)
			p->voided = 1;
		else if (strcasecmp(v, "no") != 0 && strcmp(v, "0") != 0 &&
		    strcasecmp(v, "false") != 0)
			return perr_set(e, PX_DATAERR, "voided: yes or no");
	}
	return 0;
}

static int
import_one_purchase(const struct import_row *row, void *arg, struct perr *e)
{
	struct import_run *run = arg;
	struct import_purchase p;
	struct purchase out;
	struct perr why;
	int rc;

	perr_clear(&why);
	rc = import_purchase_parse(row, run->cfg, &p, &why);
	if (rc == 0 && (rc = customer_resolve(run->s, run->cfg, p.customer,
	    &p.in.customer_id, &why)) < 0 &&
	    (why.code == PX_FAIL || why.code == PX_USAGE))
		why.code = PX_DATAERR;	/* no such customer: the row's fault */
	if (rc == 0)
		rc = purchase_add(run->s, run->cfg, &p.in, run->actor, &out,
		    &why);
	/* A sale voided at the source: recorded, then voided, so it earns
	 * nothing (and a re-import finds it recorded before). */
	if (rc == 0 && p.voided && purchase_void(run->s, run->cfg, out.id,
	    "void in the imported file", run->actor, &out, &why) < 0)
		rc = -1;
	return import_outcome(run, row, rc, &why, e);
}

/* One audit entry for the whole import: its file and what it did. */
static int
import_audit(struct store *s, const char *entity, const char *name,
	const struct import_result *r, int64_t first, struct perr *e)
{
	char *detail = NULL, num[160];
	size_t len = 0;
	FILE *f = open_memstream(&detail, &len);
	int rc;

	if (f == NULL)
		return perr_set(e, PX_FAIL, "out of memory");
	fputs("{\"file\":", f);
	json_quote(f, name);
	snprintf(num, sizeof num, ",\"rows\":%ld,\"added\":%ld,\"existed\":"
	    "%ld,\"rejected\":%ld", r->rows, r->added, r->existed,
	    r->rejected);
	fputs(num, f);
	if (first > 0)
		fprintf(f, ",\"first_id\":%lld", (long long)first);
	fputc('}', f);
	fclose(f);
	rc = audit_log(s, "import", entity, 0, 0, detail, e);
	free(detail);
	return rc;
}

/* Customers added from here on get ids from first up (no AUTOINCREMENT:
 * a new id is the largest so far plus one). */
static int
import_first_id(struct store *s, int64_t *first, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(s, "SELECT coalesce(max(id), 0) + 1 FROM customer",
	    &st, e) < 0)
		return -1;
	rc = sqlite3_step(st);
	*first = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_error(s, rc, e, "database");
}

/* What the triggers would have written, one entry per new customer. */
static int
import_log_changes(struct store *s, int64_t first, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(s, "INSERT INTO customer_change (customer_id) "
	    "SELECT id FROM customer WHERE id >= ? ORDER BY id", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, first);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "database");
}

int
import_customers(struct store *s, const struct config *cfg, int64_t actor,
	FILE *in, const char *name, const struct import_opts *o,
	struct import_result *r, struct perr *e)
{
	struct import_run run = { s, cfg, &import_kind_customers, actor, o, name,
		in, r, 0, 0 };
	int64_t first;
	int rc;

	memset(r, 0, sizeof *r);
	if (store_begin(s, e) < 0)
		return -1;
	/*
	 * Rows are checked before they write: no savepoint per row. The
	 * change-log triggers are off for the import, which logs its new
	 * customers in one statement at the end (a quarter of the time).
	 */
	store_bulk(s, 1);
	if (import_first_id(s, &first, e) < 0 ||
	    store_triggers(s, 0, e) < 0) {
		store_bulk(s, 0);
		store_rollback(s);
		return -1;
	}
	rc = import_csv(in, name, cfg, import_one, &run, e) < 0 ? -1 : 0;
	store_bulk(s, 0);
	if (store_triggers(s, 1, rc < 0 ? NULL : e) < 0)
		rc = -1;
	if (rc == 0 && r->rejected > 0 && o->rejects == NULL)
		rc = perr_set(e, PX_DATAERR, "%s: %ld of %ld rows rejected; "
		    "nothing was imported (--skip-invalid FILE imports the "
		    "good rows)", name, r->rejected, r->rows);
	if (rc == 0)
		rc = import_log_changes(s, first, e);
	/* The triggers were off: one audit entry tells of the import. */
	if (rc == 0)
		rc = import_audit(s, "customer", name, r, first, e);
	if (rc == 0)
		rc = store_commit(s, e);

	if (rc < 0)
		store_rollback(s);
	return rc;
}

int
import_purchases(struct store *s, const struct config *cfg, int64_t actor,
	FILE *in, const char *name, const struct import_opts *o,
	struct import_result *r, struct perr *e)
{
	struct import_run run = { s, cfg, &import_kind_purchases, actor, o,
		name, in, r, 0, 0 };
	int rc;

	memset(r, 0, sizeof *r);
	if (store_begin(s, e) < 0)
		return -1;
	rc = import_csv_kind(in, name, cfg, &import_kind_purchases,
	    import_one_purchase, &run, e) < 0 ? -1 : 0;
	if (rc == 0 && r->rejected > 0 && o->rejects == NULL)
		rc = perr_set(e, PX_DATAERR, "%s: %ld of %ld rows rejected; "
		    "nothing was imported (--skip-invalid FILE imports the "
		    "good rows)", name, r->rejected, r->rows);
	if (rc == 0)
		rc = import_audit(s, "purchase", name, r, 0, e);
	if (rc == 0)
		rc = store_commit(s, e);
	if (rc < 0)
		store_rollback(s);
	return rc;
}
