// SPDX-License-Identifier: MIT
/*
 * Authorization through polkit's CheckAuthorization, asynchronously: the
 * method call waits (its message referenced) while the event loop goes on.
 * Where no polkit authority exists, the caller's credentials come from the
 * bus, asynchronously too, and only root and the configured group pass.
 * The decisions themselves are authz.c's.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preampd.h"
#include "util.h"

#define POLKIT_TIMEOUT_USEC (25ULL * 1000 * 1000)
#define POLKIT_INTERACTIVE_TIMEOUT_USEC (120ULL * 1000 * 1000)
#define MAX_PENDING 256

struct auth_request {
	struct manager *m;
	struct auth_request *next;
	sd_bus_message *call;
	sd_bus_slot *slot;
	struct pa_op op;
	enum pa_action action;
	bool interactive;
};

static void unlink_request(struct auth_request *a)
{
	for (struct auth_request **p = &a->m->auth_pending; *p; p = &(*p)->next) {
		if (*p == a) {
			*p = a->next;
			break;
		}
	}
}

static void request_free(struct auth_request *a)
{
	unlink_request(a);
	sd_bus_slot_unref(a->slot);
	sd_bus_message_unref(a->call);
	free(a);
}

void auth_cancel_all(struct manager *m)
{
	while (m->auth_pending)
		request_free(m->auth_pending);
}

static const char *action_words(enum pa_action a)
{
	switch (a) {
	case PA_ACTION_SET_GAIN:
		return "change preamp gain and switches";
	case PA_ACTION_SET_PHANTOM:
		return "switch or lock 48 V phantom power";
	default:
		return "manage preamp presets and the 48 V policy";
	}
}

static void finish(struct auth_request *a, enum pa_verdict v)
{
	struct manager *m = a->m;
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int r;

	switch (v) {
	case PA_AUTH_ALLOW:
		r = a->op.run(m, a->call, &a->op, &err);
		if (r < 0) {
			if (sd_bus_error_is_set(&err))
				sd_bus_reply_method_error(a->call, &err);
			else
				sd_bus_reply_method_errno(a->call, r, NULL);
		}
		break;
	case PA_AUTH_INTERACTIVE_REQUIRED:
		sd_bus_reply_method_errorf(a->call,
					   SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED,
					   "Authentication is needed to %s; call again with interactive = true.",
					   action_words(a->action));
		break;
	default:
		sd_bus_reply_method_errorf(a->call, SD_BUS_ERROR_ACCESS_DENIED,
					   "Not authorized to %s.",
					   action_words(a->action));
		break;
	}
	sd_bus_error_free(&err);
	request_free(a);
}

/* ---- without polkit: root and the group ---- */

static int on_credentials(sd_bus_message *reply, void *userdata,
			  sd_bus_error *ret_error)
{
	struct auth_request *a = userdata;
	struct manager *m = a->m;
	uint32_t uid = UINT32_MAX;
	gid_t groups[256];
	size_t n_groups = 0;
	bool have_groups = false, have_uid = false;
	gid_t primary = (gid_t)-1;
	enum pa_verdict v;
	int r;

	(void)ret_error;
	a->slot = sd_bus_slot_unref(a->slot);
	if (sd_bus_message_is_method_error(reply, NULL)) {
		log_warning("cannot learn who the caller is: %s",
			    sd_bus_message_get_error(reply)->message);
		finish(a, PA_AUTH_DENY);
		return 0;
	}
	r = sd_bus_message_enter_container(reply, 'a', "{sv}");
	while (r > 0 && (r = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
		const char *key;

		r = sd_bus_message_read(reply, "s", &key);
		if (r < 0)
			break;
		if (!strcmp(key, "UnixUserID")) {
			r = sd_bus_message_read(reply, "v", "u", &uid);
			have_uid = r >= 0;
		} else if (!strcmp(key, "UnixGroupIDs")) {
			r = sd_bus_message_enter_container(reply, 'v', "au");
			if (r > 0)
				r = sd_bus_message_enter_container(reply, 'a', "u");
			while (r > 0) {
				uint32_t g;

				r = sd_bus_message_read(reply, "u", &g);
				if (r > 0 && n_groups < PA_ARRAY_SIZE(groups))
					groups[n_groups++] = g;
			}
			if (r >= 0)
				r = sd_bus_message_exit_container(reply);
			if (r >= 0)
				r = sd_bus_message_exit_container(reply);
			have_groups = r >= 0;
		} else {
			r = sd_bus_message_skip(reply, "v");
		}
		if (r >= 0)
			r = sd_bus_message_exit_container(reply);
		if (r >= 0)
			r = 1;
	}
	if (r < 0 || !have_uid) {
		log_warning("the bus gave no usable credentials for a caller");
		finish(a, PA_AUTH_DENY);
		return 0;
	}
	/* the user's primary group; and its groups when the bus has none */
	{
		struct passwd pw, *res = NULL;
		char buf[4096];

		if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res) {
			primary = res->pw_gid;
			if (!have_groups) {
				int ng = (int)PA_ARRAY_SIZE(groups);

				if (getgrouplist(res->pw_name, res->pw_gid, groups,
						 &ng) >= 0)
					n_groups = (size_t)ng;
			}
		}
	}
	v = pa_verdict_fallback(uid, primary, groups, n_groups,
				m->have_fallback_gid, m->fallback_gid);
	if (v != PA_AUTH_ALLOW)
		log_info("no polkit here: uid %u is neither root nor in group '%s'",
			 uid, m->cfg.fallback_group);
	finish(a, v);
	return 0;
}

