/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: the per-interface context shared by every part of the
 * driver.
 *
 * Ownership: a struct pamp_dev belongs to its bound interface. pamp_probe()
 * allocates it and pamp_disconnect() frees it, last, after stopping
 * everything that can reach it: the URB and the notification work, every
 * transfer (the disconnected flag), the placement work, the controls
 * (after pamp_controls_detach() no callback of ours runs), then the works
 * that callbacks queue. The driver core has removed the sysfs attributes
 * before disconnect runs.
 *
 * Locking, outermost first:
 *
 *  - the USB device lock (usb_lock_device()): where the controls stand.
 *    Probe, disconnect, system suspend/resume and USB resets hold it (the
 *    USB core; runtime PM callbacks do not, but never overlap those). The
 *    placement work takes it with usb_trylock_device() (disconnect waits
 *    for that work while holding it), and snd-usb-audio's probe and
 *    disconnect hold it too, so finding, joining and leaving its card never
 *    overlap its own changes.
 *  - controls.lock (mutex): attaching the controls to a card, detaching
 *    them, raising events from outside a control callback, showing the
 *    48 V guard. Never taken inside a control callback or a PM callback.
 *  - the card's controls_rwsem (ALSA core): held around every control
 *    callback; snd_ctl_remove_id() waits for it, which makes detaching the
 *    barrier after which no callback of ours runs.
 *  - io_mutex: one request/response at a time on endpoint 0 (but the meters,
 *    below); it serializes every writer of the state cache and guards the
 *    re-read and 48 V restore sets. Held only around transfers: nobody
 *    holding it waits for anything but the device.
 *  - meters.lock: the meter cache and GET_METERS; never nests io_mutex. A
 *    meter read waits for no other request of ours, only for its own
 *    bounded transfer. The disconnected and resetting flags are written
 *    under both io_mutex and meters.lock, so either one makes them stable.
 *  - state_lock (spinlock): the state cache, so that reading a control never
 *    waits for USB.
 *  - notify.lock, controls.guard_lock, controls.event_lock (spinlocks):
 *    what the URB completion and the PM callbacks hand to work items.
 *
 * Runtime PM: every transfer outside a PM callback runs between
 * usb_autopm_get_interface() and usb_autopm_put_interface(), taken before
 * any lock of ours, because the resume it may run takes io_mutex. A PM
 * callback may run inside a control callback (ours, or snd-usb-audio's when
 * it wakes the device), so PM callbacks take neither controls.lock nor the
 * card's controls_rwsem: their events and the guard's controls go to work
 * items.
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
#include "meters.h"
#include "notify.h"
#include "controls.h"
#include "card.h"
#include "shared.h"

/* One input's cached state, always inside the advertised range. */
struct pamp_state {
	u16 gain_index;		/* 0..gain_steps */
	u16 switches;		/* the switch bits we offer */
};

struct pamp_dev {
	struct usb_device *udev;
	struct usb_interface *intf;
	struct device *dev;
	u8 ifnum;

	/* what the device told at probe, checked; constant afterwards */
	struct pamp_dev_desc info;
	struct pamp_input_desc in[PAMP_MAX_INPUTS];

	struct mutex io_mutex;		/* endpoint 0 but GET_METERS */
	bool disconnected;		/* every transfer: -ENODEV */
	bool resetting;			/* pre_reset..post_reset: -EAGAIN */
	u32 reread;			/* inputs reread_work re-reads */
	unsigned int reread_tries;
	struct delayed_work reread_work;
	/* the groups (by first input) that get 48 V back when the guard ends */
	u32 phantom_restore;

	spinlock_t state_lock;		/* the cached state */
	struct pamp_state state[PAMP_MAX_INPUTS];

	struct pamp_meters meters;

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
unsigned int pamp_guard_ms(void);
void pamp_run_soon(struct delayed_work *work);

#endif /* __SND_USB_PREAMP_DRIVER_H */
