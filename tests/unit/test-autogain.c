// SPDX-License-Identifier: MIT
/*
 * The AutoGain state machine (daemon/preampd/core/autogain-core.c) against a
 * simulated input: a source of a given peak level (dBFS at 0 dB gain) in
 * front of a preamp with a gain range, a step grid and maybe a pad; the
 * peak at gain g is min(0, level + g - pad), the input clips when
 * level + g - pad > 0, and the meter reports the loudest peak of its window
 * rounded as the device (1/256 dB) and the driver (0.01 dBFS) round it.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "audio.h"
#include "autogain-core.h"

#define HISTORY_MS	8192	/* instantaneous levels kept (> the longest window) */
#define QUIET_INPUT	(-300.0)	/* what silence reads in the simulation */

/* ---- the simulated input ---- */

enum shape {
	STEADY,		/* the same peak all the time */
	SPEECH,		/* the loudest peak once a second, quieter syllables, pauses */
};

struct sim {
	/* the source */
	double level;		/* peak dBFS at 0 dB gain; -INFINITY: silence */
	enum shape shape;
	unsigned phase_ms;	/* SPEECH: where in each second the loudest peak is */
	/* the preamp */
	double gmin, gmax, step;
	double gain;
	bool pad_available, pad;
	double pad_true_db;	/* what the pad really attenuates */
	unsigned window_ms;
	/* the clock and what the meter saw */
	uint64_t now;
	bool warm;
	double hist[HISTORY_MS];	/* level at each ms */
	bool clip_since_read;
	/* faults */
	unsigned refuse;	/* bit n: the device refuses write n (1-based) */
	unsigned skip_reads_from, skip_reads_to;	/* no readings in this time */
	/* what happened */
	unsigned writes;
	unsigned max_pass;
	unsigned n_clipped;
	double clipped_gain[16];	/* settings read as clipped while listening */
	bool clipped_pad[16];
	struct ag_action finish;
	bool finished;
};

/* The source's own peak at time t (ms), before the preamp. */
static double source_at(const struct sim *s, uint64_t t)
{
	unsigned in_second = (unsigned)((t + 1000 - s->phase_ms % 1000) % 1000);

	if (s->level == -INFINITY)
		return QUIET_INPUT;
	if (s->shape == STEADY)
		return s->level;
	/* one 4 ms burst at full level each second; syllables 3 to 15 dB
	 * below it; pauses between them */
	if (in_second < 4)
		return s->level;
	if ((in_second / 125) % 2 == 0)
		return s->level - 3.0 - (double)((in_second / 250) % 4) * 4.0;
	return s->level - 40.0;
}

static double through_preamp(const struct sim *s, uint64_t t)
{
	return source_at(s, t) + s->gain - (s->pad ? s->pad_true_db : 0.0);
}

/* the clock moves one millisecond at a time */
static void advance_to(struct sim *s, uint64_t t)
{
	while (s->now < t) {
		double v;

		s->now++;
		v = through_preamp(s, s->now);
		s->hist[s->now % HISTORY_MS] = v;
		if (v > 0.0)
			s->clip_since_read = true;
	}
}

/* dB to the Level Meter's 0.01 dBFS as the device and the driver round it */
static double metered(double db)
{
	long q8, cdb;

	if (db < -200.0)
		return -INFINITY;
	if (db > 0.0)
		db = 0.0;
	q8 = lround(db * 256.0);
	cdb = lround((double)q8 * 100.0 / 256.0);
	if (cdb <= -9600)
		return -INFINITY;
	return (double)cdb / 100.0;
}

static void read_meter(struct sim *s, struct ag *ag)
{
	double peak = -INFINITY;
	bool clipped = s->clip_since_read;

	for (unsigned i = 0; i < s->window_ms; i++) {
		double v = s->hist[(s->now - i) % HISTORY_MS];

		if (v > peak)
			peak = v;
	}
	s->clip_since_read = false;
	if (s->now >= s->skip_reads_from && s->now < s->skip_reads_to)
		return;
	if (ag->listening && s->now >= ag->settle_until &&
	    (clipped || metered(peak) > AG_CLIP_DBFS) && s->n_clipped < 16) {
		s->clipped_gain[s->n_clipped] = s->gain;
		s->clipped_pad[s->n_clipped++] = s->pad;
	}
	ag_feed_level(ag, s->now, metered(peak), clipped);
}

static void sim_init(struct sim *s, double gmin, double gmax, double step,
		     double start_gain, double level)
{
	memset(s, 0, sizeof(*s));
	s->gmin = gmin;
	s->gmax = gmax;
	s->step = step;
	s->gain = start_gain;
	s->level = level;
	s->pad_true_db = 20.0;
	s->window_ms = 50;
	s->now = 10000;
	for (unsigned i = 0; i < HISTORY_MS; i++)
		s->hist[i] = QUIET_INPUT;
}

/* the input as it was set before the start, for two seconds */
static void sim_warm(struct sim *s)
{
	if (s->warm)
		return;
	s->warm = true;
	advance_to(s, s->now + 2000);
	s->clip_since_read = false;
}

static struct ag_params params_of(const struct sim *s, double target,
				  unsigned listen_ms, double pad_db)
{
	struct ag_params p = {
		.target_dbfs = target,
		.listen_ms = listen_ms,
		.gain_min_db = s->gmin,
		.gain_max_db = s->gmax,
		.gain_step_db = s->step,
		.gain_db = s->gain,
		.pad_available = s->pad_available,
		.pad_db = pad_db,
		.pad_on = s->pad,
		.meter_window_ms = s->window_ms,
	};

	return p;
}

