// SPDX-License-Identifier: MIT
/*
 * preampctl's command line: every subcommand and option parses into the
 * right struct pctl_cmd, and every malformed or out-of-range argument is
 * refused with the right exit code and a message that names it.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "args.h"
#include "errors.h"
#include "help.h"

#define MAXARGS 10

struct good {
	const char *argv[MAXARGS];
	enum pctl_verb verb;
	const char *dev, *input, *word, *name;
	bool on;
	double value;
	bool relative;
};

static int parse(const char *const *args, struct pctl_cmd *cmd, char *err, size_t size)
{
	char *argv[MAXARGS + 2];
	int argc = 0;

	argv[argc++] = (char *)"preampctl";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	return pctl_parse_args(argc, argv, cmd, err, size);
}

static const struct good good[] = {
	{ .argv = { NULL }, .verb = PCTL_CMD_STATUS },
	{ .argv = { "status", NULL }, .verb = PCTL_CMD_STATUS },
	{ .argv = { "status", "2", NULL }, .verb = PCTL_CMD_STATUS, .dev = "2" },
	{ .argv = { "list", NULL }, .verb = PCTL_CMD_LIST },
	{ .argv = { "show", "quad", NULL }, .verb = PCTL_CMD_SHOW, .dev = "quad" },
	{ .argv = { "gain", "1", "2", "24", NULL }, .verb = PCTL_CMD_GAIN, .dev = "1", .input = "2", .value = 24 },
	{ .argv = { "gain", "1", "2", "24.5dB", NULL }, .verb = PCTL_CMD_GAIN, .dev = "1", .input = "2", .value = 24.5 },
	{ .argv = { "gain", "1", "2", "+3", NULL }, .verb = PCTL_CMD_GAIN, .dev = "1", .input = "2", .value = 3, .relative = true },
	{ .argv = { "gain", "1", "2", "-1.5", NULL }, .verb = PCTL_CMD_GAIN, .dev = "1", .input = "2", .value = -1.5, .relative = true },
	{ .argv = { "gain", "1", "2", "-.5", NULL }, .verb = PCTL_CMD_GAIN, .dev = "1", .input = "2", .value = -0.5, .relative = true },
	{ .argv = { "gain", "1", "2", "=-6", NULL }, .verb = PCTL_CMD_GAIN, .dev = "1", .input = "2", .value = -6 },
	{ .argv = { "gain", "1", "2", "=+6dB", NULL }, .verb = PCTL_CMD_GAIN, .dev = "1", .input = "2", .value = 6 },
	{ .argv = { "gain", "1", "Mic 1", "0", NULL }, .verb = PCTL_CMD_GAIN, .dev = "1", .input = "Mic 1", .value = 0 },
	{ .argv = { "gain", "--", "1", "2", "-3", NULL }, .verb = PCTL_CMD_GAIN, .dev = "1", .input = "2", .value = -3, .relative = true },
	{ .argv = { "phantom", "1", "2", "on", NULL }, .verb = PCTL_CMD_PHANTOM, .dev = "1", .input = "2", .on = true },
	{ .argv = { "phantom", "1", "2", "OFF", NULL }, .verb = PCTL_CMD_PHANTOM, .dev = "1", .input = "2", .on = false },
	{ .argv = { "phantom", "1", "2", "yes", NULL }, .verb = PCTL_CMD_PHANTOM, .dev = "1", .input = "2", .on = true },
	{ .argv = { "phantom", "1", "2", "0", NULL }, .verb = PCTL_CMD_PHANTOM, .dev = "1", .input = "2", .on = false },
	{ .argv = { "pad", "1", "2", "on", NULL }, .verb = PCTL_CMD_SWITCH, .dev = "1", .input = "2", .word = "pad", .on = true },
	{ .argv = { "phase", "1", "2", "true", NULL }, .verb = PCTL_CMD_SWITCH, .dev = "1", .input = "2", .word = "phase", .on = true },
	{ .argv = { "highpass", "1", "2", "off", NULL }, .verb = PCTL_CMD_SWITCH, .dev = "1", .input = "2", .word = "highpass" },
	{ .argv = { "air", "1", "2", "on", NULL }, .verb = PCTL_CMD_SWITCH, .dev = "1", .input = "2", .word = "air", .on = true },
	{ .argv = { "level", "1", "2", "inst", NULL }, .verb = PCTL_CMD_LEVEL, .dev = "1", .input = "2", .word = "inst" },
	{ .argv = { "level", "1", "2", "instrument", NULL }, .verb = PCTL_CMD_LEVEL, .dev = "1", .input = "2", .word = "inst" },
	{ .argv = { "level", "1", "2", "line", NULL }, .verb = PCTL_CMD_LEVEL, .dev = "1", .input = "2", .word = "line" },
	{ .argv = { "meter", "1", NULL }, .verb = PCTL_CMD_METER, .dev = "1" },
	{ .argv = { "meter", "1", "3", NULL }, .verb = PCTL_CMD_METER, .dev = "1", .input = "3" },
	{ .argv = { "autogain", "1", "2", NULL }, .verb = PCTL_CMD_AUTOGAIN, .dev = "1", .input = "2" },
	{ .argv = { "preset", "save", "1", "live set", NULL }, .verb = PCTL_CMD_PRESET_SAVE, .dev = "1", .name = "live set" },
	{ .argv = { "preset", "apply", "1", "live", NULL }, .verb = PCTL_CMD_PRESET_APPLY, .dev = "1", .name = "live" },
	{ .argv = { "preset", "delete", "1", "live", NULL }, .verb = PCTL_CMD_PRESET_DELETE, .dev = "1", .name = "live" },
	{ .argv = { "preset", "list", "1", NULL }, .verb = PCTL_CMD_PRESET_LIST, .dev = "1" },
	{ .argv = { "policy", "1", "restore", NULL }, .verb = PCTL_CMD_POLICY, .dev = "1", .word = "restore" },
	{ .argv = { "policy", "1", "device", NULL }, .verb = PCTL_CMD_POLICY, .dev = "1", .word = "device" },
	{ .argv = { "policy", "1", "off", NULL }, .verb = PCTL_CMD_POLICY, .dev = "1", .word = "off" },
	{ .argv = { "lock", "1", "2", "on", NULL }, .verb = PCTL_CMD_LOCK, .dev = "1", .input = "2", .on = true },
	{ .argv = { "monitor", NULL }, .verb = PCTL_CMD_MONITOR },
	{ .argv = { "help", NULL }, .verb = PCTL_CMD_HELP },
	{ .argv = { "--help", NULL }, .verb = PCTL_CMD_HELP },
	{ .argv = { "gain", "-h", NULL }, .verb = PCTL_CMD_HELP },
	{ .argv = { "--version", NULL }, .verb = PCTL_CMD_VERSION },
	{ .argv = { "--complete", "devices", NULL }, .verb = PCTL_CMD_COMPLETE },
	{ .argv = { "--complete", "inputs", "2", NULL }, .verb = PCTL_CMD_COMPLETE, .dev = "2" },
	{ .argv = { "--complete=presets", "quad", NULL }, .verb = PCTL_CMD_COMPLETE, .dev = "quad" },
};

static void every_subcommand_parses(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct good *g = &good[i];
		struct pctl_cmd cmd;
		char err[512] = "";
		int r = parse(g->argv, &cmd, err, sizeof(err));

		if (r != PCTL_EXIT_OK)
			fail_msg("case %zu (%s ...): %d, %s", i, g->argv[0] ? g->argv[0] : "", r, err);
		assert_int_equal(cmd.verb, g->verb);
		if (g->dev)
			assert_string_equal(cmd.dev, g->dev);
		else
			assert_null(cmd.dev);
		if (g->input)
			assert_string_equal(cmd.input, g->input);
		else
			assert_null(cmd.input);
		if (g->word)
			assert_string_equal(cmd.word, g->word);
		if (g->name)
			assert_string_equal(cmd.name, g->name);
		if (g->verb == PCTL_CMD_GAIN) {
			assert_true(fabs(cmd.value - g->value) < 1e-9);
			assert_int_equal(cmd.relative, g->relative);
		}
		if (g->verb == PCTL_CMD_PHANTOM || g->verb == PCTL_CMD_SWITCH ||
		    g->verb == PCTL_CMD_LOCK)
			assert_int_equal(cmd.on, g->on);
	}
}

static void defaults_are_documented_ones(void **state)
{
	const char *args[] = { "autogain", "1", "1", NULL };
	struct pctl_cmd cmd;
	char err[256];

	(void)state;
	assert_int_equal(parse(args, &cmd, err, sizeof(err)), PCTL_EXIT_OK);
	assert_true(cmd.target == -4.0);
	assert_int_equal(cmd.listen_ms, 10000);
	assert_int_equal(cmd.rate, 30);
	assert_int_equal(cmd.count, 0);
	assert_false(cmd.json);
	assert_false(cmd.no_ask_password);
}

static void options_go_anywhere(void **state)
{
	const char *a1[] = { "--json", "autogain", "1", "2", "--target", "-6", "--listen=2.5", NULL };
	const char *a2[] = { "meter", "1", "--rate", "10", "--count=3", "--no-ask-password", NULL };
	const char *a3[] = { "autogain", "1", "2", "--target=-3dBFS", "--listen", "20s", NULL };
	const char *a4[] = { "monitor", "--count", "5", "--json", NULL };
	struct pctl_cmd cmd;
	char err[256];

	(void)state;
	assert_int_equal(parse(a1, &cmd, err, sizeof(err)), PCTL_EXIT_OK);
	assert_true(cmd.json);
	assert_true(cmd.target == -6.0);
	assert_int_equal(cmd.listen_ms, 2500);
	assert_int_equal(parse(a2, &cmd, err, sizeof(err)), PCTL_EXIT_OK);
	assert_int_equal(cmd.rate, 10);
	assert_int_equal(cmd.count, 3);
	assert_true(cmd.no_ask_password);
	assert_int_equal(parse(a3, &cmd, err, sizeof(err)), PCTL_EXIT_OK);
	assert_true(cmd.target == -3.0);
	assert_int_equal(cmd.listen_ms, 20000);
	assert_int_equal(parse(a4, &cmd, err, sizeof(err)), PCTL_EXIT_OK);
	assert_int_equal(cmd.verb, PCTL_CMD_MONITOR);
	assert_int_equal(cmd.count, 5);
	assert_true(cmd.json);
}

struct bad {
	const char *argv[MAXARGS];
	int code;
	const char *says;	/* part of the message */
};

