/* SPDX-License-Identifier: MIT */
/*
 * The analogue front end of the personalities that stream audio: what is
 * plugged into each input (a source of audio.c), the gain in front of the
 * converter, and the captured samples, rendered from the sources' frame
 * numbers (they are pure functions of them), so any stretch of the
 * timeline can be captured when the host asks for it.
 */
#ifndef EMU_AFE_H
#define EMU_AFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audio.h"

#define AFE_MAX_CHANNELS	8
#define AFE_LEVEL_MIN_DBFS	-120.0
#define AFE_LEVEL_MAX_DBFS	40.0

struct emu_afe {
	unsigned int channels;
	struct emu_source src[AFE_MAX_CHANNELS];
	double gain_db[AFE_MAX_CHANNELS];	/* what the input applies now */
	bool invert[AFE_MAX_CHANNELS];		/* polarity */
	struct emu_meter meter[AFE_MAX_CHANNELS];
	uint64_t t0_ns;				/* frame 0: power-on */
};

/* channels inputs, each with a sine of level_dbfs at 0 dB gain. */
void emu_afe_init(struct emu_afe *a, unsigned int channels, double level_dbfs);
void emu_afe_power_on(struct emu_afe *a, uint64_t now_ns);
/* The frame of the timeline at now_ns. */
uint64_t emu_afe_frame(const struct emu_afe *a, uint64_t now_ns);
/* frames of interleaved S16 from *pos on; advances *pos. */
void emu_afe_capture(struct emu_afe *a, uint64_t *pos, int16_t *out,
		     size_t frames);
/* Plugs a source in; -EINVAL for a bad channel, shape or level. */
int emu_afe_source(struct emu_afe *a, unsigned int ch, const char *shape,
		   double level_dbfs);

#endif /* EMU_AFE_H */
