// SPDX-License-Identifier: GPL-2.0
/*
 * snd-usb-preamp: suspend, resume and USB reset.
 *
 * The USB core never runs two of these, probe or disconnect at once. A
 * runtime resume may run inside a control callback (ours, or
 * snd-usb-audio's when it wakes the device), with the card's controls_rwsem
 * held. So they take only io_mutex and spinlocks, and leave events and the
 * guard's controls to work items.
 *
 *  - Runtime suspend (autosuspend): stop listening for notifications,
 *    unless one waits to be read (-EBUSY); wait for no work item.
 *  - System suspend: stop notifications and every work item that sends.
 *  - Resume: the device kept its power. Put the cached settings back (one
 *    SET_ALL_STATE, one GET_ALL_STATE); 48 V too, unless the guard is on.
 *  - Reset-resume and post_reset: the device lost its power or was reset,
 *    which is the plug-in case the 48 V guard exists for: re-arm the
 *    guard, put back everything but 48 V at once, and 48 V when the guard
 *    ends (controls.c, state.c).
 *  - pre_reset: stop notifications and refuse every request (-EAGAIN)
 *    until post_reset has put the settings back. Nothing stays locked
 *    from pre_reset to post_reset: between them the USB core unbinds
 *    snd-usb-audio, whose disconnect waits for the card's controls_rwsem,
 *    which a put of ours may hold.
 */

#include <linux/err.h>
#include <linux/usb.h>

#include "driver.h"
#include "controls.h"
#include "notify.h"
#include "power.h"
#include "state.h"

int pamp_suspend(struct usb_interface *intf, pm_message_t message)
{
	struct pamp_dev *d = usb_get_intfdata(intf);

	if (!d)
		return 0;
	if (PMSG_IS_AUTO(message))
		return pamp_notify_pause(d);
	pamp_notify_stop(d);
	pamp_controls_pause_guard(d);
	pamp_state_stop(d);
	return 0;
}

/* Settings back, events out, notifications on. lost: power or a reset. */
static void pamp_restore(struct pamp_dev *d, bool lost)
{
	u16 changed[PAMP_MAX_INPUTS] = { 0 };
	int ret;

	if (lost)
		pamp_controls_rearm_guard(d, pamp_guard_ms());
	pamp_notify_start(d);
	ret = pamp_state_restore(d, !READ_ONCE(d->controls.guard), changed);
	if (ret && ret != -ENODEV)
		dev_warn(d->dev, "restoring the settings failed (%pe)\n",
			 ERR_PTR(ret));
	pamp_controls_changed_later(d, changed);
	pamp_controls_resume_guard(d);
	pamp_notify_enable(d);
}

int pamp_resume(struct usb_interface *intf)
{
	struct pamp_dev *d = usb_get_intfdata(intf);

	if (d)
		pamp_restore(d, false);
	return 0;
}

int pamp_reset_resume(struct usb_interface *intf)
{
	struct pamp_dev *d = usb_get_intfdata(intf);

	if (d)
		pamp_restore(d, true);
	return 0;
}

int pamp_pre_reset(struct usb_interface *intf)
{
	struct pamp_dev *d = usb_get_intfdata(intf);

	if (!d)
		return 0;
	pamp_notify_stop(d);
	pamp_state_reset_begin(d);
	return 0;
}

int pamp_post_reset(struct usb_interface *intf)
{
	struct pamp_dev *d = usb_get_intfdata(intf);

	if (d)
		pamp_restore(d, true);
	return 0;
}
