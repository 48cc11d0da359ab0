/* SPDX-License-Identifier: MIT */
/*
 * An emulated RME Babyface Pro as the "bbfpro" quirk of Linux's
 * snd-usb-audio (sound/usb/mixer_quirks.c) drives it: vendor requests to
 * the device without a data stage. Gain: bRequest 0x1a, wIndex the channel
 * (0, 1: the microphone inputs AN1/AN2, 0..65 dB, sent as 3 dB coarse
 * steps in bits 0..4 and 1 dB fine steps in bits 5..7, from 60 dB 60 plus
 * the fine part; 2, 3: the line inputs IN3/IN4, 0..18 half dB). The second
 * control register (bRequest 0x17): wIndex the bit, wValue that bit or 0
 * (bits 0, 1: 48 V on AN1/AN2; 2, 3: the line inputs' sensitivity; 4, 5:
 * the microphone inputs' pad). The first register (0x10) and the mixer
 * (0x12) are kept. The device tells the host nothing: a front-panel change
 * is never seen by the driver.
 *
 * The model knows nothing about USB/IP: unit-tested on its own.
 */
#ifndef EMU_BBFPRO_MODEL_H
#define EMU_BBFPRO_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "afe.h"

#define BB_INPUTS		4	/* AN1 AN2 IN3 IN4 */
#define BB_MIC_MAX		65	/* dB */
#define BB_LINE_MAX		18	/* half dB */
#define BB_PAD_DB		20.0
#define BB_MIXER_SIZE		1024

#define BB_REQ_REG1		0x10
#define BB_REQ_MIXER		0x12
#define BB_REQ_REG2		0x17
#define BB_REQ_GAIN		0x1a

/* bits of the second control register */
#define BB_REG2_48V_AN1		0
#define BB_REG2_48V_AN2		1
#define BB_REG2_SENS_IN3	2
#define BB_REG2_SENS_IN4	3
#define BB_REG2_PAD_AN1		4
#define BB_REG2_PAD_AN2		5

enum bb_count { BB_C_GAIN, BB_C_REG1, BB_C_REG2, BB_C_MIXER, BB_C_REFUSED,
		BB_C_COUNT };

struct bb_dev {
	bool powered;
	uint8_t gain[BB_INPUTS];	/* dB (mic) or half dB (line) */
	uint16_t reg1, reg2;
	uint32_t mixer[BB_MIXER_SIZE];
	struct emu_afe afe;
	unsigned int count[BB_C_COUNT];
	unsigned int writes;		/* requests that set something */
};

void bb_init(struct bb_dev *d);
/* A power cycle brings the unit's defaults back: 0 dB, 48 V off. */
void bb_power_on(struct bb_dev *d, uint64_t now_ns);
void bb_power_off(struct bb_dev *d, uint64_t now_ns);

/*
 * A vendor request to the device. Returns 0, or -EPIPE to STALL (not one
 * of its requests, a data stage, a value it cannot take).
 */
int bb_request(struct bb_dev *d, uint8_t type, uint8_t request,
	       uint16_t value, uint16_t index, uint16_t length, uint64_t now_ns);

/* The gain of input (0-based) in dB. */
double bb_gain_db(const struct bb_dev *d, unsigned int input);
bool bb_bit(const struct bb_dev *d, unsigned int bit);
/* The front panel: a gain in dB (snapped), a register-2 bit. */
int bb_panel_gain(struct bb_dev *d, unsigned int input, double db,
		  uint64_t now_ns);
int bb_panel_bit(struct bb_dev *d, unsigned int bit, bool on, uint64_t now_ns);
const char *bb_count_name(enum bb_count c);

#endif /* EMU_BBFPRO_MODEL_H */
