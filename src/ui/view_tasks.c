/*
 * view_tasks: follow-up tasks, grouped Overdue, Today, Upcoming (snoozed
 * ones too, shown with their snooze), No date, each in due order, and
 * those done today last. Staff see their own (and their role's); managers
 * and admins see everyone's with f, the view opening on their own when
 * they have any. x marks done (u right after undoes it; x on a done task
 * reopens it), s snoozes, a assigns (managers), t adds one, Enter opens
 * the customer.
 */
#include "patron/view_tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/task.h"
#include "patron/view_customer.h"
#include "patron/view_entry.h"
#include "patron/perm.h"

enum { G_OVERDUE, G_TODAY, G_UPCOMING, G_NODATE, G_DONE, G_N };
static const char *const group_names[G_N] = { "Overdue", "Today",
	"Upcoming", "No date", "Done today" };

struct trow {
	int heading;		/* a group's heading, not a task */
	int group;
	struct task t;
};

struct tview {
	struct trow *rows;
	int nrows, cap;
	int sel, top;
	int all;		/* everyone's tasks (managers) */
	int64_t undo;		/* the task x just marked done; 0: none */
};

static const enum action tasks_bar[] = { ACT_HELP, ACT_OPEN, ACT_DONE,
	ACT_SNOOZE, ACT_ADJUST, ACT_TASKS, ACT_FILTER, ACT_BACK, ACT_NONE };
static const char *const tasks_labels[] = { NULL, "Customer", NULL, NULL,
	"Assign", "New", "Mine/all", NULL };

/* Whether this staff member manages other staff's tasks. */
static int
is_manager(const struct ui *u)
{
	return perm_allows(u->cfg, u->who.role, PERM_others_tasks);
}

static void
tview_clear(struct tview *tv)
{
	for (int i = 0; i < tv->nrows; i++)
		if (!tv->rows[i].heading)
			task_free(&tv->rows[i].t);
	tv->nrows = 0;
}

static struct trow *
tview_push(struct tview *tv)
{
	if (tv->nrows == tv->cap) {
		tv->cap = tv->cap ? tv->cap * 2 : 64;
		tv->rows = xrealloc(tv->rows, (size_t)tv->cap *
		    sizeof *tv->rows);
	}
	memset(&tv->rows[tv->nrows], 0, sizeof tv->rows[0]);
	return &tv->rows[tv->nrows++];
}

struct collect {
	struct task *v;
	int n, cap;
	int64_t now;
};

static int
collect_one(const struct task *t, void *arg)
{
	struct collect *c = arg;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = xrealloc(c->v, (size_t)c->cap * sizeof *c->v);
	}
	c->v[c->n] = *t;
	/* task_each frees its copy: keep our own strings. */
	c->v[c->n].title = xstrdup(t->title);
	c->v[c->n].notes = t->notes ? xstrdup(t->notes) : NULL;
	c->n++;
	return 0;
}

static int
group_of(const struct task *t, int64_t now)
{
	if (t->status != TS_OPEN)
		return G_DONE;
	if (task_overdue(t, now))
		return G_OVERDUE;
	if (task_due_today(t, now))
		return G_TODAY;
	if (t->due.ms == 0 && t->snoozed_until_ms <= now)
		return G_NODATE;
	return G_UPCOMING;
}

