/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: suspend, resume and USB reset, the usb_driver callbacks.
 */
#ifndef __SND_USB_PREAMP_POWER_H
#define __SND_USB_PREAMP_POWER_H

#include <linux/pm.h>

struct usb_interface;

int pamp_suspend(struct usb_interface *intf, pm_message_t message);
int pamp_resume(struct usb_interface *intf);
int pamp_reset_resume(struct usb_interface *intf);
int pamp_pre_reset(struct usb_interface *intf);
int pamp_post_reset(struct usb_interface *intf);

#endif /* __SND_USB_PREAMP_POWER_H */
