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

/*
 * Terminal safety: everything Patron shows on a terminal, on the screens,
 * in human output and in error messages, passes through text_safe_next.
 * Data never drives the terminal: C0 controls are shown as their Unicode
 * Control Pictures (ESC as U+241B), DEL as U+2421, C1 controls, broken
 * UTF-8 (one per byte), bidirectional controls and invisible format
 * characters (U+200B, U+2028, U+2029, U+2060-U+2064, U+206A-U+206F,
 * U+FEFF, U+FFF9-U+FFFB) as U+FFFD. The result is valid UTF-8 without any
 * of those, and sanitising it again changes nothing.
 *
 * Flags keep white space a caller wants: one-line fields pass 0, free
 * text TEXT_SAFE_NL | TEXT_SAFE_TAB.
 */
#define TEXT_SAFE_NL	0x01	/* keep line feeds */
#define TEXT_SAFE_TAB	0x02	/* keep tabs */
#define TEXT_SAFE_CRLF	0x04	/* keep a carriage return right before LF */
#define TEXT_SAFE_TEXT	(TEXT_SAFE_NL | TEXT_SAFE_TAB | TEXT_SAFE_CRLF)

/* What a terminal shows for cp: cp itself, or its placeholder. */
uint32_t text_safe_cp(uint32_t cp);

/*
 * The next character of s (len > 0 bytes) as a terminal may show it: *cp
 * is that code point or its placeholder. Returns the bytes used, at least
 * 1, so a loop always advances.
 */
size_t text_safe_next(const char *s, size_t len, int flags, uint32_t *cp);

/* s (len bytes) made safe: written to out, or freshly allocated. */
void text_safe_write(FILE *out, const char *s, size_t len, int flags);
char *text_safe(const char *s, size_t len, int flags);

/*
 * A write-only stream onto fd that makes everything written through it
 * safe (glibc fopencookie). A character split across two writes is joined
 * first. fclose does not close fd. NULL if the stream cannot be made.
 */
FILE *text_safe_stream(int fd, int flags);

/*
 * s as a JSON string, quoted and escaped; broken UTF-8 as U+FFFD, and
 * whatever text_safe_cp would replace as a \u escape (\u202e), so it is
 * kept exactly but never drives a terminal.
 */
void text_json_string(FILE *out, const char *s);

/* Only the digits of s, freshly allocated. */
char *text_digits(const char *s);

/* s without leading and trailing white space, in place; returns s. */
char *text_trim(char *s);

#endif
