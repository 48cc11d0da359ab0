/* SPDX-License-Identifier: MIT */
/*
 * Where an input's levels come from, as pure helpers: the controls of
 * snd-usb-preamp (Level Meter, Clip Count), scarlett2's Level Meter and
 * hardware autogain status, and a peak meter over captured samples for
 * inputs that have a gain but no meter. Every value here comes from a
 * device or a driver and is checked.
 */
#ifndef PREAMPD_LEVELS_H
#define PREAMPD_LEVELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "autogain-core.h"

/* ---- snd-usb-preamp: "Level Meter" and "Clip Count" ---- */

#define LV_CENTI_DBFS_MIN	(-9600)	/* silence (and anything below -96 dBFS) */
#define LV_CLIP_COUNT_MOD	65536u

/*
 * A Level Meter value (0.01 dBFS) in dBFS: -INFINITY for -9600 and below
 * (the driver's silence), 0 for anything above full scale (never sent by
 * a healthy driver; read as full scale, which AutoGain takes as a clip).
 */
double lv_centi_dbfs(long v);

/*
 * Clips between two reads of a wrapping Clip Count: (cur - prev) modulo
 * 65536. -ERANGE (and *delta 0) when either value is outside 0..65535.
 */
int lv_clip_delta(long prev, long cur, unsigned *delta);

/*
 * One entry of GetLevels' a(du): the peak of a Level Meter value and the
 * Clip Count as the device has it. An input without a meter reads
 * -INFINITY, without a clip counter 0; a counter outside 0..65535 reads 0.
 */
void lv_levels_entry(bool has_meter, long meter, bool has_clip, long clip,
		     double *peak_dbfs, uint32_t *clip_count);

/* ---- scarlett2 (Linux's Focusrite driver) ---- */

#define LV_SCARLETT2_METER_MAX	4095	/* its Level Meter is linear 0..4095 */

/* A linear meter value in dBFS: 20 * log10(v / full); -INFINITY for 0 and
 * below, 0 at full and above (full > 0). */
double lv_linear_dbfs(long v, long full);

/*
 * scarlett2's Level Meter has one value per routing destination, in the
 * order of its routing controls ("Analogue Output 01 Playback Enum",
 * "Mixer Input 01 Capture Enum", "DSP Input 1 Capture Enum", "PCM 01
 * Capture Enum": by type, then number; by numid on the 2i2 4th Gen). A
 * destination's value is the level of the source routed to it. Input N is
 * the source "Analogue N": its level is read at a destination that has
 * that source, a PCM (capture) one first.
 *
 * routes[i] is destination i in meter order: its control name and the
 * name of its selected source item. Returns the meter index, -ENOENT when
 * nothing routes input's signal anywhere, -EINVAL when the number of
 * routes is not the number of meter values (the assumption does not hold).
 */
struct lv_route {
	const char *dst;	/* "PCM 01 Capture Enum" */
	const char *src;	/* "Analogue 1" */
};
int lv_scarlett2_meter_index(const struct lv_route *routes, size_t n_routes,
			     size_t n_meters, unsigned input);

/* What scarlett2's "Line In N Autogain Status Capture Enum" says. */
enum lv_hw_autogain {
	LV_HWAG_IDLE,		/* never run ("Root"), nothing to report */
	LV_HWAG_RUNNING,	/* "Running": AutoGainState "listening" */
	LV_HWAG_FINISHED,	/* a result word */
};

/*
 * Maps a status item name to the spec's words (NULL or an unknown name:
 * finished, "failed"):
 *   Running                                    listening
 *   Success, SuccessDRover                     done
 *   WarnMinGainLimit, FailClipped, WarnMinCap  min-gain
 *   FailMaxGainLimit, WarnMaxCap               max-gain
 *   FailDRunder                                too-quiet
 *   Cancelled                                  cancelled
 *   Invalid, FailPG, FailRange, Failed, ...    failed
 *   Root                                       idle (never run)
 *   Stopped (Linux 6.8's first item list)      done
 */
enum lv_hw_autogain lv_scarlett2_autogain_status(const char *item,
						 enum ag_result *result);

/*
 * scarlett2's "Autogain Peak Target" (CARD, integer dB, -30..0) for a
 * target peak: rounded down so that the peak stays at or below the
 * target, clamped into -30..0. -EINVAL for NaN.
 */
#define LV_SCARLETT2_TARGET_MIN	(-30)
int lv_scarlett2_peak_target(double target_dbfs, long *value);

/* ---- a peak meter over captured samples ---- */

#define LV_PCM_MAX_CHANNELS 32

enum lv_format {
	LV_S16_LE,
	LV_S24_3LE,
	LV_S32_LE,	/* 24-bit devices too: full scale is within 255 of 2^31 */
};

struct lv_pcm_meter {
	enum lv_format fmt;
	unsigned channels;
	uint32_t peak[LV_PCM_MAX_CHANNELS];	/* largest magnitude since taken */
	bool clipped[LV_PCM_MAX_CHANNELS];	/* a sample at full scale */
	bool seen[LV_PCM_MAX_CHANNELS];		/* any sample since taken */
};

/* -EINVAL for an unknown format or channels outside 1..32 */
int lv_pcm_meter_init(struct lv_pcm_meter *m, enum lv_format fmt,
		      unsigned channels);
/* bytes of one frame */
size_t lv_pcm_frame_bytes(const struct lv_pcm_meter *m);
/* interleaved frames as alsa-lib's snd_pcm_readi() returns them */
void lv_pcm_meter_feed(struct lv_pcm_meter *m, const void *buf, size_t frames);
/*
 * Channel ch's loudest peak since it was last taken, in dBFS (-INFINITY
 * for digital silence, NaN when no sample came), and whether a sample was
 * at full scale. Starts the next block of that channel.
 */
double lv_pcm_meter_take(struct lv_pcm_meter *m, unsigned ch, bool *clipped);

#endif