static bool on_grid(const struct sim *s, double g)
{
	double k = (g - s->gmin) / s->step;

	return g >= s->gmin - 1e-9 && g <= s->gmax + 1e-9 &&
	       fabs(k - round(k)) < 1e-6;
}

/* Does what the machine says until it finishes; hook runs before every tick. */
typedef void (*sim_hook)(struct sim *s, struct ag *ag);

static void drive(struct sim *s, struct ag *ag, sim_hook hook)
{
	uint64_t next_read = s->now;
	unsigned guard = 0;

	while (!s->finished && guard++ < 100000) {
		struct ag_action a;

		if (hook)
			hook(s, ag);
		a = ag_tick(ag, s->now);
		switch (a.type) {
		case AG_ACT_SET_GAIN:
			s->writes++;
			if (s->refuse & (1u << s->writes)) {
				ag_device_failed(ag);
				break;
			}
			assert_true(isfinite(a.gain_db));
			s->gain = a.gain_db;
			/* the daemon reads back what it wrote */
			assert_false(ag_gain_observed(ag, s->gain));
			break;
		case AG_ACT_SET_PAD:
			s->writes++;
			assert_true(s->pad_available);
			if (s->refuse & (1u << s->writes)) {
				ag_device_failed(ag);
				break;
			}
			s->pad = a.pad_on;
			assert_false(ag_pad_observed(ag, s->pad));
			break;
		case AG_ACT_LISTEN:
			assert_true(a.until_ms > s->now);
			assert_true(a.poll_ms >= 1 && a.poll_ms <= s->window_ms);
			if (a.pass > s->max_pass)
				s->max_pass = a.pass;
			if (next_read < s->now)
				next_read = s->now;
			if (next_read <= a.until_ms) {
				advance_to(s, next_read);
				read_meter(s, ag);
				next_read += a.poll_ms;
			} else {
				advance_to(s, a.until_ms);
			}
			break;
		case AG_ACT_FINISH:
			s->finish = a;
			s->finished = true;
			break;
		case AG_ACT_NONE:
			fail_msg("the machine stopped without a FINISH");
			return;
		}
	}
	assert_true(s->finished);
}

/* the true loudest peak at the final setting */
static double final_peak(const struct sim *s)
{
	return s->level + s->gain - (s->pad ? s->pad_true_db : 0.0);
}

/* ---- the table: every start, source, pad and grid ---- */

struct grid {
	double gmin, gmax, step;
};

static const struct grid grids[] = {
	{ -10.0, 60.0, 0.5 },
	{ -10.0, 60.0, 1.0 },
	{ 0.0, 69.0, 1.0 },
	{ 0.0, 69.0, 0.5 },
};

enum pad_mode {
	PAD_NONE,		/* the input has no pad */
	PAD_KNOWN,		/* 20 dB, and the machine is told so */
	PAD_UNKNOWN,		/* 20 dB, attenuation not told (a boolean switch) */
	PAD_ON_KNOWN,		/* as PAD_KNOWN, switched on before the start */
	PAD_ON_UNKNOWN,
	PAD_MODES
};

/* whether some grid point puts level + g - pad into [lo, hi] */
static bool reachable(const struct grid *gr, double level, double pad_db,
		      double lo, double hi)
{
	long n = lround((gr->gmax - gr->gmin) / gr->step);

	for (long k = 0; k <= n; k++) {
		double p = level + gr->gmin + (double)k * gr->step - pad_db;

		if (p >= lo && p <= hi)
			return true;
	}
	return false;
}

struct tally {
	unsigned runs;
	unsigned by_result[AG_FAILED + 1];
	unsigned passes[AG_MAX_PASSES + 1];
};

