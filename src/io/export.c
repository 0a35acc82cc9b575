/*
 * export: customers as CSV, JSON or vCard 4.0.
 */
#include "patron/export.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <csv.h>

#include "patron/json_quote.h"
#include "patron/phone.h"

int
export_format_named(const char *name)
{
	if (strcasecmp(name, "csv") == 0)
		return EXPORT_CSV;
	if (strcasecmp(name, "json") == 0)
		return EXPORT_JSON;
	if (strcasecmp(name, "vcf") == 0 || strcasecmp(name, "vcard") == 0)
		return EXPORT_VCF;
	if (strcasecmp(name, "ics") == 0 || strcasecmp(name, "ical") == 0)
		return EXPORT_ICS;
	return -1;
}

/* RFC 4180: quote only the fields that need it. */
static void
csv_cell(FILE *out, const char *s, int last)
{
	if (s != NULL) {
		if (strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' ||
		    (s[0] != '\0' && s[strlen(s) - 1] == ' '))
			csv_fwrite(out, s, strlen(s));
		else
			fputs(s, out);
	}
	fputs(last ? "\r\n" : ",", out);
}

void
export_csv_header(FILE *out, const struct config *cfg)
{
	fputs("id,uuid,name,given_name,family_name,phone,email,birthday,card,"
	      "tags,notes,marketing_consent,points,tier,last_visit,created_at",
		out);
	for (int i = 0; i < cfg->nfields; i++)
		fprintf(out, ",%s", cfg->fields[i].key);
	fputs("\r\n", out);
}

void
export_csv_row(FILE *out, struct store *s, const struct config *cfg,
	const struct customer *c, int masked)
{
	char num[32], phone[64];
	size_t len = 1;
	char *tags;

	for (size_t i = 0; i < c->ntags; i++)
		len += strlen(c->tags[i]) + 1;
	tags = xcalloc(1, len);
	for (size_t i = 0; i < c->ntags; i++) {
		if (i > 0)
			strcat(tags, ";");
		strcat(tags, c->tags[i]);
	}
	if (c->phone != NULL && masked)
		phone_mask(c->phone, phone, sizeof phone);
	snprintf(num, sizeof num, "%lld", (long long)c->id);
	csv_cell(out, num, 0);
	csv_cell(out, c->uuid, 0);
	csv_cell(out, c->name, 0);
	csv_cell(out, c->given_name, 0);
	csv_cell(out, c->family_name, 0);
	csv_cell(out, c->phone && masked ? phone : c->phone, 0);
	csv_cell(out, c->email && masked ? "\u2022\u2022\u2022" : c->email, 0);
	csv_cell(out, c->birthday, 0);
	csv_cell(out, c->card, 0);
	csv_cell(out, tags, 0);
	csv_cell(out, c->notes, 0);
	csv_cell(out, c->consent < 0 ? "" : c->consent ? "yes" : "no", 0);
	snprintf(num, sizeof num, "%lld", (long long)c->points);
	csv_cell(out, num, 0);
	csv_cell(out, c->tier, 0);
	csv_cell(out, c->last_visit, 0);
	csv_cell(out, c->created_at, cfg->nfields == 0);
	for (int i = 0; i < cfg->nfields; i++) {
		char v[512];

		customer_field(s, c, cfg->fields[i].key, v, sizeof v);
		csv_cell(out, v, i + 1 == cfg->nfields);
	}
	free(tags);
}

/*
 * A vCard content line: name, value escaped (backslash, comma, semicolon,
 * newline) unless raw, folded at 75 octets without splitting a UTF-8
 * character, CRLF.
 */
