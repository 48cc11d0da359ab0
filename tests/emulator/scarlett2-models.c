// SPDX-License-Identifier: MIT
/*
 * The Focusrite models the scarlett2 emulator answers as: where each keeps
 * its settings in the data space, how each is written and activated, which
 * notification bit tells each change, and the order of its routing
 * destinations. These are facts of the devices' protocol as Linux's
 * scarlett2 driver (sound/usb/mixer_scarlett2.c, Linux 6.12) expects them;
 * the driver in the test VM judges them.
 */
#include <stdio.h>
#include <string.h>

#include "scarlett2-model.h"

/* port type ids of mux sources and destinations */
#define P_ANALOGUE	0x080
#define P_MIX		0x300
#define P_PCM		0x600

/* notification bits */
#define N_SYNC		0x00000008
#define N_INPUT_OTHER	0x00800000	/* 3rd Gen: level, pad, air, 48 V */

/* ---- Scarlett 2i2 4th Gen ---------------------------------------------- */

/* (the autogain targets are device-wide settings; the host sends them on
 * channel 1) */

#define S2I2_ITEMS(dm_gain_offset) \
	{ S2_FN_MSD,            0x049,  8,  4, false, false, 0 }, \
	{ S2_FN_DIRECT_MONITOR, 0x14a,  8, 16, true,  false, 0 }, \
	{ S2_FN_AG_SWITCH,      0x135,  8, 10, true,  false, 0 }, \
	{ S2_FN_AG_STATUS,      0x137,  8,  0, false, false, 0 }, \
	{ S2_FN_AG_MEAN,        0x131,  8, 29, true,  false, 1 }, \
	{ S2_FN_AG_PEAK,        0x132,  8, 30, true,  false, 1 }, \
	{ S2_FN_PHANTOM,        0x048,  8, 11, true,  true,  0 }, \
	{ S2_FN_GAIN,           0x04b,  8, 12, true,  false, 0 }, \
	{ S2_FN_LEVEL,          0x03c,  8, 13, true,  true,  0 }, \
	{ S2_FN_SAFE,           0x147,  8, 14, true,  false, 0 }, \
	{ S2_FN_AIR,            0x03e,  8, 15, true,  false, 0 }, \
	{ S2_FN_SELECT,         0x14b,  8, 17, true,  false, 0 }, \
	{ S2_FN_LINK,           0x14e,  8, 18, true,  false, 0 }, \
	{ S2_FN_DM_GAIN, dm_gain_offset, 16, 36, false, false, 0 }, \
	{ S2_FN_COUNT, 0, 0, 0, false, false, 0 }

/* firmware before 2417 */
static const struct s2_item s2i2_gen4_items[] = { S2I2_ITEMS(0x2a0) };
/* firmware 2417 moved the direct monitor gains by four bytes */
static const struct s2_item s2i2_gen4_fw2417_items[] = { S2I2_ITEMS(0x2a4) };

/* the routing destinations of the small 4th Gen models, in order */
static const struct s2_mux_range gen4_small_mux[] = {
	{ P_MIX, 4, 2 }, { P_MIX, 2, 2 }, { P_PCM, 0, 4 }, { P_MIX, 0, 2 },
	{ P_ANALOGUE, 0, 2 }, { 0, 0, 0 }
};

#define S2I2_GEN4(fw, table) {						\
	.id = "2i2-4th", .product = "Scarlett 2i2 4th Gen",		\
	.product_id = 0x8219, .firmware = fw, .num_inputs = 2,		\
	.analogue_in = 2,						\
	.param_buf = 0xfc, .gain_step_db = 69.0 / 70.0,			\
	.statuses = S2_STATUS_GEN4, .air_values = 3,			\
	.span = {							\
		[S2_FN_GAIN] = { 2, 0, 1, 0 },				\
		[S2_FN_PHANTOM] = { 1, 0, 2, 0 },			\
		[S2_FN_LEVEL] = { 2, 0, 1, 0 },				\
		[S2_FN_AIR] = { 2, 0, 1, 0 },				\
		[S2_FN_AG_SWITCH] = { 2, 0, 1, 0 },			\
		[S2_FN_AG_STATUS] = { 2, 0, 1, 0 },			\
		[S2_FN_SAFE] = { 2, 0, 1, 0 },				\
	},								\
	.notify = {							\
		[S2_FN_SAFE] = 0x00200000,				\
		[S2_FN_AG_SWITCH] = 0x00400000,				\
		[S2_FN_AG_STATUS] = 0x00400000,				\
		[S2_FN_AIR] = 0x00800000,				\
		[S2_FN_DIRECT_MONITOR] = 0x01000000,			\
		[S2_FN_SELECT] = 0x02000000,				\
		[S2_FN_LINK] = 0x02000000,				\
		[S2_FN_LEVEL] = 0x04000000,				\
		[S2_FN_PHANTOM] = 0x08000000,				\
		[S2_FN_GAIN] = 0x40000000,				\
	},								\
	.items = table, .mux = gen4_small_mux, .mix_in = 4, .mix_out = 4, \
}