static void check_case(const struct grid *gr, double start, double need,
		       enum pad_mode pm, double target, enum shape shape,
		       unsigned phase, struct tally *t)
{
	struct sim s;
	struct ag ag;
	struct ag_params p;
	double level = target - need;
	bool has_pad = pm != PAD_NONE;
	bool pad_known = pm == PAD_KNOWN || pm == PAD_ON_KNOWN;
	bool pad_start = pm == PAD_ON_KNOWN || pm == PAD_ON_UNKNOWN;
	double lo = target - AG_WINDOW_DB, hi = target;
	bool can_hit, can_miss_only;
	char what[200];

	sim_init(&s, gr->gmin, gr->gmax, gr->step, start, level);
	s.shape = shape;
	s.phase_ms = phase;
	s.pad_available = has_pad;
	s.pad = pad_start;
	sim_warm(&s);
	p = params_of(&s, target, 1000, pad_known ? 20.0 : NAN);
	snprintf(what, sizeof(what),
		 "range %g..%g step %g, start %g, needs %g dB (level %g), pad mode %d, target %g, shape %d",
		 gr->gmin, gr->gmax, gr->step, start, need, level, (int)pm,
		 target, (int)shape);

	ag_init(&ag);
	assert_int_equal(ag_start(&ag, &p), 0);
	drive(&s, &ag, NULL);

	/* the range allows the window (with or without the pad) ... */
	can_hit = reachable(gr, level, pad_start ? 20.0 : 0.0, lo + 0.02, hi - 0.02) ||
		  (has_pad && reachable(gr, level, pad_start ? 0.0 : 20.0,
					lo + 0.02, hi - 0.02));
	/* ... or it surely does not */
	can_miss_only = !reachable(gr, level, 0.0, lo, hi) &&
			!(has_pad && reachable(gr, level, 20.0, lo, hi));

	t->runs++;
	t->by_result[s.finish.result]++;
	t->passes[s.max_pass]++;

	if (s.max_pass > AG_MAX_PASSES)
		fail_msg("%s: %u passes", what, s.max_pass);
	assert_true(on_grid(&s, s.gain));
	/* never at a setting that clipped while listening */
	for (unsigned i = 0; i < s.n_clipped; i++)
		if (s.clipped_pad[i] == s.pad && s.gain >= s.clipped_gain[i] - 1e-9 &&
		    s.finish.result != AG_MIN_GAIN)
			fail_msg("%s: ends at %g dB, which clipped", what, s.gain);
	/* what the machine reports is what is set */
	assert_true(fabs(s.finish.gain_db - s.gain) < 1e-9);
	assert_true(s.finish.pad_on == s.pad);

	if (can_hit && s.finish.result != AG_DONE)
		fail_msg("%s: the range allows the window, result %s (gain %g, peak %g)",
			 what, ag_result_name(s.finish.result), s.gain,
			 final_peak(&s));
	if (s.finish.result == AG_DONE) {
		double fp = final_peak(&s);

		if (fp < lo || fp > hi)
			fail_msg("%s: done, but the peak is %g dBFS at %g dB", what,
				 fp, s.gain);
		/* the reported peak is the real one, to the meter's rounding */
		if (fabs(s.finish.peak_dbfs - fp) > 0.02)
			fail_msg("%s: reports %g dBFS, is %g", what,
				 s.finish.peak_dbfs, fp);
	} else if (!can_miss_only && !can_hit) {
		/* at the edge of the range, to the meter's rounding: either
		 * the window or the end of the range */
		double fp = final_peak(&s);

		if (s.finish.result == AG_MIN_GAIN)
			assert_true(fabs(s.gain - gr->gmin) < 1e-9 && fp > hi - 0.02);
		else if (s.finish.result == AG_MAX_GAIN)
			assert_true(fabs(s.gain - gr->gmax) < 1e-9 && fp < lo + 0.02);
		else
			fail_msg("%s: result %s at the edge", what,
				 ag_result_name(s.finish.result));
	} else if (can_miss_only) {
		double fp = final_peak(&s);

		switch (s.finish.result) {
		case AG_MAX_GAIN:
			/* the highest gain, the pad off, still below the window */
			assert_true(fabs(s.gain - gr->gmax) < 1e-9);
			assert_false(s.pad);
			if (fp >= lo)
				fail_msg("%s: max-gain at %g dBFS", what, fp);
			break;
		case AG_MIN_GAIN:
			/* the lowest gain, the pad on where there is one */
			assert_true(fabs(s.gain - gr->gmin) < 1e-9);
			assert_true(s.pad == has_pad);
			if (fp <= hi)
				fail_msg("%s: min-gain at %g dBFS", what, fp);
			break;
		case AG_TOO_QUIET:
			/* nothing above -80 dBFS even at the highest gain */
			assert_true(level + gr->gmax <= AG_QUIET_DBFS + 0.01);
			assert_true(fabs(s.gain - start) < 1e-9);
			break;
		default:
			fail_msg("%s: result %s", what,
				 ag_result_name(s.finish.result));
		}
	}
}

static void print_tally(const char *name, const struct tally *t)
{
	printf("# %s: %u runs:", name, t->runs);
	for (unsigned r = AG_DONE; r <= AG_FAILED; r++)
		if (t->by_result[r])
			printf(" %s %u", ag_result_name((enum ag_result)r),
			       t->by_result[r]);
	printf("; passes");
	for (unsigned i = 1; i <= AG_MAX_PASSES; i++)
		printf(" %u:%u", i, t->passes[i]);
	printf("\n");
}

/* Every grid, every pad mode, lowest/middle/highest start, sources needing
 * from 25 dB below the range to 15 dB beyond it. */
static void test_steady_sources_land_in_window(void **state)
{
	struct tally t = { 0 };

	(void)state;
	for (size_t g = 0; g < sizeof(grids) / sizeof(grids[0]); g++) {
		const struct grid *gr = &grids[g];
		double mid = gr->gmin + round((gr->gmax - gr->gmin) / 2 / gr->step) * gr->step;
		double starts[] = { gr->gmin, mid, gr->gmax };

		for (int pm = 0; pm < PAD_MODES; pm++)
			for (size_t si = 0; si < 3; si++)
				for (double need = gr->gmin - 25.0;
				     need <= gr->gmax + 15.0; need += 1.37)
					check_case(gr, starts[si], need,
						   (enum pad_mode)pm, -4.0,
						   STEADY, 0, &t);
	}
	print_tally("steady, target -4", &t);
	assert_int_equal(t.passes[0], 0);
}

