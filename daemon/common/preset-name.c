// SPDX-License-Identifier: MIT
/* Preset names. */
#include "preset-name.h"
#include "utf8.h"

bool preamp_preset_name_valid(const char *name, size_t len)
{
	size_t i = 0;

	if (!name || len < 1 || len > PREAMP_PRESET_NAME_MAX)
		return false;
	while (i < len) {
		uint32_t cp;

		i += preamp_utf8_next(name + i, len - i, &cp);
		/* C0 (NUL included), DEL, C1 */
		if (cp == PREAMP_UTF8_INVALID || cp == '/' || cp < 0x20 ||
		    (cp >= 0x7f && cp < 0xa0))
			return false;
	}
	return true;
}
