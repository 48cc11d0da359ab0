// SPDX-License-Identifier: MIT
/*
 * The scarlett2 personality: a Focusrite interface (scarlett2-model.c)
 * on the bus. Its USB side is what Linux's scarlett2 driver needs: an
 * audio function of one UAC2 AudioControl interface (its clock only) and
 * the vendor interface "Focusrite Control" with an interrupt IN endpoint
 * for the notifications. No audio is streamed.
 *
 * Model file:
 *
 *   [device]
 *   personality = scarlett2
 *   model = 2i2-4th            ; 2i2-4th solo-4th 4i4-3rd vocaster-one
 *   firmware = 2115            ; what it reports; picks the layout
 *   serial = S2I2-000001
 *   autogain_ms = 3000         ; how long its autogain listens
 *   settle_ms = 250            ; a 48 V switch on its way (4th Gen)
 *
 *   [input 1]
 *   source = -30               ; peak dBFS at 0 dB gain; "silence"
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ini.h>

#include "ctlkit.h"
#include "event.h"
#include "personalities.h"
#include "scarlett2-model.h"
#include "usbdesc.h"

#define AC_INTF		0
#define FC_INTF		1
#define CLOCK_ID	41
#define INT_EP		0x83
#define NOTIFY_MAXP	64
#define MAX_MS		600000

enum { STR_MANUFACTURER = 1, STR_PRODUCT, STR_SERIAL, STR_CONTROL,
       STR_COUNT };

struct s2_pers {
	struct s2_dev dev;
	struct emu_usb_layout layout;
	uint8_t device[UD_DEVICE_LEN];
	uint8_t config[UD_CONFIG_MAX];
	char serial[64];
};

/* ---- the bus ------------------------------------------------------------ */

static int sp_string(void *dev, unsigned int index, uint8_t *buf, size_t cap)
{
	struct s2_pers *sp = dev;

	switch (index) {
	case 0:
		return emu_usb_langids(buf, cap);
	case STR_MANUFACTURER:
		return emu_usb_string_desc("Focusrite", buf, cap);
	case STR_PRODUCT:
		return emu_usb_string_desc(sp->dev.m->product, buf, cap);
	case STR_SERIAL:
		return emu_usb_string_desc(sp->serial, buf, cap);
	case STR_CONTROL:
		return emu_usb_string_desc("Focusrite Control", buf, cap);
	default:
		return -ENOENT;
	}
}

static void sp_power_on(void *dev, uint64_t now_ns)
{
	s2_power_on(&((struct s2_pers *)dev)->dev, now_ns);
}

static void sp_power_off(void *dev)
{
	s2_power_off(&((struct s2_pers *)dev)->dev, emu_now_ns());
}

static const char *command_name(const uint8_t *out, size_t len)
{
	static const struct { uint32_t cmd; const char *name; } names[] = {
		{ S2_CMD_INIT_1, "INIT_1" }, { S2_CMD_INIT_2, "INIT_2" },
		{ S2_CMD_GET_DATA, "GET_DATA" }, { S2_CMD_SET_DATA, "SET_DATA" },
		{ S2_CMD_DATA_CMD, "DATA_CMD" }, { S2_CMD_GET_MUX, "GET_MUX" },
		{ S2_CMD_SET_MUX, "SET_MUX" }, { S2_CMD_GET_MIX, "GET_MIX" },
		{ S2_CMD_SET_MIX, "SET_MIX" }, { S2_CMD_GET_METER, "GET_METER" },
		{ S2_CMD_GET_SYNC, "GET_SYNC" },
	};
	uint32_t cmd;
	size_t i;

	if (len < 4)
		return "command";
	cmd = (uint32_t)out[0] | (uint32_t)out[1] << 8 |
	      (uint32_t)out[2] << 16 | (uint32_t)out[3] << 24;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].cmd == cmd)
			return names[i].name;
	return "command";
}

