// SPDX-License-Identifier: MIT
/* Presets: save, apply, delete. */
#include <adwaita.h>

#include "model.h"
#include "presets.h"

struct pg_presets {
	pg_ctx *ctx;
	char *path, *title;
	GtkWidget *group, *entry, *save, *empty;
	GPtrArray *rows;
	char **names;
};

static void presets_free(gpointer data)
{
	pg_presets *p = data;

	g_free(p->path);
	g_free(p->title);
	g_strfreev(p->names);
	g_ptr_array_unref(p->rows);
	g_free(p);
}

static void call(pg_presets *p, const char *method, const char *name, const char *doing)
{
	char what[256], clean[160];

	pg_clean_text(clean, sizeof(clean), name, 64);
	g_snprintf(what, sizeof(what), "%s the preset \u201c%s\u201d", doing, clean);
	pg_bus_call(p->ctx->bus, p->path, PG_IFACE_DEVICE, method,
		    g_variant_new("(sb)", name, TRUE), "()", TRUE, what, G_OBJECT(p->group),
		    pg_report_failure, p->ctx);
}

static void on_apply(GtkButton *b, gpointer ud)
{
	call(ud, "ApplyPreset", g_object_get_data(G_OBJECT(b), "pg-name"), "Applying");
}

struct del { pg_presets *p; char *name; };

static void del_free(gpointer data)
{
	struct del *d = data;

	g_free(d->name);
	g_free(d);
}

static void do_delete(gpointer data)
{
	struct del *d = data;

	call(d->p, "DeletePreset", d->name, "Deleting");
}

static void on_delete(GtkButton *b, gpointer ud)
{
	pg_presets *p = ud;
	struct del *d = g_new0(struct del, 1);
	char body[256], clean[160];

	d->p = p;
	d->name = g_strdup(g_object_get_data(G_OBJECT(b), "pg-name"));
	pg_clean_text(clean, sizeof(clean), d->name, 64);
	g_snprintf(body, sizeof(body), "The preset \u201c%s\u201d will be gone for good.", clean);
	pg_confirm(p->ctx, G_OBJECT(p->group), "Delete the preset?", body, "_Delete", TRUE,
		   do_delete, d, del_free);
}

static void update_save(pg_presets *p)
{
	const char *name = gtk_editable_get_text(GTK_EDITABLE(p->entry));

	gtk_widget_set_sensitive(p->save, pg_preset_name_valid(name));
}

static void on_entry_changed(GtkEditable *e, gpointer ud)
{
	(void)e;
	update_save(ud);
}

static void on_saved(GObject *owner, GVariant *reply, const char *message,
		     enum pg_err_kind kind, gpointer ud)
{
	pg_presets *p = ud;

	(void)owner;
	(void)kind;
	if (!reply) {
		p->ctx->message(p->ctx, message, TRUE);
		return;
	}
	gtk_editable_set_text(GTK_EDITABLE(p->entry), "");
}

static void on_save(GtkWidget *w, gpointer ud)
{
	pg_presets *p = ud;
	const char *name = gtk_editable_get_text(GTK_EDITABLE(p->entry));
	char what[256], clean[160];

	(void)w;
	if (!pg_preset_name_valid(name)) {
		p->ctx->message(p->ctx, "A preset name is 1 to 64 bytes, without \u201c/\u201d "
				"or control characters.", TRUE);
		return;
	}
	pg_clean_text(clean, sizeof(clean), name, 64);
	g_snprintf(what, sizeof(what), "Saving the preset \u201c%s\u201d", clean);
	pg_bus_call(p->ctx->bus, p->path, PG_IFACE_DEVICE, "SavePreset",
		    g_variant_new("(sb)", name, TRUE), "()", TRUE, what, G_OBJECT(p->group),
		    on_saved, p);
}

