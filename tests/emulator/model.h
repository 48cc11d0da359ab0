/* SPDX-License-Identifier: MIT */
/*
 * The emulated interface's device model: what the device is (its static
 * description, loaded from a model file), its live state, the protocol's
 * request semantics, notifications, and the faults a test can inject.
 *
 * Nothing here knows about USB/IP, sockets or threads: a transport feeds it
 * requests and asks it for notifications and audio, so the model is
 * unit-tested on its own and other transports (FunctionFS) can reuse it.
 * Time is passed in as nanoseconds of a monotonic clock.
 */
#ifndef EMU_MODEL_H
#define EMU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "preamp-protocol.h"
#include "audio.h"

#define EMU_NAME_LEN 64
/* a serial as long as a USB string can be: 126 UTF-16 units, up to 381
 * bytes of UTF-8 (a device-key test needs serials that differ at the end) */
#define EMU_SERIAL_LEN 382

/* One input as the model file describes it. */
struct emu_input_desc {
	char label[PAMP_LABEL_LEN + 1];
	uint16_t caps;		/* PAMP_CAP_* | 1 << PAMP_SW_* */
	int16_t gain_min;	/* 1/256 dB */
	int16_t gain_max;
	uint16_t gain_step;
	int16_t gain_default;
	uint16_t switches_default;
	uint8_t phantom_group;
	struct emu_source source;	/* what is plugged in at start */
};

/* A whole device as the model file describes it. */
struct emu_desc {
	char name[EMU_NAME_LEN];	/* USB product string */
	char manufacturer[EMU_NAME_LEN];
	char serial[EMU_SERIAL_LEN];
	uint16_t vendor_id;
	uint16_t product_id;
	uint16_t bcd_device;
	uint8_t flags;			/* PAMP_FLAG_* */
	uint16_t meter_window_ms;
	bool audio;			/* has the UAC2 capture function */
	bool control_first;		/* Preamp Control is interface 0 */
	double pad_db;			/* attenuation of SW_PAD */
	unsigned int num_inputs;
	struct emu_input_desc inputs[PAMP_MAX_INPUTS];
};

/* What a malformed GET_INFO looks like (spec section 6). */
enum emu_bad_info {
	EMU_BAD_INFO_NONE,
	EMU_BAD_INFO_MAGIC,
	EMU_BAD_INFO_MAJOR,
	EMU_BAD_INFO_NO_INPUTS,		/* num_inputs 0 */
	EMU_BAD_INFO_TOO_MANY_INPUTS,	/* num_inputs 33 */
	EMU_BAD_INFO_WINDOW_LOW,	/* meter_window_ms 49 */
	EMU_BAD_INFO_WINDOW_HIGH,	/* meter_window_ms 1001 */
};

/* What a malformed GET_INPUT_INFO looks like (spec section 6). */
enum emu_bad_input_info {
	EMU_BAD_INPUT_NONE,
	EMU_BAD_INPUT_RANGE_INVERTED,	/* gain_min >= gain_max */
	EMU_BAD_INPUT_STEP_ZERO,
	EMU_BAD_INPUT_STEP_INDIVISIBLE,	/* step does not divide the span */
	EMU_BAD_INPUT_TOO_MANY_STEPS,	/* more than 2047 steps */
	EMU_BAD_INPUT_GROUP_SPLIT,	/* a phantom group not consecutive */
	EMU_BAD_INPUT_LABEL_NO_NUL,
	EMU_BAD_INPUT_LABEL_UTF8,	/* bytes that are not UTF-8 */
};

/* The request-level faults a test can inject; counts are "next N". */
struct emu_faults {
	unsigned int stall_next;	/* STALL the next N vendor requests */
	unsigned int stall_req;		/* ... of this request (0: any) */
	unsigned int delay_next;	/* delay the next N replies ... */
	unsigned int delay_ms;		/* ... by this much ... */
	unsigned int delay_req;		/* ... of this request (0: any) */
	unsigned int short_next;	/* cut the next N IN replies ... */
	unsigned int short_len;		/* ... to this many bytes */
	int disconnect_on;		/* request code, or -1 for any, 0 off */
	enum emu_bad_info bad_info;
	enum emu_bad_input_info bad_input[PAMP_MAX_INPUTS];
	/* notifications */
	unsigned int storm_left;	/* back-to-back notifications to send */
	unsigned int storm_interval_ms;	/* below the spec's 10 ms */
	unsigned int notify_short_len;	/* next notification cut to this */
	bool notify_short;
	bool notify_garbage;		/* next notification: random bits */
	unsigned int notify_error_next;	/* fail the next N interrupt URBs */
};

/* Live state of one input. */
struct emu_input {
	int16_t gain;		/* 1/256 dB, on the step grid */
	uint16_t switches;	/* caps-masked */
	struct emu_source source;
	struct emu_meter meter;
};

