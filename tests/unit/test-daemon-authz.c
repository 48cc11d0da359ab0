// SPDX-License-Identifier: MIT
/*
 * Authorization: each changing method has its polkit action; a polkit that
 * answers is obeyed; without an authority only root and the group pass.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "authz.h"
#include "util.h"

#define IN "org.preampd.Preamp1.Input"
#define DEV "org.preampd.Preamp1.Device"
#define MGR "org.preampd.Preamp1.Manager"

static void every_method_has_the_spec_action(void **state)
{
	static const struct {
		const char *iface, *member, *action;
	} v[] = {
		{ IN, "SetGain", "org.preampd.preamp1.set-gain" },
		{ IN, "AdjustGain", "org.preampd.preamp1.set-gain" },
		{ IN, "SetSwitch", "org.preampd.preamp1.set-gain" },
		{ IN, "SetLevel", "org.preampd.preamp1.set-gain" },
		{ IN, "StartAutoGain", "org.preampd.preamp1.set-gain" },
		{ IN, "CancelAutoGain", "org.preampd.preamp1.set-gain" },
		{ IN, "SetPhantom", "org.preampd.preamp1.set-phantom" },
		{ IN, "SetPhantomLock", "org.preampd.preamp1.set-phantom" },
		{ DEV, "SetPhantomPolicy", "org.preampd.preamp1.manage" },
		{ DEV, "SavePreset", "org.preampd.preamp1.manage" },
		{ DEV, "ApplyPreset", "org.preampd.preamp1.manage" },
		{ DEV, "DeletePreset", "org.preampd.preamp1.manage" },
		/* a microphone's levels are private (spec revision 2) */
		{ DEV, "GetLevels", "org.preampd.preamp1.monitor" },
		/* reading properties is open to everybody */
		{ MGR, "GetDeviceByCard", NULL },
		{ IN, "Nonsense", NULL },
		{ DEV, "SetGain", NULL },	/* right member, wrong interface */
	};

	(void)state;
	for (size_t i = 0; i < PA_ARRAY_SIZE(v); i++) {
		const char *a = pa_action_id(pa_action_of_method(v[i].iface,
								 v[i].member));

		if (!v[i].action)
			assert_null(a);
		else
			assert_string_equal(a, v[i].action);
	}
}

/* Locking 48 V is set-phantom; taking a ribbon microphone's protection
 * off is its own action, auth_admin_keep by default. */
static void unlocking_48v_is_its_own_action(void **state)
{
	(void)state;
	assert_string_equal(pa_action_id(pa_action_of_lock(true)),
			    "org.preampd.preamp1.set-phantom");
	assert_string_equal(pa_action_id(pa_action_of_lock(false)),
			    "org.preampd.preamp1.unlock-phantom");
	assert_int_equal(pa_action_of_method(IN, "SetPhantomLock"),
			 pa_action_of_lock(true));
	/* every action has an id, and the ids differ */
	for (int a = 0; a < PA_ACTION_COUNT; a++) {
		assert_non_null(pa_action_id(a));
		for (int b = 0; b < a; b++)
			assert_string_not_equal(pa_action_id(a), pa_action_id(b));
	}
	assert_null(pa_action_id(PA_ACTION_COUNT));
	assert_null(pa_action_id(PA_ACTION_NONE));
}

/* Only a plain yes is remembered: a challenge, a no, and any answer with
 * details (a temporary authorization, a yes after a password) are asked
 * again at the next call. */
static void only_a_plain_yes_is_cached(void **state)
{
	(void)state;
	assert_true(pa_verdict_cacheable(true, false, 0));
	assert_false(pa_verdict_cacheable(true, false, 1));
	assert_false(pa_verdict_cacheable(true, true, 0));
	assert_false(pa_verdict_cacheable(false, false, 0));
	assert_false(pa_verdict_cacheable(false, true, 0));
	assert_false(pa_verdict_cacheable(false, false, 2));
}

static void a_polkit_answer_is_obeyed(void **state)
{
	(void)state;
	assert_int_equal(pa_verdict_of_reply(true, false, false), PA_AUTH_ALLOW);
	assert_int_equal(pa_verdict_of_reply(true, false, true), PA_AUTH_ALLOW);
	assert_int_equal(pa_verdict_of_reply(false, false, false), PA_AUTH_DENY);
	assert_int_equal(pa_verdict_of_reply(false, false, true), PA_AUTH_DENY);
	assert_int_equal(pa_verdict_of_reply(false, true, false),
			 PA_AUTH_INTERACTIVE_REQUIRED);
	/* interactive, yet still a challenge: nobody answered it */
	assert_int_equal(pa_verdict_of_reply(false, true, true), PA_AUTH_DENY);
}

static void only_a_missing_authority_falls_back(void **state)
{
	static const struct {
		const char *error;
		enum pa_verdict v;
	} v[] = {
		{ "org.freedesktop.DBus.Error.ServiceUnknown", PA_AUTH_FALLBACK },
		{ "org.freedesktop.DBus.Error.NameHasNoOwner", PA_AUTH_FALLBACK },
		{ "org.freedesktop.DBus.Error.NoReply", PA_AUTH_DENY },
		{ "org.freedesktop.DBus.Error.Timeout", PA_AUTH_DENY },
		{ "org.freedesktop.DBus.Error.AccessDenied", PA_AUTH_DENY },
		{ "org.freedesktop.PolicyKit1.Error.Failed", PA_AUTH_DENY },
		{ "org.freedesktop.DBus.Error.ServiceUnknownX", PA_AUTH_DENY },
		{ "", PA_AUTH_DENY },
		{ NULL, PA_AUTH_DENY },
	};

	(void)state;
	for (size_t i = 0; i < PA_ARRAY_SIZE(v); i++)
		assert_int_equal(pa_verdict_of_error(v[i].error), v[i].v);
}

static void the_fallback_allows_root_and_the_group(void **state)
{
	const gid_t audio = 29, other[] = { 100, 27 }, with[] = { 100, 29 };

	(void)state;
	/* root, whatever its groups */
	assert_int_equal(pa_verdict_fallback(0, 0, NULL, 0, true, audio),
			 PA_AUTH_ALLOW);
	assert_int_equal(pa_verdict_fallback(0, 0, NULL, 0, false, 0),
			 PA_AUTH_ALLOW);
	/* a member, by a supplementary or the primary group */
	assert_int_equal(pa_verdict_fallback(1000, 1000, with, 2, true, audio),
			 PA_AUTH_ALLOW);
	assert_int_equal(pa_verdict_fallback(1000, audio, other, 2, true, audio),
			 PA_AUTH_ALLOW);
	/* anybody else */
	assert_int_equal(pa_verdict_fallback(1000, 1000, other, 2, true, audio),
			 PA_AUTH_DENY);
	assert_int_equal(pa_verdict_fallback(1000, 1000, NULL, 0, true, audio),
			 PA_AUTH_DENY);
	/* the configured group does not exist: root only */
	assert_int_equal(pa_verdict_fallback(1000, 29, with, 2, false, 29),
			 PA_AUTH_DENY);
	assert_int_equal(pa_verdict_fallback(65534, 65534, NULL, 0, true, audio),
			 PA_AUTH_DENY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_method_has_the_spec_action),
		cmocka_unit_test(unlocking_48v_is_its_own_action),
		cmocka_unit_test(only_a_plain_yes_is_cached),
		cmocka_unit_test(a_polkit_answer_is_obeyed),
		cmocka_unit_test(only_a_missing_authority_falls_back),
		cmocka_unit_test(the_fallback_allows_root_and_the_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
