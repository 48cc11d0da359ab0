// SPDX-License-Identifier: MIT
/*
 * The emulated interface's device model: the Preamp Control Protocol as a
 * device implements it (usb-protocol.md sections 3 to 5), plus the faults a
 * test can inject. Inputs are 0-based here, as on the wire.
 */
#include <endian.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "model.h"

#define NS_PER_MS	1000000ULL

static const char *const switch_names[PAMP_NUM_SWITCHES] = {
	[PAMP_SW_PHANTOM] = "phantom",
	[PAMP_SW_PAD] = "pad",
	[PAMP_SW_PHASE] = "phase",
	[PAMP_SW_HPF] = "hpf",
	[PAMP_SW_AIR] = "air",
	[PAMP_SW_INST] = "inst",
};

const char *emu_request_name(unsigned int request)
{
	const char *name = pamp_request_name(request);

	return name ? name : "UNKNOWN";
}

const char *emu_switch_name(unsigned int sw)
{
	return sw < PAMP_NUM_SWITCHES ? switch_names[sw] : "?";
}

int emu_switch_from_name(const char *name)
{
	for (unsigned int i = 0; i < PAMP_NUM_SWITCHES; i++)
		if (strcmp(name, switch_names[i]) == 0)
			return (int)i;
	return -1;
}

static uint32_t next_random(struct emu_dev *d)
{
	/* xorshift32: reproducible garbage for the fault injector */
	uint32_t x = d->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return d->rng = x;
}

static uint32_t all_inputs_mask(const struct emu_dev *d)
{
	return d->desc.num_inputs >= 32 ? UINT32_MAX :
	       (1u << d->desc.num_inputs) - 1;
}

static void load_defaults(struct emu_dev *d)
{
	for (unsigned int i = 0; i < d->desc.num_inputs; i++) {
		const struct emu_input_desc *id = &d->desc.inputs[i];

		d->in[i].gain = (id->caps & PAMP_CAP_GAIN) ? id->gain_default : 0;
		d->in[i].switches = id->switches_default & id->caps &
				    PAMP_SWITCH_MASK;
	}
}

static void reset_audio(struct emu_dev *d, uint64_t now_ns)
{
	d->t0_ns = now_ns;
	d->tl.frames = 0;
	for (unsigned int i = 0; i < d->desc.num_inputs; i++)
		emu_meter_reset(&d->in[i].meter);
}

void emu_dev_init(struct emu_dev *d, const struct emu_desc *desc)
{
	memset(d, 0, sizeof(*d));
	d->desc = *desc;
	d->tl.channels = desc->num_inputs;
	d->rng = 0x2545f491;
	for (unsigned int i = 0; i < desc->num_inputs; i++) {
		d->in[i].source = desc->inputs[i].source;
		d->in[i].source.seed = 0x1000 + i;
	}
	load_defaults(d);
}

void emu_dev_power_on(struct emu_dev *d, uint64_t now_ns)
{
	/* a power cycle: settings survive only on a persistent device */
	if (!(d->desc.flags & PAMP_FLAG_PERSISTENT))
		load_defaults(d);
	d->pending_changed = 0;
	d->pending_events = 0;
	d->last_notify_ns = 0;
	d->clip_notified_ns = 0;
	reset_audio(d, now_ns);
	d->powered = true;
}

void emu_dev_power_off(struct emu_dev *d)
{
	d->powered = false;
}

void emu_dev_power_loss(struct emu_dev *d, uint64_t now_ns)
{
	emu_dev_power_off(d);
	emu_dev_power_on(d, now_ns);
}

void emu_dev_reset(struct emu_dev *d, uint64_t now_ns)
{
	if (!(d->desc.flags & PAMP_FLAG_PERSISTENT))
		load_defaults(d);
	reset_audio(d, now_ns);
	d->pending_changed = 0;
	d->pending_events |= PAMP_EVT_RESET;
}

/* ---- audio ---- */

double emu_dev_input_gain_db(const struct emu_dev *d, unsigned int input)
{
	const struct emu_input *in = &d->in[input];
	double db = in->gain / 256.0;

	if (in->switches & (1u << PAMP_SW_PAD))
		db -= d->desc.pad_db;
	return db;
}

double emu_dev_expected_peak_dbfs(const struct emu_dev *d, unsigned int input)
{
	double peak;

	if (d->in[input].source.shape == EMU_SHAPE_SILENCE)
		return -INFINITY;
	peak = d->in[input].source.level_dbfs + emu_dev_input_gain_db(d, input);
	return peak > 0.0 ? 0.0 : peak;
}

