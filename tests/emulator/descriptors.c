// SPDX-License-Identifier: MIT
/*
 * The USB descriptors of an emulated interface.
 *
 * With audio, the configuration is:
 *
 *   configuration
 *   interface association (interfaces 0..1, audio function)
 *   interface 0 alt 0: AudioControl (UAC2)
 *     AC header, clock source, input terminal, output terminal
 *   interface 1 alt 0: AudioStreaming, no endpoint
 *   interface 1 alt 1: AudioStreaming
 *     AS general, format type I, isochronous IN endpoint, CS endpoint
 *   interface 2 alt 0: Preamp Control (ff/50/01) [+ interrupt IN endpoint]
 *
 * Without audio, the Preamp Control interface is interface 0 alone and the
 * device class is 0 (defined by the interface). A model with control_first
 * puts Preamp Control first, as interface 0, and the audio function after
 * it as interfaces 1 and 2 (USB resets and binds interfaces in that order).
 */
#include <errno.h>
#include <string.h>

#include "descriptors.h"

/* Standard descriptor types */
#define DT_DEVICE		0x01
#define DT_CONFIG		0x02
#define DT_STRING		0x03
#define DT_INTERFACE		0x04
#define DT_ENDPOINT		0x05
#define DT_IAD			0x0b
#define DT_CS_INTERFACE		0x24
#define DT_CS_ENDPOINT		0x25

/* Audio class (UAC2) codes */
#define AUDIO_CLASS		0x01
#define AUDIO_SUBCLASS_CONTROL	0x01
#define AUDIO_SUBCLASS_STREAM	0x02
#define AUDIO_IP_VERSION_2	0x20
#define AUDIO_FUNCTION_CLASS	0x01
#define AUDIO_CATEGORY_IO_BOX	0x08

#define AC_HEADER		0x01
#define AC_INPUT_TERMINAL	0x02
#define AC_OUTPUT_TERMINAL	0x03
#define AC_CLOCK_SOURCE		0x0a
#define AS_GENERAL		0x01
#define AS_FORMAT_TYPE		0x02
#define EP_GENERAL		0x01

#define TERMINAL_USB_STREAMING	0x0101
#define TERMINAL_MICROPHONE	0x0201
#define CLOCK_INTERNAL_FIXED	0x01
#define CLOCK_CONTROLS_RO	0x05	/* frequency r/o, validity r/o */
#define FORMAT_TYPE_I		0x01
#define FORMAT_PCM		0x00000001

#define EP_XFER_ISO_ASYNC	0x05
#define EP_XFER_INT		0x03
#define HS_INTERVAL_1MS		4	/* 2^(4-1) microframes */
#define HS_MAX_TRANSACTION	1024

#define NOTIFY_MAXP		8
#define CONFIG_ATTR_BUS_POWERED	0x80
#define CONFIG_MAX_POWER_500MA	250

/* A bounded little-endian writer: overflow is remembered, never done. */
struct wbuf {
	uint8_t *p;
	size_t len;
	size_t cap;
	bool overflow;
};

static void put8(struct wbuf *w, unsigned int v)
{
	if (w->len >= w->cap) {
		w->overflow = true;
		return;
	}
	w->p[w->len++] = (uint8_t)v;
}

static void put16(struct wbuf *w, unsigned int v)
{
	put8(w, v & 0xff);
	put8(w, (v >> 8) & 0xff);
}

static void put32(struct wbuf *w, uint32_t v)
{
	put16(w, v & 0xffff);
	put16(w, v >> 16);
}

static void patch16(struct wbuf *w, size_t at, unsigned int v)
{
	if (at + 2 > w->len)
		return;
	w->p[at] = v & 0xff;
	w->p[at + 1] = (v >> 8) & 0xff;
}

static void put_interface(struct wbuf *w, unsigned int num, unsigned int alt,
			  unsigned int num_eps,
			  const struct emu_usb_intf_class *c, unsigned int istr)
{
	put8(w, 9);			/* bLength */
	put8(w, DT_INTERFACE);
	put8(w, num);			/* bInterfaceNumber */
	put8(w, alt);			/* bAlternateSetting */
	put8(w, num_eps);		/* bNumEndpoints */
	put8(w, c->cls);
	put8(w, c->subclass);
	put8(w, c->protocol);
	put8(w, istr);			/* iInterface */
}

