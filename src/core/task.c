/*
 * task: follow-up tasks, due times as people type them, and the rules of
 * config tasks.rules that make tasks, each once per cause.
 */
#include "patron/task.h"
#include "patron/input.h"
#include "patron/loyalty.h"
#include "patron/safe.h"
#include "patron/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

const char *const task_status_names[] = { "open", "done", "cancelled", NULL };
const char *const task_priority_names[] = { "low", "normal", "high", NULL };

#define DAY_MS (86400LL * 1000)

/* ---- due times --------------------------------------------------------- */

/* Local midnight of the day that is days after the local day of ms. */
static int64_t
local_day(int64_t ms, int days)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_mday += days;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

/* Local midnight, months on, the day clamped to the month's length. */
static int64_t
local_months(int64_t ms, int months)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	int y, m, last;

	localtime_r(&t, &tm);
	m = tm.tm_mon + months;
	y = tm.tm_year + 1900 + m / 12;
	m %= 12;
	last = mdays[m] + (m == 1 && ((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0));
	tm.tm_year = y - 1900;
	tm.tm_mon = m;
	if (tm.tm_mday > last)
		tm.tm_mday = last;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

static int
weekday_named(const char *s)
{
	static const char *const days[] = { "sunday", "monday", "tuesday",
		"wednesday", "thursday", "friday", "saturday" };
	size_t n = strlen(s);

	if (n < 3)
		return -1;
	for (int i = 0; i < 7; i++)
		if (strncmp(s, days[i], n) == 0)
			return i;
	return -1;
}

static int
task_due_plain(const char *text, int64_t now_ms, struct task_due *due,
	struct perr *e);

int
task_due_parse(const char *text, int64_t now_ms, struct task_due *due,
	struct perr *e)
{
	char *plain = input_fold(text);	/* full-width forms, spaces */
	int rc = task_due_plain(plain, now_ms, due, e);

	free(plain);
	return rc;
}

static int
task_due_plain(const char *text, int64_t now_ms, struct task_due *due,
	struct perr *e)
{
	const char *start;
	char s[40];
	size_t n = 0;
	int wd;

	while (*text == ' ')
		text++;
	start = text;
	/* Control characters never parse. */
	for (; *text != '\0' && n + 1 < sizeof s; text++)
		s[n++] = (unsigned char)*text < 0x20 || *text == 0x7f ? '?' :
		    (char)tolower((unsigned char)*text);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	s[n] = '\0';
	memset(due, 0, sizeof *due);
	due->all_day = 1;
	if (*text != '\0' || n == 0)
		goto bad;
	if (strcmp(s, "today") == 0) {
		due->ms = local_day(now_ms, 0);
		return 0;
	}
	if (strcmp(s, "tomorrow") == 0) {
		due->ms = local_day(now_ms, 1);
		return 0;
	}
	if (s[0] == '+' && n >= 3 && n <= 5 &&
	    strspn(s + 1, "0123456789") == n - 2) {
		int k = atoi(s + 1);

		switch (s[n - 1]) {
		case 'd':
			due->ms = local_day(now_ms, k);
			return 0;
		case 'w':
			due->ms = local_day(now_ms, 7 * k);
			return 0;
		case 'm':
			due->ms = local_months(now_ms, k);
			return 0;
		default:
			goto bad;
		}
	}
	if ((wd = weekday_named(s)) >= 0) {
		time_t t = (time_t)(now_ms / 1000);
		struct tm tm;
		int ahead;

		localtime_r(&t, &tm);
		/* The next such day after today: "fri" on a Friday is a week. */
		ahead = (wd - tm.tm_wday + 7) % 7;
		due->ms = local_day(now_ms, ahead ? ahead : 7);
		return 0;
	}
	if (n == 10 && util_time_parse(s, &due->ms) == 0)
		return 0;
	if (n == 16 && s[10] == ' ' && util_time_parse(s, &due->ms) == 0) {
		due->all_day = 0;
		return 0;
	}
bad: {
	/* What was typed, as a terminal may show it (safe_dup). */
	char *shown = safe_dup(start, strnlen(start, 39), 0);
	int rc = perr_set(e, PX_DATAERR, "due: '%s' is not a day or time "
	    "(today, tomorrow, +3d, +2w, +1m, fri, 2026-12-01, 2026-12-01 "
	    "15:30)", shown);

	free(shown);
	return rc;
	}
}

void
task_due_format(const struct task_due *due, char *buf, size_t len)
{
	util_time_local(due->ms, due->all_day ? "%Y-%m-%d" : "%Y-%m-%d %H:%M",
	    buf, len);
}

/* ---- rows ---------------------------------------------------------------- */

void
task_free(struct task *t)
{
	free(t->title);
	free(t->notes);
	t->title = t->notes = NULL;
}

#define TASK_COLS "t.id, t.uuid, t.title, t.notes, coalesce(t.customer_id, " \
	"0), coalesce(c.name, ''), coalesce(t.assignee_id, 0), " \
	"coalesce(a.name, t.assignee_role, ''), t.assignee_role IS NOT NULL, " \
	"t.due_at, t.all_day, t.priority, t.status, t.snoozed_until, " \
	"coalesce(t.rule, ''), t.created_at, coalesce(b.name, ''), t.closed_at " \
	"FROM task t " \
	"LEFT JOIN customer c ON c.id = t.customer_id LEFT JOIN staff a ON " \
	"a.id = t.assignee_id LEFT JOIN staff b ON b.id = t.created_by "

static void
task_row(sqlite3_stmt *st, struct task *t)
{
	const char *status = (const char *)sqlite3_column_text(st, 12);

	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, t->uuid, sizeof t->uuid);
	t->title = xstrdup((const char *)sqlite3_column_text(st, 2));
	if (sqlite3_column_type(st, 3) != SQLITE_NULL)
		t->notes = xstrdup((const char *)sqlite3_column_text(st, 3));
	t->customer_id = sqlite3_column_int64(st, 4);
	store_col_text(st, 5, t->customer_name, sizeof t->customer_name);
	t->assignee_id = sqlite3_column_int64(st, 6);
	store_col_text(st, 7, t->assignee, sizeof t->assignee);
	t->assignee_is_role = sqlite3_column_int(st, 8);
	t->due.ms = store_col_ms(st, 9);
	t->due.all_day = sqlite3_column_int(st, 10);
	t->priority = sqlite3_column_int(st, 11);
	for (int i = 0; i < TS_NSTATUS; i++)
		if (status != NULL && strcmp(status, task_status_names[i]) == 0)
			t->status = i;
	t->snoozed_until_ms = store_col_ms(st, 13);
	store_col_text(st, 14, t->rule, sizeof t->rule);
	t->created_ms = store_col_ms(st, 15);
	store_col_text(st, 16, t->created_by, sizeof t->created_by);
	t->closed_ms = store_col_ms(st, 17);
}

