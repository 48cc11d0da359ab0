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
#include "ctlkit.h"

#define DEV(c) ((struct emu_dev *)(c)->dev)

#define MAX_CLIENTS		16
#define CLIENT_OUT_MAX		(1024 * 1024)	/* unread replies before a drop */
#define MAX_COUNT		1000000
#define MAX_DELAY_MS		60000
#define MAX_STORM_INTERVAL_MS	10000
#define KNOB_DB_LIMIT		1000.0

/* ---- parsing words ------------------------------------------------------ */

/* An input number as the user writes it (1-based), checked. */
static int parse_input(const struct emu_dev *d, const char *s, unsigned int *in,
		       struct ck_reply *r)
{
	unsigned long v;

	if (ck_parse_uint(s, PAMP_MAX_INPUTS, &v) || v < 1 ||
	    v > d->desc.num_inputs)
		return ck_fail(r, "no input '%s' (inputs are 1..%u)", s,
			    d->desc.num_inputs);
	*in = (unsigned int)v - 1;
	return 0;
}

static int parse_count(const char *s, unsigned long max, unsigned long *out,
		       const char *what, struct ck_reply *r)
{
	if (ck_parse_uint(s, max, out))
		return ck_fail(r, "bad %s '%s' (0..%lu)", what, s, max);
	return 0;
}

/* ---- formatting --------------------------------------------------------- */

static double q8_to_db(int v)
{
	return v / 256.0;
}

/* ---- state -------------------------------------------------------------- */

static void state_device(const struct emu_dev *d, struct ck_reply *r)
{
	const struct emu_desc *desc = &d->desc;

	ck_say(r, "device.name=%s\n", desc->name);
	ck_say(r, "device.serial=%s\n", desc->serial);
	ck_say(r, "device.vendor_id=0x%04x\n", desc->vendor_id);
	ck_say(r, "device.product_id=0x%04x\n", desc->product_id);
	ck_say(r, "device.flags=0x%02x\n", desc->flags);
	ck_say(r, "device.num_inputs=%u\n", desc->num_inputs);
	ck_say(r, "device.meter_window_ms=%u\n", desc->meter_window_ms);
	ck_say(r, "device.powered=%d\n", d->powered ? 1 : 0);
}

static void state_input(struct emu_dev *d, unsigned int i, uint64_t now_ns,
			struct ck_reply *r)
{
	const struct emu_input_desc *id = &d->desc.inputs[i];
	const struct emu_input *in = &d->in[i];
	unsigned int n = i + 1, sw;
	char b[32];

	ck_say(r, "in%u.label=%s\n", n, id->label);
	ck_say(r, "in%u.caps=0x%04x\n", n, id->caps);
	ck_say(r, "in%u.gain=%d\n", n, in->gain);
	ck_say(r, "in%u.gain_db=%s\n", n, ck_fmt_db(b, q8_to_db(in->gain)));
	ck_say(r, "in%u.gain_min_db=%s\n", n, ck_fmt_db(b, q8_to_db(id->gain_min)));
	ck_say(r, "in%u.gain_max_db=%s\n", n, ck_fmt_db(b, q8_to_db(id->gain_max)));
	ck_say(r, "in%u.gain_step_db=%s\n", n,
	    ck_fmt_db(b, q8_to_db(id->gain_step)));
	ck_say(r, "in%u.switches=0x%04x\n", n, in->switches);
	for (sw = 0; sw < PAMP_NUM_SWITCHES; sw++)
		ck_say(r, "in%u.%s=%d\n", n, emu_switch_name(sw),
		    (in->switches >> sw) & 1);
	ck_say(r, "in%u.phantom_group=%u\n", n, id->phantom_group);
	ck_say(r, "in%u.source=%s\n", n, emu_shape_name(in->source.shape));
	ck_say(r, "in%u.level_dbfs=%s\n", n, ck_fmt_db(b, in->source.level_dbfs));
	ck_say(r, "in%u.expected_peak_dbfs=%s\n", n,
	    ck_fmt_db(b, emu_dev_expected_peak_dbfs(d, i)));
	ck_say(r, "in%u.meter_peak=%d\n", n, emu_dev_meter_peak(d, i, now_ns));
	ck_say(r, "in%u.clip_count=%u\n", n, in->meter.clip_count);
}

