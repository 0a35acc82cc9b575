/*
 * test_task: due times as people type them (month ends, leap days, daylight
 * saving changes), tasks and their events, the list filters, and that each
 * rule of tasks.rules makes one task per occasion however often it runs.
 * Every "now" is fixed; local dates are read in a named zone.
 */
#include "unit.h"
#include "unit_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "patron/customer.h"
#include "patron/interaction.h"
#include "patron/purchase.h"
#include "patron/loyalty.h"
#include "patron/staff.h"
#include "patron/task.h"

#define HOUR_MS (3600LL * 1000)
#define DAY_MS (24 * HOUR_MS)

/* The shared fixture in Germany, in euros, with no tiers (purchase_add
 * retiers at the wall clock). */
static int
setup(void **state)
{
	struct unit_fixture *f;

	if (unit_setup(state) < 0)
		return -1;
	f = *state;
	strcpy(f->cfg.store_country, "DE");
	strcpy(f->cfg.store_currency, "EUR");
	f->cfg.ntiers = 0;
	util_time_zone("Europe/Berlin");
	return 0;
}

/* A local wall-clock time in the current zone. */
static int64_t
local(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
		.tm_hour = h, .tm_min = mi, .tm_isdst = -1 };

	return (int64_t)mktime(&tm) * 1000;
}

static int64_t
utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
		.tm_hour = h, .tm_min = mi };

	return (int64_t)timegm(&tm) * 1000;
}

/*
 * text parses at now to want, local: a day ("2026-12-01", all day, its
 * midnight) or a time ("2026-12-01 15:30"); task_due_format gives it back.
 */
static int64_t
due_ok(const char *text, int64_t now, const char *want)
{
	int all_day = strlen(want) == 10;
	struct task_due d;
	struct perr e;
	char buf[32];

	if (task_due_parse(text, now, &d, &e) != 0)
		fail_msg("'%s': %s", text, e.msg);
	assert_int_equal(d.all_day, all_day);
	task_due_format(&d, buf, sizeof buf);
	assert_string_equal(buf, want);
	util_time_local(d.ms, "%H:%M", buf, sizeof buf);
	if (all_day)
		assert_string_equal(buf, "00:00");
	return d.ms;
}

static void
test_due_parse(void **state)
{
	static const char *const good[][2] = {
		{ "today", "2026-11-20" }, { "tomorrow", "2026-11-21" },
		{ "+0d", "2026-11-20" }, { "+3d", "2026-11-23" },
		{ "+2w", "2026-12-04" }, { "+1m", "2026-12-20" },
		{ "+2m", "2027-01-20" }, { "+999d", "2029-08-15" },
		/* The next such day after today: on a Friday, a week on. */
		{ "fri", "2026-11-27" }, { "friday", "2026-11-27" },
		{ "sat", "2026-11-21" }, { "thursday", "2026-11-26" },
		{ "Mon", "2026-11-23" }, { " Wednesday", "2026-11-25" },
		{ "  TOMORROW  ", "2026-11-21" }, { "2026-12-01", "2026-12-01" },
		{ "2026-12-01 15:30", "2026-12-01 15:30" },
		{ " 2026-12-01 15:30 ", "2026-12-01 15:30" },
		{ "2028-02-29", "2028-02-29" },
	};
	static const char *const bad[] = { "", "   ", "+3x", "+", "+d",
		"+1234d", "3d", "2026-02-30", "2026-13-01", "32", "fr",
		"2026-12-01 25:00", "2026-12-01 15:60", "2026-12-01T15:30",
		"2026-12-01 15:30Z", "yesterday", "fridays", "next fri",
		"2027-02-29", "today\n", NULL };
	int64_t now;
	struct task_due d;
	struct perr e;

	util_time_zone("Europe/Berlin");
	now = local(2026, 11, 20, 10, 0);	/* a Friday */
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		due_ok(good[i][0], now, good[i][1]);
	assert_int_equal(due_ok("2026-12-01 15:30", now, "2026-12-01 15:30"),
	    utc(2026, 12, 1, 14, 30));
	for (int i = 0; bad[i] != NULL; i++) {
		perr_clear(&e);
		if (task_due_parse(bad[i], now, &d, &e) != -1)
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(e.code, PX_DATAERR);
	}

	/* A month on keeps the day or clamps it to the month's end. */
	due_ok("+1m", local(2026, 1, 31, 9, 0), "2026-02-28");
	due_ok("+1m", local(2028, 1, 31, 9, 0), "2028-02-29");
	due_ok("+12m", local(2028, 2, 29, 9, 0), "2029-02-28");
	due_ok("+48m", local(2028, 2, 29, 9, 0), "2032-02-29");
	due_ok("+1m", local(2026, 3, 31, 23, 30), "2026-04-30");
	due_ok("+1m", local(2026, 12, 15, 9, 0), "2027-01-15");
	due_ok("+1d", local(2026, 12, 31, 23, 59), "2027-01-01");
	due_ok("+1d", local(2028, 2, 28, 9, 0), "2028-02-29");
}

