/*
 * phone: phone numbers kept as E.164 (+8613800138000), read as people type
 * them in the shop's country (store.country) or internationally, and shown
 * grouped (+86 138 0013 8000) or masked (••• ••• 8000).
 */
#ifndef PATRON_PHONE_H
#define PATRON_PHONE_H

#include <stddef.h>

#define PHONE_MAX 16	/* "+" and at most 15 digits */

/*
 * Normalise text typed in country (ISO 3166-1 alpha-2) to E.164 in out
 * (PHONE_MAX + 1 bytes). Returns NULL, or what is wrong with it.
 */
const char *phone_normalize(const char *text, const char *country, char *out);

/* The calling code of country ("86"), or NULL if Patron does not know it. */
const char *phone_country_code(const char *country);

/* An E.164 number for people: "+86 138 0013 8000". */
void phone_format(const char *e164, char *out, size_t outlen);

/* Only the last four digits shown: "••• ••• 8000". */
void phone_mask(const char *e164, char *out, size_t outlen);

#endif
