/*
 * ui: the screen manager: terminal set-up and restore, the action table,
 * colours, safe text output, the view stack and the one event loop.
 *
 * Screen layout: row 0 the title (shop, staff, time); rows 1..LINES-3 the
 * body, drawn by the view on top of the stack; row LINES-2 the message
 * line; row LINES-1 the key bar, made from the view's actions.
 */
#include "patron/ui.h"
#include "patron/perm.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "patron/audit.h"
#include "patron/daily.h"
#include "patron/keys.h"
#include "patron/safe.h"
#include "patron/task.h"

#define UI_MIN_COLS 80
#define UI_MIN_LINES 24
#define CTRL(c) ((c) & 0x1f)

/* ---- colours -------------------------------------------------------- */

static attr_t
ui_elem_attrs(const struct theme_elem *el)
{
	return (el->bold ? A_BOLD : 0) | (el->underline ? A_UNDERLINE : 0) |
	    (el->reverse ? A_REVERSE : 0) | (el->dim ? A_DIM : 0);
}

static int
ui_color_same(const struct theme_color *a, const struct theme_color *b)
{
	return a->kind == b->kind && (a->kind == TC_DEFAULT ||
	    (a->kind == TC_INDEX ? a->index == b->index : a->r == b->r &&
	    a->g == b->g && a->b == b->b));
}

/*
 * An element the theme sets apart from normal text must stay apart on this
 * terminal: where its colours fall on the same ones as normal's (light's
 * pale blue selection is white on 8 colours, dark's pale labels too), it
 * gets the mono theme's attributes for it (reverse for the selection), or
 * bold.
 */
static void
ui_colors_apart(struct ui *u, const struct theme *t)
{
	const struct theme_elem *n = &t->elem[E_NORMAL];
	int nfg = theme_nearest(&n->fg, COLORS);
	int nbg = theme_nearest(&n->bg, COLORS);
	struct theme mono;

	theme_builtin(&mono, 1);
	for (int i = 1; i < E_NELEMS; i++) {
		const struct theme_elem *el = &t->elem[i];
		attr_t plain = ui_elem_attrs(&mono.elem[i]);

		if (ui_color_same(&el->fg, &n->fg) &&
		    ui_color_same(&el->bg, &n->bg))
			continue;	/* meant to look like normal text */
		if (theme_nearest(&el->fg, COLORS) != nfg ||
		    theme_nearest(&el->bg, COLORS) != nbg ||
		    ui_elem_attrs(el) != ui_elem_attrs(n))
			continue;
		u->attrs[i] |= plain ? plain : A_BOLD;
	}
}

/*
 * Colours from the theme where the terminal has them and NO_COLOR is not
 * set; otherwise attributes alone (the theme's own if it is a mono theme,
 * else the built-in mono ones).
 */
static void
ui_colors(struct ui *u, const struct theme *t)
{
	const char *nc = getenv("NO_COLOR");
	struct theme mono;

	u->colors = has_colors() && (nc == NULL || nc[0] == '\0') && !t->mono;
	if (u->colors && start_color() == OK) {
		use_default_colors();
		for (int i = 0; i < E_NELEMS; i++) {
			const struct theme_elem *el = &t->elem[i];

			init_pair((short)(i + 1),
				(short)theme_nearest(&el->fg, COLORS),
				(short)theme_nearest(&el->bg, COLORS));
			u->attrs[i] = COLOR_PAIR(i + 1) | ui_elem_attrs(el);
		}
		ui_colors_apart(u, t);
		return;
	}
	u->colors = 0;
	if (!t->mono) {
		theme_builtin(&mono, 1);
		t = &mono;
	}
	for (int i = 0; i < E_NELEMS; i++)
		u->attrs[i] = ui_elem_attrs(&t->elem[i]);
}

attr_t
ui_attr(const struct ui *u, enum ui_elem e)
{
	return u->attrs[e];
}

attr_t
ui_attr_over(const struct ui *u, attr_t base, enum ui_elem e)
{
	attr_t a = u->attrs[e];

	/* Two colour pairs or'ed together would make a third. */
	return (base & A_COLOR) ? base | (a & ~A_COLOR) : base | a;
}

