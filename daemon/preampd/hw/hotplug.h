/* SPDX-License-Identifier: MIT */
/*
 * udev: which USB sound cards exist, and who they are. hotplug.c holds no
 * cards: it tells its listener (the manager) through struct hotplug_ops.
 */
#ifndef PREAMPD_HOTPLUG_H
#define PREAMPD_HOTPLUG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#define PA_USB_STRING_MAX 381	/* the kernel's MAX_USB_STRING_SIZE - 1 */

struct usb_identity {
	uint16_t vid, pid;
	/* raw bytes from sysfs, NUL-terminated: the kernel's USB strings
	 * are up to 126 UTF-16 units, 381 bytes of UTF-8 */
	char serial[PA_USB_STRING_MAX + 1];
	size_t serial_len;
	char usb_path[256];	/* the USB device's ID_PATH (or sysname) */
	char usb_syspath[256];	/* the USB device in sysfs */
	char product[256];	/* product string, raw */
	char card_syspath[256];
	char card_sysname[32];
	uint64_t usec_initialized;	/* of the card: this plug-in */
	/* when preampd heard of it: CLOCK_MONOTONIC, and the CPU time its
	 * thread had used (CLOCK_THREAD_CPUTIME_ID) */
	uint64_t usec_heard, cpu_usec_heard;
	bool coldplug;		/* found at start, not announced by an event */
	int card_index;
	char card_id[64];
};

struct hotplug_ops {
	/* udev has set up a USB card; it may be one the listener holds
	 * (a change event, or a new plug-in: usec_initialized tells) */
	void (*plugged)(void *userdata, const struct usb_identity *id);
	/* this plug-in of the card is over (sysname: "card1") */
	void (*unplugged)(void *userdata, const char *syspath,
			  const char *sysname);
	/* the syspath of the i-th card the listener holds, NULL past the
	 * last: what is looked at again after lost events */
	const char *(*held)(void *userdata, size_t i);
	/* whether the listener holds the card at syspath from the plug-in
	 * of that initialization time: its change events need nothing */
	bool (*holds)(void *userdata, const char *syspath,
		      uint64_t usec_initialized);
};

struct hotplug;
/* the monitor on e, then every card present (before returning) */
int hotplug_start(sd_event *e, const struct hotplug_ops *ops, void *userdata,
		  struct hotplug **out);
void hotplug_free(struct hotplug *h);

#endif