static struct emu_xfer sp_control(void *dev, const struct emu_setup *st,
				  uint8_t *buf, size_t cap, uint64_t now_ns)
{
	struct s2_pers *sp = dev;
	struct emu_xfer x = { .status = -EPIPE };
	unsigned int intf = st->index & 0xff, entity = st->index >> 8;

	if ((st->type & 0x60) != 0x20 || (st->type & 0x1f) != 0x01)
		return x;	/* only class requests to an interface */
	if (intf == AC_INTF && entity == CLOCK_ID) {
		x.status = ud_clock_request(st, buf, cap, &x.len);
		return x;
	}
	if (intf != FC_INTF || entity)
		return x;
	x.device = true;
	x.name = st->request == S2_REQ_CMD ? command_name(buf, cap) :
		 st->request == S2_REQ_RESP ? "response" : "init";
	x.status = s2_request(&sp->dev, st->type, st->request, buf, cap, buf,
			      cap, &x.len, now_ns);
	return x;
}

static ssize_t sp_notification(void *dev, uint8_t *out, size_t cap,
			       uint64_t now_ns, uint64_t *next_ns)
{
	struct s2_pers *sp = dev;
	ssize_t n;

	if (cap < 8)
		return -EAGAIN;
	n = s2_notification(&sp->dev, out, now_ns);
	*next_ns = s2_next_ns(&sp->dev);
	return n;
}

static uint64_t sp_stream_start(void *dev, uint64_t now_ns)
{
	(void)dev;
	(void)now_ns;
	return 0;
}

static void sp_capture(void *dev, uint64_t *pos, int16_t *out, size_t frames,
		       uint64_t now_ns)
{
	(void)dev;
	(void)now_ns;
	memset(out, 0, frames * sizeof(*out));
	*pos += frames;
}

static void sp_tick(void *dev, uint64_t now_ns)
{
	s2_tick(&((struct s2_pers *)dev)->dev, now_ns);
}

/* ---- the control channel -------------------------------------------------- */

#define SP(c) ((struct s2_pers *)(c)->dev)

static const struct {
	const char *name;
	enum s2_fn fn;
} switches[] = {
	{ "phantom", S2_FN_PHANTOM }, { "pad", S2_FN_PAD },
	{ "air", S2_FN_AIR }, { "inst", S2_FN_LEVEL }, { "safe", S2_FN_SAFE },
};

static void state_input(struct s2_pers *sp, unsigned int i, struct ck_reply *r)
{
	const struct s2_dev *d = &sp->dev;
	unsigned int n = i + 1, v, k;
	char b[32];

	if (s2_get(d, S2_FN_GAIN, i, &v) == 0) {
		ck_say(r, "in%u.gain=%u\n", n, v);
		ck_say(r, "in%u.gain_db=%s\n", n, ck_fmt_db(b, s2_gain_db(d, i)));
	}
	for (k = 0; k < sizeof(switches) / sizeof(switches[0]); k++)
		if (s2_get(d, switches[k].fn, i, &v) == 0)
			ck_say(r, "in%u.%s=%u\n", n, switches[k].name, v);
	if (s2_get(d, S2_FN_AG_SWITCH, i, &v) == 0) {
		ck_say(r, "in%u.autogain=%u\n", n, v);
		ck_say(r, "in%u.autogain_status=%s\n", n, s2_status_word(d, i));
	}
	ck_say(r, "in%u.source_dbfs=%s\n", n, ck_fmt_db(b, d->source_dbfs[i]));
}