void
ui_attrset(WINDOW *w, attr_t a)
{
	/* wattr_set takes the pair apart: with 0 it would drop the colours. */
	wattr_set(w, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
}

int
ui_masked(const struct ui *u)
{
	return perm_masked(u->cfg, u->who.role);
}

int
ui_may(struct ui *u, int perm)
{
	if (perm_allows(u->cfg, u->who.role, perm))
		return 1;
	ui_say(u, 1, "%s (%s) may not %s.", u->who.name, u->who.role,
	    perm_what(perm));
	return 0;
}

/* ---- text ------------------------------------------------------------ */

/*
 * The next character to show of s: its width, and what to draw. Every
 * string drawn passes here, so safe_next decides what is shown.
 */
static int ui_ascii;	/* no UTF-8 locale at all: placeholders */

static size_t
ui_glyph(const char *s, wchar_t *wc, int *width)
{
	uint32_t cp;
	size_t n = safe_next(s, strnlen(s, 4), 0, &cp);

	*wc = (wchar_t)cp;
	/* A terminal that cannot be sent the character gets a visible '?'
	 * for it, never a blank that makes two names look alike. */
	if (ui_ascii && cp >= 0x80) {
		*wc = '?';
		*width = 1;
		return n;
	}
	*width = wcwidth(*wc);
	if (*width < 0) {
		*wc = 0xfffd;
		*width = 1;
	}
	return n;
}

/*
 * The screens draw in UTF-8. Under LANG=C (common on SSH servers) ncurses
 * would draw every non-ASCII character blank: the characters are taken as
 * C.UTF-8's (the system's UTF-8 locale without a language) when it
 * exists, else drawn as '?'. Only LC_CTYPE changes.
 */
static void
ui_locale(void)
{
	static const char *const utf8[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8",
		"en_US.utf8" };

	if (ui_utf8())
		return;
	for (size_t i = 0; i < sizeof utf8 / sizeof utf8[0]; i++)
		if (setlocale(LC_CTYPE, utf8[i]) != NULL && ui_utf8())
			return;
	ui_ascii = 1;
}

int
ui_text_width(const char *s)
{
	int w = 0, cw;
	wchar_t wc;

	while (*s != '\0') {
		s += ui_glyph(s, &wc, &cw);
		w += cw;
	}
	return w;
}

int
ui_text(WINDOW *w, int y, int x, const char *s, int width, int pad)
{
	/* Text cut to fit ends in a mark: a cut is never silent. */
	const char *mark = ui_utf8() ? "\u2026" : "...";
	int used = 0, cw, room = width, cut = 0;
	wchar_t wc[2] = { 0, 0 };

	if (width <= 0)
		return 0;
	if (!(pad & UI_CLIP) && s != NULL && ui_text_width(s) > width) {
		cut = 1;
		room = width - ui_text_width(mark);
		if (room < 0)
			room = 0;
	}
	wmove(w, y, x);
	while (s != NULL && *s != '\0') {
		size_t n = ui_glyph(s, &wc[0], &cw);

		if (used + cw > room)
			break;
		/* Combining marks (width 0) join the previous character. */
		waddnwstr(w, wc, 1);
		used += cw;
		s += n;
	}
	while (cut && *mark != '\0' && used < width) {
		mark += ui_glyph(mark, &wc[0], &cw);
		waddnwstr(w, wc, 1);
		used += cw;
	}
	if (pad & UI_PAD)
		for (; used < width; used++)
			waddch(w, ' ');
	return used;
}

int
ui_wrap_lines(const char *s, int width, int maxlines, const char **starts,
	int *lens)
{
	int n = 0;

	if (width <= 0)
		return 0;
	while (*s != '\0' && n < maxlines) {
		const char *p = s, *brk = NULL;
		int used = 0, cw;
		wchar_t wc;

		while (*s == ' ')
			s++;
		for (p = s; *p != '\0';) {
			size_t k = ui_glyph(p, &wc, &cw);

			if (used + cw > width)
				break;
			if (*p == ' ')
				brk = p;
			used += cw;
			p += k;
		}
		if (*p != '\0' && brk != NULL && brk > s && n + 1 < maxlines)
			p = brk;	/* break at the last space that fits */
		starts[n] = s;
		lens[n++] = (int)(p - s);
		s = p;
	}
	return n;
}

int
ui_wrap(WINDOW *w, int y, int x, const char *s, int width, int maxlines)
{
	const char *starts[8];
	int lens[8], n;

	if (maxlines > 8)
		maxlines = 8;
	n = ui_wrap_lines(s, width, maxlines, starts, lens);
	for (int i = 0; i < n; i++) {
		const char *rest = starts[i] + lens[i];
		int cut = i == n - 1 && rest[strspn(rest, " ")] != '\0';
		char *line = xasprintf("%.*s", lens[i], starts[i]);

		/* What does not fit ends in a mark, never silently. */
		if (cut) {
			n = ui_wrap_lines(starts[i], width - 1, 1, starts + i,
				lens + i);
			free(line);
			line = xasprintf("%.*s\u2026", lens[i], starts[i]);
		}
		ui_text(w, y + i, x, line, width, 0);
		free(line);
		if (cut)
			return i + 1;
	}
	return n;
}

void
ui_money(const struct ui *u, int64_t v, char *buf, size_t len)
{
	util_decimal_group(v, util_currency_decimals(u->cfg->store_currency),
	    0, buf, len);
}

int
ui_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && strcmp(cs, "UTF-8") == 0;
}

