// SPDX-License-Identifier: MIT
/*
 * Authorization through polkit's CheckAuthorization, asynchronously: the
 * method call waits (its message referenced) while the event loop goes on.
 * Where no polkit authority exists, the caller's credentials come from the
 * bus (GetConnectionCredentials, asynchronously, its UnixGroupIDs: no NSS
 * lookup), and only root and the configured group pass. The decisions
 * themselves are authz.c's; the callers' table is peers.c's.
 *
 * The fast path. Per caller (unique bus name) preampd remembers:
 *  - polkit's plain yes per action: authorized, no challenge, no details.
 *    That is the answer of an action's defaults or of a rule, which only
 *    changes when polkit says so: polkitd emits Changed on its Authority
 *    when actions or rules change, when sessions change (a seat switched
 *    to another user: the active session's yes no longer holds) and when
 *    a temporary authorization comes or goes. Changed, and polkit leaving
 *    or coming onto the bus, forget every verdict.
 *    Never remembered: a no, a challenge, and every yes with details,
 *    which is what a temporary authorization gives (auth_admin_keep: the
 *    yes after an administrator's password, and each yes that reuses it,
 *    carry "polkit.temporary_authorization_id"). Those are asked again at
 *    each call: polkit keeps them for the time and the subject its own
 *    rules give, answers them without a prompt, and ends them itself.
 *  - its credentials from the bus, fixed for the connection's life.
 *  All of it goes when the caller leaves the bus (a match on
 *  NameOwnerChanged with its name), with every request it still waits for,
 *  each cancelled at polkit (CancelCheckAuthorization with the request's
 *  cancellation id). Unique names are never reused on a bus, so nothing
 *  can inherit it.
 * At most PA_PEER_PENDING_MAX requests of one caller wait at once (more
 * are Busy), so that a caller whose agent never answers cannot take the
 * replies dbus-daemon lets preampd wait for (128) from everybody else.
 * And globally: that polkit is absent (CheckAuthorization failed with
 * ServiceUnknown or NameHasNoOwner), until its name gets an owner; asked
 * again after ABSENT_RECHECK_USEC all the same, because a polkit that
 * becomes activatable (installed) owns no name until it is first asked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peers.h"
#include "preampd.h"
#include "util.h"

#define POLKIT_TIMEOUT_USEC (25ULL * 1000 * 1000)
#define POLKIT_INTERACTIVE_TIMEOUT_USEC (120ULL * 1000 * 1000)
#define ABSENT_RECHECK_USEC (10ULL * 1000 * 1000)

#define POLKIT_NAME "org.freedesktop.PolicyKit1"
#define BUS_MATCH "type='signal',sender='org.freedesktop.DBus'," \
	"path='/org/freedesktop/DBus',interface='org.freedesktop.DBus'," \
	"member='NameOwnerChanged',arg0='"
/* no sender=: sd-bus compares it with the unique name of the signal's
 * sender, never a well-known one. A forged Changed only costs round trips. */
#define POLKIT_CHANGED_MATCH "type='signal'," \
	"path='/org/freedesktop/PolicyKit1/Authority'," \
	"interface='org.freedesktop.PolicyKit1.Authority',member='Changed'"

struct auth_request {
	struct auth *auth;
	struct auth_request *next;
	struct pa_peer *peer;
	sd_bus_message *call;
	sd_bus_slot *slot;
	struct pa_op op;
	enum pa_action action;
	bool interactive;
	bool admitted;
	bool asking_polkit;	/* CheckAuthorization sent, no answer yet */
	uint64_t gen;		/* peers' generation when polkit was asked */
	char cancel_id[32];	/* its cancellation id */
};

struct auth {
	struct manager *m;
	struct pa_peers peers;
	struct auth_request *pending;
	uint64_t absent_since;	/* polkit answered "no such name"; 0: not */
	uint64_t n_asked;	/* for cancellation ids */
	sd_bus_slot *polkit_owner;
	sd_bus_slot *polkit_changed;
};

static int ask_polkit(struct auth_request *a);
static int ask_credentials(struct auth_request *a);

static uint64_t now_usec(const struct auth *auth)
{
	uint64_t now = 0;

	sd_event_now(auth->m->event, CLOCK_MONOTONIC, &now);
	return now;
}

/* A request nobody waits for any more: polkit stops asking the agent and
 * answers, which also ends the reply dbus-daemon keeps counting for
 * preampd (it allows 128 and never expires them). */
