// SPDX-License-Identifier: MIT
/*
 * What preamp-gtk shows for a given bus state (daemon/preamp-gtk/model.c):
 * titles that tell identical interfaces apart, a strip's controls, gain
 * snapping and text, the meter's hold and clip light, AutoGain's progress
 * and results in words, preset names, and error messages. Table-driven:
 * a new case is one line.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "preamp-gtk/model.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void titles_tell_twins_apart(void **state)
{
	static const struct pg_device_state devs[] = {
		{ .key = "k1", .name = "Quad Mic Pre", .usb_id = "1d6b:0104", .serial = "PAMP0001", .card = 1, .card_id = "Quad" },
		{ .key = "k2", .name = "Quad Mic Pre", .usb_id = "1d6b:0104", .serial = "PAMP0002", .card = 2, .card_id = "Quad_1" },
		{ .key = "k3", .name = "Scarlett 2i2", .usb_id = "1235:8219", .serial = "S1", .card = 3, .persistent = true },
		{ .key = "k4", .name = "Solo", .usb_id = "1d6b:0101", .serial = "", .card = 4 },
		{ .key = "k5", .name = "Solo", .usb_id = "1d6b:0101", .serial = "", .card = 5 },
		{ .key = "k6", .name = "Quad Mic Pre", .usb_id = "1d6b:0104", .serial = "PAMP0003", .card = 6, .user_name = "Studio left" },
		{ .key = "k7", .name = "", .usb_id = "1d6b:0105", .serial = "X", .card = -1 },
		{ .key = "k8", .name = "Evil\x1b[2J\xe2\x80\xae", .usb_id = "1:2", .serial = "\x07", .card = 8 },
	};
	static const struct { const char *title, *subtitle; } want[] = {
		{ "Quad Mic Pre (PAMP0001)", "Quad Mic Pre \u00b7 serial PAMP0001 \u00b7 card 1 (Quad)" },
		{ "Quad Mic Pre (PAMP0002)", "Quad Mic Pre \u00b7 serial PAMP0002 \u00b7 card 2 (Quad_1)" },
		{ "Scarlett 2i2", "Scarlett 2i2 \u00b7 serial S1 \u00b7 card 3 \u00b7 keeps its own settings" },
		{ "Solo (card 4)", "Solo \u00b7 no serial \u00b7 card 4" },
		{ "Solo (card 5)", "Solo \u00b7 no serial \u00b7 card 5" },
		{ "Studio left", "Quad Mic Pre \u00b7 serial PAMP0003 \u00b7 card 6" },
		{ "USB interface", "USB interface \u00b7 serial X" },
		{ "Evil\xef\xbf\xbd[2J\xef\xbf\xbd", "Evil\xef\xbf\xbd[2J\xef\xbf\xbd \u00b7 serial \xef\xbf\xbd \u00b7 card 8" },
	};
	struct pg_device_view v[N(devs)];

	(void)state;
	pg_device_views(devs, N(devs), v);
	for (size_t i = 0; i < N(devs); i++) {
		assert_string_equal(v[i].title, want[i].title);
		assert_string_equal(v[i].subtitle, want[i].subtitle);
	}
}

static void clean_text_is_safe_and_bounded(void **state)
{
	static const struct { const char *in; size_t max; const char *out; } cases[] = {
		{ "Mic 1", 32, "Mic 1" },
		{ NULL, 32, "" },
		{ "a\nb\tc", 32, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c" },
		{ "\xff\xfe", 32, "\xef\xbf\xbd\xef\xbf\xbd" },			/* invalid UTF-8 */
		{ "\xc0\xaf", 32, "\xef\xbf\xbd\xef\xbf\xbd" },			/* overlong '/' */
		{ "\xed\xa0\x80", 32, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },	/* a surrogate */
		{ "\xe2\x80\xaeoops", 32, "\xef\xbf\xbdoops" },			/* RTL override */
		{ "\xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x8e\xa4", 32, "\xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x8e\xa4" },
		{ "abcdefgh", 3, "abc" },
		{ "\xc3\xa9\xc3\xa9\xc3\xa9", 2, "\xc3\xa9\xc3\xa9" },		/* characters, not bytes */
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		pg_clean_text(out, sizeof(out), cases[i].in, cases[i].max);
		assert_string_equal(out, cases[i].out);
	}
	pg_clean_text(out, 4, "\xe4\xb8\xad\xe6\x96\x87", 10);	/* never half a character */
	assert_string_equal(out, "\xe4\xb8\xad");
}