/* "+1d" ("tomorrow") and "+2d" at now: local midnights gap hours apart. */
static void
dst_pair(int64_t now, const char *d1, const char *d2, int gap)
{
	int64_t a = due_ok("+1d", now, d1);

	assert_int_equal(due_ok("tomorrow", now, d1), a);
	assert_int_equal(due_ok("+2d", now, d2) - a, gap * HOUR_MS);
}

static void
test_due_dst(void **state)
{
	util_time_zone("Europe/Berlin");
	/* Summer time starts 2026-03-29 02:00: that day has 23 hours. */
	dst_pair(local(2026, 3, 28, 12, 0), "2026-03-29", "2026-03-30", 23);
	assert_int_equal(due_ok("2026-03-29", 0, "2026-03-29"),
	    utc(2026, 3, 28, 23, 0));
	assert_int_equal(due_ok("2026-03-30", 0, "2026-03-30"),
	    utc(2026, 3, 29, 22, 0));
	due_ok("+1w", local(2026, 3, 25, 8, 0), "2026-04-01");
	due_ok("sun", local(2026, 3, 28, 23, 30), "2026-03-29");
	/* It ends 2026-10-25 03:00: that day has 25 hours. */
	dst_pair(local(2026, 10, 24, 12, 0), "2026-10-25", "2026-10-26", 25);
	dst_pair(local(2026, 10, 24, 23, 30), "2026-10-25", "2026-10-26", 25);
	due_ok("+1m", local(2026, 9, 30, 12, 0), "2026-10-30");

	util_time_zone("America/New_York");
	dst_pair(local(2026, 3, 7, 12, 0), "2026-03-08", "2026-03-09", 23);
	dst_pair(local(2026, 10, 31, 12, 0), "2026-11-01", "2026-11-02", 25);
	/* 21:00 in New York is already the next day in UTC. */
	due_ok("today", local(2026, 10, 31, 21, 0), "2026-10-31");
	assert_int_equal(due_ok("2026-12-01 15:30", 0, "2026-12-01 15:30"),
	    utc(2026, 12, 1, 20, 30));
	util_time_zone("Europe/Berlin");
}

/* For each of n times (day, hour, minute in 2026-11): o overdue, t today. */
static const char *
marks(const struct task *t, int n, ...)
{
	static char buf[16];
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		int d = va_arg(ap, int), h = va_arg(ap, int),
		    m = va_arg(ap, int);
		int64_t now = local(2026, 11, d, h, m);

		assert_false(task_overdue(t, now) && task_due_today(t, now));
		buf[i] = task_overdue(t, now) ? 'o' :
		    task_due_today(t, now) ? 't' : '-';
	}
	va_end(ap);
	buf[n] = '\0';
	return buf;
}

static void
test_overdue_today(void **state)
{
	struct task t = { .status = TS_OPEN };

	util_time_zone("Europe/Berlin");
	/* A day is due by its end: overdue only from the next day. */
	t.due = (struct task_due){ local(2026, 11, 20, 0, 0), 1 };
	assert_string_equal(marks(&t, 4, 19, 23, 59, 20, 0, 0, 20, 23, 59,
	    21, 0, 0), "-tto");
	/* A time is overdue a minute after it. */
	t.due = (struct task_due){ local(2026, 11, 20, 15, 30), 0 };
	assert_string_equal(marks(&t, 5, 19, 15, 31, 20, 0, 0, 20, 15, 30,
	    20, 15, 31, 21, 0, 0), "-ttoo");
	/* Snoozed: neither while it lasts. */
	t.snoozed_until_ms = local(2026, 11, 22, 0, 0);
	assert_string_equal(marks(&t, 3, 20, 15, 31, 21, 23, 59, 22, 0, 0),
	    "--o");
	t.snoozed_until_ms = 0;
	t.status = TS_DONE;
	assert_string_equal(marks(&t, 2, 20, 12, 0, 30, 0, 0), "--");
	t.status = TS_OPEN;
	t.due.ms = 0;
	assert_string_equal(marks(&t, 2, 20, 12, 0, 30, 0, 0), "--");
}

/* ---- the database ------------------------------------------------------ */

/* The first column of the first row of sql (?1 bound to a), or -999. */
static int64_t
q_int(struct unit_fixture *f, const char *sql, int64_t a)
{
	sqlite3_stmt *st;
	int64_t v = -999;

	if (store_prepare(f->s, sql, &st, &f->e) < 0)
		fail_msg("%s: %s", sql, f->e.msg);
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t
events(struct unit_fixture *f, int64_t task, const char *kind)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM task_event WHERE "
	    "task_id = ?1 AND kind = '%s'", kind);
	return q_int(f, sql, task);
}

