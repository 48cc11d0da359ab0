/* SPDX-License-Identifier: MIT */
/*
 * The live views: the level meter and autogain's progress. On a terminal
 * they redraw in place (cursor movement, never a full clear) about 30
 * times a second, one Device.GetLevels call per refresh, and put the
 * terminal back as it was when they end; into a pipe they print one line
 * per update. Each returns an exit code (errors.h).
 */
#pragma once

#include <stdbool.h>

#include "bus.h"
#include "model.h"

struct pctl_meter_opts {
	bool json;
	unsigned rate;		/* refreshes a second */
	unsigned long count;	/* stop after this many; 0: at Ctrl-C */
};

/* only: one input, or NULL for every metered input of dev */
int pctl_meter_run(struct pctl_bus *b, const struct pctl_device *dev,
		   const struct pctl_input *only, const struct pctl_meter_opts *o,
		   struct pctl_error *err);

int pctl_autogain_run(struct pctl_bus *b, const struct pctl_device *dev,
		      const struct pctl_input *in, double target, unsigned listen_ms,
		      bool json, struct pctl_error *err);