/* ---- Scarlett Solo 4th Gen ---------------------------------------------- */

/* Input 1 is the line/instrument input, input 2 the microphone's: its 48 V
 * switch is sent as channel 1 but kept in the first slot. */
static const struct s2_item solo_gen4_items[] = {
	{ S2_FN_MSD,            0x047,  8,  4, false, false, 0 },
	{ S2_FN_DIRECT_MONITOR, 0x108,  8, 12, true,  false, 0 },
	{ S2_FN_PHANTOM,        0x046,  8,  9, true,  true,  1 },
	{ S2_FN_LEVEL,          0x03d,  8, 10, true,  true,  0 },
	{ S2_FN_AIR,            0x03e,  8, 11, true,  false, 0 },
	{ S2_FN_PCM_INPUT,      0x206,  8, 25, true,  false, 0 },
	{ S2_FN_DM_GAIN,        0x232, 16, 26, false, false, 0 },
	{ S2_FN_COUNT, 0, 0, 0, false, false, 0 }
};

/* ---- Scarlett 4i4 3rd Gen ----------------------------------------------- */

/* No parameter buffer: the host writes the data space and activates it,
 * then saves to flash (DATA_CMD 6) a moment later. */
static const struct s2_item s4i4_gen3_items[] = {
	{ S2_FN_OTHER,          0x034, 16,  1, false, false, 0 },	/* line out volume */
	{ S2_FN_OTHER,          0x05c,  8,  1, false, false, 0 },	/* line out mute */
	{ S2_FN_LEVEL,          0x07c,  8,  7, false, false, 0 },
	{ S2_FN_PAD,            0x084,  8,  8, false, false, 0 },
	{ S2_FN_AIR,            0x08c,  8,  8, false, false, 0 },
	{ S2_FN_OTHER,          0x095,  8,  6, false, false, 0 },	/* standalone */
	{ S2_FN_PHANTOM,        0x09c,  1,  8, false, false, 0 },
	{ S2_FN_MSD,            0x09d,  8,  6, false, false, 0 },
	{ S2_FN_PHANTOM_PERSIST, 0x09e, 8,  6, false, false, 0 },
	{ S2_FN_COUNT, 0, 0, 0, false, false, 0 }
};

static const struct s2_mux_range s4i4_gen3_mux[] = {
	{ P_PCM, 0, 6 }, { P_ANALOGUE, 0, 4 }, { P_MIX, 0, 8 }, { 0, 0, 0 }
};

/* ---- Vocaster One -------------------------------------------------------- */

static const struct s2_item vocaster_one_items[] = {
	{ S2_FN_MSD,            0x09d,  8,  6, false, false, 0 },
	{ S2_FN_AG_SWITCH,      0x1c0,  8, 19, true,  false, 0 },
	{ S2_FN_AG_STATUS,      0x1c2,  8,  0, false, false, 0 },
	{ S2_FN_AG_HOT,         0x0c1,  8, 29, true,  false, 1 },
	{ S2_FN_GAIN,           0x09f,  8, 21, true,  false, 0 },
	{ S2_FN_PHANTOM,        0x09c,  1, 20, true,  false, 0 },
	{ S2_FN_DSP,            0x1c4,  8, 22, true,  false, 0 },
	{ S2_FN_OTHER,          0x1c8, 32, 23, false, false, 0 },	/* compressor */
	{ S2_FN_OTHER,          0x07c, 32, 27, false, false, 0 },	/* filter switches */
	{ S2_FN_OTHER,          0x200, 32, 27, false, false, 0 },	/* filters */
	{ S2_FN_OTHER,          0x084, 32, 27, false, false, 0 },
	{ S2_FN_OTHER,          0x250, 32, 27, false, false, 0 },
	{ S2_FN_INPUT_MUTE,     0x1be,  8, 17, true,  false, 0 },
	{ S2_FN_OTHER,          0x0bf,  8, 28, false, false, 0 },	/* Bluetooth */
	{ S2_FN_COUNT, 0, 0, 0, false, false, 0 }
};

