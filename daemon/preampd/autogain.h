/* SPDX-License-Identifier: MIT */
/*
 * The autogain and meter engine (AutoGain, GetLevels, the autogain
 * capability), as the Input and Device objects see it: autogain.c
 * implements it over autogain-core.c (the pure state machine), levels.c
 * (meter decoding) and levels-pcm.c (the capture stream).
 *
 * What the engine can use: input_map() gives the input's controls
 * (ref[PA_FN_METER], ref[PA_FN_CLIP], ref[PA_FN_AUTOGAIN],
 * ref[PA_FN_AUTOGAIN_STATUS], elements of device_card()); card_read() and
 * card_write() reach them; input_write_gain_raw() sets a gain with the
 * same bookkeeping as SetGain (PropertiesChanged, state file);
 * input_emit_changed(in, "AutoGainState", NULL) announces its state. The
 * AutoGainFinished signal is emitted with sd_bus_emit_signal() on
 * input_path(in), interface PA_INPUT_IFACE.
 */
#ifndef PREAMPD_AUTOGAIN_H
#define PREAMPD_AUTOGAIN_H

#include <stdbool.h>
#include <systemd/sd-bus.h>

struct input;
struct device;
struct autogain;

/* per-input engine state, made when the input is and freed with it */
int autogain_new(struct input *in, struct autogain **out);
void autogain_free(struct autogain *ag);

/* whether StartAutoGain can work on this input (the "autogain" cap) */
bool autogain_capable(const struct input *in);
/* the AutoGainState property: "idle", "listening", "done", ... */
const char *autogain_state(const struct autogain *ag);

/* StartAutoGain / CancelAutoGain, after authorization; reply to call
 * themselves (>= 0) or return a negative errno with err set */
int autogain_start(struct input *in, double target_dbfs, unsigned listen_ms,
		   sd_bus_message *call, sd_bus_error *err);
int autogain_cancel(struct input *in, sd_bus_message *call,
		    sd_bus_error *err);
/* someone else (a knob, alsamixer) moved the gain while listening */
void autogain_gain_moved(struct input *in);

/* GetLevels: appends a(du) to reply, or an error (NotSupported) */
int autogain_get_levels(struct device *d, sd_bus_message *reply,
			sd_bus_error *err);

#endif
