// SPDX-License-Identifier: MIT
/*
 * The emulators' event log (event.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "event.h"

void emu_event(uint64_t now_ns, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "preamp-emu: [%llu.%06llu] ",
		(unsigned long long)(now_ns / 1000000000ull),
		(unsigned long long)(now_ns % 1000000000ull / 1000));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

uint64_t emu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
