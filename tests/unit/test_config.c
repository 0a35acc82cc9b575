/*
 * Unit tests for the config module (src/config/config*.c): defaults, every
 * value type, every kind of error with its exact line and column, file
 * lookup and the config_print round trip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "patron/config.h"

/* A scratch directory per test run, for files and XDG lookups. */
static char tmpdir[256];

static int
load(struct config *c, const char *text, struct perr *e)
{
	memset(e, 0, sizeof *e);
	return config_load_buffer(c, "t.yaml", text, strlen(text), e);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static char *
print_config(const struct config *c, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	config_print(c, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
test_defaults(void **state)
{
	struct config c;

	memset(&c, 0xa5, sizeof c);
	config_defaults(&c);
	assert_string_equal(c.store_name, "Patron");
	assert_string_equal(c.store_branch, "MAIN");
	assert_string_equal(c.store_currency, "CNY");
	assert_string_equal(c.store_country, "CN");
	assert_string_equal(c.store_timezone, "");
	assert_int_equal(c.kdf, CONFIG_KDF_MODERATE);
	assert_int_equal(c.idle_lock_minutes, 5);
	assert_int_equal(c.pin_attempts, 5);
	assert_int_equal(c.lockout_minutes, 5);
	assert_string_equal(c.ui_theme, "default");
	assert_string_equal(c.source, "");
}

/* config_defaults ignores errors, so every default must pass its own row. */
static void
test_table_defaults_valid(void **state)
{
	struct config c;
	struct perr e;
	size_t i;

	for (i = 0; i < config_noptions; i++) {
		const struct config_option *o = &config_options[i];

		memset(&e, 0, sizeof e);
		if (config_option_set(o, &c, o->def, strlen(o->def), &e) < 0)
			fail_msg("default of %s: %s", o->path, e.msg);
		assert_non_null(o->help);
		assert_true(o->help[0] != '\0');
	}
}

/* config_print writes a section once: its rows must be adjacent. */
static void
test_table_sections_adjacent(void **state)
{
	size_t i, j, n;
	const char *a, *b, *dot;

	for (i = 0; i < config_noptions; i++) {
		a = config_options[i].path;
		dot = strchr(a, '.');
		assert_non_null(dot);
		n = (size_t)(dot - a) + 1;
		for (j = i + 1; j < config_noptions; j++) {
			b = config_options[j].path;
			assert_string_not_equal(a, b);
			if (strncmp(a, b, n) == 0 && j > i + 1)
				assert_int_equal(strncmp(config_options[j - 1].path,
					a, n), 0);
		}
	}
}

static void
test_every_option(void **state)
{
	static const char text[] =
		"# a full file\n"
		"store:\n"
		"  name: Harbour Street \xe6\xb8\xaf\n"
		"  branch: HS-01\n"
		"  currency: EUR\n"
		"  country: DE\n"
		"  timezone: Europe/Berlin\n"
		"security:\n"
		"  kdf: sensitive\n"
		"  idle_lock_minutes: 0\n"
		"  pin_attempts: 100\n"
		"  lockout_minutes: 1440\n"
		"ui:\n"
		"  theme: high-contrast\n";
	struct config c;
	struct perr e;

	assert_int_equal(load(&c, text, &e), 0);
	assert_string_equal(c.store_name, "Harbour Street \xe6\xb8\xaf");
	assert_string_equal(c.store_branch, "HS-01");
	assert_string_equal(c.store_currency, "EUR");
	assert_string_equal(c.store_country, "DE");
	assert_string_equal(c.store_timezone, "Europe/Berlin");
	assert_int_equal(c.kdf, CONFIG_KDF_SENSITIVE);
	assert_int_equal(c.idle_lock_minutes, 0);
	assert_int_equal(c.pin_attempts, 100);
	assert_int_equal(c.lockout_minutes, 1440);
	assert_string_equal(c.ui_theme, "high-contrast");
	assert_string_equal(c.source, "t.yaml");
}

static void
test_partial_and_flow(void **state)
{
	struct config c;
	struct perr e;

	assert_int_equal(load(&c,
		"{security: {kdf: interactive, pin_attempts: +7},"
		" store: {name: 'It''s', branch: \"a\\tb\\u00e9\"}}", &e), -1);
	/* A tab is a control character even when escaped. */
	assert_string_equal(e.msg, "store.branch: contains a control character");

	assert_int_equal(load(&c,
		"{security: {kdf: interactive, pin_attempts: +7},"
		" store: {name: 'It''s', branch: \"b\\u00e9\"}}", &e), 0);
	assert_int_equal(c.kdf, CONFIG_KDF_INTERACTIVE);
	assert_int_equal(c.pin_attempts, 7);
	assert_string_equal(c.store_name, "It's");
	assert_string_equal(c.store_branch, "b\xc3\xa9");
	/* Untouched options keep their defaults. */
	assert_string_equal(c.store_currency, "CNY");
	assert_int_equal(c.idle_lock_minutes, 5);

	/* A quoted number is still a number; a plain word is still a string. */
	assert_int_equal(load(&c,
		"security:\n  idle_lock_minutes: \"30\"\nstore:\n  branch: 007\n",
		&e), 0);
	assert_int_equal(c.idle_lock_minutes, 30);
	assert_string_equal(c.store_branch, "007");
}

/* A key with no value, ~ or null keeps the default. */
static void
test_null_is_default(void **state)
{
	struct config c, d;
	struct perr e;

	config_defaults(&d);
	assert_int_equal(load(&c,
		"store:\n  name:\n  timezone: ~\n  branch: null\n"
		"security:\nui: ~\n", &e), 0);
	strcpy(d.source, "t.yaml");
	assert_memory_equal(&c, &d, sizeof c);

	/* Quoted, it is the text itself. */
	assert_int_equal(load(&c, "store:\n  branch: \"null\"\n", &e), 0);
	assert_string_equal(c.store_branch, "null");
}

static void
test_empty(void **state)
{
	static const char *const texts[] = {
		"",
		"\n\n",
		"# only a comment\n   # and another\n",
		"---\n",
		"--- ~\n...\n",
		"{}\n",
		"%YAML 1.1\n---\n{}\n",
	};
	struct config c, d;
	struct perr e;
	size_t i;

	config_defaults(&d);
	strcpy(d.source, "t.yaml");
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		memset(&c, 0x5a, sizeof c);
		if (load(&c, texts[i], &e) < 0)
			fail_msg("text %zu: %s", i, e.msg);
		assert_memory_equal(&c, &d, sizeof c);
	}
	/* A NULL buffer of no length is an empty file too. */
	assert_int_equal(config_load_buffer(&c, "t.yaml", NULL, 0, &e), 0);
}

/* Option types not yet used by struct config, on a struct of their own. */
struct sample {
	int flag;
	char amount[8];
};

static const struct config_option sample_flag = {
	"t.flag", CONFIG_BOOL, offsetof(struct sample, flag), sizeof(int),
	0, 0, NULL, NULL, NULL, "false", "a flag"
};
static const struct config_option sample_amount = {
	"t.amount", CONFIG_DECIMAL, offsetof(struct sample, amount),
	sizeof ((struct sample *)0)->amount, 0, 0, NULL, NULL, NULL, "0.01",
	"an amount"
};

static int
sample_set(const struct config_option *o, struct sample *s, const char *v,
	struct perr *e)
{
	memset(e, 0, sizeof *e);
	return config_option_set(o, s, v, strlen(v), e);
}

static void
test_bool(void **state)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "on" };
	static const char *const no[] = { "false", "False", "no", "NO", "off" };
	struct sample s;
	struct perr e;
	char buf[16];
	size_t i;

	for (i = 0; i < 5; i++) {
		s.flag = 0;
		assert_int_equal(sample_set(&sample_flag, &s, yes[i], &e), 0);
		assert_int_equal(s.flag, 1);
		config_option_format(&sample_flag, &s, buf, sizeof buf);
		assert_string_equal(buf, "true");
		assert_int_equal(sample_set(&sample_flag, &s, no[i], &e), 0);
		assert_int_equal(s.flag, 0);
		config_option_format(&sample_flag, &s, buf, sizeof buf);
		assert_string_equal(buf, "false");
	}
	s.flag = 1;
	assert_int_equal(sample_set(&sample_flag, &s, "1", &e), -1);
	assert_int_equal(e.code, PX_CONFIG);
	assert_string_equal(e.msg, "t.flag: expected true or false, got '1'");
	assert_int_equal(s.flag, 1);
	assert_int_equal(sample_set(&sample_flag, &s, "", &e), -1);
}

