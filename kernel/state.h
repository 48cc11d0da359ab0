/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: the cache of the device's state.
 *
 * Controls read the cache and never wait for USB; everything that changes
 * the device or learns of a change goes through here, one transfer per
 * operation. A "changed" array, where a function takes one, receives per
 * input PAMP_CAP_GAIN if the gain changed and the switch bits that changed,
 * so the caller can raise events on exactly those controls.
 *
 * The functions that take no "locked" or PM context wake the device
 * (runtime PM) themselves and return -ENODEV once it is gone, -EAGAIN
 * during a USB reset.
 */
#ifndef __SND_USB_PREAMP_STATE_H
#define __SND_USB_PREAMP_STATE_H

#include <linux/types.h>

struct pamp_dev;
struct pamp_state;

void pamp_state_init(struct pamp_dev *d);
void pamp_state_read(struct pamp_dev *d, unsigned int input,
		     struct pamp_state *st);
bool pamp_state_phantom(struct pamp_dev *d, unsigned int input);

int pamp_state_refresh_all(struct pamp_dev *d, u16 *changed);
int pamp_state_refresh(struct pamp_dev *d, u32 inputs, u16 *changed);
int pamp_state_set_gain(struct pamp_dev *d, unsigned int input,
			unsigned int gain_index, u16 *changed);
int pamp_state_set_switch(struct pamp_dev *d, unsigned int input,
			  unsigned int sw, bool on, u16 *changed);
int pamp_state_restore_phantom(struct pamp_dev *d, u16 *changed);

/* From PM callbacks (the device is awake), and at disconnect */
void pamp_state_reset_begin(struct pamp_dev *d);
int pamp_state_restore(struct pamp_dev *d, bool phantom, u16 *changed);
void pamp_state_stop(struct pamp_dev *d);
void pamp_state_disconnect(struct pamp_dev *d);

#endif /* __SND_USB_PREAMP_STATE_H */