enum emu_counter_kind {
	EMU_COUNT_OK,
	EMU_COUNT_STALLED,
};

struct emu_dev {
	struct emu_desc desc;
	struct emu_input in[PAMP_MAX_INPUTS];
	struct emu_faults faults;

	/* per request code (index = bRequest, 0 = unknown ones) */
	unsigned int count[PAMP_REQ_LAST + 1][2];

	/* notification state */
	uint32_t pending_changed;
	uint32_t pending_events;
	uint64_t last_notify_ns;
	uint64_t clip_notified_ns;
	uint32_t rng;
	unsigned int notify_errors;	/* interrupt URBs failed on purpose */

	/* the single audio timeline: frames rendered since power-up */
	struct emu_timeline tl;
	uint64_t t0_ns;
	bool powered;
};

/* Result of a vendor request, as the transport must carry it out. */
struct emu_reply {
	int status;		/* 0, or -EPIPE to STALL */
	size_t len;		/* IN: bytes of data to return */
	unsigned int delay_ms;	/* answer only after this long */
	bool disconnect;	/* drop the connection instead of answering */
};

/* Life cycle */
void emu_dev_init(struct emu_dev *d, const struct emu_desc *desc);
void emu_dev_power_on(struct emu_dev *d, uint64_t now_ns);
void emu_dev_power_off(struct emu_dev *d);
/* Device-side reset: back to defaults, queues EVT_RESET. */
void emu_dev_reset(struct emu_dev *d, uint64_t now_ns);
/*
 * A power loss while attached (VBUS cut across a suspend): back to the
 * defaults unless persistent, pending notifications dropped, no EVT_RESET.
 */
void emu_dev_power_loss(struct emu_dev *d, uint64_t now_ns);

/*
 * A vendor request to the Preamp Control interface. For IN requests the
 * reply is written to buf (capacity buf_len >= wLength); for OUT requests
 * buf holds the wLength bytes of the data stage.
 */
struct emu_reply emu_dev_request(struct emu_dev *d, uint8_t bRequestType,
				 uint8_t bRequest, uint16_t wValue,
				 uint16_t wLength, uint8_t *buf, size_t buf_len,
				 uint64_t now_ns);

/*
 * Notifications. Returns the length of the notification written to out
 * (8, or 0..7 for an injected short one), or -EAGAIN when nothing is due
 * now; *next_ns then says when to ask again (UINT64_MAX: only after a
 * change). -EPROTO (an injected fault): complete the waiting interrupt URB
 * with that error instead of data.
 */
ssize_t emu_dev_notification(struct emu_dev *d, uint8_t out[8],
			     uint64_t now_ns, uint64_t *next_ns);

/* Device-side changes, as a front-panel knob or button makes them. */
int emu_dev_knob_gain(struct emu_dev *d, unsigned int input, int16_t gain);
int emu_dev_knob_switch(struct emu_dev *d, unsigned int input,
			unsigned int sw, bool on);
/* One clip event on input, as if its signal had clipped once. */
void emu_dev_force_clip(struct emu_dev *d, unsigned int input);

/* Audio: bring the timeline up to now (meters follow). */
void emu_dev_catch_up(struct emu_dev *d, uint64_t now_ns);
/*
 * Capture: copies frames starting at *pos (a frame number on the timeline)
 * into out, interleaved S16_LE, one channel per input, rendering ahead if
 * the reader is ahead of the clock and skipping forward if it fell out of
 * the history. Advances *pos.
 */
void emu_dev_capture(struct emu_dev *d, uint64_t *pos, int16_t *out,
		     size_t frames, uint64_t now_ns);

/* The total gain (dB) the input applies to its source now. */
double emu_dev_input_gain_db(const struct emu_dev *d, unsigned int input);
/* The source's peak after the preamp, capped at 0 dBFS; -INFINITY if silent. */
double emu_dev_expected_peak_dbfs(const struct emu_dev *d, unsigned int input);
/* What GET_METERS reports for the input now (1/256 dBFS). */
int16_t emu_dev_meter_peak(struct emu_dev *d, unsigned int input,
			   uint64_t now_ns);
/* Plugs a source into an input; -EINVAL for a bad input or level. */
int emu_dev_set_source(struct emu_dev *d, unsigned int input,
		       enum emu_shape shape, double level_dbfs);
#define EMU_LEVEL_MIN_DBFS	-120.0
#define EMU_LEVEL_MAX_DBFS	40.0

/* Helpers shared with the loader and the control channel. */
int emu_switch_from_name(const char *name);	/* -1 if unknown */
const char *emu_switch_name(unsigned int sw);
const char *emu_request_name(unsigned int request);

#endif /* EMU_MODEL_H */
