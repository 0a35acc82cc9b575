/*
 * field: a one-line text field of the TUI: UTF-8 editing by characters,
 * horizontal scrolling by display columns, optionally hidden (PINs).
 */
#ifndef PATRON_FIELD_H
#define PATRON_FIELD_H

#include <stddef.h>

#include <curses.h>

#define FIELD_MAX 1024	/* bytes held in the field itself, NUL included */

/*
 * A field holds up to max_chars characters and max_bytes bytes (what the
 * command line accepts for the same value); text longer than FIELD_MAX
 * lives on the heap (field_free). A key or paste past the limit is not
 * taken and sets full, so the form can say so.
 */
struct field {
	char *buf;		/* small, or on the heap */
	size_t len;		/* bytes */
	size_t cur;		/* byte offset of the cursor */
	size_t chars;		/* characters in buf */
	size_t cap;		/* bytes buf can hold, NUL included */
	size_t max_chars;	/* 0: FIELD_MAX - 1 bytes of them */
	size_t max_bytes;
	int hidden;		/* draw nothing of the content */
	int full;		/* the last character typed met the limit */
	char small[FIELD_MAX];
};

/* max_chars characters (0: FIELD_MAX - 1 bytes), 4 bytes each at most. */
void field_init(struct field *f, size_t max_chars, int hidden);
/* Limit the bytes too (an email: 254 bytes), after field_init. */
void field_limit_bytes(struct field *f, size_t max_bytes);
/* Holds all of s, even past the limits (a check then says so). */
void field_set(struct field *f, const char *s);
void field_clear(struct field *f);
/* Clear, overwriting every byte the text used (a PIN). */
void field_wipe(struct field *f);
/* Free what the field holds on the heap; it is empty after. */
void field_free(struct field *f);
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
