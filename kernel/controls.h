/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: the ALSA controls of one Preamp Control interface.
 *
 * The control set is independent of who owns the card: it is attached to a
 * given struct snd_card (our own, or another driver's) and detached from it
 * again, and it carries the 48 V plug-in guard, which counts from probe
 * whatever card the controls stand on.
 */
#ifndef __SND_USB_PREAMP_CONTROLS_H
#define __SND_USB_PREAMP_CONTROLS_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "preamp-protocol.h"

struct pamp_dev;
struct snd_card;
struct snd_kcontrol;

struct pamp_controls {
	struct mutex lock;		/* attach, detach, events, guard */
	struct snd_card *card;		/* NULL while detached */
	bool guard;			/* 48 V cannot be switched on */
	unsigned int guard_ms;
	struct delayed_work guard_work;

	struct snd_kcontrol *gain[PAMP_MAX_INPUTS];
	struct snd_kcontrol *sw[PAMP_MAX_INPUTS][PAMP_NUM_SWITCHES];
	struct snd_kcontrol *meter;
	struct snd_kcontrol *clips;
	unsigned int gain_tlv[PAMP_MAX_INPUTS][4];
};

void pamp_controls_init(struct pamp_dev *d, unsigned int guard_ms);
void pamp_controls_cancel_guard(struct pamp_dev *d);
int pamp_controls_attach(struct pamp_dev *d, struct snd_card *card,
			 char *clash, size_t clash_len);
void pamp_controls_detach(struct pamp_dev *d);
void pamp_controls_changed(struct pamp_dev *d, const u16 *changed);
void pamp_controls_clipped(struct pamp_dev *d);

#endif /* __SND_USB_PREAMP_CONTROLS_H */
