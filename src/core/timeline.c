/*
 * timeline: one customer's history, newest first, merged from its sources
 * (interactions, points entries, purchases, tasks, changes), and the whole
 * of one row (timeline.h).
 */
#include "patron/timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const timeline_kind_names[] = { "purchase", "return", "points",
	"visit", "call", "email", "complaint", "note", "task", "change", NULL };

/*
 * The timeline's sources, each read newest first through its index and
 * merged here; src orders rows of one instant (a higher src first).
 */
enum { SRC_INTERACTION, SRC_POINTS, SRC_PURCHASE, SRC_TASK, SRC_CHANGE,
	SRC_N };

static const char *const timeline_sql[SRC_N] = {
	"SELECT i.occurred_at, i.id, i.kind, 0, 0, 0, coalesce(i.text, ''), "
	"coalesce(f.name, '') FROM interaction i LEFT JOIN staff f ON "
	"f.id = i.staff_id WHERE i.customer_id = ?1 %s ORDER BY "
	"i.occurred_at DESC, i.id DESC LIMIT ?4",
	"SELECT l.created_at, l.id, l.kind, 0, l.points, 0, l.kind || "
	"coalesce(': ' || l.reason, ''), coalesce(f.name, '') FROM ledger l "
	"LEFT JOIN staff f ON f.id = l.staff_id WHERE l.customer_id = ?1 AND "
	"l.purchase_id IS NULL %s ORDER BY l.created_at DESC, l.id DESC "
	"LIMIT ?4",
	"SELECT p.occurred_at, p.id, CASE WHEN p.total < 0 THEN 'return' ELSE "
	"'purchase' END, p.total, p.points, p.voided_at IS NOT NULL, "
	"p.receipt, coalesce(f.name, '') FROM purchase p LEFT JOIN staff f ON "
	"f.id = p.staff_id WHERE p.customer_id = ?1 %s ORDER BY "
	"p.occurred_at DESC, p.id DESC LIMIT ?4",
	"SELECT e.at, e.id, 'task', 0, 0, 0, e.kind || ': ' || t.title, "
	"coalesce(f.name, '') FROM task_event e JOIN task t ON t.id = "
	"e.task_id LEFT JOIN staff f ON f.id = e.staff_id WHERE e.customer_id "
	"= ?1 %s ORDER BY e.at DESC, e.id DESC LIMIT ?4",
	"SELECT a.at, a.id, 'change', 0, 0, 0, a.action || ' ' || a.entity || "
	"coalesce(' ' || a.detail, ''), coalesce(f.name, '') FROM audit a LEFT "
	"JOIN staff f ON f.id = a.staff_id WHERE a.customer_id = ?1 %s ORDER "
	"BY a.at DESC, a.id DESC LIMIT ?4",
};
static const char *const timeline_at[SRC_N] = { "i.occurred_at", "l.created_at",
	"p.occurred_at", "e.at", "a.at" };
static const char *const timeline_id[SRC_N] = { "i.id", "l.id", "p.id",
	"e.id", "a.id" };
static const unsigned timeline_mask[SRC_N] = { TL_F_INTERACTIONS,
	TL_F_POINTS, TL_F_PURCHASES, TL_F_TASKS, TL_F_CHANGES };

struct tl_source {
	sqlite3_stmt *st;
	int have;		/* a row is waiting in st */
};

static int
tl_kind(const char *k)
{
	for (int i = 0; i < TL_NKINDS; i++)
		if (strcmp(k, timeline_kind_names[i]) == 0)
			return i;
	return TL_POINTS;	/* a ledger kind */
}

/* Row-order: is source a's row before source b's? */
static int
tl_before(struct tl_source *x, int a, int b)
{
	int c = strcmp((const char *)sqlite3_column_text(x[a].st, 0),
	    (const char *)sqlite3_column_text(x[b].st, 0));

	if (c != 0)
		return c > 0;
	return a > b;
}

