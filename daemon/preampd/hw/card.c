// SPDX-License-Identifier: MIT
/*
 * One ALSA control handle per USB sound card, subscribed to events: the
 * element list the profiles match against, reads, writes, element locks.
 * Controls that come and go (a driver that attaches late) make the card
 * match its profiles again after a short quiet time.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <alsa/asoundlib.h>
#include <alsa/control_plugin.h>

#include "card.h"
#include "log.h"
#include "util.h"

#define REMATCH_DELAY_USEC (300 * 1000)

struct card {
	sd_event *event;
	const struct card_ops *ops;
	void *userdata;
	struct usb_identity id;
	snd_ctl_t *ctl;
	sd_event_source *io;
	sd_event_source *rematch;
	struct pa_elem *elems;
	size_t n_elems;
	struct device *device;
	bool gone;
	unsigned n_writes;
	uint64_t write_usec;
};

void card_write_stats(const struct card *c, unsigned *n, uint64_t *usec)
{
	*n = c->n_writes;
	*usec = c->write_usec;
}

const struct usb_identity *card_identity(const struct card *c)
{
	return &c->id;
}

const struct pa_elem *card_elems(const struct card *c, size_t *n)
{
	*n = c->n_elems;
	return c->elems;
}

struct device *card_device(const struct card *c)
{
	return c->device;
}

void card_set_device(struct card *c, struct device *d)
{
	c->device = d;
}

void card_take_elems(struct card *c, struct pa_elem *elems, size_t n)
{
	if (elems == c->elems)
		return;
	pa_elems_free(c->elems, c->n_elems);
	c->elems = elems;
	c->n_elems = n;
}

/* ---- reading the element list ---- */

static enum pa_elem_type elem_type(snd_ctl_elem_type_t t)
{
	switch (t) {
	case SND_CTL_ELEM_TYPE_BOOLEAN:
		return PA_ELEM_BOOLEAN;
	case SND_CTL_ELEM_TYPE_INTEGER:
		return PA_ELEM_INTEGER;
	case SND_CTL_ELEM_TYPE_ENUMERATED:
		return PA_ELEM_ENUMERATED;
	default:
		return PA_ELEM_OTHER;
	}
}

static void read_db(snd_ctl_t *ctl, const snd_ctl_elem_id_t *id,
		    struct pa_elem *e)
{
	unsigned int tlv[64];
	long dmin, dmax;

	if (snd_ctl_elem_tlv_read(ctl, id, tlv, sizeof(tlv)) < 0)
		return;
	if (snd_tlv_get_dB_range(tlv, e->min, e->max, &dmin, &dmax) < 0)
		return;
	e->has_db = true;
	e->db_min = (double)dmin / 100.0;
	e->db_max = (double)dmax / 100.0;
}

/* info of one element into e; 0 or a negative errno */
static int read_info(snd_ctl_t *ctl, unsigned numid, struct pa_elem *e)
{
	snd_ctl_elem_info_t *info;
	snd_ctl_elem_id_t *id;
	int r;

	snd_ctl_elem_info_alloca(&info);
	snd_ctl_elem_id_alloca(&id);
	snd_ctl_elem_id_set_numid(id, numid);
	snd_ctl_elem_info_set_id(info, id);
	r = snd_ctl_elem_info(ctl, info);
	if (r < 0)
		return r;
	memset(e, 0, sizeof(*e));
	e->numid = numid;
	snprintf(e->name, sizeof(e->name), "%s", snd_ctl_elem_info_get_name(info));
	e->index = snd_ctl_elem_info_get_index(info);
	e->count = snd_ctl_elem_info_get_count(info);
	e->type = elem_type(snd_ctl_elem_info_get_type(info));
	e->readable = snd_ctl_elem_info_is_readable(info);
	e->writable = snd_ctl_elem_info_is_writable(info);
	e->inactive = snd_ctl_elem_info_is_inactive(info);
	if (e->type == PA_ELEM_INTEGER) {
		e->min = snd_ctl_elem_info_get_min(info);
		e->max = snd_ctl_elem_info_get_max(info);
		snd_ctl_elem_info_get_id(info, id);
		if (snd_ctl_elem_info_is_tlv_readable(info))
			read_db(ctl, id, e);
	} else if (e->type == PA_ELEM_BOOLEAN) {
		e->min = 0;
		e->max = 1;
	} else if (e->type == PA_ELEM_ENUMERATED) {
		unsigned kept;

		e->n_items = snd_ctl_elem_info_get_items(info);
		kept = e->n_items < PA_ITEMS_MAX ? e->n_items : PA_ITEMS_MAX;
		e->items = kept ? calloc(kept, sizeof(*e->items)) : NULL;
		for (unsigned i = 0; e->items && i < kept; i++) {
			snd_ctl_elem_info_set_item(info, i);
			if (snd_ctl_elem_info(ctl, info) < 0)
				break;
			snprintf(e->items[i], PA_ITEM_LEN, "%s",
				 snd_ctl_elem_info_get_item_name(info));
		}
		e->min = 0;
		e->max = e->n_items ? (long)e->n_items - 1 : 0;
	}
	return 0;
}

