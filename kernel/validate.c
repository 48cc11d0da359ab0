// SPDX-License-Identifier: GPL-2.0
/*
 * snd-usb-preamp: the checks of the protocol's section 6.
 *
 * Everything a device sends is untrusted. These functions turn the wire
 * records into the driver's view of the device, leaving out what cannot be
 * offered safely, and never let a value outside the advertised range
 * through. They do no I/O and take no lock; the caller logs.
 */

#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/math.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "validate.h"

/*
 * GET_INFO: a negative errno (and *why) refuses the device; otherwise the
 * PAMP_BAD_* bits of what was left out.
 */
int pamp_check_info(const struct pamp_info *raw, struct pamp_dev_desc *out,
		    const char **why)
{
	unsigned int window = le16_to_cpu(raw->meter_window_ms);
	int bad = 0;

	if (memcmp(raw->magic, PAMP_MAGIC, PAMP_MAGIC_LEN)) {
		*why = "bad magic";
		return -EINVAL;
	}
	if (raw->version_major != PAMP_VERSION_MAJOR) {
		*why = "unsupported major version";
		return -EINVAL;
	}
	if (raw->num_inputs < 1 || raw->num_inputs > PAMP_MAX_INPUTS) {
		*why = "number of inputs out of range";
		return -EINVAL;
	}

	out->version_minor = raw->version_minor;
	out->num_inputs = raw->num_inputs;
	out->flags = raw->flags &
		     (PAMP_FLAG_METERS | PAMP_FLAG_NOTIFY | PAMP_FLAG_PERSISTENT);
	out->meter_window_ms = window;
	if ((out->flags & PAMP_FLAG_METERS) &&
	    (window < PAMP_METER_WINDOW_MIN_MS ||
	     window > PAMP_METER_WINDOW_MAX_MS)) {
		out->flags &= ~PAMP_FLAG_METERS;
		bad |= PAMP_BAD_WINDOW;
	}
	return bad;
}

