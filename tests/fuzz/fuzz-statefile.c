// SPDX-License-Identifier: MIT
/*
 * State files (/var/lib/preampd/KEY.state): any bytes parse or are
 * refused with a reason; what parses formats and parses back the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "statefile.h"

static void same(const struct pa_state *a, const struct pa_state *b)
{
	if (strcmp(a->name, b->name) || a->has_policy != b->has_policy ||
	    (a->has_policy && a->policy != b->policy) ||
	    a->n_presets != b->n_presets)
		abort();
	for (size_t i = 0; i < a->n_presets; i++)
		if (strcmp(a->presets[i].name, b->presets[i].name))
			abort();
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++)
		if (a->cur.in[i].fields != b->cur.in[i].fields)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pa_state st, again;
	char *out = NULL;
	size_t out_len = 0;
	char err[256];
	char *text;

	if (size > PA_STATE_FILE_MAX)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (pa_state_parse(text, size, &st, err, sizeof(err)) == 0) {
		if (pa_state_format(&st, "fuzz-key", &out, &out_len) < 0)
			abort();
		if (pa_state_parse(out, out_len, &again, err, sizeof(err)) < 0)
			abort();	/* what we write, we read */
		same(&st, &again);
		pa_state_free(&again);
		pa_state_free(&st);
	} else if (!err[0]) {
		abort();	/* a refusal says why */
	}
	free(out);
	free(text);
	return 0;
}
