/*
 * test_safe: the terminal sanitiser against a corpus of hostile strings,
 * and the columns what it shows takes.
 */
#include "unit.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/safe.h"
#include "patron/utf8.h"

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

/* out has none of what safe_dup replaces, except white space flags keep. */
static void
safe_props(const char *out, size_t len, int flags)
{
	uint32_t cp;
	char *again;

	assert_true(utf8_valid(out, len));
	for (size_t i = 0, n; i < len; i += n) {
		n = utf8_decode(out + i, len - i, &cp);
		if ((cp == '\n' && (flags & SAFE_NL)) ||
		    (cp == '\t' && (flags & SAFE_TAB)) ||
		    (cp == '\r' && (flags & SAFE_CRLF) &&
			out[i + 1] == '\n'))
			continue;
		assert_false(utf8_is_control(cp));
		assert_int_equal(safe_cp(cp), cp);
	}
	again = safe_dup(out, len, flags);
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
		char *out = safe_dup(safe_corpus[i].in, len, 0);

		assert_string_equal(out, safe_corpus[i].shown);
		safe_props(out, strlen(out), 0);
		free(out);
		out = safe_dup(safe_corpus[i].in, len, SAFE_TEXT);
		safe_props(out, strlen(out), SAFE_TEXT);
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
	out = safe_dup("a\r\nb\tc\rd\n\x1b[2J", 13, SAFE_TEXT);
	assert_string_equal(out, "a\r\nb\tc\u240dd\n\u241b[2J");
	free(out);
	out = safe_dup("x\r", 2, SAFE_TEXT);
	assert_string_equal(out, "x\u240d");
	free(out);
	/* safe_write gives what safe_dup gives */
	f = open_memstream(&buf, &len);
	safe_write(f, "ok \x1b]0;t\a \xff ok", 14, 0);
	fclose(f);
	assert_string_equal(buf, "ok \u241b]0;t\u2407 \ufffd ok");
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
	out = safe_dup(big, len, 0);
	safe_props(out, strlen(out), 0);
	assert_null(memchr(out, 0x1b, strlen(out)));
	free(out);
	out = safe_dup(big, len, SAFE_TEXT);
	safe_props(out, strlen(out), SAFE_TEXT);
	free(out);
	free(big);
}

static void
test_width(void **state)
{
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	assert_int_equal(safe_width(""), 0);
	assert_int_equal(safe_width("Anna"), 4);
	assert_int_equal(safe_width("王芳 José"), 9);	/* wide, accents */
	assert_int_equal(safe_width("e\xcc\x81"), 1);	/* combining mark */
	/* Placeholders count as shown: ESC as one picture, a byte as one. */
	assert_int_equal(safe_width("\x1b[2J"), 4);
	assert_int_equal(safe_width("x\xff\xfe"), 3);
	assert_int_equal(safe_width("a\nb\tc"), 5);
	/* What the locale cannot measure (unassigned U+0378) takes one. */
	assert_int_equal(safe_width("a\xcd\xb8" "b"), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe),
		cmocka_unit_test(test_safe_text),
		cmocka_unit_test(test_safe_big),
		cmocka_unit_test(test_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
