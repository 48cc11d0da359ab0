/* SPDX-License-Identifier: MIT */
/*
 * A property that changed, as `preampctl monitor` prints it: in the words
 * of `preampctl show` ("gain 30.0 dB", "48 V on", "48 V policy: restore"),
 * not in D-Bus names. Pure.
 */
#pragma once

#include <stdbool.h>

#include "text.h"

/* A property's new value, as read from PropertiesChanged. */
struct pctl_value {
	char type;		/* 's', 'b', 'd', 'i' (any integer), 'a' (a list),
				 * 0 (a type monitor does not read) */
	const char *s;
	bool b;
	double d;
	long long i;
	char **list;		/* 'a': NULL-terminated */
};

/*
 * Appends the change in words. Returns false for a property that needs
 * no line of its own (Devices, Inputs: the plug-in and unplug lines say
 * it).
 */
bool pctl_fmt_change(struct pctl_buf *b, const char *prop, const struct pctl_value *v);
