// SPDX-License-Identifier: MIT
/*
 * How failures reach the user: every D-Bus error the API names and every
 * errno from the bus library maps to its documented exit code, and the
 * message says what to do (start the daemon, polkit or the group, the
 * lock), with the daemon's own words made safe for a terminal.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "errors.h"

static const struct {
	const char *name;
	int code;
} names[] = {
	{ "org.freedesktop.DBus.Error.ServiceUnknown", PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.NameHasNoOwner", PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.Spawn.ExecFailed", PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.Spawn.ChildExited", PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.Spawn.ServiceNotFound", PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.Spawn.FailedToSetup", PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.SpawnNot", PCTL_EXIT_FAILED },
	{ "org.freedesktop.DBus.Error.NoReply", PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.Timeout", PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.Disconnected", PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.AccessDenied", PCTL_EXIT_DENIED },
	{ "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", PCTL_EXIT_DENIED },
	{ "org.freedesktop.PolicyKit1.Error.NotAuthorized", PCTL_EXIT_DENIED },
	{ "org.preampd.Preamp1.Error.NoSuchDevice", PCTL_EXIT_NOTFOUND },
	{ "org.preampd.Preamp1.Error.NoSuchPreset", PCTL_EXIT_NOTFOUND },
	{ "org.preampd.Preamp1.Error.OutOfRange", PCTL_EXIT_INVALID },
	{ "org.freedesktop.DBus.Error.InvalidArgs", PCTL_EXIT_INVALID },
	{ "org.preampd.Preamp1.Error.NotSupported", PCTL_EXIT_UNSUPPORTED },
	{ "org.freedesktop.DBus.Error.UnknownMethod", PCTL_EXIT_UNSUPPORTED },
	{ "org.preampd.Preamp1.Error.DeviceGone", PCTL_EXIT_GONE },
	{ "org.preampd.Preamp1.Error.IOError", PCTL_EXIT_GONE },
	{ "org.freedesktop.DBus.Error.UnknownObject", PCTL_EXIT_GONE },
	{ "org.preampd.Preamp1.Error.Busy", PCTL_EXIT_BUSY },
	{ "org.preampd.Preamp1.Error.Locked", PCTL_EXIT_BUSY },
	{ "org.preampd.Preamp1.Error.Brand.New", PCTL_EXIT_FAILED },
	{ "org.example.Whatever", PCTL_EXIT_FAILED },
	{ "", PCTL_EXIT_FAILED },
	{ NULL, PCTL_EXIT_FAILED },
};

static void dbus_errors_map_to_documented_codes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (pctl_exit_for_dbus_error(names[i].name) != names[i].code)
			fail_msg("%s: %d, want %d", names[i].name ? names[i].name : "(null)",
				 pctl_exit_for_dbus_error(names[i].name), names[i].code);
}

static void errnos_map_to_documented_codes(void **state)
{
	static const struct {
		int e, code;
	} cases[] = {
		{ 0, PCTL_EXIT_OK }, { -ENOENT, PCTL_EXIT_DAEMON },
		{ -ECONNREFUSED, PCTL_EXIT_DAEMON }, { -ETIMEDOUT, PCTL_EXIT_DAEMON },
		{ -ECONNRESET, PCTL_EXIT_DAEMON }, { -EACCES, PCTL_EXIT_DENIED },
		{ -EPERM, PCTL_EXIT_DENIED }, { -ENXIO, PCTL_EXIT_NOTFOUND },
		{ -ERANGE, PCTL_EXIT_INVALID }, { -EOPNOTSUPP, PCTL_EXIT_UNSUPPORTED },
		{ -EIO, PCTL_EXIT_GONE }, { -EBUSY, PCTL_EXIT_BUSY },
		{ -ENOMEM, PCTL_EXIT_FAILED }, { -EBADMSG, PCTL_EXIT_FAILED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(pctl_exit_for_errno(cases[i].e), cases[i].code);
}

static const struct {
	const char *what, *name, *message;
	int e, code;
	const char *says[3];
} messages[] = {
	{ NULL, "org.freedesktop.DBus.Error.ServiceUnknown", "The name is not activatable", 0,
	  PCTL_EXIT_DAEMON, { "preampd is not running", "systemctl start preampd" } },
	/* an activation file, but no way to start it (no systemd, no helper) */
	{ NULL, "org.freedesktop.DBus.Error.Spawn.ExecFailed",
	  "Failed to execute program org.preampd.Preamp1: No such file or directory", 0,
	  PCTL_EXIT_DAEMON, { "preampd is not running, and the system bus could not start it "
			      "(Failed to execute program", "Start it with: systemctl start preampd" } },
	{ "setting the gain", "org.freedesktop.DBus.Error.NoReply", "timeout", 0,
	  PCTL_EXIT_DAEMON, { "setting the gain: preampd did not answer", "systemctl status preampd" } },
	{ NULL, NULL, NULL, -ENOENT, PCTL_EXIT_DAEMON,
	  { "cannot reach the system bus (No such file or directory)", "systemctl start preampd" } },
	{ "switching on 48 V", "org.freedesktop.DBus.Error.AccessDenied", "not authorized", 0,
	  PCTL_EXIT_DENIED, { "switching on 48 V: permission denied (not authorized)", "polkit",
			      "'audio'" } },
	{ NULL, "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", "auth needed", 0,
	  PCTL_EXIT_DENIED, { "permission denied", "without --no-ask-password" } },
	{ NULL, "org.preampd.Preamp1.Error.OutOfRange", "70 dB is above 60 dB", 0,
	  PCTL_EXIT_INVALID, { "invalid value: 70 dB is above 60 dB" } },
	{ NULL, "org.preampd.Preamp1.Error.NotSupported", "no pad", 0, PCTL_EXIT_UNSUPPORTED,
	  { "not supported: no pad" } },
	{ NULL, "org.freedesktop.DBus.Error.UnknownMethod", "no such method", 0,
	  PCTL_EXIT_UNSUPPORTED, { "older than preampctl" } },
	{ "reading the levels", "org.preampd.Preamp1.Error.DeviceGone", "unplugged", 0,
	  PCTL_EXIT_GONE, { "reading the levels: the device is gone (unplugged?): unplugged" } },
	{ NULL, "org.freedesktop.DBus.Error.UnknownObject", NULL, 0, PCTL_EXIT_GONE,
	  { "the device is gone (unplugged?)" } },
	{ NULL, "org.preampd.Preamp1.Error.IOError", "STALL", 0, PCTL_EXIT_GONE,
	  { "the device refused the request: STALL" } },
	{ NULL, "org.preampd.Preamp1.Error.Locked", "locked", 0, PCTL_EXIT_BUSY,
	  { "48 V is locked off: locked", "preampctl lock DEV IN off" } },
	{ NULL, "org.preampd.Preamp1.Error.Busy", "autogain runs", 0, PCTL_EXIT_BUSY,
	  { "busy: autogain runs" } },
	{ NULL, "org.preampd.Preamp1.Error.NoSuchPreset", "gone", 0, PCTL_EXIT_NOTFOUND,
	  { "no such preset: gone" } },
	{ NULL, "org.example.Odd\x1b[2J", "said \x1b]0;x\x07 this\n", 0, PCTL_EXIT_FAILED,
	  { "unexpected error from preampd (org.example.Odd?[2J): said ?]0;x? this?" } },
	{ "x", NULL, NULL, -ENOMEM, PCTL_EXIT_FAILED, { "x: failed: Cannot allocate memory" } },
};