static const struct s2_mux_range vocaster_one_mux[] = {
	{ P_MIX, 8, 1 }, { P_PCM, 5, 5 }, { P_MIX, 6, 2 }, { P_PCM, 0, 5 },
	{ P_MIX, 0, 6 }, { P_ANALOGUE, 0, 4 }, { 0, 0, 0 }
};

static const struct s2_model models[] = {
	S2I2_GEN4(2115, s2i2_gen4_items),
	S2I2_GEN4(2417, s2i2_gen4_fw2417_items),
	{
		.id = "solo-4th", .product = "Scarlett Solo 4th Gen",
		.product_id = 0x8218, .firmware = 2115, .num_inputs = 2,
		.analogue_in = 2,
		.param_buf = 0xd8, .gain_step_db = 1.0,
		.statuses = S2_STATUS_GEN4, .air_values = 3,
		.span = {
			[S2_FN_LEVEL] = { 1, 0, 1, 0 },
			[S2_FN_AIR] = { 1, 1, 1, 0 },
			[S2_FN_PHANTOM] = { 1, 1, 1, 0 },
		},
		.notify = {
			[S2_FN_AIR] = 0x00400000,
			[S2_FN_DIRECT_MONITOR] = 0x00800000,
			[S2_FN_LEVEL] = 0x01000000,
			[S2_FN_PHANTOM] = 0x02000000,
			[S2_FN_PCM_INPUT] = 0x04000000,
		},
		.items = solo_gen4_items, .mux = gen4_small_mux,
		.mix_in = 4, .mix_out = 6,
	},
	{
		.id = "4i4-3rd", .product = "Scarlett 4i4 USB",
		.product_id = 0x8212, .firmware = 1644, .num_inputs = 2,
		.analogue_in = 4,
		.param_buf = 0, .gain_step_db = 1.0,
		.statuses = S2_STATUS_GEN4, .air_values = 2,
		.phantom_persists = true,
		.span = {
			[S2_FN_LEVEL] = { 2, 0, 1, 0 },
			[S2_FN_PAD] = { 2, 0, 1, 0 },
			[S2_FN_AIR] = { 2, 0, 1, 0 },
			[S2_FN_PHANTOM] = { 1, 0, 2, 0 },
		},
		.notify = {
			[S2_FN_LEVEL] = N_INPUT_OTHER,
			[S2_FN_PAD] = N_INPUT_OTHER,
			[S2_FN_AIR] = N_INPUT_OTHER,
			[S2_FN_PHANTOM] = N_INPUT_OTHER,
		},
		.items = s4i4_gen3_items, .mux = s4i4_gen3_mux,
		.mix_in = 8, .mix_out = 6,
	},
	{
		.id = "vocaster-one", .product = "Vocaster One USB",
		.product_id = 0x8216, .firmware = 1769, .num_inputs = 1,
		.analogue_in = 2,
		.param_buf = 0x1bc, .gain_step_db = 1.0,
		.statuses = S2_STATUS_VOCASTER, .air_values = 2,
		.span = {
			[S2_FN_GAIN] = { 1, 0, 1, 0 },
			[S2_FN_PHANTOM] = { 1, 0, 1, 0 },
			[S2_FN_AG_SWITCH] = { 1, 0, 1, 0 },
			[S2_FN_AG_STATUS] = { 1, 0, 1, 0 },
			[S2_FN_INPUT_MUTE] = { 1, 0, 1, 0 },
			[S2_FN_DSP] = { 1, 0, 1, 0 },
		},
		.notify = {
			[S2_FN_INPUT_MUTE] = 0x00200000,
			[S2_FN_AG_SWITCH] = 0x00400000,
			[S2_FN_AG_STATUS] = 0x00400000,
			[S2_FN_DSP] = 0x04000000,
			[S2_FN_GAIN] = 0x08000000,
			[S2_FN_PHANTOM] = 0x10000000,
		},
		.items = vocaster_one_items, .mux = vocaster_one_mux,
		.mix_in = 8, .mix_out = 8,
	},
};

const struct s2_model *s2_model_find(const char *id, uint32_t firmware)
{
	const struct s2_model *best = NULL;
	size_t i;

	/* the newest layout the firmware has */
	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		if (strcmp(models[i].id, id) || models[i].firmware > firmware)
			continue;
		if (!best || models[i].firmware > best->firmware)
			best = &models[i];
	}
	return best;
}

const char *s2_model_ids(void)
{
	return "2i2-4th solo-4th 4i4-3rd vocaster-one";
}
