// SPDX-License-Identifier: GPL-2.0
/*
 * snd-usb-preamp: the ALSA controls.
 *
 * Names follow Linux's scarlett2 driver, so every mixer already knows them:
 *
 *   Line In N Gain Capture Volume             INTEGER 0..steps, dB TLV
 *   Line In N[-M] Phantom Power Capture Switch BOOLEAN (N-M: a group)
 *   Line In N Pad Capture Switch              BOOLEAN
 *   Line In N Phase Invert Capture Switch     BOOLEAN
 *   Line In N High Pass Filter Capture Switch BOOLEAN
 *   Line In N Air Capture Switch              BOOLEAN
 *   Line In N Level Capture Enum              "Line", "Inst"
 *   Level Meter                               INTEGER[n], 0.01 dBFS
 *   Clip Count                                INTEGER[n], 0..65535
 *
 * Values come from the state cache; a put is checked against the control's
 * range (-EINVAL, never clamped) and the 48 V guard (-EPERM) before
 * anything is sent. Only the meters read the device, within the bounds of
 * meters.c.
 *
 * Callbacks run under the card's controls_rwsem and never take
 * pamp_controls.lock; detaching removes each control with
 * snd_ctl_remove_id(), which waits for that rwsem, so once detached no
 * callback of ours runs or can start. The card may be another driver's
 * (snd-usb-audio's): attaching adds nothing there if one of our names is
 * taken already.
 */

#include <linux/bitops.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/usb.h>
#include <linux/workqueue.h>
#include <sound/control.h>
#include <sound/core.h>
#include <sound/tlv.h>

#include "driver.h"
#include "controls.h"
#include "meters.h"
#include "state.h"

#define PAMP_PV(input, sw)	((input) | ((sw) << 8))
#define PAMP_PV_INPUT(pv)	((pv) & 0xff)
#define PAMP_PV_SW(pv)		(((pv) >> 8) & 0xff)

static const DECLARE_TLV_DB_MINMAX(pamp_meter_tlv, PAMP_METER_MIN_CDB,
				   PAMP_METER_MAX_CDB);

static const char *const pamp_switch_names[PAMP_NUM_SWITCHES] = {
	[PAMP_SW_PHANTOM]	= "Phantom Power Capture Switch",
	[PAMP_SW_PAD]		= "Pad Capture Switch",
	[PAMP_SW_PHASE]		= "Phase Invert Capture Switch",
	[PAMP_SW_HPF]		= "High Pass Filter Capture Switch",
	[PAMP_SW_AIR]		= "Air Capture Switch",
	[PAMP_SW_INST]		= "Level Capture Enum",
};

static const char *const pamp_level_texts[] = { "Line", "Inst" };

/* Events */

static void pamp_event(struct snd_card *card, struct snd_kcontrol *kctl,
		       unsigned int mask)
{
	if (kctl)
		snd_ctl_notify(card, mask, &kctl->id);
}

/*
 * VALUE events on the controls that changed. The caller is either a
 * control callback (the controls cannot go away under it) or holds
 * pamp_controls.lock with the controls attached.
 */
static void pamp_events(struct pamp_dev *d, struct snd_card *card,
			const u16 *changed)
{
	struct pamp_controls *pc = &d->controls;
	unsigned long groups = 0;
	unsigned int i, sw;

	for (i = 0; i < d->info.num_inputs; i++) {
		u16 c = changed[i];

		if (!c)
			continue;
		if (c & PAMP_CAP_GAIN)
			pamp_event(card, READ_ONCE(pc->gain[i]),
				   SNDRV_CTL_EVENT_MASK_VALUE);
		if (c & BIT(PAMP_SW_PHANTOM))
			groups |= BIT(d->in[i].group_first);
		for (sw = 0; sw < PAMP_NUM_SWITCHES; sw++)
			if (sw != PAMP_SW_PHANTOM && (c & BIT(sw)))
				pamp_event(card, READ_ONCE(pc->sw[i][sw]),
					   SNDRV_CTL_EVENT_MASK_VALUE);
	}
	for_each_set_bit(i, &groups, PAMP_MAX_INPUTS)
		pamp_event(card, READ_ONCE(pc->sw[i][PAMP_SW_PHANTOM]),
			   SNDRV_CTL_EVENT_MASK_VALUE);
}

