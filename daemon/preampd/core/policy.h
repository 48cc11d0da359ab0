/* SPDX-License-Identifier: MIT */
/*
 * What goes back to a device at plug-in, and what a preset changes: pure
 * decisions over settings, so the 48 V rules are tested without a device.
 */
#ifndef PREAMPD_POLICY_H
#define PREAMPD_POLICY_H

#include <stdint.h>

#include "settings.h"

/*
 * Restore or adopt: was the card restored at this plug-in already, by a
 * preampd that has since restarted? Its restore marker (/run/preampd/
 * cardN.instance) says so, with the plug-in's udev initialization time.
 * Restoring a card that was restored already would undo what happened
 * since (and switch 48 V off in the middle of a take), so where the
 * marker cannot be trusted the card is adopted as it is.
 */
struct pa_marker_case {
	bool at_start;		/* found at start, not announced by an event */
	bool runtime_dir;	/* the runtime directory could be opened */
	int marker;		/* reading it: 0, -ENOENT, or another error */
	bool same_syspath;	/* the marker is of this card's sysfs device */
	uint64_t marker_usec;	/* initialization time in the marker */
	uint64_t card_usec;	/* of the card now; 0: udev did not say */
};

enum pa_marker_verdict {
	PA_MARKER_RESTORE,	/* a plug-in no preampd has seen */
	PA_MARKER_ADOPT,	/* restored at this plug-in: its marker holds */
	PA_MARKER_ADOPT_ALL,	/* no trustworthy marker: adopt everything */
};

enum pa_marker_verdict pa_marker_decide(const struct pa_marker_case *c);

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
 * file. Only the saved values that differ from current, and that the
 * input's capabilities allow, are written: current is what the driver read
 * from the device, so an equal value would cost a transfer and change
 * nothing. 48 V follows the policy, per group; a locked group is switched
 * off whatever the policy.
 */
void pa_plan_restore(const struct pa_topology *topo,
		     const struct pa_settings *current,
		     const struct pa_settings *saved, enum pa_policy policy,
		     struct pa_plan *plan);

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
