/* SPDX-License-Identifier: MIT */
/*
 * The callers that authorization knows, by unique bus name: what each
 * one waits for (a cap per caller, so that one whose polkit agent never
 * answers cannot fill the queue for everybody), the yes polkit gave it
 * per action, and its credentials from the bus. Pure: auth.c keeps the
 * table in step with the bus (a caller that leaves it is removed) and
 * with polkit (its Changed signal forgets every verdict).
 */
#ifndef PREAMPD_PEERS_H
#define PREAMPD_PEERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "authz.h"

#define PA_PEER_NAME_MAX 256	/* a unique name is ":1.N"; bounded anyway */
#define PA_PEERS_MAX 256	/* each holds a match rule; the bus allows 512 */
#define PA_PEER_PENDING_MAX 16	/* requests of one caller waiting at once */
/* all callers together: dbus-daemon lets one connection wait for at
 * most 128 replies, and each waiting request has one call out */
#define PA_PEERS_PENDING_MAX 96

struct pa_peer {
	struct pa_peer *next;
	char name[PA_PEER_NAME_MAX];
	unsigned pending;
	uint32_t allowed;	/* bit per enum pa_action: polkit's plain yes */
	uint64_t allowed_gen;	/* the table's generation when remembered */
	bool have_creds;
	bool asking_creds;
	uid_t uid;
	enum pa_verdict fallback;	/* without polkit: root or the group */
	void *watch;		/* auth.c's: the match on its leaving */
	void *check;		/* auth.c's: is it still there? */
};

struct pa_peers {
	struct pa_peer *list;	/* most recently used first */
	size_t n;
	size_t pending;
	uint64_t generation;	/* bumped by pa_peers_forget_verdicts() */
};

void pa_peers_init(struct pa_peers *p);

/* The caller named name; NULL if unknown. Moves it to the front. */
struct pa_peer *pa_peers_find(struct pa_peers *p, const char *name);

/* Adds name (not known yet): NULL when the name is too long or the table
 * is full (pa_peers_idle() finds one to remove first) or out of memory. */
struct pa_peer *pa_peers_add(struct pa_peers *p, const char *name);

/* The least recently used caller that waits for nothing, or NULL. */
struct pa_peer *pa_peers_idle(const struct pa_peers *p);

/* Removes and frees a caller (its watch released by the caller). */
void pa_peers_remove(struct pa_peers *p, struct pa_peer *peer);

/* One more request of peer waits: -EBUSY over its cap or the total's. */
int pa_peers_admit(struct pa_peers *p, struct pa_peer *peer);
/* ... and is over. */
void pa_peers_done(struct pa_peers *p, struct pa_peer *peer);

/* polkit's plain yes for action, remembered and still valid. */
bool pa_peers_allowed(const struct pa_peers *p, const struct pa_peer *peer,
		      enum pa_action action);

/* Remembers a yes asked for at generation gen: a verdict asked for before
 * the last pa_peers_forget_verdicts() is not remembered. */
void pa_peers_remember(struct pa_peers *p, struct pa_peer *peer,
		       enum pa_action action, uint64_t gen);

/* polkit changed (rules, sessions, the authority itself): every verdict
 * goes; credentials stay (they are the connection's, fixed for its life). */
void pa_peers_forget_verdicts(struct pa_peers *p);

/* Credentials from the bus (GetConnectionCredentials), with the verdict
 * they give where no polkit authority exists (pa_verdict_fallback()). */
void pa_peers_set_creds(struct pa_peer *peer, uid_t uid,
			enum pa_verdict fallback);

#endif
