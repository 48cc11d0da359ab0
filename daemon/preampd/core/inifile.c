// SPDX-License-Identifier: MIT
/* inih with line numbers and strict limits. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ini.h>

#include "inifile.h"

struct reader {
	const char *pos, *end;
	unsigned line;
	pa_ini_handler handler;
	void *user;
	int error;
	char *err;
	size_t errlen;
};

static char *read_line(char *buf, int size, void *stream)
{
	struct reader *r = stream;
	const char *nl;
	size_t n;

	if (r->pos >= r->end || r->error)
		return NULL;
	nl = memchr(r->pos, '\n', (size_t)(r->end - r->pos));
	n = nl ? (size_t)(nl - r->pos) : (size_t)(r->end - r->pos);
	r->line++;
	/* checked before the parse: a line always fits (inih needs no
	 * newline at its end) */
	if (n >= (size_t)size)
		n = (size_t)size - 1;
	memcpy(buf, r->pos, n);
	buf[n] = '\0';
	r->pos = nl ? nl + 1 : r->end;
	return buf;
}

static int handle(void *user, const char *section, const char *name,
		  const char *value)
{
	struct reader *r = user;
	int e;

	if (r->error)
		return 0;
	e = r->handler(r->user, r->line, section, name, value);
	if (e < 0) {
		r->error = e;
		return 0;
	}
	return 1;
}

int pa_ini_parse(const char *text, size_t len, pa_ini_handler handler,
		 void *user, char *err, size_t errlen)
{
	struct reader r = {
		.pos = text, .end = text + len, .handler = handler,
		.user = user, .err = err, .errlen = errlen,
	};
	const char *p = text, *nl;
	unsigned line = 0;
	int e;

	if (errlen)
		err[0] = '\0';
	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "the file contains a NUL byte");
		return -EBADMSG;
	}
	while (p < text + len) {
		const char *s;
		size_t n;

		line++;
		nl = memchr(p, '\n', (size_t)(text + len - p));
		n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
		if (n > PA_INI_MAX_LINE) {
			snprintf(err, errlen, "line %u: longer than %d bytes",
				 line, PA_INI_MAX_LINE);
			return -EBADMSG;
		}
		/* a section header whose name inih would cut short */
		s = p;
		while (s < p + n && (*s == ' ' || *s == '\t'))
			s++;
		if (s < p + n && *s == '[') {
			const char *close = memchr(s, ']', (size_t)(p + n - s));

			if (!close) {
				snprintf(err, errlen,
					 "line %u: section header without ']'",
					 line);
				return -EBADMSG;
			}
			if (close - s - 1 > PA_INI_MAX_SECTION) {
				snprintf(err, errlen,
					 "line %u: section name too long", line);
				return -EBADMSG;
			}
		}
		p = nl ? nl + 1 : text + len;
	}

	e = ini_parse_stream(read_line, &r, handle, &r);
	if (r.error)
		return r.error;	/* the handler wrote err */
	if (e != 0) {
		snprintf(err, errlen, "line %d: not a 'key = value' line", e);
		return -EBADMSG;
	}
	return 0;
}
