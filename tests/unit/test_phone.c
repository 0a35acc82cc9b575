/*
 * test_phone: phone numbers as people type them, by country, and as
 * they are shown and masked.
 */
#include "unit.h"

#include "patron/phone.h"

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
	(void)state;
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
	/* Full-width digits and spaces from a Chinese input method. */
	phone_is("\uff11\uff13\uff18\u3000\uff10\uff10\uff11\uff13 "
	    "\uff18\uff10\uff10\uff10 ", "CN", "+8613800138000");
	phone_is("\uff0b\uff18\uff16 13800138000", "US", "+8613800138000");
}

/* Lengths a phone number can have, by country. */
static void
test_phone_lengths(void **state)
{
	(void)state;
	/* China: mobiles 11 digits starting with 1. */
	phone_is("12345", "CN", NULL);
	phone_is("1380013800", "CN", NULL);
	phone_is("138001380001", "CN", NULL);
	phone_is("+86 138 0013 800", "US", NULL);
	phone_is("+86 1380 0138 0001", "US", NULL);
	/* Landlines: 0, the area code and the number: 10 to 12 digits. */
	phone_is("010 6552 9988", "CN", "+861065529988");
	phone_is("0755 2345 6789", "CN", "+8675523456789");
	phone_is("0571 8765 432", "CN", "+865718765432");
	phone_is("+86 10 6552 9988", "GB", "+861065529988");
	phone_is("+86 (0)10 6552 9988", "GB", "+861065529988");
	phone_is("6552 9988", "CN", NULL);	/* no area code */
	phone_is("1065529988", "CN", NULL);	/* Beijing without its 0 */
	phone_is("010 6552", "CN", NULL);
	phone_is("0755 2345 678901", "CN", NULL);
	/* Elsewhere: 8 to 15 digits with the country code. */
	phone_is("+49 151 2345 6789", "CN", "+4915123456789");
	phone_is("+1 212 555 0100", "CN", "+12125550100");
	phone_is("+852 9123 4567", "CN", "+85291234567");
	phone_is("+1 555 01", "CN", NULL);
	phone_is("+49 1512 3456 7890 12", "CN", NULL);
	phone_is("030 1234", "DE", "+49301234");
	phone_is("030 123", "DE", NULL);
}

static void
test_phone_format(void **state)
{
	char buf[64];

	(void)state;
	phone_format("+8613800138000", buf, sizeof buf);
	assert_string_equal(buf, "+86 138 0013 8000");
	phone_format("+14155550100", buf, sizeof buf);
	assert_string_equal(buf, "+1 415 555 0100");
	phone_format("+442079460958", buf, sizeof buf);
	assert_string_equal(buf, "+44 207 946 0958");
	phone_mask("+8613800138000", buf, sizeof buf);
	assert_string_equal(buf, "\u2022\u2022\u2022 \u2022\u2022\u2022 8000");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_phone_lengths),
		cmocka_unit_test(test_phone_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
