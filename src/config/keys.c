/*
 * keys: parsing, naming and comparing key specifications for ui.keys and
 * the action table.
 */
#include "patron/keys.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "patron/utf8.h"

static const struct {
	const char *name;
	int named;
	uint32_t ch;
} keys_names[] = {
	{ "enter", KN_CHAR, '\r' }, { "return", KN_CHAR, '\r' },
	{ "esc", KN_CHAR, 27 }, { "escape", KN_CHAR, 27 },
	{ "tab", KN_CHAR, '\t' },
	{ "s-tab", KN_BTAB, 0 }, { "backtab", KN_BTAB, 0 },
	{ "up", KN_UP, 0 }, { "down", KN_DOWN, 0 }, { "left", KN_LEFT, 0 },
	{ "right", KN_RIGHT, 0 }, { "pgup", KN_PGUP, 0 },
	{ "pageup", KN_PGUP, 0 }, { "pgdn", KN_PGDN, 0 },
	{ "pagedown", KN_PGDN, 0 }, { "home", KN_HOME, 0 },
	{ "end", KN_END, 0 }, { "backspace", KN_BACKSPACE, 0 },
	{ "delete", KN_DELETE, 0 }, { "del", KN_DELETE, 0 },
	{ "space", KN_CHAR, ' ' }, { "comma", KN_CHAR, ',' },
};

static int
keys_one(const char *t, size_t n, struct keys_key *k)
{
	uint32_t cp;
	char name[16];

	if (n == 0 || n >= sizeof name)
		return -1;
	memcpy(name, t, n);
	name[n] = '\0';
	for (size_t i = 0; i < sizeof keys_names / sizeof keys_names[0]; i++)
		if (strcasecmp(name, keys_names[i].name) == 0) {
			k->named = keys_names[i].named;
			k->ch = keys_names[i].ch;
			return 0;
		}
	if ((name[0] == 'F' || name[0] == 'f') && n >= 2 && n <= 3 &&
	    strspn(name + 1, "0123456789") == n - 1) {
		int f = (name[1] - '0') * (n == 3 ? 10 : 1) +
		    (n == 3 ? name[2] - '0' : 0);

		if (f < 1 || f > 12)
			return -1;
		k->named = KN_F1 + f - 1;
		k->ch = 0;
		return 0;
	}
	/* C-x or ^x: a control character. */
	if (n == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-' &&
	    ((name[2] >= 'a' && name[2] <= 'z') ||
		(name[2] >= 'A' && name[2] <= 'Z'))) {
		k->named = KN_CHAR;
		k->ch = (uint32_t)(name[2] & 0x1f);
		return 0;
	}
	if (n == 2 && name[0] == '^' && ((name[1] >= 'a' && name[1] <= 'z') ||
		(name[1] >= 'A' && name[1] <= 'Z'))) {
		k->named = KN_CHAR;
		k->ch = (uint32_t)(name[1] & 0x1f);
		return 0;
	}
	/* One printable character. */
	if (utf8_decode(name, n, &cp) == n && !utf8_is_control(cp)) {
		k->named = KN_CHAR;
		k->ch = cp;
		return 0;
	}
	return -1;
}

int
keys_parse(const char *spec, struct keys_key *out, int max,
	const char **why)
{
	int count = 0;

	*why = NULL;
	while (*spec != '\0') {
		size_t n;

		while (*spec == ' ' || *spec == ',')
			spec++;
		if (*spec == '\0')
			break;
		n = strcspn(spec, " ,");
		if (count == max) {
			*why = "at most 3 keys per action";
			return -1;
		}
		if (keys_one(spec, n, &out[count]) < 0) {
			*why = "keys like /, n, F3, C-s, Enter, Esc, Tab, S-Tab, "
			       "Up, PgDn, Home, space or comma, separated by "
			       "commas";
			return -1;
		}
		count++;
		spec += n;
	}
	if (count == 0) {
		*why = "at least one key";
		return -1;
	}
	return count;
}

int
keys_end(const struct keys_key *k)
{
	return k->named == KN_CHAR && k->ch == 0;
}

int
keys_same(const struct keys_key *a, const struct keys_key *b)
{
	return a->named == b->named && a->ch == b->ch;
}

void
keys_name(const struct keys_key *k, char *buf, size_t len)
{
	static const char *const named[] = {
		[KN_BTAB] = "S-Tab", [KN_UP] = "Up", [KN_DOWN] = "Down",
		[KN_LEFT] = "Left", [KN_RIGHT] = "Right", [KN_PGUP] = "PgUp",
		[KN_PGDN] = "PgDn", [KN_HOME] = "Home", [KN_END] = "End",
		[KN_BACKSPACE] = "BS", [KN_DELETE] = "Del",
		[KN_KPENTER] = "Enter",
	};
	char utf8[5];

	if (k->named >= KN_F1 && k->named <= KN_F12)
		snprintf(buf, len, "F%d", k->named - KN_F1 + 1);
	else if (k->named != KN_CHAR)
		snprintf(buf, len, "%s", named[k->named]);
	else if (k->ch == 27)
		snprintf(buf, len, "Esc");
	else if (k->ch == '\r' || k->ch == '\n')
		snprintf(buf, len, "Enter");
	else if (k->ch == '\t')
		snprintf(buf, len, "Tab");
	else if (k->ch < 0x20)
		snprintf(buf, len, "^%c", (char)(k->ch + '@'));
	else {
		utf8[utf8_encode(k->ch, utf8)] = '\0';
		snprintf(buf, len, "%s", utf8);
	}
}

void
keys_describe(const struct keys_key *keys, int max, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < max && !keys_end(&keys[i]); i++) {
		char one[16], padded[20], have[80];

		keys_name(&keys[i], one, sizeof one);
		snprintf(padded, sizeof padded, " %s ", one);
		snprintf(have, sizeof have, " %s ", buf);
		if (strstr(have, padded) != NULL)
			continue;
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    buf[0] ? " " : "", one);
	}
}
