/*
 * view_entry: the quick forms: record a purchase or return (p), redeem
 * points (r), adjust points with a reason (a), add a note, call, email,
 * complaint or visit (n), add a task (t), snooze a task (s) or assign it
 * (a), say why masked data is revealed (v). Forms that move points ask for a confirmation showing the balance
 * before and after, a new task for one showing its due date as a date;
 * Enter confirms, Esc goes back to the form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/form.h"
#include "patron/history.h"
#include "patron/input.h"
#include "patron/loyalty.h"
#include "patron/task.h"
#include "patron/text.h"
#include "patron/ui.h"
#include "patron/perm.h"

enum { E_AMOUNT, E_SECOND, E_THIRD, E_NFIELDS };

struct entry {
	int64_t customer;		/* or the task, for SNOOZE and ASSIGN */
	int kind;			/* ENTRY_* */
	int confirming;
	int64_t value;			/* amount or points, as confirmed */
	struct form form;
	struct form_field fields[E_NFIELDS];
	char title[160];
};

static const enum ui_action entry_bar[] = { ACT_HELP, ACT_NEXT_FIELD,
	ACT_SAVE, ACT_BACK, ACT_NONE };

static const char *
check_amount(const char *v, const struct config *cfg)
{
	int64_t x;

	if (v[0] == '\0')
		return NULL;
	return input_amount(v, cfg->store_currency, &x) != NULL ?
	    "an amount like 12.50 (negative: a return)" : x == 0 ?
	    "not zero" : NULL;
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
	return text_check(v, LOYALTY_REASON_MAX, 0) ? "too long or not text" :
	    NULL;
}

static const char *
check_receipt(const char *v, const struct config *cfg)
{
	(void)cfg;
	if (v[0] == '\0')
		return NULL;
	return text_check(v, RECEIPT_MAX, 0) || strchr(v, ':') ?
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
	return text_check(v, 900, 0) ? "too long or not text" : NULL;
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
	return text_check(v, TASK_TITLE_MAX, 0) ? "too long or not text" :
	    NULL;
}