void pamp_controls_changed(struct pamp_dev *d, const u16 *changed)
{
	struct pamp_controls *pc = &d->controls;

	mutex_lock(&pc->lock);
	if (pc->card)
		pamp_events(d, pc->card, changed);
	mutex_unlock(&pc->lock);
}

/*
 * From a PM callback, which may run inside a control callback (one of ours
 * or snd-usb-audio's waking the device) and so must not take controls.lock:
 * the events go out from a work item.
 */
void pamp_controls_changed_later(struct pamp_dev *d, const u16 *changed)
{
	struct pamp_controls *pc = &d->controls;
	bool any = false;
	unsigned int i;

	spin_lock(&pc->event_lock);
	for (i = 0; i < d->info.num_inputs; i++) {
		pc->event_changed[i] |= changed[i];
		any |= changed[i] != 0;
	}
	spin_unlock(&pc->event_lock);
	if (any)
		schedule_work(&pc->event_work);
}

static void pamp_event_work(struct work_struct *work)
{
	struct pamp_controls *pc = container_of(work, struct pamp_controls,
						event_work);
	struct pamp_dev *d = container_of(pc, struct pamp_dev, controls);
	u16 changed[PAMP_MAX_INPUTS];

	spin_lock(&pc->event_lock);
	memcpy(changed, pc->event_changed, sizeof(changed));
	memset(pc->event_changed, 0, sizeof(pc->event_changed));
	spin_unlock(&pc->event_lock);
	pamp_controls_changed(d, changed);
}

void pamp_controls_clipped(struct pamp_dev *d)
{
	struct pamp_controls *pc = &d->controls;

	mutex_lock(&pc->lock);
	if (pc->card)
		pamp_event(pc->card, pc->clips, SNDRV_CTL_EVENT_MASK_VALUE);
	mutex_unlock(&pc->lock);
}

/*
 * The end of a put: after a refused change the state was re-read; tell
 * every client what the device really has. A STALL reads as -EIO.
 */
static int pamp_put_done(struct snd_kcontrol *kctl, int ret,
			 const u16 *changed)
{
	struct pamp_dev *d = snd_kcontrol_chip(kctl);
	struct pamp_controls *pc = &d->controls;

	if (ret >= 0)
		return ret;
	pamp_events(d, READ_ONCE(pc->card), changed);
	return ret == -EPIPE ? -EIO : ret;
}

/* Gain */

static int pamp_gain_info(struct snd_kcontrol *kctl,
			  struct snd_ctl_elem_info *uinfo)
{
	struct pamp_dev *d = snd_kcontrol_chip(kctl);
	unsigned int i = PAMP_PV_INPUT(kctl->private_value);

	uinfo->type = SNDRV_CTL_ELEM_TYPE_INTEGER;
	uinfo->count = 1;
	uinfo->value.integer.min = 0;
	uinfo->value.integer.max = d->in[i].gain_steps;
	uinfo->value.integer.step = 1;
	return 0;
}

static int pamp_gain_get(struct snd_kcontrol *kctl,
			 struct snd_ctl_elem_value *uc)
{
	struct pamp_dev *d = snd_kcontrol_chip(kctl);
	struct pamp_state st;

	pamp_state_read(d, PAMP_PV_INPUT(kctl->private_value), &st);
	uc->value.integer.value[0] = st.gain_index;
	return 0;
}

static int pamp_gain_put(struct snd_kcontrol *kctl,
			 struct snd_ctl_elem_value *uc)
{
	struct pamp_dev *d = snd_kcontrol_chip(kctl);
	unsigned int i = PAMP_PV_INPUT(kctl->private_value);
	long v = uc->value.integer.value[0];
	u16 changed[PAMP_MAX_INPUTS] = { 0 };
	int ret;

