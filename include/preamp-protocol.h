/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * Preamp Control Protocol, version 1.0: the wire contract between a USB
 * audio interface and its host.
 *
 * Shared by the kernel driver, the device emulator and the tests, so it uses
 * only <linux/types.h> and C11 static assertions, which both worlds have.
 * Every multi-byte field is little-endian on the wire (__le16/__le32); the
 * kernel converts with le16_to_cpu(), user space with le16toh().
 */
#ifndef PREAMP_PROTOCOL_H
#define PREAMP_PROTOCOL_H

#include <linux/types.h>

/* Section 1: where the protocol lives on the device. */
#define PAMP_INTF_CLASS		0xff
#define PAMP_INTF_SUBCLASS	0x50
#define PAMP_INTF_PROTOCOL	0x01
#define PAMP_INTF_STRING	"Preamp Control"

/* Section 2: conventions. */
#define PAMP_REQTYPE_IN		0xc1	/* vendor, interface, device-to-host */
#define PAMP_REQTYPE_OUT	0x41	/* vendor, interface, host-to-device */
#define PAMP_DEVICE_REPLY_MS	50	/* a device answers within this */
#define PAMP_HOST_TIMEOUT_MS	1000	/* a host gives up after this */

/* Section 3: requests. */
enum pamp_request {
	PAMP_REQ_GET_INFO		= 0x01,
	PAMP_REQ_GET_INPUT_INFO		= 0x02,
	PAMP_REQ_GET_INPUT_STATE	= 0x03,
	PAMP_REQ_SET_GAIN		= 0x04,
	PAMP_REQ_SET_SWITCH		= 0x05,
	PAMP_REQ_GET_METERS		= 0x06,
	PAMP_REQ_GET_ALL_STATE		= 0x07,
	PAMP_REQ_SET_ALL_STATE		= 0x08,
};

#define PAMP_REQ_FIRST		PAMP_REQ_GET_INFO
#define PAMP_REQ_LAST		PAMP_REQ_SET_ALL_STATE

#define PAMP_MAGIC		"PAMP"
#define PAMP_MAGIC_LEN		4
#define PAMP_VERSION_MAJOR	1
#define PAMP_VERSION_MINOR	0

#define PAMP_MAX_INPUTS		32
#define PAMP_MAX_GAIN_STEPS	2047	/* the 11 bits of SET_GAIN's gain_index */
#define PAMP_LABEL_LEN		16
#define PAMP_METER_WINDOW_MIN_MS	50
#define PAMP_METER_WINDOW_MAX_MS	1000
#define PAMP_METER_SILENCE	(-32768)	/* GET_METERS peak of silence */

/* GET_INFO flags */
#define PAMP_FLAG_METERS	0x01	/* GET_METERS works */
#define PAMP_FLAG_NOTIFY	0x02	/* interrupt endpoint in use */
#define PAMP_FLAG_PERSISTENT	0x04	/* keeps settings across power cycles */

/* Section 4: switch bits, in caps and in state. */
enum pamp_switch {
	PAMP_SW_PHANTOM	= 0,
	PAMP_SW_PAD	= 1,
	PAMP_SW_PHASE	= 2,
	PAMP_SW_HPF	= 3,
	PAMP_SW_AIR	= 4,
	PAMP_SW_INST	= 5,
};

#define PAMP_NUM_SWITCHES	6
#define PAMP_SWITCH_MASK	0x003f

/* GET_INPUT_INFO caps: the switch bits above plus these. */
#define PAMP_CAP_GAIN		0x0100	/* software gain */
#define PAMP_CAP_METER		0x0200	/* metered input */

/* Section 5: notification events. */
#define PAMP_EVT_CLIP		0x00000001
#define PAMP_EVT_RESET		0x00000002
#define PAMP_NOTIFY_MIN_INTERVAL_MS	10

/* The wire records, little-endian and packed as the spec lays them out. */

struct pamp_info {
	__u8 magic[PAMP_MAGIC_LEN];
	__u8 version_major;
	__u8 version_minor;
	__u8 num_inputs;
	__u8 flags;
	__le16 meter_window_ms;
	__u8 reserved[6];
} __attribute__((packed));

struct pamp_input_info {
	__le16 caps;
	__le16 gain_min;	/* s16, 1/256 dB */
	__le16 gain_max;	/* s16, 1/256 dB */
	__le16 gain_step;	/* u16, 1/256 dB */
	__u8 phantom_group;	/* 0: own switch; k > 0: shared by every k */
	__u8 reserved[7];
	__u8 label[PAMP_LABEL_LEN];	/* UTF-8, NUL-padded */
} __attribute__((packed));

/* GET_INPUT_STATE, and one element of GET_ALL_STATE */
struct pamp_input_state {
	__le16 gain;		/* s16, 1/256 dB */
	__le16 switches;	/* caps-masked switch bits */
} __attribute__((packed));

/* One element of SET_ALL_STATE */
struct pamp_set_state {
	__le16 gain;		/* s16, 1/256 dB */
	__le16 mask;		/* switch bits to change */
	__le16 value;		/* their new values */
	__le16 apply;		/* PAMP_APPLY_GAIN: set the gain too */
} __attribute__((packed));

#define PAMP_APPLY_GAIN		0x0001

/* One element of GET_METERS */
struct pamp_meter {
	__le16 peak;		/* s16, 1/256 dBFS; PAMP_METER_SILENCE */
	__le16 clip_count;	/* wraps at 65536 */
} __attribute__((packed));

/* Interrupt IN notification */
struct pamp_notification {
	__le32 changed;		/* bit i: input i changed on the device */
	__le32 events;		/* PAMP_EVT_* */
} __attribute__((packed));