static void
test_decimal(void **state)
{
	static const char *const good[] = { "0", "0.01", "2000", "12.50" };
	static const char *const bad[] = {
		"", ".5", "1.", "1.2.3", "-1", "+1", "1e3", "0x10", " 1", "1,5"
	};
	struct sample s;
	struct perr e;
	char buf[16];
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(sample_set(&sample_amount, &s, good[i], &e), 0);
		assert_string_equal(s.amount, good[i]);
		config_option_format(&sample_amount, &s, buf, sizeof buf);
		assert_int_equal(buf[0], '"');
		assert_int_equal(sample_set(&sample_amount, &s, "9", &e), 0);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (sample_set(&sample_amount, &s, bad[i], &e) == 0)
			fail_msg("decimal '%s' accepted", bad[i]);
		assert_int_equal(e.code, PX_CONFIG);
		assert_string_equal(s.amount, "9");
	}
	sample_set(&sample_amount, &s, "1.x", &e);
	assert_string_equal(e.msg,
		"t.amount: expected a decimal number like 0.01, got '1.x'");
	/* Seven bytes fit the field of eight; eight do not. */
	assert_int_equal(sample_set(&sample_amount, &s, "1234.56", &e), 0);
	assert_int_equal(sample_set(&sample_amount, &s, "12345.67", &e), -1);
	assert_string_equal(e.msg, "t.amount: longer than 7 bytes");
}

