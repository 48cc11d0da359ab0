// SPDX-License-Identifier: MIT
/*
 * The class-compliant UAC2 device model (uac2-model.h).
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "event.h"
#include "uac2-model.h"

#define DIR_IN		0x80
#define TYPE_MASK	0x60
#define TYPE_CLASS	0x20
#define RECIP_MASK	0x1f
#define RECIP_INTF	0x01

static const char *const count_names[U2_C_COUNT] = {
	"GET_CUR", "GET_RANGE", "SET_CUR", "REFUSED"
};

const char *u2_count_name(enum u2_count c)
{
	return c < U2_C_COUNT ? count_names[c] : "?";
}

static void update_afe(struct u2_dev *d)
{
	unsigned int c;

	for (c = 0; c < d->channels; c++) {
		d->afe.gain_db[c] = (d->gain[c] + d->pad[c]) / 256.0;
		d->afe.invert[c] = d->phase[c];
	}
}

int u2_init(struct u2_dev *d, unsigned int channels, uint8_t ac_intf,
	    uint8_t fu_id, int16_t min, int16_t max, int16_t res, int16_t pad)
{
	memset(d, 0, sizeof(*d));
	if (channels < 1 || channels > U2_MAX_CHANNELS || min >= max ||
	    res <= 0 || (max - min) % res || pad >= 0)
		return -EINVAL;
	d->channels = channels;
	d->ac_intf = ac_intf;
	d->fu_id = fu_id;
	d->gain_min = min;
	d->gain_max = max;
	d->gain_res = res;
	d->pad_db = pad;
	emu_afe_init(&d->afe, channels, -40.0);
	return 0;
}

void u2_power_on(struct u2_dev *d, uint64_t now_ns)
{
	unsigned int c;

	for (c = 0; c < d->channels; c++) {
		d->gain[c] = d->gain_min;
		d->pad[c] = 0;
		d->phase[c] = false;
	}
	d->npending = 0;
	d->powered = true;
	emu_afe_power_on(&d->afe, now_ns);
	update_afe(d);
	emu_event(now_ns, "power on");
}

void u2_power_off(struct u2_dev *d)
{
	d->powered = false;
	d->npending = 0;
}

static int16_t snap_gain(const struct u2_dev *d, long v)
{
	long steps;

	if (v < d->gain_min)
		v = d->gain_min;
	if (v > d->gain_max)
		v = d->gain_max;
	steps = lround((double)(v - d->gain_min) / d->gain_res);
	return (int16_t)(d->gain_min + steps * d->gain_res);
}

static void put16(uint8_t *p, int16_t v)
{
	p[0] = (uint16_t)v & 0xff;
	p[1] = (uint16_t)v >> 8;
}

static int get_cur(struct u2_dev *d, unsigned int cs, unsigned int c,
		   uint8_t *buf, size_t cap, size_t *len)
{
	uint8_t r[2];
	size_t n = 2;

	switch (cs) {
	case U2_CS_INPUT_GAIN:
		put16(r, d->gain[c]);
		break;
	case U2_CS_PAD:
		put16(r, d->pad[c]);
		break;
	case U2_CS_PHASE:
		r[0] = d->phase[c];
		n = 1;
		break;
	default:
		return -EPIPE;
	}
	*len = n < cap ? n : cap;
	memcpy(buf, r, *len);
	return 0;
}

static int get_range(struct u2_dev *d, unsigned int cs, uint8_t *buf,
		     size_t cap, size_t *len)
{
	uint8_t r[8] = { 1, 0 };	/* one subrange */

	switch (cs) {
	case U2_CS_INPUT_GAIN:
		put16(r + 2, d->gain_min);
		put16(r + 4, d->gain_max);
		put16(r + 6, d->gain_res);
		break;
	case U2_CS_PAD:
		put16(r + 2, d->pad_db);
		put16(r + 4, 0);
		put16(r + 6, (int16_t)-d->pad_db);
		break;
	default:
		return -EPIPE;
	}
	*len = sizeof(r) < cap ? sizeof(r) : cap;
	memcpy(buf, r, *len);
	return 0;
}

