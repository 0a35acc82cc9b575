/*
 * view_entry: the quick forms: record a purchase (p) or a return (F6 in
 * it, or in the customer view: the sale picked from a list of this
 * customer's sales with what is left of each), void a sale or return (d on
 * its history row), redeem points (r), adjust points with a reason (a),
 * add a note, call, email, complaint or visit (n), add a task (t), snooze
 * a task (s) or assign it (a), say why masked data is revealed (v). Forms
 * that move points ask for a confirmation showing the amount, the points
 * and the balance before and after, a new task for one showing its due
 * date as a date; Enter confirms, Esc goes back to the form.
 */
#include "patron/view_entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/form.h"
#include "patron/interaction.h"
#include "patron/purchase.h"
#include "patron/input.h"
#include "patron/loyalty.h"
#include "patron/task.h"
#include "patron/utf8.h"
#include "patron/perm.h"

enum { E_AMOUNT, E_SECOND, E_THIRD, E_NFIELDS };

struct entry {
	int64_t customer;		/* or the task, for SNOOZE and ASSIGN,
					 * or the purchase, for VOID */
	int kind;			/* ENTRY_* */
	int confirming;
	int64_t value;			/* amount or points, as confirmed */
	struct form form;
	struct form_field fields[E_NFIELDS];
	char title[256];
	char pick_title[160];
	/* A return (PURCHASE): the sale it returns, picked from a list. */
	struct purchase sale;		/* sale.id 0: a plain purchase */
	int picking;			/* the list is up */
	int pick_only;			/* opened as a return: Esc leaves */
	struct purchase *sales;
	long nsales, sel, top;
};

static const enum action entry_bar[] = { ACT_HELP, ACT_NEXT_FIELD,
	ACT_SAVE, ACT_OPEN, ACT_BACK, ACT_NONE };
static const enum action purchase_bar[] = { ACT_HELP, ACT_NEXT_FIELD,
	ACT_SAVE, ACT_OPEN, ACT_RETURN, ACT_BACK, ACT_NONE };
static const enum action pick_bar[] = { ACT_HELP, ACT_OPEN, ACT_BACK,
	ACT_NONE };
static const char *const pick_labels[] = { NULL, "Pick", NULL };

/* The total of a sale: positive, at most the ceiling of one purchase. */
static const char *
check_amount(const char *v, const struct config *cfg)
{
	static char why[64];
	int64_t x, max = purchase_ceiling(cfg);
	char m[48];

	if (v[0] == '\0')
		return NULL;
	if (input_amount(v, cfg->store_currency, &x) != NULL)
		return "an amount like 12.50";
	if (x == 0)
		return "not zero";
	if (x < 0)
		return "a return is F6, not minus";
	if (max > 0 && x > max) {
		util_decimal_group(max, util_currency_decimals(
		    cfg->store_currency), 0, m, sizeof m);
		snprintf(why, sizeof why, "at most %s", m);
		return why;
	}
	return NULL;
}

/* The amount given back in a return, positive (checked against the sale
 * on saving). */
static const char *
check_returned(const char *v, const struct config *cfg)
{
	int64_t x;

	if (v[0] == '\0')
		return NULL;
	return input_amount(v, cfg->store_currency, &x) != NULL || x <= 0 ?
	    "an amount like 12.50" : NULL;
}

static int
parse_points(const char *v, int64_t *out)
{
	/* As people type them: "１,０００", " 50 " (input.h). */
	return input_points(v, out) == NULL ? 0 : -1;
}

static const char *
check_points_pos(const char *v, const struct config *cfg)
{
	int64_t x;

	(void)cfg;
	if (v[0] == '\0')
		return NULL;
	if (parse_points(v, &x) < 0 || x <= 0)
		return "a whole number of points";
	if (x < cfg->loyalty_min_redeem)
		return "below the minimum redemption";
	return NULL;
}

static const char *
check_points_signed(const char *v, const struct config *cfg)
{
	int64_t x;

	(void)cfg;
	if (v[0] == '\0')
		return NULL;
	return parse_points(v, &x) < 0 || x == 0 ? "like +50 or -20" : NULL;
}

static const char *
check_text(const char *v, const struct config *cfg)
{
	(void)cfg;
	return utf8_check(v, LOYALTY_REASON_MAX, 0) ? "too long or not text" :
	    NULL;
}

static const char *
check_receipt(const char *v, const struct config *cfg)
{
	(void)cfg;
	if (v[0] == '\0')
		return NULL;
	return utf8_check(v, RECEIPT_MAX, 0) || strchr(v, ':') ?
	    "up to 64 characters, no ':'" : NULL;
}

