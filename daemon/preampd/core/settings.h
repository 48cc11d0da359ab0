/* SPDX-License-Identifier: MIT */
/*
 * The data every pure module shares: an input's settings as they are saved,
 * restored and put in presets, and the capabilities and 48 V topology of a
 * device's inputs.
 */
#ifndef PREAMPD_SETTINGS_H
#define PREAMPD_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

/* Inputs are numbered 1..PA_MAX_INPUTS; arrays are indexed number - 1. */
#define PA_MAX_INPUTS 32

/* The on/off switches of dbus-api.md's SetSwitch. */
enum pa_switch {
	PA_SW_PAD,
	PA_SW_PHASE,
	PA_SW_HIGHPASS,
	PA_SW_AIR,
	PA_SW_COUNT
};

enum pa_level {
	PA_LEVEL_LINE,
	PA_LEVEL_INST,
};

/* Capabilities, in the order of the Capabilities property. */
enum pa_cap {
	PA_CAP_GAIN	= 1u << 0,
	PA_CAP_PHANTOM	= 1u << 1,
	PA_CAP_PAD	= 1u << 2,
	PA_CAP_PHASE	= 1u << 3,
	PA_CAP_HIGHPASS	= 1u << 4,
	PA_CAP_AIR	= 1u << 5,
	PA_CAP_LEVEL	= 1u << 6,
	PA_CAP_METER	= 1u << 7,
	PA_CAP_AUTOGAIN	= 1u << 8,
};
#define PA_CAP_COUNT 9
/* the capability of switch sw (enum pa_switch): PAD, PHASE, HIGHPASS, AIR */
#define PA_CAP_SWITCH(sw) (PA_CAP_PAD << (sw))
_Static_assert(PA_CAP_SWITCH(PA_SW_PHASE) == PA_CAP_PHASE &&
	       PA_CAP_SWITCH(PA_SW_HIGHPASS) == PA_CAP_HIGHPASS &&
	       PA_CAP_SWITCH(PA_SW_AIR) == PA_CAP_AIR,
	       "the switches' capabilities follow enum pa_switch");

/* Which fields of a pa_input_settings hold a value. */
enum pa_field {
	PA_F_GAIN	= 1u << 0,
	PA_F_PHANTOM	= 1u << 1,
	PA_F_LOCK	= 1u << 2,
	PA_F_PAD	= 1u << 3,	/* PA_F_PAD << sw for switch sw */
	PA_F_PHASE	= 1u << 4,
	PA_F_HIGHPASS	= 1u << 5,
	PA_F_AIR	= 1u << 6,
	PA_F_LEVEL	= 1u << 7,
};
#define PA_F_SWITCH(sw) (PA_F_PAD << (sw))

struct pa_input_settings {
	uint32_t fields;	/* enum pa_field: what is set below */
	double gain_db;
	bool phantom;
	bool locked;		/* PhantomLocked */
	bool sw[PA_SW_COUNT];
	enum pa_level level;
};

struct pa_settings {
	struct pa_input_settings in[PA_MAX_INPUTS];	/* by number - 1 */
};

enum pa_policy {
	PA_POLICY_OFF,
	PA_POLICY_RESTORE,
	PA_POLICY_DEVICE,
};

/* A device's inputs as the policy needs to know them. */
struct pa_topology {
	uint32_t present;	/* bit n-1: input n exists */
	uint32_t caps[PA_MAX_INPUTS];
	/* inputs sharing one 48 V switch have the same nonzero group */
	unsigned group[PA_MAX_INPUTS];
	/* the input's 48 V switch is INACTIVE: a plug-in guard is on */
	bool guard[PA_MAX_INPUTS];
};

const char *pa_switch_name(enum pa_switch sw);
int pa_switch_from_name(const char *name, enum pa_switch *out);
const char *pa_level_name(enum pa_level level);
int pa_level_from_name(const char *name, enum pa_level *out);
const char *pa_cap_name(unsigned bit);	/* bit index 0..PA_CAP_COUNT-1 */
const char *pa_policy_name(enum pa_policy p);
int pa_policy_from_name(const char *name, enum pa_policy *out);

#endif
