// SPDX-License-Identifier: MIT
/*
 * The autogain and meter engine behind autogain.h: it drives one
 * AutoGain state machine (autogain-core.c) per input from one of three
 * sources of levels, chosen when StartAutoGain comes:
 *
 *  - hardware: the device's own autogain (scarlett2's "Line In N Autogain
 *    Capture Switch" and its status enum); listen_ms does not apply and
 *    the device decides the window (levels.h maps its status words);
 *  - meter: the driver's Level Meter and Clip Count (snd-usb-preamp), read
 *    every 25 ms (half the protocol's shortest meter window); the driver
 *    does not tell the device's window, so after a change the longest
 *    one passes before readings count;
 *  - capture: the card's capture stream hw:CARD,0, open only while
 *    listening, input N on channel N - 1; one stream per device, shared
 *    by every input listening to it.
 *
 * GetLevels reads the Level Meter and Clip Count controls; the driver
 * answers meter reads from one transfer per 20 ms, whoever reads.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stdarg.h>

#include "autogain-core.h"
#include "autogain.h"
#include "levels-pcm.h"
#include "levels.h"
#include "preampd.h"

/*
 * The driver does not tell the device's meter window (50 to 1000 ms by the
 * protocol): readings come every half of the shortest, and after a change
 * of gain or pad the longest window passes before a reading counts (a
 * peak held from before the change would read as a clip).
 */
#define METER_WINDOW_MS		50	/* PAMP_METER_WINDOW_MIN_MS */
#define METER_SETTLE_MS		(1000 + 250)	/* PAMP_METER_WINDOW_MAX_MS + latency */
#define HW_POLL_MS		200	/* hardware autogain status */
#define HW_TIMEOUT_MS		60000	/* a device that never finishes */
#define HW_RETRY_MS		50	/* a gain refused while the run ends */
#define HW_RESTORE_MS		5000	/* ... for at most this long */
#define PCM_SETTLE_EXTRA_MS	20
#define USEC_PER_MS		1000ULL

/* Fills why with a D-Bus error of preampd.h and a sentence; returns r. */
__attribute__((format(printf, 4, 5)))
static int refuse(struct autogain_refusal *why, int r, const char *error,
		  const char *fmt, ...)
{
	va_list ap;

	why->error = error;
	why->err = r;
	va_start(ap, fmt);
	vsnprintf(why->message, sizeof(why->message), fmt, ap);
	va_end(ap);
	return r;
}

/* The same for a failed request: the bus layer words it from r and what. */
static int refuse_errno(struct autogain_refusal *why, int r, const char *what)
{
	why->error = NULL;
	why->err = r;
	snprintf(why->message, sizeof(why->message), "%s", what);
	return r;
}

/* a run of the device's own autogain */
enum hw_phase {
	HW_IDLE,
	HW_RUNNING,		/* its switch is on */
	HW_RESTORING,		/* over; the gain goes back */
};

enum source {
	SRC_NONE,
	SRC_HARDWARE,
	SRC_METER,
	SRC_CAPTURE,
};

struct autogain {
	struct input *in;
	struct ag ag;
	enum source src;
	const char *hw_state;	/* AutoGainState of a hardware run */
	enum hw_phase hw_phase;
	enum ag_result hw_result;	/* of a run whose gain goes back */
	long hw_orig_raw;
	uint64_t hw_deadline;
	uint64_t hw_restore_deadline;
	sd_event_source *poll;	/* meter or status reads */
	sd_event_source *end;	/* the end of a pass */
	struct capture *cap;	/* the capture stream it listens to */
	unsigned poll_ms;
	unsigned logged_pass;	/* the last pass whose start was logged */
	unsigned ended_pass;	/* the last pass whose end was logged */
	sd_event_source *kick;	/* drive() again, from the event loop */
	bool clip_known;
	long clip_prev;
};

static struct manager *manager_of(const struct autogain *a)
{
	return device_manager(input_device(a->in));
}

static struct card *card_of(const struct autogain *a)
{
	return device_card(input_device(a->in));
}

static uint64_t now_usec(const struct autogain *a)
{
	uint64_t now = 0;

	sd_event_now(manager_of(a)->event, CLOCK_MONOTONIC, &now);
	return now;
}

