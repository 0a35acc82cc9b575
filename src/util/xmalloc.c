/*
 * xmalloc: allocation that cannot return NULL. Out of memory, the process
 * gives the terminal back (xmalloc_on_fatal), says so and exits.
 */
#include "patron/xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void (*xmalloc_fatal)(void);

void
xmalloc_on_fatal(void (*fn)(void))
{
	xmalloc_fatal = fn;
}

static void
xmalloc_oom(void)
{
	static const char msg[] = "patron: out of memory\n";
	void (*fn)(void) = xmalloc_fatal;

	/* The terminal back first (the screens' endwin), once. */
	xmalloc_fatal = NULL;
	if (fn != NULL)
		fn();
	/*
	 * Nothing can be allocated to report it; write and leave with 1
	 * (PX_FAIL): xmalloc includes nothing of Patron's, as perr and safe
	 * rest on it.
	 */
	if (write(2, msg, sizeof msg - 1) < 0)
		_exit(1);
	_exit(1);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		xmalloc_oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		xmalloc_oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		xmalloc_oom();
	return q;
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		xmalloc_oom();
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/*
 * PATRON_NOW (a time util_time_parse reads) moves the clock for tests:
 * the first call measures the distance to it, and the clock then runs on
 * from there.
 */
