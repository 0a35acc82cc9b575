/*
 * test_input: values as people type them (src/core/input.c): full-width
 * forms and odd spaces folded, amounts with the store's currency sign and
 * grouping, points; and the parsers that use them (cards, dates, task due
 * dates) taking the same text.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "patron/customer.h"
#include "patron/input.h"
#include "patron/task.h"

static void
fold_is(const char *in, const char *want)
{
	char *got = input_fold(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_fold(void **state)
{
	(void)state;
	fold_is("\uff11\uff13\uff18 \uff10\uff10\uff11\uff13", "138 0013");
	fold_is("\uff13\uff15.\uff18\uff10", "35.80");
	fold_is("\uff23\uff10\uff10\uff10\uff11\uff19\uff16\uff11", "C0001961");
	fold_is("\u3000 12\u00a0345\u202f ", "12 345");	/* odd spaces */
	fold_is("\t35.80\t", "35.80");
	fold_is("35\u300280", "35.80");		/* ideographic full stop */
	fold_is("\u22125", "-5");			/* minus sign */
	fold_is("\uff0b\uff18\uff16", "+86");
	fold_is("\u738b\u82b3", "\u738b\u82b3");	/* other text kept */
	fold_is("a\xff" "b", "a\xff" "b");		/* broken bytes kept */
	fold_is("   ", "");
	fold_is("", "");
}

static void
amount_is(const char *in, const char *cur, int64_t want)
{
	int64_t got = -12345;
	const char *why = input_amount(in, cur, &got);

	if (why != NULL)
		fail_msg("'%s' in %s refused: %s", in, cur, why);
	assert_int_equal(got, want);
}

static void
amount_bad(const char *in, const char *cur)
{
	int64_t got;

	if (input_amount(in, cur, &got) == NULL)
		fail_msg("'%s' in %s taken as %lld", in, cur, (long long)got);
}

static void
test_amount(void **state)
{
	(void)state;
	amount_is("35.80", "CNY", 3580);
	amount_is("\uff13\uff15.\uff18\uff10", "CNY", 3580);	/* ３５.８０ */
	amount_is("\u00a535.80", "CNY", 3580);			/* ¥ */
	amount_is("\uffe535.80", "CNY", 3580);			/* ￥ */
	amount_is("35.80\u5143", "CNY", 3580);			/* 元 */
	amount_is("CNY 35.80", "CNY", 3580);
	amount_is("35.80 cny", "CNY", 3580);
	amount_is("RMB35.80", "CNY", 3580);
	amount_is("35.80 ", "CNY", 3580);
	amount_is(" \u3000\u00a5 35.8", "CNY", 3580);
	amount_is("-\u00a512", "CNY", -1200);
	amount_is("\u00a5-12", "CNY", -1200);
	amount_is("+12", "CNY", 1200);
	amount_is("1,234.50", "CNY", 123450);
	amount_is("1 234.50", "CNY", 123450);
	amount_is("12,345,678", "CNY", 1234567800);
	amount_is("1234567", "CNY", 123456700);
	amount_is(".5", "CNY", 50);
	amount_is("$12.50", "USD", 1250);
	amount_is("US$12.50", "USD", 1250);
	amount_is("\u20ac9.99", "EUR", 999);
	amount_is("\u00a31", "GBP", 100);
	amount_is("\u00a51200", "JPY", 1200);
	amount_is("1200\u5186", "JPY", 1200);
	amount_is("HK$10", "HKD", 1000);
	amount_bad("$35.80", "CNY");		/* another currency */
	amount_bad("\u20ac35.80", "CNY");
	amount_bad("\u00a535.80", "USD");
	amount_bad("USD 35.80", "CNY");
	amount_bad("12 50", "CNY");		/* not a group of three */
	amount_bad("1,23.50", "CNY");
	amount_bad("1234,567", "CNY");
	amount_bad("1,234 567", "CNY");		/* two kinds of separator */
	amount_bad("35.801", "CNY");
	amount_bad("12.5", "JPY");
	amount_bad("35.", "CNY");
	amount_bad("", "CNY");
	amount_bad("\u00a5", "CNY");
	amount_bad("-", "CNY");
	amount_bad("--5", "CNY");
	amount_bad("1e5", "CNY");
	amount_bad("12abc", "CNY");
	amount_bad("\u00a5\u00a512", "CNY");
	amount_bad("99999999999999999999", "CNY");
}

static void
points_is(const char *in, int64_t want)
{
	int64_t got = -12345;
	const char *why = input_points(in, &got);

	if (why != NULL)
		fail_msg("'%s' refused: %s", in, why);
	assert_int_equal(got, want);
}

static void
test_points(void **state)
{
	int64_t got;

	(void)state;
	points_is("50", 50);
	points_is("+50", 50);
	points_is("-20", -20);
	points_is(" 50 ", 50);
	points_is("\uff15\uff10", 50);
	points_is("\uff0b\uff11,\uff10\uff10\uff10", 1000);
	points_is("1 000", 1000);
	points_is("1000000000", 1000000000);
	assert_non_null(input_points("1000000001", &got));
	assert_non_null(input_points("1.5", &got));
	assert_non_null(input_points("10 0", &got));
	assert_non_null(input_points("", &got));
	assert_non_null(input_points("+", &got));
	assert_non_null(input_points("five", &got));
}

/* The parsers of cards, dates and due dates take the same text. */
static void
test_parsers(void **state)
{
	char card[64];
	struct task_due due;

	(void)state;
	assert_null(customer_check_card("\uff43\uff10\uff10\uff10\uff11"
	    "\uff19\uff16\uff11 ", card, sizeof card));
	assert_string_equal(card, "C0001961");
	assert_null(customer_check_birthday("\uff11\uff19\uff19\uff10\uff0d"
	    "\uff10\uff14\uff0d\uff12\uff11"));
	assert_null(customer_check_birthday(" 1990-04-21 "));
	assert_null(customer_check_date("2026-12-01\u3000"));
	assert_null(customer_check_number("\uff14\uff12.\uff15"));
	assert_int_equal(task_due_parse("\uff0b\uff13\uff44", 0, &due, NULL),
	    0);
	assert_int_equal(task_due_parse("tomorrow\u3000", 0, &due, NULL), 0);
	/* Too long to be typed: refused, not cut. */
	assert_non_null(customer_check_card("C 0 0 0 1 9 6 1 0 0 0 0 0 0 0 0 "
	    "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", card, sizeof card));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_amount),
		cmocka_unit_test(test_points),
		cmocka_unit_test(test_parsers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
