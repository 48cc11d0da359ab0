// SPDX-License-Identifier: MIT
/* AutoGain as a pure state machine; the algorithm is in autogain-core.h. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "autogain-core.h"

#define NO_CEILING	LONG_MAX
#define GRID_EPSILON	1e-9	/* of a step: FP noise when rounding down */
#define DB_EPSILON	1e-6
#define GAIN_ABS_MAX	200.0
#define STEPS_MAX	1000000L
#define STEP_MIN_DB	0.001	/* PA_GAIN_STEP_MIN: finer is no device's */
#define PAD_MAX_DB	60.0
#define PEAK_FLOOR_DBFS	(-200.0)	/* below: silence */

static const char *const result_names[] = {
	[AG_RESULT_NONE] = "idle",
	[AG_DONE] = "done",
	[AG_MAX_GAIN] = "max-gain",
	[AG_MIN_GAIN] = "min-gain",
	[AG_TOO_QUIET] = "too-quiet",
	[AG_CANCELLED] = "cancelled",
	[AG_FAILED] = "failed",
};

const char *ag_result_name(enum ag_result r)
{
	if ((unsigned)r >= sizeof(result_names) / sizeof(result_names[0]))
		return "failed";
	return result_names[r];
}

/* ---- the gain grid ---- */

static double gain_of(const struct ag *ag, long k)
{
	if (k <= 0)
		return ag->p.gain_min_db;
	if (k >= ag->n_steps)
		return ag->p.gain_max_db;
	return ag->p.gain_min_db + (double)k * ag->p.gain_step_db;
}

/* the grid point at or below db, clamped into the range */
static long k_floor(const struct ag *ag, double db)
{
	double x = (db - ag->p.gain_min_db) / ag->p.gain_step_db;

	if (isnan(x) || x <= 0.0)
		return 0;
	if (x >= (double)ag->n_steps)
		return ag->n_steps;
	return (long)floor(x + GRID_EPSILON);
}

static long k_nearest(const struct ag *ag, double db)
{
	double x = (db - ag->p.gain_min_db) / ag->p.gain_step_db;

	if (isnan(x) || x <= 0.0)
		return 0;
	if (x >= (double)ag->n_steps)
		return ag->n_steps;
	return lround(x);
}

static long min_long(long a, long b)
{
	return a < b ? a : b;
}

/*
 * The gain set now. Before the first write it is the input's own, which
 * may lie off the grid (cur_k is then its nearest point): any grid point
 * is a write away from it.
 */
static double cur_db(const struct ag *ag)
{
	return ag->gain_written ? gain_of(ag, ag->cur_k) : ag->p.gain_db;
}

static bool needs_write(const struct ag *ag, long k)
{
	return k != ag->cur_k ||
	       fabs(cur_db(ag) - gain_of(ag, k)) > DB_EPSILON;
}

/* the highest grid point below every gain that clipped with pad */
static long below_ceiling(const struct ag *ag, bool pad)
{
	long c = ag->ceiling_k[pad];

	if (c == NO_CEILING)
		return ag->n_steps;
	return c > 0 ? c - 1 : 0;
}

/* ---- the queue of decided actions ---- */

static void q_clear(struct ag *ag)
{
	ag->q_head = 0;
	ag->q_len = 0;
}

static void q_push(struct ag *ag, const struct ag_action *a)
{
	/* a decision pushes at most three actions into an empty queue */
	if (ag->q_len >= AG_QUEUE_LEN)
		return;
	ag->q[(ag->q_head + ag->q_len) % AG_QUEUE_LEN] = *a;
	ag->q_len++;
}

static void q_set_gain(struct ag *ag, double db)
{
	struct ag_action a = { .type = AG_ACT_SET_GAIN, .gain_db = db };

	q_push(ag, &a);
}

static void q_set_pad(struct ag *ag, bool on)
{
	struct ag_action a = { .type = AG_ACT_SET_PAD, .pad_on = on };

	q_push(ag, &a);
}

/*
 * Writes that take the input from the current setting to (db, pad), in an
 * order whose intermediate setting is never louder than the final one:
 * a pad going on goes first, a pad coming off goes last.
 */
