/* SPDX-License-Identifier: MIT */
/*
 * preampctl's exit codes, and how D-Bus errors and errno values map onto
 * them with a message a person can act on. Pure: no D-Bus here.
 */
#pragma once

#include <stddef.h>

#include "text.h"

enum pctl_exit {
	PCTL_EXIT_OK		= 0,
	PCTL_EXIT_USAGE		= 1,	/* bad command line */
	PCTL_EXIT_DAEMON	= 2,	/* preampd or the system bus unreachable */
	PCTL_EXIT_DENIED	= 3,	/* not authorized */
	PCTL_EXIT_NOTFOUND	= 4,	/* no such device, input or preset */
	PCTL_EXIT_INVALID	= 5,	/* value out of range or invalid */
	PCTL_EXIT_UNSUPPORTED	= 6,	/* the input lacks the capability */
	PCTL_EXIT_GONE		= 7,	/* device unplugged, or I/O error */
	PCTL_EXIT_BUSY		= 8,	/* busy, or 48 V locked */
	PCTL_EXIT_AUTOGAIN	= 9,	/* autogain ended without reaching the target */
	PCTL_EXIT_FAILED	= 10,	/* anything else: unexpected reply, no memory */
};

#define PCTL_BUS_NAME	"org.preampd.Preamp1"
#define PCTL_ERROR_NS	"org.preampd.Preamp1.Error."

/* A failure as the user sees it: exit code and the text to print. */
struct pctl_error {
	int code;
	char message[1024];
};

/* Exit code for a D-Bus error name (NULL or unknown: PCTL_EXIT_FAILED). */
int pctl_exit_for_dbus_error(const char *name);
/* Exit code for a negative errno from the D-Bus library or the system. */
int pctl_exit_for_errno(int negerrno);
/* One line on what an exit code means (for --help and messages). */
const char *pctl_exit_meaning(int code);

/*
 * Fills err from a D-Bus error (name and the daemon's message, both
 * untrusted) or, where name is NULL, from a negative errno. what says
 * what was being done ("setting the gain of Mic 1"), or NULL.
 */
void pctl_error_from_dbus(struct pctl_error *err, const char *what,
			  const char *name, const char *message, int negerrno);
/* Fills err with code and a printf message. */
void pctl_error_set(struct pctl_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Exit code for an autogain result word: done 0, failed 7, others 9. */
int pctl_exit_for_autogain(const char *result);
