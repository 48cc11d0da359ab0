/* SPDX-License-Identifier: MIT */
/*
 * The emulated interface's audio: the simulated sources in front of each
 * preamp, the rendering of the captured samples (gain, pad and polarity
 * applied, clipping at full scale) and the meters computed from exactly
 * those samples, so that a recording and GET_METERS agree.
 *
 * Sources are pure functions of the frame number, so any stretch of the
 * timeline can be rendered, skipped or tested on its own.
 */
#ifndef EMU_AUDIO_H
#define EMU_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EMU_RATE		48000
#define EMU_BLOCK_FRAMES	48	/* 1 ms: the meters' resolution */
#define EMU_METER_BLOCKS	1000	/* the longest meter window, in blocks */
/* capture history kept: a reader may lag half of it (a slow VM) */
#define EMU_HISTORY_FRAMES	EMU_RATE
#define EMU_FULL_SCALE		32767
#define EMU_SINE_HZ		1000.0	/* 48 samples a period: exact peaks */
#define EMU_SPEECH_PITCH_HZ	200.0
#define EMU_MAX_CHANNELS	32

enum emu_shape {
	EMU_SHAPE_SILENCE,
	EMU_SHAPE_SINE,
	EMU_SHAPE_SPEECH,
};

/* What is plugged into one input: a level (peak dBFS at 0 dB gain). */
struct emu_source {
	enum emu_shape shape;
	double level_dbfs;
	uint32_t seed;
};

/* One input's meter over the rendered samples. */
struct emu_meter {
	uint16_t block_peak[EMU_METER_BLOCKS];	/* |sample| max per block */
	uint16_t clip_count;			/* clip events, wrapping */
	bool in_clip;				/* inside a run of clipped samples */
	bool clipped;				/* a clip since last taken */
};

/* The capture timeline shared by every input. */
struct emu_timeline {
	uint64_t frames;			/* rendered since power-up */
	uint64_t skipped;			/* frames a late reader lost */
	unsigned int channels;
	int16_t history[EMU_HISTORY_FRAMES * EMU_MAX_CHANNELS];
};

/* The source's value at a frame, before the preamp, in full-scale units. */
double emu_source_sample(const struct emu_source *src, uint64_t frame);
/* The same for n consecutive frames from frame0. */
void emu_source_block(const struct emu_source *src, uint64_t frame0,
		      double *out, unsigned int n);

const char *emu_shape_name(enum emu_shape shape);
int emu_shape_from_name(const char *name);	/* -1 if unknown */

/*
 * Renders one sample through the preamp: scales by gain_lin (gain, pad and
 * polarity folded in), quantizes to 16 bits, clips at full scale and feeds
 * the meter's clip detector.
 */
int16_t emu_render_sample(struct emu_meter *m, double x, double gain_lin);
/*
 * The same for n samples, written to out[0], out[stride], ... (native
 * endianness); returns the largest magnitude written.
 */
unsigned int emu_render_block(struct emu_meter *m, const double *x,
			      unsigned int n, double gain_lin, int16_t *out,
			      size_t stride);

/* Meter bookkeeping: a block of |peak| ends at block number blk. */
void emu_meter_block(struct emu_meter *m, uint64_t blk, uint16_t peak);
void emu_meter_reset(struct emu_meter *m);
/*
 * Peak over the last window_ms blocks before block number end_blk (the
 * first block not yet rendered), in 1/256 dBFS; PAMP_METER_SILENCE (-32768)
 * for digital silence.
 */
int16_t emu_meter_peak(const struct emu_meter *m, uint64_t end_blk,
		       unsigned int window_ms);

/* 1/256 dBFS of a sample magnitude; -32768 for 0. */
int16_t emu_peak_to_q8(unsigned int magnitude);
/* dB <-> linear */
double emu_db_to_lin(double db);

#endif /* EMU_AUDIO_H */