static bool has_meter(const struct input *in)
{
	const struct pa_input_map *map = input_map(in);

	return map->ref[PA_FN_METER].elem >= 0 &&
	       device_match(input_device(in))->meter_scale == PA_METER_CENTI_DBFS;
}

static bool has_hardware(const struct input *in)
{
	const struct pa_input_map *map = input_map(in);

	return map->ref[PA_FN_AUTOGAIN].elem >= 0 &&
	       map->ref[PA_FN_AUTOGAIN_STATUS].elem >= 0;
}

static bool has_capture(const struct input *in)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/asound/card%d/pcm0c",
		 device_card_index(input_device(in)));
	return access(path, F_OK) == 0;
}

/* ---- one capture stream per device, shared by its listening inputs ---- */

struct capture {
	struct capture *next;
	struct device *dev;
	struct lv_pcm *pcm;
	sd_event_source *io;
	struct autogain *users[PA_MAX_INPUTS];	/* by input number - 1 */
};

static void capture_leave(struct autogain *a)
{
	struct capture *c = a->cap, **pp;

	if (!c)
		return;
	a->cap = NULL;
	c->users[input_number(a->in) - 1] = NULL;
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++)
		if (c->users[i])
			return;
	if (lv_pcm_overruns(c->pcm))
		log_info("%s: AutoGain: the capture stream overran %lu times",
			 input_path(a->in), lv_pcm_overruns(c->pcm));
	for (pp = &manager_of(a)->captures; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	sd_event_source_disable_unref(c->io);
	lv_pcm_close(c->pcm);
	free(c);
}

/*
 * Ready audio: every listening input takes its channel's peak. Driving
 * one can end its run and so close the stream: c is not touched after.
 */
static void check_external(struct autogain *a);
static void drive(struct autogain *a);

static int on_capture(sd_event_source *s, int fd, uint32_t revents,
		      void *userdata)
{
	struct capture *c = userdata;
	struct autogain *users[PA_MAX_INPUTS];
	unsigned n_users = 0;
	long n;

	(void)s;
	(void)fd;
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++)
		if (c->users[i])
			users[n_users++] = c->users[i];
	n = lv_pcm_read(c->pcm, revents);
	for (unsigned k = 0; k < n_users; k++) {
		struct autogain *a = users[k];

		if (n < 0) {
			log_warning("%s: AutoGain: the capture stream failed: %s",
				    input_path(a->in), strerror((int)-n));
			ag_device_failed(&a->ag);
		} else if (n > 0) {
			bool clipped;
			double peak = lv_pcm_meter_take(lv_pcm_meter(c->pcm),
							input_number(a->in) - 1,
							&clipped);

			check_external(a);
			/* the pass counts the audio heard, not the time: an
			 * overrun's gap or a late stream covers nothing; and
			 * the audio is as old as its place in the stream says,
			 * so a late stream's audio from before a change is
			 * not taken for the new setting's */
			ag_feed_span(&a->ag, lv_pcm_heard_until_usec(c->pcm) / USEC_PER_MS,
				     (uint64_t)n * 1000000u / lv_pcm_rate(c->pcm),
				     peak, clipped);
		}
	}
	for (unsigned k = 0; k < n_users; k++)
		drive(users[k]);
	return 0;
}

/* The device's stream, opened for the first input that listens. */
static int capture_join(struct autogain *a, struct autogain_refusal *why)
{
	struct device *d = input_device(a->in);
	const struct pa_match *match = device_match(d);
	unsigned inputs = 0, events;
	struct capture *c;
	char failure[160];
	int fd, r;

	for (c = manager_of(a)->captures; c && c->dev != d; c = c->next)
		;
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return refuse_errno(why, -ENOMEM, "listening");
		for (unsigned n = 1; n <= PA_MAX_INPUTS; n++)
			if (match->present & (1u << (n - 1)))
				inputs = n;
		r = lv_pcm_open(device_card_index(d), inputs, &c->pcm, failure,
				sizeof(failure));
		if (r >= 0) {
			lv_pcm_fd(c->pcm, &fd, &events);
			r = sd_event_add_io(manager_of(a)->event, &c->io, fd,
					    events, on_capture, c);
			if (r < 0)
				snprintf(failure, sizeof(failure),
					 "watching it failed (%s)", strerror(-r));
		}
		if (r < 0) {
			lv_pcm_close(c->pcm);
			free(c);
			if (r == -EBUSY)
				return refuse(why, r, PA_ERR_BUSY,
					      "AutoGain listens to the capture stream, and %s.",
					      failure);
			return refuse(why, r, PA_ERR_IO, "AutoGain cannot listen: %s.",
				      failure);
		}
		c->dev = d;
		c->next = manager_of(a)->captures;
		manager_of(a)->captures = c;
	}
	a->cap = c;
	c->users[input_number(a->in) - 1] = a;
	if (input_number(a->in) > lv_pcm_channels(c->pcm)) {
		capture_leave(a);
		return refuse(why, -EOPNOTSUPP, PA_ERR_NOT_SUPPORTED,
			      "The capture stream has no channel for input %u.",
			      input_number(a->in));
	}
	return 0;
}