void
ui_rule(WINDOW *w, int y, int x, int width)
{
	/* Box-drawing characters where the locale has them, not ACS:
	 * terminals and multiplexers disagree about ACS, never about UTF-8. */
	const char *dash = ui_utf8() ? "\u2500" : "-";

	wmove(w, y, x);
	for (int i = 0; i < width; i++)
		waddstr(w, dash);
}

/* ---- messages and the view stack ---------------------------------------- */

void
ui_say(struct ui *u, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->message, sizeof u->message, fmt, ap);
	va_end(ap);
	u->message_error = error;
}

void
ui_push(struct ui *u, struct view *v)
{
	if (v == NULL)
		return;
	if (u->depth == (int)(sizeof u->stack / sizeof u->stack[0])) {
		v->ops->free(v);
		ui_say(u, 1, "Too many screens open; go back first");
		return;
	}
	u->stack[u->depth++] = v;
}

static void
ui_remove(struct ui *u, struct view *v)
{
	for (int i = 0; i < u->depth; i++)
		if (u->stack[i] == v) {
			memmove(&u->stack[i], &u->stack[i + 1],
				(size_t)(u->depth - i - 1) * sizeof u->stack[0]);
			u->depth--;
			v->ops->free(v);
			return;
		}
}

/* ---- keys -------------------------------------------------------------- */

/* The keys in force: the table's, with ui.keys from the config on top. */
static struct keys_key ui_keymap[ACT_NACTIONS][KEYS_MAX];

/* The curses KEY_* code of a named key (not KN_CHAR). */
static int
ui_key_code(const struct keys_key *k)
{
	static const int named[] = {
		[KN_BTAB] = KEY_BTAB, [KN_UP] = KEY_UP, [KN_DOWN] = KEY_DOWN,
		[KN_LEFT] = KEY_LEFT, [KN_RIGHT] = KEY_RIGHT,
		[KN_PGUP] = KEY_PPAGE, [KN_PGDN] = KEY_NPAGE,
		[KN_HOME] = KEY_HOME, [KN_END] = KEY_END,
		[KN_BACKSPACE] = KEY_BACKSPACE, [KN_DELETE] = KEY_DC,
		[KN_KPENTER] = KEY_ENTER,
	};

	if (k->named >= KN_F1 && k->named <= KN_F12)
		return KEY_F(k->named - KN_F1 + 1);
	return named[k->named];
}

static enum action
ui_map(wint_t ch, int is_key)
{
	for (int a = 1; a < ACT_NACTIONS; a++)
		for (int i = 0; i < KEYS_MAX && !keys_end(&ui_keymap[a][i]);
		     i++) {
			const struct keys_key *k = &ui_keymap[a][i];

			if (is_key ? k->named != KN_CHAR &&
			    ui_key_code(k) == (int)ch :
			    k->named == KN_CHAR && k->ch == (uint32_t)ch)
				return (enum action)a;
		}
	return ACT_NONE;
}

