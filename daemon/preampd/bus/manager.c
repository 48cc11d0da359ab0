// SPDX-License-Identifier: MIT
/*
 * The Manager object and the ObjectManager at /org/preampd/Preamp1, and the
 * object tree below it (device and input objects are found by path, so a
 * call on an unplugged device's path gets UnknownObject from sd-bus); the
 * D-Bus errors of a failed request.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autogain.h"
#include "preampd-paths.h"
#include "preampd.h"

int pa_bus_error_from_errno(sd_bus_error *err, int r, const char *what)
{
	if (!err)
		return r;
	switch (-r) {
	case ENODEV:
	case ENXIO:
	case EBADFD:
	case ESHUTDOWN:
		return sd_bus_error_setf(err, PA_ERR_DEVICE_GONE,
					 "The device was unplugged while %s.",
					 what);
	case EPERM:
		return sd_bus_error_setf(err, PA_ERR_IO,
					 "The driver refused %s: the control is locked or inactive.",
					 what);
	case EOPNOTSUPP:
		return sd_bus_error_setf(err, PA_ERR_NOT_SUPPORTED,
					 "This input cannot do that (%s).", what);
	default:
		return sd_bus_error_setf(err, PA_ERR_IO,
					 "The driver or device refused %s: %s.",
					 what, strerror(-r));
	}
}

int pa_bus_error_from_refusal(sd_bus_error *err, const struct autogain_refusal *why)
{
	if (!why->error)
		return pa_bus_error_from_errno(err, why->err, why->message);
	return sd_bus_error_set(err, why->error, why->message);
}

/* ---- the Manager object ---- */

void manager_object_devices_changed(struct manager *m)
{
	sd_bus_emit_properties_changed(m->bus, PA_ROOT_PATH, PA_MANAGER_IFACE,
				       "Devices", NULL);
}

void manager_object_device_added(struct manager *m, struct device *d)
{
	const struct pa_match *match = device_match(d);

	sd_bus_emit_object_added(m->bus, device_path(d));
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++)
		if (match->present & (1u << i))
			sd_bus_emit_object_added(m->bus,
						 input_path(device_input(d, i + 1)));
	manager_object_devices_changed(m);
}

/* while d is still in the registry: sd-bus finds its interfaces there */
void manager_object_device_removing(struct manager *m, struct device *d)
{
	const struct pa_match *match = device_match(d);

	for (unsigned k = 0; k < PA_MAX_INPUTS; k++)
		if (match->present & (1u << k))
			sd_bus_emit_object_removed(m->bus,
						   input_path(device_input(d, k + 1)));
	sd_bus_emit_object_removed(m->bus, device_path(d));
}


static int prop_version(sd_bus *bus, const char *path, const char *iface,
			const char *property, sd_bus_message *reply,
			void *userdata, sd_bus_error *err)
{
	(void)bus; (void)path; (void)iface; (void)property; (void)userdata;
	(void)err;
	return sd_bus_message_append(reply, "s", PREAMPD_VERSION);
}

static int prop_devices(sd_bus *bus, const char *path, const char *iface,
			const char *property, sd_bus_message *reply,
			void *userdata, sd_bus_error *err)
{
	struct manager *m = userdata;
	int r;

	(void)bus; (void)path; (void)iface; (void)property; (void)err;
	r = sd_bus_message_open_container(reply, 'a', "o");
	for (size_t i = 0; i < m->n_devices && r >= 0; i++)
		r = sd_bus_message_append(reply, "o", device_path(m->devices[i]));
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int method_get_device_by_card(sd_bus_message *call, void *userdata,
				     sd_bus_error *err)
{
	struct manager *m = userdata;
	int32_t card;
	int r;

	r = sd_bus_message_read(call, "i", &card);
	if (r < 0)
		return r;
	for (size_t i = 0; i < m->n_devices; i++)
		if (device_card_index(m->devices[i]) == card)
			return sd_bus_reply_method_return(call, "o",
							  device_path(m->devices[i]));
	return sd_bus_error_setf(err, PA_ERR_NO_SUCH_DEVICE,
				 "Sound card %d is not a preamp that preampd knows.",
				 card);
}

static const sd_bus_vtable manager_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Version", "s", prop_version, 0,
			SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Devices", "ao", prop_devices, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_METHOD_WITH_NAMES("GetDeviceByCard", "i", SD_BUS_PARAM(card),
				 "o", SD_BUS_PARAM(device),
				 method_get_device_by_card,
				 SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END
};

/* every device and input path, for ObjectManager and introspection */
static int enumerate(sd_bus *bus, const char *prefix, void *userdata,
		     char ***nodes, sd_bus_error *err)
{
	struct manager *m = userdata;
	size_t n = 0, cap = 1;
	char **v;

	(void)bus; (void)prefix; (void)err;
	for (size_t i = 0; i < m->n_devices; i++)
		cap += 1 + (size_t)__builtin_popcount(device_match(m->devices[i])->present);
	v = calloc(cap, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < m->n_devices; i++) {
		struct device *d = m->devices[i];

		v[n] = strdup(device_path(d));
		if (!v[n])
			goto oom;
		n++;
		for (unsigned k = 1; k <= PA_MAX_INPUTS; k++) {
			if (!device_input(d, k))
				continue;
			v[n] = strdup(input_path(device_input(d, k)));
			if (!v[n])
				goto oom;
			n++;
		}
	}
	*nodes = v;
	return 0;
oom:
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return -ENOMEM;
}

int manager_start_bus(struct manager *m)
{
	int r;

	r = sd_bus_add_object_manager(m->bus, NULL, PA_ROOT_PATH);
	if (r >= 0)
		r = sd_bus_add_object_vtable(m->bus, NULL, PA_ROOT_PATH,
					     PA_MANAGER_IFACE, manager_vtable, m);
	if (r >= 0)
		r = sd_bus_add_fallback_vtable(m->bus, NULL, PA_DEVICES_PATH,
					       PA_DEVICE_IFACE, device_vtable,
					       device_find, m);
	if (r >= 0)
		r = sd_bus_add_fallback_vtable(m->bus, NULL, PA_DEVICES_PATH,
					       PA_INPUT_IFACE, input_vtable,
					       input_find, m);
	if (r >= 0)
		r = sd_bus_add_node_enumerator(m->bus, NULL, PA_DEVICES_PATH,
					       enumerate, m);
	return r;
}
