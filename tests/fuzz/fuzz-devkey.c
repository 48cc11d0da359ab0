// SPDX-License-Identifier: MIT
/*
 * Device keys from USB strings: whatever bytes a device sends as its
 * serial (and udev as its path), the key is a safe, bounded file name; two
 * different serials never share one.
 *
 * Input: 2 bytes vid, 2 bytes pid, 1 byte split, then the bytes: the
 * serial is the first part (up to the split), the ID_PATH the rest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "devkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char key[PA_KEY_MAX + 1], other[PA_KEY_MAX + 1], twin[PA_KEY_MAX + 1];
	char serial[512], path[512], out[512];
	size_t n_serial, n_path;
	uint16_t vid, pid;

	if (size < 5 || size > 5 + 1000)
		return 0;
	vid = (uint16_t)(data[0] | data[1] << 8);
	pid = (uint16_t)(data[2] | data[3] << 8);
	n_serial = data[4] % 512;
	data += 5;
	size -= 5;
	if (n_serial > size)
		n_serial = size;
	memcpy(serial, data, n_serial);
	n_path = size - n_serial < sizeof(path) - 1 ? size - n_serial :
						      sizeof(path) - 1;
	memcpy(path, data + n_serial, n_path);
	path[n_path] = '\0';

	if (pa_devkey_make(vid, pid, serial, n_serial, path, key) == 0) {
		if (!pa_devkey_valid(key) || strlen(key) > PA_KEY_MAX)
			abort();
		if (pa_devkey_disambiguate(key, path, twin) == 0 &&
		    (!pa_devkey_valid(twin) || !strcmp(twin, key)))
			abort();
		/* one byte more or less of serial: another key */
		if (n_serial > 1 && pa_devkey_make(vid, pid, serial,
						   n_serial - 1, path,
						   other) == 0 &&
		    !strcmp(key, other))
			abort();
	} else if (n_serial || path[0]) {
		abort();	/* a serial always makes a key */
	}
	if (pa_usb_path_of_card(path, out, sizeof(out)) == 0 &&
	    strlen(out) > strlen(path))
		abort();
	return 0;
}