pg_presets *pg_presets_new(pg_ctx *ctx, const char *device_path)
{
	pg_presets *p = g_new0(pg_presets, 1);
	GtkWidget *row, *box;

	p->ctx = ctx;
	p->path = g_strdup(device_path);
	p->title = g_strdup("");
	p->rows = g_ptr_array_new();
	p->group = adw_preferences_group_new();
	adw_preferences_group_set_title(ADW_PREFERENCES_GROUP(p->group), "Presets");
	adw_preferences_group_set_description(ADW_PREFERENCES_GROUP(p->group),
		"Every input's settings under a name (48 V only with the policy \u201cRestore\u201d)");

	box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	p->entry = gtk_entry_new();
	gtk_entry_set_placeholder_text(GTK_ENTRY(p->entry), "New preset name");
	gtk_entry_set_max_length(GTK_ENTRY(p->entry), 64);
	gtk_widget_set_hexpand(p->entry, TRUE);
	gtk_accessible_update_property(GTK_ACCESSIBLE(p->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
				       "New preset name", -1);
	g_signal_connect(p->entry, "changed", G_CALLBACK(on_entry_changed), p);
	g_signal_connect(p->entry, "activate", G_CALLBACK(on_save), p);
	p->save = gtk_button_new_with_label("Save Preset");
	gtk_widget_add_css_class(p->save, "suggested-action");
	g_signal_connect(p->save, "clicked", G_CALLBACK(on_save), p);
	gtk_box_append(GTK_BOX(box), p->entry);
	gtk_box_append(GTK_BOX(box), p->save);
	row = adw_action_row_new();
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), "");
	adw_action_row_add_prefix(ADW_ACTION_ROW(row), box);
	gtk_widget_set_hexpand(box, TRUE);
	adw_preferences_group_add(ADW_PREFERENCES_GROUP(p->group), row);

	p->empty = adw_action_row_new();
	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(p->empty), "No preset saved yet");
	adw_preferences_group_add(ADW_PREFERENCES_GROUP(p->group), p->empty);
	update_save(p);
	g_object_set_data_full(G_OBJECT(p->group), "pg-presets", p, presets_free);
	return p;
}

GtkWidget *pg_presets_widget(pg_presets *p)
{
	return p->group;
}

static GtkWidget *row_button(pg_presets *p, const char *label, const char *name,
			     const char *a11y_verb, GCallback cb)
{
	GtkWidget *b = gtk_button_new_with_label(label);
	char a11y[256], clean[160];

	pg_clean_text(clean, sizeof(clean), name, 64);
	g_snprintf(a11y, sizeof(a11y), "%s preset %s", a11y_verb, clean);
	gtk_accessible_update_property(GTK_ACCESSIBLE(b), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
	gtk_widget_set_valign(b, GTK_ALIGN_CENTER);
	g_object_set_data_full(G_OBJECT(b), "pg-name", g_strdup(name), g_free);
	g_signal_connect(b, "clicked", cb, p);
	return b;
}

void pg_presets_update(pg_presets *p, char *const *names, const char *device_title)
{
	gboolean same = TRUE;
	gsize n = names ? g_strv_length((char **)names) : 0;

	g_free(p->title);
	p->title = g_strdup(device_title);
	if (p->names && g_strv_length(p->names) == n) {
		for (gsize i = 0; i < n && same; i++)
			same = g_strcmp0(p->names[i], names[i]) == 0;
	} else {
		same = FALSE;
	}
	if (same)
		return;
	for (guint i = 0; i < p->rows->len; i++)
		adw_preferences_group_remove(ADW_PREFERENCES_GROUP(p->group), p->rows->pdata[i]);
	g_ptr_array_set_size(p->rows, 0);
	g_strfreev(p->names);
	p->names = g_strdupv((char **)names);
	for (gsize i = 0; i < n; i++) {
		GtkWidget *row = adw_action_row_new();
		char clean[160];

		pg_clean_text(clean, sizeof(clean), names[i], 64);
		adw_preferences_row_set_use_markup(ADW_PREFERENCES_ROW(row), FALSE);
		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), clean);
		adw_action_row_add_suffix(ADW_ACTION_ROW(row),
			row_button(p, "Apply", names[i], "Apply", G_CALLBACK(on_apply)));
		adw_action_row_add_suffix(ADW_ACTION_ROW(row),
			row_button(p, "Delete", names[i], "Delete", G_CALLBACK(on_delete)));
		adw_preferences_group_add(ADW_PREFERENCES_GROUP(p->group), row);
		g_ptr_array_add(p->rows, row);
	}
	gtk_widget_set_visible(p->empty, n == 0);
}
