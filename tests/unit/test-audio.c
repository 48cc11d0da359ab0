// SPDX-License-Identifier: MIT
/* The emulator's sources, sample path and meters. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "audio.h"
#include "preamp-protocol.h"

static double peak_db(const struct emu_source *src, uint64_t from, uint64_t n)
{
	double peak = 0.0;

	for (uint64_t f = from; f < from + n; f++) {
		double x = fabs(emu_source_sample(src, f));

		if (x > peak)
			peak = x;
	}
	return 20.0 * log10(peak);
}

static void sine_peak_is_its_level(void **state)
{
	static const double levels[] = { 0.0, -6.0, -12.0, -40.0, -80.0 };

	(void)state;
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		struct emu_source s = { EMU_SHAPE_SINE, levels[i], 1 };

		assert_float_equal(peak_db(&s, 1000, 480), levels[i], 0.01);
	}
}

static void silence_is_zero(void **state)
{
	struct emu_source s = { EMU_SHAPE_SILENCE, 0.0, 1 };

	(void)state;
	for (uint64_t f = 0; f < 4800; f++)
		assert_true(emu_source_sample(&s, f) == 0.0);
}

/* Speech: every second reaches the level, syllables lie 0..-15 dB below. */
static void speech_reaches_full_level_every_second(void **state)
{
	struct emu_source s = { EMU_SHAPE_SPEECH, -20.0, 7 };

	(void)state;
	for (uint64_t sec = 0; sec < 10; sec++)
		assert_float_equal(peak_db(&s, sec * EMU_RATE, EMU_RATE), -20.0,
				   0.05);
	/* and any one-second window does too, not only whole seconds */
	assert_float_equal(peak_db(&s, EMU_RATE / 3, EMU_RATE), -20.0, 0.05);
}

static void speech_syllables_vary_within_15_db(void **state)
{
	struct emu_source s = { EMU_SHAPE_SPEECH, 0.0, 3 };
	double lowest = 0.0, highest = -100.0;
	const uint64_t slot = EMU_RATE / 4;

	(void)state;
	for (uint64_t i = 0; i < 40; i++) {
		double p = peak_db(&s, i * slot, slot);

		if (p < lowest)
			lowest = p;
		if (p > highest)
			highest = p;
	}
	assert_true(lowest >= -15.05);
	assert_true(lowest < -8.0);		/* they really vary */
	assert_float_equal(highest, 0.0, 0.05);
}

static void speech_crest_factor_is_about_15_db(void **state)
{
	struct emu_source s = { EMU_SHAPE_SPEECH, 0.0, 11 };
	double sum = 0.0, peak = 0.0, crest;
	const uint64_t n = 10 * EMU_RATE;

	(void)state;
	for (uint64_t f = 0; f < n; f++) {
		double x = emu_source_sample(&s, f);

		sum += x * x;
		if (fabs(x) > peak)
			peak = fabs(x);
	}
	crest = 20.0 * log10(peak / sqrt(sum / n));
	assert_true(crest > 12.5 && crest < 17.5);
}

static void speech_differs_between_seeds(void **state)
{
	struct emu_source a = { EMU_SHAPE_SPEECH, 0.0, 1 };
	struct emu_source b = { EMU_SHAPE_SPEECH, 0.0, 2 };
	int differ = 0;

	(void)state;
	for (uint64_t f = 12000; f < 24000; f += 7)
		differ += emu_source_sample(&a, f) != emu_source_sample(&b, f);
	assert_true(differ > 100);
}

static void samples_clip_at_full_scale_and_count_runs(void **state)
{
	struct emu_meter m;

	(void)state;
	emu_meter_reset(&m);
	assert_int_equal(emu_render_sample(&m, 0.5, 1.0), 16384);
	assert_int_equal(emu_render_sample(&m, -1.0, 1.0), -32767);
	assert_int_equal(m.clip_count, 0);	/* full scale is not a clip */
	assert_int_equal(emu_render_sample(&m, 1.0, 2.0), 32767);
	assert_int_equal(emu_render_sample(&m, 1.0, 1e30), 32767);
	assert_int_equal(m.clip_count, 1);	/* one run, one event */
	assert_true(m.clipped);
	assert_int_equal(emu_render_sample(&m, 0.1, 1.0), 3277);
	assert_int_equal(emu_render_sample(&m, -1.0, 4.0), -32767);
	assert_int_equal(m.clip_count, 2);
}

static void clip_count_wraps_at_65536(void **state)
{
	struct emu_meter m;

	(void)state;
	emu_meter_reset(&m);
	m.clip_count = 65535;
	emu_render_sample(&m, 1.0, 2.0);
	assert_int_equal(m.clip_count, 0);
}

static const struct {
	unsigned int magnitude;
	int q8;
} peak_cases[] = {
	{ 0, PAMP_METER_SILENCE },
	{ 32767, 0 },
	{ 16384, -1541 },	/* -6.02 dBFS */
	{ 3277, -5120 },	/* -20.00 dBFS */
	{ 1, -23119 },		/* one LSB: -90.31 dBFS */
};

static void peaks_convert_to_q8_dbfs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(peak_cases) / sizeof(peak_cases[0]); i++)
		assert_int_equal(emu_peak_to_q8(peak_cases[i].magnitude),
				 peak_cases[i].q8);
}

static void meter_holds_the_peak_over_its_window(void **state)
{
	struct emu_meter m;

	(void)state;
	emu_meter_reset(&m);
	for (uint64_t b = 0; b < 300; b++)
		emu_meter_block(&m, b, b == 120 ? 16384 : 1000);
	/* block 120 is inside a 200 ms window ending at 300, not 100 ms */
	assert_int_equal(emu_meter_peak(&m, 300, 200), emu_peak_to_q8(16384));
	assert_int_equal(emu_meter_peak(&m, 300, 100), emu_peak_to_q8(1000));
	/* a window longer than the history seen so far uses what there is */
	assert_int_equal(emu_meter_peak(&m, 130, 1000), emu_peak_to_q8(16384));
	assert_int_equal(emu_meter_peak(&m, 0, 100), PAMP_METER_SILENCE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sine_peak_is_its_level),
		cmocka_unit_test(silence_is_zero),
		cmocka_unit_test(speech_reaches_full_level_every_second),
		cmocka_unit_test(speech_syllables_vary_within_15_db),
		cmocka_unit_test(speech_crest_factor_is_about_15_db),
		cmocka_unit_test(speech_differs_between_seeds),
		cmocka_unit_test(samples_clip_at_full_scale_and_count_runs),
		cmocka_unit_test(clip_count_wraps_at_65536),
		cmocka_unit_test(peaks_convert_to_q8_dbfs),
		cmocka_unit_test(meter_holds_the_peak_over_its_window),
	};

	return cmocka_run_group_tests_name("emulator audio", tests, NULL, NULL);
}