static void q_apply(struct ag *ag, double db, bool gain_differs, bool pad)
{
	bool pad_differs = pad != ag->cur_pad;

	if (pad_differs && pad)
		q_set_pad(ag, true);
	if (gain_differs)
		q_set_gain(ag, db);
	if (pad_differs && !pad)
		q_set_pad(ag, false);
}

static double heard(const struct ag *ag)
{
	return ag->pass_clipped ? 0.0 : ag->pass_peak;
}

static void q_finish(struct ag *ag, enum ag_result r, double gain_db,
		     bool pad, double peak)
{
	struct ag_action a = {
		.type = AG_ACT_FINISH,
		.result = r,
		.gain_db = gain_db,
		.pad_on = pad,
		.peak_dbfs = peak,
	};

	q_push(ag, &a);
	ag->finishing = true;
	ag->listening = false;
}

/* The run ends at grid point k with pad. */
static void finish_at(struct ag *ag, enum ag_result r, long k, bool pad,
		      double peak)
{
	bool write = needs_write(ag, k);

	q_apply(ag, gain_of(ag, k), write, pad);
	q_finish(ag, r, write ? gain_of(ag, k) : cur_db(ag), pad, peak);
}

/* The run ends with the setting from before put back. */
static void finish_restored(struct ag *ag, enum ag_result r, double peak)
{
	q_apply(ag, ag->p.gain_db,
		fabs(cur_db(ag) - ag->p.gain_db) > DB_EPSILON, ag->orig_pad);
	q_finish(ag, r, ag->p.gain_db, ag->orig_pad, peak);
}

/* The next pass listens at grid point k with pad. */
static void next_pass(struct ag *ag, long k, bool pad)
{
	struct ag_action a = { .type = AG_ACT_LISTEN };

	bool write = needs_write(ag, k);

	if (pad != ag->cur_pad)
		ag->pad_toggled = true;
	ag->settle_next = write || pad != ag->cur_pad;
	q_apply(ag, gain_of(ag, k), write, pad);
	q_push(ag, &a);
}

/* ---- life cycle ---- */

void ag_init(struct ag *ag)
{
	memset(ag, 0, sizeof(*ag));
	ag->result = AG_RESULT_NONE;
}

static bool params_valid(const struct ag_params *p, long *n_steps)
{
	double span, n;

	if (!isfinite(p->target_dbfs) || p->target_dbfs > 0.0 ||
	    p->target_dbfs < AG_TARGET_MIN_DBFS)
		return false;
	if (p->listen_ms < AG_LISTEN_MIN_MS || p->listen_ms > AG_LISTEN_MAX_MS)
		return false;
	if (p->meter_window_ms < 1 || p->meter_window_ms > AG_WINDOW_MAX_MS ||
	    p->settle_ms > AG_LISTEN_MAX_MS)
		return false;
	if (!isfinite(p->gain_min_db) || !isfinite(p->gain_max_db) ||
	    !isfinite(p->gain_step_db) || !isfinite(p->gain_db))
		return false;
	if (fabs(p->gain_min_db) > GAIN_ABS_MAX ||
	    fabs(p->gain_max_db) > GAIN_ABS_MAX ||
	    p->gain_min_db >= p->gain_max_db || !(p->gain_step_db >= STEP_MIN_DB))
		return false;
	span = p->gain_max_db - p->gain_min_db;
	n = round(span / p->gain_step_db);
	if (n < 1.0 || n > (double)STEPS_MAX ||
	    fabs(n * p->gain_step_db - span) > DB_EPSILON * (span > 1.0 ? span : 1.0))
		return false;
	*n_steps = (long)n;
	return true;
}

int ag_start(struct ag *ag, const struct ag_params *p)
{
	long n_steps;

	if (ag->running)
		return -EBUSY;
	if (!params_valid(p, &n_steps))
		return -EINVAL;
	ag_init(ag);
	ag->running = true;
	ag->p = *p;
	ag->n_steps = n_steps;
	ag->pad_db = p->pad_available && isfinite(p->pad_db) &&
		     p->pad_db > 0.0 && p->pad_db <= PAD_MAX_DB ?
		     p->pad_db : NAN;
	ag->cur_k = k_nearest(ag, p->gain_db);
	ag->cur_pad = p->pad_available && p->pad_on;
	ag->orig_pad = ag->cur_pad;
	ag->ceiling_k[0] = NO_CEILING;
	ag->ceiling_k[1] = NO_CEILING;
	ag->pass_peak = -INFINITY;
	next_pass(ag, ag->cur_k, ag->cur_pad);
	return 0;
}

