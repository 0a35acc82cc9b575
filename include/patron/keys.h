/*
 * keys: key specifications as written in the configuration (ui.keys):
 * "/", "F3", "C-s", "Enter", "j, Down". Parsed here, without curses, so
 * the config loader can check them; the screen manager maps named keys to
 * curses codes.
 */
#ifndef PATRON_KEYS_H
#define PATRON_KEYS_H

#include <stdint.h>

enum keys_named {
	KN_CHAR,	/* a character: ch */
	KN_F1, KN_F2, KN_F3, KN_F4, KN_F5, KN_F6, KN_F7, KN_F8, KN_F9, KN_F10,
	KN_F11, KN_F12,
	KN_ENTER, KN_ESC, KN_TAB, KN_BTAB, KN_UP, KN_DOWN, KN_LEFT, KN_RIGHT,
	KN_PGUP, KN_PGDN, KN_HOME, KN_END, KN_BACKSPACE, KN_DELETE,
};

struct keys_key {
	int named;		/* enum keys_named */
	uint32_t ch;		/* KN_CHAR: the character (C-x: a control) */
};

#define KEYS_MAX 3		/* keys per action */

/*
 * Parse a list of keys separated by commas or spaces ("comma" and "space"
 * name those two). Returns how many (1 to max), or -1 with *why set.
 */
int keys_parse(const char *spec, struct keys_key *out, int max,
	const char **why);

#endif
