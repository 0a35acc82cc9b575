/*
 * phone: E.164 normalisation with a table of calling codes and national
 * trunk prefixes, and grouping for display.
 */
#include "patron/phone.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

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

const char *
phone_normalize(const char *text, const char *country, char *out)
{
	char digits[64];
	size_t n = 0;
	int plus = 0, seen = 0;
	const char *code;
	int i;

	for (const char *p = text; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n + 1 >= sizeof digits)
				return "has too many digits";
			digits[n++] = *p;
			seen = 1;
		} else if (*p == '+' && !seen && !plus)
			plus = 1;
		else if (!strchr(" -.()/", *p))
			return "may hold only digits, spaces and + - . ( ) /";
	}
	digits[n] = '\0';
	if (n == 0)
		return "has no digits";
	if (!plus && n > 2 && digits[0] == '0' && digits[1] == '0') {
		memmove(digits, digits + 2, n - 1);
		n -= 2;
		plus = 1;
	}
	if (plus) {
		if (n < 7 || n > 15)
			return "must have 7 to 15 digits after the +";
		if (digits[0] == '0')
			return "has no country code after the +";
		snprintf(out, PHONE_MAX + 1, "+%s", digits);
		return NULL;
	}
	if ((i = phone_find(country)) < 0)
		return "needs a +country code (store.country is not known)";
	code = phone_countries[i].code;
	{
		const char *trunk = phone_countries[i].trunk;
		size_t t = strlen(trunk);
		const char *national = digits;

		if (t > 0 && strncmp(digits, trunk, t) == 0 && n - t >= 4)
			national += t;
		if (strlen(national) < 4 || strlen(code) + strlen(national) < 7)
			return "is too short";
		if (strlen(code) + strlen(national) > 15)
			return "is too long";
		snprintf(out, PHONE_MAX + 1, "+%s%s", code, national);
	}
	return NULL;
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
