/* SPDX-License-Identifier: MIT */
/*
 * What preampctl knows of the daemon's objects: the devices in plug-in
 * order and their inputs, as read from D-Bus. Every string is owned and
 * never NULL once bus.c has filled it in (missing properties are "").
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pctl_cap {
	PCTL_CAP_GAIN		= 1u << 0,
	PCTL_CAP_PHANTOM	= 1u << 1,
	PCTL_CAP_PAD		= 1u << 2,
	PCTL_CAP_PHASE		= 1u << 3,
	PCTL_CAP_HIGHPASS	= 1u << 4,
	PCTL_CAP_AIR		= 1u << 5,
	PCTL_CAP_LEVEL		= 1u << 6,
	PCTL_CAP_METER		= 1u << 7,
	PCTL_CAP_AUTOGAIN	= 1u << 8,
};
#define PCTL_CAP_COUNT 9

struct pctl_input {
	char *path;
	size_t position;		/* in Device.Inputs: GetLevels's order */
	uint32_t number;
	char *label;
	unsigned caps;			/* enum pctl_cap bits */
	double gain, gain_min, gain_max, gain_step;
	bool phantom, phantom_locked;
	bool pad, phase, highpass, air;
	char *level;			/* "line", "inst" or "" */
	char *autogain_state;
	uint32_t *phantom_group;	/* input numbers, this one included */
	size_t n_phantom_group;
};

struct pctl_device {
	char *path;
	unsigned index;			/* 1-based place in Manager.Devices */
	char *key, *name, *usb_id, *serial, *card_id, *driver;
	char *phantom_policy;
	int32_t card;
	bool persistent;
	char **presets;
	size_t n_presets;
	struct pctl_input *inputs;
	size_t n_inputs;
};

struct pctl_state {
	char *version;
	struct pctl_device *devices;
	size_t n_devices;
};

/* The capability word of one bit, and the bit of a word (0: unknown). */
const char *pctl_cap_word(unsigned cap);
unsigned pctl_cap_from_word(const char *word);

void pctl_input_clear(struct pctl_input *in);
void pctl_device_clear(struct pctl_device *d);
void pctl_state_clear(struct pctl_state *s);

/* Lookups; NULL when absent. */
struct pctl_device *pctl_state_device_by_path(const struct pctl_state *s,
					      const char *path);
struct pctl_input *pctl_device_input_by_path(const struct pctl_device *d,
					     const char *path);
struct pctl_input *pctl_device_input_by_number(const struct pctl_device *d,
					       uint32_t number);
