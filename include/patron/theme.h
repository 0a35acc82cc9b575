/*
 * theme: colour themes (themes/NAME.yaml). Each semantic element of the
 * screen (title, selection, overdue, ...) gets a foreground, a background
 * and attributes. Colours are names, numbers 0-255 or #rrggbb; on a
 * terminal with fewer colours each becomes the nearest one it has.
 */
#ifndef PATRON_THEME_H
#define PATRON_THEME_H

#include <stddef.h>

#include "patron/util.h"

/*
 * The semantic elements, in one list: it makes the screen manager's enum
 * ui_elem, the names theme files use, and the built-in default and mono
 * themes. X(ID, name, fg, bg, attributes, mono attributes): fg and bg a
 * colour index 0-15 or -1 for the terminal's default; attributes of
 * THEME_BOLD, ... Without colour, the mono attributes alone tell elements
 * apart. Adding an element is one line here and its use in a view.
 */
enum { THEME_BOLD = 1, THEME_UNDERLINE = 2, THEME_REVERSE = 4,
	THEME_DIM = 8 };
#define THEME_ELEMS(X) \
	X(NORMAL, normal, -1, -1, 0, 0) \
	X(TITLE, title, 7, 4, THEME_BOLD, THEME_BOLD | THEME_REVERSE) \
	X(STATUS, status, -1, -1, 0, 0) \
	X(KEYBAR, keybar, 0, 6, 0, THEME_REVERSE) \
	X(KEYBAR_KEY, keybar_key, 7, 0, THEME_BOLD, THEME_BOLD) \
	X(SELECTION, selection, 0, 6, 0, THEME_REVERSE) \
	X(FIELD, field, -1, -1, THEME_UNDERLINE, THEME_UNDERLINE) \
	X(FIELD_FOCUS, field_focus, 0, 7, 0, THEME_REVERSE) \
	X(LABEL, label, 6, -1, 0, THEME_BOLD) \
	X(HEADING, heading, -1, -1, THEME_BOLD, THEME_BOLD) \
	X(DIM, dim, -1, -1, THEME_DIM, THEME_DIM) \
	X(ERROR, error, 1, -1, THEME_BOLD, THEME_BOLD) \
	X(OK, ok, 2, -1, 0, 0) \
	X(OVERDUE, overdue, 1, -1, 0, THEME_BOLD | THEME_UNDERLINE) \
	X(POINTS_GAIN, points_gain, 2, -1, 0, THEME_BOLD) \
	X(POINTS_SPEND, points_spend, 5, -1, 0, THEME_UNDERLINE)

#define THEME_ONE(...) + 1
#define THEME_NELEMS (0 THEME_ELEMS(THEME_ONE))

/* A colour as written: the terminal's default, an index, or RGB. */
struct theme_color {
	enum { TC_DEFAULT, TC_INDEX, TC_RGB } kind;
	int index;		/* 0-255 */
	unsigned char r, g, b;
};

struct theme_elem {
	struct theme_color fg, bg;
	int bold, underline, reverse, dim;
};

struct theme {
	int mono;		/* attributes only: never colours */
	struct theme_elem elem[THEME_NELEMS];
};

/* The element names, as in theme files ("title", "selection", ...), in
 * the order of THEME_ELEMS. */
extern const char *const theme_elem_names[THEME_NELEMS];

/* The built-in default (colours) and mono (attributes only) themes. */
void theme_builtin(struct theme *t, int mono);

/*
 * Load theme name: ~/.config/patron/themes/NAME.yaml ($XDG_CONFIG_HOME),
 * then the installed themes directory; "default" and "mono" fall back to
 * the built-in ones. Elements a file leaves out keep the default. Errors:
 * exit code 78 with file:line:column.
 */
int theme_load(const char *name, struct theme *t, struct perr *e);
int theme_load_buffer(const char *file, const char *buf, size_t len,
	struct theme *t, struct perr *e);

/*
 * The colour a terminal with ncolors colours shows for c: an index below
 * ncolors (or -1 for the default).
 */
int theme_nearest(const struct theme_color *c, int ncolors);

#endif
