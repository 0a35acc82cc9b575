/*
 * view_customer: one customer. The profile card on the left, the loyalty
 * panel and the 12-month summary on the right, the history timeline below
 * (newest first, loaded a page at a time as the selection moves down,
 * filtered with f). p records a purchase, r redeems, a adjusts, n adds a
 * note or visit, e edits; q goes back to the lookup.
 */
#include "patron/view_customer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/customer.h"
#include "patron/history.h"
#include "patron/timeline.h"
#include "patron/loyalty.h"
#include "patron/phone.h"
#include "patron/task.h"
#include "patron/view_customer_form.h"
#include "patron/view_detail.h"
#include "patron/view_entry.h"
#include "patron/perm.h"

#define TL_PAGE 50
#define LEFT_W 40	/* columns of the profile card at 80 columns */

/* The filters f cycles through. */
static const struct {
	unsigned mask;
	const char *name;
} cview_filters[] = {
	{ TL_F_ALL, "all" },
	{ TL_F_PURCHASES, "purchases" },
	{ TL_F_POINTS, "points" },
	{ TL_F_INTERACTIONS, "notes and visits" },
	{ TL_F_TASKS, "tasks" },
	{ TL_F_CHANGES, "changes" },	/* managers: who changed what */
};
#define NFILTERS (int)(sizeof cview_filters / sizeof cview_filters[0])

struct cview {
	int64_t id;
	struct customer c;
	int loaded;
	struct loyalty_status ls;
	struct history_summary hs;
	struct timeline_item *items;
	long nitems, cap;
	int more;		/* the timeline may have more below */
	long sel, top;		/* selected row, first row shown */
	int filter;
	int ntasks;		/* open tasks about this customer */
	struct task next_task;	/* the first of them due */
	int next_overdue;
};

static const enum action customer_bar[] = { ACT_HELP, ACT_PURCHASE,
	ACT_REDEEM, ACT_NEW, ACT_TASKS, ACT_EDIT, ACT_REVEAL, ACT_FILTER,
	ACT_BACK, ACT_NONE };
static const char *const customer_labels[] = { NULL, NULL, NULL, "Note",
	"Task", NULL, NULL, NULL, NULL };

/* The next page of the timeline, after the last row loaded. */
static void
cview_more(struct cview *cv, struct ui *u)
{
	struct perr e;
	long n;

	if (!cv->more)
		return;
	if (cv->nitems + TL_PAGE > cv->cap) {
		cv->cap = cv->nitems + TL_PAGE;
		cv->items = xrealloc(cv->items, (size_t)cv->cap *
		    sizeof *cv->items);
	}
	n = timeline_page(u->store, cv->id, cview_filters[cv->filter].mask,
	    cv->nitems ? &cv->items[cv->nitems - 1] : NULL,
	    cv->items + cv->nitems, TL_PAGE, &e);
	if (n < 0) {
		ui_say(u, 1, "%s", e.msg);
		cv->more = 0;
		return;
	}
	cv->nitems += n;
	cv->more = n == TL_PAGE;
}

static int
cview_task(const struct task *t, void *arg)
{
	struct cview *cv = arg;

	if (cv->ntasks++ == 0) {
		cv->next_task = *t;
		cv->next_task.title = xstrdup(t->title);
		cv->next_task.notes = NULL;
	}
	return 0;
}

/* The customer's open tasks: how many, and the first due. */
static void
cview_tasks(struct cview *cv, struct ui *u, int64_t now)
{
	struct task_filter f = { 0 };
	struct perr e;

	if (cv->ntasks > 0)
		task_free(&cv->next_task);
	cv->ntasks = 0;
	f.customer_id = cv->id;
	if (task_each(u->store, &f, now, cview_task, cv, &e) < 0)
		ui_say(u, 1, "%s", e.msg);
	cv->next_overdue = cv->ntasks > 0 && task_overdue(&cv->next_task, now);
}