static void messages_say_what_to_do(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++) {
		struct pctl_error err;

		memset(&err, 0, sizeof(err));
		pctl_error_from_dbus(&err, messages[i].what, messages[i].name, messages[i].message,
				     messages[i].e);
		assert_int_equal(err.code, messages[i].code);
		for (size_t k = 0; k < 3 && messages[i].says[k]; k++)
			if (!strstr(err.message, messages[i].says[k]))
				fail_msg("case %zu: '%s' lacks '%s'", i, err.message,
					 messages[i].says[k]);
		for (const char *p = err.message; *p; p++)
			assert_true((unsigned char)*p >= 0x20 || *p == '\n');
	}
}

static void a_huge_daemon_message_is_bounded(void **state)
{
	char big[8192];
	struct pctl_error err;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	pctl_error_from_dbus(&err, "doing it", "org.preampd.Preamp1.Error.IOError", big, 0);
	assert_int_equal(err.code, PCTL_EXIT_GONE);
	assert_true(strlen(err.message) < 400);
	assert_non_null(strstr(err.message, "x~"));
}

static void autogain_results_have_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(pctl_exit_for_autogain("done"), PCTL_EXIT_OK);
	assert_int_equal(pctl_exit_for_autogain("failed"), PCTL_EXIT_GONE);
	assert_int_equal(pctl_exit_for_autogain("max-gain"), PCTL_EXIT_AUTOGAIN);
	assert_int_equal(pctl_exit_for_autogain("min-gain"), PCTL_EXIT_AUTOGAIN);
	assert_int_equal(pctl_exit_for_autogain("too-quiet"), PCTL_EXIT_AUTOGAIN);
	assert_int_equal(pctl_exit_for_autogain("cancelled"), PCTL_EXIT_AUTOGAIN);
	assert_int_equal(pctl_exit_for_autogain("new-word"), PCTL_EXIT_AUTOGAIN);
	assert_int_equal(pctl_exit_for_autogain(NULL), PCTL_EXIT_AUTOGAIN);
}

static void every_code_has_a_meaning(void **state)
{
	(void)state;
	for (int c = PCTL_EXIT_OK; c <= PCTL_EXIT_FAILED; c++)
		assert_true(strlen(pctl_exit_meaning(c)) > 5);
	assert_string_equal(pctl_exit_meaning(PCTL_EXIT_DAEMON), "preampd is not reachable");
	assert_string_equal(pctl_exit_meaning(99), "unexpected failure");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dbus_errors_map_to_documented_codes),
		cmocka_unit_test(errnos_map_to_documented_codes),
		cmocka_unit_test(messages_say_what_to_do),
		cmocka_unit_test(a_huge_daemon_message_is_bounded),
		cmocka_unit_test(autogain_results_have_exit_codes),
		cmocka_unit_test(every_code_has_a_meaning),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