static void put_usb_db(void *user, const char *name, unsigned index,
		       long raw_min, long raw_max)
{
	struct card *c = user;

	for (size_t i = 0; i < c->n_elems; i++) {
		struct pa_elem *e = &c->elems[i];

		if (strcmp(e->name, name) || e->index != index)
			continue;
		e->has_usb_db = true;
		e->usb_db_min = (double)raw_min / 256.0;
		e->usb_db_max = (double)raw_max / 256.0;
	}
}

/* snd-usb-audio's usbmixer file: the device's ranges in 1/256 dB */
static void read_usbmixer(struct card *c)
{
	char path[64];
	_cleanup_free_ char *text = NULL;

	snprintf(path, sizeof(path), "/proc/asound/card%d/usbmixer",
		 c->id.card_index);
	if (pa_read_file_at(AT_FDCWD, path, 1024 * 1024, &text, NULL) < 0)
		return;
	pa_usbmixer_parse(text, put_usb_db, c);
}

static int read_elems(struct card *c)
{
	snd_ctl_elem_list_t *list;
	struct pa_elem *elems = NULL;
	unsigned n, got = 0;
	int r;

	snd_ctl_elem_list_alloca(&list);
	r = snd_ctl_elem_list(c->ctl, list);
	if (r < 0)
		return r;
	n = snd_ctl_elem_list_get_count(list);
	if (n > PA_ELEMS_MAX)
		n = PA_ELEMS_MAX;
	if (n) {
		r = snd_ctl_elem_list_alloc_space(list, n);
		if (r < 0)
			return r;
		r = snd_ctl_elem_list(c->ctl, list);
		if (r < 0) {
			snd_ctl_elem_list_free_space(list);
			return r;
		}
		elems = calloc(n, sizeof(*elems));
		if (!elems) {
			snd_ctl_elem_list_free_space(list);
			return -ENOMEM;
		}
		n = snd_ctl_elem_list_get_used(list);
		for (unsigned i = 0; i < n && i < PA_ELEMS_MAX; i++) {
			unsigned numid = snd_ctl_elem_list_get_numid(list, i);

			if (read_info(c->ctl, numid, &elems[got]) == 0)
				got++;
		}
		snd_ctl_elem_list_free_space(list);
	}
	pa_elems_free(c->elems, c->n_elems);
	c->elems = elems;
	c->n_elems = got;
	read_usbmixer(c);
	return 0;
}

static int find_numid(const struct card *c, unsigned numid)
{
	for (size_t i = 0; i < c->n_elems; i++)
		if (c->elems[i].numid == numid)
			return (int)i;
	return -1;
}

/* ---- matching, at start and when controls come and go ---- */

static int on_rematch(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct card *c = userdata;
	struct pa_elem *old = c->elems, *fresh;	/* the device's references are into old */
	size_t n_old = c->n_elems, n_fresh;
	int r;

	(void)s;
	(void)usec;
	c->rematch = sd_event_source_unref(c->rematch);
	if (c->gone)
		return 0;
	c->elems = NULL;
	c->n_elems = 0;
	r = read_elems(c);
	fresh = c->elems;
	n_fresh = c->n_elems;
	c->elems = old;
	c->n_elems = n_old;
	if (r < 0) {
		log_warning("card %d: cannot list its controls: %s",
			    c->id.card_index, snd_strerror(r));
		pa_elems_free(fresh, n_fresh);
		return 0;
	}
	c->ops->relisted(c->userdata, c, fresh, n_fresh);
	if (c->elems != fresh)
		pa_elems_free(fresh, n_fresh);
	return 0;
}

