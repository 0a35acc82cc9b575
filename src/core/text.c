/*
 * text: UTF-8 decoding, field checks, search folding, and the one
 * sanitiser for everything shown on a terminal.
 */
#include "patron/text.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wctype.h>

#include "patron/util.h"

/* Latin letters with diacritics and their plain forms (from NFD). */
static const struct {
	uint32_t cp;
	const char *plain;
} text_latin[] = {
	{ 0x00c0, "a" },
	{ 0x00c1, "a" },
	{ 0x00c2, "a" },
	{ 0x00c3, "a" },
	{ 0x00c4, "a" },
	{ 0x00c5, "a" },
	{ 0x00c6, "ae" },
	{ 0x00c7, "c" },
	{ 0x00c8, "e" },
	{ 0x00c9, "e" },
	{ 0x00ca, "e" },
	{ 0x00cb, "e" },
	{ 0x00cc, "i" },
	{ 0x00cd, "i" },
	{ 0x00ce, "i" },
	{ 0x00cf, "i" },
	{ 0x00d0, "d" },
	{ 0x00d1, "n" },
	{ 0x00d2, "o" },
	{ 0x00d3, "o" },
	{ 0x00d4, "o" },
	{ 0x00d5, "o" },
	{ 0x00d6, "o" },
	{ 0x00d8, "o" },
	{ 0x00d9, "u" },
	{ 0x00da, "u" },
	{ 0x00db, "u" },
	{ 0x00dc, "u" },
	{ 0x00dd, "y" },
	{ 0x00de, "th" },
	{ 0x00df, "ss" },
	{ 0x00e0, "a" },
	{ 0x00e1, "a" },
	{ 0x00e2, "a" },
	{ 0x00e3, "a" },
	{ 0x00e4, "a" },
	{ 0x00e5, "a" },
	{ 0x00e6, "ae" },
	{ 0x00e7, "c" },
	{ 0x00e8, "e" },
	{ 0x00e9, "e" },
	{ 0x00ea, "e" },
	{ 0x00eb, "e" },
	{ 0x00ec, "i" },
	{ 0x00ed, "i" },
	{ 0x00ee, "i" },
	{ 0x00ef, "i" },
	{ 0x00f0, "d" },
	{ 0x00f1, "n" },
	{ 0x00f2, "o" },
	{ 0x00f3, "o" },
	{ 0x00f4, "o" },
	{ 0x00f5, "o" },
	{ 0x00f6, "o" },
	{ 0x00f8, "o" },
	{ 0x00f9, "u" },
	{ 0x00fa, "u" },
	{ 0x00fb, "u" },
	{ 0x00fc, "u" },
	{ 0x00fd, "y" },
	{ 0x00fe, "th" },
	{ 0x00ff, "y" },
	{ 0x0100, "a" },
	{ 0x0101, "a" },
	{ 0x0102, "a" },
	{ 0x0103, "a" },
	{ 0x0104, "a" },
	{ 0x0105, "a" },
	{ 0x0106, "c" },
	{ 0x0107, "c" },
	{ 0x0108, "c" },
	{ 0x0109, "c" },
	{ 0x010a, "c" },
	{ 0x010b, "c" },
	{ 0x010c, "c" },
	{ 0x010d, "c" },
	{ 0x010e, "d" },
	{ 0x010f, "d" },
	{ 0x0110, "d" },
	{ 0x0111, "d" },
	{ 0x0112, "e" },
	{ 0x0113, "e" },
	{ 0x0114, "e" },
	{ 0x0115, "e" },
	{ 0x0116, "e" },
	{ 0x0117, "e" },
	{ 0x0118, "e" },
	{ 0x0119, "e" },
	{ 0x011a, "e" },
	{ 0x011b, "e" },
	{ 0x011c, "g" },
	{ 0x011d, "g" },
	{ 0x011e, "g" },
	{ 0x011f, "g" },
	{ 0x0120, "g" },
	{ 0x0121, "g" },
	{ 0x0122, "g" },
	{ 0x0123, "g" },
	{ 0x0124, "h" },
	{ 0x0125, "h" },
	{ 0x0126, "h" },
	{ 0x0127, "h" },
	{ 0x0128, "i" },
	{ 0x0129, "i" },
	{ 0x012a, "i" },
	{ 0x012b, "i" },
	{ 0x012c, "i" },
	{ 0x012d, "i" },
	{ 0x012e, "i" },
	{ 0x012f, "i" },
	{ 0x0130, "i" },
	{ 0x0131, "i" },
	{ 0x0134, "j" },
	{ 0x0135, "j" },
	{ 0x0136, "k" },
	{ 0x0137, "k" },
	{ 0x0139, "l" },
	{ 0x013a, "l" },
	{ 0x013b, "l" },
	{ 0x013c, "l" },
	{ 0x013d, "l" },
	{ 0x013e, "l" },
	{ 0x0141, "l" },
	{ 0x0142, "l" },
	{ 0x0143, "n" },
	{ 0x0144, "n" },
	{ 0x0145, "n" },
	{ 0x0146, "n" },
	{ 0x0147, "n" },
	{ 0x0148, "n" },
	{ 0x014c, "o" },
	{ 0x014d, "o" },
	{ 0x014e, "o" },
	{ 0x014f, "o" },
	{ 0x0150, "o" },
	{ 0x0151, "o" },
	{ 0x0152, "oe" },
	{ 0x0153, "oe" },
	{ 0x0154, "r" },
	{ 0x0155, "r" },
	{ 0x0156, "r" },
	{ 0x0157, "r" },
	{ 0x0158, "r" },
	{ 0x0159, "r" },
	{ 0x015a, "s" },
	{ 0x015b, "s" },
	{ 0x015c, "s" },
	{ 0x015d, "s" },
	{ 0x015e, "s" },
	{ 0x015f, "s" },
	{ 0x0160, "s" },
	{ 0x0161, "s" },
	{ 0x0162, "t" },
	{ 0x0163, "t" },
	{ 0x0164, "t" },
	{ 0x0165, "t" },
	{ 0x0166, "t" },
	{ 0x0167, "t" },
	{ 0x0168, "u" },
	{ 0x0169, "u" },
	{ 0x016a, "u" },
	{ 0x016b, "u" },
	{ 0x016c, "u" },
	{ 0x016d, "u" },
	{ 0x016e, "u" },
	{ 0x016f, "u" },
	{ 0x0170, "u" },
	{ 0x0171, "u" },
	{ 0x0172, "u" },
	{ 0x0173, "u" },
	{ 0x0174, "w" },
	{ 0x0175, "w" },
	{ 0x0176, "y" },
	{ 0x0177, "y" },
	{ 0x0178, "y" },
	{ 0x0179, "z" },
	{ 0x017a, "z" },
	{ 0x017b, "z" },
	{ 0x017c, "z" },
	{ 0x017d, "z" },
	{ 0x017e, "z" },
	{ 0x01a0, "o" },
	{ 0x01a1, "o" },
	{ 0x01af, "u" },
	{ 0x01b0, "u" },
	{ 0x01cd, "a" },
	{ 0x01ce, "a" },
	{ 0x01cf, "i" },
	{ 0x01d0, "i" },
	{ 0x01d1, "o" },
	{ 0x01d2, "o" },
	{ 0x01d3, "u" },
	{ 0x01d4, "u" },
	{ 0x01d5, "u" },
	{ 0x01d6, "u" },
	{ 0x01d7, "u" },
	{ 0x01d8, "u" },
	{ 0x01d9, "u" },
	{ 0x01da, "u" },
	{ 0x01db, "u" },
	{ 0x01dc, "u" },
	{ 0x01de, "a" },
	{ 0x01df, "a" },
	{ 0x01e0, "a" },
	{ 0x01e1, "a" },
	{ 0x01e6, "g" },
	{ 0x01e7, "g" },
	{ 0x01e8, "k" },
	{ 0x01e9, "k" },
	{ 0x01ea, "o" },
	{ 0x01eb, "o" },
	{ 0x01ec, "o" },
	{ 0x01ed, "o" },
	{ 0x01f0, "j" },
	{ 0x01f4, "g" },
	{ 0x01f5, "g" },
	{ 0x01f8, "n" },
	{ 0x01f9, "n" },
	{ 0x01fa, "a" },
	{ 0x01fb, "a" },
	{ 0x0200, "a" },
	{ 0x0201, "a" },
	{ 0x0202, "a" },
	{ 0x0203, "a" },
	{ 0x0204, "e" },
	{ 0x0205, "e" },
	{ 0x0206, "e" },
	{ 0x0207, "e" },
	{ 0x0208, "i" },
	{ 0x0209, "i" },
	{ 0x020a, "i" },
	{ 0x020b, "i" },
	{ 0x020c, "o" },
	{ 0x020d, "o" },
	{ 0x020e, "o" },
	{ 0x020f, "o" },
	{ 0x0210, "r" },
	{ 0x0211, "r" },
	{ 0x0212, "r" },
	{ 0x0213, "r" },
	{ 0x0214, "u" },
	{ 0x0215, "u" },
	{ 0x0216, "u" },
	{ 0x0217, "u" },
	{ 0x0218, "s" },
	{ 0x0219, "s" },
	{ 0x021a, "t" },
	{ 0x021b, "t" },
	{ 0x021e, "h" },
	{ 0x021f, "h" },
	{ 0x0226, "a" },
	{ 0x0227, "a" },
	{ 0x0228, "e" },
	{ 0x0229, "e" },
	{ 0x022a, "o" },
	{ 0x022b, "o" },
	{ 0x022c, "o" },
	{ 0x022d, "o" },
	{ 0x022e, "o" },
	{ 0x022f, "o" },
	{ 0x0230, "o" },
	{ 0x0231, "o" },
	{ 0x0232, "y" },
	{ 0x0233, "y" },
	{ 0x1e00, "a" },
	{ 0x1e01, "a" },
	{ 0x1e02, "b" },
	{ 0x1e03, "b" },
	{ 0x1e04, "b" },
	{ 0x1e05, "b" },
	{ 0x1e06, "b" },
	{ 0x1e07, "b" },
	{ 0x1e08, "c" },
	{ 0x1e09, "c" },
	{ 0x1e0a, "d" },
	{ 0x1e0b, "d" },
	{ 0x1e0c, "d" },
	{ 0x1e0d, "d" },
	{ 0x1e0e, "d" },
	{ 0x1e0f, "d" },
	{ 0x1e10, "d" },
	{ 0x1e11, "d" },
	{ 0x1e12, "d" },
	{ 0x1e13, "d" },
	{ 0x1e14, "e" },
	{ 0x1e15, "e" },
	{ 0x1e16, "e" },
	{ 0x1e17, "e" },
	{ 0x1e18, "e" },
	{ 0x1e19, "e" },
	{ 0x1e1a, "e" },
	{ 0x1e1b, "e" },
	{ 0x1e1c, "e" },
	{ 0x1e1d, "e" },
	{ 0x1e1e, "f" },
	{ 0x1e1f, "f" },
	{ 0x1e20, "g" },
	{ 0x1e21, "g" },
	{ 0x1e22, "h" },
	{ 0x1e23, "h" },
	{ 0x1e24, "h" },
	{ 0x1e25, "h" },
	{ 0x1e26, "h" },
	{ 0x1e27, "h" },
	{ 0x1e28, "h" },
	{ 0x1e29, "h" },
	{ 0x1e2a, "h" },
	{ 0x1e2b, "h" },
	{ 0x1e2c, "i" },
	{ 0x1e2d, "i" },
	{ 0x1e2e, "i" },
	{ 0x1e2f, "i" },
	{ 0x1e30, "k" },
	{ 0x1e31, "k" },
	{ 0x1e32, "k" },
	{ 0x1e33, "k" },
	{ 0x1e34, "k" },
	{ 0x1e35, "k" },
	{ 0x1e36, "l" },
	{ 0x1e37, "l" },
	{ 0x1e38, "l" },
	{ 0x1e39, "l" },
	{ 0x1e3a, "l" },
	{ 0x1e3b, "l" },
	{ 0x1e3c, "l" },
	{ 0x1e3d, "l" },
	{ 0x1e3e, "m" },
	{ 0x1e3f, "m" },
	{ 0x1e40, "m" },
	{ 0x1e41, "m" },
	{ 0x1e42, "m" },
	{ 0x1e43, "m" },
	{ 0x1e44, "n" },
	{ 0x1e45, "n" },
	{ 0x1e46, "n" },
	{ 0x1e47, "n" },
	{ 0x1e48, "n" },
	{ 0x1e49, "n" },
	{ 0x1e4a, "n" },
	{ 0x1e4b, "n" },
	{ 0x1e4c, "o" },
	{ 0x1e4d, "o" },
	{ 0x1e4e, "o" },
	{ 0x1e4f, "o" },
	{ 0x1e50, "o" },
	{ 0x1e51, "o" },
	{ 0x1e52, "o" },
	{ 0x1e53, "o" },
	{ 0x1e54, "p" },
	{ 0x1e55, "p" },
	{ 0x1e56, "p" },
	{ 0x1e57, "p" },
	{ 0x1e58, "r" },
	{ 0x1e59, "r" },
	{ 0x1e5a, "r" },
	{ 0x1e5b, "r" },
	{ 0x1e5c, "r" },
	{ 0x1e5d, "r" },
	{ 0x1e5e, "r" },
	{ 0x1e5f, "r" },
	{ 0x1e60, "s" },
	{ 0x1e61, "s" },
	{ 0x1e62, "s" },
	{ 0x1e63, "s" },
	{ 0x1e64, "s" },
	{ 0x1e65, "s" },
	{ 0x1e66, "s" },
	{ 0x1e67, "s" },
	{ 0x1e68, "s" },
	{ 0x1e69, "s" },
	{ 0x1e6a, "t" },
	{ 0x1e6b, "t" },
	{ 0x1e6c, "t" },
	{ 0x1e6d, "t" },
	{ 0x1e6e, "t" },
	{ 0x1e6f, "t" },
	{ 0x1e70, "t" },
	{ 0x1e71, "t" },
	{ 0x1e72, "u" },
	{ 0x1e73, "u" },
	{ 0x1e74, "u" },
	{ 0x1e75, "u" },
	{ 0x1e76, "u" },
	{ 0x1e77, "u" },
	{ 0x1e78, "u" },
	{ 0x1e79, "u" },
	{ 0x1e7a, "u" },
	{ 0x1e7b, "u" },
	{ 0x1e7c, "v" },
	{ 0x1e7d, "v" },
	{ 0x1e7e, "v" },
	{ 0x1e7f, "v" },
	{ 0x1e80, "w" },
	{ 0x1e81, "w" },
	{ 0x1e82, "w" },
	{ 0x1e83, "w" },
	{ 0x1e84, "w" },
	{ 0x1e85, "w" },
	{ 0x1e86, "w" },
	{ 0x1e87, "w" },
	{ 0x1e88, "w" },
	{ 0x1e89, "w" },
	{ 0x1e8a, "x" },
	{ 0x1e8b, "x" },
	{ 0x1e8c, "x" },
	{ 0x1e8d, "x" },
	{ 0x1e8e, "y" },
	{ 0x1e8f, "y" },
	{ 0x1e90, "z" },
	{ 0x1e91, "z" },
	{ 0x1e92, "z" },
	{ 0x1e93, "z" },
	{ 0x1e94, "z" },
	{ 0x1e95, "z" },
	{ 0x1e96, "h" },
	{ 0x1e97, "t" },
	{ 0x1e98, "w" },
	{ 0x1e99, "y" },
	{ 0x1ea0, "a" },
	{ 0x1ea1, "a" },
	{ 0x1ea2, "a" },
	{ 0x1ea3, "a" },
	{ 0x1ea4, "a" },
	{ 0x1ea5, "a" },
	{ 0x1ea6, "a" },
	{ 0x1ea7, "a" },
	{ 0x1ea8, "a" },
	{ 0x1ea9, "a" },
	{ 0x1eaa, "a" },
	{ 0x1eab, "a" },
	{ 0x1eac, "a" },
	{ 0x1ead, "a" },
	{ 0x1eae, "a" },
	{ 0x1eaf, "a" },
	{ 0x1eb0, "a" },
	{ 0x1eb1, "a" },
	{ 0x1eb2, "a" },
	{ 0x1eb3, "a" },
	{ 0x1eb4, "a" },
	{ 0x1eb5, "a" },
	{ 0x1eb6, "a" },
	{ 0x1eb7, "a" },
	{ 0x1eb8, "e" },
	{ 0x1eb9, "e" },
	{ 0x1eba, "e" },
	{ 0x1ebb, "e" },
	{ 0x1ebc, "e" },
	{ 0x1ebd, "e" },
	{ 0x1ebe, "e" },
	{ 0x1ebf, "e" },
	{ 0x1ec0, "e" },
	{ 0x1ec1, "e" },
	{ 0x1ec2, "e" },
	{ 0x1ec3, "e" },
	{ 0x1ec4, "e" },
	{ 0x1ec5, "e" },
	{ 0x1ec6, "e" },
	{ 0x1ec7, "e" },
	{ 0x1ec8, "i" },
	{ 0x1ec9, "i" },
	{ 0x1eca, "i" },
	{ 0x1ecb, "i" },
	{ 0x1ecc, "o" },
	{ 0x1ecd, "o" },
	{ 0x1ece, "o" },
	{ 0x1ecf, "o" },
	{ 0x1ed0, "o" },
	{ 0x1ed1, "o" },
	{ 0x1ed2, "o" },
	{ 0x1ed3, "o" },
	{ 0x1ed4, "o" },
	{ 0x1ed5, "o" },
	{ 0x1ed6, "o" },
	{ 0x1ed7, "o" },
	{ 0x1ed8, "o" },
	{ 0x1ed9, "o" },
	{ 0x1eda, "o" },
	{ 0x1edb, "o" },
	{ 0x1edc, "o" },
	{ 0x1edd, "o" },
	{ 0x1ede, "o" },
	{ 0x1edf, "o" },
	{ 0x1ee0, "o" },
	{ 0x1ee1, "o" },
	{ 0x1ee2, "o" },
	{ 0x1ee3, "o" },
	{ 0x1ee4, "u" },
	{ 0x1ee5, "u" },
	{ 0x1ee6, "u" },
	{ 0x1ee7, "u" },
	{ 0x1ee8, "u" },
	{ 0x1ee9, "u" },
	{ 0x1eea, "u" },
	{ 0x1eeb, "u" },
	{ 0x1eec, "u" },
	{ 0x1eed, "u" },
	{ 0x1eee, "u" },
	{ 0x1eef, "u" },
	{ 0x1ef0, "u" },
	{ 0x1ef1, "u" },
	{ 0x1ef2, "y" },
	{ 0x1ef3, "y" },
	{ 0x1ef4, "y" },
	{ 0x1ef5, "y" },
	{ 0x1ef6, "y" },
	{ 0x1ef7, "y" },
	{ 0x1ef8, "y" },
	{ 0x1ef9, "y" },
};