static void put_endpoint(struct wbuf *w, unsigned int addr, unsigned int attr,
			 unsigned int maxp, unsigned int interval)
{
	put8(w, 7);			/* bLength */
	put8(w, DT_ENDPOINT);
	put8(w, addr);			/* bEndpointAddress */
	put8(w, attr);			/* bmAttributes */
	put16(w, maxp);			/* wMaxPacketSize */
	put8(w, interval);		/* bInterval */
}

static void put_iad(struct wbuf *w, const struct emu_usb_desc *u)
{
	put8(w, 8);			/* bLength */
	put8(w, DT_IAD);
	put8(w, u->ac_intf);		/* bFirstInterface */
	put8(w, 2);			/* bInterfaceCount */
	put8(w, AUDIO_FUNCTION_CLASS);	/* bFunctionClass */
	put8(w, 0);			/* bFunctionSubClass */
	put8(w, AUDIO_IP_VERSION_2);	/* bFunctionProtocol */
	put8(w, 0);			/* iFunction */
}

/* The class-specific AudioControl descriptors, header first. */
static void put_ac_descriptors(struct wbuf *w, const struct emu_usb_desc *u)
{
	size_t header = w->len;

	put8(w, 9);			/* bLength */
	put8(w, DT_CS_INTERFACE);
	put8(w, AC_HEADER);
	put16(w, 0x0200);		/* bcdADC */
	put8(w, AUDIO_CATEGORY_IO_BOX);	/* bCategory */
	put16(w, 0);			/* wTotalLength, patched below */
	put8(w, 0);			/* bmControls */

	put8(w, 8);			/* bLength */
	put8(w, DT_CS_INTERFACE);
	put8(w, AC_CLOCK_SOURCE);
	put8(w, EMU_UAC_CLOCK_ID);	/* bClockID */
	put8(w, CLOCK_INTERNAL_FIXED);	/* bmAttributes */
	put8(w, CLOCK_CONTROLS_RO);	/* bmControls */
	put8(w, 0);			/* bAssocTerminal */
	put8(w, 0);			/* iClockSource */

	put8(w, 17);			/* bLength */
	put8(w, DT_CS_INTERFACE);
	put8(w, AC_INPUT_TERMINAL);
	put8(w, EMU_UAC_IT_ID);		/* bTerminalID */
	put16(w, TERMINAL_MICROPHONE);	/* wTerminalType */
	put8(w, 0);			/* bAssocTerminal */
	put8(w, EMU_UAC_CLOCK_ID);	/* bCSourceID */
	put8(w, u->channels);		/* bNrChannels */
	put32(w, 0);			/* bmChannelConfig: no positions */
	put8(w, 0);			/* iChannelNames */
	put16(w, 0);			/* bmControls */
	put8(w, 0);			/* iTerminal */

	put8(w, 12);			/* bLength */
	put8(w, DT_CS_INTERFACE);
	put8(w, AC_OUTPUT_TERMINAL);
	put8(w, EMU_UAC_OT_ID);		/* bTerminalID */
	put16(w, TERMINAL_USB_STREAMING);	/* wTerminalType */
	put8(w, 0);			/* bAssocTerminal */
	put8(w, EMU_UAC_IT_ID);		/* bSourceID */
	put8(w, EMU_UAC_CLOCK_ID);	/* bCSourceID */
	put16(w, 0);			/* bmControls */
	put8(w, 0);			/* iTerminal */

	patch16(w, header + 6, (unsigned int)(w->len - header));
}

/* Alternate setting 1 of the AudioStreaming interface, after its header. */
static void put_as_descriptors(struct wbuf *w, const struct emu_usb_desc *u)
{
	put8(w, 16);			/* bLength */
	put8(w, DT_CS_INTERFACE);
	put8(w, AS_GENERAL);
	put8(w, EMU_UAC_OT_ID);		/* bTerminalLink */
	put8(w, 0);			/* bmControls */
	put8(w, FORMAT_TYPE_I);		/* bFormatType */
	put32(w, FORMAT_PCM);		/* bmFormats */
	put8(w, u->channels);		/* bNrChannels */
	put32(w, 0);			/* bmChannelConfig */
	put8(w, 0);			/* iChannelNames */

	put8(w, 6);			/* bLength */
	put8(w, DT_CS_INTERFACE);
	put8(w, AS_FORMAT_TYPE);
	put8(w, FORMAT_TYPE_I);		/* bFormatType */
	put8(w, 2);			/* bSubslotSize */
	put8(w, 16);			/* bBitResolution */

	put_endpoint(w, u->iso_ep, EP_XFER_ISO_ASYNC, u->iso_maxp,
		     HS_INTERVAL_1MS);

	put8(w, 8);			/* bLength */
	put8(w, DT_CS_ENDPOINT);
	put8(w, EP_GENERAL);
	put8(w, 0);			/* bmAttributes */
	put8(w, 0);			/* bmControls */
	put8(w, 0);			/* bLockDelayUnits */
	put16(w, 0);			/* wLockDelay */
}

