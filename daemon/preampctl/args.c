// SPDX-License-Identifier: MIT
/* Command-line parsing. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "errors.h"
#include "text.h"

const char pctl_help_text[] =
"Usage: preampctl [OPTIONS] [COMMAND] [ARGS]\n"
"\n"
"Controls the USB preamps that preampd serves on the system bus.\n"
"\n"
"Commands:\n"
"  status [DEV]                   every device and input (the default)\n"
"  list                           devices: index, key, card, name\n"
"  show DEV                       one device in detail\n"
"  gain DEV IN VALUE              set the gain: 24 (dB), +3 or -1.5 (relative),\n"
"                                 =-6 (absolute, negative)\n"
"  phantom DEV IN on|off          48 V (acts on every input sharing the switch)\n"
"  pad|phase|highpass|air DEV IN on|off\n"
"  level DEV IN line|inst         input level\n"
"  meter DEV [IN]                 live level meter, until Ctrl-C or q\n"
"  autogain DEV IN                set the gain from what the input hears\n"
"  preset save|apply|delete DEV NAME\n"
"  preset list DEV\n"
"  policy DEV off|restore|device  what happens to 48 V at plug-in\n"
"  lock DEV IN on|off             lock 48 V off (ribbon microphones)\n"
"  monitor                        print changes as they happen\n"
"\n"
"DEV is an index from 'list' (1, 2, ...), a device key, an ALSA card id,\n"
"hw:N for ALSA card N, or part of the name or key (case-insensitive).\n"
"IN is an input number or (part of) its label.\n"
"\n"
"Options:\n"
"  --json               machine-readable output (see preampctl(1))\n"
"  --no-ask-password    never ask for a password (polkit)\n"
"  --target DBFS        autogain: loudest peak to aim for (default -4)\n"
"  --listen SECONDS     autogain: listening time per pass, 1..60 (default 10)\n"
"  --rate HZ            meter: refreshes a second, 1..60 (default 30)\n"
"  --count N            meter, monitor: stop after N updates or events\n"
"  -h, --help           this text\n"
"  --version            preampctl's version\n"
"\n"
"Exit status:\n"
"  0 success              6 not supported by the input or device\n"
"  1 usage error          7 device unplugged or I/O error\n"
"  2 preampd unreachable  8 busy, or 48 V locked\n"
"  3 permission denied    9 autogain did not reach its target\n"
"  4 no such device, input or preset\n"
"  5 value out of range or invalid\n"
"  10 unexpected failure\n";

enum opt_bit {
	OPT_TARGET = 1u << 0,
	OPT_LISTEN = 1u << 1,
	OPT_RATE   = 1u << 2,
	OPT_COUNT  = 1u << 3,
};

static int fail(char *err, size_t errsize, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errsize, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errsize) {
		va_start(ap, fmt);
		vsnprintf(err, errsize, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* An argument made safe to quote in a message. */
static const char *q(const char *s, char *tmp, size_t size)
{
	struct pctl_buf b;

	pctl_buf_init(&b);
	pctl_term_text(&b, s, 40);
	snprintf(tmp, size, "%s", pctl_buf_str(&b));
	pctl_buf_free(&b);
	return tmp;
}

int pctl_parse_decimal(const char *s, double *out)
{
	size_t i = 0, digits = 0;
	char *end;
	double v;

	if (!s || strlen(s) > 32)
		return -EINVAL;
	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (s[i] != '\0' || digits == 0)
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || !isfinite(v))
		return -ERANGE;
	*out = v;
	return 0;
}

/* Copies s without a trailing unit (one of units, case-insensitive). */
static int strip_unit(const char *s, const char *const *units, char *out, size_t size)
{
	size_t n = strlen(s);

	if (n >= size)
		return -EINVAL;
	memcpy(out, s, n + 1);
	for (; *units; units++) {
		size_t u = strlen(*units);

		if (n > u && pctl_ascii_ieq(out + n - u, *units)) {
			out[n - u] = '\0';
			break;
		}
	}
	return 0;
}

