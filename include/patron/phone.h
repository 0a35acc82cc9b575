/*
 * phone: phone numbers kept as E.164 (+8613800138000), read as people type
 * them in the shop's country (store.country) or internationally, and shown
 * grouped (+86 138 0013 8000) or masked (••• ••• 8000).
 */
#ifndef PATRON_PHONE_H
#define PATRON_PHONE_H

#include <stddef.h>

#define PHONE_MAX 16	/* "+" and at most 15 digits */
#define PHONE_TEXT_MAX 40	/* characters of a phone as typed */

/*
 * Normalise text typed in country (ISO 3166-1 alpha-2) to E.164 in out
 * (PHONE_MAX + 1 bytes). Full-width digits and spaces are read as plain
 * ones (input_fold). Lengths are checked: in China (+86) a mobile has 11
 * digits starting with 1, a landline 10 to 12 with 0 and its area code
 * (typed nationally, the 0 is required); elsewhere 8 to 15 digits with the
 * country code. Returns NULL, or what is wrong with it.
 */
const char *phone_normalize(const char *text, const char *country, char *out);

/* The calling code of country ("86"), or NULL if Patron does not know it. */
const char *phone_country_code(const char *country);

/* The digits of the calling code an E.164 number starts with (86: 2). */
size_t phone_code_digits(const char *e164);

/* An E.164 number for people: "+86 138 0013 8000". */
void phone_format(const char *e164, char *out, size_t outlen);

/* Only the last four digits shown: "••• ••• 8000". */
void phone_mask(const char *e164, char *out, size_t outlen);

#endif
