// SPDX-License-Identifier: MIT
/* TAP-like reporting with collected detail lines. */
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void tap_detail(struct tap *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->details_len + 8 >= sizeof(t->details))
		return;
	memcpy(t->details + t->details_len, "    ", 4);
	t->details_len += 4;
	va_start(ap, fmt);
	n = vsnprintf(t->details + t->details_len,
		      sizeof(t->details) - t->details_len - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	t->details_len += (size_t)n;
	if (t->details_len > sizeof(t->details) - 2)
		t->details_len = sizeof(t->details) - 2;
	t->details[t->details_len++] = '\n';
	t->details[t->details_len] = '\0';
}

void tap_discard(struct tap *t)
{
	t->details_len = 0;
	t->details[0] = '\0';
}

static void vline(const char *prefix, const char *fmt, va_list ap,
		  const char *suffix)
{
	fputs(prefix, stdout);
	vprintf(fmt, ap);
	fputs(suffix, stdout);
	fputc('\n', stdout);
}

bool tap_result(struct tap *t, bool pass, const char *fmt, ...)
{
	va_list ap;

	t->run++;
	if (!pass)
		t->failed++;
	va_start(ap, fmt);
	vline(pass ? "ok - " : "not ok - ", fmt, ap, "");
	va_end(ap);
	if (!pass || t->verbose)
		fputs(t->details, stdout);
	tap_discard(t);
	fflush(stdout);
	return pass;
}

void tap_skip(struct tap *t, const char *why, const char *fmt, ...)
{
	va_list ap;

	t->run++;
	t->skipped++;
	va_start(ap, fmt);
	fputs("ok - ", stdout);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	tap_discard(t);
	fflush(stdout);
}

void tap_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline("# ", fmt, ap, "");
	va_end(ap);
	fflush(stdout);
}

int tap_finish(struct tap *t)
{
	printf("1..%u\n", t->run);
	printf("# %u checks, %u failed, %u skipped\n", t->run, t->failed,
	       t->skipped);
	fflush(stdout);
	return t->failed ? 1 : 0;
}
