// SPDX-License-Identifier: MIT
/* A device's page, and the meters' polling. */
#include <adwaita.h>
#include <string.h>

#include "device-page.h"
#include "policy.h"
#include "presets.h"
#include "snapshot.h"
#include "strip.h"

#define LEVELS_INTERVAL_MS 33
/* presets and the 48 V policy, beside the strips */
#define SIDE_WIDTH 340

struct pg_page {
	pg_ctx *ctx;
	char *path, *key, *title;
	GtkWidget *box, *title_label, *subtitle, *strips, *rename, *levels_note;
	GHashTable *by_path;		/* input path -> pg_strip (owned by its widget) */
	char **order;			/* input paths, GetLevels order */
	pg_presets *presets;
	pg_policy *policy;
	guint timer;
	gboolean in_flight, no_levels;
};

static void page_free(gpointer data)
{
	pg_page *p = data;

	if (p->timer)
		g_source_remove(p->timer);
	g_hash_table_unref(p->by_path);
	g_strfreev(p->order);
	g_free(p->path);
	g_free(p->key);
	g_free(p->title);
	g_free(p);
}

/* ---- levels ---- */

static void on_levels(GObject *owner, GVariant *reply, const char *message,
		      enum pg_err_kind kind, gpointer ud)
{
	pg_page *p = g_object_get_data(owner, "pg-page");
	double now = g_get_monotonic_time() / 1e6;
	g_autoptr(GVariant) list = NULL;

	(void)ud;
	p->in_flight = FALSE;
	if (!reply) {
		if (kind == PG_ERR_UNSUPPORTED || kind == PG_ERR_DENIED) {
			/* no meters here, or not for us: say so once, stop asking */
			p->no_levels = TRUE;
			gtk_label_set_text(GTK_LABEL(p->levels_note),
				kind == PG_ERR_DENIED ? message :
				"This interface has no level meters.");
			gtk_widget_set_visible(p->levels_note, TRUE);
		}
		return;
	}
	list = g_variant_get_child_value(reply, 0);
	for (gsize i = 0; p->order && p->order[i] && i < g_variant_n_children(list); i++) {
		pg_strip *s = g_hash_table_lookup(p->by_path, p->order[i]);
		double peak;
		guint32 clips;

		if (!s)
			continue;
		g_variant_get_child(list, i, "(du)", &peak, &clips);
		pg_strip_level(s, now, peak, clips);
	}
}

static gboolean on_tick(gpointer data)
{
	pg_page *p = data;
	GHashTableIter it;
	gpointer s;
	gboolean wanted = FALSE;

	if (p->in_flight || p->no_levels)
		return G_SOURCE_CONTINUE;
	g_hash_table_iter_init(&it, p->by_path);
	while (!wanted && g_hash_table_iter_next(&it, NULL, &s))
		wanted = pg_strip_wants_levels(s);
	if (!wanted)
		return G_SOURCE_CONTINUE;
	p->in_flight = TRUE;
	pg_bus_call(p->ctx->bus, p->path, PG_IFACE_DEVICE, "GetLevels", NULL, "(a(du))",
		    FALSE, "Reading the levels", G_OBJECT(p->box), on_levels, NULL);
	return G_SOURCE_CONTINUE;
}

static void on_map(GtkWidget *w, gpointer data)
{
	pg_page *p = data;

	(void)w;
	if (!p->timer)
		p->timer = g_timeout_add(LEVELS_INTERVAL_MS, on_tick, p);
}

static void on_unmap(GtkWidget *w, gpointer data)
{
	pg_page *p = data;

	(void)w;
	if (p->timer)
		g_source_remove(p->timer);
	p->timer = 0;
}

/* ---- rename ---- */

static void on_rename_response(AdwMessageDialog *d, const char *response, gpointer data)
{
	GtkWidget *entry = adw_message_dialog_get_extra_child(d);
	char *key = data;
	pg_ctx *ctx = g_object_get_data(G_OBJECT(d), "pg-ctx");
	g_autoptr(GError) error = NULL;

	if (g_strcmp0(response, "save") != 0)
		return;
	if (!pg_names_set(ctx->names, key, gtk_editable_get_text(GTK_EDITABLE(entry)), &error)) {
		char msg[512];

		g_snprintf(msg, sizeof(msg), "The name could not be saved in %s: %s",
			   pg_names_path(ctx->names), error->message);
		ctx->message(ctx, msg, TRUE);
	}
	ctx->renamed(ctx);
}

static void free_key(gpointer data, GClosure *closure)
{
	(void)closure;
	g_free(data);
}