/* The key to show for an action: its F-key if it has one. */
static void
ui_action_key(enum action a, char *buf, size_t len)
{
	const struct keys_key *keys = ui_keymap[a], *pick = &keys[0];

	for (int i = 0; i < KEYS_MAX && !keys_end(&keys[i]); i++)
		if (keys[i].named >= KN_F1 && keys[i].named <= KN_F12) {
			pick = &keys[i];
			break;
		}
	keys_name(pick, buf, len);
}

/* ---- drawing ------------------------------------------------------------ */

long
ui_overdue(struct ui *u, int refresh)
{
	int64_t now = util_now_ms();
	struct perr e;
	long n;

	if (u->who.id == 0)
		return 0;
	if (refresh || now - u->overdue_at > 30000) {
		n = task_overdue_count(u->store, &u->who, now, &e);
		u->overdue = n < 0 ? 0 : n;
		u->overdue_at = now;
	}
	return u->overdue;
}

/*
 * The daily work: points upkeep (expiry, birthday bonuses, tiers) and the
 * task rules, when the screens start and when the local day changes.
 */
static void
ui_daily(struct ui *u)
{
	struct daily d;
	char today[16];
	struct perr e;

	util_time_local(util_now_ms(), "%Y-%m-%d", today, sizeof today);
	if (strcmp(today, u->today) == 0)
		return;
	snprintf(u->today, sizeof u->today, "%s", today);
	if (daily_run(u->store, u->cfg, util_now_ms(), DAILY_ALL, &d, &e) < 0)
		ui_say(u, 1, "%s did not run: %s", d.failed == DAILY_UPKEEP ?
			"Points upkeep" : "Task rules", e.msg);
	u->overdue_at = 0;
}

static void
ui_draw_title(struct ui *u)
{
	char left[256], right[160], clock[16], due[32] = "";
	long overdue = ui_overdue(u, 0);

	util_time_local(util_now_ms(), "%H:%M", clock, sizeof clock);
	snprintf(left, sizeof left, " Patron \u00b7 %s (%s)", u->cfg->store_name,
		u->cfg->store_branch);
	if (u->who.id > 0)
		snprintf(right, sizeof right, "%s (%s)  %s ", u->who.name,
			u->who.role, clock);
	else
		snprintf(right, sizeof right, "%s ", clock);
	if (overdue > 0)
		snprintf(due, sizeof due, " %ld overdue ", overdue);
	attrset(ui_attr(u, E_TITLE));
	mvhline(0, 0, ' ', COLS);
	ui_text(stdscr, 0, 0, left, COLS - ui_text_width(right) -
		ui_text_width(due) - 2, 0);
	ui_text(stdscr, 0, COLS - ui_text_width(right), right,
		ui_text_width(right), 0);
	if (due[0] != '\0') {
		attrset(ui_attr(u, E_OVERDUE) | A_BOLD | A_REVERSE);
		ui_text(stdscr, 0, COLS - ui_text_width(right) -
			ui_text_width(due) - 1, due, ui_text_width(due), 0);
	}
	attrset(A_NORMAL);
}

/*
 * The key bar: what this role may do in this state (the view's bar_item
 * says), always with the help and the way out (Esc, F10, added where the
 * view has none). Narrow, the others go from the right until it fits.
 */