static void state_all(struct ck_ctx *c, struct ck_reply *r)
{
	struct s2_pers *sp = SP(c);
	const struct s2_dev *d = &sp->dev;
	unsigned int i;

	s2_tick(&sp->dev, c->now_ns);
	ck_say(r, "device.model=%s\n", d->m->id);
	ck_say(r, "device.name=%s\n", d->m->product);
	ck_say(r, "device.serial=%s\n", sp->serial);
	ck_say(r, "device.firmware=%u\n", d->firmware);
	ck_say(r, "device.powered=%d\n", d->powered ? 1 : 0);
	ck_say(r, "device.num_inputs=%u\n", d->m->num_inputs);
	ck_say(r, "device.writes=%u\n", d->writes);
	ck_say(r, "device.errors=%u\n", d->errors);
	ck_say(r, "device.autogain_ms=%u\n", d->autogain_ms);
	for (i = 0; i < d->m->num_inputs; i++)
		state_input(sp, i, r);
}

static int cmd_state(struct ck_ctx *c)
{
	state_all(c, c->r);
	return 0;
}

static int cmd_get(struct ck_ctx *c)
{
	return ck_get(c, c->argv[0], state_all);
}

static int cmd_counters(struct ck_ctx *c)
{
	const struct s2_dev *d = &SP(c)->dev;
	unsigned int k;

	for (k = 0; k < S2_C_COUNT; k++)
		ck_say(c->r, "req.%s=%u\n", s2_count_name(k), d->count[k]);
	ck_say(c->r, "writes=%u\n", d->writes);
	ck_say(c->r, "saves=%u\n", d->saves);
	ck_say(c->r, "errors=%u\n", d->errors);
	if (c->env && c->env->stats) {
		ck_say(c->r, "notify.sent=%llu\n",
		       (unsigned long long)c->env->stats->notify_sent);
		ck_say(c->r, "std.requests=%llu\n",
		       (unsigned long long)c->env->stats->std_requests);
		ck_say(c->r, "connections=%llu\n",
		       (unsigned long long)c->env->stats->connections);
	}
	return 0;
}

static int cmd_reset_counters(struct ck_ctx *c)
{
	struct s2_dev *d = &SP(c)->dev;

	memset(d->count, 0, sizeof(d->count));
	d->writes = 0;
	d->saves = 0;
	d->errors = 0;
	if (c->env && c->env->stats)
		memset(c->env->stats, 0, sizeof(*c->env->stats));
	return 0;
}

static int parse_input(struct ck_ctx *c, const char *s, unsigned int *in)
{
	unsigned long v;

	if (ck_parse_uint(s, S2_MAX_INPUTS, &v) || v < 1 ||
	    v > SP(c)->dev.m->num_inputs)
		return ck_fail(c->r, "no input '%s' (inputs are 1..%u)", s,
			       SP(c)->dev.m->num_inputs);
	*in = (unsigned int)v - 1;
	return 0;
}

static int refused(struct ck_ctx *c, int r, unsigned int in, const char *what)
{
	if (r == -ENOENT)
		return ck_fail(c->r, "input %u has no %s", in + 1, what);
	if (r == -ERANGE)
		return ck_fail(c->r, "%s: out of range", what);
	return ck_fail(c->r, "the device refused (%s)", strerror(-r));
}

static int knob_gain(struct ck_ctx *c, unsigned int in, const char *arg)
{
	struct s2_dev *d = &SP(c)->dev;
	double db;
	long raw;
	int r;

	if (ck_parse_double(arg, -1000.0, 1000.0, &db))
		return ck_fail(c->r, "bad gain '%s' (dB)", arg);
	raw = lround(db / d->m->gain_step_db);
	if (raw < 0)
		raw = 0;
	if (raw > S2_GAIN_MAX)
		raw = S2_GAIN_MAX;
	r = s2_panel(d, S2_FN_GAIN, in, (unsigned int)raw, c->now_ns);
	return r < 0 ? refused(c, r, in, "software gain") : 0;
}