/* Exact grid points and their neighbours: the rounding edges. */
static void test_edges_of_the_grid(void **state)
{
	struct tally t = { 0 };
	static const double offsets[] = { 0.0, 0.001, 0.004, 0.006, 0.01,
					  0.011, 0.25, 0.49, 0.5, 0.51, 0.99,
					  1.0, 1.49, 1.5, 1.51 };

	(void)state;
	for (size_t g = 0; g < sizeof(grids) / sizeof(grids[0]); g++) {
		const struct grid *gr = &grids[g];

		for (double base = gr->gmin - 1.0; base <= gr->gmax + 1.0;
		     base += 7.0)
			for (size_t o = 0; o < sizeof(offsets) / sizeof(offsets[0]); o++) {
				check_case(gr, gr->gmax, base + offsets[o],
					   PAD_NONE, -4.0, STEADY, 0, &t);
				check_case(gr, gr->gmin, base - offsets[o],
					   PAD_KNOWN, -4.0, STEADY, 0, &t);
			}
	}
	print_tally("grid edges", &t);
}

/* Other targets, 0 dBFS included (full scale itself is a clip). */
static void test_other_targets(void **state)
{
	struct tally t = { 0 };
	static const double targets[] = { 0.0, -1.0, -12.0, -18.0, -40.0 };

	(void)state;
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		for (double need = -30.0; need <= 75.0; need += 2.9) {
			check_case(&grids[0], 30.0, need, PAD_NONE, targets[i],
				   STEADY, 0, &t);
			check_case(&grids[2], 69.0, need, PAD_UNKNOWN,
				   targets[i], STEADY, 0, &t);
		}
	print_tally("other targets", &t);
}

/* Speech: the loudest peak once a second, anywhere in the second. */
static void test_speech_loudest_peak_once_a_second(void **state)
{
	struct tally t = { 0 };

	(void)state;
	for (unsigned phase = 0; phase < 1000; phase += 97)
		for (double need = -20.0; need <= 75.0; need += 4.3) {
			check_case(&grids[0], 60.0, need, PAD_KNOWN, -4.0,
				   SPEECH, phase, &t);
			check_case(&grids[2], 0.0, need, PAD_NONE, -4.0,
				   SPEECH, phase, &t);
			check_case(&grids[1], 25.0, need, PAD_ON_UNKNOWN, -4.0,
				   SPEECH, phase, &t);
		}
	print_tally("speech", &t);
}

/* ---- single behaviours ---- */

static void start(struct sim *s, struct ag *ag, double target, double pad_db)
{
	struct ag_params p;

	sim_warm(s);
	p = params_of(s, target, 1000, pad_db);
	ag_init(ag);
	assert_int_equal(ag_start(ag, &p), 0);
}

static void test_silence_is_too_quiet_and_restores(void **state)
{
	struct sim s;
	struct ag ag;

	(void)state;
	sim_init(&s, -10, 60, 0.5, 12.5, -INFINITY);
	start(&s, &ag, -4.0, NAN);
	assert_string_equal(ag_state_name(&ag), "listening");
	drive(&s, &ag, NULL);
	assert_int_equal(s.finish.result, AG_TOO_QUIET);
	assert_true(s.gain == 12.5);
	assert_true(s.finish.gain_db == 12.5);
	assert_true(s.finish.peak_dbfs == -INFINITY);
	assert_int_equal(s.max_pass, 2);	/* 12.5 dB, then 60 dB */
	assert_string_equal(ag_state_name(&ag), "too-quiet");
	assert_int_equal(ag_tick(&ag, s.now).type, AG_ACT_NONE);
}

static void test_below_minus_80_at_max_gain_is_too_quiet(void **state)
{
	struct sim s;
	struct ag ag;

	(void)state;
	sim_init(&s, 0, 69, 1, 69, -69.0 - 81.0);
	start(&s, &ag, -4.0, NAN);
	drive(&s, &ag, NULL);
	assert_int_equal(s.finish.result, AG_TOO_QUIET);
	assert_int_equal(s.max_pass, 1);
	assert_true(s.finish.peak_dbfs <= -80.0);
}

/* cancels once the second pass has begun */
static void cancel_in_pass_2(struct sim *s, struct ag *ag)
{
	if (ag->pass == 2 && ag->listening && s->now > ag->settle_until + 100)
		assert_int_equal(ag_cancel(ag), 0);
}

static void test_cancel_restores_gain_and_pad(void **state)
{
	struct sim s;
	struct ag ag;

	(void)state;
	/* clips at 40 dB: pass 2 listens at -10 dB */
	sim_init(&s, -10, 60, 0.5, 40.0, -30.0);
	start(&s, &ag, -4.0, NAN);
	drive(&s, &ag, cancel_in_pass_2);
	assert_int_equal(s.finish.result, AG_CANCELLED);
	assert_true(s.gain == 40.0);
	assert_true(s.finish.gain_db == 40.0);
	assert_string_equal(ag_state_name(&ag), "cancelled");

	/* the pad goes back off too: clips at the lowest gain, pad on */
	sim_init(&s, -10, 60, 0.5, -10.0, 15.0);
	s.pad_available = true;
	start(&s, &ag, -4.0, 20.0);
	drive(&s, &ag, cancel_in_pass_2);
	assert_int_equal(s.finish.result, AG_CANCELLED);
	assert_false(s.pad);
	assert_true(s.gain == -10.0);
	assert_int_equal(ag_cancel(&ag), -ESRCH);
}

static void knob_in_pass_1(struct sim *s, struct ag *ag)
{
	/* once: the restore that follows is AutoGain's own write */
	if (ag->running && !ag->finishing && ag->pass == 1 &&
	    s->now > ag->settle_until + 300 && s->gain != 33.0) {
		s->gain = 33.0;		/* a front-panel knob */
		assert_true(ag_gain_observed(ag, s->gain));
	}
}