bool ag_running(const struct ag *ag)
{
	return ag->running;
}

unsigned ag_passes(const struct ag *ag)
{
	return ag->pass;
}

void ag_pass_heard(const struct ag *ag, double *peak_dbfs,
		   unsigned *covered_ms, unsigned *readings)
{
	*peak_dbfs = heard(ag);
	*covered_ms = (unsigned)(ag->covered_us / 1000);
	*readings = ag->readings;
}

enum ag_result ag_last_result(const struct ag *ag)
{
	return ag->result;
}

const char *ag_state_name(const struct ag *ag)
{
	return ag->running ? "listening" : ag_result_name(ag->result);
}

/* ---- listening ---- */

static void begin_pass(struct ag *ag, uint64_t now)
{
	uint64_t settle = 0;

	if (ag->settle_next) {
		settle = 2 * (uint64_t)ag->p.meter_window_ms;
		if (settle < ag->p.settle_ms)
			settle = ag->p.settle_ms;
	}
	ag->pass++;
	ag->listening = true;
	ag->settle_next = false;
	ag->settle_until = now + settle;
	ag->last_t = ag->settle_until;
	ag->covered_us = 0;
	ag->hard_end = ag->settle_until + 2 * (uint64_t)ag->p.listen_ms;
	ag->pass_clipped = false;
	ag->pass_peak = -INFINITY;
	ag->readings = 0;
}

/* A reading that covers cover_us of the pass (UINT64_MAX: as the clock says). */
static void feed(struct ag *ag, uint64_t now_ms, uint64_t cover_us,
		 double peak_dbfs, bool clipped)
{
	if (!ag->running || !ag->listening || now_ms < ag->settle_until)
		return;
	if (isnan(peak_dbfs) && !clipped)
		return;		/* an unreadable reading covers nothing */
	if (cover_us != UINT64_MAX) {
		ag->covered_us += cover_us;
		if (now_ms > ag->last_t)
			ag->last_t = now_ms;
	} else if (now_ms > ag->last_t) {
		uint64_t dt = now_ms - ag->last_t;

		/* a reading covers one meter window back: more is a gap */
		ag->covered_us += 1000 * (dt < ag->p.meter_window_ms ? dt :
						ag->p.meter_window_ms);
		ag->last_t = now_ms;
	}
	ag->readings++;
	if (clipped || peak_dbfs > AG_CLIP_DBFS) {
		ag->pass_clipped = true;
		return;
	}
	if (peak_dbfs < PEAK_FLOOR_DBFS)
		peak_dbfs = -INFINITY;
	if (peak_dbfs > ag->pass_peak)
		ag->pass_peak = peak_dbfs;
}

void ag_feed_level(struct ag *ag, uint64_t now_ms, double peak_dbfs,
		   bool clipped)
{
	feed(ag, now_ms, UINT64_MAX, peak_dbfs, clipped);
}

void ag_feed_span(struct ag *ag, uint64_t now_ms, uint64_t span_us,
		  double peak_dbfs, bool clipped)
{
	feed(ag, now_ms, span_us == UINT64_MAX ? span_us - 1 : span_us,
	     peak_dbfs, clipped);
}

static void fail(struct ag *ag)
{
	q_clear(ag);
	if (ag->restoring) {
		/* the restore was refused too: what is set is unknown */
		q_finish(ag, AG_FAILED, NAN, ag->cur_pad, heard(ag));
		return;
	}
	ag->restoring = true;
	finish_restored(ag, AG_FAILED, heard(ag));
}

/* The pass at (cur_k, cur_pad) clipped. */
static void after_clip(struct ag *ag, bool passes_left)
{
	long k = ag->cur_k;
	bool pad = ag->cur_pad;
	bool pad_can_go_on = ag->p.pad_available && !pad && !ag->pad_toggled;

	if (k < ag->ceiling_k[pad])
		ag->ceiling_k[pad] = k;
	if (!passes_left) {
		/* the lowest setting there is, untried: the safest guess */
		finish_at(ag, AG_MIN_GAIN, 0, pad || ag->p.pad_available, 0.0);
		return;
	}
	if (k > 0) {
		long drop = (long)floor(AG_CLIP_DROP_DB / ag->p.gain_step_db +
					GRID_EPSILON);

		if (drop < 1)
			drop = 1;
		next_pass(ag, k > drop ? k - drop : 0, pad);
		return;
	}
	if (pad_can_go_on) {
		next_pass(ag, 0, true);
		return;
	}
	finish_at(ag, AG_MIN_GAIN, 0, pad, 0.0);
}

