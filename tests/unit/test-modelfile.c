// SPDX-License-Identifier: MIT
/* Model data files: every shipped model loads, every bad file is refused. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "modelfile.h"

static const struct {
	const char *file;
	const char *name;
	unsigned int inputs;
	uint8_t flags;
	bool audio;
} shipped[] = {
	{ "solo", "Preamp Solo", 1, PAMP_FLAG_METERS | PAMP_FLAG_NOTIFY, true },
	{ "quad", "Preamp Quad", 4, PAMP_FLAG_METERS | PAMP_FLAG_NOTIFY, true },
	{ "octo", "Preamp Octo", 8,
	  PAMP_FLAG_METERS | PAMP_FLAG_NOTIFY | PAMP_FLAG_PERSISTENT, true },
	{ "duo-nometer", "Preamp Duo Lite", 2, PAMP_FLAG_NOTIFY, true },
	{ "remote", "Preamp Remote", 1, PAMP_FLAG_METERS, false },
};

static void every_shipped_model_loads(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		struct emu_desc d;
		char path[256], err[256];

		snprintf(path, sizeof(path), MODELS_DIR "/%s.ini", shipped[i].file);
		if (emu_desc_load(path, &d, err, sizeof(err)))
			fail_msg("%s", err);
		assert_string_equal(d.name, shipped[i].name);
		assert_int_equal(d.num_inputs, shipped[i].inputs);
		assert_int_equal(d.flags, shipped[i].flags);
		assert_int_equal(d.audio, shipped[i].audio);
	}
}

static void the_issue_models_have_their_ranges(void **state)
{
	struct emu_desc d;
	char err[256];

	(void)state;
	assert_int_equal(emu_desc_load(MODELS_DIR "/solo.ini", &d, err,
				       sizeof(err)), 0);
	assert_int_equal(d.inputs[0].gain_min, 0);
	assert_int_equal(d.inputs[0].gain_max, 69 * 256);
	assert_int_equal(d.inputs[0].gain_step, 256);
	assert_int_equal(d.inputs[0].phantom_group, 0);
	assert_true(d.inputs[0].caps & 1 << PAMP_SW_PHANTOM);

	assert_int_equal(emu_desc_load(MODELS_DIR "/quad.ini", &d, err,
				       sizeof(err)), 0);
	assert_int_equal(d.inputs[0].phantom_group, d.inputs[1].phantom_group);
	assert_true(d.inputs[0].phantom_group > 0);
	for (int i = 2; i < 4; i++) {
		assert_int_equal(d.inputs[i].caps & (1 << PAMP_SW_INST |
						     1 << PAMP_SW_PHASE |
						     1 << PAMP_SW_HPF),
				 1 << PAMP_SW_INST | 1 << PAMP_SW_PHASE |
				 1 << PAMP_SW_HPF);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(d.inputs[i].gain_min, -10 * 256);
		assert_int_equal(d.inputs[i].gain_max, 60 * 256);
		assert_int_equal(d.inputs[i].gain_step, 128);
	}
}

#define GOOD_DEVICE "[device]\nname = X\nserial = S1\n"

static const struct {
	const char *text;
	const char *error;	/* a part of the message */
} bad_files[] = {
	{ GOOD_DEVICE, "no [input 1]" },
	{ GOOD_DEVICE "[input 2]\ncaps = pad\n", "no [input 1]" },
	{ GOOD_DEVICE "[input 1]\n[input 3]\n", "without gaps" },
	{ GOOD_DEVICE "[input 33]\n", "unknown section" },
	{ GOOD_DEVICE "[input 0]\n", "unknown section" },
	{ GOOD_DEVICE "[mixer]\n", "unknown section" },
	{ "[device]\nname = X\n[input 1]\n", "needs a name and a serial" },
	{ GOOD_DEVICE "colour = red\n[input 1]\n", "line 4: [device]: unknown key" },
	{ GOOD_DEVICE "vendor_id = 0x10000\n[input 1]\n", "vendor_id" },
	{ GOOD_DEVICE "flags = meters turbo\n[input 1]\n", "flags" },
	{ GOOD_DEVICE "meter_window_ms = 20\n[input 1]\n", "meter_window_ms" },
	{ GOOD_DEVICE "audio = maybe\n[input 1]\n", "audio" },
	{ GOOD_DEVICE "[input 1]\ncaps = gain\ngain_min = 10\ngain_max = 0\ngain_step = 1\n",
	  "gain_min < gain_max" },
	{ GOOD_DEVICE "[input 1]\ncaps = gain\ngain_min = 0\ngain_max = 10\ngain_step = 3\n",
	  "divides" },
	{ GOOD_DEVICE "[input 1]\ncaps = gain\ngain_min = -100\ngain_max = 100\ngain_step = 0.00390625\n",
	  "2047 steps" },
	{ GOOD_DEVICE "[input 1]\ngain_step = 0\n", "gain_step" },
	{ GOOD_DEVICE "[input 1]\ngain_min = 0.001\n", "1/256 dB grid" },
	{ GOOD_DEVICE "[input 1]\ngain_min = nan\n", "1/256 dB grid" },
	{ GOOD_DEVICE "[input 1]\ngain_max = 200\n", "1/256 dB grid" },
	{ GOOD_DEVICE "[input 1]\ncaps = gain\ngain_min = 0\ngain_max = 10\ngain_step = 1\ngain = 11\n",
	  "off the range" },
	{ GOOD_DEVICE "[input 1]\ncaps = pad\nswitches = phantom\n", "lacks" },
	{ GOOD_DEVICE "[input 1]\ncaps = pad\nphantom_group = 1\n", "without phantom" },
	{ GOOD_DEVICE "[input 1]\ncaps = phantom\nphantom_group = 1\n"
	  "[input 2]\ncaps = phantom\n[input 3]\ncaps = phantom\nphantom_group = 1\n",
	  "not consecutive" },
	{ GOOD_DEVICE "[input 1]\ncaps = phantom\nphantom_group = 1\nswitches = phantom\n"
	  "[input 2]\ncaps = phantom\nphantom_group = 1\n", "disagree" },
	{ GOOD_DEVICE "[input 1]\ncaps = meter\n", "meters flag" },
	{ GOOD_DEVICE "[input 1]\nlabel = a label far too long\n", "label" },
	{ GOOD_DEVICE "[input 1]\nsource = noise\n", "source" },
	{ GOOD_DEVICE "[input 1]\nlevel = 100\n", "level" },
	{ GOOD_DEVICE "[input 1]\nthis is not ini\n", "line 5: not an INI line" },
};