static void schedule_rematch(struct card *c)
{
	uint64_t now;

	if (sd_event_now(c->event, CLOCK_MONOTONIC, &now) < 0)
		return;
	if (c->rematch) {
		sd_event_source_set_time(c->rematch, now + REMATCH_DELAY_USEC);
		sd_event_source_set_enabled(c->rematch, SD_EVENT_ONESHOT);
		return;
	}
	sd_event_add_time(c->event, &c->rematch, CLOCK_MONOTONIC,
			  now + REMATCH_DELAY_USEC, 0, on_rematch, c);
}

/* ---- events ---- */

static void handle_event(struct card *c, unsigned mask, unsigned numid)
{
	int e;

	if (mask == SND_CTL_EVENT_MASK_REMOVE) {
		schedule_rematch(c);
		return;
	}
	if (mask & SND_CTL_EVENT_MASK_ADD) {
		schedule_rematch(c);
		return;
	}
	e = find_numid(c, numid);
	if (e < 0)
		return;
	if (mask & SND_CTL_EVENT_MASK_INFO) {
		struct pa_elem fresh;

		if (read_info(c->ctl, numid, &fresh) == 0) {
			/* keep what matching derived; take the flags */
			c->elems[e].inactive = fresh.inactive;
			c->elems[e].writable = fresh.writable;
			free(fresh.items);
		}
	}
	if (mask & (SND_CTL_EVENT_MASK_VALUE | SND_CTL_EVENT_MASK_INFO))
		c->ops->changed(c->userdata, c, e,
				(mask & SND_CTL_EVENT_MASK_INFO) != 0);
}

static int on_ctl_io(sd_event_source *s, int fd, uint32_t revents,
		     void *userdata)
{
	struct card *c = userdata;
	snd_ctl_event_t *ev;
	int r, budget = 4096;

	(void)s;
	(void)fd;
	snd_ctl_event_alloca(&ev);
	while (budget-- > 0) {
		r = snd_ctl_read(c->ctl, ev);
		if (r == 0 || r == -EAGAIN)
			break;
		if (r < 0) {
			if (r != -ENODEV)
				log_warning("card %d: reading its events failed: %s",
					    c->id.card_index, snd_strerror(r));
			card_gone(c);
			return 0;
		}
		if (snd_ctl_event_get_type(ev) != SND_CTL_EVENT_ELEM)
			continue;
		handle_event(c, snd_ctl_event_elem_get_mask(ev),
			     snd_ctl_event_elem_get_numid(ev));
		if (c->gone)
			return 0;
	}
	if ((revents & (EPOLLERR | EPOLLHUP)) && !c->gone) {
		log_debug("card %d: its control device hung up",
			  c->id.card_index);
		card_gone(c);
	}
	return 0;
}

/* ---- life cycle ---- */

int card_new(sd_event *e, const struct usb_identity *id,
	     const struct card_ops *ops, void *userdata, struct card **out)
{
	struct card *c;
	char name[32];
	struct pollfd pfd;
	int r;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->event = e;
	c->ops = ops;
	c->userdata = userdata;
	c->id = *id;
	snprintf(name, sizeof(name), "hw:%d", id->card_index);
	/*
	 * The hw plugin directly: a card index needs none of alsa.conf, whose
	 * parsed tree alsa-lib would otherwise keep for the daemon's life.
	 */
	r = snd_ctl_hw_open(&c->ctl, name, id->card_index, SND_CTL_NONBLOCK);
	if (r < 0) {
		log_warning("card %d (%s): cannot open its controls: %s",
			    id->card_index, id->card_id, snd_strerror(r));
		free(c);
		return r;
	}
	r = snd_ctl_subscribe_events(c->ctl, 1);
	if (r >= 0 && snd_ctl_poll_descriptors(c->ctl, &pfd, 1) != 1)
		r = -EIO;
	if (r >= 0)
		r = sd_event_add_io(e, &c->io, pfd.fd, EPOLLIN,
				    on_ctl_io, c);
	if (r >= 0)
		r = read_elems(c);
	if (r < 0) {
		log_warning("card %d (%s): cannot watch its controls: %s",
			    id->card_index, id->card_id, strerror(-r));
		card_free(c);
		return r;
	}
	log_debug("card %d (%s, %04x:%04x): %zu controls", id->card_index,
		  id->card_id, id->vid, id->pid, c->n_elems);
	*out = c;
	c->ops->listed(c->userdata, c);
	return 0;
}

