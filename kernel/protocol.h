/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: the requests of the Preamp Control Protocol, one control
 * transfer each. The caller holds pamp_dev.io_mutex (meters.lock for
 * GET_METERS); every function returns 0 or a negative errno: -ENODEV once
 * the device is gone, -EPIPE when the device refused (STALL), -ETIMEDOUT
 * when it did not answer in time, -EREMOTEIO for a short reply.
 */
#ifndef __SND_USB_PREAMP_PROTOCOL_H
#define __SND_USB_PREAMP_PROTOCOL_H

#include "preamp-protocol.h"

struct pamp_dev;

int pamp_get_info(struct pamp_dev *d, struct pamp_info *info);
int pamp_get_input_info(struct pamp_dev *d, unsigned int input,
			struct pamp_input_info *info);
int pamp_get_input_state(struct pamp_dev *d, unsigned int input,
			 struct pamp_input_state *st);
int pamp_set_gain(struct pamp_dev *d, unsigned int input,
		  unsigned int gain_index);
int pamp_set_switch(struct pamp_dev *d, unsigned int input, unsigned int sw,
		    bool on);
int pamp_get_meters(struct pamp_dev *d, struct pamp_meter *m, int timeout_ms);
int pamp_get_all_state(struct pamp_dev *d, struct pamp_input_state *st);
int pamp_set_all_state(struct pamp_dev *d, const struct pamp_set_state *st);

#endif /* __SND_USB_PREAMP_PROTOCOL_H */
