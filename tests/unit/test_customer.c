/*
 * test_customer: customer records on a real encrypted database: the single
 * value checks the forms and imports share, what add refuses and what it
 * normalises, duplicates, edits that leave, clear or replace, references
 * and their ambiguity, a merge, and the JSON form, masked and not.
 */
#include "unit.h"
#include "unit_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
test_checks(void **state)
{
	char card[CUSTOMER_CARD_MAX + 1];

	(void)state;
	assert_null(customer_check_email("li.wei@example.cn"));
	assert_string_equal(customer_check_email("li wei@example.cn"),
	    "must be one address like name@example.com");
	assert_string_equal(customer_check_email("@example.cn"),
	    "must look like name@example.com");
	assert_string_equal(customer_check_email("a@b@example.cn"),
	    "must look like name@example.com");
	assert_string_equal(customer_check_email("a@example"),
	    "must have a domain like example.com after the @");
	assert_string_equal(customer_check_email("a@example..cn"),
	    "must have a domain like example.com after the @");
	assert_string_equal(customer_check_email("a@.cn"),
	    "must have a domain like example.com after the @");
	assert_null(customer_check_birthday("2000-02-29"));
	assert_string_equal(customer_check_birthday("1999-02-29"),
	    "is not a real date");
	assert_string_equal(customer_check_birthday("1899-12-31"),
	    "is before 1900");
	assert_string_equal(customer_check_birthday("21/04/1990"),
	    "must be a date like 1990-04-21");
	assert_non_null(customer_check_birthday("2999-01-01"));
	/* Cards: spaces go, letters go upper case, full-width folds. */
	assert_null(customer_check_card(" c-12 ab ", card, sizeof card));
	assert_string_equal(card, "C-12AB");
	assert_null(customer_check_card("ｃ７", card, sizeof card));
	assert_string_equal(card, "C7");
	assert_string_equal(customer_check_card("C_1", card, sizeof card),
	    "may hold only letters, digits and -");
	assert_string_equal(customer_check_card("  ", card, sizeof card),
	    "is empty");
	assert_string_equal(customer_check_card(
	    "123456789012345678901234567890123", card, sizeof card),
	    "is too long");
	assert_null(customer_check_number("-12"));
	assert_null(customer_check_number("42.5"));
	assert_non_null(customer_check_number("4 2"));
	assert_non_null(customer_check_number("1e3"));
	assert_null(customer_check_date("2030-12-01"));
	assert_string_equal(customer_check_date("2030-13-01"),
	    "is not a real date");
}

static void
test_add(void **state)
{
	struct unit_fixture *f = *state;
	struct customer_input in;
	struct customer c;
	int64_t id, again;

	customer_input_init(&in);
	in.name = "  ";
	assert_int_equal(customer_add(f->s, &f->cfg, &in, 0, &id, &f->e), -1);
	assert_int_equal(f->e.code, PX_DATAERR);
	assert_string_equal(f->e.msg, "name is required");
	in.name = "  Wang Fang ";
	in.phone = "138 0013 8000";
	in.email = "fang@example";
	assert_int_equal(customer_add(f->s, &f->cfg, &in, 0, &id, &f->e), -1);
	assert_non_null(strstr(f->e.msg, "email "));
	in.email = "fang@example.cn";
	in.card = "c 1";
	id = unit_add_input(f, &in);
	assert_int_equal(customer_get(f->s, id, &c, &f->e), 0);
	assert_string_equal(c.name, "Wang Fang");
	assert_string_equal(c.phone, "+8613800138000");
	assert_string_equal(c.card, "C1");
	assert_int_equal(strlen(c.uuid), 36);
	customer_free(&c);
	/* The same phone or email again names who has it; a card is never
	 * shared, even when duplicates are allowed. */
	customer_input_init(&in);
	in.name = "Fang Wang";
	in.phone = "+86 138 0013 8000";
	assert_int_equal(customer_add(f->s, &f->cfg, &in, 0, &again, &f->e),
	    -1);
	assert_int_equal(f->e.code, PX_DATAERR);
	assert_non_null(strstr(f->e.msg, "already on file for customer 1 "
	    "(Wang Fang)"));
	in.allow_duplicate = 1;
	again = unit_add_input(f, &in);
	assert_true(again > id);
	customer_input_init(&in);
	in.name = "Card Thief";
	in.card = "C1";
	in.allow_duplicate = 1;
	assert_int_equal(customer_add(f->s, &f->cfg, &in, 0, &again, &f->e),
	    -1);
	assert_non_null(strstr(f->e.msg, "already on file for customer 1"));
}

