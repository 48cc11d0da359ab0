// SPDX-License-Identifier: MIT
/*
 * The daemon's context: made and freed here, with the registry of exported
 * devices that every layer looks devices and inputs up in. Its D-Bus face,
 * the Manager object, is bus/manager.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "preampd-paths.h"
#include "preampd.h"
#include "saver.h"
#include "util.h"

/* ---- the registry ---- */

struct device *manager_device_by_key(struct manager *m, const char *key)
{
	for (size_t i = 0; i < m->n_cards; i++) {
		struct device *d = card_device(m->cards[i]);

		if (d && !strcmp(device_key(d), key))
			return d;
	}
	return NULL;
}

struct device *manager_device_by_path(struct manager *m, const char *path)
{
	for (size_t i = 0; i < m->n_devices; i++)
		if (!strcmp(device_path(m->devices[i]), path))
			return m->devices[i];
	return NULL;
}

struct input *manager_input_by_path(struct manager *m, const char *path)
{
	for (size_t i = 0; i < m->n_devices; i++) {
		const char *dp = device_path(m->devices[i]);
		size_t n = strlen(dp);
		unsigned long num;

		if (strncmp(path, dp, n) || strncmp(path + n, "/inputs/", 8))
			continue;
		if (pa_parse_uint(path + n + 8, 1, PA_MAX_INPUTS, &num) < 0)
			return NULL;
		return device_input(m->devices[i], (unsigned)num);
	}
	return NULL;
}

void manager_add_device(struct manager *m, struct device *d)
{
	struct device **nd;

	nd = realloc(m->devices, (m->n_devices + 1) * sizeof(*nd));
	if (!nd) {
		log_error("%s: out of memory", device_key(d));
		return;
	}
	m->devices = nd;
	m->devices[m->n_devices++] = d;
	if (m->bus)
		manager_object_device_added(m, d);
}

void manager_remove_device(struct manager *m, struct device *d)
{
	size_t i;

	for (i = 0; i < m->n_devices && m->devices[i] != d; i++)
		;
	if (i == m->n_devices)
		return;
	if (m->bus && !m->exiting)
		manager_object_device_removing(m, d);
	memmove(&m->devices[i], &m->devices[i + 1],
		(m->n_devices - i - 1) * sizeof(*m->devices));
	m->n_devices--;
	if (m->bus && !m->exiting) {
		manager_object_devices_changed(m);
		log_info("%s: gone", device_key(d));
	}
}

void manager_flush(struct manager *m)
{
	for (size_t i = 0; i < m->n_devices; i++)
		device_flush(m->devices[i]);
}

int manager_new(struct manager **out, const struct pa_config *cfg)
{
	struct manager *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->cfg = *cfg;
	m->state_dirfd = -1;
	m->runtime_dirfd = -1;
	*out = m;
	return 0;
}

void manager_free(struct manager *m)
{
	if (!m)
		return;
	m->exiting = true;
	/* devices go with their cards; no InterfacesRemoved at shutdown */
	hotplug_free(m->hotplug);
	for (size_t i = 0; i < m->n_cards; i++)
		card_free(m->cards[i]);
	free(m->cards);
	free(m->devices);
	write_wait_cancel_all(m);
	/* after the devices' last saves, before their directory closes */
	saver_free(m->saver);
	m->saver = NULL;
	auth_free(m->auth);
	m->auth = NULL;
	for (size_t i = 0; i < m->n_profiles; i++)
		pa_profile_clear(&m->profiles[i]);
	free(m->profiles);
	if (m->state_dirfd >= 0)
		close(m->state_dirfd);
	if (m->runtime_dirfd >= 0)
		close(m->runtime_dirfd);
	sd_bus_flush_close_unref(m->bus);
	sd_event_unref(m->event);
	free(m);
}
