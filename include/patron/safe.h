/*
 * safe: terminal safety. Everything Patron shows on a terminal, on the
 * screens, in human output and in error messages, passes through
 * safe_next. Data never drives the terminal: C0 controls are shown as
 * their Unicode Control Pictures (ESC as U+241B), DEL as U+2421, C1
 * controls, broken UTF-8 (one per byte), bidirectional controls and
 * invisible format characters (U+200B, U+2028, U+2029, U+2060-U+2064,
 * U+206A-U+206F, U+FEFF, U+FFF9-U+FFFB) as U+FFFD. The result is valid
 * UTF-8 without any of those, and sanitising it again changes nothing.
 */
#ifndef PATRON_SAFE_H
#define PATRON_SAFE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Flags keep white space a caller wants: one-line fields pass 0, free
 * text SAFE_NL | SAFE_TAB.
 */
#define SAFE_NL		0x01	/* keep line feeds */
#define SAFE_TAB	0x02	/* keep tabs */
#define SAFE_CRLF	0x04	/* keep a carriage return right before LF */
#define SAFE_TEXT	(SAFE_NL | SAFE_TAB | SAFE_CRLF)

/* What a terminal shows for cp: cp itself, or its placeholder. */
uint32_t safe_cp(uint32_t cp);

/*
 * The next character of s (len > 0 bytes) as a terminal may show it: *cp
 * is that code point or its placeholder. Returns the bytes used, at least
 * 1, so a loop always advances.
 */
size_t safe_next(const char *s, size_t len, int flags, uint32_t *cp);

/* s (len bytes) made safe: written to out, or freshly allocated. */
void safe_write(FILE *out, const char *s, size_t len, int flags);
char *safe_dup(const char *s, size_t len, int flags);

/*
 * The columns s takes on a terminal as safe_next shows it on one line:
 * wide characters 2, combining marks 0, and 1 for what the locale cannot
 * measure.
 */
int safe_width(const char *s);

#endif