static void
ui_draw_bar(struct ui *u, const struct view *v)
{
	enum action acts[32];
	const char *labels[32];
	char keys[32][16];
	int n = 0, need = 0, x = 0, has_quit = 0;

	for (int i = 0; v->ops->bar && v->ops->bar[i] != ACT_NONE && n < 30;
	     i++) {
		enum action a = v->ops->bar[i];
		const char *label = v->ops->bar_labels && v->ops->bar_labels[i] ?
		    v->ops->bar_labels[i] : actions[a].label;

		if (v->ops->bar_item != NULL &&
		    !v->ops->bar_item((struct view *)v, u, a, &label))
			continue;
		has_quit |= a == ACT_QUIT;
		acts[n] = a;
		labels[n++] = label;
	}
	if (!has_quit) {
		acts[n] = ACT_QUIT;
		labels[n++] = actions[ACT_QUIT].label;
	}
	for (int i = 0; i < n; i++) {
		ui_action_key(acts[i], keys[i], sizeof keys[i]);
		need += (int)strlen(keys[i]) + 1 + ui_text_width(labels[i]) + 2;
	}
	for (int i = n - 1; i >= 0 && need - 2 > COLS; i--) {
		if (acts[i] == ACT_HELP || acts[i] == ACT_BACK ||
		    acts[i] == ACT_QUIT)
			continue;
		need -= (int)strlen(keys[i]) + 1 + ui_text_width(labels[i]) + 2;
		acts[i] = ACT_NONE;
	}
	for (int i = 0; i < n; i++) {
		if (acts[i] == ACT_NONE)
			continue;
		if (x > 0)
			x += ui_text(stdscr, LINES - 1, x, "  ", COLS - x, 0);
		attrset(ui_attr(u, E_KEYBAR_KEY));
		x += ui_text(stdscr, LINES - 1, x, keys[i], COLS - x, 0);
		attrset(ui_attr(u, E_KEYBAR));
		x += ui_text(stdscr, LINES - 1, x, " ", 1, 0);
		x += ui_text(stdscr, LINES - 1, x, labels[i], COLS - x, 0);
	}
}

static void
ui_draw_bottom(struct ui *u, const struct view *v, WINDOW *body)
{
	attr_t ma = u->message_error ? ui_attr(u, E_ERROR) : ui_attr(u, E_STATUS);
	const char *starts[3];
	int lens[3], n;

	attrset(ma);
	mvhline(LINES - 2, 0, ' ', COLS);
	/* A message too long for its line takes the body's last ones too. */
	n = ui_wrap_lines(u->message, COLS - 2, 3, starts, lens);
	for (int i = 0; i < n - 1; i++) {
		int y = getmaxy(body) - (n - 1) + i;
		char *line = xasprintf("%.*s", lens[i], starts[i]);

		ui_attrset(body, ma);
		mvwhline(body, y, 0, ' ', COLS);
		ui_text(body, y, 1, line, COLS - 2, 0);
		ui_attrset(body, A_NORMAL);
		free(line);
	}
	ui_wrap(stdscr, LINES - 2, 1, n > 0 ? starts[n - 1] : "", COLS - 2, 1);
	attrset(ui_attr(u, E_KEYBAR));
	mvhline(LINES - 1, 0, ' ', COLS);
	ui_draw_bar(u, v);
	attrset(A_NORMAL);
}

/*
 * The help overlay: every action with its keys, generated from the table;
 * in two columns when one does not fit the screen, the keys' column as
 * wide as the widest keys, so at 80 columns every line is whole.
 */
static void
ui_draw_help(struct ui *u, WINDOW *body)
{
	int rows = ACT_NACTIONS - 1, cols = 1, colw = 64, kw = 0, h, w, y0, x0;
	char keys[ACT_NACTIONS][64];

	for (int a = 1; a < ACT_NACTIONS; a++) {
		keys_describe(ui_keymap[a], KEYS_MAX, keys[a], sizeof keys[a]);
		if (ui_text_width(keys[a]) > kw)
			kw = ui_text_width(keys[a]);
	}
	getmaxyx(body, y0, x0);
	if (rows + 2 > y0) {
		cols = 2;
		rows = (rows + 1) / 2;
		colw = (x0 - 2) / 2 < 56 ? (x0 - 2) / 2 : 56;
	}
	h = rows + 2 < y0 ? rows + 2 : y0;
	w = cols * colw + 2;
	y0 = (y0 - h) / 2;
	x0 = (x0 - w) / 2;
	for (int y = 0; y < h; y++)
		mvwhline(body, y0 + y, x0, ' ', w);
	ui_rule(body, y0, x0, w);
	ui_rule(body, y0 + h - 1, x0, w);
	ui_attrset(body, ui_attr(u, E_HEADING));
	mvwaddstr(body, y0, x0 + 2, " Keys ");
	ui_attrset(body, A_NORMAL);
	for (int a = 1; a < ACT_NACTIONS; a++) {
		int col = (a - 1) / rows, y = y0 + 1 + (a - 1) % rows;
		int x = x0 + 1 + col * colw;

		if (y >= y0 + h - 1)
			continue;
		ui_attrset(body, ui_attr(u, E_LABEL));
		ui_text(body, y, x + 1, keys[a], kw, 1);
		ui_attrset(body, A_NORMAL);
		ui_text(body, y, x + kw + 3, actions[a].help,
		    colw - kw - 4, 0);
	}
	ui_attrset(body, ui_attr(u, E_DIM));
	ui_text(body, y0 + h - 1, x0 + 2, " any key closes ", 20, 0);
	ui_attrset(body, A_NORMAL);
}

