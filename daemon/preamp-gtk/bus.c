// SPDX-License-Identifier: MIT
/* The ObjectManager client and asynchronous calls. */
#include <string.h>

#include "bus.h"

#define READ_TIMEOUT_MS		10000
/* polkit may ask a person for a password: give them time */
#define CHANGE_TIMEOUT_MS	300000

struct pg_bus {
	pg_bus_events ev;
	gpointer ud;
	GCancellable *cancel;
	GDBusObjectManager *om;
	GDBusProxy *manager;	/* the root's own interface: not in the ObjectManager */
	gboolean running;
};

static void on_owner(GObject *om, GParamSpec *pspec, gpointer ud)
{
	pg_bus *b = ud;
	g_autofree char *owner = g_dbus_object_manager_client_get_name_owner(
		G_DBUS_OBJECT_MANAGER_CLIENT(om));

	(void)pspec;
	b->running = owner != NULL;
	b->ev.daemon(b->running, b->ud);
}

static void on_object(GDBusObjectManager *om, GDBusObject *obj, gpointer ud)
{
	pg_bus *b = ud;

	(void)om;
	(void)obj;
	b->ev.objects(b->ud);
}

static void on_interface(GDBusObjectManager *om, GDBusObject *obj,
			 GDBusInterface *iface, gpointer ud)
{
	on_object(om, obj, ud);
	(void)iface;
}

static void on_props(GDBusObjectManagerClient *om, GDBusObjectProxy *obj,
		     GDBusProxy *proxy, GVariant *changed, GStrv invalidated, gpointer ud)
{
	pg_bus *b = ud;
	const char *iface = g_dbus_proxy_get_interface_name(proxy);
	const char *path = g_dbus_object_get_object_path(G_DBUS_OBJECT(obj));

	(void)om;
	(void)changed;
	(void)invalidated;
	if (g_strcmp0(iface, PG_IFACE_MANAGER) == 0)
		b->ev.objects(b->ud);
	else
		b->ev.properties(path, iface, b->ud);
}

static void on_signal(GDBusObjectManagerClient *om, GDBusObjectProxy *obj,
		      GDBusProxy *proxy, const char *sender, const char *member,
		      GVariant *params, gpointer ud)
{
	pg_bus *b = ud;

	(void)om;
	(void)sender;
	if (g_strcmp0(g_dbus_proxy_get_interface_name(proxy), PG_IFACE_INPUT) == 0)
		b->ev.signal(g_dbus_object_get_object_path(G_DBUS_OBJECT(obj)), member,
			     params, b->ud);
}

static void on_manager_props(GDBusProxy *p, GVariant *changed, GStrv invalidated, gpointer ud)
{
	pg_bus *b = ud;

	(void)p;
	(void)changed;
	(void)invalidated;
	b->ev.objects(b->ud);
}

static void on_manager_proxy(GObject *src, GAsyncResult *res, gpointer ud)
{
	g_autoptr(GError) error = NULL;
	GDBusProxy *p = g_dbus_proxy_new_finish(res, &error);
	pg_bus *b;

	(void)src;
	if (!p)
		return;		/* cancelled, or no bus: the ObjectManager says so */
	b = ud;
	b->manager = p;
	g_signal_connect(p, "g-properties-changed", G_CALLBACK(on_manager_props), b);
	b->ev.objects(b->ud);
}

static void on_manager(GObject *src, GAsyncResult *res, gpointer ud)
{
	g_autoptr(GError) error = NULL;
	GDBusObjectManager *om;
	pg_bus *b;

	(void)src;
	om = g_dbus_object_manager_client_new_for_bus_finish(res, &error);
	if (!om) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			return;
		b = ud;
		b->ev.unreachable(error->message, b->ud);
		return;
	}
	b = ud;
	b->om = om;
	g_signal_connect(om, "notify::name-owner", G_CALLBACK(on_owner), b);
	g_signal_connect(om, "object-added", G_CALLBACK(on_object), b);
	g_signal_connect(om, "object-removed", G_CALLBACK(on_object), b);
	g_signal_connect(om, "interface-added", G_CALLBACK(on_interface), b);
	g_signal_connect(om, "interface-removed", G_CALLBACK(on_interface), b);
	g_signal_connect(om, "interface-proxy-properties-changed", G_CALLBACK(on_props), b);
	g_signal_connect(om, "interface-proxy-signal", G_CALLBACK(on_signal), b);
	g_dbus_proxy_new(g_dbus_object_manager_client_get_connection(
				 G_DBUS_OBJECT_MANAGER_CLIENT(om)),
			 G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, NULL, PG_BUS_NAME, PG_ROOT_PATH,
			 PG_IFACE_MANAGER, b->cancel, on_manager_proxy, b);
	on_owner(G_OBJECT(om), NULL, b);
	b->ev.objects(b->ud);
}

