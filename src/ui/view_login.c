/*
 * view_login: staff name and PIN before anything else. Enter in the name
 * moves to the PIN, Enter in the PIN logs in; the PIN is never drawn and
 * lives in locked memory that is wiped after each attempt. After a lock
 * it says whose work is kept; whoever logs in gets their own screens back.
 */
#include "patron/view_login.h"

#include <string.h>

#include <sodium.h>

#include "patron/audit.h"
#include "patron/field.h"
#include "patron/staff.h"
#include "patron/view_lookup.h"
#include "patron/view_tasks.h"

struct login {
	struct field name;
	struct field pin;	/* hidden */
	int focus;		/* 0 name, 1 PIN */
	char error[128];
	char locked[STAFF_NAME_MAX + 1];	/* whose work is kept, or "" */
	int idle;
};

static const enum action login_bar[] = { ACT_HELP, ACT_NEXT_FIELD, ACT_OPEN,
	ACT_QUIT, ACT_NONE };
static const char *const login_labels[] = { NULL, NULL, "Log in", NULL };

static void
login_draw(struct view *v, struct ui *u, WINDOW *w)
{
	struct login *l = v->data;
	int h, wd, y, x, cx;

	getmaxyx(w, h, wd);
	y = h / 2 - 4;
	x = wd / 2 - 20;
	ui_attrset(w, ui_attr(u, E_HEADING));
	ui_text(w, y, x, u->cfg->store_name, 40, 0);
	ui_attrset(w, A_NORMAL);
	ui_text(w, y + 1, x, "Staff login", 40, 0);
	ui_attrset(w, ui_attr(u, E_LABEL));
	ui_text(w, y + 3, x, "Name", 6, 0);
	ui_text(w, y + 5, x, "PIN", 6, 0);
	cx = field_draw(&l->name, w, y + 3, x + 7, 30,
		ui_attr(u, l->focus == 0 ? E_FIELD_FOCUS : E_FIELD));
	if (l->focus == 0) {
		v->cur_y = y + 3;
		v->cur_x = cx;
	}
	field_draw(&l->pin, w, y + 5, x + 7, 30,
		ui_attr(u, l->focus == 1 ? E_FIELD_FOCUS : E_FIELD));
	if (l->focus == 1) {
		v->cur_y = y + 5;
		v->cur_x = x + 7;
	}
	if (l->locked[0] != '\0') {
		char m[160];

		ui_attrset(w, ui_attr(u, E_HEADING));
		if (l->idle)
			snprintf(m, sizeof m, "Locked after %d minute%s without "
			    "input.", u->cfg->idle_lock_minutes,
			    u->cfg->idle_lock_minutes == 1 ? "" : "s");
		else
			snprintf(m, sizeof m, "Locked by %s.", l->locked);
		ui_text(w, y + 9, x, m, wd - x - 1, 0);
	}
	if (u->nkept > 0) {
		char m[256] = "Work kept for ";

		for (int i = 0; i < u->nkept; i++)
			snprintf(m + strlen(m), sizeof m - strlen(m), "%s%s",
			    i ? ", " : "", u->kept[i].who.name);
		ui_attrset(w, ui_attr(u, E_DIM));
		ui_text(w, y + 10, x, m, wd - x - 1, 0);
		ui_text(w, y + 11, x, "Log in to go on where you were, or "
		    "as someone else.", wd - x - 1, 0);
		ui_attrset(w, A_NORMAL);
	}
	if (l->error[0] != '\0') {
		ui_attrset(w, ui_attr(u, E_ERROR));
		ui_wrap(w, y + 7, x, l->error, wd - x - 1, 2);
		ui_attrset(w, A_NORMAL);
	} else {
		ui_attrset(w, ui_attr(u, E_DIM));
		ui_text(w, y + 7, x, "Enter: next / log in   F10: quit", 60, 0);
		ui_attrset(w, A_NORMAL);
	}
}

static void
login_wipe(struct login *l)
{
	field_wipe(&l->pin);
}