static const char *
check_kind(const char *v, const struct config *cfg)
{
	(void)cfg;
	for (int i = 0; i < IK_NKINDS; i++)
		if (strcmp(v, interaction_kind_names[i]) == 0)
			return NULL;
	return "note, call, email, complaint or visit";
}

static const char *
check_note(const char *v, const struct config *cfg)
{
	(void)cfg;
	/* What note add takes (interaction.h). */
	return utf8_check(v, INTERACTION_TEXT_MAX, 1) ?
	    "too long or not text" : NULL;
}

static const char *
check_due(const char *v, const struct config *cfg)
{
	struct task_due due;

	(void)cfg;
	if (v[0] == '\0')
		return NULL;
	return task_due_parse(v, util_now_ms(), &due, NULL) < 0 ?
	    "today, tomorrow, +3d, fri, 2026-12-01, ..." : NULL;
}

static const char *
check_title(const char *v, const struct config *cfg)
{
	(void)cfg;
	return utf8_check(v, TASK_TITLE_MAX, 0) ? "too long or not text" :
	    NULL;
}

/*
 * Who a task may be given to: the staff (not disabled), then the roles;
 * loaded when a task form opens, since a field's check has no store.
 */
static char entry_people[256][STAFF_NAME_MAX + 1];
static int entry_npeople;

static int
entry_person(const struct staff_row *r, void *arg)
{
	(void)arg;
	if (!r->disabled && entry_npeople < 256 - ROLE_N)
		snprintf(entry_people[entry_npeople++], sizeof entry_people[0],
		    "%s", r->name);
	return 0;
}

static void
entry_people_load(struct ui *u)
{
	struct perr e;

	entry_npeople = 0;
	if (staff_each(u->store, entry_person, NULL, &e) < 0)
		ui_say(u, 1, "%s", e.msg);
	/* A role named as someone is that someone (as task_add has it). */
	for (int i = 0, n = entry_npeople; i < ROLE_N; i++) {
		int j = 0;

		while (j < n && strcmp(entry_people[j], perm_role_name(i)) != 0)
			j++;
		if (j == n)
			snprintf(entry_people[entry_npeople++],
			    sizeof entry_people[0], "%s", perm_role_name(i));
	}
}

/* A staff name or a role, as task_add takes it; empty: me. */
static const char *
check_assignee(const char *v, const struct config *cfg)
{
	(void)cfg;
	if (v[0] == '\0')
		return NULL;
	for (int i = 0; i < entry_npeople; i++)
		if (strcmp(v, entry_people[i]) == 0)
			return NULL;
	return "nobody by that name (Up/Down picks)";
}

/* Up/Down in the For or To field: the next staff member or role. */
static int
entry_pick_person(struct entry *en, struct ui *u, const struct ui_key *k)
{
	struct field *f = &en->fields[en->form.focus].f;
	int at = -1, by = k->action == ACT_UP ? -1 : 1;

	if (entry_npeople == 0)
		return UI_HANDLED;
	for (int i = 0; i < entry_npeople && at < 0; i++)
		if (strcmp(f->buf, entry_people[i]) == 0)
			at = i;
	at = at < 0 ? (by > 0 ? 0 : entry_npeople - 1) :
	    (at + by + entry_npeople) % entry_npeople;
	field_set(f, entry_people[at]);
	en->form.dirty = 1;
	form_check(&en->form, u->cfg);
	return UI_HANDLED;
}

/* "Snoozed #19 'Call about the coat' until Fri 2026-12-11." */
static void
entry_snoozed(struct ui *u, int64_t id)
{
	char until[40], hm[8];
	struct task t;
	struct perr e;

	if (task_get(u->store, id, &t, &e) < 0) {
		ui_say(u, 0, "Task %lld snoozed.", (long long)id);
		return;
	}
	util_time_local(t.snoozed_until_ms, "%H:%M", hm, sizeof hm);
	util_time_local(t.snoozed_until_ms, strcmp(hm, "00:00") == 0 ?
	    "%a %Y-%m-%d" : "%a %Y-%m-%d %H:%M", until, sizeof until);
	ui_say(u, 0, "Snoozed #%lld '%.80s' until %s.", (long long)id,
	    t.title, until);
	task_free(&t);
}

