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

struct driver_attrs;

/* The first interface of the USB device at usb_syspath that is bound to
 * driver; NULL when there is none (or no memory): reads then give
 * -ENOENT. */
struct driver_attrs *driver_attrs_open(const char *usb_syspath,
				       const char *driver);
void driver_attrs_close(struct driver_attrs *a);

/*
 * Attribute attr of that interface, without trailing newlines, into out
 * (NUL-terminated; a longer value is cut at outsz - 1 bytes). Returns its
 * length; -ENOENT when there is no such attribute (or no interface),
 * -EINVAL for a bad name.
 */
int driver_attrs_read(struct driver_attrs *a, const char *attr, char *out,
		      size_t outsz);

/* The same, for a boolean attribute: "0" or "1", else -EINVAL. */
int driver_attrs_bool(struct driver_attrs *a, const char *attr, bool *on);

#endif