static void pad_button_in_pass_2(struct sim *s, struct ag *ag)
{
	if (ag->running && !ag->finishing && ag->pass == 2 && ag->listening &&
	    s->now > ag->settle_until + 10 && !s->pad) {
		s->pad = true;
		assert_true(ag_pad_observed(ag, true));
	}
}

static void test_external_change_cancels(void **state)
{
	struct sim s;
	struct ag ag;

	(void)state;
	sim_init(&s, -10, 60, 0.5, 20.0, -40.0);
	start(&s, &ag, -4.0, NAN);
	drive(&s, &ag, knob_in_pass_1);
	assert_int_equal(s.finish.result, AG_CANCELLED);
	/* the gain from before AutoGain goes back over theirs */
	assert_true(s.gain == 20.0);
	assert_true(s.finish.gain_db == 20.0);
	assert_true(s.writes >= 1);

	sim_init(&s, -10, 60, 0.5, 60.0, -40.0);
	s.pad_available = true;
	start(&s, &ag, -4.0, 20.0);
	drive(&s, &ag, pad_button_in_pass_2);
	assert_int_equal(s.finish.result, AG_CANCELLED);
	/* the pad and gain from before AutoGain go back */
	assert_false(s.finish.pad_on);
	assert_true(s.finish.gain_db == 60.0);
}

static void test_own_writes_do_not_cancel(void **state)
{
	struct sim s;
	struct ag ag;

	(void)state;
	/* a gain off the grid at the start is not someone's change */
	sim_init(&s, -10, 60, 0.5, 20.2, -40.0);
	start(&s, &ag, -4.0, NAN);
	assert_false(ag_gain_observed(&ag, 20.2));
	assert_false(ag_gain_observed(&ag, NAN));
	assert_false(ag_pad_observed(&ag, true));	/* it has no pad */
	drive(&s, &ag, NULL);
	assert_int_equal(s.finish.result, AG_DONE);
	assert_true(s.finish.gain_db == s.gain);
	/* after the end, nothing is anyone's change */
	assert_false(ag_gain_observed(&ag, 0.0));

	/* already in the window: nothing is written */
	sim_init(&s, -10, 60, 0.5, 20.0, -24.2);
	start(&s, &ag, -4.0, NAN);
	drive(&s, &ag, NULL);
	assert_int_equal(s.finish.result, AG_DONE);
	assert_int_equal(s.writes, 0);
	assert_true(s.finish.gain_db == 20.0);
}

/* A gain off the grid at the start (a device with its own steps, a knob
 * between them): the peak heard belongs to that gain, and the result is
 * on the grid. */
static void test_start_off_the_grid(void **state)
{
	static const double starts[] = { 20.2, 20.4, 20.6, 33.7, 59.9, -9.9 };

	(void)state;
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		for (double need = -8.0; need <= 58.0; need += 0.13) {
			struct sim s;
			struct ag ag;
			double fp;

			sim_init(&s, -10, 60, 0.5, starts[i], -4.0 - need);
			start(&s, &ag, -4.0, NAN);
			drive(&s, &ag, NULL);
			fp = final_peak(&s);
			if (s.finish.result != AG_DONE || fp > -4.0 || fp < -5.5 ||
			    s.max_pass > AG_MAX_PASSES || !on_grid(&s, s.gain) ||
			    s.finish.gain_db != s.gain)
				fail_msg("from %g dB, needs %g: %s at %g dB, peak %g, %u passes",
					 starts[i], need,
					 ag_result_name(s.finish.result), s.gain,
					 fp, s.max_pass);
		}
}

/* A capture stream's readings cover the audio they were computed from:
 * late readings after an overrun's gap do not end the pass early. */
static void test_span_counts_audio_not_time(void **state)
{
	struct ag ag;
	struct ag_params p = {
		.target_dbfs = -4.0, .listen_ms = 1000,
		.gain_min_db = 0, .gain_max_db = 50, .gain_step_db = 1,
		.gain_db = 20, .meter_window_ms = 100,
	};
	struct ag_action a;
	uint64_t now = 0;

	(void)state;
	ag_init(&ag);
	assert_int_equal(ag_start(&ag, &p), 0);
	assert_int_equal(ag_tick(&ag, now).type, AG_ACT_LISTEN);
	/* 40 readings 30 ms apart, 10 ms of audio each: 400 ms heard */
	for (unsigned i = 0; i < 40; i++) {
		now += 30;
		ag_feed_span(&ag, now, 10000, -30.0, false);
		a = ag_tick(&ag, now);
		assert_int_equal(a.type, AG_ACT_LISTEN);
		assert_true(a.until_ms >= now + 1000 - 10 * (i + 1) - 1);
	}
	/* then the stream keeps up: 600 ms more end the pass */
	for (unsigned i = 0; i < 30; i++) {
		now += 20;
		ag_feed_span(&ag, now, 20000, -30.0, false);
		a = ag_tick(&ag, now);
		if (i < 29)
			assert_int_equal(a.type, AG_ACT_LISTEN);
	}
	assert_int_equal(a.type, AG_ACT_SET_GAIN);
	assert_true(fabs(a.gain_db - 45.0) < 1e-9);
}

