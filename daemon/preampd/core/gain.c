// SPDX-License-Identifier: MIT
/* Gain in dB over an integer control. */
#include <errno.h>
#include <math.h>

#include "gain.h"

#define DB_EPSILON 1e-6

bool pa_gain_range_valid(const struct pa_gain_range *r)
{
	if (r->raw_min > r->raw_max)
		return false;
	if (!isfinite(r->db_min) || !isfinite(r->db_max))
		return false;
	if (r->raw_min == r->raw_max)
		return fabs(r->db_max - r->db_min) < DB_EPSILON;
	return r->db_min < r->db_max && pa_gain_step(r) >= PA_GAIN_STEP_MIN;
}

double pa_gain_step(const struct pa_gain_range *r)
{
	if (r->raw_max <= r->raw_min)
		return 0.0;
	return (r->db_max - r->db_min) / (double)(r->raw_max - r->raw_min);
}

double pa_gain_db(const struct pa_gain_range *r, long raw)
{
	if (raw <= r->raw_min)
		return r->db_min;
	if (raw >= r->raw_max)
		return r->db_max;
	return r->db_min + (double)(raw - r->raw_min) * pa_gain_step(r);
}

long pa_gain_clamp_raw(const struct pa_gain_range *r, double db)
{
	double step = pa_gain_step(r), idx;

	if (step <= 0.0 || isnan(db) || db <= r->db_min)
		return r->raw_min;
	if (db >= r->db_max)
		return r->raw_max;
	idx = round((db - r->db_min) / step);
	return r->raw_min + (long)idx;
}

int pa_gain_snap(const struct pa_gain_range *r, double db, long *raw,
		 double *snapped_db)
{
	if (!isfinite(db))
		return -EINVAL;
	if (db < r->db_min - DB_EPSILON || db > r->db_max + DB_EPSILON)
		return -ERANGE;
	*raw = pa_gain_clamp_raw(r, db);
	*snapped_db = pa_gain_db(r, *raw);
	return 0;
}

int pa_gain_adjust(const struct pa_gain_range *r, long cur, double delta,
		   long *raw, double *new_db)
{
	long target;

	if (!isfinite(delta))
		return -EINVAL;
	if (cur < r->raw_min)
		cur = r->raw_min;
	if (cur > r->raw_max)
		cur = r->raw_max;
	target = pa_gain_clamp_raw(r, pa_gain_db(r, cur) + delta);
	if (target == cur && delta > 0 && cur < r->raw_max)
		target = cur + 1;
	else if (target == cur && delta < 0 && cur > r->raw_min)
		target = cur - 1;
	*raw = target;
	*new_db = pa_gain_db(r, target);
	return 0;
}
