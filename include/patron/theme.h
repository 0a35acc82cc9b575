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

#define THEME_NELEMS 16		/* enum ui_elem, in the same order */

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

/* The element names, as in theme files ("title", "selection", ...). */
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