static void
vcard_line(FILE *out, const char *name, const char *value, int raw)
{
	size_t col = strlen(name) + 1;

	fprintf(out, "%s:", name);
	for (const char *p = value; *p != '\0'; p++) {
		char esc[3] = { 0 };
		size_t need;

		if (!raw && (*p == '\\' || *p == ',' || *p == ';')) {
			esc[0] = '\\';
			esc[1] = *p;
		} else if (!raw && *p == '\n') {
			esc[0] = '\\';
			esc[1] = 'n';
		} else if (*p == '\r')
			continue;
		need = esc[0] ? 2 : 1;
		/* Fold before a character that would pass 75 octets; only
		 * at the start of a UTF-8 sequence. */
		if (col + need > 75 && ((unsigned char)*p & 0xc0) != 0x80) {
			fputs("\r\n ", out);
			col = 1;
		}
		if (esc[0])
			fputs(esc, out);
		else
			fputc(*p, out);
		col += need;
	}
	fputs("\r\n", out);
}

void
export_vcard(FILE *out, const struct customer *c, int masked)
{
	char buf[512];

	fputs("BEGIN:VCARD\r\nVERSION:4.0\r\n", out);
	vcard_line(out, "FN", c->name ? c->name : "", 0);
	if (c->given_name != NULL || c->family_name != NULL) {
		/* N: family;given;additional;prefixes;suffixes, each escaped. */
		char fam[256] = "", giv[256] = "";
		const char *src[2] = { c->family_name, c->given_name };
		char *dst[2] = { fam, giv };

		for (int k = 0; k < 2; k++) {
			size_t o = 0;

			for (const char *p = src[k]; p && *p && o + 3 < 256; p++) {
				if (*p == ',' || *p == ';' || *p == '\\')
					dst[k][o++] = '\\';
				dst[k][o++] = *p;
			}
			dst[k][o] = '\0';
		}
		snprintf(buf, sizeof buf, "%s;%s;;;", fam, giv);
		vcard_line(out, "N", buf, 1);
	}
	snprintf(buf, sizeof buf, "urn:uuid:%s", c->uuid);
	vcard_line(out, "UID", buf, 1);
	if (c->phone != NULL && !masked) {
		snprintf(buf, sizeof buf, "tel:%s", c->phone);
		vcard_line(out, "TEL;VALUE=uri;TYPE=cell", buf, 1);
	}
	if (c->email != NULL && !masked)
		vcard_line(out, "EMAIL", c->email, 0);
	if (c->birthday != NULL) {
		snprintf(buf, sizeof buf, "%.4s%.2s%.2s", c->birthday,
			c->birthday + 5, c->birthday + 8);
		vcard_line(out, "BDAY", buf, 1);
	}
	if (c->ntags > 0) {
		/* CATEGORIES is a list: commas separate, each value escaped. */
		size_t o = 0;

		for (size_t i = 0; i < c->ntags && o + 4 < sizeof buf; i++) {
			if (i > 0)
				buf[o++] = ',';
			for (const char *p = c->tags[i]; *p && o + 3 < sizeof buf;
			     p++) {
				if (*p == ',' || *p == ';' || *p == '\\')
					buf[o++] = '\\';
				buf[o++] = *p;
			}
		}
		buf[o] = '\0';
		vcard_line(out, "CATEGORIES", buf, 1);
	}
	if (c->notes != NULL)
		vcard_line(out, "NOTE", c->notes, 0);
	if (c->card != NULL)
		vcard_line(out, "X-PATRON-CARD", c->card, 0);
	if (c->updated_at != NULL) {
		/* REV: a timestamp, basic format. */
		char rev[32];
		size_t o = 0;

		for (const char *p = c->updated_at; *p && o + 2 < sizeof rev;
		     p++)
			if (*p != '-' && *p != ':' && *p != '.')
				rev[o++] = *p;
		rev[o] = '\0';
		/* Drop the milliseconds: 20261122T091500123Z -> ...500Z. */
		if (o == 19)
			memmove(rev + 15, rev + 18, 2);
		vcard_line(out, "REV", rev, 1);
	}
	fputs("END:VCARD\r\n", out);
}

struct export_ctx {
	struct store *s;
	const struct config *cfg;
	int format, masked;
	FILE *out;
	long n;
	const char *channel;	/* only customers who consented to it */
	struct perr *e;
	int failed;
};

/*
 * Whether the latest consent record of the customer for channel says
 * given (1); withdrawn or none is 0; -1 on error.
 */
