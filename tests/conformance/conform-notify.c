// SPDX-License-Identifier: MIT
/*
 * Groups "phantom" and "notify": phantom groups (one physical switch, a
 * notification for the other members) and the interrupt endpoint's
 * notifications (section 5): what sends one and what must not, coalescing
 * and the 10 ms rate, EVT_RESET, EVT_CLIP.
 */
#include "conform.h"

#include <endian.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/*
 * Arrival times are taken when this program reaps the URB, and under
 * emulation a reap can be late by several ms: the next notification then
 * seems closer than it was sent. The rate is therefore judged over runs:
 * notifications i < j must be at least (j - i) * 10 ms apart, less one
 * late reap of at most JITTER_MS. A device that sends faster than every
 * 10 ms for a while fails that, however the reaps jitter.
 */
#define JITTER_MS		20
#define NOTIFY_WAIT_MS		1500	/* the longest a notification may take */
#define QUIET_MS		250	/* no more after this: the burst is over */

/*
 * The pair of notifications that breaks the rate the most, if any pair
 * does: returns true and sets *a, *b when t[b] - t[a] is less than
 * (b - a) * 10 ms - JITTER_MS.
 */
static bool rate_exceeded(const struct pc_notif *n, size_t count, size_t *a,
			  size_t *b)
{
	double worst = 0;
	bool found = false;
	size_t i, j;

	for (i = 0; i < count; i++)
		for (j = i + 1; j < count; j++) {
			double span = (double)(n[j].t_ns - n[i].t_ns) / 1e6;
			double need = (double)(j - i) *
				      PAMP_NOTIFY_MIN_INTERVAL_MS - JITTER_MS;

			if (span < need && need - span > worst) {
				worst = need - span;
				*a = i;
				*b = j;
				found = true;
			}
		}
	return found;
}

static void describe_rate(struct conform *c, const struct pc_notif *n,
			  size_t a, size_t b)
{
	DETAIL(c, "notifications %zu to %zu: %zu in %.1f ms, at most one per %d ms allowed (less %d ms of reap jitter)",
	       a, b, b - a + 1, (double)(n[b].t_ns - n[a].t_ns) / 1e6,
	       PAMP_NOTIFY_MIN_INTERVAL_MS, JITTER_MS);
}

static uint32_t inputs_mask(const struct conform *c)
{
	return c->n >= 32 ? 0xffffffffu : (1u << c->n) - 1;
}

/* A notification as a working device sends it: 8 bytes, known bits. */
static bool notif_clean(struct conform *c, const struct pc_notif *n)
{
	if (n->status) {
		DETAIL(c, "the interrupt URB ended with %s",
		       pc_errname(n->status));
		return false;
	}
	if (n->len != sizeof(struct pamp_notification)) {
		pc_notif_describe(c, n);
		DETAIL(c, "expected an 8-byte notification, seen %zu bytes",
		       n->len);
		return false;
	}
	if (n->changed & ~inputs_mask(c)) {
		DETAIL(c, "changed 0x%08x names inputs beyond the %u there are",
		       n->changed, c->n);
		return false;
	}
	if (n->events & ~(uint32_t)(PAMP_EVT_CLIP | PAMP_EVT_RESET)) {
		DETAIL(c, "events 0x%08x has bits the spec does not define",
		       n->events);
		return false;
	}
	return true;
}

#define ANY_CHANGED	0xffffffffu	/* changed bits not checked */

/*
 * Collects what arrives (until QUIET_MS of silence, at most max_ms) and
 * checks the union: changed must equal want_changed exactly (unless
 * ANY_CHANGED), events must include want_events and nothing else but what
 * allow_events allows.
 */
