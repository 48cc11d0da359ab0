// SPDX-License-Identifier: MIT
/* Gain: dB per step, snapping to the grid, ranges, relative changes. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "gain.h"
#include "util.h"

/* our driver's usual input: -10..60 dB in 0.5 dB steps (0..140) */
static const struct pa_gain_range half = { 0, 140, -10.0, 60.0 };
/* scarlett2 4th Gen: 0..70 over 0..69 dB */
static const struct pa_gain_range sc = { 0, 70, 0.0, 69.0 };

static void steps_and_values_follow_the_range(void **state)
{
	(void)state;
	assert_float_equal(pa_gain_step(&half), 0.5, 1e-12);
	assert_float_equal(pa_gain_db(&half, 0), -10.0, 1e-12);
	assert_float_equal(pa_gain_db(&half, 20), 0.0, 1e-12);
	assert_float_equal(pa_gain_db(&half, 140), 60.0, 1e-12);
	assert_float_equal(pa_gain_db(&half, 999), 60.0, 1e-12);	/* clamped */
	assert_float_equal(pa_gain_db(&half, -5), -10.0, 1e-12);
	assert_float_equal(pa_gain_step(&sc), 69.0 / 70.0, 1e-12);
}

static void set_gain_snaps_to_the_nearest_step(void **state)
{
	static const struct {
		double in;
		int r;
		long raw;
		double out;
	} v[] = {
		{ 0.0, 0, 20, 0.0 },
		{ 0.2, 0, 20, 0.0 },
		{ 0.3, 0, 21, 0.5 },
		{ 12.74, 0, 45, 12.5 },
		{ 12.76, 0, 46, 13.0 },
		{ -10.0, 0, 0, -10.0 },
		{ 60.0, 0, 140, 60.0 },
		{ 60.0000001, 0, 140, 60.0 },	/* float noise at the edge */
		{ 60.01, -ERANGE, 0, 0 },
		{ -10.5, -ERANGE, 0, 0 },
		{ 1e300, -ERANGE, 0, 0 },
		{ -1e300, -ERANGE, 0, 0 },
		{ NAN, -EINVAL, 0, 0 },
		{ INFINITY, -EINVAL, 0, 0 },
		{ -INFINITY, -EINVAL, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < PA_ARRAY_SIZE(v); i++) {
		long raw = -1;
		double out = -1;
		int r = pa_gain_snap(&half, v[i].in, &raw, &out);

		if (r != v[i].r)
			fail_msg("case %zu (%g): %d, not %d", i, v[i].in, r, v[i].r);
		if (r == 0) {
			assert_int_equal(raw, v[i].raw);
			assert_float_equal(out, v[i].out, 1e-12);
		}
	}
}

static void a_grid_that_is_not_whole_db_snaps_too(void **state)
{
	long raw;
	double out;

	(void)state;
	assert_int_equal(pa_gain_snap(&sc, 30.0, &raw, &out), 0);
	assert_int_equal(raw, 30);	/* 29.57 is nearer than 30.56 */
	assert_float_equal(out, 30 * 69.0 / 70.0, 1e-12);
	assert_int_equal(pa_gain_snap(&sc, 69.0, &raw, &out), 0);
	assert_int_equal(raw, 70);
}

static void adjust_gain_stops_at_the_ends(void **state)
{
	static const struct {
		long cur;
		double delta;
		long raw;
	} v[] = {
		{ 20, 3.0, 26 },
		{ 20, -3.0, 14 },
		{ 20, 0.1, 21 },	/* less than a step still moves one */
		{ 20, -0.1, 19 },
		{ 20, 0.0, 20 },
		{ 138, 5.0, 140 },	/* stops at the top */
		{ 140, 0.1, 140 },
		{ 2, -5.0, 0 },
		{ 0, -0.1, 0 },
		{ 20, 1e308, 140 },
		{ 20, -1e308, 0 },
		{ 500, -0.5, 139 },	/* a current value outside is clamped */
	};

	(void)state;
	for (size_t i = 0; i < PA_ARRAY_SIZE(v); i++) {
		long raw;
		double db;

		assert_int_equal(pa_gain_adjust(&half, v[i].cur, v[i].delta, &raw,
						 &db), 0);
		if (raw != v[i].raw)
			fail_msg("case %zu: %ld, not %ld", i, raw, v[i].raw);
		assert_float_equal(db, pa_gain_db(&half, raw), 1e-12);
	}
	long raw;
	double db;

	assert_int_equal(pa_gain_adjust(&half, 20, NAN, &raw, &db), -EINVAL);
	assert_int_equal(pa_gain_adjust(&half, 20, INFINITY, &raw, &db), -EINVAL);
}

static void restore_values_are_clamped_into_the_range(void **state)
{
	(void)state;
	assert_int_equal(pa_gain_clamp_raw(&half, 100.0), 140);
	assert_int_equal(pa_gain_clamp_raw(&half, -100.0), 0);
	assert_int_equal(pa_gain_clamp_raw(&half, NAN), 0);
	assert_int_equal(pa_gain_clamp_raw(&half, 12.5), 45);
}

static void ranges_are_checked(void **state)
{
	static const struct {
		struct pa_gain_range r;
		bool ok;
	} v[] = {
		{ { 0, 140, -10, 60 }, true },
		{ { 5, 5, 3, 3 }, true },
		{ { 5, 5, 3, 4 }, false },
		{ { 10, 0, 0, 10 }, false },
		{ { 0, 10, 10, 0 }, false },
		{ { 0, 10, 5, 5 }, false },
		{ { 0, 10, NAN, 5 }, false },
		{ { 0, 10, 0, INFINITY }, false },
		/* a step finer than any device's: 1e-300 dB, 1e-4 dB */
		{ { 0, 100, 0, 1e-298 }, false },
		{ { 0, 100000, 0, 10 }, false },
		{ { 0, 256, 0, 1 }, true },	/* UAC2's 1/256 dB */
	};

	(void)state;
	for (size_t i = 0; i < PA_ARRAY_SIZE(v); i++)
		assert_int_equal(pa_gain_range_valid(&v[i].r), v[i].ok);
	struct pa_gain_range one = { 5, 5, 3, 3 };

	assert_float_equal(pa_gain_step(&one), 0.0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(steps_and_values_follow_the_range),
		cmocka_unit_test(set_gain_snaps_to_the_nearest_step),
		cmocka_unit_test(a_grid_that_is_not_whole_db_snaps_too),
		cmocka_unit_test(adjust_gain_stops_at_the_ends),
		cmocka_unit_test(restore_values_are_clamped_into_the_range),
		cmocka_unit_test(ranges_are_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