struct bad_case {
	const char *text;
	int line;
	int col;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	/* Unknown keys point at the key. */
	{ "foo: 1\n", 1, 1, "unknown key 'foo'" },
	{ "store:\n  name: x\n  nme: y\n", 3, 3, "unknown key 'store.nme'" },
	{ "security:\n    kdff: moderate\n", 2, 5,
	  "unknown key 'security.kdff'" },
	{ "loyalty:\n  min_redem: 100\n", 2, 3,
	  "unknown key 'loyalty.min_redem'" },
	{ "loyalty:\n  tiers:\n    - { name: A, threshold: 10 }\n"
	  "    - { name: B, threshold: 10 }\n", 4, 7,
	  "loyalty.tiers: thresholds must rise from one tier to the next" },
	{ "loyalty:\n  tiers:\n    - { name: A, threshold: 10 }\n"
	  "    - { name: A, threshold: 20 }\n", 4, 7,
	  "loyalty.tiers: tier 'A' named twice" },
	{ "loyalty:\n  tiers:\n    - { name: A, threshold: 10, multiplier: "
	  "0.5 }\n", 3, 45, "loyalty.tiers: a multiplier is a decimal from 1 "
	  "to 100 like \"1.25\"" },
	{ "loyalty:\n  tiers:\n    - { name: A }\n", 3, 7,
	  "loyalty.tiers: each tier needs a name and a threshold" },
	{ "loyalty:\n  tiers:\n    - { name: A, threshold: 0 }\n", 3, 29,
	  "loyalty.tiers: a threshold is a number of points from 1 to "
	  "1000000000" },
	{ "loyalty:\n  tiers: 3\n", 2, 10, "loyalty.tiers: expected a list of "
	  "{ name, threshold, multiplier } mappings" },
	{ "loyalty:\n  tiers:\n    - { name: A, threshold: 10, name: B }\n",
	  3, 33, "loyalty.tiers: duplicate key 'name'" },
	{ "tasks:\n  rules:\n    - { name: a, on: birthday, on: purchase }\n",
	  3, 32, "tasks.rules: duplicate key 'on'" },
	{ "tasks:\n  rules:\n    - { name: a, on: lapsed }\n", 3, 7,
	  "tasks.rules: rule 'a' needs days" },
	{ "tasks:\n  rules:\n    - { name: a, on: sale }\n", 3, 22,
	  "tasks.rules: on is purchase, birthday, lapsed, first_visit or tier" },
	{ "tasks:\n  rules:\n    - { name: a, on: tier, colour: red }\n", 3,
	  28, "tasks.rules: unknown key 'colour' (name, on, min_total, "
	  "days_before, days, min_lifetime_spend, due_in_days, assign, "
	  "priority, title)" },
	{ "loyalty:\n  point_value: 1e-2\n", 2, 16, "loyalty.point_value: "
	  "expected a decimal number like 0.01, got '1e-2'" },
	{ "ui:\n  keys: {serch: /}\n", 2, 10, "unknown key 'ui.keys.serch'" },
	{ "ui:\n  keys: {search: F13}\n", 2, 18,
	  "ui.keys.search: expected keys like /, n, F3, C-s, Enter, Esc, Tab, "
	  "S-Tab, Up, PgDn, Home, space or comma, separated by commas, got "
	  "'F13'" },
	{ "customers:\n  fields:\n    - { key: Shoe }\n", 3, 14,
	  "customers.fields: a key is lower-case letters, digits and _, "
	  "starting with a letter, at most 31" },
	{ "customers:\n  fields:\n    - { key: phone }\n", 3, 14,
	  "customers.fields: 'phone' is a built-in column" },
	{ "customers:\n  fields:\n    - { key: a, type: money }\n", 3, 23,
	  "customers.fields: type is text, number or date" },
	{ "customers:\n  fields:\n    - { key: a }\n    - { key: a }\n", 4, 7,
	  "customers.fields: key 'a' declared twice" },
	{ "customers:\n  fields: x\n", 2, 11,
	  "customers.fields: expected a list of { key, label, type } mappings" },
	{ "store.name: x\n", 1, 1,
	  "unknown key 'store.name' (write sections as nested mappings)" },
	{ "\"\": x\n", 1, 1, "unknown key ''" },
	{ "store:\n  \"na\\x01me\": x\n", 2, 3, "unknown key 'store.na\u2401me'" },
	{ "? [a]\n: 1\n", 1, 3, "expected a key name, got a sequence" },
	/* Wrong types point at the value. */
	{ "security:\n  kdf: fast\n", 2, 8,
	  "security.kdf: expected one of interactive, moderate, sensitive, "
	  "got 'fast'" },
	{ "security:\n  kdf: Moderate\n", 2, 8,
	  "security.kdf: expected one of interactive, moderate, sensitive, "
	  "got 'Moderate'" },
	{ "security:\n  pin_attempts: abc\n", 2, 17,
	  "security.pin_attempts: expected an integer from 1 to 100, "
	  "got 'abc'" },
	{ "security:\n  pin_attempts: 0\n", 2, 17,
	  "security.pin_attempts: expected an integer from 1 to 100, got '0'" },
	{ "security:\n  pin_attempts: 101\n", 2, 17,
	  "security.pin_attempts: expected an integer from 1 to 100, "
	  "got '101'" },
	{ "security:\n  lockout_minutes: 1441\n", 2, 20,
	  "security.lockout_minutes: expected an integer from 0 to 1440, "
	  "got '1441'" },
	{ "security:\n  idle_lock_minutes: -1\n", 2, 22,
	  "security.idle_lock_minutes: expected an integer from 0 to 1440, "
	  "got '-1'" },
	{ "security:\n  idle_lock_minutes: 99999999999999999999\n", 2, 22,
	  "security.idle_lock_minutes: expected an integer from 0 to 1440, "
	  "got '99999999999999999999'" },
	{ "security:\n  idle_lock_minutes: 5.5\n", 2, 22,
	  "security.idle_lock_minutes: expected an integer from 0 to 1440, "
	  "got '5.5'" },
	{ "security:\n  idle_lock_minutes: 0x10\n", 2, 22,
	  "security.idle_lock_minutes: expected an integer from 0 to 1440, "
	  "got '0x10'" },
	{ "security:\n  idle_lock_minutes: ''\n", 2, 22,
	  "security.idle_lock_minutes: expected an integer from 0 to 1440, "
	  "got ''" },
	{ "store:\n  name: [a, b]\n", 2, 9,
	  "store.name: expected a string, got a sequence" },
	{ "store:\n  name:\n    first: a\n", 3, 5,
	  "store.name: expected a string, got a mapping" },
	{ "security:\n  kdf: {a: 1}\n", 2, 8,
	  "security.kdf: expected one of interactive, moderate, sensitive, "
	  "got a mapping" },
	{ "store: 5\n", 1, 8, "store: expected a mapping, got '5'" },
	{ "store: [name]\n", 1, 8, "store: expected a mapping, got a sequence" },
	{ "- store\n", 1, 1,
	  "expected a mapping at the top level, got a sequence" },
	{ "hello\n", 1, 1, "expected a mapping at the top level, got 'hello'" },
	/* String rules. */
	{ "store:\n  currency: usd\n", 2, 13,
	  "store.currency: expected an ISO 4217 code of three upper-case "
	  "letters, got 'usd'" },
	{ "store:\n  currency: EURO\n", 2, 13, "store.currency: longer than "
	  "3 bytes" },
	{ "store:\n  country: C1\n", 2, 12,
	  "store.country: expected an ISO 3166 alpha-2 code of two upper-case "
	  "letters, got 'C1'" },
	{ "store:\n  name: ''\n", 2, 9,
	  "store.name: expected a non-empty string, got ''" },
	{ "store:\n  timezone: ../../etc/passwd\n", 2, 13,
	  "store.timezone: expected an IANA time zone name like Asia/Shanghai, "
	  "got '../../etc/passwd'" },
	{ "store:\n  timezone: /etc/localtime\n", 2, 13,
	  "store.timezone: expected an IANA time zone name like Asia/Shanghai, "
	  "got '/etc/localtime'" },
	{ "ui:\n  theme: ../x\n", 2, 10,
	  "ui.theme: expected a theme name of letters, digits, '-' and '_', "
	  "got '../x'" },
	{ "store:\n  name: \"a\\x01b\"\n", 2, 9,
	  "store.name: contains a control character" },
	{ "store:\n  name: \"a\\0b\"\n", 2, 9,
	  "store.name: contains a control character" },
	{ "store:\n  name: \"\\x85\"\n", 2, 9,
	  "store.name: contains a control character" },
	{ "store:\n  name: \"\\e[2J\"\n", 2, 9,
	  "store.name: contains a control character" },
	{ "store:\n  name: \"\\uffff\"\n", 2, 9,
	  "store.name: contains a control character" },
	{ "store:\n  name: |\n    two\n    lines\n", 2, 9,
	  "store.name: contains a control character" },
	/* Duplicates point at the second key. */
	{ "store:\n  name: a\n  name: b\n", 3, 3,
	  "duplicate key 'store.name' (first on line 2)" },
	{ "store: {}\nui: {}\nstore: {}\n", 3, 1,
	  "duplicate key 'store' (first on line 1)" },
	{ "store:\n  name: a\nstore:\n  branch: b\n", 3, 1,
	  "duplicate key 'store' (first on line 1)" },
	/* YAML itself. */
	{ "store:\n  name: &n x\n  branch: *n\n", 3, 11,
	  "store.branch: expected a string, got an alias" },
	{ "store: {}\n---\nui: {}\n", 2, 1, "only one YAML document is allowed" },
	{ "store:\n name: x\n  branch: y\n", 3, 9,
	  "mapping values are not allowed in this context" },
	{ "store:\n\tname: x\n", 2, 1,
	  "found character that cannot start any token "
	  "(while scanning for the next token)" },
	{ "store: {name: x\n", 2, 1,
	  "did not find expected ',' or '}' (while parsing a flow mapping)" },
	{ "ui:\n  theme: \"dark\n", 3, 1,
	  "found unexpected end of stream "
	  "(while scanning a quoted scalar)" },
	{ "store:\n  name: \xff\n", 2, 9,
	  "invalid leading UTF-8 octet (byte 0xff)" },
	{ "store:\n  name: \xc3\xa9\xc3\n", 2, 11,
	  "invalid trailing UTF-8 octet (byte 0x0a)" },
	{ "store:\n  name: x\xe6\xb8", 2, 10,
	  "incomplete UTF-8 octet sequence" },
};

