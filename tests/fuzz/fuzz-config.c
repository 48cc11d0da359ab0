// SPDX-License-Identifier: MIT
/* preampd.conf: any bytes apply or are refused with a reason, and leave a
 * configuration within its limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pa_config c;
	char err[256] = "";
	char *text;

	if (size > 64 * 1024)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	pa_config_defaults(&c, "/p", "/s", "/r");
	if (pa_config_parse(text, size, &c, err, sizeof(err)) < 0 && !err[0])
		abort();
	if (c.debounce_ms > PA_DEBOUNCE_MAX_MS ||
	    !memchr(c.fallback_group, '\0', sizeof(c.fallback_group)) ||
	    !memchr(c.state_dir, '\0', sizeof(c.state_dir)) ||
	    !memchr(c.runtime_dir, '\0', sizeof(c.runtime_dir)) ||
	    !memchr(c.profile_dir, '\0', sizeof(c.profile_dir)))
		abort();
	free(text);
	return 0;
}
