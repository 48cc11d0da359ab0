// SPDX-License-Identifier: MIT
/* Exit codes and error messages. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"

static const struct {
	const char *name;
	int code;
} error_table[] = {
	{ "org.freedesktop.DBus.Error.ServiceUnknown",		PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.NameHasNoOwner",		PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.NoServer",		PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.Disconnected",		PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.NoReply",			PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.Timeout",			PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.TimedOut",		PCTL_EXIT_DAEMON },
	{ "org.freedesktop.DBus.Error.AccessDenied",		PCTL_EXIT_DENIED },
	{ "org.freedesktop.DBus.Error.AuthFailed",		PCTL_EXIT_DENIED },
	{ "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", PCTL_EXIT_DENIED },
	{ "org.freedesktop.PolicyKit1.Error.NotAuthorized",	PCTL_EXIT_DENIED },
	{ "org.freedesktop.PolicyKit1.Error.Cancelled",		PCTL_EXIT_DENIED },
	{ PCTL_ERROR_NS "NoSuchDevice",				PCTL_EXIT_NOTFOUND },
	{ PCTL_ERROR_NS "NoSuchPreset",				PCTL_EXIT_NOTFOUND },
	{ PCTL_ERROR_NS "OutOfRange",				PCTL_EXIT_INVALID },
	{ "org.freedesktop.DBus.Error.InvalidArgs",		PCTL_EXIT_INVALID },
	{ PCTL_ERROR_NS "NotSupported",				PCTL_EXIT_UNSUPPORTED },
	{ "org.freedesktop.DBus.Error.UnknownMethod",		PCTL_EXIT_UNSUPPORTED },
	{ "org.freedesktop.DBus.Error.NotSupported",		PCTL_EXIT_UNSUPPORTED },
	{ "org.freedesktop.DBus.Error.UnknownProperty",		PCTL_EXIT_UNSUPPORTED },
	{ PCTL_ERROR_NS "DeviceGone",				PCTL_EXIT_GONE },
	{ PCTL_ERROR_NS "IOError",				PCTL_EXIT_GONE },
	/* an object the daemon listed a moment ago: it has just gone */
	{ "org.freedesktop.DBus.Error.UnknownObject",		PCTL_EXIT_GONE },
	{ "org.freedesktop.DBus.Error.UnknownInterface",	PCTL_EXIT_GONE },
	{ "org.freedesktop.DBus.Error.IOError",			PCTL_EXIT_GONE },
	{ PCTL_ERROR_NS "Busy",					PCTL_EXIT_BUSY },
	{ PCTL_ERROR_NS "Locked",				PCTL_EXIT_BUSY },
	{ "org.freedesktop.DBus.Error.LimitsExceeded",		PCTL_EXIT_BUSY },
	{ "org.freedesktop.DBus.Error.NoMemory",		PCTL_EXIT_FAILED },
};

/* the bus failed to start an activatable service (ExecFailed, ChildExited,
 * ServiceNotFound, FailedToSetup...): it is not running */
#define SPAWN_ERROR_PREFIX "org.freedesktop.DBus.Error.Spawn."

static bool is_spawn_error(const char *name)
{
	return name && strncmp(name, SPAWN_ERROR_PREFIX, strlen(SPAWN_ERROR_PREFIX)) == 0;
}

int pctl_exit_for_dbus_error(const char *name)
{
	if (!name)
		return PCTL_EXIT_FAILED;
	if (is_spawn_error(name))
		return PCTL_EXIT_DAEMON;
	for (size_t i = 0; i < sizeof(error_table) / sizeof(error_table[0]); i++)
		if (strcmp(name, error_table[i].name) == 0)
			return error_table[i].code;
	return PCTL_EXIT_FAILED;
}

int pctl_exit_for_errno(int negerrno)
{
	switch (negerrno) {
	case 0:
		return PCTL_EXIT_OK;
	case -ENOENT: case -ECONNREFUSED: case -ECONNRESET: case -ENOTCONN:
	case -ETIMEDOUT: case -EHOSTDOWN: case -ESHUTDOWN: case -EPIPE:
	case -ENOMEDIUM: case -EADDRNOTAVAIL:
		return PCTL_EXIT_DAEMON;
	case -EACCES: case -EPERM:
		return PCTL_EXIT_DENIED;
	case -ENODEV: case -ENXIO:
		return PCTL_EXIT_NOTFOUND;
	case -ERANGE: case -EINVAL: case -EDOM:
		return PCTL_EXIT_INVALID;
	case -EOPNOTSUPP:
		return PCTL_EXIT_UNSUPPORTED;
	case -EIO:
		return PCTL_EXIT_GONE;
	case -EBUSY: case -EAGAIN:
		return PCTL_EXIT_BUSY;
	default:
		return PCTL_EXIT_FAILED;
	}
}

const char *pctl_exit_meaning(int code)
{
	switch (code) {
	case PCTL_EXIT_OK:		return "success";
	case PCTL_EXIT_USAGE:		return "usage error";
	case PCTL_EXIT_DAEMON:		return "preampd is not reachable";
	case PCTL_EXIT_DENIED:		return "permission denied";
	case PCTL_EXIT_NOTFOUND:	return "no such device, input or preset";
	case PCTL_EXIT_INVALID:		return "value out of range or invalid";
	case PCTL_EXIT_UNSUPPORTED:	return "not supported by this input or device";
	case PCTL_EXIT_GONE:		return "device unplugged or I/O error";
	case PCTL_EXIT_BUSY:		return "busy, or 48 V locked";
	case PCTL_EXIT_AUTOGAIN:	return "autogain did not reach its target";
	default:			return "unexpected failure";
	}
}