static const struct bad bad[] = {
	/* unknown words */
	{ { "frobnicate", NULL }, PCTL_EXIT_USAGE, "unknown command 'frobnicate'" },
	{ { "-j", NULL }, PCTL_EXIT_USAGE, "unknown option '-j'" },
	{ { "--jsn", NULL }, PCTL_EXIT_USAGE, "unknown option '--jsn'" },
	{ { "--json=yes", NULL }, PCTL_EXIT_USAGE, "takes no value" },
	/* missing arguments */
	{ { "show", NULL }, PCTL_EXIT_USAGE, "missing DEV" },
	{ { "gain", NULL }, PCTL_EXIT_USAGE, "missing DEV" },
	{ { "gain", "1", NULL }, PCTL_EXIT_USAGE, "missing IN" },
	{ { "gain", "1", "2", NULL }, PCTL_EXIT_USAGE, "missing VALUE" },
	{ { "phantom", "1", "2", NULL }, PCTL_EXIT_USAGE, "missing on or off" },
	{ { "level", "1", "2", NULL }, PCTL_EXIT_USAGE, "missing line or inst" },
	{ { "policy", "1", NULL }, PCTL_EXIT_USAGE, "missing off, restore or device" },
	{ { "meter", NULL }, PCTL_EXIT_USAGE, "missing DEV" },
	{ { "autogain", "1", NULL }, PCTL_EXIT_USAGE, "missing IN" },
	{ { "preset", NULL }, PCTL_EXIT_USAGE, "missing a preset command" },
	{ { "preset", "save", NULL }, PCTL_EXIT_USAGE, "missing DEV" },
	{ { "preset", "save", "1", NULL }, PCTL_EXIT_USAGE, "missing NAME" },
	{ { "preset", "rename", "1", "x", NULL }, PCTL_EXIT_USAGE, "unknown preset command" },
	{ { "lock", "1", "2", NULL }, PCTL_EXIT_USAGE, "missing on or off" },
	{ { "gain", "", "2", "3", NULL }, PCTL_EXIT_USAGE, "DEV is empty" },
	{ { "gain", "1", "", "3", NULL }, PCTL_EXIT_USAGE, "IN is empty" },
	/* too many */
	{ { "list", "1", NULL }, PCTL_EXIT_USAGE, "too many arguments ('1')" },
	{ { "gain", "1", "2", "3", "4", NULL }, PCTL_EXIT_USAGE, "too many arguments ('4')" },
	{ { "monitor", "now", NULL }, PCTL_EXIT_USAGE, "too many" },
	{ { "preset", "list", "1", "x", NULL }, PCTL_EXIT_USAGE, "too many" },
	/* bad numbers */
	{ { "gain", "1", "2", "loud", NULL }, PCTL_EXIT_USAGE, "invalid gain 'loud'" },
	{ { "gain", "1", "2", "nan", NULL }, PCTL_EXIT_USAGE, "invalid gain 'nan'" },
	{ { "gain", "1", "2", "NaN", NULL }, PCTL_EXIT_USAGE, "invalid gain" },
	{ { "gain", "1", "2", "inf", NULL }, PCTL_EXIT_USAGE, "invalid gain" },
	{ { "gain", "1", "2", "-inf", NULL }, PCTL_EXIT_USAGE, "invalid gain" },
	{ { "gain", "1", "2", "+", NULL }, PCTL_EXIT_USAGE, "invalid gain '+'" },
	{ { "gain", "1", "2", "-", NULL }, PCTL_EXIT_USAGE, "invalid gain" },
	{ { "gain", "1", "2", "=", NULL }, PCTL_EXIT_USAGE, "invalid gain" },
	{ { "gain", "1", "2", ".", NULL }, PCTL_EXIT_USAGE, "invalid gain" },
	{ { "gain", "1", "2", "1.2.3", NULL }, PCTL_EXIT_USAGE, "invalid gain" },
	{ { "gain", "1", "2", "0x10", NULL }, PCTL_EXIT_USAGE, "invalid gain" },
	{ { "gain", "1", "2", "1e3", NULL }, PCTL_EXIT_USAGE, "invalid gain" },
	{ { "gain", "1", "2", " 3", NULL }, PCTL_EXIT_USAGE, "invalid gain" },
	{ { "gain", "1", "2", "3 ", NULL }, PCTL_EXIT_USAGE, "invalid gain" },
	{ { "gain", "1", "2", "++3", NULL }, PCTL_EXIT_USAGE, "invalid gain" },
	{ { "gain", "1", "2", "dB", NULL }, PCTL_EXIT_USAGE, "invalid gain" },
	{ { "gain", "1", "2", "99999999999999999999999999999999999", NULL },
	  PCTL_EXIT_USAGE, "invalid gain" },
	/* on/off typos */
	{ { "phantom", "1", "2", "onn", NULL }, PCTL_EXIT_USAGE, "expected on or off, not 'onn'" },
	{ { "phantom", "1", "2", "of", NULL }, PCTL_EXIT_USAGE, "not 'of'" },
	{ { "pad", "1", "2", "", NULL }, PCTL_EXIT_USAGE, "expected on or off" },
	{ { "air", "1", "2", "enable", NULL }, PCTL_EXIT_USAGE, "expected on or off" },
	{ { "lock", "1", "2", "2", NULL }, PCTL_EXIT_USAGE, "expected on or off" },
	{ { "level", "1", "2", "mic", NULL }, PCTL_EXIT_USAGE, "expected line or inst, not 'mic'" },
	{ { "policy", "1", "on", NULL }, PCTL_EXIT_USAGE, "expected off, restore or device" },
	/* options */
	{ { "autogain", "1", "2", "--target", NULL }, PCTL_EXIT_USAGE, "needs a value" },
	{ { "autogain", "1", "2", "--target", "loud", NULL }, PCTL_EXIT_USAGE, "invalid --target" },
	{ { "autogain", "1", "2", "--target", "nan", NULL }, PCTL_EXIT_USAGE, "invalid --target" },
	{ { "autogain", "1", "2", "--target", "3", NULL }, PCTL_EXIT_INVALID, "out of range" },
	{ { "autogain", "1", "2", "--target", "-61", NULL }, PCTL_EXIT_INVALID, "out of range" },
	{ { "autogain", "1", "2", "--listen", "0.5", NULL }, PCTL_EXIT_INVALID, "1 to 60 seconds" },
	{ { "autogain", "1", "2", "--listen", "61", NULL }, PCTL_EXIT_INVALID, "1 to 60 seconds" },
	{ { "autogain", "1", "2", "--listen", "ten", NULL }, PCTL_EXIT_USAGE, "invalid --listen" },
	{ { "meter", "1", "--rate", "0", NULL }, PCTL_EXIT_INVALID, "invalid --rate" },
	{ { "meter", "1", "--rate", "61", NULL }, PCTL_EXIT_INVALID, "invalid --rate" },
	{ { "meter", "1", "--rate", "-5", NULL }, PCTL_EXIT_USAGE, "invalid --rate" },
	{ { "meter", "1", "--count", "x", NULL }, PCTL_EXIT_USAGE, "invalid --count" },
	{ { "gain", "1", "2", "3", "--target", "-4", NULL }, PCTL_EXIT_USAGE, "autogain only" },
	{ { "list", "--rate", "5", NULL }, PCTL_EXIT_USAGE, "meter only" },
	{ { "list", "--count", "5", NULL }, PCTL_EXIT_USAGE, "meter and monitor only" },
	{ { "--complete", "bogus", NULL }, PCTL_EXIT_USAGE, "--complete takes" },
	{ { "--complete", "inputs", NULL }, PCTL_EXIT_USAGE, "--complete takes" },
	/* preset names */
	{ { "preset", "save", "1", "a/b", NULL }, PCTL_EXIT_INVALID, "invalid preset name 'a/b'" },
	{ { "preset", "save", "1", "a\nb", NULL }, PCTL_EXIT_INVALID, "invalid preset name 'a?b'" },
	{ { "preset", "save", "1", "\xff\xfe", NULL }, PCTL_EXIT_INVALID, "invalid preset name" },
	{ { "preset", "apply", "1", "\xc2\x85", NULL }, PCTL_EXIT_INVALID, "invalid preset name" },
	{ { "preset", "save", "1",
	    "0123456789012345678901234567890123456789012345678901234567890123x", NULL },
	  PCTL_EXIT_INVALID, "1 to 64 bytes" },
	/* a hostile argument is quoted safely */
	{ { "\x1b[2Jboom", NULL }, PCTL_EXIT_USAGE, "unknown command '?[2Jboom'" },
};

