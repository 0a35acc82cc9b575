/*
 * util: time and UUIDv7, money as text, and I/O loops that survive EINTR
 * and short transfers (errors are perr.c, allocation xmalloc.c).
 */
#include "patron/util.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

int64_t
util_now_ms(void)
{
	static int64_t offset;
	static int checked;
	struct timespec ts;
	int64_t now;

	clock_gettime(CLOCK_REALTIME, &ts);
	now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (!checked) {
		const char *fake = getenv("PATRON_NOW");
		int64_t want;

		checked = 1;
		if (fake != NULL && *fake != '\0' &&
		    util_time_parse(fake, &want) == 0)
			offset = want - now;
	}
	return now + offset;
}

void
util_iso_utc(int64_t ms, char *buf, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

/* Currencies whose minor unit is not a hundredth (ISO 4217). */
static const struct {
	char code[4];
	int decimals;
} util_currencies[] = {
	{ "BHD", 3 }, { "BIF", 0 }, { "CLF", 4 }, { "CLP", 0 }, { "DJF", 0 },
	{ "GNF", 0 }, { "IQD", 3 }, { "ISK", 0 }, { "JOD", 3 }, { "JPY", 0 },
	{ "KMF", 0 }, { "KRW", 0 }, { "KWD", 3 }, { "LYD", 3 }, { "OMR", 3 },
	{ "PYG", 0 }, { "RWF", 0 }, { "TND", 3 }, { "UGX", 0 }, { "UYI", 0 },
	{ "UYW", 4 }, { "VND", 0 }, { "VUV", 0 }, { "XAF", 0 }, { "XOF", 0 },
	{ "XPF", 0 },
};

int
util_currency_decimals(const char *code)
{
	for (size_t i = 0; i < sizeof util_currencies /
	    sizeof util_currencies[0]; i++)
		if (strcmp(code, util_currencies[i].code) == 0)
			return util_currencies[i].decimals;
	return 2;
}

#define UTIL_DECIMAL_MAX 1000000000000000LL	/* 10^15 */

int
util_decimal_parse(const char *s, int dec, int64_t *out)
{
	int64_t v = 0;
	int neg = 0, digits = 0, frac = -1;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s != '\0'; s++) {
		if (*s == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -1;
		if (frac >= 0 && ++frac > dec)
			return -1;
		v = v * 10 + (*s - '0');
		if (v > UTIL_DECIMAL_MAX)
			return -1;
		digits++;
	}
	if (digits == 0 || frac == 0)
		return -1;	/* "", "-", "12." */
	for (int i = frac < 0 ? 0 : frac; i < dec; i++) {
		v *= 10;
		if (v > UTIL_DECIMAL_MAX)
			return -1;
	}
	*out = neg ? -v : v;
	return 0;
}

void
util_decimal_format(int64_t v, int dec, char *buf, size_t len)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t unit = 1;

	for (int i = 0; i < dec; i++)
		unit *= 10;
	if (dec == 0)
		snprintf(buf, len, "%s%llu", v < 0 ? "-" : "",
		    (unsigned long long)a);
	else
		snprintf(buf, len, "%s%llu.%0*llu", v < 0 ? "-" : "",
		    (unsigned long long)(a / unit), dec,
		    (unsigned long long)(a % unit));
}

void
util_decimal_group(int64_t v, int dec, int plus, char *buf, size_t len)
{
	char plain[48], out[64];
	const char *digits, *point;
	size_t n = 0, whole;

	util_decimal_format(v, dec, plain, sizeof plain);
	digits = plain[0] == '-' ? plain + 1 : plain;
	point = strchr(digits, '.');
	whole = point ? (size_t)(point - digits) : strlen(digits);
	if (v < 0)
		out[n++] = '-';
	else if (plus && v > 0)
		out[n++] = '+';
	for (size_t i = 0; i < whole; i++) {
		if (i > 0 && (whole - i) % 3 == 0)
			out[n++] = ',';
		out[n++] = digits[i];
	}
	snprintf(out + n, sizeof out - n, "%s", point ? point : "");
	snprintf(buf, len, "%s", out);
}

void
util_money_text(int64_t v, const char *currency, char *buf, size_t len)
{
	char amount[64];

	util_decimal_group(v, util_currency_decimals(currency), 0, amount,
	    sizeof amount);
	snprintf(buf, len, "%s %s", amount, currency);
}

static int
util_days_in(int year, int mon)	/* mon 1-12 */
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return mon == 2 && leap ? 29 : days[mon - 1];
}

/* Read exactly n digits at *p into *v. */
static int
util_digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

