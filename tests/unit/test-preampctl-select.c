// SPDX-License-Identifier: MIT
/*
 * Which device and input preampctl picks for what was typed: index, hw:N,
 * key, card id, whole name, a part of a name or key, ignoring case;
 * ambiguity and no match name the candidates, safely.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "select.h"

static const struct pctl_dev_ref devs[] = {
	{ 1, "1d6b-0104-PAMP0001", "Quad", "Quad Mic Pre", 2 },
	{ 2, "1d6b-0104-PAMP0002", "Quad_1", "Quad Mic Pre", 3 },
	{ 3, "1d6b-0101-path-pci-0000_00_14_0-usb-0_2", "Solo", "Solo Pre", 5 },
	{ 4, "1d6b-0102-DUO", "Duo", "Duo", 7 },
	{ 5, "1d6b-0103-X", "DuoPro", "Duo Pro", 8 },
	{ 6, "1d6b-0666-EVIL", "Evil", "Evil\x1b[2J \"name\"", 9 },
};
#define NDEVS (sizeof(devs) / sizeof(devs[0]))

static const struct {
	const char *query;
	int r;			/* 0, -ENOENT or -ENOTUNIQ */
	size_t pos;		/* the match, when r is 0 */
	const char *says;	/* part of the message otherwise */
} dev_cases[] = {
	/* an index is the place in the list */
	{ "1", 0, 0, NULL },
	{ "6", 0, 5, NULL },
	{ "0", -ENOENT, 0, "no device number 0" },
	{ "7", -ENOENT, 0, "no device number 7; present: 1 (Quad Mic Pre, 1d6b-0104-PAMP0001)" },
	{ "99999999999", -ENOENT, 0, "no device matches" },
	/* hw:N is the ALSA card */
	{ "hw:3", 0, 1, NULL },
	{ "hw:4", -ENOENT, 0, "no preamp on ALSA card 4" },
	/* keys and card ids, exact then ignoring case */
	{ "1d6b-0104-PAMP0002", 0, 1, NULL },
	{ "1D6B-0104-pamp0002", 0, 1, NULL },
	{ "Quad", 0, 0, NULL },
	{ "quad_1", 0, 1, NULL },
	{ "Solo", 0, 2, NULL },
	/* a whole name beats a part of a longer one */
	{ "duo", 0, 3, NULL },
	{ "DUO PRO", 0, 4, NULL },
	/* parts of names and keys */
	{ "solo p", 0, 2, NULL },
	{ "pamp0001", 0, 0, NULL },
	{ "usb-0_2", 0, 2, NULL },
	{ "pro", 0, 4, NULL },
	{ "mic", -ENOTUNIQ, 0,
	  "device 'mic' is ambiguous; it could be: 1 (Quad Mic Pre, 1d6b-0104-PAMP0001), "
	  "2 (Quad Mic Pre, 1d6b-0104-PAMP0002). Give its index or key." },
	{ "1d6b", -ENOTUNIQ, 0, "5 (Duo Pro, 1d6b-0103-X), 6 (Evil" },
	{ "pre", -ENOTUNIQ, 0, "3 (Solo Pre" },
	{ "zzz", -ENOENT, 0, "no device matches 'zzz'; present: 1 (Quad Mic Pre" },
	{ "", -ENOENT, 0, "no device given" },
	/* a hostile name is shown safely */
	{ "evil", 0, 5, NULL },
	{ "name", 0, 5, NULL },
	{ "e", -ENOTUNIQ, 0, "6 (Evil?[2J \"name\", 1d6b-0666-EVIL)" },
};

static void devices_are_found_by_every_documented_key(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(dev_cases) / sizeof(dev_cases[0]); i++) {
		char err[1024] = "";
		size_t pos = 1234;
		int r = pctl_select_device(devs, NDEVS, dev_cases[i].query, &pos, err, sizeof(err));

		if (r != dev_cases[i].r)
			fail_msg("'%s': %d (%s), want %d", dev_cases[i].query, r, err,
				 dev_cases[i].r);
		if (r == 0 && pos != dev_cases[i].pos)
			fail_msg("'%s': picked %zu, want %zu", dev_cases[i].query, pos,
				 dev_cases[i].pos);
		if (r != 0 && !strstr(err, dev_cases[i].says))
			fail_msg("'%s': '%s' lacks '%s'", dev_cases[i].query, err,
				 dev_cases[i].says);
		for (const char *p = err; *p; p++)
			assert_true((unsigned char)*p >= 0x20);
	}
}

