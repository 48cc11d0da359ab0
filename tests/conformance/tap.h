/* SPDX-License-Identifier: MIT */
/*
 * TAP-like reporting: `ok - <what>` / `not ok - <what>`, each followed by
 * indented detail lines (expected vs seen) collected while the check ran.
 * Details are printed under a failure always, under a success only when
 * verbose. `# ...` lines are notes.
 */
#ifndef PAMP_TAP_H
#define PAMP_TAP_H

#include <stdbool.h>

#include <stddef.h>

#define TAP_DETAIL_MAX 8192

struct tap {
	unsigned int run, failed, skipped;
	bool verbose;
	char details[TAP_DETAIL_MAX];	/* for the next result */
	size_t details_len;
};

/* Adds a detail line to the next result. */
void tap_detail(struct tap *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Drops collected details (a check that was abandoned). */
void tap_discard(struct tap *t);
/* Prints the result line and the details; returns pass. */
bool tap_result(struct tap *t, bool pass, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tap_skip(struct tap *t, const char *why, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tap_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The plan line and a summary; returns the exit status (0, or 1). */
int tap_finish(struct tap *t);

#endif /* PAMP_TAP_H */
