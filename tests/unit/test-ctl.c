// SPDX-License-Identifier: MIT
/* The emulator's control channel: the command language of its README. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ctl.h"
#include "modelfile.h"

#define T0 1000000000ULL

struct fixture {
	struct emu_dev dev;
	struct emu_stats stats;
	struct emu_ctl_hooks hooks;
	struct emu_ctl ctl;
	int unplugs;
	bool plugged;
	char out[EMU_CTL_REPLY_MAX];
};

static int fake_unplug(void *data)
{
	struct fixture *f = data;

	if (!f->plugged)
		return -ENOTCONN;
	f->plugged = false;
	f->unplugs++;
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct emu_desc desc;
	char err[256];

	assert_non_null(f);
	if (emu_desc_load(MODELS_DIR "/quad.ini", &desc, err, sizeof(err)))
		fail_msg("%s", err);
	emu_dev_init(&f->dev, &desc);
	emu_dev_power_on(&f->dev, T0);
	f->hooks.unplug = fake_unplug;
	f->hooks.data = f;
	f->plugged = true;
	f->ctl.dev = &f->dev;
	f->ctl.stats = &f->stats;
	f->ctl.hooks = &f->hooks;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static int run(struct fixture *f, const char *line)
{
	return emu_ctl_exec(&f->ctl, line, T0, f->out, sizeof(f->out));
}

/* The value of KEY in the last reply, or NULL. */
static const char *value_of(struct fixture *f, const char *key)
{
	static char v[128];
	size_t kl = strlen(key);

	for (const char *p = f->out; *p; p = strchr(p, '\n') + 1) {
		if (!strncmp(p, key, kl) && p[kl] == '=') {
			size_t n = strcspn(p + kl + 1, "\n");

			snprintf(v, sizeof(v), "%.*s", (int)n, p + kl + 1);
			return v;
		}
		if (!strchr(p, '\n'))
			break;
	}
	return NULL;
}

static void state_lists_every_documented_key(void **state)
{
	struct fixture *f = *state;
	static const char *const keys[] = {
		"device.name", "device.serial", "device.vendor_id",
		"device.product_id", "device.flags", "device.num_inputs",
		"device.meter_window_ms", "device.powered",
		"in1.label", "in1.caps", "in1.gain", "in1.gain_db",
		"in1.gain_min_db", "in1.gain_max_db", "in1.gain_step_db",
		"in1.switches", "in1.phantom", "in1.pad", "in1.phase", "in1.hpf",
		"in1.air", "in1.inst", "in1.phantom_group", "in1.source",
		"in1.level_dbfs", "in1.expected_peak_dbfs", "in1.meter_peak",
		"in1.clip_count", "in4.label",
	};

	assert_int_equal(run(f, "state"), 0);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!value_of(f, keys[i]))
			fail_msg("no %s in:\n%s", keys[i], f->out);
	assert_string_equal(value_of(f, "device.name"), "Preamp Quad");
	assert_string_equal(value_of(f, "device.num_inputs"), "4");
	assert_string_equal(value_of(f, "in3.inst"), "1");
	assert_non_null(strstr(f->out, "ok\n"));
}

static void get_prints_one_value(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "get in2.label"), 0);
	assert_string_equal(f->out, "Mic 2\nok\n");
	assert_true(run(f, "get in9.label") < 0);
	assert_int_equal(strncmp(f->out, "error: ", 7), 0);
}

static void knob_changes_the_device_and_notifies(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "knob 1 gain 12.5"), 0);
	assert_int_equal(f->dev.in[0].gain, 12 * 256 + 128);
	assert_int_equal(f->dev.pending_changed, 1u << 0);
	assert_int_equal(run(f, "knob 2 phantom on"), 0);
	/* the group follows: both microphone inputs */
	assert_true(f->dev.in[0].switches & 1u << PAMP_SW_PHANTOM);
	assert_true(f->dev.in[1].switches & 1u << PAMP_SW_PHANTOM);
	assert_int_equal(run(f, "knob 3 inst off"), 0);
	assert_false(f->dev.in[2].switches & 1u << PAMP_SW_INST);
}

static void source_plugs_a_signal(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "source 4 sine -18"), 0);
	assert_int_equal(f->dev.in[3].source.shape, EMU_SHAPE_SINE);
	assert_true(f->dev.in[3].source.level_dbfs == -18.0);
	assert_int_equal(run(f, "get in4.expected_peak_dbfs"), 0);
	assert_string_equal(f->out, "-18\nok\n");
}