static void
test_errors(void **state)
{
	struct config c;
	struct perr e;
	size_t i;

	for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *b = &bad_cases[i];

		if (load(&c, b->text, &e) != -1)
			fail_msg("accepted: %s", b->text);
		if (e.code != PX_CONFIG || strcmp(e.file, "t.yaml") != 0 ||
			e.line != b->line || e.col != b->col ||
			strcmp(e.msg, b->msg) != 0)
			fail_msg("case %zu: want %d:%d: %s\n got %d %s:%d:%d: %s",
				i, b->line, b->col, b->msg, e.code, e.file,
				e.line, e.col, e.msg);
		/* A failed load leaves the defaults, never half a file. */
		assert_string_equal(c.store_name, "Patron");
		assert_string_equal(c.source, "");
	}
}

static void
test_long_strings(void **state)
{
	char text[512], want[256];
	struct config c;
	struct perr e;

	/* 127 bytes fit store.name, 128 do not. */
	snprintf(text, sizeof text, "store:\n  name: %0127d\n", 0);
	assert_int_equal(load(&c, text, &e), 0);
	assert_int_equal(strlen(c.store_name), 127);
	snprintf(text, sizeof text, "store:\n  name: %0128d\n", 0);
	assert_int_equal(load(&c, text, &e), -1);
	assert_int_equal(e.line, 2);
	assert_int_equal(e.col, 9);
	assert_string_equal(e.msg, "store.name: longer than 127 bytes");

	/* Multi-byte characters count in bytes: 64 x 2 bytes is too long. */
	strcpy(text, "store:\n  name: ");
	for (int i = 0; i < 64; i++)
		strcat(text, "\xc3\xa9");
	assert_int_equal(load(&c, text, &e), -1);
	assert_string_equal(e.msg, "store.name: longer than 127 bytes");

	/* Error messages quote at most 40 characters of a bad value. */
	snprintf(text, sizeof text, "security:\n  kdf: %0100d\n", 7);
	assert_int_equal(load(&c, text, &e), -1);
	snprintf(want, sizeof want, "security.kdf: expected one of "
		"interactive, moderate, sensitive, got '%040d...'", 0);
	assert_string_equal(e.msg, want);
}