static int ask_credentials(struct auth_request *a)
{
	const char *sender = sd_bus_message_get_sender(a->call);

	if (!sender)
		return -EINVAL;
	return sd_bus_call_method_async(a->m->bus, &a->slot,
					"org.freedesktop.DBus",
					"/org/freedesktop/DBus",
					"org.freedesktop.DBus",
					"GetConnectionCredentials",
					on_credentials, a, "s", sender);
}

/* ---- polkit ---- */

static int on_polkit(sd_bus_message *reply, void *userdata,
		     sd_bus_error *ret_error)
{
	struct auth_request *a = userdata;
	const sd_bus_error *e;
	int authorized = 0, challenge = 0, r;

	(void)ret_error;
	a->slot = sd_bus_slot_unref(a->slot);
	if (sd_bus_message_is_method_error(reply, NULL)) {
		e = sd_bus_message_get_error(reply);
		if (pa_verdict_of_error(e->name) == PA_AUTH_FALLBACK) {
			log_debug("no polkit authority (%s): root and group '%s' only",
				  e->name, a->m->cfg.fallback_group);
			r = ask_credentials(a);
			if (r < 0)
				finish(a, PA_AUTH_DENY);
			return 0;
		}
		log_warning("polkit failed: %s: %s", e->name, e->message);
		finish(a, PA_AUTH_DENY);
		return 0;
	}
	r = sd_bus_message_enter_container(reply, 'r', "bba{ss}");
	if (r > 0)
		r = sd_bus_message_read(reply, "bb", &authorized, &challenge);
	if (r < 0) {
		log_warning("polkit answered something unexpected");
		finish(a, PA_AUTH_DENY);
		return 0;
	}
	finish(a, pa_verdict_of_reply(authorized, challenge, a->interactive));
	return 0;
}

int auth_check(struct manager *m, sd_bus_message *call, enum pa_action action,
	       bool interactive, const struct pa_op *op, sd_bus_error *err)
{
	sd_bus_message *req = NULL;
	struct auth_request *a;
	const char *sender = sd_bus_message_get_sender(call);
	size_t n = 0;
	int r;

	for (struct auth_request *p = m->auth_pending; p; p = p->next)
		n++;
	if (n >= MAX_PENDING)
		return sd_bus_error_setf(err, PA_ERR_BUSY,
					 "Too many requests are waiting for authorization.");
	if (!sender)
		return sd_bus_error_setf(err, SD_BUS_ERROR_ACCESS_DENIED,
					 "The caller has no bus name.");
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->m = m;
	a->call = sd_bus_message_ref(call);
	a->op = *op;
	a->action = action;
	a->interactive = interactive;

	r = sd_bus_message_new_method_call(m->bus, &req,
					   "org.freedesktop.PolicyKit1",
					   "/org/freedesktop/PolicyKit1/Authority",
					   "org.freedesktop.PolicyKit1.Authority",
					   "CheckAuthorization");
	if (r >= 0)
		r = sd_bus_message_append(req, "(sa{sv})s", "system-bus-name", 1,
					  "name", "s", sender,
					  pa_action_id(action));
	if (r >= 0)
		r = sd_bus_message_append(req, "a{ss}us", 0,
					  (uint32_t)(interactive ? 1 : 0), "");
	if (r >= 0)
		r = sd_bus_call_async(m->bus, &a->slot, req, on_polkit, a,
				      interactive ? POLKIT_INTERACTIVE_TIMEOUT_USEC :
						    POLKIT_TIMEOUT_USEC);
	sd_bus_message_unref(req);
	if (r < 0) {
		sd_bus_message_unref(a->call);
		free(a);
		return r;
	}
	a->next = m->auth_pending;
	m->auth_pending = a;
	return 1;
}
