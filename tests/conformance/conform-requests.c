// SPDX-License-Identifier: MIT
/*
 * Group "requests": every request of section 3, answered as the spec says
 * and as the emulator's own state says.
 */
#include "conform.h"

#include <endian.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static bool expect_long(struct conform *c, const char *field, long expected,
			long seen)
{
	if (expected == seen)
		return true;
	DETAIL(c, "%s: expected %ld (emulator), seen %ld (device)", field,
	       expected, seen);
	return false;
}

static void check_info(struct conform *c)
{
	struct pamp_info info;
	unsigned long flags;
	long n, window;
	bool ok;

	ok = pc_get_info(c, &info);
	if (ok && memcmp(info.magic, PAMP_MAGIC, PAMP_MAGIC_LEN)) {
		DETAIL(c, "magic: expected 'PAMP', seen %02x %02x %02x %02x",
		       info.magic[0], info.magic[1], info.magic[2],
		       info.magic[3]);
		ok = false;
	}
	if (ok && (info.version_major != PAMP_VERSION_MAJOR ||
		   info.version_minor != PAMP_VERSION_MINOR)) {
		DETAIL(c, "version: expected %u.%u, seen %u.%u",
		       PAMP_VERSION_MAJOR, PAMP_VERSION_MINOR,
		       info.version_major, info.version_minor);
		ok = false;
	}
	if (ok && !all_zero(info.reserved, sizeof(info.reserved))) {
		DETAIL(c, "reserved bytes 10..15: expected zero, seen nonzero");
		ok = false;
	}
	if (ok && pc_emu(c, "state") == 0) {
		if (ctl_long(&c->reply, "device.num_inputs", &n) ||
		    ctl_hex(&c->reply, "device.flags", &flags) ||
		    ctl_long(&c->reply, "device.meter_window_ms", &window)) {
			DETAIL(c, "the emulator's state lacks device.num_inputs, device.flags or device.meter_window_ms");
			ok = false;
		} else {
			ok &= expect_long(c, "num_inputs", n, info.num_inputs);
			ok &= expect_long(c, "flags", (long)flags, info.flags);
			ok &= expect_long(c, "meter_window_ms", window,
					  le16toh(info.meter_window_ms));
		}
	} else {
		ok = false;
	}
	RESULT(c, ok, "GET_INFO: magic, version 1.0, num_inputs, flags and meter window match the emulator");
}

static long q8(double db)
{
	return lround(db * 256.0);
}

