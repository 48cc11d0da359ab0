// SPDX-License-Identifier: MIT
/*
 * The uac2 personality: a class-compliant USB Audio Class 2.0 interface
 * (uac2-model.c) on the bus: an audio function whose input terminal feeds a
 * feature unit with Input Gain, Input Gain Pad and Phase Inverter on every
 * channel, a status interrupt endpoint, and a capture stream. No vendor
 * request: snd-usb-audio's generic mixer drives it.
 *
 * Model file:
 *
 *   [device]
 *   personality = uac2
 *   name = USB Preamp 2        ; the USB product string
 *   manufacturer = preamp project
 *   serial = UAC2-000001
 *   vendor_id = 0x1209
 *   product_id = 0x0001
 *   channels = 2
 *   gain_min = 0               ; dB
 *   gain_max = 60
 *   gain_step = 0.5
 *   pad = -20                  ; dB
 *
 *   [input 1]
 *   source = -40               ; a sine's peak dBFS at 0 dB gain; "silence"
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ini.h>

#include "ctlkit.h"
#include "personalities.h"
#include "uac2-model.h"
#include "usbdesc.h"

#define FU_CONTROLS	(3u << 20 | 3u << 22 | 3u << 24)	/* gain, pad, phase */

enum { STR_MANUFACTURER = 1, STR_PRODUCT, STR_SERIAL };

struct u2_pers {
	struct u2_dev dev;
	struct ud_audio audio;
	uint32_t controls[U2_MAX_CHANNELS + 1];
	struct emu_usb_layout layout;
	uint8_t device[UD_DEVICE_LEN];
	uint8_t config[UD_CONFIG_MAX];
	char name[64], manufacturer[64], serial[64];
};

#define UP(c) ((struct u2_pers *)(c)->dev)

static int up_string(void *dev, unsigned int index, uint8_t *buf, size_t cap)
{
	struct u2_pers *up = dev;

	switch (index) {
	case 0:
		return emu_usb_langids(buf, cap);
	case STR_MANUFACTURER:
		return emu_usb_string_desc(up->manufacturer, buf, cap);
	case STR_PRODUCT:
		return emu_usb_string_desc(up->name, buf, cap);
	case STR_SERIAL:
		return emu_usb_string_desc(up->serial, buf, cap);
	default:
		return -ENOENT;
	}
}

static void up_power_on(void *dev, uint64_t now_ns)
{
	u2_power_on(&((struct u2_pers *)dev)->dev, now_ns);
}

static void up_power_off(void *dev)
{
	u2_power_off(&((struct u2_pers *)dev)->dev);
}

static struct emu_xfer up_control(void *dev, const struct emu_setup *st,
				  uint8_t *buf, size_t cap, uint64_t now_ns)
{
	struct u2_pers *up = dev;
	struct emu_xfer x = { .status = -EPIPE };
	unsigned int entity = st->index >> 8;

	if ((st->type & 0x60) != 0x20 || (st->type & 0x1f) != 0x01 ||
	    (st->index & 0xff) != up->audio.ac_intf)
		return x;
	if (entity == up->audio.clock_id) {
		x.status = ud_clock_request(st, buf, cap, &x.len);
		return x;
	}
	if (entity != up->audio.fu_id)
		return x;
	x.device = true;
	x.name = st->type & 0x80 ? (st->request == U2_REQ_RANGE ?
				    "GET_RANGE" : "GET_CUR") : "SET_CUR";
	x.status = u2_request(&up->dev, st->type, st->request, st->value,
			      st->index, st->length, buf, cap, &x.len, now_ns);
	return x;
}

static ssize_t up_notification(void *dev, uint8_t *out, size_t cap,
			       uint64_t now_ns, uint64_t *next_ns)
{
	(void)now_ns;
	*next_ns = UINT64_MAX;
	if (cap < U2_MSG_LEN)
		return -EAGAIN;
	return u2_notification(&((struct u2_pers *)dev)->dev, out);
}

static uint64_t up_stream_start(void *dev, uint64_t now_ns)
{
	return emu_afe_frame(&((struct u2_pers *)dev)->dev.afe, now_ns);
}

