// SPDX-License-Identifier: MIT
/* The capture stream as a level meter (levels-pcm.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <alsa/asoundlib.h>
#include <alsa/pcm_plugin.h>

#include "levels-pcm.h"
#include "util.h"

#define PCM_RATE	48000u
#define PCM_PERIOD_US	20000u
#define PCM_BUFFER_US	500000u	/* a daemon delayed this long loses nothing */
#define READ_BUDGET	64	/* reads per wake-up, at most */

struct lv_pcm {
	snd_pcm_t *pcm;
	char name[32];
	struct pollfd pfd;
	struct lv_pcm_meter meter;
	unsigned rate;
	snd_pcm_uframes_t period, buffer;
	void *buf;		/* one period */
	unsigned long overruns;
	uint64_t start_usec;	/* CLOCK_MONOTONIC at the (last) start */
	uint64_t frames;	/* read since then */
};

/* the stream runs from now: its frames are counted from here */
static void started(struct lv_pcm *p)
{
	p->start_usec = pa_clock_usec(CLOCK_MONOTONIC);
	p->frames = 0;
}

static const struct {
	snd_pcm_format_t alsa;
	enum lv_format fmt;
} formats[] = {
	{ SND_PCM_FORMAT_S16_LE, LV_S16_LE },
	{ SND_PCM_FORMAT_S32_LE, LV_S32_LE },
	{ SND_PCM_FORMAT_S24_3LE, LV_S24_3LE },
};

static int set_hw(struct lv_pcm *p, unsigned want_channels, char *err,
		  size_t errlen)
{
	snd_pcm_hw_params_t *hw;
	unsigned ch_min = 0, ch_max = 0, channels, rate = PCM_RATE;
	unsigned period_us = PCM_PERIOD_US, buffer_us = PCM_BUFFER_US;
	size_t f;
	int r, dir = 0;

	snd_pcm_hw_params_alloca(&hw);
	r = snd_pcm_hw_params_any(p->pcm, hw);
	if (r >= 0)
		r = snd_pcm_hw_params_set_access(p->pcm, hw,
						 SND_PCM_ACCESS_RW_INTERLEAVED);
	if (r < 0) {
		snprintf(err, errlen, "%s offers no interleaved capture: %s",
			 p->name, snd_strerror(r));
		return r;
	}
	for (f = 0; f < sizeof(formats) / sizeof(formats[0]); f++)
		if (snd_pcm_hw_params_test_format(p->pcm, hw, formats[f].alsa) == 0)
			break;
	if (f == sizeof(formats) / sizeof(formats[0])) {
		snprintf(err, errlen,
			 "%s records in none of S16_LE, S32_LE, S24_3LE", p->name);
		return -EINVAL;
	}
	r = snd_pcm_hw_params_set_format(p->pcm, hw, formats[f].alsa);
	if (r >= 0)
		r = snd_pcm_hw_params_get_channels_min(hw, &ch_min);
	if (r >= 0)
		r = snd_pcm_hw_params_get_channels_max(hw, &ch_max);
	if (r < 0) {
		snprintf(err, errlen, "%s: cannot set the format: %s", p->name,
			 snd_strerror(r));
		return r;
	}
	/* the number of inputs where it can; else the nearest it offers */
	channels = want_channels;
	if (channels < ch_min)
		channels = ch_min;
	if (channels > ch_max)
		channels = ch_max;
	if (channels < 1 || channels > LV_PCM_MAX_CHANNELS) {
		snprintf(err, errlen, "%s records %u to %u channels, more than %u",
			 p->name, ch_min, ch_max, LV_PCM_MAX_CHANNELS);
		return -EINVAL;
	}
	r = snd_pcm_hw_params_set_channels(p->pcm, hw, channels);
	if (r >= 0)
		r = snd_pcm_hw_params_set_rate_near(p->pcm, hw, &rate, &dir);
	if (r >= 0)
		r = snd_pcm_hw_params_set_period_time_near(p->pcm, hw,
							   &period_us, &dir);
	if (r >= 0)
		r = snd_pcm_hw_params_set_buffer_time_near(p->pcm, hw,
							   &buffer_us, &dir);
	if (r >= 0)
		r = snd_pcm_hw_params(p->pcm, hw);
	if (r >= 0)
		r = snd_pcm_hw_params_get_period_size(hw, &p->period, &dir);
	if (r >= 0)
		r = snd_pcm_hw_params_get_buffer_size(hw, &p->buffer);
	if (r < 0) {
		snprintf(err, errlen, "%s: cannot set up capture: %s", p->name,
			 snd_strerror(r));
		return r;
	}
	if (rate == 0 || p->period == 0 || p->buffer < p->period) {
		snprintf(err, errlen, "%s: the device set an unusable stream",
			 p->name);
		return -EINVAL;
	}
	p->rate = rate;
	return lv_pcm_meter_init(&p->meter, formats[f].fmt, channels);
}