	if (v < 0 || v > d->in[i].gain_steps)
		return -EINVAL;
	ret = pamp_state_set_gain(d, i, v, changed);
	return pamp_put_done(kctl, ret, changed);
}

/* Switches, and the Line/Inst enum (SW_INST) */

static bool pamp_switch_value(struct pamp_dev *d, unsigned int i,
			      unsigned int sw)
{
	struct pamp_state st;

	if (sw == PAMP_SW_PHANTOM)
		return pamp_state_phantom(d, i);
	pamp_state_read(d, i, &st);
	return st.switches & BIT(sw);
}

static int pamp_switch_set(struct snd_kcontrol *kctl, bool on)
{
	struct pamp_dev *d = snd_kcontrol_chip(kctl);
	unsigned int i = PAMP_PV_INPUT(kctl->private_value);
	unsigned int sw = PAMP_PV_SW(kctl->private_value);
	u16 changed[PAMP_MAX_INPUTS] = { 0 };
	int ret;

	if (sw == PAMP_SW_PHANTOM && on && READ_ONCE(d->controls.guard)) {
		if (pamp_switch_value(d, i, sw))
			return 0;	/* already on: nothing changes */
		dev_info_ratelimited(d->dev,
				     "48 V stays off until the plug-in guard ends, %u ms after plug-in, a USB reset or a power loss\n",
				     READ_ONCE(d->controls.guard_ms));
		return -EPERM;
	}
	ret = pamp_state_set_switch(d, i, sw, on, changed);
	return pamp_put_done(kctl, ret, changed);
}

static int pamp_switch_get(struct snd_kcontrol *kctl,
			   struct snd_ctl_elem_value *uc)
{
	struct pamp_dev *d = snd_kcontrol_chip(kctl);

	uc->value.integer.value[0] =
		pamp_switch_value(d, PAMP_PV_INPUT(kctl->private_value),
				  PAMP_PV_SW(kctl->private_value));
	return 0;
}

static int pamp_switch_put(struct snd_kcontrol *kctl,
			   struct snd_ctl_elem_value *uc)
{
	long v = uc->value.integer.value[0];

	if (v < 0 || v > 1)
		return -EINVAL;
	return pamp_switch_set(kctl, v);
}

static int pamp_level_info(struct snd_kcontrol *kctl,
			   struct snd_ctl_elem_info *uinfo)
{
	return snd_ctl_enum_info(uinfo, 1, ARRAY_SIZE(pamp_level_texts),
				 pamp_level_texts);
}

static int pamp_level_get(struct snd_kcontrol *kctl,
			  struct snd_ctl_elem_value *uc)
{
	struct pamp_dev *d = snd_kcontrol_chip(kctl);

	uc->value.enumerated.item[0] =
		pamp_switch_value(d, PAMP_PV_INPUT(kctl->private_value),
				  PAMP_SW_INST);
	return 0;
}

static int pamp_level_put(struct snd_kcontrol *kctl,
			  struct snd_ctl_elem_value *uc)
{
	unsigned int item = uc->value.enumerated.item[0];

	if (item >= ARRAY_SIZE(pamp_level_texts))
		return -EINVAL;
	return pamp_switch_set(kctl, item);
}

/* Meters */

static int pamp_meter_info(struct snd_kcontrol *kctl,
			   struct snd_ctl_elem_info *uinfo)
{
	struct pamp_dev *d = snd_kcontrol_chip(kctl);

	uinfo->type = SNDRV_CTL_ELEM_TYPE_INTEGER;
	uinfo->count = d->info.num_inputs;
	uinfo->value.integer.min = PAMP_METER_MIN_CDB;
	uinfo->value.integer.max = PAMP_METER_MAX_CDB;
	uinfo->value.integer.step = 1;
	return 0;
}

static int pamp_clips_info(struct snd_kcontrol *kctl,
			   struct snd_ctl_elem_info *uinfo)
{
	struct pamp_dev *d = snd_kcontrol_chip(kctl);