long
timeline_page(struct store *s, int64_t customer, unsigned filter,
	const struct timeline_item *after, struct timeline_item *items,
	long n, struct perr *e)
{
	struct tl_source x[SRC_N];
	long got = 0;
	int rc = SQLITE_OK;

	memset(x, 0, sizeof x);
	for (int i = 0; i < SRC_N; i++) {
		char cond[160] = "", sql[1024];

		if (!(filter & timeline_mask[i]))
			continue;
		/* After (A, S, I) in (at, src, id) descending order. */
		if (after != NULL) {
			if (i < after->key_src)
				snprintf(cond, sizeof cond, "AND %s <= ?2",
				    timeline_at[i]);
			else if (i == after->key_src)
				snprintf(cond, sizeof cond, "AND (%s, %s) < "
				    "(?2, ?3)", timeline_at[i], timeline_id[i]);
			else
				snprintf(cond, sizeof cond, "AND %s < ?2",
				    timeline_at[i]);
		}
		snprintf(sql, sizeof sql, timeline_sql[i], cond);
		if (store_prepare(s, sql, &x[i].st, e) < 0) {
			got = -1;
			goto out;
		}
		sqlite3_bind_int64(x[i].st, 1, customer);
		if (after != NULL) {
			sqlite3_bind_text(x[i].st, 2, after->key_at, -1,
			    SQLITE_STATIC);
			sqlite3_bind_int64(x[i].st, 3, after->id);
		}
		sqlite3_bind_int64(x[i].st, 4, n);
		rc = sqlite3_step(x[i].st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			goto fail;
		x[i].have = rc == SQLITE_ROW;
	}
	while (got < n) {
		struct timeline_item *it = &items[got];
		sqlite3_stmt *st;
		int best = -1;

		for (int i = 0; i < SRC_N; i++)
			if (x[i].have && (best < 0 || tl_before(x, i, best)))
				best = i;
		if (best < 0)
			break;
		st = x[best].st;
		memset(it, 0, sizeof *it);
		store_col_text(st, 0, it->key_at, sizeof it->key_at);
		it->key_src = best;
		it->at_ms = store_col_ms(st, 0);
		it->id = sqlite3_column_int64(st, 1);
		it->kind = tl_kind((const char *)sqlite3_column_text(st, 2));
		it->amount = sqlite3_column_int64(st, 3);
		it->points = sqlite3_column_int64(st, 4);
		it->voided = sqlite3_column_int(st, 5);
		store_col_text(st, 6, it->text, sizeof it->text);
		store_col_text(st, 7, it->staff, sizeof it->staff);
		got++;
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			goto fail;
		x[best].have = rc == SQLITE_ROW;
	}
	rc = SQLITE_OK;
	goto out;
fail:
	store_error(s, rc, e, "timeline");
	got = -1;
out:
	for (int i = 0; i < SRC_N; i++)
		sqlite3_finalize(x[i].st);
	return rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW ? got :
	    -1;
}

/*
 * The whole of one timeline row, from its source: each query's columns
 * are the labels ("$" before one: minor units of the store currency).
 */
static const char *const detail_sql[SRC_N] = {
	"SELECT i.kind AS Kind, i.occurred_at AS \"When\", f.name AS \"By\", "
	"i.created_at AS Recorded, i.text AS \"Text\" FROM interaction i LEFT "
	"JOIN staff f ON f.id = i.staff_id WHERE i.id = ?1",
	"SELECT l.kind AS Kind, printf('%+d', l.points) AS Points, l.balance "
	"AS \"Balance after\", l.reason AS Reason, l.created_at AS \"When\", "
	"f.name AS \"By\", l.expires_at AS Expires FROM ledger l LEFT JOIN "
	"staff f ON f.id = l.staff_id WHERE l.id = ?1",
	"SELECT CASE WHEN p.total < 0 THEN 'return' ELSE 'purchase' END AS "
	"Kind, p.receipt AS Receipt, p.branch AS Branch, p.total AS \"$Total\", "
	"CASE WHEN p.points <> 0 THEN printf('%+d', p.points) END AS Points, "
	"p.occurred_at AS \"When\", f.name AS \"By\", (SELECT r.branch || ':' "
	"|| r.receipt FROM purchase r WHERE r.id = p.return_of) AS \"Return "
	"of\", p.voided_at AS Voided, v.name AS \"Voided by\", p.void_reason "
	"AS \"Void reason\" FROM purchase p LEFT JOIN staff f ON f.id = "
	"p.staff_id LEFT JOIN staff v ON v.id = p.voided_by WHERE p.id = ?1",
	"SELECT e.kind AS Event, e.at AS \"When\", f.name AS \"By\", e.detail "
	"AS Detail, '#' || t.id || ' ' || t.title AS Task, t.status AS Status, "
	"coalesce(a.name, t.assignee_role) AS \"For\", t.notes AS Notes FROM "
	"task_event e JOIN task t ON t.id = e.task_id LEFT JOIN staff f ON "
	"f.id = e.staff_id LEFT JOIN staff a ON a.id = t.assignee_id WHERE "
	"e.id = ?1",
	"SELECT a.action AS Action, a.entity || coalesce(' #' || a.entity_id, "
	"'') AS \"Record\", a.at AS \"When\", f.name AS \"By\", a.id AS "
	"\"Audit entry\", CASE WHEN a.detail IS NULL THEN 'erased' END AS "
	"Detail FROM audit a LEFT JOIN staff f ON f.id = a.staff_id WHERE "
	"a.id = ?1",
};

static void
detail_add(struct timeline_detail *d, const char *label, char *value)
{
	d->f = xrealloc(d->f, (size_t)(d->n + 1) * sizeof *d->f);
	d->f[d->n].label = xstrdup(label);
	d->f[d->n].value = value;
	d->n++;
}

/* A column's text as shown: ISO times local, money in decimals. */
static char *
detail_value(const struct config *cfg, const char *label, sqlite3_stmt *st,
	int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	size_t n = strlen(v);
	char buf[64];
	int64_t ms;

	if (label[0] == '$') {
		util_decimal_format(sqlite3_column_int64(st, col),
		    util_currency_decimals(cfg->store_currency), buf,
		    sizeof buf);
		return xasprintf("%s %s", buf, cfg->store_currency);
	}
	if (n >= 20 && n <= 30 && v[10] == 'T' && v[n - 1] == 'Z' &&
	    util_time_parse(v, &ms) == 0) {
		util_time_local(ms, "%a %Y-%m-%d %H:%M", buf, sizeof buf);
		return xstrdup(buf);
	}
	return xstrdup(v);
}

/* A purchase's lines, one a line: "2 x SKU name at 12.50". */
static int
detail_lines(struct store *s, const struct config *cfg, int64_t id,
	struct timeline_detail *d, struct perr *e)
{
	int dec = util_currency_decimals(cfg->store_currency);
	sqlite3_stmt *st;
	char *all = NULL, price[40];
	size_t len = 0;
	FILE *out;
	int rc, k = 0;

	if (store_stmt(s, "SELECT quantity, sku, coalesce(' ' || name, ''), "
	    "unit_price FROM purchase_line WHERE purchase_id = ?1 ORDER BY "
	    "line", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((out = open_memstream(&all, &len)) == NULL) {
		store_stmt_done(s, st);
		return perr_set(e, PX_FAIL, "out of memory");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		util_decimal_format(sqlite3_column_int64(st, 3), dec, price,
		    sizeof price);
		fprintf(out, "%s%lld x %s%s at %s", k++ ? "\n" : "",
		    (long long)sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2), price);
	}
	store_stmt_done(s, st);
	fclose(out);
	if (rc != SQLITE_DONE) {
		free(all);
		return store_error(s, rc, e, "timeline");
	}
	if (all[0] != '\0')
		detail_add(d, "Lines", all);
	else
		free(all);
	return 0;
}

/* An audit entry's detail, one field per key; an update's "was"/"now". */
static int
detail_audit(struct store *s, int64_t id, struct timeline_detail *d,
	struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_stmt(s, "SELECT j.key, j.type = 'array', coalesce(CASE WHEN "
	    "j.type = 'array' THEN json_extract(j.value, '$[0]') ELSE j.value "
	    "END, '(none)'), coalesce(CASE WHEN j.type = 'array' THEN "
	    "json_extract(j.value, '$[1]') END, '(none)') FROM audit a, "
	    "json_each(CASE WHEN json_valid(a.detail) AND json_type(a.detail) "
	    "= 'object' THEN a.detail END) j WHERE a.id = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *was = (const char *)sqlite3_column_text(st, 2);

		detail_add(d, (const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int(st, 1) ? xasprintf("was: %s\nnow: %s",
		    was, (const char *)sqlite3_column_text(st, 3)) :
		    xstrdup(was));
	}
	store_stmt_done(s, st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "timeline");
}

int
timeline_detail(struct store *s, const struct config *cfg,
	const struct timeline_item *it, struct timeline_detail *d,
	struct perr *e)
{
	sqlite3_stmt *st;
	int rc, src = it->key_src;

	memset(d, 0, sizeof *d);
	if (src < 0 || src >= SRC_N)
		return perr_set(e, PX_USAGE, "not a timeline row");
	if (store_stmt(s, detail_sql[src], &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, it->id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *label = sqlite3_column_name(st, i);

			if (sqlite3_column_type(st, i) == SQLITE_NULL ||
			    sqlite3_column_bytes(st, i) == 0)
				continue;
			detail_add(d, label + (label[0] == '$'),
			    detail_value(cfg, label, st, i));
		}
	store_stmt_done(s, st);
	if (rc == SQLITE_DONE)
		return perr_set(e, PX_FAIL, "that entry is gone");
	if (rc != SQLITE_ROW)
		return store_error(s, rc, e, "timeline");
	if ((src == SRC_PURCHASE && detail_lines(s, cfg, it->id, d, e) < 0) ||
	    (src == SRC_CHANGE && detail_audit(s, it->id, d, e) < 0)) {
		timeline_detail_free(d);
		return -1;
	}
	return 0;
}

void
timeline_detail_free(struct timeline_detail *d)
{
	for (int i = 0; i < d->n; i++) {
		free(d->f[i].label);
		free(d->f[i].value);
	}
	free(d->f);
	memset(d, 0, sizeof *d);
}
