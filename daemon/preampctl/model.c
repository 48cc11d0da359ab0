// SPDX-License-Identifier: MIT
/* Life cycle and lookups of the client's copy of the daemon's objects. */
#include <stdlib.h>
#include <string.h>

#include "model.h"

static const char *const cap_words[PCTL_CAP_COUNT] = {
	"gain", "phantom", "pad", "phase", "highpass", "air", "level",
	"meter", "autogain",
};

const char *pctl_cap_word(unsigned cap)
{
	for (unsigned i = 0; i < PCTL_CAP_COUNT; i++)
		if (cap == 1u << i)
			return cap_words[i];
	return NULL;
}

unsigned pctl_cap_from_word(const char *word)
{
	if (!word)
		return 0;
	for (unsigned i = 0; i < PCTL_CAP_COUNT; i++)
		if (strcmp(word, cap_words[i]) == 0)
			return 1u << i;
	return 0;
}

void pctl_input_clear(struct pctl_input *in)
{
	free(in->path);
	free(in->label);
	free(in->level);
	free(in->autogain_state);
	free(in->phantom_group);
	memset(in, 0, sizeof(*in));
}

void pctl_device_clear(struct pctl_device *d)
{
	free(d->path);
	free(d->key);
	free(d->name);
	free(d->usb_id);
	free(d->serial);
	free(d->card_id);
	free(d->driver);
	free(d->phantom_policy);
	for (size_t i = 0; i < d->n_presets; i++)
		free(d->presets[i]);
	free(d->presets);
	for (size_t i = 0; i < d->n_inputs; i++)
		pctl_input_clear(&d->inputs[i]);
	free(d->inputs);
	memset(d, 0, sizeof(*d));
}

void pctl_state_clear(struct pctl_state *s)
{
	free(s->version);
	for (size_t i = 0; i < s->n_devices; i++)
		pctl_device_clear(&s->devices[i]);
	free(s->devices);
	memset(s, 0, sizeof(*s));
}

struct pctl_device *pctl_state_device_by_path(const struct pctl_state *s,
					      const char *path)
{
	for (size_t i = 0; path && i < s->n_devices; i++)
		if (s->devices[i].path && strcmp(s->devices[i].path, path) == 0)
			return &s->devices[i];
	return NULL;
}

struct pctl_input *pctl_device_input_by_path(const struct pctl_device *d,
					     const char *path)
{
	for (size_t i = 0; path && i < d->n_inputs; i++)
		if (d->inputs[i].path && strcmp(d->inputs[i].path, path) == 0)
			return &d->inputs[i];
	return NULL;
}

struct pctl_input *pctl_device_input_by_number(const struct pctl_device *d,
					       uint32_t number)
{
	for (size_t i = 0; i < d->n_inputs; i++)
		if (d->inputs[i].number == number)
			return &d->inputs[i];
	return NULL;
}