static void test_device_failure_fails(void **state)
{
	struct sim s;
	struct ag ag;

	(void)state;
	/* the first write (the drop after a clip) is refused: the restore
	 * is refused too */
	sim_init(&s, -10, 60, 0.5, 50.0, -30.0);
	s.refuse = ~0u;
	start(&s, &ag, -4.0, NAN);
	drive(&s, &ag, NULL);
	assert_int_equal(s.finish.result, AG_FAILED);
	assert_true(isnan(s.finish.gain_db));
	assert_string_equal(ag_state_name(&ag), "failed");

	/* the final write is refused; the restore works */
	sim_init(&s, -10, 60, 0.5, 10.0, -40.0);
	s.refuse = 1u << 1;
	start(&s, &ag, -4.0, NAN);
	drive(&s, &ag, NULL);
	assert_int_equal(s.finish.result, AG_FAILED);
	assert_int_equal(s.writes, 2);	/* the refused one, the restore */
	assert_true(s.gain == 10.0);
	assert_true(s.finish.gain_db == 10.0);

	/* a device that vanishes while listening */
	sim_init(&s, -10, 60, 0.5, 10.0, -40.0);
	start(&s, &ag, -4.0, NAN);
	assert_int_equal(ag_tick(&ag, s.now).type, AG_ACT_LISTEN);
	ag_device_failed(&ag);
	{
		struct ag_action a = ag_tick(&ag, s.now);

		assert_int_equal(a.type, AG_ACT_FINISH);
		assert_int_equal(a.result, AG_FAILED);
	}
}

static void test_unusable_readings(void **state)
{
	struct ag ag;
	struct sim s;
	struct ag_params p;
	struct ag_action a;
	uint64_t t;

	(void)state;
	sim_init(&s, -10, 60, 0.5, 10.0, -40.0);
	sim_warm(&s);
	p = params_of(&s, -4.0, 1000, NAN);
	ag_init(&ag);
	assert_int_equal(ag_start(&ag, &p), 0);
	a = ag_tick(&ag, 1000);
	assert_int_equal(a.type, AG_ACT_LISTEN);
	assert_int_equal(a.until_ms, 2000);
	assert_int_equal(a.poll_ms, 25);
	/* NaN covers nothing; the pass goes on to twice its length */
	for (t = 1025; t < 3000; t += 25) {
		ag_feed_level(&ag, t, NAN, false);
		a = ag_tick(&ag, t);
		assert_int_equal(a.type, AG_ACT_LISTEN);
		assert_true(a.until_ms > t && a.until_ms <= 3000);
	}
	a = ag_tick(&ag, 3000);
	/* no usable reading in a whole pass: the device is not answering */
	assert_int_equal(a.type, AG_ACT_FINISH);
	assert_int_equal(a.result, AG_FAILED);
	assert_true(a.gain_db == 10.0);

	/* out-of-range peaks: +inf and +3 dBFS are clips, -inf silence */
	ag_init(&ag);
	assert_int_equal(ag_start(&ag, &p), 0);
	a = ag_tick(&ag, 1000);
	ag_feed_level(&ag, 1025, -INFINITY, false);
	ag_feed_level(&ag, 1050, -1e300, false);
	assert_int_equal(ag_tick(&ag, 1050).type, AG_ACT_LISTEN);
	ag_feed_level(&ag, 1075, 3.0, false);
	a = ag_tick(&ag, 1075);
	assert_int_equal(a.type, AG_ACT_SET_GAIN);
	assert_true(a.gain_db == -10.0);
	a = ag_tick(&ag, 1075);
	assert_int_equal(a.type, AG_ACT_LISTEN);
	assert_int_equal(a.pass, 2);
	/* readings during the settle time are not used */
	ag_feed_level(&ag, 1100, INFINITY, true);
	a = ag_tick(&ag, 1100);
	assert_int_equal(a.type, AG_ACT_LISTEN);
	assert_int_equal(a.pass, 2);
	assert_int_equal(a.until_ms, 1075 + 100 + 1000);
}

static void test_gaps_lengthen_the_pass(void **state)
{
	struct sim s;
	struct ag ag;

	(void)state;
	/* the loudest peak comes 0.5 s, 1.5 s, ... after the start; the
	 * reader misses everything from 0.1 s to 1.1 s: the pass listens on
	 * until it has heard a whole second, the peak at 1.5 s included */
	sim_init(&s, -10, 60, 0.5, 10.0, -30.0);
	s.shape = SPEECH;
	s.phase_ms = (unsigned)((s.now + 2000 + 500) % 1000);
	sim_warm(&s);
	s.skip_reads_from = (unsigned)s.now + 100;
	s.skip_reads_to = (unsigned)s.now + 1100;
	start(&s, &ag, -4.0, NAN);
	drive(&s, &ag, NULL);
	assert_int_equal(s.finish.result, AG_DONE);
	assert_true(final_peak(&s) <= -4.0 && final_peak(&s) >= -5.5);
}