static void gain_snaps_to_real_steps(void **state)
{
	static const struct { double db, min, max, step, want; } cases[] = {
		{ 12.3, -10, 60, 0.5, 12.5 },
		{ 12.2, -10, 60, 0.5, 12.0 },
		{ 61, -10, 60, 0.5, 60 },
		{ -11, -10, 60, 0.5, -10 },
		{ 59.9, 0, 59.5, 1, 59 },	/* a range that is no whole number of steps */
		{ NAN, 0, 60, 1, 0 },
		{ 7.3, 0, 60, 0, 7.3 },		/* no step: the range only */
		{ 0.25, 0, 1, 0.25, 0.25 },
	};
	static const struct { double db, step; const char *text; } texts[] = {
		{ 24, 1, "24 dB" }, { 12.5, 0.5, "12.5 dB" }, { -10, 0.5, "-10.0 dB" },
		{ -0.0, 1, "0 dB" }, { 0.25, 0.25, "0.25 dB" }, { NAN, 1, "unknown" },
	};
	char t[32];

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		assert_float_equal(pg_gain_snap(cases[i].db, cases[i].min, cases[i].max,
						cases[i].step), cases[i].want, 1e-9);
	for (size_t i = 0; i < N(texts); i++) {
		pg_gain_text(t, sizeof(t), texts[i].db, texts[i].step);
		assert_string_equal(t, texts[i].text);
	}
}

static void strip_shows_what_the_input_has(void **state)
{
	struct pg_input_state in = {
		.number = 1, .label = "Mic 1",
		.caps = PG_CAP_GAIN | PG_CAP_PHANTOM | PG_CAP_PAD | PG_CAP_METER | PG_CAP_AUTOGAIN,
		.gain = 12.3, .gain_min = -10, .gain_max = 60, .gain_step = 0.5,
		.phantom = true, .level = "", .autogain_state = "listening",
		.group = { 1, 2 }, .n_group = 2,
	};
	struct pg_strip_view v;

	(void)state;
	pg_strip_view(&in, &v);
	assert_string_equal(v.title, "Mic 1");
	assert_true(v.gain_ok);
	assert_int_equal(v.n_steps, 141);
	assert_int_equal(v.digits, 1);
	assert_string_equal(v.gain_text, "12.5 dB");
	assert_true(v.show_phantom && v.phantom_on && v.phantom_sensitive);
	assert_string_equal(v.phantom_text, "48 V on");
	assert_string_equal(v.group_text, "shared by inputs 1 and 2");
	assert_non_null(strstr(v.phantom_confirm, "inputs 1 and 2"));
	assert_true(v.show_pad && !v.show_air && !v.show_phase && !v.show_highpass);
	assert_false(v.show_level);
	assert_true(v.show_meter && v.show_autogain && v.autogain_running);

	in.phantom_locked = true;
	in.n_group = 1;
	in.label = "";
	pg_strip_view(&in, &v);
	assert_string_equal(v.title, "Input 1");
	assert_false(v.phantom_sensitive);
	assert_string_equal(v.phantom_text, "48 V locked");
	assert_string_equal(v.group_text, "");
	assert_non_null(strstr(v.phantom_confirm, "input 1."));

	/* a range from a lying device: no slider, no AutoGain */
	in.gain_min = 10;
	in.gain_max = NAN;
	pg_strip_view(&in, &v);
	assert_false(v.gain_ok);
	assert_false(v.show_autogain);
	in.gain_max = 10;
	pg_strip_view(&in, &v);
	assert_false(v.gain_ok);

	in.caps = PG_CAP_LEVEL;
	in.level = "inst";
	pg_strip_view(&in, &v);
	assert_true(v.show_level && v.level_inst);
	assert_false(v.show_phantom || v.show_lock || v.show_meter);
}

