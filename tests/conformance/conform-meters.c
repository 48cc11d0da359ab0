// SPDX-License-Identifier: MIT
/*
 * Group "meters": GET_METERS against what is plugged in. With a sine of
 * LEVEL dBFS and a gain of G dB the peak reads LEVEL + G (within 0.5 dB)
 * in 1/256 dBFS; the pad takes off the model's pad_db, the phase invert
 * changes nothing, silence reads -32768, clip counts only rise (modulo
 * 65536), and the value follows the gain. Every metered input is measured
 * at once, one step after the other.
 */
#include "conform.h"

#include <endian.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define TOL_DB		0.5
#define SETTLE_MS	250	/* on top of the meter window */
#define TARGET_DB	(-20.0)	/* where the sine sits after the gain */

struct meter_plan {
	uint32_t inputs;		/* the metered inputs */
	double level[PAMP_MAX_INPUTS];	/* the source, dBFS */
	int16_t gain[PAMP_MAX_INPUTS];	/* the gain it is measured at */
	int16_t peak0[PAMP_MAX_INPUTS];	/* the first reading */
};

static bool metered(const struct meter_plan *p, unsigned int in)
{
	return p->inputs & (1u << in);
}

/* Waits a meter window and then some; reads the meters. */
static bool settle_and_read(struct conform *c, struct pamp_meter *m)
{
	pc_sleep_ms(c->window_ms + SETTLE_MS);
	return pc_read_meters(c, m);
}

static double peak_db(const struct pamp_meter *m, unsigned int in)
{
	return (int16_t)le16toh(m[in].peak) / 256.0;
}

static bool near_db(struct conform *c, const char *what, double expected,
		    double seen)
{
	if (fabs(expected - seen) <= TOL_DB)
		return true;
	DETAIL(c, "%s: expected %.2f dBFS (+-%.1f), seen %.2f dBFS", what,
	       expected, TOL_DB, seen);
	return false;
}

/* The device's reading against the emulator's view of the same input. */
static bool matches_emulator(struct conform *c, unsigned int in, double seen)
{
	double expected, emu_peak;
	bool ok = true;

	if (pc_emu_in_double(c, in, "expected_peak_dbfs", &expected) < 0 ||
	    pc_emu_in_double(c, in, "meter_peak", &emu_peak) < 0)
		return false;
	ok &= near_db(c, "against the emulator's expected_peak_dbfs",
		      expected, seen);
	ok &= near_db(c, "against the emulator's meter_peak", emu_peak / 256.0,
		      seen);
	return ok;
}

/* A grid gain near want_db, inside the range. */
static int16_t grid_gain(const struct conform *c, unsigned int in,
			 double want_db)
{
	const struct pv_input *p = &c->in[in];
	long q = lround(want_db * 256.0);
	long idx;

	if (q < p->gain_min)
		q = p->gain_min;
	if (q > p->gain_max)
		q = p->gain_max;
	idx = lround((double)(q - p->gain_min) / p->gain_step);
	return (int16_t)(p->gain_min + idx * p->gain_step);
}

/* Pad, phase, inst, air, hpf off; the plan's gains; the sources on. */
static bool prepare(struct conform *c, struct meter_plan *p)
{
	struct pamp_set_state recs[PAMP_MAX_INPUTS];
	struct pc_state st;
	unsigned int i;

	if (!pc_read_state(c, &st))
		return false;
	memset(recs, 0, sizeof(recs));
	for (i = 0; i < c->n; i++) {
		double g;

		if (!metered(p, i))
			continue;
		recs[i].mask = htole16(c->in[i].caps & PAMP_SWITCH_MASK &
				       (uint16_t)~(1u << PAMP_SW_PHANTOM));
		if (pc_has_gain(c, i)) {
			/* Room for +6 dB above, if the range has it. */
			g = grid_gain(c, i, 10.0) / 256.0;
			if (g + 6.0 > c->in[i].gain_max / 256.0)
				g = grid_gain(c, i, c->in[i].gain_max / 256.0 -
					      6.0) / 256.0;
			p->gain[i] = (int16_t)lround(g * 256.0);
			recs[i].gain = htole16((uint16_t)p->gain[i]);
			recs[i].apply = htole16(PAMP_APPLY_GAIN);
		} else {
			p->gain[i] = st.gain[i];
		}
		p->level[i] = TARGET_DB - p->gain[i] / 256.0;
	}
	if (!pc_set_all(c, recs))
		return false;
	for (i = 0; i < c->n; i++)
		if (metered(p, i) &&
		    pc_emu(c, "source %u sine %.2f", i + 1, p->level[i]) < 0)
			return false;
	return true;
}