	uinfo->type = SNDRV_CTL_ELEM_TYPE_INTEGER;
	uinfo->count = d->info.num_inputs;
	uinfo->value.integer.min = 0;
	uinfo->value.integer.max = 65535;
	uinfo->value.integer.step = 1;
	return 0;
}

static int pamp_meters_get(struct snd_kcontrol *kctl,
			   struct snd_ctl_elem_value *uc, bool clips)
{
	struct pamp_dev *d = snd_kcontrol_chip(kctl);
	unsigned int count[PAMP_MAX_INPUTS];
	int peak[PAMP_MAX_INPUTS];
	unsigned int i;
	int ret;

	ret = pamp_meters_read(d, peak, count);
	if (ret)
		return ret == -EPIPE ? -EIO : ret;
	for (i = 0; i < d->info.num_inputs; i++) {
		if (clips)
			uc->value.integer.value[i] = count[i];
		else
			uc->value.integer.value[i] = peak[i];
	}
	return 0;
}

static int pamp_meter_get(struct snd_kcontrol *kctl,
			  struct snd_ctl_elem_value *uc)
{
	return pamp_meters_get(kctl, uc, false);
}

static int pamp_clips_get(struct snd_kcontrol *kctl,
			  struct snd_ctl_elem_value *uc)
{
	return pamp_meters_get(kctl, uc, true);
}

/*
 * The 48 V plug-in guard.
 *
 * guard (under guard_lock, read without it by puts) says whether 48 V may
 * be switched on; guard_end when that ends. guard_work keeps the controls
 * in step (inactive while the guard is on, under controls.lock), sleeps
 * until guard_end, then lifts the guard and gives 48 V back to the groups
 * that lost it to a reset or a power loss (pamp_state_restore_phantom()).
 * Re-arming only moves guard_end and runs the work: it takes no lock a
 * control callback may hold, so PM callbacks can do it.
 */

/* Make the 48 V controls inactive (on) or active; under controls.lock. */
static void pamp_guard_show(struct pamp_controls *pc, bool on)
{
	struct snd_ctl_elem_id id;
	unsigned int i;

	lockdep_assert_held(&pc->lock);
	if (pc->card && pc->guard_shown != on) {
		for (i = 0; i < PAMP_MAX_INPUTS; i++) {
			if (!pc->sw[i][PAMP_SW_PHANTOM])
				continue;
			id = pc->sw[i][PAMP_SW_PHANTOM]->id;
			snd_ctl_activate_id(pc->card, &id, !on);
		}
	}
	pc->guard_shown = on;
}

/*
 * A re-armed guard keeps the device awake until it ends: waking it at the
 * end to give 48 V back would be a resume that loses power again, and
 * re-arm the guard again, for a device that forgets in suspend.
 */
static void pamp_guard_wake(struct pamp_dev *d)
{
	struct pamp_controls *pc = &d->controls;
	bool take;

	spin_lock(&pc->guard_lock);
	take = !pc->guard_awake;
	pc->guard_awake = true;
	spin_unlock(&pc->guard_lock);
	if (take)
		usb_autopm_get_interface_no_resume(d->intf);
}

static bool pamp_guard_awake_take(struct pamp_controls *pc)
{
	bool had;

	spin_lock(&pc->guard_lock);
	had = pc->guard_awake;
	pc->guard_awake = false;
	spin_unlock(&pc->guard_lock);
	return had;
}

static void pamp_guard_sleep(struct pamp_dev *d)
{
	if (pamp_guard_awake_take(&d->controls))
		usb_autopm_put_interface(d->intf);
}

