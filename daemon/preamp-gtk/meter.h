/* SPDX-License-Identifier: MIT */
/*
 * The level meter of a channel strip: a vertical bar from -60 to 0 dBFS,
 * the studio's -6..0 dBFS window marked beside it, the held peak as a
 * line, and a dB scale. It draws a struct pg_meter (model.h); the clip
 * light is the strip's own button.
 */
#pragma once

#include <gtk/gtk.h>

#include "model.h"

#define PG_TYPE_METER (pg_meter_widget_get_type())
G_DECLARE_FINAL_TYPE(PgMeter, pg_meter_widget, PG, METER, GtkWidget)

GtkWidget *pg_meter_widget_new(const char *accessible_label);
void pg_meter_widget_show(PgMeter *self, const struct pg_meter *m);