static void up_capture(void *dev, uint64_t *pos, int16_t *out, size_t frames,
		       uint64_t now_ns)
{
	(void)now_ns;
	emu_afe_capture(&((struct u2_pers *)dev)->dev.afe, pos, out, frames);
}

static void up_tick(void *dev, uint64_t now_ns)
{
	(void)dev;
	(void)now_ns;
}

/* ---- the control channel ---- */

static void state_all(struct ck_ctx *c, struct ck_reply *r)
{
	const struct u2_pers *up = UP(c);
	const struct u2_dev *d = &up->dev;
	unsigned int i;
	char b[32];

	ck_say(r, "device.name=%s\n", up->name);
	ck_say(r, "device.serial=%s\n", up->serial);
	ck_say(r, "device.powered=%d\n", d->powered ? 1 : 0);
	ck_say(r, "device.writes=%u\n", d->writes);
	for (i = 0; i < d->channels; i++) {
		ck_say(r, "in%u.gain_db=%s\n", i + 1, ck_fmt_db(b, d->gain[i] / 256.0));
		ck_say(r, "in%u.pad=%d\n", i + 1, d->pad[i] ? 1 : 0);
		ck_say(r, "in%u.phase=%d\n", i + 1, d->phase[i] ? 1 : 0);
		ck_say(r, "in%u.source_dbfs=%s\n", i + 1,
		       ck_fmt_db(b, d->afe.src[i].shape == EMU_SHAPE_SILENCE ?
				 -INFINITY : d->afe.src[i].level_dbfs));
		ck_say(r, "in%u.expected_peak_dbfs=%s\n", i + 1,
		       ck_fmt_db(b, fmin(0.0, d->afe.src[i].level_dbfs +
					 d->afe.gain_db[i])));
	}
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
	const struct u2_dev *d = &UP(c)->dev;
	unsigned int k;

	for (k = 0; k < U2_C_COUNT; k++)
		ck_say(c->r, "req.%s=%u\n", u2_count_name(k), d->count[k]);
	ck_say(c->r, "writes=%u\n", d->writes);
	return 0;
}

static int cmd_reset_counters(struct ck_ctx *c)
{
	struct u2_dev *d = &UP(c)->dev;

	memset(d->count, 0, sizeof(d->count));
	d->writes = 0;
	return 0;
}

static int parse_input(struct ck_ctx *c, const char *s, unsigned int *in)
{
	unsigned long v;

	if (ck_parse_uint(s, U2_MAX_CHANNELS, &v) || v < 1 ||
	    v > UP(c)->dev.channels)
		return ck_fail(c->r, "no input '%s' (inputs are 1..%u)", s,
			       UP(c)->dev.channels);
	*in = (unsigned int)v - 1;
	return 0;
}

static int cmd_knob(struct ck_ctx *c)
{
	unsigned int in = 0, cs;
	double v;
	bool on;

	if (parse_input(c, c->argv[0], &in))
		return -EINVAL;
	if (!strcmp(c->argv[1], "gain")) {
		if (ck_parse_double(c->argv[2], -200.0, 200.0, &v))
			return ck_fail(c->r, "bad gain '%s' (dB)", c->argv[2]);
		cs = U2_CS_INPUT_GAIN;
	} else if (!strcmp(c->argv[1], "pad") || !strcmp(c->argv[1], "phase")) {
		if (ck_parse_on_off(c->argv[2], &on, c->r))
			return -EINVAL;
		v = on;
		cs = c->argv[1][1] == 'a' ? U2_CS_PAD : U2_CS_PHASE;
	} else {
		return ck_fail(c->r, "no control '%s' (gain pad phase)",
			       c->argv[1]);
	}
	u2_panel(&UP(c)->dev, cs, in, v, c->now_ns);
	return 0;
}

