/*
 * view_customer: one customer: the profile card on the left, and below it
 * the history (the timeline comes with purchases and the loyalty ledger).
 * e edits, q goes back to the lookup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/customer.h"
#include "patron/phone.h"
#include "patron/ui.h"

struct cview {
	int64_t id;
	struct customer c;
	int loaded;
};

static const enum ui_action customer_bar[] = { ACT_HELP, ACT_EDIT, ACT_BACK,
	ACT_QUIT, ACT_NONE };

static void
cview_load(struct cview *cv, struct ui *u)
{
	struct perr e;

	if (cv->loaded)
		customer_free(&cv->c);
	cv->loaded = customer_get(u->store, cv->id, &cv->c, &e) == 0;
	if (!cv->loaded)
		ui_say(u, 1, "%s", e.msg);
}

static void
cview_line(struct ui *u, WINDOW *w, int y, const char *label,
	const char *value, int width)
{
	wattr_set(w, ui_attr(u, E_LABEL), 0, NULL);
	ui_text(w, y, 2, label, 12, 1);
	wattr_set(w, A_NORMAL, 0, NULL);
	ui_text(w, y, 15, value ? value : "", width - 17, 0);
}

static void
cview_draw(struct view *v, struct ui *u, WINDOW *w)
{
	struct cview *cv = v->data;
	const struct customer *c = &cv->c;
	char buf[512], phone[64];
	int h, wd, y = 1;

	getmaxyx(w, h, wd);
	if (!cv->loaded)
		return;
	wattr_set(w, ui_attr(u, E_HEADING), 0, NULL);
	ui_text(w, y, 2, c->name, wd - 30, 0);
	wattr_set(w, A_NORMAL, 0, NULL);
	snprintf(buf, sizeof buf, "#%lld", (long long)c->id);
	ui_text(w, y, wd - 2 - (int)strlen(buf), buf, (int)strlen(buf), 0);
	y += 2;
	if (c->phone == NULL)
		phone[0] = '\0';
	else if (ui_masked(u))
		phone_mask(c->phone, phone, sizeof phone);
	else
		phone_format(c->phone, phone, sizeof phone);
	cview_line(u, w, y++, "Phone", phone, wd);
	cview_line(u, w, y++, "Email", c->email && ui_masked(u) ?
	    "\u2022\u2022\u2022" : c->email, wd);
	cview_line(u, w, y++, "Card", c->card, wd);
	cview_line(u, w, y++, "Birthday", c->birthday, wd);
	buf[0] = '\0';
	for (size_t i = 0; i < c->ntags; i++)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s",
			i ? ", " : "", c->tags[i]);
	cview_line(u, w, y++, "Tags", buf, wd);
	snprintf(buf, sizeof buf, "%lld%s%s", (long long)c->points,
		c->tier ? "  " : "", c->tier ? c->tier : "");
	cview_line(u, w, y++, "Points", buf, wd);
	snprintf(buf, sizeof buf, "%s%s%.10s", c->consent < 0 ? "not asked" :
	    c->consent ? "given" : "withdrawn", c->consent_at ? " on " : "",
	    c->consent_at ? c->consent_at : "");
	cview_line(u, w, y++, "Marketing", buf, wd);
	snprintf(buf, sizeof buf, "%.10s%s%s", c->created_at ? c->created_at :
	    "", c->created_by ? " by " : "", c->created_by ? c->created_by : "");
	cview_line(u, w, y++, "Since", buf, wd);
	snprintf(buf, sizeof buf, "%.10s", c->last_visit ? c->last_visit :
	    "never");
	cview_line(u, w, y++, "Last visit", buf, wd);
	for (int i = 0; i < u->cfg->nfields && y < h - 3; i++) {
		customer_field(u->store, c, u->cfg->fields[i].key, buf,
			sizeof buf);
		cview_line(u, w, y++, u->cfg->fields[i].label, buf, wd);
	}
	if (c->notes != NULL) {
		/* Notes may hold newlines: show the first line here. */
		snprintf(buf, sizeof buf, "%.*s", (int)strcspn(c->notes, "\n"),
			c->notes);
		cview_line(u, w, y++, "Notes", buf, wd);
	}
	y++;
	if (y < h - 1) {
		wattr_set(w, ui_attr(u, E_HEADING), 0, NULL);
		ui_rule(w, y, 1, wd - 2);
		ui_text(w, y, 3, " History ", 9, 0);
		wattr_set(w, ui_attr(u, E_DIM), 0, NULL);
		ui_text(w, y + 1, 2, "No purchases or visits recorded yet.",
			wd - 4, 0);
		wattr_set(w, A_NORMAL, 0, NULL);
	}
}

static int
cview_key(struct view *v, struct ui *u, const struct ui_key *k)
{
	struct cview *cv = v->data;

	switch (k->action) {
	case ACT_EDIT:
		ui_push(u, view_customer_form_new(u, cv->id));
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
	free(cv);
	free(v);
}

static const struct view_ops customer_ops = {
	.name = "customer",
	.draw = cview_draw,
	.key = cview_key,
	.resume = cview_resume,
	.free = cview_free,
	.bar = customer_bar,
};

struct view *
view_customer_new(struct ui *u, int64_t id)
{
	struct view *v = xcalloc(1, sizeof *v);
	struct cview *cv = xcalloc(1, sizeof *cv);

	cv->id = id;
	v->ops = &customer_ops;
	v->data = cv;
	cview_load(cv, u);
	return v;
}
