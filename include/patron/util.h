/*
 * util: time, ids, money as text and small string and I/O helpers shared
 * by every layer; it brings errors (perr.h) and allocation (xmalloc.h).
 */
#ifndef PATRON_UTIL_H
#define PATRON_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "patron/perr.h"
#include "patron/xmalloc.h"

/* Milliseconds since the Unix epoch, wall clock. */
int64_t util_now_ms(void);
/* "2026-11-22T07:14:59.123Z" into buf (at least 25 bytes). */
void util_iso_utc(int64_t ms, char *buf, size_t len);
/*
 * Money and decimals. Amounts are integers of minor units; a currency's
 * minor unit (ISO 4217) decides how many decimals it has.
 */
int util_currency_decimals(const char *code);
/*
 * Parse "12", "12.5", "-3.25" (dec decimals at most; no exponent, no
 * thousands separator) into an integer scaled by 10^dec. -1 when the text
 * is not such a number or the value passes 10^15 in magnitude.
 */
int util_decimal_parse(const char *s, int dec, int64_t *out);
/* v / 10^dec as text with exactly dec decimals: "12.50", "-0.05", "7". */
void util_decimal_format(int64_t v, int dec, char *buf, size_t len);
/*
 * The same for people: thousands separated by commas ("12,500.00",
 * "-1,250"), and a '+' before a positive v when plus ("+1,250").
 */
void util_decimal_group(int64_t v, int dec, int plus, char *buf, size_t len);
/* An amount of minor units in currency, for messages: "12,500.00 CNY". */
void util_money_text(int64_t v, const char *currency, char *buf, size_t len);

/*
 * Times as people type them, in the local zone (store.timezone):
 * "2026-12-01", "2026-12-01 15:30", "2026-12-01T15:30:45", and ISO 8601
 * with "Z" or an offset ("2026-12-01T07:30:00Z", "...+08:00"), with or
 * without milliseconds. A date alone is its local midnight. -1 when the
 * text is none of these or not a real date.
 */
int util_time_parse(const char *s, int64_t *ms);
/* ms (UTC) in local time with strftime's fmt. */
void util_time_local(int64_t ms, const char *fmt, char *buf, size_t len);
/* Make zone (an IANA name; "" keeps the system's) the local zone. */
void util_time_zone(const char *zone);
/* ms plus n calendar months (UTC), the day kept or clamped to month end. */
int64_t util_add_months(int64_t ms, int n);

/* A UUID version 7 (time-ordered, RFC 9562) as 36 characters plus NUL. */
void util_uuid7(char out[37]);
/*
 * A name beside path for a file written and then renamed into place:
 * "PATH.WHAT-" and 12 random hex digits. Create it with O_EXCL.
 */
char *util_temp_name(const char *path, const char *what);
/* s without leading and trailing white space, in place; returns s. */
char *util_trim(char *s);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void util_hex(const uint8_t *in, size_t n, char *out);

/* Write all of buf at offset, retrying on EINTR and short writes. */
int util_pwrite_all(int fd, const void *buf, size_t n, int64_t off);
/* Read up to n bytes at offset; returns bytes read (short at EOF) or -1. */
long util_pread_all(int fd, void *buf, size_t n, int64_t off);
/* fsync the directory holding path, so a rename or create is durable. */
int util_fsync_dir(const char *path);

/*
 * Test hook: when the environment variable PATRON_FAULT names this point,
 * the process kills itself with SIGKILL here (crash tests use it to stop a
 * key change at every step). Without the variable it does nothing.
 */
void util_fault_point(const char *name);

#endif
