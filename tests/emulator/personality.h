/* SPDX-License-Identifier: MIT */
/*
 * A device personality: what the USB/IP transport needs from the device it
 * serves. The transport owns the bus (connections, URBs, standard requests,
 * the isochronous clock); the personality owns everything the device itself
 * decides: its descriptors, its class and vendor requests, its notifications,
 * its captured samples, its front panel (through the control channel).
 *
 * preamp-emu's own interface (the Preamp Control Protocol) is one
 * personality; the interfaces people own (Focusrite's scarlett2 protocol,
 * RME's Babyface Pro, a class-compliant UAC2 interface) are others. A model
 * file's [device] section says which: "personality = scarlett2", ...; a
 * file without that key is preamp-emu's own.
 */
#ifndef EMU_PERSONALITY_H
#define EMU_PERSONALITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctl.h"

#define EMU_LAYOUT_MAX_INTF	8
#define EMU_LAYOUT_NO_INTF	0xff

/* A SETUP packet, decoded. */
struct emu_setup {
	uint8_t type;
	uint8_t request;
	uint16_t value;
	uint16_t index;
	uint16_t length;
};

/* The personality's answer to a class or vendor request on endpoint 0. */
struct emu_xfer {
	int status;		/* 0, or -EPIPE to STALL */
	size_t len;		/* IN: bytes written to the buffer */
	unsigned int delay_ms;	/* answer only after this long */
	bool disconnect;	/* drop the connection instead of answering */
	bool device;		/* a request of the device's own protocol:
				 * counted by the device, not as a standard one;
				 * a notification may be due after it */
	const char *name;	/* for the verbose log, or NULL */
};

/* The USB side of a device, as the transport serves it. */
struct emu_usb_layout {
	uint16_t vendor_id, product_id, bcd_device;
	uint8_t dev_class, dev_subclass, dev_protocol;
	const uint8_t *device;		/* 18 bytes */
	const uint8_t *config;		/* the one configuration */
	size_t config_len;
	uint8_t num_interfaces;
	struct {
		uint8_t cls, subclass, protocol;
	} intf[EMU_LAYOUT_MAX_INTF];	/* alternate setting 0, as listed */
	uint8_t as_intf;		/* streaming interface (alt 1 streams),
					 * or EMU_LAYOUT_NO_INTF */
	uint8_t iso_ep;			/* isochronous IN, or 0 */
	unsigned int channels;		/* capture channels */
	unsigned int iso_frame_bytes;	/* channels * 2 (S16_LE) */
	uint8_t int_ep;			/* interrupt IN, or 0 */
};

struct emu_personality_ops {
	/* String descriptor index (0: LANGIDs) into buf; its length, or
	 * -ENOENT. */
	int (*string)(void *dev, unsigned int index, uint8_t *buf, size_t cap);
	/* An import powers the device on, the end of the connection off. */
	void (*power_on)(void *dev, uint64_t now_ns);
	void (*power_off)(void *dev);
	/*
	 * A class or vendor request on endpoint 0 (any recipient). IN: the
	 * reply goes to buf (capacity cap >= wLength); OUT: buf holds the
	 * wLength bytes of the data stage.
	 */
	struct emu_xfer (*control)(void *dev, const struct emu_setup *st,
				   uint8_t *buf, size_t cap, uint64_t now_ns);
	/*
	 * The next notification for the interrupt endpoint: its length
	 * (written to out, at most cap), or -EAGAIN when nothing is due;
	 * *next_ns then says when to ask again (UINT64_MAX: after a change).
	 */
	ssize_t (*notification)(void *dev, uint8_t *out, size_t cap,
				uint64_t now_ns, uint64_t *next_ns);
	/* The capture stream starts; returns its first frame number. */
	uint64_t (*stream_start)(void *dev, uint64_t now_ns);
	/* frames of interleaved S16_LE from *pos on; advances *pos. */
	void (*capture)(void *dev, uint64_t *pos, int16_t *out, size_t frames,
			uint64_t now_ns);
	/* Time passes (called at least every 50 ms while plugged in). */
	void (*tick)(void *dev, uint64_t now_ns);
	/* The control channel: one command line, the whole reply to out. */
	int (*ctl)(void *dev, const struct emu_ctl_env *env, const char *line,
		   uint64_t now_ns, char *out, size_t out_size);
	void (*free)(void *dev);
};

struct emu_personality {
	const char *kind;		/* "preamp", "scarlett2", ... */
	char name[64];			/* the product, for the log */
	const struct emu_usb_layout *usb;
	const struct emu_personality_ops *ops;
	void *dev;
};

/*
 * Loads the model file at path and makes its personality; serial (or
 * NULL) replaces the model's USB serial. Returns 0, or -1 with a reason in
 * err.
 */
int emu_personality_load(const char *path, const char *serial,
			 struct emu_personality *p, char *err, size_t errlen);
void emu_personality_free(struct emu_personality *p);

/*
 * Helpers for personalities: a UTF-8 string as a string descriptor (the
 * LANGID list for index 0 is emu_usb_langids()); each returns the length.
 */
int emu_usb_string_desc(const char *s, uint8_t *buf, size_t cap);
int emu_usb_langids(uint8_t *buf, size_t cap);

#endif /* EMU_PERSONALITY_H */
