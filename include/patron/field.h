/*
 * field: a one-line text field of the TUI: UTF-8 editing by characters,
 * horizontal scrolling by display columns, optionally hidden (PINs).
 */
#ifndef PATRON_FIELD_H
#define PATRON_FIELD_H

#include <stddef.h>

#include <curses.h>

#define FIELD_MAX 1024	/* bytes, NUL included */

struct field {
	char buf[FIELD_MAX];
	size_t len;		/* bytes */
	size_t cur;		/* byte offset of the cursor */
	size_t max_chars;	/* 0: as many as fit in buf */
	int hidden;		/* draw nothing of the content */
};

void field_init(struct field *f, size_t max_chars, int hidden);
void field_set(struct field *f, const char *s);
void field_clear(struct field *f);
/*
 * Apply a key (a character when is_key is 0, else a curses KEY_* code).
 * Returns 1 if the text changed, 0 if the key only moved the cursor or did
 * nothing, -1 if the field does not use the key.
 */
int field_key(struct field *f, wint_t ch, int is_key);
/* Draw in width columns at y, x; returns the cursor's column. */
int field_draw(const struct field *f, WINDOW *w, int y, int x, int width,
	attr_t attr);

#endif