static void
cview_load(struct cview *cv, struct ui *u)
{
	int64_t now = util_now_ms();
	struct perr e;

	if (cv->loaded)
		customer_free(&cv->c);
	cv->loaded = customer_get(u->store, cv->id, &cv->c, &e) == 0 &&
	    loyalty_status(u->store, u->cfg, cv->id, now, &cv->ls, &e) == 0 &&
	    history_summary(u->store, cv->id, now, &cv->hs, &e) == 0;
	if (!cv->loaded) {
		ui_say(u, 1, "%s", e.msg);
		return;
	}
	cview_tasks(cv, u, now);
	cv->nitems = 0;
	cv->more = 1;
	cview_more(cv, u);
	if (cv->sel >= cv->nitems)
		cv->sel = cv->nitems ? cv->nitems - 1 : 0;
}

static void
cview_line(struct ui *u, WINDOW *w, int y, int x, const char *label,
	const char *value, int width)
{
	ui_attrset(w, ui_attr(u, E_LABEL));
	ui_text(w, y, x, label, 10, 1);
	ui_attrset(w, A_NORMAL);
	ui_text(w, y, x + 11, value ? value : "", width - 12, 0);
}

/* The profile card; returns the next free row. */
static int
cview_profile(struct cview *cv, struct ui *u, WINDOW *w, int y, int width,
	int bottom)
{
	const struct customer *c = &cv->c;
	char buf[512], phone[64], day[16];
	int64_t ms;

	int masked = ui_masked(u) && u->revealed != cv->id;

	if (c->phone == NULL)
		phone[0] = '\0';
	else if (masked)
		phone_mask(c->phone, phone, sizeof phone);
	else
		phone_format(c->phone, phone, sizeof phone);
	cview_line(u, w, y++, 2, "Phone", phone, width);
	cview_line(u, w, y++, 2, "Email", c->email && masked ?
	    "\u2022\u2022\u2022" : c->email, width);
	cview_line(u, w, y++, 2, "Card", c->card, width);
	cview_line(u, w, y++, 2, "Birthday", c->birthday, width);
	buf[0] = '\0';
	for (size_t i = 0; i < c->ntags; i++)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s",
			i ? ", " : "", c->tags[i]);
	cview_line(u, w, y++, 2, "Tags", buf, width);
	day[0] = '\0';
	if (c->consent_at != NULL && util_time_parse(c->consent_at, &ms) == 0)
		util_time_local(ms, "%Y-%m-%d", day, sizeof day);
	snprintf(buf, sizeof buf, "%s%s%s", c->consent < 0 ? "not asked" :
	    c->consent ? "given" : "withdrawn", day[0] ? " on " : "", day);
	cview_line(u, w, y++, 2, "Marketing", buf, width);
	for (int i = 0; i < u->cfg->nfields && y < bottom; i++) {
		customer_field(u->store, c, u->cfg->fields[i].key, buf,
			sizeof buf);
		cview_line(u, w, y++, 2, u->cfg->fields[i].label, buf, width);
	}
	if (cv->ntasks > 0 && y < bottom) {
		char due[32] = "";

		if (cv->next_task.due.ms != 0)
			task_due_format(&cv->next_task.due, due, sizeof due);
		snprintf(buf, sizeof buf, "%d open: %s%s%s%s", cv->ntasks,
		    cv->next_task.title, due[0] ? " (" : "", due,
		    due[0] ? ")" : "");
		ui_attrset(w, ui_attr(u, E_LABEL));
		ui_text(w, y, 2, "Tasks", 10, 1);
		ui_attrset(w, cv->next_overdue ? ui_attr(u, E_OVERDUE) :
		    A_NORMAL);
		ui_text(w, y++, 13, buf, width - 12, 0);
		ui_attrset(w, A_NORMAL);
	}
	if (c->notes != NULL && y < bottom) {
		/* Notes may hold newlines: show the first line here. */
		snprintf(buf, sizeof buf, "%.*s", (int)strcspn(c->notes, "\n"),
			c->notes);
		cview_line(u, w, y++, 2, "Notes", buf, width);
	}
	return y;
}

