/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: notifications from the interrupt endpoint.
 *
 * The URB's completion does no I/O and takes no sleeping lock: it records
 * what changed (inputs to re-read, a reset, a clip) and schedules the work,
 * which coalesces any number of notifications into one re-read. Errors on
 * the endpoint are retried from the work, a bounded number of times.
 */
#ifndef __SND_USB_PREAMP_NOTIFY_H
#define __SND_USB_PREAMP_NOTIFY_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct pamp_dev;
struct urb;

struct pamp_notify {
	struct urb *urb;		/* NULL: the device does not notify */
	void *buf;
	struct delayed_work work;

	spinlock_t lock;		/* the fields below */
	u32 valid;			/* the bits of existing inputs */
	u32 dirty;			/* inputs to re-read */
	bool reset;			/* re-read every input */
	bool clip;			/* raise an event on Clip Count */
	bool halted;			/* the endpoint stalled: clear it */
	bool retry;			/* resubmit the URB from the work */
	bool enabled;			/* the work may run */
	bool listening;			/* the URB is to be in flight */
	bool in_flight;			/* it is: submitted, not completed */
	unsigned int errors;		/* failures in a row */
	bool poisoned;			/* probe, PM callbacks, disconnect */
};

int pamp_notify_init(struct pamp_dev *d);
int pamp_notify_start(struct pamp_dev *d);
void pamp_notify_enable(struct pamp_dev *d);
int pamp_notify_pause(struct pamp_dev *d);
void pamp_notify_stop(struct pamp_dev *d);
void pamp_notify_free(struct pamp_dev *d);

#endif /* __SND_USB_PREAMP_NOTIFY_H */