/* ---- life cycle ---- */

int autogain_new(struct input *in, struct autogain **out)
{
	struct autogain *a = calloc(1, sizeof(*a));

	if (!a)
		return -ENOMEM;
	a->in = in;
	ag_init(&a->ag);
	*out = a;
	return 0;
}

static void stop_io(struct autogain *a)
{
	a->poll = sd_event_source_disable_unref(a->poll);
	a->end = sd_event_source_disable_unref(a->end);
	capture_leave(a);
}

void autogain_free(struct autogain *a)
{
	if (!a)
		return;
	stop_io(a);
	sd_event_source_disable_unref(a->kick);
	free(a);
}

bool autogain_capable(const struct input *in)
{
	if (!(input_map(in)->caps & PA_CAP_GAIN))
		return false;
	return has_hardware(in) || has_meter(in) || has_capture(in);
}

const char *autogain_state(const struct autogain *a)
{
	if (a->src == SRC_HARDWARE)
		return a->hw_state ? a->hw_state : "idle";
	return ag_state_name(&a->ag);
}

/* ---- the end of a run ---- */

static void finished(struct autogain *a, enum ag_result r, double gain,
		     double peak)
{
	struct input *in = a->in;

	if (!isfinite(gain) && (input_live(in)->fields & PA_F_GAIN))
		gain = input_live(in)->gain_db;
	if (a->src == SRC_HARDWARE)
		log_info("%s: AutoGain %s, gain %.1f dB, loudest peak %.2f dBFS",
			 input_path(in), ag_result_name(r), gain, peak);
	else
		log_info("%s: AutoGain %s, gain %.1f dB, loudest peak %.2f dBFS, "
			 "%u passes", input_path(in), ag_result_name(r), gain,
			 peak, ag_passes(&a->ag));
	input_autogain_finished(in, ag_result_name(r), gain, peak);
}

/* ---- the software machine ---- */

static int on_poll(sd_event_source *s, uint64_t usec, void *userdata);
static int on_end(sd_event_source *s, uint64_t usec, void *userdata);
static int on_hw_poll(sd_event_source *s, uint64_t usec, void *userdata);

static int arm(struct autogain *a, sd_event_source **src, uint64_t usec,
	       sd_event_time_handler_t cb)
{
	int r;

	if (*src) {
		r = sd_event_source_set_time(*src, usec);
		if (r >= 0)
			r = sd_event_source_set_enabled(*src, SD_EVENT_ONESHOT);
		return r;
	}
	return sd_event_add_time(manager_of(a)->event, src, CLOCK_MONOTONIC,
				 usec, USEC_PER_MS, cb, a);
}

/* Someone else moved the gain or the pad: the machine decides whether. */
static void check_external(struct autogain *a)
{
	const struct pa_input_settings *live = input_live(a->in);

	if (live->fields & PA_F_GAIN)
		ag_gain_observed(&a->ag, live->gain_db);
	if (live->fields & PA_F_SWITCH(PA_SW_PAD))
		ag_pad_observed(&a->ag, live->sw[PA_SW_PAD]);
}

