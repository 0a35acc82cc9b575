/*
 * json_quote: the one JSON string writer, so every --json output escapes
 * alike and none can carry a terminal control to whoever reads it.
 */
#include "patron/json_quote.h"

#include <string.h>

#include "patron/safe.h"
#include "patron/utf8.h"

void
json_quote(FILE *out, const char *s)
{
	size_t len = strlen(s);

	fputc('"', out);
	for (size_t i = 0, n; i < len; i += n) {
		uint32_t cp;

		if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			fputs("\\ufffd", out);	/* broken UTF-8 */
			n = 1;
			continue;
		}
		if (cp == '"' || cp == '\\')
			fprintf(out, "\\%c", (int)cp);
		else if (cp == '\n')
			fputs("\\n", out);
		else if (cp == '\t')
			fputs("\\t", out);
		else if (cp == '\r')
			fputs("\\r", out);
		else if (safe_cp(cp) != cp)
			fprintf(out, "\\u%04x", (unsigned)cp);
		else
			fwrite(s + i, 1, n, out);
	}
	fputc('"', out);
}
