// SPDX-License-Identifier: MIT
/*
 * The descriptor writer of the personalities (usbdesc.h), after the USB 2.0
 * specification (chapter 9) and the USB Audio Class 2.0 specification
 * (section 4, descriptors; section 5.2.5, clock source requests).
 */
#include <errno.h>
#include <string.h>

#include "usbdesc.h"

#define DT_DEVICE		0x01
#define DT_CONFIG		0x02
#define DT_INTERFACE		0x04
#define DT_ENDPOINT		0x05
#define DT_IAD			0x0b
#define DT_CS_INTERFACE		0x24
#define DT_CS_ENDPOINT		0x25

#define AC_HEADER		0x01
#define AC_INPUT_TERMINAL	0x02
#define AC_OUTPUT_TERMINAL	0x03
#define AC_FEATURE_UNIT		0x06
#define AC_CLOCK_SOURCE		0x0a
#define AS_GENERAL		0x01
#define AS_FORMAT_TYPE		0x02
#define EP_GENERAL		0x01
#define CATEGORY_IO_BOX		0x08
#define CLOCK_INTERNAL_FIXED	0x01
#define CLOCK_CONTROLS_RO	0x05	/* frequency r/o, validity r/o */
#define FORMAT_TYPE_I		0x01
#define FORMAT_PCM		0x00000001
#define HS_MAX_TRANSACTION	1024

void ud_put8(struct udw *w, unsigned int v)
{
	if (w->len >= w->cap) {
		w->overflow = true;
		return;
	}
	w->p[w->len++] = (uint8_t)v;
}

void ud_put16(struct udw *w, unsigned int v)
{
	ud_put8(w, v & 0xff);
	ud_put8(w, (v >> 8) & 0xff);
}

void ud_put32(struct udw *w, uint32_t v)
{
	ud_put16(w, v & 0xffff);
	ud_put16(w, v >> 16);
}

void ud_patch16(struct udw *w, size_t at, unsigned int v)
{
	if (at + 2 > w->len)
		return;
	w->p[at] = v & 0xff;
	w->p[at + 1] = (v >> 8) & 0xff;
}

void ud_device(uint8_t out[UD_DEVICE_LEN], const struct emu_usb_layout *u,
	       unsigned int imanufacturer, unsigned int iproduct,
	       unsigned int iserial)
{
	struct udw w = { out, 0, UD_DEVICE_LEN, false };

	ud_put8(&w, UD_DEVICE_LEN);
	ud_put8(&w, DT_DEVICE);
	ud_put16(&w, 0x0200);		/* bcdUSB */
	ud_put8(&w, u->dev_class);
	ud_put8(&w, u->dev_subclass);
	ud_put8(&w, u->dev_protocol);
	ud_put8(&w, 64);		/* bMaxPacketSize0 */
	ud_put16(&w, u->vendor_id);
	ud_put16(&w, u->product_id);
	ud_put16(&w, u->bcd_device);
	ud_put8(&w, imanufacturer);
	ud_put8(&w, iproduct);
	ud_put8(&w, iserial);
	ud_put8(&w, 1);			/* bNumConfigurations */
}

void ud_config_begin(struct udw *w, unsigned int num_interfaces)
{
	ud_put8(w, 9);
	ud_put8(w, DT_CONFIG);
	ud_put16(w, 0);			/* wTotalLength, patched at the end */
	ud_put8(w, num_interfaces);
	ud_put8(w, 1);			/* bConfigurationValue */
	ud_put8(w, 0);			/* iConfiguration */
	ud_put8(w, 0x80);		/* bus powered */
	ud_put8(w, 250);		/* 500 mA */
}

int ud_config_end(struct udw *w)
{
	if (w->overflow)
		return -EINVAL;
	ud_patch16(w, 2, (unsigned int)w->len);
	return 0;
}

void ud_iad(struct udw *w, unsigned int first, unsigned int count)
{
	ud_put8(w, 8);
	ud_put8(w, DT_IAD);
	ud_put8(w, first);		/* bFirstInterface */
	ud_put8(w, count);		/* bInterfaceCount */
	ud_put8(w, UD_CLASS_AUDIO);	/* bFunctionClass */
	ud_put8(w, 0);			/* bFunctionSubClass */
	ud_put8(w, UD_PROTOCOL_UAC2);	/* bFunctionProtocol */
	ud_put8(w, 0);			/* iFunction */
}

void ud_interface(struct udw *w, unsigned int num, unsigned int alt,
		  unsigned int num_eps, unsigned int cls, unsigned int subclass,
		  unsigned int protocol, unsigned int istr)
{
	ud_put8(w, 9);
	ud_put8(w, DT_INTERFACE);
	ud_put8(w, num);
	ud_put8(w, alt);
	ud_put8(w, num_eps);
	ud_put8(w, cls);
	ud_put8(w, subclass);
	ud_put8(w, protocol);
	ud_put8(w, istr);
}

