/*
 * bench_history: the customer screen's history and the loyalty lookups, in
 * the encrypted store and, in the same run, in plain SQLite (the stock unix
 * VFS, no encryption) with the same schema, rows and pragmas running the
 * same SELECTs.
 *
 *   heavy   one customer with E events (default 10,000) recorded through
 *           the API over three years: purchases and returns, interactions,
 *           redemptions and adjustments. Times opening the customer
 *           (loyalty_status + history_summary + the timeline's first 50
 *           rows), warm and on a fresh connection, and paging through the
 *           whole timeline. Goal: open in under 20 ms.
 *   scale   C customers (default 1,000,000) and L ledger entries (default
 *           20,000,000) with the purchases that earned them, filled by
 *           bulk SQL into both engines at once (a thread each); then,
 *           engine by engine with its file in the OS page cache,
 *           loyalty_status for random customers, against the same SQL and
 *           against the plain engine's cached balance and 12-month
 *           qualifying sum (two SELECTs).
 *
 * Timings are reported, never asserted: the exit status is 1 only when
 * something is functionally wrong (the engines disagree, the ledger does
 * not add up).
 *
 * usage: bench_history [-c CUSTOMERS] [-l LEDGER] [-e EVENTS] [-q LOOKUPS]
 *        [-r REPS] [-d DIR]
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "patron/audit.h"
#include "patron/customer.h"
#include "patron/history.h"
#include "patron/interaction.h"
#include "patron/purchase.h"
#include "patron/timeline.h"
#include "patron/keyslot.h"
#include "patron/loyalty.h"
#include "patron/store.h"
#include "patron/vfs.h"
#include "bench.h"
#include "synth.h"

#define PAGE 50			/* timeline rows per page, as on screen */
#define GOAL_MS 20.0		/* the issue: open in under 20 ms */
#define MS_PER_DAY (86400LL * 1000)
#define CHUNK 200000		/* ledger entries per bulk transaction */
#define WALKS 5			/* walks through the whole timeline */
#define WARMUP 2000		/* untimed lookups before the timed ones */
/* Both engines, like the store: 16 MB of page cache; bulk loads more. */
#define CACHE_RUN "PRAGMA cache_size = -16384"
#define CACHE_BULK "PRAGMA cache_size = -262144"

static int failed;

static void
die(const char *what, const char *msg)
{
	const char *vfs = vfs_last_error();

	fprintf(stderr, "bench_history: %s: %s%s%s\n", what, msg ? msg : "",
		vfs[0] ? ": " : "", vfs);
	exit(1);
}

/* A functional difference: reported, and the run fails at the end. */
static void wrong(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
wrong(const char *fmt, ...)
{
	va_list ap;

	if (failed++ < 10) {
		fputs("bench_history: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
}

static void
exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die(sql, msg);
}

static sqlite3_stmt *
prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(db));
	return st;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct stats {
	double p50, p99, max;	/* ms */
};

static struct stats
summarise(double *t, long n)
{
	struct stats s = { 0, 0, 0 };

	if (n == 0)
		return s;
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	s.p50 = t[n / 2] * 1e3;
	s.p99 = t[(long)((double)(n - 1) * 0.99)] * 1e3;
	s.max = t[n - 1] * 1e3;
	return s;
}

static double
file_mb(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (double)st.st_size / 1048576.0 : 0;
}

/* ---- the plain engine -------------------------------------------------- */

/* Stock SQLite with the store's pragmas and Patron's schema. */
static sqlite3 *
plain_open(const char *path, int create)
{
	sqlite3 *db;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
		    (create ? SQLITE_OPEN_CREATE : 0), "unix") != SQLITE_OK)
		die(path, sqlite3_errmsg(db));
	exec(db, "PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = ON; "
		"PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; "
		"PRAGMA mmap_size = 0; " CACHE_RUN "; "
		"SELECT count(*) FROM sqlite_schema; PRAGMA journal_mode = WAL");
	if (create) {
		exec(db, "BEGIN");
		for (int i = 0; i < store_nmigrations; i++)
			exec(db, store_migrations[i].sql);
		exec(db, "COMMIT");
	}
	return db;
}

/*
 * The SELECTs loyalty_status, history_summary and timeline_page run
 * (src/core/loyalty.c, src/core/history.c), for any connection: the plain
 * database's, or the store's own for the raw-SQL rows. Copied: keep them
 * in step with the core.
 */
struct raw {
	sqlite3 *db;
	sqlite3_stmt *balance, *qualifying, *lots, *first_lot;
};

static const char raw_balance_sql[] =
	"SELECT points FROM customer WHERE id = ?1 AND deleted_at IS NULL";
static const char raw_qualifying_sql[] =
	"SELECT coalesce(sum(points), 0) FROM purchase WHERE customer_id = ?1 "
	"AND occurred_at > ?2 AND voided_at IS NULL";
static const char raw_lots_sql[] =
	"SELECT -coalesce(sum(points) FILTER (WHERE points < 0), 0), "
	"coalesce(sum(points) FILTER (WHERE points > 0 AND expires_at <= ?2), "
	"0), coalesce(sum(points) FILTER (WHERE points > 0 AND expires_at <= "
	"?3), 0) FROM ledger WHERE customer_id = ?1";
static const char raw_first_lot_sql[] =
	"SELECT expires_at, points FROM ledger WHERE customer_id = ?1 AND "
	"points > 0 AND expires_at IS NOT NULL ORDER BY expires_at";
static const char raw_summary_sql[] =
	"SELECT c.created_at, c.last_visit, (SELECT min(occurred_at) FROM "
	"purchase WHERE customer_id = c.id), (SELECT coalesce(sum(total), 0) "
	"FROM purchase WHERE customer_id = c.id AND voided_at IS NULL), "
	"(SELECT count(*) FROM (SELECT substr(occurred_at, 1, 10) FROM "
	"purchase WHERE customer_id = c.id AND occurred_at > ?2 AND voided_at "
	"IS NULL AND total > 0 UNION SELECT substr(occurred_at, 1, 10) FROM "
	"interaction WHERE customer_id = c.id AND kind = 'visit' AND "
	"occurred_at > ?2)) FROM customer c WHERE c.id = ?1";
static const char raw_months_sql[] =
	"SELECT occurred_at, total FROM purchase WHERE customer_id = ?1 AND "
	"occurred_at > ?2 AND voided_at IS NULL";

enum { SRC_INTERACTION, SRC_POINTS, SRC_PURCHASE, SRC_TASK, SRC_N };
static const char *const raw_timeline_sql[SRC_N] = {
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
};
static const char *const raw_timeline_at[SRC_N] = { "i.occurred_at",
	"l.created_at", "p.occurred_at", "e.at" };
static const char *const raw_timeline_id[SRC_N] = { "i.id", "l.id", "p.id",
	"e.id" };

static void
raw_init(struct raw *r, sqlite3 *db)
{
	memset(r, 0, sizeof *r);
	r->db = db;
}

static void
raw_done(struct raw *r)
{
	sqlite3_finalize(r->balance);
	sqlite3_finalize(r->qualifying);
	sqlite3_finalize(r->lots);
	sqlite3_finalize(r->first_lot);
	raw_init(r, NULL);
}

