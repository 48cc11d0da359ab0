// SPDX-License-Identifier: MIT
/*
 * pa-dbus-introspect: serves preampd's own Device and Input vtables
 * (daemon/preampd/device.c, input.c), linked from the daemon's objects,
 * on the bus DBUS_SYSTEM_BUS_ADDRESS names, at
 * /org/preampd/Preamp1/devices/d and .../devices/d/inputs/1, so that their
 * introspection can be compared with the XML in daemon/interfaces without an
 * interface plugged in. Introspection reads only the vtables: no method
 * or property getter runs (the user data is NULL). It exits when the bus
 * goes away or on SIGTERM.
 *
 * usage: pa-dbus-introspect NAME   (the name to own on that bus)
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "preampd.h"

int main(int argc, char **argv)
{
	sd_event *ev = NULL;
	sd_bus *bus = NULL;
	sigset_t mask;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: %s BUS-NAME\n", argv[0]);
		return 2;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	r = sd_event_default(&ev);
	if (r >= 0)
		r = sd_event_add_signal(ev, NULL, SIGTERM, NULL, NULL);
	if (r >= 0)
		r = sd_event_add_signal(ev, NULL, SIGINT, NULL, NULL);
	if (r >= 0)
		r = sd_bus_open_system(&bus);
	if (r >= 0)
		r = sd_bus_attach_event(bus, ev, 0);
	if (r >= 0)
		r = sd_bus_set_exit_on_disconnect(bus, true);
	if (r >= 0)
		r = sd_bus_add_object_vtable(bus, NULL, PA_DEVICES_PATH "/d", PA_DEVICE_IFACE,
					     device_vtable, NULL);
	if (r >= 0)
		r = sd_bus_add_object_vtable(bus, NULL, PA_DEVICES_PATH "/d/inputs/1",
					     PA_INPUT_IFACE, input_vtable, NULL);
	if (r >= 0)
		r = sd_bus_request_name(bus, argv[1], 0);
	if (r < 0) {
		fprintf(stderr, "pa-dbus-introspect: %s\n", strerror(-r));
		return 1;
	}
	r = sd_event_loop(ev);
	sd_bus_flush_close_unref(bus);
	sd_event_unref(ev);
	return r < 0 ? 1 : 0;
}
