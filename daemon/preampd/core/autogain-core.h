/* SPDX-License-Identifier: MIT */
/*
 * AutoGain as a pure state machine: it has no clock, no D-Bus and no ALSA.
 * Its caller feeds it the time and the level readings of one input and
 * asks it, with ag_tick(), what to do next: set the gain, set the pad,
 * listen until a time, or finish with a result word of dbus-api.md.
 *
 * The algorithm (at most AG_MAX_PASSES listening passes):
 *
 *  - Pass 1 listens at the input's current setting. A pass lasts listen_ms
 *    of metered time, counted from the readings (each covers at most one
 *    meter window, or the audio it was computed from): where readings were
 *    missed, the pass goes on longer, up to twice listen_ms. After a change of gain or pad, readings during a
 *    settle time (two meter windows, at least settle_ms) are not used: the
 *    meter still holds peaks from before the change.
 *  - A clip ends the pass at once (a clip is the caller's "clipped" flag or
 *    a peak at full scale, > -0.005 dBFS). A peak measured while clipping
 *    is only a lower bound, so it is not used; the gain drops to the bottom
 *    of the range (by at most AG_CLIP_DROP_DB, so that a source that just
 *    clipped still reads above AG_QUIET_DBFS) and listens again. A clip at
 *    the lowest gain engages the pad, where there is one and it is off,
 *    and listens at the lowest gain again; a clip with no way down left is
 *    "min-gain".
 *  - A pass whose loudest peak is at most AG_QUIET_DBFS heard noise, not
 *    the source: the gain goes up by (target - AG_QUIET_DBFS) (the most
 *    that cannot clip what was heard), or the pad comes off at the highest
 *    gain; with no way up left the result is "too-quiet" and the setting
 *    from before is put back.
 *  - A peak heard so quietly that its samples' resolution (16 bits: half
 *    a step of full scale) makes it uncertain by more than AG_METER_RES_DB
 *    is taken at the loudest it can be, and where that moves the gain and
 *    a pass is left, the next pass listens at the new gain to measure it
 *    finely: from -63 dBFS, one step of 16 bits is 0.4 dB, enough to
 *    overshoot the target.
 *  - A pass that heard the source without clipping sets
 *      gain = current + (target - peak) - AG_METER_RES_DB,
 *    rounded down to the step grid and kept below any gain that clipped:
 *    the loudest peak then lands in [target - 1.5 dB, target] whenever the
 *    range allows it (any step up to 1.5 dB), the meter's rounding
 *    included. Beyond the range: below it, the pad goes on (where there is
 *    one) for one more pass, else "min-gain" at the lowest gain; above it,
 *    a pad that is on comes off for one more pass, else "max-gain" at the
 *    highest gain. The pad changes at most once per run.
 *  - CancelAutoGain puts the gain and pad from before back ("cancelled").
 *    A change of gain or pad by someone else also ends the run as
 *    "cancelled" but leaves that change in place (ag_gain_observed()); a
 *    caller that wants the setting from before back calls ag_cancel()
 *    instead. A write the device refused ends the run as "failed" after
 *    one attempt to put the setting from before back.
 *
 * Every number from the caller is checked: NaN readings are ignored, a
 * peak above full scale is a clip, -inf is silence.
 */
#ifndef PREAMPD_AUTOGAIN_CORE_H
#define PREAMPD_AUTOGAIN_CORE_H

#include <stdbool.h>
#include <stdint.h>

#define AG_MAX_PASSES		3
#define AG_WINDOW_DB		1.5	/* the loudest peak lands in [target - 1.5, target] */
#define AG_QUIET_DBFS		(-80.0)	/* at most this: nothing was heard */
#define AG_CLIP_DBFS		(-0.005)	/* a reading above this is full scale */
#define AG_METER_RES_DB		0.01	/* meter rounding (0.01 dBFS and the device's 1/256 dB) */
#define AG_CLIP_DROP_DB		70.0	/* the largest drop after a clip */
#define AG_PAD_ASSUMED_DB	30.0	/* a pad of unknown attenuation attenuates at most this */
#define AG_SAMPLE_FULL_SCALE	32767.0	/* peaks are of 16-bit samples (or finer) */

#define AG_TARGET_MIN_DBFS	(-60.0)
#define AG_LISTEN_MIN_MS	1000u
#define AG_LISTEN_MAX_MS	60000u
#define AG_WINDOW_MAX_MS	5000u

enum ag_result {
	AG_RESULT_NONE,		/* not finished (or never run) */
	AG_DONE,
	AG_MAX_GAIN,
	AG_MIN_GAIN,
	AG_TOO_QUIET,
	AG_CANCELLED,
	AG_FAILED,
};