pg_bus *pg_bus_new(const pg_bus_events *ev, gpointer ud)
{
	pg_bus *b = g_new0(pg_bus, 1);

	b->ev = *ev;
	b->ud = ud;
	b->cancel = g_cancellable_new();
	g_dbus_object_manager_client_new_for_bus(G_BUS_TYPE_SYSTEM,
		G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE, PG_BUS_NAME, PG_ROOT_PATH,
		NULL, NULL, NULL, b->cancel, on_manager, b);
	return b;
}

void pg_bus_free(pg_bus *b)
{
	if (!b)
		return;
	g_cancellable_cancel(b->cancel);
	g_object_unref(b->cancel);
	if (b->om) {
		g_signal_handlers_disconnect_by_data(b->om, b);
		g_object_unref(b->om);
	}
	if (b->manager) {
		g_signal_handlers_disconnect_by_data(b->manager, b);
		g_object_unref(b->manager);
	}
	g_free(b);
}

gboolean pg_bus_running(pg_bus *b)
{
	return b->running;
}

gboolean pg_bus_ready(pg_bus *b)
{
	return b->manager != NULL;
}

GDBusProxy *pg_bus_proxy(pg_bus *b, const char *path, const char *iface)
{
	GDBusInterface *i;

	if (b->manager && g_strcmp0(path, PG_ROOT_PATH) == 0 &&
	    g_strcmp0(iface, PG_IFACE_MANAGER) == 0)
		return b->manager;
	if (!b->om || !path || !g_variant_is_object_path(path))
		return NULL;
	i = g_dbus_object_manager_get_interface(b->om, path, iface);
	if (!i)
		return NULL;
	/* the manager holds it while the object exists */
	g_object_unref(i);
	return G_DBUS_PROXY(i);
}

