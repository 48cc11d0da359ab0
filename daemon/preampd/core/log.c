// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

void pa_log(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio >= 7 && !getenv("PREAMPD_DEBUG"))
		return;
	fprintf(stderr, "<%d>", prio);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
