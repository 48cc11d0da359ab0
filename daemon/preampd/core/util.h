/* SPDX-License-Identifier: MIT */
/*
 * Small pure helpers shared by preampd's modules: cleanup attributes,
 * UTF-8 checks, strict number parsing, bounded files and atomic writes.
 */
#ifndef PREAMPD_UTIL_H
#define PREAMPD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <sys/types.h>
#include <unistd.h>

#define PA_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void pa_freep(void *p)
{
	free(*(void **)p);
}

static inline void pa_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

#define _cleanup_free_ __attribute__((cleanup(pa_freep)))
#define _cleanup_close_ __attribute__((cleanup(pa_closep)))

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
bool pa_utf8_valid(const char *s, size_t len);

/* True when s (valid UTF-8) holds a C0 or C1 control character or DEL. */
bool pa_has_control(const char *s, size_t len);

/*
 * Copies in[0..len) to out as valid UTF-8 without control characters: an
 * invalid sequence becomes U+FFFD, a control character a space. Cut at a
 * character boundary to fit outsz (which counts the NUL). Returns the
 * length written.
 */
size_t pa_utf8_sanitize(const char *in, size_t len, char *out, size_t outsz);

/* "yes"/"no", "true"/"false", "on"/"off", "1"/"0" */
int pa_parse_bool(const char *v, bool *out);
/* A finite decimal number, the whole string. */
int pa_parse_double(const char *v, double *out);
/* A decimal integer in [min, max], the whole string. */
int pa_parse_uint(const char *v, unsigned long min, unsigned long max,
		  unsigned long *out);

/* dB with at most 4 decimals and no trailing zeros: "12.5", "-10", "0" */
void pa_format_db(double db, char *buf, size_t n);

/* Case-insensitive ASCII comparison. */
bool pa_streq_ci(const char *a, const char *b);

/*
 * Reads a regular file below dirfd, at most max bytes (-EFBIG beyond),
 * into a NUL-terminated buffer. Refuses symbolic links (-ELOOP).
 */
int pa_read_file_at(int dirfd, const char *name, size_t max, char **out,
		    size_t *len);

/*
 * Replaces dirfd/name with data atomically: a temporary file in the same
 * directory, written in full, fsync'ed, renamed over name; then the
 * directory is fsync'ed. When durable is false the two fsyncs are skipped
 * (files under /run).
 */
int pa_write_file_atomic(int dirfd, const char *name, const char *data,
			 size_t len, mode_t mode, bool durable);

/*
 * Removes what pa_write_file_atomic() leaves when its process dies in the
 * middle (".NAME.tmp-PID" of a PID that no longer runs). Returns how many
 * files went, or a negative errno.
 */
int pa_remove_stale_tmp(int dirfd);

/* clock (CLOCK_MONOTONIC, CLOCK_THREAD_CPUTIME_ID...) in microseconds */
uint64_t pa_clock_usec(clockid_t clock);

#endif