/* Decode one UTF-8 sequence; the number of bytes, or 0 if malformed. */
static unsigned int pamp_utf8_char(const u8 *s, size_t len, u32 *cp)
{
	unsigned int n, i;
	u32 c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

/* A label is NUL-terminated, printable UTF-8 (no C0/C1 control codes). */
static bool pamp_label_valid(const u8 *label, size_t *len)
{
	const u8 *nul = memchr(label, 0, PAMP_LABEL_LEN);
	size_t i, n;
	u32 cp;

	if (!nul)
		return false;
	n = nul - label;
	for (i = 0; i < n; ) {
		unsigned int k = pamp_utf8_char(label + i, n - i, &cp);

		if (!k || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return false;
		i += k;
	}
	*len = n;
	return true;
}

/* GET_INPUT_INFO of input (0-based): the PAMP_BAD_* bits of what was wrong. */
unsigned int pamp_check_input_info(const struct pamp_input_info *raw,
				   unsigned int input,
				   struct pamp_input_desc *out)
{
	u16 caps = le16_to_cpu(raw->caps);
	int gmin = (s16)le16_to_cpu(raw->gain_min);
	int gmax = (s16)le16_to_cpu(raw->gain_max);
	unsigned int step = le16_to_cpu(raw->gain_step);
	unsigned int bad = 0;
	size_t len;

	memset(out, 0, sizeof(*out));
	out->dev_switches = caps & PAMP_SWITCH_MASK;
	out->caps = caps & (PAMP_SWITCH_MASK | PAMP_CAP_GAIN | PAMP_CAP_METER);
	out->phantom_group = raw->phantom_group;
	out->group_first = input;
	out->group_last = input;

	if (caps & PAMP_CAP_GAIN) {
		if (pamp_gain_range_valid(gmin, gmax, step)) {
			out->gain_min = gmin;
			out->gain_max = gmax;
			out->gain_step = step;
			out->gain_steps = (gmax - gmin) / step;
		} else {
			out->caps &= ~PAMP_CAP_GAIN;
			bad |= PAMP_BAD_GAIN_RANGE;
		}
	}

	if (raw->label[0] == '\0') {
		/* no label at all: the fallback, without complaint */
	} else if (pamp_label_valid(raw->label, &len)) {
		memcpy(out->label, raw->label, len);
		out->label[len] = '\0';
	} else {
		bad |= PAMP_BAD_LABEL;
	}
	if (!out->label[0])
		snprintf(out->label, sizeof(out->label), "Line In %u",
			 input + 1);
	return bad;
}

/*
 * Phantom groups: the inputs with a 48 V switch and the same group number k
 * share one switch and must be consecutive. A group that is not is left
 * without a 48 V control: offering one switch per member would switch the
 * others too, behind the user's back. Returns the inputs left out.
 */
u32 pamp_check_groups(struct pamp_input_desc *in, unsigned int n)
{
	u32 left_out = 0;
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		unsigned int first = i, last = i, count = 0;
		u8 k = in[i].phantom_group;
		u32 members = 0;

		if (!(in[i].caps & BIT(PAMP_SW_PHANTOM)) || !k)
			continue;
		/* only the group's first member does the work */
		for (j = 0; j < i; j++)
			if ((in[j].caps & BIT(PAMP_SW_PHANTOM)) &&
			    in[j].phantom_group == k)
				break;
		if (j < i)
			continue;

		for (j = i; j < n; j++) {
			if (!(in[j].caps & BIT(PAMP_SW_PHANTOM)) ||
			    in[j].phantom_group != k)
				continue;
			members |= BIT(j);
			last = j;
			count++;
		}
		if (last - first + 1 != count) {
			for (j = i; j < n; j++)
				if (members & BIT(j))
					in[j].caps &= ~BIT(PAMP_SW_PHANTOM);
			left_out |= members;
			continue;
		}
		for (j = first; j <= last; j++) {
			in[j].group_first = first;
			in[j].group_last = last;
		}
	}
	return left_out;
}

/*
 * One state record (GET_INPUT_STATE or an element of GET_ALL_STATE) into
 * values inside the advertised range: a gain index 0..gain_steps and the
 * switch bits we offer. Returns the PAMP_BAD_STATE_* bits of what was off.
 */
unsigned int pamp_check_state(const struct pamp_input_desc *in,
			      const struct pamp_input_state *raw,
			      u16 *gain_index, u16 *switches)
{
	int gain = (s16)le16_to_cpu(raw->gain);
	u16 sw = le16_to_cpu(raw->switches);
	unsigned int bad = 0;

	*gain_index = 0;
	if (in->caps & PAMP_CAP_GAIN) {
		if (gain < in->gain_min) {
			bad |= PAMP_BAD_STATE_GAIN;
		} else if (gain > in->gain_max) {
			*gain_index = in->gain_steps;
			bad |= PAMP_BAD_STATE_GAIN;
		} else {
			unsigned int off = gain - in->gain_min;

			if (off % in->gain_step)
				bad |= PAMP_BAD_STATE_GRID;
			*gain_index = DIV_ROUND_CLOSEST(off, in->gain_step);
		}
	}

	if (sw & ~in->dev_switches)
		bad |= PAMP_BAD_STATE_SWITCH;
	*switches = sw & in->caps & PAMP_SWITCH_MASK;
	return bad;
}

s16 pamp_gain_of_index(const struct pamp_input_desc *in, unsigned int index)
{
	return in->gain_min + (int)min_t(unsigned int, index, in->gain_steps) *
			      in->gain_step;
}

/* 1/256 dB to 0.01 dB, rounded to nearest. */
int pamp_gain_cdb(int gain)
{
	return DIV_ROUND_CLOSEST(gain * 100, 256);
}

/* A GET_METERS peak (1/256 dBFS) to the Level Meter's 0.01 dBFS. */
int pamp_meter_cdb(int peak)
{
	return clamp(pamp_gain_cdb(peak), PAMP_METER_MIN_CDB,
		     PAMP_METER_MAX_CDB);
}
