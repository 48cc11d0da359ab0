// SPDX-License-Identifier: MIT
/*
 * jsonck: checks that standard input is JSON (RFC 8259, strictly) and
 * prints a value from it, for scenarios on a machine without jq.
 *
 *   jsonck [-l] [PATH]
 *
 * Without -l the whole input is one JSON value; with -l every non-empty
 * line is one. PATH is dot-separated: object keys, and array indices as
 * numbers (devices.0.inputs.2.gain); for each value, the text of the one
 * at PATH is printed as it stands in the input (a string with its
 * quotes). Exit status: 0 when everything parses (and PATH is in every
 * value), 1 when something is not JSON, 2 when PATH is missing, 3 on a
 * usage error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const char *s, *end;
	const char *err;
};

static void ws(struct parser *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r'))
		p->s++;
}

static bool fail(struct parser *p, const char *why)
{
	if (!p->err)
		p->err = why;
	return false;
}

static bool lit(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(p->end - p->s) < n || memcmp(p->s, word, n) != 0)
		return fail(p, "unknown literal");
	p->s += n;
	return true;
}

static bool hex4(const char *s)
{
	for (int i = 0; i < 4; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

/* a string; its raw text (without quotes) in *start, *len */
static bool string(struct parser *p, const char **start, size_t *len)
{
	if (p->s >= p->end || *p->s != '"')
		return fail(p, "a string expected");
	p->s++;
	*start = p->s;
	while (p->s < p->end && *p->s != '"') {
		unsigned char c = (unsigned char)*p->s;

		if (c < 0x20)
			return fail(p, "a control character in a string");
		if (c == '\\') {
			p->s++;
			if (p->s >= p->end)
				return fail(p, "an unfinished escape");
			if (*p->s == 'u') {
				if (p->end - p->s < 5 || !hex4(p->s + 1))
					return fail(p, "a bad \\u escape");
				p->s += 4;
			} else if (!strchr("\"\\/bfnrt", *p->s)) {
				return fail(p, "a bad escape");
			}
		}
		p->s++;
	}
	if (p->s >= p->end)
		return fail(p, "an unfinished string");
	*len = (size_t)(p->s - *start);
	p->s++;
	return true;
}

static bool digits(struct parser *p)
{
	const char *b = p->s;

	while (p->s < p->end && *p->s >= '0' && *p->s <= '9')
		p->s++;
	return p->s > b;
}

static bool number(struct parser *p)
{
	if (p->s < p->end && *p->s == '-')
		p->s++;
	if (p->s < p->end && *p->s == '0')
		p->s++;
	else if (!digits(p))
		return fail(p, "a bad number");
	if (p->s < p->end && *p->s == '.') {
		p->s++;
		if (!digits(p))
			return fail(p, "a bad fraction");
	}
	if (p->s < p->end && (*p->s == 'e' || *p->s == 'E')) {
		p->s++;
		if (p->s < p->end && (*p->s == '+' || *p->s == '-'))
			p->s++;
		if (!digits(p))
			return fail(p, "a bad exponent");
	}
	return true;
}

/*
 * One value. PATH (NULL: nothing wanted) is what remains to look for
 * inside it; when it is empty, this value is the one: its text goes to
 * *found, *found_len.
 */
