// SPDX-License-Identifier: MIT
#include "driver-attr.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libudev.h>

#include "usbattr.h"

struct driver_attrs {
	struct udev *udev;
	struct udev_device *intf;
};

/* The first of the list's devices bound to driver, or NULL. */
static struct udev_device *first_bound(struct udev *udev,
				       struct udev_enumerate *e,
				       const char *driver)
{
	struct udev_list_entry *l;

	udev_list_entry_foreach(l, udev_enumerate_get_list_entry(e)) {
		struct udev_device *intf = udev_device_new_from_syspath(
			udev, udev_list_entry_get_name(l));
		const char *bound = intf ? udev_device_get_driver(intf) : NULL;

		if (bound && !strcmp(bound, driver))
			return intf;
		udev_device_unref(intf);
	}
	return NULL;
}

struct driver_attrs *driver_attrs_open(const char *usb_syspath,
				       const char *driver)
{
	struct driver_attrs *a = calloc(1, sizeof(*a));
	struct udev_device *usb = NULL;
	struct udev_enumerate *e = NULL;
	char intfs[64];

	if (!a)
		return NULL;
	a->udev = udev_new();
	if (a->udev)
		usb = udev_device_new_from_syspath(a->udev, usb_syspath);
	if (usb)
		e = udev_enumerate_new(a->udev);
	/* the device's interfaces, "<device>:<config>.<number>": its
	 * children of that name are only ever those */
	if (e && snprintf(intfs, sizeof(intfs), "%s:*",
			  udev_device_get_sysname(usb)) < (int)sizeof(intfs) &&
	    udev_enumerate_add_match_parent(e, usb) >= 0 &&
	    udev_enumerate_add_match_sysname(e, intfs) >= 0 &&
	    udev_enumerate_add_match_subsystem(e, "usb") >= 0 &&
	    udev_enumerate_scan_devices(e) >= 0)
		a->intf = first_bound(a->udev, e, driver);
	udev_enumerate_unref(e);
	udev_device_unref(usb);
	if (!a->intf) {
		driver_attrs_close(a);
		return NULL;
	}
	return a;
}

void driver_attrs_close(struct driver_attrs *a)
{
	if (!a)
		return;
	udev_device_unref(a->intf);
	udev_unref(a->udev);
	free(a);
}

int driver_attrs_read(struct driver_attrs *a, const char *attr, char *out,
		      size_t outsz)
{
	const char *v;
	size_t n;

	if (!pa_usbattr_name_valid(attr) || outsz < 2)
		return -EINVAL;
	out[0] = '\0';
	v = a ? udev_device_get_sysattr_value(a->intf, attr) : NULL;
	if (!v)
		return -ENOENT;
	n = strnlen(v, outsz - 1);
	memcpy(out, v, n);
	out[n] = '\0';
	return (int)n;
}

int driver_attrs_bool(struct driver_attrs *a, const char *attr, bool *on)
{
	char v[4];
	int r = driver_attrs_read(a, attr, v, sizeof(v));

	return r < 0 ? r : pa_usbattr_parse_bool(v, on);
}