/* Loyalty and the 12-month summary, at column x; returns the next row. */
static int
cview_panel(struct cview *cv, struct ui *u, WINDOW *w, int y, int x,
	int width)
{
	const struct loyalty_status *ls = &cv->ls;
	const struct history_summary *hs = &cv->hs;
	const struct config *cfg = u->cfg;
	char buf[256], a[40], b[40], spark[64], day[16];
	int bar = width - 24;

	ui_money(u, loyalty_value(cfg, ls->balance), a, sizeof a);
	ui_attrset(w, ui_attr(u, E_LABEL));
	ui_text(w, y, x, "Points", 10, 1);
	ui_attrset(w, ui_attr(u, ls->balance < 0 ? E_ERROR : E_POINTS_GAIN) |
	    A_BOLD);
	util_decimal_group(ls->balance, 0, 0, b, sizeof b);
	ui_text(w, y, x + 11, b, width - 11, 0);
	ui_attrset(w, A_NORMAL);
	snprintf(buf, sizeof buf, "  worth %s %s", a, cfg->store_currency);
	ui_text(w, y++, x + 11 + (int)strlen(b), buf,
	    width - 11 - (int)strlen(b), 0);
	snprintf(buf, sizeof buf, "%s%s", ls->tier >= 0 ?
	    cfg->tiers[ls->tier].name : "-", "");
	if (ls->tier >= 0) {
		util_decimal_format(cfg->tiers[ls->tier].multiplier, 4, a,
		    sizeof a);
		while (a[strlen(a) - 1] == '0')
			a[strlen(a) - 1] = '\0';
		if (a[strlen(a) - 1] == '.')
			a[strlen(a) - 1] = '\0';
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
		    "  x%s", a);
	}
	cview_line(u, w, y++, x, "Tier", buf, width);
	if (ls->next >= 0 && bar > 4) {
		const struct config_tier *t = &cfg->tiers[ls->next];
		long base = ls->tier >= 0 ? cfg->tiers[ls->tier].threshold : 0;
		long span = t->threshold - base;
		int fill = span > 0 ? (int)((ls->qualifying - base) * bar /
		    span) : 0;

		if (fill < 0)
			fill = 0;
		if (fill > bar)
			fill = bar;
		ui_attrset(w, ui_attr(u, E_LABEL));
		ui_text(w, y, x, t->name, 10, 1);
		ui_attrset(w, ui_attr(u, E_POINTS_GAIN));
		for (int i = 0; i < bar; i++)
			ui_text(w, y, x + 11 + i, i < fill ?
			    (ui_utf8() ? "\u2588" : "#") :
			    (ui_utf8() ? "\u2591" : "-"), 1, 0);
		ui_attrset(w, A_NORMAL);
		util_decimal_group(ls->to_next, 0, 0, a, sizeof a);
		snprintf(buf, sizeof buf, " %s to go", a);
		ui_text(w, y++, x + 11 + bar, buf, width - 11 - bar, 0);
	}
	if (ls->expiring > 0) {
		util_time_local(ls->expiring_ms, "%Y-%m-%d", day, sizeof day);
		util_decimal_group(ls->expiring, 0, 0, a, sizeof a);
		snprintf(buf, sizeof buf, "%s from %s", a, day);
		ui_attrset(w, ui_attr(u, E_LABEL));
		ui_text(w, y, x, "Expiring", 10, 1);
		ui_attrset(w, ui_attr(u, E_OVERDUE));
		ui_text(w, y++, x + 11, buf, width - 11, 0);
		ui_attrset(w, A_NORMAL);
	}
	ui_money(u, hs->spend_12m, a, sizeof a);
	snprintf(buf, sizeof buf, "%s, %ld visit%s", a, hs->visits_12m,
	    hs->visits_12m == 1 ? "" : "s");
	cview_line(u, w, y++, x, "12 months", buf, width);
	ui_money(u, hs->avg_basket, a, sizeof a);
	snprintf(buf, sizeof buf, "%s a purchase", a);
	cview_line(u, w, y++, x, "Average", buf, width);
	ui_money(u, hs->lifetime, a, sizeof a);
	if (hs->first_seen_ms > 0) {
		util_time_local(hs->first_seen_ms, "%Y-%m-%d", day, sizeof day);
		snprintf(buf, sizeof buf, "%s since %s", a, day);
	} else
		snprintf(buf, sizeof buf, "%s", a);
	cview_line(u, w, y++, x, "Lifetime", buf, width);
	history_sparkline(hs->months, 12, !ui_utf8(), spark, sizeof spark);
	ui_attrset(w, ui_attr(u, E_LABEL));
	ui_text(w, y, x, "By month", 10, 1);
	ui_attrset(w, ui_attr(u, E_POINTS_GAIN));
	ui_text(w, y++, x + 11, spark, 12, 0);
	ui_attrset(w, A_NORMAL);
	if (hs->last_visit_ms > 0)
		util_time_local(hs->last_visit_ms, "%Y-%m-%d", buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "never");
	cview_line(u, w, y++, x, "Last visit", buf, width);
	return y;
}

