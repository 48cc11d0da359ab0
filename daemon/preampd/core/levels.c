// SPDX-License-Identifier: MIT
/* Where levels come from: decoders and a capture peak meter (levels.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "levels.h"

/* ---- snd-usb-preamp ---- */

double lv_centi_dbfs(long v)
{
	if (v <= LV_CENTI_DBFS_MIN)
		return -INFINITY;
	if (v >= 0)
		return 0.0;
	return (double)v / 100.0;
}

static bool clip_count_valid(long v)
{
	return v >= 0 && v < (long)LV_CLIP_COUNT_MOD;
}

int lv_clip_delta(long prev, long cur, unsigned *delta)
{
	*delta = 0;
	if (!clip_count_valid(prev) || !clip_count_valid(cur))
		return -ERANGE;
	*delta = (unsigned)((cur - prev + (long)LV_CLIP_COUNT_MOD) %
			    (long)LV_CLIP_COUNT_MOD);
	return 0;
}

void lv_levels_entry(bool has_meter, long meter, bool has_clip, long clip,
		     double *peak_dbfs, uint32_t *clip_count)
{
	*peak_dbfs = has_meter ? lv_centi_dbfs(meter) : -INFINITY;
	*clip_count = has_clip && clip_count_valid(clip) ? (uint32_t)clip : 0;
}

/* ---- scarlett2 ---- */

double lv_linear_dbfs(long v, long full)
{
	if (full <= 0 || v <= 0)
		return -INFINITY;
	if (v >= full)
		return 0.0;
	return 20.0 * log10((double)v / (double)full);
}

static bool is_capture_dst(const char *dst)
{
	return dst && strncmp(dst, "PCM ", 4) == 0;
}

int lv_scarlett2_meter_index(const struct lv_route *routes, size_t n_routes,
			     size_t n_meters, unsigned input)
{
	char want[24];
	int any = -ENOENT;

	if (n_routes != n_meters || n_routes > 1024 || input == 0 ||
	    input > 99)
		return -EINVAL;
	snprintf(want, sizeof(want), "Analogue %u", input);
	for (size_t i = 0; i < n_routes; i++) {
		if (!routes[i].src || strcmp(routes[i].src, want) != 0)
			continue;
		if (is_capture_dst(routes[i].dst))
			return (int)i;
		if (any < 0)
			any = (int)i;
	}
	return any;
}

static const struct {
	const char *item;
	enum lv_hw_autogain state;
	enum ag_result result;
} hw_status[] = {
	{ "Running", LV_HWAG_RUNNING, AG_RESULT_NONE },
	{ "Root", LV_HWAG_IDLE, AG_RESULT_NONE },
	{ "Success", LV_HWAG_FINISHED, AG_DONE },
	{ "SuccessDRover", LV_HWAG_FINISHED, AG_DONE },
	{ "Stopped", LV_HWAG_FINISHED, AG_DONE },
	{ "WarnMinGainLimit", LV_HWAG_FINISHED, AG_MIN_GAIN },
	{ "FailClipped", LV_HWAG_FINISHED, AG_MIN_GAIN },
	{ "WarnMinCap", LV_HWAG_FINISHED, AG_MIN_GAIN },
	{ "FailMaxGainLimit", LV_HWAG_FINISHED, AG_MAX_GAIN },
	{ "WarnMaxCap", LV_HWAG_FINISHED, AG_MAX_GAIN },
	{ "FailDRunder", LV_HWAG_FINISHED, AG_TOO_QUIET },
	{ "Cancelled", LV_HWAG_FINISHED, AG_CANCELLED },
};

enum lv_hw_autogain lv_scarlett2_autogain_status(const char *item,
						 enum ag_result *result)
{
	for (size_t i = 0; item && i < sizeof(hw_status) / sizeof(hw_status[0]); i++) {
		if (strcmp(item, hw_status[i].item) == 0) {
			*result = hw_status[i].result;
			return hw_status[i].state;
		}
	}
	*result = AG_FAILED;
	return LV_HWAG_FINISHED;
}

int lv_scarlett2_peak_target(double target_dbfs, long *value)
{
	double v;

	if (isnan(target_dbfs))
		return -EINVAL;
	v = floor(target_dbfs);
	if (v < LV_SCARLETT2_TARGET_MIN)
		v = LV_SCARLETT2_TARGET_MIN;
	if (v > 0.0)
		v = 0.0;
	*value = (long)v;
	return 0;
}

/* ---- the capture peak meter ---- */

static const struct {
	size_t bytes;
	uint32_t full;		/* magnitude of full scale */
	uint32_t clip_at;	/* a magnitude at or above this is full scale */
} formats[] = {
	[LV_S16_LE] = { 2, 32767u, 32767u },
	[LV_S24_3LE] = { 3, 8388607u, 8388607u },
	[LV_S32_LE] = { 4, 2147483647u, 2147483647u - 255u },
};

int lv_pcm_meter_init(struct lv_pcm_meter *m, enum lv_format fmt,
		      unsigned channels)
{
	memset(m, 0, sizeof(*m));
	if ((unsigned)fmt >= sizeof(formats) / sizeof(formats[0]) ||
	    channels < 1 || channels > LV_PCM_MAX_CHANNELS)
		return -EINVAL;
	m->fmt = fmt;
	m->channels = channels;
	return 0;
}

size_t lv_pcm_frame_bytes(const struct lv_pcm_meter *m)
{
	return formats[m->fmt].bytes * m->channels;
}

/* the magnitude of one little-endian sample */
static uint32_t magnitude(enum lv_format fmt, const uint8_t *p)
{
	int32_t v;

	switch (fmt) {
	case LV_S16_LE:
		v = (int16_t)(uint16_t)(p[0] | p[1] << 8);
		break;
	case LV_S24_3LE: {
		uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
			     (uint32_t)p[2] << 16;

		v = (int32_t)(u ^ 0x800000u) - 0x800000;
		break;
	}
	case LV_S32_LE:
	default:
		v = (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			      (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		break;
	}
	return v < 0 ? (uint32_t)(-(int64_t)v) : (uint32_t)v;
}

void lv_pcm_meter_feed(struct lv_pcm_meter *m, const void *buf, size_t frames)
{
	const uint8_t *p = buf;
	size_t bytes = formats[m->fmt].bytes;
	uint32_t clip_at = formats[m->fmt].clip_at;

	for (size_t f = 0; f < frames; f++) {
		for (unsigned ch = 0; ch < m->channels; ch++, p += bytes) {
			uint32_t mag = magnitude(m->fmt, p);

			if (mag > m->peak[ch])
				m->peak[ch] = mag;
			if (mag >= clip_at)
				m->clipped[ch] = true;
		}
	}
	if (frames)
		for (unsigned ch = 0; ch < m->channels; ch++)
			m->seen[ch] = true;
}

double lv_pcm_meter_take(struct lv_pcm_meter *m, unsigned ch, bool *clipped)
{
	double db;

	*clipped = false;
	if (ch >= m->channels)
		return NAN;
	if (!m->seen[ch])
		return NAN;
	*clipped = m->clipped[ch];
	if (m->clipped[ch] || m->peak[ch] >= formats[m->fmt].full)
		db = 0.0;
	else if (m->peak[ch] == 0)
		db = -INFINITY;
	else
		db = 20.0 * log10((double)m->peak[ch] /
				  (double)formats[m->fmt].full);
	m->peak[ch] = 0;
	m->clipped[ch] = false;
	m->seen[ch] = false;
	return db;
}