static struct staff
staff(struct unit_fixture *f, const char *name, const char *role)
{
	struct staff st = { 0 };

	if (staff_add(f->s, name, role, "1234", 0, &st.id, &f->e) < 0)
		fail_msg("staff %s: %s", name, f->e.msg);
	snprintf(st.name, sizeof st.name, "%s", name);
	snprintf(st.role, sizeof st.role, "%s", role);
	return st;
}

/* A purchase of total cents at when; its id. */
static int64_t
sale(struct unit_fixture *f, const struct config *cfg, int64_t cust,
	int64_t total, int64_t when)
{
	struct purchase_input in = { .customer_id = cust, .total = total,
		.occurred_ms = when };
	struct purchase p;

	if (purchase_add(f->s, cfg, &in, 0, &p, &f->e) != 0)
		fail_msg("purchase: %s", f->e.msg);
	return p.id;
}

static void
visit(struct unit_fixture *f, int64_t cust, int64_t when)
{
	if (interaction_add(f->s, cust, IK_VISIT, NULL, when, 0, NULL,
	    &f->e) < 0)
		fail_msg("visit: %s", f->e.msg);
}

static int64_t
add(struct unit_fixture *f, const struct staff *me, const char *title,
	int64_t cust, const char *assignee, const char *due, int64_t now)
{
	struct task_input in = { .title = title, .customer_id = cust,
		.assignee = assignee, .due = due, .priority = TP_NORMAL };
	int64_t id;

	if (task_add(f->s, &f->cfg, &in, me, now, &id, &f->e) < 0)
		fail_msg("task %s: %s", title, f->e.msg);
	return id;
}

/* A task as "title|customer|assignee (* a role)|due|prio|status|snoozed". */
static const char *
show(struct unit_fixture *f, int64_t id)
{
	static char buf[512];
	char due[32] = "-", snoozed[32] = "-";
	struct task t;

	if (task_get(f->s, id, &t, &f->e) < 0)
		fail_msg("task %lld: %s", (long long)id, f->e.msg);
	if (t.due.ms != 0)
		task_due_format(&t.due, due, sizeof due);
	if (t.snoozed_until_ms != 0)
		util_time_local(t.snoozed_until_ms, "%Y-%m-%d %H:%M", snoozed,
		    sizeof snoozed);
	snprintf(buf, sizeof buf, "%s|%s|%s%s|%s|%s|%s|%s", t.title,
	    t.customer_name, t.assignee, t.assignee_is_role ? "*" : "", due,
	    task_priority_names[t.priority], task_status_names[t.status],
	    snoozed);
	task_free(&t);
	return buf;
}

/* What task_each listed: ids, or "DUE [RULE] TITLE @ASSIGNEE" lines. */
struct out {
	char buf[512];
	size_t o;
	int lines;
};

static int
out_one(const struct task *t, void *arg)
{
	struct out *w = arg;
	char due[32] = "-", hm[8];

	if (w->o + 100 > sizeof w->buf)
		fail_msg("more tasks than expected");
	if (t->due.ms != 0)
		task_due_format(&t->due, due, sizeof due);
	if (t->due.all_day) {
		/* A day is its local midnight. */
		util_time_local(t->due.ms, "%H:%M", hm, sizeof hm);
		assert_string_equal(hm, "00:00");
	}
	if (w->lines)
		w->o += (size_t)snprintf(w->buf + w->o, sizeof w->buf - w->o,
		    "%s%s [%s] %s @%s%s", w->o ? ", " : "", due, t->rule,
		    t->title, t->assignee, t->assignee_is_role ? "*" : "");
	else
		w->o += (size_t)snprintf(w->buf + w->o, sizeof w->buf - w->o,
		    "%s%lld", w->o ? " " : "", (long long)t->id);
	return 0;
}

static const char *
listed(struct unit_fixture *f, const struct task_filter *flt, int64_t now,
	int lines)
{
	static struct out w;

	memset(&w, 0, sizeof w);
	w.lines = lines;
	if (task_each(f->s, flt, now, out_one, &w, &f->e) < 0)
		fail_msg("task_each: %s", f->e.msg);
	return w.buf;
}

#define ids(f, flt, now) listed(f, flt, now, 0)

/* Every task of cust, done ones too, as lines. */
static const char *
of(struct unit_fixture *f, int64_t cust)
{
	struct task_filter flt = { .customer_id = cust, .all = 1 };

	return listed(f, &flt, 0, 1);
}

static void
refused(struct unit_fixture *f, int rc, int code)
{
	assert_int_equal(rc, -1);
	assert_int_equal(f->e.code, code);
}