/*
 * wMaxPacketSize for one 1 ms packet of 49 frames (48 plus one of slack).
 * Past 1024 bytes a high-speed endpoint needs extra transactions per
 * microframe (bits 12..11); 32 channels only fit 48 frames, which is what
 * is always sent.
 */
static uint16_t iso_max_packet(unsigned int frame_bytes)
{
	unsigned int need = (EMU_PACKET_FRAMES + 1) * frame_bytes;
	unsigned int mult, per;

	if (need <= HS_MAX_TRANSACTION)
		return (uint16_t)need;
	mult = (need + HS_MAX_TRANSACTION - 1) / HS_MAX_TRANSACTION;
	if (mult > 3)
		mult = 3;
	per = (need + mult - 1) / mult;
	if (per > HS_MAX_TRANSACTION)
		per = HS_MAX_TRANSACTION;
	return (uint16_t)(per | (mult - 1) << 11);
}

static void build_layout(struct emu_usb_desc *u, const struct emu_desc *desc)
{
	static const struct emu_usb_intf_class ac = {
		AUDIO_CLASS, AUDIO_SUBCLASS_CONTROL, AUDIO_IP_VERSION_2 };
	static const struct emu_usb_intf_class as = {
		AUDIO_CLASS, AUDIO_SUBCLASS_STREAM, AUDIO_IP_VERSION_2 };
	static const struct emu_usb_intf_class ctl = {
		PAMP_INTF_CLASS, PAMP_INTF_SUBCLASS, PAMP_INTF_PROTOCOL };

	u->audio = desc->audio;
	u->notify = desc->flags & PAMP_FLAG_NOTIFY;
	u->channels = desc->num_inputs;
	u->iso_frame_bytes = u->channels * 2;
	u->vendor_id = desc->vendor_id;
	u->product_id = desc->product_id;
	u->bcd_device = desc->bcd_device;

	if (u->audio) {
		unsigned int first = desc->control_first ? 1 : 0;

		u->num_interfaces = 3;
		u->ac_intf = first;
		u->as_intf = first + 1;
		u->ctl_intf = desc->control_first ? 0 : 2;
		u->iso_ep = 0x81;
		u->iso_maxp = iso_max_packet(u->iso_frame_bytes);
		u->int_ep = u->notify ? 0x82 : 0;
		u->intf[u->ac_intf] = ac;
		u->intf[u->as_intf] = as;
		u->intf[u->ctl_intf] = ctl;
		u->dev_class = 0xef;	/* miscellaneous, with an IAD */
		u->dev_subclass = 0x02;
		u->dev_protocol = 0x01;
	} else {
		u->num_interfaces = 1;
		u->ctl_intf = 0;
		u->int_ep = u->notify ? 0x81 : 0;
		u->intf[0] = ctl;
	}
}

static void build_device(struct emu_usb_desc *u)
{
	struct wbuf w = { u->device, 0, sizeof(u->device), false };

	put8(&w, EMU_DEVICE_DESC_LEN);	/* bLength */
	put8(&w, DT_DEVICE);
	put16(&w, 0x0200);		/* bcdUSB */
	put8(&w, u->dev_class);
	put8(&w, u->dev_subclass);
	put8(&w, u->dev_protocol);
	put8(&w, 64);			/* bMaxPacketSize0 */
	put16(&w, u->vendor_id);
	put16(&w, u->product_id);
	put16(&w, u->bcd_device);
	put8(&w, u->strings[EMU_STR_MANUFACTURER][0] ? EMU_STR_MANUFACTURER : 0);
	put8(&w, u->strings[EMU_STR_PRODUCT][0] ? EMU_STR_PRODUCT : 0);
	put8(&w, u->strings[EMU_STR_SERIAL][0] ? EMU_STR_SERIAL : 0);
	put8(&w, 1);			/* bNumConfigurations */
}

