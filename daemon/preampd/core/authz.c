// SPDX-License-Identifier: MIT
/* Authorization decisions, pure. */
#include <string.h>

#include "authz.h"
#include "util.h"

const char *pa_action_id(enum pa_action a)
{
	switch (a) {
	case PA_ACTION_SET_GAIN:
		return "org.preampd.preamp1.set-gain";
	case PA_ACTION_SET_PHANTOM:
		return "org.preampd.preamp1.set-phantom";
	case PA_ACTION_UNLOCK_PHANTOM:
		return "org.preampd.preamp1.unlock-phantom";
	case PA_ACTION_MANAGE:
		return "org.preampd.preamp1.manage";
	case PA_ACTION_MONITOR:
		return "org.preampd.preamp1.monitor";
	default:
		return NULL;
	}
}

static const struct {
	const char *interface, *member;
	enum pa_action action;
} method_actions[] = {
	{ "org.preampd.Preamp1.Input", "SetGain", PA_ACTION_SET_GAIN },
	{ "org.preampd.Preamp1.Input", "AdjustGain", PA_ACTION_SET_GAIN },
	{ "org.preampd.Preamp1.Input", "SetSwitch", PA_ACTION_SET_GAIN },
	{ "org.preampd.Preamp1.Input", "SetLevel", PA_ACTION_SET_GAIN },
	{ "org.preampd.Preamp1.Input", "StartAutoGain", PA_ACTION_SET_GAIN },
	{ "org.preampd.Preamp1.Input", "CancelAutoGain", PA_ACTION_SET_GAIN },
	{ "org.preampd.Preamp1.Input", "SetPhantom", PA_ACTION_SET_PHANTOM },
	{ "org.preampd.Preamp1.Input", "SetPhantomLock", PA_ACTION_SET_PHANTOM },
	{ "org.preampd.Preamp1.Device", "SetPhantomPolicy", PA_ACTION_MANAGE },
	{ "org.preampd.Preamp1.Device", "SavePreset", PA_ACTION_MANAGE },
	{ "org.preampd.Preamp1.Device", "ApplyPreset", PA_ACTION_MANAGE },
	{ "org.preampd.Preamp1.Device", "DeletePreset", PA_ACTION_MANAGE },
	{ "org.preampd.Preamp1.Device", "GetLevels", PA_ACTION_MONITOR },
};

enum pa_action pa_action_of_method(const char *interface, const char *member)
{
	for (size_t i = 0; i < PA_ARRAY_SIZE(method_actions); i++)
		if (!strcmp(interface, method_actions[i].interface) &&
		    !strcmp(member, method_actions[i].member))
			return method_actions[i].action;
	return PA_ACTION_NONE;
}

enum pa_action pa_action_of_lock(bool locked)
{
	return locked ? PA_ACTION_SET_PHANTOM : PA_ACTION_UNLOCK_PHANTOM;
}

bool pa_verdict_cacheable(bool is_authorized, bool is_challenge,
			  size_t n_details)
{
	return is_authorized && !is_challenge && n_details == 0;
}

enum pa_verdict pa_verdict_of_reply(bool is_authorized, bool is_challenge,
				    bool interactive)
{
	if (is_authorized)
		return PA_AUTH_ALLOW;
	/* a challenge that an interactive call could not answer is a no */
	if (is_challenge && !interactive)
		return PA_AUTH_INTERACTIVE_REQUIRED;
	return PA_AUTH_DENY;
}

enum pa_verdict pa_verdict_of_error(const char *error_name)
{
	if (!error_name)
		return PA_AUTH_DENY;
	if (!strcmp(error_name, "org.freedesktop.DBus.Error.ServiceUnknown") ||
	    !strcmp(error_name, "org.freedesktop.DBus.Error.NameHasNoOwner"))
		return PA_AUTH_FALLBACK;
	return PA_AUTH_DENY;
}

enum pa_verdict pa_verdict_fallback(uid_t uid, gid_t gid, const gid_t *groups,
				    size_t n_groups, bool have_group,
				    gid_t group)
{
	if (uid == 0)
		return PA_AUTH_ALLOW;
	if (!have_group)
		return PA_AUTH_DENY;
	if (gid == group)
		return PA_AUTH_ALLOW;
	for (size_t i = 0; i < n_groups; i++)
		if (groups[i] == group)
			return PA_AUTH_ALLOW;
	return PA_AUTH_DENY;
}