static void step_level(struct conform *c, struct meter_plan *p)
{
	struct pamp_meter m[PAMP_MAX_INPUTS];
	bool read = settle_and_read(c, m);
	unsigned int i;

	for (i = 0; i < c->n; i++) {
		bool ok = read;
		double want = p->level[i] + p->gain[i] / 256.0;

		if (!metered(p, i))
			continue;
		if (ok) {
			p->peak0[i] = (int16_t)le16toh(m[i].peak);
			ok &= near_db(c, "peak", want, peak_db(m, i));
			ok &= matches_emulator(c, i, peak_db(m, i));
		}
		RESULT(c, ok, "meters: input %u, a %.2f dBFS sine at %.2f dB gain reads %.2f dBFS (expected %.2f)",
		       i, p->level[i], p->gain[i] / 256.0,
		       read ? peak_db(m, i) : 0.0, want);
	}
}

/* The gain moves by about 6 dB: so does the peak. */
static void step_gain_moves(struct conform *c, struct meter_plan *p)
{
	struct pamp_meter m[PAMP_MAX_INPUTS];
	int16_t moved[PAMP_MAX_INPUTS];
	uint32_t tried = 0;
	unsigned int i;
	bool read;

	for (i = 0; i < c->n; i++) {
		const struct pv_input *pi = &c->in[i];
		unsigned int idx;

		if (!metered(p, i) || !pc_has_gain(c, i))
			continue;
		moved[i] = grid_gain(c, i, p->gain[i] / 256.0 + 6.0);
		if (moved[i] == p->gain[i])
			moved[i] = grid_gain(c, i, p->gain[i] / 256.0 - 6.0);
		if (moved[i] == p->gain[i])
			continue;	/* a range too narrow to move */
		idx = (unsigned int)(moved[i] - pi->gain_min) / pi->gain_step;
		if (!pc_set_gain_index(c, i, idx)) {
			RESULT(c, false, "meters: input %u follows the gain", i);
			continue;
		}
		tried |= 1u << i;
	}
	if (!tried)
		return;
	read = settle_and_read(c, m);
	for (i = 0; i < c->n; i++) {
		const struct pv_input *pi = &c->in[i];
		double delta;
		bool ok = read;

		if (!(tried & (1u << i)))
			continue;
		delta = (moved[i] - p->gain[i]) / 256.0;
		if (ok) {
			ok &= near_db(c, "peak", p->level[i] + moved[i] / 256.0,
				      peak_db(m, i));
			ok &= near_db(c, "the move of the peak (as the gain's)",
				      p->peak0[i] / 256.0 + delta,
				      peak_db(m, i));
			ok &= matches_emulator(c, i, peak_db(m, i));
		}
		RESULT(c, ok, "meters: input %u, the gain %+.2f dB moves the peak to %.2f dBFS",
		       i, delta, read ? peak_db(m, i) : 0.0);
		pc_set_gain_index(c, i, (unsigned int)(p->gain[i] - pi->gain_min) /
				  pi->gain_step);
	}
}

/* A switch on for every metered input that has it, a check, off again. */
static void step_switch(struct conform *c, struct meter_plan *p,
			unsigned int sw)
{
	struct pamp_meter m[PAMP_MAX_INPUTS];
	uint32_t tried = 0;
	unsigned int i;
	bool read;

	for (i = 0; i < c->n; i++) {
		if (!metered(p, i) || !pc_has_switch(c, i, sw))
			continue;
		if (!pc_set_switch(c, i, sw, true)) {
			RESULT(c, false, "meters: input %u with %s on", i,
			       pc_switch_names[sw]);
			continue;
		}
		tried |= 1u << i;
	}
	if (!tried)
		return;
	read = settle_and_read(c, m);
	for (i = 0; i < c->n; i++) {
		double base = p->peak0[i] / 256.0, seen;
		bool ok = read;

		if (!(tried & (1u << i)))
			continue;
		seen = read ? peak_db(m, i) : 0.0;
		if (ok && sw == PAMP_SW_PAD) {
			if (c->have_pad_db) {
				ok &= near_db(c, "peak with the pad", base - c->pad_db,
					      seen);
			} else if (base - seen < 1.0) {
				DETAIL(c, "the pad took off %.2f dB (pad_db unknown: expected at least 1 dB)",
				       base - seen);
				ok = false;
			}
			ok &= matches_emulator(c, i, seen);
			RESULT(c, ok, "meters: input %u, the pad takes the peak from %.2f to %.2f dBFS (pad_db %s)",
			       i, base, seen, c->have_pad_db ? "known" : "from the emulator");
		} else if (ok) {
			ok &= near_db(c, "peak with the phase inverted", base,
				      seen);
			ok &= matches_emulator(c, i, seen);
			RESULT(c, ok, "meters: input %u, the phase invert leaves the peak at %.2f dBFS",
			       i, seen);
		} else {
			RESULT(c, false, "meters: input %u with %s on", i,
			       pc_switch_names[sw]);
		}
		pc_set_switch(c, i, sw, false);
	}
}

