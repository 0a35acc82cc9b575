/*
 * libFuzzer target for the purchases CSV reader and its row parser (the
 * POS files of `import purchases`): any bytes give rows or one located
 * error, never a crash or a leak; every row parses or is refused with a
 * one-line message naming the column. The money and time parsers it uses
 * (util_decimal_parse, util_time_parse) are fuzzed through it. Read as
 * csv_stream.h says: in two ways that must agree, within limits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/import.h"

#include "csv_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_row(const struct import_row *r, void *arg, struct perr *e)
{
	const struct config *cfg = arg;
	struct import_purchase p;
	struct perr why;
	char buf[64];

	if (r->line < 2)
		abort();	/* the header is line 1 */
	memset(&why, 0, sizeof why);
	if (import_purchase_parse(r, cfg, &p, &why) == 0) {
		/* What parsed formats back and reads back the same. */
		int64_t again;

		if (p.customer[0] == '\0' || p.in.receipt == NULL)
			abort();
		util_decimal_format(p.in.total, 2, buf, sizeof buf);
		if (util_decimal_parse(buf, 2, &again) < 0 ||
		    again != p.in.total)
			abort();
	} else if (why.code != PX_DATAERR || why.msg[0] == '\0' ||
	    strchr(why.msg, '\n') != NULL)
		abort();
	(void)e;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;

	if (size == 0)
		return 0;
	config_defaults(&cfg);
	csv_stream_read(data, size, &cfg, &import_kind_purchases, fuzz_row,
	    &cfg);
	return 0;
}
