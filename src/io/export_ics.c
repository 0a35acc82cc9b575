/*
 * export_ics: the iCalendar format (RFC 5545) that calendar programs
 * read: tasks as the VTODO components of one VCALENDAR.
 */
#include "patron/export.h"

#include <stdlib.h>
#include <time.h>

/* An iCalendar text value: backslash, semicolon, comma and newline escaped
 * (RFC 5545 3.3.11), folded at 75 octets. */
static void
ics_line(FILE *out, const char *name, const char *value, int escape)
{
	char buf[16384];
	size_t n = 0, col;

	n += (size_t)snprintf(buf, sizeof buf, "%s:", name);
	for (const char *p = value; *p != '\0' && n + 3 < sizeof buf; p++) {
		if (escape && (*p == '\\' || *p == ';' || *p == ',')) {
			buf[n++] = '\\';
			buf[n++] = *p;
		} else if (escape && *p == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else if (*p != '\r')
			buf[n++] = *p;
	}
	buf[n] = '\0';
	/* Fold without splitting a UTF-8 sequence. */
	col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)buf[i];
		size_t len = ch < 0x80 ? 1 : ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 :
		    ch >= 0xc0 ? 2 : 1;

		if (col + len > 75) {
			fputs("\r\n ", out);
			col = 1;
		}
		fwrite(buf + i, 1, len, out);
		col += len;
		i += len - 1;
	}
	fputs("\r\n", out);
}

static void
ics_time(int64_t ms, char *buf, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y%m%dT%H%M%SZ", &tm);
}

static void
ics_head(struct export_out *x, enum export_kind kind)
{
	fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Patron//Patron "
	    PATRON_VERSION "//EN\r\nCALSCALE:GREGORIAN\r\n", x->out);
}

static void
ics_tail(struct export_out *x, enum export_kind kind)
{
	fputs("END:VCALENDAR\r\n", x->out);
}

/*
 * UID from the task's uuid, DTSTAMP the time of the export, SUMMARY,
 * DESCRIPTION, DUE (a DATE for a day, UTC otherwise), PRIORITY (1 high,
 * 5 normal, 9 low), STATUS.
 */
static void
ics_task(struct export_out *x, const struct task *t)
{
	static const char *const status[] = { "NEEDS-ACTION", "COMPLETED",
		"CANCELLED" };
	static const int priority[] = { 9, 5, 1 };
	char num[64], due[32];

	fputs("BEGIN:VTODO\r\n", x->out);
	snprintf(num, sizeof num, "%s@patron", t->uuid);
	ics_line(x->out, "UID", num, 0);
	ics_time(x->now_ms, due, sizeof due);
	ics_line(x->out, "DTSTAMP", due, 0);
	ics_time(t->created_ms, due, sizeof due);
	ics_line(x->out, "CREATED", due, 0);
	ics_line(x->out, "SUMMARY", t->title, 1);
	if (t->notes != NULL || t->customer_id > 0) {
		char *d = xasprintf("%s%s%s%s", t->notes ? t->notes : "",
		    t->notes && t->customer_id ? "\n" : "",
		    t->customer_id ? "Customer: " : "",
		    t->customer_id ? t->customer_name : "");

		ics_line(x->out, "DESCRIPTION", d, 1);
		free(d);
	}
	if (t->due.ms != 0) {
		if (t->due.all_day) {
			util_time_local(t->due.ms, "%Y%m%d", due, sizeof due);
			ics_line(x->out, "DUE;VALUE=DATE", due, 0);
		} else {
			ics_time(t->due.ms, due, sizeof due);
			ics_line(x->out, "DUE", due, 0);
		}
	}
	snprintf(num, sizeof num, "%d", priority[t->priority]);
	ics_line(x->out, "PRIORITY", num, 0);
	ics_line(x->out, "STATUS", status[t->status], 0);
	if (t->assignee[0] != '\0') {
		char *c = xasprintf("Assigned to %s", t->assignee);

		ics_line(x->out, "COMMENT", c, 1);
		free(c);
	}
	fputs("END:VTODO\r\n", x->out);
}

const struct export_ops export_ics_format = {
	.name = "ics",
	.alias = "ical",
	.head = ics_head,
	.tail = ics_tail,
	.task = ics_task,
};