char **pg_bus_device_paths(pg_bus *b)
{
	GPtrArray *out = g_ptr_array_new();
	GDBusProxy *mgr = pg_bus_proxy(b, PG_ROOT_PATH, PG_IFACE_MANAGER);
	g_auto(GStrv) listed = mgr ? pg_prop_strv(mgr, "Devices", PG_MAX_DEVICES) : NULL;
	GList *objs = b->om ? g_dbus_object_manager_get_objects(b->om) : NULL;

	for (gsize i = 0; listed && listed[i]; i++)
		if (pg_bus_proxy(b, listed[i], PG_IFACE_DEVICE))
			g_ptr_array_add(out, g_strdup(listed[i]));
	for (GList *l = objs; l && out->len < PG_MAX_DEVICES; l = l->next) {
		const char *path = g_dbus_object_get_object_path(l->data);
		gboolean known = FALSE;

		if (!pg_bus_proxy(b, path, PG_IFACE_DEVICE))
			continue;
		for (guint i = 0; i < out->len && !known; i++)
			known = strcmp(out->pdata[i], path) == 0;
		if (!known)
			g_ptr_array_add(out, g_strdup(path));
	}
	g_list_free_full(objs, g_object_unref);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* ---- properties ---- */

static GVariant *prop(GDBusProxy *p, const char *name, const GVariantType *t)
{
	GVariant *v = p ? g_dbus_proxy_get_cached_property(p, name) : NULL;

	if (v && !g_variant_is_of_type(v, t)) {
		g_variant_unref(v);
		return NULL;
	}
	return v;
}

char *pg_prop_str(GDBusProxy *p, const char *name)
{
	g_autoptr(GVariant) v = prop(p, name, G_VARIANT_TYPE_STRING);

	return g_strdup(v ? g_variant_get_string(v, NULL) : "");
}

gboolean pg_prop_bool(GDBusProxy *p, const char *name)
{
	g_autoptr(GVariant) v = prop(p, name, G_VARIANT_TYPE_BOOLEAN);

	return v ? g_variant_get_boolean(v) : FALSE;
}

double pg_prop_double(GDBusProxy *p, const char *name, double def)
{
	g_autoptr(GVariant) v = prop(p, name, G_VARIANT_TYPE_DOUBLE);

	return v ? g_variant_get_double(v) : def;
}

guint32 pg_prop_u32(GDBusProxy *p, const char *name, guint32 def)
{
	g_autoptr(GVariant) v = prop(p, name, G_VARIANT_TYPE_UINT32);

	return v ? g_variant_get_uint32(v) : def;
}

gint32 pg_prop_i32(GDBusProxy *p, const char *name, gint32 def)
{
	g_autoptr(GVariant) v = prop(p, name, G_VARIANT_TYPE_INT32);

	return v ? g_variant_get_int32(v) : def;
}

char **pg_prop_strv(GDBusProxy *p, const char *name, gsize max)
{
	g_autoptr(GVariant) v = prop(p, name, G_VARIANT_TYPE_STRING_ARRAY);
	GPtrArray *out = g_ptr_array_new();

	if (!v)
		v = prop(p, name, G_VARIANT_TYPE_OBJECT_PATH_ARRAY);
	for (gsize i = 0; v && i < g_variant_n_children(v) && i < max; i++) {
		g_autoptr(GVariant) c = g_variant_get_child_value(v, i);

		g_ptr_array_add(out, g_strdup(g_variant_get_string(c, NULL)));
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* ---- calls ---- */

struct call {
	GWeakRef owner;
	pg_reply_fn fn;
	gpointer ud;
	char *what;
};

static void on_reply(GObject *src, GAsyncResult *res, gpointer data)
{
	struct call *c = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(src), res,
								 &error);
	g_autoptr(GObject) owner = g_weak_ref_get(&c->owner);

	if (owner && reply) {
		c->fn(owner, reply, NULL, PG_ERR_OTHER, c->ud);
	} else if (owner) {
		g_autofree char *name = g_dbus_error_get_remote_error(error);
		char msg[1024];
		enum pg_err_kind kind;

		if (!name && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
			name = g_strdup("org.freedesktop.DBus.Error.NoReply");
		if (!name && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CLOSED))
			name = g_strdup("org.freedesktop.DBus.Error.Disconnected");
		g_dbus_error_strip_remote_error(error);
		kind = pg_error_text(msg, sizeof(msg), c->what, name, error->message);
		c->fn(owner, NULL, msg, kind, c->ud);
	}
	g_weak_ref_clear(&c->owner);
	g_free(c->what);
	g_free(c);
}

void pg_bus_call(pg_bus *b, const char *path, const char *iface, const char *method,
		 GVariant *params, const char *reply_type, gboolean change,
		 const char *what, GObject *owner, pg_reply_fn fn, gpointer ud)
{
	struct call *c = g_new0(struct call, 1);
	GDBusConnection *conn = b->om ?
		g_dbus_object_manager_client_get_connection(G_DBUS_OBJECT_MANAGER_CLIENT(b->om)) :
		NULL;

	g_weak_ref_init(&c->owner, owner);
	c->fn = fn;
	c->ud = ud;
	c->what = g_strdup(what);
	if (!conn) {
		char msg[1024];
		enum pg_err_kind kind = pg_error_text(msg, sizeof(msg), what,
			"org.freedesktop.DBus.Error.NoServer", NULL);

		if (params)
			g_variant_unref(g_variant_ref_sink(params));
		fn(owner, NULL, msg, kind, ud);
		g_weak_ref_clear(&c->owner);
		g_free(c->what);
		g_free(c);
		return;
	}
	g_dbus_connection_call(conn, PG_BUS_NAME, path, iface, method, params,
			       reply_type ? G_VARIANT_TYPE(reply_type) : NULL,
			       change ? G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION :
					G_DBUS_CALL_FLAGS_NONE,
			       change ? CHANGE_TIMEOUT_MS : READ_TIMEOUT_MS, NULL, on_reply, c);
}
