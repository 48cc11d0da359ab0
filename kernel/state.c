// SPDX-License-Identifier: GPL-2.0
/*
 * snd-usb-preamp: the cache of the device's state.
 *
 * Traffic rules:
 *  - reading a control reads the cache: no transfer;
 *  - a change is one SET_GAIN or SET_SWITCH. When the device refuses it
 *    (STALL, an answer) a re-read of that input follows at once, so the
 *    cache is what the device has. When it does not answer in time (or the
 *    link fails) the put returns that error at once and the re-read comes
 *    later, from reread_work, which raises VALUE events on what changed: a
 *    device that applied the value late shows it then. Never a re-read
 *    straight after a timeout, with the card's controls locked;
 *  - a notification costs one re-read of the inputs it names (one
 *    GET_INPUT_STATE, or one GET_ALL_STATE when it names several);
 *  - resume, reset-resume and a USB reset cost one SET_ALL_STATE and one
 *    GET_ALL_STATE. While the 48 V guard is on, 48 V is left out of the
 *    SET_ALL_STATE and the groups that had it get it back when the guard
 *    ends (pamp_state_restore_phantom()), unless switched meanwhile;
 *  - from pre_reset until post_reset has put the settings back, every
 *    request fails at once with -EAGAIN: nothing waits across a reset.
 *
 * Every value from the device passes pamp_check_state() first.
 */

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/usb.h>
#include <linux/workqueue.h>

#include "driver.h"
#include "controls.h"
#include "protocol.h"
#include "state.h"

/* reread_work: first try after this, then twice as long each time */
#define PAMP_REREAD_DELAY_MS	100
#define PAMP_REREAD_TRIES	5

static void pamp_reread_work(struct work_struct *work);

void pamp_state_init(struct pamp_dev *d)
{
	mutex_init(&d->io_mutex);
	spin_lock_init(&d->state_lock);
	INIT_DELAYED_WORK(&d->reread_work, pamp_reread_work);
}

void pamp_state_read(struct pamp_dev *d, unsigned int input,
		     struct pamp_state *st)
{
	spin_lock(&d->state_lock);
	*st = d->state[input];
	spin_unlock(&d->state_lock);
}

static bool pamp_phantom_locked(struct pamp_dev *d, unsigned int input)
{
	const struct pamp_input_desc *in = &d->in[input];
	unsigned int i;

	lockdep_assert_held(&d->state_lock);
	for (i = in->group_first; i <= in->group_last; i++)
		if (d->state[i].switches & BIT(PAMP_SW_PHANTOM))
			return true;
	return false;
}

/* A phantom group's switch is on when any member has 48 V. */
bool pamp_state_phantom(struct pamp_dev *d, unsigned int input)
{
	bool on;

	spin_lock(&d->state_lock);
	on = pamp_phantom_locked(d, input);
	spin_unlock(&d->state_lock);
	return on;
}

/*
 * The gate of every request outside a PM callback: wake the device (the
 * resume this may run takes io_mutex, so first), then io_mutex, then the
 * flags.
 */
static int pamp_io_begin(struct pamp_dev *d)
{
	int ret;

	ret = usb_autopm_get_interface(d->intf);
	if (ret)
		return ret;
	mutex_lock(&d->io_mutex);
	if (d->disconnected)
		ret = -ENODEV;
	else if (d->resetting)
		ret = -EAGAIN;
	if (ret) {
		mutex_unlock(&d->io_mutex);
		usb_autopm_put_interface(d->intf);
	}
	return ret;
}

static void pamp_io_end(struct pamp_dev *d)
{
	mutex_unlock(&d->io_mutex);
	usb_autopm_put_interface(d->intf);
}

/* Both flags are written under io_mutex and meters.lock. */
static void pamp_set_flags(struct pamp_dev *d, bool *flag, bool value)
{
	lockdep_assert_held(&d->io_mutex);
	mutex_lock(&d->meters.lock);
	WRITE_ONCE(*flag, value);
	mutex_unlock(&d->meters.lock);
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

	ret = pamp_io_begin(d);
	if (ret)
		return ret;
	ret = pamp_refresh_all_locked(d, changed);
	pamp_io_end(d);
	return ret;
}

int pamp_state_refresh(struct pamp_dev *d, u32 inputs, u16 *changed)
{
	int ret;

	ret = pamp_io_begin(d);
	if (ret)
		return ret;
	ret = pamp_refresh_locked(d, inputs, changed);
	pamp_io_end(d);
	return ret;
}

/* Re-read these inputs from reread_work, soon. */
static void pamp_reread_later(struct pamp_dev *d, u32 inputs)
{
	lockdep_assert_held(&d->io_mutex);
	d->reread |= inputs;
	d->reread_tries = 0;
	cancel_delayed_work(&d->reread_work);
	schedule_delayed_work(&d->reread_work,
			      msecs_to_jiffies(PAMP_REREAD_DELAY_MS));
}

