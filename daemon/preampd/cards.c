// SPDX-License-Identifier: MIT
/*
 * The manager's cards: what hotplug.c (udev) and card.c (ALSA) report,
 * turned into devices. The hardware layer holds no device and edits no
 * list of the manager's: it reports, and this file decides. A card's
 * controls are matched against the profiles when they are first listed
 * and again when they come and go; the same controls at new places keep
 * their device (its references follow), others make a new one.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preampd.h"

/* ---- matching ---- */

/* Two matches drive the same controls the same way. */
static bool same_mapping(const struct pa_elem *a_elems, const struct pa_match *a,
			 const struct pa_elem *b_elems, const struct pa_match *b)
{
	if (a->profile != b->profile || a->present != b->present)
		return false;
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		if (!(a->present & (1u << i)))
			continue;
		if (a->in[i].caps != b->in[i].caps)
			return false;
		for (unsigned f = 0; f < PA_FN_COUNT; f++) {
			const struct pa_ref *x = &a->in[i].ref[f];
			const struct pa_ref *y = &b->in[i].ref[f];

			if ((x->elem < 0) != (y->elem < 0))
				return false;
			if (x->elem < 0)
				continue;
			if (a_elems[x->elem].numid != b_elems[y->elem].numid ||
			    x->channel != y->channel)
				return false;
		}
	}
	return true;
}

/* Matches the profiles against the card's element list; makes the device. */
static void card_listed(void *userdata, struct card *c)
{
	struct manager *m = userdata;
	const struct usb_identity *id = card_identity(c);
	const struct pa_elem *elems;
	struct pa_match *match;
	size_t n;
	int r;

	match = pa_match_new();
	if (!match)
		return;
	elems = card_elems(c, &n);
	r = pa_profile_best(m->profiles, m->n_profiles, id->vid, id->pid,
			    elems, n, match);
	if (r <= 0) {
		log_debug("card %d (%s): no profile matches its %zu controls",
			  id->card_index, id->card_id, n);
		free(match);
		return;
	}
	match = pa_match_shrink(match);
	r = device_new(m, c, match, NULL);	/* takes match */
	if (r < 0)
		log_error("card %d (%s): cannot set up the device: %s",
			  id->card_index, id->card_id, strerror(-r));
}

static void card_relisted(void *userdata, struct card *c, struct pa_elem *fresh,
			  size_t n_fresh)
{
	struct manager *m = userdata;
	const struct usb_identity *id = card_identity(c);
	struct device *d = card_device(c);

	if (d) {
		struct pa_match *match = pa_match_new();
		size_t n_old;
		const struct pa_elem *old = card_elems(c, &n_old);
		bool same = match && pa_profile_best(m->profiles, m->n_profiles,
						     id->vid, id->pid, fresh,
						     n_fresh, match) > 0 &&
			    same_mapping(old, device_match(d), fresh, match);

		if (same) {
			/* the same controls, at new places in the list */
			card_take_elems(c, fresh, n_fresh);
			device_update_match(d, match);
			free(match);
			return;
		}
		free(match);
		log_info("card %d (%s): its preamp controls changed",
			 id->card_index, id->card_id);
		device_free(d);
	}
	card_take_elems(c, fresh, n_fresh);
	card_listed(m, c);
}

static void card_changed(void *userdata, struct card *c, int elem, bool info)
{
	struct device *d = card_device(c);

	(void)userdata;
	if (d)
		device_elem_changed(d, elem, info);
}

static void card_lost(void *userdata, struct card *c)
{
	struct device *d = card_device(c);

	(void)userdata;
	if (d)
		device_free(d);
}

static const struct card_ops card_ops = {
	.listed = card_listed,
	.relisted = card_relisted,
	.changed = card_changed,
	.gone = card_lost,
};

/* ---- the cards hotplug.c reports ---- */