static int cmd_source(struct ck_ctx *c)
{
	unsigned int in = 0;
	double level;

	if (parse_input(c, c->argv[0], &in))
		return -EINVAL;
	if (ck_parse_double(c->argv[2], AFE_LEVEL_MIN_DBFS, AFE_LEVEL_MAX_DBFS,
			    &level) ||
	    emu_afe_source(&UP(c)->dev.afe, in, c->argv[1], level) < 0)
		return ck_fail(c->r, "bad source '%s %s' (silence|sine|speech, -120..40 dBFS)",
			       c->argv[1], c->argv[2]);
	return 0;
}

static const struct ck_command commands[] = {
	{ "state", 0, 0, "state", cmd_state },
	{ "get", 1, 1, "get KEY", cmd_get },
	{ "counters", 0, 0, "counters", cmd_counters },
	{ "reset-counters", 0, 0, "reset-counters", cmd_reset_counters },
	{ "knob", 3, 3, "knob IN gain DB | knob IN pad|phase on|off", cmd_knob },
	{ "source", 3, 3, "source IN silence|sine|speech LEVEL", cmd_source },
	{ "unplug", 0, 0, "unplug", ck_unplug },
	{ NULL, 0, 0, NULL, NULL }
};

static int up_ctl(void *dev, const struct emu_ctl_env *env, const char *line,
		  uint64_t now_ns, char *out, size_t out_size)
{
	return ck_exec(commands, dev, env, line, now_ns, out, out_size);
}

static void up_free(void *dev)
{
	free(dev);
}

static const struct emu_personality_ops uac2_ops = {
	.string = up_string,
	.power_on = up_power_on,
	.power_off = up_power_off,
	.control = up_control,
	.notification = up_notification,
	.stream_start = up_stream_start,
	.capture = up_capture,
	.tick = up_tick,
	.ctl = up_ctl,
	.free = up_free,
};

/* ---- the model file ---- */

struct parse {
	struct u2_pers *up;
	unsigned long vid, pid, channels;
	double gain_min, gain_max, gain_step, pad;
	double source[U2_MAX_CHANNELS];
	char *err;
	size_t errlen;
	bool failed;
};

static int text(char *dst, size_t size, const char *v)
{
	if (!*v || strlen(v) >= size)
		return -1;
	strcpy(dst, v);
	return 0;
}

static int number(const char *v, double min, double max, double *out)
{
	char *end;

	*out = strtod(v, &end);
	return end == v || *end || !isfinite(*out) || *out < min || *out > max ?
	       -1 : 0;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct parse *p = user;
	struct u2_pers *up = p->up;
	unsigned int in;
	double v;
	int r = -1;

	if (!strcmp(section, "device")) {
		if (!strcmp(name, "personality"))
			r = 0;
		else if (!strcmp(name, "name"))
			r = text(up->name, sizeof(up->name), value);
		else if (!strcmp(name, "manufacturer"))
			r = text(up->manufacturer, sizeof(up->manufacturer), value);
		else if (!strcmp(name, "serial"))
			r = emu_serial_check(value, sizeof(up->serial) - 1, p->err,
					     p->errlen) ? -1 :
			    text(up->serial, sizeof(up->serial), value);
		else if (!strcmp(name, "vendor_id") || !strcmp(name, "product_id") ||
			 !strcmp(name, "channels")) {
			r = number(value, 0, name[0] == 'c' ? U2_MAX_CHANNELS : 0xffff, &v);
			*(name[0] == 'v' ? &p->vid : name[0] == 'p' ? &p->pid :
			  &p->channels) = (unsigned long)v;
		} else if (!strcmp(name, "gain_min"))
			r = number(value, -127, 127, &p->gain_min);
		else if (!strcmp(name, "gain_max"))
			r = number(value, -127, 127, &p->gain_max);
		else if (!strcmp(name, "gain_step"))
			r = number(value, 1.0 / 256, 127, &p->gain_step);
		else if (!strcmp(name, "pad"))
			r = number(value, -127, -1.0 / 256, &p->pad);
	} else if (sscanf(section, "input %u", &in) == 1 && in >= 1 &&
		   in <= U2_MAX_CHANNELS && !strcmp(name, "source")) {
		if (!strcmp(value, "silence")) {
			p->source[in - 1] = -INFINITY;
			r = 0;
		} else {
			r = number(value, AFE_LEVEL_MIN_DBFS, AFE_LEVEL_MAX_DBFS,
				   &p->source[in - 1]);
		}
	}
	if (r == 0)
		return 1;
	if (!p->failed)
		snprintf(p->err, p->errlen, "bad key '%s' = '%s'", name, value);
	p->failed = true;
	return 0;
}