static void
cview_row(struct cview *cv, struct ui *u, WINDOW *w, int y, long i, int wd)
{
	const struct timeline_item *it = &cv->items[i];
	char when[32], amount[40] = "", pts[32] = "";
	attr_t pa = it->points < 0 ? ui_attr(u, E_POINTS_SPEND) :
	    ui_attr(u, E_POINTS_GAIN);
	attr_t base = i == cv->sel ? ui_attr(u, E_SELECTION) : A_NORMAL;
	/*
	 * The text gets what the rest leaves: when (the day; the time too
	 * from 100 columns), kind 9, amount 11, points 7, staff from 100.
	 * Enter shows the whole row.
	 */
	int wide = wd >= 100, dw = wide ? 16 : 10, staff = wide ? 12 : 0;
	int kx = 2 + dw + 1, tx = kx + 10;
	int tw = wd - tx - 1 - 11 - 1 - 7 - staff - 2;
	int ax = tx + tw + 1, px = ax + 12;

	util_time_local(it->at_ms, wide ? "%Y-%m-%d %H:%M" : "%Y-%m-%d", when,
	    sizeof when);
	if (it->kind == TL_PURCHASE || it->kind == TL_RETURN)
		ui_money(u, it->amount, amount, sizeof amount);
	if (it->points != 0)
		util_decimal_group(it->points, 0, 1, pts, sizeof pts);
	if (strlen(pts) > 7)	/* the column: separators where they fit */
		snprintf(pts, sizeof pts, "%+lld", (long long)it->points);
	ui_attrset(w, base);
	mvwhline(w, y, 1, ' ', wd - 2);
	ui_text(w, y, 2, when, dw, 1);
	ui_attrset(w, it->voided ? ui_attr_over(u, base, E_DIM) : base);
	ui_text(w, y, kx, it->voided ? "void" : timeline_kind_names[it->kind],
	    9, 1);
	ui_text(w, y, tx, it->text, tw, 1);
	/* Amounts and points right-aligned. */
	ui_text(w, y, ax + 11 - (int)strlen(amount), amount, 11, 0);
	/* A void's points were taken back: dim like the rest of its row. */
	ui_attrset(w, i == cv->sel ? base : it->voided ?
	    ui_attr_over(u, base, E_DIM) : pa);
	ui_text(w, y, px + 7 - (int)strlen(pts), pts, 7, 0);
	ui_attrset(w, ui_attr_over(u, base, E_DIM));
	if (staff)
		ui_text(w, y, wd - 2 - staff + 2, it->staff, staff - 2, 0);
	ui_attrset(w, A_NORMAL);
}

