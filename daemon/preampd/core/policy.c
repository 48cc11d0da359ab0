// SPDX-License-Identifier: MIT
/* Restore, adopt and preset decisions; the 48 V policy. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "policy.h"
#include "util.h"

static const char *const switch_names[PA_SW_COUNT] = {
	[PA_SW_PAD] = "pad",
	[PA_SW_PHASE] = "phase",
	[PA_SW_HIGHPASS] = "highpass",
	[PA_SW_AIR] = "air",
};

static const char *const cap_names[PA_CAP_COUNT] = {
	"gain", "phantom", "pad", "phase", "highpass", "air", "level",
	"meter", "autogain",
};

static const char *const policy_names[] = {
	[PA_POLICY_OFF] = "off",
	[PA_POLICY_RESTORE] = "restore",
	[PA_POLICY_DEVICE] = "device",
};

const char *pa_switch_name(enum pa_switch sw)
{
	return (unsigned)sw < PA_SW_COUNT ? switch_names[sw] : "?";
}

int pa_switch_from_name(const char *name, enum pa_switch *out)
{
	for (unsigned i = 0; i < PA_SW_COUNT; i++) {
		if (!strcmp(name, switch_names[i])) {
			*out = (enum pa_switch)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *pa_level_name(enum pa_level level)
{
	return level == PA_LEVEL_INST ? "inst" : "line";
}

int pa_level_from_name(const char *name, enum pa_level *out)
{
	if (!strcmp(name, "line"))
		*out = PA_LEVEL_LINE;
	else if (!strcmp(name, "inst"))
		*out = PA_LEVEL_INST;
	else
		return -EINVAL;
	return 0;
}

const char *pa_cap_name(unsigned bit)
{
	return bit < PA_CAP_COUNT ? cap_names[bit] : "?";
}

const char *pa_policy_name(enum pa_policy p)
{
	return (unsigned)p < PA_ARRAY_SIZE(policy_names) ? policy_names[p] : "?";
}

int pa_policy_from_name(const char *name, enum pa_policy *out)
{
	for (unsigned i = 0; i < PA_ARRAY_SIZE(policy_names); i++) {
		if (!strcmp(name, policy_names[i])) {
			*out = (enum pa_policy)i;
			return 0;
		}
	}
	return -EINVAL;
}

enum pa_phantom_action pa_phantom_at_plugin(const struct pa_phantom_case *c)
{
	bool want;

	if (c->locked)
		return c->current ? PA_PHANTOM_OFF : PA_PHANTOM_LEAVE;
	switch (c->policy) {
	case PA_POLICY_DEVICE:
		return PA_PHANTOM_LEAVE;
	case PA_POLICY_RESTORE:
		/* nothing saved: as safe as "off" */
		want = c->saved_known && c->saved;
		break;
	case PA_POLICY_OFF:
	default:
		want = false;
		break;
	}
	if (want == c->current)
		return PA_PHANTOM_LEAVE;
	if (!want)
		return PA_PHANTOM_OFF;
	return c->guard ? PA_PHANTOM_ON_AFTER_GUARD : PA_PHANTOM_ON;
}

uint32_t pa_phantom_group_mask(const struct pa_topology *topo, unsigned n)
{
	uint32_t mask = 0;
	unsigned g;

	if (n < 1 || n > PA_MAX_INPUTS || !(topo->present & (1u << (n - 1))))
		return 0;
	if (!(topo->caps[n - 1] & PA_CAP_PHANTOM))
		return 0;
	g = topo->group[n - 1];
	if (g == 0)
		return 1u << (n - 1);
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++)
		if ((topo->present & (1u << i)) &&
		    (topo->caps[i] & PA_CAP_PHANTOM) && topo->group[i] == g)
			mask |= 1u << i;
	return mask;
}

static bool group_locked(const struct pa_settings *s, uint32_t mask)
{
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++)
		if ((mask & (1u << i)) && (s->in[i].fields & PA_F_LOCK) &&
		    s->in[i].locked)
			return true;
	return false;
}

int pa_phantom_check_set(const struct pa_topology *topo,
			 const struct pa_settings *current, unsigned n,
			 bool on)
{
	uint32_t mask = pa_phantom_group_mask(topo, n);

	if (!mask)
		return -EOPNOTSUPP;
	if (on && group_locked(current, mask))
		return -EPERM;
	return 0;
}


/* Copies gain, switches and level of src into the plan where the input
 * has them and they differ from cur. */
static void plan_values(const struct pa_topology *topo, unsigned i,
			const struct pa_input_settings *src,
			const struct pa_input_settings *cur,
			struct pa_input_settings *w)
{
	uint32_t caps = topo->caps[i];

	if ((caps & PA_CAP_GAIN) && (src->fields & PA_F_GAIN) &&
	    isfinite(src->gain_db) &&
	    (!(cur->fields & PA_F_GAIN) ||
	     fabs(cur->gain_db - src->gain_db) > 1e-6)) {
		w->fields |= PA_F_GAIN;
		w->gain_db = src->gain_db;
	}
	for (unsigned sw = 0; sw < PA_SW_COUNT; sw++) {
		uint32_t f = PA_F_SWITCH(sw);

		if (!(caps & PA_CAP_SWITCH(sw)) || !(src->fields & f))
			continue;
		if ((cur->fields & f) && cur->sw[sw] == src->sw[sw])
			continue;
		w->fields |= f;
		w->sw[sw] = src->sw[sw];
	}
	if ((caps & PA_CAP_LEVEL) && (src->fields & PA_F_LEVEL) &&
	    (!(cur->fields & PA_F_LEVEL) ||
	     cur->level != src->level)) {
		w->fields |= PA_F_LEVEL;
		w->level = src->level;
	}
}

