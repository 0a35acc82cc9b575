/*
 * view_lookup: the counter's first screen. A search field on top, results
 * updating as each character is typed (a slow query gives way to the next
 * key), arrows to choose, Enter to open, n for a new customer.
 */
#include "patron/view_lookup.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patron/field.h"
#include "patron/view_customer.h"
#include "patron/view_customer_form.h"
#include "patron/view_tasks.h"
#include "patron/perm.h"
#include "patron/search.h"
#include "patron/util.h"

#define LOOKUP_MAX 100

struct lookup {
	struct field q;
	int in_list;		/* focus: 0 the field, 1 the list */
	struct search_row rows[LOOKUP_MAX];
	int nrows;
	int more;		/* more than LOOKUP_MAX were found */
	int sel, top;
	int stale;		/* the results do not match the field yet */
	int ask_logout;		/* "Log out?" is up: y logs out */
};

static const enum action lookup_bar[] = { ACT_HELP, ACT_OPEN, ACT_NEW,
	ACT_TASKS, ACT_SEARCH, ACT_BACK, ACT_QUIT, ACT_NONE };

/* A key waiting on the terminal: the running search gives way. */
static int
lookup_cancel(void *arg)
{
	struct pollfd p = { STDIN_FILENO, POLLIN, 0 };

	(void)arg;
	return poll(&p, 1, 0) > 0;
}

static void
lookup_run(struct lookup *l, struct ui *u)
{
	struct search_hit hits[LOOKUP_MAX + 1];	/* one more: "100+" */
	struct perr e;
	long n;

	if (!ui_may(u, PERM_view))
		return;
	search_set_masked(u->index, ui_masked(u));
	if (search_refresh(u->index, u->store, &e) < 0) {
		ui_say(u, 1, "%s", e.msg);
		return;
	}
	n = search_query(u->index, u->store, u->cfg, l->q.buf, hits,
		LOOKUP_MAX + 1, lookup_cancel, NULL, &e);
	if (n == -2) {
		l->stale = 1;	/* the next key searches again */
		return;
	}
	if (n < 0) {
		ui_say(u, 1, "%s", e.msg);
		return;
	}
	l->stale = 0;
	l->nrows = 0;
	l->more = n > LOOKUP_MAX;
	if (n > LOOKUP_MAX)
		n = LOOKUP_MAX;
	n = search_rows(u->index, u->store, hits, (size_t)n, l->rows, &e);
	if (n < 0) {
		ui_say(u, 1, "%s", e.msg);
		return;
	}
	l->nrows = (int)n;
	if (l->sel >= l->nrows)
		l->sel = l->nrows ? l->nrows - 1 : 0;
	if (l->top > l->sel)
		l->top = l->sel;
}

static void
lookup_draw(struct view *v, struct ui *u, WINDOW *w)
{
	struct lookup *l = v->data;
	int h, wd, cx, namew, rows;
	char pts[40], grp[32];

	getmaxyx(w, h, wd);
	ui_attrset(w, ui_attr(u, E_LABEL));
	ui_text(w, 1, 1, "Find", 5, 0);
	cx = field_draw(&l->q, w, 1, 7, wd - 9,
		ui_attr(u, l->in_list ? E_FIELD : E_FIELD_FOCUS));
	if (!l->in_list) {
		v->cur_y = 1;
		v->cur_x = cx;
	}
	ui_attrset(w, ui_attr(u, E_DIM));
	if (l->q.len == 0)
		ui_text(w, 2, 7, "name, phone digits, card or email; empty: "
			"latest visitors", wd - 9, 0);
	else if (l->nrows > 0 && !l->stale) {
		char found[80];

		/* How many: past the list's 100, "100+" and how to narrow. */
		if (l->more)
			snprintf(found, sizeof found, "%d+ found: the first %d "
				"shown; type more to narrow", LOOKUP_MAX,
				LOOKUP_MAX);
		else
			snprintf(found, sizeof found, "%d found", l->nrows);
		ui_text(w, 2, 7, found, wd - 9, 0);
	}
	/* Columns: name takes what the others leave. */
	namew = wd - 2 - (17 + 11 + 8 + 8 + 11) - 5;
	ui_attrset(w, ui_attr(u, E_HEADING));
	mvwprintw(w, 4, 1, "%-*s %-17s %-11s %-8s %8s %-11s", namew, "Name",
		"Phone", "Card", "Tier", "Points", "Last visit");
	ui_attrset(w, A_NORMAL);
	rows = h - 6;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	for (int i = 0; i < rows && l->top + i < l->nrows; i++) {
		const struct search_row *r = &l->rows[l->top + i];
		char visit[16] = "";
		int y = 5 + i, x = 1;

		ui_attrset(w, l->top + i == l->sel ? ui_attr(u, E_SELECTION) :
		    A_NORMAL);
		mvwhline(w, y, 1, ' ', wd - 2);
		x += ui_text(w, y, x, r->name, namew, 1) + 1;
		x += ui_text(w, y, x, r->phone, 17, 1) + 1;
		x += ui_text(w, y, x, r->card, 11, 1) + 1;
		x += ui_text(w, y, x, r->tier, 8, 1) + 1;
		/* Grouped as everywhere else, where the column has room. */
		util_decimal_group(r->points, 0, 0, grp, sizeof grp);
		if (strlen(grp) > 8)
			snprintf(grp, sizeof grp, "%lld", (long long)r->points);
		snprintf(pts, sizeof pts, "%8s", grp);
		x += ui_text(w, y, x, pts, 8, 1) + 1;
		/* The day in store.timezone, as the card shows it. */
		if (r->last_visit_ms != 0)
			util_time_local(r->last_visit_ms, "%Y-%m-%d", visit,
				sizeof visit);
		ui_text(w, y, x, visit, 11, 1);
	}
	ui_attrset(w, A_NORMAL);
	if (l->nrows == 0 && l->q.len > 0 && !l->stale) {
		ui_attrset(w, ui_attr(u, E_DIM));
		ui_text(w, 5, 1, "No customer found. F5 or n (in the list): new "
			"customer.", wd - 2, 0);
		ui_attrset(w, A_NORMAL);
	}
}

