/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: the checks of the protocol's section 6 ("what the host
 * must not trust"), as pure functions of the wire records.
 */
#ifndef __SND_USB_PREAMP_VALIDATE_H
#define __SND_USB_PREAMP_VALIDATE_H

#include <linux/types.h>

#include "preamp-protocol.h"

/* A "Line In 32" fallback and any 15-byte UTF-8 label fit. */
#define PAMP_LABEL_BUF		(PAMP_LABEL_LEN + 1)

/* The Level Meter range, in 0.01 dBFS. */
#define PAMP_METER_MIN_CDB	(-9600)
#define PAMP_METER_MAX_CDB	0

/* What GET_INFO told, once checked. */
struct pamp_dev_desc {
	u8 version_minor;
	u8 num_inputs;		/* 1..PAMP_MAX_INPUTS */
	u8 flags;		/* PAMP_FLAG_*, METERS cleared if unusable */
	u16 meter_window_ms;
};

/* What GET_INPUT_INFO told about one input, once checked. */
struct pamp_input_desc {
	u16 caps;		/* what we offer: switch bits, CAP_GAIN, CAP_METER */
	u16 dev_switches;	/* the switch bits the device claims */
	s16 gain_min;		/* 1/256 dB; meaningful with CAP_GAIN */
	s16 gain_max;
	u16 gain_step;
	u16 gain_steps;		/* (gain_max - gain_min) / gain_step */
	u8 phantom_group;	/* as the device told it */
	u8 group_first;		/* the 48 V switch's inputs: group_first.. */
	u8 group_last;		/* ..group_last (both this input if own) */
	char label[PAMP_LABEL_BUF];
};

/* Why GET_INPUT_INFO or a state record was not taken as it came. */
#define PAMP_BAD_GAIN_RANGE	BIT(0)	/* no gain control */
#define PAMP_BAD_LABEL		BIT(1)	/* "Line In N" instead */
#define PAMP_BAD_GROUP		BIT(2)	/* no 48 V control */
#define PAMP_BAD_STATE_GAIN	BIT(3)	/* gain outside the range: clamped */
#define PAMP_BAD_STATE_GRID	BIT(4)	/* gain off the step grid: rounded */
#define PAMP_BAD_STATE_SWITCH	BIT(5)	/* switch bits outside caps: dropped */
#define PAMP_BAD_WINDOW		BIT(6)	/* meter window out of range: no meters */

int pamp_check_info(const struct pamp_info *raw, struct pamp_dev_desc *out,
		    const char **why);
unsigned int pamp_check_input_info(const struct pamp_input_info *raw,
				   unsigned int input,
				   struct pamp_input_desc *out);
u32 pamp_check_groups(struct pamp_input_desc *in, unsigned int n);
unsigned int pamp_check_state(const struct pamp_input_desc *in,
			      const struct pamp_input_state *raw,
			      u16 *gain_index, u16 *switches);

s16 pamp_gain_of_index(const struct pamp_input_desc *in, unsigned int index);
int pamp_gain_cdb(int gain);
int pamp_meter_cdb(int peak);

#endif /* __SND_USB_PREAMP_VALIDATE_H */
