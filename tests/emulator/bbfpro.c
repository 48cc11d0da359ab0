// SPDX-License-Identifier: MIT
/*
 * The bbfpro personality: an RME Babyface Pro (bbfpro-model.c) on the bus,
 * as snd-usb-audio's class path binds it: one UAC2 audio function (clock,
 * a four-channel input terminal, capture of AN1 AN2 IN3 IN4) and the
 * vendor requests of the quirk. No notification of any kind.
 *
 * Model file:
 *
 *   [device]
 *   personality = bbfpro
 *   serial = BBFPRO-000001
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

#include "bbfpro-model.h"
#include "ctlkit.h"
#include "event.h"
#include "personalities.h"
#include "usbdesc.h"

enum { STR_MANUFACTURER = 1, STR_PRODUCT, STR_SERIAL };

static const struct ud_audio audio = {
	.ac_intf = 0, .as_intf = 1, .clock_id = 41, .it_id = 1, .ot_id = 3,
	.terminal_type = UD_TERMINAL_MICROPHONE, .channels = BB_INPUTS,
	.iso_ep = 0x81,
};

struct bb_pers {
	struct bb_dev dev;
	struct emu_usb_layout layout;
	uint8_t device[UD_DEVICE_LEN];
	uint8_t config[UD_CONFIG_MAX];
	char serial[64];
};

#define BP(c) ((struct bb_pers *)(c)->dev)

static int bp_string(void *dev, unsigned int index, uint8_t *buf, size_t cap)
{
	struct bb_pers *bp = dev;

	switch (index) {
	case 0:
		return emu_usb_langids(buf, cap);
	case STR_MANUFACTURER:
		return emu_usb_string_desc("RME", buf, cap);
	case STR_PRODUCT:
		return emu_usb_string_desc("Babyface Pro", buf, cap);
	case STR_SERIAL:
		return emu_usb_string_desc(bp->serial, buf, cap);
	default:
		return -ENOENT;
	}
}

static void bp_power_on(void *dev, uint64_t now_ns)
{
	bb_power_on(&((struct bb_pers *)dev)->dev, now_ns);
}

static void bp_power_off(void *dev)
{
	bb_power_off(&((struct bb_pers *)dev)->dev, emu_now_ns());
}

static struct emu_xfer bp_control(void *dev, const struct emu_setup *st,
				  uint8_t *buf, size_t cap, uint64_t now_ns)
{
	struct bb_pers *bp = dev;
	struct emu_xfer x = { .status = -EPIPE };

	if ((st->type & 0x60) == 0x20 && (st->type & 0x1f) == 0x01 &&
	    st->index == (audio.clock_id << 8 | audio.ac_intf)) {
		x.status = ud_clock_request(st, buf, cap, &x.len);
		return x;
	}
	if ((st->type & 0x60) != 0x40)
		return x;
	x.device = true;
	x.name = st->request == BB_REQ_GAIN ? "GAIN" :
		 st->request == BB_REQ_REG2 ? "REG2" :
		 st->request == BB_REQ_REG1 ? "REG1" :
		 st->request == BB_REQ_MIXER ? "MIXER" : "vendor";
	x.status = bb_request(&bp->dev, st->type, st->request, st->value,
			      st->index, st->length, now_ns);
	return x;
}

static uint64_t bp_stream_start(void *dev, uint64_t now_ns)
{
	return emu_afe_frame(&((struct bb_pers *)dev)->dev.afe, now_ns);
}

static void bp_capture(void *dev, uint64_t *pos, int16_t *out, size_t frames,
		       uint64_t now_ns)
{
	(void)now_ns;
	emu_afe_capture(&((struct bb_pers *)dev)->dev.afe, pos, out, frames);
}

static void bp_tick(void *dev, uint64_t now_ns)
{
	(void)dev;
	(void)now_ns;
}

/* ---- the control channel ---- */

static const struct {
	const char *name;
	unsigned int bit[BB_INPUTS];	/* per input, 0xff: none */
} bits[] = {
	{ "phantom", { BB_REG2_48V_AN1, BB_REG2_48V_AN2, 0xff, 0xff } },
	{ "pad", { BB_REG2_PAD_AN1, BB_REG2_PAD_AN2, 0xff, 0xff } },
	{ "sens", { 0xff, 0xff, BB_REG2_SENS_IN3, BB_REG2_SENS_IN4 } },
};

