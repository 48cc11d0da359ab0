/* SPDX-License-Identifier: MIT */
/*
 * The USB descriptors of an emulated interface, built once from its model:
 * the device descriptor, the one configuration (UAC2 capture + Preamp
 * Control, or Preamp Control alone) and the string descriptors, plus the
 * layout facts a transport needs (interface numbers, endpoint addresses).
 *
 * Every descriptor is packed byte by byte, little-endian, as USB lays it
 * out; nothing depends on the compiler's struct layout.
 */
#ifndef EMU_DESCRIPTORS_H
#define EMU_DESCRIPTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define EMU_DEVICE_DESC_LEN	18
#define EMU_CONFIG_DESC_MAX	512
#define EMU_STRING_DESC_MAX	255
#define EMU_MAX_INTERFACES	3

/* String descriptor indexes */
enum emu_string {
	EMU_STR_LANGIDS		= 0,
	EMU_STR_MANUFACTURER	= 1,
	EMU_STR_PRODUCT		= 2,
	EMU_STR_SERIAL		= 3,
	EMU_STR_CONTROL		= 4,	/* "Preamp Control" */
	EMU_NUM_STRINGS
};

/* UAC2 entity IDs of the audio function */
#define EMU_UAC_IT_ID		1	/* input terminal: the preamps */
#define EMU_UAC_OT_ID		2	/* output terminal: USB streaming */
#define EMU_UAC_CLOCK_ID	3	/* internal fixed 48 kHz clock */

#define EMU_PACKET_FRAMES	48	/* one 1 ms packet at 48 kHz */

/* One interface as OP_REP_DEVLIST lists it (alternate setting 0). */
struct emu_usb_intf_class {
	uint8_t cls, subclass, protocol;
};

struct emu_usb_desc {
	/* layout */
	bool audio;
	bool notify;
	unsigned int channels;		/* capture channels = inputs */
	uint8_t num_interfaces;
	uint8_t ac_intf;		/* AudioControl (audio only) */
	uint8_t as_intf;		/* AudioStreaming (audio only) */
	uint8_t ctl_intf;		/* Preamp Control */
	uint8_t iso_ep;			/* 0x81, or 0 without audio */
	uint16_t iso_maxp;		/* wMaxPacketSize as sent */
	unsigned int iso_frame_bytes;	/* channels * 2 */
	uint8_t int_ep;			/* interrupt IN address, or 0 */
	struct emu_usb_intf_class intf[EMU_MAX_INTERFACES];

	/* descriptors */
	uint16_t vendor_id, product_id, bcd_device;
	uint8_t dev_class, dev_subclass, dev_protocol;
	uint8_t device[EMU_DEVICE_DESC_LEN];
	uint8_t config[EMU_CONFIG_DESC_MAX];
	size_t config_len;
	char strings[EMU_NUM_STRINGS][EMU_SERIAL_LEN];
};

/*
 * Builds every descriptor of the device desc describes. Returns 0, or
 * -EINVAL when desc cannot be described (no inputs, too many channels).
 */
int emu_usb_desc_build(struct emu_usb_desc *u, const struct emu_desc *desc);

/*
 * String descriptor number index (0: the LANGID list) into buf, whose
 * capacity is at least EMU_STRING_DESC_MAX. Returns its length, or -ENOENT
 * for an index the device does not have.
 */
int emu_usb_string(const struct emu_usb_desc *u, unsigned int index,
		   uint8_t *buf, size_t cap);

#endif /* EMU_DESCRIPTORS_H */