static void
test_add_change(void **state)
{
	struct unit_fixture *f = *state;
	struct staff ann = staff(f, "Ann", "clerk");
	struct staff bob = staff(f, "Bob", "manager");
	int64_t now = local(2026, 11, 20, 10, 0), c, id;
	struct task_input in = { .title = "Call back", .notes = "about the "
		"order\nand the refund", .due = "tomorrow",
		.priority = TP_HIGH };
	static char longest[TASK_TITLE_MAX + 2];
	static const struct {
		const char *title, *assignee, *due;
		int priority;
		int64_t customer;
		int code;
	} bad[] = {
		{ NULL, NULL, NULL, 1, 0, PX_DATAERR },
		{ "   ", NULL, NULL, 1, 0, PX_DATAERR },
		{ longest, NULL, NULL, 1, 0, PX_DATAERR },
		{ "Line\nbreak", NULL, NULL, 1, 0, PX_DATAERR },
		{ "Fine", "Zed", NULL, 1, 0, PX_DATAERR },
		{ "Fine", NULL, "+3x", 1, 0, PX_DATAERR },
		{ "Fine", NULL, NULL, TP_NPRIORITY, 0, PX_DATAERR },
		{ "Fine", NULL, NULL, -1, 0, PX_DATAERR },
		{ "Fine", NULL, NULL, 1, 9999, PX_FAIL },
	};

	c = unit_add(f, "Clara Zetkin", NULL, NULL);
	in.customer_id = c;
	assert_int_equal(task_add(f->s, &f->cfg, &in, &ann, now, &id, &f->e),
	    0);
	/* Nobody named: the one who adds it. */
	assert_string_equal(show(f, id), "Call back|Clara Zetkin|Ann|"
	    "2026-11-21|high|open|-");
	assert_int_equal(q_int(f, "SELECT assignee_id FROM task WHERE id = ?1",
	    id), ann.id);
	assert_int_equal(q_int(f, "SELECT count(*) FROM task WHERE notes = "
	    "'about the order' || char(10) || 'and the refund' AND "
	    "created_by = ?1 AND rule IS NULL", ann.id), 1);
	assert_int_equal(events(f, id, "created"), 1);
	assert_int_equal(add(f, &ann, "Count the till", 0, "manager",
	    "2026-11-20 18:00", now), 2);
	assert_string_equal(show(f, 2), "Count the till||manager*|"
	    "2026-11-20 18:00|normal|open|-");

	/* Refusals write nothing. */
	memset(longest, 'x', TASK_TITLE_MAX + 1);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct task_input b = { .title = bad[i].title,
			.assignee = bad[i].assignee, .due = bad[i].due,
			.priority = bad[i].priority,
			.customer_id = bad[i].customer };

		refused(f, task_add(f->s, &f->cfg, &b, &ann, now, &id, &f->e),
		    bad[i].code);
	}
	assert_int_equal(q_int(f, "SELECT count(*) FROM task", 0), 2);
	longest[TASK_TITLE_MAX] = '\0';
	assert_int_equal(add(f, &ann, longest, 0, NULL, NULL, now), 3);

	/* Status changes, each an event. */
	assert_int_equal(task_set_status(f->s, 1, TS_DONE, &bob, now, &f->e),
	    0);
	refused(f, task_set_status(f->s, 1, TS_DONE, &bob, now, &f->e),
	    PX_DATAERR);
	assert_string_equal(show(f, 1), "Call back|Clara Zetkin|Ann|"
	    "2026-11-21|high|done|-");
	assert_int_equal(q_int(f, "SELECT closed_by FROM task WHERE id = ?1",
	    1), bob.id);
	assert_int_equal(task_set_status(f->s, 1, TS_OPEN, &ann, now, &f->e),
	    0);
	assert_int_equal(q_int(f, "SELECT closed_at IS NULL FROM task WHERE "
	    "id = ?1", 1), 1);
	assert_int_equal(task_set_status(f->s, 1, TS_CANCELLED, &ann, now,
	    &f->e), 0);
	assert_int_equal(events(f, 1, "done"), 1);
	assert_int_equal(events(f, 1, "reopened"), 1);
	assert_int_equal(events(f, 1, "cancelled"), 1);
	assert_int_equal(q_int(f, "SELECT count(*) FROM task_event WHERE "
	    "task_id = ?1 AND customer_id IS NOT NULL", 1), 4);
	refused(f, task_set_status(f->s, 2, TS_NSTATUS, &ann, now, &f->e),
	    PX_DATAERR);
	refused(f, task_set_status(f->s, 2, -1, &ann, now, &f->e),
	    PX_DATAERR);
	refused(f, task_set_status(f->s, 9999, TS_DONE, &ann, now, &f->e),
	    PX_FAIL);
	assert_string_equal(show(f, 2), "Count the till||manager*|"
	    "2026-11-20 18:00|normal|open|-");

	/* Snooze: only later, only open tasks. */
	refused(f, task_snooze(f->s, 2, "today", &ann, now, &f->e),
	    PX_DATAERR);
	refused(f, task_snooze(f->s, 2, "soon", &ann, now, &f->e), PX_DATAERR);
	assert_int_equal(task_snooze(f->s, 2, "+2d", &ann, now, &f->e), 0);
	assert_string_equal(show(f, 2), "Count the till||manager*|"
	    "2026-11-20 18:00|normal|open|2026-11-22 00:00");
	assert_int_equal(task_snooze(f->s, 2, "2026-11-20 12:00", &ann, now,
	    &f->e), 0);
	assert_int_equal(events(f, 2, "snoozed"), 2);
	refused(f, task_snooze(f->s, 1, "tomorrow", &ann, now, &f->e),
	    PX_FAIL);
	assert_int_equal(events(f, 1, "snoozed"), 0);

	/* Assign to a person, a role; never to nobody. */
	assert_int_equal(task_assign(f->s, 2, "Bob", &ann, now, &f->e), 0);
	assert_int_equal(q_int(f, "SELECT assignee_id FROM task WHERE id = ?1",
	    2), bob.id);
	assert_int_equal(task_assign(f->s, 2, "clerk", &ann, now, &f->e), 0);
	assert_string_equal(show(f, 2), "Count the till||clerk*|"
	    "2026-11-20 18:00|normal|open|2026-11-20 12:00");
	refused(f, task_assign(f->s, 2, "Zed", &ann, now, &f->e), PX_DATAERR);
	refused(f, task_assign(f->s, 2, "", &ann, now, &f->e), PX_DATAERR);
	refused(f, task_assign(f->s, 9999, "Bob", &ann, now, &f->e), PX_FAIL);
	assert_int_equal(events(f, 2, "assigned"), 2);
	assert_int_equal(task_get(f->s, 9999, &(struct task){ 0 }, &f->e), -1);
	assert_int_equal(f->e.code, PX_FAIL);
}

