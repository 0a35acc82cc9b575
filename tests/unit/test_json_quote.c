/*
 * test_json_quote: JSON strings keep every character, escaping what could
 * drive a terminal.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "patron/json_quote.h"

static char *
quoted(const char *s)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	json_quote(f, s);
	fclose(f);
	return buf;
}

static void
is(const char *in, const char *want)
{
	char *got = quoted(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_json_quote(void **state)
{
	is("a\x1b\xc2\x9b\xe2\x80\xae\xe2\x81\xa6z\u241b",
	    "\"a\\u001b\\u009b\\u202e\\u2066z\u241b\"");
	is("say \"hi\"\\\n\t\r", "\"say \\\"hi\\\"\\\\\\n\\t\\r\"");
	is("bad\xff", "\"bad\\ufffd\"");
	is("王芳", "\"王芳\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