static void inputs_text_and_paths(void **state)
{
	static const uint32_t a[] = { 1, 2, 3, 4 };
	static const struct { size_t n; const char *want; } cases[] = {
		{ 0, "" }, { 1, "input 1" }, { 2, "inputs 1 and 2" }, { 4, "inputs 1, 2, 3 and 4" },
	};
	static const struct { const char *dev, *path; uint32_t want; } paths[] = {
		{ "/d/x", "/d/x/inputs/3", 3 }, { "/d/x", "/d/x/inputs/12", 12 },
		{ "/d/x", "/d/y/inputs/3", 0 }, { "/d/x", "/d/x/inputs/0", 0 },
		{ "/d/x", "/d/x/inputs/3a", 0 }, { "/d/x", "/d/x/inputs/", 0 },
		{ "/d/x", "/d/xx/inputs/1", 0 }, { "/d/x", "/d/x/inputs/99999999", 0 },
		{ "/d/x", NULL, 0 },
	};
	char t[64];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		pg_inputs_text(t, sizeof(t), a, cases[i].n);
		assert_string_equal(t, cases[i].want);
	}
	for (size_t i = 0; i < N(paths); i++)
		assert_int_equal(pg_input_number_from_path(paths[i].dev, paths[i].path),
				 paths[i].want);
}

static void meter_holds_peaks_and_latches_clips(void **state)
{
	/* time, peak, clip counter -> bar, hold, clip light */
	static const struct { double t, peak; uint32_t clips; double bar, hold; bool clip; } steps[] = {
		{ 0.0, -20, 5, -20, -20, false },	/* clips before we looked do not light it */
		{ 0.5, -30, 5, -30, -20, false },	/* the bar falls at most 12 dB in 0.5 s */
		{ 1.0, -10, 5, -10, -10, false },
		{ 2.0, -40, 5, -34, -10, false },	/* held 1 s of 1.5 */
		{ 3.0, -40, 5, -40, -34, false },	/* past the hold: falls */
		{ 3.1, NAN, 6, -42.4, -36.4, true },	/* NaN is silence; a new clip lights */
		{ 3.2, -60, 6, -44.8, -38.8, true },	/* stays lit */
		{ 3.3, -5, 0, -5, -5, true },		/* a replug restarts the counter */
		{ 9.0, -200, 0, -60, -60, true },	/* floor */
	};
	struct pg_meter m;

	(void)state;
	pg_meter_init(&m);
	for (size_t i = 0; i < N(steps); i++) {
		pg_meter_feed(&m, steps[i].t, steps[i].peak, steps[i].clips);
		assert_float_equal(m.bar, steps[i].bar, 1e-6);
		assert_float_equal(m.hold, steps[i].hold, 1e-6);
		assert_int_equal(m.clip, steps[i].clip);
	}
	pg_meter_clear(&m);
	assert_false(m.clip);
	pg_meter_feed(&m, 9.1, -3, 0);
	assert_false(m.clip);
	pg_meter_clipped(&m, 1);
	assert_true(m.clip);
}

static void meter_scale_and_window(void **state)
{
	static const struct { double db, frac; enum pg_zone zone; const char *text; } cases[] = {
		{ 0, 1, PG_ZONE_OVER, "0.0 dBFS" }, { -6, 0.9, PG_ZONE_WINDOW, "-6.0 dBFS" },
		{ -3, 0.95, PG_ZONE_WINDOW, "-3.0 dBFS" }, { -6.1, 59.9 / 60 - 0.1, PG_ZONE_LOW, "-6.1 dBFS" },
		{ -60, 0, PG_ZONE_LOW, "silence" }, { -INFINITY, 0, PG_ZONE_LOW, "silence" },
		{ NAN, 0, PG_ZONE_LOW, "silence" }, { 3, 1, PG_ZONE_OVER, "0.0 dBFS" },
	};
	char t[32];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		assert_float_equal(pg_meter_fraction(cases[i].db), cases[i].frac, 1e-3);
		assert_int_equal(pg_meter_zone(cases[i].db), cases[i].zone);
		pg_peak_text(t, sizeof(t), cases[i].db);
		assert_string_equal(t, cases[i].text);
	}
}

