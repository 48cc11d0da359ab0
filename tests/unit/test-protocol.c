// SPDX-License-Identifier: MIT
/* The shared protocol header: wire sizes, wValue encodings, range checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "preamp-protocol.h"

static void records_have_the_spec_sizes(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct pamp_info), 16);
	assert_int_equal(sizeof(struct pamp_input_info), 32);
	assert_int_equal(sizeof(struct pamp_input_state), 4);
	assert_int_equal(sizeof(struct pamp_set_state), 8);
	assert_int_equal(sizeof(struct pamp_meter), 4);
	assert_int_equal(sizeof(struct pamp_notification), 8);
	assert_int_equal(offsetof(struct pamp_info, meter_window_ms), 8);
	assert_int_equal(offsetof(struct pamp_input_info, phantom_group), 8);
	assert_int_equal(offsetof(struct pamp_input_info, label), 16);
	assert_int_equal(offsetof(struct pamp_set_state, apply), 6);
	assert_int_equal(offsetof(struct pamp_notification, events), 4);
}

static const struct {
	unsigned int input, index;
	uint16_t wvalue;
} gain_cases[] = {
	{ 0, 0, 0x0000 },
	{ 1, 0, 0x0800 },
	{ 0, 2047, 0x07ff },
	{ 31, 2047, 0xffff },
	{ 3, 140, 0x188c },
};

static void set_gain_wvalue_round_trips(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(gain_cases) / sizeof(gain_cases[0]); i++) {
		uint16_t w = pamp_wvalue_set_gain(gain_cases[i].input,
						  gain_cases[i].index);

		assert_int_equal(w, gain_cases[i].wvalue);
		assert_int_equal(pamp_set_gain_input(w), gain_cases[i].input);
		assert_int_equal(pamp_set_gain_index(w), gain_cases[i].index);
	}
}

static const struct {
	unsigned int input, sw;
	int on;
	uint16_t wvalue;
} switch_cases[] = {
	{ 0, PAMP_SW_PHANTOM, 1, 0x0001 },
	{ 0, PAMP_SW_PHANTOM, 0, 0x0000 },
	{ 1, PAMP_SW_PAD, 1, 0x0103 },
	{ 7, PAMP_SW_INST, 1, 0x070b },
	{ 31, PAMP_SW_AIR, 0, 0x1f08 },
};

static void set_switch_wvalue_round_trips(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(switch_cases) / sizeof(switch_cases[0]); i++) {
		uint16_t w = pamp_wvalue_set_switch(switch_cases[i].input,
						    switch_cases[i].sw,
						    switch_cases[i].on);

		assert_int_equal(w, switch_cases[i].wvalue);
		assert_int_equal(pamp_set_switch_input(w), switch_cases[i].input);
		assert_int_equal(pamp_set_switch_bit(w), switch_cases[i].sw);
		assert_int_equal(pamp_set_switch_on(w), switch_cases[i].on);
		assert_true(pamp_set_switch_well_formed(w));
	}
}

static void set_switch_with_high_bits_is_malformed(void **state)
{
	(void)state;
	assert_false(pamp_set_switch_well_formed(0x0010));
	assert_false(pamp_set_switch_well_formed(0x01f1));
	assert_true(pamp_set_switch_well_formed(0xff0f));
}

static void request_lengths_follow_the_table(void **state)
{
	(void)state;
	assert_int_equal(pamp_request_length(PAMP_REQ_GET_INFO, 4), 16);
	assert_int_equal(pamp_request_length(PAMP_REQ_GET_INPUT_INFO, 4), 32);
	assert_int_equal(pamp_request_length(PAMP_REQ_GET_INPUT_STATE, 4), 4);
	assert_int_equal(pamp_request_length(PAMP_REQ_SET_GAIN, 4), 0);
	assert_int_equal(pamp_request_length(PAMP_REQ_SET_SWITCH, 4), 0);
	assert_int_equal(pamp_request_length(PAMP_REQ_GET_METERS, 8), 32);
	assert_int_equal(pamp_request_length(PAMP_REQ_GET_ALL_STATE, 8), 32);
	assert_int_equal(pamp_request_length(PAMP_REQ_SET_ALL_STATE, 8), 64);
	assert_int_equal(pamp_request_length(0x09, 8), 0);
}

static const struct {
	int min, max;
	unsigned int step;
	int valid;
} range_cases[] = {
	{ 0, 69 * 256, 256, 1 },		/* one-mic model */
	{ -10 * 256, 60 * 256, 128, 1 },	/* four-input model */
	{ 0, 2047, 1, 1 },			/* exactly 2047 steps */
	{ 0, 2048, 1, 0 },			/* one step too many */
	{ -32768, 32767, 1, 0 },
	{ 10, 10, 1, 0 },			/* min == max */
	{ 20, 10, 1, 0 },			/* inverted */
	{ 0, 100, 0, 0 },			/* step 0 */
	{ 0, 100, 3, 0 },			/* step does not divide */
	{ -32768, 32767, 65535, 1 },		/* one step over the s16 range */
};

static void gain_ranges_are_checked_as_section_6_says(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(range_cases) / sizeof(range_cases[0]); i++)
		assert_int_equal(pamp_gain_range_valid(range_cases[i].min,
						       range_cases[i].max,
						       range_cases[i].step),
				 range_cases[i].valid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_have_the_spec_sizes),
		cmocka_unit_test(set_gain_wvalue_round_trips),
		cmocka_unit_test(set_switch_wvalue_round_trips),
		cmocka_unit_test(set_switch_with_high_bits_is_malformed),
		cmocka_unit_test(request_lengths_follow_the_table),
		cmocka_unit_test(gain_ranges_are_checked_as_section_6_says),
	};

	return cmocka_run_group_tests_name("protocol header", tests, NULL, NULL);
}
