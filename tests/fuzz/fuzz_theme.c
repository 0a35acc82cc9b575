/*
 * libFuzzer target for the theme loader: any bytes load or give one
 * located PX_CONFIG error; every colour that loads has a nearest colour on
 * 8, 16 and 256-colour terminals within range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "patron/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int ncolors[] = { 8, 16, 256 };
	struct theme t;
	struct perr e;

	memset(&e, 0, sizeof e);
	if (theme_load_buffer("fuzz", (const char *)data, size, &t, &e) < 0) {
		if (e.code != PX_CONFIG || e.msg[0] == '\0')
			abort();
		return 0;
	}
	for (int i = 0; i < THEME_NELEMS; i++)
		for (int k = 0; k < 3; k++) {
			int f = theme_nearest(&t.elem[i].fg, ncolors[k]);
			int b = theme_nearest(&t.elem[i].bg, ncolors[k]);

			if (f < -1 || f >= ncolors[k] || b < -1 || b >= ncolors[k])
				abort();
		}
	return 0;
}
