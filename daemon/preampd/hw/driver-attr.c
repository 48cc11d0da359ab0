// SPDX-License-Identifier: MIT
#include "driver-attr.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libudev.h>

#include "usbattr.h"

struct driver_attrs {
	struct udev *udev;
	struct udev_device *intf;
};

/* Whether the entry name of dir is bound to driver: its "driver" link. */
static bool bound_to(DIR *dir, const char *name, const char *driver)
{
	char link[300], target[512];
	const char *base;
	ssize_t n;

	if (snprintf(link, sizeof(link), "%s/driver", name) >= (int)sizeof(link))
		return false;
	n = readlinkat(dirfd(dir), link, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	base = strrchr(target, '/');
	return !strcmp(base ? base + 1 : target, driver);
}

/*
 * The USB device's interface bound to driver, or NULL. Its interfaces are
 * the entries "<device>:<config>.<number>" of its directory. Listing that
 * one directory and reading each entry's driver link costs a few calls;
 * an enumeration by parent crawls the whole subtree (sound cards,
 * endpoints, power) and a device object per entry resolves its whole
 * path: several milliseconds per plug-in under emulation. libudev has the
 * one interface that counts, and reads its attributes.
 */
static struct udev_device *bound_interface(struct udev *udev,
					   const char *usb_syspath,
					   const char *driver)
{
	const char *sysname = strrchr(usb_syspath, '/');
	struct udev_device *found = NULL;
	struct dirent *de;
	char path[512];
	size_t len;
	DIR *dir;

	if (!sysname || !*++sysname)
		return NULL;
	len = strlen(sysname);
	dir = opendir(usb_syspath);
	if (!dir)
		return NULL;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, sysname, len) || de->d_name[len] != ':' ||
		    !bound_to(dir, de->d_name, driver))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", usb_syspath,
			     de->d_name) < (int)sizeof(path))
			found = udev_device_new_from_syspath(udev, path);
		break;
	}
	closedir(dir);
	return found;
}

struct driver_attrs *driver_attrs_open(const char *usb_syspath,
				       const char *driver)
{
	struct driver_attrs *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->udev = udev_new();
	if (a->udev)
		a->intf = bound_interface(a->udev, usb_syspath, driver);
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
