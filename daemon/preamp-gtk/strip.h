/* SPDX-License-Identifier: MIT */
/*
 * One input as a channel strip: its label, the live meter and clip light,
 * the gain slider (the device's range and steps, its value in dB), 48 V,
 * pad / air / phase / high-pass and line/inst where the input has them,
 * and AutoGain. Every control follows the input's properties; moving one
 * calls the daemon, and a refusal puts the control back and says why.
 */
#pragma once

#include <gtk/gtk.h>

#include "context.h"

typedef struct pg_strip pg_strip;

/* The widget owns the strip. */
pg_strip *pg_strip_new(pg_ctx *ctx, const char *device_path, const char *input_path);
GtkWidget *pg_strip_widget(pg_strip *s);
/* Reads the input's properties again (its proxy; NULL: nothing to read). */
void pg_strip_update(pg_strip *s, GDBusProxy *input);
/* Whether the strip shows a meter that is on screen. */
gboolean pg_strip_wants_levels(pg_strip *s);
/* One GetLevels sample for this input (now: seconds, monotonic). */
void pg_strip_level(pg_strip *s, double now, double peak, guint32 clips);
/* A signal of this input: Clipped, AutoGainFinished. */
void pg_strip_signal(pg_strip *s, const char *member, GVariant *params);
