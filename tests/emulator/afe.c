// SPDX-License-Identifier: MIT
/*
 * The analogue front end of the streaming personalities (afe.h).
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "afe.h"

#define CHUNK	48

void emu_afe_init(struct emu_afe *a, unsigned int channels, double level_dbfs)
{
	unsigned int c;

	memset(a, 0, sizeof(*a));
	a->channels = channels < AFE_MAX_CHANNELS ? channels : AFE_MAX_CHANNELS;
	for (c = 0; c < AFE_MAX_CHANNELS; c++) {
		a->src[c].shape = EMU_SHAPE_SINE;
		a->src[c].level_dbfs = level_dbfs;
		a->src[c].seed = 0x2000 + c;
	}
}

void emu_afe_power_on(struct emu_afe *a, uint64_t now_ns)
{
	unsigned int c;

	a->t0_ns = now_ns;
	for (c = 0; c < AFE_MAX_CHANNELS; c++)
		emu_meter_reset(&a->meter[c]);
}

uint64_t emu_afe_frame(const struct emu_afe *a, uint64_t now_ns)
{
	if (now_ns <= a->t0_ns)
		return 0;
	return (now_ns - a->t0_ns) / 1000u * EMU_RATE / 1000000u;
}

void emu_afe_capture(struct emu_afe *a, uint64_t *pos, int16_t *out,
		     size_t frames)
{
	double x[CHUNK];

	while (frames) {
		unsigned int n = frames < CHUNK ? (unsigned int)frames : CHUNK;
		unsigned int c;

		for (c = 0; c < a->channels; c++) {
			double g = emu_db_to_lin(a->gain_db[c]);

			emu_source_block(&a->src[c], *pos, x, n);
			emu_render_block(&a->meter[c], x, n, a->invert[c] ? -g : g,
					 out + c, a->channels);
		}
		out += (size_t)n * a->channels;
		*pos += n;
		frames -= n;
	}
}

int emu_afe_source(struct emu_afe *a, unsigned int ch, const char *shape,
		   double level_dbfs)
{
	int s = emu_shape_from_name(shape);

	if (ch >= a->channels || s < 0 || !isfinite(level_dbfs) ||
	    level_dbfs < AFE_LEVEL_MIN_DBFS || level_dbfs > AFE_LEVEL_MAX_DBFS)
		return -EINVAL;
	a->src[ch].shape = (enum emu_shape)s;
	a->src[ch].level_dbfs = level_dbfs;
	return 0;
}
