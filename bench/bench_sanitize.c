/*
 * bench_sanitize: what the terminal sanitiser (safe_dup) costs. Every
 * string the screens draw and everything the command line writes to a
 * terminal passes through it, so it must be cheap next to what writing
 * the text costs anyway.
 *
 * Corpus: names, phones, emails and notes in Latin, Chinese and Cyrillic,
 * with 1 in 100 strings hostile (escape sequences, bidi overrides, broken
 * UTF-8). Measured, median of the rounds, against baselines of the same
 * run:
 *   - writing the bytes as they are (fwrite to /dev/null, 4 KiB at a
 *     time): what output costs without the sanitiser;
 *   - decoding them as UTF-8 (utf8_decode), one pass, nothing written;
 *   - safe_write, safe_stream_open (the stream on stdout and stderr)
 *     and safe_dup on each short string (a name drawn on the screen).
 *
 * usage: bench_sanitize [-m MEGABYTES] [-r ROUNDS]
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "patron/safe.h"
#include "patron/safe_stream.h"
#include "patron/utf8.h"

static const char *const pieces[] = {
	"Anna Schmidt", "José Martínez", "王芳", "李小龍", "Ольга Петрова",
	"+86 138 0013 8000", "anna.schmidt@example.de", "C-10042",
	"Asked for the blue coat in size 42; call when it is back.",
	"喜欢红色的包，下周再来看看。", "vip; newsletter",
};
static const char *const hostile[] = {
	"\x1b]0;pwned\x07", "\x1b[2J\x1b[H", "\x1b]52;c;cHduZWQ=\x07",
	"\xe2\x80\xae" "evil", "\xc3\x28" "broken", "\x1bP+q544e\x1b\\",
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

int
main(int argc, char **argv)
{
	size_t want = 64u << 20, len = 0, nstr = 0, *off, *slen;
	int rounds = 5, ch;
	double t[6][16];
	char *buf;
	FILE *null, *safe;
	int fd;

	while ((ch = getopt(argc, argv, "m:r:")) != -1) {
		switch (ch) {
		case 'm': want = strtoul(optarg, NULL, 10) << 20; break;
		case 'r': rounds = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: bench_sanitize [-m MB] [-r "
			    "ROUNDS]\n");
			return 64;
		}
	}
	if (rounds < 1 || rounds > 16)
		rounds = 5;
	buf = malloc(want + 256);
	off = malloc((want / 4 + 1) * sizeof *off);
	slen = malloc((want / 4 + 1) * sizeof *slen);
	srand(42);
	while (len < want) {
		int r = rand();
		const char *p = r % 100 == 0 ?
		    hostile[(r / 100) % (sizeof hostile / sizeof *hostile)] :
		    pieces[r % (sizeof pieces / sizeof *pieces)];
		size_t n = strlen(p);

		off[nstr] = len;
		slen[nstr++] = n;
		memcpy(buf + len, p, n);
		len += n;
		buf[len++] = '\n';
	}
	null = fopen("/dev/null", "w");
	fd = open("/dev/null", O_WRONLY);
	safe = safe_stream_open(fd, SAFE_TEXT);
	if (null == NULL || safe == NULL) {
		fprintf(stderr, "bench_sanitize: cannot open /dev/null\n");
		return 1;
	}
	for (int r = 0; r < rounds; r++) {
		double a;
		volatile size_t sink = 0;

		a = bench_now();
		for (size_t i = 0; i < len; i += 4096)
			fwrite(buf + i, 1, len - i < 4096 ? len - i : 4096,
			    null);
		fflush(null);
		t[0][r] = bench_now() - a;
		a = bench_now();
		for (size_t i = 0; i < len;) {
			uint32_t cp = 0;
			size_t n = utf8_decode(buf + i, len - i, &cp);

			i += n ? n : 1;
			sink += cp;
		}
		t[1][r] = bench_now() - a;
		a = bench_now();
		safe_write(null, buf, len, SAFE_TEXT);
		fflush(null);
		t[2][r] = bench_now() - a;
		a = bench_now();
		for (size_t i = 0; i < len; i += 4096)
			fwrite(buf + i, 1, len - i < 4096 ? len - i : 4096,
			    safe);
		fflush(safe);
		t[3][r] = bench_now() - a;
		a = bench_now();
		for (size_t i = 0; i < nstr; i++)
			sink += strnlen(buf + off[i], slen[i]);
		t[4][r] = bench_now() - a;
		a = bench_now();
		for (size_t i = 0; i < nstr; i++) {
			char *s = safe_dup(buf + off[i], slen[i], 0);

			sink += strlen(s);
			free(s);
		}
		t[5][r] = bench_now() - a;
		(void)sink;
	}
	{
		double w = median(t[0], rounds), v = median(t[1], rounds);
		double sw = median(t[2], rounds), ss = median(t[3], rounds);
		double bl = median(t[4], rounds), sp = median(t[5], rounds);
		double mb = (double)len / 1e6;

		printf("bench_sanitize: %.0f MB, %zu strings (1%% hostile), "
		    "median of %d rounds\n", mb, nstr, rounds);
		printf("  %-44s %8.1f MB/s\n", "fwrite as is, 4 KiB (baseline)",
		    mb / w);
		printf("  %-44s %8.1f MB/s\n", "UTF-8 decode, utf8_decode "
		    "(baseline)", mb / v);
		printf("  %-44s %8.1f MB/s  %5.2fx decode, %5.2fx fwrite\n",
		    "safe_write", mb / sw, sw / v, sw / w);
		printf("  %-44s %8.1f MB/s  %5.2fx decode, %5.2fx fwrite\n",
		    "through safe_stream_open (4 KiB writes)", mb / ss, ss / v,
		    ss / w);
		printf("  %-44s %8.1f ns     (strnlen: %.1f ns)\n",
		    "safe_dup per string (a name on screen)",
		    sp / (double)nstr * 1e9, bl / (double)nstr * 1e9);
	}
	fclose(safe);
	close(fd);
	fclose(null);
	free(buf);
	free(off);
	free(slen);
	return 0;
}