static int
lookup_move(struct lookup *l, int by)
{
	l->sel += by;
	if (l->sel >= l->nrows)
		l->sel = l->nrows - 1;
	if (l->sel < 0)
		l->sel = 0;
	return UI_HANDLED;
}

/* A customer added from here opens, showing its history: only for staff
 * who may view. */
static void
lookup_added(struct ui *u, int64_t id)
{
	if (perm_allows(u->cfg, u->who.role, PERM_view))
		ui_push(u, view_customer_new(u, id));
}

static int
lookup_key(struct view *v, struct ui *u, const struct ui_key *k)
{
	struct lookup *l = v->data;
	int typing = !l->in_list && !k->is_key && k->ch >= 0x20 &&
	    k->ch != 0x7f;

	if (l->ask_logout) {
		l->ask_logout = 0;
		if (!k->is_key && (k->ch == 'y' || k->ch == 'Y'))
			return UI_POP;
		ui_say(u, 0, "Still logged in.");
		return UI_HANDLED;
	}
	/* No name, phone or card starts with '?': in an empty search field
	 * it opens the help, as F1 does. */
	if (typing && k->action == ACT_HELP && l->q.len == 0)
		return UI_IGNORED;
	if (!typing) {
		switch (k->action) {
		case ACT_OPEN:
			if (l->nrows > 0)
				ui_push(u, view_customer_new(u,
					l->rows[l->sel].id));
			return UI_HANDLED;
		case ACT_DOWN:
			if (!l->in_list) {
				l->in_list = l->nrows > 0;
				return UI_HANDLED;
			}
			return lookup_move(l, 1);
		case ACT_UP:
			if (l->sel == 0) {
				l->in_list = 0;
				return UI_HANDLED;
			}
			return lookup_move(l, -1);
		case ACT_PAGE_DOWN:
			l->in_list = 1;
			return lookup_move(l, 10);
		case ACT_PAGE_UP:
			return lookup_move(l, -10);
		case ACT_TOP:
			if (!l->in_list)
				break;
			l->sel = 0;
			return UI_HANDLED;
		case ACT_BOTTOM:
			if (!l->in_list)
				break;
			return lookup_move(l, l->nrows);
		case ACT_NEW:
			if (ui_may(u, PERM_add))
				ui_push(u, view_customer_form_new(u, 0,
				    lookup_added));
			return UI_HANDLED;
		case ACT_TASKS:
			ui_push(u, view_tasks_new(u));
			return UI_HANDLED;
		case ACT_SEARCH:
			l->in_list = 0;
			return UI_HANDLED;
		case ACT_BACK:
			/* Esc (or q) in the list goes back to the search
			 * field, Esc there clears it, and only then asks to
			 * log out. */
			if (l->in_list) {
				l->in_list = 0;
				return UI_HANDLED;
			}
			if (l->q.len > 0) {
				field_clear(&l->q);
				l->sel = 0;
				lookup_run(l, u);
				return UI_HANDLED;
			}
			l->ask_logout = 1;
			ui_say(u, 1, "Log out %s?  y: log out   n or Esc: stay",
			    u->who.name);
			return UI_HANDLED;
		case ACT_HELP:
			return UI_IGNORED;
		default:
			break;
		}
	}
	if (l->in_list && !k->is_key && k->ch >= 0x20) {
		/* Typing in the list goes back to the field. */
		l->in_list = 0;
	}
	switch (field_key(&l->q, k->ch, k->is_key)) {
	case 1:
		l->sel = 0;
		l->top = 0;
		lookup_run(l, u);
		return UI_HANDLED;
	case 0:
		if (l->stale)
			lookup_run(l, u);
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

static void
lookup_resume(struct view *v, struct ui *u)
{
	lookup_run(v->data, u);
}

static void
lookup_free(struct view *v)
{
	free(v->data);
	free(v);
}

/* What Esc does here says the bar; F5 for staff who may add. */
static int
lookup_bar_item(struct view *v, struct ui *u, enum action a,
	const char **label)
{
	struct lookup *l = v->data;

	switch (a) {
	case ACT_NEW:
		return perm_allows(u->cfg, u->who.role, PERM_add);
	case ACT_OPEN:
		return l->nrows > 0;
	case ACT_SEARCH:
		return 0;	/* Esc says it in the list */
	case ACT_BACK:
		*label = l->in_list ? "Search" : l->q.len > 0 ? "Clear" :
		    "Log out";
		return 1;
	default:
		return 1;
	}
}

static const struct view_ops lookup_ops = {
	.name = "lookup",
	.draw = lookup_draw,
	.key = lookup_key,
	.resume = lookup_resume,
	.free = lookup_free,
	.bar = lookup_bar,
	.bar_item = lookup_bar_item,
};

struct view *
view_lookup_new(struct ui *u)
{
	struct view *v = xcalloc(1, sizeof *v);
	struct lookup *l = xcalloc(1, sizeof *l);

	field_init(&l->q, 200, 0);
	v->ops = &lookup_ops;
	v->data = l;
	lookup_run(l, u);
	return v;
}
