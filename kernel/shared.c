// SPDX-License-Identifier: GPL-2.0
/*
 * snd-usb-preamp: our controls on snd-usb-audio's card.
 *
 * When snd-usb-audio drives the audio interfaces of our USB device, the
 * controls stand on its card beside its own, so that the interface is one
 * card for the user. The card belongs to another driver; what we borrow
 * must never be outlived:
 *
 *  - The card is found with snd_card_ref() over every slot. It is the one
 *    when its parent device is one of our sibling interfaces (compared as
 *    pointers: nothing of another card is followed), its driver is
 *    "USB-Audio", it is not shutting down, and its module can be pinned.
 *  - While our controls are on it we hold a reference to the card, so its
 *    memory, its control list and our kcontrols stay valid after
 *    snd-usb-audio let go of it, and we pin its module: our reference may
 *    be the last one, and its release runs snd-usb-audio's code.
 *  - A small snd_device on the card learns of snd_card_disconnect()
 *    (snd-usb-audio unbound, the device unplugged or reset): the driver then
 *    moves the controls, from a work item, since snd-usb-audio holds the USB
 *    device lock while it disconnects.
 *  - Leaving is always, in this order: the controls off the card (after
 *    which no callback of ours runs), our snd_device off, the reference,
 *    the pin.
 *
 * Looking up, joining, leaving, and snd-usb-audio's own probe and
 * disconnect all run under the USB device lock, so none overlaps another.
 */

#include <linux/device.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/usb.h>
#include <sound/asound.h>
#include <sound/core.h>

#include "driver.h"
#include "controls.h"
#include "shared.h"

/* The driver name of snd-usb-audio's cards. */
#define PAMP_AUDIO_DRIVER	"USB-Audio"

/* Whether the device has audio-class interfaces, for snd-usb-audio. */
bool pamp_shared_expected(struct pamp_dev *d)
{
	struct usb_host_config *config = d->udev->actconfig;
	unsigned int i;

	for (i = 0; config && i < config->desc.bNumInterfaces; i++) {
		struct usb_interface *intf = config->interface[i];

		/* altsetting[0]: snd-usb-audio switches the current one */
		if (intf && intf->altsetting[0].desc.bInterfaceClass ==
			    USB_CLASS_AUDIO)
			return true;
	}
	return false;
}

static bool pamp_is_sibling(struct pamp_dev *d, const struct device *dev)
{
	struct usb_host_config *config = d->udev->actconfig;
	unsigned int i;

	for (i = 0; config && i < config->desc.bNumInterfaces; i++) {
		struct usb_interface *intf = config->interface[i];

		if (intf && intf != d->intf && &intf->dev == dev)
			return true;
	}
	return false;
}

/* snd-usb-audio's card of our device, referenced, its module pinned. */
static struct snd_card *pamp_shared_find(struct pamp_dev *d)
{
	struct snd_card *card;
	int i;

	for (i = 0; i < SNDRV_CARDS; i++) {
		card = snd_card_ref(i);
		if (!card)
			continue;
		if (pamp_is_sibling(d, card->dev) &&
		    !strcmp(card->driver, PAMP_AUDIO_DRIVER) &&
		    !card->shutdown && try_module_get(card->module))
			return card;
		snd_card_unref(card);
	}
	return NULL;
}

/*
 * snd_card_disconnect() of the card, run by snd-usb-audio under the USB
 * device lock; or our own snd_device_free() when leaving, which clears
 * shared.card first.
 */
static int pamp_shared_dev_disconnect(struct snd_device *device)
{
	struct pamp_dev *d = device->device_data;

	if (d->shared.card == device->card) {
		d->shared.gone = true;
		pamp_place_again(d);
	}
	return 0;
}

static const struct snd_device_ops pamp_shared_ops = {
	.dev_disconnect = pamp_shared_dev_disconnect,
};

/*
 * Put the controls on snd-usb-audio's card of the device. 1: done; 0: there
 * is no such card (yet); -EEXIST: the card has a control of one of our
 * names; another error: the card cannot be used. Failures are logged.
 */
int pamp_shared_join(struct pamp_dev *d)
{
	struct pamp_shared *sh = &d->shared;
	char clash[SNDRV_CTL_ELEM_ID_NAME_MAXLEN];
	struct snd_card *card;
	int ret;

	device_lock_assert(&d->udev->dev);
	if (WARN_ON(sh->card))
		return -EBUSY;
	card = pamp_shared_find(d);
	if (!card)
		return 0;

	sh->owner = card->module;
	ret = snd_device_new(card, SNDRV_DEV_LOWLEVEL, d, &pamp_shared_ops);
	if (ret) {
		dev_err(d->dev, "cannot use snd-usb-audio's card %d (%pe)\n",
			card->number, ERR_PTR(ret));
		snd_card_unref(card);
		module_put(sh->owner);
		sh->owner = NULL;
		return ret;
	}
	sh->card = card;
	sh->gone = false;
	ret = snd_device_register(card, d);
	if (!ret)
		ret = pamp_controls_attach(d, card, clash, sizeof(clash));
	if (ret == -EEXIST)
		dev_warn(d->dev, "snd-usb-audio's card %d (%s) already has a control \"%s\": the controls go on a card of their own\n",
			 card->number, card->shortname, clash);
	else if (ret)
		dev_err(d->dev, "cannot use snd-usb-audio's card %d (%pe)\n",
			card->number, ERR_PTR(ret));
	if (ret) {
		pamp_shared_leave(d);
		return ret;
	}
	dev_info(d->dev, "controls on card %d (%s), beside snd-usb-audio's\n",
		 card->number, card->shortname);
	return 1;
}

/* Whether snd-usb-audio let go of the card our controls are on. */
bool pamp_shared_gone(struct pamp_dev *d)
{
	return d->shared.card && d->shared.gone;
}

/* Take the controls off snd-usb-audio's card; nothing if not on it. */
void pamp_shared_leave(struct pamp_dev *d)
{
	struct pamp_shared *sh = &d->shared;
	struct snd_card *card = sh->card;

	if (!card)
		return;
	pamp_controls_detach(d);
	sh->card = NULL;	/* our dev_disconnect now does nothing */
	snd_device_free(card, d);
	snd_card_unref(card);
	module_put(sh->owner);
	sh->owner = NULL;
	sh->gone = false;
}
