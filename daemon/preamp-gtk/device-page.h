/* SPDX-License-Identifier: MIT */
/*
 * One interface: its name (the user's, else the product's), what tells it
 * apart (serial, card), a Rename button, a channel strip per input in the
 * daemon's order, its presets and its 48 V policy. While the page is on
 * screen it polls GetLevels about 30 times a second for the meters, and
 * stops as soon as it is not.
 */
#pragma once

#include <gtk/gtk.h>

#include "context.h"
#include "model.h"

typedef struct pg_page pg_page;

/* The widget owns the page. */
pg_page *pg_page_new(pg_ctx *ctx, const char *device_path);
GtkWidget *pg_page_widget(pg_page *p);
/* Reads the device again: inputs come and go, presets, policy. */
void pg_page_sync(pg_page *p);
/* The title computed with every other device in view (model.h). */
void pg_page_set_view(pg_page *p, const struct pg_device_view *v);
/* An input's properties changed, or it signalled. */
void pg_page_input_changed(pg_page *p, const char *input_path);
void pg_page_input_signal(pg_page *p, const char *input_path, const char *member,
			  GVariant *params);
