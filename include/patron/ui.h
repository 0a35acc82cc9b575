/*
 * ui: the screen manager. One event loop owns the terminal; views (lookup,
 * customer, forms, login) are structs of function pointers on a stack; one
 * action table gives the keys, the help overlay and the key bar; one
 * theme table gives the colours of semantic elements.
 */
#ifndef PATRON_UI_H
#define PATRON_UI_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include <curses.h>

#include "patron/actions.h"
#include "patron/config.h"
#include "patron/search.h"
#include "patron/staff.h"
#include "patron/store.h"
#include "patron/theme.h"
#include "patron/util.h"

/* Semantic elements of the screen, coloured by the theme (theme.h). */
#define UI_ELEM(id, ...) E_##id,
enum ui_elem { THEME_ELEMS(UI_ELEM) E_NELEMS };
#undef UI_ELEM

/* One key press: a character (is_key 0) or a curses KEY_* code. */
struct ui_key {
	wint_t ch;
	int is_key;
	enum action action;	/* what the key map says, ACT_NONE if nothing */
};

/* What a view's key handler returns. */
enum {
	UI_IGNORED = 0,
	UI_HANDLED = 1,
	UI_POP = 2,		/* close this view */
	UI_QUIT = 4,		/* leave Patron */
};

struct ui;
struct view;

struct view_ops {
	const char *name;
	/* Draw into the body window (everything but title and key bar). */
	void (*draw)(struct view *v, struct ui *u, WINDOW *w);
	int (*key)(struct view *v, struct ui *u, const struct ui_key *k);
	/* Called when the view comes back on top (after a child closes). */
	void (*resume)(struct view *v, struct ui *u);
	void (*free)(struct view *v);
	/* The actions shown in the key bar, ACT_NONE-terminated, and their
	 * labels where this view says it better (NULL: the action's). */
	const enum action *bar;
	const char *const *bar_labels;
	/*
	 * Whether action a of bar is shown now (what this role may do in
	 * this state), and its label if it differs (*label; NULL op: all
	 * shown). The bar adds F10 where it has no way to quit.
	 */
	int (*bar_item)(struct view *v, struct ui *u, enum action a,
		const char **label);
	/*
	 * The bottom view (the login) after a lock: the screens of staff
	 * member name are kept; idle if no key came for too long.
	 */
	void (*locked)(struct view *v, struct ui *u, const char *name,
		int idle);
};

struct view {
	const struct view_ops *ops;
	void *data;
	/* Where the cursor belongs after drawing (-1: hidden). */
	int cur_y, cur_x;
};

/*
 * The screens of a staff member who was locked out (idle, or the lock
 * key) while someone else logs in: kept as they were, unsaved forms and
 * all, until they log in again.
 */
#define UI_SESSIONS 8
struct ui_session {
	struct staff who;
	struct view *stack[16];
	int depth;
};

/* Shared state of a session. */
struct ui {
	struct store *store;
	const struct config *cfg;
	struct staff who;	/* id 0 until someone logs in */
	struct search *index;
	struct view *stack[16];
	int depth;
	char message[256];	/* shown in the status line until next key */
	int message_error;
	int help;		/* the help overlay is up */
	int colors;
	attr_t attrs[E_NELEMS];
	long overdue;		/* ui_overdue's cache */
	int64_t overdue_at;
	char today[16];		/* the local day the rules last ran on */
	int64_t revealed;	/* customer whose masked data is shown */
	int64_t last_input;	/* monotonic ms of the last key */
	struct ui_session kept[UI_SESSIONS];	/* oldest first */
	int nkept;
	int asking;		/* "Quit Patron?" is up: y quits */
};

/*
 * Run the TUI on the open store until the user quits, first (the login)
 * at the bottom of the stack. Returns an exit code (0, or PX_* with e set).
 */
int ui_run(struct store *s, const struct config *cfg,
	struct view *(*first)(struct ui *u), struct perr *e);

/* For views. */
void ui_push(struct ui *u, struct view *v);
void ui_say(struct ui *u, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
attr_t ui_attr(const struct ui *u, enum ui_elem e);
/* Element e over base (a selected row, say): base's colours stay, e adds
 * its attributes; e's colours where base has none. */
attr_t ui_attr_over(const struct ui *u, attr_t base, enum ui_elem e);
/* Set w's attributes and colours to a (from ui_attr, or A_NORMAL). */
void ui_attrset(WINDOW *w, attr_t a);
/* Whether this staff member sees phone numbers and emails masked. */
int ui_masked(const struct ui *u);
/* Whether this staff member has perm (PERM_*); if not, says so. */
int ui_may(struct ui *u, int perm);

/*
 * Draw UTF-8 text at y, x in at most width columns: control characters,
 * escape sequences and bidirectional controls are shown as a visible
 * placeholder, never sent to the terminal. Text that does not fit is cut
 * and ends in "\u2026" ("..." where the locale is not UTF-8), unless
 * flags has UI_CLIP (an input field scrolling under its cursor); UI_PAD
 * pads with spaces to width. Returns the columns used.
 */
#define UI_PAD 1
#define UI_CLIP 2
int ui_text(WINDOW *w, int y, int x, const char *s, int width, int flags);
/*
 * Word-wrap UTF-8 text into at most maxlines lines of width columns:
 * where each line starts and its length in bytes; returns the lines (text
 * that does not fit the last is cut there). ui_wrap draws them at y, x.
 */
int ui_wrap_lines(const char *s, int width, int maxlines, const char **starts,
	int *lens);
int ui_wrap(WINDOW *w, int y, int x, const char *s, int width, int maxlines);
/* An amount of minor units in the store currency's decimals, thousands
 * separated ("12,500.50"). */
void ui_money(const struct ui *u, int64_t v, char *buf, size_t len);
/* Whether the locale is UTF-8 (else drawings fall back to ASCII). */
int ui_utf8(void);
/* A horizontal line of width columns. */
void ui_rule(WINDOW *w, int y, int x, int width);
/* Display columns of UTF-8 text as ui_text would draw it. */
int ui_text_width(const char *s);

/*
 * After a login: give the staff member back the screens kept for them at
 * a lock. Returns 1 if there were any (now on the stack), else 0.
 */
int ui_session_restore(struct ui *u);
/* How many of the logged-in staff member's tasks are overdue (cached). */
long ui_overdue(struct ui *u, int refresh);

#endif
