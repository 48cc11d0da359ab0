/* SPDX-License-Identifier: MIT */
/*
 * An emulated class-compliant USB Audio Class 2.0 interface whose preamp
 * gain is a feature unit's Input Gain control (UAC2 section 5.2.5.7.11:
 * CUR and RANGE of 2 bytes in 1/256 dB), with Input Gain Pad (5.2.5.7.12,
 * the same layout) and Phase Inverter (5.2.5.7.13, a 1-byte boolean) on
 * every channel. A change on the device (its gain knob) is told to the host
 * as an interrupt data message (section 6.1): bInfo 0, bAttribute CUR,
 * wValue control and channel, wIndex the unit and the interface.
 *
 * The model knows nothing about USB/IP: unit-tested on its own.
 */
#ifndef EMU_UAC2_MODEL_H
#define EMU_UAC2_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "afe.h"

#define U2_MAX_CHANNELS		AFE_MAX_CHANNELS
#define U2_CS_INPUT_GAIN	0x0b
#define U2_CS_PAD		0x0c
#define U2_CS_PHASE		0x0d
#define U2_REQ_CUR		0x01
#define U2_REQ_RANGE		0x02
#define U2_MSG_LEN		6
#define U2_PENDING_MAX		32

enum u2_count { U2_C_GET_CUR, U2_C_GET_RANGE, U2_C_SET_CUR, U2_C_REFUSED,
		U2_C_COUNT };

struct u2_dev {
	unsigned int channels;
	uint8_t ac_intf, fu_id;
	int16_t gain_min, gain_max, gain_res;	/* 1/256 dB */
	int16_t pad_db;				/* the pad, < 0, 1/256 dB */
	int16_t gain[U2_MAX_CHANNELS];
	int16_t pad[U2_MAX_CHANNELS];		/* 0 or pad_db */
	bool phase[U2_MAX_CHANNELS];
	bool powered;
	struct emu_afe afe;
	struct { uint8_t cs, cn; } pending[U2_PENDING_MAX];
	unsigned int npending;
	unsigned int count[U2_C_COUNT];
	unsigned int writes;
};

/* A device of channels inputs with gain from min to max in steps of res
 * (1/256 dB) and a pad of pad (< 0); -EINVAL if that cannot be. */
int u2_init(struct u2_dev *d, unsigned int channels, uint8_t ac_intf,
	    uint8_t fu_id, int16_t min, int16_t max, int16_t res, int16_t pad);
/* Power-on: the gain at its minimum, no pad, no inversion. */
void u2_power_on(struct u2_dev *d, uint64_t now_ns);
void u2_power_off(struct u2_dev *d);

/*
 * A class request to the feature unit (wIndex: unit << 8 | interface). IN:
 * the reply goes to buf (cap); OUT: buf holds the data stage. Returns 0
 * (*len set for IN) or -EPIPE.
 */
int u2_request(struct u2_dev *d, uint8_t type, uint8_t request,
	       uint16_t value, uint16_t index, uint16_t length, uint8_t *buf,
	       size_t cap, size_t *len, uint64_t now_ns);
/* The next interrupt data message: U2_MSG_LEN, or -EAGAIN. */
ssize_t u2_notification(struct u2_dev *d, uint8_t out[U2_MSG_LEN]);

/* The front panel: a gain in dB (snapped, clamped), the pad, the phase. */
int u2_panel(struct u2_dev *d, unsigned int cs, unsigned int ch, double value,
	     uint64_t now_ns);
const char *u2_count_name(enum u2_count c);

#endif /* EMU_UAC2_MODEL_H */