static void pamp_guard_work(struct work_struct *work)
{
	struct pamp_controls *pc = container_of(to_delayed_work(work),
						struct pamp_controls,
						guard_work);
	struct pamp_dev *d = container_of(pc, struct pamp_dev, controls);
	u16 changed[PAMP_MAX_INPUTS] = { 0 };
	unsigned long end;
	bool on;

	spin_lock(&pc->guard_lock);
	on = pc->guard && time_before(jiffies, pc->guard_end);
	if (!on)
		WRITE_ONCE(pc->guard, false);
	end = pc->guard_end;
	spin_unlock(&pc->guard_lock);

	mutex_lock(&pc->lock);
	pamp_guard_show(pc, on);
	mutex_unlock(&pc->lock);

	if (on) {
		schedule_delayed_work(&pc->guard_work,
				      time_after(end, jiffies) ? end - jiffies : 0);
		return;
	}
	if (pamp_state_restore_phantom(d, changed) != -ENODEV)
		pamp_controls_changed(d, changed);
	pamp_guard_sleep(d);
}

/*
 * From now until guard_ms have passed (0: never), 48 V cannot be switched
 * on and the phantom power controls are inactive.
 */
void pamp_controls_init(struct pamp_dev *d, unsigned int guard_ms)
{
	struct pamp_controls *pc = &d->controls;

	mutex_init(&pc->lock);
	spin_lock_init(&pc->guard_lock);
	spin_lock_init(&pc->event_lock);
	INIT_DELAYED_WORK(&pc->guard_work, pamp_guard_work);
	INIT_WORK(&pc->event_work, pamp_event_work);
	pc->guard_ms = guard_ms;
	pc->guard = guard_ms != 0;
	pc->guard_end = jiffies + msecs_to_jiffies(guard_ms);
	if (pc->guard)
		schedule_delayed_work(&pc->guard_work,
				      msecs_to_jiffies(guard_ms));
}

/*
 * After a USB reset or a resume that lost power: the plug-in case again.
 * The guard runs guard_ms (phantom_guard_ms now) from now; 0: no guard.
 */
void pamp_controls_rearm_guard(struct pamp_dev *d, unsigned int guard_ms)
{
	struct pamp_controls *pc = &d->controls;

	if (!guard_ms)
		return;
	spin_lock(&pc->guard_lock);
	WRITE_ONCE(pc->guard, true);
	WRITE_ONCE(pc->guard_ms, guard_ms);
	pc->guard_end = jiffies + msecs_to_jiffies(guard_ms);
	spin_unlock(&pc->guard_lock);
	dev_info(d->dev, "48 V plug-in guard re-armed for %u ms\n", guard_ms);
	pamp_guard_wake(d);
	pamp_run_soon(&pc->guard_work);
}

/* System suspend: the guard's work (which may switch 48 V) waits. */
void pamp_controls_pause_guard(struct pamp_dev *d)
{
	cancel_delayed_work_sync(&d->controls.guard_work);
}

/* Resume: the guard goes on where it was, or ends if its time is up. */
void pamp_controls_resume_guard(struct pamp_dev *d)
{
	if (READ_ONCE(d->controls.guard))
		pamp_run_soon(&d->controls.guard_work);
}

/* Disconnect, a failed probe: no work of the controls runs or is queued. */
void pamp_controls_stop(struct pamp_dev *d)
{
	cancel_delayed_work_sync(&d->controls.guard_work);
	cancel_work_sync(&d->controls.event_work);
	if (pamp_guard_awake_take(&d->controls))
		usb_autopm_put_interface_no_suspend(d->intf);
}

/* Attach and detach */

/*
 * Attaching walks the control set twice with the same code: first only
 * looking for a control of the same name already on the card (another
 * driver's), then adding. So a clash leaves the card untouched.
 */
struct pamp_attach {
	struct snd_card *card;
	bool check;		/* look for clashes, add nothing */
	char *clash;		/* the clashing name */
	size_t clash_len;
};

static int pamp_clash(struct pamp_attach *at, const char *name)
{
	if (at->clash)
		strscpy(at->clash, name, at->clash_len);
	return -EEXIST;
}

static int pamp_check(struct pamp_attach *at,
		      const struct snd_kcontrol_new *tmpl)
{
	struct snd_ctl_elem_id id = {
		.iface = tmpl->iface,
		.device = tmpl->device,
		.subdevice = tmpl->subdevice,
		.index = tmpl->index,
	};
	bool found;

	strscpy(id.name, tmpl->name, sizeof(id.name));
	/* 6.1 wants the rwsem for the lookup; later kernels lock inside */
	down_read(&at->card->controls_rwsem);
	found = snd_ctl_find_id(at->card, &id);
	up_read(&at->card->controls_rwsem);
	return found ? pamp_clash(at, tmpl->name) : 0;
}

