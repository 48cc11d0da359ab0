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
 */

#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/usb.h>

#include "driver.h"
#include "controls.h"
#include "notify.h"
#include "state.h"

/*
 * The work runs this long after the first notification it serves, so that
 * a storm costs at most one re-read per window; the protocol's devices
 * notify at most every 10 ms anyway.
 */
#define PAMP_NOTIFY_COALESCE_MS	10

static void pamp_notify_kick(struct pamp_notify *n)
{
	schedule_delayed_work(&n->work,
			      msecs_to_jiffies(PAMP_NOTIFY_COALESCE_MS));
}

static void pamp_notify_complete(struct urb *urb)
{
	struct pamp_dev *d = urb->context;
	struct pamp_notify *n = &d->notify;
	const struct pamp_notification *msg = n->buf;
	unsigned long flags;
	int ret;

	switch (urb->status) {
	case 0:
		break;
	case -ENOENT:		/* killed */
	case -ECONNRESET:	/* unlinked */
	case -ESHUTDOWN:	/* endpoint disabled */
	case -ENODEV:		/* device gone */
		return;
	case -EPIPE:		/* stalled: cleared from the work */
		spin_lock_irqsave(&n->lock, flags);
		n->halted = true;
		if (n->enabled)
			pamp_notify_kick(n);
		spin_unlock_irqrestore(&n->lock, flags);
		return;
	default:		/* -EPROTO etc.: a glitch, or an unplug under way */
		dev_dbg_ratelimited(d->dev, "notification error %d\n",
				    urb->status);
		goto resubmit;
	}

	spin_lock_irqsave(&n->lock, flags);
	if (urb->actual_length < sizeof(*msg)) {
		dev_warn_ratelimited(d->dev,
				     "short notification (%u bytes): re-reading every input\n",
				     urb->actual_length);
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
		pamp_notify_kick(n);
	spin_unlock_irqrestore(&n->lock, flags);

resubmit:
	ret = usb_submit_urb(urb, GFP_ATOMIC);
	if (ret && ret != -ENODEV && ret != -EPERM)
		dev_err_ratelimited(d->dev,
				    "cannot resubmit the notification URB: %d\n",
				    ret);
}

static void pamp_notify_work(struct work_struct *work)
{
	struct pamp_notify *n = container_of(to_delayed_work(work),
					     struct pamp_notify, work);
	struct pamp_dev *d = container_of(n, struct pamp_dev, notify);
	u16 changed[PAMP_MAX_INPUTS] = { 0 };
	bool reset, clip, halted;
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
	n->dirty = 0;
	n->reset = false;
	n->clip = false;
	n->halted = false;
	spin_unlock_irqrestore(&n->lock, flags);

	if (halted) {
		ret = usb_clear_halt(d->udev, n->urb->pipe);
		if (!ret)
			ret = usb_submit_urb(n->urb, GFP_KERNEL);
		if (ret == -ENODEV)
			return;
		if (ret)
			dev_err_ratelimited(d->dev,
					    "notifications stopped: %d\n", ret);
		/* whatever was notified meanwhile is lost: read it all */
		reset = true;
	}

	if (reset)
		ret = pamp_state_refresh_all(d, changed);
	else
		ret = pamp_state_refresh(d, dirty, changed);
	if (ret == -ENODEV)
		return;
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
		pamp_state_meters_stale(d);
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
	return 0;
}

/*
 * Listen, but let the work wait (pamp_notify_enable()): what arrives from
 * now on is re-read after the caller's own full read of the state.
 */
void pamp_notify_start(struct pamp_dev *d)
{
	struct pamp_notify *n = &d->notify;
	int ret;

	spin_lock_irq(&n->lock);
	n->dirty = 0;
	n->reset = false;
	n->clip = false;
	n->halted = false;
	spin_unlock_irq(&n->lock);

	if (!n->urb)
		return;
	ret = usb_submit_urb(n->urb, GFP_KERNEL);
	if (ret && ret != -ENODEV)
		dev_err(d->dev, "cannot submit the notification URB: %d\n",
			ret);
}

void pamp_notify_enable(struct pamp_dev *d)
{
	struct pamp_notify *n = &d->notify;

	spin_lock_irq(&n->lock);
	n->enabled = true;
	if (n->dirty || n->reset || n->clip || n->halted)
		pamp_notify_kick(n);
	spin_unlock_irq(&n->lock);
}

/*
 * The completion queues the work only while enabled, under the lock: once
 * this returns, the work is neither queued nor running and will not be
 * queued again. The work may have resubmitted the URB, so the caller
 * kills the URB after this.
 */
static void pamp_notify_disable(struct pamp_notify *n)
{
	spin_lock_irq(&n->lock);
	n->enabled = false;
	spin_unlock_irq(&n->lock);
	cancel_delayed_work_sync(&n->work);
}

/* Suspend, pre_reset: no completion, no work until the next start. */
void pamp_notify_stop(struct pamp_dev *d)
{
	pamp_notify_disable(&d->notify);
	usb_kill_urb(d->notify.urb);
}

/* Disconnect: the URB can never be submitted again. */
void pamp_notify_shutdown(struct pamp_dev *d)
{
	pamp_notify_disable(&d->notify);
	usb_poison_urb(d->notify.urb);
}

void pamp_notify_free(struct pamp_dev *d)
{
	usb_free_urb(d->notify.urb);
	d->notify.urb = NULL;
	kfree(d->notify.buf);
	d->notify.buf = NULL;
}
