/*
 * input: folding of typed values and the amount and points readers
 * (input.h).
 */
#include "patron/input.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "patron/utf8.h"
#include "patron/util.h"

char *
input_fold(const char *s)
{
	size_t len = strlen(s), o = 0, start = 0;
	char *out = xmalloc(len + 1);

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (n == 0) {		/* broken: kept for the parser to refuse */
			out[o++] = s[i++];
			continue;
		}
		if (cp >= 0xff01 && cp <= 0xff5e)
			out[o++] = (char)(cp - 0xfee0);
		else if (cp == 0x3000 || cp == 0x00a0 || cp == 0x2007 ||
		    cp == 0x202f || cp == '\t')
			out[o++] = ' ';
		else if (cp == 0x3002)
			out[o++] = '.';
		else if (cp == 0x2212)
			out[o++] = '-';
		else {
			memcpy(out + o, s + i, n);
			o += n;
		}
		i += n;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	while (out[start] == ' ')
		start++;
	memmove(out, out + start, o - start + 1);
	return out;
}

/*
 * The signs of a currency people write before or after an amount, longest
 * first where one starts another. The code itself (any case) is taken too.
 */
static const struct {
	const char *code;
	const char *signs[5];
} input_currencies[] = {
	{ "CNY", { "CN\u00a5", "RMB", "\u00a5", "\uffe5", "\u5143" } },
	{ "JPY", { "JP\u00a5", "\u00a5", "\uffe5", "\u5186" } },
	{ "USD", { "US$", "$" } },
	{ "EUR", { "\u20ac" } },
	{ "GBP", { "\u00a3", "\uffe1" } },
	{ "HKD", { "HK$", "$" } },
	{ "MOP", { "MOP$", "$" } },
	{ "TWD", { "NT$", "$" } },
	{ "SGD", { "S$", "$" } },
	{ "AUD", { "A$", "$" } },
	{ "CAD", { "C$", "$" } },
	{ "NZD", { "NZ$", "$" } },
	{ "MXN", { "MX$", "$" } },
	{ "BRL", { "R$" } },
	{ "KRW", { "\u20a9", "\uffe6" } },
	{ "INR", { "\u20b9" } },
	{ "RUB", { "\u20bd" } },
	{ "THB", { "\u0e3f" } },
	{ "ILS", { "\u20aa" } },
	{ "TRY", { "\u20ba" } },
	{ "VND", { "\u20ab" } },
	{ "PHP", { "\u20b1" } },
	{ "UAH", { "\u20b4" } },
	{ "PLN", { "z\u0142" } },
};
#define INPUT_NCURRENCIES \
	(sizeof input_currencies / sizeof input_currencies[0])

/* The length of the sign or code of currency (NULL: any) s starts with. */
static size_t
input_sign_at(const char *s, const char *currency, int at_end, size_t len)
{
	size_t best = 0;

	for (size_t i = 0; i < INPUT_NCURRENCIES; i++) {
		if (currency != NULL &&
		    strcmp(input_currencies[i].code, currency) != 0)
			continue;
		for (int j = 0; j < 5 && input_currencies[i].signs[j]; j++) {
			const char *g = input_currencies[i].signs[j];
			size_t n = strlen(g);

			if (n > best && n <= len &&
			    memcmp(at_end ? s + len - n : s, g, n) == 0)
				best = n;
		}
	}
	/* The code: "CNY 35.80", "35.80cny". */
	if (currency != NULL && len >= 3 &&
	    strncasecmp(at_end ? s + len - 3 : s, currency, 3) == 0 && best < 3)
		best = 3;
	return best;
}

/* Digits grouped by threes with one kind of separator, then decimals. */
static const char *
input_number(const char *p, size_t len, int decimals_ok, char *plain,
	size_t plainlen)
{
	size_t o = 0, group = 0, i = 0;
	char sep = 0;

	for (; i < len && p[i] != '.'; i++) {
		if (p[i] >= '0' && p[i] <= '9') {
			if (sep != 0 && ++group > 3)
				return "has digits grouped oddly (like "
				    "1,234.50)";
			if (o + 2 >= plainlen)
				return "is too large";
			plain[o++] = p[i];
			if (sep == 0)
				group++;
			continue;
		}
		if (p[i] != ',' && p[i] != ' ')
			return "must be a number like 12.50";
		if ((sep != 0 && p[i] != sep) || group == 0 ||
		    (sep == 0 && group > 3) || (sep != 0 && group != 3))
			return "has digits grouped oddly (like 1,234.50)";
		sep = p[i];
		group = 0;
	}
	if (o == 0 && i < len && decimals_ok)
		plain[o++] = '0';	/* ".50" */
	if (o == 0)
		return "has no digits";
	if (sep != 0 && group != 3)
		return "has digits grouped oddly (like 1,234.50)";
	if (i < len) {
		if (!decimals_ok)
			return "must be a whole number";
		plain[o++] = p[i++];
		if (i == len)
			return "has no digits after the point";
		for (; i < len; i++) {
			if (p[i] < '0' || p[i] > '9')
				return "must be a number like 12.50";
			if (o + 2 >= plainlen)
				return "has too many decimals";
			plain[o++] = p[i];
		}
	}
	plain[o] = '\0';
	return NULL;
}

const char *
input_amount(const char *s, const char *currency, int64_t *out)
{
	char *t = input_fold(s), plain[40];
	const char *p = t, *why = NULL;
	size_t len, n;
	int neg = 0, signed_ = 0, dec = util_currency_decimals(currency);
	int64_t v;

	if (*p == '-' || *p == '+') {
		neg = *p++ == '-';
		signed_ = 1;
	}
	len = strlen(p);
	if ((n = input_sign_at(p, currency, 0, len)) > 0) {
		p += n;
		while (*p == ' ')
			p++;
		len = strlen(p);
	} else if ((n = input_sign_at(p, currency, 1, len)) > 0) {
		len -= n;
		while (len > 0 && p[len - 1] == ' ')
			len--;
	}
	if (n == 0 && (input_sign_at(p, NULL, 0, len) > 0 ||
		input_sign_at(p, NULL, 1, len) > 0)) {
		why = "is in another currency";
		goto out;
	}
	if (!signed_ && len > 0 && (*p == '-' || *p == '+')) {
		neg = *p++ == '-';
		len--;
	}
	if (len == 0) {
		why = "has no digits";
		goto out;
	}
	plain[0] = neg ? '-' : '+';
	if ((why = input_number(p, len, 1, plain + 1, sizeof plain - 1)) !=
	    NULL)
		goto out;
	{
		const char *point = strchr(plain, '.');

		if (point != NULL && (int)strlen(point + 1) > dec) {
			why = dec == 0 ? "must be whole (the currency has no "
			    "decimals)" : "has too many decimals";
			goto out;
		}
	}
	if (util_decimal_parse(plain, dec, &v) < 0)
		why = "is too large";
	else
		*out = v;
out:
	free(t);
	return why;
}

const char *
input_points(const char *s, int64_t *out)
{
	char *t = input_fold(s), plain[24];
	const char *p = t, *why;
	int neg = 0;
	int64_t v = 0;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if ((why = input_number(p, strlen(p), 0, plain, sizeof plain)) ==
	    NULL) {
		for (const char *d = plain; *d != '\0' && why == NULL; d++)
			if ((v = v * 10 + (*d - '0')) > 1000000000LL)
				why = "is too large (at most 1,000,000,000)";
		if (why == NULL)
			*out = neg ? -v : v;
	}
	free(t);
	return why;
}
