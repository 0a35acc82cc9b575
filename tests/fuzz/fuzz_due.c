/*
 * libFuzzer target for what people type as times and amounts: task due
 * input (task_due_parse), times (util_time_parse) and decimals
 * (util_decimal_parse): any bytes give a value or a one-line refusal,
 * never a crash; what parses formats back and parses again the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/task.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A fixed clock: 2026-03-28 12:00 UTC, the eve of a DST change. */
	const int64_t now = 1774699200000LL;
	static int zoned;
	struct task_due due;
	struct perr e;
	char text[64], back[64];
	int64_t v, again;

	if (!zoned) {
		util_time_zone("Europe/Berlin");
		zoned = 1;
	}
	if (size >= sizeof text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&e, 0, sizeof e);
	if (task_due_parse(text, now, &due, &e) == 0) {
		struct task_due again_due;

		task_due_format(&due, back, sizeof back);
		if (task_due_parse(back, now, &again_due, NULL) < 0 ||
		    again_due.ms != due.ms || again_due.all_day != due.all_day)
			abort();
	} else if (e.code != PX_DATAERR || e.msg[0] == '\0' ||
	    strchr(e.msg, '\n') != NULL)
		abort();
	if (util_time_parse(text, &v) == 0 && v < 0 &&
	    strncmp(text, "19", 2) != 0)
		abort();	/* before 1970 only for 19xx years */
	if (util_decimal_parse(text, 2, &v) == 0) {
		util_decimal_format(v, 2, back, sizeof back);
		if (util_decimal_parse(back, 2, &again) < 0 || again != v)
			abort();
	}
	return 0;
}