static void no_devices_at_all_says_so(void **state)
{
	char err[256];
	size_t pos;

	(void)state;
	assert_int_equal(pctl_select_device(NULL, 0, "1", &pos, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no device is present"));
	assert_int_equal(pctl_select_device(NULL, 0, "quad", &pos, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no device is present"));
}

static void a_long_ambiguity_is_cut_short(void **state)
{
	struct pctl_dev_ref many[20];
	char err[2048];
	size_t pos;

	(void)state;
	for (unsigned i = 0; i < 20; i++)
		many[i] = (struct pctl_dev_ref){ i + 1, "k", "c", "Same Name", (int32_t)i };
	assert_int_equal(pctl_select_device(many, 20, "same", &pos, err, sizeof(err)), -ENOTUNIQ);
	assert_non_null(strstr(err, "and 12 more"));
	/* a small buffer truncates, never overflows */
	assert_int_equal(pctl_select_device(many, 20, "same", &pos, err, 16), -ENOTUNIQ);
	assert_int_equal(strlen(err), 15);
}

static const struct pctl_in_ref ins[] = {
	{ 1, "Mic 1" },
	{ 2, "Mic 2" },
	{ 3, "Inst 3" },
	{ 4, "Line In 4" },
	{ 7, "Talkback" },
	{ 8, "Mic" },
};
#define NINS (sizeof(ins) / sizeof(ins[0]))

static const struct {
	const char *query;
	int r;
	size_t pos;
	const char *says;
} in_cases[] = {
	{ "1", 0, 0, NULL },
	{ "7", 0, 4, NULL },		/* the input number, not the place */
	{ "5", -ENOENT, 0, "no input 5; inputs: 1 (Mic 1), 2 (Mic 2), 3 (Inst 3), 4 (Line In 4), 7 (Talkback), 8 (Mic)" },
	{ "0", -ENOENT, 0, "no input 0" },
	{ "mic 2", 0, 1, NULL },
	{ "MIC", 0, 5, NULL },		/* a whole label first */
	{ "inst", 0, 2, NULL },
	{ "talk", 0, 4, NULL },
	{ "line in", 0, 3, NULL },
	{ "i", -ENOTUNIQ, 0, "input 'i' is ambiguous; it could be: 1 (Mic 1), 2 (Mic 2)" },
	{ "mic ", -ENOTUNIQ, 0, "Give its number." },
	{ "guitar", -ENOENT, 0, "no input matches 'guitar'" },
	{ "", -ENOENT, 0, "no input given" },
};

static void inputs_are_found_by_number_or_label(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(in_cases) / sizeof(in_cases[0]); i++) {
		char err[1024] = "";
		size_t pos = 1234;
		int r = pctl_select_input(ins, NINS, in_cases[i].query, &pos, err, sizeof(err));

		if (r != in_cases[i].r)
			fail_msg("'%s': %d (%s), want %d", in_cases[i].query, r, err, in_cases[i].r);
		if (r == 0 && pos != in_cases[i].pos)
			fail_msg("'%s': picked %zu, want %zu", in_cases[i].query, pos, in_cases[i].pos);
		if (r != 0 && !strstr(err, in_cases[i].says))
			fail_msg("'%s': '%s' lacks '%s'", in_cases[i].query, err, in_cases[i].says);
	}
}

static void null_labels_and_keys_never_crash(void **state)
{
	const struct pctl_dev_ref d[] = { { 1, NULL, NULL, NULL, 0 } };
	const struct pctl_in_ref in[] = { { 1, NULL } };
	char err[256];
	size_t pos;

	(void)state;
	assert_int_equal(pctl_select_device(d, 1, "x", &pos, err, sizeof(err)), -ENOENT);
	assert_int_equal(pctl_select_device(d, 1, "1", &pos, err, sizeof(err)), 0);
	assert_int_equal(pctl_select_input(in, 1, "x", &pos, err, sizeof(err)), -ENOENT);
	assert_int_equal(pctl_select_input(in, 1, "1", &pos, err, sizeof(err)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(devices_are_found_by_every_documented_key),
		cmocka_unit_test(no_devices_at_all_says_so),
		cmocka_unit_test(a_long_ambiguity_is_cut_short),
		cmocka_unit_test(inputs_are_found_by_number_or_label),
		cmocka_unit_test(null_labels_and_keys_never_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
