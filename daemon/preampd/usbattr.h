/* SPDX-License-Identifier: MIT */
/*
 * What a driver says of a device outside its controls: a sysfs attribute
 * of the USB interface it is bound to (snd-usb-preamp's "persistent").
 */
#ifndef PREAMPD_USBATTR_H
#define PREAMPD_USBATTR_H

#include <stdbool.h>

/* A name fit for a sysfs attribute: 1..31 of [a-z0-9_]. */
bool pa_usbattr_name_valid(const char *name);

/*
 * Reads the boolean attribute attr ("0" or "1") of the first interface of
 * the USB device at usb_syspath that is bound to driver. -ENOENT when no
 * interface is bound to it or it has no such attribute, -EINVAL when the
 * value is not 0 or 1.
 */
int pa_usbattr_bool(const char *usb_syspath, const char *driver,
		    const char *attr, bool *on);

#endif
