/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: the per-interface context shared by every part of the
 * driver.
 *
 * Locking, outermost first:
 *
 *  - the USB device lock (usb_lock_device()): where the controls stand.
 *    Probe and disconnect hold it, the placement work takes it with
 *    usb_trylock_device() (disconnect waits for that work while holding
 *    it), and snd-usb-audio's probe and disconnect hold it too, so finding,
 *    joining and leaving its card never overlap its own changes.
 *  - controls.lock (mutex): attaching the controls to a card, detaching
 *    them, raising events from outside a control callback, lifting the 48 V
 *    guard. Never taken inside a control callback.
 *  - the card's controls_rwsem (ALSA core): held around every control
 *    callback; snd_ctl_remove_id() waits for it, which makes detaching the
 *    barrier after which no callback of ours runs.
 *  - io_mutex: one request/response on endpoint 0 at a time; it guards the
 *    transfer buffer, the meter cache and the disconnected flag, and
 *    serializes every writer of the state cache.
 *  - state_lock (spinlock): the state cache, so that reading a control never
 *    waits for USB.
 *  - notify.lock (spinlock, irqsave): what the interrupt URB's completion
 *    hands to the notification work.
 */
#ifndef __SND_USB_PREAMP_DRIVER_H
#define __SND_USB_PREAMP_DRIVER_H

#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/usb.h>
#include <linux/workqueue.h>

#include "preamp-protocol.h"
#include "validate.h"
#include "notify.h"
#include "controls.h"
#include "card.h"
#include "shared.h"

/* The largest transfer: SET_ALL_STATE of a 32-input device. */
#define PAMP_BUF_SIZE	(PAMP_MAX_INPUTS * sizeof(struct pamp_set_state))

/* One input's cached state, always inside the advertised range. */
struct pamp_state {
	u16 gain_index;		/* 0..gain_steps */
	u16 switches;		/* the switch bits we offer */
};

/* The last GET_METERS, converted. */
struct pamp_meters {
	ktime_t at;
	bool valid;
	int peak_cdb[PAMP_MAX_INPUTS];		/* 0.01 dBFS, -9600..0 */
	unsigned int clips[PAMP_MAX_INPUTS];	/* 0..65535 */
};

struct pamp_dev {
	struct usb_device *udev;
	struct usb_interface *intf;
	struct device *dev;
	u8 ifnum;

	/* what the device told at probe, checked; constant afterwards */
	struct pamp_dev_desc info;
	struct pamp_input_desc in[PAMP_MAX_INPUTS];

	struct mutex io_mutex;		/* endpoint 0, and down to meters */
	bool disconnected;
	void *buf;			/* PAMP_BUF_SIZE, kmalloc'd */
	struct pamp_meter raw_meters[PAMP_MAX_INPUTS];
	struct pamp_meters meters;

	spinlock_t state_lock;		/* the cached state */
	struct pamp_state state[PAMP_MAX_INPUTS];

	struct pamp_notify notify;
	struct pamp_controls controls;

	/*
	 * Where the controls stand: on snd-usb-audio's card of the device
	 * (shared.card), on a card of our own (card.snd), or nowhere yet,
	 * while place_work waits for snd-usb-audio's card. Under the USB
	 * device lock.
	 */
	struct delayed_work place_work;
	bool place_own;			/* only ever a card of our own */
	unsigned int place_wait_ms;	/* the wait for snd-usb-audio's card */
	unsigned long place_deadline;	/* jiffies: its end */
	struct pamp_shared shared;
	struct pamp_card card;
};

void pamp_place_again(struct pamp_dev *d);

#endif /* __SND_USB_PREAMP_DRIVER_H */