void card_gone(struct card *c)
{
	if (c->gone)
		return;
	c->gone = true;
	if (c->device)
		c->ops->gone(c->userdata, c);
	c->io = sd_event_source_disable_unref(c->io);
	c->rematch = sd_event_source_disable_unref(c->rematch);
	if (c->ctl) {
		snd_ctl_close(c->ctl);
		c->ctl = NULL;
	}
}

void card_free(struct card *c)
{
	if (!c)
		return;
	card_gone(c);
	pa_elems_free(c->elems, c->n_elems);
	free(c);
}

/* ---- values ---- */

static int elem_value(struct card *c, int elem, snd_ctl_elem_value_t *v)
{
	if (c->gone || !c->ctl)
		return -ENODEV;
	if (elem < 0 || (size_t)elem >= c->n_elems)
		return -EINVAL;
	snd_ctl_elem_value_set_numid(v, c->elems[elem].numid);
	return snd_ctl_elem_read(c->ctl, v);
}

int card_read(struct card *c, int elem, unsigned channel, long *value)
{
	snd_ctl_elem_value_t *v;
	int r;

	snd_ctl_elem_value_alloca(&v);
	r = elem_value(c, elem, v);
	if (r < 0)
		return r;
	if (channel >= c->elems[elem].count)
		return -EINVAL;
	switch (c->elems[elem].type) {
	case PA_ELEM_BOOLEAN:
		*value = snd_ctl_elem_value_get_boolean(v, channel);
		break;
	case PA_ELEM_INTEGER:
		*value = snd_ctl_elem_value_get_integer(v, channel);
		break;
	case PA_ELEM_ENUMERATED:
		*value = snd_ctl_elem_value_get_enumerated(v, channel);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

int card_write(struct card *c, int elem, unsigned channel, long value)
{
	snd_ctl_elem_value_t *v;
	const struct pa_elem *e;
	uint64_t t0;
	int r;

	if (c->gone || !c->ctl)
		return -ENODEV;
	if (elem < 0 || (size_t)elem >= c->n_elems)
		return -EINVAL;
	e = &c->elems[elem];
	if (channel >= e->count || value < e->min || value > e->max)
		return -EINVAL;
	snd_ctl_elem_value_alloca(&v);
	if (e->count > 1) {
		r = elem_value(c, elem, v);	/* the other channels stay */
		if (r < 0)
			return r;
	} else {
		snd_ctl_elem_value_set_numid(v, e->numid);
	}
	switch (e->type) {
	case PA_ELEM_BOOLEAN:
		snd_ctl_elem_value_set_boolean(v, channel, value);
		break;
	case PA_ELEM_INTEGER:
		snd_ctl_elem_value_set_integer(v, channel, value);
		break;
	case PA_ELEM_ENUMERATED:
		snd_ctl_elem_value_set_enumerated(v, channel, (unsigned)value);
		break;
	default:
		return -EINVAL;
	}
	t0 = pa_clock_usec(CLOCK_MONOTONIC);
	r = snd_ctl_elem_write(c->ctl, v);
	c->write_usec += pa_clock_usec(CLOCK_MONOTONIC) - t0;
	c->n_writes++;
	return r < 0 ? r : 0;
}

int card_lock(struct card *c, unsigned numid, bool lock)
{
	snd_ctl_elem_id_t *id;
	int r;

	if (c->gone || !c->ctl)
		return -ENODEV;
	if (find_numid(c, numid) < 0)
		return -ENOENT;
	snd_ctl_elem_id_alloca(&id);
	snd_ctl_elem_id_set_numid(id, numid);
	r = lock ? snd_ctl_elem_lock(c->ctl, id) : snd_ctl_elem_unlock(c->ctl, id);
	/* locking what we hold already is fine */
	if (lock && r == -EBUSY)
		return -EBUSY;
	return r < 0 ? r : 0;
}

bool card_inactive(const struct card *c, int elem)
{
	if (elem < 0 || (size_t)elem >= c->n_elems)
		return false;
	return c->elems[elem].inactive;
}