static void state_all(struct ck_ctx *c, struct ck_reply *r)
{
	const struct bb_pers *bp = BP(c);
	const struct bb_dev *d = &bp->dev;
	unsigned int i, k;
	char b[32];

	ck_say(r, "device.name=Babyface Pro\n");
	ck_say(r, "device.serial=%s\n", bp->serial);
	ck_say(r, "device.powered=%d\n", d->powered ? 1 : 0);
	ck_say(r, "device.writes=%u\n", d->writes);
	for (i = 0; i < BB_INPUTS; i++) {
		ck_say(r, "in%u.gain=%u\n", i + 1, d->gain[i]);
		ck_say(r, "in%u.gain_db=%s\n", i + 1,
		       ck_fmt_db(b, bb_gain_db(d, i)));
		for (k = 0; k < sizeof(bits) / sizeof(bits[0]); k++)
			if (bits[k].bit[i] != 0xff)
				ck_say(r, "in%u.%s=%d\n", i + 1, bits[k].name,
				       bb_bit(d, bits[k].bit[i]) ? 1 : 0);
		ck_say(r, "in%u.source_dbfs=%s\n", i + 1,
		       ck_fmt_db(b, d->afe.src[i].shape == EMU_SHAPE_SILENCE ?
				 -INFINITY : d->afe.src[i].level_dbfs));
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
	const struct bb_dev *d = &BP(c)->dev;
	unsigned int k;

	for (k = 0; k < BB_C_COUNT; k++)
		ck_say(c->r, "req.%s=%u\n", bb_count_name(k), d->count[k]);
	ck_say(c->r, "writes=%u\n", d->writes);
	return 0;
}

static int cmd_reset_counters(struct ck_ctx *c)
{
	struct bb_dev *d = &BP(c)->dev;

	memset(d->count, 0, sizeof(d->count));
	d->writes = 0;
	return 0;
}

static int parse_input(struct ck_ctx *c, const char *s, unsigned int *in)
{
	unsigned long v;

	if (ck_parse_uint(s, BB_INPUTS, &v) || v < 1)
		return ck_fail(c->r, "no input '%s' (inputs are 1..%u)", s,
			       BB_INPUTS);
	*in = (unsigned int)v - 1;
	return 0;
}

static int cmd_knob(struct ck_ctx *c)
{
	struct bb_dev *d = &BP(c)->dev;
	unsigned int in = 0, k;
	double db;
	bool on;

	if (parse_input(c, c->argv[0], &in))
		return -EINVAL;
	if (!strcmp(c->argv[1], "gain")) {
		if (ck_parse_double(c->argv[2], -1000.0, 1000.0, &db))
			return ck_fail(c->r, "bad gain '%s' (dB)", c->argv[2]);
		bb_panel_gain(d, in, db, c->now_ns);
		return 0;
	}
	for (k = 0; k < sizeof(bits) / sizeof(bits[0]); k++)
		if (!strcmp(c->argv[1], bits[k].name))
			break;
	if (k == sizeof(bits) / sizeof(bits[0]))
		return ck_fail(c->r, "no control '%s' (gain phantom pad sens)",
			       c->argv[1]);
	if (bits[k].bit[in] == 0xff)
		return ck_fail(c->r, "input %u has no %s", in + 1, c->argv[1]);
	if (ck_parse_on_off(c->argv[2], &on, c->r))
		return -EINVAL;
	bb_panel_bit(d, bits[k].bit[in], on, c->now_ns);
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
	    emu_afe_source(&BP(c)->dev.afe, in, c->argv[1], level) < 0)
		return ck_fail(c->r, "bad source '%s %s' (silence|sine|speech, -120..40 dBFS)",
			       c->argv[1], c->argv[2]);
	return 0;
}

static const struct ck_command commands[] = {
	{ "state", 0, 0, "state", cmd_state },
	{ "get", 1, 1, "get KEY", cmd_get },
	{ "counters", 0, 0, "counters", cmd_counters },
	{ "reset-counters", 0, 0, "reset-counters", cmd_reset_counters },
	{ "knob", 3, 3, "knob IN gain DB | knob IN phantom|pad|sens on|off", cmd_knob },
	{ "source", 3, 3, "source IN silence|sine|speech LEVEL", cmd_source },
	{ "unplug", 0, 0, "unplug", ck_unplug },
	{ NULL, 0, 0, NULL, NULL }
};

