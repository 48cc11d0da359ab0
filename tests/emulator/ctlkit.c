// SPDX-License-Identifier: MIT
/*
 * The shared parts of the emulators' command languages (ctlkit.h).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlkit.h"

/* Room kept for the final "ok" / "error: ..." line. */
#define REPLY_TAIL_ROOM		(sizeof(((struct ck_reply *)0)->why) + 16)

void ck_say(struct ck_reply *r, const char *fmt, ...)
{
	size_t room;
	va_list ap;
	int n;

	if (r->overflow)
		return;
	room = r->size - r->len;
	if (room <= REPLY_TAIL_ROOM) {
		r->overflow = true;
		return;
	}
	room -= REPLY_TAIL_ROOM;
	va_start(ap, fmt);
	n = vsnprintf(r->buf + r->len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		r->buf[r->len] = '\0';
		r->overflow = true;
		return;
	}
	r->len += (size_t)n;
}

int ck_fail(struct ck_reply *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int ck_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int ck_parse_double(const char *s, double min, double max, double *out)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int ck_parse_on_off(const char *s, bool *on, struct ck_reply *r)
{
	if (!strcmp(s, "on") || !strcmp(s, "1")) {
		*on = true;
		return 0;
	}
	if (!strcmp(s, "off") || !strcmp(s, "0")) {
		*on = false;
		return 0;
	}
	return ck_fail(r, "expected on or off, not '%s'", s);
}

const char *ck_fmt_db(char buf[32], double v)
{
	char *p;

	if (isinf(v) && v < 0)
		return "-inf";
	snprintf(buf, 32, "%.2f", v);
	p = strchr(buf, '.');
	if (p) {
		char *e = buf + strlen(buf) - 1;

		while (e > p && *e == '0')
			*e-- = '\0';
		if (e == p)
			*e = '\0';
	}
	if (!strcmp(buf, "-0"))
		strcpy(buf, "0");
	return buf;
}

int ck_run_from(const struct ck_command *table, struct ck_ctx *c,
		const char *what)
{
	const char *name = c->argv[0];
	const struct ck_command *cmd;

	for (cmd = table; cmd->name; cmd++)
		if (!strcmp(cmd->name, name))
			break;
	if (!cmd->name)
		return ck_fail(c->r, "unknown %s '%s'", what, name);

	c->argc--;
	c->argv++;
	if (c->argc < cmd->min_args || c->argc > cmd->max_args)
		return ck_fail(c->r, "usage: %s", cmd->usage);
	return cmd->run(c);
}

/* Splits line in place into at most CK_MAX_WORDS words. */
static int split_words(char *line, char **argv, struct ck_reply *r)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (argc == CK_MAX_WORDS)
			return ck_fail(r, "too many words");
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return argc;
}

/* Copies the line, without its line end, refusing what is not text. */
static int take_line(char *dst, size_t size, const char *line,
		     struct ck_reply *r)
{
	size_t n = strnlen(line, size);
	size_t i;

	if (n == size)
		return ck_fail(r, "line too long (at most %zu bytes)", size - 1);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)line[i];

		if (ch < 0x20 && ch != '\t')
			return ck_fail(r, "control character in the line");
		if (ch >= 0x7f)
			return ck_fail(r, "non-ASCII byte in the line");
	}
	memcpy(dst, line, n);
	dst[n] = '\0';
	return 0;
}

/* Ends the reply with its final line; returns the command's final status. */
static int finish(struct ck_reply *r, int ret)
{
	if (!ret && r->overflow) {
		r->len = 0;
		ret = ck_fail(r, "reply too long");
	}
	if (ret) {
		/* an error replaces whatever the command said so far */
		r->len = 0;
		snprintf(r->buf, r->size, "error: %s\n",
			 r->why[0] ? r->why : "failed");
	} else {
		snprintf(r->buf + r->len, r->size - r->len, "ok\n");
	}
	return ret;
}

int ck_exec(const struct ck_command *table, void *dev,
	    const struct emu_ctl_env *env, const char *line, uint64_t now_ns,
	    char *out, size_t out_size)
{
	struct ck_reply r = { out, out_size, 0, false, "" };
	char copy[EMU_CTL_LINE_MAX];
	char *argv[CK_MAX_WORDS];
	struct ck_ctx c = { dev, env, now_ns, 0, argv, &r };
	int ret;

	if (!out || out_size < 64)
		return -EINVAL;
	out[0] = '\0';

	ret = take_line(copy, sizeof(copy), line, &r);
	if (!ret) {
		c.argc = split_words(copy, argv, &r);
		if (c.argc == 0)
			ret = ck_fail(&r, "empty command");
		else if (c.argc < 0)
			ret = c.argc;
		else
			ret = ck_run_from(table, &c, "command");
	}
	ret = finish(&r, ret);
	return ret < 0 ? ret : (ret ? -EINVAL : 0);
}

int ck_get(struct ck_ctx *c, const char *key,
	   void (*state)(struct ck_ctx *c, struct ck_reply *r))
{
	size_t klen = strlen(key);
	struct ck_reply all = { NULL, EMU_CTL_REPLY_MAX, 0, false, "" };
	const char *line, *nl;
	int ret;

	all.buf = malloc(all.size);
	if (!all.buf)
		return ck_fail(c->r, "out of memory");
	all.buf[0] = '\0';
	state(c, &all);

	ret = ck_fail(c->r, "no key '%s' (see 'state')", key);
	for (line = all.buf; (nl = strchr(line, '\n')); line = nl + 1) {
		if (!strncmp(line, key, klen) && line[klen] == '=') {
			ck_say(c->r, "%.*s\n", (int)(nl - line - (long)klen - 1),
			       line + klen + 1);
			ret = 0;
			break;
		}
	}
	free(all.buf);
	return ret;
}

int ck_unplug(struct ck_ctx *c)
{
	const struct emu_ctl_hooks *h = c->env ? c->env->hooks : NULL;

	if (!h || !h->unplug)
		return ck_fail(c->r, "this transport cannot unplug");
	if (h->unplug(h->data) < 0)
		return ck_fail(c->r, "not plugged in");
	return 0;
}