void pctl_error_set(struct pctl_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

/* the daemon's words, made safe for a terminal and bounded */
static void safe_text(char *out, size_t size, const char *s)
{
	struct pctl_buf b;

	pctl_buf_init(&b);
	pctl_term_text(&b, s, 300);
	snprintf(out, size, "%s", pctl_buf_str(&b));
	pctl_buf_free(&b);
}

static bool is(const char *name, const char *suffix)
{
	return name && strcmp(name, suffix) == 0;
}

void pctl_error_from_dbus(struct pctl_error *err, const char *what,
			  const char *name, const char *message, int negerrno)
{
	char said[320] = "", prefix[256] = "";
	const char *hint = "";
	int code;

	if (message && *message)
		safe_text(said, sizeof(said), message);
	else if (!name && negerrno)
		snprintf(said, sizeof(said), "%s", strerror(-negerrno));
	if (what)
		snprintf(prefix, sizeof(prefix), "%s: ", what);

	code = name ? pctl_exit_for_dbus_error(name) : pctl_exit_for_errno(negerrno);

	switch (code) {
	case PCTL_EXIT_DAEMON:
		if (!name)
			pctl_error_set(err, code,
				"cannot reach the system bus (%s).\n"
				"Is D-Bus running? preampd also needs it: systemctl start preampd",
				said);
		else if (is(name, "org.freedesktop.DBus.Error.NoReply") ||
			 is(name, "org.freedesktop.DBus.Error.Timeout") ||
			 is(name, "org.freedesktop.DBus.Error.TimedOut"))
			pctl_error_set(err, code,
				"%spreampd did not answer in time.\n"
				"Check it with: systemctl status preampd", prefix);
		else if (is_spawn_error(name))
			pctl_error_set(err, code,
				"%spreampd is not running, and the system bus could not start it%s%s%s.\n"
				"Start it with: systemctl start preampd", prefix,
				*said ? " (" : "", said, *said ? ")" : "");
		else
			pctl_error_set(err, code,
				"%spreampd is not running (%s is not on the system bus).\n"
				"Start it with: systemctl start preampd", prefix, PCTL_BUS_NAME);
		return;
	case PCTL_EXIT_DENIED:
		if (is(name, "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired"))
			hint = "\nThis needs authentication: run preampctl from a terminal, "
			       "without --no-ask-password, to be asked for a password.";
		else
			hint = "\nChanging preamp settings needs polkit authorization (given to "
			       "the active local session), or, where polkit is not running, "
			       "root or membership of the group preampd allows (usually 'audio').";
		pctl_error_set(err, code, "%spermission denied%s%s%s", prefix,
			       *said ? " (" : "", said, *said ? ")" : "");
		break;
	case PCTL_EXIT_GONE:
		if (is(name, PCTL_ERROR_NS "IOError") || is(name, "org.freedesktop.DBus.Error.IOError") ||
		    (!name && negerrno == -EIO))
			pctl_error_set(err, code, "%sthe device refused the request%s%s",
				       prefix, *said ? ": " : "", said);
		else
			pctl_error_set(err, code,
				"%sthe device is gone (unplugged?)%s%s", prefix,
				*said ? ": " : "", said);
		return;
	case PCTL_EXIT_UNSUPPORTED:
		if (is(name, "org.freedesktop.DBus.Error.UnknownMethod") ||
		    is(name, "org.freedesktop.DBus.Error.UnknownProperty"))
			hint = "\nThe running preampd does not know this request: is it older than preampctl?";
		pctl_error_set(err, code, "%snot supported%s%s", prefix,
			       *said ? ": " : "", said);
		break;
	case PCTL_EXIT_BUSY:
		if (is(name, PCTL_ERROR_NS "Locked")) {
			pctl_error_set(err, code, "%s48 V is locked off%s%s", prefix,
				       *said ? ": " : "", said);
			hint = "\nThe 48 V lock protects a ribbon microphone on this input, or on one "
			       "sharing its switch; remove it with: preampctl lock DEV IN off";
		} else {
			pctl_error_set(err, code, "%sbusy%s%s", prefix, *said ? ": " : "", said);
		}
		break;
	case PCTL_EXIT_NOTFOUND:
		pctl_error_set(err, code, "%s%s%s%s", prefix,
			       is(name, PCTL_ERROR_NS "NoSuchPreset") ? "no such preset" :
								       "no such device",
			       *said ? ": " : "", said);
		return;
	case PCTL_EXIT_INVALID:
		pctl_error_set(err, code, "%sinvalid value%s%s", prefix,
			       *said ? ": " : "", said);
		return;
	default:
		if (name) {
			char safe_name[160];

			safe_text(safe_name, sizeof(safe_name), name);
			pctl_error_set(err, code, "%sunexpected error from preampd (%s)%s%s",
				       prefix, safe_name, *said ? ": " : "", said);
		} else {
			pctl_error_set(err, code, "%sfailed: %s", prefix,
				       *said ? said : "unknown error");
		}
		return;
	}
	if (*hint) {
		size_t l = strlen(err->message);
		snprintf(err->message + l, sizeof(err->message) - l, "%s", hint);
	}
}

int pctl_exit_for_autogain(const char *result)
{
	if (result && strcmp(result, "done") == 0)
		return PCTL_EXIT_OK;
	if (result && strcmp(result, "failed") == 0)
		return PCTL_EXIT_GONE;
	return PCTL_EXIT_AUTOGAIN;
}