static int set_cur(struct u2_dev *d, unsigned int cs, unsigned int c,
		   const uint8_t *buf, size_t len, uint64_t now_ns)
{
	int16_t v;

	if (cs == U2_CS_PHASE) {
		if (len != 1 || buf[0] > 1)
			return -EPIPE;
		d->phase[c] = buf[0];
	} else if (len == 2) {
		v = (int16_t)(buf[0] | buf[1] << 8);
		if (cs == U2_CS_INPUT_GAIN) {
			if (v < d->gain_min || v > d->gain_max)
				return -EPIPE;
			d->gain[c] = snap_gain(d, v);
			emu_event(now_ns, "gain input %u %.2f dB by host", c + 1,
				  d->gain[c] / 256.0);
		} else if (cs == U2_CS_PAD) {
			if (v < d->pad_db || v > 0)
				return -EPIPE;
			d->pad[c] = v - d->pad_db < -v ? d->pad_db : 0;
		} else {
			return -EPIPE;
		}
	} else {
		return -EPIPE;
	}
	d->writes++;
	update_afe(d);
	return 0;
}

int u2_request(struct u2_dev *d, uint8_t type, uint8_t request,
	       uint16_t value, uint16_t index, uint16_t length, uint8_t *buf,
	       size_t cap, size_t *len, uint64_t now_ns)
{
	unsigned int cs = value >> 8, cn = value & 0xff;
	int r = -EPIPE;

	*len = 0;
	if (!d->powered || (type & TYPE_MASK) != TYPE_CLASS ||
	    (type & RECIP_MASK) != RECIP_INTF ||
	    index != (d->fu_id << 8 | d->ac_intf) || cn < 1 ||
	    cn > d->channels)
		goto out;	/* per channel only: the master has none */
	if (type & DIR_IN) {
		if (request == U2_REQ_CUR) {
			d->count[U2_C_GET_CUR]++;
			r = get_cur(d, cs, cn - 1, buf, cap < length ? cap : length,
				    len);
		} else if (request == U2_REQ_RANGE) {
			d->count[U2_C_GET_RANGE]++;
			r = get_range(d, cs, buf, cap < length ? cap : length, len);
		}
	} else if (request == U2_REQ_CUR) {
		d->count[U2_C_SET_CUR]++;
		r = set_cur(d, cs, cn - 1, buf, length <= cap ? length : 0,
			    now_ns);
	}
out:
	if (r < 0)
		d->count[U2_C_REFUSED]++;
	return r;
}

ssize_t u2_notification(struct u2_dev *d, uint8_t out[U2_MSG_LEN])
{
	if (!d->powered || !d->npending)
		return -EAGAIN;
	out[0] = 0;			/* bInfo: class-specific, interface */
	out[1] = U2_REQ_CUR;		/* bAttribute */
	out[2] = d->pending[0].cn;	/* wValue: channel ... */
	out[3] = d->pending[0].cs;	/* ... and control */
	out[4] = d->ac_intf;		/* wIndex: interface ... */
	out[5] = d->fu_id;		/* ... and unit */
	memmove(d->pending, d->pending + 1,
		--d->npending * sizeof(d->pending[0]));
	return U2_MSG_LEN;
}

static void tell(struct u2_dev *d, unsigned int cs, unsigned int ch)
{
	unsigned int i;

	for (i = 0; i < d->npending; i++)
		if (d->pending[i].cs == cs && d->pending[i].cn == ch + 1)
			return;
	if (d->npending < U2_PENDING_MAX) {
		d->pending[d->npending].cs = (uint8_t)cs;
		d->pending[d->npending].cn = (uint8_t)(ch + 1);
		d->npending++;
	}
}

int u2_panel(struct u2_dev *d, unsigned int cs, unsigned int ch, double value,
	     uint64_t now_ns)
{
	if (ch >= d->channels || !isfinite(value))
		return -EINVAL;
	switch (cs) {
	case U2_CS_INPUT_GAIN:
		if (value < -200.0 || value > 200.0)
			return -ERANGE;
		d->gain[ch] = snap_gain(d, lround(value * 256.0));
		emu_event(now_ns, "panel: input %u gain %.2f dB", ch + 1,
			  d->gain[ch] / 256.0);
		break;
	case U2_CS_PAD:
		d->pad[ch] = value != 0 ? d->pad_db : 0;
		break;
	case U2_CS_PHASE:
		d->phase[ch] = value != 0;
		break;
	default:
		return -EINVAL;
	}
	update_afe(d);
	if (d->powered)
		tell(d, cs, ch);
	return 0;
}
