/* SPDX-License-Identifier: MIT */
/*
 * Whether a control write the driver reported as failed happened after
 * all. A device on a busy bus (USB/IP on a loaded host) can apply a change
 * and answer after the driver's timeout (snd-usb-preamp's is 1000 ms): the
 * write then fails with ETIMEDOUT (or EIO), yet the control soon holds the
 * new value, read back by the driver at once or later (a VALUE event). A
 * D-Bus caller gets success then, not IOError. Pure.
 */
#pragma once

#include <stdbool.h>

/* How long a late value is waited for: a few of the driver's timeouts. */
#define PA_WRITE_LATE_MS	3000
/* How often the control is read again meanwhile. */
#define PA_WRITE_REREAD_MS	50

enum pa_write_verdict {
	PA_WRITE_DONE,		/* the control holds the value */
	PA_WRITE_WAIT,		/* not yet: read again later */
	PA_WRITE_FAILED,	/* report write_err */
};

/* An error after which the device may still have applied the write. */
bool pa_write_maybe_late(int write_err);

/*
 * write_err: what the write returned (0 or -errno); read_err and value:
 * what reading the control back gave (0 and the value, or -errno);
 * wanted: the value written; expired: PA_WRITE_LATE_MS have passed since
 * the write.
 */
enum pa_write_verdict pa_write_verdict(int write_err, int read_err, long value,
				       long wanted, bool expired);