static int set_sw(struct lv_pcm *p)
{
	snd_pcm_sw_params_t *sw;
	int r;

	snd_pcm_sw_params_alloca(&sw);
	r = snd_pcm_sw_params_current(p->pcm, sw);
	if (r >= 0)
		r = snd_pcm_sw_params_set_avail_min(p->pcm, sw, p->period);
	if (r >= 0)
		r = snd_pcm_sw_params_set_start_threshold(p->pcm, sw, 1);
	if (r >= 0)
		r = snd_pcm_sw_params(p->pcm, sw);
	return r;
}

/*
 * The card's first PCM device through alsa-lib's hw plugin directly, as
 * card.c opens the controls: no configuration (alsa.conf and what it
 * includes) is read for it.
 */
static int open_hw(int card, unsigned want_channels, struct lv_pcm **out,
		   char *err, size_t errlen)
{
	struct lv_pcm *p;
	const char *name;
	int r;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	snprintf(p->name, sizeof(p->name), "hw:%d,0", card);
	name = p->name;
	r = snd_pcm_hw_open(&p->pcm, name, card, 0, -1, SND_PCM_STREAM_CAPTURE,
			    SND_PCM_NONBLOCK, 0, 0);
	if (r == -EBUSY) {
		snprintf(err, errlen, "another program is recording from %s",
			 name);
		free(p);
		return -EBUSY;
	}
	if (r < 0) {
		snprintf(err, errlen, "cannot open %s for capture: %s", name,
			 snd_strerror(r));
		free(p);
		return r;
	}
	r = set_hw(p, want_channels, err, errlen);
	if (r >= 0) {
		r = set_sw(p);
		if (r < 0)
			snprintf(err, errlen, "%s: cannot set up capture: %s",
				 name, snd_strerror(r));
	}
	if (r >= 0 && snd_pcm_poll_descriptors_count(p->pcm) != 1) {
		snprintf(err, errlen, "%s needs more than one descriptor", name);
		r = -EINVAL;
	}
	if (r >= 0 && snd_pcm_poll_descriptors(p->pcm, &p->pfd, 1) != 1) {
		snprintf(err, errlen, "%s gives no descriptor to watch", name);
		r = -EIO;
	}
	if (r >= 0) {
		p->buf = malloc(p->period * lv_pcm_frame_bytes(&p->meter));
		if (!p->buf) {
			snprintf(err, errlen, "out of memory");
			r = -ENOMEM;
		}
	}
	if (r >= 0) {
		r = snd_pcm_prepare(p->pcm);
		if (r >= 0)
			r = snd_pcm_start(p->pcm);
		if (r >= 0)
			started(p);
		if (r < 0)
			snprintf(err, errlen, "%s: cannot start capture: %s",
				 name, snd_strerror(r));
	}
	if (r < 0) {
		lv_pcm_close(p);
		return r;
	}
	*out = p;
	return 0;
}

int lv_pcm_open(int card, unsigned want_channels, struct lv_pcm **out,
		char *err, size_t errlen)
{
	if (card < 0) {
		snprintf(err, errlen, "no such card %d", card);
		*out = NULL;
		return -EINVAL;
	}
	return open_hw(card, want_channels, out, err, errlen);
}

