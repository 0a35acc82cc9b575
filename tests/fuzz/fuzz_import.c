/*
 * libFuzzer target for the customers CSV reader and row checks: any bytes
 * give rows or one located error (exit code 65 or 74), never a crash or a
 * leak; every row converts and validates or is refused with a message.
 * Read as csv_stream.h says: in two ways that must agree, within limits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/customer.h"
#include "patron/import.h"

#include "csv_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_row(const struct import_row *r, void *arg, struct perr *e)
{
	const struct config *cfg = arg;
	struct customer_input in;
	const char *tags[CUSTOMER_TAGS_MAX];
	char tagbuf[4096];
	struct import_kv kv;
	struct perr why;

	if (r->line < 2)
		abort();	/* the header is line 1 */
	memset(&why, 0, sizeof why);
	if (import_row_input(r, cfg, &in, tags, CUSTOMER_TAGS_MAX, tagbuf,
		    sizeof tagbuf, &kv, &why) == 0)
		(void)customer_validate(cfg, &in, &why);
	import_row_done(&kv);
	if (why.code != 0 && (why.code != PX_DATAERR || why.msg[0] == '\0'))
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
	/* Two custom fields, so their columns are read and checked too. */
	strcpy(cfg.fields[0].key, "shoe_size");
	cfg.fields[0].type = CONFIG_FIELD_NUMBER;
	strcpy(cfg.fields[1].key, "since");
	cfg.fields[1].type = CONFIG_FIELD_DATE;
	cfg.nfields = 2;
	csv_stream_read(data, size, &cfg, &import_kind_customers, fuzz_row,
	    &cfg);
	return 0;
}
