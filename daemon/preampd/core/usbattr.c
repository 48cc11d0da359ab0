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

int pa_usbattr_name_for(const char *pattern, unsigned n, char *out,
			size_t outsz)
{
	const char *at = strstr(pattern, "{n}");
	int len;

	if (!at || strstr(at + 3, "{n}"))
		return -EINVAL;
	len = snprintf(out, outsz, "%.*s%u%s", (int)(at - pattern), pattern, n,
		       at + 3);
	if (len < 0 || (size_t)len >= outsz || !pa_usbattr_name_valid(out))
		return -EINVAL;
	return 0;
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

static int read_attr(int dirfd, const char *intf, const char *attr,
		     char *out, size_t outsz)
{
	char path[512];
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", intf, attr) >= (int)sizeof(path))
		return -ENOENT;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -ENOENT;
	n = read(fd, out, outsz - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return (int)n;
	out[n] = '\0';
	if (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	return (int)n;
}

int pa_usbattr_read(const char *usb_syspath, const char *driver,
		    const char *attr, char *out, size_t outsz)
{
	struct dirent *e;
	int r = -ENOENT;
	DIR *dir;

	if (!pa_usbattr_name_valid(attr) || outsz < 2)
		return -EINVAL;
	out[0] = '\0';
	dir = opendir(usb_syspath);
	if (!dir)
		return -ENOENT;
	while ((e = readdir(dir))) {
		/* interfaces are the entries "<device>:<config>.<number>" */
		if (!strchr(e->d_name, ':') ||
		    !bound_to(dirfd(dir), e->d_name, driver))
			continue;
		r = read_attr(dirfd(dir), e->d_name, attr, out, outsz);
		if (r != -ENOENT)
			break;
	}
	closedir(dir);
	return r;
}

int pa_usbattr_bool(const char *usb_syspath, const char *driver,
		    const char *attr, bool *on)
{
	char v[4];
	int r = pa_usbattr_read(usb_syspath, driver, attr, v, sizeof(v));

	if (r < 0)
		return r;
	if (!strcmp(v, "0"))
		*on = false;
	else if (!strcmp(v, "1"))
		*on = true;
	else
		return -EINVAL;
	return 0;
}