static int build(struct u2_pers *up, unsigned long vid, unsigned long pid)
{
	struct udw w = { up->config, 0, sizeof(up->config), false };
	unsigned int c;

	up->audio = (struct ud_audio){
		.ac_intf = 0, .as_intf = 1, .clock_id = 41, .it_id = 1,
		.fu_id = 2, .ot_id = 3, .terminal_type = UD_TERMINAL_MICROPHONE,
		.channels = up->dev.channels, .fu_controls = up->controls,
		.int_ep = 0x82, .iso_ep = 0x81,
	};
	up->controls[0] = 0;	/* the master channel has none */
	for (c = 1; c <= up->dev.channels; c++)
		up->controls[c] = FU_CONTROLS;
	ud_audio_layout(&up->layout, (uint16_t)vid, (uint16_t)pid, &up->audio);
	ud_device(up->device, &up->layout, STR_MANUFACTURER, STR_PRODUCT,
		  STR_SERIAL);
	up->layout.device = up->device;
	ud_config_begin(&w, up->layout.num_interfaces);
	ud_audio_function(&w, &up->audio);
	if (ud_config_end(&w) < 0)
		return -EINVAL;
	up->layout.config = up->config;
	up->layout.config_len = w.len;
	return 0;
}

int uac2_personality_load(const char *path, const char *serial,
			  struct emu_personality *p, char *err, size_t errlen)
{
	struct u2_pers *up = calloc(1, sizeof(*up));
	struct parse pr = { up, 0x1209, 0x0001, 2, 0, 60, 0.5, -20, { 0 },
			    err, errlen, false };
	unsigned int c;
	int r;

	if (!up) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	strcpy(up->name, "USB Preamp 2");
	strcpy(up->manufacturer, "preamp project");
	strcpy(up->serial, "UAC2-000001");
	for (c = 0; c < U2_MAX_CHANNELS; c++)
		pr.source[c] = -40.0;
	r = ini_parse(path, handler, &pr);
	if (r != 0 || pr.failed) {
		char why[200];

		snprintf(why, sizeof(why), "%s", r < 0 ? "cannot read it" :
			 pr.failed ? err : "not INI");
		snprintf(err, errlen, "%s:%d: %s", path, r, why);
		goto fail;
	}
	if (serial) {
		if (emu_serial_check(serial, sizeof(up->serial) - 1, err,
				     errlen) < 0)
			goto fail;
		strcpy(up->serial, serial);
	}
	if (u2_init(&up->dev, (unsigned int)pr.channels, 0, 2,
		    (int16_t)lround(pr.gain_min * 256),
		    (int16_t)lround(pr.gain_max * 256),
		    (int16_t)lround(pr.gain_step * 256),
		    (int16_t)lround(pr.pad * 256)) < 0 || build(up, pr.vid, pr.pid) < 0) {
		snprintf(err, errlen, "%s: no such device (channels 1..%d, gain_min < gain_max, the step dividing the range, pad < 0)",
			 path, U2_MAX_CHANNELS);
		goto fail;
	}
	for (c = 0; c < up->dev.channels; c++)
		emu_afe_source(&up->dev.afe, c, isfinite(pr.source[c]) ? "sine" :
			       "silence", isfinite(pr.source[c]) ? pr.source[c] : 0);
	p->kind = "uac2";
	snprintf(p->name, sizeof(p->name), "%s (UAC2, %u inputs)", up->name,
		 up->dev.channels);
	p->usb = &up->layout;
	p->ops = &uac2_ops;
	p->dev = up;
	return 0;
fail:
	free(up);
	return -1;
}