static bool value(struct parser *p, const char *path, const char **found, size_t *found_len,
		  int depth)
{
	const char *b;
	size_t seglen = 0;
	const char *rest = NULL;

	if (depth > 200)
		return fail(p, "nested too deep");
	ws(p);
	b = p->s;
	if (path) {
		const char *dot = strchr(path, '.');

		seglen = dot ? (size_t)(dot - path) : strlen(path);
		rest = dot ? dot + 1 : "";
	}
	if (p->s >= p->end)
		return fail(p, "a value expected");
	switch (*p->s) {
	case '{': {
		bool first = true;

		p->s++;
		ws(p);
		if (p->s < p->end && *p->s == '}') {
			p->s++;
			break;
		}
		for (;;) {
			const char *k;
			size_t kl;
			bool want;

			ws(p);
			if (!first) {
				if (p->s < p->end && *p->s == '}') {
					p->s++;
					break;
				}
				if (p->s >= p->end || *p->s != ',')
					return fail(p, "',' or '}' expected");
				p->s++;
				ws(p);
			}
			first = false;
			if (!string(p, &k, &kl))
				return false;
			ws(p);
			if (p->s >= p->end || *p->s != ':')
				return fail(p, "':' expected");
			p->s++;
			want = path && *path && kl == seglen && memcmp(k, path, kl) == 0;
			if (!value(p, want ? rest : NULL, found, found_len, depth + 1))
				return false;
		}
		break;
	}
	case '[': {
		long idx = 0, wanted = -1;
		char *e;

		if (path && *path) {
			wanted = strtol(path, &e, 10);
			if (e != path + seglen)
				wanted = -1;
		}
		p->s++;
		ws(p);
		if (p->s < p->end && *p->s == ']') {
			p->s++;
			break;
		}
		for (;; idx++) {
			if (!value(p, idx == wanted ? rest : NULL, found, found_len, depth + 1))
				return false;
			ws(p);
			if (p->s < p->end && *p->s == ']') {
				p->s++;
				break;
			}
			if (p->s >= p->end || *p->s != ',')
				return fail(p, "',' or ']' expected");
			p->s++;
		}
		break;
	}
	case '"': {
		const char *st;
		size_t l;

		if (!string(p, &st, &l))
			return false;
		break;
	}
	case 't':
		if (!lit(p, "true"))
			return false;
		break;
	case 'f':
		if (!lit(p, "false"))
			return false;
		break;
	case 'n':
		if (!lit(p, "null"))
			return false;
		break;
	default:
		if (!number(p))
			return false;
		break;
	}
	if (path && !*path) {
		*found = b;
		*found_len = (size_t)(p->s - b);
	}
	return true;
}

/* checks one document; prints the value at PATH; 0, 1 or 2 as main's */
static int check(const char *s, size_t n, const char *path, unsigned line)
{
	struct parser p = { s, s + n, NULL };
	const char *found = NULL;
	size_t found_len = 0;

	if (!value(&p, path ? path : NULL, &found, &found_len, 0)) {
		fprintf(stderr, "jsonck: line %u, offset %zu: %s\n", line, (size_t)(p.s - s),
			p.err ? p.err : "not JSON");
		return 1;
	}
	ws(&p);
	if (p.s != p.end) {
		fprintf(stderr, "jsonck: line %u, offset %zu: text after the value\n", line,
			(size_t)(p.s - s));
		return 1;
	}
	if (path) {
		if (!found) {
			fprintf(stderr, "jsonck: line %u: no %s\n", line, path);
			return 2;
		}
		printf("%.*s\n", (int)found_len, found);
	}
	return 0;
}

int main(int argc, char **argv)
{
	bool lines = false;
	const char *path = NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int worst = 0, argi = 1;
	unsigned docs = 0;

	if (argi < argc && strcmp(argv[argi], "-l") == 0) {
		lines = true;
		argi++;
	}
	if (argi < argc)
		path = argv[argi++];
	if (argi < argc || (path && !*path)) {
		fprintf(stderr, "usage: jsonck [-l] [PATH]\n");
		return 3;
	}
	for (;;) {
		size_t r;

		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (!buf) {
				fprintf(stderr, "jsonck: out of memory\n");
				return 3;
			}
		}
		r = fread(buf + len, 1, cap - len, stdin);
		if (r == 0)
			break;
		len += r;
	}
	if (!lines) {
		worst = check(buf, len, path, 1);
	} else {
		unsigned line = 0;

		for (size_t i = 0; i < len;) {
			const char *nl = memchr(buf + i, '\n', len - i);
			size_t e = nl ? (size_t)(nl - buf) : len;
			bool blank = true;
			int r;

			line++;
			for (size_t j = i; j < e; j++)
				if (buf[j] != ' ' && buf[j] != '\t' && buf[j] != '\r')
					blank = false;
			if (!blank) {
				docs++;
				r = check(buf + i, e - i, path, line);
				if (r == 1 || (r == 2 && worst == 0))
					worst = r;
			}
			i = e + 1;
		}
		if (docs == 0) {
			fprintf(stderr, "jsonck: no JSON lines\n");
			worst = 1;
		}
	}
	free(buf);
	return worst;
}
