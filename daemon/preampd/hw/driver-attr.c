// SPDX-License-Identifier: MIT
#include "driver-attr.h"

#include <errno.h>
#include <string.h>
#include <libudev.h>

#include "usbattr.h"

/* Into out, the value of attr on the first of the list's devices that
 * is bound to driver and has it: its length, or -ENOENT. */
static int first_bound(struct udev *udev, struct udev_enumerate *e,
		       const char *driver, const char *attr, char *out,
		       size_t outsz)
{
	struct udev_list_entry *l;
	int r = -ENOENT;

	udev_list_entry_foreach(l, udev_enumerate_get_list_entry(e)) {
		struct udev_device *intf = udev_device_new_from_syspath(
			udev, udev_list_entry_get_name(l));
		const char *bound, *v;

		if (!intf)
			continue;
		bound = udev_device_get_driver(intf);
		v = bound && !strcmp(bound, driver) ?
			udev_device_get_sysattr_value(intf, attr) : NULL;
		if (v) {
			size_t n = strnlen(v, outsz - 1);

			memcpy(out, v, n);
			out[n] = '\0';
			r = (int)n;
		}
		udev_device_unref(intf);
		if (r >= 0)
			break;
	}
	return r;
}

int driver_attr_read(const char *usb_syspath, const char *driver,
		     const char *attr, char *out, size_t outsz)
{
	struct udev *udev;
	struct udev_device *usb = NULL;
	struct udev_enumerate *e = NULL;
	int r = -ENOENT;

	if (!pa_usbattr_name_valid(attr) || outsz < 2)
		return -EINVAL;
	out[0] = '\0';
	udev = udev_new();
	if (!udev)
		return -ENOMEM;
	usb = udev_device_new_from_syspath(udev, usb_syspath);
	e = usb ? udev_enumerate_new(udev) : NULL;
	/* the device's interfaces: its children of DEVTYPE usb_interface */
	if (e && udev_enumerate_add_match_parent(e, usb) >= 0 &&
	    udev_enumerate_add_match_subsystem(e, "usb") >= 0 &&
	    udev_enumerate_add_match_property(e, "DEVTYPE",
					      "usb_interface") >= 0 &&
	    udev_enumerate_scan_devices(e) >= 0)
		r = first_bound(udev, e, driver, attr, out, outsz);
	udev_enumerate_unref(e);
	udev_device_unref(usb);
	udev_unref(udev);
	return r;
}

int driver_attr_bool(const char *usb_syspath, const char *driver,
		     const char *attr, bool *on)
{
	char v[4];
	int r = driver_attr_read(usb_syspath, driver, attr, v, sizeof(v));

	return r < 0 ? r : pa_usbattr_parse_bool(v, on);
}
