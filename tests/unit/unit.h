/* unit: what the cmocka tests share. */
#ifndef PATRON_TEST_UNIT_H
#define PATRON_TEST_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#endif