/* The pass heard nothing above AG_QUIET_DBFS. */
static void after_quiet(struct ag *ag, bool passes_left)
{
	long k = ag->cur_k;
	bool pad = ag->cur_pad;

	if (passes_left && k < ag->n_steps) {
		/* as far up as what was heard cannot pass the target */
		long nk = k_floor(ag, cur_db(ag) + ag->p.target_dbfs -
					  AG_QUIET_DBFS);

		nk = min_long(nk, below_ceiling(ag, pad));
		if (nk > k) {
			next_pass(ag, nk, pad);
			return;
		}
	}
	if (passes_left && pad && ag->p.pad_available && !ag->pad_toggled) {
		next_pass(ag, min_long(k, below_ceiling(ag, false)), false);
		return;
	}
	finish_restored(ag, AG_TOO_QUIET, ag->pass_peak);
}

/*
 * How much louder than peak_dbfs the loudest sample may really be: a
 * sample is known to half a step of AG_SAMPLE_FULL_SCALE (0.2 dB at
 * -63 dBFS), beyond the meter's own rounding.
 */
static double sample_uncertainty_db(double peak_dbfs)
{
	double steps = AG_SAMPLE_FULL_SCALE * pow(10.0, peak_dbfs / 20.0);

	if (!(steps > 0.5))
		return INFINITY;
	return 20.0 * log10(1.0 + 0.5 / steps);
}

/* The pass heard the source without clipping: its loudest peak is known
 * to its sample's resolution. */
static void after_measure(struct ag *ag, bool passes_left)
{
	long nk;
	bool pad = ag->cur_pad;
	double peak = ag->pass_peak;
	double target = ag->p.target_dbfs;
	double unc = sample_uncertainty_db(peak);
	/* a quiet peak, measured coarsely: the gain for the loudest it can be */
	double margin = unc > AG_METER_RES_DB ? unc : 0.0;
	double ideal = cur_db(ag) + target - peak - margin - AG_METER_RES_DB;
	double predicted;

	if (margin > 0.0 && passes_left) {
		nk = min_long(k_floor(ag, ideal), below_ceiling(ag, pad));
		if (nk != ag->cur_k) {
			/* listen again there, where it is measured finely */
			next_pass(ag, nk, pad);
			return;
		}
	}

	nk = min_long(k_floor(ag, ideal), below_ceiling(ag, pad));
	predicted = peak + gain_of(ag, nk) - cur_db(ag);

	if (predicted > target - AG_METER_RES_DB + DB_EPSILON) {
		/* louder than the target even at the lowest gain */
		if (passes_left && ag->p.pad_available && !pad &&
		    !ag->pad_toggled) {
			long pk = isnan(ag->pad_db) ? 0 :
				  k_floor(ag, ideal + ag->pad_db);

			next_pass(ag, min_long(pk, below_ceiling(ag, true)), true);
			return;
		}
		finish_at(ag, AG_MIN_GAIN, nk, pad, predicted);
		return;
	}
	if (predicted < target - AG_WINDOW_DB + AG_METER_RES_DB - DB_EPSILON &&
	    nk >= ag->n_steps) {
		/* quieter than the window even at the highest gain */
		if (passes_left && ag->p.pad_available && pad &&
		    !ag->pad_toggled) {
			double pad_db = isnan(ag->pad_db) ? AG_PAD_ASSUMED_DB :
							    ag->pad_db;
			long pk = k_floor(ag, ideal - pad_db);

			next_pass(ag, min_long(pk, below_ceiling(ag, false)),
				  false);
			return;
		}
		finish_at(ag, AG_MAX_GAIN, nk, pad, predicted);
		return;
	}
	/* in the window; or below it only because a higher gain clipped */
	finish_at(ag, AG_DONE, nk, pad, predicted);
}