static struct card *find_card(struct manager *m, const char *syspath)
{
	for (size_t i = 0; i < m->n_cards; i++)
		if (!strcmp(card_identity(m->cards[i])->card_syspath, syspath))
			return m->cards[i];
	return NULL;
}

static void drop_card(struct manager *m, struct card *c)
{
	for (size_t i = 0; i < m->n_cards; i++) {
		if (m->cards[i] != c)
			continue;
		memmove(&m->cards[i], &m->cards[i + 1],
			(m->n_cards - i - 1) * sizeof(*m->cards));
		m->n_cards--;
		break;
	}
	card_free(c);
}

/* What the plug-in cost preampd: from udev's event to the device restored
 * and on the bus, the control writes' part of it, and the CPU time it
 * took (its own work: a write waits for the device, it does not compute) */
static void log_setup_time(const struct usb_identity *id, const struct card *c)
{
	uint64_t now = pa_clock_usec(CLOCK_MONOTONIC);
	uint64_t cpu = pa_clock_usec(CLOCK_THREAD_CPUTIME_ID);
	uint64_t usec;
	unsigned n;

	card_write_stats(c, &n, &usec);
	if (!id->usec_heard || now < id->usec_heard || cpu < id->cpu_usec_heard)
		return;
	log_debug("card %d (%s): set up in %.1f ms: %.1f ms of CPU (preampd's own work), %.1f ms in %u control writes",
		  id->card_index, id->card_id,
		  (double)(now - id->usec_heard) / 1000.0,
		  (double)(cpu - id->cpu_usec_heard) / 1000.0,
		  (double)usec / 1000.0, n);
}

/*
 * A plug-in's matching and parsing free as much as the device keeps,
 * between the blocks it keeps: the pages of the free blocks go back to
 * the system (as sd-event's memory-pressure handler does with the same
 * call), or a daemon that saw many plug-ins keeps their peak.
 */
static void give_back_memory(void)
{
	malloc_trim(0);
}

static void card_plugged(void *userdata, const struct usb_identity *id)
{
	struct manager *m = userdata;
	struct card *c = find_card(m, id->card_syspath), **nc;

	if (c) {
		if (card_identity(c)->usec_initialized == id->usec_initialized)
			return;	/* a change event on a card we have */
		drop_card(m, c);	/* a new plug-in we missed the end of */
	}
	nc = realloc(m->cards, (m->n_cards + 1) * sizeof(*nc));
	if (!nc)
		return;
	m->cards = nc;
	if (card_new(m->event, id, &card_ops, m, &c) < 0)
		return;
	m->cards[m->n_cards++] = c;
	if (card_device(c))
		log_setup_time(id, c);
	give_back_memory();
}

/* this plug-in of the card is over: its device and restore marker go */
static void card_unplugged(void *userdata, const char *syspath,
			   const char *sysname)
{
	struct manager *m = userdata;
	struct card *c = find_card(m, syspath);
	char marker[64];

	if (c) {
		drop_card(m, c);
		give_back_memory();
	}
	snprintf(marker, sizeof(marker), "%s.instance", sysname);
	if (m->runtime_dirfd >= 0 && !strncmp(sysname, "card", 4))
		unlinkat(m->runtime_dirfd, marker, 0);
}

static const char *card_held(void *userdata, size_t i)
{
	struct manager *m = userdata;

	return i < m->n_cards ? card_identity(m->cards[i])->card_syspath : NULL;
}

static bool card_holds(void *userdata, const char *syspath,
		       uint64_t usec_initialized)
{
	struct card *c = find_card(userdata, syspath);

	return c && card_identity(c)->usec_initialized == usec_initialized;
}

static const struct hotplug_ops hotplug_ops = {
	.plugged = card_plugged,
	.unplugged = card_unplugged,
	.held = card_held,
	.holds = card_holds,
};

int manager_start_hotplug(struct manager *m)
{
	return hotplug_start(m->event, &hotplug_ops, m, &m->hotplug);
}