static void
cview_draw(struct view *v, struct ui *u, WINDOW *w)
{
	struct cview *cv = v->data;
	const struct customer *c = &cv->c;
	char buf[128];
	int h, wd, y, left, right, rows;

	getmaxyx(w, h, wd);
	if (!cv->loaded)
		return;
	ui_attrset(w, ui_attr(u, E_HEADING));
	ui_text(w, 1, 2, c->name, wd - 30, 0);
	ui_attrset(w, A_NORMAL);
	snprintf(buf, sizeof buf, "#%lld", (long long)c->id);
	ui_text(w, 1, wd - 2 - (int)strlen(buf), buf, (int)strlen(buf), 0);
	left = wd / 2;
	if (left < LEFT_W)
		left = LEFT_W;
	/* The card ends two columns short of the panel: text never runs
	 * into it. */
	y = cview_profile(cv, u, w, 3, left - 2, h / 2);
	right = cview_panel(cv, u, w, 3, left + 1, wd - left - 2);
	if (right > y)
		y = right;
	/* The history fills what is left. */
	ui_attrset(w, ui_attr(u, E_HEADING));
	ui_rule(w, y, 1, wd - 2);
	snprintf(buf, sizeof buf, " History: %s%s ",
	    cview_filters[cv->filter].name, cv->nitems > 0 ?
	    " \u00b7 Enter: the whole row" : "");
	ui_text(w, y, 3, buf, wd - 6, 0);
	ui_attrset(w, A_NORMAL);
	y++;
	rows = h - y - 1;
	if (rows < 1)
		return;
	if (cv->nitems == 0) {
		ui_attrset(w, ui_attr(u, E_DIM));
		ui_text(w, y, 2, cv->filter ? "Nothing of this kind yet." :
		    "No purchases, visits or points yet: p records a purchase.",
		    wd - 4, 0);
		ui_attrset(w, A_NORMAL);
		return;
	}
	if (cv->sel < cv->top)
		cv->top = cv->sel;
	if (cv->sel >= cv->top + rows)
		cv->top = cv->sel - rows + 1;
	for (long i = cv->top; i < cv->nitems && i < cv->top + rows; i++)
		cview_row(cv, u, w, y + (int)(i - cv->top), i, wd);
}

/* d on a sale or return in the history: a manager voids it, asked first
 * (view_entry: a reason, then the points it reverses). */
static void
cview_void(struct cview *cv, struct ui *u)
{
	const struct timeline_item *it = cv->nitems > 0 ?
	    &cv->items[cv->sel] : NULL;

	if (it == NULL || (it->kind != TL_PURCHASE && it->kind != TL_RETURN))
		ui_say(u, 1, "Select a purchase or return in the history to "
		    "void it.");
	else if (it->voided)
		ui_say(u, 1, "That one is void already.");
	else if (ui_may(u, PERM_void))
		ui_push(u, view_entry_new(u, it->id, ENTRY_VOID));
}

