/*
 * task: follow-up tasks. A task has a title, notes, optionally a customer,
 * an assignee (a staff member or a whole role), a due date or date-time, a
 * priority, a status (open, done, cancelled) and a snooze; done and
 * cancelled tasks stay in history. Rules from config tasks.rules make
 * tasks; each rule makes at most one task for one cause (rule, customer,
 * occasion), however often generation runs.
 */
#ifndef PATRON_TASK_H
#define PATRON_TASK_H

#include <stdint.h>

#include "patron/config.h"
#include "patron/staff.h"
#include "patron/store.h"

#define TASK_TITLE_MAX 200
#define TASK_NOTES_MAX 4000

enum task_status { TS_OPEN, TS_DONE, TS_CANCELLED, TS_NSTATUS };
enum task_priority { TP_LOW, TP_NORMAL, TP_HIGH, TP_NPRIORITY };
extern const char *const task_status_names[];
extern const char *const task_priority_names[];

/*
 * A due time as people type it, in the local zone (store.timezone), at
 * now: "today", "tomorrow", "+3d", "+2w", "+1m" (a month on, the day
 * clamped to the month's end), a weekday "mon".."sun" or its full name
 * (the next such day after today), "2026-12-01", "2026-12-01 15:30".
 * A day alone is all_day (due by the end of it). Returns 0 or -1 with e
 * saying what is accepted.
 */
struct task_due {
	int64_t ms;		/* a day: its local midnight; else the instant */
	int all_day;
};
int task_due_parse(const char *text, int64_t now_ms, struct task_due *due,
	struct perr *e);
/* "2026-12-01" or "2026-12-01 15:30", local. */
void task_due_format(const struct task_due *due, char *buf, size_t len);

struct task {
	int64_t id;
	char uuid[37];
	char *title;
	char *notes;			/* NULL: none */
	int64_t customer_id;		/* 0: none */
	char customer_name[128];
	int64_t assignee_id;		/* a staff member, or 0 */
	char assignee[STAFF_NAME_MAX + 1];	/* the name or the role */
	int assignee_is_role;
	struct task_due due;		/* due.ms 0: no date */
	int priority;
	int status;
	int64_t snoozed_until_ms;	/* 0: not snoozed */
	char rule[64];			/* the rule that made it, or "" */
	int64_t created_ms;
	char created_by[STAFF_NAME_MAX + 1];
	int64_t closed_ms;		/* done or cancelled at; 0: open */
};
void task_free(struct task *t);

/* What add takes. */
struct task_input {
	const char *title;
	const char *notes;
	int64_t customer_id;
	const char *assignee;		/* a staff name or a role; NULL: me */
	const char *due;		/* as people type it; NULL: none */
	int priority;
};

int task_add(struct store *s, const struct config *cfg,
	const struct task_input *in, const struct staff *actor,
	int64_t now_ms, int64_t *id, struct perr *e);
int task_get(struct store *s, int64_t id, struct task *t, struct perr *e);
/* done, cancel, reopen: the status changes (an event is recorded). */
int task_set_status(struct store *s, int64_t id, int status,
	const struct staff *actor, int64_t now_ms, struct perr *e);
/* Snooze until a due-like time ("tomorrow", "+2d", ...). */
int task_snooze(struct store *s, int64_t id, const char *until,
	const struct staff *actor, int64_t now_ms, struct perr *e);
int task_assign(struct store *s, int64_t id, const char *assignee,
	const struct staff *actor, int64_t now_ms, struct perr *e);

/* Which tasks task_each lists. */
struct task_filter {
	const struct staff *mine;	/* assigned to them or their role */
	int64_t customer_id;		/* 0: any */
	const char *assignee;		/* a name or role; NULL: any */
	int overdue;			/* only open ones past due */
	int open_only;			/* open (snoozed included) */
	int all;			/* done and cancelled too */
	int64_t done_since_ms;		/* open, and those done since (0: no) */
	long limit;			/* 0: no limit */
};
/*
 * Tasks in due order (no date last; done and cancelled after open ones).
 * now_ms decides what is overdue.
 */
long task_each(struct store *s, const struct task_filter *f, int64_t now_ms,
	int (*fn)(const struct task *, void *), void *arg, struct perr *e);

/* Overdue: open, not snoozed past now, and past due (a day: before today). */
int task_overdue(const struct task *t, int64_t now_ms);
/* Due today (local), not overdue. */
int task_due_today(const struct task *t, int64_t now_ms);
/* How many open tasks of this staff member (or their role) are overdue. */
long task_overdue_count(struct store *s, const struct staff *who,
	int64_t now_ms, struct perr *e);

/*
 * Apply the rules of cfg->task_rules at now: after a purchase of at least
 * min_total, days_before a birthday, when a customer has not bought for
 * days (with at least min_lifetime_spend), days after a new customer's
 * first visit, when a customer reaches a new tier. Idempotent. Returns
 * the number of tasks made, or -1.
 */
long task_generate(struct store *s, const struct config *cfg, int64_t now_ms,
	struct perr *e);

#endif