int pctl_parse_gain(const char *s, double *db, bool *relative)
{
	static const char *const units[] = { "dB", NULL };
	char tmp[40];
	bool rel, absolute = false;

	if (!s)
		return -EINVAL;
	if (*s == '=') {
		absolute = true;
		s++;
	}
	if (strip_unit(s, units, tmp, sizeof(tmp)) < 0)
		return -EINVAL;
	rel = !absolute && (tmp[0] == '+' || tmp[0] == '-');
	if (pctl_parse_decimal(tmp, db) < 0)
		return -EINVAL;
	*relative = rel;
	return 0;
}

int pctl_parse_onoff(const char *s, bool *on)
{
	static const char *const yes[] = { "on", "yes", "true", "1", NULL };
	static const char *const no[] = { "off", "no", "false", "0", NULL };

	for (size_t i = 0; s && yes[i]; i++) {
		if (pctl_ascii_ieq(s, yes[i])) {
			*on = true;
			return 0;
		}
		if (pctl_ascii_ieq(s, no[i])) {
			*on = false;
			return 0;
		}
	}
	return -EINVAL;
}

bool pctl_preset_name_valid(const char *name)
{
	size_t n, i = 0;

	if (!name)
		return false;
	n = strlen(name);
	if (n == 0 || n > PCTL_PRESET_NAME_MAX)
		return false;
	while (i < n) {
		uint32_t cp;

		i += pctl_utf8_next(name + i, n - i, &cp);
		if (cp == PCTL_UTF8_INVALID || cp == '/' || cp < 0x20 ||
		    (cp >= 0x7f && cp < 0xa0))
			return false;
	}
	return true;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!s || !*s || strlen(s) > 10)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v == 0 || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

struct verb {
	const char *name;
	enum pctl_verb verb;
	unsigned min, max;	/* positional arguments after the verb */
	const char *usage;
};

static const struct verb verbs[] = {
	{ "status",   PCTL_CMD_STATUS,   0, 1, "status [DEV]" },
	{ "list",     PCTL_CMD_LIST,     0, 0, "list" },
	{ "show",     PCTL_CMD_SHOW,     1, 1, "show DEV" },
	{ "gain",     PCTL_CMD_GAIN,     3, 3, "gain DEV IN VALUE" },
	{ "phantom",  PCTL_CMD_PHANTOM,  3, 3, "phantom DEV IN on|off" },
	{ "pad",      PCTL_CMD_SWITCH,   3, 3, "pad DEV IN on|off" },
	{ "phase",    PCTL_CMD_SWITCH,   3, 3, "phase DEV IN on|off" },
	{ "highpass", PCTL_CMD_SWITCH,   3, 3, "highpass DEV IN on|off" },
	{ "air",      PCTL_CMD_SWITCH,   3, 3, "air DEV IN on|off" },
	{ "level",    PCTL_CMD_LEVEL,    3, 3, "level DEV IN line|inst" },
	{ "meter",    PCTL_CMD_METER,    1, 2, "meter DEV [IN]" },
	{ "autogain", PCTL_CMD_AUTOGAIN, 2, 2,
	  "autogain DEV IN [--target DBFS] [--listen SECONDS]" },
	{ "preset",   PCTL_CMD_PRESET_LIST, 2, 3,
	  "preset save|apply|delete DEV NAME, or preset list DEV" },
	{ "policy",   PCTL_CMD_POLICY,   2, 2, "policy DEV off|restore|device" },
	{ "lock",     PCTL_CMD_LOCK,     3, 3, "lock DEV IN on|off" },
	{ "monitor",  PCTL_CMD_MONITOR,  0, 0, "monitor" },
	{ "help",     PCTL_CMD_HELP,     0, 1, "help" },
};