static void
tview_load(struct tview *tv, struct ui *u)
{
	struct task_filter f = { 0 };
	struct collect c = { NULL, 0, 0, util_now_ms() };
	struct task_due today;
	struct perr e;

	tview_clear(tv);
	f.mine = tv->all ? NULL : &u->who;
	f.limit = 2000;
	/* Today's done ones stay in sight, to be reopened. */
	if (task_due_parse("today", c.now, &today, NULL) == 0)
		f.done_since_ms = today.ms;
	if (task_each(u->store, &f, c.now, collect_one, &c, &e) < 0)
		ui_say(u, 1, "%s", e.msg);
	for (int g = 0; g < G_N; g++) {
		int first = 1;

		for (int i = 0; i < c.n; i++) {
			struct trow *r;

			if (c.v[i].title == NULL || group_of(&c.v[i], c.now) != g)
				continue;
			if (first) {
				r = tview_push(tv);
				r->heading = 1;
				r->group = g;
				first = 0;
			}
			r = tview_push(tv);
			r->group = g;
			r->t = c.v[i];
			c.v[i].title = NULL;	/* moved */
		}
	}
	for (int i = 0; i < c.n; i++)
		if (c.v[i].title != NULL)
			task_free(&c.v[i]);
	free(c.v);
	if (tv->sel >= tv->nrows)
		tv->sel = tv->nrows - 1;
	if (tv->sel < 0)
		tv->sel = 0;
	/* The selection rests on a task, not a heading. */
	while (tv->sel < tv->nrows - 1 && tv->rows[tv->sel].heading)
		tv->sel++;
	ui_overdue(u, 1);
}

/*
 * A due time in 11 columns: a day as 2026-12-11; a time as 12-11 15:30
 * this year, else its day (task list prints it whole).
 */
static void
tview_due(const struct task_due *d, int64_t now, char *buf, size_t len)
{
	char y[8], ny[8];

	util_time_local(d->ms, "%Y", y, sizeof y);
	util_time_local(now, "%Y", ny, sizeof ny);
	util_time_local(d->ms, d->all_day || strcmp(y, ny) != 0 ? "%Y-%m-%d" :
	    "%m-%d %H:%M", buf, len);
}

static void
tview_draw(struct view *v, struct ui *u, WINDOW *w)
{
	struct tview *tv = v->data;
	int64_t now = util_now_ms();
	int h, wd, y = 1, rows;
	char buf[160];

	getmaxyx(w, h, wd);
	ui_attrset(w, ui_attr(u, E_HEADING));
	snprintf(buf, sizeof buf, "%s", tv->all ? "All tasks" : "My tasks");
	ui_text(w, y, 2, buf, wd - 4, 0);
	ui_attrset(w, A_NORMAL);
	y += 2;
	rows = h - y - 1;
	if (tv->nrows == 0) {
		ui_attrset(w, ui_attr(u, E_DIM));
		ui_text(w, y, 2, "Nothing to do. t adds a task.", wd - 4, 0);
		ui_attrset(w, A_NORMAL);
		return;
	}
	if (tv->sel < tv->top)
		tv->top = tv->sel;
	if (tv->sel >= tv->top + rows)
		tv->top = tv->sel - rows + 1;
	/* Show the heading above the first row when scrolled to it. */
	if (tv->top == 1 && tv->rows[0].heading)
		tv->top = 0;
	for (int i = tv->top; i < tv->nrows && y < h - 1; i++, y++) {
		const struct trow *r = &tv->rows[i];
		attr_t base = i == tv->sel ? ui_attr(u, E_SELECTION) : A_NORMAL;
		char due[32] = "", who[80];
		/* The title gets what the due (compact), the customer and
		 * the assignee leave: x 4 due, 17 priority, 19 title. */
		int aw = wd >= 120 ? 12 : 10, cw = wd >= 120 ? 24 : 16;
		int ax = wd - 2 - aw, cx = ax - 1 - cw;
		/* A rule's title names the customer already ("Win-back:
		 * 王芳, ..."): no column to say it twice. */
		int named = r->t.customer_id && r->t.customer_name[0] &&
		    strstr(r->t.title, r->t.customer_name) != NULL;
		int tw = (r->t.customer_id && !named ? cx : ax) - 1 - 19;

		if (r->heading) {
			ui_attrset(w, ui_attr(u, r->group == G_OVERDUE ?
			    E_OVERDUE : E_HEADING) | A_BOLD);
			ui_text(w, y, 2, group_names[r->group], wd - 4, 0);
			ui_attrset(w, A_NORMAL);
			continue;
		}
		if (r->group == G_DONE)
			snprintf(due, sizeof due, "done");
		else if (r->t.snoozed_until_ms > now) {
			struct task_due sd = { r->t.snoozed_until_ms, 1 };

			due[0] = '~';	/* snoozed until */
			tview_due(&sd, now, due + 1, sizeof due - 1);
		} else if (r->t.due.ms != 0)
			tview_due(&r->t.due, now, due, sizeof due);
		snprintf(who, sizeof who, "%s", r->t.assignee);
		ui_attrset(w, r->group == G_OVERDUE ?
		    ui_attr_over(u, base, E_OVERDUE) : r->group == G_DONE ?
		    ui_attr_over(u, base, E_DIM) : base);
		mvwhline(w, y, 1, ' ', wd - 2);
		ui_text(w, y, 4, due, 12, 1);
		ui_text(w, y, 17, r->t.priority == TP_HIGH ? "!" :
		    r->t.priority == TP_LOW ? "-" : " ", 1, 0);
		ui_text(w, y, 19, r->t.title, tw, 1);
		if (r->t.customer_id && !named) {
			char id[32];

			/* Names are for staff who may see customers. */
			snprintf(id, sizeof id, "customer #%lld",
			    (long long)r->t.customer_id);
			ui_text(w, y, cx, perm_allows(u->cfg,
			    u->who.role, PERM_view) ? r->t.customer_name : id,
			    cw, 1);
		}
		ui_attrset(w, ui_attr_over(u, base, E_DIM));
		ui_text(w, y, ax, who, aw, 0);
		ui_attrset(w, A_NORMAL);
	}
}