static void autogain_progress_in_words(void **state)
{
	struct pg_autogain a;
	char t[512];

	(void)state;
	pg_autogain_init(&a);
	pg_autogain_text(&a, 1, t, sizeof(t));
	assert_string_equal(t, "");
	pg_autogain_started(&a, -4, 20);
	pg_autogain_state(&a, "listening", 20);
	pg_autogain_text(&a, 1, t, sizeof(t));
	assert_string_equal(t, "Listening, pass 1, at 20 dB: play the loudest part now.");
	pg_autogain_gain(&a, "listening", 31);
	pg_autogain_gain(&a, "listening", 31);	/* the same gain is no new pass */
	pg_autogain_text(&a, 1, t, sizeof(t));
	assert_string_equal(t, "Listening, pass 2, at 31 dB: play the loudest part now.");
	pg_autogain_state(&a, "done", 33);
	pg_autogain_finished(&a, "done", 33, -4.8);
	pg_autogain_text(&a, 1, t, sizeof(t));
	assert_string_equal(t, "Done: the gain is 33 dB. The loudest peak will be about "
			       "-4.8 dBFS (target -5.5 to -4.0 dBFS).");

	/* started elsewhere: the pass is unknown */
	pg_autogain_init(&a);
	pg_autogain_state(&a, "listening", 10);
	pg_autogain_gain(&a, "listening", 12);
	pg_autogain_text(&a, 1, t, sizeof(t));
	assert_string_equal(t, "Listening at 12 dB: play the loudest part now.");
	pg_autogain_state(&a, "idle", 12);
	assert_false(a.running);
}

static void autogain_results_in_words(void **state)
{
	static const struct { const char *result; const char *starts; } cases[] = {
		{ "done", "Done: the gain is 30 dB." },
		{ "max-gain", "Stopped at the highest gain, 30 dB: the source is too quiet" },
		{ "min-gain", "Stopped at the lowest gain, 30 dB: the input still clips." },
		{ "too-quiet", "Nothing was heard above -80 dBFS" },
		{ "cancelled", "Cancelled; the gain is back to 30 dB." },
		{ "failed", "Failed: the interface refused a change or went away." },
		{ "\x1b[2Jnew", "Ended with a result this version does not know" },
	};
	struct pg_autogain a;
	char t[512];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		pg_autogain_started(&a, -4, 10);
		pg_autogain_finished(&a, cases[i].result, 30, NAN);
		pg_autogain_text(&a, 1, t, sizeof(t));
		if (strncmp(t, cases[i].starts, strlen(cases[i].starts)) != 0)
			fail_msg("%s: \"%s\"", cases[i].result, t);
		assert_false(a.running);
	}
}

