/* SPDX-License-Identifier: MIT */
/*
 * An emulated Focusrite interface that speaks the protocol Linux's scarlett2
 * driver speaks (sound/usb/mixer_scarlett2.c documents it): class requests
 * on a vendor interface carry command packets (cmd, size, seq, error, pad,
 * data); each command is acknowledged on the interrupt endpoint (bit 0)
 * before the host reads the answer. Settings live in a data space read with
 * GET_DATA and written with SET_DATA; a DATA_CMD activates them. 4th Gen
 * and Vocaster models take most settings through a parameter buffer (value
 * at its address, channel at the next byte, then the item's activate
 * command). Front-panel changes and the device's own autogain are told to
 * the host as notification bits.
 *
 * The model knows nothing about USB/IP: unit-tested on its own.
 */
#ifndef EMU_SCARLETT2_MODEL_H
#define EMU_SCARLETT2_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define S2_MEM_SIZE		0x800
#define S2_MAX_INPUTS		2
#define S2_MAX_MUX		77
#define S2_MAX_MIX_OUT		12
#define S2_MAX_MIX_IN		25
#define S2_MAX_MUX_RANGES	10
#define S2_GAIN_MAX		70	/* raw steps */
#define S2_RESP_MAX		(16 + 4 * S2_MAX_MUX + 64)

/* Commands (the packet's cmd field) */
#define S2_CMD_INIT_1		0x00000000
#define S2_CMD_INIT_2		0x00000002
#define S2_CMD_REBOOT		0x00000003
#define S2_CMD_GET_METER	0x00001001
#define S2_CMD_GET_MIX		0x00002001
#define S2_CMD_SET_MIX		0x00002002
#define S2_CMD_GET_MUX		0x00003001
#define S2_CMD_SET_MUX		0x00003002
#define S2_CMD_INFO_FLASH	0x00004000
#define S2_CMD_INFO_SEGMENT	0x00004001
#define S2_CMD_GET_SYNC		0x00006004
#define S2_CMD_GET_DATA		0x00800000
#define S2_CMD_SET_DATA		0x00800001
#define S2_CMD_DATA_CMD		0x00800002

/* bRequest of the class requests on the vendor interface */
#define S2_REQ_INIT		0	/* IN: step 0, 24 bytes */
#define S2_REQ_CMD		2	/* OUT: a command packet */
#define S2_REQ_RESP		3	/* IN: its answer */

#define S2_CONFIG_SAVE		6	/* the DATA_CMD that saves to flash */
#define S2_NOTIFY_ACK		0x00000001

/* What an item of the data space is for. */
enum s2_fn {
	S2_FN_GAIN,
	S2_FN_PHANTOM,
	S2_FN_LEVEL,		/* line/inst */
	S2_FN_PAD,
	S2_FN_AIR,
	S2_FN_AG_SWITCH,	/* the device's autogain runs */
	S2_FN_AG_STATUS,	/* the result of its last run */
	S2_FN_AG_PEAK,		/* 4th Gen: peak target, -dBFS */
	S2_FN_AG_MEAN,
	S2_FN_AG_HOT,		/* Vocaster */
	S2_FN_SAFE,
	S2_FN_SELECT,
	S2_FN_LINK,
	S2_FN_MSD,
	S2_FN_DIRECT_MONITOR,
	S2_FN_DM_GAIN,		/* direct monitor mix gains */
	S2_FN_PHANTOM_PERSIST,
	S2_FN_INPUT_MUTE,
	S2_FN_DSP,
	S2_FN_PCM_INPUT,
	S2_FN_OTHER,		/* memory only: a parameter-buffer item */
	S2_FN_COUNT
};

/* Where an item is and how it is written. */
struct s2_item {
	enum s2_fn fn;
	uint16_t offset;
	uint8_t bits;		/* 1 (a bit per channel), 8, 16, 32 */
	uint8_t activate;	/* its DATA_CMD */
	bool pbuf;		/* written through the parameter buffer */
	bool mute;		/* 4th Gen: written 2 (on) or 3 (off), settles */
	uint8_t pbuf0;		/* the channel the host sends for slot 0 */
};

/* Which inputs a per-input function covers. */
struct s2_span {
	uint8_t count;		/* switches (slots) */
	uint8_t first;		/* 0-based input of slot 0 */
	uint8_t per;		/* inputs per switch (1 but for 48 V groups) */
	uint8_t slot0;		/* data-space slot of the first switch */
};

/* A range of mux destinations, in the device's order. */
struct s2_mux_range {
	uint16_t id;		/* port type id (0x080 analogue, ...) */
	uint8_t start;
	uint8_t count;
};

enum s2_status_set {
	S2_STATUS_GEN4,		/* Success SuccessDRover WarnMinGainLimit ... */
	S2_STATUS_VOCASTER,	/* Success FailPG FailRange WarnMaxCap ... */
};

/* A model, as a firmware version of it answers. */
struct s2_model {
	const char *id;			/* "2i2-4th", for model files */
	const char *product;		/* USB product string */
	uint16_t product_id;
	uint32_t firmware;		/* the first firmware of this layout */
	unsigned int num_inputs;	/* analogue inputs with preamps */
	unsigned int analogue_in;	/* analogue inputs (mux sources) */
	uint16_t param_buf;		/* 0: no parameter buffer */
	double gain_step_db;		/* one raw gain step */
	enum s2_status_set statuses;
	uint8_t air_values;		/* 2 (off/on) or 3 (off/presence/drive) */
	bool phantom_persists;		/* 48 V comes back at power-on when
					 * "phantom persistence" is set */
	struct s2_span span[S2_FN_COUNT];
	uint32_t notify[S2_FN_COUNT];	/* the bit a change is told with */
	const struct s2_item *items;	/* ends with offset 0 */
	const struct s2_mux_range *mux;	/* destinations, ends with count 0 */
	unsigned int mix_in, mix_out;	/* mixer matrix size */
};

