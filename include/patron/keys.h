/*
 * keys: keys as the configuration writes them (ui.keys): "/", "F3",
 * "C-s", "Enter", "j, Down". Parsed, named and compared here, without
 * curses, so the config loader can check them and the action table
 * (actions.h) can give its built-in keys; the screen manager maps named
 * keys to curses codes.
 */
#ifndef PATRON_KEYS_H
#define PATRON_KEYS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Keys a terminal sends as a character (Enter, Esc, Tab, Ctrl-S) are
 * KN_CHAR with that character, so two keys are the same key exactly when
 * their named and ch are equal.
 */
enum keys_named {
	KN_CHAR,	/* a character: ch */
	KN_F1, KN_F2, KN_F3, KN_F4, KN_F5, KN_F6, KN_F7, KN_F8, KN_F9, KN_F10,
	KN_F11, KN_F12,
	KN_BTAB, KN_UP, KN_DOWN, KN_LEFT, KN_RIGHT, KN_PGUP, KN_PGDN, KN_HOME,
	KN_END, KN_BACKSPACE, KN_DELETE,
	KN_KPENTER,	/* the keypad's Enter: a built-in key, no ui.keys name */
};

struct keys_key {
	int named;		/* enum keys_named */
	uint32_t ch;		/* KN_CHAR: the character (C-x: a control) */
};

#define KEYS_MAX 3		/* keys per action; a zero key ends fewer */

/* Keys for tables: KEYS_CH('q'), KEYS_CTRL('S'), KEYS_F(3), KEYS_N(UP). */
#define KEYS_CH(c) { KN_CHAR, (c) }
#define KEYS_CTRL(c) { KN_CHAR, (c) & 0x1f }
#define KEYS_F(n) { KN_F1 + (n) - 1, 0 }
#define KEYS_N(name) { KN_##name, 0 }
#define KEYS_ENTER KEYS_CH('\r')
#define KEYS_ESC KEYS_CH(27)
#define KEYS_TAB KEYS_CH('\t')

/*
 * Parse a list of keys separated by commas or spaces ("comma" and "space"
 * name those two). Returns how many (1 to max), or -1 with *why set.
 */
int keys_parse(const char *spec, struct keys_key *out, int max,
	const char **why);

/* Whether k is the zero key that ends a list of fewer than KEYS_MAX. */
int keys_end(const struct keys_key *k);

/* Whether a and b are the same key. */
int keys_same(const struct keys_key *a, const struct keys_key *b);

/* k's name as the help shows it: "F1", "Enter", "^P", "PgDn", "q". */
void keys_name(const struct keys_key *k, char *buf, size_t len);

/*
 * Up to max keys (a zero key ends fewer) as the help lists them: names
 * separated by spaces, each once ("Enter" is three keys).
 */
void keys_describe(const struct keys_key *keys, int max, char *buf,
	size_t len);

#endif
