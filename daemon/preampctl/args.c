// SPDX-License-Identifier: MIT
/* Command-line parsing. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "errors.h"
#include "help.h"
#include "preset-name.h"
#include "text.h"


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
	if (!preamp_preset_name_valid(cmd->name, strlen(cmd->name)))
		return fail(err, errsize, PCTL_EXIT_INVALID,
			    "invalid preset name '%s': 1 to %d bytes of UTF-8, without '/' "
			    "or control characters", q(cmd->name, tmp, sizeof(tmp)),
			    PREAMP_PRESET_NAME_MAX);
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
	if (!v)
		return fail(err, errsize, PCTL_EXIT_USAGE, "unknown %s '%s'",
			    pos[0][0] == '-' ? "option" : "command",
			    q(pos[0], tmp, sizeof(tmp)));
	cmd->topic = v->name;
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
	if (v->verb == PCTL_CMD_HELP) {
		cmd->topic = NULL;
		if (nargs == 1 && !pctl_command_help(pos[1]))
			return fail(err, errsize, PCTL_EXIT_USAGE,
				    "no command '%s' to help with",
				    q(pos[1], tmp, sizeof(tmp)));
		if (nargs == 1)
			cmd->topic = pctl_command_help(pos[1]) ? pos[1] : NULL;
		return PCTL_EXIT_OK;
	}
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

/* The options' values as given, checked once the command is known. */
struct raw_opts {
	const char *target, *listen, *rate, *count, *complete;
	bool help, version;
};

enum {
	OPT_JSON = 256, OPT_NO_ASK, OPT_TARGET, OPT_LISTEN, OPT_RATE,
	OPT_COUNT, OPT_COMPLETE, OPT_VERSION,
};

static const struct option long_options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "no-ask-password", no_argument, NULL, OPT_NO_ASK },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "complete", required_argument, NULL, OPT_COMPLETE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

/*
 * The only short option is -h: any other argument with one '-' is an
 * argument ("-1.5" is a relative gain, not options -1 -. -5). getopt sees
 * this placeholder in its place, which does not start with '-', and the
 * value is taken back from argv.
 */
static char argument_mark[] = "(an argument)";

static bool dash_argument(const char *a)
{
	return a[0] == '-' && a[1] != '\0' && a[1] != '-' && strcmp(a, "-h") != 0;
}

static const char *option_name(const struct option *o, int val)
{
	for (; o->name; o++)
		if (o->val == val)
			return o->name;
	return NULL;
}

/* getopt_long over argv: positionals in order, the options' raw values. */
static int scan(int argc, char **argv, const char **pos, unsigned *npos,
		struct pctl_cmd *cmd, struct raw_opts *o, char *err, size_t errsize)
{
	char **args, tmp[64];
	int c, r = PCTL_EXIT_OK;

	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args)
		return fail(err, errsize, PCTL_EXIT_FAILED, "out of memory");
	for (int i = 0; i < argc; i++)
		args[i] = i > 0 && dash_argument(argv[i]) ? argument_mark : argv[i];
	optind = 0;	/* glibc: start over (the unit tests parse many times) */
	opterr = 0;
	/* "-": arguments come back in order as option 1; ":": a missing
	 * value is ':', not '?'. After an error the scan goes on, so that
	 * the hint can name the command. */
	while ((c = getopt_long(argc, args, "-:h", long_options, NULL)) != -1) {
		const char *val = optarg == argument_mark ? argv[optind - 1] : optarg;
		const char *name;

		switch (c) {
		case 1:
			pos[(*npos)++] = val;
			break;
		case 'h':
			o->help = true;
			break;
		case OPT_JSON:
			cmd->json = true;
			break;
		case OPT_NO_ASK:
			cmd->no_ask_password = true;
			break;
		case OPT_TARGET:
			o->target = val;
			break;
		case OPT_LISTEN:
			o->listen = val;
			break;
		case OPT_RATE:
			o->rate = val;
			break;
		case OPT_COUNT:
			o->count = val;
			break;
		case OPT_COMPLETE:
			o->complete = val;
			break;
		case OPT_VERSION:
			o->version = true;
			break;
		case ':':
			if (r == PCTL_EXIT_OK)
				r = fail(err, errsize, PCTL_EXIT_USAGE, "option %s needs a value",
				 q(argv[optind - 1], tmp, sizeof(tmp)));
			break;
		default:
			/* a value given to an option that takes none, or
			 * an option there is not (optopt 0: a long one) */
			name = option_name(long_options, optopt);
			if (r != PCTL_EXIT_OK)
				break;	/* the first error is the one told */
			if (name && strncmp(argv[optind - 1], "--", 2) == 0)
				r = fail(err, errsize, PCTL_EXIT_USAGE,
					 "option --%s takes no value", name);
			else if (optopt)
				r = fail(err, errsize, PCTL_EXIT_USAGE, "unknown option '-%c'",
					 optopt > 0x20 && optopt < 0x7f ? optopt : '?');
			else
				r = fail(err, errsize, PCTL_EXIT_USAGE, "unknown option '%s'",
					 q(argv[optind - 1], tmp, sizeof(tmp)));
			break;
		}
	}
	/* after "--": arguments, whatever they look like */
	for (; optind < argc; optind++)
		pos[(*npos)++] = argv[optind];
	free(args);
	return r;
}

