// SPDX-License-Identifier: MIT
/*
 * The control channel: a command interpreter over the device model, and the
 * Unix socket that feeds it. Every byte that arrives on the socket is
 * untrusted: lines are bounded, numbers are range-checked, and whatever is
 * not understood gets "error: <why>".
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"

#define MAX_WORDS		8
#define MAX_CLIENTS		16
#define CLIENT_OUT_MAX		(1024 * 1024)	/* unread replies before a drop */
#define MAX_COUNT		1000000
#define MAX_DELAY_MS		60000
#define MAX_STORM_INTERVAL_MS	10000
#define KNOB_DB_LIMIT		1000.0

/* ---- the reply ---------------------------------------------------------- */

struct reply {
	char *buf;
	size_t size;
	size_t len;
	bool overflow;
	char why[160];		/* set by fail(): the error line's reason */
};

/* Room kept for the final "ok" / "error: ..." line. */
#define REPLY_TAIL_ROOM		(sizeof(((struct reply *)0)->why) + 16)

__attribute__((format(printf, 2, 3)))
static void say(struct reply *r, const char *fmt, ...)
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

/* Records why a command failed; returns -EINVAL for "return fail(...)". */
__attribute__((format(printf, 2, 3)))
static int fail(struct reply *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---- parsing words ------------------------------------------------------ */

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
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

static int parse_double(const char *s, double min, double max, double *out)
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

/* An input number as the user writes it (1-based), checked. */
static int parse_input(const struct emu_dev *d, const char *s, unsigned int *in,
		       struct reply *r)
{
	unsigned long v;

	if (parse_uint(s, PAMP_MAX_INPUTS, &v) || v < 1 ||
	    v > d->desc.num_inputs)
		return fail(r, "no input '%s' (inputs are 1..%u)", s,
			    d->desc.num_inputs);
	*in = (unsigned int)v - 1;
	return 0;
}

static int parse_count(const char *s, unsigned long max, unsigned long *out,
		       const char *what, struct reply *r)
{
	if (parse_uint(s, max, out))
		return fail(r, "bad %s '%s' (0..%lu)", what, s, max);
	return 0;
}

static int parse_on_off(const char *s, bool *on, struct reply *r)
{
	if (!strcmp(s, "on") || !strcmp(s, "1")) {
		*on = true;
		return 0;
	}
	if (!strcmp(s, "off") || !strcmp(s, "0")) {
		*on = false;
		return 0;
	}
	return fail(r, "expected on or off, not '%s'", s);
}

/* ---- formatting --------------------------------------------------------- */

/* dB values as people write them: "10", "-12.5", "0.25", "-inf". */
static const char *fmt_db(char buf[32], double v)
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

static double q8_to_db(int v)
{
	return v / 256.0;
}

/* ---- state -------------------------------------------------------------- */

static void state_device(const struct emu_dev *d, struct reply *r)
{
	const struct emu_desc *desc = &d->desc;

	say(r, "device.name=%s\n", desc->name);
	say(r, "device.serial=%s\n", desc->serial);
	say(r, "device.vendor_id=0x%04x\n", desc->vendor_id);
	say(r, "device.product_id=0x%04x\n", desc->product_id);
	say(r, "device.flags=0x%02x\n", desc->flags);
	say(r, "device.num_inputs=%u\n", desc->num_inputs);
	say(r, "device.meter_window_ms=%u\n", desc->meter_window_ms);
	say(r, "device.powered=%d\n", d->powered ? 1 : 0);
}

static void state_input(struct emu_dev *d, unsigned int i, uint64_t now_ns,
			struct reply *r)
{
	const struct emu_input_desc *id = &d->desc.inputs[i];
	const struct emu_input *in = &d->in[i];
	unsigned int n = i + 1, sw;
	char b[32];

	say(r, "in%u.label=%s\n", n, id->label);
	say(r, "in%u.caps=0x%04x\n", n, id->caps);
	say(r, "in%u.gain=%d\n", n, in->gain);
	say(r, "in%u.gain_db=%s\n", n, fmt_db(b, q8_to_db(in->gain)));
	say(r, "in%u.gain_min_db=%s\n", n, fmt_db(b, q8_to_db(id->gain_min)));
	say(r, "in%u.gain_max_db=%s\n", n, fmt_db(b, q8_to_db(id->gain_max)));
	say(r, "in%u.gain_step_db=%s\n", n,
	    fmt_db(b, q8_to_db(id->gain_step)));
	say(r, "in%u.switches=0x%04x\n", n, in->switches);
	for (sw = 0; sw < PAMP_NUM_SWITCHES; sw++)
		say(r, "in%u.%s=%d\n", n, emu_switch_name(sw),
		    (in->switches >> sw) & 1);
	say(r, "in%u.phantom_group=%u\n", n, id->phantom_group);
	say(r, "in%u.source=%s\n", n, emu_shape_name(in->source.shape));
	say(r, "in%u.level_dbfs=%s\n", n, fmt_db(b, in->source.level_dbfs));
	say(r, "in%u.expected_peak_dbfs=%s\n", n,
	    fmt_db(b, emu_dev_expected_peak_dbfs(d, i)));
	say(r, "in%u.meter_peak=%d\n", n, emu_dev_meter_peak(d, i, now_ns));
	say(r, "in%u.clip_count=%u\n", n, in->meter.clip_count);
}

static void state_all(struct emu_dev *d, uint64_t now_ns, struct reply *r)
{
	unsigned int i;

	state_device(d, r);
	for (i = 0; i < d->desc.num_inputs && i < PAMP_MAX_INPUTS; i++)
		state_input(d, i, now_ns, r);
}

/* ---- commands ----------------------------------------------------------- */

struct cmd_ctx {
	const struct emu_ctl *ctl;
	struct emu_dev *d;
	uint64_t now_ns;
	int argc;		/* words after the command's name(s) */
	char **argv;
	struct reply *r;
};

static int cmd_state(struct cmd_ctx *c)
{
	state_all(c->d, c->now_ns, c->r);
	return 0;
}

static int cmd_get(struct cmd_ctx *c)
{
	size_t klen = strlen(c->argv[0]);
	struct reply all = { NULL, EMU_CTL_REPLY_MAX, 0, false, "" };
	const char *line, *nl;
	int ret;

	all.buf = malloc(all.size);
	if (!all.buf)
		return fail(c->r, "out of memory");
	all.buf[0] = '\0';
	state_all(c->d, c->now_ns, &all);

	ret = fail(c->r, "no key '%s' (see 'state')", c->argv[0]);
	for (line = all.buf; (nl = strchr(line, '\n')); line = nl + 1) {
		if (!strncmp(line, c->argv[0], klen) && line[klen] == '=') {
			say(c->r, "%.*s\n", (int)(nl - line - (long)klen - 1),
			    line + klen + 1);
			ret = 0;
			break;
		}
	}
	free(all.buf);
	return ret;
}

static const char *request_name(unsigned int code)
{
	return code == 0 ? "UNKNOWN" : emu_request_name(code);
}

static int cmd_counters(struct cmd_ctx *c)
{
	const struct emu_stats *st = c->ctl->stats;
	struct emu_dev *d = c->d;
	unsigned int code;

	for (code = 0; code <= PAMP_REQ_LAST; code++) {
		unsigned int ok = d->count[code][EMU_COUNT_OK];
		unsigned int stalled = d->count[code][EMU_COUNT_STALLED];

		say(c->r, "req.%s=%u\n", request_name(code), ok + stalled);
		say(c->r, "stall.%s=%u\n", request_name(code), stalled);
	}
	say(c->r, "notify.errors=%u\n", d->notify_errors);
	say(c->r, "audio.skipped_frames=%llu\n",
	    (unsigned long long)d->tl.skipped);
	if (st) {
		say(c->r, "notify.sent=%llu\n",
		    (unsigned long long)st->notify_sent);
		say(c->r, "iso.urbs=%llu\n", (unsigned long long)st->iso_urbs);
		say(c->r, "iso.packets=%llu\n",
		    (unsigned long long)st->iso_packets);
		say(c->r, "std.requests=%llu\n",
		    (unsigned long long)st->std_requests);
		say(c->r, "connections=%llu\n",
		    (unsigned long long)st->connections);
	}
	return 0;
}

static int cmd_reset_counters(struct cmd_ctx *c)
{
	memset(c->d->count, 0, sizeof(c->d->count));
	c->d->notify_errors = 0;
	if (c->ctl->stats)
		memset(c->ctl->stats, 0, sizeof(*c->ctl->stats));
	return 0;
}

static int knob_gain(struct cmd_ctx *c, unsigned int in, const char *arg)
{
	const struct emu_input_desc *id = &c->d->desc.inputs[in];
	long q8;
	double db;
	int ret;

	if (!(id->caps & PAMP_CAP_GAIN))
		return fail(c->r, "input %u has no software gain", in + 1);
	if (parse_double(arg, -KNOB_DB_LIMIT, KNOB_DB_LIMIT, &db))
		return fail(c->r, "bad gain '%s' (dB)", arg);
	/* the model snaps to the grid and clamps to the range */
	q8 = lround(db * 256.0);
	if (q8 < INT16_MIN)
		q8 = INT16_MIN;
	if (q8 > INT16_MAX)
		q8 = INT16_MAX;
	ret = emu_dev_knob_gain(c->d, in, (int16_t)q8);
	if (ret < 0)
		return fail(c->r, "the device refused the gain (%s)",
			    strerror(-ret));
	return 0;
}

static int cmd_knob(struct cmd_ctx *c)
{
	unsigned int in;
	bool on = false;
	int sw, ret;

	if (parse_input(c->d, c->argv[0], &in, c->r))
		return -EINVAL;
	if (!strcmp(c->argv[1], "gain"))
		return knob_gain(c, in, c->argv[2]);

	sw = emu_switch_from_name(c->argv[1]);
	if (sw < 0)
		return fail(c->r, "no control '%s' (gain phantom pad phase hpf air inst)",
			    c->argv[1]);
	if (parse_on_off(c->argv[2], &on, c->r))
		return -EINVAL;
	if (!(c->d->desc.inputs[in].caps & (1u << sw)))
		return fail(c->r, "input %u has no %s switch", in + 1,
			    c->argv[1]);
	ret = emu_dev_knob_switch(c->d, in, (unsigned int)sw, on);
	if (ret < 0)
		return fail(c->r, "the device refused the switch (%s)",
			    strerror(-ret));
	return 0;
}

static int cmd_source(struct cmd_ctx *c)
{
	unsigned int in;
	double level;
	int shape;

	if (parse_input(c->d, c->argv[0], &in, c->r))
		return -EINVAL;
	shape = emu_shape_from_name(c->argv[1]);
	if (shape < 0)
		return fail(c->r, "no source shape '%s' (silence sine speech)",
			    c->argv[1]);
	if (parse_double(c->argv[2], EMU_LEVEL_MIN_DBFS, EMU_LEVEL_MAX_DBFS,
			 &level))
		return fail(c->r, "bad level '%s' (dBFS, %g..%g)", c->argv[2],
			    EMU_LEVEL_MIN_DBFS, EMU_LEVEL_MAX_DBFS);

	/* what was rendered so far keeps the old source */
	emu_dev_catch_up(c->d, c->now_ns);
	if (emu_dev_set_source(c->d, in, (enum emu_shape)shape, level) < 0)
		return fail(c->r, "the device refused the source");
	return 0;
}

static int cmd_reset(struct cmd_ctx *c)
{
	if (!c->d->powered)
		return fail(c->r, "the device is not powered (unplugged)");
	emu_dev_reset(c->d, c->now_ns);
	return 0;
}

static int cmd_power_loss(struct cmd_ctx *c)
{
	if (!c->d->powered)
		return fail(c->r, "the device is not powered (unplugged)");
	emu_dev_power_loss(c->d, c->now_ns);
	return 0;
}

static int cmd_clip(struct cmd_ctx *c)
{
	unsigned int in;

	if (parse_input(c->d, c->argv[0], &in, c->r))
		return -EINVAL;
	emu_dev_catch_up(c->d, c->now_ns);
	emu_dev_force_clip(c->d, in);
	return 0;
}

static int cmd_unplug(struct cmd_ctx *c)
{
	const struct emu_ctl_hooks *h = c->ctl->hooks;

	if (!h || !h->unplug)
		return fail(c->r, "this transport cannot unplug");
	if (h->unplug(h->data) < 0)
		return fail(c->r, "not plugged in");
	return 0;
}

/* ---- faults ------------------------------------------------------------- */

struct kind_name {
	const char *name;
	int value;
};

static const struct kind_name bad_info_kinds[] = {
	{ "none",		EMU_BAD_INFO_NONE },
	{ "magic",		EMU_BAD_INFO_MAGIC },
	{ "major",		EMU_BAD_INFO_MAJOR },
	{ "inputs0",		EMU_BAD_INFO_NO_INPUTS },
	{ "inputs33",		EMU_BAD_INFO_TOO_MANY_INPUTS },
	{ "window-low",		EMU_BAD_INFO_WINDOW_LOW },
	{ "window-high",	EMU_BAD_INFO_WINDOW_HIGH },
	{ NULL, 0 }
};

static const struct kind_name bad_input_kinds[] = {
	{ "none",		EMU_BAD_INPUT_NONE },
	{ "range-inverted",	EMU_BAD_INPUT_RANGE_INVERTED },
	{ "step-zero",		EMU_BAD_INPUT_STEP_ZERO },
	{ "step-indivisible",	EMU_BAD_INPUT_STEP_INDIVISIBLE },
	{ "too-many-steps",	EMU_BAD_INPUT_TOO_MANY_STEPS },
	{ "group-split",	EMU_BAD_INPUT_GROUP_SPLIT },
	{ "label-no-nul",	EMU_BAD_INPUT_LABEL_NO_NUL },
	{ "label-utf8",		EMU_BAD_INPUT_LABEL_UTF8 },
	{ NULL, 0 }
};

static int find_kind(const struct kind_name *k, const char *name, int *value)
{
	for (; k->name; k++) {
		if (!strcmp(k->name, name)) {
			*value = k->value;
			return 0;
		}
	}
	return -ENOENT;
}

static void list_kinds(const struct kind_name *k, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (; k->name && len < size; k++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? " " : "", k->name);
}

static int bad_kind(struct cmd_ctx *c, const struct kind_name *k,
		    const char *name)
{
	char all[128];

	list_kinds(k, all, sizeof(all));
	return fail(c->r, "no such kind '%s' (%s)", name, all);
}

/* Optional trailing count N, default 1. */
static int optional_count(struct cmd_ctx *c, int at, unsigned long *n)
{
	*n = 1;
	if (c->argc <= at)
		return 0;
	return parse_count(c->argv[at], MAX_COUNT, n, "count", c->r);
}

static int fault_stall(struct cmd_ctx *c)
{
	unsigned long n;

	if (parse_count(c->argv[0], MAX_COUNT, &n, "count", c->r))
		return -EINVAL;
	c->d->faults.stall_next = (unsigned int)n;
	return 0;
}

/* A request by name (GET_INFO ... SET_ALL_STATE): its code, or 0. */
static unsigned int request_code(const char *name)
{
	unsigned int code;

	for (code = PAMP_REQ_FIRST; code <= PAMP_REQ_LAST; code++) {
		const char *known = emu_request_name(code);

		if (known && !strcasecmp(name, known))
			return code;
	}
	return 0;
}

static int fault_delay(struct cmd_ctx *c)
{
	unsigned long ms, n;
	unsigned int req = 0;

	if (parse_count(c->argv[0], MAX_DELAY_MS, &ms, "delay", c->r) ||
	    optional_count(c, 1, &n))
		return -EINVAL;
	if (c->argc > 2 && strcasecmp(c->argv[2], "any")) {
		req = request_code(c->argv[2]);
		if (!req)
			return fail(c->r, "no request '%s' (GET_INFO ... SET_ALL_STATE, any)",
				    c->argv[2]);
	}
	c->d->faults.delay_ms = (unsigned int)ms;
	c->d->faults.delay_next = (unsigned int)n;
	c->d->faults.delay_req = req;
	return 0;
}

static int fault_short(struct cmd_ctx *c)
{
	unsigned long len, n;

	if (parse_count(c->argv[0], UINT16_MAX, &len, "length", c->r) ||
	    optional_count(c, 1, &n))
		return -EINVAL;
	c->d->faults.short_len = (unsigned int)len;
	c->d->faults.short_next = (unsigned int)n;
	return 0;
}

static int fault_disconnect_on(struct cmd_ctx *c)
{
	const char *name = c->argv[0];
	unsigned int code;

	if (!strcasecmp(name, "any")) {
		c->d->faults.disconnect_on = -1;
		return 0;
	}
	if (!strcasecmp(name, "none")) {
		c->d->faults.disconnect_on = 0;
		return 0;
	}
	code = request_code(name);
	if (code) {
		c->d->faults.disconnect_on = (int)code;
		return 0;
	}
	return fail(c->r, "no request '%s' (GET_INFO ... SET_ALL_STATE, any, none)",
		    name);
}

static int fault_info(struct cmd_ctx *c)
{
	int kind;

	if (find_kind(bad_info_kinds, c->argv[0], &kind))
		return bad_kind(c, bad_info_kinds, c->argv[0]);
	c->d->faults.bad_info = (enum emu_bad_info)kind;
	return 0;
}

static int fault_input_info(struct cmd_ctx *c)
{
	unsigned int in;
	int kind;

	if (parse_input(c->d, c->argv[0], &in, c->r))
		return -EINVAL;
	if (find_kind(bad_input_kinds, c->argv[1], &kind))
		return bad_kind(c, bad_input_kinds, c->argv[1]);
	c->d->faults.bad_input[in] = (enum emu_bad_input_info)kind;
	return 0;
}

static int fault_storm(struct cmd_ctx *c)
{
	unsigned long count, interval = 1;

	if (parse_count(c->argv[0], MAX_COUNT, &count, "count", c->r))
		return -EINVAL;
	if (c->argc > 1 && parse_count(c->argv[1], MAX_STORM_INTERVAL_MS,
				       &interval, "interval", c->r))
		return -EINVAL;
	c->d->faults.storm_left = (unsigned int)count;
	c->d->faults.storm_interval_ms = (unsigned int)interval;
	return 0;
}

static int fault_notify_short(struct cmd_ctx *c)
{
	unsigned long len;

	if (parse_count(c->argv[0], sizeof(struct pamp_notification) - 1, &len,
			"length", c->r))
		return -EINVAL;
	c->d->faults.notify_short = true;
	c->d->faults.notify_short_len = (unsigned int)len;
	return 0;
}

static int fault_notify_garbage(struct cmd_ctx *c)
{
	c->d->faults.notify_garbage = true;
	return 0;
}

static int fault_notify_error(struct cmd_ctx *c)
{
	unsigned long n;

	if (optional_count(c, 0, &n))
		return -EINVAL;
	c->d->faults.notify_error_next = (unsigned int)n;
	return 0;
}

static int fault_clear(struct cmd_ctx *c)
{
	memset(&c->d->faults, 0, sizeof(c->d->faults));
	return 0;
}

/* ---- the command table -------------------------------------------------- */

struct command {
	const char *name;
	int min_args;
	int max_args;
	const char *usage;
	int (*run)(struct cmd_ctx *c);
};

static const struct command fault_commands[] = {
	{ "stall", 1, 1, "fault stall N", fault_stall },
	{ "delay", 1, 3, "fault delay MS [N [REQ]]", fault_delay },
	{ "short", 1, 2, "fault short LEN [N]", fault_short },
	{ "disconnect-on", 1, 1, "fault disconnect-on REQ", fault_disconnect_on },
	{ "info", 1, 1, "fault info KIND", fault_info },
	{ "input-info", 2, 2, "fault input-info IN KIND", fault_input_info },
	{ "storm", 1, 2, "fault storm COUNT [INTERVAL_MS]", fault_storm },
	{ "notify-short", 1, 1, "fault notify-short LEN", fault_notify_short },
	{ "notify-garbage", 0, 0, "fault notify-garbage", fault_notify_garbage },
	{ "notify-error", 0, 1, "fault notify-error [N]", fault_notify_error },
	{ "clear", 0, 0, "fault clear", fault_clear },
	{ NULL, 0, 0, NULL, NULL }
};

static int cmd_fault(struct cmd_ctx *c);

static const struct command commands[] = {
	{ "state", 0, 0, "state", cmd_state },
	{ "get", 1, 1, "get KEY", cmd_get },
	{ "counters", 0, 0, "counters", cmd_counters },
	{ "reset-counters", 0, 0, "reset-counters", cmd_reset_counters },
	{ "knob", 3, 3, "knob IN gain DB | knob IN SWITCH on|off", cmd_knob },
	{ "source", 3, 3, "source IN silence|sine|speech LEVEL", cmd_source },
	{ "reset", 0, 0, "reset", cmd_reset },
	{ "power-loss", 0, 0, "power-loss", cmd_power_loss },
	{ "clip", 1, 1, "clip IN", cmd_clip },
	{ "unplug", 0, 0, "unplug", cmd_unplug },
	{ "fault", 1, MAX_WORDS, "fault WHAT ...", cmd_fault },
	{ NULL, 0, 0, NULL, NULL }
};

/* Finds name in table and runs it on the words after it. */
static int run_from(const struct command *table, struct cmd_ctx *c,
		    const char *what)
{
	const char *name = c->argv[0];
	const struct command *cmd;

	for (cmd = table; cmd->name; cmd++)
		if (!strcmp(cmd->name, name))
			break;
	if (!cmd->name)
		return fail(c->r, "unknown %s '%s'", what, name);

	c->argc--;
	c->argv++;
	if (c->argc < cmd->min_args || c->argc > cmd->max_args)
		return fail(c->r, "usage: %s", cmd->usage);
	return cmd->run(c);
}

static int cmd_fault(struct cmd_ctx *c)
{
	return run_from(fault_commands, c, "fault");
}

/* Splits line in place into at most MAX_WORDS words. */
static int split_words(char *line, char **argv, struct reply *r)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (argc == MAX_WORDS)
			return fail(r, "too many words");
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return argc;
}

