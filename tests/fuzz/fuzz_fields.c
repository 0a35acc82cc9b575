/*
 * libFuzzer target for the parsers of single values people type: phone
 * numbers (normalised, formatted, masked), dates, emails, cards, and the
 * search folding. Never a crash; a normalised phone is E.164 and
 * normalises to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "patron/customer.h"
#include "patron/phone.h"
#include "patron/text.h"

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
	(void)text_check(s, 100, 0);
	f = text_fold(s);
	if (!text_valid_utf8(f, strlen(f)))
		abort();	/* folding drops broken bytes */
	free(f);
	free(s);
	return 0;
}
