/*
 * test_actions: the action list (actions.h) and what is made of it: the
 * key table of patron(1) lists every action, with its built-in keys and
 * help line, in the list's order and nothing else; patron.yaml(5) names
 * each under ui.keys; ui.keys replaces an action's keys, and a key given
 * to two actions is refused, naming both.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/actions.h"
#include "patron/config.h"

/* The rows of patron(1)'s key table (".It Cm NAME Ta KEYS Ta HELP" from
 * ".Ss Keys" to its ".El"), roff's "\&" taken out. */
static int
man_rows(char rows[][160], int max)
{
	char line[512];
	FILE *f;
	int n = 0, in = 0;

	f = unit_top_open("man/patron.1");
	while (fgets(line, sizeof line, f) != NULL) {
		char *p;

		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, ".Ss Keys") == 0)
			in = 1;
		else if (in && strcmp(line, ".El") == 0)
			break;
		if (!in || strncmp(line, ".It Cm ", 7) != 0)
			continue;
		while ((p = strstr(line, "\\&")) != NULL)
			memmove(p, p + 2, strlen(p + 2) + 1);
		assert_true(n < max);
		snprintf(rows[n++], sizeof rows[0], "%s", line + 7);
	}
	fclose(f);
	return n;
}

static void
test_man_table(void **state)
{
	char rows[2 * ACT_NACTIONS][160];
	int n = man_rows(rows, 2 * ACT_NACTIONS);

	for (int a = 1; a < ACT_NACTIONS; a++) {
		char keys[64], want[160];

		keys_describe(actions[a].keys, KEYS_MAX, keys, sizeof keys);
		snprintf(want, sizeof want, "%s Ta %s Ta %s", actions[a].name,
		    keys, actions[a].help);
		if (a > n)
			fail_msg("patron(1) Keys lacks the action '%s' (%s)",
			    actions[a].name, want);
		if (strcmp(rows[a - 1], want) != 0)
			fail_msg("patron(1) Keys row %d is '%s'; the action "
			    "list says '%s'", a, rows[a - 1], want);
	}
	if (n != ACT_NACTIONS - 1)
		fail_msg("patron(1) Keys has %d rows; the action list has %d "
		    "actions ('%s' is not one)", n, ACT_NACTIONS - 1,
		    rows[ACT_NACTIONS - 1]);
}

/* patron.yaml(5) names every action under ui.keys (a .Cm word between
 * ".It Ic keys" and the list's ".El"). */
static void
test_man_yaml(void **state)
{
	char line[512], words[8192] = " ";
	FILE *f;
	int in = 0;

	f = unit_top_open("man/patron.yaml.5");
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, ".Ss The ui section") == 0)
			in = 1;
		else if (in == 1 && strcmp(line, ".It Ic keys") == 0)
			in = 2;
		else if (in == 2 && strcmp(line, ".El") == 0)
			break;
		if (in != 2 || strncmp(line, ".Cm ", 4) != 0)
			continue;
		for (char *w = strtok(line + 4, " "); w != NULL;
		     w = strtok(NULL, " "))
			snprintf(words + strlen(words),
			    sizeof words - strlen(words), "%s ", w);
	}
	fclose(f);
	for (int a = 1; a < ACT_NACTIONS; a++) {
		char name[64];

		snprintf(name, sizeof name, " %s ", actions[a].name);
		if (strstr(words, name) == NULL)
			fail_msg("patron.yaml(5) ui.keys does not name the "
			    "action '%s'", actions[a].name);
	}
}

static void
test_keymap(void **state)
{
	static struct keys_key map[ACT_NACTIONS][KEYS_MAX];
	struct config c;
	struct perr e;
	char keys[64];

	config_defaults(&c);
	assert_int_equal(actions_keymap(c.ui_keys, map, &e), 0);
	keys_describe(map[ACT_OPEN], KEYS_MAX, keys, sizeof keys);
	assert_string_equal(keys, "Enter");	/* three keys, one name */
	snprintf(c.ui_keys[ACT_NEW], sizeof c.ui_keys[ACT_NEW], "F11, +");
	assert_int_equal(actions_keymap(c.ui_keys, map, &e), 0);
	keys_describe(map[ACT_NEW], KEYS_MAX, keys, sizeof keys);
	assert_string_equal(keys, "F11 +");
	/* C-j is the line feed open takes as Enter. */
	snprintf(c.ui_keys[ACT_SEARCH], sizeof c.ui_keys[ACT_SEARCH], "C-j");
	assert_int_equal(actions_keymap(c.ui_keys, map, &e), -1);
	assert_int_equal(e.code, PX_CONFIG);
	assert_string_equal(e.msg, "ui.keys: one key does both 'search' and "
	    "'open'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_man_table),
		cmocka_unit_test(test_man_yaml),
		cmocka_unit_test(test_keymap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