static void cancel_polkit(struct auth_request *a)
{
	sd_bus_call_method_async(a->auth->m->bus, NULL, POLKIT_NAME,
				 "/org/freedesktop/PolicyKit1/Authority",
				 "org.freedesktop.PolicyKit1.Authority",
				 "CancelCheckAuthorization", NULL, NULL, "s",
				 a->cancel_id);
}

static void request_free(struct auth_request *a)
{
	struct auth *auth = a->auth;

	if (a->asking_polkit)
		cancel_polkit(a);
	for (struct auth_request **p = &auth->pending; *p; p = &(*p)->next) {
		if (*p == a) {
			*p = a->next;
			break;
		}
	}
	if (a->admitted)
		pa_peers_done(&auth->peers, a->peer);
	sd_bus_slot_unref(a->slot);
	sd_bus_message_unref(a->call);
	free(a);
}

static void peer_forget(struct auth *auth, struct pa_peer *peer)
{
	peer->watch = sd_bus_slot_unref(peer->watch);
	peer->check = sd_bus_slot_unref(peer->check);
	pa_peers_remove(&auth->peers, peer);
}

/* The caller left the bus: what it waits for can reach nobody. */
static void peer_gone(struct auth *auth, struct pa_peer *peer)
{
	unsigned n = 0;

	for (struct auth_request *a = auth->pending, *next; a; a = next) {
		next = a->next;
		if (a->peer != peer)
			continue;
		request_free(a);
		n++;
	}
	if (n)
		log_debug("%s left the bus: %u request(s) dropped", peer->name, n);
	peer_forget(auth, peer);
}