static void
round_trip(const struct config *c)
{
	struct config back;
	struct perr e;
	size_t len;
	char *text;

	text = print_config(c, &len);
	memset(&e, 0, sizeof e);
	if (config_load_buffer(&back, "printed", text, len, &e) < 0)
		fail_msg("%d:%d: %s in\n%s", e.line, e.col, e.msg, text);
	assert_string_equal(back.source, "printed");
	memcpy(back.source, c->source, sizeof back.source);
	assert_memory_equal(&back, c, sizeof back);
	free(text);
}

static void
test_round_trip(void **state)
{
	static const char odd[] =
		"store:\n"
		"  name: \"Say \\\"hi\\\" \\\\ o'k # not a comment: yes\"\n"
		"  branch: \"no\"\n"
		"  timezone: America/Argentina/Buenos_Aires\n"
		"  currency: JPY\n"
		"  country: JP\n"
		"security:\n"
		"  kdf: interactive\n"
		"  idle_lock_minutes: 0\n"
		"  pin_attempts: 1\n"
		"  lockout_minutes: 1440\n"
		"ui:\n  theme: Solarized_dark-2\n";
	struct config c;
	struct perr e;
	char *text;
	size_t len;

	config_defaults(&c);
	round_trip(&c);

	/* Shorter values leave no trace of the longer defaults behind. */
	assert_int_equal(load(&c, "store:\n  name: P\n", &e), 0);
	assert_memory_equal(c.store_name, "P\0\0\0\0\0\0", 7);

	assert_int_equal(load(&c, odd, &e), 0);
	assert_string_equal(c.store_name,
		"Say \"hi\" \\ o'k # not a comment: yes");
	assert_string_equal(c.store_branch, "no");
	round_trip(&c);

	/* The printout says where it came from and explains each option. */
	strcpy(c.source, "/tmp/evil\nstore: {}");
	text = print_config(&c, &len);
	assert_non_null(strstr(text, "# Loaded from /tmp/evil\u240astore: {}\n"));
	assert_non_null(strstr(text, "security:\n"));
	assert_non_null(strstr(text,
		"  # One of interactive, moderate, sensitive; default: moderate\n"
		"  kdf: interactive\n"));
	assert_non_null(strstr(text,
		"  # An integer from 1 to 100; default: 5\n"
		"  pin_attempts: 1\n"));
	assert_non_null(strstr(text, "  # Default: \"CNY\"\n  currency: \"JPY\"\n"));
	free(text);
	round_trip(&c);

	/* Raw, U+2028 would be a line break: folded with the space after it. */
	assert_int_equal(load(&c, "store: {name: \"\\u2028 x\\u2029 \"}", &e),
		0);
	assert_string_equal(c.store_name, "\xe2\x80\xa8 x\xe2\x80\xa9 ");
	round_trip(&c);

	/* Non-ASCII names survive unchanged. */
	memset(c.store_name, 0, sizeof c.store_name);
	strcpy(c.store_name, "\xe6\xb8\xaf\xe5\x8f\xa3\xe8\xa1\x97 \xf0\x9f\x8c\x8a");
	round_trip(&c);
}

