// SPDX-License-Identifier: GPL-2.0
/*
 * snd-usb-preamp: notifications from the interrupt endpoint.
 *
 * A device with FLAG_NOTIFY tells the host which inputs changed on its side
 * (a knob, a button) and when it reset or clipped. The completion handler
 * runs in interrupt context: it only ORs what it learned into pending
 * bits under a spinlock and schedules the work. The work re-reads the
 * changed inputs with one transfer however many notifications came in
 * meanwhile, and raises events on the controls whose values changed. So a
 * storm costs one re-read per PAMP_NOTIFY_COALESCE_MS, not one per packet,
 * and garbage (bits of inputs that do not exist, unknown events, short
 * packets) is logged, rate-limited, and survived.
 *
 * Errors: a killed, unlinked or shut-down URB, or a device that is gone,
 * ends the loop quietly. Any other error (-EPROTO, -EILSEQ, -ETIME ...: a
 * glitch, or a device on its way out) and a failed resubmission are not
 * retried from the completion, where they would spin: the work resubmits,
 * 10 ms later, then 20 ms ..., and after PAMP_NOTIFY_MAX_ERRORS in a row
 * notifications stop with one log line, until the next resume, reset or
 * plug-in starts them again. A stall is cleared from the work.
 *
 * The URB is submitted only under notify.lock while "listening" and not
 * "in flight", and stopped by setting "listening" off, then poisoning it:
 * no path can submit it twice or after a stop.
 */

#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/usb.h>

#include "driver.h"
#include "controls.h"
#include "meters.h"
#include "notify.h"
#include "state.h"

/*
 * The work runs this long after the first notification it serves, so that
 * a storm costs at most one re-read per window; the protocol's devices
 * notify at most every 10 ms anyway.
 */
#define PAMP_NOTIFY_COALESCE_MS		10
/* URB errors in a row before notifications stop, and the retry delays */
#define PAMP_NOTIFY_MAX_ERRORS		8
#define PAMP_NOTIFY_RETRY_MS		10
#define PAMP_NOTIFY_RETRY_MAX_MS	1000

static bool pamp_notify_gone(struct pamp_dev *d)
{
	return READ_ONCE(d->udev->state) == USB_STATE_NOTATTACHED;
}

static void pamp_notify_kick(struct pamp_notify *n, unsigned int ms)
{
	schedule_delayed_work(&n->work, msecs_to_jiffies(ms));
}

/* Under n->lock: the URB or its submission failed. Retry, or give up. */
static void pamp_notify_error_locked(struct pamp_dev *d, int err)
{
	struct pamp_notify *n = &d->notify;
	unsigned int delay;

	if (++n->errors >= PAMP_NOTIFY_MAX_ERRORS) {
		n->listening = false;
		n->retry = false;
		dev_warn(d->dev, "notifications stopped after %u errors in a row (last %pe): changes made on the device are not seen until it is resumed, reset or plugged in again\n",
			 n->errors, ERR_PTR(err));
		return;
	}
	delay = min_t(unsigned int, PAMP_NOTIFY_RETRY_MS << (n->errors - 1),
		      PAMP_NOTIFY_RETRY_MAX_MS);
	dev_dbg_ratelimited(d->dev, "notification URB: %pe, again in %u ms\n",
			    ERR_PTR(err), delay);
	n->retry = true;
	if (n->enabled)
		pamp_notify_kick(n, delay);
}

/* Under n->lock: what a notification of len bytes says. */
static void pamp_notify_take(struct pamp_dev *d, unsigned int len)
{
	struct pamp_notify *n = &d->notify;
	const struct pamp_notification *msg = n->buf;

	if (len < sizeof(*msg)) {
		dev_warn_ratelimited(d->dev,
				     "short notification (%u bytes): re-reading every input\n",
				     len);
		n->reset = true;
	} else {
		u32 changed = le32_to_cpu(msg->changed);
		u32 events = le32_to_cpu(msg->events);

		if ((changed & ~n->valid) ||
		    (events & ~(PAMP_EVT_CLIP | PAMP_EVT_RESET)))
			dev_warn_ratelimited(d->dev,
					     "notification with unknown bits ignored: changed %#x, events %#x\n",
					     changed & ~n->valid,
					     events & ~(PAMP_EVT_CLIP | PAMP_EVT_RESET));
		n->dirty |= changed & n->valid;
		if (events & PAMP_EVT_RESET)
			n->reset = true;
		if (events & PAMP_EVT_CLIP)
			n->clip = true;
	}
	if (n->enabled && (n->dirty || n->reset || n->clip))
		pamp_notify_kick(n, PAMP_NOTIFY_COALESCE_MS);
}