static int cmd_knob(struct ck_ctx *c)
{
	unsigned int in, k, v;
	bool on = false;
	int r;

	if (parse_input(c, c->argv[0], &in))
		return -EINVAL;
	if (!strcmp(c->argv[1], "gain"))
		return knob_gain(c, in, c->argv[2]);
	for (k = 0; k < sizeof(switches) / sizeof(switches[0]); k++)
		if (!strcmp(c->argv[1], switches[k].name))
			break;
	if (k == sizeof(switches) / sizeof(switches[0]))
		return ck_fail(c->r, "no control '%s' (gain phantom pad air inst safe)",
			       c->argv[1]);
	if (switches[k].fn == S2_FN_AIR && !strcmp(c->argv[2], "presence"))
		v = 1;
	else if (switches[k].fn == S2_FN_AIR && !strcmp(c->argv[2], "drive"))
		v = 2;
	else if (ck_parse_on_off(c->argv[2], &on, c->r))
		return -EINVAL;
	else
		v = on;
	r = s2_panel(&SP(c)->dev, switches[k].fn, in, v, c->now_ns);
	return r < 0 ? refused(c, r, in, c->argv[1]) : 0;
}

static int cmd_button(struct ck_ctx *c)
{
	unsigned int in;
	int r;

	if (parse_input(c, c->argv[0], &in))
		return -EINVAL;
	if (strcmp(c->argv[1], "autogain"))
		return ck_fail(c->r, "no button '%s' (autogain)", c->argv[1]);
	r = s2_panel_autogain(&SP(c)->dev, in, c->now_ns);
	if (r == -EBUSY)
		return ck_fail(c->r, "autogain already runs on input %u", in + 1);
	if (r == -ENODEV)
		return ck_fail(c->r, "the device is not powered (unplugged)");
	return r < 0 ? refused(c, r, in, "autogain") : 0;
}

static int cmd_autogain_end(struct ck_ctx *c)
{
	unsigned int in;
	int r;

	if (parse_input(c, c->argv[0], &in))
		return -EINVAL;
	r = s2_autogain_end_now(&SP(c)->dev, in, c->now_ns);
	if (r == -EAGAIN)
		return ck_fail(c->r, "no autogain runs on input %u", in + 1);
	return r < 0 ? refused(c, r, in, "autogain") : 0;
}

static int cmd_source(struct ck_ctx *c)
{
	unsigned int in;
	double level;

	if (parse_input(c, c->argv[0], &in))
		return -EINVAL;
	if (strcmp(c->argv[1], "silence") && strcmp(c->argv[1], "sine") &&
	    strcmp(c->argv[1], "speech"))
		return ck_fail(c->r, "no source shape '%s' (silence sine speech)",
			       c->argv[1]);
	if (ck_parse_double(c->argv[2], -120.0, 40.0, &level))
		return ck_fail(c->r, "bad level '%s' (dBFS, -120..40)", c->argv[2]);
	s2_set_source(&SP(c)->dev, in,
		      strcmp(c->argv[1], "silence") ? level : -INFINITY);
	return 0;
}

static int parse_ms(struct ck_ctx *c, unsigned int *out)
{
	unsigned long v;

	if (ck_parse_uint(c->argv[0], MAX_MS, &v))
		return ck_fail(c->r, "bad time '%s' (0..%u ms)", c->argv[0], MAX_MS);
	*out = (unsigned int)v;
	return 0;
}

static int cmd_autogain_ms(struct ck_ctx *c)
{
	return parse_ms(c, &SP(c)->dev.autogain_ms);
}

static int cmd_settle_ms(struct ck_ctx *c)
{
	return parse_ms(c, &SP(c)->dev.settle_ms);
}

static const struct ck_command commands[] = {
	{ "state", 0, 0, "state", cmd_state },
	{ "get", 1, 1, "get KEY", cmd_get },
	{ "counters", 0, 0, "counters", cmd_counters },
	{ "reset-counters", 0, 0, "reset-counters", cmd_reset_counters },
	{ "knob", 3, 3, "knob IN gain DB | knob IN phantom|pad|air|inst|safe on|off", cmd_knob },
	{ "button", 2, 2, "button IN autogain", cmd_button },
	{ "source", 3, 3, "source IN silence|sine|speech LEVEL", cmd_source },
	{ "autogain-ms", 1, 1, "autogain-ms MS", cmd_autogain_ms },
	{ "autogain-end", 1, 1, "autogain-end IN", cmd_autogain_end },
	{ "settle-ms", 1, 1, "settle-ms MS", cmd_settle_ms },
	{ "unplug", 0, 0, "unplug", ck_unplug },
	{ NULL, 0, 0, NULL, NULL }
};