/* A re-read failed: again later, a few times, then give up with a line. */
static void pamp_reread_retry(struct pamp_dev *d, int err)
{
	unsigned long inputs = d->reread;

	lockdep_assert_held(&d->io_mutex);
	if (++d->reread_tries < PAMP_REREAD_TRIES) {
		schedule_delayed_work(&d->reread_work,
				      msecs_to_jiffies(PAMP_REREAD_DELAY_MS << d->reread_tries));
		return;
	}
	dev_warn(d->dev, "re-reading inputs %*pbl failed %u times (%pe): they show the last known state until the device notifies a change\n",
		 PAMP_MAX_INPUTS, &inputs, PAMP_REREAD_TRIES, ERR_PTR(err));
	d->reread = 0;
}

/*
 * The re-reads that must not happen where their need arose: after a
 * request that timed out (the put has returned by now), or after a restore
 * whose confirmation did not come. VALUE events on whatever changed.
 */
static void pamp_reread_work(struct work_struct *work)
{
	struct pamp_dev *d = container_of(to_delayed_work(work),
					  struct pamp_dev, reread_work);
	u16 changed[PAMP_MAX_INPUTS] = { 0 };
	u32 inputs;
	int ret;

	ret = pamp_io_begin(d);
	if (ret == -ENODEV || ret == -EAGAIN)
		return;		/* gone, or post_reset re-reads everything */
	if (ret) {		/* the device could not be woken */
		mutex_lock(&d->io_mutex);
		pamp_reread_retry(d, ret);
		mutex_unlock(&d->io_mutex);
		return;
	}
	inputs = d->reread;
	ret = pamp_refresh_locked(d, inputs, changed);
	if (!ret)
		d->reread &= ~inputs;
	else if (ret != -ENODEV)
		pamp_reread_retry(d, ret);
	pamp_io_end(d);
	pamp_controls_changed(d, changed);
}

/*
 * After a failed change. A STALL is the device's answer: re-read at once
 * so the cache holds what it has. Anything else (a timeout, a link error)
 * is re-read later, by reread_work. The caller gets the change's error.
 */
static void pamp_refused(struct pamp_dev *d, int err, u32 inputs,
			 u16 *changed)
{
	if (err == -ENODEV)
		return;
	if (err == -EPIPE)
		pamp_refresh_locked(d, inputs, changed);
	else
		pamp_reread_later(d, inputs);
}

/* Returns 1 if the cached value changed, 0 if not, or a negative errno. */
int pamp_state_set_gain(struct pamp_dev *d, unsigned int input,
			unsigned int gain_index, u16 *changed)
{
	int ret;

	ret = pamp_io_begin(d);
	if (ret)
		return ret;
	ret = pamp_set_gain(d, input, gain_index);
	if (!ret) {
		spin_lock(&d->state_lock);
		ret = d->state[input].gain_index != gain_index;
		d->state[input].gain_index = gain_index;
		spin_unlock(&d->state_lock);
	} else if (ret != -ENODEV) {
		dev_warn_ratelimited(d->dev, "input %u: SET_GAIN failed (%pe)\n",
				     input + 1, ERR_PTR(ret));
		pamp_refused(d, ret, BIT(input), changed);
	}
	pamp_io_end(d);
	return ret;
}

/* A 48 V switch goes to the group's first input; the cache follows. */
static int pamp_switch_locked(struct pamp_dev *d, unsigned int first,
			      unsigned int last, unsigned int sw, bool on,
			      u16 *changed)
{
	u16 bit = BIT(sw);
	unsigned int i;
	int ret;

	ret = pamp_set_switch(d, first, sw, on);
	if (!ret) {
		spin_lock(&d->state_lock);
		for (i = first; i <= last; i++) {
			u16 old = d->state[i].switches;

			d->state[i].switches = on ? old | bit : old & ~bit;
			if (d->state[i].switches != old) {
				changed[i] |= bit;
				ret = 1;
			}
		}
		spin_unlock(&d->state_lock);
	} else if (ret != -ENODEV) {
		dev_warn_ratelimited(d->dev, "input %u: SET_SWITCH failed (%pe)\n",
				     first + 1, ERR_PTR(ret));
		pamp_refused(d, ret, GENMASK(last, first), changed);
	}
	return ret;
}

/*
 * The device switches every member of a phantom group, and so does the
 * cache. Any 48 V change cancels that group's pending restore (below).
 * Returns 1 if the cache changed, 0 if not, or a negative errno.
 */
int pamp_state_set_switch(struct pamp_dev *d, unsigned int input,
			  unsigned int sw, bool on, u16 *changed)
{
	unsigned int first = input, last = input;
	int ret;

	if (sw == PAMP_SW_PHANTOM) {
		first = d->in[input].group_first;
		last = d->in[input].group_last;
	}
	ret = pamp_io_begin(d);
	if (ret)
		return ret;
	if (sw == PAMP_SW_PHANTOM) {
		/* the guard may have been re-armed since the caller looked */
		if (on && READ_ONCE(d->controls.guard) &&
		    !pamp_state_phantom(d, first)) {
			ret = -EPERM;
			goto out;
		}
		d->phantom_restore &= ~BIT(first);
	}
	ret = pamp_switch_locked(d, first, last, sw, on, changed);
out:
	pamp_io_end(d);
	return ret;
}

