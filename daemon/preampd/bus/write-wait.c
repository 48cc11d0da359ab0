// SPDX-License-Identifier: MIT
/*
 * A D-Bus call whose control write failed in a way the device may have
 * applied late (write-verdict.h): the call is answered once the control
 * holds the value written, read again every PA_WRITE_REREAD_MS on the
 * event loop (the driver raises a VALUE event when it reads a late value
 * back; a re-read sees it either way), or with the write's error after
 * PA_WRITE_LATE_MS.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "preampd.h"
#include "write-verdict.h"

struct write_wait {
	struct manager *m;
	struct write_wait *next;
	sd_bus_message *call;
	sd_event_source *timer;
	char path[PA_PATH_LEN];		/* the input, looked up at each read */
	enum pa_fn fn;
	long raw;
	int write_err;
	enum pa_write_reply reply;
	char what[64];
	uint64_t deadline_usec;		/* CLOCK_MONOTONIC */
};

static uint64_t now_usec(struct manager *m)
{
	uint64_t t = 0;

	sd_event_now(m->event, CLOCK_MONOTONIC, &t);
	return t;
}

static int reply_done(sd_bus_message *call, struct input *in,
		      enum pa_write_reply reply)
{
	if (reply == PA_REPLY_GAIN)
		return sd_bus_reply_method_return(call, "d", input_live(in)->gain_db);
	return sd_bus_reply_method_return(call, NULL);
}

static int set_failed(sd_bus_error *err, int write_err, int read_err,
		      const char *what)
{
	if (read_err == -ENODEV)
		return pa_bus_error_from_errno(err, -ENODEV, what);
	if (!pa_write_maybe_late(write_err))
		return pa_bus_error_from_errno(err, write_err, what);
	return sd_bus_error_setf(err, PA_ERR_IO,
				 "The device did not confirm %s within %d s (%s).",
				 what, PA_WRITE_LATE_MS / 1000, strerror(-write_err));
}

/* Reads the control back: the verdict, and the input when it is there. */
static enum pa_write_verdict judge(struct manager *m, const char *path,
				   enum pa_fn fn, long raw, int write_err,
				   bool expired, struct input **in_out,
				   int *read_err)
{
	struct input *in = manager_input_by_path(m, path);
	const struct pa_ref *ref;
	long v = 0;

	*in_out = in;
	if (!in) {
		*read_err = -ENODEV;
		return PA_WRITE_FAILED;
	}
	ref = &input_map(in)->ref[fn];
	*read_err = card_read(device_card(input_device(in)), ref->elem,
			      ref->channel, &v);
	return pa_write_verdict(write_err, *read_err, v, raw, expired);
}

static void wait_free(struct write_wait *w)
{
	struct write_wait **p;

	for (p = &w->m->write_waits; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			break;
		}
	sd_event_source_disable_unref(w->timer);
	sd_bus_message_unref(w->call);
	free(w);
}

static int on_reread(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct write_wait *w = userdata;
	sd_bus_error err = SD_BUS_ERROR_NULL;
	struct input *in;
	int read_err;

	(void)usec;
	switch (judge(w->m, w->path, w->fn, w->raw, w->write_err,
		      now_usec(w->m) >= w->deadline_usec, &in, &read_err)) {
	case PA_WRITE_WAIT:
		sd_event_source_set_time_relative(s, PA_WRITE_REREAD_MS * 1000ULL);
		sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
		return 0;
	case PA_WRITE_DONE:
		/* announce and save it as any change */
		device_elem_changed(input_device(in), input_map(in)->ref[w->fn].elem,
				    false);
		log_info("%s: %s: the device confirmed it after the driver's timeout",
			 w->path, w->what);
		reply_done(w->call, in, w->reply);
		break;
	case PA_WRITE_FAILED:
		set_failed(&err, w->write_err, read_err, w->what);
		log_warning("%s: %s", w->path, err.message);
		sd_bus_reply_method_error(w->call, &err);
		sd_bus_error_free(&err);
		break;
	}
	wait_free(w);
	return 0;
}

int write_wait_start(struct manager *m, sd_bus_message *call, struct input *in,
		     enum pa_fn fn, long raw, int write_err,
		     enum pa_write_reply reply, const char *what,
		     sd_bus_error *err)
{
	struct write_wait *w;
	struct input *now_in;
	int read_err, r;

	switch (judge(m, input_path(in), fn, raw, write_err, false, &now_in,
		      &read_err)) {
	case PA_WRITE_DONE:
		log_info("%s: %s: the driver reported %s, but the device has it",
			 input_path(in), what, strerror(-write_err));
		return reply_done(call, now_in, reply);
	case PA_WRITE_FAILED:
		return set_failed(err, write_err, read_err, what);
	case PA_WRITE_WAIT:
		break;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return set_failed(err, write_err, 0, what);
	w->m = m;
	w->call = sd_bus_message_ref(call);
	snprintf(w->path, sizeof(w->path), "%s", input_path(in));
	w->fn = fn;
	w->raw = raw;
	w->write_err = write_err;
	w->reply = reply;
	snprintf(w->what, sizeof(w->what), "%s", what);
	w->deadline_usec = now_usec(m) + PA_WRITE_LATE_MS * 1000ULL;
	r = sd_event_add_time_relative(m->event, &w->timer, CLOCK_MONOTONIC,
				       PA_WRITE_REREAD_MS * 1000ULL, 1000,
				       on_reread, w);
	if (r < 0) {
		sd_bus_message_unref(w->call);
		free(w);
		return set_failed(err, write_err, 0, what);
	}
	w->next = m->write_waits;
	m->write_waits = w;
	log_info("%s: %s: %s; waiting up to %d s for the device's value",
		 input_path(in), what, strerror(-write_err), PA_WRITE_LATE_MS / 1000);
	return 0;
}

void write_wait_cancel_all(struct manager *m)
{
	while (m->write_waits)
		wait_free(m->write_waits);
}