/* The locks of the saved settings, spread over whole groups. */
static uint32_t saved_locks(const struct pa_topology *topo,
			    const struct pa_settings *saved)
{
	uint32_t locks = 0;

	if (!saved)
		return 0;
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		if (!(topo->present & (1u << i)) ||
		    !(topo->caps[i] & PA_CAP_PHANTOM))
			continue;
		if ((saved->in[i].fields & PA_F_LOCK) && saved->in[i].locked)
			locks |= pa_phantom_group_mask(topo, i + 1);
	}
	return locks;
}

void pa_plan_restore(const struct pa_topology *topo,
		     const struct pa_settings *current,
		     const struct pa_settings *saved, enum pa_policy policy,
		     struct pa_plan *plan)
{
	uint32_t done = 0;

	memset(plan, 0, sizeof(*plan));
	plan->lock = saved_locks(topo, saved);
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		const struct pa_input_settings *cur = &current->in[i];
		struct pa_input_settings *w = &plan->write.in[i];
		uint32_t group;
		struct pa_phantom_case c;

		if (!(topo->present & (1u << i)))
			continue;
		if (saved)
			plan_values(topo, i, &saved->in[i], cur, w);
		if (saved && (saved->in[i].fields & PA_F_LOCK)) {
			w->fields |= PA_F_LOCK;
			w->locked = saved->in[i].locked;
		}
		group = pa_phantom_group_mask(topo, i + 1);
		if (!group || (done & (1u << i)))
			continue;
		done |= group;
		c = (struct pa_phantom_case){
			.policy = policy,
			.current = (cur->fields & PA_F_PHANTOM) && cur->phantom,
			.saved_known = saved && (saved->in[i].fields & PA_F_PHANTOM),
			.saved = saved && saved->in[i].phantom,
			.locked = (plan->lock & group) != 0,
			.guard = topo->guard[i],
		};
		switch (pa_phantom_at_plugin(&c)) {
		case PA_PHANTOM_OFF:
		case PA_PHANTOM_ON:
			w->fields |= PA_F_PHANTOM;
			w->phantom = pa_phantom_at_plugin(&c) == PA_PHANTOM_ON;
			break;
		case PA_PHANTOM_ON_AFTER_GUARD:
			plan->phantom_later |= 1u << i;
			break;
		case PA_PHANTOM_LEAVE:
			break;
		}
	}
}

void pa_plan_adopt(const struct pa_topology *topo,
		   const struct pa_settings *current,
		   const struct pa_settings *saved, struct pa_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->lock = saved_locks(topo, saved);
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		const struct pa_input_settings *cur = &current->in[i];

		if (!(topo->present & (1u << i)))
			continue;
		if (saved && (saved->in[i].fields & PA_F_LOCK)) {
			plan->write.in[i].fields |= PA_F_LOCK;
			plan->write.in[i].locked = saved->in[i].locked;
		}
		if ((plan->lock & (1u << i)) && (cur->fields & PA_F_PHANTOM) &&
		    cur->phantom) {
			plan->write.in[i].fields |= PA_F_PHANTOM;
			plan->write.in[i].phantom = false;
		}
	}
}

void pa_plan_preset(const struct pa_topology *topo,
		    const struct pa_settings *current,
		    const struct pa_settings *preset, enum pa_policy policy,
		    struct pa_plan *plan)
{
	uint32_t locks = 0;

	memset(plan, 0, sizeof(*plan));
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++)
		if ((topo->present & (1u << i)) &&
		    (current->in[i].fields & PA_F_LOCK) && current->in[i].locked)
			locks |= pa_phantom_group_mask(topo, i + 1);
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		const struct pa_input_settings *p = &preset->in[i];
		const struct pa_input_settings *cur = &current->in[i];
		struct pa_input_settings *w = &plan->write.in[i];

		if (!(topo->present & (1u << i)))
			continue;
		plan_values(topo, i, p, cur, w);
		if (policy != PA_POLICY_RESTORE ||
		    !(topo->caps[i] & PA_CAP_PHANTOM) ||
		    !(p->fields & PA_F_PHANTOM))
			continue;
		if (p->phantom && (locks & (1u << i)))
			continue;
		if ((cur->fields & PA_F_PHANTOM) && cur->phantom == p->phantom)
			continue;
		w->fields |= PA_F_PHANTOM;
		w->phantom = p->phantom;
	}
}

void pa_preset_snapshot(const struct pa_topology *topo,
			const struct pa_settings *current,
			enum pa_policy policy, struct pa_settings *preset)
{
	memset(preset, 0, sizeof(*preset));
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		if (!(topo->present & (1u << i)))
			continue;
		preset->in[i] = current->in[i];
		preset->in[i].fields &= ~PA_F_LOCK;
		if (policy != PA_POLICY_RESTORE)
			preset->in[i].fields &= ~PA_F_PHANTOM;
	}
}

enum pa_marker_verdict pa_marker_decide(const struct pa_marker_case *c)
{
	if (!c->runtime_dir)
		/* no markers at all: a card that an event announces is a
		 * plug-in; one found at start may have been restored by the
		 * preampd that ran before */
		return c->at_start ? PA_MARKER_ADOPT_ALL : PA_MARKER_RESTORE;
	if (c->marker == -ENOENT)
		return PA_MARKER_RESTORE;
	if (c->marker < 0)
		return PA_MARKER_ADOPT_ALL;	/* damaged, unreadable */
	if (!c->same_syspath)
		return PA_MARKER_RESTORE;	/* another card had the number */
	if (c->marker_usec && c->card_usec)
		return c->marker_usec == c->card_usec ? PA_MARKER_ADOPT :
							PA_MARKER_RESTORE;
	/* without initialization times one plug-in looks like the next */
	return PA_MARKER_ADOPT;
}