static int pamp_add(struct pamp_dev *d, struct pamp_attach *at,
		    const struct snd_kcontrol_new *tmpl,
		    struct snd_kcontrol **slot)
{
	struct snd_kcontrol *kctl;
	int ret;

	if (at->check)
		return pamp_check(at, tmpl);
	kctl = snd_ctl_new1(tmpl, d);
	if (!kctl)
		return -ENOMEM;
	ret = snd_ctl_add(at->card, kctl);	/* frees on error */
	if (ret == -EBUSY)	/* added since the check */
		return pamp_clash(at, tmpl->name);
	if (ret) {
		dev_err(d->dev, "cannot add control \"%s\": %d\n", tmpl->name,
			ret);
		return ret;
	}
	WRITE_ONCE(*slot, kctl);
	return 0;
}

static int pamp_add_input(struct pamp_dev *d, struct pamp_attach *at,
			  unsigned int i)
{
	struct pamp_controls *pc = &d->controls;
	const struct pamp_input_desc *in = &d->in[i];
	char name[64];		/* room for any u32; real names fit the id */
	struct snd_kcontrol_new t;
	unsigned int sw;
	int ret;

	if (in->caps & PAMP_CAP_GAIN) {
		pc->gain_tlv[i][0] = SNDRV_CTL_TLVT_DB_MINMAX;
		pc->gain_tlv[i][1] = 2 * sizeof(unsigned int);
		pc->gain_tlv[i][2] = pamp_gain_cdb(in->gain_min);
		pc->gain_tlv[i][3] = pamp_gain_cdb(in->gain_max);

		snprintf(name, sizeof(name), "Line In %u Gain Capture Volume",
			 i + 1);
		t = (struct snd_kcontrol_new) {
			.iface = SNDRV_CTL_ELEM_IFACE_MIXER,
			.name = name,
			.access = SNDRV_CTL_ELEM_ACCESS_READWRITE |
				  SNDRV_CTL_ELEM_ACCESS_TLV_READ,
			.info = pamp_gain_info,
			.get = pamp_gain_get,
			.put = pamp_gain_put,
			.tlv.p = pc->gain_tlv[i],
			.private_value = PAMP_PV(i, 0),
		};
		ret = pamp_add(d, at, &t, &pc->gain[i]);
		if (ret)
			return ret;
	}

	for (sw = 0; sw < PAMP_NUM_SWITCHES; sw++) {
		if (!(in->caps & BIT(sw)))
			continue;
		t = (struct snd_kcontrol_new) {
			.iface = SNDRV_CTL_ELEM_IFACE_MIXER,
			.name = name,
			.access = SNDRV_CTL_ELEM_ACCESS_READWRITE,
			.info = snd_ctl_boolean_mono_info,
			.get = pamp_switch_get,
			.put = pamp_switch_put,
			.private_value = PAMP_PV(i, sw),
		};
		if (sw == PAMP_SW_PHANTOM) {
			if (in->group_first != i)
				continue;	/* the group's first has it */
			if (pc->guard_shown)
				t.access |= SNDRV_CTL_ELEM_ACCESS_INACTIVE;
		}
		if (sw == PAMP_SW_INST) {
			t.info = pamp_level_info;
			t.get = pamp_level_get;
			t.put = pamp_level_put;
		}
		if (in->group_last != in->group_first &&
		    sw == PAMP_SW_PHANTOM)
			snprintf(name, sizeof(name), "Line In %u-%u %s", i + 1,
				 in->group_last + 1, pamp_switch_names[sw]);
		else
			snprintf(name, sizeof(name), "Line In %u %s", i + 1,
				 pamp_switch_names[sw]);
		ret = pamp_add(d, at, &t, &pc->sw[i][sw]);
		if (ret)
			return ret;
	}
	return 0;
}