static bool expect_notified(struct conform *c, uint32_t want_changed,
			    uint32_t want_events, uint32_t allow_events,
			    int max_ms)
{
	struct pc_notif n[64];
	uint32_t changed = 0, events = 0;
	size_t got, extra, i;
	bool ok = true;

	size_t a, b;

	got = pc_notif_collect(c, QUIET_MS, max_ms, n, 64, &extra);
	if (!got) {
		DETAIL(c, "expected a notification (changed 0x%08x, events 0x%08x) within %d ms, seen none",
		       want_changed, want_events, max_ms);
		return false;
	}
	for (i = 0; i < got; i++) {
		if (!notif_clean(c, &n[i]))
			ok = false;
		changed |= n[i].changed;
		events |= n[i].events;
	}
	if (rate_exceeded(n, got, &a, &b)) {
		describe_rate(c, n, a, b);
		ok = false;
	}
	if (want_changed != ANY_CHANGED && changed != want_changed) {
		DETAIL(c, "changed: expected 0x%08x, seen 0x%08x (%zu notifications)",
		       want_changed, changed, got + extra);
		ok = false;
	}
	if ((events & want_events) != want_events ||
	    (events & ~(want_events | allow_events))) {
		DETAIL(c, "events: expected 0x%08x, seen 0x%08x", want_events,
		       events);
		ok = false;
	}
	if (!ok)
		for (i = 0; i < got && i < 8; i++)
			pc_notif_describe(c, &n[i]);
	return ok;
}

/* Nothing arrives within ms. */
static bool expect_silence(struct conform *c, int ms)
{
	struct pc_notif n[16];
	size_t got, extra, i;

	got = pc_notif_collect(c, ms, ms, n, 16, &extra);
	if (!got)
		return true;
	DETAIL(c, "expected no notification, seen %zu", got + extra);
	for (i = 0; i < got && i < 4; i++)
		pc_notif_describe(c, &n[i]);
	return false;
}

/* Every source silent, so no clip event comes in between. */
static void quiet_sources(struct conform *c)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		pc_emu(c, "source %u silence -120", i + 1);
	tap_discard(&c->tap);
}

static bool read_group_state(struct conform *c, unsigned int first,
			     unsigned int last, bool want_on)
{
	struct pc_state dev;
	unsigned int i;
	bool ok;

	ok = pc_read_state(c, &dev);
	for (i = first; ok && i <= last; i++) {
		long emu_v;

		if (!!(dev.sw[i] & (1u << PAMP_SW_PHANTOM)) != want_on) {
			DETAIL(c, "input %u 48V: expected %s, device says %s", i,
			       want_on ? "on" : "off", want_on ? "off" : "on");
			ok = false;
		}
		if (pc_emu_in_long(c, i, "phantom", &emu_v) < 0 ||
		    emu_v != want_on) {
			DETAIL(c, "input %u 48V: expected %d, the emulator says %ld",
			       i, want_on, emu_v);
			ok = false;
		}
	}
	return ok;
}

