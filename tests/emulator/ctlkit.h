/* SPDX-License-Identifier: MIT */
/*
 * The parts every emulator's command language shares: the bounded reply
 * ("lines, then ok" or "error: why"), words, numbers, and a table of
 * commands. Every byte of a command line is untrusted: lines are bounded,
 * numbers range-checked, and what is not understood gets "error: <why>".
 */
#ifndef EMU_CTLKIT_H
#define EMU_CTLKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl.h"

#define CK_MAX_WORDS	8

struct ck_reply {
	char *buf;
	size_t size;
	size_t len;
	bool overflow;
	char why[160];		/* set by ck_fail(): the error line's reason */
};

/* What a command runs on. */
struct ck_ctx {
	void *dev;			/* the personality's device */
	const struct emu_ctl_env *env;
	uint64_t now_ns;
	int argc;			/* words after the command's name(s) */
	char **argv;
	struct ck_reply *r;
};

struct ck_command {
	const char *name;
	int min_args;
	int max_args;
	const char *usage;
	int (*run)(struct ck_ctx *c);
};

/* A line of the reply (dropped, and the reply marked too long, if it does
 * not fit). */
__attribute__((format(printf, 2, 3)))
void ck_say(struct ck_reply *r, const char *fmt, ...);
/* Records why a command failed; returns -EINVAL for "return ck_fail(...)". */
__attribute__((format(printf, 2, 3)))
int ck_fail(struct ck_reply *r, const char *fmt, ...);

int ck_parse_uint(const char *s, unsigned long max, unsigned long *out);
int ck_parse_double(const char *s, double min, double max, double *out);
/* "on"/"1" or "off"/"0"; else a failure in r. */
int ck_parse_on_off(const char *s, bool *on, struct ck_reply *r);
/* dB values as people write them: "10", "-12.5", "0.25", "-inf". */
const char *ck_fmt_db(char buf[32], double v);

/* Finds argv[0] in table and runs it on the words after it. */
int ck_run_from(const struct ck_command *table, struct ck_ctx *c,
		const char *what);
/*
 * A whole command line against table: the emu_ctl_exec() contract (reply
 * lines then "ok\n" or "error: <why>\n" in out, out_size >= 64; 0 or a
 * negative errno).
 */
int ck_exec(const struct ck_command *table, void *dev,
	    const struct emu_ctl_env *env, const char *line, uint64_t now_ns,
	    char *out, size_t out_size);
/*
 * "get KEY": runs state (which says "key=value" lines) into a scratch
 * reply and says the value of KEY alone.
 */
int ck_get(struct ck_ctx *c, const char *key,
	   void (*state)(struct ck_ctx *c, struct ck_reply *r));
/* "unplug" through the transport's hook. */
int ck_unplug(struct ck_ctx *c);

#endif /* EMU_CTLKIT_H */