static int pamp_add_meters(struct pamp_dev *d, struct pamp_attach *at)
{
	struct pamp_controls *pc = &d->controls;
	static const struct snd_kcontrol_new meter = {
		.iface = SNDRV_CTL_ELEM_IFACE_MIXER,
		.name = "Level Meter",
		.access = SNDRV_CTL_ELEM_ACCESS_READ |
			  SNDRV_CTL_ELEM_ACCESS_VOLATILE |
			  SNDRV_CTL_ELEM_ACCESS_TLV_READ,
		.info = pamp_meter_info,
		.get = pamp_meter_get,
		.tlv.p = pamp_meter_tlv,
	};
	static const struct snd_kcontrol_new clips = {
		.iface = SNDRV_CTL_ELEM_IFACE_MIXER,
		.name = "Clip Count",
		.access = SNDRV_CTL_ELEM_ACCESS_READ |
			  SNDRV_CTL_ELEM_ACCESS_VOLATILE,
		.info = pamp_clips_info,
		.get = pamp_clips_get,
	};
	int ret;

	ret = pamp_add(d, at, &meter, &pc->meter);
	if (ret)
		return ret;
	return pamp_add(d, at, &clips, &pc->clips);
}

static void pamp_remove(struct snd_card *card, struct snd_kcontrol **slot)
{
	struct snd_kcontrol *kctl = *slot;
	struct snd_ctl_elem_id id;

	if (!kctl)
		return;
	id = kctl->id;
	WRITE_ONCE(*slot, NULL);
	snd_ctl_remove_id(card, &id);
}

static void pamp_detach_locked(struct pamp_dev *d)
{
	struct pamp_controls *pc = &d->controls;
	unsigned int i, sw;

	if (!pc->card)
		return;
	for (i = 0; i < PAMP_MAX_INPUTS; i++) {
		pamp_remove(pc->card, &pc->gain[i]);
		for (sw = 0; sw < PAMP_NUM_SWITCHES; sw++)
			pamp_remove(pc->card, &pc->sw[i][sw]);
	}
	pamp_remove(pc->card, &pc->meter);
	pamp_remove(pc->card, &pc->clips);
	WRITE_ONCE(pc->card, NULL);
}

static int pamp_add_all(struct pamp_dev *d, struct pamp_attach *at)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < d->info.num_inputs && !ret; i++)
		ret = pamp_add_input(d, at, i);
	if (!ret && (d->info.flags & PAMP_FLAG_METERS))
		ret = pamp_add_meters(d, at);
	return ret;
}

/*
 * Put the whole control set on card (not yet registered, or live, ours or
 * another driver's). If the card already has a control of one of our
 * names, nothing is added, the name goes to clash (clash_len bytes) and
 * the result is -EEXIST.
 */
int pamp_controls_attach(struct pamp_dev *d, struct snd_card *card,
			 char *clash, size_t clash_len)
{
	struct pamp_controls *pc = &d->controls;
	struct pamp_attach at = {
		.card = card,
		.check = true,
		.clash = clash,
		.clash_len = clash_len,
	};
	int ret;

	mutex_lock(&pc->lock);
	if (WARN_ON(pc->card)) {
		ret = -EBUSY;
		goto unlock;
	}
	ret = pamp_add_all(d, &at);
	if (ret)
		goto unlock;
	at.check = false;
	/* the guard work puts them in step later if this changes */
	pc->guard_shown = READ_ONCE(pc->guard);
	WRITE_ONCE(pc->card, card);
	ret = pamp_add_all(d, &at);
	if (ret)
		pamp_detach_locked(d);
unlock:
	mutex_unlock(&pc->lock);
	return ret;
}

/* Take the controls off their card; afterwards no callback of ours runs. */
void pamp_controls_detach(struct pamp_dev *d)
{
	mutex_lock(&d->controls.lock);
	pamp_detach_locked(d);
	mutex_unlock(&d->controls.lock);
}
