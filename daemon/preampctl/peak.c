// SPDX-License-Identifier: MIT
/* Peak hold and clip tracking. */
#include <math.h>
#include <string.h>

#include "peak.h"

void pctl_peak_init(struct pctl_peak *p)
{
	memset(p, 0, sizeof(*p));
	p->peak = -INFINITY;
	p->hold = -INFINITY;
	p->clip_at = -INFINITY;
}

void pctl_peak_update(struct pctl_peak *p, double now, double peak_dbfs,
		      uint32_t clip_count)
{
	double dt;

	if (isnan(peak_dbfs))
		peak_dbfs = -INFINITY;
	if (!p->started) {
		p->started = true;
		p->last = now;
		p->last_count = clip_count;	/* clips before we looked do not count */
		p->hold = peak_dbfs;
		p->hold_since = now;
		p->peak = peak_dbfs;
		return;
	}
	dt = now > p->last ? now - p->last : 0.0;
	p->last = now;
	p->peak = peak_dbfs;

	if (peak_dbfs >= p->hold) {
		p->hold = peak_dbfs;
		p->hold_since = now;
	} else if (now - p->hold_since > PCTL_HOLD_SECONDS) {
		p->hold -= PCTL_HOLD_FALL * dt;
		if (!(p->hold > peak_dbfs) || p->hold < -120.0)
			p->hold = peak_dbfs;
	}

	if (clip_count != p->last_count) {
		/* a counter that went back was reset: everything since is new */
		uint32_t fresh = clip_count > p->last_count ? clip_count - p->last_count
							    : clip_count;

		p->clips = p->clips > UINT32_MAX - fresh ? UINT32_MAX : p->clips + fresh;
		if (fresh)
			p->clip_at = now;
		p->last_count = clip_count;
	}
}

bool pctl_peak_clipping(const struct pctl_peak *p, double now)
{
	return now - p->clip_at < PCTL_CLIP_SECONDS;
}