static void drive(struct autogain *a)
{
	const struct pa_input_map *map = input_map(a->in);

	for (unsigned guard = 0; guard < 16; guard++) {
		struct ag_action act = ag_tick(&a->ag, now_usec(a) / USEC_PER_MS);
		int r = 0;

		if (a->logged_pass > a->ended_pass &&
		    (act.type != AG_ACT_LISTEN || act.pass != a->logged_pass)) {
			double peak;
			unsigned ms, n;

			ag_pass_heard(&a->ag, &peak, &ms, &n);
			a->ended_pass = a->logged_pass;
			log_info("%s: AutoGain pass %u heard %.2f dBFS over %u ms in %u readings",
				 input_path(a->in), a->ended_pass, peak, ms, n);
		}

		switch (act.type) {
		case AG_ACT_SET_GAIN:
			r = input_write_gain_raw(a->in,
						 pa_gain_clamp_raw(&map->gain,
								   act.gain_db));
			break;
		case AG_ACT_SET_PAD:
			r = input_write_switch(a->in, PA_SW_PAD, act.pad_on);
			break;
		case AG_ACT_LISTEN:
			if (act.pass != a->logged_pass) {
				const struct pa_input_settings *live =
					input_live(a->in);

				a->logged_pass = act.pass;
				log_info("%s: AutoGain pass %u listens at gain %.1f dB, pad %s",
					 input_path(a->in), act.pass,
					 live->gain_db,
					 live->sw[PA_SW_PAD] ? "on" : "off");
			}
			a->poll_ms = act.poll_ms;
			r = arm(a, &a->end, act.until_ms * USEC_PER_MS, on_end);
			if (r >= 0 && a->src == SRC_METER && !a->poll)
				r = arm(a, &a->poll,
					now_usec(a) + a->poll_ms * USEC_PER_MS,
					on_poll);
			if (r < 0) {
				log_error("%s: AutoGain cannot arm a timer: %s",
					  input_path(a->in), strerror(-r));
				ag_device_failed(&a->ag);
				continue;
			}
			return;
		case AG_ACT_FINISH:
			stop_io(a);
			finished(a, act.result, act.gain_db, act.peak_dbfs);
			return;
		case AG_ACT_NONE:
			return;
		}
		if (r < 0) {
			log_warning("%s: AutoGain: the device refused a change: %s",
				    input_path(a->in), strerror(-r));
			ag_device_failed(&a->ag);
		}
	}
}

static int on_end(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct autogain *a = userdata;

	(void)s;
	(void)usec;
	drive(a);
	return 0;
}

/* One reading of the Level Meter and Clip Count. */
static void read_meter(struct autogain *a)
{
	const struct pa_input_map *map = input_map(a->in);
	struct card *c = card_of(a);
	double peak = NAN;
	bool clipped = false;
	long v;
	int r;

	r = card_read(c, map->ref[PA_FN_METER].elem,
		      map->ref[PA_FN_METER].channel, &v);
	if (r == -ENODEV) {
		ag_device_failed(&a->ag);
		return;
	}
	if (r == 0)
		peak = lv_centi_dbfs(v);
	if (map->ref[PA_FN_CLIP].elem >= 0 &&
	    card_read(c, map->ref[PA_FN_CLIP].elem,
		      map->ref[PA_FN_CLIP].channel, &v) == 0) {
		unsigned delta;

		if (a->clip_known && lv_clip_delta(a->clip_prev, v, &delta) == 0)
			clipped = delta > 0;
		a->clip_prev = v;
		a->clip_known = true;
	}
	ag_feed_level(&a->ag, now_usec(a) / USEC_PER_MS, peak, clipped);
}

static int on_poll(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct autogain *a = userdata;

	(void)s;
	if (!ag_running(&a->ag))
		return 0;
	check_external(a);
	read_meter(a);
	drive(a);
	/* from now, not from when it was due: a late loop does not burst */
	(void)usec;
	if (ag_running(&a->ag) && a->poll)
		arm(a, &a->poll, now_usec(a) + a->poll_ms * USEC_PER_MS, on_poll);
	return 0;
}

static int start_capture(struct autogain *a, struct ag_params *p,
			 struct autogain_refusal *why)
{
	int r = capture_join(a, why);

	if (r < 0)
		return r;
	/* a reading is a period; after a change, what the buffer may hold
	 * from before passes first */
	p->meter_window_ms = lv_pcm_period_ms(a->cap->pcm);
	p->settle_ms = lv_pcm_buffer_ms(a->cap->pcm) + PCM_SETTLE_EXTRA_MS;
	return 0;
}

