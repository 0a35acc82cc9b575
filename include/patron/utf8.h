/*
 * utf8: decoding and encoding UTF-8, and the checks for what people type
 * and import (valid, not too long, no control characters).
 */
#ifndef PATRON_UTF8_H
#define PATRON_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode one code point from s (len bytes). Returns the bytes it used, or 0
 * for invalid UTF-8 (overlong forms, surrogates and truncated sequences
 * included).
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
int utf8_valid(const char *s, size_t len);
/* UTF-8 for cp into b (4 bytes); returns its length. */
size_t utf8_encode(uint32_t cp, char *b);
/* Code points in valid UTF-8 text. */
size_t utf8_length(const char *s);
/*
 * Whether s (len bytes) is the start of a valid sequence cut short: the
 * rest may yet come (a stream joins it with the next write).
 */
int utf8_partial(const char *s, size_t len);

/* C0, DEL, C1 and the bidirectional controls: never stored, never shown. */
int utf8_is_control(uint32_t cp);

/*
 * Whether a field typed or imported is acceptable: valid UTF-8, at most max
 * characters, no control characters (C0, DEL, C1) nor bidirectional
 * overrides; with multiline, newlines and tabs are allowed. Returns NULL,
 * or what is wrong ("is not valid UTF-8", ...).
 */
const char *utf8_check(const char *s, size_t max, int multiline);

#endif