/* The sales that can be returned: when, receipt, total, what is left. */
static void
entry_draw_pick(struct entry *en, struct ui *u, WINDOW *w)
{
	int h, wd, y = 3, rows, tw, xt, xl;
	char a[48];

	getmaxyx(w, h, wd);
	ui_attrset(w, ui_attr(u, E_HEADING));
	ui_text(w, 1, 2, en->pick_title, wd - 4, 0);
	tw = wd - 4 - 17 - 16 - 16;
	xt = 19 + tw + 1;
	xl = xt + 16;
	ui_attrset(w, ui_attr(u, E_LABEL));
	ui_text(w, y, 2, "When", 16, 0);
	ui_text(w, y, 19, "Receipt", tw, 0);
	ui_text(w, y, xt + 15 - 5, "Total", 5, 0);
	ui_text(w, y, xl + 15 - 14, "Left to return", 14, 0);
	ui_attrset(w, A_NORMAL);
	y++;
	rows = h - y - 2;
	if (rows < 1)
		return;
	if (en->sel < en->top)
		en->top = en->sel;
	if (en->sel >= en->top + rows)
		en->top = en->sel - rows + 1;
	for (long i = en->top; i < en->nsales && i < en->top + rows; i++, y++) {
		const struct purchase *p = &en->sales[i];
		char when[32];

		ui_attrset(w, i == en->sel ? ui_attr(u, E_SELECTION) :
		    A_NORMAL);
		mvwhline(w, y, 1, ' ', wd - 2);
		util_time_local(p->occurred_ms, "%Y-%m-%d %H:%M", when,
		    sizeof when);
		ui_text(w, y, 2, when, 16, 0);
		ui_text(w, y, 19, p->receipt, tw, 0);
		ui_money(u, p->total, a, sizeof a);
		ui_text(w, y, xt + 15 - ui_text_width(a), a, 15, 0);
		ui_money(u, p->left, a, sizeof a);
		ui_text(w, y, xl + 15 - ui_text_width(a), a, 15, 0);
	}
	ui_attrset(w, ui_attr(u, E_DIM));
	ui_text(w, h - 1, 2, "Enter: return from this sale   Esc: back",
	    wd - 4, 0);
	ui_attrset(w, A_NORMAL);
}

static void
entry_draw(struct view *v, struct ui *u, WINDOW *w)
{
	struct entry *en = v->data;

	if (en->picking)
		entry_draw_pick(en, u, w);
	else
		form_draw(&en->form, u, w, v);
}

static int64_t
entry_balance(struct ui *u, int64_t customer)
{
	int64_t balance;
	struct perr e;

	return loyalty_balance(u->store, customer, &balance, &e) == 0 ?
	    balance : 0;
}

struct entry_find {
	int64_t id, left;
	int found;
};

static int
entry_find(const struct purchase *p, void *arg)
{
	struct entry_find *f = arg;

	if (p->id != f->id)
		return 0;
	f->left = p->left;
	f->found = 1;
	return 1;
}

/*
 * Why sale p cannot be voided yet, on the form: returns of it stand (they
 * are voided first, as purchase_void requires). 0 if it can.
 */
static int
entry_void_refused(struct entry *en, struct ui *u, const struct purchase *p)
{
	struct entry_find f = { p->id, 0, 0 };
	struct perr e;

	if (p->total <= 0 || purchase_returnable(u->store, p->customer_id, -1,
	    entry_find, &f, &e) < 0 || (f.found && f.left == p->total))
		return 0;
	snprintf(en->form.error, sizeof en->form.error, "Receipt %s has "
	    "returns: void them first (d on each in the history).",
	    p->receipt);
	return 1;
}

/* Points for people: "+1,250" with plus, "1,250" without. */
static const char *
entry_pts(int64_t v, int plus, char *buf, size_t len)
{
	util_decimal_group(v, 0, plus, buf, len);
	return buf;
}

/*
 * Why the total of a plain purchase is refused, said in full (the field's
 * hint is short): a negative total, or one above the ceiling. 0 if neither.
 */
static int
entry_total_refused(struct entry *en, struct ui *u)
{
	int64_t x, max = purchase_ceiling(u->cfg);
	char m[64];

	if (en->kind != ENTRY_PURCHASE || en->sale.id != 0 ||
	    input_amount(en->fields[E_AMOUNT].f.buf, u->cfg->store_currency,
	    &x) != NULL)
		return 0;
	if (x < 0)
		snprintf(en->form.error, sizeof en->form.error, "A return is "
		    "not a negative total: press F6 and pick the sale.");
	else if (max > 0 && x > max) {
		util_money_text(max, u->cfg->store_currency, m, sizeof m);
		snprintf(en->form.error, sizeof en->form.error, "Above the "
		    "ceiling of one purchase, %s: check the total.", m);
	} else
		return 0;
	en->form.focus = E_AMOUNT;
	return 1;
}