static int start_software(struct autogain *a, double target, unsigned listen_ms,
			  struct autogain_refusal *why)
{
	const struct pa_input_map *map = input_map(a->in);
	const struct pa_input_settings *live = input_live(a->in);
	struct ag_params p = {
		.target_dbfs = target,
		.listen_ms = listen_ms,
		.gain_min_db = map->gain.db_min,
		.gain_max_db = map->gain.db_max,
		.gain_step_db = pa_gain_step(&map->gain),
		.gain_db = live->gain_db,
		.pad_available = map->ref[PA_FN_PAD].elem >= 0,
		.pad_db = NAN,	/* a switch: its attenuation is not told */
		.pad_on = live->sw[PA_SW_PAD],
		.meter_window_ms = METER_WINDOW_MS,
		.settle_ms = METER_SETTLE_MS,
	};
	int r;

	if (!(live->fields & PA_F_GAIN))
		return refuse(why, -EIO, PA_ERR_IO, "The input's gain could not be read.");
	a->clip_known = false;
	a->logged_pass = 0;
	a->ended_pass = 0;
	if (a->src == SRC_CAPTURE) {
		r = start_capture(a, &p, why);
		if (r < 0)
			return r;
	} else {
		long v;

		if (map->ref[PA_FN_CLIP].elem >= 0 &&
		    card_read(card_of(a), map->ref[PA_FN_CLIP].elem,
			      map->ref[PA_FN_CLIP].channel, &v) == 0) {
			a->clip_prev = v;
			a->clip_known = true;
		}
	}
	r = ag_start(&a->ag, &p);
	if (r < 0) {
		stop_io(a);
		return refuse(why, r, PA_ERR_IO,
			      "AutoGain cannot work with this input's gain range.");
	}
	return 0;
}

/* ---- the device's own autogain ---- */

