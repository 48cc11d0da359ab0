// SPDX-License-Identifier: GPL-2.0
/*
 * snd-usb-preamp: the cache of the device's state.
 *
 * Traffic rules:
 *  - reading a control reads the cache: no transfer;
 *  - a change is one SET_GAIN or SET_SWITCH; only when the device refuses
 *    it does a re-read of that input follow, so the cache is what the device
 *    has, not what was asked for;
 *  - a notification costs one re-read of the inputs it names (one
 *    GET_INPUT_STATE, or one GET_ALL_STATE when it names several);
 *  - resume and reset cost one SET_ALL_STATE and one GET_ALL_STATE;
 *  - meters are read at most once per PAMP_METER_CACHE_MS, whatever the
 *    number of readers and of meter controls.
 *
 * Every value from the device passes pamp_check_state() first.
 */

#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "driver.h"
#include "protocol.h"
#include "state.h"

/*
 * How long a GET_METERS answers meter reads. The device holds each peak for
 * its meter window (50 ms or more), so a 20 ms old reading is not stale,
 * while a client refreshing at 30 Hz or more still gets a new reading for
 * every frame, for one transfer however many meter controls it reads.
 */
#define PAMP_METER_CACHE_MS	20

void pamp_state_init(struct pamp_dev *d)
{
	mutex_init(&d->io_mutex);
	spin_lock_init(&d->state_lock);
}

void pamp_state_read(struct pamp_dev *d, unsigned int input,
		     struct pamp_state *st)
{
	spin_lock(&d->state_lock);
	*st = d->state[input];
	spin_unlock(&d->state_lock);
}

/* A phantom group's switch is on when any member has 48 V. */
bool pamp_state_phantom(struct pamp_dev *d, unsigned int input)
{
	const struct pamp_input_desc *in = &d->in[input];
	bool on = false;
	unsigned int i;

	spin_lock(&d->state_lock);
	for (i = in->group_first; i <= in->group_last; i++)
		if (d->state[i].switches & BIT(PAMP_SW_PHANTOM))
			on = true;
	spin_unlock(&d->state_lock);
	return on;
}

/* Take one state record from the device into the cache. */
static void pamp_state_store(struct pamp_dev *d, unsigned int i,
			     const struct pamp_input_state *raw, u16 *changed)
{
	struct pamp_state old;
	unsigned int bad;
	u16 index, sw;

	bad = pamp_check_state(&d->in[i], raw, &index, &sw);
	if (bad)
		dev_warn_ratelimited(d->dev,
				     "input %u: device state%s%s%s; using gain %d/256 dB, switches %#x\n",
				     i + 1,
				     bad & PAMP_BAD_STATE_GAIN ? ", gain out of range" : "",
				     bad & PAMP_BAD_STATE_GRID ? ", gain off the step grid" : "",
				     bad & PAMP_BAD_STATE_SWITCH ? ", switches outside caps" : "",
				     pamp_gain_of_index(&d->in[i], index), sw);

	spin_lock(&d->state_lock);
	old = d->state[i];
	d->state[i].gain_index = index;
	d->state[i].switches = sw;
	spin_unlock(&d->state_lock);

	if (changed) {
		if (old.gain_index != index)
			changed[i] |= PAMP_CAP_GAIN;
		changed[i] |= old.switches ^ sw;
	}
}

static int pamp_refresh_all_locked(struct pamp_dev *d, u16 *changed)
{
	struct pamp_input_state st[PAMP_MAX_INPUTS];
	unsigned int i;
	int ret;

	ret = pamp_get_all_state(d, st);
	if (ret)
		return ret;
	for (i = 0; i < d->info.num_inputs; i++)
		pamp_state_store(d, i, &st[i], changed);
	return 0;
}

