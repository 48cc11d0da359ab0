/* SPDX-License-Identifier: MIT */
/*
 * The names a user gives interfaces ("Studio left"), kept per user in a
 * key file: $XDG_CONFIG_HOME/preamp/device-names.ini (by default
 * ~/.config/preamp/device-names.ini), group [names], one line per device
 * key (the daemon's Device.Key, which is built from the USB serial).
 */
#pragma once

#include <glib.h>

typedef struct pg_names pg_names;

/* Reads the file; a missing or broken one is an empty list. */
pg_names *pg_names_load(void);
void pg_names_free(pg_names *n);
/* The user's name for a device key, or NULL. */
const char *pg_names_get(pg_names *n, const char *key);
/* Sets (name "" or NULL: forgets) and saves; FALSE with error set on failure. */
gboolean pg_names_set(pg_names *n, const char *key, const char *name, GError **error);
/* Where the names live. */
const char *pg_names_path(pg_names *n);
