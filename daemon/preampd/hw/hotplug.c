// SPDX-License-Identifier: MIT
/*
 * Which USB sound cards exist and who they are: coldplug enumeration at
 * start, then udev's processed events. A card counts once udev has
 * finished with its control device: the control device's "add" event
 * comes out of udev after its rules and RUN programs (the node's group,
 * the user's ACL, alsactl's restore where it runs) are done. At start,
 * and after lost events, a card counts once udev has set it up completely
 * (SOUND_INITIALIZED, the "change" event that 78-sound-card rules raise
 * on the card from its control device's "add"); that event is also taken,
 * and a card already held, from the same plug-in, is not identified again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libudev.h>

#include "devkey.h"
#include "hotplug.h"
#include "log.h"
#include "util.h"

#define RECEIVE_BUFFER (4 * 1024 * 1024)

static bool is_control(struct udev_device *dev)
{
	const char *s = udev_device_get_sysname(dev);

	return s && !strncmp(s, "controlC", 8) && s[8] >= '0' && s[8] <= '9';
}

static bool initialized(struct udev_device *dev);
static void card_appeared(struct hotplug *h, struct udev_device *dev,
			  struct udev_device *ctl, bool at_start);
static void forget_card(struct hotplug *h, const char *syspath,
			const char *sysname);

struct hotplug {
	const struct hotplug_ops *ops;
	void *userdata;
	struct udev *udev;
	struct udev_monitor *mon;
	sd_event_source *src;
};

static int parse_hex16(const char *s, uint16_t *out)
{
	unsigned v;
	char extra;

	if (!s || strlen(s) != 4 || sscanf(s, "%4x%c", &v, &extra) != 1)
		return -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

/* This plug-in of the card: udev's first-seen time, kept across change
 * events and udev restarts, new at every plug-in; 0 when udev has none.
 * An event carries it; a device looked up in sysfs has it from udev's
 * database. */
static uint64_t usec_initialized(struct udev_device *dev)
{
	const char *v = udev_device_get_property_value(dev, "USEC_INITIALIZED");
	unsigned long long usec;
	char *end;

	if (!v || *v < '0' || *v > '9')
		return 0;
	errno = 0;
	usec = strtoull(v, &end, 10);
	return errno || *end ? 0 : (uint64_t)usec;
}

/* The identity of a card whose parent is a USB device; -ENODEV if it is
 * not on USB (quietly ignored). ctl: its control device, when the card
 * comes with its "add" (the card has no ID_PATH before SOUND_INITIALIZED;
 * the control device has the same), or NULL. */
static int identify(struct udev_device *dev, struct udev_device *ctl,
		    struct usb_identity *id)
{
	struct udev_device *usb;
	const char *v, *syspath = udev_device_get_syspath(dev);
	const char *sysname = udev_device_get_sysname(dev);
	unsigned long idx;

	memset(id, 0, sizeof(*id));
	usb = udev_device_get_parent_with_subsystem_devtype(dev, "usb",
							    "usb_device");
	if (!usb)
		return -ENODEV;
	if (parse_hex16(udev_device_get_sysattr_value(usb, "idVendor"), &id->vid) < 0 ||
	    parse_hex16(udev_device_get_sysattr_value(usb, "idProduct"), &id->pid) < 0)
		return -EINVAL;
	if (strncmp(sysname, "card", 4) ||
	    pa_parse_uint(sysname + 4, 0, 255, &idx) < 0)
		return -EINVAL;
	id->card_index = (int)idx;
	snprintf(id->card_sysname, sizeof(id->card_sysname), "%s", sysname);
	if (strlen(syspath) >= sizeof(id->card_syspath) ||
	    strlen(udev_device_get_syspath(usb)) >= sizeof(id->usb_syspath))
		return -ENAMETOOLONG;
	snprintf(id->usb_syspath, sizeof(id->usb_syspath), "%s",
		 udev_device_get_syspath(usb));
	snprintf(id->card_syspath, sizeof(id->card_syspath), "%s", syspath);

