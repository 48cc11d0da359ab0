/* SPDX-License-Identifier: MIT */
/*
 * Finding the device and input a user means from what they typed. Pure:
 * works on plain lists so it can be tested without a daemon.
 *
 * DEV, in this order: a number is the 1-based index in the device list;
 * "hw:N" is ALSA card N; then an exact key or card id (first as is, then
 * ignoring case); then a name equal to DEV ignoring case; then a part of
 * the name or key, ignoring case, which must fit one device only.
 * IN: a number is the input number; then a label equal to IN ignoring
 * case; then a part of a label, which must fit one input only.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct pctl_dev_ref {
	unsigned index;		/* 1-based */
	const char *key, *card_id, *name;
	int32_t card;
};

struct pctl_in_ref {
	uint32_t number;
	const char *label;
};

/*
 * Returns 0 and the position in devs/ins of the match, or -ENOENT (no
 * match) or -ENOTUNIQ (several; the message lists them) with a message
 * in err.
 */
int pctl_select_device(const struct pctl_dev_ref *devs, size_t n, const char *query,
		       size_t *match, char *err, size_t errsize);
int pctl_select_input(const struct pctl_in_ref *ins, size_t n, const char *query,
		      size_t *match, char *err, size_t errsize);