static void render_block(struct emu_dev *d)
{
	unsigned int ch = d->desc.num_inputs;
	uint64_t f0 = d->tl.frames;
	int16_t *hist = &d->tl.history[(f0 % EMU_HISTORY_FRAMES) * ch];
	double x[EMU_BLOCK_FRAMES];

	for (unsigned int i = 0; i < ch; i++) {
		struct emu_input *in = &d->in[i];
		double g = emu_db_to_lin(emu_dev_input_gain_db(d, i));
		unsigned int peak;

		if (in->switches & (1u << PAMP_SW_PHASE))
			g = -g;
		emu_source_block(&in->source, f0, x, EMU_BLOCK_FRAMES);
		peak = emu_render_block(&in->meter, x, EMU_BLOCK_FRAMES, g,
					hist + i, ch);
		emu_meter_block(&in->meter, f0 / EMU_BLOCK_FRAMES, (uint16_t)peak);
	}
	d->tl.frames += EMU_BLOCK_FRAMES;
}

void emu_dev_catch_up(struct emu_dev *d, uint64_t now_ns)
{
	uint64_t due;

	if (!d->powered || now_ns < d->t0_ns)
		return;
	due = (now_ns - d->t0_ns) / (NS_PER_MS / EMU_BLOCK_FRAMES);
	due -= due % EMU_BLOCK_FRAMES;
	/* after a long sleep only the last second matters to anyone */
	if (due > d->tl.frames + EMU_RATE)
		d->tl.frames = due - EMU_RATE;
	while (d->tl.frames < due)
		render_block(d);
}

void emu_dev_capture(struct emu_dev *d, uint64_t *pos, int16_t *out,
		     size_t frames, uint64_t now_ns)
{
	unsigned int ch = d->desc.num_inputs;

	emu_dev_catch_up(d, now_ns);
	if (frames > EMU_HISTORY_FRAMES / 2)
		frames = EMU_HISTORY_FRAMES / 2;
	/* a reader that fell out of the history resumes at the present */
	if (*pos + EMU_HISTORY_FRAMES / 2 < d->tl.frames) {
		d->tl.skipped += d->tl.frames - frames - *pos;
		*pos = d->tl.frames - frames;
	}
	/* a reader ahead of the clock makes the timeline run ahead */
	while (d->tl.frames < *pos + frames)
		render_block(d);
	for (size_t f = 0; f < frames; f++) {
		const int16_t *at = &d->tl.history[((*pos + f) % EMU_HISTORY_FRAMES) * ch];

		for (unsigned int i = 0; i < ch; i++)
			out[f * ch + i] = (int16_t)htole16((uint16_t)at[i]);
	}
	*pos += frames;
}

int16_t emu_dev_meter_peak(struct emu_dev *d, unsigned int input,
			   uint64_t now_ns)
{
	if (input >= d->desc.num_inputs ||
	    !(d->desc.inputs[input].caps & PAMP_CAP_METER))
		return PAMP_METER_SILENCE;
	emu_dev_catch_up(d, now_ns);
	return emu_meter_peak(&d->in[input].meter,
			      d->tl.frames / EMU_BLOCK_FRAMES,
			      d->desc.meter_window_ms);
}

int emu_dev_set_source(struct emu_dev *d, unsigned int input,
		       enum emu_shape shape, double level_dbfs)
{
	if (input >= d->desc.num_inputs || isnan(level_dbfs) ||
	    level_dbfs < EMU_LEVEL_MIN_DBFS || level_dbfs > EMU_LEVEL_MAX_DBFS ||
	    (unsigned int)shape > EMU_SHAPE_SPEECH)
		return -EINVAL;
	d->in[input].source.shape = shape;
	d->in[input].source.level_dbfs = level_dbfs;
	return 0;
}

/* ---- phantom groups ---- */

static bool same_group(const struct emu_dev *d, unsigned int a, unsigned int b)
{
	uint8_t g = d->desc.inputs[a].phantom_group;

	return a == b || (g && d->desc.inputs[b].phantom_group == g);
}

/* Sets 48 V on input's whole group; returns the inputs whose value moved. */
static uint32_t set_phantom_group(struct emu_dev *d, unsigned int input, bool on)
{
	uint32_t moved = 0;

	for (unsigned int i = 0; i < d->desc.num_inputs; i++) {
		uint16_t old = d->in[i].switches;

		if (!same_group(d, input, i))
			continue;
		if (on)
			d->in[i].switches |= 1u << PAMP_SW_PHANTOM;
		else
			d->in[i].switches &= ~(1u << PAMP_SW_PHANTOM);
		if (d->in[i].switches != old)
			moved |= 1u << i;
	}
	return moved;
}