static void bad_input_is_refused_with_a_message(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct bad *b = &bad[i];
		struct pctl_cmd cmd;
		char err[512] = "";
		int r = parse(b->argv, &cmd, err, sizeof(err));

		if (r != b->code || !strstr(err, b->says))
			fail_msg("case %zu (%s %s %s %s): got %d '%s', want %d '%s'", i,
				 b->argv[0], b->argv[1] ? b->argv[1] : "",
				 b->argv[1] && b->argv[2] ? b->argv[2] : "",
				 b->argv[1] && b->argv[2] && b->argv[3] ? b->argv[3] : "",
				 r, err, b->code, b->says);
		for (const char *p = err; *p; p++)
			assert_false((unsigned char)*p < 0x20 && *p != '\n');
	}
}

static void decimal_parser_takes_plain_numbers_only(void **state)
{
	static const struct {
		const char *s;
		int r;
		double v;
	} cases[] = {
		{ "0", 0, 0 }, { "12", 0, 12 }, { "-12.25", 0, -12.25 }, { "+.5", 0, 0.5 },
		{ "7.", 0, 7 }, { "", -EINVAL, 0 }, { "-", -EINVAL, 0 }, { "1,5", -EINVAL, 0 },
		{ "1e2", -EINVAL, 0 }, { "nan", -EINVAL, 0 }, { "infinity", -EINVAL, 0 },
		{ "0x1p3", -EINVAL, 0 }, { "\xef\xbc\x91", -EINVAL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = 42;
		int r = pctl_parse_decimal(cases[i].s, &v);

		if (r != cases[i].r)
			fail_msg("'%s': %d", cases[i].s, r);
		if (r == 0)
			assert_true(v == cases[i].v);
	}
}

static void help_is_there_for_every_command(void **state)
{
	static const struct {
		const char *argv[MAXARGS];
		const char *topic;	/* NULL: the whole program's */
	} cases[] = {
		{ { "--help", NULL }, NULL },
		{ { "-h", NULL }, NULL },
		{ { "help", NULL }, NULL },
		{ { "help", "gain", NULL }, "gain" },
		{ { "gain", "--help", NULL }, "gain" },
		{ { "gain", "-h", NULL }, "gain" },
		{ { "gain", "1", "--help", NULL }, "gain" },
		{ { "--help", "meter", NULL }, "meter" },
		{ { "help", "air", NULL }, "air" },
		{ { "preset", "save", "--help", NULL }, "preset" },
		{ { "autogain", "--listen", "2", "--help", NULL }, "autogain" },
		/* help wins over what it would have refused */
		{ { "list", "--rate", "5", "--help", NULL }, "list" },
		{ { "frob", "--help", NULL }, NULL },
	};
	static const char *const commands[] = {
		"status", "list", "show", "gain", "phantom", "pad", "phase",
		"highpass", "air", "level", "meter", "autogain", "preset",
		"policy", "lock", "monitor", "help",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pctl_cmd cmd;
		char err[256] = "";
		int r = parse(cases[i].argv, &cmd, err, sizeof(err));

		if (r != PCTL_EXIT_OK || cmd.verb != PCTL_CMD_HELP)
			fail_msg("case %zu: %d %s", i, r, err);
		if (cases[i].topic)
			assert_string_equal(cmd.topic, cases[i].topic);
		else
			assert_null(cmd.topic);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const char *h = pctl_command_help(commands[i]);

		if (!h || strncmp(h, "Usage: preampctl ", 17) != 0 ||
		    h[strlen(h) - 1] != '\n')
			fail_msg("no proper help for %s", commands[i]);
	}
	assert_null(pctl_command_help("frob"));
	assert_null(pctl_command_help(NULL));
}

static void usage_errors_name_their_command(void **state)
{
	static const struct {
		const char *argv[MAXARGS];
		const char *topic;
		const char *says;
	} cases[] = {
		{ { "gain", "1", NULL }, "gain", "missing IN" },
		{ { "phase", "1", "2", "of", NULL }, "phase", "expected on or off" },
		{ { "meter", "1", "--rate", NULL }, "meter", "--rate needs a value" },
		{ { "help", "frob", NULL }, NULL, "no command 'frob'" },
		{ { "frob", NULL }, NULL, "unknown command 'frob'" },
		{ { "--jsn", "list", NULL }, "list", "unknown option '--jsn'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pctl_cmd cmd;
		char err[256] = "";
		int r = parse(cases[i].argv, &cmd, err, sizeof(err));

		if (r != PCTL_EXIT_USAGE || !strstr(err, cases[i].says))
			fail_msg("case %zu: %d '%s'", i, r, err);
		/* one hint, added by main(): none in the message */
		assert_null(strstr(err, "--help"));
		if (cases[i].topic)
			assert_string_equal(cmd.topic, cases[i].topic);
		else
			assert_null(cmd.topic);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_subcommand_parses),
		cmocka_unit_test(defaults_are_documented_ones),
		cmocka_unit_test(options_go_anywhere),
		cmocka_unit_test(bad_input_is_refused_with_a_message),
		cmocka_unit_test(decimal_parser_takes_plain_numbers_only),
		cmocka_unit_test(help_is_there_for_every_command),
		cmocka_unit_test(usage_errors_name_their_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
