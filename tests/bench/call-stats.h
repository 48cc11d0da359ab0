/*
 * What setgain-bench and ctl-write-bench share: the clock, the driver's
 * host timeout, and their one summary line
 *   calls=N p50_ms=X p99_ms=Y max_ms=Z timeouts=T errors=E
 * over the measured times (timeouts left out).
 */
#ifndef CALL_STATS_H
#define CALL_STATS_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* snd-usb-preamp's timeout for a request to the device */
#define HOST_TIMEOUT_MS 1000.0

static inline double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline int cmp_ms(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* sorts t[0..measured) and prints the summary line */
static inline void print_call_stats(double *t, long measured, long n,
				    long timeouts, long errors)
{
	if (measured > 0) {
		qsort(t, (size_t)measured, sizeof(*t), cmp_ms);
		printf("calls=%ld p50_ms=%.2f p99_ms=%.2f max_ms=%.2f timeouts=%ld errors=%ld\n",
		       n, t[(measured - 1) / 2], t[(measured * 99 + 99) / 100 - 1],
		       t[measured - 1], timeouts, errors);
	} else {
		printf("calls=%ld timeouts=%ld errors=%ld\n", n, timeouts, errors);
	}
}

#endif
