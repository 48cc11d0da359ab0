// SPDX-License-Identifier: MIT
/* The help texts. */
#include <stddef.h>
#include <string.h>

#include "help.h"

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
"  help [COMMAND]                 this text, or one command's\n"
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
"  -h, --help           this text; after a command, that command's\n"
"  --version            preampctl's version\n"
"\n"
"Exit status:\n"
"  0 success              6 not supported by the input or device\n"
"  1 usage error          7 device unplugged or I/O error\n"
"  2 preampd unreachable  8 busy, or 48 V locked\n"
"  3 permission denied    9 autogain did not reach its target\n"
"  4 no such device, input or preset\n"
"  5 value out of range or invalid\n"
"  10 unexpected failure\n"
"\n"
"preampctl COMMAND --help says more about one command; preampctl(1) all.\n";

#define DEV_IN \
"\n" \
"DEV: an index from 'preampctl list', a device key, an ALSA card id, hw:N,\n" \
"or part of the name or key. IN: an input number or (part of) its label.\n"

#define DEV_ONLY \
"\n" \
"DEV: an index from 'preampctl list', a device key, an ALSA card id, hw:N,\n" \
"or part of the name or key.\n"

static const struct {
	const char *command;
	const char *text;
} commands[] = {
	{ "status",
"Usage: preampctl [status [DEV]] [--json]\n"
"\n"
"Every device (or one) with a table of its inputs: gain, 48 V (on, off, or\n"
"locked when locked off), pad, phase, high-pass, Air, level and autogain\n"
"state. A '-' means the input has no such control. It is what preampctl\n"
"prints without a command.\n"
DEV_ONLY },
	{ "list",
"Usage: preampctl list [--json]\n"
"\n"
"The devices, one a line: index, key, ALSA card, number of inputs, name.\n"
"The index or the key selects a device in the other commands.\n" },
	{ "show",
"Usage: preampctl show DEV [--json]\n"
"\n"
"Everything about one device and its inputs: gain ranges and steps, which\n"
"inputs share a 48 V switch, the 48 V policy, the saved presets.\n"
DEV_ONLY },
	{ "gain",
"Usage: preampctl gain DEV IN VALUE\n"
"\n"
"Sets an input's gain, in dB. A plain number sets it: 24, 24.5, 24dB. A\n"
"number with a sign changes it by that much: +3, -1.5 (stopping at the ends\n"
"of the range). A negative gain to set is written =-6. preampd snaps the\n"
"value to the input's steps; preampctl prints the gain set.\n"
"\n"
"  preampctl gain quad 1 24\n"
"  preampctl gain quad 'Mic 2' +3\n"
DEV_IN },
	{ "phantom",
"Usage: preampctl phantom DEV IN on|off\n"
"\n"
"Switches 48 V phantom power. Where inputs share one switch it acts on all\n"
"of them, and preampctl says which. Refused while 48 V is locked off on any\n"
"of them (preampctl lock), and for the first seconds after plug-in (the\n"
"driver's plug-in guard).\n"
DEV_IN },
	{ "pad",
"Usage: preampctl pad|phase|highpass|air DEV IN on|off\n"
"\n"
"Switches an input's pad, phase (polarity) inversion, high-pass filter or\n"
"Air mode.\n"
DEV_IN },
	{ "level",
"Usage: preampctl level DEV IN line|inst\n"
"\n"
"Line or instrument (Hi-Z) level.\n"
DEV_IN },
	{ "meter",
"Usage: preampctl meter DEV [IN] [--rate HZ] [--count N] [--json]\n"
"\n"
"A live level meter of every metered input of the device (or of one),\n"
"redrawn --rate times a second (default 30) until q or Ctrl-C, or for\n"
"--count refreshes. A bar is '=' below -6 dBFS, '#' in the 0 to -6 dBFS\n"
"window, '|' the peak held; then the peak and the held peak in dBFS.\n"
"Not on a terminal: one line a refresh, TIME IN:PEAK...\n"
DEV_IN },
	{ "autogain",
"Usage: preampctl autogain DEV IN [--target DBFS] [--listen SECONDS]\n"
"\n"
"Sets the gain from what the input hears: play or sing as loud as you will\n"
"in the performance while preampd listens, --listen seconds a pass (1 to\n"
"60, default 10). The loudest peak lands between --target - 1.5 and\n"
"--target dBFS (default -4: inside the 0 to -6 dBFS window), never at a\n"
"gain that clipped. Ctrl-C cancels and puts the gain back. Exit status 9\n"
"when the target cannot be reached (too quiet, or clipping at the lowest\n"
"gain).\n"
"\n"
"  preampctl autogain quad 1\n"
"  preampctl autogain quad 2 --target -6 --listen 20\n"
DEV_IN },
	{ "preset",
"Usage: preampctl preset save|apply|delete DEV NAME\n"
"       preampctl preset list DEV\n"
"\n"
"Saves every input's settings under NAME (48 V only when the 48 V policy is\n"
"restore), applies them, deletes them, or lists the saved names. A name is\n"
"1 to 64 bytes of UTF-8 without '/' or control characters.\n"
"\n"
"  preampctl preset save quad 'live set'\n"
DEV_ONLY },
	{ "policy",
"Usage: preampctl policy DEV off|restore|device\n"
"\n"
"What happens to 48 V when the device is plugged in: off (the default)\n"
"switches it off whatever was saved; restore brings it back as saved, once\n"
"the driver's plug-in guard has lifted; device leaves it as the device says.\n"
DEV_ONLY },
	{ "lock",
"Usage: preampctl lock DEV IN on|off\n"
"\n"
"Locks 48 V off for an input, for a ribbon microphone: nobody can switch it\n"
"on, alsamixer included, while preampd runs, and it stays locked across\n"
"plug-ins. Locking switches 48 V off for every input sharing the switch.\n"
"Unlocking may ask for an administrator's password.\n"
DEV_IN },
	{ "monitor",
"Usage: preampctl monitor [--count N] [--json]\n"
"\n"
"Prints every change as it happens, one line each, in the words of\n"
"'preampctl show': settings changed by anyone (a program, alsamixer, a knob\n"
"on the device), devices plugged in and unplugged, clips, autogain results,\n"
"preampd stopping and starting. Until Ctrl-C, or for --count events.\n" },
	{ "help",
"Usage: preampctl help [COMMAND]\n"
"\n"
"The help of preampctl, or of one command (as 'preampctl COMMAND --help').\n" },
};

const char *pctl_command_help(const char *command)
{
	static const char *const switches[] = { "phase", "highpass", "air" };

	if (!command)
		return NULL;
	for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++)
		if (strcmp(command, switches[i]) == 0)
			command = "pad";
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(command, commands[i].command) == 0)
			return commands[i].text;
	return NULL;
}