static void test_at_most_three_passes_worst_case(void **state)
{
	struct sim s;
	struct ag ag;

	(void)state;
	/* highest gain, a source that clips even at the lowest gain with
	 * the pad: clip, clip, pad clip */
	sim_init(&s, -10, 60, 0.5, 60.0, 40.0);
	s.pad_available = true;
	start(&s, &ag, -4.0, NAN);
	drive(&s, &ag, NULL);
	assert_int_equal(s.finish.result, AG_MIN_GAIN);
	assert_int_equal(s.max_pass, 3);
	assert_true(s.pad && s.gain == -10.0);
	assert_true(s.finish.peak_dbfs == 0.0);

	/* the same without a pad: two passes */
	sim_init(&s, -10, 60, 0.5, 60.0, 40.0);
	start(&s, &ag, -4.0, NAN);
	drive(&s, &ag, NULL);
	assert_int_equal(s.finish.result, AG_MIN_GAIN);
	assert_int_equal(s.max_pass, 2);

	/* a source that needs the pad and 5 dB: clip, clip, measure */
	sim_init(&s, 0, 69, 1, 69, -4.0 - 5.0 + 20.0);
	s.pad_available = true;
	start(&s, &ag, -4.0, NAN);
	drive(&s, &ag, NULL);
	assert_int_equal(s.finish.result, AG_DONE);
	assert_int_equal(s.max_pass, 3);
	/* the meter's rounding costs one step where the fit is exact */
	assert_true(s.pad && s.gain == 4.0);
}

static void test_bad_parameters(void **state)
{
	static const struct {
		const char *what;
		struct ag_params p;
	} bad[] = {
		{ "target above 0", { 0.5, 1000, -10, 60, 0.5, 0, false, 0, false, 50, 0 } },
		{ "target NaN", { NAN, 1000, -10, 60, 0.5, 0, false, 0, false, 50, 0 } },
		{ "target -61", { -61, 1000, -10, 60, 0.5, 0, false, 0, false, 50, 0 } },
		{ "listen 999", { -4, 999, -10, 60, 0.5, 0, false, 0, false, 50, 0 } },
		{ "listen 60001", { -4, 60001, -10, 60, 0.5, 0, false, 0, false, 50, 0 } },
		{ "min = max", { -4, 1000, 60, 60, 0.5, 60, false, 0, false, 50, 0 } },
		{ "min > max", { -4, 1000, 60, -10, 0.5, 0, false, 0, false, 50, 0 } },
		{ "step 0", { -4, 1000, -10, 60, 0, 0, false, 0, false, 50, 0 } },
		{ "step -1", { -4, 1000, -10, 60, -1, 0, false, 0, false, 50, 0 } },
		{ "step off the range", { -4, 1000, -10, 60, 0.3, 0, false, 0, false, 50, 0 } },
		/* a grid of 100 steps of 1e-300 dB: every division by the step
		 * would leave the range of long */
		{ "step 1e-300", { -4, 1000, 0, 1e-298, 1e-300, 0, false, 0, false, 50, 0 } },
		{ "step NaN", { -4, 1000, -10, 60, NAN, 0, false, 0, false, 50, 0 } },
		{ "gain inf", { -4, 1000, -10, 60, 0.5, INFINITY, false, 0, false, 50, 0 } },
		{ "min -inf", { -4, 1000, -INFINITY, 60, 0.5, 0, false, 0, false, 50, 0 } },
		{ "range 1000 dB", { -4, 1000, -500, 500, 0.5, 0, false, 0, false, 50, 0 } },
		{ "window 0", { -4, 1000, -10, 60, 0.5, 0, false, 0, false, 0, 0 } },
		{ "window 5001", { -4, 1000, -10, 60, 0.5, 0, false, 0, false, 5001, 0 } },
		{ "settle 60001", { -4, 1000, -10, 60, 0.5, 0, false, 0, false, 50, 60001 } },
	};
	struct ag ag;
	struct ag_params good = { -4, 1000, -10, 60, 0.5, 0, true, NAN, false, 50, 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ag_init(&ag);
		if (ag_start(&ag, &bad[i].p) != -EINVAL)
			fail_msg("%s: accepted", bad[i].what);
		assert_string_equal(ag_state_name(&ag), "idle");
		assert_int_equal(ag_tick(&ag, 0).type, AG_ACT_NONE);
	}
	ag_init(&ag);
	assert_int_equal(ag_start(&ag, &good), 0);
	assert_int_equal(ag_start(&ag, &good), -EBUSY);
	/* a gain outside the range is taken as the nearest end */
	good.gain_db = 75.0;
	ag_init(&ag);
	assert_int_equal(ag_start(&ag, &good), 0);
}

