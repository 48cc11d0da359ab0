/* SPDX-License-Identifier: MIT */
/*
 * A device's 48 V policy: what happens to 48 V when it is plugged in,
 * as three choices, each said in words.
 */
#pragma once

#include <gtk/gtk.h>

#include "context.h"

typedef struct pg_policy pg_policy;

pg_policy *pg_policy_new(pg_ctx *ctx, const char *device_path);
GtkWidget *pg_policy_widget(pg_policy *p);
void pg_policy_update(pg_policy *p, const char *word);
