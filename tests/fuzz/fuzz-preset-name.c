// SPDX-License-Identifier: MIT
/*
 * Preset names from D-Bus callers: the rules of the spec (1..64 bytes of
 * UTF-8, no '/', no control characters), and a valid name survives the
 * state file (escaping) byte for byte.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "preset-name.h"
#include "statefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[PA_PRESET_NAME_MAX + 2];
	struct pa_state st, back;
	struct pa_settings s;
	char *out = NULL;
	size_t out_len = 0;
	char err[256];
	bool valid;

	if (size > PA_PRESET_NAME_MAX + 1)
		return 0;
	memcpy(name, data, size);
	name[size] = '\0';
	valid = preamp_preset_name_valid(name, size);
	if (valid != (size >= 1 && size <= PA_PRESET_NAME_MAX &&
		      !memchr(name, '/', size) && pa_utf8_valid(name, size) &&
		      !pa_has_control(name, size)))
		abort();
	/* D-Bus strings hold no NUL: the daemon's calls take C strings */
	valid = preamp_preset_name_valid(name, strlen(name));
	pa_state_init(&st);
	memset(&s, 0, sizeof(s));
	s.in[0].fields = PA_F_GAIN;
	s.in[0].gain_db = 3.5;
	if (pa_state_preset_put(&st, name, &s) != (valid ? 0 : -EINVAL))
		abort();
	if (valid) {
		if (pa_state_format(&st, "k", &out, &out_len) < 0 ||
		    pa_state_parse(out, out_len, &back, err, sizeof(err)) < 0 ||
		    back.n_presets != 1 || strcmp(back.presets[0].name, name))
			abort();
		pa_state_free(&back);
	}
	free(out);
	pa_state_free(&st);
	return 0;
}
