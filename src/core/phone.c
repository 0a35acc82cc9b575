/*
 * phone: E.164 normalisation with a table of calling codes and national
 * trunk prefixes, and grouping for display.
 */
#include "patron/phone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "patron/input.h"
#include "patron/utf8.h"

/* Country, calling code, the trunk prefix dialled before national numbers. */
static const struct {
	const char *country, *code, *trunk;
} phone_countries[] = {
	{ "AE", "971", "0" }, { "AR", "54", "0" }, { "AT", "43", "0" },
	{ "AU", "61", "0" }, { "BE", "32", "0" }, { "BR", "55", "0" },
	{ "CA", "1", "1" }, { "CH", "41", "0" }, { "CL", "56", "" },
	{ "CN", "86", "0" }, { "CO", "57", "" }, { "CZ", "420", "" },
	{ "DE", "49", "0" }, { "DK", "45", "" }, { "EG", "20", "0" },
	{ "ES", "34", "" }, { "FI", "358", "0" }, { "FR", "33", "0" },
	{ "GB", "44", "0" }, { "GR", "30", "" }, { "HK", "852", "" },
	{ "HU", "36", "06" }, { "ID", "62", "0" }, { "IE", "353", "0" },
	{ "IL", "972", "0" }, { "IN", "91", "0" }, { "IT", "39", "" },
	{ "JP", "81", "0" }, { "KE", "254", "0" }, { "KR", "82", "0" },
	{ "MO", "853", "" }, { "MX", "52", "" }, { "MY", "60", "0" },
	{ "NG", "234", "0" }, { "NL", "31", "0" }, { "NO", "47", "" },
	{ "NZ", "64", "0" }, { "PH", "63", "0" }, { "PK", "92", "0" },
	{ "PL", "48", "" }, { "PT", "351", "" }, { "RO", "40", "0" },
	{ "RU", "7", "8" }, { "SA", "966", "0" }, { "SE", "46", "0" },
	{ "SG", "65", "" }, { "TH", "66", "0" }, { "TR", "90", "0" },
	{ "TW", "886", "0" }, { "UA", "380", "0" }, { "US", "1", "1" },
	{ "VN", "84", "0" }, { "ZA", "27", "0" },
};
#define PHONE_NCOUNTRIES (sizeof phone_countries / sizeof phone_countries[0])

static int
phone_find(const char *country)
{
	for (size_t i = 0; i < PHONE_NCOUNTRIES; i++)
		if (strcasecmp(phone_countries[i].country, country) == 0)
			return (int)i;
	return -1;
}

const char *
phone_country_code(const char *country)
{
	int i = phone_find(country);

	return i < 0 ? NULL : phone_countries[i].code;
}

/*
 * Whether d, the digits of an E.164 number, has a plausible length; typed
 * says how it was typed: 0 with a +, 1 nationally with the trunk prefix, 2
 * nationally without it.
 */
static const char *
phone_check(const char *d, int typed)
{
	size_t n = strlen(d);

	if (strncmp(d, "86", 2) == 0) {
		const char *nat = d + 2;
		size_t m = n - 2;

		/* Mobiles: 1 and ten more digits (not 10: Beijing's code). */
		if (nat[0] == '1' && nat[1] != '0')
			return m == 11 ? NULL : "must have 11 digits for a "
			    "mobile in China (138 0013 8000)";
		if (typed == 2)
			return "needs the area code (010 6552 9988), or 11 "
			    "digits for a mobile";
		if (m < 9 || m > 11)
			return "must have 10 to 12 digits with the area code "
			    "(010 6552 9988)";
		return NULL;
	}
	if (n < 8 || n > 15)
		return "must have 8 to 15 digits with the country code";
	return NULL;
}