static int
export_consented(struct export_ctx *x, int64_t customer)
{
	sqlite3_stmt *st;
	int rc, given = 0;

	if (store_stmt(x->s, "SELECT given FROM consent WHERE customer_id = "
	    "?1 AND channel = ?2 ORDER BY id DESC LIMIT 1", &st, x->e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	sqlite3_bind_text(st, 2, x->channel, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		given = sqlite3_column_int(st, 0) == 1;
	store_stmt_done(x->s, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(x->s, rc, x->e, "consent");
	return given;
}

static int
export_one(struct customer *c, void *arg)
{
	struct export_ctx *x = arg;

	if (x->channel != NULL) {
		int given = export_consented(x, c->id);

		if (given < 0) {
			x->failed = 1;
			return 1;
		}
		if (!given)
			return 0;
	}
	switch (x->format) {
	case EXPORT_CSV:
		export_csv_row(x->out, x->s, x->cfg, c, x->masked);
		break;
	case EXPORT_JSON:
		fputs(x->n ? ",\n" : "\n", x->out);
		customer_json(x->out, c, x->masked);
		break;
	case EXPORT_VCF:
		export_vcard(x->out, c, x->masked);
		break;
	}
	x->n++;
	return ferror(x->out) != 0;
}

long
export_customers(struct store *s, const struct config *cfg, int format,
	int masked, FILE *out, struct perr *e)
{
	return export_customers_consented(s, cfg, NULL, format, masked, out, e);
}

long
export_customers_consented(struct store *s, const struct config *cfg,
	const char *channel, int format, int masked, FILE *out, struct perr *e)
{
	struct export_ctx x = { s, cfg, format, masked, out, 0, channel, e, 0 };

	if (format == EXPORT_CSV)
		export_csv_header(out, cfg);
	else if (format == EXPORT_JSON)
		fputc('[', out);
	if (customer_each(s, 0, export_one, &x, e) < 0 || x.failed)
		return -1;
	if (format == EXPORT_JSON)
		fputs(x.n ? "\n]\n" : "]\n", out);
	if (fflush(out) != 0 || ferror(out))
		return perr_set(e, PX_IOERR, "cannot write the export");
	return x.n;
}

static void
iso_or_null(FILE *out, int64_t ms)
{
	char t[32];

	if (ms == 0) {
		fputs("null", out);
		return;
	}
	util_iso_utc(ms, t, sizeof t);
	fprintf(out, "\"%s\"", t);
}

void
export_purchase_json(FILE *out, const struct config *cfg,
	const struct purchase *p, const char *more)
{
	char total[40];

	util_decimal_format(p->total, util_currency_decimals(p->currency[0] ?
	    p->currency : cfg->store_currency), total, sizeof total);
	fprintf(out, "{\"id\":%lld,\"uuid\":\"%s\",\"receipt\":", (long long)p->id,
	    p->uuid);
	json_quote(out, p->receipt);
	fputs(",\"branch\":", out);
	json_quote(out, p->branch);
	fprintf(out, ",\"customer_id\":%lld,\"total\":\"%s\",\"currency\":\"%s\","
	    "\"occurred_at\":", (long long)p->customer_id, total, p->currency);
	iso_or_null(out, p->occurred_ms);
	fprintf(out, ",\"points\":%lld,\"voided\":%s", (long long)p->points,
	    p->voided ? "true" : "false");
	if (p->return_of > 0)
		fprintf(out, ",\"return_of\":%lld", (long long)p->return_of);
	if (more != NULL)
		fputs(more, out);
	fputc('}', out);
}

void
export_entry_json(FILE *out, const struct ledger_entry *en)
{
	fprintf(out, "{\"id\":%lld,\"uuid\":\"%s\",\"customer_id\":%lld,"
	    "\"kind\":\"%s\",\"points\":%lld,\"balance\":%lld,\"reason\":",
	    (long long)en->id, en->uuid, (long long)en->customer_id,
	    loyalty_kind_names[en->kind], (long long)en->points,
	    (long long)en->balance);
	if (en->reason[0] != '\0')
		json_quote(out, en->reason);
	else
		fputs("null", out);
	fputs(",\"occurred_at\":", out);
	iso_or_null(out, en->occurred_ms);
	fputs(",\"expires_at\":", out);
	iso_or_null(out, en->expires_ms);
	if (en->purchase_id > 0)
		fprintf(out, ",\"purchase_id\":%lld", (long long)en->purchase_id);
	fputs(",\"staff\":", out);
	if (en->staff[0] != '\0')
		json_quote(out, en->staff);
	else
		fputs("null", out);
	fputc('}', out);
}

struct rows_ctx {
	const struct config *cfg;
	int format;
	FILE *out;
	long n;
};

static void
csv_iso(FILE *out, int64_t ms, int last)
{
	char t[32] = "";

	if (ms != 0)
		util_iso_utc(ms, t, sizeof t);
	csv_cell(out, t, last);
}

static int
purchase_row_out(const struct purchase *p, void *arg)
{
	struct rows_ctx *x = arg;
	char num[40];

	if (x->format == EXPORT_JSON) {
		fputs(x->n ? ",\n" : "\n", x->out);
		export_purchase_json(x->out, x->cfg, p, NULL);
	} else {
		snprintf(num, sizeof num, "%lld", (long long)p->id);
		csv_cell(x->out, num, 0);
		csv_cell(x->out, p->uuid, 0);
		csv_cell(x->out, p->receipt, 0);
		csv_cell(x->out, p->branch, 0);
		snprintf(num, sizeof num, "%lld", (long long)p->customer_id);
		csv_cell(x->out, num, 0);
		csv_iso(x->out, p->occurred_ms, 0);
		util_decimal_format(p->total,
		    util_currency_decimals(p->currency), num, sizeof num);
		csv_cell(x->out, num, 0);
		csv_cell(x->out, p->currency, 0);
		snprintf(num, sizeof num, "%lld", (long long)p->points);
		csv_cell(x->out, num, 0);
		csv_cell(x->out, p->voided ? "yes" : "no", 0);
		snprintf(num, sizeof num, "%lld", (long long)p->return_of);
		csv_cell(x->out, p->return_of ? num : "", 1);
	}
	x->n++;
	return ferror(x->out) != 0;
}

static int
entry_row_out(const struct ledger_entry *en, void *arg)
{
	struct rows_ctx *x = arg;
	char num[32];

	if (x->format == EXPORT_JSON) {
		fputs(x->n ? ",\n" : "\n", x->out);
		export_entry_json(x->out, en);
	} else {
		snprintf(num, sizeof num, "%lld", (long long)en->id);
		csv_cell(x->out, num, 0);
		csv_cell(x->out, en->uuid, 0);
		snprintf(num, sizeof num, "%lld", (long long)en->customer_id);
		csv_cell(x->out, num, 0);
		csv_cell(x->out, loyalty_kind_names[en->kind], 0);
		snprintf(num, sizeof num, "%lld", (long long)en->points);
		csv_cell(x->out, num, 0);
		snprintf(num, sizeof num, "%lld", (long long)en->balance);
		csv_cell(x->out, num, 0);
		csv_cell(x->out, en->reason, 0);
		csv_iso(x->out, en->occurred_ms, 0);
		csv_iso(x->out, en->expires_ms, 0);
		snprintf(num, sizeof num, "%lld", (long long)en->purchase_id);
		csv_cell(x->out, en->purchase_id ? num : "", 0);
		csv_cell(x->out, en->staff, 1);
	}
	x->n++;
	return ferror(x->out) != 0;
}

static long
rows_end(struct rows_ctx *x, long rc, struct perr *e)
{
	if (rc < 0)
		return -1;
	if (x->format == EXPORT_JSON)
		fputs(x->n ? "\n]\n" : "]\n", x->out);
	if (fflush(x->out) != 0 || ferror(x->out))
		return perr_set(e, PX_IOERR, "cannot write the output");
	return x->n;
}

long
export_purchases(struct store *s, const struct config *cfg, int64_t customer,
	long limit, int format, FILE *out, struct perr *e)
{
	struct rows_ctx x = { cfg, format, out, 0 };

	if (format == EXPORT_JSON)
		fputc('[', out);
	else
		fputs("id,uuid,receipt,branch,customer_id,occurred_at,total,"
		    "currency,points,voided,return_of\r\n", out);
	return rows_end(&x, purchase_each(s, customer, limit, purchase_row_out,
	    &x, e), e);
}

long
export_points(struct store *s, int64_t customer, long limit, int format,
	FILE *out, struct perr *e)
{
	struct rows_ctx x = { NULL, format, out, 0 };
	long rc;

	if (format == EXPORT_JSON)
		fputc('[', out);
	else
		fputs("id,uuid,customer_id,kind,points,balance,reason,"
		    "occurred_at,expires_at,purchase_id,staff\r\n", out);
	if (customer > 0)
		rc = loyalty_history(s, customer, 0, limit > 0 ? limit : -1,
		    entry_row_out, &x, e);
	else
		rc = loyalty_each(s, entry_row_out, &x, e);
	return rows_end(&x, rc, e);
}

void
export_task_json(FILE *out, const struct task *t, int64_t now_ms)
{
	char due[32];

	fprintf(out, "{\"id\":%lld,\"uuid\":\"%s\",\"title\":", (long long)t->id,
	    t->uuid);
	json_quote(out, t->title);
	fputs(",\"notes\":", out);
	if (t->notes != NULL)
		json_quote(out, t->notes);
	else
		fputs("null", out);
	if (t->customer_id > 0)
		fprintf(out, ",\"customer_id\":%lld", (long long)t->customer_id);
	else
		fputs(",\"customer_id\":null", out);
	fputs(",\"assignee\":", out);
	json_quote(out, t->assignee);
	fputs(",\"due\":", out);
	if (t->due.ms != 0) {
		if (t->due.all_day)
			util_time_local(t->due.ms, "%Y-%m-%d", due, sizeof due);
		else
			util_iso_utc(t->due.ms, due, sizeof due);
		fprintf(out, "\"%s\"", due);
	} else
		fputs("null", out);
	fprintf(out, ",\"status\":\"%s\",\"priority\":\"%s\",\"overdue\":%s,"
	    "\"rule\":", task_status_names[t->status],
	    task_priority_names[t->priority], task_overdue(t, now_ms) ?
	    "true" : "false");
	if (t->rule[0] != '\0')
		json_quote(out, t->rule);
	else
		fputs("null", out);
	fputs(",\"snoozed_until\":", out);
	iso_or_null(out, t->snoozed_until_ms);
	fputc('}', out);
}

/* An iCalendar text value: backslash, semicolon, comma and newline escaped
 * (RFC 5545 3.3.11), folded at 75 octets. */
static void
ics_line(FILE *out, const char *name, const char *value, int escape)
{
	char buf[16384];
	size_t n = 0, col;

	n += (size_t)snprintf(buf, sizeof buf, "%s:", name);
	for (const char *p = value; *p != '\0' && n + 3 < sizeof buf; p++) {
		if (escape && (*p == '\\' || *p == ';' || *p == ',')) {
			buf[n++] = '\\';
			buf[n++] = *p;
		} else if (escape && *p == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else if (*p != '\r')
			buf[n++] = *p;
	}
	buf[n] = '\0';
	/* Fold without splitting a UTF-8 sequence. */
	col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)buf[i];
		size_t len = ch < 0x80 ? 1 : ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 :
		    ch >= 0xc0 ? 2 : 1;

		if (col + len > 75) {
			fputs("\r\n ", out);
			col = 1;
		}
		fwrite(buf + i, 1, len, out);
		col += len;
		i += len - 1;
	}
	fputs("\r\n", out);
}

struct task_ctx {
	int format;
	int64_t now_ms;
	FILE *out;
	long n;
	char stamp[20];
};

static void
ics_time(int64_t ms, char *buf, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y%m%dT%H%M%SZ", &tm);
}

static int
task_row_out(const struct task *t, void *arg)
{
	static const char *const ics_status[] = { "NEEDS-ACTION", "COMPLETED",
		"CANCELLED" };
	static const int ics_priority[] = { 9, 5, 1 };
	struct task_ctx *x = arg;
	char num[64], due[32];

	switch (x->format) {
	case EXPORT_JSON:
		fputs(x->n ? ",\n" : "\n", x->out);
		export_task_json(x->out, t, x->now_ms);
		break;
	case EXPORT_ICS:
		fputs("BEGIN:VTODO\r\n", x->out);
		snprintf(num, sizeof num, "%s@patron", t->uuid);
		ics_line(x->out, "UID", num, 0);
		ics_line(x->out, "DTSTAMP", x->stamp, 0);
		ics_time(t->created_ms, due, sizeof due);
		ics_line(x->out, "CREATED", due, 0);
		ics_line(x->out, "SUMMARY", t->title, 1);
		if (t->notes != NULL || t->customer_id > 0) {
			char *d = xasprintf("%s%s%s%s", t->notes ? t->notes :
			    "", t->notes && t->customer_id ? "\n" : "",
			    t->customer_id ? "Customer: " : "",
			    t->customer_id ? t->customer_name : "");

			ics_line(x->out, "DESCRIPTION", d, 1);
			free(d);
		}
		if (t->due.ms != 0) {
			if (t->due.all_day) {
				util_time_local(t->due.ms, "%Y%m%d", due,
				    sizeof due);
				ics_line(x->out, "DUE;VALUE=DATE", due, 0);
			} else {
				ics_time(t->due.ms, due, sizeof due);
				ics_line(x->out, "DUE", due, 0);
			}
		}
		snprintf(num, sizeof num, "%d", ics_priority[t->priority]);
		ics_line(x->out, "PRIORITY", num, 0);
		ics_line(x->out, "STATUS", ics_status[t->status], 0);
		if (t->assignee[0] != '\0') {
			char *c = xasprintf("Assigned to %s", t->assignee);

			ics_line(x->out, "COMMENT", c, 1);
			free(c);
		}
		fputs("END:VTODO\r\n", x->out);
		break;
	default:
		snprintf(num, sizeof num, "%lld", (long long)t->id);
		csv_cell(x->out, num, 0);
		csv_cell(x->out, t->uuid, 0);
		csv_cell(x->out, t->title, 0);
		csv_cell(x->out, t->notes, 0);
		snprintf(num, sizeof num, "%lld", (long long)t->customer_id);
		csv_cell(x->out, t->customer_id ? num : "", 0);
		csv_cell(x->out, t->assignee, 0);
		due[0] = '\0';
		if (t->due.ms != 0)
			task_due_format(&t->due, due, sizeof due);
		csv_cell(x->out, due, 0);
		csv_cell(x->out, task_status_names[t->status], 0);
		csv_cell(x->out, task_priority_names[t->priority], 0);
		csv_cell(x->out, t->rule, 0);
		csv_iso(x->out, t->created_ms, 1);
		break;
	}
	x->n++;
	return ferror(x->out) != 0;
}

long
export_tasks(struct store *s, const struct task_filter *f, int64_t now_ms,
	int format, FILE *out, struct perr *e)
{
	struct task_ctx x = { format, now_ms, out, 0, "" };
	long rc;

	ics_time(now_ms, x.stamp, sizeof x.stamp);
	if (format == EXPORT_JSON)
		fputc('[', out);
	else if (format == EXPORT_ICS)
		fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Patron//"
		    "Patron " PATRON_VERSION "//EN\r\nCALSCALE:GREGORIAN\r\n", out);
	else
		fputs("id,uuid,title,notes,customer_id,assignee,due,status,"
		    "priority,rule,created_at\r\n", out);
	rc = task_each(s, f, now_ms, task_row_out, &x, e);
	if (rc < 0)
		return -1;
	if (format == EXPORT_JSON)
		fputs(x.n ? "\n]\n" : "]\n", out);
	else if (format == EXPORT_ICS)
		fputs("END:VCALENDAR\r\n", out);
	if (fflush(out) != 0 || ferror(out))
		return perr_set(e, PX_IOERR, "cannot write the output");
	return x.n;
}

/* Rows of a query about one customer as a JSON array of objects whose
 * keys are the columns (text, numbers and NULL). */
static int
json_rows(struct store *s, const char *sql, int64_t customer, FILE *out,
	struct perr *e)
{
	sqlite3_stmt *st;
	int rc, n = 0;

	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	fputc('[', out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs(n++ ? ",\n" : "\n", out);
		fputc('{', out);
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			fprintf(out, "%s\"%s\":", i ? "," : "",
			    sqlite3_column_name(st, i));
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_INTEGER:
				fprintf(out, "%lld", (long long)
				    sqlite3_column_int64(st, i));
				break;
			case SQLITE_NULL:
				fputs("null", out);
				break;
			default:
				json_quote(out, (const char *)
				    sqlite3_column_text(st, i));
				break;
			}
		}
		fputc('}', out);
	}
	sqlite3_finalize(st);
	fputs(n ? "\n]" : "]", out);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "export");
}

