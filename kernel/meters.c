// SPDX-License-Identifier: GPL-2.0
/*
 * snd-usb-preamp: the meters.
 *
 * Traffic: one GET_METERS serves every meter read for PAMP_METER_CACHE_MS,
 * whatever the number of readers and of meter controls (the device holds
 * each peak for its meter window, 50 ms or more, so a 20 ms old reading is
 * not stale, while a client refreshing at 30 Hz still gets a new one for
 * every frame).
 *
 * Bounds: GET_METERS has its own lock, not io_mutex, so a meter read never
 * waits behind a slow write or re-read of ours; the device's endpoint 0
 * keeps the requests in order, and the short timeout covers the wait
 * behind one. A failed GET_METERS is remembered: for the back-off time the
 * meters fail at once with its error and nothing is sent; the back-off
 * doubles while the failures go on and the first good reading ends it. So
 * a device that stops answering costs one short wait per back-off time, not
 * the protocol's full timeout per read.
 */

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/usb.h>

#include "driver.h"
#include "meters.h"
#include "protocol.h"

#define PAMP_METER_CACHE_MS	20

void pamp_meters_init(struct pamp_dev *d)
{
	mutex_init(&d->meters.lock);
}

/* Inputs without CAP_METER read as silence and no clips. */
static void pamp_meters_store(struct pamp_dev *d, const struct pamp_meter *raw)
{
	struct pamp_meters *m = &d->meters;
	unsigned int i;

	for (i = 0; i < d->info.num_inputs; i++) {
		if (d->in[i].caps & PAMP_CAP_METER) {
			m->peak_cdb[i] =
				pamp_meter_cdb((s16)le16_to_cpu(raw[i].peak));
			m->clips[i] = le16_to_cpu(raw[i].clip_count);
		} else {
			m->peak_cdb[i] = PAMP_METER_MIN_CDB;
			m->clips[i] = 0;
		}
	}
	if (m->err)
		dev_info(d->dev, "the meters answer again\n");
	m->err = 0;
	m->backoff_ms = 0;
	m->at = ktime_get();
	m->valid = true;
}

static void pamp_meters_failed(struct pamp_dev *d, int err)
{
	struct pamp_meters *m = &d->meters;

	m->valid = false;
	if (err == -ENODEV)
		return;
	m->backoff_ms = m->backoff_ms ?
			min_t(unsigned int, 2 * m->backoff_ms,
			      PAMP_METER_BACKOFF_MAX_MS) :
			PAMP_METER_BACKOFF_MIN_MS;
	m->retry_at = ktime_add_ms(ktime_get(), m->backoff_ms);
	if (!m->err)
		dev_warn(d->dev, "GET_METERS failed (%pe): the meters fail at once for %u ms, longer while it goes on\n",
			 ERR_PTR(err), m->backoff_ms);
	m->err = err;
}

/*
 * The meters of every input. 0, -ENODEV once unplugged, -EAGAIN during a
 * USB reset, or the error of the last GET_METERS while backing off.
 */
int pamp_meters_read(struct pamp_dev *d, int *peak_cdb, unsigned int *clips)
{
	struct pamp_meter raw[PAMP_MAX_INPUTS];
	struct pamp_meters *m = &d->meters;
	unsigned int n = d->info.num_inputs;
	int ret;

	/* before our lock: the resume this may run takes io_mutex */
	ret = usb_autopm_get_interface(d->intf);
	if (ret)
		return ret;
	mutex_lock(&m->lock);
	if (d->disconnected) {
		ret = -ENODEV;
		goto unlock;
	}
	if (d->resetting) {
		ret = -EAGAIN;
		goto unlock;
	}
	if (!m->valid || ktime_ms_delta(ktime_get(), m->at) >= PAMP_METER_CACHE_MS) {
		if (m->err && ktime_before(ktime_get(), m->retry_at)) {
			ret = m->err;
			goto unlock;
		}
		ret = pamp_get_meters(d, raw, PAMP_METER_TIMEOUT_MS);
		if (ret) {
			pamp_meters_failed(d, ret);
			goto unlock;
		}
		pamp_meters_store(d, raw);
	}
	memcpy(peak_cdb, m->peak_cdb, n * sizeof(*peak_cdb));
	memcpy(clips, m->clips, n * sizeof(*clips));
unlock:
	mutex_unlock(&m->lock);
	usb_autopm_put_interface(d->intf);
	return ret;
}

/* A clip was notified: the next meter read asks the device. */
void pamp_meters_stale(struct pamp_dev *d)
{
	mutex_lock(&d->meters.lock);
	d->meters.valid = false;
	mutex_unlock(&d->meters.lock);
}
