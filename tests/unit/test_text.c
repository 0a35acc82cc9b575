/*
 * test_text: UTF-8 checks, search folding, phone numbers, the single
 * value checks of customer fields, and the terminal sanitiser against a
 * corpus of hostile strings.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Hostile strings: what each must look like on a terminal. */
static const struct {
	const char *in;
	size_t len;		/* 0: strlen(in) */
	const char *shown;
} safe_corpus[] = {
	/* OSC 0 / OSC 2: set the window title, BEL- and ST-terminated */
	{ "\x1b]0;pwned\a", 0, "\u241b]0;pwned\u2407" },
	{ "\x1b]2;pwned\x1b\\", 0, "\u241b]2;pwned\u241b\\" },
	/* CSI 2J clear screen, CSI H home, cursor moves */
	{ "a\x1b[2J\x1b[Hb", 0, "a\u241b[2J\u241b[Hb" },
	{ "\x1b[10A\x1b[5;5H\x1b[K", 0, "\u241b[10A\u241b[5;5H\u241b[K" },
	/* OSC 52: write the clipboard */
	{ "\x1b]52;c;cHduZWQ=\a", 0, "\u241b]52;c;cHduZWQ=\u2407" },
	/* DCS ... ST (tmux passthrough) */
	{ "\x1bPtmux;\x1b\x1b]0;x\a\x1b\\", 0,
	  "\u241bPtmux;\u241b\u241b]0;x\u2407\u241b\\" },
	/* 8-bit CSI: the code point U+009B and the raw byte 0x9b */
	{ "\xc2\x9b" "2J", 0, "\ufffd2J" },
	{ "\x9b" "2J", 0, "\ufffd2J" },
	{ "\xc2\x9d" "0;t\xc2\x9c", 0, "\ufffd0;t\ufffd" },	/* 8-bit OSC, ST */
	/* bidirectional overrides and isolates */
	{ "abc\xe2\x80\xae" "fed", 0, "abc\ufffd" "fed" },	/* RLO */
	{ "\xe2\x80\xad" "x\xe2\x80\xac", 0, "\ufffdx\ufffd" },	/* LRO PDF */
	{ "\xe2\x81\xa7" "x\xe2\x81\xa9", 0, "\ufffdx\ufffd" },	/* RLI PDI */
	{ "\xe2\x80\x8f\xd8\x9c", 0, "\ufffd\ufffd" },		/* RLM ALM */
	/* invisible format characters */
	{ "a\xe2\x80\x8b" "b\xef\xbb\xbf" "c\xe2\x80\xa8" "d", 0,
	  "a\ufffd" "b\ufffd" "c\ufffd" "d" },
	/* joiners stay: scripts and emoji need them */
	{ "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", 0,
	  "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb" },
	/* broken UTF-8: one replacement per byte */
	{ "x\xff\xfe" "y", 0, "x\ufffd\ufffdy" },
	{ "\xe7\x8e", 0, "\ufffd\ufffd" },			/* truncated */
	{ "\xc0\x80\xc1\xbf", 0, "\ufffd\ufffd\ufffd\ufffd" },	/* overlong */
	{ "\xe0\x80\x9b", 0, "\ufffd\ufffd\ufffd" },		/* overlong CSI */
	{ "\xed\xa0\x80", 0, "\ufffd\ufffd\ufffd" },		/* surrogate */
	{ "\xf4\x90\x80\x80", 0, "\ufffd\ufffd\ufffd\ufffd" },	/* > U+10FFFF */
	/* NUL in the middle: the length counts, not the NUL */
	{ "a\0\x1b[2J", 6, "a\u2400\u241b[2J" },
	/* other C0, DEL; line breaks and tabs in a one-line field */
	{ "\b\r\x7f\x0e", 0, "\u2408\u240d\u2421\u240e" },
	{ "a\r\nb\tc", 0, "a\u240d\u240ab\u2409c" },
	/* what is fine stays as it is */
	{ "王芳 José Ирина", 0, "王芳 José Ирина" },
	{ "\u241b already a picture \ufffd", 0,
	  "\u241b already a picture \ufffd" },
};

/* out has none of what text_safe replaces, except white space flags keep. */
static void
safe_props(const char *out, size_t len, int flags)
{
	uint32_t cp;
	char *again;

	assert_true(text_valid_utf8(out, len));
	for (size_t i = 0, n; i < len; i += n) {
		n = text_decode(out + i, len - i, &cp);
		if ((cp == '\n' && (flags & TEXT_SAFE_NL)) ||
		    (cp == '\t' && (flags & TEXT_SAFE_TAB)) ||
		    (cp == '\r' && (flags & TEXT_SAFE_CRLF) &&
			out[i + 1] == '\n'))
			continue;
		assert_false(text_is_control(cp));
		assert_int_equal(text_safe_cp(cp), cp);
	}
	again = text_safe(out, len, flags);
	assert_int_equal(strlen(again), len);
	assert_memory_equal(again, out, len);
	free(again);
}