static void phantom_one_group(struct conform *c, unsigned int first,
			      unsigned int last)
{
	bool notify = c->intr != NULL;
	uint32_t gmask = pc_group_mask(c, first);
	unsigned int members[2] = { first, last }, k, i;
	struct pamp_set_state recs[PAMP_MAX_INPUTS];
	struct pc_state st;
	uint16_t ph = 1u << PAMP_SW_PHANTOM;

	for (k = 0; k < 2; k++) {
		unsigned int m = members[k];
		int pass;

		for (pass = 0; pass < 2; pass++) {
			bool on, ok;

			pc_notif_drain(c, 50);
			if (!pc_read_state(c, &st)) {
				RESULT(c, false, "phantom group of inputs %u..%u",
				       first, last);
				return;
			}
			on = !(st.sw[m] & ph);
			ok = pc_set_switch(c, m, PAMP_SW_PHANTOM, on) &&
			     read_group_state(c, first, last, on);
			RESULT(c, ok, "SET_SWITCH 48V %s on input %u sets it on every member of group %u (inputs %u..%u)",
			       on ? "on" : "off", m, c->in[m].phantom_group,
			       first, last);
			if (!notify)
				continue;
			ok = expect_notified(c, gmask & ~(1u << m), 0, 0,
					     NOTIFY_WAIT_MS);
			RESULT(c, ok, "a notification names the other members (changed 0x%08x), not input %u itself",
			       gmask & ~(1u << m), m);
		}
	}

	/* SET_ALL_STATE: members agree, all masks carry it. */
	if (!pc_read_state(c, &st))
		return;
	memset(recs, 0, sizeof(recs));
	for (i = first; i <= last; i++) {
		recs[i].mask = htole16(ph);
		recs[i].value = htole16(~st.sw[first] & ph);
	}
	pc_notif_drain(c, 50);
	{
		bool on = !(st.sw[first] & ph);
		bool ok = pc_set_all(c, recs) &&
			  read_group_state(c, first, last, on);

		if (notify)
			ok &= expect_silence(c, 300);
		RESULT(c, ok, "SET_ALL_STATE with group %u agreeing sets 48V %s on inputs %u..%u%s",
		       c->in[first].phantom_group, on ? "on" : "off", first,
		       last, notify ? "; no notification" : "");
	}

	/* Only the first member's mask carries it: one switch, all follow. */
	if (!pc_read_state(c, &st))
		return;
	memset(recs, 0, sizeof(recs));
	recs[first].mask = htole16(ph);
	recs[first].value = htole16(~st.sw[first] & ph);
	{
		bool on = !(st.sw[first] & ph);
		bool ok = pc_set_all(c, recs) &&
			  read_group_state(c, first, last, on);

		if (notify)
			ok &= expect_silence(c, 300);
		RESULT(c, ok, "SET_ALL_STATE with 48V in input %u's mask only: the whole group %u follows (one physical switch)%s",
		       first, c->in[first].phantom_group,
		       notify ? "; no notification" : "");
	}
}

void group_phantom(struct conform *c)
{
	struct pc_saved saved;
	unsigned int i, first, last, groups = 0;

	if (!pc_save(c, &saved)) {
		RESULT(c, false, "the state can be read before the group");
		return;
	}
	quiet_sources(c);
	pc_notif_drain(c, 100);
	for (i = 0; i < c->n; i = last + 1) {
		pc_group_span(c, i, &first, &last);
		if (first == last || !pc_has_switch(c, first, PAMP_SW_PHANTOM))
			continue;
		groups++;
		phantom_one_group(c, first, last);
	}
	if (!groups)
		SKIP(c, "no phantom group of two or more inputs",
		     "phantom groups");
	pc_restore(c, &saved);
}

/* A gain in dB on the grid, other than cur: a third of the range on. */
static double knob_gain_db(const struct conform *c, unsigned int in, int cur,
			   unsigned int turn)
{
	unsigned int steps = pc_gain_steps(c, in);
	unsigned int idx = (unsigned int)(cur - c->in[in].gain_min) /
			   c->in[in].gain_step;

	idx = (idx + (turn + 1) * (steps / 3 + 1)) % (steps + 1);
	if ((int)(c->in[in].gain_min + (int)(idx * c->in[in].gain_step)) == cur)
		idx = (idx + 1) % (steps + 1);
	return (c->in[in].gain_min + (int)(idx * c->in[in].gain_step)) / 256.0;
}

/* A switch other than 48V that a knob can turn, or -1. */
static int knob_switch(const struct conform *c, unsigned int in)
{
	unsigned int sw;

	for (sw = 1; sw < PAMP_NUM_SWITCHES; sw++)
		if (pc_has_switch(c, in, sw))
			return (int)sw;
	return -1;
}

