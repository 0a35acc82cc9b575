/*
 * safe_stream: the sanitiser (safe.c) as a stdio stream, so printf-style
 * output is made safe as it is written, without a copy per string.
 */
#include "patron/safe_stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patron/safe.h"
#include "patron/utf8.h"
#include "patron/util.h"

struct safe_stream {
	int fd, flags, failed;
	size_t ncarry, nout;
	char carry[4];		/* the start of a character cut by a write */
	char out[4096];
};

static void
safe_stream_flush(struct safe_stream *ss)
{
	size_t done = 0;

	while (done < ss->nout && !ss->failed) {
		ssize_t w = write(ss->fd, ss->out + done, ss->nout - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			ss->failed = 1;
		else
			done += (size_t)w;
	}
	ss->nout = 0;
}

/*
 * Make s (len bytes) safe into the output, character by character, while
 * a character starts before stop. With end, len is the end of what has
 * been written so far: a character cut there, or a CR that may yet be
 * followed by LF, waits in carry for the next write.
 */
static size_t
safe_stream_feed(struct safe_stream *ss, const char *s, size_t len,
    size_t stop, int end)
{
	size_t pos = 0;
	uint32_t cp;

	while (pos < stop) {
		size_t left = len - pos;
		unsigned char c = (unsigned char)s[pos];

		if (c >= 0x20 && c < 0x7f) {
			/* Printable ASCII, the common case, as it is. */
			if (ss->nout == sizeof ss->out)
				safe_stream_flush(ss);
			ss->out[ss->nout++] = (char)c;
			pos++;
			continue;
		}
		if (end && left < 4 && (utf8_partial(s + pos, left) ||
		    (left == 1 && s[pos] == '\r' &&
		    (ss->flags & SAFE_CRLF)))) {
			memcpy(ss->carry, s + pos, left);
			ss->ncarry = left;
			return len;
		}
		pos += safe_next(s + pos, left, ss->flags, &cp);
		if (ss->nout + 4 > sizeof ss->out)
			safe_stream_flush(ss);
		ss->nout += utf8_encode(cp, ss->out + ss->nout);
	}
	return pos;
}

static ssize_t
safe_stream_write(void *cookie, const char *buf, size_t size)
{
	struct safe_stream *ss = cookie;
	size_t old = ss->ncarry, off = 0;

	ss->ncarry = 0;
	if (old > 0) {
		/* Join the carried bytes with the first ones of buf. */
		size_t m = size < 4 ? size : 4;
		char tmp[8];

		memcpy(tmp, ss->carry, old);
		memcpy(tmp + old, buf, m);
		off = safe_stream_feed(ss, tmp, old + m, old, m == size) - old;
	}
	if (off < size)
		safe_stream_feed(ss, buf + off, size - off, size - off, 1);
	safe_stream_flush(ss);
	return ss->failed ? -1 : (ssize_t)size;
}

static int
safe_stream_close(void *cookie)
{
	struct safe_stream *ss = cookie;
	int rc;

	/* What still waits can only be shown as placeholders now. */
	safe_stream_feed(ss, ss->carry, ss->ncarry, ss->ncarry, 0);
	safe_stream_flush(ss);
	rc = ss->failed ? -1 : 0;
	free(ss);
	return rc;
}

FILE *
safe_stream_open(int fd, int flags)
{
	static const cookie_io_functions_t io = {
		.write = safe_stream_write,
		.close = safe_stream_close,
	};
	struct safe_stream *ss = xmalloc(sizeof *ss);
	FILE *f;

	memset(ss, 0, sizeof *ss);
	ss->fd = fd;
	ss->flags = flags;
	if ((f = fopencookie(ss, "w", io)) == NULL)
		free(ss);
	return f;
}
