/*
 * test_util: errors as values and how they print, the test clock, UTC
 * times, decimals at their limits, UUIDv7, temporary names, hex, and
 * whole reads and writes at an offset; and out of memory, the hook that
 * gives the terminal back runs before the message and the exit.
 */
#include "unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "patron/util.h"

/* First, before anything reads the clock: PATRON_NOW sets where it starts,
 * and it runs on from there. */
static void
test_clock(void **state)
{
	int64_t want, a, b;

	(void)state;
	setenv("PATRON_NOW", "2026-11-24T08:00:00Z", 1);
	assert_int_equal(util_time_parse("2026-11-24T08:00:00Z", &want), 0);
	a = util_now_ms();
	assert_true(a >= want && a < want + 60000);
	while ((b = util_now_ms()) == a)
		;
	assert_true(b > a);
	unsetenv("PATRON_NOW");
}

static void
test_errors(void **state)
{
	struct perr e;

	(void)state;
	assert_int_equal(perr_set(NULL, PX_FAIL, "nobody %s", "hears"), -1);
	assert_int_equal(perr_at(NULL, PX_FAIL, "f", 1, 2, "x"), -1);
	assert_int_equal(perr_at(&e, PX_CONFIG, "c.yaml", 3, 7, "bad %d", 5),
	    -1);
	assert_int_equal(e.code, PX_CONFIG);
	assert_string_equal(e.file, "c.yaml");
	assert_int_equal(e.line, 3);
	assert_int_equal(e.col, 7);
	assert_string_equal(e.msg, "bad 5");
	/* A plain error forgets the place of the one before it. */
	assert_int_equal(perr_set(&e, PX_DATAERR, "plain"), -1);
	assert_int_equal(e.code, PX_DATAERR);
	assert_string_equal(e.file, "");
	assert_int_equal(e.line, 0);
	assert_string_equal(e.msg, "plain");
	perr_clear(&e);
	assert_int_equal(e.code, 0);
	assert_string_equal(e.msg, "");
}

/* What perr_print writes on stderr for e. */
static void
printed(const struct perr *e, char *out, size_t len)
{
	char path[] = "/tmp/patron-unit-err.XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	long n;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	perr_print(e);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = util_pread_all(fd, out, len - 1, 0);
	assert_true(n >= 0);
	out[n] = '\0';
	close(fd);
	unlink(path);
}

static void
test_print(void **state)
{
	struct perr e;
	char out[256];

	(void)state;
	perr_at(&e, PX_CONFIG, "c.yaml", 3, 7, "bad");
	printed(&e, out, sizeof out);
	assert_string_equal(out, "patron: c.yaml:3:7: bad\n");
	perr_at(&e, PX_DATAERR, "in.csv", 4, 0, "short row");
	printed(&e, out, sizeof out);
	assert_string_equal(out, "patron: in.csv:4: short row\n");
	perr_at(&e, PX_NOINPUT, "gone.csv", 0, 9, "cannot open");
	printed(&e, out, sizeof out);
	assert_string_equal(out, "patron: gone.csv: cannot open\n");
	perr_set(&e, PX_FAIL, "no customer 'x\033]0;owned\007'\nrm -rf");
	printed(&e, out, sizeof out);
	/* One line, and no escape reaches the terminal. */
	assert_non_null(strstr(out, "patron: no customer 'x"));
	assert_null(strchr(out, '\033'));
	assert_null(strchr(out, '\007'));
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	perr_clear(&e);
	printed(&e, out, sizeof out);
	assert_string_equal(out, "patron: error\n");
}

static void
test_strings(void **state)
{
	char *s, hex[9], t[16];
	const uint8_t b[] = { 0x00, 0x9f, 0xa0, 0xff };

	(void)state;
	s = xasprintf("%s-%03d", "n", 7);
	assert_string_equal(s, "n-007");
	free(s);
	s = xstrdup("");
	assert_string_equal(s, "");
	free(s);
	util_hex(b, sizeof b, hex);
	assert_string_equal(hex, "009fa0ff");
	strcpy(t, " \t a b \r\n");
	assert_string_equal(util_trim(t), "a b");
	strcpy(t, "\n\n");
	assert_string_equal(util_trim(t), "");
}

