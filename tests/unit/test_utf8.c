/*
 * test_utf8: decoding, and the checks of what people type and import.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "patron/utf8.h"

static void
test_utf8(void **state)
{
	uint32_t cp;
	char b[4];

	assert_true(utf8_valid("王芳", strlen("王芳")));
	assert_false(utf8_valid("\xc0\x80", 2));	/* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
	assert_false(utf8_valid("\xe7\x8e", 2));	/* truncated */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(utf8_length("王芳 a"), 4);
	assert_int_equal(utf8_encode(0x1f600, b), 4);
	assert_memory_equal(b, "\xf0\x9f\x98\x80", 4);
	assert_int_equal(utf8_encode(0x738b, b), 3);
	assert_memory_equal(b, "王", 3);
}

/* What a stream may keep back, waiting for the rest of a character. */
static void
test_partial(void **state)
{
	assert_true(utf8_partial("\xe7", 1));
	assert_true(utf8_partial("\xe7\x8e", 2));
	assert_true(utf8_partial("\xf0\x9f\x98", 3));
	assert_false(utf8_partial("\xe7\x8e\x8b", 3));	/* whole */
	assert_false(utf8_partial("a", 1));
	assert_false(utf8_partial("\xff", 1));
	assert_false(utf8_partial("\xc0", 1));		/* overlong lead */
	assert_false(utf8_partial("\xe0\x80", 2));	/* overlong */
	assert_false(utf8_partial("\xed\xa0", 2));	/* surrogate */
	assert_false(utf8_partial("\xf4\x90", 2));	/* > U+10FFFF */
	assert_false(utf8_partial("\xe7\x41", 2));	/* not a continuation */
	assert_false(utf8_partial("", 0));
}

static void
test_check(void **state)
{
	char *big = malloc(1 << 20);

	assert_null(utf8_check("Anna", 10, 0));
	assert_string_equal(utf8_check("a\x1b]0;x\a", 100, 0),
		"contains a control character");
	assert_string_equal(utf8_check("a\xc2\x9b" "31m", 100, 0),
		"contains a control character");	/* C1 CSI */
	assert_string_equal(utf8_check("abc\xe2\x80\xae" "def", 100, 0),
		"contains a control character");	/* RLO */
	assert_string_equal(utf8_check("x\xff", 100, 0), "is not valid UTF-8");
	assert_null(utf8_check("line 1\nline 2", 100, 1));
	assert_non_null(utf8_check("line 1\nline 2", 100, 0));
	memset(big, 'a', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	assert_string_equal(utf8_check(big, 100, 0), "is too long");
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_partial),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