static int find_elem(const struct card *c, const char *name)
{
	size_t n;
	const struct pa_elem *e = card_elems(c, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void hw_finish(struct autogain *a, enum ag_result r)
{
	a->hw_phase = HW_IDLE;
	a->hw_state = ag_result_name(r);
	stop_io(a);
	finished(a, r, NAN, NAN);
}

/* The status word the driver shows now, or NULL. */
static const char *hw_status_word(struct autogain *a, int *err)
{
	const struct pa_ref *st = &input_map(a->in)->ref[PA_FN_AUTOGAIN_STATUS];
	size_t n;
	const struct pa_elem *e = card_elems(card_of(a), &n);
	long v;

	*err = card_read(card_of(a), st->elem, st->channel, &v);
	if (*err < 0 || (size_t)st->elem >= n || v < 0 || !e[st->elem].items ||
	    (unsigned long)v >= e[st->elem].n_items || v >= PA_ITEMS_MAX)
		return NULL;
	return e[st->elem].items[v];
}

/*
 * The gain goes back (a cancel, or a run that never ended). The driver
 * refuses gain writes (EPERM) while it still takes the run for running,
 * until the device has told it the run is over: try again until then.
 */
static void hw_restore(struct autogain *a, enum ag_result result)
{
	a->hw_phase = HW_RESTORING;
	a->hw_result = result;
	a->hw_restore_deadline = now_usec(a) / USEC_PER_MS + HW_RESTORE_MS;
	if (arm(a, &a->poll, now_usec(a), on_hw_poll) < 0)
		hw_finish(a, AG_FAILED);
}

static void hw_poll_restoring(struct autogain *a, uint64_t now_ms)
{
	int r = input_write_gain_raw(a->in, a->hw_orig_raw);

	if (r == -EPERM && now_ms < a->hw_restore_deadline) {
		arm(a, &a->poll, now_usec(a) + HW_RETRY_MS * USEC_PER_MS,
		    on_hw_poll);
		return;
	}
	if (r < 0)
		log_warning("%s: AutoGain: the gain could not be put back: %s",
			    input_path(a->in), strerror(-r));
	hw_finish(a, r < 0 ? AG_FAILED : a->hw_result);
}

/*
 * The device runs its autogain while its switch is on: scarlett2 keeps
 * showing the previous run's result in the status until the device tells
 * it otherwise, so the status alone cannot say that this run is over. The
 * switch going off can: the driver then reads the switch and the status
 * from the device together, and the status is this run's.
 */
static void hw_poll_running(struct autogain *a, uint64_t now_ms)
{
	const struct pa_ref *sw = &input_map(a->in)->ref[PA_FN_AUTOGAIN];
	const char *word;
	enum ag_result result;
	long on;
	int r;

	r = card_read(card_of(a), sw->elem, sw->channel, &on);
	if (r == -ENODEV) {
		hw_finish(a, AG_FAILED);
		return;
	}
	if (r == 0 && !on) {
		word = hw_status_word(a, &r);
		if (r == -ENODEV) {
			hw_finish(a, AG_FAILED);
			return;
		}
		if (lv_scarlett2_autogain_status(word, &result) !=
		    LV_HWAG_RUNNING) {
			log_info("%s: AutoGain: the device's run is over: %s",
				 input_path(a->in), word ? word : "(no status)");
			if (result == AG_CANCELLED) {
				/* the device's own button: the gain goes back */
				hw_restore(a, AG_CANCELLED);
				return;
			}
			/* its final gain, read now, not when its event comes */
			device_elem_changed(input_device(a->in),
					    input_map(a->in)->ref[PA_FN_GAIN].elem,
					    false);
			hw_finish(a, result);
			return;
		}
	}
	if (now_ms >= a->hw_deadline) {
		log_warning("%s: AutoGain: the device did not finish within %u s",
			    input_path(a->in), HW_TIMEOUT_MS / 1000);
		card_write(card_of(a), sw->elem, sw->channel, 0);
		hw_restore(a, AG_FAILED);
		return;
	}
	arm(a, &a->poll, now_usec(a) + HW_POLL_MS * USEC_PER_MS, on_hw_poll);
}

static int on_hw_poll(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct autogain *a = userdata;
	uint64_t now_ms = now_usec(a) / USEC_PER_MS;

	(void)s;
	(void)usec;
	if (a->hw_phase == HW_RUNNING)
		hw_poll_running(a, now_ms);
	else if (a->hw_phase == HW_RESTORING)
		hw_poll_restoring(a, now_ms);
	return 0;
}

static int start_hardware(struct autogain *a, double target,
			  struct autogain_refusal *why)
{
	const struct pa_input_map *map = input_map(a->in);
	struct card *c = card_of(a);
	int target_elem = find_elem(c, "Autogain Peak Target");
	long v;
	int r;

	if (!(input_live(a->in)->fields & PA_F_GAIN))
		return refuse(why, -EIO, PA_ERR_IO, "The input's gain could not be read.");
	a->hw_orig_raw = pa_gain_clamp_raw(&map->gain, input_live(a->in)->gain_db);
	if (target_elem >= 0 && lv_scarlett2_peak_target(target, &v) == 0) {
		r = card_write(c, target_elem, 0, v);
		if (r < 0)
			return refuse_errno(why, r, "setting the autogain target");
	}
	r = card_write(c, map->ref[PA_FN_AUTOGAIN].elem,
		       map->ref[PA_FN_AUTOGAIN].channel, 1);
	if (r < 0)
		return refuse_errno(why, r, "starting the device's autogain");
	a->hw_phase = HW_RUNNING;
	a->hw_state = "listening";
	a->hw_deadline = now_usec(a) / USEC_PER_MS + HW_TIMEOUT_MS;
	r = arm(a, &a->poll, now_usec(a) + HW_POLL_MS * USEC_PER_MS, on_hw_poll);
	if (r < 0)
		log_error("%s: AutoGain cannot arm a timer: %s",
			  input_path(a->in), strerror(-r));
	log_info("%s: AutoGain: the device's own autogain runs (gain %.1f dB before)",
		 input_path(a->in), input_live(a->in)->gain_db);
	return 0;
}

/* ---- autogain.h ---- */

int autogain_start(struct input *in, double target_dbfs, unsigned listen_ms,
		   struct autogain_refusal *why)
{
	struct autogain *a = input_autogain(in);

	if (ag_running(&a->ag) || a->hw_phase != HW_IDLE)
		return refuse(why, -EBUSY, PA_ERR_BUSY, "AutoGain already runs on this input.");
	if (!autogain_capable(in))
		return refuse(why, -EOPNOTSUPP, PA_ERR_NOT_SUPPORTED,
			      "This input has no meter, no autogain and no capture stream.");
	if (has_hardware(in)) {
		a->src = SRC_HARDWARE;
		return start_hardware(a, target_dbfs, why);
	}
	a->src = has_meter(in) ? SRC_METER : SRC_CAPTURE;
	return start_software(a, target_dbfs, listen_ms, why);
}

void autogain_go(struct input *in)
{
	struct autogain *a = input_autogain(in);

	input_emit_changed(in, "AutoGainState", NULL);
	if (a->src != SRC_HARDWARE)
		drive(a);
}

void autogain_cancel(struct input *in)
{
	struct autogain *a = input_autogain(in);
	const struct pa_input_map *map = input_map(in);
	int r;

	if (a->hw_phase == HW_RUNNING) {
		/* the device stops; its gain goes back once the driver lets it */
		r = card_write(card_of(a), map->ref[PA_FN_AUTOGAIN].elem,
			       map->ref[PA_FN_AUTOGAIN].channel, 0);
		if (r < 0)
			log_warning("%s: AutoGain: the device's autogain could not be switched off: %s",
				    input_path(in), strerror(-r));
		hw_restore(a, r < 0 ? AG_FAILED : AG_CANCELLED);
	} else if (ag_cancel(&a->ag) == 0) {
		drive(a);
	}
	/* nothing running: nothing to stop */
}

static int on_kick(sd_event_source *s, void *userdata)
{
	(void)s;
	drive(userdata);
	return 0;
}

/*
 * Drives the machine from the event loop, not from inside the write that
 * revealed the change: that write may be drive()'s own.
 */
static void kick(struct autogain *a)
{
	int r;

	if (a->kick)
		r = sd_event_source_set_enabled(a->kick, SD_EVENT_ONESHOT);
	else
		r = sd_event_add_defer(manager_of(a)->event, &a->kick, on_kick, a);
	if (r < 0) {
		log_error("%s: AutoGain cannot schedule its next step: %s",
			  input_path(a->in), strerror(-r));
		ag_device_failed(&a->ag);
	}
}

void autogain_gain_moved(struct input *in)
{
	struct autogain *a = input_autogain(in);

	/* during the device's own autogain, the gain is the device's */
	if (!a || a->src == SRC_HARDWARE || !ag_running(&a->ag))
		return;
	if (ag_gain_observed(&a->ag, input_live(in)->gain_db))
		kick(a);
}

int autogain_get_levels(struct device *d, struct autogain_level *levels,
			size_t *n, struct autogain_refusal *why)
{
	const struct pa_match *match = device_match(d);
	struct card *c = device_card(d);
	bool any = false;
	int r;

	*n = 0;
	for (unsigned k = 1; k <= PA_MAX_INPUTS; k++) {
		struct input *in = device_input(d, k);

		if (in && has_meter(in))
			any = true;
	}
	if (!any || match->meter_scale != PA_METER_CENTI_DBFS)
		return refuse(why, -EOPNOTSUPP, PA_ERR_NOT_SUPPORTED,
			      "This device has no level meters.");
	for (unsigned k = 1; k <= PA_MAX_INPUTS; k++) {
		struct input *in = device_input(d, k);
		const struct pa_input_map *map;
		long meter = 0, clip = 0;
		bool mok = false, cok = false;

		if (!in)
			continue;
		map = input_map(in);
		if (map->ref[PA_FN_METER].elem >= 0) {
			r = card_read(c, map->ref[PA_FN_METER].elem,
				      map->ref[PA_FN_METER].channel, &meter);
			if (r == -ENODEV)
				return refuse(why, r, PA_ERR_DEVICE_GONE,
					      "The device was unplugged.");
			mok = r == 0;
		}
		if (map->ref[PA_FN_CLIP].elem >= 0)
			cok = card_read(c, map->ref[PA_FN_CLIP].elem,
					map->ref[PA_FN_CLIP].channel, &clip) == 0;
		lv_levels_entry(mok, meter, cok, clip, &levels[*n].peak,
				&levels[*n].clips);
		(*n)++;
	}
	return 0;
}
