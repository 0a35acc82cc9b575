/*
 * libFuzzer target for the config loader: any bytes must give 0 or a
 * located PX_CONFIG error, never a crash or a leak; and whatever loads must
 * print as YAML that loads back to the same settings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patron/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c, back;
	struct perr e;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	memset(&e, 0, sizeof e);
	if (config_load_buffer(&c, "fuzz", (const char *)data, size, &e) < 0) {
		if (e.code != PX_CONFIG || e.msg[0] == '\0' ||
			strchr(e.msg, '\n') != NULL)
			abort();
		return 0;
	}
	f = open_memstream(&text, &len);
	if (f == NULL)
		return 0;
	config_print(&c, f);
	if (fclose(f) != 0)
		abort();
	memset(&e, 0, sizeof e);
	if (config_load_buffer(&back, "fuzz", text, len, &e) < 0) {
		fprintf(stderr, "printed config rejected: %d:%d: %s\n%s",
			e.line, e.col, e.msg, text);
		abort();
	}
	if (memcmp(&c, &back, sizeof c) != 0) {
		fprintf(stderr, "printed config reads back differently:\n%s",
			text);
		abort();
	}
	free(text);
	return 0;
}
