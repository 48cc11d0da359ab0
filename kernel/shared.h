/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: snd-usb-audio's card of the same USB device as the place
 * of our controls, so that an interface shows up as one sound card.
 *
 * Every function here runs under the USB device lock.
 */
#ifndef __SND_USB_PREAMP_SHARED_H
#define __SND_USB_PREAMP_SHARED_H

#include <linux/types.h>

struct module;
struct pamp_dev;
struct snd_card;

struct pamp_shared {
	struct snd_card *card;		/* referenced; NULL: not on it */
	struct module *owner;		/* the card's module, pinned */
	bool gone;			/* snd-usb-audio let go of the card */
};

bool pamp_shared_expected(struct pamp_dev *d);
int pamp_shared_join(struct pamp_dev *d);
bool pamp_shared_gone(struct pamp_dev *d);
void pamp_shared_leave(struct pamp_dev *d);

#endif /* __SND_USB_PREAMP_SHARED_H */
