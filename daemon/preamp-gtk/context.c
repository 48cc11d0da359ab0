// SPDX-License-Identifier: MIT
/* Shared helpers: failure reports and confirmations. */
#include <adwaita.h>

#include "context.h"

void pg_report_failure(GObject *owner, GVariant *reply, const char *message,
		       enum pg_err_kind kind, gpointer ud)
{
	pg_ctx *ctx = ud;

	(void)owner;
	(void)kind;
	if (!reply)
		ctx->message(ctx, message, TRUE);
}

struct confirm {
	GWeakRef owner;
	void (*fn)(gpointer ud);
	gpointer ud;
	GDestroyNotify destroy;
};

static void confirm_free(gpointer data)
{
	struct confirm *c = data;

	g_weak_ref_clear(&c->owner);
	if (c->destroy)
		c->destroy(c->ud);
	g_free(c);
}

static void confirm_notify(gpointer data, GClosure *closure)
{
	(void)closure;
	confirm_free(data);
}

static void on_response(AdwMessageDialog *d, const char *response, gpointer data)
{
	struct confirm *c = data;
	g_autoptr(GObject) owner = g_weak_ref_get(&c->owner);

	(void)d;
	if (owner && g_strcmp0(response, "yes") == 0)
		c->fn(c->ud);
}

void pg_confirm(pg_ctx *ctx, GObject *owner, const char *heading, const char *body,
		const char *yes, gboolean destructive, void (*fn)(gpointer ud),
		gpointer ud, GDestroyNotify destroy)
{
	GtkWidget *d = adw_message_dialog_new(ctx->window, heading, body);
	struct confirm *c = g_new0(struct confirm, 1);

	g_weak_ref_init(&c->owner, owner);
	c->fn = fn;
	c->ud = ud;
	c->destroy = destroy;
	adw_message_dialog_add_responses(ADW_MESSAGE_DIALOG(d), "cancel", "_Cancel",
					 "yes", yes, NULL);
	adw_message_dialog_set_response_appearance(ADW_MESSAGE_DIALOG(d), "yes",
		destructive ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
	adw_message_dialog_set_default_response(ADW_MESSAGE_DIALOG(d), "cancel");
	adw_message_dialog_set_close_response(ADW_MESSAGE_DIALOG(d), "cancel");
	g_signal_connect_data(d, "response", G_CALLBACK(on_response), c,
			      confirm_notify, 0);
	gtk_window_present(GTK_WINDOW(d));
}