void lv_pcm_close(struct lv_pcm *p)
{
	if (!p)
		return;
	if (p->pcm) {
		snd_pcm_drop(p->pcm);
		snd_pcm_close(p->pcm);
	}
	free(p->buf);
	free(p);
}

int lv_pcm_fd(const struct lv_pcm *p, int *fd, unsigned *events)
{
	*fd = p->pfd.fd;
	/* alsa-lib asks for POLLNVAL too, which epoll (sd-event) refuses */
	*events = (unsigned short)p->pfd.events &
		  (POLLIN | POLLOUT | POLLPRI | POLLERR | POLLHUP);
	return 0;
}

/* after an overrun or a suspend: the stream starts again */
static int restart(struct lv_pcm *p, int why)
{
	int r;

	if (why == -ESTRPIPE) {
		r = snd_pcm_resume(p->pcm);
		if (r == -EAGAIN)
			return 0;	/* still suspended: wait for the next wake-up */
		if (r == 0)
			return 0;
	}
	p->overruns++;
	r = snd_pcm_prepare(p->pcm);
	if (r >= 0)
		r = snd_pcm_start(p->pcm);
	if (r >= 0)
		started(p);
	return r;
}

long lv_pcm_read(struct lv_pcm *p, unsigned revents)
{
	struct pollfd pfd = p->pfd;
	unsigned short rev = 0;
	long total = 0;
	int r;

	pfd.revents = (short)revents;
	r = snd_pcm_poll_descriptors_revents(p->pcm, &pfd, 1, &rev);
	if (r < 0)
		return r;
	switch (snd_pcm_state(p->pcm)) {
	case SND_PCM_STATE_DISCONNECTED:
		return -ENODEV;
	case SND_PCM_STATE_XRUN:
		r = restart(p, -EPIPE);
		return r < 0 ? r : 0;
	case SND_PCM_STATE_SUSPENDED:
		r = restart(p, -ESTRPIPE);
		return r < 0 ? r : 0;
	default:
		break;
	}
	if (!(rev & POLLIN))
		return 0;
	for (int i = 0; i < READ_BUDGET; i++) {
		snd_pcm_sframes_t n = snd_pcm_readi(p->pcm, p->buf, p->period);

		if (n == -EAGAIN || n == 0)
			break;
		if (n == -EPIPE || n == -ESTRPIPE) {
			r = restart(p, (int)n);
			if (r < 0)
				return r;
			break;
		}
		if (n < 0)
			return (long)n;
		if ((snd_pcm_uframes_t)n > p->period)
			return -EIO;	/* more than asked for: cannot be */
		lv_pcm_meter_feed(&p->meter, p->buf, (size_t)n);
		p->frames += (uint64_t)n;
		total += n;
	}
	return total;
}

struct lv_pcm_meter *lv_pcm_meter(struct lv_pcm *p)
{
	return &p->meter;
}

unsigned lv_pcm_channels(const struct lv_pcm *p)
{
	return p->meter.channels;
}

unsigned lv_pcm_rate(const struct lv_pcm *p)
{
	return p->rate;
}

unsigned lv_pcm_buffer_ms(const struct lv_pcm *p)
{
	unsigned long ms = (unsigned long)p->buffer * 1000ul / p->rate;

	return ms ? (unsigned)ms : 1;
}

unsigned lv_pcm_period_ms(const struct lv_pcm *p)
{
	unsigned long ms = (unsigned long)p->period * 1000ul / p->rate;

	return ms ? (unsigned)ms : 1;
}

unsigned long lv_pcm_overruns(const struct lv_pcm *p)
{
	return p->overruns;
}

uint64_t lv_pcm_heard_until_usec(const struct lv_pcm *p)
{
	uint64_t at = p->start_usec + p->frames * 1000000u / p->rate;
	uint64_t now = pa_clock_usec(CLOCK_MONOTONIC);

	return at < now ? at : now;
}
