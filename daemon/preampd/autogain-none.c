// SPDX-License-Identifier: MIT
/*
 * The autogain slot without an engine: every input is "idle", StartAutoGain,
 * CancelAutoGain and GetLevels answer NotSupported.
 */
#include <errno.h>
#include <stdlib.h>

#include "autogain.h"
#include "preampd.h"

struct autogain {
	int unused;
};

int autogain_new(struct input *in, struct autogain **out)
{
	(void)in;
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void autogain_free(struct autogain *ag)
{
	free(ag);
}

bool autogain_capable(const struct input *in)
{
	(void)in;
	return false;
}

const char *autogain_state(const struct autogain *ag)
{
	(void)ag;
	return "idle";
}

int autogain_start(struct input *in, double target_dbfs, unsigned listen_ms,
		   sd_bus_message *call, sd_bus_error *err)
{
	(void)in;
	(void)target_dbfs;
	(void)listen_ms;
	(void)call;
	return sd_bus_error_set(err, PA_ERR_NOT_SUPPORTED,
				"This preampd has no autogain engine.");
}

int autogain_cancel(struct input *in, sd_bus_message *call, sd_bus_error *err)
{
	(void)in;
	(void)call;
	return sd_bus_error_set(err, PA_ERR_NOT_SUPPORTED,
				"This preampd has no autogain engine.");
}

void autogain_gain_moved(struct input *in)
{
	(void)in;
}

int autogain_get_levels(struct device *d, sd_bus_message *reply,
			sd_bus_error *err)
{
	(void)d;
	(void)reply;
	return sd_bus_error_set(err, PA_ERR_NOT_SUPPORTED,
				"This preampd reads no meters yet.");
}