static void
ui_draw(struct ui *u, WINDOW **body)
{
	struct view *v = u->stack[u->depth - 1];

	erase();
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) {
		/*
		 * The body window goes: reading keys through it would refresh
		 * it, the old screen back on top of this one.
		 */
		if (*body != NULL) {
			delwin(*body);
			*body = NULL;
		}
		mvprintw(0, 0, "Patron needs %dx%d (now %dx%d).", UI_MIN_COLS,
			UI_MIN_LINES, COLS, LINES);
		if (u->asking)
			ui_wrap(stdscr, 2, 0, u->message, COLS, LINES - 2);
		wnoutrefresh(stdscr);
		curs_set(0);
		doupdate();
		return;
	}
	if (*body == NULL || getmaxy(*body) != LINES - 3 ||
	    getmaxx(*body) != COLS) {
		if (*body != NULL)
			delwin(*body);
		*body = newwin(LINES - 3, COLS, 1, 0);
		/* Text without colours of its own takes the theme's normal. */
		wbkgd(*body, ' ' | ui_attr(u, E_NORMAL));
		keypad(*body, TRUE);
		wtimeout(*body, 1000);	/* the clock, the day and the idle lock */
	}
	werase(*body);
	v->cur_y = v->cur_x = -1;
	v->ops->draw(v, u, *body);
	if (u->help)
		ui_draw_help(u, *body);
	ui_draw_title(u);
	ui_draw_bottom(u, v, *body);
	wnoutrefresh(stdscr);
	if (v->cur_y >= 0 && !u->help) {
		wmove(*body, v->cur_y, v->cur_x);
		curs_set(1);
	} else
		curs_set(0);
	wnoutrefresh(*body);
	doupdate();
}

/* ---- signals ------------------------------------------------------------ */

static volatile sig_atomic_t ui_stop;

static void
ui_on_stop(int sig)
{
	ui_stop = sig;
}

