/* SPDX-License-Identifier: MIT */
/*
 * The rules for what a driver says of a device outside its controls, the
 * sysfs attributes of its USB interface (snd-usb-preamp's "persistent"
 * and "input{n}_label"): their names, from a profile, and their values,
 * from the device, so untrusted. hw/driver-attr.c reads them.
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

/* A boolean attribute's value: "0" or "1", else -EINVAL. */
int pa_usbattr_parse_bool(const char *v, bool *on);

#endif
