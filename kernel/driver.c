// SPDX-License-Identifier: GPL-2.0
/*
 * snd-usb-preamp: ALSA controls for USB preamps that speak the Preamp
 * Control Protocol (a vendor interface 0xff/0x50/0x01 named "Preamp
 * Control").
 *
 * This file binds the interface, reads and checks what the device is, and
 * owns its life: probe and disconnect. The other parts are protocol.c (the
 * transfers), validate.c (what not to trust), state.c (the cache),
 * meters.c (the meters), notify.c (the interrupt endpoint), power.c
 * (suspend, resume, USB reset), controls.c (the ALSA controls), shared.c
 * (snd-usb-audio's card), card.c (our own sound card) and sysfs.c.
 *
 * The controls stand on snd-usb-audio's card of the same device when there
 * is one, so that an interface is one card for the user; else, after a
 * bounded wait for snd-usb-audio (audio_card_wait_ms), on a card of our own.
 * If snd-usb-audio lets go of its card while our controls are on it, they
 * move: to its new card if it already has one (after a USB reset), else to
 * a card of our own.
 *
 * The controls are placed from the placement work, after probe: the USB
 * core adds the sysfs attributes (dev_groups) when probe returns, and
 * whoever finds the controls must find those too.
 *
 * Unplug at any instant: disconnect first stops notifications, then marks
 * the device gone (so a transfer in flight finishes and every later one
 * fails with -ENODEV), stops the placement work, disconnects our card, and
 * detaches the controls, which waits for any callback still running; then
 * it stops the works that callbacks queue and lets go of snd-usb-audio's
 * card. Only then is the context freed (driver.h: ownership).
 */

#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/usb.h>
#include <linux/workqueue.h>
#include <sound/core.h>

#include "driver.h"
#include "card.h"
#include "compat.h"
#include "controls.h"
#include "meters.h"
#include "notify.h"
#include "power.h"
#include "protocol.h"
#include "shared.h"
#include "state.h"
#include "sysfs.h"
#include "validate.h"

static unsigned int phantom_guard_ms = 3000;
module_param(phantom_guard_ms, uint, 0644);
MODULE_PARM_DESC(phantom_guard_ms,
		 "Time after plug-in, a USB reset or a power loss during which 48 V cannot be switched on, in ms; after a reset or a power loss 48 V stays off until it ends (0: no guard).");

/* The guard's length, at plug-in and at every re-arm (power.c). */
unsigned int pamp_guard_ms(void)
{
	return READ_ONCE(phantom_guard_ms);
}

static bool own_card;
module_param(own_card, bool, 0644);
MODULE_PARM_DESC(own_card,
		 "Put the controls on a card of the driver's own, never on snd-usb-audio's card of the device.");

static unsigned int audio_card_wait_ms = 5000;
module_param(audio_card_wait_ms, uint, 0644);
MODULE_PARM_DESC(audio_card_wait_ms,
		 "How long to wait at plug-in for snd-usb-audio's card of a device with audio interfaces before making a card of the driver's own, in ms.");

/* While waiting for snd-usb-audio's card: how often to look for it. */
#define PAMP_PLACE_POLL_MS	100
/* The USB device was locked (a probe, a reset, a disconnect): retry. */
#define PAMP_PLACE_RETRY_MS	10

/*
 * Vendor-specific class codes are not unique: the interface string decides,
 * so that a foreign device never receives a vendor request of ours. The USB
 * core has read it already, with a standard GET_DESCRIPTOR, when it added
 * the interface (the "interface" attribute shows it).
 */
static int pamp_check_name(struct usb_interface *intf)
{
	const struct usb_host_interface *alt = intf->cur_altsetting;
	const char *name = READ_ONCE(alt->string);

	if (!alt->desc.iInterface) {
		dev_info(&intf->dev, "vendor interface without a name: not a Preamp Control interface\n");
		return -ENODEV;
	}
	if (!name) {
		dev_info(&intf->dev, "the interface name could not be read: not bound\n");
		return -ENODEV;
	}
	if (strcmp(name, PAMP_INTF_STRING)) {
		dev_info(&intf->dev, "interface \"%*pE\" is not a Preamp Control interface\n",
			 (int)strnlen(name, 64), name);
		return -ENODEV;
	}
	return 0;
}

static int pamp_read_info(struct pamp_dev *d)
{
	const char *why = NULL;
	struct pamp_info raw;
	int ret;

	mutex_lock(&d->io_mutex);	/* probe: the device is awake */
	ret = pamp_get_info(d, &raw);
	mutex_unlock(&d->io_mutex);
	if (ret) {
		dev_err(d->dev, "device refused: GET_INFO failed (%pe)\n",
			ERR_PTR(ret));
		return -ENODEV;
	}

	ret = pamp_check_info(&raw, &d->info, &why);
	if (ret < 0) {
		dev_err(d->dev, "device refused: %s (magic %*phN, version %u.%u, %u inputs)\n",
			why, PAMP_MAGIC_LEN, raw.magic, raw.version_major,
			raw.version_minor, raw.num_inputs);
		return -ENODEV;
	}
	if (ret & PAMP_BAD_WINDOW)
		dev_warn(d->dev, "meter window of %u ms is out of range: no meters\n",
			 d->info.meter_window_ms);
	return 0;
}