static int
stop_at_first(const struct task *t, void *arg)
{
	(*(int *)arg)++;
	return 1;
}

static void
test_filters(void **state)
{
	struct unit_fixture *f = *state;
	struct staff ann = staff(f, "Ann", "clerk");
	struct staff bob = staff(f, "Bob", "clerk");
	struct staff cat = staff(f, "Cat", "manager");
	int64_t now = local(2026, 11, 20, 10, 0), c, tomorrow;
	struct task_filter flt = { 0 };
	int calls = 0;

	tomorrow = local(2026, 11, 21, 0, 0);
	c = unit_add(f, "Rosa", NULL, NULL);
	assert_int_equal(add(f, &ann, "Late", c, NULL, "2026-11-18", now), 1);
	assert_int_equal(add(f, &ann, "Today", 0, "clerk", "today", now), 2);
	assert_int_equal(add(f, &ann, "Someday", 0, "Bob", NULL, now), 3);
	assert_int_equal(add(f, &cat, "Soon", c, "manager", "+3d", now), 4);
	assert_int_equal(add(f, &cat, "Finished", 0, NULL, "2026-11-01", now),
	    5);
	assert_int_equal(task_set_status(f->s, 5, TS_DONE, &cat, now, &f->e),
	    0);

	/* Open ones in due order, no date last; done ones after. */
	assert_string_equal(ids(f, &flt, now), "1 2 4 3");
	flt.all = 1;
	assert_string_equal(ids(f, &flt, now), "1 2 4 3 5");
	flt.limit = 2;
	assert_string_equal(ids(f, &flt, now), "1 2");
	assert_int_equal(task_each(f->s, &flt, now, stop_at_first, &calls,
	    &f->e), 1);
	assert_int_equal(calls, 1);

	/* Mine: to me or my role. */
	memset(&flt, 0, sizeof flt);
	flt.mine = &ann;
	assert_string_equal(ids(f, &flt, now), "1 2");
	flt.mine = &bob;
	assert_string_equal(ids(f, &flt, now), "2 3");
	flt.mine = &cat;
	assert_string_equal(ids(f, &flt, now), "4");
	flt.mine = NULL;
	flt.customer_id = c;
	assert_string_equal(ids(f, &flt, now), "1 4");
	flt.customer_id = 0;
	flt.assignee = "clerk";
	assert_string_equal(ids(f, &flt, now), "2");
	flt.assignee = "Bob";
	assert_string_equal(ids(f, &flt, now), "3");
	flt.assignee = "Cat";
	assert_string_equal(ids(f, &flt, now), "");
	flt.all = 1;
	assert_string_equal(ids(f, &flt, now), "5");

	/* Overdue: a day from the next one on. */
	memset(&flt, 0, sizeof flt);
	flt.overdue = 1;
	assert_string_equal(ids(f, &flt, now), "1");
	flt.all = 1;
	assert_string_equal(ids(f, &flt, now), "1");
	flt.all = 0;
	assert_string_equal(ids(f, &flt, tomorrow - 1), "1");
	assert_string_equal(ids(f, &flt, tomorrow), "1 2");
	assert_int_equal(task_overdue_count(f->s, &ann, now, &f->e), 1);
	assert_int_equal(task_overdue_count(f->s, &bob, now, &f->e), 0);
	assert_int_equal(task_overdue_count(f->s, &bob, tomorrow, &f->e), 1);

	/* Snoozed past due: not overdue while it lasts, still open. */
	assert_int_equal(task_snooze(f->s, 1, "+2d", &ann, now, &f->e), 0);
	assert_string_equal(ids(f, &flt, now), "");
	assert_int_equal(task_overdue_count(f->s, &ann, now, &f->e), 0);
	assert_string_equal(ids(f, &flt, tomorrow + DAY_MS), "1 2");
	/* A limit counts the overdue ones, not what they were picked from. */
	assert_int_equal(add(f, &ann, "Very late", 0, NULL, "2026-11-19 09:00",
	    now), 6);
	flt.limit = 1;
	assert_string_equal(ids(f, &flt, now), "6");
	memset(&flt, 0, sizeof flt);
	flt.customer_id = c;
	assert_string_equal(ids(f, &flt, now), "1 4");
}

