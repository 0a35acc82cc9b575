/*
 * xmalloc: allocation that cannot return NULL.
 */
#ifndef PATRON_XMALLOC_H
#define PATRON_XMALLOC_H

#include <stddef.h>

/*
 * fn runs before the process dies of what it cannot report any other way
 * (out of memory, in xmalloc and friends), so whoever borrowed the
 * terminal gives it back first: the screens restore it (endwin). NULL
 * clears it. xmalloc knows nothing of the terminal; the caller does.
 */
void xmalloc_on_fatal(void (*fn)(void));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
