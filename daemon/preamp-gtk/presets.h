/* SPDX-License-Identifier: MIT */
/*
 * A device's presets: the saved names, each with Apply and Delete, and a
 * field to save the current settings under a new name (checked as the
 * daemon checks it before asking).
 */
#pragma once

#include <gtk/gtk.h>

#include "context.h"

typedef struct pg_presets pg_presets;

pg_presets *pg_presets_new(pg_ctx *ctx, const char *device_path);
GtkWidget *pg_presets_widget(pg_presets *p);
void pg_presets_update(pg_presets *p, char *const *names, const char *device_title);