static void
test_edit(void **state)
{
	struct unit_fixture *f = *state;
	const char *tags[] = { "vip", "late" }, *one[] = { "new" };
	struct customer_input in;
	struct customer c;
	int64_t id;

	customer_input_init(&in);
	in.name = "Anna Schmidt";
	in.email = "anna@example.de";
	in.notes = "likes blue";
	in.tags = tags;
	in.ntags = 2;
	id = unit_add_input(f, &in);
	/* NULL leaves a field, "" clears it, set_tags replaces the tags. */
	customer_input_init(&in);
	in.email = "";
	in.birthday = "1980-05-17";
	assert_int_equal(customer_edit(f->s, &f->cfg, id, &in, 0, &f->e), 0);
	assert_int_equal(customer_get(f->s, id, &c, &f->e), 0);
	assert_string_equal(c.name, "Anna Schmidt");
	assert_null(c.email);
	assert_string_equal(c.notes, "likes blue");
	assert_string_equal(c.birthday, "1980-05-17");
	assert_int_equal(c.ntags, 2);
	customer_free(&c);
	customer_input_init(&in);
	in.tags = one;
	in.ntags = 1;
	in.set_tags = 1;
	assert_int_equal(customer_edit(f->s, &f->cfg, id, &in, 0, &f->e), 0);
	assert_int_equal(customer_get(f->s, id, &c, &f->e), 0);
	assert_int_equal(c.ntags, 1);
	assert_string_equal(c.tags[0], "new");
	customer_free(&c);
	/* An invalid edit changes nothing. */
	customer_input_init(&in);
	in.name = "Anna S.";
	in.birthday = "1980-02-30";
	assert_int_equal(customer_edit(f->s, &f->cfg, id, &in, 0, &f->e), -1);
	assert_int_equal(customer_get(f->s, id, &c, &f->e), 0);
	assert_string_equal(c.name, "Anna Schmidt");
	customer_free(&c);
	assert_int_equal(customer_get(f->s, 99, &c, &f->e), -1);
	assert_int_equal(f->e.code, PX_FAIL);
}

/* customer_resolve's id for ref, or 0 with f->e set. */
static int64_t
resolve(struct unit_fixture *f, const char *ref)
{
	int64_t id = 0;

	memset(&f->e, 0, sizeof f->e);
	if (customer_resolve(f->s, &f->cfg, ref, &id, &f->e) < 0)
		return 0;
	return id;
}

static void
test_resolve(void **state)
{
	struct unit_fixture *f = *state;
	struct customer_input in;
	struct customer c;
	int64_t a, b;
	char uuid[40];

	customer_input_init(&in);
	in.name = "Li Wei";
	in.card = "2";
	in.phone = "13900139000";
	a = unit_add_input(f, &in);
	b = unit_add(f, "Zhao Lei", "13700137000", NULL);
	assert_int_equal(b, 2);
	assert_int_equal(resolve(f, "id:2"), b);
	assert_int_equal(resolve(f, "card:2"), a);
	assert_int_equal(resolve(f, "phone:139 0013 9000"), a);
	assert_int_equal(resolve(f, "+86 137 0013 7000"), b);
	assert_int_equal(customer_get(f->s, b, &c, &f->e), 0);
	snprintf(uuid, sizeof uuid, "%s", c.uuid);
	customer_free(&c);
	assert_int_equal(resolve(f, uuid), b);
	/* "2" is one customer's card and another's id. */
	assert_int_equal(resolve(f, "2"), 0);
	assert_int_equal(f->e.code, PX_DATAERR);
	assert_string_equal(f->e.msg, "2 is ambiguous: it is the card of one "
	    "customer and the id of another; write id:2, card:2 or phone:2");
	assert_int_equal(resolve(f, "card:9"), 0);
	assert_int_equal(f->e.code, PX_FAIL);
	assert_string_equal(f->e.msg, "no customer card:9");
	/* A merged customer: by id and uuid only (a kept its own phone). */
	assert_int_equal(customer_merge(f->s, &f->cfg, a, b, 0, &f->e), 0);
	assert_int_equal(resolve(f, "id:2"), b);
	assert_int_equal(resolve(f, uuid), b);
	assert_int_equal(resolve(f, "phone:13700137000"), 0);
	assert_int_equal(f->e.code, PX_FAIL);
}