static void pamp_notify_complete(struct urb *urb)
{
	struct pamp_dev *d = urb->context;
	struct pamp_notify *n = &d->notify;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&n->lock, flags);
	n->in_flight = false;
	switch (urb->status) {
	case 0:
		n->errors = 0;
		pamp_notify_take(d, urb->actual_length);
		break;
	case -ENOENT:		/* killed */
	case -ECONNRESET:	/* unlinked */
	case -ESHUTDOWN:	/* endpoint disabled */
	case -ENODEV:		/* device gone */
		goto unlock;
	case -EPIPE:		/* stalled: cleared from the work */
		n->halted = true;
		if (n->enabled)
			pamp_notify_kick(n, PAMP_NOTIFY_COALESCE_MS);
		goto unlock;
	default:		/* -EPROTO etc.: a glitch, or an unplug under way */
		if (!pamp_notify_gone(d))
			pamp_notify_error_locked(d, urb->status);
		goto unlock;
	}

	if (n->listening) {
		ret = usb_submit_urb(urb, GFP_ATOMIC);
		if (!ret)
			n->in_flight = true;
		else if (ret != -ENODEV && ret != -EPERM && !pamp_notify_gone(d))
			pamp_notify_error_locked(d, ret);
	}
unlock:
	spin_unlock_irqrestore(&n->lock, flags);
}

/* Submit the URB unless it is in flight already or must not be. */
static int pamp_notify_submit(struct pamp_dev *d)
{
	struct pamp_notify *n = &d->notify;
	int ret = 0;

	spin_lock_irq(&n->lock);
	if (n->listening && !n->in_flight) {
		ret = usb_submit_urb(n->urb, GFP_ATOMIC);
		n->in_flight = !ret;
	}
	spin_unlock_irq(&n->lock);
	return ret;
}

/* From the work: clear a stall, then submit again. */
static void pamp_notify_resubmit(struct pamp_dev *d, bool halted)
{
	struct pamp_notify *n = &d->notify;
	int ret;

	ret = usb_autopm_get_interface(d->intf);
	if (!ret) {
		if (halted)
			ret = usb_clear_halt(d->udev, n->urb->pipe);
		if (!ret)
			ret = pamp_notify_submit(d);
		usb_autopm_put_interface(d->intf);
	}
	if (!ret || ret == -ENODEV || ret == -EPERM || pamp_notify_gone(d))
		return;
	spin_lock_irq(&n->lock);
	n->halted |= halted;
	pamp_notify_error_locked(d, ret);
	spin_unlock_irq(&n->lock);
}

static void pamp_notify_work(struct work_struct *work)
{
	struct pamp_notify *n = container_of(to_delayed_work(work),
					     struct pamp_notify, work);
	struct pamp_dev *d = container_of(n, struct pamp_dev, notify);
	u16 changed[PAMP_MAX_INPUTS] = { 0 };
	bool reset, clip, halted, retry;
	unsigned long flags;
	u32 dirty;
	int ret;

	spin_lock_irqsave(&n->lock, flags);
	if (!n->enabled) {
		spin_unlock_irqrestore(&n->lock, flags);
		return;
	}
	dirty = n->dirty;
	reset = n->reset;
	clip = n->clip;
	halted = n->halted;
	retry = n->retry;
	n->dirty = 0;
	n->reset = false;
	n->clip = false;
	n->halted = false;
	n->retry = false;
	spin_unlock_irqrestore(&n->lock, flags);

	if (halted || retry) {
		pamp_notify_resubmit(d, halted);
		/* whatever was notified meanwhile is lost: read it all */
		reset = true;
	}

	if (reset)
		ret = pamp_state_refresh_all(d, changed);
	else
		ret = pamp_state_refresh(d, dirty, changed);
	if (ret == -ENODEV || ret == -EAGAIN)
		return;		/* gone, or post_reset reads it all */
	if (ret) {
		dev_warn_ratelimited(d->dev,
				     "re-reading the state after a notification failed (%pe)\n",
				     ERR_PTR(ret));
		/* retried with the next notification, not in a loop */
		spin_lock_irqsave(&n->lock, flags);
		n->dirty |= dirty;
		n->reset |= reset;
		spin_unlock_irqrestore(&n->lock, flags);
	}

	pamp_controls_changed(d, changed);
	if (clip) {
		pamp_meters_stale(d);
		pamp_controls_clipped(d);
	}
}

