/* SPDX-License-Identifier: MIT */
/*
 * A level meter from the card's capture stream, for inputs that have a
 * gain but no meter: the stream is open only while AutoGain listens,
 * non-blocking and fd-based so that it runs in the daemon's sd-event loop.
 * Input N is channel N - 1 of the card's first capture device (hw:CARD,0),
 * in the format, rate and channels the device offers (S16_LE, S32_LE or
 * S24_3LE; 48 kHz where it can; the number of inputs where it can).
 */
#ifndef PREAMPD_LEVELS_PCM_H
#define PREAMPD_LEVELS_PCM_H

#include <stddef.h>
#include <stdint.h>

#include "levels.h"

struct lv_pcm;

/*
 * Opens hw:card,0 for capture and starts it. -EBUSY with err "another
 * program is recording from hw:N,0" when the device is taken (the daemon
 * answers Error.Busy); other negative errnos with a sentence in err.
 */
int lv_pcm_open(int card, unsigned want_channels, struct lv_pcm **out,
		char *err, size_t errlen);
void lv_pcm_close(struct lv_pcm *p);

/* The one descriptor to watch and its poll events, as epoll takes them
 * (POLLIN, POLLERR, ... have the values of EPOLLIN, EPOLLERR, ...). */
int lv_pcm_fd(const struct lv_pcm *p, int *fd, unsigned *events);
/*
 * The descriptor is ready (revents as sd-event reports them): reads every
 * frame available into the meter. Returns the frames read; an overrun is
 * recovered (the stream restarts; lv_pcm_overruns() counts them).
 * -ENODEV once the card is gone; other negative errnos from alsa-lib.
 */
long lv_pcm_read(struct lv_pcm *p, unsigned revents);

/* the peaks since last taken, per channel (levels.h) */
struct lv_pcm_meter *lv_pcm_meter(struct lv_pcm *p);
unsigned lv_pcm_channels(const struct lv_pcm *p);
unsigned lv_pcm_rate(const struct lv_pcm *p);
/* the buffer: what may still be waiting from before a change (AutoGain's
 * settle_ms for this stream) */
unsigned lv_pcm_buffer_ms(const struct lv_pcm *p);
/* one period: the audio of one reading (AutoGain's meter_window_ms) */
unsigned lv_pcm_period_ms(const struct lv_pcm *p);
unsigned long lv_pcm_overruns(const struct lv_pcm *p);
/*
 * When the last frame read was captured (CLOCK_MONOTONIC, microseconds),
 * from the stream's own count of frames since it started: a stream that
 * comes late (an interface on a busy USB/IP host delivers what it owes at
 * once) still tells what was captured before a change from what came
 * after. Never later than now.
 */
uint64_t lv_pcm_heard_until_usec(const struct lv_pcm *p);

#endif
