/* SPDX-License-Identifier: MIT */
/*
 * Gain in dB over an integer control: the dB of each raw value, the step,
 * snapping a requested dB to the nearest value the control can take.
 */
#ifndef PREAMPD_GAIN_H
#define PREAMPD_GAIN_H

#include <stdbool.h>

/* A control whose raw values raw_min..raw_max map linearly to dB. */
struct pa_gain_range {
	long raw_min, raw_max;
	double db_min, db_max;	/* dB at raw_min and raw_max */
};

/*
 * The finest gain step preampd takes from a device or a profile: UAC2's
 * unit is 1/256 dB, so nothing real is finer, and a step of 1e-300 dB
 * would make every dB-to-step division overflow.
 */
#define PA_GAIN_STEP_MIN 0.001

/* raw_min <= raw_max, db_min <= db_max, both finite, equal only together;
 * a step of at least PA_GAIN_STEP_MIN */
bool pa_gain_range_valid(const struct pa_gain_range *r);
/* dB per raw step; 0 for a control with one value */
double pa_gain_step(const struct pa_gain_range *r);
/* dB of a raw value (clamped into the range) */
double pa_gain_db(const struct pa_gain_range *r, long raw);

/*
 * The raw value nearest to db and its dB. -EINVAL for NaN or infinity,
 * -ERANGE outside [db_min, db_max].
 */
int pa_gain_snap(const struct pa_gain_range *r, double db, long *raw,
		 double *snapped_db);

/*
 * AdjustGain: from raw value cur by delta dB, stopping at the range ends.
 * A nonzero delta smaller than half a step still moves one step its way.
 * -EINVAL for NaN or infinity.
 */
int pa_gain_adjust(const struct pa_gain_range *r, long cur, double delta,
		   long *raw, double *new_db);

/* The raw value nearest to db, clamped into the range (restores, presets). */
long pa_gain_clamp_raw(const struct pa_gain_range *r, double db);

#endif
