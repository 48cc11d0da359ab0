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
 * input_emit_changed(in, "AutoGainState", NULL) announces its state and
 * input_autogain_finished() a run's end. The engine never answers a D-Bus
 * call: it says why it refuses (struct autogain_refusal), and the Input and
 * Device objects reply.
 */
#ifndef PREAMPD_AUTOGAIN_H
#define PREAMPD_AUTOGAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/*
 * Why the engine refuses: error is one of preampd.h's D-Bus errors
 * (PA_ERR_*) with message its sentence; or error is NULL, and err and
 * message (what was being done) are a failed request, for
 * pa_bus_error_from_errno().
 */
struct autogain_refusal {
	const char *error;
	int err;
	char message[200];
};

/* StartAutoGain, after authorization: 0 once the run is set up, then the
 * caller answers and calls autogain_go(); or a negative errno and why */
int autogain_start(struct input *in, double target_dbfs, unsigned listen_ms,
		   struct autogain_refusal *why);
/* the run's first step, after the answer */
void autogain_go(struct input *in);
/* CancelAutoGain: the run stops (nothing running, nothing to stop) */
void autogain_cancel(struct input *in);
/* someone else (a knob, alsamixer) moved the gain while listening */
void autogain_gain_moved(struct input *in);

/* GetLevels: one entry an input, in input order */
struct autogain_level {
	double peak;		/* dBFS */
	uint32_t clips;
};
int autogain_get_levels(struct device *d, struct autogain_level *levels,
			size_t *n, struct autogain_refusal *why);

#endif
