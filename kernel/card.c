// SPDX-License-Identifier: GPL-2.0
/*
 * snd-usb-preamp: a sound card of the driver's own.
 *
 * Named as snd-usb-audio names its cards, so that user space tells them
 * apart the same way: driver "USB-Preamp", the product as short name,
 * "<manufacturer> <product> at <usb path>, <speed>" as long name, and the
 * component "USBvvvv:pppp". At unplug the card is disconnected and freed
 * when its last user closes it; clients holding it open keep a dead card,
 * and the module stays pinned by the ALSA core until they let go.
 */

#include <linux/bitmap.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/usb.h>
#include <sound/core.h>
#include <sound/initval.h>

#include "driver.h"
#include "card.h"

static int index[SNDRV_CARDS] = SNDRV_DEFAULT_IDX;
static char *id[SNDRV_CARDS] = SNDRV_DEFAULT_STR;
static bool enable[SNDRV_CARDS] = SNDRV_DEFAULT_ENABLE_PNP;

module_param_array(index, int, NULL, 0444);
MODULE_PARM_DESC(index, "Index value for the USB preamp control card.");
module_param_array(id, charp, NULL, 0444);
MODULE_PARM_DESC(id, "ID string for the USB preamp control card.");
module_param_array(enable, bool, NULL, 0444);
MODULE_PARM_DESC(enable, "Enable the USB preamp control card.");

/* Which entries of the parameter arrays are in use. */
static DEFINE_MUTEX(pamp_slots_lock);
static DECLARE_BITMAP(pamp_slots, SNDRV_CARDS);

static int pamp_slot_get(void)
{
	int i, slot = -ENODEV;

	mutex_lock(&pamp_slots_lock);
	for (i = 0; i < SNDRV_CARDS; i++) {
		if (enable[i] && !test_bit(i, pamp_slots)) {
			set_bit(i, pamp_slots);
			slot = i;
			break;
		}
	}
	mutex_unlock(&pamp_slots_lock);
	return slot;
}

static void pamp_slot_put(int slot)
{
	mutex_lock(&pamp_slots_lock);
	clear_bit(slot, pamp_slots);
	mutex_unlock(&pamp_slots_lock);
}

static const char *pamp_speed_name(enum usb_device_speed speed)
{
	switch (speed) {
	case USB_SPEED_LOW:
		return ", low speed";
	case USB_SPEED_FULL:
		return ", full speed";
	case USB_SPEED_HIGH:
		return ", high speed";
	case USB_SPEED_SUPER:
		return ", super speed";
	case USB_SPEED_SUPER_PLUS:
		return ", super speed plus";
	default:
		return "";
	}
}

static void pamp_card_names(struct pamp_dev *d, struct snd_card *card)
{
	struct usb_device *udev = d->udev;
	const char *product = udev->product ?: "USB Preamp";
	const char *maker = udev->manufacturer ?: "";
	char path[32];
	char comp[16];

	strscpy(card->driver, "USB-Preamp", sizeof(card->driver));
	strscpy(card->shortname, product, sizeof(card->shortname));
	strscpy(card->mixername, product, sizeof(card->mixername));

	usb_make_path(udev, path, sizeof(path));
	scnprintf(card->longname, sizeof(card->longname), "%s%s%s at %s%s",
		  maker, *maker ? " " : "", card->shortname, path,
		  pamp_speed_name(udev->speed));

	scnprintf(comp, sizeof(comp), "USB%04x:%04x",
		  le16_to_cpu(udev->descriptor.idVendor),
		  le16_to_cpu(udev->descriptor.idProduct));
	snd_component_add(card, comp);
}

int pamp_card_create(struct pamp_dev *d)
{
	struct snd_card *card;
	int slot, ret;

	slot = pamp_slot_get();
	if (slot < 0) {
		dev_err(d->dev, "no enabled card slot left (module parameter enable)\n");
		return slot;
	}
	ret = snd_card_new(&d->intf->dev, index[slot], id[slot], THIS_MODULE,
			   0, &card);
	if (ret) {
		dev_err(d->dev, "cannot create a sound card: %d\n", ret);
		pamp_slot_put(slot);
		return ret;
	}
	pamp_card_names(d, card);
	d->card.snd = card;
	d->card.slot = slot;
	return 0;
}

int pamp_card_register(struct pamp_dev *d)
{
	int ret = snd_card_register(d->card.snd);

	if (ret)
		dev_err(d->dev, "cannot register the sound card: %d\n", ret);
	else
		dev_info(d->dev, "controls on card %d, a card of their own\n",
			 d->card.snd->number);
	return ret;
}

/* Unplug, first step: every file on the card goes dead. */
void pamp_card_disconnect(struct pamp_dev *d)
{
	if (d->card.snd)
		snd_card_disconnect(d->card.snd);
}

/* Unplug, last step, or a failed probe: free it when its users are gone. */
void pamp_card_free(struct pamp_dev *d)
{
	if (!d->card.snd)
		return;
	snd_card_free_when_closed(d->card.snd);
	d->card.snd = NULL;
	pamp_slot_put(d->card.slot);
}
