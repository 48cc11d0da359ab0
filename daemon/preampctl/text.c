// SPDX-License-Identifier: MIT
/* Output buffer, UTF-8 decoding and terminal-safe text. */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text.h"

void pctl_buf_init(struct pctl_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void pctl_buf_free(struct pctl_buf *b)
{
	free(b->data);
	pctl_buf_init(b);
}

void pctl_buf_reset(struct pctl_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static bool buf_reserve(struct pctl_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return false;
	if (extra > SIZE_MAX / 2 - b->len - 1) {
		b->failed = true;
		return false;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void pctl_buf_put(struct pctl_buf *b, const char *s, size_t n)
{
	if (!buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void pctl_buf_puts(struct pctl_buf *b, const char *s)
{
	if (s)
		pctl_buf_put(b, s, strlen(s));
}

void pctl_buf_putc(struct pctl_buf *b, char c)
{
	pctl_buf_put(b, &c, 1);
}

void pctl_buf_repeat(struct pctl_buf *b, char c, size_t n)
{
	if (!buf_reserve(b, n))
		return;
	memset(b->data + b->len, c, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void pctl_buf_printf(struct pctl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if (!buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *pctl_buf_str(const struct pctl_buf *b)
{
	return b->data ? b->data : "";
}

size_t pctl_utf8_next(const char *s, size_t n, uint32_t *cp)
{
	return preamp_utf8_next(s, n, cp);
}

bool pctl_utf8_valid(const char *s)
{
	size_t n = strlen(s), i = 0;
	uint32_t cp;

	while (i < n) {
		i += pctl_utf8_next(s + i, n - i, &cp);
		if (cp == PCTL_UTF8_INVALID)
			return false;
	}
	return true;
}

bool pctl_cp_unsafe(uint32_t cp)
{
	return cp == PCTL_UTF8_INVALID ||
	       cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||	/* C0, DEL, C1 */
	       cp == 0xad ||					/* soft hyphen */
	       (cp >= 0x200b && cp <= 0x200f) ||		/* zero width, marks */
	       (cp >= 0x2028 && cp <= 0x202e) ||		/* separators, embeddings */
	       (cp >= 0x2060 && cp <= 0x206f) ||		/* invisible operators, isolates */
	       cp == 0xfeff ||
	       (cp >= 0xfff9 && cp <= 0xfffb);
}

/*
 * Widths come from the C library's wcwidth() in a UTF-8 locale of our own
 * (C.UTF-8), whatever the user's locale: the text is UTF-8 either way.
 */
static locale_t utf8_locale(void)
{
	static locale_t loc;
	static bool tried;

	if (!tried) {
		tried = true;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	return loc;
}

int pctl_cp_width(uint32_t cp)
{
	locale_t loc, old;
	int w;

	if (cp < 0x80)
		return cp >= 0x20 && cp < 0x7f ? 1 : 0;
	loc = utf8_locale();
	if (loc == (locale_t)0)
		return 1;	/* no C.UTF-8 here: one column each */
	old = uselocale(loc);
	w = wcwidth((wchar_t)cp);
	uselocale(old);
	/* unprintable ones are pctl_cp_unsafe()'s: count them as one */
	return w < 0 ? 1 : w;
}

size_t pctl_term_text(struct pctl_buf *b, const char *s, size_t max_cols)
{
	size_t n, i = 0, cols = 0, full;

	if (!s)
		return 0;
	n = strlen(s);
	full = pctl_term_width(s);
	while (i < n) {
		uint32_t cp;
		size_t len = pctl_utf8_next(s + i, n - i, &cp);
		size_t w = pctl_cp_unsafe(cp) ? 1 : (size_t)pctl_cp_width(cp);

		/* keep room for the '~' that marks a cut */
		if (full > max_cols && cols + w + 1 > max_cols)
			break;
		if (cols + w > max_cols)
			break;
		if (pctl_cp_unsafe(cp))
			pctl_buf_putc(b, '?');
		else
			pctl_buf_put(b, s + i, len);
		cols += w;
		i += len;
	}
	if (i < n && cols < max_cols) {
		pctl_buf_putc(b, '~');
		cols++;
	}
	return cols;
}

void pctl_term_cell(struct pctl_buf *b, const char *s, size_t cols)
{
	size_t used = pctl_term_text(b, s, cols);

	pctl_buf_repeat(b, ' ', cols - used);
}

size_t pctl_term_width(const char *s)
{
	size_t n, i = 0, cols = 0;

	if (!s)
		return 0;
	n = strlen(s);
	while (i < n) {
		uint32_t cp;

		i += pctl_utf8_next(s + i, n - i, &cp);
		cols += pctl_cp_unsafe(cp) ? 1 : (size_t)pctl_cp_width(cp);
	}
	return cols;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool pctl_ascii_ieq(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	for (; *a && *b; a++, b++)
		if (ascii_lower(*a) != ascii_lower(*b))
			return false;
	return *a == *b;
}

bool pctl_ascii_icontains(const char *haystack, const char *needle)
{
	size_t n, i;

	if (!haystack || !needle)
		return false;
	n = strlen(needle);
	for (; *haystack; haystack++) {
		for (i = 0; i < n; i++)
			if (ascii_lower(haystack[i]) != ascii_lower(needle[i]))
				break;
		if (i == n)
			return true;
	}
	return n == 0;
}
