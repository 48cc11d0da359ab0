/* SPDX-License-Identifier: MIT */
/*
 * What a driver says of a device outside its controls: sysfs attributes
 * of the USB interface it is bound to (snd-usb-preamp's "persistent" and
 * "inN_label"). Every byte read is the device's, so untrusted.
 */
#ifndef PREAMPD_USBATTR_H
#define PREAMPD_USBATTR_H

#include <stdbool.h>
#include <stddef.h>

/* A name fit for a sysfs attribute: 1..31 of [a-z0-9_]. */
bool pa_usbattr_name_valid(const char *name);

/*
 * The name of input n's attribute from a pattern holding "{n}" once
 * ("in{n}_label" gives "in3_label"). -EINVAL unless that is a valid name.
 */
int pa_usbattr_name_for(const char *pattern, unsigned n, char *out,
			size_t outsz);

/*
 * Reads attribute attr of the first interface of the USB device at
 * usb_syspath that is bound to driver, one trailing newline removed, into
 * out (NUL-terminated; longer values are cut at outsz - 1 bytes). Returns
 * its length; -ENOENT when no interface is bound to driver or it has no
 * such attribute, -EINVAL for a bad name.
 */
int pa_usbattr_read(const char *usb_syspath, const char *driver,
		    const char *attr, char *out, size_t outsz);

/* The same, for a boolean attribute: "0" or "1", else -EINVAL. */
int pa_usbattr_bool(const char *usb_syspath, const char *driver,
		    const char *attr, bool *on);

#endif