static int pamp_read_inputs(struct pamp_dev *d)
{
	unsigned int i, bad, n = d->info.num_inputs;
	struct pamp_input_info raw;
	u32 left_out;
	int ret;

	for (i = 0; i < n; i++) {
		mutex_lock(&d->io_mutex);
		ret = pamp_get_input_info(d, i, &raw);
		mutex_unlock(&d->io_mutex);
		if (ret) {
			dev_err(d->dev, "device refused: GET_INPUT_INFO of input %u failed (%pe)\n",
				i + 1, ERR_PTR(ret));
			return -ENODEV;
		}

		bad = pamp_check_input_info(&raw, i, &d->in[i]);
		if (bad & PAMP_BAD_GAIN_RANGE)
			dev_warn(d->dev, "input %u: invalid gain range (min %d, max %d, step %u, in 1/256 dB): no gain control\n",
				 i + 1, (s16)le16_to_cpu(raw.gain_min),
				 (s16)le16_to_cpu(raw.gain_max),
				 le16_to_cpu(raw.gain_step));
		if (bad & PAMP_BAD_LABEL)
			dev_warn(d->dev, "input %u: label is not printable NUL-terminated UTF-8 (%*ph): using \"%s\"\n",
				 i + 1, PAMP_LABEL_LEN, raw.label, d->in[i].label);
		dev_dbg(d->dev, "input %u: \"%s\", caps %#x, gain %d..%d step %u (1/256 dB), phantom group %u\n",
			i + 1, d->in[i].label, d->in[i].caps, d->in[i].gain_min,
			d->in[i].gain_max, d->in[i].gain_step,
			d->in[i].phantom_group);
	}

	left_out = pamp_check_groups(d->in, n);
	for (i = 0; i < n; i++)
		if (left_out & BIT(i))
			dev_warn(d->dev, "input %u: phantom group %u is not consecutive inputs: no 48 V control\n",
				 i + 1, d->in[i].phantom_group);
	return 0;
}

static void pamp_free(struct pamp_dev *d)
{
	pamp_notify_free(d);
	kfree(d);
}

/* Run a delayed work now, or once more if it is running. */
void pamp_run_soon(struct delayed_work *work)
{
	cancel_delayed_work(work);
	schedule_delayed_work(work, 0);
}

/* Where the controls stand; all of it under the USB device lock. */

static bool pamp_placed(struct pamp_dev *d)
{
	return d->shared.card || d->card.snd;
}

static int pamp_own_card(struct pamp_dev *d)
{
	int ret;

	ret = pamp_card_create(d);
	if (ret)
		return ret;
	ret = pamp_controls_attach(d, d->card.snd, NULL, 0);
	if (ret)
		goto err_card;
	ret = pamp_card_register(d);
	if (ret)
		goto err_controls;
	return 0;

err_controls:
	pamp_controls_detach(d);
err_card:
	pamp_card_free(d);
	return ret;
}

/*
 * Put the controls on snd-usb-audio's card of the device or, once there is
 * no hope of one, on a card of our own. 0 when placed, or when still
 * waiting for snd-usb-audio (place_work looks again).
 */
static int pamp_place(struct pamp_dev *d)
{
	int ret;

	if (!d->place_own) {
		ret = pamp_shared_join(d);
		if (ret > 0)
			return 0;
		if (!ret && time_before(jiffies, d->place_deadline)) {
			schedule_delayed_work(&d->place_work,
					      msecs_to_jiffies(PAMP_PLACE_POLL_MS));
			return 0;
		}
		if (!ret && d->place_wait_ms)
			dev_info(d->dev, "no card of snd-usb-audio on this device after %u ms: the controls go on a card of their own\n",
				 d->place_wait_ms);
	}
	return pamp_own_card(d);
}

static void pamp_place_work(struct work_struct *work)
{
	struct pamp_dev *d = container_of(to_delayed_work(work),
					  struct pamp_dev, place_work);
	int ret;

	/* disconnect holds the lock while it waits for this work */
	if (!usb_trylock_device(d->udev)) {
		schedule_delayed_work(&d->place_work,
				      msecs_to_jiffies(PAMP_PLACE_RETRY_MS));
		return;
	}
	if (pamp_shared_gone(d)) {
		dev_info(d->dev, "snd-usb-audio let go of card %d: moving the controls\n",
			 d->shared.card->number);
		pamp_shared_leave(d);
		/* a new card of snd-usb-audio is there by now, or not at all */
		d->place_wait_ms = 0;
		d->place_deadline = jiffies;
	}
	if (!pamp_placed(d)) {
		ret = pamp_place(d);
		if (ret)
			dev_err(d->dev, "the controls have no card (%pe)\n",
				ERR_PTR(ret));
	}
	usb_unlock_device(d->udev);
}

