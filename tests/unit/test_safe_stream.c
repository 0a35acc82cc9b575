/*
 * test_safe_stream: the sanitising stream, whatever the size of the
 * writes it is given.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "patron/safe.h"
#include "patron/safe_stream.h"

/* What the stream writes, with input cut into pieces of step bytes. */
static char *
streamed(const char *in, size_t len, size_t step, int flags)
{
	int fds[2];
	FILE *f;
	char *out = malloc(len * 3 + 1);
	size_t got = 0;
	ssize_t r;

	assert_int_equal(pipe(fds), 0);
	assert_non_null(f = safe_stream_open(fds[1], flags));
	setvbuf(f, NULL, _IONBF, 0);
	for (size_t i = 0; i < len; i += step)
		fwrite(in + i, 1, len - i < step ? len - i : step, f);
	assert_int_equal(fclose(f), 0);
	close(fds[1]);
	while ((r = read(fds[0], out + got, len * 3 - got)) > 0)
		got += (size_t)r;
	close(fds[0]);
	out[got] = '\0';
	return out;
}

static void
test_safe_stream(void **state)
{
	const char in[] = "王芳\x1b]0;t\a\r\n\xe2\x80\xae\xf0\x9f\x98\x80 "
	    "\xe7\x8e\tend\r";
	char *want = safe_dup(in, sizeof in - 1, SAFE_TEXT);

	/* A character or a CR LF split across writes comes out whole. */
	for (size_t step = 1; step <= 8; step++) {
		char *got = streamed(in, sizeof in - 1, step,
		    SAFE_TEXT);

		assert_string_equal(got, want);
		free(got);
	}
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