	/* the whole string: two serials that differ only at its end are
	 * two devices (a longer one than the kernel gives is cut, and the
	 * device key still hashes what was read) */
	v = udev_device_get_sysattr_value(usb, "serial");
	if (v) {
		id->serial_len = strnlen(v, sizeof(id->serial) - 1);
		memcpy(id->serial, v, id->serial_len);
	}
	v = udev_device_get_sysattr_value(usb, "product");
	snprintf(id->product, sizeof(id->product), "%s", v ? v : "");
	v = udev_device_get_sysattr_value(dev, "id");
	snprintf(id->card_id, sizeof(id->card_id), "%s", v ? v : "");

	/* the USB device's path: the card's ID_PATH without its interface */
	v = udev_device_get_property_value(ctl ? ctl : dev, "ID_PATH");
	if (!v || pa_usb_path_of_card(v, id->usb_path, sizeof(id->usb_path)) < 0)
		snprintf(id->usb_path, sizeof(id->usb_path), "usb-%s",
			 udev_device_get_sysname(usb));

	id->usec_initialized = usec_initialized(dev);
	return 0;
}

static void card_appeared(struct hotplug *h, struct udev_device *dev,
			  struct udev_device *ctl, bool at_start)
{
	uint64_t heard = pa_clock_usec(CLOCK_MONOTONIC);
	uint64_t cpu = pa_clock_usec(CLOCK_THREAD_CPUTIME_ID);
	struct usb_identity id;
	int r;

	r = identify(dev, ctl, &id);
	id.coldplug = at_start;
	id.usec_heard = heard;
	id.cpu_usec_heard = cpu;
	if (r == -ENODEV)
		return;	/* not a USB card */
	if (r < 0) {
		log_warning("%s: cannot identify its USB device: %s",
			    udev_device_get_syspath(dev), strerror(-r));
		return;
	}
	h->ops->plugged(h->userdata, &id);
}

static void forget_card(struct hotplug *h, const char *syspath,
			const char *sysname)
{
	h->ops->unplugged(h->userdata, syspath, sysname);
}

static void card_removed(struct hotplug *h, struct udev_device *dev)
{
	forget_card(h, udev_device_get_syspath(dev),
		    udev_device_get_sysname(dev));
}

static bool is_card(struct udev_device *dev)
{
	const char *s = udev_device_get_sysname(dev);

	return s && !strncmp(s, "card", 4) && s[4] >= '0' && s[4] <= '9';
}

static bool initialized(struct udev_device *dev)
{
	const char *v = udev_device_get_property_value(dev, "SOUND_INITIALIZED");

	return v && !strcmp(v, "1");
}

/* The sound cards udev has set up now, as a list of syspaths; NULL when
 * udev cannot be asked. */
static struct udev_enumerate *enumerate(struct hotplug *h)
{
	struct udev_enumerate *e = udev_enumerate_new(h->udev);

	if (!e)
		return NULL;
	udev_enumerate_add_match_subsystem(e, "sound");
	udev_enumerate_add_match_sysname(e, "card[0-9]*");
	if (udev_enumerate_scan_devices(e) < 0) {
		udev_enumerate_unref(e);
		return NULL;
	}
	return e;
}

static bool listed(struct udev_enumerate *e, const char *syspath)
{
	struct udev_list_entry *l;

	udev_list_entry_foreach(l, udev_enumerate_get_list_entry(e))
		if (!strcmp(udev_list_entry_get_name(l), syspath))
			return true;
	return false;
}

/* Takes every card of the list that udev has set up; one udev has not
 * finished with comes as an event. */
static void take_listed(struct hotplug *h, struct udev_enumerate *e,
			bool at_start)
{
	struct udev_list_entry *l;

	udev_list_entry_foreach(l, udev_enumerate_get_list_entry(e)) {
		struct udev_device *dev = udev_device_new_from_syspath(
			h->udev, udev_list_entry_get_name(l));

		if (!dev)
			continue;
		if (udev_device_get_is_initialized(dev) > 0 && initialized(dev))
			card_appeared(h, dev, NULL, at_start);
		udev_device_unref(dev);
	}
}

/* After lost events: cards that are gone go, cards that came (or came
 * again: a new initialization time) are taken as plugged in. */