static int bp_ctl(void *dev, const struct emu_ctl_env *env, const char *line,
		  uint64_t now_ns, char *out, size_t out_size)
{
	return ck_exec(commands, dev, env, line, now_ns, out, out_size);
}

static void bp_free(void *dev)
{
	free(dev);
}

static const struct emu_personality_ops bbfpro_ops = {
	.string = bp_string,
	.power_on = bp_power_on,
	.power_off = bp_power_off,
	.control = bp_control,
	.stream_start = bp_stream_start,
	.capture = bp_capture,
	.tick = bp_tick,
	.ctl = bp_ctl,
	.free = bp_free,
};

/* ---- the model file ---- */

struct parse {
	char serial[64];
	double source[BB_INPUTS];
	char *err;
	size_t errlen;
	bool failed;
};

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct parse *p = user;
	unsigned int in = 0;
	char *end;

	if (!strcmp(section, "device") && !strcmp(name, "personality"))
		return 1;
	if (!strcmp(section, "device") && !strcmp(name, "serial")) {
		if (emu_serial_check(value, sizeof(p->serial) - 1, p->err,
				     p->errlen) < 0)
			goto bad;
		strcpy(p->serial, value);
		return 1;
	}
	if (sscanf(section, "input %u", &in) == 1 && in >= 1 &&
	    in <= BB_INPUTS && !strcmp(name, "source")) {
		if (!strcmp(value, "silence")) {
			p->source[in - 1] = -INFINITY;
			return 1;
		}
		p->source[in - 1] = strtod(value, &end);
		if (end != value && !*end && p->source[in - 1] >= AFE_LEVEL_MIN_DBFS &&
		    p->source[in - 1] <= AFE_LEVEL_MAX_DBFS)
			return 1;
	}
	snprintf(p->err, p->errlen, "bad key '%s' = '%s'", name, value);
bad:
	p->failed = true;
	return 0;
}

int bbfpro_personality_load(const char *path, const char *serial,
			    struct emu_personality *p, char *err, size_t errlen)
{
	struct parse pr = { .err = err, .errlen = errlen };
	struct udw w;
	struct bb_pers *bp;
	unsigned int i;
	int r;

	strcpy(pr.serial, "BBFPRO-000001");
	for (i = 0; i < BB_INPUTS; i++)
		pr.source[i] = -40.0;
	r = ini_parse(path, handler, &pr);
	if (r != 0 || pr.failed) {
		char why[200];

		snprintf(why, sizeof(why), "%s", r < 0 ? "cannot read it" :
			 pr.failed ? err : "not INI");
		snprintf(err, errlen, "%s:%d: %s", path, r, why);
		return -1;
	}
	if (serial && emu_serial_check(serial, sizeof(pr.serial) - 1, err,
				       errlen) < 0)
		return -1;
	bp = calloc(1, sizeof(*bp));
	if (!bp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	bb_init(&bp->dev);
	for (i = 0; i < BB_INPUTS; i++)
		emu_afe_source(&bp->dev.afe, i, isfinite(pr.source[i]) ? "sine" :
			       "silence", isfinite(pr.source[i]) ? pr.source[i] : 0);
	snprintf(bp->serial, sizeof(bp->serial), "%s", serial ? serial : pr.serial);

	ud_audio_layout(&bp->layout, 0x2a39, 0x3fb0, &audio);
	ud_device(bp->device, &bp->layout, STR_MANUFACTURER, STR_PRODUCT,
		  STR_SERIAL);
	bp->layout.device = bp->device;
	w = (struct udw){ bp->config, 0, sizeof(bp->config), false };
	ud_config_begin(&w, bp->layout.num_interfaces);
	ud_audio_function(&w, &audio);
	if (ud_config_end(&w) < 0) {
		snprintf(err, errlen, "%s: the descriptors do not fit", path);
		free(bp);
		return -1;
	}
	bp->layout.config = bp->config;
	bp->layout.config_len = w.len;

	p->kind = "bbfpro";
	snprintf(p->name, sizeof(p->name), "Babyface Pro (bbfpro)");
	p->usb = &bp->layout;
	p->ops = &bbfpro_ops;
	p->dev = bp;
	return 0;
}