/* ---- requests ---- */

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void fill_info(const struct emu_dev *d, struct pamp_info *info)
{
	memset(info, 0, sizeof(*info));
	memcpy(info->magic, PAMP_MAGIC, PAMP_MAGIC_LEN);
	info->version_major = PAMP_VERSION_MAJOR;
	info->version_minor = PAMP_VERSION_MINOR;
	info->num_inputs = (uint8_t)d->desc.num_inputs;
	info->flags = d->desc.flags;
	info->meter_window_ms = htole16(d->desc.meter_window_ms);

	switch (d->faults.bad_info) {
	case EMU_BAD_INFO_MAGIC:
		memcpy(info->magic, "PAMQ", PAMP_MAGIC_LEN);
		break;
	case EMU_BAD_INFO_MAJOR:
		info->version_major = PAMP_VERSION_MAJOR + 1;
		break;
	case EMU_BAD_INFO_NO_INPUTS:
		info->num_inputs = 0;
		break;
	case EMU_BAD_INFO_TOO_MANY_INPUTS:
		info->num_inputs = PAMP_MAX_INPUTS + 1;
		break;
	case EMU_BAD_INFO_WINDOW_LOW:
		info->meter_window_ms = htole16(PAMP_METER_WINDOW_MIN_MS - 1);
		break;
	case EMU_BAD_INFO_WINDOW_HIGH:
		info->meter_window_ms = htole16(PAMP_METER_WINDOW_MAX_MS + 1);
		break;
	case EMU_BAD_INFO_NONE:
		break;
	}
}

/*
 * A group number that makes input's phantom group non-consecutive: the
 * group of an input at least two away. Without any group to join, an
 * unknown number is the best lie there is (a group of one is legal).
 */
static uint8_t split_group(const struct emu_dev *d, unsigned int input)
{
	for (unsigned int j = 0; j < d->desc.num_inputs; j++) {
		uint8_t g = d->desc.inputs[j].phantom_group;

		if (g && (j + 1 < input || j > input + 1) &&
		    (input == 0 || d->desc.inputs[input - 1].phantom_group != g) &&
		    (input + 1 >= d->desc.num_inputs ||
		     d->desc.inputs[input + 1].phantom_group != g))
			return g;
	}
	return 0xff;
}

static void fill_input_info(const struct emu_dev *d, unsigned int input,
			    struct pamp_input_info *ii)
{
	const struct emu_input_desc *id = &d->desc.inputs[input];
	size_t label_len = strlen(id->label);

	memset(ii, 0, sizeof(*ii));
	ii->caps = htole16(id->caps);
	ii->gain_min = htole16((uint16_t)id->gain_min);
	ii->gain_max = htole16((uint16_t)id->gain_max);
	ii->gain_step = htole16(id->gain_step);
	ii->phantom_group = id->phantom_group;
	memcpy(ii->label, id->label,
	       label_len < PAMP_LABEL_LEN ? label_len : PAMP_LABEL_LEN);

	switch (d->faults.bad_input[input]) {
	case EMU_BAD_INPUT_RANGE_INVERTED:
		ii->gain_min = htole16((uint16_t)id->gain_max);
		ii->gain_max = htole16((uint16_t)id->gain_min);
		break;
	case EMU_BAD_INPUT_STEP_ZERO:
		ii->gain_step = 0;
		break;
	case EMU_BAD_INPUT_STEP_INDIVISIBLE:
		ii->gain_min = htole16((uint16_t)(id->gain_min + 1));
		break;
	case EMU_BAD_INPUT_TOO_MANY_STEPS:
		ii->gain_min = htole16((uint16_t)INT16_MIN);
		ii->gain_max = htole16(INT16_MAX);
		ii->gain_step = htole16(1);
		break;
	case EMU_BAD_INPUT_GROUP_SPLIT:
		ii->phantom_group = split_group(d, input);
		break;
	case EMU_BAD_INPUT_LABEL_NO_NUL:
		memset(ii->label, 'X', PAMP_LABEL_LEN);
		break;
	case EMU_BAD_INPUT_LABEL_UTF8:
		ii->label[0] = 0xc3;	/* a lead byte without its continuation */
		ii->label[1] = 0x28;
		ii->label[2] = 0xff;
		break;
	case EMU_BAD_INPUT_NONE:
		break;
	}
}

