/* SPDX-License-Identifier: MIT */
/*
 * The emulator's control channel: the command language of README.md
 * ("state", "knob 1 gain 10", "fault stall 2", ...) and the Unix socket
 * that carries it.
 *
 * The interpreter, emu_ctl_exec(), touches nothing but the model, the
 * transport counters and the hooks it is given, so it is unit-tested
 * without sockets.
 */
#ifndef EMU_CTL_H
#define EMU_CTL_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define EMU_CTL_LINE_MAX	256	/* longest command line, newline included */
#define EMU_CTL_REPLY_MAX	65536	/* longest reply, final line included */

/* What the transport counts, for the "counters" command. */
struct emu_stats {
	uint64_t notify_sent;	/* notifications delivered to the host */
	uint64_t iso_urbs;	/* isochronous URBs completed */
	uint64_t iso_packets;	/* ... and their packets */
	uint64_t std_requests;	/* standard and class requests on ep0 */
	uint64_t connections;	/* imports (plug-ins) */
};

/* What the control channel asks of the transport. */
struct emu_ctl_hooks {
	/* Drops the host connection: 0, or -ENOTCONN when none is up. */
	int (*unplug)(void *data);
	void *data;
};

/* What every personality's commands may use besides its device. */
struct emu_ctl_env {
	struct emu_stats *stats;
	const struct emu_ctl_hooks *hooks;	/* may be NULL */
};

/* Everything a command may act on. hooks may be NULL. */
struct emu_ctl {
	struct emu_dev *dev;
	struct emu_stats *stats;
	const struct emu_ctl_hooks *hooks;
};

/*
 * Runs one command line (without or with its trailing newline) at time
 * now_ns. Writes the whole reply to out: zero or more lines, then "ok\n"
 * or "error: <why>\n"; out is always NUL-terminated (out_size >= 64; a
 * reply longer than out_size becomes "error: reply too long\n").
 * Returns 0 for "ok", or a negative errno for "error".
 */
int emu_ctl_exec(const struct emu_ctl *ctl, const char *line, uint64_t now_ns,
		 char *out, size_t out_size);

/* The socket side: a listening Unix socket and its clients. */
struct emu_ctl_server;

/* Runs one command line; the same contract as emu_ctl_exec(). */
typedef int (*emu_ctl_exec_fn)(void *ctx, const char *line, uint64_t now_ns,
			       char *out, size_t out_size);

/* emu_ctl_exec() for an emu_ctl_server_new() of preamp-emu's own device. */
int emu_ctl_exec_cb(void *ctl, const char *line, uint64_t now_ns, char *out,
		    size_t out_size);

/*
 * Listens on path (a stale socket there is replaced, a live one is an
 * error); each command line goes to exec(ctx, ...). Returns NULL with errno
 * set on failure.
 */
struct emu_ctl_server *emu_ctl_server_new(const char *path,
					  emu_ctl_exec_fn exec, void *ctx);
void emu_ctl_server_free(struct emu_ctl_server *s);

/* Event loop glue: fills at most max pollfds, returns how many. */
size_t emu_ctl_server_pollfds(struct emu_ctl_server *s, struct pollfd *fds,
			      size_t max);
/*
 * Serves what the pollfds (as filled and polled) say. Returns the number of
 * commands run, so the caller can look for their effects (notifications).
 */
unsigned int emu_ctl_server_dispatch(struct emu_ctl_server *s,
				     const struct pollfd *fds, size_t n,
				     uint64_t now_ns);

#endif /* EMU_CTL_H */