void ud_endpoint(struct udw *w, unsigned int addr, unsigned int attr,
		 unsigned int maxp, unsigned int interval)
{
	ud_put8(w, 7);
	ud_put8(w, DT_ENDPOINT);
	ud_put8(w, addr);
	ud_put8(w, attr);
	ud_put16(w, maxp);
	ud_put8(w, interval);
}

size_t ud_ac_header_begin(struct udw *w)
{
	size_t at = w->len;

	ud_put8(w, 9);
	ud_put8(w, DT_CS_INTERFACE);
	ud_put8(w, AC_HEADER);
	ud_put16(w, 0x0200);		/* bcdADC */
	ud_put8(w, CATEGORY_IO_BOX);
	ud_put16(w, 0);			/* wTotalLength, patched at the end */
	ud_put8(w, 0);			/* bmControls */
	return at;
}

void ud_ac_header_end(struct udw *w, size_t header)
{
	ud_patch16(w, header + 6, (unsigned int)(w->len - header));
}

void ud_ac_clock(struct udw *w, unsigned int id)
{
	ud_put8(w, 8);
	ud_put8(w, DT_CS_INTERFACE);
	ud_put8(w, AC_CLOCK_SOURCE);
	ud_put8(w, id);
	ud_put8(w, CLOCK_INTERNAL_FIXED);
	ud_put8(w, CLOCK_CONTROLS_RO);
	ud_put8(w, 0);			/* bAssocTerminal */
	ud_put8(w, 0);			/* iClockSource */
}

void ud_ac_input_terminal(struct udw *w, unsigned int id,
			  unsigned int type, unsigned int clock,
			  unsigned int channels, unsigned int iterminal)
{
	ud_put8(w, 17);
	ud_put8(w, DT_CS_INTERFACE);
	ud_put8(w, AC_INPUT_TERMINAL);
	ud_put8(w, id);
	ud_put16(w, type);
	ud_put8(w, 0);			/* bAssocTerminal */
	ud_put8(w, clock);		/* bCSourceID */
	ud_put8(w, channels);		/* bNrChannels */
	ud_put32(w, 0);			/* bmChannelConfig: no positions */
	ud_put8(w, 0);			/* iChannelNames */
	ud_put16(w, 0);			/* bmControls */
	ud_put8(w, iterminal);
}

void ud_ac_feature_unit(struct udw *w, unsigned int id, unsigned int source,
			const uint32_t *controls, unsigned int channels,
			unsigned int ifeature)
{
	unsigned int ch;

	ud_put8(w, 6 + (channels + 1) * 4);
	ud_put8(w, DT_CS_INTERFACE);
	ud_put8(w, AC_FEATURE_UNIT);
	ud_put8(w, id);
	ud_put8(w, source);
	for (ch = 0; ch <= channels; ch++)
		ud_put32(w, controls[ch]);
	ud_put8(w, ifeature);
}

void ud_ac_output_terminal(struct udw *w, unsigned int id, unsigned int type,
			   unsigned int source, unsigned int clock)
{
	ud_put8(w, 12);
	ud_put8(w, DT_CS_INTERFACE);
	ud_put8(w, AC_OUTPUT_TERMINAL);
	ud_put8(w, id);
	ud_put16(w, type);
	ud_put8(w, 0);			/* bAssocTerminal */
	ud_put8(w, source);		/* bSourceID */
	ud_put8(w, clock);		/* bCSourceID */
	ud_put16(w, 0);			/* bmControls */
	ud_put8(w, 0);			/* iTerminal */
}

/*
 * One 1 ms packet of 49 frames (48 plus one of slack); past 1024 bytes a
 * high-speed endpoint needs extra transactions per microframe.
 */