static void state_all(struct emu_dev *d, uint64_t now_ns, struct ck_reply *r)
{
	unsigned int i;

	state_device(d, r);
	for (i = 0; i < d->desc.num_inputs && i < PAMP_MAX_INPUTS; i++)
		state_input(d, i, now_ns, r);
}

/* ---- commands ----------------------------------------------------------- */


static int cmd_state(struct ck_ctx *c)
{
	state_all(DEV(c), c->now_ns, c->r);
	return 0;
}

static void state_of(struct ck_ctx *c, struct ck_reply *r)
{
	state_all(DEV(c), c->now_ns, r);
}

static int cmd_get(struct ck_ctx *c)
{
	return ck_get(c, c->argv[0], state_of);
}

static const char *request_name(unsigned int code)
{
	return code == 0 ? "UNKNOWN" : emu_request_name(code);
}

static int cmd_counters(struct ck_ctx *c)
{
	const struct emu_stats *st = c->env->stats;
	struct emu_dev *d = DEV(c);
	unsigned int code;

	for (code = 0; code <= PAMP_REQ_LAST; code++) {
		unsigned int ok = d->count[code][EMU_COUNT_OK];
		unsigned int stalled = d->count[code][EMU_COUNT_STALLED];

		ck_say(c->r, "req.%s=%u\n", request_name(code), ok + stalled);
		ck_say(c->r, "stall.%s=%u\n", request_name(code), stalled);
	}
	ck_say(c->r, "notify.errors=%u\n", d->notify_errors);
	ck_say(c->r, "audio.skipped_frames=%llu\n",
	    (unsigned long long)d->tl.skipped);
	if (st) {
		ck_say(c->r, "notify.sent=%llu\n",
		    (unsigned long long)st->notify_sent);
		ck_say(c->r, "iso.urbs=%llu\n", (unsigned long long)st->iso_urbs);
		ck_say(c->r, "iso.packets=%llu\n",
		    (unsigned long long)st->iso_packets);
		ck_say(c->r, "std.requests=%llu\n",
		    (unsigned long long)st->std_requests);
		ck_say(c->r, "connections=%llu\n",
		    (unsigned long long)st->connections);
	}
	return 0;
}

static int cmd_reset_counters(struct ck_ctx *c)
{
	memset(DEV(c)->count, 0, sizeof(DEV(c)->count));
	DEV(c)->notify_errors = 0;
	if (c->env->stats)
		memset(c->env->stats, 0, sizeof(*c->env->stats));
	return 0;
}

static int knob_gain(struct ck_ctx *c, unsigned int in, const char *arg)
{
	const struct emu_input_desc *id = &DEV(c)->desc.inputs[in];
	long q8;
	double db;
	int ret;

	if (!(id->caps & PAMP_CAP_GAIN))
		return ck_fail(c->r, "input %u has no software gain", in + 1);
	if (ck_parse_double(arg, -KNOB_DB_LIMIT, KNOB_DB_LIMIT, &db))
		return ck_fail(c->r, "bad gain '%s' (dB)", arg);
	/* the model snaps to the grid and clamps to the range */
	q8 = lround(db * 256.0);
	if (q8 < INT16_MIN)
		q8 = INT16_MIN;
	if (q8 > INT16_MAX)
		q8 = INT16_MAX;
	ret = emu_dev_knob_gain(DEV(c), in, (int16_t)q8);
	if (ret < 0)
		return ck_fail(c->r, "the device refused the gain (%s)",
			    strerror(-ret));
	return 0;
}

static int cmd_knob(struct ck_ctx *c)
{
	unsigned int in;
	bool on = false;
	int sw, ret;

	if (parse_input(DEV(c), c->argv[0], &in, c->r))
		return -EINVAL;
	if (!strcmp(c->argv[1], "gain"))
		return knob_gain(c, in, c->argv[2]);

	sw = emu_switch_from_name(c->argv[1]);
	if (sw < 0)
		return ck_fail(c->r, "no control '%s' (gain phantom pad phase hpf air inst)",
			    c->argv[1]);
	if (ck_parse_on_off(c->argv[2], &on, c->r))
		return -EINVAL;
	if (!(DEV(c)->desc.inputs[in].caps & (1u << sw)))
		return ck_fail(c->r, "input %u has no %s switch", in + 1,
			    c->argv[1]);
	ret = emu_dev_knob_switch(DEV(c), in, (unsigned int)sw, on);
	if (ret < 0)
		return ck_fail(c->r, "the device refused the switch (%s)",
			    strerror(-ret));
	return 0;
}

