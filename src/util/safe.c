/*
 * safe: the one sanitiser for everything shown on a terminal (safe.h says
 * what it replaces and with what), and the columns what it shows takes.
 */
#include "patron/safe.h"

#include <string.h>
#include <wchar.h>

#include "patron/utf8.h"
#include "patron/xmalloc.h"

#define SAFE_PICTURE	0xffffffffu	/* shown as its Control Picture */

/*
 * What may not reach a terminal as it is, and what is shown instead.
 * Sorted; safe_cp searches it. Zero-width joiners (U+200C, U+200D),
 * variation selectors and tag characters stay: scripts and emoji need them.
 */
static const struct {
	uint32_t lo, hi, shown;
} safe_unsafe[] = {
	{ 0x0000, 0x001f, SAFE_PICTURE },	/* C0 */
	{ 0x007f, 0x007f, 0x2421 },		/* DEL */
	{ 0x0080, 0x009f, 0xfffd },		/* C1, CSI (U+009B) included */
	{ 0x061c, 0x061c, 0xfffd },		/* Arabic letter mark */
	{ 0x200b, 0x200b, 0xfffd },		/* zero width space */
	{ 0x200e, 0x200f, 0xfffd },		/* LRM, RLM */
	{ 0x2028, 0x2029, 0xfffd },		/* line and paragraph separators */
	{ 0x202a, 0x202e, 0xfffd },		/* LRE, RLE, PDF, LRO, RLO */
	{ 0x2060, 0x2064, 0xfffd },		/* word joiner, invisible operators */
	{ 0x2066, 0x2069, 0xfffd },		/* LRI, RLI, FSI, PDI */
	{ 0x206a, 0x206f, 0xfffd },		/* deprecated format characters */
	{ 0xfeff, 0xfeff, 0xfffd },		/* zero width no-break space, BOM */
	{ 0xfff9, 0xfffb, 0xfffd },		/* interlinear annotation */
};

uint32_t
safe_cp(uint32_t cp)
{
	size_t lo = 0, hi = sizeof safe_unsafe / sizeof safe_unsafe[0];

	if ((cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp < 0x061c))
		return cp;	/* the common case, quickly */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < safe_unsafe[mid].lo)
			hi = mid;
		else if (cp > safe_unsafe[mid].hi)
			lo = mid + 1;
		else
			return safe_unsafe[mid].shown == SAFE_PICTURE ?
			    0x2400 + cp : safe_unsafe[mid].shown;
	}
	return cp;
}

size_t
safe_next(const char *s, size_t len, int flags, uint32_t *cp)
{
	unsigned char b = (unsigned char)s[0];
	size_t n;

	if (b >= 0x20 && b < 0x7f) {
		*cp = b;
		return 1;
	}
	if ((n = utf8_decode(s, len, cp)) == 0) {
		*cp = 0xfffd;	/* one per broken byte */
		return 1;
	}
	if ((b == '\n' && (flags & SAFE_NL)) ||
	    (b == '\t' && (flags & SAFE_TAB)) ||
	    (b == '\r' && (flags & SAFE_CRLF) && (flags & SAFE_NL) &&
		len > 1 && s[1] == '\n'))
		return n;
	*cp = safe_cp(*cp);
	return n;
}

void
safe_write(FILE *out, const char *s, size_t len, int flags)
{
	size_t run = 0, i = 0, n;
	uint32_t cp, was;
	char b[4];

	/* Runs that need no change go out as they are. */
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f) {
			i++;	/* printable ASCII: the common case */
			continue;
		}
		n = safe_next(s + i, len - i, flags, &cp);
		if (utf8_decode(s + i, len - i, &was) != n || was != cp) {
			fwrite(s + run, 1, i - run, out);
			fwrite(b, 1, utf8_encode(cp, b), out);
			run = i + n;
		}
		i += n;
	}
	fwrite(s + run, 1, len - run, out);
}

char *
safe_dup(const char *s, size_t len, int flags)
{
	char *out, *p;
	uint32_t cp;

	/* At most 3 bytes out for each byte in (U+2400 for a C0 byte). */
	out = p = xmalloc(len * 3 + 1);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f) {
			*p++ = (char)c;
			i++;
			continue;
		}
		i += safe_next(s + i, len - i, flags, &cp);
		p += utf8_encode(cp, p);
	}
	*p = '\0';
	return out;
}

int
safe_width(const char *s)
{
	size_t len = strlen(s);
	int w = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int cw;

		i += safe_next(s + i, len - i, 0, &cp);
		cw = wcwidth((wchar_t)cp);
		w += cw < 0 ? 1 : cw;
	}
	return w;
}