static void fill_state(const struct emu_dev *d, unsigned int input, uint8_t *p)
{
	put_le16(p, (uint16_t)d->in[input].gain);
	put_le16(p + 2, d->in[input].switches);
}

static bool gain_valid(const struct emu_input_desc *id, int gain)
{
	return (id->caps & PAMP_CAP_GAIN) && gain >= id->gain_min &&
	       gain <= id->gain_max && (gain - id->gain_min) % id->gain_step == 0;
}

static int do_set_gain(struct emu_dev *d, uint16_t wValue)
{
	unsigned int input = pamp_set_gain_input(wValue);
	const struct emu_input_desc *id;
	int gain;

	if (input >= d->desc.num_inputs)
		return -EPIPE;
	id = &d->desc.inputs[input];
	if (!(id->caps & PAMP_CAP_GAIN))
		return -EPIPE;
	gain = id->gain_min + (int)pamp_set_gain_index(wValue) * id->gain_step;
	if (gain > id->gain_max)
		return -EPIPE;
	d->in[input].gain = (int16_t)gain;
	return 0;
}

static int do_set_switch(struct emu_dev *d, uint16_t wValue)
{
	unsigned int input = pamp_set_switch_input(wValue);
	unsigned int sw = pamp_set_switch_bit(wValue);
	bool on = pamp_set_switch_on(wValue);

	if (!pamp_set_switch_well_formed(wValue) ||
	    input >= d->desc.num_inputs || sw >= PAMP_NUM_SWITCHES ||
	    !(d->desc.inputs[input].caps & (1u << sw)))
		return -EPIPE;
	if (sw == PAMP_SW_PHANTOM) {
		/* the host asked for input; the others changed on the device */
		d->pending_changed |= set_phantom_group(d, input, on) &
				      ~(1u << input);
		return 0;
	}
	if (on)
		d->in[input].switches |= 1u << sw;
	else
		d->in[input].switches &= ~(1u << sw);
	return 0;
}

/* Validates every record before anything changes (spec 3, SET_ALL_STATE). */
static int do_set_all_state(struct emu_dev *d, const uint8_t *buf)
{
	unsigned int n = d->desc.num_inputs;
	int phantom[PAMP_MAX_INPUTS];	/* -1: not carried, else 0/1 */

	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *r = buf + i * sizeof(struct pamp_set_state);
		const struct emu_input_desc *id = &d->desc.inputs[i];
		int gain = (int16_t)get_le16(r);
		uint16_t mask = get_le16(r + 2);
		uint16_t value = get_le16(r + 4);
		uint16_t apply = get_le16(r + 6);

		if ((apply & PAMP_APPLY_GAIN) && !gain_valid(id, gain))
			return -EPIPE;
		if (mask & ~(id->caps & PAMP_SWITCH_MASK))
			return -EPIPE;
		phantom[i] = (mask & (1u << PAMP_SW_PHANTOM)) ?
			     !!(value & (1u << PAMP_SW_PHANTOM)) : -1;
	}
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = i + 1; j < n; j++)
			if (phantom[i] >= 0 && phantom[j] >= 0 &&
			    phantom[i] != phantom[j] && same_group(d, i, j))
				return -EPIPE;

	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *r = buf + i * sizeof(struct pamp_set_state);
		uint16_t mask = get_le16(r + 2);
		uint16_t value = get_le16(r + 4);

		if (get_le16(r + 6) & PAMP_APPLY_GAIN)
			d->in[i].gain = (int16_t)get_le16(r);
		mask &= ~(1u << PAMP_SW_PHANTOM);
		d->in[i].switches = (d->in[i].switches & ~mask) | (value & mask);
	}
	/* SET_ALL_STATE causes no notification, not even for a group */
	for (unsigned int i = 0; i < n; i++)
		if (phantom[i] >= 0)
			set_phantom_group(d, i, phantom[i]);
	return 0;
}

static bool is_in_request(uint8_t bRequest)
{
	return bRequest != PAMP_REQ_SET_GAIN && bRequest != PAMP_REQ_SET_SWITCH &&
	       bRequest != PAMP_REQ_SET_ALL_STATE;
}

