/*
 * actions: every action of the screens, in one list. The list makes the
 * action enum, the table below (name, built-in keys, key-bar label, help
 * line), the ui.keys.* options of patron.yaml(5) and so the help overlay;
 * tests/unit/test_actions.c holds the key table of patron(1) to it.
 * Adding an action is one line here and its handler in a view.
 */
#ifndef PATRON_ACTIONS_H
#define PATRON_ACTIONS_H

#include "patron/keys.h"
#include "patron/util.h"


/*
 * X(ID, name, label, help, keys...): ACT_ID; its name in ui.keys; the key
 * bar's label; the help overlay's line; up to KEYS_MAX built-in keys, the
 * key bar showing the first F-key, else the first.
 */
#define ACTIONS(X) \
	X(HELP, help, "Help", "Show this help", KEYS_F(1), KEYS_CH('?')) \
	X(BACK, back, "Back", "Back; to the search field", KEYS_ESC, \
	    KEYS_CH('q')) \
	X(QUIT, quit, "Quit", "Leave Patron", KEYS_F(10)) \
	X(SEARCH, search, "Search", "Go to the search field", KEYS_CH('/'), \
	    KEYS_F(3)) \
	X(OPEN, open, "Open", "Open the selected row", KEYS_ENTER, \
	    KEYS_CH('\n'), KEYS_N(KPENTER)) \
	X(UP, up, "Up", "Move up", KEYS_N(UP), KEYS_CH('k'), KEYS_CTRL('P')) \
	X(DOWN, down, "Down", "Move down", KEYS_N(DOWN), KEYS_CH('j'), \
	    KEYS_CTRL('N')) \
	X(PAGE_UP, page_up, "PgUp", "Page up", KEYS_N(PGUP)) \
	X(PAGE_DOWN, page_down, "PgDn", "Page down", KEYS_N(PGDN)) \
	X(TOP, top, "Top", "First line", KEYS_CH('g'), KEYS_N(HOME)) \
	X(BOTTOM, bottom, "Bottom", "Last line", KEYS_CH('G'), KEYS_N(END)) \
	X(NEW, new, "New", "New customer; a note", KEYS_F(5), KEYS_CH('n')) \
	X(EDIT, edit, "Edit", "Edit this customer", KEYS_F(4), KEYS_CH('e')) \
	X(NEXT_FIELD, next_field, "Next", "Next field", KEYS_TAB) \
	X(PREV_FIELD, prev_field, "Prev", "Previous field", KEYS_N(BTAB)) \
	X(SAVE, save, "Save", "Save the form", KEYS_F(2), KEYS_CTRL('S')) \
	X(REFRESH, refresh, "Redraw", "Redraw the screen", KEYS_CTRL('L')) \
	X(PURCHASE, purchase, "Purchase", "Record a purchase", KEYS_CH('p'), \
	    KEYS_F(7)) \
	X(REDEEM, redeem, "Redeem", "Redeem points", KEYS_CH('r'), KEYS_F(8)) \
	X(ADJUST, adjust, "Adjust", "Adjust points; assign task", \
	    KEYS_CH('a')) \
	X(FILTER, filter, "Filter", "Filter the list", KEYS_CH('f')) \
	X(TASKS, tasks, "Tasks", "Tasks; a new task", KEYS_F(9), KEYS_CH('t')) \
	X(DONE, done, "Done", "Done; reopen a done task", KEYS_CH('x')) \
	X(SNOOZE, snooze, "Snooze", "Snooze the task", KEYS_CH('s')) \
	X(REVEAL, reveal, "Reveal", "Unmask phone and email", KEYS_CH('v')) \
	X(LOCK, lock, "Lock", "Lock; your work is kept", KEYS_CTRL('X')) \
	X(RETURN, return, "Return", "Return a sale", KEYS_F(6), \
	    KEYS_CTRL('R')) \
	X(VOID, void, "Void", "Void a sale (managers)", KEYS_CH('d'), \
	    KEYS_N(DELETE)) \
	X(UNDO, undo, "Undo", "Undo the task just done", KEYS_CH('u'))

#define ACTIONS_ENUM(id, ...) ACT_##id,
enum action { ACT_NONE, ACTIONS(ACTIONS_ENUM) ACT_NACTIONS };
#undef ACTIONS_ENUM

/* The longest ui.keys value, as bytes with its NUL (config's ui_keys). */
#define ACTIONS_SPEC_MAX 48

struct action_def {
	const char *name;	/* as in ui.keys */
	struct keys_key keys[KEYS_MAX];	/* built in; a zero key ends */
	const char *label;	/* short, for the key bar */
	const char *help;	/* one line, for the help overlay */
};

/* By enum action; ACT_NONE's name is "none", its keys none. */
extern const struct action_def actions[ACT_NACTIONS];

/*
 * The keys in force: each action's built-in keys, or ui.keys' where the
 * configuration gives them. A key given to two actions is PX_CONFIG
 * ("ui.keys: one key does both 'down' and 'new'").
 */
int actions_keymap(const char spec[ACT_NACTIONS][ACTIONS_SPEC_MAX],
	struct keys_key map[ACT_NACTIONS][KEYS_MAX], struct perr *e);

#endif