/* The question before a change of points, or an error on the form. */
static int
entry_ask(struct entry *en, struct ui *u)
{
	const char *a = en->fields[E_AMOUNT].f.buf;
	int64_t balance = entry_balance(u, en->customer), points;
	char m[64], val[64], p0[32], b0[32], b1[32];
	struct perr e;

	switch (en->kind) {
	case ENTRY_PURCHASE: {
		struct purchase_input in = { 0 };

		if (entry_total_refused(en, u))
			return UI_HANDLED;
		input_amount(a, u->cfg->store_currency, &en->value);
		if (en->sale.id != 0 && en->value > en->sale.left) {
			util_money_text(en->sale.left, u->cfg->store_currency,
			    m, sizeof m);
			snprintf(en->form.error, sizeof en->form.error, "Only %s "
			    "of receipt %s is left to return.", m,
			    en->sale.receipt);
			en->form.focus = E_AMOUNT;
			return UI_HANDLED;
		}
		in.customer_id = en->customer;
		in.total = en->sale.id ? -en->value : en->value;
		in.return_of = en->sale.id;
		if (purchase_points(u->store, u->cfg, &in, &points, &e) < 0) {
			snprintf(en->form.error, sizeof en->form.error,
			    "Not saved: %s", e.msg);
			return UI_HANDLED;
		}
		util_money_text(en->value, u->cfg->store_currency, m, sizeof m);
		if (en->sale.id != 0)
			snprintf(en->form.notice, sizeof en->form.notice,
			    "Return %s of receipt %s: %s points, balance %s -> "
			    "%s.", m, en->sale.receipt,
			    entry_pts(points, 1, p0, sizeof p0),
			    entry_pts(balance, 0, b0, sizeof b0),
			    entry_pts(balance + points, 0, b1, sizeof b1));
		else
			snprintf(en->form.notice, sizeof en->form.notice,
			    "Purchase %s: %s points, balance %s -> %s.", m,
			    entry_pts(points, 1, p0, sizeof p0),
			    entry_pts(balance, 0, b0, sizeof b0),
			    entry_pts(balance + points, 0, b1, sizeof b1));
		break;
	}
	case ENTRY_VOID: {
		struct purchase p;

		if (purchase_get(u->store, en->customer, &p, &e) < 0) {
			snprintf(en->form.error, sizeof en->form.error,
			    "Not saved: %s", e.msg);
			return UI_HANDLED;
		}
		if (entry_void_refused(en, u, &p))
			return UI_HANDLED;
		util_money_text(p.total, p.currency, m, sizeof m);
		snprintf(en->form.notice, sizeof en->form.notice, "Void %s "
		    "%s, %s: %s points, balance %s -> %s.", p.total < 0 ?
		    "return" : "receipt", p.receipt, m,
		    entry_pts(-p.points, 1, p0, sizeof p0),
		    entry_pts(p.balance, 0, b0, sizeof b0),
		    entry_pts(p.balance - p.points, 0, b1, sizeof b1));
		break;
	}
	case ENTRY_REDEEM:
		parse_points(a, &en->value);
		if (perm_redeem(u->cfg, &u->who, (long)en->value, &e) < 0) {
			snprintf(en->form.error, sizeof en->form.error, "%s",
			    e.msg);
			en->form.focus = E_AMOUNT;
			return UI_HANDLED;
		}
		if (en->value > balance) {
			snprintf(en->form.error, sizeof en->form.error,
			    "Only %s points: cannot redeem %s.",
			    entry_pts(balance, 0, b0, sizeof b0),
			    entry_pts(en->value, 0, p0, sizeof p0));
			en->form.focus = E_AMOUNT;
			return UI_HANDLED;
		}
		util_money_text(loyalty_value(u->cfg, en->value),
		    u->cfg->store_currency, val, sizeof val);
		snprintf(en->form.notice, sizeof en->form.notice, "Redeem %s "
		    "points (worth %s): balance %s -> %s.",
		    entry_pts(en->value, 0, p0, sizeof p0), val,
		    entry_pts(balance, 0, b0, sizeof b0),
		    entry_pts(balance - en->value, 0, b1, sizeof b1));
		break;
	case ENTRY_ADJUST:
		parse_points(a, &en->value);
		if (balance + en->value < 0) {
			snprintf(en->form.error, sizeof en->form.error,
			    "Only %s points: cannot take %s.",
			    entry_pts(balance, 0, b0, sizeof b0),
			    entry_pts(-en->value, 0, p0, sizeof p0));
			en->form.focus = E_AMOUNT;
			return UI_HANDLED;
		}
		snprintf(en->form.notice, sizeof en->form.notice, "Adjust by "
		    "%s points: balance %s -> %s.",
		    entry_pts(en->value, 1, p0, sizeof p0),
		    entry_pts(balance, 0, b0, sizeof b0),
		    entry_pts(balance + en->value, 0, b1, sizeof b1));
		break;
	case ENTRY_TASK: {
		const char *d = en->fields[E_SECOND].f.buf;
		struct task_due due = { 0, 0 };
		char when[40] = "no due date";

		if (d[0] != '\0' && task_due_parse(d, util_now_ms(), &due,
		    &e) == 0) {
			util_time_local(due.ms, due.all_day ? "%a %Y-%m-%d" :
			    "%a %Y-%m-%d %H:%M", when, sizeof when);
		}
		/* Giving it to another is for managers: said before asking. */
		if (en->fields[E_THIRD].f.buf[0] != '\0' &&
		    strcmp(en->fields[E_THIRD].f.buf, u->who.name) != 0 &&
		    perm_check(u->cfg, &u->who, PERM_others_tasks, &e) < 0) {
			snprintf(en->form.error, sizeof en->form.error, "%s",
			    e.msg);
			en->form.focus = E_THIRD;
			return UI_HANDLED;
		}
		snprintf(en->form.notice, sizeof en->form.notice, "Task for "
		    "%s, due %s.", en->fields[E_THIRD].f.buf[0] ?
		    en->fields[E_THIRD].f.buf : u->who.name, when);
		break;
	}
	}
	en->confirming = 1;
	return UI_HANDLED;
}