/* Copies the line, without its line end, refusing what is not text. */
static int take_line(char *dst, size_t size, const char *line, struct reply *r)
{
	size_t n = strnlen(line, size);
	size_t i;

	if (n == size)
		return fail(r, "line too long (at most %zu bytes)", size - 1);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)line[i];

		if (ch < 0x20 && ch != '\t')
			return fail(r, "control character in the line");
		if (ch >= 0x7f)
			return fail(r, "non-ASCII byte in the line");
	}
	memcpy(dst, line, n);
	dst[n] = '\0';
	return 0;
}

/* Ends the reply with its final line; returns the command's final status. */
static int finish(struct reply *r, int ret)
{
	if (!ret && r->overflow) {
		r->len = 0;
		ret = fail(r, "reply too long");
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

int emu_ctl_exec(const struct emu_ctl *ctl, const char *line, uint64_t now_ns,
		 char *out, size_t out_size)
{
	struct reply r = { out, out_size, 0, false, "" };
	char copy[EMU_CTL_LINE_MAX];
	char *argv[MAX_WORDS];
	struct cmd_ctx c = { ctl, ctl->dev, now_ns, 0, argv, &r };
	int ret;

	if (!out || out_size < 64)
		return -EINVAL;
	out[0] = '\0';

	ret = take_line(copy, sizeof(copy), line, &r);
	if (!ret) {
		c.argc = split_words(copy, argv, &r);
		if (c.argc == 0)
			ret = fail(&r, "empty command");
		else if (c.argc < 0)
			ret = c.argc;
		else
			ret = run_from(commands, &c, "command");
	}
	ret = finish(&r, ret);
	return ret < 0 ? ret : (ret ? -EINVAL : 0);
}

/* ---- the socket --------------------------------------------------------- */

struct client {
	int fd;
	char in[EMU_CTL_LINE_MAX];
	size_t in_len;
	bool discarding;	/* inside an overlong line: drop to its end */
	bool closing;		/* peer done: close once the replies are out */
	char *out;
	size_t out_len;
	size_t out_cap;
};

struct emu_ctl_server {
	int listen_fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const struct emu_ctl *ctl;
	struct client clients[MAX_CLIENTS];
	/* which client each polled slot after the listener belongs to */
	int polled[MAX_CLIENTS];
	size_t npolled;
	char reply[EMU_CTL_REPLY_MAX];
};

static void client_close(struct client *cl)
{
	if (cl->fd >= 0)
		close(cl->fd);
	free(cl->out);
	memset(cl, 0, sizeof(*cl));
	cl->fd = -1;
}

static int client_queue(struct client *cl, const char *data, size_t len)
{
	if (cl->out_len + len > CLIENT_OUT_MAX)
		return -ENOBUFS;
	if (cl->out_len + len > cl->out_cap) {
		size_t cap = cl->out_cap ? cl->out_cap : 4096;
		char *p;

		while (cap < cl->out_len + len)
			cap *= 2;
		p = realloc(cl->out, cap);
		if (!p)
			return -ENOMEM;
		cl->out = p;
		cl->out_cap = cap;
	}
	memcpy(cl->out + cl->out_len, data, len);
	cl->out_len += len;
	return 0;
}

static int client_flush(struct client *cl)
{
	while (cl->out_len) {
		ssize_t n = send(cl->fd, cl->out, cl->out_len,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			return -errno;
		}
		memmove(cl->out, cl->out + n, cl->out_len - (size_t)n);
		cl->out_len -= (size_t)n;
	}
	return 0;
}

static int client_line(struct emu_ctl_server *s, struct client *cl,
		       const char *line, uint64_t now_ns)
{
	emu_ctl_exec(s->ctl, line, now_ns, s->reply, sizeof(s->reply));
	return client_queue(cl, s->reply, strlen(s->reply));
}

/*
 * Consumes the complete lines in the client's buffer. Returns the number of
 * commands run, or a negative errno when the client must go.
 */
static int client_lines(struct emu_ctl_server *s, struct client *cl,
			uint64_t now_ns)
{
	static const char too_long[] = "error: line too long\n";
	int ran = 0, ret;
	char *nl;

	while ((nl = memchr(cl->in, '\n', cl->in_len))) {
		size_t used = (size_t)(nl - cl->in) + 1;

		*nl = '\0';
		if (cl->discarding) {
			cl->discarding = false;
		} else {
			ret = client_line(s, cl, cl->in, now_ns);
			if (ret < 0)
				return ret;
			ran++;
		}
		memmove(cl->in, cl->in + used, cl->in_len - used);
		cl->in_len -= used;
	}
	if (cl->in_len == sizeof(cl->in)) {
		/* no newline in a full buffer: refuse the line once */
		if (!cl->discarding) {
			ret = client_queue(cl, too_long, sizeof(too_long) - 1);
			if (ret < 0)
				return ret;
		}
		cl->discarding = true;
		cl->in_len = 0;
	}
	return ran;
}

static int client_read(struct emu_ctl_server *s, struct client *cl,
		       uint64_t now_ns)
{
	int ran = 0, ret;

	for (;;) {
		ssize_t n = recv(cl->fd, cl->in + cl->in_len,
				 sizeof(cl->in) - cl->in_len, MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return ran;
			return -errno;
		}
		if (n == 0) {
			cl->closing = true;
			return ran;
		}
		cl->in_len += (size_t)n;
		ret = client_lines(s, cl, now_ns);
		if (ret < 0)
			return ret;
		ran += ret;
	}
}

static void server_accept(struct emu_ctl_server *s)
{
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	unsigned int i;

	if (fd < 0)
		return;
	for (i = 0; i < MAX_CLIENTS; i++) {
		if (s->clients[i].fd < 0) {
			s->clients[i].fd = fd;
			return;
		}
	}
	fprintf(stderr, "preamp-emu: control channel: too many clients, refusing one\n");
	close(fd);
}

/* A socket file at path that nobody listens on any more can go. */
static int remove_stale(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, ret;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (ret == 0)
		return -EADDRINUSE;
	return unlink(path) < 0 ? -errno : 0;
}

struct emu_ctl_server *emu_ctl_server_new(const char *path,
					  const struct emu_ctl *ctl)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct emu_ctl_server *s;
	unsigned int i;
	int ret;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(sa.sun_path, path);

	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->ctl = ctl;
	strcpy(s->path, path);
	for (i = 0; i < MAX_CLIENTS; i++)
		s->clients[i].fd = -1;

	ret = remove_stale(path, &sa);
	if (ret < 0)
		goto fail;
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
			      SOCK_NONBLOCK, 0);
	if (s->listen_fd < 0) {
		ret = -errno;
		goto fail;
	}
	if (bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(s->listen_fd, 8) < 0) {
		ret = -errno;
		close(s->listen_fd);
		goto fail;
	}
	return s;
fail:
	free(s);
	errno = -ret;
	return NULL;
}