static void
test_load_file(void **state)
{
	char path[512];
	struct config c;
	struct perr e;

	snprintf(path, sizeof path, "%s/a.yaml", tmpdir);
	write_file(path, "# comment\nsecurity:\n  kdf: sensitive\n  x: 1\n");
	memset(&e, 0, sizeof e);
	assert_int_equal(config_load_file(&c, path, &e), -1);
	assert_int_equal(e.code, PX_CONFIG);
	assert_string_equal(e.file, path);
	assert_int_equal(e.line, 4);
	assert_int_equal(e.col, 3);
	assert_string_equal(e.msg, "unknown key 'security.x'");
	assert_int_equal(c.kdf, CONFIG_KDF_MODERATE);

	write_file(path, "security:\n  kdf: sensitive\n");
	assert_int_equal(config_load_file(&c, path, &e), 0);
	assert_int_equal(c.kdf, CONFIG_KDF_SENSITIVE);
	assert_string_equal(c.source, path);

	/* A directory is not a config file. */
	memset(&e, 0, sizeof e);
	assert_int_equal(config_load_file(&c, tmpdir, &e), -1);
	assert_int_equal(e.code, PX_CONFIG);
	assert_string_equal(e.file, tmpdir);
	assert_int_equal(e.line, 0);
	assert_non_null(strstr(e.msg, "cannot read"));
	unlink(path);
}