struct ag_params {
	double target_dbfs;	/* AG_TARGET_MIN_DBFS..0 */
	unsigned listen_ms;	/* per pass, AG_LISTEN_MIN_MS..AG_LISTEN_MAX_MS */
	double gain_min_db, gain_max_db;
	double gain_step_db;	/* > 0, divides the range */
	double gain_db;		/* the input's gain now */
	bool pad_available;
	double pad_db;		/* the pad's attenuation, 0 < pad_db <= 60; else unknown */
	bool pad_on;		/* the pad now */
	unsigned meter_window_ms;	/* the time one reading covers, 1..AG_WINDOW_MAX_MS */
	unsigned settle_ms;	/* latency of a change (capture buffer); 0: none */
};

enum ag_action_type {
	AG_ACT_NONE,		/* not running: nothing to do */
	AG_ACT_SET_GAIN,	/* write gain_db now, then tick again */
	AG_ACT_SET_PAD,		/* write pad_on now, then tick again */
	AG_ACT_LISTEN,		/* read the meters every poll_ms; tick after each
				 * reading and at until_ms at the latest */
	AG_ACT_FINISH,		/* emit the result: state is final now */
};

struct ag_action {
	enum ag_action_type type;
	double gain_db;		/* SET_GAIN; FINISH: the gain left set (NaN: unknown) */
	bool pad_on;		/* SET_PAD; FINISH: the pad left set */
	uint64_t until_ms;	/* LISTEN */
	unsigned poll_ms;	/* LISTEN: half a meter window */
	unsigned pass;		/* LISTEN: 1..AG_MAX_PASSES */
	enum ag_result result;	/* FINISH */
	double peak_dbfs;	/* FINISH: the loudest peak to expect at that
				 * setting (0: it clips; -inf: nothing heard) */
};

#define AG_QUEUE_LEN 4

/* One input's machine. Embed it; its fields are private to autogain-core.c. */
struct ag {
	bool running;
	enum ag_result result;
	struct ag_params p;
	double pad_db;		/* known attenuation, or NaN */
	long n_steps;		/* gain grid: gain_min + k * step, k = 0..n_steps */
	long cur_k;		/* the setting as the machine has it */
	bool cur_pad;
	bool orig_pad;
	bool pad_toggled;
	bool gain_written;	/* a SET_GAIN was handed out */
	long ceiling_k[2];	/* lowest k that clipped, by pad state; > n_steps: none */
	unsigned pass;
	/* the pass in progress */
	bool listening;
	bool settle_next;	/* the next pass follows a change */
	uint64_t settle_until, last_t, hard_end;
	uint64_t covered_us;	/* of listen_ms, by the readings */
	bool pass_clipped;
	double pass_peak;
	unsigned readings;
	double heard_peak;	/* loudest peak of the last pass heard */
	/* actions decided, not yet handed out */
	struct ag_action q[AG_QUEUE_LEN];
	unsigned q_head, q_len;
	bool finishing;		/* the FINISH is queued */
	bool restoring;		/* a failure's restore is queued */
};

void ag_init(struct ag *ag);
/* -EBUSY while running, -EINVAL for parameters out of range */
int ag_start(struct ag *ag, const struct ag_params *p);

/* One reading: the loudest peak (dBFS) since the previous reading, and
 * whether the input clipped since then. */
void ag_feed_level(struct ag *ag, uint64_t now_ms, double peak_dbfs,
		   bool clipped);
/* The same for a reading that covers span_us of audio, whatever the clock
 * did (a capture stream: the frames read; an overrun's gap covers nothing). */
void ag_feed_span(struct ag *ag, uint64_t now_ms, uint64_t span_us,
		  double peak_dbfs, bool clipped);
/* The next thing to do. SET actions are taken as done when handed out: a
 * write that fails is reported with ag_device_failed() before the next
 * tick. After a FINISH, AG_ACT_NONE until the next ag_start(). */
struct ag_action ag_tick(struct ag *ag, uint64_t now_ms);

/* The input's gain or pad as read from the device. A value other than the
 * one the machine set is someone else's change: the run ends as
 * "cancelled" with that change kept, and true is returned. */
bool ag_gain_observed(struct ag *ag, double gain_db);
bool ag_pad_observed(struct ag *ag, bool pad_on);
/* Someone else set the gain: "cancelled", their gain kept. */
void ag_gain_changed_externally(struct ag *ag, double gain_db);
/* CancelAutoGain: the setting from before goes back. -ESRCH if not running. */
int ag_cancel(struct ag *ag);
/* The device refused a write or a read, or vanished. */
void ag_device_failed(struct ag *ag);

/* What the last pass heard, for the log: its loudest peak (0: it clipped),
 * the time its readings covered and how many there were. */
void ag_pass_heard(const struct ag *ag, double *peak_dbfs,
		   unsigned *covered_ms, unsigned *readings);

bool ag_running(const struct ag *ag);
unsigned ag_passes(const struct ag *ag);
enum ag_result ag_last_result(const struct ag *ag);
/* The AutoGainState property: "idle", "listening" or the last result. */
const char *ag_state_name(const struct ag *ag);
const char *ag_result_name(enum ag_result r);

#endif