/* The Preamp Control interface, with its interrupt endpoint if it notifies. */
static void put_control_interface(struct wbuf *w, const struct emu_usb_desc *u)
{
	put_interface(w, u->ctl_intf, 0, u->notify ? 1 : 0,
		      &u->intf[u->ctl_intf], EMU_STR_CONTROL);
	if (u->notify)
		put_endpoint(w, u->int_ep, EP_XFER_INT, NOTIFY_MAXP,
			     HS_INTERVAL_1MS);
}

static int build_config(struct emu_usb_desc *u)
{
	struct wbuf w = { u->config, 0, sizeof(u->config), false };

	put8(&w, 9);			/* bLength */
	put8(&w, DT_CONFIG);
	put16(&w, 0);			/* wTotalLength, patched below */
	put8(&w, u->num_interfaces);
	put8(&w, 1);			/* bConfigurationValue */
	put8(&w, 0);			/* iConfiguration */
	put8(&w, CONFIG_ATTR_BUS_POWERED);
	put8(&w, CONFIG_MAX_POWER_500MA);

	if (u->ctl_intf == 0)
		put_control_interface(&w, u);
	if (u->audio) {
		put_iad(&w, u);
		put_interface(&w, u->ac_intf, 0, 0, &u->intf[u->ac_intf], 0);
		put_ac_descriptors(&w, u);
		put_interface(&w, u->as_intf, 0, 0, &u->intf[u->as_intf], 0);
		put_interface(&w, u->as_intf, 1, 1, &u->intf[u->as_intf], 0);
		put_as_descriptors(&w, u);
	}

	if (u->ctl_intf != 0)
		put_control_interface(&w, u);

	if (w.overflow)
		return -EINVAL;
	patch16(&w, 2, (unsigned int)w.len);
	u->config_len = w.len;
	return 0;
}

static void copy_string(char *dst, const char *src)
{
	size_t n = strnlen(src, EMU_SERIAL_LEN - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

int emu_usb_desc_build(struct emu_usb_desc *u, const struct emu_desc *desc)
{
	memset(u, 0, sizeof(*u));
	if (desc->num_inputs < 1 || desc->num_inputs > EMU_MAX_CHANNELS)
		return -EINVAL;

	copy_string(u->strings[EMU_STR_MANUFACTURER], desc->manufacturer);
	copy_string(u->strings[EMU_STR_PRODUCT], desc->name);
	copy_string(u->strings[EMU_STR_SERIAL], desc->serial);
	copy_string(u->strings[EMU_STR_CONTROL], PAMP_INTF_STRING);

	build_layout(u, desc);
	build_device(u);
	return build_config(u);
}

/*
 * Decodes one UTF-8 sequence at s; returns its length and the code point
 * in *cp, or 1 and U+FFFD for a byte that does not start a valid one.
 */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	static const uint32_t min[4] = { 0, 0x80, 0x800, 0x10000 };
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		goto bad;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			goto bad;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min[n - 1] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = 0xfffd;
	return 1;
}

int emu_usb_string(const struct emu_usb_desc *u, unsigned int index,
		   uint8_t *buf, size_t cap)
{
	struct wbuf w = { buf, 0, cap < EMU_STRING_DESC_MAX ?
			  cap : EMU_STRING_DESC_MAX, false };
	const unsigned char *s;
	uint32_t cp;

	if (index >= EMU_NUM_STRINGS)
		return -ENOENT;

	put8(&w, 0);			/* bLength, patched below */
	put8(&w, DT_STRING);
	if (index == EMU_STR_LANGIDS) {
		put16(&w, 0x0409);	/* English (United States) */
		buf[0] = (uint8_t)w.len;
		return (int)w.len;
	}

	s = (const unsigned char *)u->strings[index];
	if (!*s)
		return -ENOENT;
	while (*s) {
		s += utf8_next(s, &cp);
		if (w.len + (cp > 0xffff ? 4 : 2) > w.cap)
			break;
		if (cp > 0xffff) {
			cp -= 0x10000;
			put16(&w, 0xd800 | cp >> 10);
			put16(&w, 0xdc00 | (cp & 0x3ff));
		} else {
			put16(&w, cp);
		}
	}
	buf[0] = (uint8_t)w.len;
	return (int)w.len;
}