static int parse_preset(const char **pos, unsigned npos, struct pctl_cmd *cmd,
			char *err, size_t errsize)
{
	static const struct {
		const char *word;
		enum pctl_verb verb;
	} subs[] = {
		{ "save", PCTL_CMD_PRESET_SAVE },
		{ "apply", PCTL_CMD_PRESET_APPLY },
		{ "delete", PCTL_CMD_PRESET_DELETE },
		{ "list", PCTL_CMD_PRESET_LIST },
	};
	char tmp[64];
	size_t i;

	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(pos[1], subs[i].word) == 0)
			break;
	if (i == sizeof(subs) / sizeof(subs[0]))
		return fail(err, errsize, PCTL_EXIT_USAGE,
			    "unknown preset command '%s': use save, apply, delete or list",
			    q(pos[1], tmp, sizeof(tmp)));
	cmd->verb = subs[i].verb;
	cmd->dev = pos[2];
	if (cmd->verb == PCTL_CMD_PRESET_LIST) {
		if (npos > 3)
			return fail(err, errsize, PCTL_EXIT_USAGE,
				    "too many arguments; usage: preampctl preset list DEV");
		return PCTL_EXIT_OK;
	}
	if (npos < 4)
		return fail(err, errsize, PCTL_EXIT_USAGE,
			    "missing NAME; usage: preampctl preset %s DEV NAME", subs[i].word);
	cmd->name = pos[3];
	if (!pctl_preset_name_valid(cmd->name))
		return fail(err, errsize, PCTL_EXIT_INVALID,
			    "invalid preset name '%s': 1 to %d bytes of UTF-8, without '/' "
			    "or control characters", q(cmd->name, tmp, sizeof(tmp)),
			    PCTL_PRESET_NAME_MAX);
	return PCTL_EXIT_OK;
}

static int parse_positionals(const char **pos, unsigned npos, struct pctl_cmd *cmd,
			     char *err, size_t errsize)
{
	const struct verb *v = NULL;
	char tmp[64];
	unsigned nargs;

	if (npos == 0) {
		cmd->verb = PCTL_CMD_STATUS;
		return PCTL_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(pos[0], verbs[i].name) == 0)
			v = &verbs[i];
	if (!v) {
		if (pos[0][0] == '-')
			return fail(err, errsize, PCTL_EXIT_USAGE, "unknown option '%s'",
				    q(pos[0], tmp, sizeof(tmp)));
		return fail(err, errsize, PCTL_EXIT_USAGE,
			    "unknown command '%s' (see preampctl --help)",
			    q(pos[0], tmp, sizeof(tmp)));
	}
	nargs = npos - 1;
	if (v->verb == PCTL_CMD_PRESET_LIST && nargs >= 1 && nargs < v->min)
		return fail(err, errsize, PCTL_EXIT_USAGE, "missing DEV; usage: preampctl %s",
			    v->usage);
	if (nargs < v->min) {
		static const char *const what[] = { "DEV", "IN", "" };
		const char *missing = nargs < 2 ? what[nargs] : "";

		if (v->verb == PCTL_CMD_PRESET_LIST)
			missing = "a preset command";
		else if (nargs == 2)
			missing = v->verb == PCTL_CMD_GAIN ? "VALUE" :
				  v->verb == PCTL_CMD_LEVEL ? "line or inst" :
				  "on or off";
		else if (nargs == 1 && v->verb == PCTL_CMD_POLICY)
			missing = "off, restore or device";
		return fail(err, errsize, PCTL_EXIT_USAGE, "missing %s; usage: preampctl %s",
			    missing, v->usage);
	}
	if (nargs > v->max)
		return fail(err, errsize, PCTL_EXIT_USAGE,
			    "too many arguments ('%s'); usage: preampctl %s",
			    q(pos[v->max + 1], tmp, sizeof(tmp)), v->usage);

	cmd->verb = v->verb;
	if (v->verb == PCTL_CMD_PRESET_LIST)
		return parse_preset(pos, npos, cmd, err, errsize);
	if (v->verb == PCTL_CMD_HELP)
		return PCTL_EXIT_OK;
	if (nargs >= 1)
		cmd->dev = pos[1];
	if (nargs >= 2 && v->verb != PCTL_CMD_POLICY)
		cmd->input = pos[2];
	if (cmd->dev && !*cmd->dev)
		return fail(err, errsize, PCTL_EXIT_USAGE, "DEV is empty");
	if (cmd->input && !*cmd->input)
		return fail(err, errsize, PCTL_EXIT_USAGE, "IN is empty");

	switch (v->verb) {
	case PCTL_CMD_GAIN:
		if (pctl_parse_gain(pos[3], &cmd->value, &cmd->relative) < 0)
			return fail(err, errsize, PCTL_EXIT_USAGE,
				    "invalid gain '%s': give dB as a number (24, 24.5), "
				    "+N or -N to change it by N dB, or =-N for a negative gain",
				    q(pos[3], tmp, sizeof(tmp)));
		break;
	case PCTL_CMD_SWITCH:
		cmd->word = v->name;
		/* fall through */
	case PCTL_CMD_PHANTOM:
	case PCTL_CMD_LOCK:
		if (pctl_parse_onoff(pos[3], &cmd->on) < 0)
			return fail(err, errsize, PCTL_EXIT_USAGE,
				    "expected on or off, not '%s'", q(pos[3], tmp, sizeof(tmp)));
		break;
	case PCTL_CMD_LEVEL:
		if (strcmp(pos[3], "line") == 0)
			cmd->word = "line";
		else if (strcmp(pos[3], "inst") == 0 || strcmp(pos[3], "instrument") == 0)
			cmd->word = "inst";
		else
			return fail(err, errsize, PCTL_EXIT_USAGE,
				    "expected line or inst, not '%s'", q(pos[3], tmp, sizeof(tmp)));
		break;
	case PCTL_CMD_POLICY:
		if (strcmp(pos[2], "off") && strcmp(pos[2], "restore") && strcmp(pos[2], "device"))
			return fail(err, errsize, PCTL_EXIT_USAGE,
				    "expected off, restore or device, not '%s'",
				    q(pos[2], tmp, sizeof(tmp)));
		cmd->word = pos[2];
		break;
	default:
		break;
	}
	return PCTL_EXIT_OK;
}