static int sp_ctl(void *dev, const struct emu_ctl_env *env, const char *line,
		  uint64_t now_ns, char *out, size_t out_size)
{
	return ck_exec(commands, dev, env, line, now_ns, out, out_size);
}

static void sp_free(void *dev)
{
	free(dev);
}

static const struct emu_personality_ops scarlett2_ops = {
	.string = sp_string,
	.power_on = sp_power_on,
	.power_off = sp_power_off,
	.control = sp_control,
	.notification = sp_notification,
	.stream_start = sp_stream_start,
	.capture = sp_capture,
	.tick = sp_tick,
	.ctl = sp_ctl,
	.free = sp_free,
};

/* ---- descriptors ------------------------------------------------------------ */

static int build_usb(struct s2_pers *sp)
{
	struct emu_usb_layout *l = &sp->layout;
	struct udw w = { sp->config, 0, sizeof(sp->config), false };
	size_t header;

	l->vendor_id = 0x1235;
	l->product_id = sp->dev.m->product_id;
	l->bcd_device = 0x0100;
	l->dev_class = 0xef;		/* miscellaneous, with an IAD */
	l->dev_subclass = 0x02;
	l->dev_protocol = 0x01;
	l->num_interfaces = 2;
	l->intf[AC_INTF].cls = UD_CLASS_AUDIO;
	l->intf[AC_INTF].subclass = UD_SUBCLASS_AC;
	l->intf[AC_INTF].protocol = UD_PROTOCOL_UAC2;
	l->intf[FC_INTF].cls = UD_CLASS_VENDOR;
	l->as_intf = EMU_LAYOUT_NO_INTF;
	l->int_ep = INT_EP;
	ud_device(sp->device, l, STR_MANUFACTURER, STR_PRODUCT, STR_SERIAL);
	l->device = sp->device;

	ud_config_begin(&w, l->num_interfaces);
	ud_iad(&w, AC_INTF, 1);
	ud_interface(&w, AC_INTF, 0, 0, UD_CLASS_AUDIO, UD_SUBCLASS_AC,
		     UD_PROTOCOL_UAC2, 0);
	header = ud_ac_header_begin(&w);
	ud_ac_clock(&w, CLOCK_ID);
	ud_ac_header_end(&w, header);
	ud_interface(&w, FC_INTF, 0, 1, UD_CLASS_VENDOR, 0, 0, STR_CONTROL);
	ud_endpoint(&w, INT_EP, UD_EP_INT, NOTIFY_MAXP, UD_HS_INTERVAL_1MS);
	if (ud_config_end(&w) < 0)
		return -EINVAL;
	l->config = sp->config;
	l->config_len = w.len;
	return 0;
}

/* ---- the model file ----------------------------------------------------------- */

struct parse {
	char model[32];
	unsigned long firmware;
	char serial[64];
	unsigned long autogain_ms, settle_ms;
	double source[S2_MAX_INPUTS];
	char *err;
	size_t errlen;
	bool failed;
};

static int bad(struct parse *p, const char *what, const char *v)
{
	if (!p->failed)
		snprintf(p->err, p->errlen, "bad %s '%s'", what, v);
	p->failed = true;
	return 0;
}