int
export_customer_data(struct store *s, int64_t customer, FILE *out,
	struct perr *e)
{
	static const struct {
		const char *key;
		const char *sql;
	} parts[] = {
		{ "consent", "SELECT c.channel, c.given, c.at, c.text_version, "
		  "f.name AS staff FROM consent c LEFT JOIN staff f ON f.id = "
		  "c.staff_id WHERE c.customer_id = ?1 ORDER BY c.id" },
		{ "purchases", "SELECT p.id, p.uuid, p.receipt, p.branch, "
		  "p.total, p.currency, p.occurred_at, p.points, p.return_of, "
		  "p.voided_at, p.void_reason, (SELECT json_group_array("
		  "json_object('sku', l.sku, 'name', l.name, 'quantity', "
		  "l.quantity, 'unit_price', l.unit_price)) FROM purchase_line l "
		  "WHERE l.purchase_id = p.id) AS lines FROM purchase p WHERE "
		  "p.customer_id = ?1 ORDER BY p.occurred_at, p.id" },
		{ "interactions", "SELECT i.id, i.uuid, i.kind, i.occurred_at, "
		  "i.text, f.name AS staff FROM interaction i LEFT JOIN staff f "
		  "ON f.id = i.staff_id WHERE i.customer_id = ?1 ORDER BY "
		  "i.occurred_at, i.id" },
		{ "points", "SELECT l.id, l.uuid, l.kind, l.points, l.balance, "
		  "l.reason, l.purchase_id, l.created_at AS occurred_at, "
		  "l.expires_at FROM ledger l WHERE l.customer_id = ?1 ORDER BY "
		  "l.id" },
		{ "tasks", "SELECT t.id, t.uuid, t.title, t.notes, t.due_at, "
		  "t.status, t.created_at, t.closed_at FROM task t WHERE "
		  "t.customer_id = ?1 ORDER BY t.id" },
		{ "changes", "SELECT a.id, a.at, f.name AS staff, a.action, "
		  "a.entity, a.entity_id, a.detail FROM audit a LEFT JOIN staff "
		  "f ON f.id = a.staff_id WHERE a.customer_id = ?1 ORDER BY "
		  "a.id" },
	};
	struct customer c;

	if (customer_get(s, customer, &c, e) < 0)
		return -1;
	fputs("{\"customer\":", out);
	customer_json(out, &c, 0);
	customer_free(&c);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		fprintf(out, ",\n\"%s\":", parts[i].key);
		if (json_rows(s, parts[i].sql, customer, out, e) < 0)
			return -1;
	}
	fputs("}\n", out);
	if (fflush(out) != 0 || ferror(out))
		return perr_set(e, PX_IOERR, "cannot write the output");
	return 0;
}