/* A kept statement, prepared on first use as store_stmt does. */
static sqlite3_stmt *
raw_stmt(struct raw *r, sqlite3_stmt **st, const char *sql)
{
	if (*st == NULL)
		*st = prepare(r->db, sql);
	return *st;
}

static int64_t
raw_int(sqlite3_stmt *st, int64_t a, const char *t)
{
	int64_t v = 0;

	sqlite3_bind_int64(st, 1, a);
	if (t != NULL)
		sqlite3_bind_text(st, 2, t, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

static int64_t
col_ms(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	int64_t ms;

	return t != NULL && util_time_parse(t, &ms) == 0 ? ms : 0;
}

/* The cached balance and the 12-month qualifying sum: two SELECTs. */
static void
raw_pair(struct raw *r, int64_t c, int64_t now, int64_t *balance,
	int64_t *qualifying)
{
	char from[32];

	util_iso_utc(util_add_months(now, -LOYALTY_TIER_MONTHS), from,
		sizeof from);
	*balance = raw_int(raw_stmt(r, &r->balance, raw_balance_sql), c, NULL);
	*qualifying = raw_int(raw_stmt(r, &r->qualifying, raw_qualifying_sql),
		c, from);
}

static int64_t
raw_unused(int64_t lapsed, int64_t debits, int64_t balance)
{
	int64_t v = lapsed - debits;

	return v > balance ? (balance > 0 ? balance : 0) : v < 0 ? 0 : v;
}

/* What loyalty_status does, statement for statement. */
static void
raw_status(struct raw *r, const struct config *cfg, int64_t c, int64_t now,
	struct loyalty_status *st)
{
	int64_t debits = 0, lapsed = 0, soon = 0;
	char a[32], b[32];
	sqlite3_stmt *q;

	memset(st, 0, sizeof *st);
	raw_pair(r, c, now, &st->balance, &st->qualifying);
	util_iso_utc(now, a, sizeof a);
	util_iso_utc(now + LOYALTY_SOON_DAYS * MS_PER_DAY, b, sizeof b);
	q = raw_stmt(r, &r->lots, raw_lots_sql);
	sqlite3_bind_int64(q, 1, c);
	sqlite3_bind_text(q, 2, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, b, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		debits = sqlite3_column_int64(q, 0);
		lapsed = sqlite3_column_int64(q, 1);
		soon = sqlite3_column_int64(q, 2);
	}
	sqlite3_reset(q);
	st->tier = loyalty_tier_for(cfg, st->qualifying);
	st->next = st->tier + 1 < cfg->ntiers ? st->tier + 1 : -1;
	if (st->next >= 0)
		st->to_next = cfg->tiers[st->next].threshold - st->qualifying;
	st->expiring = raw_unused(soon, debits, st->balance) -
	    raw_unused(lapsed, debits, st->balance);
	if (st->expiring > 0) {
		int64_t upto = 0;

		q = raw_stmt(r, &r->first_lot, raw_first_lot_sql);
		sqlite3_bind_int64(q, 1, c);
		while (sqlite3_step(q) == SQLITE_ROW) {
			const char *x = (const char *)sqlite3_column_text(q, 0);

			upto += sqlite3_column_int64(q, 1);
			if (upto > debits && x != NULL && strcmp(x, a) > 0) {
				st->expiring_ms = col_ms(q, 0);
				break;
			}
		}
		sqlite3_reset(q);
	}
}

/* What history_summary does. */
static void
raw_summary(struct raw *r, int64_t c, int64_t now, struct history_summary *h)
{
	char from[32], now_month[8], month[8];
	sqlite3_stmt *st;
	int now_y, now_m;

	memset(h, 0, sizeof *h);
	util_iso_utc(util_add_months(now, -LOYALTY_TIER_MONTHS), from,
		sizeof from);
	st = prepare(r->db, raw_summary_sql);
	sqlite3_bind_int64(st, 1, c);
	sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		int64_t first = col_ms(st, 2);

		h->first_seen_ms = col_ms(st, 0);
		if (first > 0 && first < h->first_seen_ms)
			h->first_seen_ms = first;
		h->last_visit_ms = col_ms(st, 1);
		h->lifetime = sqlite3_column_int64(st, 3);
		h->visits_12m = (long)sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	util_time_local(now, "%Y-%m", now_month, sizeof now_month);
	now_y = atoi(now_month);
	now_m = atoi(now_month + 5);
	st = prepare(r->db, raw_months_sql);
	sqlite3_bind_int64(st, 1, c);
	sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t total = sqlite3_column_int64(st, 1);
		int back;

		util_time_local(col_ms(st, 0), "%Y-%m", month, sizeof month);
		back = (now_y - atoi(month)) * 12 + now_m - atoi(month + 5);
		h->spend_12m += total;
		if (total > 0)
			h->purchases_12m++;
		if (back >= 0 && back < 12)
			h->months[11 - back] += total;
	}
	sqlite3_finalize(st);
	h->avg_basket = h->purchases_12m ? h->spend_12m / h->purchases_12m : 0;
}

static void
raw_copy(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const char *t = (const char *)sqlite3_column_text(st, col);

	snprintf(buf, len, "%s", t ? t : "");
}

static int
raw_kind(const char *k)
{
	for (int i = 0; i < TL_NKINDS; i++)
		if (strcmp(k, timeline_kind_names[i]) == 0)
			return i;
	return TL_POINTS;
}

/* What timeline_page does (all kinds): three sources merged. */
static long
raw_timeline(struct raw *r, int64_t c, const struct timeline_item *after,
	struct timeline_item *items, long n)
{
	sqlite3_stmt *st[SRC_N];
	int have[SRC_N];
	long got = 0;

	for (int i = 0; i < SRC_N; i++) {
		char cond[160] = "", sql[1024];

		if (after != NULL) {
			if (i < after->key_src)
				snprintf(cond, sizeof cond, "AND %s <= ?2",
					raw_timeline_at[i]);
			else if (i == after->key_src)
				snprintf(cond, sizeof cond, "AND (%s, %s) < "
					"(?2, ?3)", raw_timeline_at[i],
					raw_timeline_id[i]);
			else
				snprintf(cond, sizeof cond, "AND %s < ?2",
					raw_timeline_at[i]);
		}
		snprintf(sql, sizeof sql, raw_timeline_sql[i], cond);
		st[i] = prepare(r->db, sql);
		sqlite3_bind_int64(st[i], 1, c);
		if (after != NULL) {
			sqlite3_bind_text(st[i], 2, after->key_at, -1,
				SQLITE_STATIC);
			sqlite3_bind_int64(st[i], 3, after->id);
		}
		sqlite3_bind_int64(st[i], 4, n);
		have[i] = sqlite3_step(st[i]) == SQLITE_ROW;
	}
	while (got < n) {
		struct timeline_item *it = &items[got];
		int best = -1;

		for (int i = 0; i < SRC_N; i++) {
			int cmp;

			if (!have[i])
				continue;
			if (best < 0) {
				best = i;
				continue;
			}
			cmp = strcmp((const char *)sqlite3_column_text(st[i], 0),
				(const char *)sqlite3_column_text(st[best], 0));
			if (cmp > 0 || (cmp == 0 && i > best))
				best = i;
		}
		if (best < 0)
			break;
		memset(it, 0, sizeof *it);
		raw_copy(st[best], 0, it->key_at, sizeof it->key_at);
		it->key_src = best;
		it->at_ms = col_ms(st[best], 0);
		it->id = sqlite3_column_int64(st[best], 1);
		it->kind = raw_kind((const char *)sqlite3_column_text(st[best],
			2));
		it->amount = sqlite3_column_int64(st[best], 3);
		it->points = sqlite3_column_int64(st[best], 4);
		it->voided = sqlite3_column_int(st[best], 5);
		raw_copy(st[best], 6, it->text, sizeof it->text);
		raw_copy(st[best], 7, it->staff, sizeof it->staff);
		got++;
		have[best] = sqlite3_step(st[best]) == SQLITE_ROW;
	}
	for (int i = 0; i < SRC_N; i++)
		sqlite3_finalize(st[i]);
	return got;
}

/* ---- heavy: one customer with a long history --------------------------- */

struct screen {
	struct loyalty_status st;
	struct history_summary sum;
	struct timeline_item items[PAGE];
	long n;
};

/* Opening the customer: parts timed (t[0..2]) and checked. */
static void
open_patron(struct store *s, const struct config *cfg, int64_t c,
	int64_t now, struct screen *v, double t[3])
{
	struct perr e;
	double t0 = bench_now(), t1, t2;

	if (loyalty_status(s, cfg, c, now, &v->st, &e) < 0)
		die("loyalty_status", e.msg);
	t1 = bench_now();
	if (history_summary(s, c, now, &v->sum, &e) < 0)
		die("history_summary", e.msg);
	t2 = bench_now();
	if ((v->n = timeline_page(s, c, TL_F_ALL, NULL, v->items, PAGE,
		    &e)) < 0)
		die("timeline_page", e.msg);
	t[2] = bench_now() - t2;
	t[1] = t2 - t1;
	t[0] = t1 - t0;
}

static void
open_plain(struct raw *r, const struct config *cfg, int64_t c, int64_t now,
	struct screen *v, double t[3])
{
	double t0 = bench_now(), t1, t2;

	raw_status(r, cfg, c, now, &v->st);
	t1 = bench_now();
	raw_summary(r, c, now, &v->sum);
	t2 = bench_now();
	v->n = raw_timeline(r, c, NULL, v->items, PAGE);
	t[2] = bench_now() - t2;
	t[1] = t2 - t1;
	t[0] = t1 - t0;
}

static int
same_items(const struct timeline_item *a, const struct timeline_item *b,
	long n)
{
	for (long i = 0; i < n; i++)
		if (a[i].id != b[i].id || a[i].kind != b[i].kind ||
		    a[i].at_ms != b[i].at_ms || a[i].points != b[i].points ||
		    strcmp(a[i].text, b[i].text) != 0)
			return 0;
	return 1;
}

static void
same_screen(const struct screen *a, const struct screen *b)
{
	if (memcmp(&a->st, &b->st, sizeof a->st) != 0)
		wrong("loyalty status differs: balance %lld vs %lld",
			(long long)a->st.balance, (long long)b->st.balance);
	if (memcmp(&a->sum, &b->sum, sizeof a->sum) != 0)
		wrong("summary differs: lifetime %lld vs %lld",
			(long long)a->sum.lifetime, (long long)b->sum.lifetime);
	if (a->n != b->n || !same_items(a->items, b->items, a->n))
		wrong("first timeline page differs (%ld vs %ld rows)", a->n,
			b->n);
}

static const char *const notes[] = { "asked about the autumn collection",
	"wants a call when size 38 is back", "顾客希望下周取货",
	"complained about a late delivery", "prefers email over phone",
	"Заказ на день рождения дочери", "gift wrapping, every time" };

struct heavy {
	int64_t id;
	long purchases, returns, interactions, points;
	double build;			/* seconds */
	struct stats add_first, add_last;	/* purchase_add, ms */
};

static void
ok_or_die(int rc, const char *what, const struct perr *e)
{
	if (rc < 0)
		die(what, e->msg);
}

/*
 * Events over three years, in time order: 6 in 10 a purchase (every 40th
 * of them a return of half the one before), 3 an interaction, 1 a
 * redemption or an adjustment; 500 events per outer transaction, as an
 * import would record them. Then the daily upkeep expires what lapsed.
 */
static void
heavy_build(struct store *s, const struct config *cfg, long events,
	int64_t now, struct heavy *h)
{
	struct synth g = { 1066 };
	struct customer_input in;
	struct purchase p;
	struct ledger_entry le;
	struct loyalty_upkeep up;
	struct perr e;
	int64_t start = util_add_months(now, -36), span = now - MS_PER_DAY -
		start, balance = 0, last_id = 0, last_total = 0;
	double *t_add = calloc((size_t)events, sizeof *t_add), t0;
	long nadd = 0;

	memset(h, 0, sizeof *h);
	customer_input_init(&in);
	in.name = "王芳";
	in.phone = "+8613912345678";
	t0 = bench_now();
	ok_or_die(customer_add(s, cfg, &in, 0, &h->id, &e), "customer_add", &e);
	for (long k = 0; k < events; k++) {
		int64_t at = start + span / events * k +
			synth_below(&g, 600000);
		int what = (int)(k % 10);

		if (k % 500 == 0)
			ok_or_die(store_begin(s, &e), "begin", &e);
		if (what < 6) {
			struct purchase_input pi = { 0 };
			double t1;

			pi.customer_id = h->id;
			pi.occurred_ms = at;
			if (last_id > 0 && (h->purchases + h->returns) % 40 ==
			    39) {
				pi.total = -(last_total / 2);
				pi.return_of = last_id;
			} else
				pi.total = 500 + synth_below(&g, 49500);
			t1 = bench_now();
			ok_or_die(purchase_add(s, cfg, &pi, 0, &p, &e),
				"purchase_add", &e);
			t_add[nadd++] = bench_now() - t1;
			balance = p.balance;
			if (pi.total > 0) {
				last_id = p.id;
				last_total = p.total;
				h->purchases++;
			} else {
				last_id = 0;
				h->returns++;
			}
		} else if (what < 9) {
			int kind = (int)synth_below(&g, 2 * IK_NKINDS);

			kind = kind >= IK_NKINDS ? IK_VISIT : kind;
			ok_or_die(interaction_add(s, h->id, kind,
				kind == IK_VISIT ? NULL :
				notes[synth_below(&g, SYNTH_N(notes))], at, 0,
				NULL, &e), "interaction_add", &e);
			h->interactions++;
		} else {
			int64_t pts = 100 + synth_below(&g, 900);

			if (h->points % 5 == 4 || balance < pts)
				ok_or_die(loyalty_adjust(s, cfg, h->id,
					balance < pts ? pts : -pts / 2,
					"goodwill", 0, at, &le, &e),
					"loyalty_adjust", &e);
			else
				ok_or_die(loyalty_redeem(s, cfg, h->id, pts,
					"redeemed at the till", 0, at, &le, &e),
					"loyalty_redeem", &e);
			balance = le.balance;
			h->points++;
		}
		if (k % 500 == 499 || k == events - 1)
			ok_or_die(store_commit(s, &e), "commit", &e);
	}
	ok_or_die(loyalty_upkeep(s, cfg, now, &up, &e), "loyalty_upkeep", &e);
	h->build = bench_now() - t0;
	{
		long m = nadd < 500 ? nadd : 500;
		double *last = t_add + nadd - m;

		h->add_last = summarise(last, m);
		h->add_first = summarise(t_add, m);
	}
	free(t_add);
}

static void
count_problem(const char *msg, void *arg)
{
	long *n = arg;

	if ((*n)++ < 5)
		fprintf(stderr, "bench_history: check: %s\n", msg);
}

/* Every table of the store, row for row, into the plain database. */
static void
copy_rows(sqlite3 *from, sqlite3 *to)
{
	sqlite3_stmt *tables = prepare(from, "SELECT name FROM sqlite_schema "
		"WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");

	sqlite3_db_config(to, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	exec(to, "PRAGMA foreign_keys = OFF; BEGIN");
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		char sql[512], *q;
		sqlite3_stmt *rd, *wr;
		int ncol;

		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", name);
		rd = prepare(from, sql);
		ncol = sqlite3_column_count(rd);
		q = sql + snprintf(sql, sizeof sql, "INSERT INTO \"%s\" VALUES "
			"(?", name);
		for (int i = 1; i < ncol; i++)
			q += snprintf(q, sizeof sql - (size_t)(q - sql), ", ?");
		snprintf(q, sizeof sql - (size_t)(q - sql), ")");
		wr = prepare(to, sql);
		while (sqlite3_step(rd) == SQLITE_ROW) {
			for (int i = 0; i < ncol; i++)
				sqlite3_bind_value(wr, i + 1,
					sqlite3_column_value(rd, i));
			if (sqlite3_step(wr) != SQLITE_DONE)
				die(name, sqlite3_errmsg(to));
			sqlite3_reset(wr);
		}
		sqlite3_finalize(rd);
		sqlite3_finalize(wr);
	}
	sqlite3_finalize(tables);
	exec(to, "COMMIT; PRAGMA foreign_keys = ON");
	sqlite3_db_config(to, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, NULL);
}

static void
row(const char *name, long n, double *pt, double *bt, long bn, int goal)
{
	struct stats p = summarise(pt, n), b = summarise(bt, bn);

	printf("%-30s %6ld %8.3f %8.3f %8.3f %9.3f %9.3f %6.2fx", name, n,
		p.p50, p.p99, p.max, b.p50, b.p99, b.p50 > 0 ? p.p50 / b.p50 :
		0);
	if (goal)
		printf("  %s", p.p99 < GOAL_MS ? "ok" : "MISS");
	putchar('\n');
}

static void
heavy_run(const char *dir, const struct cred *cred, const struct config *cfg,
	long events, int reps)
{
	char path[600], plain_path[600];
	struct store *s;
	struct perr e;
	struct heavy h;
	struct raw r;
	struct screen a, b;
	sqlite3 *pdb;
	int64_t now = util_now_ms();
	int cold = reps / 4 > 0 ? reps / 4 : 1;
	long nwalk = 0, bwalk = 0, cap = events / PAGE * WALKS + 2 * WALKS + 16;
	double *pt[4], *bt[4], *pw = calloc((size_t)cap, sizeof *pw),
		*bw = calloc((size_t)cap, sizeof *bw), first20[WALKS],
		bfirst20[WALKS], t[3], t0;
	double *pc = calloc((size_t)cold, sizeof *pc),
		*bc = calloc((size_t)cold, sizeof *bc);

	for (int i = 0; i < 4; i++) {
		pt[i] = calloc((size_t)reps, sizeof(double));
		bt[i] = calloc((size_t)reps, sizeof(double));
	}
	snprintf(path, sizeof path, "%s/heavy.db", dir);
	snprintf(plain_path, sizeof plain_path, "%s/heavy-plain.db", dir);
	if (store_create(path, cred, KDF_INTERACTIVE, &s, &e) < 0)
		die("store_create", e.msg);
	heavy_build(s, cfg, events, now, &h);
	{
		long problems = 0;

		if (loyalty_check(s, count_problem, &problems, &e) < 0)
			die("loyalty_check", e.msg);
		if (problems > 0)
			wrong("the heavy customer's ledger has %ld problems",
				problems);
	}
	printf("heavy customer: %ld events (%ld purchases, %ld returns, "
		"%ld interactions, %ld points entries)\n", events, h.purchases,
		h.returns, h.interactions, h.points);
	printf("recorded through the API in %.1f s (%.0f events/s); "
		"purchase_add p50 %.2f ms for the first 500, %.2f ms for the "
		"last 500\n", h.build, (double)events / h.build,
		h.add_first.p50, h.add_last.p50);
	t0 = bench_now();
	pdb = plain_open(plain_path, 1);
	copy_rows(store_db(s), pdb);
	exec(pdb, "PRAGMA wal_checkpoint(TRUNCATE)");
	ok_or_die(store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", &e),
		"checkpoint", &e);
	printf("copied to the plain database in %.2f s; files %.1f MB "
		"(patron) and %.1f MB (plain)\n", bench_now() - t0,
		file_mb(path), file_mb(plain_path));
	raw_init(&r, pdb);

	/* Warm: the same connection, opened again and again. */
	for (int i = 0; i < reps; i++) {
		open_patron(s, cfg, h.id, now, &a, t);
		for (int k = 0; k < 3; k++)
			pt[k][i] = t[k];
		pt[3][i] = t[0] + t[1] + t[2];
		open_plain(&r, cfg, h.id, now, &b, t);
		for (int k = 0; k < 3; k++)
			bt[k][i] = t[k];
		bt[3][i] = t[0] + t[1] + t[2];
		if (i == 0)
			same_screen(&a, &b);
	}
	/*
	 * A fresh connection each time (the reopen not timed: for Patron it
	 * unlocks the key slot): the page cache is empty, every page comes
	 * from the OS page cache through the VFS.
	 */
	for (int i = 0; i < cold; i++) {
		store_close(s);
		if (store_open(path, cred, 0, &s, &e) < 0)
			die("store_open", e.msg);
		open_patron(s, cfg, h.id, now, &a, t);
		pc[i] = t[0] + t[1] + t[2];
		raw_done(&r);
		sqlite3_close(pdb);
		pdb = plain_open(plain_path, 0);
		raw_init(&r, pdb);
		open_plain(&r, cfg, h.id, now, &b, t);
		bc[i] = t[0] + t[1] + t[2];
		if (i == 0)
			same_screen(&a, &b);
	}
	/* Scrolling: the whole timeline, page by page through the cursor. */
	for (int w = 0; w < WALKS; w++) {
		struct timeline_item pa[PAGE], pb[PAGE], la, lb;
		long n = PAGE, m = PAGE, pages = 0, rows = 0;

		first20[w] = bfirst20[w] = 0;
		while (n == PAGE && nwalk < cap && bwalk < cap) {
			t0 = bench_now();
			n = timeline_page(s, h.id, TL_F_ALL, pages ? &la : NULL,
				pa, PAGE, &e);
			pw[nwalk] = bench_now() - t0;
			if (n < 0)
				die("timeline_page", e.msg);
			t0 = bench_now();
			m = raw_timeline(&r, h.id, pages ? &lb : NULL, pb,
				PAGE);
			bw[bwalk] = bench_now() - t0;
			if (n != m || !same_items(pa, pb, n))
				wrong("timeline page %ld differs (%ld vs %ld "
					"rows)", pages, n, m);
			la = pa[n > 0 ? n - 1 : 0];
			lb = pb[m > 0 ? m - 1 : 0];
			if (pages < 20) {
				first20[w] += pw[nwalk];
				bfirst20[w] += bw[bwalk];
			}
			nwalk++;
			bwalk++;
			pages++;
			rows += n;
		}
		if (w == 0)
			printf("the timeline: %ld rows, %ld pages of %d\n",
				rows, pages, PAGE);
	}

	printf("\n%-30s %6s %8s %8s %8s %9s %9s %7s  goal\n", "open the customer",
		"reps", "p50 ms", "p99 ms", "max ms", "plain p50", "plain p99",
		"ratio");
	row("loyalty_status", reps, pt[0], bt[0], reps, 0);
	row("history_summary", reps, pt[1], bt[1], reps, 0);
	row("timeline, first 50 rows", reps, pt[2], bt[2], reps, 0);
	row("open, warm (all three)", reps, pt[3], bt[3], reps, 1);
	row("open, fresh connection", cold, pc, bc, cold, 1);
	row("timeline page while scrolling", nwalk, pw, bw, bwalk, 0);
	row("20 pages from the top", WALKS, first20, bfirst20, WALKS, 0);
	printf("(goal: open under %.0f ms at the 99th percentile; ratio: "
		"patron p50 / plain p50)\n", GOAL_MS);

	raw_done(&r);
	sqlite3_close(pdb);
	store_close(s);
	for (int i = 0; i < 4; i++) {
		free(pt[i]);
		free(bt[i]);
	}
	free(pw);
	free(bw);
	free(pc);
	free(bc);
}

/* ---- scale: a million customers, twenty million entries ---------------- */

/*
 * The synthetic ledger, a pure function of (customer c, entry i) so that
 * both engines get the same rows from the same SQL and customers' cached
 * balances and tiers need no second pass. Customers come in blocks of
 * about CHUNK entries, one transaction each; within a block entry i of
 * every customer comes before entry i + 1 of any, so a customer's entries
 * lie a block's width apart in the file (each on a page of its own, as in
 * a ledger that grew over years), while the indexes that start with
 * customer_id grow in one small region at a time and can stay in place.
 * Entry i of a customer lies in the i-th of k equal slices of the last 700
 * days. In every 8 entries, 7 are purchases earning w(c) x 1..7 points
 * (at the base rate) and the 8th redeems max(100, 14 w(c)): never more
 * than the balance; nothing has lapsed yet (credits expire after
 * loyalty.expiry_months, 24 by default).
 */
struct gen {
	int64_t customers, entries;
	int64_t block;			/* customers per block */
	int64_t t0, layer_ms, cut_ms;
	const struct config *cfg;
};

static uint64_t
gen_mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t
gen_w(int64_t c)
{
	return 5 + (int64_t)(gen_mix((uint64_t)c ^ 0x5eed) % 200);
}

/* Customers 1..R have one entry more than the others. */
static int64_t
gen_count(const struct gen *g, int64_t c)
{
	return g->entries / g->customers + (c <= g->entries % g->customers);
}

/* Entries of the customers before c0 (the first of a block). */
static int64_t
gen_base(const struct gen *g, int64_t c0)
{
	int64_t r = g->entries % g->customers;

	return (c0 - 1) * (g->entries / g->customers) + (c0 - 1 < r ? c0 - 1 :
		r);
}

/* Entry i of customer c is row x (its id is x + 1). */
static int64_t
gen_x(const struct gen *g, int64_t c, int64_t i)
{
	int64_t c0 = (c - 1) / g->block * g->block + 1,
		nb = g->customers - c0 + 1 < g->block ? g->customers - c0 + 1 :
			g->block;

	return gen_base(g, c0) + i * nb + (c - c0);
}

static int64_t
gen_time(const struct gen *g, int64_t c, int64_t i)
{
	uint64_t x = (uint64_t)gen_x(g, c, i);

	return g->t0 + i * g->layer_ms + (int64_t)(gen_mix(x) %
		(uint64_t)g->layer_ms);
}

static int64_t
gen_points(int64_t c, int64_t i)
{
	int64_t w = gen_w(c);

	return i % 8 == 7 ? -(w * 14 > 100 ? w * 14 : 100) : w * (i % 8 + 1);
}

/* The balance after the customer's first n entries. */
static int64_t
gen_balance(int64_t c, int64_t n)
{
	int64_t w = gen_w(c), r = n % 8;

	return n / 8 * (28 * w - (w * 14 > 100 ? w * 14 : 100)) +
		w * r * (r + 1) / 2;
}

/* Entries that are not redemptions: every 8th of a customer's. */
static int64_t
gen_purchases(const struct gen *g)
{
	int64_t k = g->entries / g->customers, r = g->entries % g->customers;

	return (g->customers - r) * (k - k / 8) + r * (k + 1 - (k + 1) / 8);
}

static void
gen_digits(char *p, int64_t v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/*
 * util_iso_utc's "2026-11-22T07:14:59.123Z" without gmtime and printf:
 * formatting was a fifth of the bulk load (main checks the two agree).
 */
static void
gen_iso(int64_t ms, char buf[25])
{
	int64_t days = ms / MS_PER_DAY, rem = ms % MS_PER_DAY, z, era, doe,
		yoe, doy, mp, y, m, d;

	/* Days to a civil date, after Howard Hinnant's days_from_civil. */
	z = days + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	memcpy(buf, "0000-00-00T00:00:00.000Z", 25);
	gen_digits(buf, y, 4);
	gen_digits(buf + 5, m, 2);
	gen_digits(buf + 8, d, 2);
	gen_digits(buf + 11, rem / 3600000, 2);
	gen_digits(buf + 14, rem / 60000 % 60, 2);
	gen_digits(buf + 17, rem / 1000 % 60, 2);
	gen_digits(buf + 20, rem % 1000, 3);
}

static void
fn_time(sqlite3_context *cx, int n, sqlite3_value **v)
{
	const struct gen *g = sqlite3_user_data(cx);
	char buf[25];

	(void)n;
	gen_iso(gen_time(g, sqlite3_value_int64(v[0]),
		sqlite3_value_int64(v[1])), buf);
	sqlite3_result_text(cx, buf, 24, SQLITE_TRANSIENT);
}

static void
fn_expires(sqlite3_context *cx, int n, sqlite3_value **v)
{
	const struct gen *g = sqlite3_user_data(cx);
	char buf[32];

	(void)n;
	gen_iso(util_add_months(gen_time(g, sqlite3_value_int64(v[0]),
		sqlite3_value_int64(v[1])), g->cfg->loyalty_expiry_months), buf);
	sqlite3_result_text(cx, buf, 24, SQLITE_TRANSIENT);
}

static void
fn_points(sqlite3_context *cx, int n, sqlite3_value **v)
{
	(void)n;
	sqlite3_result_int64(cx, gen_points(sqlite3_value_int64(v[0]),
		sqlite3_value_int64(v[1])));
}

static void
fn_balance(sqlite3_context *cx, int n, sqlite3_value **v)
{
	(void)n;
	sqlite3_result_int64(cx, gen_balance(sqlite3_value_int64(v[0]),
		sqlite3_value_int64(v[1])));
}

/* bh_customer(c, what): 0 balance, 1 tier name, 2 last entry's time. */
static void
fn_customer(sqlite3_context *cx, int n, sqlite3_value **v)
{
	const struct gen *g = sqlite3_user_data(cx);
	int64_t c = sqlite3_value_int64(v[0]), k = gen_count(g, c), q = 0;
	int what = sqlite3_value_int(v[1]), tier;
	char buf[32];

	(void)n;
	if (what == 0) {
		sqlite3_result_int64(cx, gen_balance(c, k));
		return;
	}
	if (what == 2) {
		util_iso_utc(gen_time(g, c, k - 1), buf, sizeof buf);
		sqlite3_result_text(cx, buf, -1, SQLITE_TRANSIENT);
		return;
	}
	/* Qualifying: what purchases earned after the cut, as retier. */
	for (int64_t i = 0; i < k; i++)
		if (i % 8 != 7 && gen_time(g, c, i) > g->cut_ms)
			q += gen_points(c, i);
	tier = loyalty_tier_for(g->cfg, q);
	if (tier < 0)
		sqlite3_result_null(cx);
	else
		sqlite3_result_text(cx, g->cfg->tiers[tier].name, -1,
			SQLITE_TRANSIENT);
}

static void
gen_functions(sqlite3 *db, struct gen *g)
{
	static const struct {
		const char *name;
		void (*fn)(sqlite3_context *, int, sqlite3_value **);
	} fns[] = { { "bh_time", fn_time }, { "bh_expires", fn_expires },
		{ "bh_points", fn_points }, { "bh_balance", fn_balance },
		{ "bh_customer", fn_customer } };

	for (size_t i = 0; i < SYNTH_N(fns); i++)
		if (sqlite3_create_function(db, fns[i].name, 2, SQLITE_UTF8 |
			    SQLITE_DETERMINISTIC, g, fns[i].fn, NULL, NULL) !=
		    SQLITE_OK)
			die(fns[i].name, sqlite3_errmsg(db));
}

/*
 * ?1, ?2: the range of customers, or of a block's entries; ?3 the block's
 * customers, ?8 its first, ?9 the rows before it; ?4 branch, ?5 currency,
 * ?6 the first time (uuid prefixes), ?7 the customers' creation.
 */
#define GEN_RANGE "WITH RECURSIVE n(v) AS (SELECT ?1 UNION ALL SELECT v + 1 " \
	"FROM n WHERE v + 1 < ?2) "
#define GEN_ENTRY "?9 + v, ?8 + v % ?3, v / ?3"
static const char gen_customer_sql[] = GEN_RANGE
	"INSERT INTO customer (id, uuid, name, phone, points, tier, "
	"last_visit, created_at, updated_at) SELECT v, printf("
	"'%08x-%04x-7000-a000-%012x', ?6 >> 16, ?6 & 65535, v), "
	"'Customer ' || v, printf('+86139%08d', v), bh_customer(v, 0), "
	"bh_customer(v, 1), bh_customer(v, 2), ?7, ?7 FROM n";
static const char gen_purchase_sql[] = GEN_RANGE
	", e(x, c, i) AS (SELECT " GEN_ENTRY " FROM n WHERE v / ?3 % 8 <> 7) "
	"INSERT INTO purchase (id, uuid, customer_id, branch, receipt, total, "
	"currency, occurred_at, points, created_at) SELECT x + 1, printf("
	"'%08x-%04x-7000-9000-%012x', ?6 >> 16, ?6 & 65535, x), c, ?4, "
	"'R' || (x + 1), bh_points(c, i) * 100 + x % 100, ?5, t, "
	"bh_points(c, i), t FROM (SELECT x, c, i, bh_time(c, i) AS t FROM e)";
static const char gen_ledger_sql[] = GEN_RANGE
	", e(x, c, i, earn) AS (SELECT " GEN_ENTRY ", v / ?3 % 8 <> 7 FROM n) "
	"INSERT INTO ledger (id, uuid, customer_id, kind, points, balance, "
	"purchase_id, cause, reason, expires_at, created_at) SELECT x + 1, "
	"printf('%08x-%04x-7000-8000-%012x', ?6 >> 16, ?6 & 65535, x), c, "
	"CASE WHEN earn THEN 'earn' ELSE 'redeem' END, bh_points(c, i), "
	"bh_balance(c, i + 1), CASE WHEN earn THEN x + 1 END, CASE WHEN earn "
	"THEN 'purchase:' || (x + 1) END, CASE WHEN earn THEN 'receipt R' || "
	"(x + 1) ELSE 'redeemed at the till' END, CASE WHEN earn THEN "
	"bh_expires(c, i) END, bh_time(c, i) FROM e";

/* One engine's build, run in a thread of its own. */
struct build {
	sqlite3 *db;
	struct gen *g;
	double customers, purchases, ledger, indexes, total;	/* seconds */
};

static void
gen_bind(sqlite3_stmt *st, int64_t lo, int64_t hi, int64_t nb, int64_t c0,
	int64_t base, const struct gen *g, const char *created)
{
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	sqlite3_bind_int64(st, 3, nb);
	sqlite3_bind_text(st, 4, g->cfg->store_branch, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, g->cfg->store_currency, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, g->t0);
	sqlite3_bind_text(st, 7, created, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, c0);
	sqlite3_bind_int64(st, 9, base);
}

static void
gen_step(sqlite3 *db, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die("bulk insert", sqlite3_errmsg(db));
	sqlite3_reset(st);
}

/* Customers, then block by block their purchases and ledger entries. */
static void
gen_fill(sqlite3 *db, const struct gen *g, const char *created,
	struct build *b)
{
	sqlite3_stmt *cu = prepare(db, gen_customer_sql),
		*pu = prepare(db, gen_purchase_sql),
		*le = prepare(db, gen_ledger_sql);
	double t0 = bench_now(), t;

	for (int64_t lo = 1; lo <= g->customers; lo += CHUNK) {
		exec(db, "BEGIN");
		gen_bind(cu, lo, lo + CHUNK < g->customers + 1 ? lo + CHUNK :
			g->customers + 1, 0, 0, 0, g, created);
		gen_step(db, cu);
		exec(db, "COMMIT");
	}
	b->customers = bench_now() - t0;
	for (int64_t c0 = 1; c0 <= g->customers; c0 += g->block) {
		int64_t nb = g->customers - c0 + 1 < g->block ?
			g->customers - c0 + 1 : g->block,
			base = gen_base(g, c0), n = gen_base(g, c0 + nb) - base;

		exec(db, "BEGIN");
		t = bench_now();
		gen_bind(pu, 0, n, nb, c0, base, g, created);
		gen_step(db, pu);
		b->purchases += bench_now() - t;
		t = bench_now();
		gen_bind(le, 0, n, nb, c0, base, g, created);
		gen_step(db, le);
		exec(db, "COMMIT");
		b->ledger += bench_now() - t;
	}
	sqlite3_finalize(cu);
	sqlite3_finalize(pu);
	sqlite3_finalize(le);
}

/*
 * Fill one database. The indexes of purchase and ledger by time are
 * dropped first and built again at the end from their own SQL (a sort
 * instead of 20 million scattered inserts); the others stay, their keys
 * arriving in order (ids, uuids, receipts) or a block at a time.
 */
static void *
gen_build(void *arg)
{
	struct build *b = arg;
	sqlite3 *db = b->db;
	struct gen *g = b->g;
	char created[32], **idx = NULL;
	sqlite3_stmt *st;
	size_t n = 0;
	double t0 = bench_now(), t;

	b->purchases = b->ledger = 0;
	gen_functions(db, g);
	util_iso_utc(g->t0 - MS_PER_DAY, created, sizeof created);
	/*
	 * A bulk load of rows consistent by construction (checked
	 * afterwards): no fsync at every commit, no foreign key lookups, and
	 * the rows alone, without the change log and audit entries that
	 * triggers would add (as the customer import does, store_triggers).
	 */
	exec(db, CACHE_BULK "; PRAGMA synchronous = OFF; "
		"PRAGMA foreign_keys = OFF");
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	st = prepare(db, "SELECT name, sql FROM sqlite_schema s WHERE type = "
		"'index' AND tbl_name IN ('purchase', 'ledger') AND sql IS NOT "
		"NULL AND (SELECT name FROM pragma_index_info(s.name) WHERE seqno "
		"= 0) IS NOT 'customer_id'");
	while (sqlite3_step(st) == SQLITE_ROW) {
		idx = xrealloc(idx, (n + 1) * 2 * sizeof *idx);
		idx[2 * n] = xasprintf("DROP INDEX \"%s\"",
			(const char *)sqlite3_column_text(st, 0));
		idx[2 * n + 1] = xstrdup((const char *)sqlite3_column_text(st,
			1));
		n++;
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++)
		exec(db, idx[2 * i]);
	gen_fill(db, g, created, b);
	t = bench_now();
	for (size_t i = 0; i < n; i++) {
		exec(db, idx[2 * i + 1]);
		free(idx[2 * i]);
		free(idx[2 * i + 1]);
	}
	exec(db, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA synchronous = FULL; "
		"PRAGMA foreign_keys = ON; " CACHE_RUN);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, NULL);
	free(idx);
	b->indexes = bench_now() - t;
	b->total = bench_now() - t0;
	return NULL;
}

/* A sample of customers: cached balance = sum = last running balance. */
static void
gen_check(sqlite3 *db, const struct gen *g, long samples)
{
	struct synth r = { 99 };
	sqlite3_stmt *st = prepare(db, "SELECT c.points, (SELECT sum(points) "
		"FROM ledger WHERE customer_id = c.id), (SELECT balance FROM "
		"ledger WHERE customer_id = c.id ORDER BY id DESC LIMIT 1), "
		"(SELECT count(*) FROM purchase WHERE customer_id = c.id) FROM "
		"customer c WHERE c.id = ?1");

	for (long i = 0; i < samples; i++) {
		int64_t c = 1 + synth_below(&r, (uint32_t)g->customers);
		int64_t k = gen_count(g, c), pts, sum, last, purchases;

		sqlite3_bind_int64(st, 1, c);
		if (sqlite3_step(st) != SQLITE_ROW)
			die("check", sqlite3_errmsg(db));
		pts = sqlite3_column_int64(st, 0);
		sum = sqlite3_column_int64(st, 1);
		last = sqlite3_column_int64(st, 2);
		purchases = sqlite3_column_int64(st, 3);
		sqlite3_reset(st);
		if (pts != sum || pts != last)
			wrong("customer %lld: cached %lld, ledger sum %lld",
				(long long)c, (long long)pts, (long long)sum);
		if (purchases != k - k / 8)
			wrong("customer %lld: %lld purchases, %lld expected",
				(long long)c, (long long)purchases,
				(long long)(k - k / 8));
	}
	sqlite3_finalize(st);
}

/* Read a file once, so its pages sit in the OS page cache; seconds. */
static double
warm_file(const char *path)
{
	static char buf[1 << 20];
	double t0 = bench_now();
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		die(path, "cannot open");
	while (fread(buf, 1, sizeof buf, f) == sizeof buf)
		;
	fclose(f);
	return bench_now() - t0;
}

/*
 * One engine's lookups, untimed warm-up first (interior pages): the
 * status (loyalty_status for Patron, its SQL for plain) and the 2 SELECTs
 * in turns of 1000, each drawing its own customers; the same customers
 * for both engines.
 */
static void
lookups(struct store *s, struct raw *r, const struct config *cfg,
	long customers, long n, int64_t now, double *t_status, double *t_pair)
{
	struct synth w = { 2024 };
	struct loyalty_status a;
	struct perr e;
	int64_t bal, q;

	for (long i = 0; i < WARMUP; i++) {
		int64_t c = 1 + synth_below(&w, (uint32_t)customers);

		if (s != NULL && loyalty_status(s, cfg, c, now, &a, &e) < 0)
			die("loyalty_status", e.msg);
		if (s == NULL)
			raw_status(r, cfg, c, now, &a);
	}
	for (long k = 0; k < n / 1000; k++)
		for (int m = 0; m < 2; m++) {
			struct synth g = { (uint64_t)(k * 2 + m + 7) };

			for (long i = k * 1000; i < (k + 1) * 1000; i++) {
				int64_t c = 1 + synth_below(&g,
					(uint32_t)customers);
				double t1 = bench_now();

				if (m == 1)
					raw_pair(r, c, now, &bal, &q);
				else if (s == NULL)
					raw_status(r, cfg, c, now, &a);
				else if (loyalty_status(s, cfg, c, now, &a,
					    &e) < 0)
					die("loyalty_status", e.msg);
				(m ? t_pair : t_status)[i] = bench_now() - t1;
			}
		}
}

static void
print_build(const char *name, const struct build *b, const char *path)
{
	printf("%-8s %9.1f %9.1f %9.1f %9.1f %9.1f %9.0f\n", name,
		b->customers, b->purchases, b->ledger, b->indexes, b->total,
		file_mb(path));
}

static void
scale_run(const char *dir, const struct cred *cred, const struct config *cfg,
	long customers, long entries, long nlookups)
{
	char path[600], plain_path[600];
	struct gen g;
	struct build bp = { 0 }, bb = { 0 };
	struct store *s;
	struct perr e;
	struct raw rp, rb;
	sqlite3 *pdb;
	pthread_t th;
	int64_t now = util_now_ms();
	double *t[4], t0, warm;
	long n = (nlookups + 999) / 1000 * 1000;

	memset(&g, 0, sizeof g);
	g.customers = customers;
	g.entries = entries;
	g.layer_ms = 700 * MS_PER_DAY / ((entries + customers - 1) /
		customers);
	g.t0 = now - 701 * MS_PER_DAY;
	g.cut_ms = util_add_months(now, -LOYALTY_TIER_MONTHS);
	g.cfg = cfg;
	g.block = CHUNK / (entries / customers) > 0 ? CHUNK / (entries /
		customers) : 1;
	snprintf(path, sizeof path, "%s/scale.db", dir);
	snprintf(plain_path, sizeof plain_path, "%s/scale-plain.db", dir);
	printf("\nscale: %ld customers, %ld ledger entries, %lld purchases "
		"(bulk SQL, %lld customers a transaction)\n", customers, entries,
		(long long)gen_purchases(&g), (long long)g.block);
	fflush(stdout);
	if (store_create(path, cred, KDF_INTERACTIVE, &s, &e) < 0)
		die("store_create", e.msg);
	pdb = plain_open(plain_path, 1);
	/* The engines build at the same time, one core each. */
	bp.db = store_db(s);
	bb.db = pdb;
	bp.g = bb.g = &g;
	if (pthread_create(&th, NULL, gen_build, &bb) != 0)
		die("pthread_create", NULL);
	gen_build(&bp);
	pthread_join(th, NULL);
	printf("%-8s %9s %9s %9s %9s %9s %9s\n", "build s", "customers",
		"purchases", "ledger", "indexes", "total", "file MB");
	print_build("patron", &bp, path);
	print_build("plain", &bb, plain_path);
	printf("build ratio patron/plain %.2fx (built at the same time, a "
		"core each)\n", bp.total / bb.total);
	/* Whole-database checks where they take seconds, not minutes. */
	if (entries <= 2000000) {
		long problems = 0;
		sqlite3_stmt *fk = prepare(pdb, "PRAGMA foreign_key_check");

		if (loyalty_check(s, count_problem, &problems, &e) < 0)
			die("loyalty_check", e.msg);
		while (sqlite3_step(fk) == SQLITE_ROW)
			problems++;
		sqlite3_finalize(fk);
		if (problems > 0)
			wrong("the ledger has %ld problems", problems);
	}
	gen_check(store_db(s), &g, 200);
	gen_check(pdb, &g, 200);
	fflush(stdout);

	raw_init(&rp, store_db(s));
	raw_init(&rb, pdb);
	for (int i = 0; i < 4; i++)
		t[i] = calloc((size_t)n, sizeof(double));
	/*
	 * One engine after the other, each with its file read into the OS
	 * page cache first (the two files need more memory than this
	 * machine may have for both) and SQLite's cache cold.
	 */
	t0 = bench_now();
	warm = warm_file(path);
	lookups(s, &rp, cfg, customers, n, now, t[0], t[2]);
	printf("patron: file read in %.1f s, lookups %.1f s\n", warm,
		bench_now() - t0 - warm);
	t0 = bench_now();
	warm = warm_file(plain_path);
	lookups(NULL, &rb, cfg, customers, n, now, t[1], t[3]);
	printf("plain:  file read in %.1f s, lookups %.1f s\n", warm,
		bench_now() - t0 - warm);
	/* Outside the clock: both engines, the same answers. */
	{
		struct synth r = { 77 };
		sqlite3_stmt *tier = prepare(store_db(s), "SELECT "
			"coalesce(tier, '') FROM customer WHERE id = ?1");

		for (int i = 0; i < 400; i++) {
			int64_t c = 1 + synth_below(&r, (uint32_t)customers);
			struct loyalty_status a, b;
			int64_t bal, q;

			if (loyalty_status(s, cfg, c, now, &a, &e) < 0)
				die("loyalty_status", e.msg);
			raw_status(&rb, cfg, c, now, &b);
			raw_pair(&rp, c, now, &bal, &q);
			if (memcmp(&a, &b, sizeof a) != 0 || bal != a.balance ||
			    q != a.qualifying)
				wrong("customer %lld: balance %lld vs %lld",
					(long long)c, (long long)a.balance,
					(long long)b.balance);
			sqlite3_bind_int64(tier, 1, c);
			if (sqlite3_step(tier) != SQLITE_ROW ||
			    strcmp((const char *)sqlite3_column_text(tier, 0),
				a.tier < 0 ? "" : cfg->tiers[a.tier].name) != 0)
				wrong("customer %lld: tier %d cached otherwise",
					(long long)c, a.tier);
			sqlite3_reset(tier);
		}
		sqlite3_finalize(tier);
	}
	printf("\n%-30s %6s %8s %8s %8s %9s %9s %7s\n", "random customers",
		"n", "p50 ms", "p99 ms", "max ms", "plain p50", "plain p99",
		"ratio");
	{
		struct stats st, pp;

		/* Before row() sorts them in place. */
		st = summarise(t[0], n);
		pp = summarise(t[3], n);
		row("balance + qualifying, 2 SELECTs", n, t[2], t[3], n, 0);
		row("loyalty_status (plain: its SQL)", n, t[0], t[1], n, 0);
		printf("loyalty_status against the plain 2 SELECTs: p50 %.2fx, "
			"p99 %.2fx\n", st.p50 / pp.p50, st.p99 / pp.p99);
	}
	for (int i = 0; i < 4; i++)
		free(t[i]);
	raw_done(&rp);
	raw_done(&rb);
	sqlite3_close(pdb);
	store_close(s);
}

int
main(int argc, char **argv)
{
	long customers = 1000000, entries = 20000000, events = 10000;
	long lookups = 20000;
	int reps = 200, ch;
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char tmpl[512];
	uint8_t key[KEYFILE_BYTES];
	struct cred *cred;
	struct config cfg;
	double t0 = bench_now(), t1;

	while ((ch = getopt(argc, argv, "c:l:e:q:r:d:")) != -1) {
		switch (ch) {
		case 'c': customers = atol(optarg); break;
		case 'l': entries = atol(optarg); break;
		case 'e': events = atol(optarg); break;
		case 'q': lookups = atol(optarg); break;
		case 'r': reps = atoi(optarg); break;
		case 'd': dir = optarg; break;
		default:
			fputs("usage: bench_history [-c CUSTOMERS] [-l LEDGER] "
				"[-e EVENTS] [-q LOOKUPS] [-r REPS] [-d DIR]\n",
				stderr);
			return 64;
		}
	}
	if (customers < 0 || customers > 100000000 || (customers > 0 &&
		    entries < customers) || events < 0 || lookups < 1000 ||
	    reps < 4 || sodium_init() < 0) {
		fputs("bench_history: -c 0 or at most 100000000, -l at least "
			"-c, -q at least 1000, -r at least 4\n", stderr);
		return 64;
	}
	audit_install();
	snprintf(tmpl, sizeof tmpl, "%s/patron-bench-history.XXXXXX", dir);
	if (mkdtemp(tmpl) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	{
		struct synth r = { 5 };

		for (int i = 0; i < 100000; i++) {
			int64_t ms = (int64_t)(synth_next(&r) %
				(4102444800000ULL));
			char a[32], b[25];

			util_iso_utc(ms, a, sizeof a);
			gen_iso(ms, b);
			if (memcmp(a, b, 25) != 0)
				die("gen_iso", a);
		}
	}
	randombytes_buf(key, sizeof key);
	cred = cred_new(CRED_KEYFILE, key, sizeof key);
	config_defaults(&cfg);
	printf("bench_history: patron (encrypted store) against plain SQLite "
		"(unix VFS), same schema, rows and SELECTs\n");
	if (events > 0) {
		heavy_run(tmpl, cred, &cfg, events, reps);
		t1 = bench_now();
		printf("heavy phase: %.0f s\n", t1 - t0);
	}
	t1 = bench_now();
	if (customers > 0) {
		scale_run(tmpl, cred, &cfg, customers, entries, lookups);
		printf("scale phase: %.0f s\n", bench_now() - t1);
	}
	cred_free(cred);
	bench_remove("bench_history", tmpl);
	printf("total: %.0f s\n", bench_now() - t0);
	return failed ? 1 : 0;
}
