// SPDX-License-Identifier: MIT
/*
 * Preset names, the rule preampd and preampctl share
 * (daemon/common/preset-name.c): 1 to 64 bytes of valid UTF-8, without '/'
 * or control characters.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "preset-name.h"
#include "utf8.h"

static void preset_names_follow_the_spec(void **state)
{
	static const struct {
		const char *name;
		size_t len;	/* 0: strlen */
		bool ok;
	} v[] = {
		{ "Vocals", 0, true },
		{ "x", 0, true },
		{ "a b c", 0, true },
		{ "Gr\xc3\xbc\xc3\x9f" "e", 0, true },
		{ "\xf0\x9f\x8e\xa4 take 2", 0, true },
		{ "..", 0, true },		/* no '/': only a name */
		{ "", 0, false },
		{ "../x", 0, false },
		{ "a/b", 0, false },
		{ "/", 0, false },
		{ "tab\there", 0, false },
		{ "nl\n", 0, false },
		{ "del\x7f", 0, false },
		{ "c1 \xc2\x85", 0, false },	/* U+0085, a C1 control */
		{ "\xff", 0, false },
		{ "\xc0\xaf", 0, false },	/* overlong '/' */
		{ "\xed\xa0\x80", 0, false },	/* a surrogate */
		{ "\xf4\x90\x80\x80", 0, false },	/* past U+10FFFF */
		{ "a\0b", 3, false },
	};
	char n64[65], n65[66];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t len = v[i].len ? v[i].len : strlen(v[i].name);

		if (preamp_preset_name_valid(v[i].name, len) != v[i].ok)
			fail_msg("case %zu: '%s' should be %s", i, v[i].name,
				 v[i].ok ? "valid" : "refused");
	}
	memset(n64, 'n', 64);
	n64[64] = '\0';
	memset(n65, 'n', 65);
	n65[65] = '\0';
	assert_true(preamp_preset_name_valid(n64, 64));
	assert_false(preamp_preset_name_valid(n65, 65));
	assert_false(preamp_preset_name_valid(NULL, 0));
	/* 64 bytes of which the last character is cut in the middle */
	memcpy(n64 + 62, "\xc3\xbc", 2);
	assert_true(preamp_preset_name_valid(n64, 64));
	assert_false(preamp_preset_name_valid(n64, 63));
}

static void utf8_decoding_is_strict(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		uint32_t cp;
	} v[] = {
		{ "a", 1, 'a' },
		{ "\xc3\xa9", 2, 0xe9 },
		{ "\xe4\xb8\xad", 3, 0x4e2d },
		{ "\xf0\x9f\x8e\xa4", 4, 0x1f3a4 },
		{ "\xc0\xaf", 1, PREAMP_UTF8_INVALID },	/* overlong */
		{ "\xe0\x80\xaf", 1, PREAMP_UTF8_INVALID },	/* overlong */
		{ "\xed\xa0\x80", 1, PREAMP_UTF8_INVALID },	/* a surrogate */
		{ "\xf4\x90\x80\x80", 1, PREAMP_UTF8_INVALID },	/* past U+10FFFF */
		{ "\xc3", 1, PREAMP_UTF8_INVALID },		/* cut short */
		{ "\x80", 1, PREAMP_UTF8_INVALID },
		{ "\xff", 1, PREAMP_UTF8_INVALID },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint32_t cp = 0;
		size_t n = preamp_utf8_next(v[i].s, strlen(v[i].s), &cp);

		if (n != v[i].len || cp != v[i].cp)
			fail_msg("case %zu: %zu bytes, U+%04X", i, n, (unsigned)cp);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(preset_names_follow_the_spec),
		cmocka_unit_test(utf8_decoding_is_strict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
