/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: the meters (Level Meter, Clip Count), read with
 * GET_METERS.
 *
 * A meter read is a control read: it runs under the card's controls_rwsem,
 * which every control of the card needs, snd-usb-audio's too when the
 * controls stand on its card. So it is bounded: it waits for no other
 * request of ours, waits PAMP_METER_TIMEOUT_MS at most for the device, and
 * after a failure the meters fail at once, with that error, for a back-off
 * time that doubles while the failures go on.
 */
#ifndef __SND_USB_PREAMP_METERS_H
#define __SND_USB_PREAMP_METERS_H

#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "preamp-protocol.h"

/*
 * How long a meter read waits for GET_METERS: five times the 50 ms the
 * protocol grants a device, a quarter of the host timeout of other
 * requests.
 */
#define PAMP_METER_TIMEOUT_MS		250
/* No GET_METERS for this long after a failure, doubling up to the max. */
#define PAMP_METER_BACKOFF_MIN_MS	250
#define PAMP_METER_BACKOFF_MAX_MS	8000

struct pamp_dev;

struct pamp_meters {
	struct mutex lock;		/* all below, and GET_METERS itself */
	bool valid;			/* peak_cdb and clips hold a reading */
	ktime_t at;			/* when that reading arrived */
	int err;			/* the last failure, while backing off */
	unsigned int backoff_ms;	/* 0 while GET_METERS works */
	ktime_t retry_at;		/* no GET_METERS before this */
	int peak_cdb[PAMP_MAX_INPUTS];		/* 0.01 dBFS, -9600..0 */
	unsigned int clips[PAMP_MAX_INPUTS];	/* 0..65535 */
};

void pamp_meters_init(struct pamp_dev *d);
int pamp_meters_read(struct pamp_dev *d, int *peak_cdb, unsigned int *clips);
void pamp_meters_stale(struct pamp_dev *d);

#endif /* __SND_USB_PREAMP_METERS_H */