static void test_result_names(void **state)
{
	static const struct {
		enum ag_result r;
		const char *name;
	} names[] = {
		{ AG_RESULT_NONE, "idle" }, { AG_DONE, "done" },
		{ AG_MAX_GAIN, "max-gain" }, { AG_MIN_GAIN, "min-gain" },
		{ AG_TOO_QUIET, "too-quiet" }, { AG_CANCELLED, "cancelled" },
		{ AG_FAILED, "failed" }, { (enum ag_result)99, "failed" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(ag_result_name(names[i].r), names[i].name);
}

/* ---- the emulated interface's own speech source, sample by sample ---- */

/*
 * The emulator's speech source (tests/emulator/audio.c) rendered at 48 kHz
 * through the gain and pad, clipped at full scale, metered in 1 ms blocks
 * over a 100 ms window as the emulated device does, rounded to 1/256 dBFS
 * and to the driver's 0.01 dBFS.
 */
struct emu_run {
	struct emu_source src;
	struct emu_meter meter;
	uint64_t frame;
	double gain, pad_db;
	bool pad;
	uint16_t clips_seen;
};

static void emu_advance(struct emu_run *e, unsigned ms)
{
	double x[EMU_BLOCK_FRAMES];
	int16_t out[EMU_BLOCK_FRAMES];

	for (unsigned i = 0; i < ms; i++) {
		double g = e->gain - (e->pad ? e->pad_db : 0.0);
		unsigned peak;

		emu_source_block(&e->src, e->frame, x, EMU_BLOCK_FRAMES);
		peak = emu_render_block(&e->meter, x, EMU_BLOCK_FRAMES,
					emu_db_to_lin(g), out, 1);
		emu_meter_block(&e->meter, e->frame / EMU_BLOCK_FRAMES,
				(uint16_t)peak);
		e->frame += EMU_BLOCK_FRAMES;
	}
}

static double emu_reading(struct emu_run *e, bool *clipped)
{
	int16_t q8 = emu_meter_peak(&e->meter, e->frame / EMU_BLOCK_FRAMES, 100);
	long cdb;

	*clipped = e->meter.clip_count != e->clips_seen;
	e->clips_seen = e->meter.clip_count;
	if (q8 == -32768)
		return -INFINITY;
	cdb = lround((double)q8 * 100.0 / 256.0);
	return cdb <= -9600 ? -INFINITY : (double)cdb / 100.0;
}

static void test_emulated_speech(void **state)
{
	static const struct {
		double level, start;
		bool pad;
		enum ag_result result;
	} cases[] = {
		{ -50.0, 0.0, false, AG_DONE },
		{ -50.0, 60.0, false, AG_DONE },
		{ -20.0, 60.0, false, AG_DONE },
		{ -60.0, 20.0, false, AG_DONE },
		{ 4.0, 30.0, true, AG_DONE },		/* needs -8 dB */
		{ 12.0, 60.0, true, AG_DONE },		/* needs the pad */
		{ 30.0, 60.0, true, AG_MIN_GAIN },
		{ -90.0, 0.0, false, AG_MAX_GAIN },
		/* 16-bit samples at -63 dBFS: 23.3 steps read as 23, 0.1 dB
		 * low; at 59 dB the peak would be -3.95 dBFS */
		{ -62.95, 0.0, false, AG_DONE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct emu_run e;
		struct ag ag;
		struct ag_params p = {
			.target_dbfs = -4.0, .listen_ms = 1000,
			.gain_min_db = -10, .gain_max_db = 60,
			.gain_step_db = 0.5, .gain_db = cases[i].start,
			.pad_available = cases[i].pad, .pad_db = 20.0,
			.meter_window_ms = 100,
		};
		uint64_t now = 0;
		unsigned passes = 0;
		struct ag_action a;
		double final;

		memset(&e, 0, sizeof(e));
		e.src.shape = EMU_SHAPE_SPEECH;
		e.src.level_dbfs = cases[i].level;
		e.src.seed = 7 + (uint32_t)i;
		e.gain = cases[i].start;
		e.pad_db = 20.0;
		emu_advance(&e, 1200);
		emu_reading(&e, &(bool){ false });
		ag_init(&ag);
		assert_int_equal(ag_start(&ag, &p), 0);
		for (;;) {
			a = ag_tick(&ag, now);
			if (a.type == AG_ACT_SET_GAIN) {
				e.gain = a.gain_db;
			} else if (a.type == AG_ACT_SET_PAD) {
				e.pad = a.pad_on;
			} else if (a.type == AG_ACT_LISTEN) {
				bool clipped;
				double peak;

				passes = a.pass;
				emu_advance(&e, a.poll_ms);
				now += a.poll_ms;
				peak = emu_reading(&e, &clipped);
				ag_feed_level(&ag, now, peak, clipped);
			} else {
				break;
			}
		}
		assert_int_equal(a.type, AG_ACT_FINISH);
		if (a.result != cases[i].result)
			fail_msg("level %g from %g dB: %s", cases[i].level,
				 cases[i].start, ag_result_name(a.result));
		assert_true(passes <= AG_MAX_PASSES);
		/* the loudest sample at the final setting */
		final = cases[i].level + e.gain - (e.pad ? 20.0 : 0.0);
		printf("# emulated speech %g dBFS from %g dB: %s at %g dB%s, peak %.2f, %u passes\n",
		       cases[i].level, cases[i].start, ag_result_name(a.result),
		       e.gain, e.pad ? " + pad" : "", final, passes);
		if (a.result == AG_DONE)
			assert_true(final <= -4.0 && final >= -5.5);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steady_sources_land_in_window),
		cmocka_unit_test(test_edges_of_the_grid),
		cmocka_unit_test(test_other_targets),
		cmocka_unit_test(test_speech_loudest_peak_once_a_second),
		cmocka_unit_test(test_silence_is_too_quiet_and_restores),
		cmocka_unit_test(test_below_minus_80_at_max_gain_is_too_quiet),
		cmocka_unit_test(test_cancel_restores_gain_and_pad),
		cmocka_unit_test(test_external_change_cancels),
		cmocka_unit_test(test_own_writes_do_not_cancel),
		cmocka_unit_test(test_start_off_the_grid),
		cmocka_unit_test(test_span_counts_audio_not_time),
		cmocka_unit_test(test_device_failure_fails),
		cmocka_unit_test(test_unusable_readings),
		cmocka_unit_test(test_gaps_lengthen_the_pass),
		cmocka_unit_test(test_at_most_three_passes_worst_case),
		cmocka_unit_test(test_bad_parameters),
		cmocka_unit_test(test_result_names),
		cmocka_unit_test(test_emulated_speech),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