static void step_silence(struct conform *c, struct meter_plan *p)
{
	struct pamp_meter m[PAMP_MAX_INPUTS];
	unsigned int i;
	bool read;

	for (i = 0; i < c->n; i++)
		if (metered(p, i))
			pc_emu(c, "source %u silence -120", i + 1);
	read = settle_and_read(c, m);
	for (i = 0; i < c->n; i++) {
		int16_t peak = read ? (int16_t)le16toh(m[i].peak) : 0;

		if (!metered(p, i))
			continue;
		if (read && peak != PAMP_METER_SILENCE)
			DETAIL(c, "expected %d, seen %d", PAMP_METER_SILENCE, peak);
		RESULT(c, read && peak == PAMP_METER_SILENCE,
		       "meters: input %u, silence reads -32768 a meter window (%u ms) after the sine stopped",
		       i, c->window_ms);
	}
}

/* Every step of the clip count rises by less than half the u16 range. */
static void step_clip_count(struct conform *c, struct meter_plan *p)
{
	struct pamp_meter m[3][PAMP_MAX_INPUTS];
	struct pamp_set_state recs[PAMP_MAX_INPUTS];
	double gain_db[PAMP_MAX_INPUTS];
	unsigned int i, k;
	bool read = true;

	memset(recs, 0, sizeof(recs));
	for (i = 0; i < c->n; i++) {
		gain_db[i] = p->gain[i] / 256.0;
		if (!metered(p, i) || !pc_has_gain(c, i))
			continue;
		recs[i].gain = htole16((uint16_t)c->in[i].gain_max);
		recs[i].apply = htole16(PAMP_APPLY_GAIN);
		gain_db[i] = c->in[i].gain_max / 256.0;
	}
	if (!pc_set_all(c, recs))
		read = false;
	for (i = 0; i < c->n; i++)
		if (metered(p, i))
			pc_emu(c, "source %u sine %.2f", i + 1,
			       gain_db[i] >= 6.0 ? 0.0 : 6.0 - gain_db[i]);
	for (k = 0; k < 3 && read; k++) {
		if (!pc_read_meters(c, m[k]))
			read = false;
		pc_sleep_ms(150);
	}
	for (i = 0; i < c->n; i++) {
		unsigned int d01 = 0, d12 = 0;
		long emu_count;
		bool ok = read;

		if (!metered(p, i))
			continue;
		if (ok) {
			d01 = (unsigned int)(le16toh(m[1][i].clip_count) -
					     le16toh(m[0][i].clip_count)) & 0xffff;
			d12 = (unsigned int)(le16toh(m[2][i].clip_count) -
					     le16toh(m[1][i].clip_count)) & 0xffff;
			if (d01 >= 0x8000 || d12 >= 0x8000 || d01 + d12 == 0) {
				DETAIL(c, "clip_count read %u, %u, %u: expected it to rise (modulo 65536)",
				       le16toh(m[0][i].clip_count),
				       le16toh(m[1][i].clip_count),
				       le16toh(m[2][i].clip_count));
				ok = false;
			}
			if (pc_emu_in_long(c, i, "clip_count", &emu_count) < 0) {
				ok = false;
			} else if (((unsigned int)emu_count -
				    le16toh(m[2][i].clip_count)) & 0x8000) {
				DETAIL(c, "the emulator's clip_count %ld is behind the device's %u",
				       emu_count, le16toh(m[2][i].clip_count));
				ok = false;
			}
		}
		RESULT(c, ok, "meters: input %u clipping, clip_count rises %u then %u (modulo 65536)",
		       i, d01, d12);
	}
	for (i = 0; i < c->n; i++)
		if (metered(p, i))
			pc_emu(c, "source %u silence -120", i + 1);
}

void group_meters(struct conform *c)
{
	struct meter_plan plan;
	struct pc_saved saved;
	unsigned int i;

	if (!(c->flags & PAMP_FLAG_METERS)) {
		SKIP(c, "no FLAG_METERS (its STALL is in group stall)",
		     "meters");
		return;
	}
	memset(&plan, 0, sizeof(plan));
	for (i = 0; i < c->n; i++)
		if (c->in[i].caps & PAMP_CAP_METER)
			plan.inputs |= 1u << i;
	if (!plan.inputs) {
		SKIP(c, "no input has CAP_METER", "meters");
		return;
	}
	if (!pc_save(c, &saved)) {
		RESULT(c, false, "the state can be read before the group");
		return;
	}
	if (!prepare(c, &plan)) {
		RESULT(c, false, "meters: the inputs can be set up (switches off, gain, sine)");
		pc_restore(c, &saved);
		return;
	}
	step_level(c, &plan);
	step_gain_moves(c, &plan);
	step_switch(c, &plan, PAMP_SW_PAD);
	step_switch(c, &plan, PAMP_SW_PHASE);
	step_silence(c, &plan);
	step_clip_count(c, &plan);
	pc_restore(c, &saved);
}
