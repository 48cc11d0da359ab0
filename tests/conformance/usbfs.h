/* SPDX-License-Identifier: MIT */
/*
 * The usbfs plumbing of the conformance test: a USB device node
 * (/dev/bus/usb/BBB/DDD) opened for ioctls, its descriptors, control
 * transfers, interface claiming, and one interrupt IN endpoint read through
 * an URB that stays submitted, so a notification in flight is never lost to
 * a timed-out synchronous read.
 *
 * Every function returns a negative errno on failure and prints nothing.
 * Every byte the device sends is untrusted: descriptor parsing is bounded.
 */
#ifndef PAMP_USBFS_H
#define PAMP_USBFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USBFS_DESC_MAX		(18 + 4 * 65535)	/* device + up to 4 configs */
#define USBFS_INTR_MAX		64	/* the largest interrupt packet kept */

struct usbfs_dev {
	int fd;
	uint8_t *desc;			/* device, then configurations */
	size_t desc_len;
};

/* What the configuration descriptor says about one interface. */
struct usbfs_intf {
	uint8_t number;
	uint8_t alt;
	uint8_t cls, subcls, proto;
	uint8_t string_index;		/* iInterface */
	uint8_t num_endpoints;
	/* the first interrupt IN endpoint, if any */
	bool has_intr_in;
	uint8_t intr_ep;		/* bEndpointAddress */
	uint16_t intr_maxp;		/* wMaxPacketSize & 0x7ff */
	uint8_t intr_interval;
};

struct usbfs_urb_result {
	int status;			/* 0 or a negative errno */
	size_t len;			/* actual length */
	uint8_t data[USBFS_INTR_MAX];
};

int usbfs_open(struct usbfs_dev *d, const char *path);
void usbfs_close(struct usbfs_dev *d);

/*
 * Finds the alternate setting 0 of the first interface with this class,
 * subclass and protocol in any configuration. Returns 0, -ENOENT if there
 * is none, -EBADMSG if the descriptors are malformed.
 */
int usbfs_find_interface(const struct usbfs_dev *d, uint8_t cls,
			 uint8_t subcls, uint8_t proto,
			 struct usbfs_intf *out);

/*
 * A control transfer. Returns the number of bytes transferred (IN: the
 * reply's length, possibly short) or a negative errno (-EPIPE: STALL,
 * -ETIMEDOUT: no answer within timeout_ms).
 */
int usbfs_control(struct usbfs_dev *d, uint8_t request_type, uint8_t request,
		  uint16_t value, uint16_t index, void *data, uint16_t length,
		  unsigned int timeout_ms);

/*
 * A string descriptor as UTF-8 (code points beyond U+FFFF and unpaired
 * surrogates become U+FFFD), in the device's first language. Returns the
 * length written (NUL-terminated, truncated to out_len - 1).
 */
int usbfs_get_string(struct usbfs_dev *d, uint8_t index, char *out,
		     size_t out_len, unsigned int timeout_ms);

/*
 * The driver bound to an interface: writes its name and returns 0,
 * -ENODATA when none is bound.
 */
int usbfs_driver(struct usbfs_dev *d, unsigned int intf, char *name,
		 size_t name_len);
/* Unbinds the kernel driver of an interface (USBDEVFS_DISCONNECT). */
int usbfs_detach(struct usbfs_dev *d, unsigned int intf);
int usbfs_claim(struct usbfs_dev *d, unsigned int intf);
int usbfs_release(struct usbfs_dev *d, unsigned int intf);

/* True while the device is attached (an ioctl does not say -ENODEV). */
bool usbfs_connected(struct usbfs_dev *d);

/*
 * An interrupt IN endpoint read through one URB that stays submitted.
 * usbfs_intr_start submits it; usbfs_intr_wait waits up to timeout_ms for
 * it to complete, fills *res, and submits it again unless the device is
 * gone. Returns 1 for a completion, 0 on timeout, a negative errno when
 * the URB cannot be (re)submitted or reaped.
 */
struct usbfs_intr;
int usbfs_intr_start(struct usbfs_dev *d, uint8_t ep, uint16_t maxp,
		     struct usbfs_intr **out);
int usbfs_intr_wait(struct usbfs_intr *in, int timeout_ms,
		    struct usbfs_urb_result *res);
bool usbfs_intr_active(const struct usbfs_intr *in);
void usbfs_intr_stop(struct usbfs_intr *in);

#endif /* PAMP_USBFS_H */
