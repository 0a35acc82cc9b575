/*
 * customer_check: the checks of single customer values (customer.h),
 * shared by add and edit, the forms and imports. Each reads the value as
 * people type it (input_fold) and returns NULL or what is wrong.
 */
#include "patron/customer.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "patron/input.h"
#include "patron/utf8.h"
#include "patron/util.h"

const char *
customer_check_email(const char *s)
{
	const char *at = strchr(s, '@'), *dot;

	if (strlen(s) > CUSTOMER_EMAIL_MAX)
		return "is too long";
	if (utf8_check(s, CUSTOMER_EMAIL_MAX, 0) != NULL)
		return "contains a control character or invalid UTF-8";
	for (const char *p = s; *p != '\0'; p++)
		if (*p == ' ' || *p == '\t' || *p == ',' || *p == ';' ||
		    *p == '<' || *p == '>')
			return "must be one address like name@example.com";
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return "must look like name@example.com";
	dot = strrchr(at + 1, '.');
	if (dot == NULL || dot == at + 1 || dot[1] == '\0' ||
	    strstr(at, "..") != NULL)
		return "must have a domain like example.com after the @";
	return NULL;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static const char *customer_birthday_plain(const char *s);

const char *
customer_check_birthday(const char *s)
{
	char *t = input_fold(s);
	const char *why = customer_birthday_plain(t);

	free(t);
	return why;
}

static const char *
customer_birthday_plain(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int y, m, d;
	char today[32];

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return "must be a date like 1990-04-21";
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return "must be a date like 1990-04-21";
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap(y)))
		return "is not a real date";
	if (y < 1900)
		return "is before 1900";
	util_iso_utc(util_now_ms(), today, sizeof today);
	if (strncmp(s, today, 10) > 0)
		return "is in the future";
	return NULL;
}

const char *
customer_check_card(const char *s, char *out, size_t outlen)
{
	size_t n = 0;
	const char *why = NULL;
	char *t;

	if (strlen(s) > CUSTOMER_CARD_TEXT_MAX * 4)
		return "is too long";
	t = input_fold(s);	/* full-width letters and digits, spaces */
	for (const char *p = t; *p != '\0' && why == NULL; p++) {
		if (*p == ' ')
			continue;
		if (!isalnum((unsigned char)*p) && *p != '-')
			why = "may hold only letters, digits and -";
		else if (n + 1 >= outlen || n >= CUSTOMER_CARD_MAX)
			why = "is too long";
		else
			out[n++] = (char)toupper((unsigned char)*p);
	}
	free(t);
	if (outlen > 0)
		out[n < outlen ? n : outlen - 1] = '\0';
	return why != NULL ? why : n == 0 ? "is empty" : NULL;
}

static const char *
customer_number_plain(const char *s)
{
	const char *p = s + (*s == '-');
	size_t whole = strspn(p, "0123456789"), frac = 0;

	if (whole == 0 || whole > 15)
		return "must be a number like 42 or 37.5";
	if (p[whole] == '.') {
		frac = strspn(p + whole + 1, "0123456789");
		if (frac == 0 || frac > 6)
			return "must be a number like 42 or 37.5";
	}
	if (p[whole + (frac ? frac + 1 : 0)] != '\0')
		return "must be a number like 42 or 37.5";
	return NULL;
}

static const char *customer_date_plain(const char *s);

const char *
customer_check_date(const char *s)
{
	char *t = input_fold(s);
	const char *why = customer_date_plain(t);

	free(t);
	return why;
}

const char *
customer_check_number(const char *s)
{
	char *t = input_fold(s);
	const char *why = customer_number_plain(t);

	free(t);
	return why;
}

static const char *
customer_date_plain(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return "must be a date like 2026-12-01";
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return "must be a date like 2026-12-01";
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap(y)))
		return "is not a real date";
	return NULL;
}