static void check_knobs(struct conform *c)
{
	unsigned int i;

	for (i = 0; i < c->n && !c->gone; i++) {
		struct pc_state st;
		uint64_t t0;
		bool ok;
		int sw = knob_switch(c, i);

		pc_notif_drain(c, 30);
		if (!pc_read_state(c, &st))
			break;
		if (pc_has_gain(c, i)) {
			double db = knob_gain_db(c, i, st.gain[i], 0);
			struct pamp_input_state is;

			t0 = pc_now_ns();
			ok = pc_emu(c, "knob %u gain %.4f", i + 1, db) == 0 &&
			     expect_notified(c, 1u << i, 0, 0, NOTIFY_WAIT_MS);
			if (ok && pc_get_input_state(c, i, &is) &&
			    (int16_t)le16toh(is.gain) != (int)lround(db * 256)) {
				DETAIL(c, "GET_INPUT_STATE gain: expected %ld, seen %d",
				       lround(db * 256), (int16_t)le16toh(is.gain));
				ok = false;
			}
			RESULT(c, ok, "knob: input %u gain to %.2f dB is notified (changed 0x%08x) and read back (%.0f ms)",
			       i, db, 1u << i, (double)(pc_now_ns() - t0) / 1e6 -
			       QUIET_MS);
		}
		if (sw >= 0) {
			bool on = !(st.sw[i] & (1u << sw));

			ok = pc_emu(c, "knob %u %s %s", i + 1,
				    pc_switch_names[sw], on ? "on" : "off") == 0 &&
			     expect_notified(c, 1u << i, 0, 0, NOTIFY_WAIT_MS);
			if (ok && pc_read_state(c, &st) &&
			    !!(st.sw[i] & (1u << sw)) != on) {
				DETAIL(c, "GET_ALL_STATE: input %u %s still %s",
				       i, pc_switch_names[sw], on ? "off" : "on");
				ok = false;
			}
			RESULT(c, ok, "knob: input %u %s %s is notified (changed 0x%08x) and read back",
			       i, pc_switch_names[sw], on ? "on" : "off", 1u << i);
		}
		if (pc_has_switch(c, i, PAMP_SW_PHANTOM)) {
			unsigned int first, last;
			bool on = !(st.sw[i] & 1u);

			pc_group_span(c, i, &first, &last);
			if (i != first)
				continue;	/* one per group */
			ok = pc_emu(c, "knob %u phantom %s", i + 1,
				    on ? "on" : "off") == 0 &&
			     expect_notified(c, pc_group_mask(c, i), 0, 0,
					     NOTIFY_WAIT_MS) &&
			     read_group_state(c, first, last, on);
			RESULT(c, ok, "knob: input %u 48V %s is notified for every input it changed (changed 0x%08x)",
			       i, on ? "on" : "off", pc_group_mask(c, i));
		}
	}
}

/* Host requests change only what they name: no notification. */
static void check_host_requests_silent(struct conform *c)
{
	struct pamp_set_state recs[PAMP_MAX_INPUTS];
	struct pc_state st;
	unsigned int i;
	bool ok;

	pc_notif_drain(c, 50);
	if (!pc_read_state(c, &st))
		return;
	for (i = 0; i < c->n; i++) {
		if (!pc_has_gain(c, i))
			continue;
		ok = pc_set_gain_index(c, i, (unsigned int)lround(
				(knob_gain_db(c, i, st.gain[i], 1) * 256 -
				 c->in[i].gain_min) / c->in[i].gain_step)) &&
		     expect_silence(c, 300);
		RESULT(c, ok, "SET_GAIN on input %u sends no notification", i);
		break;
	}
	for (i = 0; i < c->n; i++) {
		int sw = knob_switch(c, i);
		unsigned int first, last;

		pc_group_span(c, i, &first, &last);
		if (sw < 0 && (first != last ||
			       !pc_has_switch(c, i, PAMP_SW_PHANTOM)))
			continue;
		if (sw < 0)
			sw = PAMP_SW_PHANTOM;	/* its own 48V */
		ok = pc_set_switch(c, i, (unsigned int)sw,
				   !(st.sw[i] & (1u << sw))) &&
		     expect_silence(c, 300);
		RESULT(c, ok, "SET_SWITCH %s on input %u sends no notification",
		       pc_switch_names[sw], i);
		break;
	}
	/* SET_ALL_STATE: everything flipped, phantom groups included. */
	if (!pc_read_state(c, &st))
		return;
	memset(recs, 0, sizeof(recs));
	for (i = 0; i < c->n; i++) {
		uint16_t caps = c->in[i].caps & PAMP_SWITCH_MASK;

		recs[i].mask = htole16(caps);
		recs[i].value = htole16((uint16_t)(~st.sw[i] & caps));
		if (pc_has_gain(c, i)) {
			recs[i].gain = htole16((uint16_t)lround(
				knob_gain_db(c, i, st.gain[i], 0) * 256));
			recs[i].apply = htole16(PAMP_APPLY_GAIN);
		}
	}
	ok = pc_set_all(c, recs) && expect_silence(c, 400);
	RESULT(c, ok, "SET_ALL_STATE changing every input (phantom groups included) sends no notification");
}

