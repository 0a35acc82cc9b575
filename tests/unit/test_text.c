/*
 * test_text: UTF-8 checks, search folding, phone numbers and the single
 * value checks of customer fields.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "patron/customer.h"
#include "patron/phone.h"
#include "patron/text.h"

static void
fold_is(const char *in, const char *want)
{
	char *got = text_fold(in);

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
test_utf8(void **state)
{
	uint32_t cp;

	assert_true(text_valid_utf8("王芳", strlen("王芳")));
	assert_false(text_valid_utf8("\xc0\x80", 2));	/* overlong */
	assert_false(text_valid_utf8("\xed\xa0\x80", 3)); /* surrogate */
	assert_false(text_valid_utf8("\xe7\x8e", 2));	/* truncated */
	assert_false(text_valid_utf8("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_int_equal(text_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(text_length("王芳 a"), 4);
}

static void
test_check(void **state)
{
	char *big = malloc(1 << 20);

	assert_null(text_check("Anna", 10, 0));
	assert_string_equal(text_check("a\x1b]0;x\a", 100, 0),
		"contains a control character");
	assert_string_equal(text_check("a\xc2\x9b" "31m", 100, 0),
		"contains a control character");	/* C1 CSI */
	assert_string_equal(text_check("abc\xe2\x80\xae" "def", 100, 0),
		"contains a control character");	/* RLO */
	assert_string_equal(text_check("x\xff", 100, 0), "is not valid UTF-8");
	assert_null(text_check("line 1\nline 2", 100, 1));
	assert_non_null(text_check("line 1\nline 2", 100, 0));
	memset(big, 'a', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	assert_string_equal(text_check(big, 100, 0), "is too long");
	free(big);
}

static void
phone_is(const char *in, const char *country, const char *want)
{
	char out[PHONE_MAX + 1];
	const char *why = phone_normalize(in, country, out);

	if (want == NULL) {
		assert_non_null(why);
		return;
	}
	assert_null(why);
	assert_string_equal(out, want);
}

static void
test_phone(void **state)
{
	char buf[64];

	phone_is("138 0013 8000", "CN", "+8613800138000");
	phone_is("+86 138-0013-8000", "GB", "+8613800138000");
	phone_is("0086 13800138000", "US", "+8613800138000");
	phone_is("020 7946 0958", "GB", "+442079460958");
	phone_is("(415) 555-0100", "US", "+14155550100");
	phone_is("1 415 555 0100", "US", "+14155550100");
	phone_is("06 1234 5678", "IT", "+390612345678");	/* Italy keeps 0 */
	phone_is("call me", "CN", NULL);
	phone_is("12", "CN", NULL);
	phone_is("+0 1234567", "CN", NULL);
	phone_is("+1234567890123456", "CN", NULL);
	phone_is("1234567", "XX", NULL);
	phone_format("+8613800138000", buf, sizeof buf);
	assert_string_equal(buf, "+86 138 0013 8000");
	phone_format("+14155550100", buf, sizeof buf);
	assert_string_equal(buf, "+1 415 555 0100");
	phone_format("+442079460958", buf, sizeof buf);
	assert_string_equal(buf, "+44 207 946 0958");
	phone_mask("+8613800138000", buf, sizeof buf);
	assert_string_equal(buf, "\u2022\u2022\u2022 \u2022\u2022\u2022 8000");
}

static void
test_fields(void **state)
{
	char card[64];

	assert_null(customer_check_email("anna@example.com"));
	assert_non_null(customer_check_email("anna"));
	assert_non_null(customer_check_email("a@b@c.com"));
	assert_non_null(customer_check_email("anna@example"));
	assert_non_null(customer_check_email("anna@.com"));
	assert_non_null(customer_check_email("an na@example.com"));
	assert_null(customer_check_birthday("2000-02-29"));
	assert_non_null(customer_check_birthday("1900-02-29"));
	assert_non_null(customer_check_birthday("2023-02-29"));
	assert_non_null(customer_check_birthday("2001-13-01"));
	assert_non_null(customer_check_birthday("1850-01-01"));
	assert_non_null(customer_check_birthday("2999-01-01"));
	assert_non_null(customer_check_birthday("21-04-1990"));
	assert_null(customer_check_card(" ab-12 34 ", card, sizeof card));
	assert_string_equal(card, "AB-1234");
	assert_non_null(customer_check_card("ab/12", card, sizeof card));
	assert_non_null(customer_check_card("", card, sizeof card));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
