// SPDX-License-Identifier: MIT
/* The 48 V policy. */
#include <adwaita.h>

#include "model.h"
#include "policy.h"

struct pg_policy {
	pg_ctx *ctx;
	char *path;
	GtkWidget *group, *check[3];
	gboolean updating;
	int current;
};

static void policy_free(gpointer data)
{
	pg_policy *p = data;

	g_free(p->path);
	g_free(p);
}

static void on_reply(GObject *owner, GVariant *reply, const char *message,
		     enum pg_err_kind kind, gpointer ud)
{
	pg_policy *p = g_object_get_data(owner, "pg-policy");

	(void)kind;
	(void)ud;
	if (reply)
		return;
	p->ctx->message(p->ctx, message, TRUE);
	pg_policy_update(p, p->current >= 0 ? pg_policy_words[p->current] : "");
}

static void on_toggled(GtkCheckButton *c, gpointer ud)
{
	pg_policy *p = ud;
	int i = GPOINTER_TO_INT(g_object_get_data(G_OBJECT(c), "pg-index"));
	char what[160];

	if (p->updating || !gtk_check_button_get_active(c) || i == p->current)
		return;
	g_snprintf(what, sizeof(what), "Setting the 48 V policy to \u201c%s\u201d",
		   pg_policy_title(i));
	pg_bus_call(p->ctx->bus, p->path, PG_IFACE_DEVICE, "SetPhantomPolicy",
		    g_variant_new("(sb)", pg_policy_words[i], TRUE), "()", TRUE, what,
		    G_OBJECT(p->group), on_reply, NULL);
}

pg_policy *pg_policy_new(pg_ctx *ctx, const char *device_path)
{
	pg_policy *p = g_new0(pg_policy, 1);

	p->ctx = ctx;
	p->path = g_strdup(device_path);
	p->current = -1;
	p->group = adw_preferences_group_new();
	adw_preferences_group_set_title(ADW_PREFERENCES_GROUP(p->group), "48 V at plug-in");
	for (int i = 0; i < 3; i++) {
		GtkWidget *row = adw_action_row_new();

		p->check[i] = gtk_check_button_new();
		if (i)
			gtk_check_button_set_group(GTK_CHECK_BUTTON(p->check[i]),
						   GTK_CHECK_BUTTON(p->check[0]));
		g_object_set_data(G_OBJECT(p->check[i]), "pg-index", GINT_TO_POINTER(i));
		g_signal_connect(p->check[i], "toggled", G_CALLBACK(on_toggled), p);
		/* named and described by the row's title and subtitle */
		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), pg_policy_title(i));
		adw_action_row_set_subtitle(ADW_ACTION_ROW(row), pg_policy_description(i));
		adw_action_row_add_prefix(ADW_ACTION_ROW(row), p->check[i]);
		adw_action_row_set_activatable_widget(ADW_ACTION_ROW(row), p->check[i]);
		adw_preferences_group_add(ADW_PREFERENCES_GROUP(p->group), row);
	}
	g_object_set_data_full(G_OBJECT(p->group), "pg-policy", p, policy_free);
	return p;
}

GtkWidget *pg_policy_widget(pg_policy *p)
{
	return p->group;
}

void pg_policy_update(pg_policy *p, const char *word)
{
	int i = pg_policy_index(word);

	p->current = i;
	p->updating = TRUE;
	for (int k = 0; k < 3; k++)
		gtk_check_button_set_active(GTK_CHECK_BUTTON(p->check[k]), k == i);
	p->updating = FALSE;
}
