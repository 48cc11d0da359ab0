// SPDX-License-Identifier: GPL-2.0
/*
 * snd-usb-preamp: the control transfers of the Preamp Control Protocol.
 *
 * Each request is one vendor request to the interface on endpoint 0, made
 * with usb_control_msg_recv()/_send(): they bounce the data through a
 * buffer of their own (so ours may live on the stack) and treat a reply
 * shorter than asked for as an error (-EREMOTEIO), never half-used. The
 * caller holds io_mutex, or meters.lock for GET_METERS, which makes the
 * disconnected flag stable. Allocations are GFP_NOIO: requests are also
 * made from resume and reset callbacks.
 */

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/usb.h>

#include "driver.h"
#include "protocol.h"

static bool pamp_gone(struct pamp_dev *d)
{
	return READ_ONCE(d->udev->state) == USB_STATE_NOTATTACHED;
}

static void pamp_assert_io(struct pamp_dev *d)
{
	lockdep_assert(lockdep_is_held(&d->io_mutex) ||
		       lockdep_is_held(&d->meters.lock));
}

/*
 * Map a failed transfer to the driver's errors. Callers log with context
 * (or return the error to user space); here it is only a debug line.
 */
static int pamp_xfer_error(struct pamp_dev *d, u8 req, int ret)
{
	if (ret == -ENODEV || ret == -ESHUTDOWN || pamp_gone(d))
		return -ENODEV;
	dev_dbg_ratelimited(d->dev, "%s: %pe\n", pamp_request_name(req),
			    ERR_PTR(ret));
	return ret;
}

static int pamp_recv(struct pamp_dev *d, u8 req, u16 value, void *data,
		     u16 len, int timeout_ms)
{
	int ret;

	pamp_assert_io(d);
	if (d->disconnected)
		return -ENODEV;
	ret = usb_control_msg_recv(d->udev, 0, req, PAMP_REQTYPE_IN, value,
				   d->ifnum, data, len, timeout_ms, GFP_NOIO);
	return ret ? pamp_xfer_error(d, req, ret) : 0;
}

static int pamp_send(struct pamp_dev *d, u8 req, u16 value, const void *data,
		     u16 len)
{
	int ret;

	pamp_assert_io(d);
	if (d->disconnected)
		return -ENODEV;
	ret = usb_control_msg_send(d->udev, 0, req, PAMP_REQTYPE_OUT, value,
				   d->ifnum, data, len, PAMP_HOST_TIMEOUT_MS,
				   GFP_NOIO);
	return ret ? pamp_xfer_error(d, req, ret) : 0;
}

int pamp_get_info(struct pamp_dev *d, struct pamp_info *info)
{
	return pamp_recv(d, PAMP_REQ_GET_INFO, 0, info, sizeof(*info),
			 PAMP_HOST_TIMEOUT_MS);
}

int pamp_get_input_info(struct pamp_dev *d, unsigned int input,
			struct pamp_input_info *info)
{
	return pamp_recv(d, PAMP_REQ_GET_INPUT_INFO, input, info,
			 sizeof(*info), PAMP_HOST_TIMEOUT_MS);
}

int pamp_get_input_state(struct pamp_dev *d, unsigned int input,
			 struct pamp_input_state *st)
{
	return pamp_recv(d, PAMP_REQ_GET_INPUT_STATE, input, st, sizeof(*st),
			 PAMP_HOST_TIMEOUT_MS);
}

int pamp_set_gain(struct pamp_dev *d, unsigned int input,
		  unsigned int gain_index)
{
	return pamp_send(d, PAMP_REQ_SET_GAIN,
			 pamp_wvalue_set_gain(input, gain_index), NULL, 0);
}

int pamp_set_switch(struct pamp_dev *d, unsigned int input, unsigned int sw,
		    bool on)
{
	return pamp_send(d, PAMP_REQ_SET_SWITCH,
			 pamp_wvalue_set_switch(input, sw, on), NULL, 0);
}

int pamp_get_meters(struct pamp_dev *d, struct pamp_meter *m, int timeout_ms)
{
	return pamp_recv(d, PAMP_REQ_GET_METERS, 0, m,
			 d->info.num_inputs * sizeof(*m), timeout_ms);
}

int pamp_get_all_state(struct pamp_dev *d, struct pamp_input_state *st)
{
	return pamp_recv(d, PAMP_REQ_GET_ALL_STATE, 0, st,
			 d->info.num_inputs * sizeof(*st),
			 PAMP_HOST_TIMEOUT_MS);
}

int pamp_set_all_state(struct pamp_dev *d, const struct pamp_set_state *st)
{
	return pamp_send(d, PAMP_REQ_SET_ALL_STATE, 0, st,
			 d->info.num_inputs * sizeof(*st));
}
