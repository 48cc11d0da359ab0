// SPDX-License-Identifier: MIT
/* The callers that authorization knows: caps, verdicts, credentials. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "peers.h"

void pa_peers_init(struct pa_peers *p)
{
	memset(p, 0, sizeof(*p));
}

struct pa_peer *pa_peers_find(struct pa_peers *p, const char *name)
{
	for (struct pa_peer **pp = &p->list; *pp; pp = &(*pp)->next) {
		struct pa_peer *peer = *pp;

		if (strcmp(peer->name, name))
			continue;
		*pp = peer->next;
		peer->next = p->list;
		p->list = peer;
		return peer;
	}
	return NULL;
}

struct pa_peer *pa_peers_add(struct pa_peers *p, const char *name)
{
	struct pa_peer *peer;
	size_t len = strlen(name);

	if (len == 0 || len >= PA_PEER_NAME_MAX || p->n >= PA_PEERS_MAX)
		return NULL;
	peer = calloc(1, sizeof(*peer));
	if (!peer)
		return NULL;
	memcpy(peer->name, name, len + 1);
	peer->fallback = PA_AUTH_DENY;
	peer->next = p->list;
	p->list = peer;
	p->n++;
	return peer;
}

struct pa_peer *pa_peers_idle(const struct pa_peers *p)
{
	struct pa_peer *idle = NULL;

	for (struct pa_peer *peer = p->list; peer; peer = peer->next)
		if (!peer->pending && !peer->asking_creds)
			idle = peer;
	return idle;
}

void pa_peers_remove(struct pa_peers *p, struct pa_peer *peer)
{
	for (struct pa_peer **pp = &p->list; *pp; pp = &(*pp)->next) {
		if (*pp != peer)
			continue;
		*pp = peer->next;
		p->n--;
		p->pending -= peer->pending;
		free(peer);
		return;
	}
}

int pa_peers_admit(struct pa_peers *p, struct pa_peer *peer)
{
	if (peer->pending >= PA_PEER_PENDING_MAX ||
	    p->pending >= PA_PEERS_PENDING_MAX)
		return -EBUSY;
	peer->pending++;
	p->pending++;
	return 0;
}

void pa_peers_done(struct pa_peers *p, struct pa_peer *peer)
{
	if (peer->pending) {
		peer->pending--;
		p->pending--;
	}
}

bool pa_peers_allowed(const struct pa_peers *p, const struct pa_peer *peer,
		      enum pa_action action)
{
	if (action < 0 || action >= PA_ACTION_COUNT)
		return false;
	return peer->allowed_gen == p->generation &&
	       (peer->allowed & (1u << action));
}

void pa_peers_remember(struct pa_peers *p, struct pa_peer *peer,
		       enum pa_action action, uint64_t gen)
{
	if (action < 0 || action >= PA_ACTION_COUNT || gen != p->generation)
		return;
	if (peer->allowed_gen != gen) {
		peer->allowed = 0;
		peer->allowed_gen = gen;
	}
	peer->allowed |= 1u << action;
}

void pa_peers_forget_verdicts(struct pa_peers *p)
{
	p->generation++;
}

void pa_peers_set_creds(struct pa_peer *peer, uid_t uid,
			enum pa_verdict fallback)
{
	peer->have_creds = true;
	peer->uid = uid;
	peer->fallback = fallback;
}
