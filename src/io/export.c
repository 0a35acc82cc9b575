/*
 * export: the table of formats, and the loops that run one over
 * customers, purchases, points entries or tasks. What a format writes is
 * in its own file (export_csv.c, export_json.c, export_vcard.c,
 * export_ics.c).
 */
#include "patron/export.h"

#include <strings.h>

static const struct export_ops *const export_formats[] = {
	[EXPORT_CSV] = &export_csv_format,
	[EXPORT_JSON] = &export_json_format,
	[EXPORT_VCF] = &export_vcard_format,
	[EXPORT_ICS] = &export_ics_format,
};
#define EXPORT_NFORMATS (sizeof export_formats / sizeof export_formats[0])

int
export_format_named(const char *name)
{
	for (size_t i = 0; i < EXPORT_NFORMATS; i++) {
		const struct export_ops *f = export_formats[i];

		if (strcasecmp(name, f->name) == 0 ||
		    (f->alias != NULL && strcasecmp(name, f->alias) == 0))
			return (int)i;
	}
	return -1;
}

/*
 * The format, if it writes that kind (cmd_export refuses the others
 * before it gets here); NULL with e set otherwise.
 */
static const struct export_ops *
export_format_for(int format, enum export_kind kind, struct perr *e)
{
	static const char *const kinds[] = { "customers", "purchases",
		"points entries", "tasks" };
	const struct export_ops *f = format >= 0 &&
	    (size_t)format < EXPORT_NFORMATS ? export_formats[format] : NULL;

	if (f != NULL && ((kind == EXPORT_CUSTOMERS && f->customer) ||
	    (kind == EXPORT_PURCHASES && f->purchase) ||
	    (kind == EXPORT_POINTS && f->entry) ||
	    (kind == EXPORT_TASKS && f->task)))
		return f;
	perr_set(e, PX_USAGE, "%s cannot be exported as %s", kinds[kind],
	    f != NULL ? f->name : "that");
	return NULL;
}

static void
export_head(const struct export_ops *f, struct export_out *x,
	enum export_kind kind)
{
	if (f->head != NULL)
		f->head(x, kind);
}

/* After the rows: the tail, and whether every byte was written. */
static long
export_end(const struct export_ops *f, struct export_out *x,
	enum export_kind kind, const char *what, struct perr *e)
{
	if (f->tail != NULL)
		f->tail(x, kind);
	if (fflush(x->out) != 0 || ferror(x->out))
		return perr_set(e, PX_IOERR, "cannot write the %s", what);
	return x->n;
}

struct export_run {
	const struct export_ops *f;
	struct export_out x;
	const char *channel;	/* only customers who consented to it */
	struct perr *e;
	int failed;
};

/*
 * Whether the latest consent record of the customer for channel says
 * given (1); withdrawn or none is 0; -1 on error.
 */
static int
export_consented(struct export_run *r, int64_t customer)
{
	sqlite3_stmt *st;
	int rc, given = 0;

	if (store_stmt(r->x.s, "SELECT given FROM consent WHERE customer_id = "
	    "?1 AND channel = ?2 ORDER BY id DESC LIMIT 1", &st, r->e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, customer);
	sqlite3_bind_text(st, 2, r->channel, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		given = sqlite3_column_int(st, 0) == 1;
	store_stmt_done(r->x.s, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(r->x.s, rc, r->e, "consent");
	return given;
}

static int
export_customer(struct customer *c, void *arg)
{
	struct export_run *r = arg;

	if (r->channel != NULL) {
		int given = export_consented(r, c->id);

		if (given < 0) {
			r->failed = 1;
			return 1;
		}
		if (!given)
			return 0;
	}
	r->f->customer(&r->x, c);
	r->x.n++;
	return ferror(r->x.out) != 0;
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
	struct export_run r = { NULL, { out, s, cfg, masked, 0, 0 }, channel,
		e, 0 };

	if ((r.f = export_format_for(format, EXPORT_CUSTOMERS, e)) == NULL)
		return -1;
	export_head(r.f, &r.x, EXPORT_CUSTOMERS);
	if (customer_each(s, 0, export_customer, &r, e) < 0 || r.failed)
		return -1;
	return export_end(r.f, &r.x, EXPORT_CUSTOMERS, "export", e);
}

static int
export_purchase(const struct purchase *p, void *arg)
{
	struct export_run *r = arg;

	r->f->purchase(&r->x, p);
	r->x.n++;
	return ferror(r->x.out) != 0;
}

long
export_purchases(struct store *s, const struct config *cfg, int64_t customer,
	long limit, int format, FILE *out, struct perr *e)
{
	struct export_run r = { NULL, { out, s, cfg, 0, 0, 0 }, NULL, e, 0 };

	if ((r.f = export_format_for(format, EXPORT_PURCHASES, e)) == NULL)
		return -1;
	export_head(r.f, &r.x, EXPORT_PURCHASES);
	if (purchase_each(s, customer, limit, export_purchase, &r, e) < 0)
		return -1;
	return export_end(r.f, &r.x, EXPORT_PURCHASES, "output", e);
}

static int
export_entry(const struct ledger_entry *en, void *arg)
{
	struct export_run *r = arg;

	r->f->entry(&r->x, en);
	r->x.n++;
	return ferror(r->x.out) != 0;
}

long
export_points(struct store *s, int64_t customer, long limit, int format,
	FILE *out, struct perr *e)
{
	struct export_run r = { NULL, { out, s, NULL, 0, 0, 0 }, NULL, e, 0 };
	long rc;

	if ((r.f = export_format_for(format, EXPORT_POINTS, e)) == NULL)
		return -1;
	export_head(r.f, &r.x, EXPORT_POINTS);
	if (customer > 0)
		rc = loyalty_history(s, customer, 0, limit > 0 ? limit : -1,
		    export_entry, &r, e);
	else
		rc = loyalty_each(s, export_entry, &r, e);
	if (rc < 0)
		return -1;
	return export_end(r.f, &r.x, EXPORT_POINTS, "output", e);
}

static int
export_task(const struct task *t, void *arg)
{
	struct export_run *r = arg;

	r->f->task(&r->x, t);
	r->x.n++;
	return ferror(r->x.out) != 0;
}

long
export_tasks(struct store *s, const struct task_filter *f, int64_t now_ms,
	int format, FILE *out, struct perr *e)
{
	struct export_run r = { NULL, { out, s, NULL, 0, now_ms, 0 }, NULL, e,
		0 };

	if ((r.f = export_format_for(format, EXPORT_TASKS, e)) == NULL)
		return -1;
	export_head(r.f, &r.x, EXPORT_TASKS);
	if (task_each(s, f, now_ms, export_task, &r, e) < 0)
		return -1;
	return export_end(r.f, &r.x, EXPORT_TASKS, "output", e);
}
