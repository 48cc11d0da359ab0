/* SPDX-License-Identifier: MIT */
/*
 * Text helpers: a growable output buffer, strict UTF-8 decoding, and
 * terminal-safe rendering of untrusted strings (control characters and
 * invalid UTF-8 never reach the terminal; widths are counted in columns).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pctl_buf {
	char *data;
	size_t len, cap;
	bool failed;		/* an allocation failed: the text is incomplete */
};

void pctl_buf_init(struct pctl_buf *b);
void pctl_buf_free(struct pctl_buf *b);
void pctl_buf_reset(struct pctl_buf *b);
void pctl_buf_put(struct pctl_buf *b, const char *s, size_t n);
void pctl_buf_puts(struct pctl_buf *b, const char *s);
void pctl_buf_putc(struct pctl_buf *b, char c);
void pctl_buf_repeat(struct pctl_buf *b, char c, size_t n);
void pctl_buf_printf(struct pctl_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* the text so far, never NULL */
const char *pctl_buf_str(const struct pctl_buf *b);

#include "utf8.h"

#define PCTL_UTF8_INVALID PREAMP_UTF8_INVALID

/*
 * Decodes one code point from s (n > 0 bytes available): returns how many
 * bytes it took (at least 1) and stores the code point, or
 * PCTL_UTF8_INVALID for a byte that does not start a valid sequence
 * (overlong forms, surrogates and values past U+10FFFF are invalid).
 */
size_t pctl_utf8_next(const char *s, size_t n, uint32_t *cp);
bool pctl_utf8_valid(const char *s);

/* Columns a code point takes on a terminal: 0, 1 or 2. */
int pctl_cp_width(uint32_t cp);
/* Whether a code point must not reach a terminal as it is. */
bool pctl_cp_unsafe(uint32_t cp);

/*
 * Appends s for a terminal: unsafe code points and invalid bytes become
 * '?', at most max_cols columns (a cut string ends in '~'). Returns the
 * columns written. NULL is the empty string.
 */
size_t pctl_term_text(struct pctl_buf *b, const char *s, size_t max_cols);
/* The same, padded with spaces to exactly cols columns. */
void pctl_term_cell(struct pctl_buf *b, const char *s, size_t cols);
/* Columns s would take through pctl_term_text() without a limit. */
size_t pctl_term_width(const char *s);

/* ASCII case-insensitive comparisons (device names are not locale text). */
bool pctl_ascii_ieq(const char *a, const char *b);
bool pctl_ascii_icontains(const char *haystack, const char *needle);