static int cmd_source(struct ck_ctx *c)
{
	unsigned int in;
	double level;
	int shape;

	if (parse_input(DEV(c), c->argv[0], &in, c->r))
		return -EINVAL;
	shape = emu_shape_from_name(c->argv[1]);
	if (shape < 0)
		return ck_fail(c->r, "no source shape '%s' (silence sine speech)",
			    c->argv[1]);
	if (ck_parse_double(c->argv[2], EMU_LEVEL_MIN_DBFS, EMU_LEVEL_MAX_DBFS,
			 &level))
		return ck_fail(c->r, "bad level '%s' (dBFS, %g..%g)", c->argv[2],
			    EMU_LEVEL_MIN_DBFS, EMU_LEVEL_MAX_DBFS);

	/* what was rendered so far keeps the old source */
	emu_dev_catch_up(DEV(c), c->now_ns);
	if (emu_dev_set_source(DEV(c), in, (enum emu_shape)shape, level) < 0)
		return ck_fail(c->r, "the device refused the source");
	return 0;
}

static int cmd_reset(struct ck_ctx *c)
{
	if (!DEV(c)->powered)
		return ck_fail(c->r, "the device is not powered (unplugged)");
	emu_dev_reset(DEV(c), c->now_ns);
	return 0;
}

static int cmd_power_loss(struct ck_ctx *c)
{
	if (!DEV(c)->powered)
		return ck_fail(c->r, "the device is not powered (unplugged)");
	emu_dev_power_loss(DEV(c), c->now_ns);
	return 0;
}

static int cmd_clip(struct ck_ctx *c)
{
	unsigned int in;

	if (parse_input(DEV(c), c->argv[0], &in, c->r))
		return -EINVAL;
	emu_dev_catch_up(DEV(c), c->now_ns);
	emu_dev_force_clip(DEV(c), in);
	return 0;
}