static struct task *
tview_current(struct tview *tv)
{
	if (tv->sel < 0 || tv->sel >= tv->nrows || tv->rows[tv->sel].heading)
		return NULL;
	return &tv->rows[tv->sel].t;
}

static void
tview_move(struct tview *tv, int by)
{
	int to = tv->sel + by;

	if (to < 0)
		to = 0;
	if (to >= tv->nrows)
		to = tv->nrows - 1;
	/* Skip headings in the direction of travel. */
	while (to > 0 && to < tv->nrows - 1 && tv->rows[to].heading)
		to += by > 0 ? 1 : -1;
	if (to >= 0 && tv->rows[to].heading && to + 1 < tv->nrows)
		to++;
	tv->sel = to;
}

/* Done or reopened, said with the task's number and title. */
static void
tview_status(struct tview *tv, struct ui *u, const struct task *t,
	int status)
{
	int64_t id = t->id;
	char title[96];
	struct perr e;

	snprintf(title, sizeof title, "%s", t->title);
	if (task_set_status(u->store, id, status, &u->who, util_now_ms(),
	    &e) < 0) {
		ui_say(u, 1, "%s", e.msg);
		return;
	}
	tv->undo = status == TS_DONE ? id : 0;
	if (status == TS_DONE)
		ui_say(u, 0, "Done: #%lld '%s'. u undoes it.", (long long)id,
		    title);
	else
		ui_say(u, 0, "Reopened #%lld '%s'.", (long long)id, title);
	tview_load(tv, u);
	/* The selection follows the task to its new place. */
	for (int i = 0; i < tv->nrows; i++)
		if (!tv->rows[i].heading && tv->rows[i].t.id == id &&
		    status == TS_OPEN)
			tv->sel = i;
}