/* Carries out a well-formed request; returns bytes to send or -EPIPE. */
static int dispatch(struct emu_dev *d, uint8_t bRequest, uint16_t wValue,
		    uint8_t *buf, uint64_t now_ns)
{
	unsigned int n = d->desc.num_inputs;

	switch (bRequest) {
	case PAMP_REQ_GET_INFO:
		fill_info(d, (struct pamp_info *)buf);
		return sizeof(struct pamp_info);
	case PAMP_REQ_GET_INPUT_INFO:
		if (wValue >= n)
			return -EPIPE;
		fill_input_info(d, wValue, (struct pamp_input_info *)buf);
		return sizeof(struct pamp_input_info);
	case PAMP_REQ_GET_INPUT_STATE:
		if (wValue >= n)
			return -EPIPE;
		fill_state(d, wValue, buf);
		return sizeof(struct pamp_input_state);
	case PAMP_REQ_SET_GAIN:
		return do_set_gain(d, wValue);
	case PAMP_REQ_SET_SWITCH:
		return do_set_switch(d, wValue);
	case PAMP_REQ_GET_METERS:
		if (!(d->desc.flags & PAMP_FLAG_METERS))
			return -EPIPE;
		for (unsigned int i = 0; i < n; i++) {
			put_le16(buf + 4 * i,
				 (uint16_t)emu_dev_meter_peak(d, i, now_ns));
			put_le16(buf + 4 * i + 2,
				 (d->desc.inputs[i].caps & PAMP_CAP_METER) ?
				 d->in[i].meter.clip_count : 0);
		}
		return (int)(n * sizeof(struct pamp_meter));
	case PAMP_REQ_GET_ALL_STATE:
		for (unsigned int i = 0; i < n; i++)
			fill_state(d, i, buf + 4 * i);
		return (int)(n * sizeof(struct pamp_input_state));
	case PAMP_REQ_SET_ALL_STATE:
		return do_set_all_state(d, buf);
	default:
		return -EPIPE;
	}
}

struct emu_reply emu_dev_request(struct emu_dev *d, uint8_t bRequestType,
				 uint8_t bRequest, uint16_t wValue,
				 uint16_t wLength, uint8_t *buf, size_t buf_len,
				 uint64_t now_ns)
{
	struct emu_faults *f = &d->faults;
	unsigned int idx = bRequest <= PAMP_REQ_LAST ? bRequest : 0;
	unsigned int need = pamp_request_length(bRequest, d->desc.num_inputs);
	struct emu_reply r = { 0 };
	bool in = is_in_request(bRequest);
	int ret;

	if (f->disconnect_on && (f->disconnect_on < 0 ||
				 f->disconnect_on == bRequest)) {
		f->disconnect_on = 0;
		d->count[idx][EMU_COUNT_OK]++;
		r.disconnect = true;
		return r;
	}

	if (f->stall_next && (!f->stall_req || f->stall_req == bRequest)) {
		f->stall_next--;
		ret = -EPIPE;
	} else if (idx == 0 ||
		   bRequestType != (in ? PAMP_REQTYPE_IN : PAMP_REQTYPE_OUT)) {
		ret = -EPIPE;
	} else if (in ? wLength < need || buf_len < need : wLength != need) {
		/* an IN reply never fits in less; OUT data must be exact */
		ret = -EPIPE;
	} else {
		ret = dispatch(d, bRequest, wValue, buf, now_ns);
	}

	if (ret < 0) {
		d->count[idx][EMU_COUNT_STALLED]++;
		r.status = -EPIPE;
	} else {
		d->count[idx][EMU_COUNT_OK]++;
		r.len = in ? (size_t)ret : 0;
		if (in && f->short_next) {
			f->short_next--;
			if (f->short_len < r.len)
				r.len = f->short_len;
		}
	}
	if (f->delay_next && (!f->delay_req || f->delay_req == bRequest)) {
		f->delay_next--;
		r.delay_ms = f->delay_ms;
	}
	return r;
}

/* ---- device-side changes ---- */

int emu_dev_knob_gain(struct emu_dev *d, unsigned int input, int16_t gain)
{
	const struct emu_input_desc *id;
	int g = gain;

	if (input >= d->desc.num_inputs)
		return -EINVAL;
	id = &d->desc.inputs[input];
	if (!(id->caps & PAMP_CAP_GAIN))
		return -EINVAL;
	if (g < id->gain_min)
		g = id->gain_min;
	if (g > id->gain_max)
		g = id->gain_max;
	/* the nearest step of the grid */
	g = id->gain_min + (g - id->gain_min + id->gain_step / 2) /
			   id->gain_step * id->gain_step;
	if (g > id->gain_max)
		g -= id->gain_step;
	if (d->in[input].gain != g) {
		d->in[input].gain = (int16_t)g;
		d->pending_changed |= 1u << input;
	}
	return 0;
}

