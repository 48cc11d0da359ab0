/* SPDX-License-Identifier: MIT */
/*
 * What preamp-gtk shows for a given state of the bus: device titles that
 * tell identical interfaces apart, a channel strip's controls and words,
 * the meter's peak hold and clip light, AutoGain's progress and result,
 * and error messages. Pure C: no GTK, no D-Bus, no clock (time is passed
 * in), so that tests/unit/test-preamp-gtk-model.c can test all of it.
 *
 * Every string here may come from a USB device: it is cleaned
 * (pg_clean_text) and bounded before it reaches a label.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pg_cap {
	PG_CAP_GAIN	= 1u << 0,
	PG_CAP_PHANTOM	= 1u << 1,
	PG_CAP_PAD	= 1u << 2,
	PG_CAP_PHASE	= 1u << 3,
	PG_CAP_HIGHPASS	= 1u << 4,
	PG_CAP_AIR	= 1u << 5,
	PG_CAP_LEVEL	= 1u << 6,
	PG_CAP_METER	= 1u << 7,
	PG_CAP_AUTOGAIN	= 1u << 8,
};

/* The capability bit of one word of Input.Capabilities (0: unknown). */
unsigned pg_cap_from_word(const char *word);

/*
 * Copies s into out (size bytes, always terminated), keeping at most
 * max_chars characters: control characters, bidirectional overrides and
 * invalid UTF-8 become U+FFFD, so a label shows what the device sent
 * without being steered by it. NULL is "".
 */
void pg_clean_text(char *out, size_t size, const char *s, size_t max_chars);

/* ---- devices ---- */

struct pg_device_state {
	const char *key, *name, *usb_id, *serial, *card_id, *driver;
	const char *user_name;		/* the name the user gave it, or NULL/"" */
	int32_t card;
	bool persistent;
};

struct pg_device_view {
	char title[512];		/* the user's name, else the product's */
	char subtitle[768];		/* product, serial, card: what tells it apart */
	char tab[512];			/* for the device switcher */
};

/*
 * The views of n devices at once: a device whose product name and USB id
 * another present device shares (a "twin"), and that has no name of the
 * user's, gets its serial (or its card, with no serial) in its title.
 */
void pg_device_views(const struct pg_device_state *devs, size_t n,
		     struct pg_device_view *out);

/* ---- a channel strip ---- */

#define PG_MAX_GROUP 32

struct pg_input_state {
	uint32_t number;
	const char *label;
	unsigned caps;
	double gain, gain_min, gain_max, gain_step;
	bool phantom, phantom_locked;
	bool pad, phase, highpass, air;
	const char *level;		/* "line", "inst" or "" */
	const char *autogain_state;
	uint32_t group[PG_MAX_GROUP];	/* input numbers sharing the 48 V switch */
	size_t n_group;
};

struct pg_strip_view {
	char title[96];
	bool gain_ok;			/* a usable range: the slider is shown */
	double gain, gain_min, gain_max, gain_step;
	unsigned n_steps;		/* positions the gain has, ends included */
	int digits;			/* decimals the step needs */
	char gain_text[32];		/* "24.5 dB" */
	bool show_phantom, phantom_on, phantom_sensitive;
	char phantom_text[32];		/* "48 V", "48 V on", "48 V locked" */
	char group_text[96];		/* "shared by inputs 1 and 2", or "" */
	char phantom_confirm[320];	/* the question asked before switching on */
	bool show_lock;
	bool show_pad, show_phase, show_highpass, show_air;
	bool show_level, level_inst;
	bool show_meter;
	bool show_autogain, autogain_running;
};

void pg_strip_view(const struct pg_input_state *in, struct pg_strip_view *v);

/* The gain snapped to the nearest step inside the range; NaN: min. */
double pg_gain_snap(double db, double min, double max, double step);
/* "24 dB", "12.5 dB", "-10 dB", with as many decimals as the step has. */
void pg_gain_text(char *out, size_t size, double db, double step);
/* The decimals a step needs (1 -> 0, 0.5 -> 1, 0.25 -> 2; at most 2). */
int pg_step_digits(double step);

/* "inputs 1 and 2", "inputs 1, 2 and 3", "input 3"; "" when n is 0. */
void pg_inputs_text(char *out, size_t size, const uint32_t *numbers, size_t n);

/* ---- the meter ---- */

