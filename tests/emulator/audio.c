// SPDX-License-Identifier: MIT
/*
 * Simulated sources, the preamp's sample path and the meters.
 *
 * The steady sine is 1 kHz: exactly 48 samples a period at 48 kHz, so one
 * sample of every period lands on the crest and the measured peak is the
 * level to the hundredth of a dB.
 *
 * The speech-like source is a 200 Hz carrier shaped into syllables. Each
 * second holds four slots of 250 ms; each slot one syllable of 80 to 160
 * ms whose peak is 0 to -15 dB below the level, and the first syllable of
 * every second reaches the full level. Syllable centres fall on a crest of the carrier,
 * so those peaks are exact too. The envelope (4u(1-u))^4 and the pauses
 * give a crest factor of about 15 dB, as in speech.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "preamp-protocol.h"

#define SLOTS_PER_SECOND	4
#define SLOT_FRAMES		(EMU_RATE / SLOTS_PER_SECOND)
#define SYLLABLE_MIN_FRAMES	(EMU_RATE * 80 / 1000)
#define SYLLABLE_MAX_FRAMES	(EMU_RATE * 160 / 1000)
#define SPEECH_RANGE_DB		15.0
#define CARRIER_PERIOD		240	/* frames of the 200 Hz carrier */
#define CARRIER_CREST		(CARRIER_PERIOD / 4)

static const char *const shape_names[] = {
	[EMU_SHAPE_SILENCE] = "silence",
	[EMU_SHAPE_SINE] = "sine",
	[EMU_SHAPE_SPEECH] = "speech",
};

const char *emu_shape_name(enum emu_shape shape)
{
	if ((unsigned int)shape >= sizeof(shape_names) / sizeof(shape_names[0]))
		return "?";
	return shape_names[shape];
}

int emu_shape_from_name(const char *name)
{
	for (unsigned int i = 0; i < sizeof(shape_names) / sizeof(shape_names[0]); i++)
		if (strcmp(name, shape_names[i]) == 0)
			return (int)i;
	return -1;
}

double emu_db_to_lin(double db)
{
	return pow(10.0, db / 20.0);
}

/* A small stateless hash (splitmix64), so syllables are a function of time. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static double unit(uint64_t h)
{
	return (double)(h >> 11) / (double)(1ULL << 53);
}

struct syllable {
	uint64_t start;		/* first frame */
	uint32_t len;		/* frames, even */
	double amp;		/* linear, relative to the level */
};

/*
 * The syllable of a slot, from seed and slot alone. The first slot of every
 * second holds the loud syllable, always at the same place, so that any
 * window of one second contains the full level.
 */
static void syllable_of_slot(uint32_t seed, uint64_t slot, struct syllable *s)
{
	uint64_t h = mix(((uint64_t)seed << 32) ^ slot);
	uint64_t slot_start = slot * SLOT_FRAMES;
	bool loud = slot % SLOTS_PER_SECOND == 0;
	uint32_t len, room;
	uint64_t centre;

	len = SYLLABLE_MIN_FRAMES +
	      (uint32_t)(unit(h) * (SYLLABLE_MAX_FRAMES - SYLLABLE_MIN_FRAMES));
	len &= ~1u;
	room = SLOT_FRAMES - len - CARRIER_PERIOD;
	if (loud)
		centre = slot_start + SLOT_FRAMES / 2;
	else
		centre = slot_start + len / 2 + (uint64_t)(unit(mix(h)) * room);
	/* move the centre onto a crest of the carrier */
	centre += (CARRIER_CREST + CARRIER_PERIOD - centre % CARRIER_PERIOD) %
		  CARRIER_PERIOD;

	s->start = centre - len / 2;
	s->len = len;
	s->amp = loud ? 1.0 :
		 emu_db_to_lin(-SPEECH_RANGE_DB * unit(mix(h ^ 0x5bd1e995)));
}

static double speech_env(const struct syllable *s, uint64_t frame)
{
	double u, env;

	if (frame < s->start || frame >= s->start + s->len)
		return 0.0;
	u = (double)(frame - s->start) / s->len;
	env = 4.0 * u * (1.0 - u);
	env *= env;
	return s->amp * env * env;
}

/*
 * Both waveforms repeat within a whole number of frames, so one period of
 * each is computed once: under emulation a sin() per sample is too slow.
 */
