// SPDX-License-Identifier: MIT
#include "usbattr.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

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

int pa_usbattr_parse_bool(const char *v, bool *on)
{
	if (!strcmp(v, "0"))
		*on = false;
	else if (!strcmp(v, "1"))
		*on = true;
	else
		return -EINVAL;
	return 0;
}
