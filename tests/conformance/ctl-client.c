// SPDX-License-Identifier: MIT
/* The emulator's control channel, client side. */
#include "ctl-client.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define CTL_TIMEOUT_MS	5000

static int fail(struct ctl_reply *r, int err, const char *what)
{
	snprintf(r->error, sizeof(r->error), "%s: %s", what, strerror(-err));
	return err;
}

static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Reads until a complete last line is `ok` or starts with `error:`. The
 * reply accumulates in r->text; returns 0 or a negative errno.
 */
static int read_reply(int fd, struct ctl_reply *r)
{
	char buf[CTL_REPLY_MAX + 256];
	size_t len = 0, line;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	for (;;) {
		ssize_t n;
		char *nl;
		int pr;

		/* Look for the final line among the complete lines. */
		line = 0;
		while ((nl = memchr(buf + line, '\n', len - line))) {
			size_t l = (size_t)(nl - (buf + line));

			if (l == 2 && !memcmp(buf + line, "ok", 2)) {
				r->len = line < sizeof(r->text) ? line :
					 sizeof(r->text) - 1;
				memcpy(r->text, buf, r->len);
				r->text[r->len] = '\0';
				return 0;
			}
			if (l >= 6 && !memcmp(buf + line, "error:", 6)) {
				const char *e = buf + line + 6;
				size_t el = l - 6;

				while (el && *e == ' ') {
					e++;
					el--;
				}
				if (el >= sizeof(r->error))
					el = sizeof(r->error) - 1;
				memcpy(r->error, e, el);
				r->error[el] = '\0';
				r->len = line < sizeof(r->text) ? line :
					 sizeof(r->text) - 1;
				memcpy(r->text, buf, r->len);
				r->text[r->len] = '\0';
				return -EREMOTEIO;
			}
			line += l + 1;
		}
		if (len == sizeof(buf))
			return -EMSGSIZE;
		pr = poll(&pfd, 1, CTL_TIMEOUT_MS);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return -errno;
		if (pr == 0)
			return -ETIMEDOUT;
		n = recv(fd, buf + len, sizeof(buf) - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;	/* closed before ok/error */
		len += (size_t)n;
	}
}

int ctl_cmd(const char *sock, struct ctl_reply *r, const char *fmt, ...)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char cmd[512];
	va_list ap;
	int fd, n, err;

	r->len = 0;
	r->text[0] = '\0';
	r->error[0] = '\0';
	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd) - 1)
		return fail(r, -E2BIG, "command");
	cmd[n++] = '\n';
	if (strlen(sock) >= sizeof(sa.sun_path))
		return fail(r, -ENAMETOOLONG, sock);
	strcpy(sa.sun_path, sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(r, -errno, "socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(fd);
		return fail(r, err, sock);
	}
	err = send_all(fd, cmd, (size_t)n);
	if (!err)
		err = read_reply(fd, r);
	close(fd);
	if (err && err != -EREMOTEIO)
		return fail(r, err, sock);
	return err;
}

int ctl_value(const struct ctl_reply *r, const char *key, char *out,
	      size_t out_len)
{
	size_t klen = strlen(key);
	const char *p = r->text;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t l = eol ? (size_t)(eol - p) : strlen(p);

		if (l > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			size_t vl = l - klen - 1;

			if (vl >= out_len)
				vl = out_len - 1;
			memcpy(out, p + klen + 1, vl);
			out[vl] = '\0';
			return 0;
		}
		p = eol ? eol + 1 : NULL;
	}
	return -ENOENT;
}

int ctl_long(const struct ctl_reply *r, const char *key, long *out)
{
	char v[64], *end;
	int err = ctl_value(r, key, v, sizeof(v));

	if (err)
		return err;
	errno = 0;
	*out = strtol(v, &end, 0);
	return errno || end == v ? -EINVAL : 0;
}

int ctl_hex(const struct ctl_reply *r, const char *key, unsigned long *out)
{
	char v[64], *end;
	int err = ctl_value(r, key, v, sizeof(v));

	if (err)
		return err;
	errno = 0;
	*out = strtoul(v, &end, 16);
	return errno || end == v ? -EINVAL : 0;
}

int ctl_double(const struct ctl_reply *r, const char *key, double *out)
{
	char v[64], *end;
	int err = ctl_value(r, key, v, sizeof(v));

	if (err)
		return err;
	errno = 0;
	*out = strtod(v, &end);
	return errno || end == v ? -EINVAL : 0;
}
