/* SPDX-License-Identifier: MIT */
/*
 * One ALSA control handle per USB sound card: the element list, reads,
 * writes, element locks, events. card.c makes no device of its own: it
 * reports its list and its changes to its listener (struct card_ops), and
 * keeps the pointer the listener gives it (card_set_device).
 */
#ifndef PREAMPD_CARD_H
#define PREAMPD_CARD_H

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-event.h>

#include "hotplug.h"
#include "profile.h"

struct card;
struct device;

struct card_ops {
	/* the card's first element list is read (in card_new) */
	void (*listed)(void *userdata, struct card *c);
	/* controls came or went: fresh is the list now; the listener
	 * takes it with card_take_elems (else it is dropped), and may
	 * still read the old one through card_elems before it does */
	void (*relisted)(void *userdata, struct card *c, struct pa_elem *fresh,
			 size_t n_fresh);
	/* element elem's value or (info) its flags changed */
	void (*changed)(void *userdata, struct card *c, int elem, bool info);
	/* the card left (its handle is closing) or is freed */
	void (*gone)(void *userdata, struct card *c);
};

int card_new(sd_event *e, const struct usb_identity *id,
	     const struct card_ops *ops, void *userdata, struct card **out);
void card_free(struct card *c);
/* the card left: close the handle at once, the listener hears of it */
void card_gone(struct card *c);

const struct usb_identity *card_identity(const struct card *c);
const struct pa_elem *card_elems(const struct card *c, size_t *n);
/* the card's list is elems from now on (the old one is freed) */
void card_take_elems(struct card *c, struct pa_elem *elems, size_t n);
struct device *card_device(const struct card *c);
void card_set_device(struct card *c, struct device *d);

/* One value (channel) of element elem. -ENODEV once the card is gone. */
int card_read(struct card *c, int elem, unsigned channel, long *value);
int card_write(struct card *c, int elem, unsigned channel, long value);
/* the control writes since the card was opened: how many, and the time
 * they took in microseconds (the driver's USB transfers, mostly) */
void card_write_stats(const struct card *c, unsigned *n, uint64_t *usec);
/*
 * ALSA element lock (snd_ctl_elem_lock / unlock) of the element with this
 * numid: unlike its index, it stays the same when the card's controls are
 * listed again.
 */
int card_lock(struct card *c, unsigned numid, bool lock);
/* the element's INACTIVE flag as last read (INFO events refresh it) */
bool card_inactive(const struct card *c, int elem);

#endif