static void resync(struct hotplug *h)
{
	struct udev_enumerate *e = enumerate(h);
	size_t n = 0;

	if (!e)
		return;
	while (h->ops->held(h->userdata, n))
		n++;
	/* from the last: forgetting a card moves only those after it */
	for (size_t i = n; i-- > 0;) {
		char syspath[sizeof(((struct usb_identity *)0)->card_syspath)];
		struct udev_device *dev;
		const char *held = h->ops->held(h->userdata, i);

		if (!held)
			continue;
		snprintf(syspath, sizeof(syspath), "%s", held);
		if (listed(e, syspath))
			continue;
		dev = udev_device_new_from_syspath(h->udev, syspath);
		if (dev) {
			udev_device_unref(dev);
			continue;	/* still there, between events */
		}
		log_info("%s: removed while events were lost", syspath);
		forget_card(h, syspath, strrchr(syspath, '/') + 1);
	}
	take_listed(h, e, false);
	udev_enumerate_unref(e);
}

static void coldplug(struct hotplug *h)
{
	struct udev_enumerate *e = enumerate(h);

	if (!e)
		return;
	take_listed(h, e, true);
	udev_enumerate_unref(e);
}

static int on_udev(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct hotplug *h = userdata;
	struct udev_device *dev;
	const char *action;

	(void)s;
	(void)fd;
	(void)revents;
	for (errno = 0; (dev = udev_monitor_receive_device(h->mon)); errno = 0) {
		action = udev_device_get_action(dev);
		if (!action) {
			/* nothing to do */
		} else if (is_control(dev) && !strcmp(action, "add")) {
			/* the parent belongs to dev */
			struct udev_device *card = udev_device_get_parent(dev);

			if (card && is_card(card))
				card_appeared(h, card, dev, false);
		} else if (is_card(dev)) {
			if (!strcmp(action, "remove"))
				card_removed(h, dev);
			else if ((!strcmp(action, "change") ||
				  !strcmp(action, "add")) && initialized(dev) &&
				 !h->ops->holds(h->userdata,
						udev_device_get_syspath(dev),
						usec_initialized(dev)))
				card_appeared(h, dev, NULL, false);
		}
		udev_device_unref(dev);
	}
	if (errno == ENOBUFS) {
		/* the kernel dropped events (a burst): a remove among them
		 * would leave a card behind, an add a card unseen */
		log_warning("udev events were lost (the receive buffer overflowed): looking at every card again");
		resync(h);
	}
	return 0;
}

int hotplug_start(sd_event *e, const struct hotplug_ops *ops, void *userdata,
		  struct hotplug **out)
{
	struct hotplug *h;
	int r;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->ops = ops;
	h->userdata = userdata;
	h->udev = udev_new();
	if (!h->udev) {
		free(h);
		return -ENOMEM;
	}
	h->mon = udev_monitor_new_from_netlink(h->udev, "udev");
	if (!h->mon) {
		hotplug_free(h);
		return -EIO;
	}
	r = udev_monitor_filter_add_match_subsystem_devtype(h->mon, "sound",
							    NULL);
	/* a burst (a hub with several interfaces, udevadm trigger) must not
	 * overflow it; without CAP_NET_ADMIN the kernel caps the size at
	 * net.core.rmem_max, and an overflow is recovered (resync()) */
	if (r >= 0 && udev_monitor_set_receive_buffer_size(h->mon,
							   RECEIVE_BUFFER) < 0)
		log_debug("udev monitor: the receive buffer keeps its size");
	if (r >= 0)
		r = udev_monitor_enable_receiving(h->mon);
	if (r >= 0)
		r = sd_event_add_io(e, &h->src,
				    udev_monitor_get_fd(h->mon), EPOLLIN,
				    on_udev, h);
	if (r < 0) {
		hotplug_free(h);
		return r;
	}
	*out = h;
	/* after the monitor is on: no card falls between the two */
	coldplug(h);
	return 0;
}

void hotplug_free(struct hotplug *h)
{
	if (!h)
		return;
	sd_event_source_disable_unref(h->src);
	udev_monitor_unref(h->mon);
	udev_unref(h->udev);
	free(h);
}