static int cmd_unplug(struct ck_ctx *c)
{
	return ck_unplug(c);
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

static int bad_kind(struct ck_ctx *c, const struct kind_name *k,
		    const char *name)
{
	char all[128];

	list_kinds(k, all, sizeof(all));
	return ck_fail(c->r, "no such kind '%s' (%s)", name, all);
}

/* Optional trailing count N, default 1. */
static int optional_count(struct ck_ctx *c, int at, unsigned long *n)
{
	*n = 1;
	if (c->argc <= at)
		return 0;
	return parse_count(c->argv[at], MAX_COUNT, n, "count", c->r);
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

static int fault_stall(struct ck_ctx *c)
{
	unsigned long n;
	unsigned int req = 0;

	if (parse_count(c->argv[0], MAX_COUNT, &n, "count", c->r))
		return -EINVAL;
	if (c->argc > 1 && strcasecmp(c->argv[1], "any")) {
		req = request_code(c->argv[1]);
		if (!req)
			return ck_fail(c->r, "no request '%s' (GET_INFO ... SET_ALL_STATE, any)",
				       c->argv[1]);
	}
	DEV(c)->faults.stall_next = (unsigned int)n;
	DEV(c)->faults.stall_req = req;
	return 0;
}

static int fault_delay(struct ck_ctx *c)
{
	unsigned long ms, n;
	unsigned int req = 0;

	if (parse_count(c->argv[0], MAX_DELAY_MS, &ms, "delay", c->r) ||
	    optional_count(c, 1, &n))
		return -EINVAL;
	if (c->argc > 2 && strcasecmp(c->argv[2], "any")) {
		req = request_code(c->argv[2]);
		if (!req)
			return ck_fail(c->r, "no request '%s' (GET_INFO ... SET_ALL_STATE, any)",
				    c->argv[2]);
	}
	DEV(c)->faults.delay_ms = (unsigned int)ms;
	DEV(c)->faults.delay_next = (unsigned int)n;
	DEV(c)->faults.delay_req = req;
	return 0;
}

static int fault_short(struct ck_ctx *c)
{
	unsigned long len, n;

	if (parse_count(c->argv[0], UINT16_MAX, &len, "length", c->r) ||
	    optional_count(c, 1, &n))
		return -EINVAL;
	DEV(c)->faults.short_len = (unsigned int)len;
	DEV(c)->faults.short_next = (unsigned int)n;
	return 0;
}

static int fault_disconnect_on(struct ck_ctx *c)
{
	const char *name = c->argv[0];
	unsigned int code;

	if (!strcasecmp(name, "any")) {
		DEV(c)->faults.disconnect_on = -1;
		return 0;
	}
	if (!strcasecmp(name, "none")) {
		DEV(c)->faults.disconnect_on = 0;
		return 0;
	}
	code = request_code(name);
	if (code) {
		DEV(c)->faults.disconnect_on = (int)code;
		return 0;
	}
	return ck_fail(c->r, "no request '%s' (GET_INFO ... SET_ALL_STATE, any, none)",
		    name);
}

static int fault_info(struct ck_ctx *c)
{
	int kind;

	if (find_kind(bad_info_kinds, c->argv[0], &kind))
		return bad_kind(c, bad_info_kinds, c->argv[0]);
	DEV(c)->faults.bad_info = (enum emu_bad_info)kind;
	return 0;
}

static int fault_input_info(struct ck_ctx *c)
{
	unsigned int in;
	int kind;

	if (parse_input(DEV(c), c->argv[0], &in, c->r))
		return -EINVAL;
	if (find_kind(bad_input_kinds, c->argv[1], &kind))
		return bad_kind(c, bad_input_kinds, c->argv[1]);
	DEV(c)->faults.bad_input[in] = (enum emu_bad_input_info)kind;
	return 0;
}

static int fault_storm(struct ck_ctx *c)
{
	unsigned long count, interval = 1;

	if (parse_count(c->argv[0], MAX_COUNT, &count, "count", c->r))
		return -EINVAL;
	if (c->argc > 1 && parse_count(c->argv[1], MAX_STORM_INTERVAL_MS,
				       &interval, "interval", c->r))
		return -EINVAL;
	DEV(c)->faults.storm_left = (unsigned int)count;
	DEV(c)->faults.storm_interval_ms = (unsigned int)interval;
	return 0;
}

static int fault_notify_short(struct ck_ctx *c)
{
	unsigned long len;

	if (parse_count(c->argv[0], sizeof(struct pamp_notification) - 1, &len,
			"length", c->r))
		return -EINVAL;
	DEV(c)->faults.notify_short = true;
	DEV(c)->faults.notify_short_len = (unsigned int)len;
	return 0;
}

static int fault_notify_garbage(struct ck_ctx *c)
{
	DEV(c)->faults.notify_garbage = true;
	return 0;
}

static int fault_notify_error(struct ck_ctx *c)
{
	unsigned long n;

	if (optional_count(c, 0, &n))
		return -EINVAL;
	DEV(c)->faults.notify_error_next = (unsigned int)n;
	return 0;
}

static int fault_clear(struct ck_ctx *c)
{
	memset(&DEV(c)->faults, 0, sizeof(DEV(c)->faults));
	return 0;
}

/* ---- the command table -------------------------------------------------- */


static const struct ck_command fault_commands[] = {
	{ "stall", 1, 2, "fault stall N [REQUEST]", fault_stall },
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

static int cmd_fault(struct ck_ctx *c);

static const struct ck_command commands[] = {
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
	{ "fault", 1, CK_MAX_WORDS, "fault WHAT ...", cmd_fault },
	{ NULL, 0, 0, NULL, NULL }
};

static int cmd_fault(struct ck_ctx *c)
{
	return ck_run_from(fault_commands, c, "fault");
}

int emu_ctl_exec(const struct emu_ctl *ctl, const char *line, uint64_t now_ns,
		 char *out, size_t out_size)
{
	struct emu_ctl_env env = { ctl->stats, ctl->hooks };

	return ck_exec(commands, ctl->dev, &env, line, now_ns, out, out_size);
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
	emu_ctl_exec_fn exec;
	void *ctx;
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
	s->exec(s->ctx, line, now_ns, s->reply, sizeof(s->reply));
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

int emu_ctl_exec_cb(void *ctl, const char *line, uint64_t now_ns, char *out,
		    size_t out_size)
{
	return emu_ctl_exec(ctl, line, now_ns, out, out_size);
}

struct emu_ctl_server *emu_ctl_server_new(const char *path,
					  emu_ctl_exec_fn exec, void *ctx)
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
	s->exec = exec;
	s->ctx = ctx;
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