/* snd-usb-audio let go of the card under our controls: move them soon. */
void pamp_place_again(struct pamp_dev *d)
{
	pamp_run_soon(&d->place_work);
}

static int pamp_probe(struct usb_interface *intf,
		      const struct usb_device_id *usb_id)
{
	char notes[64] = "";
	struct pamp_dev *d;
	int ret;

	ret = pamp_check_name(intf);
	if (ret)
		return ret;

	d = kzalloc_obj(*d, GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->udev = interface_to_usbdev(intf);
	d->intf = intf;
	d->dev = &intf->dev;
	d->ifnum = intf->cur_altsetting->desc.bInterfaceNumber;
	INIT_DELAYED_WORK(&d->place_work, pamp_place_work);
	pamp_state_init(d);
	pamp_meters_init(d);
	/* the 48 V guard counts from here */
	pamp_controls_init(d, pamp_guard_ms());

	ret = pamp_read_info(d);
	if (ret)
		goto err_guard;
	ret = pamp_read_inputs(d);
	if (ret)
		goto err_guard;

	ret = pamp_notify_init(d);
	if (ret)
		goto err_guard;
	/* from here, a change on the device is re-read after our full read */
	if (d->notify.urb) {
		ret = pamp_notify_start(d);
		if (ret)
			snprintf(notes, sizeof(notes),
				 ", notifications not started (%pe), retrying",
				 ERR_PTR(ret));
		else
			strscpy(notes, ", notifications", sizeof(notes));
	}
	ret = pamp_state_refresh_all(d, NULL);
	if (ret) {
		dev_err(d->dev, "device refused: GET_ALL_STATE failed (%pe)\n",
			ERR_PTR(ret));
		ret = -ENODEV;
		goto err_notify;
	}

	/*
	 * snd-usb-audio has made its card already if it is loaded and its
	 * interfaces come before ours. The wait covers its module being loaded
	 * later, and audio interfaces that come after ours.
	 */
	d->place_own = READ_ONCE(own_card);
	if (pamp_shared_expected(d))
		d->place_wait_ms = READ_ONCE(audio_card_wait_ms);
	d->place_deadline = jiffies + msecs_to_jiffies(d->place_wait_ms);

	usb_set_intfdata(intf, d);
	pamp_notify_enable(d);
	/* runs once probe has returned: the USB core adds dev_groups first */
	schedule_delayed_work(&d->place_work, 0);

	dev_info(d->dev, "%s: %u inputs%s%s\n",
		 d->udev->product ?: "Preamp Control", d->info.num_inputs,
		 d->info.flags & PAMP_FLAG_METERS ? ", meters" : "", notes);
	return 0;

err_notify:
	pamp_notify_stop(d);
err_guard:
	pamp_controls_stop(d);
	pamp_state_stop(d);
	pamp_free(d);
	return ret;
}

/* The order is the ownership rule of driver.h. */
static void pamp_disconnect(struct usb_interface *intf)
{
	struct pamp_dev *d = usb_get_intfdata(intf);

	if (!d)
		return;

	pamp_notify_stop(d);
	pamp_state_disconnect(d);
	cancel_delayed_work_sync(&d->place_work);
	pamp_card_disconnect(d);
	pamp_controls_detach(d);	/* no control callback after this */
	pamp_controls_stop(d);
	pamp_state_stop(d);
	pamp_shared_leave(d);
	pamp_card_free(d);
	usb_set_intfdata(intf, NULL);
	pamp_free(d);
}

static const struct usb_device_id pamp_ids[] = {
	{ USB_INTERFACE_INFO(PAMP_INTF_CLASS, PAMP_INTF_SUBCLASS,
			     PAMP_INTF_PROTOCOL) },
	{ }
};
MODULE_DEVICE_TABLE(usb, pamp_ids);

static struct usb_driver pamp_driver = {
	.name = "snd-usb-preamp",
	.probe = pamp_probe,
	.disconnect = pamp_disconnect,
	.suspend = pamp_suspend,
	.resume = pamp_resume,
	.reset_resume = pamp_reset_resume,
	.pre_reset = pamp_pre_reset,
	.post_reset = pamp_post_reset,
	.id_table = pamp_ids,
	.dev_groups = pamp_groups,
	.supports_autosuspend = 1,
};
module_usb_driver(pamp_driver);

MODULE_AUTHOR("preamp developers");
MODULE_DESCRIPTION("ALSA controls for USB preamps (Preamp Control Protocol)");
MODULE_LICENSE("GPL");
