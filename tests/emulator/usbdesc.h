/* SPDX-License-Identifier: MIT */
/*
 * A bounded writer of USB descriptors for the personalities: standard
 * descriptors and the USB Audio Class 2.0 ones a class-compliant audio
 * function is made of (an AudioControl interface with its clock, terminals
 * and feature unit; an AudioStreaming interface whose alternate setting 1
 * carries an isochronous capture endpoint), and the UAC2 clock's requests.
 *
 * Every descriptor is packed byte by byte, little-endian, as USB lays it
 * out; an overflow is remembered, never done.
 */
#ifndef EMU_USBDESC_H
#define EMU_USBDESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "personality.h"

#define UD_DEVICE_LEN		18
#define UD_CONFIG_MAX		1024

/* Class codes */
#define UD_CLASS_AUDIO		0x01
#define UD_SUBCLASS_AC		0x01
#define UD_SUBCLASS_AS		0x02
#define UD_PROTOCOL_UAC2	0x20
#define UD_CLASS_VENDOR		0xff

/* Endpoint attributes */
#define UD_EP_ISO_ASYNC		0x05
#define UD_EP_INT		0x03
#define UD_HS_INTERVAL_1MS	4	/* 2^(4-1) microframes */

/* UAC2 requests and clock selectors */
#define UD_UAC2_CUR		0x01
#define UD_UAC2_RANGE		0x02
#define UD_UAC2_CS_SAM_FREQ	0x01
#define UD_UAC2_CS_CLOCK_VALID	0x02
#define UD_RATE_HZ		48000
#define UD_PACKET_FRAMES	48	/* one 1 ms packet at 48 kHz */

/* UAC2 terminal types */
#define UD_TERMINAL_STREAMING	0x0101
#define UD_TERMINAL_MICROPHONE	0x0201
#define UD_TERMINAL_LINE	0x0603

struct udw {
	uint8_t *p;
	size_t len;
	size_t cap;
	bool overflow;
};

void ud_put8(struct udw *w, unsigned int v);
void ud_put16(struct udw *w, unsigned int v);
void ud_put32(struct udw *w, uint32_t v);
void ud_patch16(struct udw *w, size_t at, unsigned int v);

/* The device descriptor (high speed, one configuration). */
void ud_device(uint8_t out[UD_DEVICE_LEN], const struct emu_usb_layout *u,
	       unsigned int imanufacturer, unsigned int iproduct,
	       unsigned int iserial);
/* The configuration header; ud_config_end() patches wTotalLength. */
void ud_config_begin(struct udw *w, unsigned int num_interfaces);
int ud_config_end(struct udw *w);
void ud_iad(struct udw *w, unsigned int first, unsigned int count);
void ud_interface(struct udw *w, unsigned int num, unsigned int alt,
		  unsigned int num_eps, unsigned int cls, unsigned int subclass,
		  unsigned int protocol, unsigned int istr);
void ud_endpoint(struct udw *w, unsigned int addr, unsigned int attr,
		 unsigned int maxp, unsigned int interval);

/* UAC2 AudioControl: the header (bCategory I/O box); end patches its
 * wTotalLength. */
size_t ud_ac_header_begin(struct udw *w);
void ud_ac_header_end(struct udw *w, size_t header);
/* An internal fixed clock whose frequency and validity can be read. */
void ud_ac_clock(struct udw *w, unsigned int id);
void ud_ac_input_terminal(struct udw *w, unsigned int id,
			  unsigned int type, unsigned int clock,
			  unsigned int channels, unsigned int iterminal);
/* bmaControls: one 32-bit word for the master channel, then per channel */
void ud_ac_feature_unit(struct udw *w, unsigned int id, unsigned int source,
			const uint32_t *controls, unsigned int channels,
			unsigned int ifeature);
void ud_ac_output_terminal(struct udw *w, unsigned int id, unsigned int type,
			   unsigned int source, unsigned int clock);
/* AudioStreaming alt 1 of channels S16_LE at 48 kHz, after its interface
 * descriptor: AS general, format type I, the iso IN endpoint, CS endpoint. */
void ud_as_capture(struct udw *w, unsigned int terminal, unsigned int channels,
		   unsigned int ep);
/* wMaxPacketSize for 1 ms packets of channels S16_LE. */
uint16_t ud_iso_max_packet(unsigned int channels);

/* A whole capture function: IAD, AudioControl (clock, input terminal, a
 * feature unit if controls is not NULL, streaming output terminal, an
 * interrupt endpoint if int_ep), AudioStreaming alt 0 and alt 1. */
struct ud_audio {
	uint8_t ac_intf, as_intf;	/* as_intf = ac_intf + 1 */
	uint8_t clock_id, it_id, fu_id, ot_id;
	unsigned int terminal_type;	/* of the input terminal */
	unsigned int channels;
	const uint32_t *fu_controls;	/* channels + 1 words, or NULL */
	uint8_t int_ep;			/* status interrupts, or 0 */
	uint8_t iso_ep;
};
void ud_audio_function(struct udw *w, const struct ud_audio *a);
/* The layout of a device that is that function alone (interfaces 0, 1). */
void ud_audio_layout(struct emu_usb_layout *l, uint16_t vid, uint16_t pid,
		     const struct ud_audio *a);

/*
 * A request to a UAC2 clock source with a fixed 48 kHz: GET_CUR / GET_RANGE
 * of the frequency, GET_CUR of the validity, SET_CUR of the one rate it has.
 * Returns 0 (*len set for IN) or -EPIPE.
 */
int ud_clock_request(const struct emu_setup *st, uint8_t *buf, size_t cap,
		     size_t *len);

#endif /* EMU_USBDESC_H */