static void check_input_info(struct conform *c, unsigned int i)
{
	const struct pamp_input_info *ii = &c->raw[i];
	struct pamp_input_info again;
	char k[48], label[64];
	unsigned long caps;
	long group;
	double min_db, max_db, step_db;
	bool ok = true;
	int r;

	/* Asked again: the answer does not change. */
	r = pc_in(c, PAMP_REQ_GET_INPUT_INFO, (uint16_t)i, &again,
		  sizeof(again));
	if (r != (int)sizeof(again)) {
		DETAIL(c, "GET_INPUT_INFO %u: expected %zu bytes, seen %s%d", i,
		       sizeof(again), r < 0 ? pc_errname(r) : "",
		       r < 0 ? 0 : r);
		ok = false;
	} else if (memcmp(&again, ii, sizeof(again))) {
		DETAIL(c, "GET_INPUT_INFO %u differs between two reads", i);
		ok = false;
	}
	if (pc_emu(c, "state") < 0) {
		RESULT(c, false, "GET_INPUT_INFO %u matches the emulator", i);
		return;
	}
	snprintf(k, sizeof(k), "in%u.caps", i + 1);
	if (ctl_hex(&c->reply, k, &caps)) {
		DETAIL(c, "the emulator's state lacks %s", k);
		ok = false;
	} else {
		ok &= expect_long(c, "caps", (long)caps, le16toh(ii->caps));
	}
	snprintf(k, sizeof(k), "in%u.phantom_group", i + 1);
	if (ctl_long(&c->reply, k, &group)) {
		DETAIL(c, "the emulator's state lacks %s", k);
		ok = false;
	} else {
		ok &= expect_long(c, "phantom_group", group, ii->phantom_group);
	}
	if (le16toh(ii->caps) & PAMP_CAP_GAIN) {
		char kmin[48], kmax[48], kstep[48];

		snprintf(kmin, sizeof(kmin), "in%u.gain_min_db", i + 1);
		snprintf(kmax, sizeof(kmax), "in%u.gain_max_db", i + 1);
		snprintf(kstep, sizeof(kstep), "in%u.gain_step_db", i + 1);
		if (ctl_double(&c->reply, kmin, &min_db) ||
		    ctl_double(&c->reply, kmax, &max_db) ||
		    ctl_double(&c->reply, kstep, &step_db)) {
			DETAIL(c, "the emulator's state lacks the gain range of input %u",
			       i + 1);
			ok = false;
		} else {
			ok &= expect_long(c, "gain_min (1/256 dB)", q8(min_db),
					  (int16_t)le16toh(ii->gain_min));
			ok &= expect_long(c, "gain_max (1/256 dB)", q8(max_db),
					  (int16_t)le16toh(ii->gain_max));
			ok &= expect_long(c, "gain_step (1/256 dB)",
					  q8(step_db), le16toh(ii->gain_step));
		}
	}
	snprintf(k, sizeof(k), "in%u.label", i + 1);
	if (ctl_value(&c->reply, k, label, sizeof(label))) {
		DETAIL(c, "the emulator's state lacks %s", k);
		ok = false;
	} else {
		const uint8_t *nul = memchr(ii->label, 0, sizeof(ii->label));
		size_t len = nul ? (size_t)(nul - ii->label) : sizeof(ii->label);

		if (len != strlen(label) || memcmp(label, ii->label, len)) {
			DETAIL(c, "label: expected \"%s\", seen \"%.*s\"", label,
			       (int)len, (const char *)ii->label);
			ok = false;
		}
		if (!nul || !all_zero(nul, sizeof(ii->label) - len)) {
			DETAIL(c, "label: expected NUL padding after \"%.*s\"",
			       (int)len, (const char *)ii->label);
			ok = false;
		}
	}
	if (!all_zero(ii->reserved, sizeof(ii->reserved))) {
		DETAIL(c, "reserved bytes 9..15: expected zero, seen nonzero");
		ok = false;
	}
	if (c->in[i].issues & ~(unsigned int)(PV_RESERVED_NONZERO)) {
		char names[128];

		pv_issue_names(c->in[i].issues, names, sizeof(names));
		DETAIL(c, "the host's checks found: %s", names);
		ok = false;
	}
	RESULT(c, ok, "GET_INPUT_INFO %u (\"%s\"): caps 0x%04x, gain, phantom group, label match the emulator",
	       i, c->in[i].label, le16toh(ii->caps));
}

static void check_states(struct conform *c)
{
	struct pc_state all, emu, one;
	unsigned int i;
	bool ok;

	memset(&one, 0, sizeof(one));
	ok = pc_read_state(c, &all);
	for (i = 0; i < c->n; i++) {
		struct pamp_input_state st;

		if (!pc_get_input_state(c, i, &st)) {
			ok = false;
			continue;
		}
		one.gain[i] = (int16_t)le16toh(st.gain);
		one.sw[i] = le16toh(st.switches);
	}
	if (ok && pc_emu_state(c, &emu)) {
		ok &= pc_same_state(c, &emu, "emulator", &one,
				    "GET_INPUT_STATE");
		ok &= pc_same_state(c, &one, "GET_INPUT_STATE", &all,
				    "GET_ALL_STATE");
		ok &= pc_state_sane(c, &all);
	} else {
		ok = false;
	}
	RESULT(c, ok, "GET_INPUT_STATE of every input and GET_ALL_STATE agree with the emulator (switches caps-masked, gains on the grid)");
}

/* Gain index of a gain value, or the nearest one below. */
static unsigned int gain_index(const struct conform *c, unsigned int in,
			       int gain)
{
	if (gain <= c->in[in].gain_min)
		return 0;
	return (unsigned int)(gain - c->in[in].gain_min) / c->in[in].gain_step;
}