/* The knob burst runs in its own thread while this one reads. */
struct burst {
	const char *ctl;
	unsigned int num;
	char cmd[96][48];
	unsigned int failed;
	char error[CTL_ERROR_MAX];
	uint64_t t_last_sent;		/* when the last command went out */
	uint32_t inputs;		/* the inputs it turned */
	struct ctl_reply reply;
};

static void *burst_run(void *arg)
{
	struct burst *b = arg;
	unsigned int i;

	for (i = 0; i < b->num; i++) {
		b->t_last_sent = pc_now_ns();
		if (ctl_cmd(b->ctl, &b->reply, "%s", b->cmd[i]) < 0) {
			b->failed++;
			snprintf(b->error, sizeof(b->error), "%.47s: %.200s",
				 b->cmd[i], b->reply.error);
		}
	}
	return NULL;
}

static void check_burst(struct conform *c)
{
	struct pc_notif n[PC_NOTIF_MAX];
	struct burst b;
	struct pc_state st, dev, emu;
	uint32_t changed = 0;
	double min_gap = 1e9;
	size_t got, extra, i, ra, rb;
	unsigned int round, in;
	pthread_t th;
	bool ok = true;

	memset(&b, 0, sizeof(b));
	b.ctl = c->ctl;
	if (!pc_read_state(c, &st))
		return;
	for (round = 0; round < 8; round++) {
		for (in = 0; in < c->n && b.num < 96; in++) {
			int sw = knob_switch(c, in);

			if (pc_has_gain(c, in))
				snprintf(b.cmd[b.num++], sizeof(b.cmd[0]),
					 "knob %u gain %.4f", in + 1,
					 knob_gain_db(c, in, st.gain[in],
						      round % 2));
			else if (sw >= 0)
				snprintf(b.cmd[b.num++], sizeof(b.cmd[0]),
					 "knob %u %s %s", in + 1,
					 pc_switch_names[sw],
					 (!(st.sw[in] & (1u << sw))) ^ (round % 2) ?
					 "on" : "off");
			else
				continue;
			b.inputs |= 1u << in;
		}
	}
	if (!b.num) {
		SKIP(c, "no knob-turnable input", "knob burst");
		return;
	}
	pc_notif_drain(c, 50);
	if (pthread_create(&th, NULL, burst_run, &b)) {
		RESULT(c, false, "knob burst: a thread starts");
		return;
	}
	got = pc_notif_collect(c, 400, 10000, n, PC_NOTIF_MAX, &extra);
	pthread_join(th, NULL);
	if (b.failed) {
		DETAIL(c, "%u knob commands failed; last: %s", b.failed, b.error);
		ok = false;
	}
	for (i = 0; i < got; i++) {
		if (!notif_clean(c, &n[i]))
			ok = false;
		changed |= n[i].changed;
		if (i > 0) {
			double gap = (double)(n[i].t_ns - n[i - 1].t_ns) / 1e6;

			if (gap < min_gap)
				min_gap = gap;
		}
	}
	if (rate_exceeded(n, got, &ra, &rb)) {
		describe_rate(c, n, ra, rb);
		ok = false;
	}
	if (changed != b.inputs) {
		DETAIL(c, "changed bits: expected the inputs turned 0x%08x, seen 0x%08x",
		       b.inputs, changed);
		ok = false;
	}
	if (got + extra > b.num) {
		DETAIL(c, "%zu notifications for %u changes: more than one per change",
		       got + extra, b.num);
		ok = false;
	}
	if (!got || n[got - 1].t_ns < b.t_last_sent) {
		DETAIL(c, "no notification after the last change (it was lost to coalescing)");
		ok = false;
	}
	if (pc_read_state(c, &dev) && pc_emu_state(c, &emu))
		ok &= pc_same_state(c, &emu, "emulator", &dev, "device");
	else
		ok = false;
	if (got > 1)
		tap_note("knob burst: %zu notifications over %.0f ms, closest two %.1f ms apart as reaped",
			 got, (double)(n[got - 1].t_ns - n[0].t_ns) / 1e6,
			 min_gap);
	RESULT(c, ok, "knob burst: %u changes on inputs 0x%08x gave %zu notifications, at most one per 10 ms, the last change notified",
	       b.num, b.inputs, got + extra);
}

