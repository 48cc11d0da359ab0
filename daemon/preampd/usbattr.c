// SPDX-License-Identifier: MIT
#include "usbattr.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool pa_usbattr_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 31)
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* The driver an interface directory is bound to, by its "driver" link. */
static bool bound_to(int dirfd, const char *intf, const char *driver)
{
	char link[512], target[512];
	const char *base;
	ssize_t n;

	if (snprintf(link, sizeof(link), "%s/driver", intf) >= (int)sizeof(link))
		return false;
	n = readlinkat(dirfd, link, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	base = strrchr(target, '/');
	return !strcmp(base ? base + 1 : target, driver);
}

static int read_bool(int dirfd, const char *intf, const char *attr, bool *on)
{
	char path[512], buf[8];
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", intf, attr) >= (int)sizeof(path))
		return -ENOENT;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -ENOENT;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (!strcmp(buf, "0\n") || !strcmp(buf, "0"))
		*on = false;
	else if (!strcmp(buf, "1\n") || !strcmp(buf, "1"))
		*on = true;
	else
		return -EINVAL;
	return 0;
}

int pa_usbattr_bool(const char *usb_syspath, const char *driver,
		    const char *attr, bool *on)
{
	struct dirent *e;
	int r = -ENOENT;
	DIR *dir;

	if (!pa_usbattr_name_valid(attr))
		return -EINVAL;
	dir = opendir(usb_syspath);
	if (!dir)
		return -ENOENT;
	while ((e = readdir(dir))) {
		/* interfaces are the entries "<device>:<config>.<number>" */
		if (!strchr(e->d_name, ':') ||
		    !bound_to(dirfd(dir), e->d_name, driver))
			continue;
		r = read_bool(dirfd(dir), e->d_name, attr, on);
		if (r != -ENOENT)
			break;
	}
	closedir(dir);
	return r;
}
