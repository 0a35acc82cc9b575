/*
 * test_theme: theme files (every shipped one loads; errors are located)
 * and the nearest colour on terminals with 8, 16 and 256 colours; the
 * elements patron.yaml(5) lists are THEME_ELEMS's.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/theme.h"

static void
load_ok(const char *path)
{
	struct theme t;
	struct perr e;
	char *buf = malloc(65536);
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, 65536, f);
	fclose(f);
	if (theme_load_buffer(path, buf, n, &t, &e) < 0)
		fail_msg("%s: %s", path, e.msg);
	free(buf);
}

static void
test_shipped(void **state)
{
	static const char *const names[] = { "default", "dark", "light",
		"high-contrast", "mono" };
	char path[512];

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/themes/%s.yaml",
			getenv("PATRON_TOP") ? getenv("PATRON_TOP") : ".",
			names[i]);
		load_ok(path);
	}
}

static void
bad(const char *text, int line, int col, const char *what)
{
	struct theme t;
	struct perr e;

	memset(&e, 0, sizeof e);
	assert_int_equal(theme_load_buffer("t.yaml", text, strlen(text), &t, &e),
		-1);
	assert_int_equal(e.code, PX_CONFIG);
	assert_int_equal(e.line, line);
	assert_int_equal(e.col, col);
	if (strstr(e.msg, what) == NULL)
		fail_msg("'%s' does not say '%s'", e.msg, what);
}

static void
test_errors(void **state)
{
	struct theme t;
	struct perr e;
	const char *ok = "title: { fg: \"#ff0000\", bg: 17, bold: true }\n";

	assert_int_equal(theme_load_buffer("t", ok, strlen(ok), &t, &e), 0);
	assert_int_equal(t.elem[1].fg.kind, TC_RGB);
	assert_int_equal(t.elem[1].fg.r, 255);
	assert_int_equal(t.elem[1].bg.index, 17);
	assert_true(t.elem[1].bold);
	bad("titel: { fg: red }\n", 1, 1, "unknown element 'titel'");
	bad("title: { fg: purple }\n", 1, 14, "expected a colour");
	bad("title:\n  fg: \"#12345\"\n", 2, 7, "#rrggbb");
	bad("title: { fg: 256 }\n", 1, 14, "expected a colour");
	bad("title: { blink: true }\n", 1, 10, "unknown key 'blink'");
	bad("title: { bold: yes }\n", 1, 16, "true or false");
	bad("title: red\n", 1, 8, "expected a mapping");
	bad("- title\n", 1, 1, "expected a mapping of elements");
	bad("title: { fg: [\n", 2, 1, "");
}

static void
test_nearest(void **state)
{
	struct theme_color c = { TC_RGB, 0, 255, 0, 0 };

	/* Pure red is bright red (9) in xterm's palette, also of 256. */
	assert_int_equal(theme_nearest(&c, 256), 9);
	assert_int_equal(theme_nearest(&c, 16), 9);
	assert_int_equal(theme_nearest(&c, 8), 1);
	c.r = c.g = c.b = 0xff;
	assert_int_equal(theme_nearest(&c, 8), 7);
	c.kind = TC_INDEX;
	c.index = 196;
	assert_int_equal(theme_nearest(&c, 256), 196);
	assert_int_equal(theme_nearest(&c, 8), 1);
	c.index = 4;
	assert_int_equal(theme_nearest(&c, 8), 4);
	c.kind = TC_DEFAULT;
	assert_int_equal(theme_nearest(&c, 256), -1);
}

/*
 * patron.yaml(5) lists the elements of THEME_ELEMS, all and only them, in
 * order: the words of the .Cm lines after "The elements are".
 */
static void
test_man_elements(void **state)
{
	char line[512], words[4096] = " ";
	FILE *f;
	int in = 0;

	f = unit_top_open("man/patron.yaml.5");
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "The elements are") == 0) {
			in = 1;
			continue;
		}
		if (!in)
			continue;
		if (strcmp(line, "and") == 0)
			continue;
		if (strncmp(line, ".Cm ", 4) != 0)
			break;
		for (char *w = strtok(line + 4, " "); w != NULL;
		     w = strtok(NULL, " "))
			if (strcmp(w, ",") != 0 && strcmp(w, ";") != 0)
				snprintf(words + strlen(words),
				    sizeof words - strlen(words), "%s ", w);
	}
	fclose(f);
	{
		char want[4096] = " ";

		for (int i = 0; i < THEME_NELEMS; i++)
			snprintf(want + strlen(want), sizeof want - strlen(want),
			    "%s ", theme_elem_names[i]);
		if (strcmp(words, want) != 0)
			fail_msg("patron.yaml(5) lists the elements%s; "
			    "THEME_ELEMS has%s", words, want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nearest),
		cmocka_unit_test(test_man_elements),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