static int num(const char *v, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(v, &end, 0);
	return errno || end == v || *end || *out > max || *v == '-' ? -1 : 0;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct parse *p = user;
	unsigned int in;
	char *end;

	if (!strcmp(section, "device")) {
		if (!strcmp(name, "personality"))
			return 1;
		if (!strcmp(name, "model")) {
			if (strlen(value) >= sizeof(p->model))
				return bad(p, "model", value);
			strcpy(p->model, value);
		} else if (!strcmp(name, "firmware")) {
			if (num(value, 0xffffff, &p->firmware))
				return bad(p, "firmware", value);
		} else if (!strcmp(name, "serial")) {
			if (emu_serial_check(value, sizeof(p->serial) - 1, p->err,
					     p->errlen) < 0) {
				p->failed = true;
				return 0;
			}
			strcpy(p->serial, value);
		} else if (!strcmp(name, "autogain_ms")) {
			if (num(value, MAX_MS, &p->autogain_ms))
				return bad(p, "autogain_ms", value);
		} else if (!strcmp(name, "settle_ms")) {
			if (num(value, MAX_MS, &p->settle_ms))
				return bad(p, "settle_ms", value);
		} else {
			return bad(p, "key", name);
		}
		return 1;
	}
	if (sscanf(section, "input %u", &in) == 1 && in >= 1 &&
	    in <= S2_MAX_INPUTS && !strcmp(name, "source")) {
		if (!strcmp(value, "silence")) {
			p->source[in - 1] = -INFINITY;
			return 1;
		}
		p->source[in - 1] = strtod(value, &end);
		if (end == value || *end || !isfinite(p->source[in - 1]) ||
		    p->source[in - 1] > 40.0)
			return bad(p, "source", value);
		return 1;
	}
	return bad(p, "section or key", name);
}

int scarlett2_personality_load(const char *path, const char *serial,
			       struct emu_personality *p, char *err,
			       size_t errlen)
{
	struct parse pr = { .firmware = 0, .autogain_ms = 3000,
			    .settle_ms = 250, .err = err, .errlen = errlen };
	const struct s2_model *m;
	struct s2_pers *sp;
	unsigned int i;
	int r;

	for (i = 0; i < S2_MAX_INPUTS; i++)
		pr.source[i] = -30.0;
	strcpy(pr.serial, "S2-000001");
	r = ini_parse(path, handler, &pr);
	if (r < 0) {
		snprintf(err, errlen, "%s: cannot read it", path);
		return -1;
	}
	if (r > 0 && !pr.failed)
		snprintf(err, errlen, "not INI");
	if (r > 0 || pr.failed) {
		char why[200];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "%s:%d: %s", path, r, why);
		return -1;
	}
	m = s2_model_find(pr.model, pr.firmware ? (uint32_t)pr.firmware :
			  UINT32_MAX);
	if (!m) {
		snprintf(err, errlen, "%s: no scarlett2 model '%s' at firmware %lu (%s)",
			 path, pr.model, pr.firmware, s2_model_ids());
		return -1;
	}
	if (serial && emu_serial_check(serial, sizeof(pr.serial) - 1, err,
				       errlen) < 0)
		return -1;
	sp = calloc(1, sizeof(*sp));
	if (!sp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s2_init(&sp->dev, m, pr.firmware ? (uint32_t)pr.firmware : m->firmware);
	sp->dev.autogain_ms = (unsigned int)pr.autogain_ms;
	sp->dev.settle_ms = (unsigned int)pr.settle_ms;
	for (i = 0; i < m->num_inputs; i++)
		s2_set_source(&sp->dev, i, pr.source[i]);
	snprintf(sp->serial, sizeof(sp->serial), "%s", serial ? serial : pr.serial);
	if (build_usb(sp) < 0) {
		snprintf(err, errlen, "%s: the descriptors do not fit", path);
		free(sp);
		return -1;
	}
	p->kind = "scarlett2";
	snprintf(p->name, sizeof(p->name), "%s (scarlett2, firmware %u)",
		 m->product, sp->dev.firmware);
	p->usb = &sp->layout;
	p->ops = &scarlett2_ops;
	p->dev = sp;
	return 0;
}