static int
login_try(struct view *v, struct ui *u)
{
	struct login *l = v->data;
	struct perr e;

	if (staff_login(u->store, l->name.buf, l->pin.buf,
	    u->cfg->pin_attempts, u->cfg->lockout_minutes, &u->who, &e) < 0) {
		login_wipe(l);
		snprintf(l->error, sizeof l->error, "%s", e.msg);
		return UI_HANDLED;
	}
	login_wipe(l);
	field_clear(&l->name);
	l->focus = 0;
	l->error[0] = '\0';
	l->locked[0] = '\0';
	(void)audit_log(u->store, "login", "staff", u->who.id, 0,
	    "{\"via\":\"screens\"}", NULL);
	/* Back after a lock: everything as it was left. */
	if (ui_session_restore(u)) {
		ui_say(u, 0, "Welcome back, %s: your screens are as you left "
		    "them.", u->who.name);
		return UI_HANDLED;
	}
	ui_push(u, view_lookup_new(u));
	/* Staff with overdue tasks land on them. */
	if (ui_overdue(u, 1) > 0) {
		ui_push(u, view_tasks_new(u));
		ui_say(u, 1, "You have %ld overdue task%s.", u->overdue,
		    u->overdue == 1 ? "" : "s");
	}
	return UI_HANDLED;
}

static int
login_key(struct view *v, struct ui *u, const struct ui_key *k)
{
	struct login *l = v->data;
	struct field *f = l->focus ? &l->pin : &l->name;

	switch (k->action) {
	case ACT_OPEN:
		if (l->focus == 0) {
			if (l->name.len > 0)
				l->focus = 1;
			return UI_HANDLED;
		}
		return login_try(v, u);
	case ACT_NEXT_FIELD:
	case ACT_PREV_FIELD:
		l->focus = !l->focus;
		return UI_HANDLED;
	case ACT_BACK:
		if (!k->is_key && k->ch != 27)
			break;
		/* Esc does not throw away work kept for someone. */
		if (u->nkept > 0) {
			snprintf(l->error, sizeof l->error, "Work is kept: F10 "
			    "quits and discards it.");
			return UI_HANDLED;
		}
		return UI_QUIT;
	case ACT_DOWN:
	case ACT_UP:
		if (k->is_key) {
			l->focus = k->action == ACT_DOWN;
			return UI_HANDLED;
		}
		break;
	case ACT_QUIT:
		return UI_QUIT;
	default:
		break;
	}
	if (k->action == ACT_HELP && k->is_key)
		return UI_IGNORED;
	if (field_key(f, k->ch, k->is_key) >= 0) {
		l->error[0] = '\0';
		return UI_HANDLED;
	}
	return UI_IGNORED;
}

/* Back from the lookup (log out): forget who was here. */
static void
login_resume(struct view *v, struct ui *u)
{
	struct login *l = v->data;

	memset(&u->who, 0, sizeof u->who);
	login_wipe(l);
	field_clear(&l->name);
	l->focus = 0;
	l->locked[0] = '\0';
	snprintf(l->error, sizeof l->error, "Logged out.");
}

static void
login_locked(struct view *v, struct ui *u, const char *name, int idle)
{
	struct login *l = v->data;

	login_wipe(l);
	field_clear(&l->name);
	l->focus = 0;
	l->error[0] = '\0';
	snprintf(l->locked, sizeof l->locked, "%s", name);
	l->idle = idle;
}

static void
login_free(struct view *v)
{
	sodium_free(v->data);
	free(v);
}

static const struct view_ops login_ops = {
	.name = "login",
	.draw = login_draw,
	.key = login_key,
	.resume = login_resume,
	.free = login_free,
	.bar = login_bar,
	.bar_labels = login_labels,
	.locked = login_locked,
};

struct view *
view_login_new(struct ui *u)
{
	struct view *v = xcalloc(1, sizeof *v);
	struct login *l = sodium_malloc(sizeof *l);

	if (l == NULL) {
		free(v);
		return NULL;
	}
	memset(l, 0, sizeof *l);
	field_init(&l->name, STAFF_NAME_MAX, 0);
	field_init(&l->pin, STAFF_PIN_MAX, 1);
	v->ops = &login_ops;
	v->data = l;
	(void)u;
	return v;
}
