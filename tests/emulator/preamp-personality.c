// SPDX-License-Identifier: MIT
/*
 * preamp-emu's own interface as a personality: the device model of
 * model.c, the descriptors of descriptors.c, the command language of ctl.c.
 * Its class requests are the UAC2 clock's; its vendor requests on the
 * Preamp Control interface are the protocol's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "descriptors.h"
#include "model.h"
#include "modelfile.h"
#include "personalities.h"
#include "usbdesc.h"

#define TYPE_MASK	0x60
#define TYPE_CLASS	0x20
#define TYPE_VENDOR	0x40
#define RECIP_MASK	0x1f
#define RECIP_INTF	0x01

struct preamp_dev {
	struct emu_desc desc;
	struct emu_usb_desc usb;
	struct emu_usb_layout layout;
	struct emu_dev dev;
};

static int pp_string(void *dev, unsigned int index, uint8_t *buf, size_t cap)
{
	struct preamp_dev *pd = dev;

	return emu_usb_string(&pd->usb, index, buf, cap);
}

static void pp_power_on(void *dev, uint64_t now_ns)
{
	emu_dev_power_on(&((struct preamp_dev *)dev)->dev, now_ns);
}

static void pp_power_off(void *dev)
{
	emu_dev_power_off(&((struct preamp_dev *)dev)->dev);
}

static struct emu_xfer pp_control(void *dev, const struct emu_setup *st,
				  uint8_t *buf, size_t cap, uint64_t now_ns)
{
	struct preamp_dev *pd = dev;
	const struct emu_usb_desc *u = &pd->usb;
	struct emu_xfer x = { .status = -EPIPE };
	struct emu_reply r;

	if ((st->type & TYPE_MASK) == TYPE_CLASS &&
	    (st->type & RECIP_MASK) == RECIP_INTF && u->audio &&
	    (st->index & 0xff) == u->ac_intf &&
	    (st->index >> 8) == EMU_UAC_CLOCK_ID) {
		x.status = ud_clock_request(st, buf, cap, &x.len);
		return x;
	}
	if ((st->type & TYPE_MASK) != TYPE_VENDOR ||
	    (st->type & RECIP_MASK) != RECIP_INTF || st->index != u->ctl_intf)
		return x;
	r = emu_dev_request(&pd->dev, st->type, st->request, st->value,
			    st->length, buf, cap, now_ns);
	x.status = r.status ? -EPIPE : 0;
	x.len = r.len;
	x.delay_ms = r.delay_ms;
	x.disconnect = r.disconnect;
	x.device = true;
	x.name = emu_request_name(st->request);
	return x;
}

static ssize_t pp_notification(void *dev, uint8_t *out, size_t cap,
			       uint64_t now_ns, uint64_t *next_ns)
{
	uint8_t buf[8];
	ssize_t n;

	n = emu_dev_notification(&((struct preamp_dev *)dev)->dev, buf, now_ns,
				 next_ns);
	if (n < 0)
		return n;
	if ((size_t)n > cap)
		n = (ssize_t)cap;
	memcpy(out, buf, (size_t)n);
	return n;
}

static uint64_t pp_stream_start(void *dev, uint64_t now_ns)
{
	struct preamp_dev *pd = dev;

	emu_dev_catch_up(&pd->dev, now_ns);
	return pd->dev.tl.frames;
}

static void pp_capture(void *dev, uint64_t *pos, int16_t *out, size_t frames,
		       uint64_t now_ns)
{
	emu_dev_capture(&((struct preamp_dev *)dev)->dev, pos, out, frames,
			now_ns);
}

static void pp_tick(void *dev, uint64_t now_ns)
{
	emu_dev_catch_up(&((struct preamp_dev *)dev)->dev, now_ns);
}

static int pp_ctl(void *dev, const struct emu_ctl_env *env, const char *line,
		  uint64_t now_ns, char *out, size_t out_size)
{
	struct preamp_dev *pd = dev;
	struct emu_ctl ctl = { &pd->dev, env->stats, env->hooks };

	return emu_ctl_exec(&ctl, line, now_ns, out, out_size);
}

static void pp_free(void *dev)
{
	free(dev);
}

static const struct emu_personality_ops preamp_ops = {
	.string = pp_string,
	.power_on = pp_power_on,
	.power_off = pp_power_off,
	.control = pp_control,
	.notification = pp_notification,
	.stream_start = pp_stream_start,
	.capture = pp_capture,
	.tick = pp_tick,
	.ctl = pp_ctl,
	.free = pp_free,
};

static void make_layout(struct preamp_dev *pd)
{
	const struct emu_usb_desc *u = &pd->usb;
	struct emu_usb_layout *l = &pd->layout;
	unsigned int i;

	l->vendor_id = u->vendor_id;
	l->product_id = u->product_id;
	l->bcd_device = u->bcd_device;
	l->dev_class = u->dev_class;
	l->dev_subclass = u->dev_subclass;
	l->dev_protocol = u->dev_protocol;
	l->device = u->device;
	l->config = u->config;
	l->config_len = u->config_len;
	l->num_interfaces = u->num_interfaces;
	for (i = 0; i < u->num_interfaces && i < EMU_LAYOUT_MAX_INTF; i++) {
		l->intf[i].cls = u->intf[i].cls;
		l->intf[i].subclass = u->intf[i].subclass;
		l->intf[i].protocol = u->intf[i].protocol;
	}
	l->as_intf = u->audio ? u->as_intf : EMU_LAYOUT_NO_INTF;
	l->iso_ep = u->iso_ep;
	l->channels = u->channels;
	l->iso_frame_bytes = u->iso_frame_bytes;
	l->int_ep = u->int_ep;
}

int preamp_personality_load(const char *path, const char *serial,
			    struct emu_personality *p, char *err, size_t errlen)
{
	struct preamp_dev *pd = calloc(1, sizeof(*pd));

	if (!pd) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (emu_desc_load(path, &pd->desc, err, errlen) < 0) {
		if (!err[0])
			snprintf(err, errlen, "%s: cannot load the model", path);
		goto fail;
	}
	if (serial) {
		if (emu_serial_check(serial, sizeof(pd->desc.serial) - 1, err,
				     errlen) < 0)
			goto fail;
		strcpy(pd->desc.serial, serial);
	}
	if (emu_usb_desc_build(&pd->usb, &pd->desc) < 0) {
		snprintf(err, errlen, "%s: the model cannot be described as a USB device",
			 path);
		goto fail;
	}
	make_layout(pd);
	emu_dev_init(&pd->dev, &pd->desc);
	p->kind = "preamp";
	snprintf(p->name, sizeof(p->name), "%s (%u inputs%s)", pd->desc.name,
		 pd->desc.num_inputs, pd->desc.audio ? ", audio" : "");
	p->usb = &pd->layout;
	p->ops = &preamp_ops;
	p->dev = pd;
	return 0;
fail:
	free(pd);
	return -1;
}
