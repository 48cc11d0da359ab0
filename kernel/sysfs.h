/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: the attributes of the bound interface, created by the
 * driver core (usb_driver.dev_groups). Documented in
 * Documentation/ABI/testing/sysfs-driver-snd-usb-preamp.
 */
#ifndef __SND_USB_PREAMP_SYSFS_H
#define __SND_USB_PREAMP_SYSFS_H

struct attribute_group;

extern const struct attribute_group *pamp_groups[];

#endif /* __SND_USB_PREAMP_SYSFS_H */
