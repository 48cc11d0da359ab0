// SPDX-License-Identifier: MIT
/*
 * usbfs plumbing: descriptors, control transfers, claiming, and an
 * interrupt IN endpoint read through an URB that stays submitted.
 */
#include "usbfs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/usb/ch9.h>
#include <linux/usbdevice_fs.h>

int usbfs_open(struct usbfs_dev *d, const char *path)
{
	ssize_t n;
	size_t got = 0;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	d->desc = malloc(USBFS_DESC_MAX);
	if (!d->desc)
		return -ENOMEM;
	d->fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0) {
		int err = -errno;

		free(d->desc);
		d->desc = NULL;
		return err;
	}
	/* Reading the node gives the cached descriptors: no bus traffic. */
	while (got < USBFS_DESC_MAX) {
		n = read(d->fd, d->desc + got, USBFS_DESC_MAX - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			usbfs_close(d);
			return err;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	d->desc_len = got;
	return 0;
}

void usbfs_close(struct usbfs_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	free(d->desc);
	d->desc = NULL;
	d->desc_len = 0;
}

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/*
 * Walks one configuration (cfg, cfg_len bytes, already bounded) for the
 * interface. Returns 1 when found, 0 when not, -EBADMSG on a malformed
 * descriptor.
 */
static int scan_config(const uint8_t *cfg, size_t cfg_len, uint8_t cls,
		       uint8_t subcls, uint8_t proto, struct usbfs_intf *out)
{
	size_t off = 0;
	bool in_match = false;

	while (off + 2 <= cfg_len) {
		const uint8_t *p = cfg + off;
		uint8_t len = p[0], type = p[1];

		if (len < 2 || off + len > cfg_len)
			return -EBADMSG;
		if (type == USB_DT_INTERFACE) {
			if (in_match)
				return 1;	/* the next interface: done */
			if (len < USB_DT_INTERFACE_SIZE)
				return -EBADMSG;
			if (p[3] == 0 && p[5] == cls && p[6] == subcls &&
			    p[7] == proto) {
				memset(out, 0, sizeof(*out));
				out->number = p[2];
				out->alt = p[3];
				out->num_endpoints = p[4];
				out->cls = p[5];
				out->subcls = p[6];
				out->proto = p[7];
				out->string_index = p[8];
				in_match = true;
			}
		} else if (type == USB_DT_ENDPOINT && in_match) {
			if (len < USB_DT_ENDPOINT_SIZE)
				return -EBADMSG;
			if ((p[2] & USB_ENDPOINT_DIR_MASK) == USB_DIR_IN &&
			    (p[3] & USB_ENDPOINT_XFERTYPE_MASK) ==
			    USB_ENDPOINT_XFER_INT && !out->has_intr_in) {
				out->has_intr_in = true;
				out->intr_ep = p[2];
				out->intr_maxp = get_le16(p + 4) & 0x7ff;
				out->intr_interval = p[6];
			}
		}
		off += len;
	}
	return in_match ? 1 : 0;
}

int usbfs_find_interface(const struct usbfs_dev *d, uint8_t cls,
			 uint8_t subcls, uint8_t proto,
			 struct usbfs_intf *out)
{
	size_t off;

	if (d->desc_len < USB_DT_DEVICE_SIZE ||
	    d->desc[0] < USB_DT_DEVICE_SIZE || d->desc[1] != USB_DT_DEVICE)
		return -EBADMSG;
	off = d->desc[0];
	while (off + USB_DT_CONFIG_SIZE <= d->desc_len) {
		const uint8_t *c = d->desc + off;
		size_t total = get_le16(c + 2);
		int r;

		if (c[1] != USB_DT_CONFIG || c[0] < USB_DT_CONFIG_SIZE ||
		    total < c[0])
			return -EBADMSG;
		if (total > d->desc_len - off)
			total = d->desc_len - off;	/* truncated: scan what is there */
		r = scan_config(c, total, cls, subcls, proto, out);
		if (r != 0)
			return r < 0 ? r : 0;
		off += total;
	}
	return -ENOENT;
}

int usbfs_control(struct usbfs_dev *d, uint8_t request_type, uint8_t request,
		  uint16_t value, uint16_t index, void *data, uint16_t length,
		  unsigned int timeout_ms)
{
	struct usbdevfs_ctrltransfer ct = {
		.bRequestType = request_type,
		.bRequest = request,
		.wValue = value,
		.wIndex = index,
		.wLength = length,
		.timeout = timeout_ms,
		.data = length ? data : NULL,
	};
	int r;

	do {
		r = ioctl(d->fd, USBDEVFS_CONTROL, &ct);
	} while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

/* Appends one code point as UTF-8 if it fits; returns the new length. */
static size_t put_utf8(char *out, size_t len, size_t cap, uint32_t cp)
{
	char b[3];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	}
	if (len + n >= cap)
		return len;
	memcpy(out + len, b, n);
	return len + n;
}

int usbfs_get_string(struct usbfs_dev *d, uint8_t index, char *out,
		     size_t out_len, unsigned int timeout_ms)
{
	uint8_t buf[255];
	uint16_t langid;
	size_t len = 0, i, n;
	int r;

	if (!out_len)
		return -EINVAL;
	out[0] = '\0';
	if (!index)
		return -ENOENT;
	r = usbfs_control(d, USB_DIR_IN | USB_TYPE_STANDARD |
			  USB_RECIP_DEVICE, USB_REQ_GET_DESCRIPTOR,
			  USB_DT_STRING << 8, 0, buf, sizeof(buf), timeout_ms);
	if (r < 0)
		return r;
	if (r < 4 || buf[1] != USB_DT_STRING || buf[0] < 4)
		return -EBADMSG;
	langid = get_le16(buf + 2);
	r = usbfs_control(d, USB_DIR_IN | USB_TYPE_STANDARD |
			  USB_RECIP_DEVICE, USB_REQ_GET_DESCRIPTOR,
			  (uint16_t)(USB_DT_STRING << 8 | index), langid, buf,
			  sizeof(buf), timeout_ms);
	if (r < 0)
		return r;
	if (r < 2 || buf[1] != USB_DT_STRING)
		return -EBADMSG;
	/* bLength bounds the string, and so does what actually arrived. */
	n = buf[0] < (size_t)r ? buf[0] : (size_t)r;
	for (i = 2; i + 1 < n; i += 2) {
		uint32_t cp = get_le16(buf + i);

		if (cp >= 0xd800 && cp <= 0xdfff)
			cp = 0xfffd;	/* no surrogate pairs in a name we expect */
		len = put_utf8(out, len, out_len, cp);
	}
	out[len] = '\0';
	return (int)len;
}

int usbfs_driver(struct usbfs_dev *d, unsigned int intf, char *name,
		 size_t name_len)
{
	struct usbdevfs_getdriver gd;

	memset(&gd, 0, sizeof(gd));
	gd.interface = intf;
	if (ioctl(d->fd, USBDEVFS_GETDRIVER, &gd) < 0)
		return -errno;
	if (name_len) {
		gd.driver[sizeof(gd.driver) - 1] = '\0';
		strncpy(name, gd.driver, name_len - 1);
		name[name_len - 1] = '\0';
	}
	return 0;
}

int usbfs_detach(struct usbfs_dev *d, unsigned int intf)
{
	struct usbdevfs_ioctl cmd = {
		.ifno = (int)intf,
		.ioctl_code = USBDEVFS_DISCONNECT,
		.data = NULL,
	};

	return ioctl(d->fd, USBDEVFS_IOCTL, &cmd) < 0 ? -errno : 0;
}

int usbfs_claim(struct usbfs_dev *d, unsigned int intf)
{
	return ioctl(d->fd, USBDEVFS_CLAIMINTERFACE, &intf) < 0 ? -errno : 0;
}

int usbfs_release(struct usbfs_dev *d, unsigned int intf)
{
	return ioctl(d->fd, USBDEVFS_RELEASEINTERFACE, &intf) < 0 ? -errno : 0;
}

bool usbfs_connected(struct usbfs_dev *d)
{
	struct usbdevfs_connectinfo ci;

	/* usbfs answers -ENODEV to every ioctl once the device is gone. */
	return ioctl(d->fd, USBDEVFS_CONNECTINFO, &ci) == 0 || errno != ENODEV;
}

struct usbfs_intr {
	struct usbfs_dev *dev;
	struct usbdevfs_urb urb;
	uint8_t buf[USBFS_INTR_MAX];
	uint16_t len;
	uint8_t ep;
	bool submitted;
};

static int intr_submit(struct usbfs_intr *in)
{
	memset(&in->urb, 0, sizeof(in->urb));
	in->urb.type = USBDEVFS_URB_TYPE_INTERRUPT;
	in->urb.endpoint = in->ep;
	in->urb.buffer = in->buf;
	in->urb.buffer_length = in->len;
	in->urb.usercontext = in;
	if (ioctl(in->dev->fd, USBDEVFS_SUBMITURB, &in->urb) < 0)
		return -errno;
	in->submitted = true;
	return 0;
}

int usbfs_intr_start(struct usbfs_dev *d, uint8_t ep, uint16_t maxp,
		     struct usbfs_intr **out)
{
	struct usbfs_intr *in;
	int r;

	if (!maxp)
		return -EINVAL;
	in = calloc(1, sizeof(*in));
	if (!in)
		return -ENOMEM;
	in->dev = d;
	in->ep = ep;
	/*
	 * One packet per URB: a packet of wMaxPacketSize or a short one
	 * ends the transfer either way.
	 */
	in->len = maxp < USBFS_INTR_MAX ? maxp : USBFS_INTR_MAX;
	r = intr_submit(in);
	if (r < 0) {
		free(in);
		return r;
	}
	*out = in;
	return 0;
}

static int intr_reap(struct usbfs_intr *in, struct usbfs_urb_result *res)
{
	void *urbp = NULL;
	struct usbdevfs_urb *urb;

	if (ioctl(in->dev->fd, USBDEVFS_REAPURBNDELAY, &urbp) < 0)
		return -errno;
	urb = urbp;
	if (urb != &in->urb)
		return -EIO;	/* not ours: cannot happen, only one URB */
	in->submitted = false;
	memset(res, 0, sizeof(*res));
	res->status = urb->status;
	res->len = urb->actual_length > 0 ? (size_t)urb->actual_length : 0;
	if (res->len > in->len)
		res->len = in->len;
	memcpy(res->data, in->buf, res->len);
	return 1;
}

int usbfs_intr_wait(struct usbfs_intr *in, int timeout_ms,
		    struct usbfs_urb_result *res)
{
	struct pollfd pfd = { .fd = in->dev->fd, .events = POLLOUT };
	int r;

	if (!in->submitted) {
		r = intr_submit(in);
		if (r < 0)
			return r;
	}
	r = intr_reap(in, res);
	if (r == -EAGAIN) {
		do {
			r = poll(&pfd, 1, timeout_ms);
		} while (r < 0 && errno == EINTR);
		if (r < 0)
			return -errno;
		r = intr_reap(in, res);
		if (r == -EAGAIN)
			return 0;
	}
	if (r < 0)
		return r;
	/* Submit again at once so the device can send the next one. */
	if (res->status != -ENODEV && res->status != -ESHUTDOWN)
		intr_submit(in);
	return 1;
}

bool usbfs_intr_active(const struct usbfs_intr *in)
{
	return in && in->submitted;
}

void usbfs_intr_stop(struct usbfs_intr *in)
{
	void *urbp;

	if (!in)
		return;
	if (in->submitted) {
		ioctl(in->dev->fd, USBDEVFS_DISCARDURB, &in->urb);
		/* The discarded URB must be reaped before its memory goes. */
		while (ioctl(in->dev->fd, USBDEVFS_REAPURB, &urbp) < 0 &&
		       errno == EINTR)
			;
	}
	free(in);
}