static void
test_explicit_missing(void **state)
{
	char path[512];
	struct config c;
	struct perr e;

	snprintf(path, sizeof path, "%s/missing.yaml", tmpdir);
	memset(&e, 0, sizeof e);
	assert_int_equal(config_load_file(&c, path, &e), -1);
	assert_int_equal(e.code, 78);
	assert_string_equal(e.file, path);
	assert_string_equal(e.msg, "cannot read: No such file or directory");

	memset(&e, 0, sizeof e);
	assert_int_equal(config_load(&c, path, &e), -1);
	assert_int_equal(e.code, 78);

	/* PATRON_CONFIG is explicit too: missing is an error, not defaults. */
	setenv("PATRON_CONFIG", path, 1);
	memset(&e, 0, sizeof e);
	assert_int_equal(config_load(&c, NULL, &e), -1);
	assert_int_equal(e.code, 78);
	assert_string_equal(e.file, path);
	unsetenv("PATRON_CONFIG");
}

static void
test_lookup_order(void **state)
{
	char xdg[300], home[300], dir[400], a[400], b[400], cur[400];
	struct config c;
	struct perr e;

	unsetenv("PATRON_CONFIG");
	snprintf(xdg, sizeof xdg, "%s/xdg", tmpdir);
	snprintf(home, sizeof home, "%s/home", tmpdir);
	snprintf(dir, sizeof dir, "%s/patron", xdg);
	assert_int_equal(mkdir(xdg, 0700), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof dir, "%s/.config", home);
	assert_int_equal(mkdir(home, 0700), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof dir, "%s/.config/patron", home);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(a, sizeof a, "%s/patron/config.yaml", xdg);
	snprintf(b, sizeof b, "%s/.config/patron/config.yaml", home);
	write_file(a, "store:\n  branch: XDG\n");
	write_file(b, "store:\n  branch: HOME\n");
	snprintf(cur, sizeof cur, "%s/explicit.yaml", tmpdir);
	write_file(cur, "store:\n  branch: EXPLICIT\n");
	setenv("XDG_CONFIG_HOME", xdg, 1);
	setenv("HOME", home, 1);

	assert_int_equal(config_load(&c, NULL, &e), 0);
	assert_string_equal(c.store_branch, "XDG");
	assert_string_equal(c.source, a);

	/* The option wins over the environment, which wins over XDG. */
	setenv("PATRON_CONFIG", cur, 1);
	assert_int_equal(config_load(&c, NULL, &e), 0);
	assert_string_equal(c.store_branch, "EXPLICIT");
	assert_int_equal(config_load(&c, b, &e), 0);
	assert_string_equal(c.store_branch, "HOME");
	setenv("PATRON_CONFIG", "", 1);
	assert_int_equal(config_load(&c, NULL, &e), 0);
	assert_string_equal(c.store_branch, "XDG");
	unsetenv("PATRON_CONFIG");

	/* Unset or relative XDG_CONFIG_HOME means $HOME/.config. */
	unsetenv("XDG_CONFIG_HOME");
	assert_int_equal(config_load(&c, NULL, &e), 0);
	assert_string_equal(c.store_branch, "HOME");
	setenv("XDG_CONFIG_HOME", "relative", 1);
	assert_int_equal(config_load(&c, NULL, &e), 0);
	assert_string_equal(c.store_branch, "HOME");

	/* An XDG file that is bad is an error, not a reason to look further. */
	setenv("XDG_CONFIG_HOME", xdg, 1);
	write_file(a, "store:\n  branch: [x]\n");
	memset(&e, 0, sizeof e);
	assert_int_equal(config_load(&c, NULL, &e), -1);
	assert_int_equal(e.code, PX_CONFIG);
	assert_string_equal(e.file, a);
	assert_int_equal(e.line, 2);
	assert_int_equal(e.col, 11);

	/* No file anywhere: defaults (unless this machine has /etc's). */
	unlink(a);
	unlink(b);
	if (access("/etc/patron/config.yaml", F_OK) == 0)
		skip();
	memset(&c, 0x5a, sizeof c);
	assert_int_equal(config_load(&c, NULL, &e), 0);
	assert_string_equal(c.source, "");
	assert_string_equal(c.store_branch, "MAIN");
}