static void
test_iso_utc(void **state)
{
	char buf[32];
	int64_t ms;

	(void)state;
	util_iso_utc(0, buf, sizeof buf);
	assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
	assert_int_equal(util_time_parse("2026-11-22T07:14:59.123Z", &ms), 0);
	util_iso_utc(ms, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-22T07:14:59.123Z");
	/* Leap day and the last millisecond of a year. */
	assert_int_equal(util_time_parse("2028-02-29T23:59:59.999Z", &ms), 0);
	util_iso_utc(ms, buf, sizeof buf);
	assert_string_equal(buf, "2028-02-29T23:59:59.999Z");
	util_iso_utc(ms + 1, buf, sizeof buf);
	assert_string_equal(buf, "2028-03-01T00:00:00.000Z");
}

static void
test_decimals(void **state)
{
	int64_t v;
	char buf[32];

	(void)state;
	assert_int_equal(util_currency_decimals("CNY"), 2);
	assert_int_equal(util_currency_decimals("JPY"), 0);
	assert_int_equal(util_currency_decimals("KWD"), 3);
	assert_int_equal(util_currency_decimals("CLF"), 4);
	assert_int_equal(util_currency_decimals("XXZ"), 2);
	assert_int_equal(util_decimal_parse("+12.5", 2, &v), 0);
	assert_int_equal(v, 1250);
	assert_int_equal(util_decimal_parse("-0.05", 2, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(util_decimal_parse(".5", 2, &v), 0);
	assert_int_equal(v, 50);
	/* Not numbers: empty, a sign alone, a point alone or last, two
	 * points, more decimals than the currency has, an exponent. */
	assert_int_equal(util_decimal_parse("", 2, &v), -1);
	assert_int_equal(util_decimal_parse("-", 2, &v), -1);
	assert_int_equal(util_decimal_parse(".", 2, &v), -1);
	assert_int_equal(util_decimal_parse("12.", 2, &v), -1);
	assert_int_equal(util_decimal_parse("1.2.3", 2, &v), -1);
	assert_int_equal(util_decimal_parse("1.234", 2, &v), -1);
	assert_int_equal(util_decimal_parse("1.5", 0, &v), -1);
	assert_int_equal(util_decimal_parse("1e3", 2, &v), -1);
	assert_int_equal(util_decimal_parse("1,000", 2, &v), -1);
	assert_int_equal(util_decimal_parse(" 1", 2, &v), -1);
	/* 10^15 in magnitude, scaled, is the limit. */
	assert_int_equal(util_decimal_parse("10000000000000.00", 2, &v), 0);
	assert_int_equal(v, 1000000000000000LL);
	assert_int_equal(util_decimal_parse("10000000000000.01", 2, &v), -1);
	assert_int_equal(util_decimal_parse("-10000000000000.01", 2, &v), -1);
	assert_int_equal(util_decimal_parse("99999999999999999999", 0, &v),
	    -1);
	util_decimal_format(-5, 2, buf, sizeof buf);
	assert_string_equal(buf, "-0.05");
	util_decimal_format(1000000000000000LL, 2, buf, sizeof buf);
	assert_string_equal(buf, "10000000000000.00");
	util_decimal_format(-7, 0, buf, sizeof buf);
	assert_string_equal(buf, "-7");
	util_decimal_format(12345, 3, buf, sizeof buf);
	assert_string_equal(buf, "12.345");
	util_decimal_group(-123456789, 2, 0, buf, sizeof buf);
	assert_string_equal(buf, "-1,234,567.89");
	util_decimal_group(0, 0, 1, buf, sizeof buf);
	assert_string_equal(buf, "0");
	util_money_text(1250000, "JPY", buf, sizeof buf);
	assert_string_equal(buf, "1,250,000 JPY");
}

/* Whether s is lower-case hex in the 8-4-4-4-12 form. */
static int
uuid_form(const char *s)
{
	if (strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!strchr("0123456789abcdef", s[i]))
			return 0;
	}
	return 1;
}

static void
test_uuid7(void **state)
{
	char a[37], b[37], c[37], ms[13];
	int64_t at, before, after;

	(void)state;
	before = util_now_ms();
	util_uuid7(a);
	after = util_now_ms();
	util_uuid7(b);
	/* The first 48 bits are the time in ms. */
	memcpy(ms, a, 8);
	memcpy(ms + 8, a + 9, 4);
	ms[12] = '\0';
	at = (int64_t)strtoll(ms, NULL, 16);
	assert_true(at >= before && at <= after);
	assert_true(uuid_form(a));
	assert_int_equal(a[14], '7');	/* the version */
	assert_non_null(strchr("89ab", a[19]));	/* the variant */
	assert_string_not_equal(a, b);
	/* Time-ordered: one made a millisecond later sorts after. */
	at = util_now_ms();
	while (util_now_ms() == at)
		;
	util_uuid7(c);
	assert_true(strcmp(c, a) > 0 && strcmp(c, b) > 0);
}

static void
test_temp_name(void **state)
{
	char *a = util_temp_name("/d/patron.db", "backup");
	char *b = util_temp_name("/d/patron.db", "backup");

	(void)state;
	assert_int_equal(strlen(a), strlen("/d/patron.db.backup-") + 12);
	assert_memory_equal(a, "/d/patron.db.backup-", 20);
	for (const char *p = a + 20; *p; p++)
		assert_non_null(strchr("0123456789abcdef", *p));
	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

static void
test_io(void **state)
{
	char dir[] = "/tmp/patron-unit.XXXXXX", path[64], buf[16];
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/f", dir);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(util_pwrite_all(fd, "world", 5, 6), 0);
	assert_int_equal(util_pwrite_all(fd, "hello ", 6, 0), 0);
	assert_int_equal(util_pread_all(fd, buf, 11, 0), 11);
	assert_memory_equal(buf, "hello world", 11);
	/* Short at the end of the file, nothing past it. */
	assert_int_equal(util_pread_all(fd, buf, sizeof buf, 6), 5);
	assert_memory_equal(buf, "world", 5);
	assert_int_equal(util_pread_all(fd, buf, sizeof buf, 100), 0);
	close(fd);
	assert_int_equal(util_pread_all(fd, buf, 1, 0), -1);
	assert_int_equal(util_pwrite_all(fd, "x", 1, 0), -1);
	assert_int_equal(util_fsync_dir(path), 0);
	assert_int_equal(util_fsync_dir("/nonexistent/dir/f"), -1);
	unlink(path);
	rmdir(dir);
}

/*
 * Under AddressSanitizer (make check) an impossible malloc must return
 * NULL, as the C library's does, rather than stop the test.
 */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static void
restore(void)
{
	static const char msg[] = "terminal restored\n";

	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
		_exit(99);
}

/* What a child that runs out of memory writes on stderr, and its status. */
static int
oom_child(void (*hook)(void), char *out, size_t len)
{
	volatile size_t huge = SIZE_MAX;
	int fds[2], status;
	size_t got = 0;
	ssize_t r;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		xmalloc_on_fatal(hook);
		(void)xmalloc(huge);
		_exit(98);	/* not reached */
	}
	close(fds[1]);
	while (got < len - 1 &&
	    (r = read(fds[0], out + got, len - 1 - got)) > 0)
		got += (size_t)r;
	out[got] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* How out ends (AddressSanitizer warns of the failed malloc first). */
static const char *
tail_of(const char *out, const char *want)
{
	size_t n = strlen(out), m = strlen(want);

	return n >= m ? out + n - m : out;
}

static void
test_oom(void **state)
{
	const char *restored = "terminal restored\npatron: out of memory\n";
	char out[512];

	assert_int_equal(oom_child(restore, out, sizeof out), PX_FAIL);
	assert_string_equal(tail_of(out, restored), restored);
	assert_int_equal(oom_child(NULL, out, sizeof out), PX_FAIL);
	assert_string_equal(tail_of(out, "patron: out of memory\n"),
	    "patron: out of memory\n");
	assert_null(strstr(out, "terminal restored"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_iso_utc),
		cmocka_unit_test(test_decimals),
		cmocka_unit_test(test_uuid7),
		cmocka_unit_test(test_temp_name),
		cmocka_unit_test(test_io),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
