/*
 * safe_stream: a write-only stream that makes everything written through
 * it safe (safe.h): stdout and stderr when they are a terminal.
 */
#ifndef PATRON_SAFE_STREAM_H
#define PATRON_SAFE_STREAM_H

#include <stdio.h>

/*
 * A stream onto fd with the SAFE_* flags (glibc fopencookie). A character
 * split across two writes is joined first. fclose does not close fd. NULL
 * if the stream cannot be made.
 */
FILE *safe_stream_open(int fd, int flags);

#endif
