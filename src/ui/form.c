/*
 * form: labelled fields with live validation for the TUI's forms.
 */
#include "patron/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define FORM_LABEL 14

static void
form_check_one(struct form_field *ff, const struct config *cfg)
{
	const char *why = NULL;
	const char *v = ff->f.buf;

	if (ff->required && strspn(v, " ") == strlen(v))
		why = "required";
	else if (ff->loaded != NULL && strcmp(v, ff->loaded) == 0)
		why = NULL;	/* as on file: kept as it is */
	else if (ff->check != NULL)
		why = ff->check(v, cfg);
	snprintf(ff->error, sizeof ff->error, "%s", why ? why : "");
}

void
form_loaded(struct form *fm)
{
	for (int i = 0; i < fm->n; i++) {
		free(fm->fields[i].loaded);
		fm->fields[i].loaded = xstrdup(fm->fields[i].f.buf);
	}
}

int
form_changed(const struct form *fm, int i)
{
	const struct form_field *ff = &fm->fields[i];

	return ff->loaded == NULL || strcmp(ff->f.buf, ff->loaded) != 0;
}

void
form_free(struct form *fm)
{
	for (int i = 0; i < fm->n; i++) {
		free(fm->fields[i].loaded);
		fm->fields[i].loaded = NULL;
		field_free(&fm->fields[i].f);
	}
}

/* What a field that is full says: its limit, as the command line's. */
static void
form_full(struct form *fm, const struct form_field *ff)
{
	const struct field *f = &ff->f;
	char n[32];
	int bytes = f->max_chars == 0 || f->chars < f->max_chars;
	size_t v = bytes ? f->max_bytes : f->max_chars, o = sizeof n - 1;

	/* 10,000 as the command line's messages write it. */
	n[o] = '\0';
	for (int d = 0; d == 0 || v > 0; d++, v /= 10) {
		if (d > 0 && d % 3 == 0)
			n[--o] = ',';
		n[--o] = (char)('0' + v % 10);
	}
	snprintf(fm->error, sizeof fm->error, "%s: at most %s %s; the rest "
		"was not taken.", ff->label, n + o,
		bytes ? "bytes" : "characters");
}

int
form_check(struct form *fm, const struct config *cfg)
{
	int first = -1;

	for (int i = 0; i < fm->n; i++) {
		form_check_one(&fm->fields[i], cfg);
		if (fm->fields[i].error[0] != '\0' && first < 0)
			first = i;
	}
	return first;
}

void
form_draw(struct form *fm, struct ui *u, WINDOW *w, struct view *v)
{
	int h, wd, y = 1, fw;

	getmaxyx(w, h, wd);
	fw = wd - FORM_LABEL - 6 - 28;
	if (fw > 50)
		fw = 50;
	ui_attrset(w, ui_attr(u, E_HEADING));
	ui_text(w, y, 2, fm->title, wd - 4, 0);
	ui_attrset(w, A_NORMAL);
	y += 2;
	for (int i = 0; i < fm->n; i++, y += 2) {
		struct form_field *ff = &fm->fields[i];
		char label[64];
		int cx, show = ff->error[0] != '\0' &&
		    (fm->tried || ff->f.len > 0);

		snprintf(label, sizeof label, "%s%s", ff->label,
			ff->required ? " *" : "");
		ui_attrset(w, show ? ui_attr(u, E_ERROR) : ui_attr(u, E_LABEL));
		ui_text(w, y, 2, label, FORM_LABEL, 1);
		cx = field_draw(&ff->f, w, y, FORM_LABEL + 3, fw,
			ui_attr(u, i == fm->focus ? E_FIELD_FOCUS : E_FIELD));
		if (show) {
			/* A hint too long for beside the field goes on
			 * under it, in the empty line below. */
			ui_attrset(w, ui_attr(u, E_ERROR));
			ui_wrap(w, y, FORM_LABEL + 4 + fw, ff->error,
				wd - FORM_LABEL - 6 - fw, 2);
			ui_attrset(w, A_NORMAL);
		}
		if (i == fm->focus) {
			v->cur_y = y;
			v->cur_x = cx;
		}
	}
	if (fm->confirm) {
		ui_attrset(w, ui_attr(u, E_ERROR));
		ui_text(w, y, 2, fm->confirm == 2 ? "Quit and discard what was "
			"typed?  y: quit   n or Esc: keep editing" :
			"Discard what was typed?  y: discard   n or Esc: keep "
			"editing", wd - 4, 0);
	} else if (fm->error[0] != '\0') {
		ui_attrset(w, ui_attr(u, E_ERROR));
		ui_wrap(w, y, 2, fm->error, wd - 4, h - y > 1 ? h - y : 1);
	} else if (fm->notice[0] != '\0') {
		ui_attrset(w, ui_attr(u, E_OK) | A_BOLD);
		y += ui_wrap(w, y, 2, fm->notice, wd - 4, h - y > 2 ?
		    h - y - 1 : 1);
		ui_attrset(w, ui_attr(u, E_DIM));
		ui_text(w, y, 2, "Enter: confirm   Esc: back to the form",
			wd - 4, 0);
	} else {
		ui_attrset(w, ui_attr(u, E_DIM));
		ui_text(w, y, 2, "Tab: next field   F2 or Enter on the last "
			"field: save   Esc: cancel", wd - 4, 0);
	}
	ui_attrset(w, A_NORMAL);
}