static locale_t text_locale;
static pthread_once_t text_once = PTHREAD_ONCE_INIT;

static void
text_init(void)
{
	text_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

size_t
text_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;
	size_t n;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 2;
		c = u[0] & 0x1f;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3;
		c = u[0] & 0x0f;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4;
		c = u[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (u[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int
text_valid_utf8(const char *s, size_t len)
{
	uint32_t cp;

	for (size_t i = 0, n; i < len; i += n)
		if ((n = text_decode(s + i, len - i, &cp)) == 0)
			return 0;
	return 1;
}

size_t
text_length(const char *s)
{
	size_t count = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			count++;
	return count;
}

int
text_is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

const char *
text_check(const char *s, size_t max, int multiline)
{
	size_t len = strlen(s), count = 0;
	uint32_t cp;

	for (size_t i = 0, n; i < len; i += n, count++) {
		if ((n = text_decode(s + i, len - i, &cp)) == 0)
			return "is not valid UTF-8";
		if (text_is_control(cp) &&
		    !(multiline && (cp == '\n' || cp == '\t')))
			return "contains a control character";
	}
	if (count > max)
		return "is too long";
	return NULL;
}

static const char *
text_plain(uint32_t cp)
{
	size_t lo = 0, hi = sizeof text_latin / sizeof text_latin[0];

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (text_latin[mid].cp == cp)
			return text_latin[mid].plain;
		if (text_latin[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void
text_put(char **out, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*out = xrealloc(*out, *cap);
	}
	memcpy(*out + *len, s, n);
	*len += n;
}

size_t
text_encode(uint32_t cp, char *b)
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	b[0] = (char)(0xf0 | cp >> 18);
	b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	b[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

char *
text_fold(const char *s)
{
	size_t len = strlen(s), olen = 0, cap = len + 16;
	char *out = xmalloc(cap), b[4];
	int space = 1;		/* suppress leading and repeated spaces */
	uint32_t cp;

	pthread_once(&text_once, text_init);
	for (size_t i = 0, n; i < len; i += n) {
		const char *plain;

		if ((n = text_decode(s + i, len - i, &cp)) == 0) {
			n = 1;
			continue;	/* invalid bytes are dropped */
		}
		if (cp == '\'' || cp == 0x2019 || cp == 0x02bc)
			continue;
		if (cp < 0x80 ? !((cp >= '0' && cp <= '9') ||
			(cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) :
		    (text_is_control(cp) || iswspace((wint_t)cp) ||
			(cp >= 0x2000 && cp <= 0x206f) || cp == 0x3000 ||
			cp == 0xa0 || cp == 0xb7 || cp == 0x30fb)) {
			if (!space)
				text_put(&out, &olen, &cap, " ", 1);
			space = 1;
			continue;
		}
		space = 0;
		if ((plain = text_plain(cp)) != NULL) {
			text_put(&out, &olen, &cap, plain, strlen(plain));
			continue;
		}
		if (cp < 0x80)
			cp = (uint32_t)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		else if (text_locale != (locale_t)0)
			cp = (uint32_t)towlower_l((wint_t)cp, text_locale);
		text_put(&out, &olen, &cap, b, text_encode(cp, b));
	}
	if (olen > 0 && out[olen - 1] == ' ')
		olen--;
	out[olen] = '\0';
	return out;
}

char *
text_digits(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *p = out;

	for (; *s != '\0'; s++)
		if (*s >= '0' && *s <= '9')
			*p++ = *s;
	*p = '\0';
	return out;
}

char *
text_trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
		s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	s[n] = '\0';
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	if (i > 0)
		memmove(s, s + i, n - i + 1);
	return s;
}

void
text_json_string(FILE *out, const char *s)
{
	size_t len = strlen(s);

	fputc('"', out);
	for (size_t i = 0, n; i < len; i += n) {
		uint32_t cp;

		if ((n = text_decode(s + i, len - i, &cp)) == 0) {
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
		else if (text_safe_cp(cp) != cp)
			fprintf(out, "\\u%04x", (unsigned)cp);
		else
			fwrite(s + i, 1, n, out);
	}
	fputc('"', out);
}

/* ---- terminal safety ----------------------------------------------------- */

#define TEXT_PICTURE	0xffffffffu	/* shown as its Control Picture */

/*
 * What may not reach a terminal as it is, and what is shown instead.
 * Sorted; text_safe_cp searches it. Zero-width joiners (U+200C, U+200D),
 * variation selectors and tag characters stay: scripts and emoji need them.
 */
static const struct {
	uint32_t lo, hi, shown;
} text_unsafe[] = {
	{ 0x0000, 0x001f, TEXT_PICTURE },	/* C0 */
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
text_safe_cp(uint32_t cp)
{
	size_t lo = 0, hi = sizeof text_unsafe / sizeof text_unsafe[0];

	if ((cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp < 0x061c))
		return cp;	/* the common case, quickly */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < text_unsafe[mid].lo)
			hi = mid;
		else if (cp > text_unsafe[mid].hi)
			lo = mid + 1;
		else
			return text_unsafe[mid].shown == TEXT_PICTURE ?
			    0x2400 + cp : text_unsafe[mid].shown;
	}
	return cp;
}

size_t
text_safe_next(const char *s, size_t len, int flags, uint32_t *cp)
{
	unsigned char b = (unsigned char)s[0];
	size_t n;

	if (b >= 0x20 && b < 0x7f) {
		*cp = b;
		return 1;
	}
	if ((n = text_decode(s, len, cp)) == 0) {
		*cp = 0xfffd;	/* one per broken byte */
		return 1;
	}
	if ((b == '\n' && (flags & TEXT_SAFE_NL)) ||
	    (b == '\t' && (flags & TEXT_SAFE_TAB)) ||
	    (b == '\r' && (flags & TEXT_SAFE_CRLF) && (flags & TEXT_SAFE_NL) &&
		len > 1 && s[1] == '\n'))
		return n;
	*cp = text_safe_cp(*cp);
	return n;
}

void
text_safe_write(FILE *out, const char *s, size_t len, int flags)
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
		n = text_safe_next(s + i, len - i, flags, &cp);
		if (text_decode(s + i, len - i, &was) != n || was != cp) {
			fwrite(s + run, 1, i - run, out);
			fwrite(b, 1, text_encode(cp, b), out);
			run = i + n;
		}
		i += n;
	}
	fwrite(s + run, 1, len - run, out);
}

char *
text_safe(const char *s, size_t len, int flags)
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
		i += text_safe_next(s + i, len - i, flags, &cp);
		p += text_encode(cp, p);
	}
	*p = '\0';
	return out;
}

/* A stream that makes what is written safe; see text_safe_stream. */
struct text_stream {
	int fd, flags, failed;
	size_t ncarry, nout;
	char carry[4];		/* the start of a character cut by a write */
	char out[4096];
};

/* Whether u (len bytes) starts a valid UTF-8 sequence but is cut short. */
static int
text_incomplete(const unsigned char *u, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need;

	if (len == 0)
		return 0;
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		need = 2;
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
		need = 3;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		need = 4;
	else
		return 0;
	if (len >= need)
		return 0;
	/* The second byte's range rules out overlong forms and surrogates. */
	if (u[0] == 0xe0)
		lo = 0xa0;
	else if (u[0] == 0xed)
		hi = 0x9f;
	else if (u[0] == 0xf0)
		lo = 0x90;
	else if (u[0] == 0xf4)
		hi = 0x8f;
	if (len > 1 && (u[1] < lo || u[1] > hi))
		return 0;
	if (len > 2 && (u[2] & 0xc0) != 0x80)
		return 0;
	return 1;
}

static void
text_stream_flush(struct text_stream *ts)
{
	size_t done = 0;

	while (done < ts->nout && !ts->failed) {
		ssize_t w = write(ts->fd, ts->out + done, ts->nout - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			ts->failed = 1;
		else
			done += (size_t)w;
	}
	ts->nout = 0;
}

/*
 * Make s (len bytes) safe into the output, character by character, while
 * a character starts before stop. With end, len is the end of what has
 * been written so far: a character cut there, or a CR that may yet be
 * followed by LF, waits in carry for the next write.
 */
static size_t
text_stream_feed(struct text_stream *ts, const char *s, size_t len,
    size_t stop, int end)
{
	size_t pos = 0;
	uint32_t cp;

	while (pos < stop) {
		size_t left = len - pos;
		unsigned char c = (unsigned char)s[pos];

		if (c >= 0x20 && c < 0x7f) {
			/* Printable ASCII, the common case, as it is. */
			if (ts->nout == sizeof ts->out)
				text_stream_flush(ts);
			ts->out[ts->nout++] = (char)c;
			pos++;
			continue;
		}
		if (end && left < 4 && (text_incomplete((const unsigned char *)
		    s + pos, left) || (left == 1 && s[pos] == '\r' &&
		    (ts->flags & TEXT_SAFE_CRLF)))) {
			memcpy(ts->carry, s + pos, left);
			ts->ncarry = left;
			return len;
		}
		pos += text_safe_next(s + pos, left, ts->flags, &cp);
		if (ts->nout + 4 > sizeof ts->out)
			text_stream_flush(ts);
		ts->nout += text_encode(cp, ts->out + ts->nout);
	}
	return pos;
}

static ssize_t
text_stream_write(void *cookie, const char *buf, size_t size)
{
	struct text_stream *ts = cookie;
	size_t old = ts->ncarry, off = 0;

	ts->ncarry = 0;
	if (old > 0) {
		/* Join the carried bytes with the first ones of buf. */
		size_t m = size < 4 ? size : 4;
		char tmp[8];

		memcpy(tmp, ts->carry, old);
		memcpy(tmp + old, buf, m);
		off = text_stream_feed(ts, tmp, old + m, old, m == size) - old;
	}
	if (off < size)
		text_stream_feed(ts, buf + off, size - off, size - off, 1);
	text_stream_flush(ts);
	return ts->failed ? -1 : (ssize_t)size;
}

static int
text_stream_close(void *cookie)
{
	struct text_stream *ts = cookie;
	int rc;

	/* What still waits can only be shown as placeholders now. */
	text_stream_feed(ts, ts->carry, ts->ncarry, ts->ncarry, 0);
	text_stream_flush(ts);
	rc = ts->failed ? -1 : 0;
	free(ts);
	return rc;
}

FILE *
text_safe_stream(int fd, int flags)
{
	static const cookie_io_functions_t io = {
		.write = text_stream_write,
		.close = text_stream_close,
	};
	struct text_stream *ts = xmalloc(sizeof *ts);
	FILE *f;

	memset(ts, 0, sizeof *ts);
	ts->fd = fd;
	ts->flags = flags;
	if ((f = fopencookie(ts, "w", io)) == NULL)
		free(ts);
	return f;
}
