/*
 * field: one-line text editing for the TUI's search box and forms.
 */
#include "patron/field.h"

#include <string.h>
#include <wchar.h>

#include "patron/text.h"
#include "patron/ui.h"

#define CTRL(c) ((c) & 0x1f)

void
field_init(struct field *f, size_t max_chars, int hidden)
{
	memset(f, 0, sizeof *f);
	f->max_chars = max_chars;
	f->hidden = hidden;
}

void
field_set(struct field *f, const char *s)
{
	size_t n = strlen(s);

	if (n >= sizeof f->buf)
		n = sizeof f->buf - 1;
	/* Never cut a character in half. */
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(f->buf, s, n);
	f->buf[n] = '\0';
	f->len = f->cur = n;
}

void
field_clear(struct field *f)
{
	f->buf[0] = '\0';
	f->len = f->cur = 0;
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
		f->buf[f->cur] = '\0';
		f->len = f->cur;
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
	if (ch > 0x10ffff || text_is_control((uint32_t)ch) ||
	    (ch >= 0xd800 && ch <= 0xdfff))
		return -1;
	n = text_encode((uint32_t)ch, b);
	if (f->len + n >= sizeof f->buf ||
	    (f->max_chars > 0 && text_length(f->buf) >= f->max_chars))
		return 0;
	memmove(f->buf + f->cur + n, f->buf + f->cur, f->len - f->cur + 1);
	memcpy(f->buf + f->cur, b, n);
	f->len += n;
	f->cur += n;
	return 1;
}

int
field_draw(const struct field *f, WINDOW *w, int y, int x, int width,
	attr_t attr)
{
	char head[FIELD_MAX];
	size_t start = 0;
	int before;

	ui_attrset(w, attr);
	if (f->hidden) {
		mvwhline(w, y, x, ' ', width);
		ui_attrset(w, A_NORMAL);
		return x;
	}
	/* Scroll so the cursor stays inside the field. */
	for (;;) {
		memcpy(head, f->buf + start, f->cur - start);
		head[f->cur - start] = '\0';
		before = ui_text_width(head);
		if (before < width || start >= f->cur)
			break;
		start = field_next(f, start);
	}
	ui_text(w, y, x, f->buf + start, width, UI_PAD | UI_CLIP);
	ui_attrset(w, A_NORMAL);
	return x + before;
}