/* Re-read the given inputs: one GET_INPUT_STATE, or one GET_ALL_STATE. */
static int pamp_refresh_locked(struct pamp_dev *d, u32 inputs, u16 *changed)
{
	struct pamp_input_state st;
	unsigned int i;
	int ret;

	if (!inputs)
		return 0;
	if (hweight32(inputs) > 1)
		return pamp_refresh_all_locked(d, changed);

	i = __ffs(inputs);
	ret = pamp_get_input_state(d, i, &st);
	if (ret)
		return ret;
	pamp_state_store(d, i, &st, changed);
	return 0;
}

int pamp_state_refresh_all(struct pamp_dev *d, u16 *changed)
{
	int ret;

	mutex_lock(&d->io_mutex);
	ret = pamp_refresh_all_locked(d, changed);
	mutex_unlock(&d->io_mutex);
	return ret;
}

int pamp_state_refresh(struct pamp_dev *d, u32 inputs, u16 *changed)
{
	int ret;

	mutex_lock(&d->io_mutex);
	ret = pamp_refresh_locked(d, inputs, changed);
	mutex_unlock(&d->io_mutex);
	return ret;
}

/*
 * After a refused change: re-read so the cache holds what the device has.
 * The caller gets the change's error, not the re-read's.
 */
static void pamp_refused(struct pamp_dev *d, u32 inputs, u16 *changed)
{
	if (!d->disconnected)
		pamp_refresh_locked(d, inputs, changed);
}

/* Returns 1 if the cached value changed, 0 if not, or a negative errno. */
int pamp_state_set_gain(struct pamp_dev *d, unsigned int input,
			unsigned int gain_index, u16 *changed)
{
	int ret;

	mutex_lock(&d->io_mutex);
	ret = pamp_set_gain(d, input, gain_index);
	if (!ret) {
		spin_lock(&d->state_lock);
		ret = d->state[input].gain_index != gain_index;
		d->state[input].gain_index = gain_index;
		spin_unlock(&d->state_lock);
	} else if (ret != -ENODEV) {
		dev_warn_ratelimited(d->dev, "input %u: SET_GAIN failed (%pe)\n",
				     input + 1, ERR_PTR(ret));
		pamp_refused(d, BIT(input), changed);
	}
	mutex_unlock(&d->io_mutex);
	return ret;
}

/*
 * A 48 V switch goes to the group's first input; the device switches every
 * member, and so does the cache. Returns 1 if the cache changed, 0 if not,
 * or a negative errno.
 */
int pamp_state_set_switch(struct pamp_dev *d, unsigned int input,
			  unsigned int sw, bool on, u16 *changed)
{
	unsigned int first = input, last = input, i;
	u16 bit = BIT(sw);
	int ret;

	if (sw == PAMP_SW_PHANTOM) {
		first = d->in[input].group_first;
		last = d->in[input].group_last;
	}

	mutex_lock(&d->io_mutex);
	ret = pamp_set_switch(d, first, sw, on);
	if (!ret) {
		spin_lock(&d->state_lock);
		for (i = first; i <= last; i++) {
			u16 old = d->state[i].switches;

			d->state[i].switches = on ? old | bit : old & ~bit;
			if (d->state[i].switches != old)
				ret = 1;
		}
		spin_unlock(&d->state_lock);
	} else if (ret != -ENODEV) {
		dev_warn_ratelimited(d->dev, "input %u: SET_SWITCH failed (%pe)\n",
				     first + 1, ERR_PTR(ret));
		pamp_refused(d, GENMASK(last, first), changed);
	}
	mutex_unlock(&d->io_mutex);
	return ret;
}

/*
 * The meters of every input, from a reading at most PAMP_METER_CACHE_MS
 * old. Inputs without CAP_METER read as silence and no clips.
 */