/* The options' values, now that the command is known. */
static int check_options(const struct raw_opts *o, struct pctl_cmd *cmd,
			 char *err, size_t errsize)
{
	static const char *const db_units[] = { "dBFS", "dB", NULL };
	static const char *const s_units[] = { "s", NULL };
	char tmp[64], unit_free[40];
	unsigned long v;
	double s;
	int e;

	if ((o->target || o->listen) && cmd->verb != PCTL_CMD_AUTOGAIN)
		return fail(err, errsize, PCTL_EXIT_USAGE,
			    "--target and --listen go with autogain only");
	if (o->rate && cmd->verb != PCTL_CMD_METER)
		return fail(err, errsize, PCTL_EXIT_USAGE, "--rate goes with meter only");
	if (o->count && cmd->verb != PCTL_CMD_METER && cmd->verb != PCTL_CMD_MONITOR)
		return fail(err, errsize, PCTL_EXIT_USAGE,
			    "--count goes with meter and monitor only");
	if (o->target) {
		if (strip_unit(o->target, db_units, unit_free, sizeof(unit_free)) < 0 ||
		    pctl_parse_decimal(unit_free, &cmd->target) < 0)
			return fail(err, errsize, PCTL_EXIT_USAGE,
				    "invalid --target '%s': a level in dBFS, such as -4",
				    q(o->target, tmp, sizeof(tmp)));
		if (cmd->target < -60.0 || cmd->target > 0.0)
			return fail(err, errsize, PCTL_EXIT_INVALID,
				    "--target %s is out of range: -60 to 0 dBFS",
				    q(o->target, tmp, sizeof(tmp)));
	}
	if (o->listen) {
		if (strip_unit(o->listen, s_units, unit_free, sizeof(unit_free)) < 0 ||
		    pctl_parse_decimal(unit_free, &s) < 0)
			return fail(err, errsize, PCTL_EXIT_USAGE,
				    "invalid --listen '%s': seconds, such as 10",
				    q(o->listen, tmp, sizeof(tmp)));
		if (s < 1.0 || s > 60.0)
			return fail(err, errsize, PCTL_EXIT_INVALID,
				    "--listen %s is out of range: 1 to 60 seconds",
				    q(o->listen, tmp, sizeof(tmp)));
		cmd->listen_ms = (unsigned)lround(s * 1000.0);
	}
	if (o->rate) {
		e = parse_uint(o->rate, 60, &v);
		if (e < 0)
			return fail(err, errsize, e == -ERANGE ? PCTL_EXIT_INVALID : PCTL_EXIT_USAGE,
				    "invalid --rate '%s': 1 to 60 refreshes a second",
				    q(o->rate, tmp, sizeof(tmp)));
		cmd->rate = (unsigned)v;
	}
	if (o->count) {
		e = parse_uint(o->count, 1000000000ul, &cmd->count);
		if (e < 0)
			return fail(err, errsize, e == -ERANGE ? PCTL_EXIT_INVALID : PCTL_EXIT_USAGE,
				    "invalid --count '%s': a whole number, 1 or more",
				    q(o->count, tmp, sizeof(tmp)));
	}
	return PCTL_EXIT_OK;
}

/* --help after a command: that command's help, if it is one. */
static void help_topic(const char **pos, unsigned npos, struct pctl_cmd *cmd)
{
	cmd->verb = PCTL_CMD_HELP;
	cmd->topic = NULL;
	if (npos >= 1 && strcmp(pos[0], "help") == 0) {
		pos++;
		npos--;
	}
	if (npos >= 1 && pctl_command_help(pos[0]))
		cmd->topic = pos[0];
}

int pctl_parse_args(int argc, char **argv, struct pctl_cmd *cmd,
		    char *err, size_t errsize)
{
	struct raw_opts o = { 0 };
	const char **pos;
	unsigned npos = 0;
	int r;

	memset(cmd, 0, sizeof(*cmd));
	cmd->target = PCTL_DEFAULT_TARGET;
	cmd->listen_ms = PCTL_DEFAULT_LISTEN_MS;
	cmd->rate = PCTL_DEFAULT_RATE;

	pos = calloc((size_t)(argc > 0 ? argc : 1), sizeof(*pos));
	if (!pos)
		return fail(err, errsize, PCTL_EXIT_FAILED, "out of memory");
	r = scan(argc, argv, pos, &npos, cmd, &o, err, errsize);
	if (r != PCTL_EXIT_OK) {
		/* the hint names the command, where there is one */
		if (npos >= 1 && pctl_command_help(pos[0]))
			cmd->topic = pos[0];
		goto out;
	}
	if (o.help) {
		help_topic(pos, npos, cmd);
		goto out;
	}
	if (o.version) {
		cmd->verb = PCTL_CMD_VERSION;
		goto out;
	}
	if (o.complete)
		r = parse_complete(pos, npos, cmd, o.complete, err, errsize);
	else
		r = parse_positionals(pos, npos, cmd, err, errsize);
	if (r == PCTL_EXIT_OK)
		r = check_options(&o, cmd, err, errsize);
out:
	free(pos);
	return r;
}
