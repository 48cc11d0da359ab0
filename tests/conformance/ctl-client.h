/* SPDX-License-Identifier: MIT */
/*
 * A client of the emulator's control channel (tests/emulator/README.md): a
 * Unix stream socket, one command line, reply lines then `ok` or
 * `error: <why>`. Each command is its own connection, so commands may come
 * from several threads.
 */
#ifndef PAMP_CTL_CLIENT_H
#define PAMP_CTL_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#define CTL_REPLY_MAX	65536	/* a whole `state` of 32 inputs fits */
#define CTL_ERROR_MAX	256

struct ctl_reply {
	char text[CTL_REPLY_MAX];	/* the reply lines, without ok/error */
	size_t len;
	char error[CTL_ERROR_MAX];	/* the `error: ` line's text, or "" */
};

/*
 * Sends one command (printf-style) and reads the reply. Returns 0 for `ok`,
 * -EREMOTEIO for `error: ...` (r->error says why), another negative errno
 * when the channel fails (r->error says how).
 */
int ctl_cmd(const char *sock, struct ctl_reply *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The value of KEY in a reply made of key=value lines (`state`,
 * `counters`), copied to out. Returns 0, or -ENOENT.
 */
int ctl_value(const struct ctl_reply *r, const char *key, char *out,
	      size_t out_len);
/* The same, parsed: base 0 for ctl_long, so "0x1f" and "31" both work. */
int ctl_long(const struct ctl_reply *r, const char *key, long *out);
int ctl_hex(const struct ctl_reply *r, const char *key, unsigned long *out);
int ctl_double(const struct ctl_reply *r, const char *key, double *out);

#endif /* PAMP_CTL_CLIENT_H */
