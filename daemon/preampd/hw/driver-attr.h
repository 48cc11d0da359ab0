/* SPDX-License-Identifier: MIT */
/*
 * What a driver says of a device outside its controls: the sysfs
 * attributes of the USB interface it is bound to (snd-usb-preamp's
 * "persistent" and "input{n}_label"), found and read through libudev.
 * Every byte read is the device's, so untrusted; core/usbattr.c has the
 * rules for the names and values.
 */
#ifndef PREAMPD_DRIVER_ATTR_H
#define PREAMPD_DRIVER_ATTR_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Attribute attr of the first interface of the USB device at usb_syspath
 * that is bound to driver, without trailing newlines, into out
 * (NUL-terminated; a longer value is cut at outsz - 1 bytes). Returns its
 * length; -ENOENT when no interface is bound to driver or it has no such
 * attribute, -EINVAL for a bad name.
 */
int driver_attr_read(const char *usb_syspath, const char *driver,
		     const char *attr, char *out, size_t outsz);

/* The same, for a boolean attribute: "0" or "1", else -EINVAL. */
int driver_attr_bool(const char *usb_syspath, const char *driver,
		     const char *attr, bool *on);

#endif