int emu_dev_knob_switch(struct emu_dev *d, unsigned int input,
			unsigned int sw, bool on)
{
	uint16_t old;

	if (input >= d->desc.num_inputs || sw >= PAMP_NUM_SWITCHES ||
	    !(d->desc.inputs[input].caps & (1u << sw)))
		return -EINVAL;
	if (sw == PAMP_SW_PHANTOM) {
		d->pending_changed |= set_phantom_group(d, input, on);
		return 0;
	}
	old = d->in[input].switches;
	if (on)
		d->in[input].switches |= 1u << sw;
	else
		d->in[input].switches &= ~(1u << sw);
	if (d->in[input].switches != old)
		d->pending_changed |= 1u << input;
	return 0;
}

void emu_dev_force_clip(struct emu_dev *d, unsigned int input)
{
	if (input >= d->desc.num_inputs)
		return;
	d->in[input].meter.clip_count++;
	d->in[input].meter.clipped = true;
}

/* ---- notifications ---- */

static ssize_t emit(struct emu_dev *d, uint8_t out[8], uint32_t changed,
		   uint32_t events, uint64_t now_ns)
{
	struct pamp_notification n = {
		.changed = htole32(changed),
		.events = htole32(events),
	};
	size_t len = sizeof(n);

	memcpy(out, &n, sizeof(n));
	if (d->faults.notify_short) {
		d->faults.notify_short = false;
		len = d->faults.notify_short_len < len ?
		      d->faults.notify_short_len : len;
	}
	d->last_notify_ns = now_ns;
	return (ssize_t)len;
}

static void collect_clips(struct emu_dev *d, uint64_t now_ns)
{
	uint64_t window = (uint64_t)d->desc.meter_window_ms * NS_PER_MS;
	bool clipped = false;

	for (unsigned int i = 0; i < d->desc.num_inputs; i++)
		clipped |= d->in[i].meter.clipped;
	/*
	 * At most one clip event per meter window, enough to wake a reader.
	 * A clip inside the window stays pending until the window ends.
	 */
	if (!clipped || now_ns < d->clip_notified_ns + window)
		return;
	for (unsigned int i = 0; i < d->desc.num_inputs; i++)
		d->in[i].meter.clipped = false;
	d->pending_events |= PAMP_EVT_CLIP;
	d->clip_notified_ns = now_ns;
}

ssize_t emu_dev_notification(struct emu_dev *d, uint8_t out[8],
			     uint64_t now_ns, uint64_t *next_ns)
{
	struct emu_faults *f = &d->faults;
	uint64_t gap = PAMP_NOTIFY_MIN_INTERVAL_MS * NS_PER_MS;

	*next_ns = UINT64_MAX;
	if (!d->powered || !(d->desc.flags & PAMP_FLAG_NOTIFY))
		return -EAGAIN;

	if (f->notify_error_next) {
		f->notify_error_next--;
		d->notify_errors++;
		return -EPROTO;
	}

	if (f->notify_garbage) {
		f->notify_garbage = false;
		return emit(d, out, next_random(d),
			    next_random(d) | 0x80000000u, now_ns);
	}
	if (f->storm_left) {
		uint64_t at = d->last_notify_ns + f->storm_interval_ms * NS_PER_MS;

		if (now_ns < at) {
			*next_ns = at;
			return -EAGAIN;
		}
		f->storm_left--;
		if (f->storm_left)
			*next_ns = now_ns + f->storm_interval_ms * NS_PER_MS;
		return emit(d, out, next_random(d) & all_inputs_mask(d), 0,
			    now_ns);
	}
	if (f->notify_short && !d->pending_changed && !d->pending_events)
		d->pending_changed = 1;

	emu_dev_catch_up(d, now_ns);
	collect_clips(d, now_ns);
	if (!d->pending_changed && !d->pending_events) {
		/* clips can only be found by rendering: look again soon */
		*next_ns = now_ns + d->desc.meter_window_ms * NS_PER_MS;
		return -EAGAIN;
	}
	if (d->last_notify_ns && now_ns < d->last_notify_ns + gap) {
		*next_ns = d->last_notify_ns + gap;
		return -EAGAIN;
	}
	{
		uint32_t changed = d->pending_changed, events = d->pending_events;

		d->pending_changed = 0;
		d->pending_events = 0;
		return emit(d, out, changed, events, now_ns);
	}
}
