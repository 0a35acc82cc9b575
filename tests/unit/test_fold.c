/*
 * test_fold: the search forms of names and phone numbers.
 */
#include "unit.h"

#include <stdlib.h>

#include "patron/fold.h"

static void
fold_is(const char *in, const char *want)
{
	char *got = fold_text(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_fold(void **state)
{
	fold_is("José Martínez", "jose martinez");
	fold_is("  STRAßE  ", "strasse");
	fold_is("Ødegård-Æsir", "odegard aesir");
	fold_is("O'Brien", "obrien");
	fold_is("王芳", "王芳");
	fold_is("Ирина Петрова", "ирина петрова");
	fold_is("Nguyễn Thị", "nguyen thi");
	fold_is("a\x1b[2Jb", "a 2jb");
	fold_is("bad\xff\xfe" "bytes", "badbytes");
	fold_is("", "");
}

static void
test_digits(void **state)
{
	char *got = fold_digits("+86 (138) 0013-8000");

	assert_string_equal(got, "8613800138000");
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