static void check_set_gain(struct conform *c, unsigned int in)
{
	const struct pv_input *pi = &c->in[in];
	unsigned int steps = pc_gain_steps(c, in);
	unsigned int idx[] = { 0, steps, steps / 2, 1 };
	struct pc_state before, after;
	unsigned int k, orig;
	bool ok = true;

	if (!pc_read_state(c, &before)) {
		RESULT(c, false, "SET_GAIN input %u", in);
		return;
	}
	orig = gain_index(c, in, before.gain[in]);
	for (k = 0; k < sizeof(idx) / sizeof(idx[0]) && ok; k++) {
		struct pamp_input_state st;
		int expected = pi->gain_min + (int)(idx[k] * pi->gain_step);
		long emu_gain;

		if (!pc_set_gain_index(c, in, idx[k]) ||
		    !pc_get_input_state(c, in, &st)) {
			ok = false;
			break;
		}
		if ((int16_t)le16toh(st.gain) != expected) {
			DETAIL(c, "gain_index %u: expected gain %d (%.2f dB), GET_INPUT_STATE says %d",
			       idx[k], expected, expected / 256.0,
			       (int16_t)le16toh(st.gain));
			ok = false;
		}
		if (pc_emu_in_long(c, in, "gain", &emu_gain) < 0) {
			ok = false;
		} else if (emu_gain != expected) {
			DETAIL(c, "gain_index %u: expected gain %d, the emulator's in%u.gain says %ld",
			       idx[k], expected, in + 1, emu_gain);
			ok = false;
		}
		/* No other input moved. */
		if (ok && pc_read_state(c, &after)) {
			before.gain[in] = (int16_t)expected;
			ok &= pc_same_state(c, &before, "expected", &after,
					    "device");
		}
	}
	pc_set_gain_index(c, in, orig);
	RESULT(c, ok, "SET_GAIN input %u: gain_index 0, %u (gain_max), %u, 1 read back (GET_INPUT_STATE, emulator)",
	       in, steps, steps / 2);
}

static void check_set_switch(struct conform *c, unsigned int in,
			     unsigned int sw)
{
	struct pc_state before, after, expect;
	uint16_t bit = (uint16_t)(1u << sw);
	uint32_t affected = sw == PAMP_SW_PHANTOM ? pc_group_mask(c, in) :
			    1u << in;
	bool ok = pc_read_state(c, &before);
	int pass;

	expect = before;
	for (pass = 0; pass < 2 && ok; pass++) {
		/* Flip it, then flip it back. */
		bool on = !(expect.sw[in] & bit);
		unsigned int i;
		long emu_v;

		if (!pc_set_switch(c, in, sw, on) || !pc_read_state(c, &after)) {
			ok = false;
			break;
		}
		for (i = 0; i < c->n; i++)
			if (affected & (1u << i))
				expect.sw[i] = (uint16_t)(on ? expect.sw[i] | bit :
							  expect.sw[i] & ~bit);
		ok &= pc_same_state(c, &expect, "expected", &after, "device");
		if (pc_emu_in_long(c, in, pc_switch_names[sw], &emu_v) < 0) {
			ok = false;
		} else if (emu_v != on) {
			DETAIL(c, "the emulator's in%u.%s: expected %d, seen %ld",
			       in + 1, pc_switch_names[sw], on, emu_v);
			ok = false;
		}
	}
	if (!ok)
		pc_set_switch(c, in, sw, before.sw[in] & bit);
	RESULT(c, ok, "SET_SWITCH input %u %s: on and off read back%s", in,
	       pc_switch_names[sw],
	       affected != 1u << in ? " on every member of its phantom group" :
	       "");
}

static void check_meters_request(struct conform *c)
{
	struct pamp_meter m[PAMP_MAX_INPUTS];
	unsigned int i;
	bool ok;

	if (!(c->flags & PAMP_FLAG_METERS)) {
		SKIP(c, "no FLAG_METERS (the STALL is in group stall)",
		     "GET_METERS answers 4 * num_inputs bytes");
		return;
	}
	ok = pc_read_meters(c, m);
	for (i = 0; ok && i < c->n; i++) {
		int16_t peak = (int16_t)le16toh(m[i].peak);

		if (peak > 0) {
			DETAIL(c, "input %u: peak %d above full scale (0)", i,
			       peak);
			ok = false;
		}
	}
	RESULT(c, ok, "GET_METERS answers 4 * %u bytes, every peak <= 0 dBFS",
	       c->n);
}

/* A different gain on the grid: a third of the range further, wrapped. */
static int16_t other_gain(const struct conform *c, unsigned int in, int cur)
{
	unsigned int steps = pc_gain_steps(c, in);
	unsigned int idx = (gain_index(c, in, cur) + steps / 3 + 1) % (steps + 1);

	return (int16_t)(c->in[in].gain_min + (int)(idx * c->in[in].gain_step));
}

/*
 * SET_ALL_STATE: gains applied where apply says, masked switches take
 * their values, others keep theirs, value bits outside the mask ignored.
 */