static void
test_safe(void **state)
{
	for (size_t i = 0; i < sizeof safe_corpus / sizeof safe_corpus[0];
	    i++) {
		size_t len = safe_corpus[i].len ? safe_corpus[i].len :
		    strlen(safe_corpus[i].in);
		char *out = text_safe(safe_corpus[i].in, len, 0);

		assert_string_equal(out, safe_corpus[i].shown);
		safe_props(out, strlen(out), 0);
		free(out);
		out = text_safe(safe_corpus[i].in, len, TEXT_SAFE_TEXT);
		safe_props(out, strlen(out), TEXT_SAFE_TEXT);
		free(out);
	}
}

static void
test_safe_text(void **state)
{
	char *out;
	FILE *f;
	char *buf;
	size_t len;

	/* Free text keeps lines and tabs, and CR only before LF. */
	out = text_safe("a\r\nb\tc\rd\n\x1b[2J", 13, TEXT_SAFE_TEXT);
	assert_string_equal(out, "a\r\nb\tc\u240dd\n\u241b[2J");
	free(out);
	out = text_safe("x\r", 2, TEXT_SAFE_TEXT);
	assert_string_equal(out, "x\u240d");
	free(out);
	/* text_safe_write gives what text_safe gives */
	f = open_memstream(&buf, &len);
	text_safe_write(f, "ok \x1b]0;t\a \xff ok", 14, 0);
	fclose(f);
	assert_string_equal(buf, "ok \u241b]0;t\u2407 \ufffd ok");
	free(buf);
	/* JSON keeps everything, escaping what could drive a terminal */
	f = open_memstream(&buf, &len);
	text_json_string(f, "a\x1b\xc2\x9b\xe2\x80\xae\xe2\x81\xa6z\u241b");
	fclose(f);
	assert_string_equal(buf,
	    "\"a\\u001b\\u009b\\u202e\\u2066z\u241b\"");
	free(buf);
}

static void
test_safe_big(void **state)
{
	size_t len = 1 << 20;
	char *big = malloc(len), *out;
	const char *bits[] = { "\x1b]0;t\a", "\xe2\x80\xae", "\xff",
		"\xe7\x8e\x8b", "\xc2\x9b", "a", "\n", "\0" };

	/* 1 MB of hostile bits mixed, cut anywhere */
	for (size_t i = 0, k = 0; i < len; k = (k * 7 + 3) % 8) {
		size_t n = bits[k][0] ? strlen(bits[k]) : 1;

		n = n < len - i ? n : len - i;
		memcpy(big + i, bits[k], n);
		i += n;
	}
	out = text_safe(big, len, 0);
	safe_props(out, strlen(out), 0);
	assert_null(memchr(out, 0x1b, strlen(out)));
	free(out);
	out = text_safe(big, len, TEXT_SAFE_TEXT);
	safe_props(out, strlen(out), TEXT_SAFE_TEXT);
	free(out);
	free(big);
}

/* What the stream writes, with input cut into pieces of step bytes. */
static char *
safe_stream(const char *in, size_t len, size_t step, int flags)
{
	int fds[2];
	FILE *f;
	char *out = malloc(len * 3 + 1);
	size_t got = 0;
	ssize_t r;

	assert_int_equal(pipe(fds), 0);
	assert_non_null(f = text_safe_stream(fds[1], flags));
	setvbuf(f, NULL, _IONBF, 0);
	for (size_t i = 0; i < len; i += step)
		fwrite(in + i, 1, len - i < step ? len - i : step, f);
	assert_int_equal(fclose(f), 0);
	close(fds[1]);
	while ((r = read(fds[0], out + got, len * 3 - got)) > 0)
		got += (size_t)r;
	close(fds[0]);
	out[got] = '\0';
	return out;
}

static void
test_safe_stream(void **state)
{
	const char in[] = "王芳\x1b]0;t\a\r\n\xe2\x80\xae\xf0\x9f\x98\x80 "
	    "\xe7\x8e\tend\r";
	char *want = text_safe(in, sizeof in - 1, TEXT_SAFE_TEXT);

	/* A character or a CR LF split across writes comes out whole. */
	for (size_t step = 1; step <= 8; step++) {
		char *got = safe_stream(in, sizeof in - 1, step,
		    TEXT_SAFE_TEXT);

		assert_string_equal(got, want);
		free(got);
	}
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_phone_lengths),
		cmocka_unit_test(test_phone_format),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_safe),
		cmocka_unit_test(test_safe_text),
		cmocka_unit_test(test_safe_big),
		cmocka_unit_test(test_safe_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
