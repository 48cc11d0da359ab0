/* SPDX-License-Identifier: MIT */
/*
 * A strip's AutoGain: a button that starts it (with the target peak and the
 * listening time the person set, -4 dBFS and 10 s unless changed), the
 * progress while it listens (the pass, the gain it tries), a Cancel button,
 * and the result in words.
 */
#pragma once

#include <gtk/gtk.h>

#include "context.h"
#include "model.h"

typedef struct pg_autogain_view pg_autogain_view;

/* The widget owns the struct. */
pg_autogain_view *pg_autogain_view_new(pg_ctx *ctx, const char *input_path);
GtkWidget *pg_autogain_view_widget(pg_autogain_view *a);
/* The input's properties changed. */
void pg_autogain_view_update(pg_autogain_view *a, const struct pg_strip_view *v,
			     const struct pg_input_state *in);
/* AutoGainFinished(s result, d gain, d peak) */
void pg_autogain_view_finished(pg_autogain_view *a, GVariant *params);