static void faults_set_what_they_say(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "fault stall 3"), 0);
	assert_int_equal(f->dev.faults.stall_next, 3);
	assert_int_equal(run(f, "fault delay 1500 2"), 0);
	assert_int_equal(f->dev.faults.delay_ms, 1500);
	assert_int_equal(f->dev.faults.delay_next, 2);
	assert_int_equal(run(f, "fault short 5"), 0);
	assert_int_equal(f->dev.faults.short_len, 5);
	assert_int_equal(f->dev.faults.short_next, 1);
	assert_int_equal(run(f, "fault disconnect-on SET_GAIN"), 0);
	assert_int_equal(f->dev.faults.disconnect_on, PAMP_REQ_SET_GAIN);
	assert_int_equal(run(f, "fault disconnect-on any"), 0);
	assert_int_equal(f->dev.faults.disconnect_on, -1);
	assert_int_equal(run(f, "fault info inputs33"), 0);
	assert_int_equal(f->dev.faults.bad_info, EMU_BAD_INFO_TOO_MANY_INPUTS);
	assert_int_equal(run(f, "fault input-info 2 label-utf8"), 0);
	assert_int_equal(f->dev.faults.bad_input[1], EMU_BAD_INPUT_LABEL_UTF8);
	assert_int_equal(run(f, "fault storm 100 2"), 0);
	assert_int_equal(f->dev.faults.storm_left, 100);
	assert_int_equal(f->dev.faults.storm_interval_ms, 2);
	assert_int_equal(run(f, "fault notify-short 3"), 0);
	assert_true(f->dev.faults.notify_short);
	assert_int_equal(run(f, "fault notify-garbage"), 0);
	assert_true(f->dev.faults.notify_garbage);

	assert_int_equal(run(f, "fault clear"), 0);
	assert_int_equal(f->dev.faults.stall_next, 0);
	assert_int_equal(f->dev.faults.bad_info, EMU_BAD_INFO_NONE);
	assert_int_equal(f->dev.faults.bad_input[1], EMU_BAD_INPUT_NONE);
	assert_int_equal(f->dev.faults.storm_left, 0);
	assert_false(f->dev.faults.notify_garbage);
	assert_int_equal(run(f, "fault delay 700 9 GET_METERS"), 0);
	assert_int_equal(f->dev.faults.delay_ms, 700);
	assert_int_equal(f->dev.faults.delay_next, 9);
	assert_int_equal(f->dev.faults.delay_req, PAMP_REQ_GET_METERS);
	assert_int_equal(run(f, "fault delay 700 9 any"), 0);
	assert_int_equal(f->dev.faults.delay_req, 0);
	assert_int_equal(run(f, "fault notify-error"), 0);
	assert_int_equal(f->dev.faults.notify_error_next, 1);
	assert_int_equal(run(f, "fault notify-error 40"), 0);
	assert_int_equal(f->dev.faults.notify_error_next, 40);
}

static void power_loss_forgets_the_settings(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "knob 1 gain 30"), 0);
	assert_int_equal(run(f, "power-loss"), 0);
	assert_int_equal(run(f, "get in1.gain_db"), 0);
	assert_string_equal(f->out, "0\nok\n");
}

static void counters_count_requests_and_reset(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[64];

	emu_dev_request(&f->dev, PAMP_REQTYPE_IN, PAMP_REQ_GET_INFO, 0, 16, buf,
			sizeof(buf), T0);
	emu_dev_request(&f->dev, PAMP_REQTYPE_IN, 0x42, 0, 16, buf, sizeof(buf),
			T0);
	f->stats.iso_urbs = 7;
	assert_int_equal(run(f, "counters"), 0);
	assert_string_equal(value_of(f, "req.GET_INFO"), "1");
	assert_string_equal(value_of(f, "req.UNKNOWN"), "1");
	assert_string_equal(value_of(f, "stall.UNKNOWN"), "1");
	assert_string_equal(value_of(f, "stall.GET_INFO"), "0");
	assert_string_equal(value_of(f, "iso.urbs"), "7");
	assert_int_equal(run(f, "reset-counters"), 0);
	assert_int_equal(run(f, "counters"), 0);
	assert_string_equal(value_of(f, "req.GET_INFO"), "0");
	assert_string_equal(value_of(f, "iso.urbs"), "0");
}