static void on_rename(GtkButton *b, gpointer data)
{
	pg_page *p = data;
	const char *current = pg_names_get(p->ctx->names, p->key);
	GtkWidget *d, *entry;

	(void)b;
	d = adw_message_dialog_new(p->ctx->window, "Name this interface",
		"A name of your own tells identical interfaces apart. It is kept for you "
		"alone, by the interface's serial number; leave it empty to use the "
		"product's name again.");
	entry = gtk_entry_new();
	gtk_entry_set_max_length(GTK_ENTRY(entry), 48);
	gtk_entry_set_activates_default(GTK_ENTRY(entry), TRUE);
	gtk_editable_set_text(GTK_EDITABLE(entry), current ? current : "");
	gtk_accessible_update_property(GTK_ACCESSIBLE(entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
				       "Name of the interface", -1);
	adw_message_dialog_set_extra_child(ADW_MESSAGE_DIALOG(d), entry);
	adw_message_dialog_add_responses(ADW_MESSAGE_DIALOG(d), "cancel", "_Cancel",
					 "save", "_Save", NULL);
	adw_message_dialog_set_response_appearance(ADW_MESSAGE_DIALOG(d), "save",
						   ADW_RESPONSE_SUGGESTED);
	adw_message_dialog_set_default_response(ADW_MESSAGE_DIALOG(d), "save");
	adw_message_dialog_set_close_response(ADW_MESSAGE_DIALOG(d), "cancel");
	g_object_set_data(G_OBJECT(d), "pg-ctx", p->ctx);
	g_signal_connect_data(d, "response", G_CALLBACK(on_rename_response), g_strdup(p->key),
			      free_key, 0);
	gtk_window_present(GTK_WINDOW(d));
}

/* ---- the page ---- */

pg_page *pg_page_new(pg_ctx *ctx, const char *device_path)
{
	pg_page *p = g_new0(pg_page, 1);
	GtkWidget *head, *names, *scroll, *side, *clamp, *body;

	p->ctx = ctx;
	p->path = g_strdup(device_path);
	p->key = g_strdup("");
	p->title = g_strdup("");
	p->by_path = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	p->box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12);
	gtk_widget_set_margin_start(p->box, 12);
	gtk_widget_set_margin_end(p->box, 12);
	gtk_widget_set_margin_top(p->box, 12);
	gtk_widget_set_margin_bottom(p->box, 12);

	head = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
	names = gtk_box_new(GTK_ORIENTATION_VERTICAL, 2);
	gtk_widget_set_hexpand(names, TRUE);
	p->title_label = gtk_label_new("");
	gtk_widget_add_css_class(p->title_label, "title-2");
	gtk_label_set_xalign(GTK_LABEL(p->title_label), 0);
	gtk_label_set_selectable(GTK_LABEL(p->title_label), FALSE);
	p->subtitle = gtk_label_new("");
	gtk_widget_add_css_class(p->subtitle, "dim-label");
	gtk_label_set_xalign(GTK_LABEL(p->subtitle), 0);
	gtk_label_set_wrap(GTK_LABEL(p->subtitle), TRUE);
	gtk_box_append(GTK_BOX(names), p->title_label);
	gtk_box_append(GTK_BOX(names), p->subtitle);
	p->rename = gtk_button_new_with_label("Rename\u2026");
	gtk_widget_set_valign(p->rename, GTK_ALIGN_CENTER);
	g_signal_connect(p->rename, "clicked", G_CALLBACK(on_rename), p);
	gtk_box_append(GTK_BOX(head), names);
	gtk_box_append(GTK_BOX(head), p->rename);

	p->levels_note = gtk_label_new("");
	gtk_widget_add_css_class(p->levels_note, "dim-label");
	gtk_label_set_wrap(GTK_LABEL(p->levels_note), TRUE);
	gtk_label_set_xalign(GTK_LABEL(p->levels_note), 0);
	gtk_widget_set_visible(p->levels_note, FALSE);

	p->strips = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
	scroll = gtk_scrolled_window_new();
	gtk_scrolled_window_set_policy(GTK_SCROLLED_WINDOW(scroll), GTK_POLICY_AUTOMATIC,
				       GTK_POLICY_NEVER);
	gtk_scrolled_window_set_child(GTK_SCROLLED_WINDOW(scroll), p->strips);
	gtk_scrolled_window_set_propagate_natural_height(GTK_SCROLLED_WINDOW(scroll), TRUE);
	gtk_scrolled_window_set_propagate_natural_width(GTK_SCROLLED_WINDOW(scroll), TRUE);

	p->presets = pg_presets_new(ctx, device_path);
	p->policy = pg_policy_new(ctx, device_path);
	side = gtk_box_new(GTK_ORIENTATION_VERTICAL, 18);
	gtk_box_append(GTK_BOX(side), pg_presets_widget(p->presets));
	gtk_box_append(GTK_BOX(side), pg_policy_widget(p->policy));
	/* the strips come first: the side column's long texts wrap within it */
	clamp = adw_clamp_new();
	adw_clamp_set_maximum_size(ADW_CLAMP(clamp), SIDE_WIDTH);
	adw_clamp_set_tightening_threshold(ADW_CLAMP(clamp), SIDE_WIDTH);
	adw_clamp_set_child(ADW_CLAMP(clamp), side);
	gtk_widget_set_size_request(clamp, SIDE_WIDTH, -1);
	gtk_widget_set_hexpand(clamp, FALSE);
	gtk_widget_set_valign(clamp, GTK_ALIGN_START);
	body = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 18);
	gtk_widget_set_hexpand(scroll, TRUE);
	gtk_widget_set_valign(scroll, GTK_ALIGN_START);
	gtk_box_append(GTK_BOX(body), scroll);
	gtk_box_append(GTK_BOX(body), clamp);

	gtk_box_append(GTK_BOX(p->box), head);
	gtk_box_append(GTK_BOX(p->box), p->levels_note);
	gtk_box_append(GTK_BOX(p->box), body);
	g_signal_connect(p->box, "map", G_CALLBACK(on_map), p);
	g_signal_connect(p->box, "unmap", G_CALLBACK(on_unmap), p);
	g_object_set_data_full(G_OBJECT(p->box), "pg-page", p, page_free);
	pg_page_sync(p);
	return p;
}

