// SPDX-License-Identifier: MIT
/*
 * The Babyface Pro emulator's device model as the bbfpro quirk talks to
 * it: the gain's coarse and fine steps, the control register's bits, what
 * it refuses, the front panel the host is never told of, and the gain in
 * the captured samples.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "bbfpro-model.h"

#define MS 1000000ULL
#define T0 (1000 * MS)
#define VOUT 0x40	/* vendor, device, host to device */

static struct bb_dev *dev(void)
{
	struct bb_dev *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	bb_init(d);
	bb_power_on(d, T0);
	return d;
}

/* The quirk's encoding of a microphone gain (what it sends). */
static uint16_t mic_value(unsigned int gain)
{
	if (gain < 60)
		return (uint16_t)((gain % 3) << 5 | gain / 3);
	return (uint16_t)((gain % 6) << 5 | 60 / 3);
}

static void every_microphone_gain_decodes(void **state)
{
	struct bb_dev *d = dev();
	unsigned int g;

	(void)state;
	for (g = 0; g <= BB_MIC_MAX; g++) {
		assert_int_equal(bb_request(d, VOUT, BB_REQ_GAIN, mic_value(g), 1,
					    0, T0), 0);
		assert_true(fabs(bb_gain_db(d, 1) - g) < 1e-9);
	}
	free(d);
}

static void line_gains_are_half_db(void **state)
{
	struct bb_dev *d = dev();

	(void)state;
	assert_int_equal(bb_request(d, VOUT, BB_REQ_GAIN, 18, 3, 0, T0), 0);
	assert_true(fabs(bb_gain_db(d, 3) - 9.0) < 1e-9);
	assert_int_equal(bb_request(d, VOUT, BB_REQ_GAIN, 19, 3, 0, T0), -EPIPE);
	free(d);
}

static void values_it_cannot_take_are_refused(void **state)
{
	struct bb_dev *d = dev();

	(void)state;
	/* a fine step of 3 below 60 dB, beyond 65 dB, channel 4 */
	assert_int_equal(bb_request(d, VOUT, BB_REQ_GAIN, 3 << 5 | 4, 0, 0, T0), -EPIPE);
	assert_int_equal(bb_request(d, VOUT, BB_REQ_GAIN, 6 << 5 | 20, 0, 0, T0), -EPIPE);
	assert_int_equal(bb_request(d, VOUT, BB_REQ_GAIN, 0, 4, 0, T0), -EPIPE);
	/* two bits at once, a value outside the mask, a data stage */
	assert_int_equal(bb_request(d, VOUT, BB_REQ_REG2, 3, 3, 0, T0), -EPIPE);
	assert_int_equal(bb_request(d, VOUT, BB_REQ_REG2, 2, 1, 0, T0), -EPIPE);
	assert_int_equal(bb_request(d, VOUT, BB_REQ_REG2, 1, 1, 1, T0), -EPIPE);
	assert_int_equal(bb_request(d, 0xc0, BB_REQ_REG2, 1, 1, 0, T0), -EPIPE);
	assert_int_equal(bb_request(d, VOUT, 0x55, 0, 0, 0, T0), -EPIPE);
	assert_int_equal(d->count[BB_C_REFUSED], 8);
	assert_int_equal(d->writes, 0);
	free(d);
}

static void the_register_switches_48v_pad_and_sens(void **state)
{
	struct bb_dev *d = dev();

	(void)state;
	assert_int_equal(bb_request(d, VOUT, BB_REQ_REG2, 1 << BB_REG2_48V_AN2,
				    1 << BB_REG2_48V_AN2, 0, T0), 0);
	assert_true(bb_bit(d, BB_REG2_48V_AN2));
	assert_false(bb_bit(d, BB_REG2_48V_AN1));
	assert_int_equal(bb_request(d, VOUT, BB_REQ_REG2, 1 << BB_REG2_PAD_AN1,
				    1 << BB_REG2_PAD_AN1, 0, T0), 0);
	assert_true(bb_bit(d, BB_REG2_PAD_AN1));
	assert_int_equal(bb_request(d, VOUT, BB_REQ_REG2, 0,
				    1 << BB_REG2_48V_AN2, 0, T0), 0);
	assert_false(bb_bit(d, BB_REG2_48V_AN2));
	assert_true(bb_bit(d, BB_REG2_PAD_AN1));
	/* a power cycle: the unit's defaults */
	bb_power_off(d, T0);
	assert_int_equal(bb_request(d, VOUT, BB_REQ_REG2, 1, 1, 0, T0), -EPIPE);
	bb_power_on(d, T0);
	assert_false(bb_bit(d, BB_REG2_PAD_AN1));
	free(d);
}

static void the_front_panel_changes_the_unit_only(void **state)
{
	struct bb_dev *d = dev();

	(void)state;
	assert_int_equal(bb_panel_gain(d, 0, 33.4, T0), 0);
	assert_true(fabs(bb_gain_db(d, 0) - 33.0) < 1e-9);
	assert_int_equal(bb_panel_gain(d, 2, 100, T0), 0);
	assert_true(fabs(bb_gain_db(d, 2) - 9.0) < 1e-9);
	assert_int_equal(bb_panel_bit(d, BB_REG2_48V_AN1, true, T0), 0);
	assert_true(bb_bit(d, BB_REG2_48V_AN1));
	assert_int_equal(d->writes, 0);
	free(d);
}

static void the_capture_carries_gain_and_pad(void **state)
{
	struct bb_dev *d = dev();
	int16_t pcm[48 * BB_INPUTS];
	uint64_t pos = 0;
	int peak = 0, i;

	(void)state;
	emu_afe_source(&d->afe, 0, "sine", -40.0);
	assert_int_equal(bb_request(d, VOUT, BB_REQ_GAIN, mic_value(30), 0, 0,
				    T0), 0);
	emu_afe_capture(&d->afe, &pos, pcm, 48);
	assert_int_equal(pos, 48);
	for (i = 0; i < 48; i++)
		if (abs(pcm[i * BB_INPUTS]) > peak)
			peak = abs(pcm[i * BB_INPUTS]);
	/* -10 dBFS */
	assert_true(fabs(20 * log10(peak / 32767.0) + 10.0) < 0.1);
	assert_int_equal(bb_request(d, VOUT, BB_REQ_REG2, 1 << BB_REG2_PAD_AN1,
				    1 << BB_REG2_PAD_AN1, 0, T0), 0);
	emu_afe_capture(&d->afe, &pos, pcm, 48);
	for (peak = 0, i = 0; i < 48; i++)
		if (abs(pcm[i * BB_INPUTS]) > peak)
			peak = abs(pcm[i * BB_INPUTS]);
	assert_true(fabs(20 * log10(peak / 32767.0) + 30.0) < 0.1);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_microphone_gain_decodes),
		cmocka_unit_test(line_gains_are_half_db),
		cmocka_unit_test(values_it_cannot_take_are_refused),
		cmocka_unit_test(the_register_switches_48v_pad_and_sens),
		cmocka_unit_test(the_front_panel_changes_the_unit_only),
		cmocka_unit_test(the_capture_carries_gain_and_pad),
	};

	return cmocka_run_group_tests_name("bbfpro device model", tests, NULL,
					   NULL);
}
