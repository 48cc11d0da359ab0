/* SPDX-License-Identifier: MIT */
/*
 * The bridge from the bus to the model: a device's or an input's
 * properties, read (typed, bounded) from its proxy into the model's
 * structs, with the strings they point at.
 */
#pragma once

#include <gio/gio.h>

#include "model.h"

typedef struct {
	struct pg_input_state s;
	char *label, *level, *autogain_state;
} pg_input_snapshot;

void pg_input_snapshot_read(pg_input_snapshot *o, GDBusProxy *p, const char *device_path);
void pg_input_snapshot_clear(pg_input_snapshot *o);

typedef struct {
	struct pg_device_state s;
	char *key, *name, *usb_id, *serial, *card_id, *driver, *policy;
	char **presets;		/* sorted, as the daemon sends them */
	char **inputs;		/* input object paths, in GetLevels order */
} pg_device_snapshot;

void pg_device_snapshot_read(pg_device_snapshot *o, GDBusProxy *p);
void pg_device_snapshot_clear(pg_device_snapshot *o);