static void unplug_asks_the_transport(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "unplug"), 0);
	assert_int_equal(f->unplugs, 1);
	assert_true(run(f, "unplug") < 0);	/* nothing plugged in */
	f->ctl.hooks = NULL;
	assert_true(run(f, "unplug") < 0);
}

static void clip_counts_one_event(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, "clip 2"), 0);
	assert_int_equal(f->dev.in[1].meter.clip_count, 1);
	assert_true(f->dev.in[1].meter.clipped);
	assert_true(run(f, "clip 5") < 0);
}

static void reset_notifies(void **state)
{
	struct fixture *f = *state;

	f->dev.in[0].gain = 20 * 256;
	assert_int_equal(run(f, "reset"), 0);
	assert_int_equal(f->dev.in[0].gain, 0);
	assert_true(f->dev.pending_events & PAMP_EVT_RESET);
	emu_dev_power_off(&f->dev);
	assert_true(run(f, "reset") < 0);
}

/* Every one of these is refused with a reason and changes nothing. */
static const char *const bad_lines[] = {
	"", "   ", "frobnicate", "state extra", "get", "knob", "knob 1 gain",
	"knob 0 gain 10", "knob 5 gain 10", "knob 1 gain nan", "knob 1 gain inf",
	"knob 1 gain 1e400", "knob 1 volume 3", "knob 1 phantom maybe",
	"knob 3 phantom on", "knob x gain 1", "knob -1 gain 1",
	"knob 4294967297 gain 1", "source 1 noise -10", "source 1 sine 300",
	"source 1 sine nan", "source 9 sine -10", "fault", "fault stall",
	"fault stall -1", "fault stall 1x", "fault frob", "fault info frob",
	"fault input-info 9 step-zero", "fault input-info 1 frob",
	"fault disconnect-on FROB", "fault notify-short 9", "fault delay",
	"fault delay 10 1 FROB", "fault notify-error x", "power-loss now",
	"state\x01", "knob 1 gain 1 2 3 4 5 6 7 8 9",
};

static void bad_lines_are_refused_and_change_nothing(void **state)
{
	struct fixture *f = *state;
	/* on the heap: the device holds a second of audio history */
	struct emu_dev *before = malloc(sizeof(*before));

	assert_non_null(before);
	memcpy(before, &f->dev, sizeof(*before));
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		if (run(f, bad_lines[i]) >= 0)
			fail_msg("accepted '%s'", bad_lines[i]);
		if (strncmp(f->out, "error: ", 7) || strlen(f->out) < 10)
			fail_msg("'%s' gave no reason: '%s'", bad_lines[i], f->out);
		if (memcmp(&before->in, &f->dev.in, sizeof(before->in)) ||
		    memcmp(&before->faults, &f->dev.faults, sizeof(before->faults)))
			fail_msg("'%s' changed the device", bad_lines[i]);
	}
	free(before);
}

static void an_overlong_line_is_refused(void **state)
{
	struct fixture *f = *state;
	char line[1024];

	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	assert_true(run(f, line) < 0);
	assert_int_equal(strncmp(f->out, "error: ", 7), 0);
}

static void a_small_reply_buffer_is_safe(void **state)
{
	struct fixture *f = *state;
	char small[64];

	assert_true(emu_ctl_exec(&f->ctl, "state", T0, small, sizeof(small)) < 0);
	assert_non_null(memchr(small, '\0', sizeof(small)));
	assert_int_equal(strncmp(small, "error: ", 7), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(state_lists_every_documented_key),
		T(get_prints_one_value),
		T(knob_changes_the_device_and_notifies),
		T(source_plugs_a_signal),
		T(faults_set_what_they_say),
		T(power_loss_forgets_the_settings),
		T(counters_count_requests_and_reset),
		T(unplug_asks_the_transport),
		T(clip_counts_one_event),
		T(reset_notifies),
		T(bad_lines_are_refused_and_change_nothing),
		T(an_overlong_line_is_refused),
		T(a_small_reply_buffer_is_safe),
#undef T
	};

	return cmocka_run_group_tests_name("emulator control channel", tests, NULL, NULL);
}
