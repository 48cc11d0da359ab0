// SPDX-License-Identifier: MIT
/* preampd.conf: every key optional, bad values refused with a sentence. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "config.h"
#include "util.h"

static void defaults(struct pa_config *c)
{
	pa_config_defaults(c, "/usr/share/preampd/profiles", "/var/lib/preampd",
			   "/run/preampd");
}

static void an_empty_file_keeps_every_default(void **state)
{
	struct pa_config c;
	char err[200];

	(void)state;
	defaults(&c);
	assert_int_equal(pa_config_parse("", 0, &c, err, sizeof(err)), 0);
	assert_int_equal(c.debounce_ms, 500);
	assert_int_equal(c.phantom_policy, PA_POLICY_OFF);
	assert_string_equal(c.fallback_group, "audio");
	assert_string_equal(c.profile_dir, "/usr/share/preampd/profiles");
	assert_string_equal(c.state_dir, "/var/lib/preampd");
	assert_string_equal(c.runtime_dir, "/run/preampd");
}

static void every_key_is_read(void **state)
{
	static const char text[] =
		"# comment\n"
		"[preampd]\n"
		"debounce_ms = 0\n"
		"phantom_policy = restore ; inline comment\n"
		"fallback_group = studio\n"
		"profile_dir = /etc/preampd/profiles\n"
		"state_dir = /srv/preampd\n"
		"runtime_dir = /run/preampd-test\n";
	struct pa_config c;
	char err[200];

	(void)state;
	defaults(&c);
	assert_int_equal(pa_config_parse(text, strlen(text), &c, err,
					 sizeof(err)), 0);
	assert_int_equal(c.debounce_ms, 0);
	assert_int_equal(c.phantom_policy, PA_POLICY_RESTORE);
	assert_string_equal(c.fallback_group, "studio");
	assert_string_equal(c.profile_dir, "/etc/preampd/profiles");
	assert_string_equal(c.state_dir, "/srv/preampd");
	assert_string_equal(c.runtime_dir, "/run/preampd-test");
}

static void bad_lines_are_named_and_the_rest_applies(void **state)
{
	static const struct {
		const char *line;
		const char *why;
	} v[] = {
		{ "debounce_ms = -1", "debounce_ms must be" },
		{ "debounce_ms = 60001", "debounce_ms must be" },
		{ "debounce_ms = 5s", "debounce_ms must be" },
		{ "phantom_policy = on", "phantom_policy must be" },
		{ "fallback_group = ", "not a group name" },
		{ "fallback_group = a b", "not a group name" },
		{ "fallback_group = -x", "not a group name" },
		{ "profile_dir = relative/dir", "absolute" },
		{ "state_dir = /var/lib/../../etc", "absolute" },
		{ "runtime_dir = /run/..", "absolute" },
		{ "colour = blue", "unknown key" },
	};
	char text[300], err[200];
	struct pa_config c;

	(void)state;
	for (size_t i = 0; i < PA_ARRAY_SIZE(v); i++) {
		snprintf(text, sizeof(text),
			 "[preampd]\n%s\nphantom_policy = device\n", v[i].line);
		defaults(&c);
		assert_int_equal(pa_config_parse(text, strlen(text), &c, err,
						 sizeof(err)), -EBADMSG);
		if (!strstr(err, v[i].why) || !strstr(err, "line 2"))
			fail_msg("case %zu: '%s' does not say '%s'", i, err,
				 v[i].why);
		/* the good line after it still counts; the bad key kept its
		 * default */
		if (strncmp(v[i].line, "phantom_policy", 14))
			assert_int_equal(c.phantom_policy, PA_POLICY_DEVICE);
		assert_int_equal(c.debounce_ms, 500);
		assert_string_equal(c.fallback_group, "audio");
		assert_string_equal(c.state_dir, "/var/lib/preampd");
	}
	defaults(&c);
	assert_int_equal(pa_config_parse("debounce_ms = 5\n", 16, &c, err,
					 sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "outside the [preampd] section"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_empty_file_keeps_every_default),
		cmocka_unit_test(every_key_is_read),
		cmocka_unit_test(bad_lines_are_named_and_the_rest_applies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