/*
 * The guard has ended: give 48 V back to the groups that had it before a
 * reset or a power loss and lost it. Nothing while the guard is on again
 * (a later reset re-armed it: the groups wait for that one) or during a
 * reset.
 */
int pamp_state_restore_phantom(struct pamp_dev *d, u16 *changed)
{
	unsigned long groups;
	unsigned int i;
	int ret, err;

	ret = pamp_io_begin(d);
	if (ret)
		return ret;
	if (READ_ONCE(d->controls.guard) || !d->phantom_restore)
		goto out;
	groups = d->phantom_restore;
	d->phantom_restore = 0;
	for_each_set_bit(i, &groups, PAMP_MAX_INPUTS) {
		if (pamp_state_phantom(d, i))
			continue;	/* the device kept it */
		dev_info(d->dev, "input %u: 48 V back on, the guard has ended\n",
			 i + 1);
		err = pamp_switch_locked(d, i, d->in[i].group_last,
					 PAMP_SW_PHANTOM, true, changed);
		if (err < 0 && !ret)
			ret = err;
	}
out:
	pamp_io_end(d);
	return ret;
}

/* pre_reset: from now until post_reset, every request fails at once. */
void pamp_state_reset_begin(struct pamp_dev *d)
{
	mutex_lock(&d->io_mutex);	/* a transfer in flight finishes */
	pamp_set_flags(d, &d->resetting, true);
	mutex_unlock(&d->io_mutex);
}

/*
 * Put the cached settings back on the device with one SET_ALL_STATE, then
 * learn what it really has with one GET_ALL_STATE (which also catches a
 * device that refuses late, by EVT_RESET, or not at all). Switches we
 * offer no control for are left alone; the members of a phantom group
 * agree. Without phantom, 48 V is left out of every record and the groups
 * that had it are remembered for pamp_state_restore_phantom().
 */
static int pamp_reapply_locked(struct pamp_dev *d, bool phantom, u16 *changed)
{
	struct pamp_set_state rec[PAMP_MAX_INPUTS];
	unsigned int i, n = d->info.num_inputs;
	int ret, err;

	lockdep_assert_held(&d->io_mutex);

	memset(rec, 0, sizeof(rec));
	for (i = 0; i < n; i++) {
		const struct pamp_input_desc *in = &d->in[i];
		u16 mask = in->caps & PAMP_SWITCH_MASK;
		u16 value;

		spin_lock(&d->state_lock);
		value = d->state[i].switches & mask;
		if (mask & BIT(PAMP_SW_PHANTOM)) {
			value &= ~BIT(PAMP_SW_PHANTOM);
			if (pamp_phantom_locked(d, i))
				value |= BIT(PAMP_SW_PHANTOM);
			if (!phantom) {
				if (value & BIT(PAMP_SW_PHANTOM))
					d->phantom_restore |=
						BIT(in->group_first);
				mask &= ~BIT(PAMP_SW_PHANTOM);
				value &= ~BIT(PAMP_SW_PHANTOM);
			}
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
	if (ret && ret != -EPIPE) {
		/* no answer: confirm later, not now */
		pamp_reread_later(d, GENMASK(n - 1, 0));
		return ret;
	}
	if (ret)
		dev_warn(d->dev, "SET_ALL_STATE refused (%pe): reading back what the device has\n",
			 ERR_PTR(ret));
	err = pamp_refresh_all_locked(d, changed);
	if (!err)
		d->reread = 0;		/* all read just now */
	else if (err != -ENODEV && err != -EPIPE)
		pamp_reread_later(d, GENMASK(n - 1, 0));
	return ret ?: err;
}

/*
 * Resume, reset-resume, post_reset (a PM callback: the device is awake).
 * Ends a reset: requests are allowed again once the settings are back.
 */
int pamp_state_restore(struct pamp_dev *d, bool phantom, u16 *changed)
{
	int ret = -ENODEV;

	mutex_lock(&d->io_mutex);
	if (!d->disconnected)
		ret = pamp_reapply_locked(d, phantom, changed);
	if (d->resetting)
		pamp_set_flags(d, &d->resetting, false);
	mutex_unlock(&d->io_mutex);
	return ret;
}

/* System suspend, disconnect: no re-read runs or is pending. */
void pamp_state_stop(struct pamp_dev *d)
{
	cancel_delayed_work_sync(&d->reread_work);
}

/* After this, every transfer returns -ENODEV; one in flight has finished. */
void pamp_state_disconnect(struct pamp_dev *d)
{
	mutex_lock(&d->io_mutex);
	pamp_set_flags(d, &d->disconnected, true);
	mutex_unlock(&d->io_mutex);
}