/* ---- rules ------------------------------------------------------------- */

static struct config_rule *
rule(struct unit_fixture *f, int on, const char *name, int due_in_days)
{
	struct config_rule *r = &f->cfg.rules[f->cfg.nrules++];

	memset(r, 0, sizeof *r);
	snprintf(r->name, sizeof r->name, "%s", name);
	r->on = on;
	r->due_in_days = due_in_days;
	r->priority = TP_NORMAL;
	return r;
}

static long
generate(struct unit_fixture *f, int64_t now)
{
	long n = task_generate(f->s, &f->cfg, now, &f->e);

	if (n < 0)
		fail_msg("task_generate: %s", f->e.msg);
	return n;
}

/* Generation at now and a few hours later makes nothing new. */
static void
settled(struct unit_fixture *f, int64_t now)
{
	assert_int_equal(generate(f, now), 0);
	assert_int_equal(generate(f, now + 5 * HOUR_MS), 0);
}

static void
test_rule_purchase(void **state)
{
	struct unit_fixture *f = *state;
	struct config_rule *r = rule(f, RULE_PURCHASE, "big spender", 2);
	int64_t now = local(2026, 6, 15, 12, 0), a, b;

	snprintf(r->min_total, sizeof r->min_total, "100");
	snprintf(r->assign, sizeof r->assign, "manager");
	a = unit_add(f, "Anna", NULL, NULL);
	b = unit_add(f, "Bert", NULL, NULL);
	sale(f, &f->cfg, a, 50000, local(2026, 5, 1, 10, 0));	/* too old */
	sale(f, &f->cfg, a, 15000, local(2026, 6, 10, 23, 30));
	sale(f, &f->cfg, a, 2000, local(2026, 6, 11, 9, 0));
	sale(f, &f->cfg, b, 9999, local(2026, 6, 12, 9, 0));
	/* Due the purchase's day plus due_in_days. */
	assert_int_equal(generate(f, now), 1);
	assert_string_equal(of(f, a), "2026-06-12 [big spender] Big spender: "
	    "Anna, bought 150.00 on 2026-06-10 @manager*");
	assert_string_equal(of(f, b), "");
	assert_int_equal(q_int(f, "SELECT count(*) FROM task_event WHERE "
	    "kind = 'created' AND customer_id = ?1", a), 1);
	settled(f, now);

	/* A new big purchase: a new task. */
	sale(f, &f->cfg, b, 20000, local(2026, 6, 16, 10, 0));
	assert_int_equal(generate(f, local(2026, 6, 16, 18, 0)), 1);
	assert_string_equal(of(f, b), "2026-06-18 [big spender] Big spender: "
	    "Bert, bought 200.00 on 2026-06-16 @manager*");
	settled(f, local(2026, 6, 17, 8, 0));
	/* Done does not bring it back. */
	assert_int_equal(task_set_status(f->s, 1, TS_DONE, &(struct staff){ 0 },
	    now, &f->e), 0);
	settled(f, local(2026, 6, 20, 9, 0));
	assert_int_equal(q_int(f, "SELECT count(*) FROM task", 0), 2);

	/* An assign that names nobody. */
	snprintf(r->assign, sizeof r->assign, "Nobody");
	refused(f, task_generate(f->s, &f->cfg, now, &f->e), PX_CONFIG);
}