static int
entry_commit(struct entry *en, struct ui *u)
{
	const char *second = en->fields[E_SECOND].f.buf;
	const char *reason = second[0] != '\0' ? second : NULL;
	int64_t now = util_now_ms();
	struct ledger_entry le;
	struct purchase p;
	char pts[32], bal[32];
	struct perr e;
	int rc = 0;

	switch (en->kind) {
	case ENTRY_PURCHASE: {
		struct purchase_input in = { 0 };
		char p0[32], b0[32];

		in.customer_id = en->customer;
		in.total = en->sale.id ? -en->value : en->value;
		in.return_of = en->sale.id;
		in.receipt = reason;
		rc = purchase_add(u->store, u->cfg, &in, u->who.id, &p, &e);
		if (rc == 1)
			ui_say(u, 0, "Receipt %s was recorded already; nothing "
			    "changed.", p.receipt);
		else if (rc == 0)
			ui_say(u, 0, "%s: %s points, balance %s.", en->sale.id ?
			    "Return recorded" : "Recorded",
			    entry_pts(p.points, 1, p0, sizeof p0),
			    entry_pts(p.balance, 0, b0, sizeof b0));
		break;
	}
	case ENTRY_VOID: {
		char p0[32], b0[32];

		if ((rc = perm_check(u->cfg, &u->who, PERM_void, &e)) < 0)
			break;
		rc = purchase_void(u->store, u->cfg, en->customer,
		    en->fields[E_AMOUNT].f.buf, u->who.id, &p, &e);
		if (rc == 0)
			ui_say(u, 0, "Receipt %s void: %s points, balance %s.",
			    p.receipt, entry_pts(-p.points, 1, p0, sizeof p0),
			    entry_pts(p.balance, 0, b0, sizeof b0));
		break;
	}
	case ENTRY_REDEEM:
		if ((rc = perm_redeem(u->cfg, &u->who, (long)en->value,
		    &e)) < 0)
			break;
		rc = loyalty_redeem(u->store, u->cfg, en->customer, en->value,
		    reason, u->who.id, now, &le, &e);
		if (rc == 0)
			ui_say(u, 0, "Redeemed %s points, balance %s.",
			    entry_pts(en->value, 0, pts, sizeof pts),
			    entry_pts(le.balance, 0, bal, sizeof bal));
		break;
	case ENTRY_ADJUST:
		rc = loyalty_adjust(u->store, u->cfg, en->customer, en->value,
		    reason, u->who.id, now, &le, &e);
		if (rc == 0)
			ui_say(u, 0, "Adjusted by %s points, balance %s.",
			    entry_pts(en->value, 1, pts, sizeof pts),
			    entry_pts(le.balance, 0, bal, sizeof bal));
		break;
	case ENTRY_TASK: {
		struct task_input in = { 0 };
		int64_t id;

		in.title = en->fields[E_AMOUNT].f.buf;
		in.due = en->fields[E_SECOND].f.buf;
		in.assignee = en->fields[E_THIRD].f.buf[0] ?
		    en->fields[E_THIRD].f.buf : NULL;
		in.customer_id = en->customer;
		in.priority = TP_NORMAL;
		if (in.assignee != NULL && strcmp(in.assignee, u->who.name) &&
		    (rc = perm_check(u->cfg, &u->who, PERM_others_tasks,
		    &e)) < 0)
			break;
		rc = task_add(u->store, u->cfg, &in, &u->who, now, &id, &e);
		if (rc == 0) {
			ui_say(u, 0, "Task %lld added.", (long long)id);
			ui_overdue(u, 1);
		}
		break;
	}
	case ENTRY_SNOOZE:
		rc = task_snooze(u->store, en->customer,
		    en->fields[E_AMOUNT].f.buf, &u->who, now, &e);
		if (rc == 0) {
			entry_snoozed(u, en->customer);
			ui_overdue(u, 1);
		}
		break;
	case ENTRY_ASSIGN:
		rc = task_assign(u->store, en->customer,
		    en->fields[E_AMOUNT].f.buf, &u->who, now, &e);
		if (rc == 0)
			ui_say(u, 0, "Task %lld assigned to %s.",
			    (long long)en->customer, en->fields[E_AMOUNT].f.buf);
		break;
	case ENTRY_REVEAL:
		rc = perm_reveal(u->store, u->cfg, &u->who, en->customer,
		    en->fields[E_AMOUNT].f.buf, &e);
		if (rc == 0) {
			u->revealed = en->customer;
			ui_say(u, 0, "Shown until you leave this customer; the "
			    "reveal is recorded.");
		}
		break;
	case ENTRY_NOTE: {
		int k;

		for (k = 0; k < IK_NKINDS; k++)
			if (strcmp(en->fields[E_AMOUNT].f.buf,
			    interaction_kind_names[k]) == 0)
				break;
		rc = interaction_add(u->store, en->customer, k, second, 0,
		    u->who.id, NULL, &e);
		if (rc == 0)
			ui_say(u, 0, "%s recorded.", k == IK_VISIT ? "Visit" :
			    "Note");
		break;
	}
	}
	if (rc < 0) {
		en->confirming = 0;
		en->form.notice[0] = '\0';
		snprintf(en->form.error, sizeof en->form.error, "Not saved: %s",
		    e.msg);
		return UI_HANDLED;
	}
	return UI_POP;
}