static int
tview_key(struct view *v, struct ui *u, const struct ui_key *k)
{
	struct tview *tv = v->data;
	struct task *t = tview_current(tv);

	switch (k->action) {
	case ACT_UP:
		tview_move(tv, -1);
		return UI_HANDLED;
	case ACT_DOWN:
		tview_move(tv, 1);
		return UI_HANDLED;
	case ACT_PAGE_UP:
		tview_move(tv, -10);
		return UI_HANDLED;
	case ACT_PAGE_DOWN:
		tview_move(tv, 10);
		return UI_HANDLED;
	case ACT_TOP:
		tv->sel = 0;
		tview_move(tv, 0);
		return UI_HANDLED;
	case ACT_BOTTOM:
		tview_move(tv, tv->nrows);
		return UI_HANDLED;
	case ACT_OPEN:
		if (t != NULL && t->customer_id > 0) {
			if (ui_may(u, PERM_view))
				ui_push(u, view_customer_new(u,
				    t->customer_id));
		}
		else if (t != NULL)
			ui_say(u, 0, "This task is not about a customer.");
		return UI_HANDLED;
	case ACT_DONE:
		/* x on a done task (today's, at the bottom) reopens it. */
		if (t != NULL)
			tview_status(tv, u, t, t->status == TS_OPEN ? TS_DONE :
			    TS_OPEN);
		return UI_HANDLED;
	case ACT_UNDO:
		if (tv->undo == 0) {
			ui_say(u, 0, "Nothing to undo: u reopens the task x just "
			    "marked done.");
			return UI_HANDLED;
		}
		for (int i = 0; i < tv->nrows; i++)
			if (!tv->rows[i].heading && tv->rows[i].t.id == tv->undo)
				tview_status(tv, u, &tv->rows[i].t, TS_OPEN);
		return UI_HANDLED;
	case ACT_SNOOZE:
		if (t != NULL)
			ui_push(u, view_entry_new(u, t->id, ENTRY_SNOOZE));
		return UI_HANDLED;
	case ACT_ADJUST:
		if (t == NULL)
			return UI_HANDLED;
		if (ui_may(u, PERM_others_tasks))
			ui_push(u, view_entry_new(u, t->id, ENTRY_ASSIGN));
		return UI_HANDLED;
	case ACT_TASKS:
	case ACT_NEW:
		ui_push(u, view_entry_new(u, 0, ENTRY_TASK));
		return UI_HANDLED;
	case ACT_FILTER:
		if (!is_manager(u)) {
			ui_say(u, 0, "These are your tasks and your role's.");
			return UI_HANDLED;
		}
		tv->all = !tv->all;
		tv->sel = tv->top = 0;
		tview_load(tv, u);
		return UI_HANDLED;
	case ACT_BACK:
		return UI_POP;
	default:
		return UI_IGNORED;
	}
}

static void
tview_resume(struct view *v, struct ui *u)
{
	tview_load(v->data, u);
}

static void
tview_free(struct view *v)
{
	struct tview *tv = v->data;

	tview_clear(tv);
	free(tv->rows);
	free(tv);
	free(v);
}

static int
count_own(const struct task *t, void *arg)
{
	(void)t;
	(void)arg;
	return 1;	/* one is enough */
}

/* Whether the staff member has open tasks of their own (or their role's). */
static int
tview_has_own(struct ui *u)
{
	struct task_filter f = { 0 };
	struct perr e;

	f.mine = &u->who;
	f.limit = 1;
	return task_each(u->store, &f, util_now_ms(), count_own, NULL, &e) > 0;
}

/* The bar offers what this role may do with the row selected. */
static int
tview_bar_item(struct view *v, struct ui *u, enum action a,
	const char **label)
{
	struct tview *tv = v->data;
	const struct trow *r = tv->sel < tv->nrows ? &tv->rows[tv->sel] : NULL;
	int task = r != NULL && !r->heading;

	(void)label;
	switch (a) {
	case ACT_OPEN:
		return task && r->t.customer_id != 0 &&
		    perm_allows(u->cfg, u->who.role, PERM_view);
	case ACT_DONE:
	case ACT_SNOOZE:
		return task;
	case ACT_ADJUST:
		return task && is_manager(u);
	case ACT_FILTER:
		return is_manager(u);
	default:
		return 1;
	}
}

static const struct view_ops tasks_ops = {
	.name = "tasks",
	.draw = tview_draw,
	.key = tview_key,
	.resume = tview_resume,
	.free = tview_free,
	.bar = tasks_bar,
	.bar_labels = tasks_labels,
	.bar_item = tview_bar_item,
};

struct view *
view_tasks_new(struct ui *u)
{
	struct view *v = xcalloc(1, sizeof *v);
	struct tview *tv = xcalloc(1, sizeof *tv);

	/* Managers see everyone's, but their own first: the view opens on
	 * theirs when they have any open. */
	tv->all = is_manager(u) && !tview_has_own(u);
	v->ops = &tasks_ops;
	v->data = tv;
	tview_load(tv, u);
	return v;
}