static void evaluate(struct ag *ag)
{
	bool passes_left = ag->pass < AG_MAX_PASSES;

	ag->listening = false;
	if (ag->readings == 0) {
		/* a whole pass without one usable reading */
		fail(ag);
		return;
	}
	if (ag->pass_clipped)
		after_clip(ag, passes_left);
	else if (!(ag->pass_peak > AG_QUIET_DBFS))
		after_quiet(ag, passes_left);
	else
		after_measure(ag, passes_left);
}

static struct ag_action listen_action(const struct ag *ag, uint64_t now)
{
	struct ag_action a = { .type = AG_ACT_LISTEN, .pass = ag->pass };
	uint64_t from = now > ag->last_t ? now : ag->last_t;
	uint64_t left_us = (uint64_t)ag->p.listen_ms * 1000 - ag->covered_us;
	uint64_t until = from + (left_us + 999) / 1000;

	a.until_ms = until < ag->hard_end ? until : ag->hard_end;
	a.poll_ms = ag->p.meter_window_ms / 2 ? ag->p.meter_window_ms / 2 : 1;
	return a;
}

struct ag_action ag_tick(struct ag *ag, uint64_t now_ms)
{
	struct ag_action none = { .type = AG_ACT_NONE };

	for (unsigned guard = 0; ag->running && guard < 8; guard++) {
		if (ag->q_len) {
			struct ag_action a = ag->q[ag->q_head];

			ag->q_head = (ag->q_head + 1) % AG_QUEUE_LEN;
			ag->q_len--;
			switch (a.type) {
			case AG_ACT_SET_GAIN:
				ag->cur_k = k_nearest(ag, a.gain_db);
				ag->gain_written = true;
				break;
			case AG_ACT_SET_PAD:
				ag->cur_pad = a.pad_on;
				break;
			case AG_ACT_LISTEN:
				begin_pass(ag, now_ms);
				a = listen_action(ag, now_ms);
				break;
			case AG_ACT_FINISH:
				ag->running = false;
				ag->result = a.result;
				ag->finishing = false;
				ag->restoring = false;
				ag->listening = false;
				q_clear(ag);
				break;
			case AG_ACT_NONE:
				continue;
			}
			return a;
		}
		if (!ag->listening) {
			/* nothing decided and nothing to hear: cannot be */
			fail(ag);
			continue;
		}
		if (ag->pass_clipped ||
		    ag->covered_us >= (uint64_t)ag->p.listen_ms * 1000 ||
		    now_ms >= ag->hard_end) {
			evaluate(ag);
			continue;
		}
		return listen_action(ag, now_ms);
	}
	return none;
}

/* ---- interruptions ---- */

/*
 * Another client moved the gain (or the pad) while we listened: the run is
 * cancelled and, as CancelAutoGain does, the setting from before AutoGain
 * goes back. Written unconditionally: the live gain is theirs, not ours.
 */
static void cancel_restoring(struct ag *ag)
{
	q_clear(ag);
	q_apply(ag, ag->p.gain_db, true, ag->orig_pad);
	q_finish(ag, AG_CANCELLED, ag->p.gain_db, ag->orig_pad, heard(ag));
}

void ag_gain_changed_externally(struct ag *ag, double gain_db)
{
	(void)gain_db;
	if (!ag->running || ag->finishing)
		return;
	cancel_restoring(ag);
}

bool ag_gain_observed(struct ag *ag, double gain_db)
{
	if (!ag->running || ag->finishing || !isfinite(gain_db))
		return false;
	if (fabs(gain_db - cur_db(ag)) <= ag->p.gain_step_db / 2)
		return false;
	ag_gain_changed_externally(ag, gain_db);
	return true;
}

bool ag_pad_observed(struct ag *ag, bool pad_on)
{
	if (!ag->running || ag->finishing || !ag->p.pad_available ||
	    pad_on == ag->cur_pad)
		return false;
	cancel_restoring(ag);
	return true;
}

int ag_cancel(struct ag *ag)
{
	if (!ag->running)
		return -ESRCH;
	if (ag->finishing)
		return 0;
	q_clear(ag);
	finish_restored(ag, AG_CANCELLED, heard(ag));
	return 0;
}

void ag_device_failed(struct ag *ag)
{
	if (!ag->running)
		return;
	fail(ag);
}