int pamp_notify_init(struct pamp_dev *d)
{
	struct pamp_notify *n = &d->notify;
	struct usb_endpoint_descriptor *ep;
	unsigned int len;

	spin_lock_init(&n->lock);
	INIT_DELAYED_WORK(&n->work, pamp_notify_work);
	n->valid = GENMASK(d->info.num_inputs - 1, 0);

	if (!(d->info.flags & PAMP_FLAG_NOTIFY))
		return 0;
	if (usb_find_int_in_endpoint(d->intf->cur_altsetting, &ep) ||
	    usb_endpoint_maxp(ep) < sizeof(struct pamp_notification)) {
		dev_warn(d->dev,
			 "no usable interrupt endpoint: changes made on the device will not be seen\n");
		return 0;
	}

	len = usb_endpoint_maxp(ep);
	n->buf = kmalloc(len, GFP_KERNEL);
	if (!n->buf)
		return -ENOMEM;
	n->urb = usb_alloc_urb(0, GFP_KERNEL);
	if (!n->urb) {
		kfree(n->buf);
		n->buf = NULL;
		return -ENOMEM;
	}
	usb_fill_int_urb(n->urb, d->udev,
			 usb_rcvintpipe(d->udev, ep->bEndpointAddress),
			 n->buf, len, pamp_notify_complete, d, ep->bInterval);
	/* asleep, the device must be able to wake us to tell a change */
	d->intf->needs_remote_wakeup = 1;
	return 0;
}

/*
 * Poisoning kills the URB and makes every later submission fail (-EPERM);
 * it counts, so it is undone once, not once per start. Only probe, the PM
 * callbacks and disconnect do it, which the USB core never runs at once.
 */
static void pamp_notify_poison(struct pamp_notify *n)
{
	if (!n->urb || n->poisoned)
		return;
	usb_poison_urb(n->urb);
	n->poisoned = true;
}

static void pamp_notify_unpoison(struct pamp_notify *n)
{
	if (!n->poisoned)
		return;
	usb_unpoison_urb(n->urb);
	n->poisoned = false;
}

/*
 * Listen, but let the work wait (pamp_notify_enable()): what arrives from
 * now on is re-read after the caller's own full read of the state. Returns
 * the submission's result; a failure is retried by the work.
 */
int pamp_notify_start(struct pamp_dev *d)
{
	struct pamp_notify *n = &d->notify;
	int ret;

	spin_lock_irq(&n->lock);
	n->dirty = 0;
	n->reset = false;
	n->clip = false;
	n->halted = false;
	n->retry = false;
	n->errors = 0;
	n->listening = !!n->urb;
	spin_unlock_irq(&n->lock);

	if (!n->urb)
		return 0;
	pamp_notify_unpoison(n);
	ret = pamp_notify_submit(d);
	if (ret && ret != -ENODEV) {
		dev_err(d->dev, "cannot submit the notification URB (%pe): trying again\n",
			ERR_PTR(ret));
		spin_lock_irq(&n->lock);
		pamp_notify_error_locked(d, ret);
		spin_unlock_irq(&n->lock);
	}
	return ret;
}

void pamp_notify_enable(struct pamp_dev *d)
{
	struct pamp_notify *n = &d->notify;

	spin_lock_irq(&n->lock);
	n->enabled = true;
	if (n->dirty || n->reset || n->clip || n->halted || n->retry)
		pamp_notify_kick(n, PAMP_NOTIFY_COALESCE_MS);
	spin_unlock_irq(&n->lock);
}

/*
 * Runtime suspend: stop listening, but refuse (-EBUSY) while a notification
 * waits to be read, which a resume that puts the cached settings back
 * would overwrite. Waits for no work item: the work may be waiting for
 * this very suspend to end, in usb_autopm_get_interface().
 */
int pamp_notify_pause(struct pamp_dev *d)
{
	struct pamp_notify *n = &d->notify;
	bool busy;

	if (!n->urb)
		return 0;
	spin_lock_irq(&n->lock);
	n->listening = false;
	spin_unlock_irq(&n->lock);
	pamp_notify_poison(n);		/* no completion runs after this */

	spin_lock_irq(&n->lock);
	busy = n->dirty || n->reset || n->clip || n->halted || n->retry ||
	       delayed_work_pending(&n->work);
	if (busy)
		n->listening = true;
	spin_unlock_irq(&n->lock);
	if (!busy)
		return 0;
	pamp_notify_unpoison(n);
	pamp_notify_submit(d);
	return -EBUSY;
}

/*
 * System suspend, pre_reset, disconnect: the completion queues the work
 * only while enabled, under the lock, so once this returns the work is
 * neither queued nor running, and the URB is not in flight and cannot be
 * submitted until pamp_notify_start().
 */
void pamp_notify_stop(struct pamp_dev *d)
{
	struct pamp_notify *n = &d->notify;

	spin_lock_irq(&n->lock);
	n->enabled = false;
	n->listening = false;
	spin_unlock_irq(&n->lock);
	cancel_delayed_work_sync(&n->work);
	pamp_notify_poison(n);
}

void pamp_notify_free(struct pamp_dev *d)
{
	usb_free_urb(d->notify.urb);
	d->notify.urb = NULL;
	kfree(d->notify.buf);
	d->notify.buf = NULL;
}