static const struct view_ops entry_ops, purchase_ops, pick_ops;

static int
entry_sale(const struct purchase *p, void *arg)
{
	struct entry *en = arg;

	en->sales = xrealloc(en->sales, (size_t)(en->nsales + 1) *
	    sizeof *en->sales);
	en->sales[en->nsales++] = *p;
	return 0;
}

/* Put up the list of this customer's sales to return from; on the form,
 * why not if there are none. */
static void
entry_pick_start(struct view *v, struct entry *en, struct ui *u)
{
	struct perr e;

	free(en->sales);
	en->sales = NULL;
	en->nsales = en->sel = en->top = 0;
	en->confirming = 0;
	en->form.notice[0] = en->form.error[0] = '\0';
	if (purchase_returnable(u->store, en->customer, 500, entry_sale, en,
	    &e) < 0) {
		snprintf(en->form.error, sizeof en->form.error, "%s", e.msg);
		return;
	}
	if (en->nsales == 0) {
		snprintf(en->form.error, sizeof en->form.error, "No sale of "
		    "this customer is left to return.");
		return;
	}
	snprintf(en->pick_title, sizeof en->pick_title, "Return for customer "
	    "#%lld: which sale? (%ld with something left to return)",
	    (long long)en->customer, en->nsales);
	en->picking = 1;
	v->ops = &pick_ops;
}

/* The selected sale becomes what the form returns: all that is left of
 * it, unless the cashier types less. */
static void
entry_pick(struct view *v, struct entry *en, struct ui *u)
{
	const char *cur = u->cfg->store_currency;
	char text[48], left[64], day[16];

	en->sale = en->sales[en->sel];
	en->picking = 0;
	v->ops = &purchase_ops;
	en->fields[E_AMOUNT].label = "Returned";
	en->fields[E_AMOUNT].check = check_returned;
	util_decimal_format(en->sale.left, util_currency_decimals(cur), text,
	    sizeof text);
	field_set(&en->fields[E_AMOUNT].f, text);
	en->form.focus = E_AMOUNT;
	en->form.dirty = 1;
	util_money_text(en->sale.left, cur, left, sizeof left);
	util_time_local(en->sale.occurred_ms, "%Y-%m-%d", day, sizeof day);
	snprintf(en->title, sizeof en->title, "Return for customer #%lld: "
	    "receipt %s of %s, %s left", (long long)en->customer,
	    en->sale.receipt, day, left);
	form_check(&en->form, u->cfg);
}