/* The sample files, when run from the top of the tree as make test does. */
static void
test_data_files(void **state)
{
	struct config c;
	struct perr e;

	if (access("tests/data/config/full.yaml", R_OK) != 0)
		skip();
	assert_int_equal(config_load_file(&c, "tests/data/config/full.yaml",
		&e), 0);
	assert_string_equal(c.store_name, "Harbour Street");
	assert_string_equal(c.store_timezone, "Asia/Shanghai");
	assert_int_equal(c.kdf, CONFIG_KDF_SENSITIVE);
	assert_int_equal(c.idle_lock_minutes, 10);
	assert_int_equal(c.pin_attempts, 3);
	assert_int_equal(c.lockout_minutes, 15);

	assert_int_equal(config_load_file(&c, "tests/data/config/flow.yaml",
		&e), 0);
	assert_string_equal(c.store_name, "Caf\xc3\xa9 \"Nord\"");
	assert_string_equal(c.store_branch, "N-2");
	assert_int_equal(c.kdf, CONFIG_KDF_INTERACTIVE);

	assert_int_equal(config_load_file(&c, "tests/data/config/bad-key.yaml",
		&e), -1);
	assert_int_equal(e.line, 4);
	assert_int_equal(e.col, 3);
	assert_string_equal(e.msg, "unknown key 'security.kdff'");

	assert_int_equal(config_load_file(&c,
		"tests/data/config/bad-type.yaml", &e), -1);
	assert_int_equal(e.line, 2);
	assert_int_equal(e.col, 17);
	assert_string_equal(e.msg, "security.pin_attempts: expected an "
		"integer from 1 to 100, got a sequence");
}

static int
setup(void **state)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/patron-test-config.XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_table_defaults_valid),
		cmocka_unit_test(test_table_sections_adjacent),
		cmocka_unit_test(test_every_option),
		cmocka_unit_test(test_partial_and_flow),
		cmocka_unit_test(test_null_is_default),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_explicit_missing),
		cmocka_unit_test(test_lookup_order),
		cmocka_unit_test(test_data_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
