/* bench: what the benchmarks share. */
#ifndef PATRON_BENCH_H
#define PATRON_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Seconds on the monotonic clock. */
static inline double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Remove the bench's temporary directory and all in it. */
static inline void
bench_remove(const char *who, const char *dir)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "%s: could not remove %s\n", who, dir);
}

#endif
