/*
 * libFuzzer target for the terminal sanitiser (safe_dup): for any bytes
 * the result is valid UTF-8 with no C0, DEL, C1, bidirectional or
 * invisible format character left (but the white space the flags keep),
 * sanitising it again changes nothing, and the filtering stream, fed in
 * pieces of any size, writes exactly the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patron/safe.h"
#include "patron/safe_stream.h"
#include "patron/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check(const char *out, size_t len, int flags)
{
	uint32_t cp;

	if (!utf8_valid(out, len))
		abort();
	for (size_t i = 0, n; i < len; i += n) {
		n = utf8_decode(out + i, len - i, &cp);
		if ((cp == '\n' && (flags & SAFE_NL)) ||
		    (cp == '\t' && (flags & SAFE_TAB)) ||
		    (cp == '\r' && (flags & SAFE_CRLF) &&
			(flags & SAFE_NL) && i + 1 < len &&
			out[i + 1] == '\n'))
			continue;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		    utf8_is_control(cp) || safe_cp(cp) != cp)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in;
	char *out, *again, *streamed;
	size_t len, step, got = 0;
	FILE *tmp, *f;
	int flags;

	if (size < 2)
		return 0;
	flags = data[0] & SAFE_TEXT;
	step = (size_t)data[1] % 9 + 1;
	in = (const char *)data + 2;
	size -= 2;

	out = safe_dup(in, size, flags);
	len = strlen(out);
	fuzz_check(out, len, flags);
	again = safe_dup(out, len, flags);
	if (strcmp(again, out) != 0)
		abort();
	free(again);

	/* The stream, written step bytes at a time, agrees. */
	if ((tmp = tmpfile()) == NULL)
		abort();
	if ((f = safe_stream_open(fileno(tmp), flags)) == NULL)
		abort();
	setvbuf(f, NULL, _IONBF, 0);
	for (size_t i = 0; i < size; i += step)
		if (fwrite(in + i, 1, size - i < step ? size - i : step, f) == 0)
			abort();
	if (fclose(f) != 0)
		abort();
	streamed = malloc(len + 2);
	rewind(tmp);
	got = fread(streamed, 1, len + 1, tmp);
	fclose(tmp);
	if (got != len || memcmp(streamed, out, len) != 0)
		abort();
	free(streamed);
	free(out);
	return 0;
}