static void
test_rule_birthday(void **state)
{
	struct unit_fixture *f = *state;
	struct config_rule *r = rule(f, RULE_BIRTHDAY, "birthday", 0);
	struct staff ann = staff(f, "Ann", "clerk");
	int64_t cleo, dan, fay;

	r->days_before = 7;
	snprintf(r->assign, sizeof r->assign, "Ann");
	snprintf(r->title, sizeof r->title, "Send a card");
	cleo = unit_add(f, "Cleo", NULL, "1990-06-20");
	dan = unit_add(f, "Dan", NULL, "1985-06-30");
	fay = unit_add(f, "Fay", NULL, "1999-06-15");
	unit_add(f, "Eve", NULL, NULL);
	/* Due on the birthday itself, today's included. */
	assert_int_equal(generate(f, local(2026, 6, 15, 10, 0)), 2);
	assert_string_equal(of(f, cleo), "2026-06-20 [birthday] Send a card: "
	    "Cleo, birthday Sat 2026-06-20 @Ann");
	assert_string_equal(of(f, fay), "2026-06-15 [birthday] Send a card: "
	    "Fay, birthday Mon 2026-06-15 @Ann");
	assert_int_equal(q_int(f, "SELECT assignee_id FROM task WHERE "
	    "customer_id = ?1", cleo), ann.id);
	settled(f, local(2026, 6, 15, 10, 0));
	settled(f, local(2026, 6, 19, 23, 0));
	assert_int_equal(generate(f, local(2026, 6, 25, 10, 0)), 1);
	assert_string_equal(of(f, dan), "2026-06-30 [birthday] Send a card: "
	    "Dan, birthday Tue 2026-06-30 @Ann");
	settled(f, local(2026, 6, 30, 10, 0));
	/* The next year's birthday is a new occasion. */
	assert_int_equal(generate(f, local(2027, 6, 15, 10, 0)), 2);
	assert_string_equal(of(f, cleo), "2026-06-20 [birthday] Send a card: "
	    "Cleo, birthday Sat 2026-06-20 @Ann, 2027-06-20 [birthday] Send "
	    "a card: Cleo, birthday Sun 2027-06-20 @Ann");
	assert_int_equal(q_int(f, "SELECT count(*) FROM task WHERE "
	    "customer_id = ?1", fay), 2);
	settled(f, local(2027, 6, 16, 10, 0));
}

static void
test_rule_lapsed(void **state)
{
	struct unit_fixture *f = *state;
	struct config_rule *r = rule(f, RULE_LAPSED, "win back", 1);
	int64_t g, h, i;

	r->days = 60;
	snprintf(r->min_lifetime_spend, sizeof r->min_lifetime_spend, "100");
	g = unit_add(f, "Greta", NULL, NULL);
	h = unit_add(f, "Hans", NULL, NULL);
	i = unit_add(f, "Ida", NULL, NULL);
	sale(f, &f->cfg, g, 50000, local(2026, 3, 1, 10, 0));
	sale(f, &f->cfg, h, 5000, local(2026, 3, 1, 10, 0));	/* too little */
	sale(f, &f->cfg, i, 30000, local(2026, 6, 1, 10, 0));	/* recent */
	/* Due a day after the run that finds them; "" assigns the manager. */
	assert_int_equal(generate(f, local(2026, 6, 15, 12, 0)), 1);
	assert_string_equal(of(f, g), "2026-06-16 [win back] Win back: Greta, "
	    "last purchase 2026-03-01 @manager*");
	settled(f, local(2026, 6, 15, 12, 0));
	/* Greta comes back, then both she and Ida lapse. */
	sale(f, &f->cfg, g, 20000, local(2026, 6, 20, 10, 0));
	settled(f, local(2026, 6, 21, 12, 0));
	assert_int_equal(generate(f, local(2026, 8, 25, 12, 0)), 2);
	assert_string_equal(of(f, g), "2026-06-16 [win back] Win back: Greta, "
	    "last purchase 2026-03-01 @manager*, 2026-08-26 [win back] Win "
	    "back: Greta, last purchase 2026-06-20 @manager*");
	assert_string_equal(of(f, i), "2026-08-26 [win back] Win back: Ida, "
	    "last purchase 2026-06-01 @manager*");
	settled(f, local(2026, 8, 25, 12, 0));
	settled(f, local(2026, 10, 1, 12, 0));
	assert_string_equal(of(f, h), "");
}

static void
test_rule_first_visit(void **state)
{
	struct unit_fixture *f = *state;
	struct config_rule *r = rule(f, RULE_FIRST_VISIT, "welcome call", 0);
	int64_t j, k, l, m;

	r->days = 14;
	j = unit_add(f, "Jon", NULL, NULL);
	k = unit_add(f, "Kai", NULL, NULL);
	l = unit_add(f, "Lea", NULL, NULL);
	m = unit_add(f, "Mia", NULL, NULL);
	/* First seen 14 to 21 days before 2026-06-15 12:00: Jon and Mia. */
	visit(f, j, local(2026, 5, 28, 10, 0));
	sale(f, &f->cfg, k, 1000, local(2026, 4, 1, 10, 0));	/* older */
	visit(f, k, local(2026, 5, 28, 10, 0));
	visit(f, l, local(2026, 6, 10, 10, 0));		/* too new yet */
	sale(f, &f->cfg, m, 1000, local(2026, 5, 30, 10, 0));
	assert_int_equal(generate(f, local(2026, 6, 15, 12, 0)), 2);
	assert_string_equal(of(f, j), "2026-06-15 [welcome call] Welcome call: "
	    "Jon, first visit 2026-05-28 @manager*");
	assert_string_equal(of(f, m), "2026-06-15 [welcome call] Welcome call: "
	    "Mia, first visit 2026-05-30 @manager*");
	settled(f, local(2026, 6, 15, 12, 0));
	visit(f, j, local(2026, 6, 12, 10, 0));
	assert_int_equal(generate(f, local(2026, 6, 26, 12, 0)), 1);
	assert_string_equal(of(f, l), "2026-06-26 [welcome call] Welcome call: "
	    "Lea, first visit 2026-06-10 @manager*");
	settled(f, local(2026, 6, 26, 12, 0));
	settled(f, local(2026, 7, 30, 12, 0));
	assert_string_equal(of(f, k), "");
	assert_int_equal(q_int(f, "SELECT count(*) FROM task", 0), 3);
}

