/*
 * test_customer: the single value checks of customer fields.
 */
#include "unit.h"

#include "patron/customer.h"

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
		cmocka_unit_test(test_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
