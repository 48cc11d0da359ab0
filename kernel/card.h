/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: a sound card of the driver's own, for the controls of an
 * interface that has no other card to stand on.
 */
#ifndef __SND_USB_PREAMP_CARD_H
#define __SND_USB_PREAMP_CARD_H

struct pamp_dev;
struct snd_card;

struct pamp_card {
	struct snd_card *snd;
	int slot;			/* index into the module parameters */
};

int pamp_card_create(struct pamp_dev *d);
int pamp_card_register(struct pamp_dev *d);
void pamp_card_disconnect(struct pamp_dev *d);
void pamp_card_free(struct pamp_dev *d);

#endif /* __SND_USB_PREAMP_CARD_H */
