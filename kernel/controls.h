/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: the ALSA controls of one Preamp Control interface.
 *
 * The control set is independent of who owns the card: it is attached to a
 * given struct snd_card (our own, or another driver's) and detached from it
 * again, and it carries the 48 V plug-in guard, which counts from probe
 * whatever card the controls stand on, and again from a USB reset or a
 * resume that lost power (pamp_controls_rearm_guard()).
 */
#ifndef __SND_USB_PREAMP_CONTROLS_H
#define __SND_USB_PREAMP_CONTROLS_H

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "preamp-protocol.h"

struct pamp_dev;
struct snd_card;
struct snd_kcontrol;

struct pamp_controls {
	struct mutex lock;		/* attach, detach, events, guard_shown */
	struct snd_card *card;		/* NULL while detached */

	spinlock_t guard_lock;		/* guard, guard_end */
	bool guard;			/* 48 V cannot be switched on */
	unsigned long guard_end;	/* jiffies: when it lifts */
	bool guard_shown;		/* the 48 V controls are inactive */
	bool guard_awake;		/* a runtime PM reference till it ends */
	unsigned int guard_ms;
	struct delayed_work guard_work;

	spinlock_t event_lock;		/* event_changed */
	u16 event_changed[PAMP_MAX_INPUTS];
	struct work_struct event_work;	/* events from PM callbacks */

	struct snd_kcontrol *gain[PAMP_MAX_INPUTS];
	struct snd_kcontrol *sw[PAMP_MAX_INPUTS][PAMP_NUM_SWITCHES];
	struct snd_kcontrol *meter;
	struct snd_kcontrol *clips;
	unsigned int gain_tlv[PAMP_MAX_INPUTS][4];
};

void pamp_controls_init(struct pamp_dev *d, unsigned int guard_ms);
void pamp_controls_stop(struct pamp_dev *d);
int pamp_controls_attach(struct pamp_dev *d, struct snd_card *card,
			 char *clash, size_t clash_len);
void pamp_controls_detach(struct pamp_dev *d);
void pamp_controls_changed(struct pamp_dev *d, const u16 *changed);
void pamp_controls_clipped(struct pamp_dev *d);

/* From PM callbacks: take no lock a control callback may hold */
void pamp_controls_changed_later(struct pamp_dev *d, const u16 *changed);
void pamp_controls_rearm_guard(struct pamp_dev *d, unsigned int guard_ms);
void pamp_controls_pause_guard(struct pamp_dev *d);
void pamp_controls_resume_guard(struct pamp_dev *d);

#endif /* __SND_USB_PREAMP_CONTROLS_H */
