// SPDX-License-Identifier: MIT
/*
 * The class-compliant UAC2 emulator's device model: Input Gain, Input Gain
 * Pad and Phase Inverter as a feature unit answers them (CUR, RANGE, SET
 * CUR snapped to the resolution, what it refuses), the interrupt data
 * messages of front-panel changes, and the captured samples.
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

#include "uac2-model.h"

#define MS 1000000ULL
#define T0 (1000 * MS)
#define CIN 0xa1
#define COUT 0x21
#define FU (2 << 8 | 0)

static struct u2_dev *dev(void)
{
	struct u2_dev *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	/* 0..60 dB in 0.5 dB, a 20 dB pad */
	assert_int_equal(u2_init(d, 2, 0, 2, 0, 60 * 256, 128, -20 * 256), 0);
	u2_power_on(d, T0);
	return d;
}

static int16_t s16(const uint8_t *p)
{
	return (int16_t)(p[0] | p[1] << 8);
}

static void ranges_and_currents(void **state)
{
	struct u2_dev *d = dev();
	uint8_t b[16];
	size_t n;

	(void)state;
	assert_int_equal(u2_request(d, CIN, U2_REQ_RANGE, U2_CS_INPUT_GAIN << 8 | 1,
				    FU, 8, b, sizeof(b), &n, T0), 0);
	assert_int_equal(n, 8);
	assert_int_equal(s16(b), 1);
	assert_int_equal(s16(b + 2), 0);
	assert_int_equal(s16(b + 4), 60 * 256);
	assert_int_equal(s16(b + 6), 128);
	assert_int_equal(u2_request(d, CIN, U2_REQ_RANGE, U2_CS_PAD << 8 | 2,
				    FU, 8, b, sizeof(b), &n, T0), 0);
	assert_int_equal(s16(b + 2), -20 * 256);
	assert_int_equal(s16(b + 4), 0);
	assert_int_equal(u2_request(d, CIN, U2_REQ_CUR, U2_CS_PHASE << 8 | 1,
				    FU, 1, b, sizeof(b), &n, T0), 0);
	assert_int_equal(n, 1);
	/* the master channel has no control; nor has channel 3 */
	assert_int_equal(u2_request(d, CIN, U2_REQ_CUR, U2_CS_INPUT_GAIN << 8,
				    FU, 2, b, sizeof(b), &n, T0), -EPIPE);
	assert_int_equal(u2_request(d, CIN, U2_REQ_CUR, U2_CS_INPUT_GAIN << 8 | 3,
				    FU, 2, b, sizeof(b), &n, T0), -EPIPE);
	assert_int_equal(u2_request(d, CIN, U2_REQ_CUR, U2_CS_INPUT_GAIN << 8 | 1,
				    3 << 8, 2, b, sizeof(b), &n, T0), -EPIPE);
	free(d);
}

static void set_cur_snaps_and_refuses(void **state)
{
	struct u2_dev *d = dev();
	uint8_t b[2];
	size_t n;

	(void)state;
	b[0] = 0x50;		/* 0x1e50: 30.3125 dB, snaps to 30.5 */
	b[1] = 0x1e;
	assert_int_equal(u2_request(d, COUT, U2_REQ_CUR, U2_CS_INPUT_GAIN << 8 | 2,
				    FU, 2, b, 2, &n, T0), 0);
	assert_int_equal(d->gain[1], 61 * 128);
	b[0] = 0x00;		/* 61 dB: beyond the range */
	b[1] = 61;
	assert_int_equal(u2_request(d, COUT, U2_REQ_CUR, U2_CS_INPUT_GAIN << 8 | 2,
				    FU, 2, b, 2, &n, T0), -EPIPE);
	assert_int_equal(u2_request(d, COUT, U2_REQ_CUR, U2_CS_INPUT_GAIN << 8 | 2,
				    FU, 1, b, 2, &n, T0), -EPIPE);
	b[0] = 0x00;		/* -20 dB: the pad */
	b[1] = 0xec;
	assert_int_equal(u2_request(d, COUT, U2_REQ_CUR, U2_CS_PAD << 8 | 1,
				    FU, 2, b, 2, &n, T0), 0);
	assert_int_equal(d->pad[0], -20 * 256);
	b[0] = 2;
	assert_int_equal(u2_request(d, COUT, U2_REQ_CUR, U2_CS_PHASE << 8 | 1,
				    FU, 1, b, 1, &n, T0), -EPIPE);
	b[0] = 1;
	assert_int_equal(u2_request(d, COUT, U2_REQ_CUR, U2_CS_PHASE << 8 | 1,
				    FU, 1, b, 1, &n, T0), 0);
	assert_true(d->phase[0]);
	free(d);
}

