/* SPDX-License-Identifier: MIT */
/*
 * The command line, parsed into one struct pctl_cmd. Pure: no I/O; the
 * strings in the struct point into argv.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum pctl_verb {
	PCTL_CMD_STATUS,
	PCTL_CMD_LIST,
	PCTL_CMD_SHOW,
	PCTL_CMD_GAIN,
	PCTL_CMD_PHANTOM,
	PCTL_CMD_SWITCH,	/* pad, phase, highpass, air: word says which */
	PCTL_CMD_LEVEL,
	PCTL_CMD_METER,
	PCTL_CMD_AUTOGAIN,
	PCTL_CMD_PRESET_SAVE,
	PCTL_CMD_PRESET_APPLY,
	PCTL_CMD_PRESET_DELETE,
	PCTL_CMD_PRESET_LIST,
	PCTL_CMD_POLICY,
	PCTL_CMD_LOCK,
	PCTL_CMD_MONITOR,
	PCTL_CMD_HELP,
	PCTL_CMD_VERSION,
	PCTL_CMD_COMPLETE,	/* hidden: candidates for the shell's completion */
};

enum pctl_complete_what {
	PCTL_COMPLETE_DEVICES,
	PCTL_COMPLETE_INPUTS,
	PCTL_COMPLETE_PRESETS,
};

#define PCTL_DEFAULT_TARGET	(-4.0)	/* dBFS */
#define PCTL_DEFAULT_LISTEN_MS	10000u
#define PCTL_DEFAULT_RATE	30u	/* meter refreshes a second */

struct pctl_cmd {
	enum pctl_verb verb;
	bool json;
	bool no_ask_password;
	const char *dev;		/* DEV as given, or NULL */
	const char *input;		/* IN as given, or NULL */
	const char *name;		/* preset name */
	const char *word;		/* pad|phase|highpass|air, line|inst, off|restore|device */
	bool on;			/* phantom, switches, lock */
	double value;			/* gain: dB, absolute or relative */
	bool relative;
	double target;			/* autogain target, dBFS */
	unsigned listen_ms;		/* autogain listening time per pass */
	unsigned rate;			/* meter refreshes a second */
	unsigned long count;		/* meter, monitor: stop after this many; 0: never */
	enum pctl_complete_what complete;
	/* help: the command asked about (NULL: all of them); after a usage
	 * error: the command it was about, for the hint */
	const char *topic;
};

/*
 * Parses argv with getopt_long: options may come before or after the
 * command; an argument that starts with '-' and a digit is a number; "--"
 * ends the options. Returns PCTL_EXIT_OK, or PCTL_EXIT_USAGE (malformed) or
 * PCTL_EXIT_INVALID (well-formed but out of range) with a message in err.
 */
int pctl_parse_args(int argc, char **argv, struct pctl_cmd *cmd,
		    char *err, size_t errsize);

/* The pieces, for reuse and tests; each returns 0 or -EINVAL/-ERANGE. */
int pctl_parse_decimal(const char *s, double *out);
int pctl_parse_gain(const char *s, double *db, bool *relative);
int pctl_parse_onoff(const char *s, bool *on);