static void
entry_draw(struct view *v, struct ui *u, WINDOW *w)
{
	struct entry *en = v->data;

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

/* The question before a change of points, or an error on the form. */
static int
entry_ask(struct entry *en, struct ui *u)
{
	const char *a = en->fields[E_AMOUNT].f.buf;
	int64_t balance = entry_balance(u, en->customer), points;
	char m[40], val[40];
	struct perr e;

	switch (en->kind) {
	case ENTRY_PURCHASE: {
		struct purchase_input in = { 0 };

		input_amount(a, u->cfg->store_currency, &en->value);
		in.customer_id = en->customer;
		in.total = en->value;
		if (purchase_points(u->store, u->cfg, &in, &points, &e) < 0) {
			snprintf(en->form.error, sizeof en->form.error,
			    "Not saved: %s", e.msg);
			return UI_HANDLED;
		}
		ui_money(u, en->value, m, sizeof m);
		snprintf(en->form.notice, sizeof en->form.notice, "%s %s %s: "
		    "%+lld points, balance %lld -> %lld.", en->value < 0 ? "Return" : "Purchase", m,
		    u->cfg->store_currency, (long long)points,
		    (long long)balance, (long long)(balance + points));
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
			    "Only %lld points: cannot redeem %lld.",
			    (long long)balance, (long long)en->value);
			en->form.focus = E_AMOUNT;
			return UI_HANDLED;
		}
		ui_money(u, loyalty_value(u->cfg, en->value), val, sizeof val);
		snprintf(en->form.notice, sizeof en->form.notice, "Redeem %lld "
		    "points (worth %s %s): balance %lld -> %lld.",
		    (long long)en->value, val,
		    u->cfg->store_currency, (long long)balance,
		    (long long)(balance - en->value));
		break;
	case ENTRY_ADJUST:
		parse_points(a, &en->value);
		if (balance + en->value < 0) {
			snprintf(en->form.error, sizeof en->form.error,
			    "Only %lld points: cannot take %lld.",
			    (long long)balance, (long long)-en->value);
			en->form.focus = E_AMOUNT;
			return UI_HANDLED;
		}
		snprintf(en->form.notice, sizeof en->form.notice, "Adjust by "
		    "%+lld points: balance %lld -> %lld.", (long long)en->value,
		    (long long)balance,
		    (long long)(balance + en->value));
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
	struct perr e;
	int rc = 0;

	switch (en->kind) {
	case ENTRY_PURCHASE: {
		struct purchase_input in = { 0 };

		in.customer_id = en->customer;
		in.total = en->value;
		in.receipt = reason;
		rc = purchase_add(u->store, u->cfg, &in, u->who.id, &p, &e);
		if (rc == 1)
			ui_say(u, 0, "Receipt %s was recorded already; nothing "
			    "changed.", p.receipt);
		else if (rc == 0)
			ui_say(u, 0, "Recorded: %+lld points, balance %lld.",
			    (long long)p.points, (long long)p.balance);
		break;
	}
	case ENTRY_REDEEM:
		if ((rc = perm_redeem(u->cfg, &u->who, (long)en->value,
		    &e)) < 0)
			break;
		rc = loyalty_redeem(u->store, u->cfg, en->customer, en->value,
		    reason, u->who.id, now, &le, &e);
		if (rc == 0)
			ui_say(u, 0, "Redeemed %lld points, balance %lld.",
			    (long long)en->value, (long long)le.balance);
		break;
	case ENTRY_ADJUST:
		rc = loyalty_adjust(u->store, u->cfg, en->customer, en->value,
		    reason, u->who.id, now, &le, &e);
		if (rc == 0)
			ui_say(u, 0, "Adjusted by %+lld points, balance %lld.",
			    (long long)en->value, (long long)le.balance);
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
			ui_say(u, 0, "Task %lld snoozed.", (long long)en->customer);
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

static int
entry_key(struct view *v, struct ui *u, const struct ui_key *k)
{
	struct entry *en = v->data;

	if (en->confirming) {
		en->confirming = 0;
		en->form.notice[0] = '\0';
		if (k->action == ACT_OPEN || k->action == ACT_SAVE)
			return entry_commit(en, u);
		if (k->action == ACT_BACK)
			return UI_HANDLED;	/* back to the form */
	}
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
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

static void
entry_free(struct view *v)
{
	free(v->data);
	free(v);
}

static const struct view_ops entry_ops = {
	.name = "entry",
	.draw = entry_draw,
	.key = entry_key,
	.free = entry_free,
	.bar = entry_bar,
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
		    { 1, 0 }, { check_kind, check_note }, { 9, 900 } },
		[ENTRY_TASK] = { "New task", 3, { "Title", "Due", "For" },
		    { 1, 0, 0 }, { check_title, check_due, check_text },
		    { 200, 40, 64 } },
		[ENTRY_SNOOZE] = { "Snooze task", 1, { "Until" }, { 1 },
		    { check_due }, { 40 } },
		[ENTRY_ASSIGN] = { "Assign task (a name or a role)", 1, { "To" },
		    { 1 }, { check_text }, { 64 } },
		[ENTRY_REVEAL] = { "Reveal phone and email", 1,
		    { "Why?" }, { 1 }, { check_text }, { PERM_REASON_MAX } },
	};
	struct view *v = xcalloc(1, sizeof *v);
	struct entry *en = xcalloc(1, sizeof *en);
	char bal[64] = "";

	en->customer = id;
	en->kind = kind;
	for (int i = 0; i < spec[kind].n; i++) {
		en->fields[i].label = spec[kind].label[i];
		en->fields[i].required = spec[kind].required[i];
		en->fields[i].check = spec[kind].check[i];
		field_init(&en->fields[i].f, spec[kind].max[i], 0);
	}
	if (kind == ENTRY_NOTE)
		field_set(&en->fields[E_AMOUNT].f, "note");
	if (kind == ENTRY_SNOOZE)
		field_set(&en->fields[E_AMOUNT].f, "tomorrow");
	en->form.fields = en->fields;
	en->form.n = spec[kind].n;
	en->form.title = en->title;
	if (kind <= ENTRY_ADJUST)
		snprintf(bal, sizeof bal, "  (balance %lld points)",
		    (long long)entry_balance(u, id));
	if (kind == ENTRY_SNOOZE || kind == ENTRY_ASSIGN)
		snprintf(en->title, sizeof en->title, "%s #%lld",
		    spec[kind].title, (long long)id);
	else if (id > 0)
		snprintf(en->title, sizeof en->title, "%s for customer #%lld%s",
		    spec[kind].title, (long long)id, bal);
	else
		snprintf(en->title, sizeof en->title, "%s", spec[kind].title);
	form_check(&en->form, u->cfg);
	v->ops = &entry_ops;
	v->data = en;
	return v;
}