static void the_front_panel_sends_interrupt_messages(void **state)
{
	struct u2_dev *d = dev();
	uint8_t m[U2_MSG_LEN];

	(void)state;
	assert_int_equal(u2_notification(d, m), -EAGAIN);
	assert_int_equal(u2_panel(d, U2_CS_INPUT_GAIN, 1, 12.3, T0), 0);
	assert_int_equal(d->gain[1], 12 * 256 + 128);
	assert_int_equal(u2_panel(d, U2_CS_INPUT_GAIN, 1, 12.0, T0), 0);
	assert_int_equal(u2_notification(d, m), U2_MSG_LEN);
	assert_int_equal(m[0], 0);
	assert_int_equal(m[1], U2_REQ_CUR);
	assert_int_equal(m[2], 2);		/* channel */
	assert_int_equal(m[3], U2_CS_INPUT_GAIN);
	assert_int_equal(m[4], 0);		/* interface */
	assert_int_equal(m[5], 2);		/* unit */
	assert_int_equal(u2_notification(d, m), -EAGAIN);	/* one each */
	u2_power_off(d);
	assert_int_equal(u2_panel(d, U2_CS_PHASE, 0, 1, T0), 0);
	assert_int_equal(u2_notification(d, m), -EAGAIN);
	free(d);
}

static void bad_devices_are_refused(void **state)
{
	struct u2_dev d;

	(void)state;
	assert_int_equal(u2_init(&d, 0, 0, 2, 0, 256, 1, -256), -EINVAL);
	assert_int_equal(u2_init(&d, 9, 0, 2, 0, 256, 1, -256), -EINVAL);
	assert_int_equal(u2_init(&d, 2, 0, 2, 256, 256, 1, -256), -EINVAL);
	assert_int_equal(u2_init(&d, 2, 0, 2, 0, 256, 100, -256), -EINVAL);
	assert_int_equal(u2_init(&d, 2, 0, 2, 0, 256, 1, 0), -EINVAL);
}

static void the_capture_carries_gain_pad_and_phase(void **state)
{
	struct u2_dev *d = dev();
	int16_t pcm[48 * 2];
	uint64_t pos = 100;
	int i, peak = 0;

	(void)state;
	emu_afe_source(&d->afe, 1, "sine", -40.0);
	assert_int_equal(u2_panel(d, U2_CS_INPUT_GAIN, 1, 34, T0), 0);
	emu_afe_capture(&d->afe, &pos, pcm, 48);
	for (i = 0; i < 48; i++)
		if (abs(pcm[2 * i + 1]) > peak)
			peak = abs(pcm[2 * i + 1]);
	assert_true(fabs(20 * log10(peak / 32767.0) + 6.0) < 0.1);
	assert_int_equal(u2_panel(d, U2_CS_PHASE, 1, 1, T0), 0);
	{
		int16_t inv[48 * 2];
		uint64_t p2 = 100;

		emu_afe_capture(&d->afe, &p2, inv, 48);
		for (i = 0; i < 48; i++)
			assert_int_equal(inv[2 * i + 1], -pcm[2 * i + 1]);
	}
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ranges_and_currents),
		cmocka_unit_test(set_cur_snaps_and_refuses),
		cmocka_unit_test(the_front_panel_sends_interrupt_messages),
		cmocka_unit_test(bad_devices_are_refused),
		cmocka_unit_test(the_capture_carries_gain_pad_and_phase),
	};

	return cmocka_run_group_tests_name("UAC2 device model", tests, NULL,
					   NULL);
}