static int
entry_pick_key(struct view *v, struct entry *en, struct ui *u,
	const struct ui_key *k)
{
	switch (k->action) {
	case ACT_UP:
	case ACT_PAGE_UP:
	case ACT_TOP:
		en->sel -= k->action == ACT_UP ? 1 : k->action == ACT_TOP ?
		    en->sel : 10;
		if (en->sel < 0)
			en->sel = 0;
		return UI_HANDLED;
	case ACT_DOWN:
	case ACT_PAGE_DOWN:
	case ACT_BOTTOM:
		en->sel += k->action == ACT_DOWN ? 1 : k->action ==
		    ACT_BOTTOM ? en->nsales : 10;
		if (en->sel >= en->nsales)
			en->sel = en->nsales - 1;
		return UI_HANDLED;
	case ACT_OPEN:
		entry_pick(v, en, u);
		return UI_HANDLED;
	case ACT_BACK:
		if (en->pick_only && en->sale.id == 0) {
			ui_say(u, 0, "Nothing recorded.");
			return UI_POP;
		}
		en->picking = 0;
		v->ops = &purchase_ops;
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

static int
entry_key(struct view *v, struct ui *u, const struct ui_key *k)
{
	struct entry *en = v->data;

	if (en->picking)
		return entry_pick_key(v, en, u, k);
	if (en->kind == ENTRY_PURCHASE && k->action == ACT_RETURN &&
	    !en->form.confirm) {
		entry_pick_start(v, en, u);
		return UI_HANDLED;
	}
	if (en->confirming) {
		en->confirming = 0;
		en->form.notice[0] = '\0';
		if (k->action == ACT_OPEN || k->action == ACT_SAVE)
			return entry_commit(en, u);
		if (k->action == ACT_BACK)
			return UI_HANDLED;	/* back to the form */
	}
	if ((k->action == ACT_UP || k->action == ACT_DOWN) &&
	    (k->is_key || k->ch < 0x20) && !en->form.confirm &&
	    ((en->kind == ENTRY_TASK && en->form.focus == E_THIRD) ||
	    en->kind == ENTRY_ASSIGN))
		return entry_pick_person(en, u, k);
	switch (form_key(&en->form, u, k)) {
	case FORM_SAVE:
		return en->kind == ENTRY_NOTE || en->kind == ENTRY_SNOOZE ||
		    en->kind == ENTRY_ASSIGN || en->kind == ENTRY_REVEAL ?
		    entry_commit(en, u) :
		    entry_ask(en, u);
	case FORM_CANCEL:
		ui_say(u, 0, "Nothing recorded.");
		return UI_POP;
	case FORM_QUIT:
		return UI_QUIT;
	case FORM_HANDLED:
		/* A refused save: say in full why the total is refused. */
		if (en->form.error[0] != '\0')
			entry_total_refused(en, u);
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

static void
entry_free(struct view *v)
{
	struct entry *en = v->data;

	free(en->sales);
	form_free(&en->form);
	free(en);
	free(v);
}

static int
entry_bar_item(struct view *v, struct ui *u, enum action a,
	const char **label)
{
	struct entry *en = v->data;

	(void)u;
	if (a == ACT_RETURN && (en->confirming || en->form.confirm))
		return 0;
	return form_bar_item(&en->form, a, label);
}

static const struct view_ops entry_ops = {
	.name = "entry",
	.draw = entry_draw,
	.key = entry_key,
	.free = entry_free,
	.bar = entry_bar,
	.bar_item = entry_bar_item,
};

static const struct view_ops purchase_ops = {
	.name = "entry",
	.draw = entry_draw,
	.key = entry_key,
	.free = entry_free,
	.bar = purchase_bar,
	.bar_item = entry_bar_item,
};

static const struct view_ops pick_ops = {
	.name = "entry",
	.draw = entry_draw,
	.key = entry_key,
	.free = entry_free,
	.bar = pick_bar,
	.bar_labels = pick_labels,
};

struct view *
view_entry_new(struct ui *u, int64_t id, int kind)
{
	static const struct {
		const char *title;
		int n;
		const char *label[E_NFIELDS];
		int required[E_NFIELDS];
		const char *(*check[E_NFIELDS])(const char *,
		    const struct config *);
		size_t max[E_NFIELDS];
	} spec[] = {
		[ENTRY_PURCHASE] = { "Record a purchase", 2, { "Total",
		    "Receipt" }, { 1, 0 }, { check_amount, check_receipt },
		    { 20, 64 } },
		[ENTRY_REDEEM] = { "Redeem points", 2, { "Points", "Reason" },
		    { 1, 0 }, { check_points_pos, check_text }, { 10, 200 } },
		[ENTRY_ADJUST] = { "Adjust points", 2, { "Points (+/-)",
		    "Reason" }, { 1, 1 }, { check_points_signed, check_text },
		    { 11, 200 } },
		[ENTRY_NOTE] = { "Add to the history", 2, { "Kind", "Text" },
		    { 1, 0 }, { check_kind, check_note },
		    { 9, INTERACTION_TEXT_MAX } },
		[ENTRY_TASK] = { "New task", 3, { "Title", "Due", "For" },
		    { 1, 0, 0 }, { check_title, check_due, check_assignee },
		    { 200, 40, 64 } },
		[ENTRY_SNOOZE] = { "Snooze task", 1, { "Until" }, { 1 },
		    { check_due }, { 40 } },
		[ENTRY_ASSIGN] = { "Assign task", 1, { "To" },
		    { 1 }, { check_assignee }, { 64 } },
		[ENTRY_REVEAL] = { "Reveal phone and email", 1,
		    { "Why?" }, { 1 }, { check_text }, { PERM_REASON_MAX } },
		[ENTRY_VOID] = { "Void", 1, { "Reason" }, { 1 },
		    { check_text }, { 200 } },
	};
	struct view *v = xcalloc(1, sizeof *v);
	struct entry *en = xcalloc(1, sizeof *en);
	char bal[64] = "", b[32];
	int pick = kind == ENTRY_RETURN;

	if (pick)
		kind = ENTRY_PURCHASE;
	en->customer = id;
	en->kind = kind;
	for (int i = 0; i < E_NFIELDS; i++) {
		if (i >= spec[kind].n) {	/* unused, but read as "" */
			field_init(&en->fields[i].f, 0, 0);
			continue;
		}
		en->fields[i].label = spec[kind].label[i];
		en->fields[i].required = spec[kind].required[i];
		en->fields[i].check = spec[kind].check[i];
		field_init(&en->fields[i].f, spec[kind].max[i], 0);
	}
	if (kind == ENTRY_NOTE)
		field_set(&en->fields[E_AMOUNT].f, "note");
	if (kind == ENTRY_SNOOZE)
		field_set(&en->fields[E_AMOUNT].f, "tomorrow");
	if (kind == ENTRY_TASK || kind == ENTRY_ASSIGN)
		entry_people_load(u);
	en->form.fields = en->fields;
	en->form.n = spec[kind].n;
	en->form.title = en->title;
	if (kind <= ENTRY_ADJUST)
		snprintf(bal, sizeof bal, "  (balance %s points)",
		    entry_pts(entry_balance(u, id), 0, b, sizeof b));
	if (kind == ENTRY_VOID) {
		struct purchase p;
		char m[64], p0[32];
		struct perr e;

		if (purchase_get(u->store, id, &p, &e) == 0) {
			util_money_text(p.total, p.currency, m, sizeof m);
			snprintf(en->title, sizeof en->title, "Void %s %s of "
			    "customer #%lld (%s, %s points)", p.total < 0 ?
			    "return" : "receipt", p.receipt,
			    (long long)p.customer_id, m,
			    entry_pts(p.points, 1, p0, sizeof p0));
			entry_void_refused(en, u, &p);
		} else
			snprintf(en->title, sizeof en->title, "Void purchase "
			    "#%lld", (long long)id);
	} else if (kind == ENTRY_SNOOZE || kind == ENTRY_ASSIGN) {
		struct task t;
		struct perr e;

		/* The task by number and title, as the tasks view shows it. */
		if (task_get(u->store, id, &t, &e) == 0) {
			snprintf(en->title, sizeof en->title, "%s #%lld '%.80s'%s",
			    kind == ENTRY_SNOOZE ? "Snooze" : "Assign",
			    (long long)id, t.title, kind == ENTRY_ASSIGN ?
			    " to a staff member or role (Up/Down picks)" : "");
			task_free(&t);
		} else
			snprintf(en->title, sizeof en->title, "%s #%lld",
			    spec[kind].title, (long long)id);
	}
	else if (id > 0)
		snprintf(en->title, sizeof en->title, "%s for customer #%lld%s",
		    spec[kind].title, (long long)id, bal);
	else
		snprintf(en->title, sizeof en->title, "%s", spec[kind].title);
	form_check(&en->form, u->cfg);
	v->ops = kind == ENTRY_PURCHASE ? &purchase_ops : &entry_ops;
	v->data = en;
	if (pick) {
		en->pick_only = 1;
		entry_pick_start(v, en, u);
	}
	return v;
}
