/*
 * form: the shared form engine of the TUI: labelled fields, validation as
 * you type, Tab/Shift-Tab (and Up/Down) between fields, Enter on the last
 * field or F2 to save, Esc to cancel; required and invalid fields marked.
 */
#ifndef PATRON_FORM_H
#define PATRON_FORM_H

#include "patron/field.h"
#include "patron/ui.h"

struct form_field {
	const char *label;
	int required;
	/* What is wrong with value, or NULL; "" values are checked too. */
	const char *(*check)(const char *value, const struct config *cfg);
	struct field f;
	char error[128];
	char *loaded;		/* the value as loaded (form_loaded), or NULL */
};

struct form {
	const char *title;
	struct form_field *fields;
	int n;
	int focus;
	int tried;		/* a save was attempted: show all errors */
	int dirty;		/* something was typed */
	int confirm;		/* asking whether to discard it: 1 to go back,
				 * 2 to quit Patron */
	char error[256];	/* why the last save failed */
	char notice[256];	/* a question of the view (a confirmation) */
};

enum { FORM_NONE, FORM_HANDLED, FORM_SAVE, FORM_CANCEL, FORM_QUIT };

void form_draw(struct form *fm, struct ui *u, WINDOW *w, struct view *v);
/* FORM_SAVE only when every field is valid; the view then saves. */
int form_key(struct form *fm, struct ui *u, const struct ui_key *k);
/* For the key bar (view_ops.bar_item): at the confirmation step Enter
 * confirms and Esc goes back, no Tab or F2; ACT_OPEN only there. */
int form_bar_item(const struct form *fm, enum action a, const char **label);
/* Check every field; returns the index of the first invalid one or -1. */
int form_check(struct form *fm, const struct config *cfg);
/*
 * Remember every field's value as loaded: a field left as it was is not
 * checked again (a value on file stays valid) and form_changed tells an
 * edit that changes nothing.
 */
void form_loaded(struct form *fm);
/* Whether field i differs from its value as loaded (always, if none). */
int form_changed(const struct form *fm, int i);
/* Free what the fields hold (their text, values as loaded). */
void form_free(struct form *fm);

#endif