#define PG_METER_FLOOR		-60.0	/* dBFS at the bottom of the meter */
#define PG_METER_WINDOW_LOW	-6.0	/* the studio's window: -6 to 0 dBFS */
#define PG_HOLD_SECONDS		1.5	/* a held peak stays this long */
#define PG_FALL_DB_PER_S	24.0	/* then the bar and hold fall this fast */

enum pg_zone { PG_ZONE_LOW, PG_ZONE_WINDOW, PG_ZONE_OVER };

struct pg_meter {
	bool started;
	double last;			/* time of the last sample, seconds */
	double bar;			/* what the bar shows, dBFS */
	double hold;			/* the held peak, dBFS */
	double hold_since;
	uint32_t count;			/* the daemon's clip counter, last seen */
	bool clip;			/* the clip light: on until cleared */
};

void pg_meter_init(struct pg_meter *m);
/*
 * One GetLevels sample at time now: peak in dBFS (NaN or -inf: silence),
 * and the daemon's clip counter. A counter that grew lights the clip
 * light; one that went down (a replug restarts it) does not.
 */
void pg_meter_feed(struct pg_meter *m, double now, double peak_dbfs, uint32_t clip_count);
/* A Clipped signal: the light goes on. */
void pg_meter_clipped(struct pg_meter *m, uint32_t clip_count);
/* The person clicked the light. */
void pg_meter_clear(struct pg_meter *m);
/* Where dbfs sits on the meter, 0 (floor or below) to 1 (0 dBFS). */
double pg_meter_fraction(double dbfs);
enum pg_zone pg_meter_zone(double dbfs);
/* "-12.5 dBFS", "silence" */
void pg_peak_text(char *out, size_t size, double dbfs);

/* ---- AutoGain ---- */

#define PG_AUTOGAIN_TARGET	-4.0	/* dBFS, the contract's usual target */
#define PG_AUTOGAIN_LISTEN_MS	10000u

struct pg_autogain {
	bool running;
	unsigned pass;			/* 1 while the first pass listens; 0: unknown */
	double trying;			/* the gain being tried, dB (NaN: unknown) */
	double target;			/* dBFS asked for */
	char result[16];		/* the last result word, or "" */
	double result_gain, result_peak;	/* NaN where unknown */
};

void pg_autogain_init(struct pg_autogain *a);
/* StartAutoGain was accepted, at gain db. */
void pg_autogain_started(struct pg_autogain *a, double target, double gain);
/* AutoGainState changed (and the gain, with it). */
void pg_autogain_state(struct pg_autogain *a, const char *state, double gain);
/* Gain changed while listening: the next pass tries this gain. */
void pg_autogain_gain(struct pg_autogain *a, const char *state, double gain);
/* AutoGainFinished(result, gain, peak). */
void pg_autogain_finished(struct pg_autogain *a, const char *result,
			  double gain, double peak);
/* Progress or result in words, for a label under the strip; "" when idle. */
void pg_autogain_text(const struct pg_autogain *a, double step, char *out, size_t size);

/* ---- presets and policy ---- */

/* 1..64 bytes of valid UTF-8, no '/', no control characters. */
bool pg_preset_name_valid(const char *name);

/* the 48 V policy words, in the order the app offers them */
extern const char *const pg_policy_words[3];
/* index in pg_policy_words, or -1 */
int pg_policy_index(const char *word);
const char *pg_policy_title(int index);
const char *pg_policy_description(int index);

/* ---- errors ---- */

enum pg_err_kind {
	PG_ERR_DAEMON,		/* preampd is not running or did not answer */
	PG_ERR_DENIED,		/* polkit said no */
	PG_ERR_GONE,		/* unplugged during the call */
	PG_ERR_DEVICE,		/* the device refused */
	PG_ERR_LOCKED,		/* 48 V locked off */
	PG_ERR_BUSY,
	PG_ERR_INVALID,
	PG_ERR_UNSUPPORTED,
	PG_ERR_NOTFOUND,
	PG_ERR_OTHER,
};

/* The kind of a D-Bus error name (NULL: a local failure). */
enum pg_err_kind pg_error_kind(const char *dbus_name);
/*
 * A message a person can act on: what was being done ("Setting the gain of
 * Mic 1"), what went wrong, and what to do. message is the daemon's own
 * words (cleaned here), or NULL.
 */
enum pg_err_kind pg_error_text(char *out, size_t size, const char *what,
			       const char *dbus_name, const char *message);

/* How to start the daemon, for the page shown while it is not running. */
extern const char pg_daemon_help[];

/* The input number N of ".../inputs/N" under device_path, or 0. */
uint32_t pg_input_number_from_path(const char *device_path, const char *path);
