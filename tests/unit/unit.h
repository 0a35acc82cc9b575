/* unit: what the cmocka tests share. */
#ifndef PATRON_TEST_UNIT_H
#define PATRON_TEST_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

/* A file of the source tree (under PATRON_TOP, which tests/run.sh sets,
 * or "."), open for reading; the test fails if it cannot be opened. */
static inline FILE *
unit_top_open(const char *rel)
{
	char path[512];
	const char *top = getenv("PATRON_TOP");
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", top != NULL ? top : ".", rel);
	f = fopen(path, "r");
	assert_non_null(f);
	return f;
}

#endif