int
util_time_parse(const char *s, int64_t *ms)
{
	struct tm tm = { 0 };
	int y, mo, d, h = 0, mi = 0, sec = 0, msec = 0, off = 0, utc = 0;
	const char *p = s;
	time_t t;

	if (util_digits(&p, 4, &y) < 0 || *p++ != '-' ||
	    util_digits(&p, 2, &mo) < 0 || *p++ != '-' ||
	    util_digits(&p, 2, &d) < 0)
		return -1;
	if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > util_days_in(y, mo))
		return -1;
	if (*p == ' ' || *p == 'T') {
		p++;
		if (util_digits(&p, 2, &h) < 0 || *p++ != ':' ||
		    util_digits(&p, 2, &mi) < 0)
			return -1;
		if (*p == ':') {
			p++;
			if (util_digits(&p, 2, &sec) < 0)
				return -1;
			if (*p == '.') {
				p++;
				if (util_digits(&p, 3, &msec) < 0)
					return -1;
			}
		}
		if (h > 23 || mi > 59 || sec > 59)
			return -1;
		if (*p == 'Z') {
			utc = 1;
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om, sign = *p++ == '-' ? -1 : 1;

			if (util_digits(&p, 2, &oh) < 0 || *p++ != ':' ||
			    util_digits(&p, 2, &om) < 0 || oh > 14 || om > 59)
				return -1;
			utc = 1;
			off = sign * (oh * 60 + om);
		}
	}
	if (*p != '\0')
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if (utc)
		t = timegm(&tm) - (time_t)off * 60;
	else {
		tm.tm_isdst = -1;
		t = mktime(&tm);
		if (t == (time_t)-1)
			return -1;
	}
	*ms = (int64_t)t * 1000 + msec;
	return 0;
}

void
util_time_local(int64_t ms, const char *fmt, char *buf, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	if (strftime(buf, len, fmt, &tm) == 0 && len > 0)
		buf[0] = '\0';
}

void
util_time_zone(const char *zone)
{
	if (zone[0] != '\0')
		setenv("TZ", zone, 1);
	tzset();
}

int64_t
util_add_months(int64_t ms, int n)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	int y, m;

	gmtime_r(&t, &tm);
	y = tm.tm_year + 1900 + (tm.tm_mon + n) / 12;
	m = (tm.tm_mon + n) % 12;
	if (m < 0) {
		m += 12;
		y--;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = m;
	if (tm.tm_mday > util_days_in(y, m + 1))
		tm.tm_mday = util_days_in(y, m + 1);
	return (int64_t)timegm(&tm) * 1000 + ms % 1000;
}

/*
 * Random bytes for identifiers, drawn from a pool refilled 4 KiB at a time:
 * one getrandom() call per 400 UUIDs instead of one each (imports make
 * a hundred thousand). Never used for keys or nonces.
 */
static void
util_id_random(uint8_t *out, size_t n)
{
	static uint8_t pool[4096];
	static size_t left;
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

	pthread_mutex_lock(&lock);
	if (left < n) {
		randombytes_buf(pool, sizeof pool);
		left = sizeof pool;
	}
	memcpy(out, pool + sizeof pool - left, n);
	sodium_memzero(pool + sizeof pool - left, n);
	left -= n;
	pthread_mutex_unlock(&lock);
}

void
util_uuid7(char out[37])
{
	uint8_t b[16];
	uint64_t ms = (uint64_t)util_now_ms();
	char hex[33];

	util_id_random(b, sizeof b);
	for (int i = 0; i < 6; i++)
		b[i] = (uint8_t)(ms >> (40 - 8 * i));
	b[6] = (uint8_t)(0x70 | (b[6] & 0x0f));
	b[8] = (uint8_t)(0x80 | (b[8] & 0x3f));
	util_hex(b, sizeof b, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
		hex + 12, hex + 16, hex + 20);
}

char *
util_trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	s[n] = '\0';
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	if (i > 0)
		memmove(s, s + i, n - i + 1);
	return s;
}

void
util_hex(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int
util_pwrite_all(int fd, const void *buf, size_t n, int64_t off)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = pwrite(fd, p, n, (off_t)off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
		off += w;
	}
	return 0;
}

long
util_pread_all(int fd, void *buf, size_t n, int64_t off)
{
	char *p = buf;
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, p + got, n - got, (off_t)(off + (int64_t)got));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (long)got;
}

int
util_fsync_dir(const char *path)
{
	char *copy = xstrdup(path);
	int fd, rc;

	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

void
util_fault_point(const char *name)
{
	const char *want = getenv("PATRON_FAULT");

	if (want != NULL && strcmp(want, name) == 0)
		kill(getpid(), SIGKILL);
}

char *
util_temp_name(const char *path, const char *what)
{
	uint8_t r[6];
	char hex[13];

	randombytes_buf(r, sizeof r);
	util_hex(r, sizeof r, hex);
	return xasprintf("%s.%s-%s", path, what, hex);
}
