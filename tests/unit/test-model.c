// SPDX-License-Identifier: MIT
/*
 * The emulator's device model against usb-protocol.md: every request, every
 * STALL rule, SET_ALL_STATE's all-or-nothing validation, phantom groups,
 * notifications, meters, power cycles and every injectable fault.
 */
#include <endian.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model.h"
#include "modelfile.h"

#define MS 1000000ULL
#define T0 (1000 * MS)

static struct emu_dev *load(const char *model)
{
	struct emu_dev *d = calloc(1, sizeof(*d));
	struct emu_desc desc;
	char path[256], err[256];

	assert_non_null(d);
	snprintf(path, sizeof(path), MODELS_DIR "/%s.ini", model);
	if (emu_desc_load(path, &desc, err, sizeof(err)))
		fail_msg("%s", err);
	emu_dev_init(d, &desc);
	emu_dev_power_on(d, T0);
	return d;
}

static int setup_quad(void **state)
{
	*state = load("quad");
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static struct emu_reply req_in(struct emu_dev *d, uint8_t req, uint16_t wv,
			       uint16_t len, uint8_t *buf)
{
	return emu_dev_request(d, PAMP_REQTYPE_IN, req, wv, len, buf, 512, T0);
}

static struct emu_reply req_out(struct emu_dev *d, uint8_t req, uint16_t wv,
				uint16_t len, uint8_t *buf)
{
	return emu_dev_request(d, PAMP_REQTYPE_OUT, req, wv, len, buf, 512, T0);
}

static void snapshot(struct emu_dev *d, uint8_t out[4 * PAMP_MAX_INPUTS])
{
	uint8_t buf[512];
	struct emu_reply r = req_in(d, PAMP_REQ_GET_ALL_STATE, 0,
				    4 * d->desc.num_inputs, buf);

	assert_int_equal(r.status, 0);
	memcpy(out, buf, 4 * d->desc.num_inputs);
}

/* ---- requests ---- */

static void get_info_reports_the_model(void **state)
{
	struct emu_dev *d = *state;
	struct pamp_info info;
	struct emu_reply r = req_in(d, PAMP_REQ_GET_INFO, 0, 16, (uint8_t *)&info);

	assert_int_equal(r.status, 0);
	assert_int_equal(r.len, 16);
	assert_memory_equal(info.magic, "PAMP", 4);
	assert_int_equal(info.version_major, 1);
	assert_int_equal(info.version_minor, 0);
	assert_int_equal(info.num_inputs, 4);
	assert_int_equal(info.flags, PAMP_FLAG_METERS | PAMP_FLAG_NOTIFY);
	assert_int_equal(le16toh(info.meter_window_ms), 100);
	for (int i = 0; i < 6; i++)
		assert_int_equal(info.reserved[i], 0);
}

static void get_input_info_reports_each_input(void **state)
{
	struct emu_dev *d = *state;
	struct pamp_input_info ii;
	struct emu_reply r;

	r = req_in(d, PAMP_REQ_GET_INPUT_INFO, 0, 32, (uint8_t *)&ii);
	assert_int_equal(r.len, 32);
	assert_int_equal(le16toh(ii.caps), PAMP_CAP_GAIN | PAMP_CAP_METER |
			 1 << PAMP_SW_PHANTOM | 1 << PAMP_SW_PAD | 1 << PAMP_SW_AIR);
	assert_int_equal((int16_t)le16toh(ii.gain_min), -10 * 256);
	assert_int_equal((int16_t)le16toh(ii.gain_max), 60 * 256);
	assert_int_equal(le16toh(ii.gain_step), 128);
	assert_int_equal(ii.phantom_group, 1);
	assert_string_equal((char *)ii.label, "Mic 1");

	r = req_in(d, PAMP_REQ_GET_INPUT_INFO, 3, 32, (uint8_t *)&ii);
	assert_int_equal(r.status, 0);
	assert_int_equal(ii.phantom_group, 0);
	assert_true(le16toh(ii.caps) & 1 << PAMP_SW_INST);
	assert_string_equal((char *)ii.label, "Inst 4");
}

static void set_gain_and_switch_change_state(void **state)
{
	struct emu_dev *d = *state;
	uint8_t buf[8];

	/* index 40 of -10..60 in 0.5 dB steps is +10 dB */
	assert_int_equal(req_out(d, PAMP_REQ_SET_GAIN,
				 pamp_wvalue_set_gain(2, 40), 0, NULL).status, 0);
	assert_int_equal(d->in[2].gain, 10 * 256);
	assert_int_equal(req_out(d, PAMP_REQ_SET_SWITCH,
				 pamp_wvalue_set_switch(2, PAMP_SW_PHASE, 1), 0,
				 NULL).status, 0);
	req_in(d, PAMP_REQ_GET_INPUT_STATE, 2, 4, buf);
	assert_int_equal((int16_t)(buf[0] | buf[1] << 8), 10 * 256);
	assert_int_equal(buf[2] | buf[3] << 8,
			 1 << PAMP_SW_PHASE | 1 << PAMP_SW_INST);
	/* a host request on one input causes no notification */
	assert_int_equal(d->pending_changed, 0);
	assert_int_equal(d->count[PAMP_REQ_SET_GAIN][EMU_COUNT_OK], 1);
}

struct stall_case {
	const char *why;
	uint8_t type, req;
	uint16_t wvalue, wlength;
};

/* quad: 4 inputs, 140 gain steps; inputs 1-2 lack inst, 3-4 lack phantom */
static const struct stall_case stall_cases[] = {
	{ "unknown request", 0xc1, 0x09, 0, 16 },
	{ "request 0", 0xc1, 0x00, 0, 16 },
	{ "vendor request 0xff", 0x41, 0xff, 0, 0 },
	{ "GET_INPUT_INFO past the last input", 0xc1, 2, 4, 32 },
	{ "GET_INPUT_STATE past the last input", 0xc1, 3, 4, 4 },
	{ "SET_GAIN past the last input", 0x41, 4, 4 << 11, 0 },
	{ "SET_GAIN index past gain_max", 0x41, 4, 141, 0 },
	{ "SET_GAIN index 2047", 0x41, 4, 0x7ff, 0 },
	{ "SET_SWITCH past the last input", 0x41, 5, 0x0401, 0 },
	{ "SET_SWITCH bits 7..4 not zero", 0x41, 5, 0x0011, 0 },
	{ "SET_SWITCH bit 6 (no such switch)", 0x41, 5, 6 << 1 | 1, 0 },
	{ "SET_SWITCH bit 7 (no such switch)", 0x41, 5, 7 << 1 | 1, 0 },
	{ "SET_SWITCH inst on a mic input", 0x41, 5, PAMP_SW_INST << 1 | 1, 0 },
	{ "SET_SWITCH 48 V on an instrument input", 0x41, 5, 0x0201, 0 },
	{ "GET_INFO sent as OUT", 0x41, 1, 0, 0 },
	{ "SET_GAIN sent as IN", 0xc1, 4, 0, 0 },
	{ "SET_GAIN with a data stage", 0x41, 4, 0, 2 },
	{ "GET_INFO with room for less than 16 bytes", 0xc1, 1, 0, 8 },
	{ "GET_ALL_STATE with room for 3 inputs", 0xc1, 7, 0, 12 },
	{ "SET_ALL_STATE with 3 records", 0x41, 8, 0, 24 },
};

static void every_stall_rule_stalls_and_changes_nothing(void **state)
{
	struct emu_dev *d = *state;
	uint8_t before[128], after[128], buf[512] = { 0 };

	for (size_t i = 0; i < sizeof(stall_cases) / sizeof(stall_cases[0]); i++) {
		const struct stall_case *c = &stall_cases[i];
		struct emu_reply r;

		snapshot(d, before);
		r = emu_dev_request(d, c->type, c->req, c->wvalue, c->wlength,
				    buf, sizeof(buf), T0);
		if (r.status != -EPIPE)
			fail_msg("%s: not stalled", c->why);
		snapshot(d, after);
		if (memcmp(before, after, 16))
			fail_msg("%s: state changed", c->why);
		/* the stall is over: the next request works */
		assert_int_equal(req_in(d, PAMP_REQ_GET_INFO, 0, 16, buf).status, 0);
	}
	assert_int_equal(d->count[0][EMU_COUNT_STALLED], 3);
}

static void in_requests_may_ask_for_more(void **state)
{
	struct emu_dev *d = *state;
	uint8_t buf[512];
	struct emu_reply r = req_in(d, PAMP_REQ_GET_INFO, 0, 64, buf);

	assert_int_equal(r.status, 0);
	assert_int_equal(r.len, 16);
}

static void put_record(uint8_t *p, int16_t gain, uint16_t mask, uint16_t value,
		       uint16_t apply)
{
	p[0] = gain & 0xff;
	p[1] = (uint16_t)gain >> 8;
	p[2] = mask & 0xff;
	p[3] = mask >> 8;
	p[4] = value & 0xff;
	p[5] = value >> 8;
	p[6] = apply & 0xff;
	p[7] = apply >> 8;
}

static void set_all_state_applies_masked_bits_only(void **state)
{
	struct emu_dev *d = *state;
	uint8_t rec[32] = { 0 };
	uint16_t ph = 1 << PAMP_SW_PHANTOM, pad = 1 << PAMP_SW_PAD;

	d->in[0].switches = pad;
	put_record(rec, 20 * 256, ph, ph, 1);		/* 48 V on, pad kept */
	put_record(rec + 8, 5 * 256, 0, 0xffff, 0);	/* nothing */
	put_record(rec + 16, -10 * 256, 1 << PAMP_SW_HPF, 1 << PAMP_SW_HPF, 1);
	put_record(rec + 24, 0, 0, 0, 0);
	assert_int_equal(req_out(d, PAMP_REQ_SET_ALL_STATE, 0, 32, rec).status, 0);
	assert_int_equal(d->in[0].gain, 20 * 256);
	assert_int_equal(d->in[0].switches, ph | pad);
	assert_int_equal(d->in[1].gain, 0);
	/* the group follows input 1's 48 V */
	assert_int_equal(d->in[1].switches, ph);
	assert_int_equal(d->in[2].gain, -10 * 256);
	assert_int_equal(d->in[2].switches, 1 << PAMP_SW_HPF | 1 << PAMP_SW_INST);
	/* SET_ALL_STATE causes no notification */
	assert_int_equal(d->pending_changed, 0);
	assert_int_equal(d->pending_events, 0);
}

struct bad_record {
	const char *why;
	unsigned int input;
	int16_t gain;
	uint16_t mask, value, apply;
};

static const struct bad_record bad_records[] = {
	{ "gain off the 0.5 dB grid", 0, 10 * 256 + 1, 0, 0, 1 },
	{ "gain above gain_max", 1, 61 * 256, 0, 0, 1 },
	{ "gain below gain_min", 2, -11 * 256, 0, 0, 1 },
	{ "a switch the input lacks", 2, 0, 1 << PAMP_SW_PHANTOM, 1, 0 },
	{ "a bit beyond the switches", 3, 0, 1 << 6, 1 << 6, 0 },
	{ "a high mask bit", 3, 0, 0x8000, 0, 0 },
};

static void set_all_state_with_one_bad_record_changes_nothing(void **state)
{
	struct emu_dev *d = *state;

	for (size_t i = 0; i < sizeof(bad_records) / sizeof(bad_records[0]); i++) {
		const struct bad_record *b = &bad_records[i];
		uint8_t rec[32], before[128], after[128];

		/* every other record is good and would change something */
		for (unsigned int k = 0; k < 4; k++)
			put_record(rec + 8 * k, 30 * 256, 0, 0, 1);
		put_record(rec + 8 * b->input, b->gain, b->mask, b->value,
			   b->apply);
		snapshot(d, before);
		if (req_out(d, PAMP_REQ_SET_ALL_STATE, 0, 32, rec).status != -EPIPE)
			fail_msg("%s: not refused", b->why);
		snapshot(d, after);
		if (memcmp(before, after, 16))
			fail_msg("%s: state changed", b->why);
	}
}

static void set_all_state_refuses_a_divided_phantom_group(void **state)
{
	struct emu_dev *d = *state;
	uint8_t rec[32] = { 0 };
	uint16_t ph = 1 << PAMP_SW_PHANTOM;

	put_record(rec, 0, ph, ph, 0);
	put_record(rec + 8, 0, ph, 0, 0);
	assert_int_equal(req_out(d, PAMP_REQ_SET_ALL_STATE, 0, 32, rec).status,
			 -EPIPE);
	assert_int_equal(d->in[0].switches & ph, 0);
	/* agreeing members are fine */
	put_record(rec + 8, 0, ph, ph, 0);
	assert_int_equal(req_out(d, PAMP_REQ_SET_ALL_STATE, 0, 32, rec).status, 0);
	assert_true(d->in[0].switches & ph);
	assert_true(d->in[1].switches & ph);
}

static void set_all_state_without_gain_cap_refuses_apply(void **state)
{
	struct emu_dev *d = calloc(1, sizeof(*d));
	struct emu_desc desc;
	char err[128];
	uint8_t rec[8];

	(void)state;
	assert_int_equal(emu_desc_parse("[device]\nname=x\nserial=s\n"
					"[input 1]\ncaps=phantom\n",
					&desc, err, sizeof(err)), 0);
	emu_dev_init(d, &desc);
	emu_dev_power_on(d, T0);
	put_record(rec, 0, 0, 0, 1);
	assert_int_equal(req_out(d, PAMP_REQ_SET_ALL_STATE, 0, 8, rec).status,
			 -EPIPE);
	assert_int_equal(req_out(d, PAMP_REQ_SET_GAIN, 0, 0, NULL).status, -EPIPE);
	put_record(rec, 0, 1, 1, 0);
	assert_int_equal(req_out(d, PAMP_REQ_SET_ALL_STATE, 0, 8, rec).status, 0);
	free(d);
}

/* ---- phantom groups and notifications ---- */

static ssize_t notify(struct emu_dev *d, uint64_t now, uint32_t *changed,
		      uint32_t *events, uint64_t *next)
{
	uint8_t out[8];
	uint64_t n;
	ssize_t len = emu_dev_notification(d, out, now, next ? next : &n);

	if (len == 8) {
		*changed = out[0] | out[1] << 8 | out[2] << 16 | (uint32_t)out[3] << 24;
		*events = out[4] | out[5] << 8 | out[6] << 16 | (uint32_t)out[7] << 24;
	}
	return len;
}

static void phantom_on_one_member_sets_the_group(void **state)
{
	struct emu_dev *d = *state;
	uint32_t changed, events;

	assert_int_equal(req_out(d, PAMP_REQ_SET_SWITCH,
				 pamp_wvalue_set_switch(1, PAMP_SW_PHANTOM, 1),
				 0, NULL).status, 0);
	assert_true(d->in[0].switches & 1 << PAMP_SW_PHANTOM);
	assert_true(d->in[1].switches & 1 << PAMP_SW_PHANTOM);
	/* the device tells the host of the member it changed by itself */
	assert_int_equal(notify(d, T0, &changed, &events, NULL), 8);
	assert_int_equal(changed, 1u << 0);
	assert_int_equal(events, 0);
}

static void knob_turns_notify_at_most_every_10_ms(void **state)
{
	struct emu_dev *d = *state;
	uint32_t changed, events;
	uint64_t next;

	assert_int_equal(emu_dev_knob_gain(d, 2, 12 * 256), 0);
	assert_int_equal(notify(d, T0, &changed, &events, NULL), 8);
	assert_int_equal(changed, 1u << 2);

	/* two more changes 3 ms later: held back, then coalesced */
	emu_dev_knob_gain(d, 0, 3 * 256);
	emu_dev_knob_switch(d, 3, PAMP_SW_HPF, true);
	assert_int_equal(notify(d, T0 + 3 * MS, &changed, &events, &next), -EAGAIN);
	assert_true(next == T0 + 10 * MS);
	assert_int_equal(notify(d, T0 + 10 * MS, &changed, &events, NULL), 8);
	assert_int_equal(changed, 1u << 0 | 1u << 3);
	/* nothing more to say */
	assert_int_equal(notify(d, T0 + 30 * MS, &changed, &events, NULL), -EAGAIN);
}

static void knob_gain_snaps_and_clamps(void **state)
{
	struct emu_dev *d = *state;

	emu_dev_knob_gain(d, 0, 10 * 256 + 70);		/* 10.27 -> 10.5 */
	assert_int_equal(d->in[0].gain, 10 * 256 + 128);
	emu_dev_knob_gain(d, 0, 100 * 256);
	assert_int_equal(d->in[0].gain, 60 * 256);
	emu_dev_knob_gain(d, 0, -100 * 256);
	assert_int_equal(d->in[0].gain, -10 * 256);
	assert_int_equal(emu_dev_knob_gain(d, 4, 0), -EINVAL);
	assert_int_equal(emu_dev_knob_switch(d, 2, PAMP_SW_PHANTOM, true), -EINVAL);
}

static void device_reset_notifies_evt_reset(void **state)
{
	struct emu_dev *d = *state;
	uint32_t changed, events;

	d->in[0].gain = 30 * 256;
	emu_dev_reset(d, T0);
	assert_int_equal(d->in[0].gain, 0);
	assert_int_equal(notify(d, T0, &changed, &events, NULL), 8);
	assert_int_equal(events, PAMP_EVT_RESET);
}

static void clipping_notifies_evt_clip_and_counts(void **state)
{
	struct emu_dev *d = *state;
	uint32_t changed, events;
	uint8_t m[16];

	emu_dev_set_source(d, 1, EMU_SHAPE_SINE, 6.0);
	assert_int_equal(notify(d, T0 + 50 * MS, &changed, &events, NULL), 8);
	assert_int_equal(events, PAMP_EVT_CLIP);
	req_in(d, PAMP_REQ_GET_METERS, 0, 16, m);
	/* a 1 kHz sine clips once a half period: about 100 runs in 50 ms */
	assert_in_range(m[6] | m[7] << 8, 90, 101);
	assert_int_equal(m[4] | m[5] << 8, 0);		/* full scale */
	/* one clip event per meter window, no more */
	assert_int_equal(notify(d, T0 + 60 * MS, &changed, &events, NULL), -EAGAIN);
	assert_int_equal(notify(d, T0 + 160 * MS, &changed, &events, NULL), 8);
}

static void a_clip_inside_the_window_is_notified_when_it_ends(void **state)
{
	struct emu_dev *d = *state;
	uint32_t changed, events;

	emu_dev_force_clip(d, 0);
	assert_int_equal(notify(d, T0, &changed, &events, NULL), 8);
	assert_int_equal(events, PAMP_EVT_CLIP);
	emu_dev_force_clip(d, 1);
	assert_int_equal(notify(d, T0 + 20 * MS, &changed, &events, NULL), -EAGAIN);
	assert_int_equal(notify(d, T0 + 100 * MS, &changed, &events, NULL), 8);
	assert_int_equal(events, PAMP_EVT_CLIP);
}

static void no_notifications_without_flag_notify(void **state)
{
	struct emu_dev *d = load("remote");
	uint32_t changed, events;
	uint64_t next;

	(void)state;
	emu_dev_knob_gain(d, 0, 40 * 256);
	assert_int_equal(notify(d, T0, &changed, &events, &next), -EAGAIN);
	assert_true(next == UINT64_MAX);
	free(d);
}

/* ---- meters ---- */

static int16_t meter_of(struct emu_dev *d, unsigned int input, uint64_t now)
{
	uint8_t m[4 * PAMP_MAX_INPUTS];
	struct emu_reply r = emu_dev_request(d, PAMP_REQTYPE_IN,
					     PAMP_REQ_GET_METERS, 0,
					     4 * d->desc.num_inputs, m,
					     sizeof(m), now);

	assert_int_equal(r.status, 0);
	return (int16_t)(m[4 * input] | m[4 * input + 1] << 8);
}

static void meters_follow_source_gain_and_pad(void **state)
{
	struct emu_dev *d = *state;

	emu_dev_set_source(d, 1, EMU_SHAPE_SINE, -40.0);
	d->in[1].gain = 20 * 256;
	assert_in_range(meter_of(d, 1, T0 + 200 * MS), -20 * 256 - 13,
			-20 * 256 + 13);
	/* the pad is 20 dB; the window must pass before the meter falls */
	d->in[1].switches |= 1 << PAMP_SW_PAD;
	assert_in_range(meter_of(d, 1, T0 + 400 * MS), -40 * 256 - 13,
			-40 * 256 + 13);
	/* polarity changes no peak */
	d->in[1].switches |= 1 << PAMP_SW_PHASE;
	assert_in_range(meter_of(d, 1, T0 + 600 * MS), -40 * 256 - 13,
			-40 * 256 + 13);
	emu_dev_set_source(d, 1, EMU_SHAPE_SILENCE, 0);
	assert_int_equal(meter_of(d, 1, T0 + 800 * MS), PAMP_METER_SILENCE);
}

static void meters_stall_without_flag_meters(void **state)
{
	struct emu_dev *d = load("duo-nometer");
	uint8_t m[8];

	(void)state;
	assert_int_equal(req_in(d, PAMP_REQ_GET_METERS, 0, 8, m).status, -EPIPE);
	free(d);
}

static void capture_carries_the_metered_samples(void **state)
{
	struct emu_dev *d = *state;
	int16_t buf[48 * 4];
	uint64_t pos = 0;
	int peak = 0;

	emu_dev_set_source(d, 2, EMU_SHAPE_SINE, -12.0);
	for (int p = 0; p < 100; p++) {
		emu_dev_capture(d, &pos, buf, 48, T0 + (uint64_t)p * MS);
		for (int f = 0; f < 48; f++) {
			int s = (int16_t)le16toh((uint16_t)buf[f * 4 + 2]);

			if (abs(s) > peak)
				peak = abs(s);
		}
	}
	assert_true(pos == 4800);
	assert_float_equal(20 * log10(peak / 32767.0), -12.0, 0.01);
	assert_in_range(meter_of(d, 2, T0 + 100 * MS), -12 * 256 - 3, -12 * 256 + 3);
}

static void capture_reader_far_behind_resumes_at_the_present(void **state)
{
	struct emu_dev *d = *state;
	int16_t buf[48 * 4];
	uint64_t pos = 0;

	emu_dev_capture(d, &pos, buf, 48, T0 + 5000 * MS);
	assert_true(pos >= 5000 * 48 - 48);
	assert_true(d->tl.frames == 5000 * 48);
}

/* ---- power ---- */

static void replug_resets_a_plain_device(void **state)
{
	struct emu_dev *d = *state;

	d->in[0].gain = 30 * 256;
	d->in[0].meter.clip_count = 5;
	emu_dev_power_off(d);
	emu_dev_power_on(d, T0 + 1000 * MS);
	assert_int_equal(d->in[0].gain, 0);
	assert_int_equal(d->in[0].meter.clip_count, 0);
}

static void replug_keeps_a_persistent_device(void **state)
{
	struct emu_dev *d = load("octo");

	(void)state;
	assert_true(d->desc.flags & PAMP_FLAG_PERSISTENT);
	d->in[3].gain = 42 * 256;
	d->in[3].switches = 1 << PAMP_SW_PAD;
	emu_dev_power_off(d);
	emu_dev_power_on(d, T0 + 1000 * MS);
	assert_int_equal(d->in[3].gain, 42 * 256);
	assert_int_equal(d->in[3].switches, 1 << PAMP_SW_PAD);
	free(d);
}

/* ---- injected faults ---- */

static void fault_stall_next_n(void **state)
{
	struct emu_dev *d = *state;
	uint8_t buf[64];

	d->faults.stall_next = 2;
	assert_int_equal(req_in(d, PAMP_REQ_GET_INFO, 0, 16, buf).status, -EPIPE);
	assert_int_equal(req_in(d, PAMP_REQ_GET_INFO, 0, 16, buf).status, -EPIPE);
	assert_int_equal(req_in(d, PAMP_REQ_GET_INFO, 0, 16, buf).status, 0);
	assert_int_equal(d->count[PAMP_REQ_GET_INFO][EMU_COUNT_STALLED], 2);
}

static void fault_delay_short_and_disconnect(void **state)
{
	struct emu_dev *d = *state;
	uint8_t buf[64];
	struct emu_reply r;

	d->faults.delay_next = 1;
	d->faults.delay_ms = 1500;
	r = req_in(d, PAMP_REQ_GET_INFO, 0, 16, buf);
	assert_int_equal(r.delay_ms, 1500);
	assert_int_equal(req_in(d, PAMP_REQ_GET_INFO, 0, 16, buf).delay_ms, 0);

	/* a delay for one request leaves the others alone */
	d->faults.delay_next = 1;
	d->faults.delay_req = PAMP_REQ_GET_METERS;
	assert_int_equal(req_in(d, PAMP_REQ_GET_INFO, 0, 16, buf).delay_ms, 0);
	assert_int_equal(req_in(d, PAMP_REQ_GET_METERS, 0, 64, buf).delay_ms, 1500);
	assert_int_equal(d->faults.delay_next, 0);
	d->faults.delay_req = 0;

	d->faults.short_next = 1;
	d->faults.short_len = 5;
	assert_int_equal(req_in(d, PAMP_REQ_GET_INFO, 0, 16, buf).len, 5);
	assert_int_equal(req_in(d, PAMP_REQ_GET_INFO, 0, 16, buf).len, 16);

	d->faults.disconnect_on = PAMP_REQ_SET_GAIN;
	assert_false(req_in(d, PAMP_REQ_GET_INFO, 0, 16, buf).disconnect);
	r = req_out(d, PAMP_REQ_SET_GAIN, 5, 0, NULL);
	assert_true(r.disconnect);
	assert_int_equal(d->in[0].gain, 0);	/* never carried out */
	assert_int_equal(d->faults.disconnect_on, 0);
}

static const struct {
	enum emu_bad_info kind;
	size_t offset;
	uint8_t value;
} bad_info_cases[] = {
	{ EMU_BAD_INFO_MAGIC, 3, 'Q' },
	{ EMU_BAD_INFO_MAJOR, 4, 2 },
	{ EMU_BAD_INFO_NO_INPUTS, 6, 0 },
	{ EMU_BAD_INFO_TOO_MANY_INPUTS, 6, 33 },
	{ EMU_BAD_INFO_WINDOW_LOW, 8, 49 },
	{ EMU_BAD_INFO_WINDOW_HIGH, 8, 1001 & 0xff },
};

static void fault_bad_info_lies_as_asked(void **state)
{
	struct emu_dev *d = *state;

	for (size_t i = 0; i < sizeof(bad_info_cases) / sizeof(bad_info_cases[0]); i++) {
		uint8_t buf[16];

		d->faults.bad_info = bad_info_cases[i].kind;
		req_in(d, PAMP_REQ_GET_INFO, 0, 16, buf);
		assert_int_equal(buf[bad_info_cases[i].offset],
				 bad_info_cases[i].value);
	}
}

static void fault_bad_input_info_lies_as_asked(void **state)
{
	struct emu_dev *d = *state;
	struct pamp_input_info ii;

	d->faults.bad_input[1] = EMU_BAD_INPUT_RANGE_INVERTED;
	req_in(d, PAMP_REQ_GET_INPUT_INFO, 1, 32, (uint8_t *)&ii);
	assert_true((int16_t)le16toh(ii.gain_min) >= (int16_t)le16toh(ii.gain_max));

	d->faults.bad_input[1] = EMU_BAD_INPUT_STEP_ZERO;
	req_in(d, PAMP_REQ_GET_INPUT_INFO, 1, 32, (uint8_t *)&ii);
	assert_int_equal(ii.gain_step, 0);

	d->faults.bad_input[1] = EMU_BAD_INPUT_STEP_INDIVISIBLE;
	req_in(d, PAMP_REQ_GET_INPUT_INFO, 1, 32, (uint8_t *)&ii);
	assert_false(pamp_gain_range_valid((int16_t)le16toh(ii.gain_min),
					   (int16_t)le16toh(ii.gain_max),
					   le16toh(ii.gain_step)));
	assert_true(le16toh(ii.gain_step) > 0);

	d->faults.bad_input[1] = EMU_BAD_INPUT_TOO_MANY_STEPS;
	req_in(d, PAMP_REQ_GET_INPUT_INFO, 1, 32, (uint8_t *)&ii);
	assert_true(((int16_t)le16toh(ii.gain_max) - (int16_t)le16toh(ii.gain_min)) /
		    le16toh(ii.gain_step) > PAMP_MAX_GAIN_STEPS);

	/* input 4 claims the group of inputs 1-2: 1, 2, 4 is not consecutive */
	d->faults.bad_input[3] = EMU_BAD_INPUT_GROUP_SPLIT;
	req_in(d, PAMP_REQ_GET_INPUT_INFO, 3, 32, (uint8_t *)&ii);
	assert_int_equal(ii.phantom_group, 1);
	d->faults.bad_input[3] = EMU_BAD_INPUT_NONE;

	d->faults.bad_input[1] = EMU_BAD_INPUT_LABEL_NO_NUL;
	req_in(d, PAMP_REQ_GET_INPUT_INFO, 1, 32, (uint8_t *)&ii);
	assert_null(memchr(ii.label, 0, sizeof(ii.label)));

	d->faults.bad_input[1] = EMU_BAD_INPUT_LABEL_UTF8;
	req_in(d, PAMP_REQ_GET_INPUT_INFO, 1, 32, (uint8_t *)&ii);
	assert_int_equal(ii.label[0], 0xc3);
	assert_int_equal(ii.label[1], 0x28);

	/* other inputs tell the truth */
	req_in(d, PAMP_REQ_GET_INPUT_INFO, 0, 32, (uint8_t *)&ii);
	assert_string_equal((char *)ii.label, "Mic 1");
}

static void fault_storm_is_faster_than_the_spec(void **state)
{
	struct emu_dev *d = *state;
	uint32_t changed, events;
	uint64_t now = T0, next;
	int sent = 0;

	d->faults.storm_left = 50;
	d->faults.storm_interval_ms = 1;
	while (sent < 60 && now < T0 + 200 * MS) {
		if (notify(d, now, &changed, &events, &next) == 8) {
			sent++;
			assert_int_equal(changed & ~0xfu, 0);
		}
		now += MS;
	}
	assert_int_equal(sent, 50);
	assert_int_equal(d->faults.storm_left, 0);
}

static void fault_notify_error_fails_urbs_then_stops(void **state)
{
	struct emu_dev *d = *state;
	uint8_t out[8];
	uint64_t next;

	d->faults.notify_error_next = 2;
	assert_int_equal(emu_dev_notification(d, out, T0, &next), -EPROTO);
	assert_int_equal(emu_dev_notification(d, out, T0, &next), -EPROTO);
	assert_int_equal(emu_dev_notification(d, out, T0, &next), -EAGAIN);
	assert_int_equal(d->notify_errors, 2);
}

static void power_loss_restores_defaults_silently(void **state)
{
	struct emu_dev *d = *state;
	uint8_t out[8];
	uint64_t next;

	assert_int_equal(emu_dev_knob_switch(d, 0, PAMP_SW_PHANTOM, true), 0);
	emu_dev_power_loss(d, T0);
	assert_int_equal(d->in[0].switches & (1u << PAMP_SW_PHANTOM), 0);
	assert_int_equal(emu_dev_notification(d, out, T0 + 20 * MS, &next),
			 -EAGAIN);
}

static void fault_short_and_garbage_notifications(void **state)
{
	struct emu_dev *d = *state;
	uint8_t out[8];
	uint64_t next;

	d->faults.notify_short = true;
	d->faults.notify_short_len = 3;
	assert_int_equal(emu_dev_notification(d, out, T0, &next), 3);
	assert_false(d->faults.notify_short);

	/* even an empty one is sent */
	d->faults.notify_short = true;
	d->faults.notify_short_len = 0;
	assert_int_equal(emu_dev_notification(d, out, T0 + 20 * MS, &next), 0);
	assert_int_equal(emu_dev_notification(d, out, T0 + 40 * MS, &next), -EAGAIN);

	d->faults.notify_garbage = true;
	assert_int_equal(emu_dev_notification(d, out, T0 + MS, &next), 8);
	/* an unknown event bit is always set */
	assert_true(out[7] & 0x80);
	assert_false(d->faults.notify_garbage);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup_quad, teardown)
		T(get_info_reports_the_model),
		T(get_input_info_reports_each_input),
		T(set_gain_and_switch_change_state),
		T(every_stall_rule_stalls_and_changes_nothing),
		T(in_requests_may_ask_for_more),
		T(set_all_state_applies_masked_bits_only),
		T(set_all_state_with_one_bad_record_changes_nothing),
		T(set_all_state_refuses_a_divided_phantom_group),
		cmocka_unit_test(set_all_state_without_gain_cap_refuses_apply),
		T(phantom_on_one_member_sets_the_group),
		T(knob_turns_notify_at_most_every_10_ms),
		T(knob_gain_snaps_and_clamps),
		T(device_reset_notifies_evt_reset),
		T(clipping_notifies_evt_clip_and_counts),
		T(a_clip_inside_the_window_is_notified_when_it_ends),
		cmocka_unit_test(no_notifications_without_flag_notify),
		T(meters_follow_source_gain_and_pad),
		cmocka_unit_test(meters_stall_without_flag_meters),
		T(capture_carries_the_metered_samples),
		T(capture_reader_far_behind_resumes_at_the_present),
		T(replug_resets_a_plain_device),
		cmocka_unit_test(replug_keeps_a_persistent_device),
		T(fault_stall_next_n),
		T(fault_delay_short_and_disconnect),
		T(fault_notify_error_fails_urbs_then_stops),
		T(power_loss_restores_defaults_silently),
		T(fault_bad_info_lies_as_asked),
		T(fault_bad_input_info_lies_as_asked),
		T(fault_storm_is_faster_than_the_spec),
		T(fault_short_and_garbage_notifications),
#undef T
	};

	return cmocka_run_group_tests_name("emulator device model", tests, NULL, NULL);
}