static int parse_complete(const char **pos, unsigned npos, struct pctl_cmd *cmd,
			  const char *what, char *err, size_t errsize)
{
	cmd->verb = PCTL_CMD_COMPLETE;
	if (strcmp(what, "devices") == 0 && npos == 0) {
		cmd->complete = PCTL_COMPLETE_DEVICES;
		return PCTL_EXIT_OK;
	}
	if (npos == 1 && *pos[0]) {
		cmd->dev = pos[0];
		if (strcmp(what, "inputs") == 0) {
			cmd->complete = PCTL_COMPLETE_INPUTS;
			return PCTL_EXIT_OK;
		}
		if (strcmp(what, "presets") == 0) {
			cmd->complete = PCTL_COMPLETE_PRESETS;
			return PCTL_EXIT_OK;
		}
	}
	return fail(err, errsize, PCTL_EXIT_USAGE,
		    "--complete takes: devices, inputs DEV, or presets DEV");
}

int pctl_parse_args(int argc, char **argv, struct pctl_cmd *cmd,
		    char *err, size_t errsize)
{
	static const char *const db_units[] = { "dBFS", "dB", NULL };
	static const char *const s_units[] = { "s", NULL };
	const char **pos;
	const char *complete = NULL;
	unsigned npos = 0, given = 0;
	bool options_done = false;
	char tmp[64], unit_free[40];
	int r = PCTL_EXIT_OK;

	memset(cmd, 0, sizeof(*cmd));
	cmd->target = PCTL_DEFAULT_TARGET;
	cmd->listen_ms = PCTL_DEFAULT_LISTEN_MS;
	cmd->rate = PCTL_DEFAULT_RATE;

	pos = calloc((size_t)(argc > 0 ? argc : 1), sizeof(*pos));
	if (!pos)
		return fail(err, errsize, PCTL_EXIT_FAILED, "out of memory");

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		char name[32];
		size_t len;

		if (options_done || a[0] != '-' || strcmp(a, "-") == 0 ||
		    (a[1] != '-' && strcmp(a, "-h") != 0)) {
			pos[npos++] = a;	/* includes "-1.5": a relative gain */
			continue;
		}
		if (strcmp(a, "--") == 0) {
			options_done = true;
			continue;
		}
		if (strcmp(a, "-h") == 0) {
			cmd->verb = PCTL_CMD_HELP;
			goto out;
		}
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		if (len >= sizeof(name)) {
			r = fail(err, errsize, PCTL_EXIT_USAGE, "unknown option '%s'",
				 q(a, tmp, sizeof(tmp)));
			goto out;
		}
		memcpy(name, a, len);
		name[len] = '\0';

		if (!strcmp(name, "--json") || !strcmp(name, "--no-ask-password") ||
		    !strcmp(name, "--help") || !strcmp(name, "--version")) {
			if (eq) {
				r = fail(err, errsize, PCTL_EXIT_USAGE,
					 "option %s takes no value", name);
				goto out;
			}
			if (!strcmp(name, "--json"))
				cmd->json = true;
			else if (!strcmp(name, "--no-ask-password"))
				cmd->no_ask_password = true;
			else {
				cmd->verb = !strcmp(name, "--help") ? PCTL_CMD_HELP :
								      PCTL_CMD_VERSION;
				goto out;
			}
			continue;
		}
		if (strcmp(name, "--target") && strcmp(name, "--listen") &&
		    strcmp(name, "--rate") && strcmp(name, "--count") &&
		    strcmp(name, "--complete")) {
			r = fail(err, errsize, PCTL_EXIT_USAGE, "unknown option '%s'",
				 q(name, tmp, sizeof(tmp)));
			goto out;
		}
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else {
			r = fail(err, errsize, PCTL_EXIT_USAGE, "option %s needs a value", name);
			goto out;
		}

		if (!strcmp(name, "--target")) {
			given |= OPT_TARGET;
			if (strip_unit(val, db_units, unit_free, sizeof(unit_free)) < 0 ||
			    pctl_parse_decimal(unit_free, &cmd->target) < 0) {
				r = fail(err, errsize, PCTL_EXIT_USAGE,
					 "invalid --target '%s': a level in dBFS, such as -4",
					 q(val, tmp, sizeof(tmp)));
				goto out;
			}
			if (cmd->target < -60.0 || cmd->target > 0.0) {
				r = fail(err, errsize, PCTL_EXIT_INVALID,
					 "--target %s is out of range: -60 to 0 dBFS",
					 q(val, tmp, sizeof(tmp)));
				goto out;
			}
		} else if (!strcmp(name, "--listen")) {
			double s;

			given |= OPT_LISTEN;
			if (strip_unit(val, s_units, unit_free, sizeof(unit_free)) < 0 ||
			    pctl_parse_decimal(unit_free, &s) < 0) {
				r = fail(err, errsize, PCTL_EXIT_USAGE,
					 "invalid --listen '%s': seconds, such as 10",
					 q(val, tmp, sizeof(tmp)));
				goto out;
			}
			if (s < 1.0 || s > 60.0) {
				r = fail(err, errsize, PCTL_EXIT_INVALID,
					 "--listen %s is out of range: 1 to 60 seconds",
					 q(val, tmp, sizeof(tmp)));
				goto out;
			}
			cmd->listen_ms = (unsigned)lround(s * 1000.0);
		} else if (!strcmp(name, "--rate")) {
			unsigned long hz;
			int e;

			given |= OPT_RATE;
			e = parse_uint(val, 60, &hz);
			if (e < 0) {
				r = fail(err, errsize, e == -ERANGE ? PCTL_EXIT_INVALID : PCTL_EXIT_USAGE,
					 "invalid --rate '%s': 1 to 60 refreshes a second",
					 q(val, tmp, sizeof(tmp)));
				goto out;
			}
			cmd->rate = (unsigned)hz;
		} else if (!strcmp(name, "--count")) {
			int e;

			given |= OPT_COUNT;
			e = parse_uint(val, 1000000000ul, &cmd->count);
			if (e < 0) {
				r = fail(err, errsize, e == -ERANGE ? PCTL_EXIT_INVALID : PCTL_EXIT_USAGE,
					 "invalid --count '%s': a whole number, 1 or more",
					 q(val, tmp, sizeof(tmp)));
				goto out;
			}
		} else {
			complete = val;
		}
	}

	if (complete)
		r = parse_complete(pos, npos, cmd, complete, err, errsize);
	else
		r = parse_positionals(pos, npos, cmd, err, errsize);
	if (r != PCTL_EXIT_OK)
		goto out;

	if ((given & (OPT_TARGET | OPT_LISTEN)) && cmd->verb != PCTL_CMD_AUTOGAIN)
		r = fail(err, errsize, PCTL_EXIT_USAGE,
			 "--target and --listen go with autogain only");
	else if ((given & OPT_RATE) && cmd->verb != PCTL_CMD_METER)
		r = fail(err, errsize, PCTL_EXIT_USAGE, "--rate goes with meter only");
	else if ((given & OPT_COUNT) && cmd->verb != PCTL_CMD_METER &&
		 cmd->verb != PCTL_CMD_MONITOR)
		r = fail(err, errsize, PCTL_EXIT_USAGE, "--count goes with meter and monitor only");
out:
	free(pos);
	return r;
}