uint16_t ud_iso_max_packet(unsigned int channels)
{
	unsigned int need = (UD_PACKET_FRAMES + 1) * channels * 2;
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

void ud_as_capture(struct udw *w, unsigned int terminal, unsigned int channels,
		   unsigned int ep)
{
	ud_put8(w, 16);
	ud_put8(w, DT_CS_INTERFACE);
	ud_put8(w, AS_GENERAL);
	ud_put8(w, terminal);		/* bTerminalLink */
	ud_put8(w, 0);			/* bmControls */
	ud_put8(w, FORMAT_TYPE_I);
	ud_put32(w, FORMAT_PCM);
	ud_put8(w, channels);
	ud_put32(w, 0);			/* bmChannelConfig */
	ud_put8(w, 0);			/* iChannelNames */

	ud_put8(w, 6);
	ud_put8(w, DT_CS_INTERFACE);
	ud_put8(w, AS_FORMAT_TYPE);
	ud_put8(w, FORMAT_TYPE_I);
	ud_put8(w, 2);			/* bSubslotSize */
	ud_put8(w, 16);			/* bBitResolution */

	ud_endpoint(w, ep, UD_EP_ISO_ASYNC, ud_iso_max_packet(channels),
		    UD_HS_INTERVAL_1MS);
	ud_put8(w, 8);
	ud_put8(w, DT_CS_ENDPOINT);
	ud_put8(w, EP_GENERAL);
	ud_put8(w, 0);			/* bmAttributes */
	ud_put8(w, 0);			/* bmControls */
	ud_put8(w, 0);			/* bLockDelayUnits */
	ud_put16(w, 0);			/* wLockDelay */
}

void ud_audio_function(struct udw *w, const struct ud_audio *a)
{
	size_t header;
	unsigned int last;

	ud_iad(w, a->ac_intf, 2);
	ud_interface(w, a->ac_intf, 0, a->int_ep ? 1 : 0, UD_CLASS_AUDIO,
		     UD_SUBCLASS_AC, UD_PROTOCOL_UAC2, 0);
	header = ud_ac_header_begin(w);
	ud_ac_clock(w, a->clock_id);
	ud_ac_input_terminal(w, a->it_id, a->terminal_type, a->clock_id,
			     a->channels, 0);
	last = a->it_id;
	if (a->fu_controls) {
		ud_ac_feature_unit(w, a->fu_id, a->it_id, a->fu_controls,
				   a->channels, 0);
		last = a->fu_id;
	}
	ud_ac_output_terminal(w, a->ot_id, UD_TERMINAL_STREAMING, last,
			      a->clock_id);
	ud_ac_header_end(w, header);
	if (a->int_ep)
		ud_endpoint(w, a->int_ep, UD_EP_INT, 6, UD_HS_INTERVAL_1MS);
	ud_interface(w, a->as_intf, 0, 0, UD_CLASS_AUDIO, UD_SUBCLASS_AS,
		     UD_PROTOCOL_UAC2, 0);
	ud_interface(w, a->as_intf, 1, 1, UD_CLASS_AUDIO, UD_SUBCLASS_AS,
		     UD_PROTOCOL_UAC2, 0);
	ud_as_capture(w, a->ot_id, a->channels, a->iso_ep);
}

void ud_audio_layout(struct emu_usb_layout *l, uint16_t vid, uint16_t pid,
		     const struct ud_audio *a)
{
	memset(l, 0, sizeof(*l));
	l->vendor_id = vid;
	l->product_id = pid;
	l->bcd_device = 0x0100;
	l->dev_class = 0xef;		/* miscellaneous, with an IAD */
	l->dev_subclass = 0x02;
	l->dev_protocol = 0x01;
	l->num_interfaces = 2;
	l->intf[a->ac_intf].cls = UD_CLASS_AUDIO;
	l->intf[a->ac_intf].subclass = UD_SUBCLASS_AC;
	l->intf[a->ac_intf].protocol = UD_PROTOCOL_UAC2;
	l->intf[a->as_intf].cls = UD_CLASS_AUDIO;
	l->intf[a->as_intf].subclass = UD_SUBCLASS_AS;
	l->intf[a->as_intf].protocol = UD_PROTOCOL_UAC2;
	l->as_intf = a->as_intf;
	l->iso_ep = a->iso_ep;
	l->channels = a->channels;
	l->iso_frame_bytes = a->channels * 2;
	l->int_ep = a->int_ep;
}

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

int ud_clock_request(const struct emu_setup *st, uint8_t *buf, size_t cap,
		     size_t *len)
{
	unsigned int cs = st->value >> 8, cn = st->value & 0xff;
	uint8_t r[14];
	size_t n;

	*len = 0;
	if (cn != 0)
		return -EPIPE;
	if (!(st->type & 0x80)) {
		/* SET_CUR of the rate: only the rate it has */
		if (st->request != UD_UAC2_CUR || cs != UD_UAC2_CS_SAM_FREQ ||
		    st->length != 4 || cap < 4 ||
		    (buf[0] | buf[1] << 8 | buf[2] << 16 |
		     (uint32_t)buf[3] << 24) != UD_RATE_HZ)
			return -EPIPE;
		return 0;
	}
	if (st->request == UD_UAC2_CUR && cs == UD_UAC2_CS_SAM_FREQ) {
		le32(r, UD_RATE_HZ);
		n = 4;
	} else if (st->request == UD_UAC2_CUR && cs == UD_UAC2_CS_CLOCK_VALID) {
		r[0] = 1;
		n = 1;
	} else if (st->request == UD_UAC2_RANGE && cs == UD_UAC2_CS_SAM_FREQ) {
		r[0] = 1;		/* wNumSubRanges */
		r[1] = 0;
		le32(r + 2, UD_RATE_HZ);	/* dMIN */
		le32(r + 6, UD_RATE_HZ);	/* dMAX */
		le32(r + 10, 0);		/* dRES */
		n = sizeof(r);
	} else {
		return -EPIPE;
	}
	if (n > st->length)
		n = st->length;
	if (n > cap)
		n = cap;
	memcpy(buf, r, n);
	*len = n;
	return 0;
}
