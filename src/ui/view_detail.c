/*
 * view_detail: the whole of one history entry or audit change, opened with
 * Enter on its row in the customer view, where the row shows one line cut
 * to fit. Each field is a label and its full text, wrapped to the width
 * (newlines kept), scrolled with the arrows and PgUp/PgDn; q or Esc goes
 * back to the history.
 */
#include "patron/view_detail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/timeline.h"
#include "patron/utf8.h"

#define LABEL_W 14

struct dline {
	const char *label;	/* on a field's first line, else NULL */
	char *text;
};

struct dview {
	char title[320];
	struct timeline_detail d;
	struct dline *lines;
	int nlines, cap;
	int width;		/* what lines were wrapped to */
	int top;
	int rows;		/* shown at the last draw */
};

static const enum action detail_bar[] = { ACT_HELP, ACT_DOWN,
	ACT_PAGE_DOWN, ACT_BACK, ACT_NONE };
static const char *const detail_labels[] = { NULL, "Scroll", "Page", NULL };

static void
dview_line(struct dview *dv, const char *label, const char *s, size_t n)
{
	if (dv->nlines == dv->cap) {
		dv->cap = dv->cap ? dv->cap * 2 : 32;
		dv->lines = xrealloc(dv->lines, (size_t)dv->cap *
		    sizeof *dv->lines);
	}
	dv->lines[dv->nlines].label = label;
	dv->lines[dv->nlines].text = xasprintf("%.*s", (int)n, s);
	dv->nlines++;
}

/* The display width of the character at p, and its bytes in *n. */
static int
dview_glyph(const char *p, size_t *n)
{
	uint32_t cp;
	char one[8];

	*n = utf8_decode(p, strnlen(p, 4), &cp);
	if (*n == 0 || *n >= sizeof one)
		*n = 1;
	memcpy(one, p, *n);
	one[*n] = '\0';
	return ui_text_width(one);
}

/*
 * Wrap one value to width columns: at the last space that fits, else
 * (Chinese has none) after the last character that fits.
 */
static void
dview_wrap(struct dview *dv, const char *label, const char *v, int width)
{
	const char *line = v, *p = v, *space = NULL;
	int used = 0;

	while (*p != '\0') {
		size_t n;
		int cw = dview_glyph(p, &n);

		if (*p == '\n') {
			dview_line(dv, label, line, (size_t)(p - line));
			label = NULL;
			line = ++p;
			space = NULL;
			used = 0;
			continue;
		}
		if (used + cw > width && p > line) {
			dview_line(dv, label, line, (size_t)((space ? space :
			    p) - line));
			label = NULL;
			line = space != NULL ? space + 1 : p;
			space = NULL;
			/* Measure again what moves to the new line. */
			used = 0;
			for (const char *q = line; q < p; q += n)
				used += dview_glyph(q, &n);
			continue;
		}
		if (*p == ' ')
			space = p;
		used += cw;
		p += n;
	}
	if (p > line || label != NULL)
		dview_line(dv, label, line, (size_t)(p - line));
}

static void
dview_layout(struct dview *dv, int width)
{
	for (int i = 0; i < dv->nlines; i++)
		free(dv->lines[i].text);
	dv->nlines = 0;
	dv->width = width;
	for (int i = 0; i < dv->d.n; i++)
		dview_wrap(dv, dv->d.f[i].label, dv->d.f[i].value,
		    width - LABEL_W - 1);
}

static void
dview_draw(struct view *v, struct ui *u, WINDOW *w)
{
	struct dview *dv = v->data;
	int h, wd, y = 3;
	char pos[48];

	getmaxyx(w, h, wd);
	if (dv->width != wd - 4)
		dview_layout(dv, wd - 4);
	dv->rows = h - 4;
	if (dv->top > dv->nlines - dv->rows)
		dv->top = dv->nlines - dv->rows;
	if (dv->top < 0)
		dv->top = 0;
	ui_attrset(w, ui_attr(u, E_HEADING));
	ui_text(w, 1, 2, dv->title, wd - 4 - 20, 0);
	ui_attrset(w, A_NORMAL);
	if (dv->nlines > dv->rows) {
		snprintf(pos, sizeof pos, "lines %d-%d of %d", dv->top + 1,
		    dv->top + dv->rows < dv->nlines ? dv->top + dv->rows :
		    dv->nlines, dv->nlines);
		ui_attrset(w, ui_attr(u, E_DIM));
		ui_text(w, 1, wd - 2 - ui_text_width(pos), pos,
		    ui_text_width(pos), 0);
		ui_attrset(w, A_NORMAL);
	}
	for (int i = dv->top; i < dv->nlines && y < h - 1; i++, y++) {
		if (dv->lines[i].label != NULL) {
			ui_attrset(w, ui_attr(u, E_LABEL));
			ui_text(w, y, 2, dv->lines[i].label, LABEL_W, 0);
			ui_attrset(w, A_NORMAL);
		}
		ui_text(w, y, 2 + LABEL_W + 1, dv->lines[i].text,
		    wd - 4 - LABEL_W - 1, 0);
	}
}

static int
dview_key(struct view *v, struct ui *u, const struct ui_key *k)
{
	struct dview *dv = v->data;
	int page = dv->rows > 1 ? dv->rows - 1 : 1;

	(void)u;
	switch (k->action) {
	case ACT_UP:
		dv->top--;
		break;
	case ACT_DOWN:
		dv->top++;
		break;
	case ACT_PAGE_UP:
		dv->top -= page;
		break;
	case ACT_PAGE_DOWN:
		dv->top += page;
		break;
	case ACT_TOP:
		dv->top = 0;
		break;
	case ACT_BOTTOM:
		dv->top = dv->nlines;
		break;
	case ACT_BACK:
	case ACT_OPEN:
		return UI_POP;
	default:
		return UI_IGNORED;
	}
	/* dview_draw keeps top inside the text. */
	if (dv->top < 0)
		dv->top = 0;
	return UI_HANDLED;
}

static void
dview_free(struct view *v)
{
	struct dview *dv = v->data;

	for (int i = 0; i < dv->nlines; i++)
		free(dv->lines[i].text);
	free(dv->lines);
	timeline_detail_free(&dv->d);
	free(dv);
	free(v);
}

static const struct view_ops detail_ops = {
	.name = "detail",
	.draw = dview_draw,
	.key = dview_key,
	.free = dview_free,
	.bar = detail_bar,
	.bar_labels = detail_labels,
};

struct view *
view_detail_new(struct ui *u, const char *customer,
	const struct timeline_item *it)
{
	struct view *v;
	struct dview *dv = xcalloc(1, sizeof *dv);
	char when[32];
	struct perr e;

	if (timeline_detail(u->store, u->cfg, it, &dv->d, &e) < 0) {
		ui_say(u, 1, "%s", e.msg);
		free(dv);
		return NULL;
	}
	util_time_local(it->at_ms, "%Y-%m-%d %H:%M", when, sizeof when);
	snprintf(dv->title, sizeof dv->title, "%s, %s: %s",
	    it->voided ? "void" : timeline_kind_names[it->kind], when,
	    customer);
	v = xcalloc(1, sizeof *v);
	v->ops = &detail_ops;
	v->data = dv;
	return v;
}