static void check_reset(struct conform *c)
{
	struct pc_state dev, emu;
	bool ok;

	pc_notif_drain(c, 50);
	ok = pc_emu(c, "reset") == 0 &&
	     expect_notified(c, ANY_CHANGED, PAMP_EVT_RESET, 0, NOTIFY_WAIT_MS);
	if (ok && pc_read_state(c, &dev) && pc_emu_state(c, &emu))
		ok = pc_same_state(c, &emu, "emulator", &dev, "device");
	RESULT(c, ok, "reset: EVT_RESET arrives; re-read, the state matches the emulator's");
	/* A reset may bring the sources back too: silence them again. */
	quiet_sources(c);
	pc_notif_drain(c, 100);
}

/* A clip count that rose (modulo 65536) from before to now. */
static bool clip_rose(struct conform *c, unsigned int in, long before,
		      long now, const char *who)
{
	unsigned int d = (unsigned int)(now - before) & 0xffff;

	if (d == 0 || d >= 0x8000) {
		DETAIL(c, "input %u clip_count (%s): before %ld, after %ld: expected a rise modulo 65536",
		       in, who, before, now);
		return false;
	}
	return true;
}

static bool meter_clip_count(struct conform *c, unsigned int in, long *out)
{
	struct pamp_meter m[PAMP_MAX_INPUTS];

	if (!pc_read_meters(c, m))
		return false;
	*out = le16toh(m[in].clip_count);
	return true;
}

/* Drives input in into clipping with its source, and with `clip IN`. */
static void check_clip(struct conform *c, unsigned int in)
{
	bool meters = c->flags & PAMP_FLAG_METERS;
	struct pamp_set_state recs[PAMP_MAX_INPUTS];
	long emu0 = 0, emu1 = 0, dev0 = 0, dev1 = 0;
	double gain_db = 0, level;
	bool ok = true;

	/* Pad off, highest gain, a source that goes past full scale. */
	memset(recs, 0, sizeof(recs));
	if (pc_has_switch(c, in, PAMP_SW_PAD))
		recs[in].mask = htole16(1u << PAMP_SW_PAD);
	if (pc_has_gain(c, in)) {
		recs[in].gain = htole16((uint16_t)c->in[in].gain_max);
		recs[in].apply = htole16(PAMP_APPLY_GAIN);
	}
	if (!pc_set_all(c, recs) ||
	    pc_emu_in_double(c, in, "gain_db", &gain_db) < 0 ||
	    pc_emu_in_long(c, in, "clip_count", &emu0) < 0 ||
	    (meters && !meter_clip_count(c, in, &dev0))) {
		RESULT(c, false, "clipping on input %u", in);
		return;
	}
	/* Full scale at +6 dB gain; a hotter source for a lower gain. */
	level = gain_db >= 6.0 ? 0.0 : 6.0 - gain_db;
	pc_notif_drain(c, 50);
	ok = pc_emu(c, "source %u sine %.2f", in + 1, level) == 0 &&
	     expect_notified(c, ANY_CHANGED, PAMP_EVT_CLIP, 0, 2000);
	pc_emu(c, "source %u silence -120", in + 1);
	if (ok && pc_emu_in_long(c, in, "clip_count", &emu1) == 0)
		ok &= clip_rose(c, in, emu0, emu1, "emulator");
	if (ok && meters && meter_clip_count(c, in, &dev1))
		ok &= clip_rose(c, in, dev0, dev1, "GET_METERS");
	RESULT(c, ok, "clipping: a %.1f dBFS sine at %.1f dB gain on input %u gives EVT_CLIP, the clip count rises",
	       level, gain_db, in);
	pc_notif_drain(c, 100);

	/* The emulator's own clip: one event on a silent input. */
	ok = pc_emu(c, "clip %u", in + 1) == 0 &&
	     expect_notified(c, ANY_CHANGED, PAMP_EVT_CLIP, 0, 2000);
	RESULT(c, ok, "`clip %u`: EVT_CLIP arrives", in + 1);
}

