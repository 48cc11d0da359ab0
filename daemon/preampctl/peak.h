/* SPDX-License-Identifier: MIT */
/*
 * Peak hold and clip tracking for one metered input, fed with each
 * GetLevels sample. Pure: time is passed in (seconds, monotonic).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define PCTL_HOLD_SECONDS	1.5	/* a peak stays put this long */
#define PCTL_HOLD_FALL		20.0	/* then falls this fast, dB a second */
#define PCTL_CLIP_SECONDS	2.0	/* a clip shows as CLIP this long */

struct pctl_peak {
	bool started;
	double last;		/* time of the last sample */
	double peak;		/* the last sample, dBFS (-inf: silence) */
	double hold;		/* held peak, dBFS */
	double hold_since;
	uint32_t last_count;	/* the daemon's clip counter, last seen */
	uint32_t clips;		/* clips since the meter started */
	double clip_at;		/* time of the last new clip */
};

void pctl_peak_init(struct pctl_peak *p);
/* One sample: the peak in dBFS (NaN counts as silence) and the daemon's
 * clip counter (which may restart from 0, as after a replug). */
void pctl_peak_update(struct pctl_peak *p, double now, double peak_dbfs,
		      uint32_t clip_count);
/* Whether a clip happened in the last PCTL_CLIP_SECONDS. */
bool pctl_peak_clipping(const struct pctl_peak *p, double now);
