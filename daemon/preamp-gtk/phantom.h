/* SPDX-License-Identifier: MIT */
/*
 * A strip's 48 V controls: a button that switches 48 V on only through a
 * deliberate act (hold it for a second, or click and confirm in a dialog
 * that names every input of the group) and off at once; the inputs that
 * share the switch; and the lock that keeps 48 V off for a ribbon
 * microphone (removing it is confirmed, and polkit asks an administrator).
 */
#pragma once

#include <gtk/gtk.h>

#include "context.h"
#include "model.h"

typedef struct pg_phantom pg_phantom;

/* The widget owns the struct. */
pg_phantom *pg_phantom_new(pg_ctx *ctx, const char *input_path);
GtkWidget *pg_phantom_widget(pg_phantom *p);
void pg_phantom_update(pg_phantom *p, const struct pg_strip_view *v,
		       const struct pg_input_state *in);
