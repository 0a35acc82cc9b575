/*
 * text: UTF-8 checks for what people type and import, and the folding
 * that makes search forgiving (case, accents, punctuation).
 */
#ifndef PATRON_TEXT_H
#define PATRON_TEXT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

/*
 * Decode one code point from s (len bytes). Returns the bytes it used, or 0
 * for invalid UTF-8 (overlong forms, surrogates and truncated sequences
 * included).
 */
size_t text_decode(const char *s, size_t len, uint32_t *cp);
int text_valid_utf8(const char *s, size_t len);
/* C0, DEL, C1 and the bidirectional controls: never stored, never shown. */
int text_is_control(uint32_t cp);
/* UTF-8 for cp into b (4 bytes); returns its length. */
size_t text_encode(uint32_t cp, char *b);
/* Code points in valid UTF-8 text. */
size_t text_length(const char *s);

/*
 * Whether a field typed or imported is acceptable: valid UTF-8, at most max
 * characters, no control characters (C0, DEL, C1) nor bidirectional
 * overrides; with multiline, newlines and tabs are allowed. Returns NULL,
 * or what is wrong ("is not valid UTF-8", ...).
 */
const char *text_check(const char *s, size_t max, int multiline);

/*
 * The search form of s, freshly allocated: lower case, Latin accents
 * removed (José -> jose, Straße -> strasse), apostrophes dropped, any other
 * punctuation and white space as one space, no leading or trailing space.
 * Other scripts are kept as they are (lower-cased where they have case).
 */
char *text_fold(const char *s);

/* s as a JSON string, quoted and escaped; broken UTF-8 as U+FFFD. */
void text_json_string(FILE *out, const char *s);

/* Only the digits of s, freshly allocated. */
char *text_digits(const char *s);

/* s without leading and trailing white space, in place; returns s. */
char *text_trim(char *s);

#endif
