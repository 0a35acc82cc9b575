/*
 * input: values as people type them at a counter, made plain before they
 * are parsed: full-width forms from a Chinese or Japanese input method
 * (１３８, ３５.８０, Ｃ０００１), the ideographic and no-break spaces,
 * surrounding white space, a currency sign or code of the store's currency
 * and grouping in amounts and points. One place for the command line, the
 * screens and imports, so they accept the same text.
 */
#ifndef PATRON_INPUT_H
#define PATRON_INPUT_H

#include <stdint.h>

/*
 * s folded, freshly allocated: U+FF01..U+FF5E (full-width ASCII) as
 * U+0021..U+007E, U+3000 (ideographic space), U+00A0, U+2007 and U+202F
 * (no-break spaces) and tabs as a space, U+3002 (ideographic full stop) as
 * '.', U+2212 (minus sign) as '-'; leading and trailing spaces dropped.
 * Anything else, broken UTF-8 included, is kept as it is for the parser
 * that follows to accept or refuse.
 */
char *input_fold(const char *s);

/*
 * An amount in currency (ISO 4217) as typed: "35.80", " ３５.８０ ",
 * "¥35.80", "￥35.80", "35.80元", "CNY 35.80", "-¥12", "1,234.50",
 * "1 234.50", into minor units. A sign or code is taken only if it is the
 * store's currency's; digits are grouped by threes with "," or " " (one
 * kind in an amount), "." marks the decimals. Returns NULL, or what is
 * wrong (a phrase to follow the value, e.g. "is in another currency").
 */
const char *input_amount(const char *s, const char *currency, int64_t *out);

/*
 * A whole number of points as typed: "50", "+50", "-20", "１,０００",
 * " 1 000 ". At most 10^9 in magnitude. Returns NULL or what is wrong.
 */
const char *input_points(const char *s, int64_t *out);

#endif