static void
ui_on_fatal(int sig)
{
	/* Give the terminal back before dying (as htop does). */
	endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Out of memory: util_oom gives the terminal back before it exits. */
static void
ui_restore(void)
{
	endwin();
}

static void
ui_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = ui_on_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* ---- the lock --------------------------------------------------------- */

static int64_t
ui_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
ui_session_free(struct ui_session *k)
{
	for (int i = k->depth - 1; i >= 0; i--)
		k->stack[i]->ops->free(k->stack[i]);
	memset(k, 0, sizeof *k);
}

/*
 * Lock the screen: the staff member's views leave the stack and are kept
 * for them; nothing personal stays on the screen, which is repainted
 * whole; the login view asks who is next.
 */
static void
ui_lock(struct ui *u, int idle)
{
	struct ui_session *k;
	char name[sizeof u->who.name];

	if (u->who.id == 0 || u->depth < 1)
		return;
	if (u->nkept == UI_SESSIONS) {
		/* The oldest kept work goes. */
		ui_session_free(&u->kept[0]);
		memmove(&u->kept[0], &u->kept[1],
		    (UI_SESSIONS - 1) * sizeof u->kept[0]);
		memset(&u->kept[UI_SESSIONS - 1], 0, sizeof u->kept[0]);
		u->nkept--;
	}
	k = &u->kept[u->nkept++];
	k->who = u->who;
	k->depth = u->depth - 1;
	memcpy(k->stack, &u->stack[1], (size_t)k->depth * sizeof k->stack[0]);
	u->depth = 1;
	(void)audit_log(u->store, "lock", "staff", u->who.id, 0, idle ?
	    "{\"idle\":true}" : "{\"idle\":false}", NULL);
	snprintf(name, sizeof name, "%s", u->who.name);
	memset(&u->who, 0, sizeof u->who);
	u->revealed = 0;
	u->overdue = 0;
	u->help = 0;
	u->message[0] = '\0';
	if (u->stack[0]->ops->locked != NULL)
		u->stack[0]->ops->locked(u->stack[0], u, name, idle);
	clearok(curscr, TRUE);
}

int
ui_session_restore(struct ui *u)
{
	for (int i = 0; i < u->nkept; i++) {
		struct ui_session *k = &u->kept[i];
		struct view *top;

		if (k->who.id != u->who.id)
			continue;
		if (strcmp(k->who.role, u->who.role) != 0) {
			/*
			 * Screens opened under another role (it changed while
			 * they were kept) may hold what this one may not do.
			 */
			ui_session_free(k);
			ui_say(u, 1, "Your role changed: the work kept for you "
			    "was discarded.");
		} else
			for (int j = 0; j < k->depth; j++)
				ui_push(u, k->stack[j]);
		memmove(k, k + 1, (size_t)(u->nkept - i - 1) * sizeof *k);
		u->nkept--;
		memset(&u->kept[u->nkept], 0, sizeof u->kept[0]);
		if (u->depth < 2)
			return 0;
		top = u->stack[u->depth - 1];
		if (top->ops->resume != NULL)
			top->ops->resume(top, u);
		return 1;
	}
	return 0;
}

/* ---- the loop ---------------------------------------------------------- */

/*
 * Quitting throws away the work kept for staff who were locked out: ask
 * first (always, when the screen is too small to show what is open).
 * Returns 1 if the question is up.
 */
static int
ui_ask_quit(struct ui *u, int always)
{
	char names[160] = "";

	if (u->nkept == 0 && !always)
		return 0;
	for (int i = 0; i < u->nkept; i++)
		snprintf(names + strlen(names), sizeof names - strlen(names),
		    "%s%s", i ? ", " : "", u->kept[i].who.name);
	if (u->nkept > 0)
		ui_say(u, 1, "Quit Patron? The work kept for %s is lost.  "
		    "y: quit   n: stay", names);
	else
		ui_say(u, 1, "Quit Patron? What is open and not saved is "
		    "lost.  y: quit   n: stay");
	u->asking = 1;
	return 1;
}

/*
 * A minute of the idle lock, in ms. For tests only, PATRON_TEST_IDLE_MINUTE
 * makes it that many seconds (1 to 60), so a test of security.
 * idle_lock_minutes waits seconds, not minutes; the set-group-ID mode drops
 * the variable (priv_init).
 */
static int64_t
ui_idle_minute_ms(void)
{
	const char *v = getenv("PATRON_TEST_IDLE_MINUTE");
	char *end;
	long sec;

	if (v == NULL || *v == '\0')
		return 60000;
	sec = strtol(v, &end, 10);
	if (*end != '\0' || sec < 1 || sec > 60)
		return 60000;
	return (int64_t)sec * 1000;
}

int
ui_run(struct store *s, const struct config *cfg,
	struct view *(*first)(struct ui *u), struct perr *e)
{
	struct ui *u = xcalloc(1, sizeof *u);
	struct theme theme;
	struct perr te;
	WINDOW *body = NULL;
	int64_t minute_ms = ui_idle_minute_ms();
	int rc = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		free(u);
		return perr_set(e, PX_USAGE, "the screens need a terminal; "
			"see 'patron --help' for the commands");
	}
	if (actions_keymap(cfg->ui_keys, ui_keymap, e) < 0) {
		free(u);
		return -1;
	}
	u->store = s;
	u->cfg = cfg;
	/* A theme that is missing or broken must not keep the counter shut:
	 * the default's colours, and the reason on the first screen. */
	if (theme_load(cfg->ui_theme, &theme, &te) < 0) {
		theme_builtin(&theme, 0);
		if (te.file[0] != '\0' && te.line > 0)
			ui_say(u, 1, "%s:%d:%d: %s; the default theme is used.",
			    te.file, te.line, te.col, te.msg);
		else
			ui_say(u, 1, "%s%s%s; the default theme is used.",
			    te.file, te.file[0] ? ": " : "", te.msg);
	}
	u->index = search_new();
	/* The daily work runs at start; a failure is said, not fatal. */
	ui_daily(u);
	ui_locale();
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	if (initscr() == NULL) {
		search_free(u->index);
		free(u);
		return perr_set(e, PX_FAIL, "cannot start the screen");
	}
	ui_signals();
	xmalloc_on_fatal(ui_restore);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	timeout(1000);
	ui_colors(u, &theme);
	bkgd(' ' | ui_attr(u, E_NORMAL));
	ui_push(u, first(u));
	u->last_input = ui_monotonic_ms();
	while (u->depth > 0 && !ui_stop) {
		struct view *v;
		struct ui_key k;
		int got, r;

		ui_draw(u, &body);
		got = body ? wget_wch(body, &k.ch) : get_wch(&k.ch);
		if (ui_stop)
			break;
		/* Idle too long (keys after a long pause included): lock. */
		if (u->cfg->idle_lock_minutes > 0 && u->who.id != 0 &&
		    ui_monotonic_ms() - u->last_input >=
		    (int64_t)u->cfg->idle_lock_minutes * minute_ms) {
			ui_lock(u, 1);
			continue;
		}
		if (got != ERR)
			u->last_input = ui_monotonic_ms();
		if (got == ERR) {
			/* The clock ticks; signals are checked; a new day
			 * runs the daily work. */
			ui_daily(u);
			continue;
		}
		k.is_key = got == KEY_CODE_YES;
		if (k.is_key && k.ch == KEY_RESIZE) {
			clearok(curscr, TRUE);	/* repaint all of it */
			continue;
		}
		k.action = ui_map(k.ch, k.is_key);
		/* Raw mode: ^C and ^\ arrive as keys, and do what F10 does:
		 * a half-filled form asks before it is thrown away. */
		if (!k.is_key && (k.ch == CTRL('C') || k.ch == CTRL('\\')))
			k.action = ACT_QUIT;
		u->message[0] = '\0';
		u->message_error = 0;
		if (u->asking) {
			u->asking = 0;
			if (!k.is_key && (k.ch == 'y' || k.ch == 'Y'))
				break;
			ui_say(u, 0, "Not quit.");
			continue;
		}
		/* The lock key locks whatever is open, the help included. */
		if (k.action == ACT_LOCK && u->who.id != 0) {
			ui_lock(u, 0);
			continue;
		}
		if (u->help) {
			u->help = 0;
			continue;
		}
		if (k.action == ACT_REFRESH) {
			clearok(curscr, TRUE);
			continue;
		}
		v = u->stack[u->depth - 1];
		if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) {
			/* Nothing of the screens shows: ask whatever is open. */
			if (k.action == ACT_QUIT)
				ui_ask_quit(u, 1);
			continue;
		}
		r = v->ops->key(v, u, &k);
		if (r == UI_IGNORED && k.action == ACT_HELP) {
			u->help = 1;
			continue;
		}
		if (r == UI_IGNORED && k.action == ACT_QUIT)
			r = UI_QUIT;
		if ((r & UI_QUIT) && !ui_ask_quit(u, 0))
			break;
		if (r & UI_POP) {
			ui_remove(u, v);
			if (u->depth > 0) {
				struct view *top = u->stack[u->depth - 1];

				if (top->ops->resume != NULL)
					top->ops->resume(top, u);
			}
		}
	}
	while (u->depth > 0)
		ui_remove(u, u->stack[u->depth - 1]);
	for (int i = 0; i < u->nkept; i++)
		ui_session_free(&u->kept[i]);
	if (body != NULL)
		delwin(body);
	xmalloc_on_fatal(NULL);
	endwin();
	if (ui_stop == SIGHUP || ui_stop == SIGTERM)
		rc = 0;
	search_free(u->index);
	free(u);
	return rc;
}