static struct pa_peer *peer_by_name(struct auth *auth, const char *name)
{
	for (struct pa_peer *p = auth->peers.list; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static int on_peer_owner(sd_bus_message *msg, void *userdata,
			 sd_bus_error *ret_error)
{
	struct auth *auth = userdata;
	const char *name, *old, *new;
	struct pa_peer *peer;

	(void)ret_error;
	if (sd_bus_message_read(msg, "sss", &name, &old, &new) < 0 || new[0])
		return 0;
	peer = peer_by_name(auth, name);
	if (peer)
		peer_gone(auth, peer);
	return 0;
}

/* GetNameOwner after the match is asked for: a caller that left before
 * the match was in place is noticed all the same. */
static int on_peer_check(sd_bus_message *reply, void *userdata,
			 sd_bus_error *ret_error)
{
	struct auth *auth = userdata;
	sd_bus_slot *slot = sd_bus_get_current_slot(auth->m->bus);

	(void)ret_error;
	for (struct pa_peer *peer = auth->peers.list; peer; peer = peer->next) {
		if (peer->check != slot)
			continue;
		peer->check = sd_bus_slot_unref(slot);
		if (sd_bus_message_is_method_error(reply, NULL))
			peer_gone(auth, peer);
		break;
	}
	return 0;
}

static struct pa_peer *peer_get(struct auth *auth, const char *sender)
{
	struct pa_peer *peer = pa_peers_find(&auth->peers, sender);
	char match[sizeof(BUS_MATCH) + PA_PEER_NAME_MAX + 2];
	sd_bus_slot *watch = NULL, *check = NULL;
	int r;

	if (peer)
		return peer;
	if (auth->peers.n >= PA_PEERS_MAX) {
		struct pa_peer *idle = pa_peers_idle(&auth->peers);

		if (!idle)
			return NULL;
		peer_forget(auth, idle);
	}
	peer = pa_peers_add(&auth->peers, sender);
	if (!peer)
		return NULL;
	snprintf(match, sizeof(match), BUS_MATCH "%s'", sender);
	r = sd_bus_add_match_async(auth->m->bus, &watch, match, on_peer_owner,
				   NULL, auth);
	peer->watch = watch;
	if (r >= 0)
		r = sd_bus_call_method_async(auth->m->bus, &check,
					     "org.freedesktop.DBus",
					     "/org/freedesktop/DBus",
					     "org.freedesktop.DBus",
					     "GetNameOwner", on_peer_check,
					     auth, "s", sender);
	peer->check = check;
	if (r < 0) {
		peer_forget(auth, peer);
		return NULL;
	}
	return peer;
}

static const char *action_words(enum pa_action a)
{
	switch (a) {
	case PA_ACTION_SET_GAIN:
		return "change preamp gain and switches";
	case PA_ACTION_SET_PHANTOM:
		return "switch or lock 48 V phantom power";
	case PA_ACTION_UNLOCK_PHANTOM:
		return "unlock 48 V phantom power (the lock protects a ribbon microphone)";
	case PA_ACTION_MONITOR:
		return "read the input levels (they are private to the people at the machine)";
	default:
		return "manage preamp presets and the 48 V policy";
	}
}

/* The verdict for call: run the operation or reply with the refusal.
 * Returns what a method handler returns. */
static int decide(struct manager *m, sd_bus_message *call,
		  const struct pa_op *op, enum pa_action action,
		  enum pa_verdict v, sd_bus_error *err)
{
	switch (v) {
	case PA_AUTH_ALLOW:
		return op->run(m, call, op, err);
	case PA_AUTH_INTERACTIVE_REQUIRED:
		return sd_bus_error_setf(err,
					 SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED,
					 "Authentication is needed to %s; call again with interactive = true.",
					 action_words(action));
	default:
		return sd_bus_error_setf(err, SD_BUS_ERROR_ACCESS_DENIED,
					 "Not authorized to %s.",
					 action_words(action));
	}
}

static void finish(struct auth_request *a, enum pa_verdict v)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int r;

	r = decide(a->auth->m, a->call, &a->op, a->action, v, &err);
	if (r < 0) {
		if (sd_bus_error_is_set(&err))
			sd_bus_reply_method_error(a->call, &err);
		else
			sd_bus_reply_method_errno(a->call, r, NULL);
	}
	sd_bus_error_free(&err);
	request_free(a);
}

static enum pa_verdict fallback_verdict(struct auth *auth,
					const struct pa_peer *peer)
{
	if (peer->fallback != PA_AUTH_ALLOW)
		log_info("no polkit here: uid %u is neither root nor in group '%s'",
			 (unsigned)peer->uid, auth->m->cfg.fallback_group);
	return peer->fallback;
}

/* ---- without polkit: root and the group, by the bus's credentials ---- */

/* the requests of peer that wait for its credentials */
static void creds_known(struct auth *auth, struct pa_peer *peer)
{
	for (struct auth_request *a = auth->pending, *next; a; a = next) {
		next = a->next;
		if (a->peer == peer && !a->slot)
			finish(a, peer->have_creds ? fallback_verdict(auth, peer) :
						     PA_AUTH_DENY);
	}
}

static int parse_credentials(struct auth *auth, sd_bus_message *reply,
			     uid_t *uid, enum pa_verdict *v)
{
	struct manager *m = auth->m;
	bool have_uid = false, have_groups = false, member = false;
	uint32_t u = UINT32_MAX;
	int r;

	r = sd_bus_message_enter_container(reply, 'a', "{sv}");
	while (r > 0 && (r = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
		const char *key;

		r = sd_bus_message_read(reply, "s", &key);
		if (r < 0)
			break;
		if (!strcmp(key, "UnixUserID")) {
			r = sd_bus_message_read(reply, "v", "u", &u);
			have_uid = r >= 0;
		} else if (!strcmp(key, "UnixGroupIDs")) {
			/* dbus-daemon's: the primary group and the others */
			r = sd_bus_message_enter_container(reply, 'v', "au");
			if (r > 0)
				r = sd_bus_message_enter_container(reply, 'a', "u");
			while (r > 0) {
				uint32_t g;

				r = sd_bus_message_read(reply, "u", &g);
				if (r > 0 && m->have_fallback_gid &&
				    g == (uint32_t)m->fallback_gid)
					member = true;
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
	if (r < 0 || !have_uid)
		return -EBADMSG;
	if (!have_groups && u != 0)
		log_warning("the bus gives no groups of uid %u: only root may change settings without polkit",
			    (unsigned)u);
	*uid = (uid_t)u;
	*v = pa_verdict_fallback(*uid, member ? m->fallback_gid : (gid_t)-1,
				 NULL, 0, m->have_fallback_gid, m->fallback_gid);
	return 0;
}

static int on_credentials(sd_bus_message *reply, void *userdata,
			  sd_bus_error *ret_error)
{
	struct auth_request *a = userdata;
	struct auth *auth = a->auth;
	struct pa_peer *peer = a->peer;
	enum pa_verdict v;
	uid_t uid;

	(void)ret_error;
	a->slot = sd_bus_slot_unref(a->slot);
	peer->asking_creds = false;
	if (sd_bus_message_is_method_error(reply, NULL))
		log_warning("cannot learn who the caller is: %s",
			    sd_bus_message_get_error(reply)->message);
	else if (parse_credentials(auth, reply, &uid, &v) < 0)
		log_warning("the bus gave no usable credentials for a caller");
	else
		pa_peers_set_creds(peer, uid, v);
	/* this request was the one that asked: it waits with no slot too */
	creds_known(auth, peer);
	return 0;
}

/* Decides a's request from its caller's credentials, asking the bus for
 * them once per caller. */
static int ask_credentials(struct auth_request *a)
{
	struct pa_peer *peer = a->peer;

	if (peer->have_creds) {
		finish(a, fallback_verdict(a->auth, peer));
		return 0;
	}
	if (peer->asking_creds)
		return 0;	/* another request of this caller asked */
	peer->asking_creds = true;
	a->slot = NULL;
	{
		sd_bus_slot *slot = NULL;
		int r = sd_bus_call_method_async(a->auth->m->bus, &slot,
						 "org.freedesktop.DBus",
						 "/org/freedesktop/DBus",
						 "org.freedesktop.DBus",
						 "GetConnectionCredentials",
						 on_credentials, a, "s",
						 peer->name);

		if (r < 0) {
			peer->asking_creds = false;
			return r;
		}
		a->slot = slot;
	}
	return 0;
}

/* ---- polkit ---- */

static void polkit_absent(struct auth *auth, const char *why)
{
	if (!auth->absent_since)
		log_debug("no polkit authority (%s): root and group '%s' only",
			  why, auth->m->cfg.fallback_group);
	auth->absent_since = now_usec(auth);
	if (!auth->absent_since)
		auth->absent_since = 1;
	pa_peers_forget_verdicts(&auth->peers);
}

static bool polkit_known_absent(struct auth *auth)
{
	return auth->absent_since &&
	       now_usec(auth) < auth->absent_since + ABSENT_RECHECK_USEC;
}

/* the number of entries of the reply's details, a{ss}; -errno */
static int count_details(sd_bus_message *reply)
{
	int r, n = 0;

	r = sd_bus_message_enter_container(reply, 'a', "{ss}");
	while (r > 0) {
		r = sd_bus_message_skip(reply, "{ss}");
		if (r > 0)
			n++;
	}
	if (r < 0)
		return r;
	r = sd_bus_message_exit_container(reply);
	return r < 0 ? r : n;
}

static int on_polkit(sd_bus_message *reply, void *userdata,
		     sd_bus_error *ret_error)
{
	struct auth_request *a = userdata;
	struct auth *auth = a->auth;
	const sd_bus_error *e;
	int authorized = 0, challenge = 0, n_details = -1, r;

	(void)ret_error;
	a->slot = sd_bus_slot_unref(a->slot);
	a->asking_polkit = false;
	if (sd_bus_message_is_method_error(reply, NULL)) {
		e = sd_bus_message_get_error(reply);
		if (sd_bus_error_has_name(e, SD_BUS_ERROR_NO_REPLY) ||
		    sd_bus_error_has_name(e, SD_BUS_ERROR_TIMEOUT))
			cancel_polkit(a);	/* it may still be asking */
		if (pa_verdict_of_error(e->name) == PA_AUTH_FALLBACK) {
			polkit_absent(auth, e->name);
			if (ask_credentials(a) < 0)
				finish(a, PA_AUTH_DENY);
			return 0;
		}
		log_warning("polkit failed: %s: %s", e->name, e->message);
		finish(a, PA_AUTH_DENY);
		return 0;
	}
	auth->absent_since = 0;
	r = sd_bus_message_enter_container(reply, 'r', "bba{ss}");
	if (r > 0)
		r = sd_bus_message_read(reply, "bb", &authorized, &challenge);
	if (r >= 0)
		n_details = count_details(reply);
	if (r < 0) {
		log_warning("polkit answered something unexpected");
		finish(a, PA_AUTH_DENY);
		return 0;
	}
	if (n_details >= 0 &&
	    pa_verdict_cacheable(authorized, challenge, (size_t)n_details))
		pa_peers_remember(&auth->peers, a->peer, a->action, a->gen);
	finish(a, pa_verdict_of_reply(authorized, challenge, a->interactive));
	return 0;
}

static int ask_polkit(struct auth_request *a)
{
	struct auth *auth = a->auth;
	sd_bus_message *req = NULL;
	int r;

	a->gen = auth->peers.generation;
	snprintf(a->cancel_id, sizeof(a->cancel_id), "preampd-%llu",
		 (unsigned long long)++auth->n_asked);
	r = sd_bus_message_new_method_call(auth->m->bus, &req, POLKIT_NAME,
					   "/org/freedesktop/PolicyKit1/Authority",
					   "org.freedesktop.PolicyKit1.Authority",
					   "CheckAuthorization");
	if (r >= 0)
		r = sd_bus_message_append(req, "(sa{sv})s", "system-bus-name", 1,
					  "name", "s", a->peer->name,
					  pa_action_id(a->action));
	if (r >= 0)
		r = sd_bus_message_append(req, "a{ss}us", 0,
					  (uint32_t)(a->interactive ? 1 : 0),
					  a->cancel_id);
	if (r >= 0)
		r = sd_bus_call_async(auth->m->bus, &a->slot, req, on_polkit, a,
				      a->interactive ? POLKIT_INTERACTIVE_TIMEOUT_USEC :
						       POLKIT_TIMEOUT_USEC);
	sd_bus_message_unref(req);
	if (r >= 0)
		a->asking_polkit = true;
	return r;
}

int auth_check(struct manager *m, sd_bus_message *call, enum pa_action action,
	       bool interactive, const struct pa_op *op, sd_bus_error *err)
{
	struct auth *auth = m->auth;
	const char *sender = sd_bus_message_get_sender(call);
	struct auth_request *a;
	struct pa_peer *peer;
	bool absent;
	int r;

	if (!sender)
		return sd_bus_error_setf(err, SD_BUS_ERROR_ACCESS_DENIED,
					 "The caller has no bus name.");
	peer = peer_get(auth, sender);
	if (!peer)
		return sd_bus_error_setf(err, PA_ERR_BUSY,
					 "Too many callers are waiting for authorization.");
	/* the fast path: nothing to ask */
	absent = polkit_known_absent(auth);
	if (absent && peer->have_creds)
		return decide(m, call, op, action, fallback_verdict(auth, peer),
			      err);
	if (!absent && pa_peers_allowed(&auth->peers, peer, action))
		return op->run(m, call, op, err);

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->auth = auth;
	a->peer = peer;
	if (pa_peers_admit(&auth->peers, peer) < 0) {
		free(a);
		return sd_bus_error_setf(err, PA_ERR_BUSY,
					 "Too many requests are waiting for authorization.");
	}
	a->admitted = true;
	a->call = sd_bus_message_ref(call);
	a->op = *op;
	a->action = action;
	a->interactive = interactive;
	a->next = auth->pending;
	auth->pending = a;
	r = absent ? ask_credentials(a) : ask_polkit(a);
	if (r < 0) {
		/* not answered yet: the handler's error is the reply */
		a->call = sd_bus_message_unref(a->call);
		request_free(a);
		return r;
	}
	return 1;
}

/* ---- polkit's comings and goings ---- */

static int on_polkit_owner(sd_bus_message *msg, void *userdata,
			   sd_bus_error *ret_error)
{
	struct auth *auth = userdata;
	const char *name, *old, *new;

	(void)ret_error;
	if (sd_bus_message_read(msg, "sss", &name, &old, &new) < 0 ||
	    strcmp(name, POLKIT_NAME))
		return 0;
	log_debug("polkit %s the bus: every remembered verdict goes",
		  new[0] ? "came onto" : "left");
	auth->absent_since = 0;
	pa_peers_forget_verdicts(&auth->peers);
	return 0;
}

static int on_polkit_changed(sd_bus_message *msg, void *userdata,
			     sd_bus_error *ret_error)
{
	struct auth *auth = userdata;

	(void)msg;
	(void)ret_error;
	log_debug("polkit changed: every remembered verdict goes");
	pa_peers_forget_verdicts(&auth->peers);
	return 0;
}

int auth_new(struct manager *m, struct auth **out)
{
	struct auth *auth = calloc(1, sizeof(*auth));
	int r;

	if (!auth)
		return -ENOMEM;
	auth->m = m;
	pa_peers_init(&auth->peers);
	r = sd_bus_add_match_async(m->bus, &auth->polkit_owner,
				   BUS_MATCH POLKIT_NAME "'", on_polkit_owner,
				   NULL, auth);
	if (r >= 0)
		r = sd_bus_add_match_async(m->bus, &auth->polkit_changed,
					   POLKIT_CHANGED_MATCH,
					   on_polkit_changed, NULL, auth);
	if (r < 0) {
		auth_free(auth);
		return r;
	}
	*out = auth;
	return 0;
}

void auth_free(struct auth *auth)
{
	if (!auth)
		return;
	while (auth->pending)
		request_free(auth->pending);
	while (auth->peers.list)
		peer_forget(auth, auth->peers.list);
	sd_bus_slot_unref(auth->polkit_owner);
	sd_bus_slot_unref(auth->polkit_changed);
	free(auth);
}