/*
 * Without FLAG_NOTIFY a host learns of front-panel changes only by
 * reading: a knob turn shows in the next GET_ALL_STATE.
 */
static void check_polled_knob(struct conform *c)
{
	struct pc_state before, dev, emu;
	unsigned int i;
	bool ok;
	int sw = -1;

	for (i = 0; i < c->n; i++)
		if (pc_has_gain(c, i) || (sw = knob_switch(c, i)) >= 0)
			break;
	if (i == c->n || !pc_read_state(c, &before)) {
		SKIP(c, "nothing a knob can turn", "no FLAG_NOTIFY: a knob turn shows when read");
		return;
	}
	if (pc_has_gain(c, i))
		ok = pc_emu(c, "knob %u gain %.4f", i + 1,
			    knob_gain_db(c, i, before.gain[i], 0)) == 0;
	else
		ok = pc_emu(c, "knob %u %s %s", i + 1, pc_switch_names[sw],
			    before.sw[i] & (1u << sw) ? "off" : "on") == 0;
	ok = ok && pc_read_state(c, &dev) && pc_emu_state(c, &emu) &&
	     pc_same_state(c, &emu, "emulator", &dev, "device");
	if (ok && !memcmp(&dev, &before, sizeof(dev))) {
		DETAIL(c, "the knob changed nothing the device reports");
		ok = false;
	}
	RESULT(c, ok, "no FLAG_NOTIFY: a knob turn on input %u shows in the next GET_ALL_STATE",
	       i);
	/* Put it back. */
	if (pc_has_gain(c, i))
		pc_emu(c, "knob %u gain %.4f", i + 1, before.gain[i] / 256.0);
	else
		pc_emu(c, "knob %u %s %s", i + 1, pc_switch_names[sw],
		       before.sw[i] & (1u << sw) ? "on" : "off");
	tap_discard(&c->tap);
}

void group_notify(struct conform *c)
{
	struct pc_saved saved;
	unsigned int i;

	if (!(c->flags & PAMP_FLAG_NOTIFY)) {
		check_polled_knob(c);
		SKIP(c, "no FLAG_NOTIFY", "notifications");
		return;
	}
	if (!c->intr) {
		RESULT(c, false, "notifications: no interrupt endpoint to read");
		return;
	}
	if (!pc_save(c, &saved)) {
		RESULT(c, false, "the state can be read before the group");
		return;
	}
	quiet_sources(c);
	pc_notif_drain(c, 100);
	check_host_requests_silent(c);
	check_knobs(c);
	check_burst(c);
	for (i = 0; i < c->n; i++)
		if (c->in[i].caps & PAMP_CAP_METER)
			break;
	check_clip(c, i < c->n ? i : 0);
	check_reset(c);
	pc_restore(c, &saved);
}