const char *
phone_normalize(const char *text, const char *country, char *out)
{
	char digits[64], *t;
	const char *why = NULL;
	size_t n = 0;
	int plus = 0, seen = 0, typed = 0;
	int i;

	if (strlen(text) > PHONE_TEXT_MAX * 4)
		return "is too long";
	t = input_fold(text);
	if (utf8_length(t) > PHONE_TEXT_MAX) {
		why = "is too long";
		goto out;
	}
	for (const char *p = t; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n + 1 >= sizeof digits) {
				why = "has too many digits";
				goto out;
			}
			digits[n++] = *p;
			seen = 1;
		} else if (*p == '+' && !seen && !plus)
			plus = 1;
		else if (!strchr(" -.()/", *p)) {
			why = "may hold only digits, spaces and + - . ( ) /";
			goto out;
		}
	}
	digits[n] = '\0';
	if (n == 0) {
		why = "has no digits";
		goto out;
	}
	if (!plus && n > 2 && digits[0] == '0' && digits[1] == '0') {
		memmove(digits, digits + 2, n - 1);
		n -= 2;
		plus = 1;
	}
	if (plus) {
		if (digits[0] == '0') {
			why = "has no country code after the +";
			goto out;
		}
		/* "+86 (0)10 ...": the trunk 0 written after the code. */
		if (strncmp(digits, "860", 3) == 0) {
			memmove(digits + 2, digits + 3, n - 2);
			n--;
		}
		if (n > 15) {
			why = "must have 8 to 15 digits with the country code";
			goto out;
		}
		if ((why = phone_check(digits, 0)) == NULL)
			snprintf(out, PHONE_MAX + 1, "+%s", digits);
		goto out;
	}
	if ((i = phone_find(country)) < 0) {
		why = "needs a +country code (store.country is not known)";
		goto out;
	}
	{
		const char *code = phone_countries[i].code;
		const char *trunk = phone_countries[i].trunk;
		size_t tl = strlen(trunk);
		const char *national = digits;
		char full[80];

		typed = 2;
		if (tl > 0 && strncmp(digits, trunk, tl) == 0 && n - tl >= 4) {
			national += tl;
			typed = 1;
		}
		if (strlen(code) + strlen(national) > 15) {
			why = "is too long";
			goto out;
		}
		snprintf(full, sizeof full, "%s%s", code, national);
		if ((why = phone_check(full, typed)) == NULL)
			snprintf(out, PHONE_MAX + 1, "+%s", full);
	}
out:
	free(t);
	return why;
}

/* The calling code at the start of an E.164 number's digits: its length. */
static size_t
phone_code_len(const char *digits)
{
	size_t best = 0;

	for (size_t i = 0; i < PHONE_NCOUNTRIES; i++) {
		size_t m = strlen(phone_countries[i].code);

		if (m > best && strncmp(digits, phone_countries[i].code, m) == 0)
			best = m;
	}
	return best > 0 ? best : (digits[0] == '1' || digits[0] == '7' ? 1 : 2);
}

size_t
phone_code_digits(const char *e164)
{
	const char *d = e164[0] == '+' ? e164 + 1 : e164;

	return d[0] == '\0' ? 0 : phone_code_len(d);
}

/* How a national number of n digits is grouped (index n, up to 12). */
static const char *const phone_groups[] = {
	"", "1", "2", "3", "4", "5", "33", "34", "44", "333", "334", "344",
	"444",
};

void
phone_format(const char *e164, char *out, size_t outlen)
{
	const char *d = e164[0] == '+' ? e164 + 1 : e164;
	size_t cl = phone_code_len(d), rest, o;
	const char *g;

	if (strlen(d) <= cl || outlen < 2) {
		snprintf(out, outlen, "%s", e164);
		return;
	}
	rest = strlen(d) - cl;
	o = (size_t)snprintf(out, outlen, "+%.*s", (int)cl, d);
	d += cl;
	g = rest < sizeof phone_groups / sizeof phone_groups[0] ?
	    phone_groups[rest] : NULL;
	for (size_t i = 0, left = 0; i < rest && o + 2 < outlen; i++) {
		if (left == 0) {
			/* Longer numbers: threes, the last group four. */
			left = g != NULL && *g != '\0' ? (size_t)(*g++ - '0') :
			    (rest - i == 4 ? 4 : 3);
			out[o++] = ' ';
		}
		out[o++] = d[i];
		left--;
	}
	out[o] = '\0';
}

void
phone_mask(const char *e164, char *out, size_t outlen)
{
	size_t n = strlen(e164);

	snprintf(out, outlen, "\u2022\u2022\u2022 \u2022\u2022\u2022 %s",
		n > 4 ? e164 + n - 4 : "");
}