GtkWidget *pg_page_widget(pg_page *p)
{
	return p->box;
}

void pg_page_sync(pg_page *p)
{
	GDBusProxy *dev = pg_bus_proxy(p->ctx->bus, p->path, PG_IFACE_DEVICE);
	pg_device_snapshot snap;
	GHashTableIter it;
	gpointer key, value;
	GtkWidget *prev = NULL;

	if (!dev)
		return;
	pg_device_snapshot_read(&snap, dev);
	g_free(p->key);
	p->key = g_strdup(snap.key);

	/* strips of inputs that went */
	g_hash_table_iter_init(&it, p->by_path);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		if (!g_strv_contains((const char *const *)snap.inputs, key) ||
		    !pg_bus_proxy(p->ctx->bus, key, PG_IFACE_INPUT)) {
			gtk_box_remove(GTK_BOX(p->strips), pg_strip_widget(value));
			g_hash_table_iter_remove(&it);
		}
	}
	/* new ones, in the daemon's order */
	for (gsize i = 0; snap.inputs[i]; i++) {
		GDBusProxy *in = pg_bus_proxy(p->ctx->bus, snap.inputs[i], PG_IFACE_INPUT);
		pg_strip *s = g_hash_table_lookup(p->by_path, snap.inputs[i]);

		if (!in)
			continue;	/* listed before its object arrived */
		if (!s) {
			s = pg_strip_new(p->ctx, p->path, snap.inputs[i]);
			g_hash_table_insert(p->by_path, g_strdup(snap.inputs[i]), s);
			gtk_box_insert_child_after(GTK_BOX(p->strips), pg_strip_widget(s), prev);
		} else {
			gtk_box_reorder_child_after(GTK_BOX(p->strips), pg_strip_widget(s), prev);
		}
		pg_strip_update(s, in);
		prev = pg_strip_widget(s);
	}
	g_strfreev(p->order);
	p->order = g_strdupv(snap.inputs);
	p->no_levels = FALSE;
	gtk_widget_set_visible(p->levels_note, FALSE);
	pg_presets_update(p->presets, snap.presets, p->title);
	pg_policy_update(p->policy, snap.policy);
	pg_device_snapshot_clear(&snap);
}

void pg_page_set_view(pg_page *p, const struct pg_device_view *v)
{
	char a11y[256];

	g_free(p->title);
	p->title = g_strdup(v->title);
	gtk_label_set_text(GTK_LABEL(p->title_label), v->title);
	gtk_label_set_text(GTK_LABEL(p->subtitle), v->subtitle);
	g_snprintf(a11y, sizeof(a11y), "Rename %s", v->title);
	gtk_accessible_update_property(GTK_ACCESSIBLE(p->rename), GTK_ACCESSIBLE_PROPERTY_LABEL,
				       a11y, -1);
}

void pg_page_input_changed(pg_page *p, const char *input_path)
{
	pg_strip *s = g_hash_table_lookup(p->by_path, input_path);

	if (s)
		pg_strip_update(s, pg_bus_proxy(p->ctx->bus, input_path, PG_IFACE_INPUT));
	else
		pg_page_sync(p);
}

void pg_page_input_signal(pg_page *p, const char *input_path, const char *member,
			  GVariant *params)
{
	pg_strip *s = g_hash_table_lookup(p->by_path, input_path);

	if (s)
		pg_strip_signal(s, member, params);
}