static void
test_merge(void **state)
{
	struct unit_fixture *f = *state;
	const char *tk[] = { "vip" }, *to[] = { "late" };
	struct customer_input in;
	struct customer c;
	int64_t keep, other;

	customer_input_init(&in);
	in.name = "Keep Me";
	in.phone = "13800000001";
	in.tags = tk;
	in.ntags = 1;
	keep = unit_add_input(f, &in);
	customer_input_init(&in);
	in.name = "Other Me";
	in.phone = "13800000002";
	in.email = "other@example.cn";
	in.card = "C-9";
	in.tags = to;
	in.ntags = 1;
	other = unit_add_input(f, &in);
	assert_int_equal(customer_merge(f->s, &f->cfg, keep, keep, 0, &f->e),
	    -1);
	assert_int_equal(f->e.code, PX_USAGE);
	assert_int_equal(customer_merge(f->s, &f->cfg, keep, other, 0, &f->e),
	    0);
	assert_int_equal(customer_get(f->s, keep, &c, &f->e), 0);
	/* Keep's own details stay; what it lacked comes from other. */
	assert_string_equal(c.phone, "+8613800000001");
	assert_string_equal(c.email, "other@example.cn");
	assert_string_equal(c.card, "C-9");
	assert_int_equal(c.ntags, 2);
	customer_free(&c);
	assert_int_equal(customer_get(f->s, other, &c, &f->e), 0);
	assert_int_equal(c.merged_into, keep);
	assert_non_null(c.deleted_at);
	customer_free(&c);
	assert_int_equal(customer_merge(f->s, &f->cfg, keep, other, 0, &f->e),
	    -1);
	assert_string_equal(f->e.msg, "no customer 2 (or already merged)");
}

/* customer_json of id, masked or not, into out. */
static void
json(struct unit_fixture *f, int64_t id, int masked, char *out, size_t len)
{
	struct customer c;
	FILE *m = fmemopen(out, len, "w");

	assert_non_null(m);
	assert_int_equal(customer_get(f->s, id, &c, &f->e), 0);
	customer_json(m, &c, masked);
	fclose(m);
	customer_free(&c);
}

static void
test_json(void **state)
{
	struct unit_fixture *f = *state;
	struct customer_input in;
	char out[4096];
	int64_t id;

	customer_input_init(&in);
	in.name = "Wang \"Fang\"";
	in.phone = "13800138000";
	in.email = "fang@example.cn";
	id = unit_add_input(f, &in);
	json(f, id, 0, out, sizeof out);
	assert_memory_equal(out, "{\"id\":1,\"uuid\":\"", 16);
	assert_non_null(strstr(out, "\"name\":\"Wang \\\"Fang\\\"\""));
	assert_non_null(strstr(out, "\"phone\":\"+8613800138000\""));
	assert_non_null(strstr(out, "\"email\":\"fang@example.cn\""));
	assert_non_null(strstr(out, "\"points\":0"));
	json(f, id, 1, out, sizeof out);
	assert_null(strstr(out, "13800138000"));
	assert_null(strstr(out, "fang@example.cn"));
	assert_non_null(strstr(out, "8000"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checks),
		UNIT_DB_TEST(test_add),
		UNIT_DB_TEST(test_edit),
		UNIT_DB_TEST(test_resolve),
		UNIT_DB_TEST(test_merge),
		UNIT_DB_TEST(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