static void preset_names_as_the_daemon_checks_them(void **state)
{
	static const struct { const char *name; bool ok; } cases[] = {
		{ "Vocals", true }, { "Gesang \xc3\xa9t\xc3\xa9", true }, { "", false }, { NULL, false },
		{ "a/b", false }, { "../x", false }, { "tab\there", false }, { "\x7f", false },
		{ "\xc2\x85", false },		/* C1 control */
		{ "\xff", false },		/* invalid UTF-8 */
		{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", true },	/* 64 */
		{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", false },	/* 65 */
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		if (pg_preset_name_valid(cases[i].name) != cases[i].ok)
			fail_msg("\"%s\": want %d", cases[i].name ? cases[i].name : "(null)", cases[i].ok);
	assert_int_equal(pg_policy_index("restore"), 1);
	assert_int_equal(pg_policy_index("always"), -1);
	assert_string_equal(pg_policy_title(0), "Off at plug-in");
}

static void errors_say_what_to_do(void **state)
{
	static const struct {
		const char *name, *message;
		enum pg_err_kind kind;
		const char *contains;
	} cases[] = {
		{ "org.freedesktop.DBus.Error.ServiceUnknown", NULL, PG_ERR_DAEMON, "sudo systemctl start preampd" },
		{ "org.freedesktop.DBus.Error.NameHasNoOwner", NULL, PG_ERR_DAEMON, "preampd is not running" },
		{ "org.freedesktop.DBus.Error.Spawn.ChildExited", NULL, PG_ERR_DAEMON, "systemctl start preampd" },
		{ "org.freedesktop.DBus.Error.NoReply", NULL, PG_ERR_DAEMON, "systemctl status preampd" },
		{ "org.freedesktop.DBus.Error.AccessDenied", "no", PG_ERR_DENIED, "was not allowed (no). Changing preamp settings needs authorization from polkit" },
		{ "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", NULL, PG_ERR_DENIED, "was not allowed" },
		{ "org.preampd.Preamp1.Error.DeviceGone", "gone", PG_ERR_GONE, "went away (unplugged?)" },
		{ "org.freedesktop.DBus.Error.UnknownObject", NULL, PG_ERR_GONE, "went away" },
		{ "org.preampd.Preamp1.Error.IOError", "stall", PG_ERR_DEVICE, "refused the request: stall" },
		{ "org.preampd.Preamp1.Error.Locked", NULL, PG_ERR_LOCKED, "Remove the lock first" },
		{ "org.preampd.Preamp1.Error.Busy", "runs", PG_ERR_BUSY, "busy: runs" },
		{ "org.preampd.Preamp1.Error.OutOfRange", "61 dB is outside", PG_ERR_INVALID, "failed: 61 dB is outside" },
		{ "org.preampd.Preamp1.Error.NotSupported", NULL, PG_ERR_UNSUPPORTED, "not supported here" },
		{ "org.preampd.Preamp1.Error.NoSuchPreset", NULL, PG_ERR_NOTFOUND, "no such device or preset" },
		{ "org.example.New", "\x1b[31mred", PG_ERR_OTHER, "failed: \xef\xbf\xbd[31mred" },
		{ NULL, NULL, PG_ERR_OTHER, "Doing it failed." },
	};
	char t[1024];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		enum pg_err_kind k = pg_error_text(t, sizeof(t), "Doing it", cases[i].name,
						   cases[i].message);

		assert_int_equal(k, cases[i].kind);
		if (!strstr(t, cases[i].contains))
			fail_msg("%s: \"%s\" lacks \"%s\"", cases[i].name ? cases[i].name : "(null)",
				 t, cases[i].contains);
	}
}

static void capability_words(void **state)
{
	static const struct { const char *w; unsigned bit; } cases[] = {
		{ "gain", PG_CAP_GAIN }, { "autogain", PG_CAP_AUTOGAIN }, { "highpass", PG_CAP_HIGHPASS },
		{ "telepathy", 0 }, { "", 0 }, { NULL, 0 }, { "Gain", 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		assert_int_equal(pg_cap_from_word(cases[i].w), cases[i].bit);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(titles_tell_twins_apart),
		cmocka_unit_test(clean_text_is_safe_and_bounded),
		cmocka_unit_test(gain_snaps_to_real_steps),
		cmocka_unit_test(strip_shows_what_the_input_has),
		cmocka_unit_test(inputs_text_and_paths),
		cmocka_unit_test(meter_holds_peaks_and_latches_clips),
		cmocka_unit_test(meter_scale_and_window),
		cmocka_unit_test(autogain_progress_in_words),
		cmocka_unit_test(autogain_results_in_words),
		cmocka_unit_test(preset_names_as_the_daemon_checks_them),
		cmocka_unit_test(errors_say_what_to_do),
		cmocka_unit_test(capability_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
