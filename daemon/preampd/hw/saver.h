/* SPDX-License-Identifier: MIT */
/*
 * Durable writes off the event loop. A state file is written atomically
 * and fsync'ed twice (the file, then its directory), which on a real disk
 * takes milliseconds to seconds: a worker thread does it, so that no
 * D-Bus call waits for a disk. The loop hands over the bytes and hears
 * back through an eventfd; writes of one name are done in the order they
 * were handed over, and one still waiting is replaced by a newer one.
 */
#ifndef PREAMPD_SAVER_H
#define PREAMPD_SAVER_H

#include <stddef.h>
#include <sys/types.h>
#include <systemd/sd-event.h>

struct saver;

/* called on the loop once name was written (r == 0) or failed (-errno) */
typedef void (*saver_done_t)(void *userdata, const char *name, int r);

int saver_new(sd_event *event, int dirfd, saver_done_t done, void *userdata,
	      struct saver **out);

/* Queues dirfd/name := data[0..len) with mode; takes data (malloc'ed)
 * whatever the outcome. -ENAMETOOLONG, -ENOMEM. */
int saver_write(struct saver *s, const char *name, char *data, size_t len,
		mode_t mode);

/* Waits until everything queued is on the disk (at exit), then reports
 * it. */
void saver_drain(struct saver *s);

/* Drains, stops the thread, frees. */
void saver_free(struct saver *s);

#endif