int pamp_state_meters(struct pamp_dev *d, int *peak_cdb, unsigned int *clips)
{
	struct pamp_meters *m = &d->meters;
	unsigned int i, n = d->info.num_inputs;
	ktime_t now;
	int ret = 0;

	mutex_lock(&d->io_mutex);
	now = ktime_get();
	if (!m->valid || ktime_ms_delta(now, m->at) >= PAMP_METER_CACHE_MS) {
		ret = pamp_get_meters(d, d->raw_meters);
		if (ret) {
			m->valid = false;
			goto unlock;
		}
		for (i = 0; i < n; i++) {
			const struct pamp_meter *raw = &d->raw_meters[i];

			if (d->in[i].caps & PAMP_CAP_METER) {
				m->peak_cdb[i] =
					pamp_meter_cdb((s16)le16_to_cpu(raw->peak));
				m->clips[i] = le16_to_cpu(raw->clip_count);
			} else {
				m->peak_cdb[i] = PAMP_METER_MIN_CDB;
				m->clips[i] = 0;
			}
		}
		m->at = now;
		m->valid = true;
	}
	memcpy(peak_cdb, m->peak_cdb, n * sizeof(*peak_cdb));
	memcpy(clips, m->clips, n * sizeof(*clips));
unlock:
	mutex_unlock(&d->io_mutex);
	return ret;
}

/* A clip was notified: the next meter read asks the device. */
void pamp_state_meters_stale(struct pamp_dev *d)
{
	mutex_lock(&d->io_mutex);
	d->meters.valid = false;
	mutex_unlock(&d->io_mutex);
}

/* Around a USB reset: no transfer may run between pre_reset and post_reset. */
void pamp_state_io_lock(struct pamp_dev *d)
{
	mutex_lock(&d->io_mutex);
}

void pamp_state_io_unlock(struct pamp_dev *d)
{
	mutex_unlock(&d->io_mutex);
}

/*
 * Put the cached state back on the device with one SET_ALL_STATE, then
 * learn what it really has with one GET_ALL_STATE (which also catches a
 * device that refuses late, by EVT_RESET, or not at all). Switches we offer
 * no control for are left alone; the members of a phantom group agree.
 */
int pamp_state_reapply_locked(struct pamp_dev *d, u16 *changed)
{
	struct pamp_set_state rec[PAMP_MAX_INPUTS];
	unsigned int i, n = d->info.num_inputs;
	int ret;

	lockdep_assert_held(&d->io_mutex);

	memset(rec, 0, sizeof(rec));
	for (i = 0; i < n; i++) {
		const struct pamp_input_desc *in = &d->in[i];
		u16 mask = in->caps & PAMP_SWITCH_MASK;
		u16 value;
		unsigned int j;

		spin_lock(&d->state_lock);
		value = d->state[i].switches & mask;
		if (mask & BIT(PAMP_SW_PHANTOM)) {
			value &= ~BIT(PAMP_SW_PHANTOM);
			for (j = in->group_first; j <= in->group_last; j++)
				value |= d->state[j].switches &
					 BIT(PAMP_SW_PHANTOM);
		}
		if (in->caps & PAMP_CAP_GAIN) {
			s16 gain = pamp_gain_of_index(in,
						      d->state[i].gain_index);

			rec[i].gain = cpu_to_le16((u16)gain);
			rec[i].apply = cpu_to_le16(PAMP_APPLY_GAIN);
		}
		spin_unlock(&d->state_lock);

		rec[i].mask = cpu_to_le16(mask);
		rec[i].value = cpu_to_le16(value);
	}

	ret = pamp_set_all_state(d, rec);
	if (ret == -ENODEV)
		return ret;
	if (ret)
		dev_warn(d->dev, "SET_ALL_STATE refused (%pe): reading back what the device has\n",
			 ERR_PTR(ret));
	return pamp_refresh_all_locked(d, changed) ?: ret;
}

int pamp_state_reapply(struct pamp_dev *d, u16 *changed)
{
	int ret;

	mutex_lock(&d->io_mutex);
	ret = pamp_state_reapply_locked(d, changed);
	mutex_unlock(&d->io_mutex);
	return ret;
}

/* After this, every transfer returns -ENODEV; one in flight has finished. */
void pamp_state_disconnect(struct pamp_dev *d)
{
	mutex_lock(&d->io_mutex);
	d->disconnected = true;
	mutex_unlock(&d->io_mutex);
}