static void every_bad_file_is_refused_with_a_reason(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		struct emu_desc d;
		char err[256] = "";

		if (emu_desc_parse(bad_files[i].text, &d, err, sizeof(err)) != -EINVAL)
			fail_msg("accepted:\n%s", bad_files[i].text);
		if (!strstr(err, bad_files[i].error))
			fail_msg("case %zu: wanted '%s', said '%s'", i,
				 bad_files[i].error, err);
	}
}

static void a_missing_file_says_so(void **state)
{
	struct emu_desc d;
	char err[256];

	(void)state;
	assert_int_equal(emu_desc_load("/nonexistent/x.ini", &d, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/x.ini"));
}

static void defaults_fill_what_a_file_leaves_out(void **state)
{
	struct emu_desc d;
	char err[256];

	(void)state;
	assert_int_equal(emu_desc_parse(GOOD_DEVICE "[input 1]\n", &d, err,
					sizeof(err)), 0);
	assert_int_equal(d.vendor_id, 0x1d6b);
	assert_int_equal(d.meter_window_ms, 100);
	assert_true(d.audio);
	assert_false(d.control_first);
	assert_string_equal(d.inputs[0].label, "Input 1");
	assert_int_equal(emu_desc_parse(GOOD_DEVICE "control_first = yes\n[input 1]\n",
					&d, err, sizeof(err)), 0);
	assert_true(d.control_first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_shipped_model_loads),
		cmocka_unit_test(the_issue_models_have_their_ranges),
		cmocka_unit_test(every_bad_file_is_refused_with_a_reason),
		cmocka_unit_test(a_missing_file_says_so),
		cmocka_unit_test(defaults_fill_what_a_file_leaves_out),
	};

	return cmocka_run_group_tests_name("emulator model files", tests, NULL, NULL);
}