static double sine_table[48];
static double carrier_table[CARRIER_PERIOD];

static void make_tables(void)
{
	static bool made;

	if (made)
		return;
	for (unsigned int i = 0; i < 48; i++)
		sine_table[i] = sin(2.0 * M_PI * i / 48.0);
	for (unsigned int i = 0; i < CARRIER_PERIOD; i++)
		carrier_table[i] = sin(2.0 * M_PI * i / CARRIER_PERIOD);
	made = true;
}

void emu_source_block(const struct emu_source *src, uint64_t frame0,
		      double *out, unsigned int n)
{
	double level = emu_db_to_lin(src->level_dbfs);
	uint64_t slot = UINT64_MAX;
	struct syllable s = { 0 };

	make_tables();
	switch (src->shape) {
	case EMU_SHAPE_SINE:
		for (unsigned int i = 0; i < n; i++)
			out[i] = level * sine_table[(frame0 + i) % 48];
		break;
	case EMU_SHAPE_SPEECH:
		for (unsigned int i = 0; i < n; i++) {
			uint64_t f = frame0 + i;

			if (f / SLOT_FRAMES != slot) {
				slot = f / SLOT_FRAMES;
				syllable_of_slot(src->seed, slot, &s);
			}
			out[i] = level * speech_env(&s, f) *
				 carrier_table[f % CARRIER_PERIOD];
		}
		break;
	case EMU_SHAPE_SILENCE:
	default:
		for (unsigned int i = 0; i < n; i++)
			out[i] = 0.0;
		break;
	}
}

double emu_source_sample(const struct emu_source *src, uint64_t frame)
{
	double x;

	emu_source_block(src, frame, &x, 1);
	return x;
}

unsigned int emu_render_block(struct emu_meter *m, const double *x,
			      unsigned int n, double gain_lin, int16_t *out,
			      size_t stride)
{
	const double scale = gain_lin * EMU_FULL_SCALE;
	unsigned int peak = 0;

	for (unsigned int i = 0; i < n; i++) {
		double y = x[i] * scale;
		int v;

		if (y > EMU_FULL_SCALE + 0.5 || y < -EMU_FULL_SCALE - 0.5) {
			/* past full scale: a clip, counted once per run */
			if (!m->in_clip) {
				m->clip_count++;
				m->clipped = true;
			}
			m->in_clip = true;
			v = y > 0 ? EMU_FULL_SCALE : -EMU_FULL_SCALE;
		} else {
			m->in_clip = false;
			v = (int)(y < 0 ? y - 0.5 : y + 0.5);
		}
		out[i * stride] = (int16_t)v;
		if ((unsigned int)abs(v) > peak)
			peak = (unsigned int)abs(v);
	}
	return peak;
}

int16_t emu_render_sample(struct emu_meter *m, double x, double gain_lin)
{
	int16_t v;

	emu_render_block(m, &x, 1, gain_lin, &v, 1);
	return v;
}

void emu_meter_reset(struct emu_meter *m)
{
	memset(m, 0, sizeof(*m));
}

void emu_meter_block(struct emu_meter *m, uint64_t blk, uint16_t peak)
{
	m->block_peak[blk % EMU_METER_BLOCKS] = peak;
}

int16_t emu_peak_to_q8(unsigned int magnitude)
{
	double q8;

	if (magnitude == 0)
		return PAMP_METER_SILENCE;
	if (magnitude >= EMU_FULL_SCALE)
		return 0;
	q8 = lrint(256.0 * 20.0 * log10((double)magnitude / EMU_FULL_SCALE));
	return q8 < -32767 ? -32767 : (int16_t)q8;
}

int16_t emu_meter_peak(const struct emu_meter *m, uint64_t end_blk,
		       unsigned int window_ms)
{
	uint64_t first;
	unsigned int peak = 0;

	if (window_ms > EMU_METER_BLOCKS)
		window_ms = EMU_METER_BLOCKS;
	first = end_blk > window_ms ? end_blk - window_ms : 0;
	for (uint64_t b = first; b < end_blk; b++)
		if (m->block_peak[b % EMU_METER_BLOCKS] > peak)
			peak = m->block_peak[b % EMU_METER_BLOCKS];
	return emu_peak_to_q8(peak);
}
