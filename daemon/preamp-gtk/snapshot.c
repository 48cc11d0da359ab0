// SPDX-License-Identifier: MIT
/* Reading proxies into the model's structs. */
#include <math.h>
#include <string.h>

#include "bus.h"
#include "snapshot.h"

#define MAX_PRESETS 256

void pg_input_snapshot_read(pg_input_snapshot *o, GDBusProxy *p, const char *device_path)
{
	g_auto(GStrv) caps = pg_prop_strv(p, "Capabilities", 32);
	g_auto(GStrv) group = pg_prop_strv(p, "PhantomGroup", PG_MAX_GROUP);
	struct pg_input_state *s = &o->s;

	memset(o, 0, sizeof(*o));
	s->number = pg_prop_u32(p, "Number", 0);
	s->label = o->label = pg_prop_str(p, "Label");
	for (gsize i = 0; caps[i]; i++)
		s->caps |= pg_cap_from_word(caps[i]);
	s->gain = pg_prop_double(p, "Gain", NAN);
	s->gain_min = pg_prop_double(p, "GainMin", NAN);
	s->gain_max = pg_prop_double(p, "GainMax", NAN);
	s->gain_step = pg_prop_double(p, "GainStep", NAN);
	s->phantom = pg_prop_bool(p, "Phantom");
	s->phantom_locked = pg_prop_bool(p, "PhantomLocked");
	s->pad = pg_prop_bool(p, "Pad");
	s->phase = pg_prop_bool(p, "Phase");
	s->highpass = pg_prop_bool(p, "HighPass");
	s->air = pg_prop_bool(p, "Air");
	s->level = o->level = pg_prop_str(p, "Level");
	s->autogain_state = o->autogain_state = pg_prop_str(p, "AutoGainState");
	for (gsize i = 0; group[i] && s->n_group < PG_MAX_GROUP; i++) {
		uint32_t n = pg_input_number_from_path(device_path, group[i]);

		if (n)
			s->group[s->n_group++] = n;
	}
}

void pg_input_snapshot_clear(pg_input_snapshot *o)
{
	g_free(o->label);
	g_free(o->level);
	g_free(o->autogain_state);
	memset(o, 0, sizeof(*o));
}

void pg_device_snapshot_read(pg_device_snapshot *o, GDBusProxy *p)
{
	struct pg_device_state *s = &o->s;

	memset(o, 0, sizeof(*o));
	s->key = o->key = pg_prop_str(p, "Key");
	s->name = o->name = pg_prop_str(p, "Name");
	s->usb_id = o->usb_id = pg_prop_str(p, "UsbId");
	s->serial = o->serial = pg_prop_str(p, "Serial");
	s->card_id = o->card_id = pg_prop_str(p, "CardId");
	s->driver = o->driver = pg_prop_str(p, "Driver");
	s->card = pg_prop_i32(p, "Card", -1);
	s->persistent = pg_prop_bool(p, "Persistent");
	o->policy = pg_prop_str(p, "PhantomPolicy");
	o->presets = pg_prop_strv(p, "Presets", MAX_PRESETS);
	o->inputs = pg_prop_strv(p, "Inputs", PG_MAX_INPUTS);
}

void pg_device_snapshot_clear(pg_device_snapshot *o)
{
	g_free(o->key);
	g_free(o->name);
	g_free(o->usb_id);
	g_free(o->serial);
	g_free(o->card_id);
	g_free(o->driver);
	g_free(o->policy);
	g_strfreev(o->presets);
	g_strfreev(o->inputs);
	memset(o, 0, sizeof(*o));
}
