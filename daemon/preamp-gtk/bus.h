/* SPDX-License-Identifier: MIT */
/*
 * preamp-gtk's side of D-Bus: a GDBusObjectManagerClient on preampd's
 * ObjectManager (so that devices and inputs come and go, and properties
 * change, live, on the GLib main loop), typed property readers that ignore
 * a property of the wrong type, and asynchronous method calls that allow
 * polkit's interactive authorization and end in a message a person can act
 * on. Nothing here blocks: the window never freezes on the bus.
 */
#pragma once

#include <gio/gio.h>

#include "model.h"

#define PG_BUS_NAME		"org.preampd.Preamp1"
#define PG_ROOT_PATH		"/org/preampd/Preamp1"
#define PG_IFACE_MANAGER	"org.preampd.Preamp1.Manager"
#define PG_IFACE_DEVICE		"org.preampd.Preamp1.Device"
#define PG_IFACE_INPUT		"org.preampd.Preamp1.Input"

/* what the most we take from the daemon is */
#define PG_MAX_DEVICES		64
#define PG_MAX_INPUTS		64

typedef struct pg_bus pg_bus;

typedef struct {
	/* preampd appeared on or left the bus (also once after connecting) */
	void (*daemon)(gboolean running, gpointer ud);
	/* a device or input object came or went, or Manager.Devices changed */
	void (*objects)(gpointer ud);
	/* properties of path's interface iface changed */
	void (*properties)(const char *path, const char *iface, gpointer ud);
	/* a signal of the Input interface (AutoGainFinished, Clipped) */
	void (*signal)(const char *path, const char *member, GVariant *params, gpointer ud);
	/* the system bus itself cannot be reached */
	void (*unreachable)(const char *message, gpointer ud);
} pg_bus_events;

/* Connects asynchronously; events arrive on the main loop. */
pg_bus *pg_bus_new(const pg_bus_events *ev, gpointer ud);
void pg_bus_free(pg_bus *b);
gboolean pg_bus_running(pg_bus *b);
/* The Manager is known (its Devices give the plug-in order). */
gboolean pg_bus_ready(pg_bus *b);

/* The proxy of path's interface, or NULL (borrowed: valid until the next
 * return to the main loop). */
GDBusProxy *pg_bus_proxy(pg_bus *b, const char *path, const char *iface);
/* Device object paths in Manager.Devices order (plug-in order), then any
 * device object the list lacks; free with g_strfreev. */
char **pg_bus_device_paths(pg_bus *b);

/* Typed properties: a missing property, or one of another type, gives the
 * default. Strings are newly allocated (never NULL). */
char *pg_prop_str(GDBusProxy *p, const char *name);
gboolean pg_prop_bool(GDBusProxy *p, const char *name);
double pg_prop_double(GDBusProxy *p, const char *name, double def);
guint32 pg_prop_u32(GDBusProxy *p, const char *name, guint32 def);
gint32 pg_prop_i32(GDBusProxy *p, const char *name, gint32 def);
/* "as" or "ao", at most max entries; never NULL */
char **pg_prop_strv(GDBusProxy *p, const char *name, gsize max);

/*
 * reply: the reply's body, or NULL on failure, with message (what failed
 * and what to do) and the kind of failure. owner is weakly held: when it
 * is gone by the time the reply comes, the callback is not called.
 */
typedef void (*pg_reply_fn)(GObject *owner, GVariant *reply, const char *message,
			    enum pg_err_kind kind, gpointer ud);

/*
 * Calls method on path. what says what is being done, for the message
 * ("Setting the gain of Mic 1"). change: may prompt through polkit (long
 * timeout, interactive authorization allowed). params is consumed if
 * floating.
 */
void pg_bus_call(pg_bus *b, const char *path, const char *iface, const char *method,
		 GVariant *params, const char *reply_type, gboolean change,
		 const char *what, GObject *owner, pg_reply_fn fn, gpointer ud);