int
form_bar_item(const struct form *fm, enum action a, const char **label)
{
	/* A question is up: its keys are in the form, only help and the
	 * way out in the bar. */
	if (fm->confirm)
		return a == ACT_HELP || a == ACT_QUIT;
	if (fm->notice[0] != '\0') {
		/* The confirmation step: Enter confirms, Esc goes back. */
		if (a == ACT_OPEN)
			*label = "Confirm";
		else if (a == ACT_BACK)
			*label = "Change";
		return a != ACT_NEXT_FIELD && a != ACT_SAVE &&
		    a != ACT_PREV_FIELD;
	}
	return a != ACT_OPEN;
}

static int
form_try_save(struct form *fm, struct ui *u)
{
	int bad = form_check(fm, u->cfg);

	fm->tried = 1;
	if (bad >= 0) {
		fm->focus = bad;
		snprintf(fm->error, sizeof fm->error, "%s: %s",
			fm->fields[bad].label, fm->fields[bad].error);
		return FORM_HANDLED;
	}
	fm->error[0] = '\0';
	return FORM_SAVE;
}

int
form_key(struct form *fm, struct ui *u, const struct ui_key *k)
{
	struct form_field *ff = &fm->fields[fm->focus];
	int typing = !k->is_key && k->ch >= 0x20 && k->ch != 0x7f;

	/* Esc after typing asks first; only y lets the typing go. */
	if (fm->confirm) {
		int quit = fm->confirm == 2;

		fm->confirm = 0;
		if (!k->is_key && (k->ch == 'y' || k->ch == 'Y'))
			return quit ? FORM_QUIT : FORM_CANCEL;
		return FORM_HANDLED;
	}
	if (!typing) {
		switch (k->action) {
		case ACT_NEXT_FIELD:
		case ACT_DOWN:
			fm->focus = (fm->focus + 1) % fm->n;
			return FORM_HANDLED;
		case ACT_PREV_FIELD:
		case ACT_UP:
			fm->focus = (fm->focus + fm->n - 1) % fm->n;
			return FORM_HANDLED;
		case ACT_OPEN:
			if (fm->focus + 1 < fm->n) {
				fm->focus++;
				return FORM_HANDLED;
			}
			return form_try_save(fm, u);
		case ACT_SAVE:
			return form_try_save(fm, u);
		case ACT_BACK:
			if (fm->dirty) {
				fm->confirm = 1;
				return FORM_HANDLED;
			}
			return FORM_CANCEL;
		case ACT_QUIT:
			if (fm->dirty) {
				fm->confirm = 2;
				return FORM_HANDLED;
			}
			return FORM_QUIT;
		default:
			break;
		}
	}
	switch (field_key(&ff->f, k->ch, k->is_key)) {
	case 1:
		fm->dirty = 1;
		/* FALLTHROUGH */
	case 0:
		form_check_one(ff, u->cfg);
		if (ff->f.full)
			form_full(fm, ff);
		else
			fm->error[0] = '\0';
		return FORM_HANDLED;
	default:
		return FORM_NONE;
	}
}