int
task_get(struct store *s, int64_t id, struct task *t, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	if (store_stmt(s, "SELECT " TASK_COLS "WHERE t.id = ?1", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		task_row(st, t);
	store_stmt_done(s, st);
	if (rc == SQLITE_DONE)
		return perr_set(e, PX_FAIL, "no task %lld", (long long)id);
	return rc == SQLITE_ROW ? 0 : store_error(s, rc, e, "task");
}

/* ---- writing --------------------------------------------------------------- */

/* A staff member by name (not disabled), or a role. */
static int
assignee_resolve(struct store *s, const char *name, int64_t *id,
	const char **role, struct perr *e)
{
	sqlite3_stmt *st;
	int rc;

	*id = 0;
	*role = NULL;
	if (store_stmt(s, "SELECT id FROM staff WHERE name = ?1 AND disabled = "
	    "0", &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	store_stmt_done(s, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, rc, e, "task");
	if (*id > 0)
		return 0;
	if (staff_role_valid(name)) {
		*role = name;
		return 0;
	}
	return perr_set(e, PX_DATAERR, "assignee: no staff member or role "
	    "'%s'", name);
}

static int
event_add(struct store *s, int64_t task, const char *kind, const char *detail,
	int64_t actor, int64_t now_ms, struct perr *e)
{
	sqlite3_stmt *st;
	char at[32];
	int rc;

	util_iso_utc(now_ms, at, sizeof at);
	if (store_stmt(s, "INSERT INTO task_event (task_id, customer_id, kind, "
	    "at, staff_id, detail) VALUES (?1, (SELECT customer_id FROM task "
	    "WHERE id = ?1), ?2, ?3, ?4, ?5)", &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, task);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
	if (actor > 0)
		sqlite3_bind_int64(st, 4, actor);
	if (detail != NULL)
		sqlite3_bind_text(st, 5, detail, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	return rc == SQLITE_DONE ? 0 : store_error(s, rc, e, "task");
}

/*
 * Insert a task (the caller's transaction). A cause already used: nothing
 * is written and 1 is returned.
 */
static int
task_insert(struct store *s, const char *title, const char *notes,
	int64_t customer, int64_t assignee_id, const char *assignee_role,
	const struct task_due *due, int priority, const char *rule,
	const char *cause, int64_t actor, int64_t now_ms, int64_t *id,
	struct perr *e)
{
	char uuid[37], at[32], due_at[32];
	sqlite3_stmt *st;
	int rc;

	util_uuid7(uuid);
	util_iso_utc(now_ms, at, sizeof at);
	if (store_stmt(s, "INSERT INTO task (uuid, title, notes, customer_id, "
	    "assignee_id, assignee_role, due_at, all_day, priority, rule, "
	    "cause, created_at, created_by, updated_at) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12) ON CONFLICT DO "
	    "NOTHING", &st, e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
	if (notes != NULL && notes[0] != '\0')
		sqlite3_bind_text(st, 3, notes, -1, SQLITE_STATIC);
	if (customer > 0)
		sqlite3_bind_int64(st, 4, customer);
	if (assignee_id > 0)
		sqlite3_bind_int64(st, 5, assignee_id);
	if (assignee_role != NULL)
		sqlite3_bind_text(st, 6, assignee_role, -1, SQLITE_STATIC);
	if (due != NULL && due->ms != 0) {
		util_iso_utc(due->ms, due_at, sizeof due_at);
		sqlite3_bind_text(st, 7, due_at, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 8, due->all_day);
	} else
		sqlite3_bind_int(st, 8, 0);
	sqlite3_bind_int(st, 9, priority);
	if (rule != NULL)
		sqlite3_bind_text(st, 10, rule, -1, SQLITE_STATIC);
	if (cause != NULL)
		sqlite3_bind_text(st, 11, cause, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, at, -1, SQLITE_STATIC);
	if (actor > 0)
		sqlite3_bind_int64(st, 13, actor);
	rc = sqlite3_step(st);
	store_stmt_done(s, st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, e, "task");
	if (sqlite3_changes(store_db(s)) == 0)
		return 1;
	*id = sqlite3_last_insert_rowid(store_db(s));
	return event_add(s, *id, "created", rule, actor, now_ms, e);
}

int
task_add(struct store *s, const struct config *cfg,
	const struct task_input *in, const struct staff *actor, int64_t now_ms,
	int64_t *id, struct perr *e)
{
	struct task_due due = { 0, 0 };
	const char *why, *role = NULL;
	int64_t who = actor->id;

	(void)cfg;
	if (in->title == NULL || in->title[strspn(in->title, " ")] == '\0')
		return perr_set(e, PX_DATAERR, "title: required");
	if ((why = utf8_check(in->title, TASK_TITLE_MAX, 0)) != NULL)
		return perr_set(e, PX_DATAERR, "title: %s", why);
	if (in->notes != NULL &&
	    (why = utf8_check(in->notes, TASK_NOTES_MAX, 1)) != NULL)
		return perr_set(e, PX_DATAERR, "notes: %s", why);
	if (in->priority < 0 || in->priority >= TP_NPRIORITY)
		return perr_set(e, PX_DATAERR, "priority: low, normal or high");
	if (in->due != NULL && in->due[0] != '\0' &&
	    task_due_parse(in->due, now_ms, &due, e) < 0)
		return -1;
	if (store_begin(s, e) < 0)
		return -1;
	if (in->assignee != NULL && in->assignee[0] != '\0' &&
	    assignee_resolve(s, in->assignee, &who, &role, e) < 0)
		goto fail;
	if (in->customer_id > 0) {
		sqlite3_stmt *st;
		int rc;

		if (store_stmt(s, "SELECT 1 FROM customer WHERE id = ?1 AND "
		    "deleted_at IS NULL", &st, e) < 0)
			goto fail;
		sqlite3_bind_int64(st, 1, in->customer_id);
		rc = sqlite3_step(st);
		store_stmt_done(s, st);
		if (rc != SQLITE_ROW) {
			perr_set(e, PX_FAIL, "no customer %lld",
			    (long long)in->customer_id);
			goto fail;
		}
	}
	if (task_insert(s, in->title, in->notes, in->customer_id, who, role,
	    &due, in->priority, NULL, NULL, actor->id, now_ms, id, e) < 0)
		goto fail;
	return store_commit(s, e) < 0 ? (store_rollback(s), -1) : 0;
fail:
	store_rollback(s);
	return -1;
}

/* One UPDATE of a task and its event, in a transaction. */
static int
task_change(struct store *s, int64_t id, const char *sql, const char *a,
	int64_t b, const char *kind, const char *detail, int64_t actor,
	int64_t now_ms, struct perr *e)
{
	sqlite3_stmt *st;
	char at[32];
	int rc;

	util_iso_utc(now_ms, at, sizeof at);
	if (store_begin(s, e) < 0)
		return -1;
	if (store_prepare(s, sql, &st, e) < 0)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	if (actor > 0)
		sqlite3_bind_int64(st, 3, actor);
	if (sqlite3_bind_parameter_count(st) >= 4) {
		if (a != NULL)
			sqlite3_bind_text(st, 4, a, -1, SQLITE_STATIC);
		else if (b != 0)
			sqlite3_bind_int64(st, 4, b);
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_error(s, rc, e, "task");
		goto fail;
	}
	if (sqlite3_changes(store_db(s)) == 0) {
		perr_set(e, PX_FAIL, "no task %lld (or nothing to change)",
		    (long long)id);
		goto fail;
	}
	if (event_add(s, id, kind, detail, actor, now_ms, e) < 0)
		goto fail;
	return store_commit(s, e) < 0 ? (store_rollback(s), -1) : 0;
fail:
	store_rollback(s);
	return -1;
}

int
task_set_status(struct store *s, int64_t id, int status,
	const struct staff *actor, int64_t now_ms, struct perr *e)
{
	struct task t;

	if (status < 0 || status >= TS_NSTATUS)
		return perr_set(e, PX_DATAERR, "status: open, done or "
		    "cancelled");
	if (task_get(s, id, &t, e) < 0)
		return -1;
	task_free(&t);
	if (t.status == status)
		return perr_set(e, PX_DATAERR, "task %lld is %s already",
		    (long long)id, task_status_names[status]);
	if (status == TS_OPEN)
		return task_change(s, id, "UPDATE task SET status = 'open', "
		    "closed_at = NULL, closed_by = NULL, updated_at = ?2 WHERE "
		    "id = ?1 ", NULL, 0, "reopened", NULL,
		    actor->id, now_ms, e);
	return task_change(s, id, status == TS_DONE ?
	    "UPDATE task SET status = 'done', closed_at = ?2, closed_by = ?3, "
	    "snoozed_until = NULL, updated_at = ?2 WHERE id = ?1" :
	    "UPDATE task SET status = 'cancelled', closed_at = ?2, closed_by = "
	    "?3, snoozed_until = NULL, updated_at = ?2 WHERE id = ?1", NULL, 0,
	    status == TS_DONE ? "done" : "cancelled", NULL, actor->id, now_ms,
	    e);
}

int
task_snooze(struct store *s, int64_t id, const char *until,
	const struct staff *actor, int64_t now_ms, struct perr *e)
{
	struct task_due due;
	char at[32], shown[32];

	if (task_due_parse(until, now_ms, &due, e) < 0)
		return -1;
	if (due.ms <= now_ms)
		return perr_set(e, PX_DATAERR, "snooze until a later time than "
		    "now");
	util_iso_utc(due.ms, at, sizeof at);
	task_due_format(&due, shown, sizeof shown);
	return task_change(s, id, "UPDATE task SET snoozed_until = ?4, "
	    "updated_at = ?2 WHERE id = ?1 AND status = 'open'", at, 0,
	    "snoozed", shown, actor->id, now_ms, e);
}

int
task_assign(struct store *s, int64_t id, const char *assignee,
	const struct staff *actor, int64_t now_ms, struct perr *e)
{
	const char *role;
	int64_t who;

	if (assignee == NULL || assignee[0] == '\0')
		return perr_set(e, PX_DATAERR, "assignee: a staff name or a "
		    "role");
	if (store_begin(s, e) < 0)
		return -1;
	if (assignee_resolve(s, assignee, &who, &role, e) < 0) {
		store_rollback(s);
		return -1;
	}
	store_abandon(s);
	if (role != NULL)
		return task_change(s, id, "UPDATE task SET assignee_id = NULL, "
		    "assignee_role = ?4, updated_at = ?2 WHERE id = ?1", role, 0, "assigned", role, actor->id,
		    now_ms, e);
	return task_change(s, id, "UPDATE task SET assignee_id = ?4, "
	    "assignee_role = NULL, updated_at = ?2 WHERE id = ?1", NULL, who, "assigned", assignee, actor->id,
	    now_ms, e);
}

/* ---- reading ----------------------------------------------------------------- */

int
task_overdue(const struct task *t, int64_t now_ms)
{
	if (t->status != TS_OPEN || t->due.ms == 0 ||
	    t->snoozed_until_ms > now_ms)
		return 0;
	if (t->due.all_day)
		return t->due.ms < local_day(now_ms, 0);
	return t->due.ms < now_ms;
}

int
task_due_today(const struct task *t, int64_t now_ms)
{
	if (t->status != TS_OPEN || t->due.ms == 0 ||
	    t->snoozed_until_ms > now_ms || task_overdue(t, now_ms))
		return 0;
	return t->due.ms < local_day(now_ms, 1);
}

long
task_each(struct store *s, const struct task_filter *f, int64_t now_ms,
	int (*fn)(const struct task *, void *), void *arg, struct perr *e)
{
	char sql[2048], now[32], since[32];
	sqlite3_stmt *st;
	struct task t;
	long n = 0;
	int rc;

	util_iso_utc(local_day(now_ms, 1), now, sizeof now);
	snprintf(sql, sizeof sql, "SELECT " TASK_COLS "WHERE %s%s%s%s%s "
	    "ORDER BY t.status <> 'open', t.due_at IS NULL, t.due_at, "
	    "t.priority DESC, t.id LIMIT ?6",
	    f->all ? "1" : f->done_since_ms > 0 ? "(t.status = 'open' OR "
	    "(t.status = 'done' AND t.closed_at >= ?7))" : "t.status = 'open'",
	    f->customer_id > 0 ? " AND t.customer_id = ?1" : "",
	    f->mine != NULL ? " AND (t.assignee_id = ?2 OR t.assignee_role = "
	    "?3)" : "",
	    f->assignee != NULL ? " AND (t.assignee_role = ?4 OR t.assignee_id "
	    "= (SELECT id FROM staff WHERE name = ?4))" : "",
	    f->overdue ? " AND t.due_at < ?5" : "");
	if (store_prepare(s, sql, &st, e) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, f->customer_id);
	if (f->mine != NULL) {
		sqlite3_bind_int64(st, 2, f->mine->id);
		sqlite3_bind_text(st, 3, f->mine->role, -1, SQLITE_STATIC);
	}
	if (f->assignee != NULL)
		sqlite3_bind_text(st, 4, f->assignee, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	if (f->done_since_ms > 0) {
		util_iso_utc(f->done_since_ms, since, sizeof since);
		sqlite3_bind_text(st, 7, since, -1, SQLITE_STATIC);
	}
	/* Overdue is decided below: the limit counts what passes it. */
	sqlite3_bind_int64(st, 6, f->limit > 0 && !f->overdue ? f->limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		task_row(st, &t);
		if (f->overdue && !task_overdue(&t, now_ms)) {
			task_free(&t);
			continue;
		}
		n++;
		rc = fn(&t, arg);
		task_free(&t);
		if (rc != 0 || (f->limit > 0 && n >= f->limit)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : store_error(s, rc, e, "task");
}

static int
count_one(const struct task *t, void *arg)
{
	(void)t;
	(void)arg;
	return 0;
}

long
task_overdue_count(struct store *s, const struct staff *who, int64_t now_ms,
	struct perr *e)
{
	struct task_filter f = { 0 };

	f.mine = who;
	f.overdue = 1;
	return task_each(s, &f, now_ms, count_one, NULL, e);
}

/* ---- rules ------------------------------------------------------------------- */

struct gen {
	struct store *s;
	const struct config *cfg;
	const struct config_rule *r;
	int64_t now_ms;
	int64_t assignee_id;
	const char *assignee_role;
	long made;
	struct perr *e;
};

/*
 * A rule's task title says who and why: the rule's title (its name when it
 * has none, capitalised), the customer's name, and what the rule saw
 * ("Win-back: 王芳, last purchase 2026-08-01"); at most TASK_TITLE_MAX
 * characters, cut between characters.
 */
static void
gen_title(struct gen *g, int64_t customer, const char *what, char *title,
	size_t len)
{
	char name[128] = "";
	sqlite3_stmt *st;
	struct perr e;
	size_t n = 0, chars = 0;

	if (store_stmt(g->s, "SELECT name FROM customer WHERE id = ?1", &st,
	    &e) == 0) {
		sqlite3_bind_int64(st, 1, customer);
		if (sqlite3_step(st) == SQLITE_ROW)
			store_col_text(st, 0, name, sizeof name);
		store_stmt_done(g->s, st);
	}
	snprintf(title, len, "%s%s%s%s%s", g->r->title[0] != '\0' ?
	    g->r->title : g->r->name, name[0] ? ": " : "", name,
	    what ? (name[0] ? ", " : ": ") : "", what ? what : "");
	if (g->r->title[0] == '\0')
		title[0] = (char)toupper((unsigned char)title[0]);
	/* A name cut by the buffer, or too long a title: cut whole. */
	while (title[n] != '\0' && chars < TASK_TITLE_MAX) {
		uint32_t cp;
		size_t k = utf8_decode(title + n, strlen(title + n), &cp);

		if (k == 0)
			break;
		n += k;
		chars++;
	}
	title[n] = '\0';
}

/* One task of rule g->r for customer, once per cause. */
static int
gen_task(struct gen *g, int64_t customer, const char *occasion,
	int64_t due_ms, const char *what)
{
	char cause[160], title[TASK_TITLE_MAX * 4 + 1];
	struct task_due due = { due_ms, 1 };
	int64_t id;
	int rc;

	snprintf(cause, sizeof cause, "%s:%s:%lld:%s", g->r->name,
	    config_rule_kinds[g->r->on], (long long)customer, occasion);
	gen_title(g, customer, what, title, sizeof title);
	rc = task_insert(g->s, title, NULL, customer, g->assignee_id,
	    g->assignee_role, &due, g->r->priority, g->r->name, cause, 0,
	    g->now_ms, &id, g->e);
	if (rc == 0)
		g->made++;
	return rc < 0 ? -1 : 0;
}

/*
 * Why a rule made a task, from the row of its query: column 2 the time of
 * the sale (purchase) or column 3 the time seen (lapsed, first visit).
 */
static void
gen_why(struct gen *g, sqlite3_stmt *st, char *buf, size_t len)
{
	char day[16] = "", money[40];
	int64_t at;

	buf[0] = '\0';
	if (g->r->on == RULE_PURCHASE) {
		util_time_local(store_col_ms(st, 2), "%Y-%m-%d", day,
		    sizeof day);
		util_decimal_format(sqlite3_column_int64(st, 3),
		    util_currency_decimals(g->cfg->store_currency), money,
		    sizeof money);
		snprintf(buf, len, "bought %s on %s", money, day);
		return;
	}
	if (sqlite3_column_count(st) < 4 || (at = store_col_ms(st, 3)) == 0)
		return;
	util_time_local(at, "%Y-%m-%d", day, sizeof day);
	snprintf(buf, len, "%s %s", g->r->on == RULE_LAPSED ? "last purchase" :
	    "first visit", day);
}

/* Run a query of (customer, occasion, due ms[, seen]) rows, a task each. */
static int
gen_query(struct gen *g, const char *sql, const char *a, const char *b,
	int64_t c)
{
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(g->s, sql, &st, g->e) < 0)
		return -1;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_int64(st, 3, c);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t customer = sqlite3_column_int64(st, 0);
		const char *occasion = (const char *)sqlite3_column_text(st, 1);
		int64_t at = store_col_ms(st, 2);
		char occ[64], why[96];

		snprintf(occ, sizeof occ, "%s", occasion ? occasion : "");
		gen_why(g, st, why, sizeof why);
		if (gen_task(g, customer, occ, local_day(at ? at : g->now_ms,
		    g->r->due_in_days), why[0] ? why : NULL) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(g->s, rc, g->e, "rules");
}

/* A task for every customer born on md (MM-DD), due on day. */
static int
gen_birthdays(struct gen *g, const char *md, const char *year, int64_t day)
{
	char why[64];
	sqlite3_stmt *st;
	int rc;

	if (store_prepare(g->s, "SELECT id FROM customer WHERE substr(birthday, "
	    "6) = ?1 AND deleted_at IS NULL", &st, g->e) < 0)
		return -1;
	sqlite3_bind_text(st, 1, md, -1, SQLITE_STATIC);
	util_time_local(day, "birthday %a %Y-%m-%d", why, sizeof why);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (gen_task(g, sqlite3_column_int64(st, 0), year, day,
		    why) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_error(g->s, rc, g->e, "rules");
}

static int64_t
rule_amount(const struct config *cfg, const char *text)
{
	int64_t v = 0, scale = 1;
	int dec = util_currency_decimals(cfg->store_currency);

	if (text[0] == '\0')
		return 0;
	util_decimal_parse(text, 4, &v);
	for (int i = dec; i < 4; i++)
		scale *= 10;
	return v / scale;
}

static int
gen_rule(struct gen *g, int64_t last_ms, int64_t last_tier_id)
{
	const struct config_rule *r = g->r;
	char from[32], to[32], cut[32];
	int64_t min;

	switch (r->on) {
	case RULE_PURCHASE:
		/* Sales of at least min_total since the last run, and at
		 * least of the last 14 days (sales recorded late). */
		util_iso_utc(last_ms > 0 && last_ms < g->now_ms - 14 * DAY_MS ?
		    last_ms : g->now_ms - 14 * DAY_MS, from, sizeof from);
		util_iso_utc(g->now_ms, to, sizeof to);
		min = rule_amount(g->cfg, r->min_total);
		return gen_query(g, "SELECT p.customer_id, p.id, p.occurred_at, "
		    "p.total FROM purchase p JOIN customer c ON c.id = p.customer_id "
		    "WHERE p.occurred_at > ?1 AND p.occurred_at <= ?2 AND "
		    "p.total >= ?3 AND p.total > 0 AND p.voided_at IS NULL AND "
		    "c.deleted_at IS NULL", from, to, min > 0 ? min : 1);
	case RULE_BIRTHDAY:
		/* Birthdays from today to days_before ahead, due on the day;
		 * 29 February is kept on the 28th in other years. */
		for (int d = 0; d <= r->days_before; d++) {
			int64_t day = local_day(g->now_ms, d);
			char md[8], year[8];
			int y;

			util_time_local(day, "%m-%d", md, sizeof md);
			util_time_local(day, "%Y", year, sizeof year);
			y = atoi(year);
			if (gen_birthdays(g, md, year, day) < 0 ||
			    (strcmp(md, "02-28") == 0 && !((y % 4 == 0 &&
			    y % 100 != 0) || y % 400 == 0) &&
			    gen_birthdays(g, "02-29", year, day) < 0))
				return -1;
		}
		return 0;
	case RULE_LAPSED:
		/* Customers whose last sale left the window since the last
		 * run (all of history on the first run). */
		util_iso_utc(g->now_ms - (int64_t)r->days * DAY_MS, cut,
		    sizeof cut);
		if (last_ms > 0)
			util_iso_utc(last_ms - (int64_t)r->days * DAY_MS, from,
			    sizeof from);
		else
			from[0] = '\0';
		min = rule_amount(g->cfg, r->min_lifetime_spend);
		return gen_query(g, "SELECT x.customer_id, x.last_id, NULL, "
		    "x.last_at FROM "
		    "(SELECT p.customer_id, (SELECT max(q.occurred_at) FROM "
		    "purchase q WHERE q.customer_id = p.customer_id AND "
		    "q.voided_at IS NULL AND q.total > 0) AS last_at, (SELECT "
		    "max(q.id) FROM purchase q WHERE q.customer_id = "
		    "p.customer_id AND q.voided_at IS NULL AND q.total > 0) AS "
		    "last_id, (SELECT coalesce(sum(q.total), 0) FROM purchase q "
		    "WHERE q.customer_id = p.customer_id AND q.voided_at IS "
		    "NULL) AS spend FROM (SELECT DISTINCT customer_id FROM "
		    "purchase WHERE occurred_at > ?1 AND occurred_at <= ?2) p) x "
		    "JOIN customer c ON c.id = x.customer_id WHERE x.last_at <= "
		    "?2 AND x.spend >= ?3 AND c.deleted_at IS NULL", from, cut,
		    min);
	case RULE_FIRST_VISIT:
		/* First seen (a sale or a visit) days ago, give or take a
		 * week the shop may have been closed, or since the last run. */
		util_iso_utc((last_ms > 0 && last_ms < g->now_ms - 7 * DAY_MS ?
		    last_ms - 7 * DAY_MS : g->now_ms - 7 * DAY_MS) -
		    (int64_t)r->days * DAY_MS, from, sizeof from);
		util_iso_utc(g->now_ms - (int64_t)r->days * DAY_MS, to,
		    sizeof to);
		return gen_query(g, "SELECT x.id, 'first', NULL, x.first FROM "
		    "(SELECT "
		    "c.id, min(coalesce((SELECT min(occurred_at) FROM purchase "
		    "WHERE customer_id = c.id), '9'), coalesce((SELECT "
		    "min(occurred_at) FROM interaction WHERE customer_id = c.id "
		    "AND kind = 'visit'), '9')) AS first FROM customer c WHERE "
		    "c.deleted_at IS NULL AND c.id IN (SELECT customer_id FROM "
		    "purchase WHERE occurred_at > ?1 AND occurred_at <= ?2 UNION "
		    "SELECT customer_id FROM interaction WHERE kind = 'visit' AND "
		    "occurred_at > ?1 AND occurred_at <= ?2)) x WHERE x.first > "
		    "?1 AND x.first <= ?2", from, to, 0);
	case RULE_TIER: {
		sqlite3_stmt *st;
		int rc;

		/* Upgrades recorded since the last run. */
		if (store_prepare(g->s, "SELECT t.id, t.customer_id, t.tier, "
		    "t.previous FROM tier_change t JOIN customer c ON c.id = "
		    "t.customer_id WHERE t.id > ?1 AND t.tier IS NOT NULL AND "
		    "c.deleted_at IS NULL", &st, g->e) < 0)
			return -1;
		sqlite3_bind_int64(st, 1, last_tier_id);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *tier = (const char *)sqlite3_column_text(st,
			    2);
			const char *prev = (const char *)sqlite3_column_text(st,
			    3);
			int rank = -1, prank = -1;
			char occ[64], what[96];

			for (int i = 0; i < g->cfg->ntiers; i++) {
				if (strcmp(g->cfg->tiers[i].name, tier) == 0)
					rank = i;
				if (prev != NULL &&
				    strcmp(g->cfg->tiers[i].name, prev) == 0)
					prank = i;
			}
			if (rank <= prank)
				continue;
			snprintf(occ, sizeof occ, "%s:%lld", tier,
			    sqlite3_column_int64(st, 0));
			snprintf(what, sizeof what, "reached %s", tier);
			if (gen_task(g, sqlite3_column_int64(st, 1), occ,
			    local_day(g->now_ms, r->due_in_days), what) < 0) {
				sqlite3_finalize(st);
				return -1;
			}
		}
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? 0 : store_error(g->s, rc, g->e,
		    "rules");
	}
	}
	return 0;
}

long
task_generate(struct store *s, const struct config *cfg, int64_t now_ms,
	struct perr *e)
{
	struct gen g = { s, cfg, NULL, now_ms, 0, NULL, 0, e };
	char last[40], tier_id[32], now[32];
	int64_t last_ms = 0, last_tier = 0;

	if (cfg->nrules == 0)
		return 0;
	if (store_begin(s, e) < 0)
		return -1;
	if (store_meta_get(s, "task_generate_at", last, sizeof last, "rules",
	    e) < 0 || store_meta_get(s, "task_generate_tier_id", tier_id,
	    sizeof tier_id, "rules", e) < 0)
		goto fail;
	if (last[0] != '\0')
		util_time_parse(last, &last_ms);
	last_tier = atoll(tier_id);
	for (int i = 0; i < cfg->nrules; i++) {
		const struct config_rule *r = &cfg->rules[i];
		const char *who = r->assign[0] ? r->assign : "manager";

		g.r = r;
		if (assignee_resolve(s, who, &g.assignee_id, &g.assignee_role,
		    e) < 0) {
			perr_set(e, PX_CONFIG, "tasks.rules: rule '%s': assign: "
			    "no staff member or role '%s'", r->name, who);
			goto fail;
		}
		if (gen_rule(&g, last_ms, last_tier) < 0)
			goto fail;
	}
	util_iso_utc(now_ms, now, sizeof now);
	snprintf(tier_id, sizeof tier_id, "%lld", (long long)last_tier);
	{
		sqlite3_stmt *st;

		if (store_prepare(s, "SELECT coalesce(max(id), 0) FROM "
		    "tier_change", &st, e) < 0)
			goto fail;
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(tier_id, sizeof tier_id, "%lld",
			    sqlite3_column_int64(st, 0));
		sqlite3_finalize(st);
	}
	if (store_meta_set(s, "task_generate_at", now, "rules", e) < 0 ||
	    store_meta_set(s, "task_generate_tier_id", tier_id, "rules", e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		goto fail;
	return g.made;
fail:
	store_rollback(s);
	return -1;
}
