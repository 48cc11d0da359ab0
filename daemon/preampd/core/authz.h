/* SPDX-License-Identifier: MIT */
/*
 * Authorization decisions (dbus-api.md section 6), pure: which polkit
 * action guards a method, what a polkit answer means, and the fallback for a
 * system without a polkit authority.
 */
#ifndef PREAMPD_AUTHZ_H
#define PREAMPD_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum pa_action {
	PA_ACTION_SET_GAIN,
	PA_ACTION_SET_PHANTOM,
	PA_ACTION_UNLOCK_PHANTOM,	/* SetPhantomLock(false) */
	PA_ACTION_MANAGE,
	PA_ACTION_MONITOR,		/* GetLevels */
	PA_ACTION_COUNT,
	PA_ACTION_NONE = -1,	/* a reading method: no authorization */
};

enum pa_verdict {
	PA_AUTH_ALLOW,
	PA_AUTH_DENY,			/* AccessDenied */
	PA_AUTH_INTERACTIVE_REQUIRED,	/* InteractiveAuthorizationRequired */
	PA_AUTH_FALLBACK,		/* no authority: ask who the caller is */
};

/* "org.preampd.preamp1.set-gain", ... */
const char *pa_action_id(enum pa_action a);

/* The action guarding interface.member, or PA_ACTION_NONE. For
 * SetPhantomLock it is locking's; unlocking is pa_action_of_lock's. */
enum pa_action pa_action_of_method(const char *interface, const char *member);

/* SetPhantomLock(locked): set-phantom to lock, unlock-phantom to unlock. */
enum pa_action pa_action_of_lock(bool locked);

/* A CheckAuthorization reply (is_authorized, is_challenge). */
enum pa_verdict pa_verdict_of_reply(bool is_authorized, bool is_challenge,
				    bool interactive);

/*
 * Whether an answer of polkit may be remembered for the caller's bus name
 * until it leaves the bus or polkit announces a change (its Changed
 * signal, which polkitd emits when actions, rules, sessions or temporary
 * authorizations change). Only a plain yes: authorized, no challenge, and
 * no details. polkit puts details on every answer that has its own
 * lifetime: a temporary authorization (auth_admin_keep: the yes after an
 * administrator's password, and every yes that reuses it carry
 * "polkit.temporary_authorization_id"; polkit keeps those itself and
 * answers them without a prompt, so they are asked again each time),
 * "polkit.retains_authorization_after_challenge", "polkit.dismissed".
 * n_details is the number of entries of the reply's details.
 */
bool pa_verdict_cacheable(bool is_authorized, bool is_challenge,
			  size_t n_details);

/* A CheckAuthorization call that failed with D-Bus error error_name:
 * "no authority" (FALLBACK) or DENY; a polkit that answers is obeyed. */
enum pa_verdict pa_verdict_of_error(const char *error_name);

/* The fallback: root, and members of group (primary or supplementary). */
enum pa_verdict pa_verdict_fallback(uid_t uid, gid_t gid, const gid_t *groups,
				    size_t n_groups, bool have_group,
				    gid_t group);

#endif