void emu_ctl_server_free(struct emu_ctl_server *s)
{
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < MAX_CLIENTS; i++)
		if (s->clients[i].fd >= 0)
			client_close(&s->clients[i]);
	close(s->listen_fd);
	unlink(s->path);
	free(s);
}

size_t emu_ctl_server_pollfds(struct emu_ctl_server *s, struct pollfd *fds,
			      size_t max)
{
	size_t n = 0;
	unsigned int i;

	s->npolled = 0;
	if (max == 0)
		return 0;
	fds[n++] = (struct pollfd){ .fd = s->listen_fd, .events = POLLIN };
	for (i = 0; i < MAX_CLIENTS && n < max; i++) {
		struct client *cl = &s->clients[i];
		short events = 0;

		if (cl->fd < 0)
			continue;
		if (!cl->closing)
			events |= POLLIN;
		if (cl->out_len)
			events |= POLLOUT;
		fds[n++] = (struct pollfd){ .fd = cl->fd, .events = events };
		s->polled[s->npolled++] = (int)i;
	}
	return n;
}

unsigned int emu_ctl_server_dispatch(struct emu_ctl_server *s,
				     const struct pollfd *fds, size_t n,
				     uint64_t now_ns)
{
	unsigned int ran = 0;
	size_t k;

	for (k = 0; k < s->npolled && k + 1 < n; k++) {
		struct client *cl = &s->clients[s->polled[k]];
		short rev = fds[k + 1].revents;
		int ret = 0;

		if (cl->fd < 0 || fds[k + 1].fd != cl->fd)
			continue;
		if (rev & (POLLIN | POLLHUP | POLLERR)) {
			ret = client_read(s, cl, now_ns);
			if (ret > 0)
				ran += (unsigned int)ret;
		}
		if (ret >= 0)
			ret = client_flush(cl);
		if (ret < 0 || (cl->closing && !cl->out_len))
			client_close(cl);
	}
	if (n && (fds[0].revents & POLLIN))
		server_accept(s);
	return ran;
}
