// SPDX-License-Identifier: MIT
/*
 * The Babyface Pro device model (bbfpro-model.h).
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "bbfpro-model.h"
#include "event.h"

#define TYPE_VENDOR_OUT_DEVICE	0x40
#define MIC_COARSE_TOP		20	/* coarse steps of 3 dB reach 60 dB */

static const char *const count_names[BB_C_COUNT] = {
	"GAIN", "REG1", "REG2", "MIXER", "REFUSED"
};

const char *bb_count_name(enum bb_count c)
{
	return c < BB_C_COUNT ? count_names[c] : "?";
}

static void update_afe(struct bb_dev *d)
{
	unsigned int i;

	for (i = 0; i < BB_INPUTS; i++) {
		double pad = i < 2 && bb_bit(d, BB_REG2_PAD_AN1 + i) ?
			     BB_PAD_DB : 0.0;

		d->afe.gain_db[i] = bb_gain_db(d, i) - pad;
	}
}

void bb_init(struct bb_dev *d)
{
	memset(d, 0, sizeof(*d));
	emu_afe_init(&d->afe, BB_INPUTS, -40.0);
	update_afe(d);
}

static void log_48v(struct bb_dev *d, uint16_t before, const char *who,
		    uint64_t now_ns)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		bool was = before & (1u << (BB_REG2_48V_AN1 + i));
		bool is = bb_bit(d, BB_REG2_48V_AN1 + i);

		if (was != is)
			emu_event(now_ns, "48V input %u %s by %s", i + 1,
				  is ? "on" : "off", who);
	}
}

void bb_power_on(struct bb_dev *d, uint64_t now_ns)
{
	memset(d->gain, 0, sizeof(d->gain));
	d->reg1 = 0;
	d->reg2 = 0;
	d->powered = true;
	emu_afe_power_on(&d->afe, now_ns);
	update_afe(d);
	emu_event(now_ns, "power on");
}

void bb_power_off(struct bb_dev *d, uint64_t now_ns)
{
	uint16_t before = d->reg2;

	d->reg2 &= (uint16_t)~((1u << BB_REG2_48V_AN1) | (1u << BB_REG2_48V_AN2));
	log_48v(d, before, "power-off", now_ns);
	d->powered = false;
}

bool bb_bit(const struct bb_dev *d, unsigned int bit)
{
	return bit < 16 && (d->reg2 >> bit) & 1;
}

double bb_gain_db(const struct bb_dev *d, unsigned int input)
{
	if (input >= BB_INPUTS)
		return 0.0;
	return input < 2 ? d->gain[input] : d->gain[input] * 0.5;
}

/* The gain request's value: the microphone inputs' coarse and fine steps. */
static int decode_gain(unsigned int channel, uint16_t v, uint8_t *out)
{
	unsigned int coarse, fine;

	if (channel >= 2) {
		if (v > BB_LINE_MAX)
			return -EINVAL;
		*out = (uint8_t)v;
		return 0;
	}
	if (v > 0xff)
		return -EINVAL;
	coarse = v & 0x1f;
	fine = v >> 5;
	if (coarse < MIC_COARSE_TOP && fine < 3)
		*out = (uint8_t)(coarse * 3 + fine);
	else if (coarse == MIC_COARSE_TOP && 60 + fine <= BB_MIC_MAX)
		*out = (uint8_t)(60 + fine);
	else
		return -EINVAL;
	return 0;
}

static int set_reg2(struct bb_dev *d, uint16_t value, uint16_t mask,
		    const char *who, uint64_t now_ns)
{
	uint16_t before = d->reg2;

	/* one bit at a time, its value that bit or nothing */
	if (!mask || (mask & (mask - 1)) || mask > (1u << BB_REG2_PAD_AN2) ||
	    (value & ~mask))
		return -EINVAL;
	d->reg2 = (uint16_t)((d->reg2 & ~mask) | value);
	log_48v(d, before, who, now_ns);
	update_afe(d);
	return 0;
}

int bb_request(struct bb_dev *d, uint8_t type, uint8_t request,
	       uint16_t value, uint16_t index, uint16_t length, uint64_t now_ns)
{
	uint8_t g;

	if (!d->powered || type != TYPE_VENDOR_OUT_DEVICE || length)
		goto refused;
	switch (request) {
	case BB_REQ_GAIN:
		if (index >= BB_INPUTS || decode_gain(index, value, &g) < 0)
			goto refused;
		d->gain[index] = g;
		d->count[BB_C_GAIN]++;
		update_afe(d);
		emu_event(now_ns, "gain input %u %.1f dB by host", index + 1,
			  bb_gain_db(d, index));
		break;
	case BB_REQ_REG2:
		if (set_reg2(d, value, index, "host", now_ns) < 0)
			goto refused;
		d->count[BB_C_REG2]++;
		break;
	case BB_REQ_REG1:
		d->reg1 = (uint16_t)((d->reg1 & ~index) | (value & index));
		d->count[BB_C_REG1]++;
		break;
	case BB_REQ_MIXER:
		/* 18 bits: 16 in wValue, 2 at the top of wIndex */
		d->mixer[index & 0x3ff] = (uint32_t)value << 2 | index >> 14;
		d->count[BB_C_MIXER]++;
		break;
	default:
		goto refused;
	}
	d->writes++;
	return 0;
refused:
	d->count[BB_C_REFUSED]++;
	return -EPIPE;
}

int bb_panel_gain(struct bb_dev *d, unsigned int input, double db,
		  uint64_t now_ns)
{
	long v;

	if (input >= BB_INPUTS || !isfinite(db))
		return -EINVAL;
	v = lround(input < 2 ? db : db * 2.0);
	if (v < 0)
		v = 0;
	if (v > (input < 2 ? BB_MIC_MAX : BB_LINE_MAX))
		v = input < 2 ? BB_MIC_MAX : BB_LINE_MAX;
	d->gain[input] = (uint8_t)v;
	update_afe(d);
	emu_event(now_ns, "panel: input %u gain %.1f dB (the driver is not told)",
		  input + 1, bb_gain_db(d, input));
	return 0;
}

int bb_panel_bit(struct bb_dev *d, unsigned int bit, bool on, uint64_t now_ns)
{
	if (bit > BB_REG2_PAD_AN2)
		return -EINVAL;
	return set_reg2(d, on ? (uint16_t)(1u << bit) : 0, (uint16_t)(1u << bit),
			"panel", now_ns);
}