_Static_assert(sizeof(struct pamp_info) == 16, "GET_INFO is 16 bytes");
_Static_assert(sizeof(struct pamp_input_info) == 32,
	       "GET_INPUT_INFO is 32 bytes");
_Static_assert(sizeof(struct pamp_input_state) == 4,
	       "an input state record is 4 bytes");
_Static_assert(sizeof(struct pamp_set_state) == 8,
	       "a SET_ALL_STATE record is 8 bytes");
_Static_assert(sizeof(struct pamp_meter) == 4, "a meter record is 4 bytes");
_Static_assert(sizeof(struct pamp_notification) == 8,
	       "a notification is 8 bytes");

/* wValue encodings (section 3) */

#define PAMP_GAIN_INPUT_SHIFT	11
#define PAMP_GAIN_INDEX_MASK	0x07ff
#define PAMP_SWITCH_INPUT_SHIFT	8
#define PAMP_SWITCH_BIT_SHIFT	1
#define PAMP_SWITCH_BIT_MASK	0x0e	/* bits 3..1 */
#define PAMP_SWITCH_ON		0x01	/* bit 0 */
#define PAMP_SWITCH_ZERO_MASK	0xf0	/* bits 7..4 must be zero */

/* SET_GAIN: input in bits 15..11, gain_index in bits 10..0 */
static inline __u16 pamp_wvalue_set_gain(unsigned int input,
					 unsigned int gain_index)
{
	return (__u16)((input << PAMP_GAIN_INPUT_SHIFT) |
		       (gain_index & PAMP_GAIN_INDEX_MASK));
}

static inline unsigned int pamp_set_gain_input(__u16 wvalue)
{
	return wvalue >> PAMP_GAIN_INPUT_SHIFT;
}

static inline unsigned int pamp_set_gain_index(__u16 wvalue)
{
	return wvalue & PAMP_GAIN_INDEX_MASK;
}

/* SET_SWITCH: input in bits 15..8, switch bit in 3..1, value in bit 0 */
static inline __u16 pamp_wvalue_set_switch(unsigned int input,
					   unsigned int sw, int on)
{
	return (__u16)(((input & 0xff) << PAMP_SWITCH_INPUT_SHIFT) |
		       ((sw << PAMP_SWITCH_BIT_SHIFT) & PAMP_SWITCH_BIT_MASK) |
		       (on ? PAMP_SWITCH_ON : 0));
}

static inline unsigned int pamp_set_switch_input(__u16 wvalue)
{
	return wvalue >> PAMP_SWITCH_INPUT_SHIFT;
}

static inline unsigned int pamp_set_switch_bit(__u16 wvalue)
{
	return (wvalue & PAMP_SWITCH_BIT_MASK) >> PAMP_SWITCH_BIT_SHIFT;
}

static inline int pamp_set_switch_on(__u16 wvalue)
{
	return wvalue & PAMP_SWITCH_ON;
}

/* Bits 7..4 of a SET_SWITCH wValue are zero on a well-formed request. */
static inline int pamp_set_switch_well_formed(__u16 wvalue)
{
	return !(wvalue & PAMP_SWITCH_ZERO_MASK);
}

/* The request's name as the spec writes it, or NULL for an unknown code. */
static inline const char *pamp_request_name(unsigned int request)
{
	static const char *const names[PAMP_REQ_LAST + 1] = {
		[PAMP_REQ_GET_INFO]		= "GET_INFO",
		[PAMP_REQ_GET_INPUT_INFO]	= "GET_INPUT_INFO",
		[PAMP_REQ_GET_INPUT_STATE]	= "GET_INPUT_STATE",
		[PAMP_REQ_SET_GAIN]		= "SET_GAIN",
		[PAMP_REQ_SET_SWITCH]		= "SET_SWITCH",
		[PAMP_REQ_GET_METERS]		= "GET_METERS",
		[PAMP_REQ_GET_ALL_STATE]	= "GET_ALL_STATE",
		[PAMP_REQ_SET_ALL_STATE]	= "SET_ALL_STATE",
	};

	return request <= PAMP_REQ_LAST ? names[request] : (const char *)0;
}

/*
 * The wLength of each request for a device of num_inputs inputs, or 0 for
 * a request without a data stage and for an unknown request.
 */
static inline unsigned int pamp_request_length(unsigned int request,
					       unsigned int num_inputs)
{
	switch (request) {
	case PAMP_REQ_GET_INFO:
		return sizeof(struct pamp_info);
	case PAMP_REQ_GET_INPUT_INFO:
		return sizeof(struct pamp_input_info);
	case PAMP_REQ_GET_INPUT_STATE:
		return sizeof(struct pamp_input_state);
	case PAMP_REQ_GET_METERS:
		return num_inputs * sizeof(struct pamp_meter);
	case PAMP_REQ_GET_ALL_STATE:
		return num_inputs * sizeof(struct pamp_input_state);
	case PAMP_REQ_SET_ALL_STATE:
		return num_inputs * sizeof(struct pamp_set_state);
	default:
		return 0;
	}
}

/*
 * Section 6: a gain range a host may trust. The arithmetic is done in int
 * so that s16 extremes cannot overflow.
 */
static inline int pamp_gain_range_valid(int gain_min, int gain_max,
					unsigned int gain_step)
{
	int span = gain_max - gain_min;

	if (gain_max <= gain_min || gain_step == 0)
		return 0;
	if (span % (int)gain_step)
		return 0;
	return span / (int)gain_step <= PAMP_MAX_GAIN_STEPS;
}

#endif /* PREAMP_PROTOCOL_H */
