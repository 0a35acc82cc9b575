/*
 * field: one-line text editing for the TUI's search box and forms.
 */
#include "patron/field.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <sodium.h>

#include "patron/ui.h"
#include "patron/utf8.h"
#include "patron/util.h"

#define CTRL(c) ((c) & 0x1f)

void
field_init(struct field *f, size_t max_chars, int hidden)
{
	memset(f, 0, sizeof *f);
	f->max_chars = max_chars;
	f->max_bytes = max_chars > 0 ? max_chars * 4 : FIELD_MAX - 1;
	f->hidden = hidden;
	f->buf = f->small;
	f->cap = sizeof f->small;
}

void
field_limit_bytes(struct field *f, size_t max_bytes)
{
	f->max_bytes = max_bytes;
}

/* Room for n bytes and the NUL. */
static void
field_room(struct field *f, size_t n)
{
	if (n + 1 <= f->cap)
		return;
	if (f->buf == f->small) {
		f->buf = xmalloc(n + 1);
		memcpy(f->buf, f->small, f->len + 1);
		sodium_memzero(f->small, sizeof f->small);
	} else
		f->buf = xrealloc(f->buf, n + 1);
	f->cap = n + 1;
}

void
field_set(struct field *f, const char *s)
{
	size_t n = strlen(s);

	field_room(f, n);
	memcpy(f->buf, s, n + 1);
	f->len = f->cur = n;
	f->chars = utf8_length(s);
	f->full = 0;
}

void
field_clear(struct field *f)
{
	f->buf[0] = '\0';
	f->len = f->cur = f->chars = 0;
	f->full = 0;
}

void
field_wipe(struct field *f)
{
	sodium_memzero(f->buf, f->cap);
	field_clear(f);
}

void
field_free(struct field *f)
{
	if (f->buf != NULL && f->buf != f->small) {
		sodium_memzero(f->buf, f->cap);
		free(f->buf);
	}
	f->buf = f->small;
	f->cap = sizeof f->small;
	f->small[0] = '\0';
	f->len = f->cur = f->chars = 0;
}

static size_t
field_prev(const struct field *f, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)f->buf[at] & 0xc0) == 0x80)
		at--;
	return at;
}

static size_t
field_next(const struct field *f, size_t at)
{
	if (at >= f->len)
		return f->len;
	at++;
	while (at < f->len && ((unsigned char)f->buf[at] & 0xc0) == 0x80)
		at++;
	return at;
}

static void
field_cut(struct field *f, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		f->chars -= ((unsigned char)f->buf[i] & 0xc0) != 0x80;
	f->full = 0;
	memmove(f->buf + from, f->buf + to, f->len - to + 1);
	f->len -= to - from;
	f->cur = from;
}

int
field_key(struct field *f, wint_t ch, int is_key)
{
	char b[4];
	size_t n;

	if (is_key) {
		switch (ch) {
		case KEY_LEFT:
			f->cur = field_prev(f, f->cur);
			return 0;
		case KEY_RIGHT:
			f->cur = field_next(f, f->cur);
			return 0;
		case KEY_HOME:
			f->cur = 0;
			return 0;
		case KEY_END:
			f->cur = f->len;
			return 0;
		case KEY_BACKSPACE:
			if (f->cur == 0)
				return 0;
			field_cut(f, field_prev(f, f->cur), f->cur);
			return 1;
		case KEY_DC:
			if (f->cur == f->len)
				return 0;
			field_cut(f, f->cur, field_next(f, f->cur));
			return 1;
		default:
			return -1;
		}
	}
	switch (ch) {
	case 0x7f:
	case CTRL('H'):
		return field_key(f, KEY_BACKSPACE, 1);
	case CTRL('A'):
		return field_key(f, KEY_HOME, 1);
	case CTRL('E'):
		return field_key(f, KEY_END, 1);
	case CTRL('U'):
		if (f->cur == 0)
			return 0;
		field_cut(f, 0, f->cur);
		return 1;
	case CTRL('K'):
		if (f->cur == f->len)
			return 0;
		field_cut(f, f->cur, f->len);
		return 1;
	case CTRL('W'): {
		size_t at = f->cur;

		while (at > 0 && f->buf[at - 1] == ' ')
			at--;
		while (at > 0 && f->buf[at - 1] != ' ')
			at--;
		if (at == f->cur)
			return 0;
		field_cut(f, at, f->cur);
		return 1;
	}
	}
	/* Text: printable characters only; pasted controls are dropped. */
	if (ch > 0x10ffff || utf8_is_control((uint32_t)ch) ||
	    (ch >= 0xd800 && ch <= 0xdfff))
		return -1;
	n = utf8_encode((uint32_t)ch, b);
	if (f->len + n > f->max_bytes ||
	    (f->max_chars > 0 && f->chars >= f->max_chars)) {
		f->full = 1;	/* not taken: the form says so */
		return 0;
	}
	field_room(f, f->len + n);
	memmove(f->buf + f->cur + n, f->buf + f->cur, f->len - f->cur + 1);
	memcpy(f->buf + f->cur, b, n);
	f->len += n;
	f->cur += n;
	f->chars++;
	f->full = 0;
	return 1;
}

int
field_draw(const struct field *f, WINDOW *w, int y, int x, int width,
	attr_t attr)
{
	size_t start;
	int before = 0;

	ui_attrset(w, attr);
	if (f->hidden) {
		mvwhline(w, y, x, ' ', width);
		ui_attrset(w, A_NORMAL);
		return x;
	}
	/* Scroll so the cursor stays inside the field: back from it, as
	 * many characters as fit (a long note is not measured whole). */
	for (start = f->cur; start > 0;) {
		size_t p = field_prev(f, start);
		char one[8];
		int cw;

		memcpy(one, f->buf + p, start - p < 7 ? start - p : 7);
		one[start - p < 7 ? start - p : 7] = '\0';
		cw = ui_text_width(one);
		if (before + cw >= width)
			break;
		before += cw;
		start = p;
	}
	ui_text(w, y, x, f->buf + start, width, UI_PAD | UI_CLIP);
	ui_attrset(w, A_NORMAL);
	return x + before;
}