static void check_set_all_state(struct conform *c)
{
	struct pamp_set_state recs[PAMP_MAX_INPUTS];
	struct pc_state before, expect, dev, emu;
	unsigned int i;
	bool ok;

	ok = pc_read_state(c, &before);
	if (!ok) {
		RESULT(c, false, "SET_ALL_STATE");
		return;
	}
	memset(recs, 0, sizeof(recs));
	expect = before;
	for (i = 0; i < c->n; i++) {
		uint16_t caps = c->in[i].caps & PAMP_SWITCH_MASK;
		/* Every other switch of the input is masked ... */
		uint16_t mask = caps & (i % 2 ? 0x2a : 0x15);
		uint16_t value;

		/* ... and a phantom group decides together: all mask it. */
		if (c->in[i].phantom_group && (caps & 1u << PAMP_SW_PHANTOM))
			mask |= 1u << PAMP_SW_PHANTOM;
		/* Flip every masked bit; the unmasked value bits flip too
		 * but must be ignored. */
		value = (uint16_t)(~before.sw[i] & caps);
		recs[i].mask = htole16(mask);
		recs[i].value = htole16(value);
		expect.sw[i] = (uint16_t)((before.sw[i] & ~mask) |
					  (value & mask));
		if (pc_has_gain(c, i)) {
			int16_t g = other_gain(c, i, before.gain[i]);

			recs[i].gain = htole16((uint16_t)g);
			/* Odd inputs do not apply theirs. */
			if (i % 2 == 0) {
				recs[i].apply = htole16(PAMP_APPLY_GAIN);
				expect.gain[i] = g;
			}
		}
	}
	ok = pc_set_all(c, recs) && pc_read_state(c, &dev) &&
	     pc_emu_state(c, &emu);
	if (ok) {
		ok &= pc_same_state(c, &expect, "expected", &dev,
				    "device (GET_ALL_STATE)");
		ok &= pc_same_state(c, &expect, "expected", &emu, "emulator");
		ok &= pc_state_sane(c, &dev);
	}
	RESULT(c, ok, "SET_ALL_STATE: gains set where apply bit0, only masked switches change, value bits outside the mask ignored");

	/* Put it back with one transfer, every switch masked. */
	for (i = 0; i < c->n; i++) {
		recs[i].mask = htole16(c->in[i].caps & PAMP_SWITCH_MASK);
		recs[i].value = htole16(before.sw[i]);
		recs[i].gain = htole16((uint16_t)before.gain[i]);
		recs[i].apply = htole16(pc_has_gain(c, i) ? PAMP_APPLY_GAIN : 0);
	}
	ok = pc_set_all(c, recs) && pc_read_state(c, &dev) &&
	     pc_same_state(c, &before, "expected", &dev, "device");
	RESULT(c, ok, "SET_ALL_STATE: the whole previous state re-applied in one transfer");

	/* Nothing masked, nothing applied: nothing changes. */
	for (i = 0; i < c->n; i++) {
		recs[i].mask = 0;
		recs[i].value = htole16(c->in[i].caps & PAMP_SWITCH_MASK);
		recs[i].apply = 0;
		if (pc_has_gain(c, i))
			recs[i].gain = htole16((uint16_t)other_gain(c, i,
							 before.gain[i]));
	}
	ok = pc_set_all(c, recs) && pc_read_state(c, &dev) &&
	     pc_same_state(c, &before, "expected", &dev, "device");
	RESULT(c, ok, "SET_ALL_STATE with empty masks and no apply changes nothing");
}

void group_requests(struct conform *c)
{
	struct pc_saved saved;
	unsigned int i, sw;

	if (!pc_save(c, &saved)) {
		RESULT(c, false, "the state can be read before the group");
		return;
	}
	check_info(c);
	for (i = 0; i < c->n; i++)
		check_input_info(c, i);
	check_states(c);
	for (i = 0; i < c->n; i++) {
		if (pc_has_gain(c, i))
			check_set_gain(c, i);
		else
			SKIP(c, "no CAP_GAIN (the STALL is in group stall)",
			     "SET_GAIN input %u", i);
	}
	for (i = 0; i < c->n; i++)
		for (sw = 0; sw < PAMP_NUM_SWITCHES; sw++)
			if (pc_has_switch(c, i, sw))
				check_set_switch(c, i, sw);
	check_meters_request(c);
	check_set_all_state(c);
	pc_restore(c, &saved);
}
