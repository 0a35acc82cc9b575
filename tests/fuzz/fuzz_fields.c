/*
 * libFuzzer target for the parsers of single values people type: phone
 * numbers (normalised, formatted, masked), dates, emails, cards, the
 * search folding, and the folding of typed values with the amount and
 * points readers (input.h). Never a crash; a normalised phone is E.164 and
 * normalises to itself; an amount or points read back from their plain
 * form are the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/customer.h"
#include "patron/fold.h"
#include "patron/input.h"
#include "patron/phone.h"
#include "patron/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const countries[] = { "CN", "US", "GB", "DE",
		"IT", "HU", "XX" };
	char *s = malloc(size + 1), out[PHONE_MAX + 1], again[PHONE_MAX + 1];
	char buf[128], card[64], *f;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (size_t i = 0; i < sizeof countries / sizeof countries[0]; i++) {
		if (phone_normalize(s, countries[i], out) != NULL)
			continue;
		if (out[0] != '+' || strlen(out) < 8 || strlen(out) > PHONE_MAX ||
		    strspn(out + 1, "0123456789") != strlen(out) - 1)
			abort();
		if (phone_normalize(out, countries[i], again) != NULL ||
		    strcmp(out, again) != 0)
			abort();
		phone_format(out, buf, sizeof buf);
		phone_mask(out, buf, sizeof buf);
	}
	(void)customer_check_birthday(s);
	(void)customer_check_email(s);
	if (customer_check_card(s, card, sizeof card) == NULL &&
	    strlen(card) > CUSTOMER_CARD_MAX)
		abort();
	(void)utf8_check(s, 100, 0);
	{
		static const char *const currencies[] = { "CNY", "JPY", "USD",
			"EUR", "XXX" };
		char *g = input_fold(s), plain[48];
		int64_t v, again;

		if (strlen(g) > size)
			abort();	/* folding never grows text */
		free(g);
		for (size_t i = 0; i < 5; i++) {
			int dec = util_currency_decimals(currencies[i]);

			if (input_amount(s, currencies[i], &v) != NULL)
				continue;
			util_decimal_format(v, dec, plain, sizeof plain);
			if (input_amount(plain, currencies[i], &again) != NULL ||
			    again != v)
				abort();
		}
		if (input_points(s, &v) == NULL) {
			snprintf(plain, sizeof plain, "%lld", (long long)v);
			if (v > 1000000000LL || v < -1000000000LL ||
			    input_points(plain, &again) != NULL || again != v)
				abort();
		}
	}
	f = fold_text(s);
	if (!utf8_valid(f, strlen(f)))
		abort();	/* folding drops broken bytes */
	free(f);
	free(s);
	return 0;
}