/* The models this emulator knows (scarlett2-models.c). */
const struct s2_model *s2_model_find(const char *id, uint32_t firmware);
/* The ids, space-separated (for error messages). */
const char *s2_model_ids(void);

/* One run of the device's own autogain on an input. */
struct s2_autogain {
	bool running;
	uint64_t end_ns;
	uint64_t told_ns;	/* when the "it runs" notification goes out */
	bool told;
};

struct s2_dev {
	const struct s2_model *m;
	uint32_t firmware;		/* as INIT_2 reports it */
	bool powered;
	uint8_t mem[S2_MEM_SIZE];	/* the data space */
	uint8_t applied[S2_MEM_SIZE];	/* as of the last activation */
	uint8_t flash[S2_MEM_SIZE];	/* what survives a power cycle */
	uint32_t mux[3][S2_MAX_MUX];	/* per rate band, as SET_MUX sent */
	unsigned int mux_len[3];
	uint16_t mix[S2_MAX_MIX_OUT][S2_MAX_MIX_IN];
	double source_dbfs[S2_MAX_INPUTS];	/* peak at 0 dB gain */
	struct s2_autogain ag[S2_MAX_INPUTS];
	unsigned int autogain_ms;	/* how long a run listens */
	unsigned int settle_ms;		/* a 48 V or level switch settles */
	uint64_t settle_ns[S2_FN_COUNT][S2_MAX_INPUTS];	/* 0: settled */
	bool phantom_on[S2_MAX_INPUTS];	/* as last logged, per switch */

	/* the command in flight: its answer waits for the host's IN */
	uint8_t resp[S2_RESP_MAX];
	size_t resp_len;
	bool resp_ready;

	uint32_t pending;		/* notification bits not yet sent */
	unsigned int count[16];		/* commands received, by kind */
	unsigned int writes;		/* SET_DATA, SET_MUX, SET_MIX, DATA_CMD */
	unsigned int saves;		/* DATA_CMD: save to flash (3rd Gen) */
	unsigned int errors;		/* commands answered with an error */
};

/* Command kinds of s2_dev.count[] */
enum s2_count {
	S2_C_INIT, S2_C_GET_DATA, S2_C_SET_DATA, S2_C_DATA_CMD, S2_C_GET_MUX,
	S2_C_SET_MUX, S2_C_GET_MIX, S2_C_SET_MIX, S2_C_GET_METER, S2_C_GET_SYNC,
	S2_C_FLASH, S2_C_OTHER, S2_C_COUNT
};
const char *s2_count_name(enum s2_count c);

/* A device fresh from the factory; firmware is what it reports. */
void s2_init(struct s2_dev *d, const struct s2_model *m, uint32_t firmware);
void s2_power_on(struct s2_dev *d, uint64_t now_ns);
void s2_power_off(struct s2_dev *d, uint64_t now_ns);

/*
 * A class request on the vendor interface. For IN, the answer goes to buf
 * (capacity cap); *len says how long. Returns 0, or -EPIPE to STALL.
 */
int s2_request(struct s2_dev *d, uint8_t type, uint8_t request,
	       const uint8_t *out, size_t out_len, uint8_t *buf, size_t cap,
	       size_t *len, uint64_t now_ns);

/* Time passes: runs end, switches settle. */
void s2_tick(struct s2_dev *d, uint64_t now_ns);
/* The next time s2_tick() has something to do (UINT64_MAX: nothing). */
uint64_t s2_next_ns(const struct s2_dev *d);
/* The next notification (8 bytes, little-endian mask): 8, or -EAGAIN. */
ssize_t s2_notification(struct s2_dev *d, uint8_t out[8], uint64_t now_ns);

/* ---- the front panel and the state, 0-based inputs ---- */

/* A per-input setting; -ENOENT where the input has no such control. */
int s2_get(const struct s2_dev *d, enum s2_fn fn, unsigned int input,
	   unsigned int *value);
/* A front-panel change (knob, button): the device tells the host. */
int s2_panel(struct s2_dev *d, enum s2_fn fn, unsigned int input,
	     unsigned int value, uint64_t now_ns);
/* The front panel's autogain button. */
int s2_panel_autogain(struct s2_dev *d, unsigned int input, uint64_t now_ns);
/* The run on the input ends now, as if its time were up; -EAGAIN when
 * none runs. */
int s2_autogain_end_now(struct s2_dev *d, unsigned int input, uint64_t now_ns);
/* What is plugged in: its peak at 0 dB gain (-INFINITY: silence). */
int s2_set_source(struct s2_dev *d, unsigned int input, double dbfs);
/* The status word of the input's last autogain run, "Running" while it
 * runs. */
const char *s2_status_word(const struct s2_dev *d, unsigned int input);
double s2_gain_db(const struct s2_dev *d, unsigned int input);
/* A 12-bit meter value of the source routed to mux destination k. */
uint16_t s2_meter(const struct s2_dev *d, unsigned int k);

#endif /* EMU_SCARLETT2_MODEL_H */