static int
cview_key(struct view *v, struct ui *u, const struct ui_key *k)
{
	struct cview *cv = v->data;
	long page = 10;

	switch (k->action) {
	case ACT_EDIT:
		if (ui_may(u, PERM_edit))
			ui_push(u, view_customer_form_new(u, cv->id, NULL));
		return UI_HANDLED;
	case ACT_PURCHASE:
	case ACT_REDEEM:
		if (ui_may(u, k->action == ACT_PURCHASE ? PERM_purchase :
		    PERM_redeem))
			ui_push(u, view_entry_new(u, cv->id, k->action ==
			    ACT_PURCHASE ? ENTRY_PURCHASE : ENTRY_REDEEM));
		return UI_HANDLED;
	case ACT_RETURN:
		if (ui_may(u, PERM_purchase))
			ui_push(u, view_entry_new(u, cv->id, ENTRY_RETURN));
		return UI_HANDLED;
	case ACT_VOID:
		cview_void(cv, u);
		return UI_HANDLED;
	case ACT_ADJUST:
		if (ui_may(u, PERM_adjust))
			ui_push(u, view_entry_new(u, cv->id, ENTRY_ADJUST));
		return UI_HANDLED;
	case ACT_NEW:
		ui_push(u, view_entry_new(u, cv->id, ENTRY_NOTE));
		return UI_HANDLED;
	case ACT_TASKS:
		ui_push(u, view_entry_new(u, cv->id, ENTRY_TASK));
		return UI_HANDLED;
	case ACT_REVEAL:
		if (!ui_masked(u) || u->revealed == cv->id)
			ui_say(u, 0, "Nothing is masked here.");
		else if (ui_may(u, PERM_reveal))
			ui_push(u, view_entry_new(u, cv->id, ENTRY_REVEAL));
		return UI_HANDLED;
	case ACT_FILTER:
		cv->filter = (cv->filter + 1) % NFILTERS;
		/* The audit trail shows data unmasked: for its readers. */
		if (cview_filters[cv->filter].mask == TL_F_CHANGES &&
		    (!perm_allows(u->cfg, u->who.role, PERM_audit) ||
		    ui_masked(u)))
			cv->filter = 0;
		cv->sel = cv->top = 0;
		cview_load(cv, u);
		return UI_HANDLED;
	case ACT_UP:
	case ACT_PAGE_UP:
	case ACT_TOP:
		cv->sel -= k->action == ACT_UP ? 1 : k->action == ACT_TOP ?
		    cv->sel : page;
		if (cv->sel < 0)
			cv->sel = 0;
		return UI_HANDLED;
	case ACT_DOWN:
	case ACT_PAGE_DOWN:
	case ACT_BOTTOM:
		cv->sel += k->action == ACT_DOWN ? 1 : page;
		/* Load further pages as the selection reaches the end. */
		while ((k->action == ACT_BOTTOM || cv->sel >= cv->nitems) &&
		    cv->more) {
			long before = cv->nitems;

			cview_more(cv, u);
			if (cv->nitems == before)
				break;
		}
		if (k->action == ACT_BOTTOM || cv->sel >= cv->nitems)
			cv->sel = cv->nitems ? cv->nitems - 1 : 0;
		return UI_HANDLED;
	case ACT_OPEN:
		if (cv->nitems > 0)
			ui_push(u, view_detail_new(u, cv->c.name,
			    &cv->items[cv->sel]));
		return UI_HANDLED;
	case ACT_BACK:
		return UI_POP;
	default:
		return UI_IGNORED;
	}
}

static void
cview_resume(struct view *v, struct ui *u)
{
	cview_load(v->data, u);
}

static void
cview_free(struct view *v)
{
	struct cview *cv = v->data;

	if (cv->loaded)
		customer_free(&cv->c);
	if (cv->ntasks > 0)
		task_free(&cv->next_task);
	free(cv->items);
	free(cv);
	free(v);
}

/* The bar offers what this role may do: no F7 to an agent, v where
 * something is masked for a role that may reveal it. */
static int
cview_bar_item(struct view *v, struct ui *u, enum action a,
	const char **label)
{
	struct cview *cv = v->data;
	const char *role = u->who.role;

	(void)label;
	switch (a) {
	case ACT_PURCHASE:
		return perm_allows(u->cfg, role, PERM_purchase);
	case ACT_REDEEM:
		return perm_allows(u->cfg, role, PERM_redeem);
	case ACT_EDIT:
		return perm_allows(u->cfg, role, PERM_edit);
	case ACT_REVEAL:
		return ui_masked(u) && u->revealed != cv->id &&
		    perm_allows(u->cfg, role, PERM_reveal);
	default:
		return 1;
	}
}

static const struct view_ops customer_ops = {
	.name = "customer",
	.draw = cview_draw,
	.key = cview_key,
	.resume = cview_resume,
	.free = cview_free,
	.bar = customer_bar,
	.bar_labels = customer_labels,
	.bar_item = cview_bar_item,
};

struct view *
view_customer_new(struct ui *u, int64_t id)
{
	struct view *v = xcalloc(1, sizeof *v);
	struct cview *cv = xcalloc(1, sizeof *cv);

	cv->id = id;
	u->revealed = 0;	/* a reveal lasts while its customer is open */
	v->ops = &customer_ops;
	v->data = cv;
	cview_load(cv, u);
	return v;
}
