/* SPDX-License-Identifier: MIT */
/*
 * What every part of the window shares: the bus, the user's device names,
 * the window (for dialogs), and the message bar, where failures are said
 * in words until the person dismisses them.
 */
#pragma once

#include <gtk/gtk.h>

#include "bus.h"
#include "names.h"

typedef struct pg_ctx pg_ctx;
struct pg_ctx {
	pg_bus *bus;
	pg_names *names;
	GtkWindow *window;
	/* shows text in the message bar (error: styled as a failure) */
	void (*message)(pg_ctx *ctx, const char *text, gboolean error);
	/* the user renamed a device: titles change */
	void (*renamed)(pg_ctx *ctx);
};

/* A reply handler that only reports failures (for calls whose effect comes
 * back as PropertiesChanged); ud is the pg_ctx. */
void pg_report_failure(GObject *owner, GVariant *reply, const char *message,
		       enum pg_err_kind kind, gpointer ud);

/*
 * Asks a yes/no question in a dialog over the window; on yes, calls fn(ud).
 * The dialog holds owner weakly: when owner is gone, fn is not called.
 * destroy frees ud (may be NULL).
 */
void pg_confirm(pg_ctx *ctx, GObject *owner, const char *heading, const char *body,
		const char *yes, gboolean destructive, void (*fn)(gpointer ud),
		gpointer ud, GDestroyNotify destroy);
