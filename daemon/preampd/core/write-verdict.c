// SPDX-License-Identifier: MIT
/* Did a failed write happen after all? */
#include <errno.h>

#include "write-verdict.h"

bool pa_write_maybe_late(int write_err)
{
	/* a timeout, or a transfer error a slow bus can cause; not a refusal
	 * (EPERM: locked or inactive, EINVAL), not an unplug (ENODEV) */
	return write_err == -ETIMEDOUT || write_err == -EIO;
}

enum pa_write_verdict pa_write_verdict(int write_err, int read_err, long value,
				       long wanted, bool expired)
{
	if (write_err == 0)
		return PA_WRITE_DONE;
	if (!pa_write_maybe_late(write_err))
		return PA_WRITE_FAILED;
	if (read_err == 0 && value == wanted)
		return PA_WRITE_DONE;
	/* gone: nothing more will come */
	if (read_err == -ENODEV || expired)
		return PA_WRITE_FAILED;
	return PA_WRITE_WAIT;
}