/* Recompute n's tier with the tiers of cfg at now, as upkeep would. */
static int
retier(struct unit_fixture *f, const struct config *cfg, int64_t n, int64_t now)
{
	int rc;

	assert_int_equal(store_begin(f->s, &f->e), 0);
	rc = loyalty_retier(f->s, cfg, n, now, &f->e);
	assert_int_equal(store_commit(f->s, &f->e), 0);
	return rc;
}

static void
test_rule_tier(void **state)
{
	struct unit_fixture *f = *state;
	struct config plain = f->cfg;
	int64_t n, o;

	rule(f, RULE_TIER, "vip", 3);
	f->cfg.ntiers = 2;
	f->cfg.tiers[0] = (struct config_tier){ "Silver", 100, CONFIG_SCALE };
	f->cfg.tiers[1] = (struct config_tier){ "Gold", 500, CONFIG_SCALE };
	n = unit_add(f, "Nina", NULL, NULL);
	o = unit_add(f, "Otto", NULL, NULL);
	/*
	 * Recorded without tiers, as purchase_add retiers at the wall clock.
	 * Tiers count the 12 months before the retier's now, so retiering
	 * at chosen instants moves Nina up and down.
	 */
	sale(f, &plain, n, 15000, local(2026, 1, 10, 10, 0));
	sale(f, &plain, n, 40000, local(2026, 5, 1, 10, 0));
	sale(f, &plain, o, 60000, local(2026, 5, 1, 10, 0));
	assert_int_equal(q_int(f, "SELECT count(*) FROM tier_change", 0), 0);
	assert_int_equal(generate(f, local(2027, 1, 31, 12, 0)), 0);

	/* None to Silver (400 points), then Silver to Gold (550). */
	assert_int_equal(retier(f, &f->cfg, n, local(2027, 2, 1, 12, 0)), 1);
	assert_int_equal(generate(f, local(2027, 2, 1, 12, 0)), 1);
	assert_string_equal(of(f, n), "2027-02-04 [vip] Vip: Nina, reached "
	    "Silver @manager*");
	settled(f, local(2027, 2, 1, 12, 0));
	assert_int_equal(retier(f, &f->cfg, n, local(2026, 6, 1, 12, 0)), 1);
	assert_int_equal(generate(f, local(2027, 2, 2, 12, 0)), 1);
	assert_string_equal(of(f, n), "2027-02-04 [vip] Vip: Nina, reached "
	    "Silver @manager*, 2027-02-05 [vip] Vip: Nina, reached Gold "
	    "@manager*");
	settled(f, local(2027, 2, 2, 12, 0));

	/* Down to Silver, then to none: no task. */
	assert_int_equal(retier(f, &f->cfg, n, local(2027, 2, 1, 12, 0)), 1);
	assert_int_equal(generate(f, local(2027, 2, 3, 12, 0)), 0);
	assert_int_equal(retier(f, &f->cfg, n, local(2027, 6, 1, 12, 0)), 1);
	assert_int_equal(generate(f, local(2027, 2, 4, 12, 0)), 0);
	assert_int_equal(q_int(f, "SELECT count(*) FROM tier_change", 0), 4);

	/* Otto straight to Gold, Nina back to Silver: both upgrades. */
	assert_int_equal(retier(f, &f->cfg, o, local(2026, 6, 1, 12, 0)), 1);
	assert_int_equal(retier(f, &f->cfg, n, local(2027, 2, 1, 12, 0)), 1);
	assert_int_equal(generate(f, local(2027, 2, 5, 12, 0)), 2);
	assert_string_equal(of(f, o), "2027-02-08 [vip] Vip: Otto, reached "
	    "Gold @manager*");
	assert_string_equal(of(f, n), "2027-02-04 [vip] Vip: Nina, reached "
	    "Silver @manager*, 2027-02-05 [vip] Vip: Nina, reached Gold "
	    "@manager*, 2027-02-08 [vip] Vip: Nina, reached Silver @manager*");
	settled(f, local(2027, 2, 5, 12, 0));
}

#define DB_TEST(t) cmocka_unit_test_setup_teardown(t, setup, unit_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due_parse),
		cmocka_unit_test(test_due_dst),
		cmocka_unit_test(test_overdue_today),
		DB_TEST(test_add_change),
		DB_TEST(test_filters),
		DB_TEST(test_rule_purchase),
		DB_TEST(test_rule_birthday),
		DB_TEST(test_rule_lapsed),
		DB_TEST(test_rule_first_visit),
		DB_TEST(test_rule_tier),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
