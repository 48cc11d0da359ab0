/* SPDX-License-Identifier: MIT */
/*
 * What goes back to a device at plug-in, and what a preset changes: pure
 * decisions over settings, so the 48 V rules are tested without a device.
 */
#ifndef PREAMPD_POLICY_H
#define PREAMPD_POLICY_H

#include "settings.h"

/* One 48 V switch (a group) at plug-in. */
struct pa_phantom_case {
	enum pa_policy policy;
	bool current;		/* on now (alsactl, the device, a knob) */
	bool saved_known;	/* a state file had a value */
	bool saved;
	bool locked;		/* an input of the group is PhantomLocked */
	bool guard;		/* the switch is INACTIVE: plug-in guard */
};

enum pa_phantom_action {
	PA_PHANTOM_LEAVE,	/* write nothing */
	PA_PHANTOM_OFF,		/* switch off now */
	PA_PHANTOM_ON,		/* switch on now */
	PA_PHANTOM_ON_AFTER_GUARD,	/* switch on when the guard lifts */
};

enum pa_phantom_action pa_phantom_at_plugin(const struct pa_phantom_case *c);

/* The writes of a plug-in restore. */
struct pa_plan {
	struct pa_settings write;	/* fields set: write these */
	uint32_t phantom_later;		/* inputs to switch on after the guard */
	uint32_t lock;			/* inputs whose 48 V switch to lock */
};

/*
 * The restore of a device just plugged in. saved is NULL without a state
 * file. A persistent device gets only the values that differ from current;
 * others get every saved value their capabilities allow. 48 V follows the
 * policy, per group; a locked group is switched off whatever the policy.
 */
void pa_plan_restore(const struct pa_topology *topo,
		     const struct pa_settings *current,
		     const struct pa_settings *saved, enum pa_policy policy,
		     bool persistent, struct pa_plan *plan);

/*
 * A daemon that restarted and adopts a device it had restored: nothing is
 * written but the locks, and a locked group that is on is switched off.
 */
void pa_plan_adopt(const struct pa_topology *topo,
		   const struct pa_settings *current,
		   const struct pa_settings *saved, struct pa_plan *plan);

/*
 * ApplyPreset: gain, switches and level where the input has them; 48 V only
 * under the "restore" policy, when the preset holds it, and never on a
 * locked group. Only values that differ from current are written.
 */
void pa_plan_preset(const struct pa_topology *topo,
		    const struct pa_settings *current,
		    const struct pa_settings *preset, enum pa_policy policy,
		    struct pa_plan *plan);

/* SavePreset: what of the current settings a preset keeps. */
void pa_preset_snapshot(const struct pa_topology *topo,
			const struct pa_settings *current,
			enum pa_policy policy, struct pa_settings *preset);

/* The inputs of input n's 48 V group (itself included), as a bit mask. */
uint32_t pa_phantom_group_mask(const struct pa_topology *topo, unsigned n);

/* SetPhantom(on) on input n: -EPERM (Locked) if any input of the group is
 * locked in current, else 0. */
int pa_phantom_check_set(const struct pa_topology *topo,
			 const struct pa_settings *current, unsigned n,
			 bool on);

#endif
