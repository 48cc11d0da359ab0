/* SPDX-License-Identifier: MIT */
/*
 * The USB/IP transport of the emulated interface: a server on
 * 127.0.0.1:PORT that lists one device (OP_REQ_DEVLIST), lets a host import
 * it (OP_REQ_IMPORT) and then carries its URBs (USBIP_CMD_SUBMIT /
 * USBIP_CMD_UNLINK): endpoint 0 with the standard requests (class and
 * vendor ones go to the device's personality), the interrupt endpoint's
 * notifications and the isochronous capture stream, paced by its own 1 ms
 * packet clock.
 *
 * Kernel side: Documentation/usb/usbip_protocol.rst, vhci-hcd. All header
 * fields are big-endian; everything received is checked, and a malformed
 * message closes its connection with a log line.
 *
 * An import powers the device on, the end of that connection (host detach,
 * unplug, a disconnect fault) powers it off: a replug is a power cycle.
 */
#ifndef EMU_USBIP_H
#define EMU_USBIP_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl.h"
#include "personality.h"

#define EMU_USBIP_BUSID_MAX	31	/* a busid fits 32 bytes with its NUL */

struct emu_usbip_config {
	uint16_t port;		/* TCP port on 127.0.0.1 */
	const char *busid;	/* as listed and imported, e.g. "1-1" */
	bool verbose;		/* a log line per request */
};

struct emu_usbip;

/*
 * Starts listening. The personality (the device) and stats must outlive
 * the server. Returns NULL with errno set on failure.
 */
struct emu_usbip *emu_usbip_new(struct emu_personality *p,
				const struct emu_usbip_config *cfg,
				struct emu_stats *stats);
/* Closes every connection (powering the device off) and the listener. */
void emu_usbip_free(struct emu_usbip *s);

/* Event loop glue: fills at most max pollfds, returns how many. */
size_t emu_usbip_pollfds(struct emu_usbip *s, struct pollfd *fds, size_t max);
/* Serves what the pollfds (as filled and polled) say. */
void emu_usbip_dispatch(struct emu_usbip *s, const struct pollfd *fds,
			size_t n, uint64_t now_ns);
/* Does what is due at now_ns: delayed replies, iso URBs, notifications. */
void emu_usbip_run(struct emu_usbip *s, uint64_t now_ns);
/* When emu_usbip_run() wants to be called next (UINT64_MAX: not before an
 * event). */
uint64_t emu_usbip_next_deadline(const struct emu_usbip *s);
/* The model changed outside a request (control channel): look for a
 * notification now. */
void emu_usbip_poke(struct emu_usbip *s, uint64_t now_ns);

/* Drops the imported connection. 0, or -ENOTCONN when there is none. */
int emu_usbip_unplug(struct emu_usbip *s);
bool emu_usbip_plugged(const struct emu_usbip *s);

/* A busid that can be listed: 1..31 characters of [0-9A-Za-z.:-]. */
bool emu_usbip_busid_valid(const char *busid);

#endif /* EMU_USBIP_H */
