// SPDX-License-Identifier: MIT
/*
 * The AutoGain state machine fed whole sessions: parameters (from ranges,
 * or raw doubles: NaN, infinities, 1e-300 dB steps), then readings, clock
 * jumps, the device's answers, knobs, cancels and failures in any order.
 * Whatever comes, it only asks for gains inside the range (or the one from
 * before, put back),
 * never more passes than AG_MAX_PASSES, finishes once with a known result,
 * and converts no number out of range (UBSan: float-cast-overflow).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autogain-core.h"

struct in {
	const uint8_t *p;
	size_t n;
};

static unsigned u8(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static unsigned u16(struct in *in)
{
	return u8(in) | u8(in) << 8;
}

static double raw_double(struct in *in)
{
	uint64_t v = 0;
	double d;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t)u8(in) << (8 * i);
	memcpy(&d, &v, sizeof(d));
	return d;
}

/* a double in [lo, hi], or (one time in 16) any bit pattern */
static double value(struct in *in, double lo, double hi)
{
	unsigned k = u8(in);

	if ((k & 15) == 15)
		return raw_double(in);
	return lo + (hi - lo) * (double)u16(in) / 65535.0;
}

static const double steps[] = { 0.5, 1.0, 0.25, 1.0 / 256, 3.0, 0.1, 2.0 };

static void params(struct in *in, struct ag_params *p)
{
	unsigned k;

	memset(p, 0, sizeof(*p));
	p->target_dbfs = value(in, -62, 1);
	p->listen_ms = u16(in) * 2;
	p->gain_min_db = value(in, -20, 20);
	k = u8(in);
	if ((k & 15) == 15) {
		/* any step, from 0 dB: a tiny one makes a tiny range */
		p->gain_step_db = raw_double(in);
		p->gain_min_db = 0.0;
	} else {
		p->gain_step_db = steps[k % (sizeof(steps) / sizeof(steps[0]))];
	}
	p->gain_max_db = p->gain_min_db + p->gain_step_db * (double)(1 + u8(in));
	if (u8(in) == 255)
		p->gain_max_db = raw_double(in);
	p->gain_db = value(in, -30, 80);
	k = u8(in);
	p->pad_available = k & 1;
	p->pad_on = k & 2;
	p->pad_db = value(in, -5, 70);
	p->meter_window_ms = u16(in) % 6000;
	p->settle_ms = u16(in);
}

static void check_action(const struct ag *ag, const struct ag_params *p,
			 const struct ag_action *a, bool *finished)
{
	switch (a->type) {
	case AG_ACT_NONE:
		break;
	case AG_ACT_SET_GAIN:
		/* on the grid inside the range, or the gain from before
		 * put back (cancelled, failed) */
		if (a->gain_db == p->gain_db)
			break;
		if (!isfinite(a->gain_db) ||
		    a->gain_db < p->gain_min_db - 1e-6 * (1 + fabs(p->gain_min_db)) ||
		    a->gain_db > p->gain_max_db + 1e-6 * (1 + fabs(p->gain_max_db))) {
			fprintf(stderr, "SET_GAIN %g outside %g..%g (step %g, gain %g)\n",
				a->gain_db, p->gain_min_db, p->gain_max_db,
				p->gain_step_db, p->gain_db);
			abort();
		}
		break;
	case AG_ACT_SET_PAD:
		if (!p->pad_available)
			abort();
		break;
	case AG_ACT_LISTEN:
		if (a->pass < 1 || a->pass > AG_MAX_PASSES || !a->poll_ms)
			abort();
		break;
	case AG_ACT_FINISH:
		if (*finished || a->result == AG_RESULT_NONE ||
		    a->result > AG_FAILED || ag_running(ag))
			abort();
		*finished = true;
		break;
	default:
		abort();
	}
	if (ag_passes(ag) > AG_MAX_PASSES || !ag_state_name(ag))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct ag_params p;
	struct ag ag;
	uint64_t now = 0;
	bool finished = false;
	unsigned ops = 0;

	params(&in, &p);
	ag_init(&ag);
	if (ag_start(&ag, &p) < 0) {
		if (ag_running(&ag) || ag_tick(&ag, 0).type != AG_ACT_NONE)
			abort();
		return 0;
	}
	while (in.n && ops++ < 4096) {
		struct ag_action a;
		double v;

		switch (u8(&in) % 10) {
		case 0:
		case 1:
			now += u16(&in);
			a = ag_tick(&ag, now);
			check_action(&ag, &p, &a, &finished);
			break;
		case 2:
		case 3:
			now += u8(&in);
			v = value(&in, -120, 0.1);
			ag_feed_level(&ag, now, v, u8(&in) & 1);
			break;
		case 4:
			now += u8(&in);
			v = value(&in, -120, 0.1);
			ag_feed_span(&ag, now, (uint64_t)u16(&in) * 100, v,
				     u8(&in) & 1);
			break;
		case 5:
			ag_gain_observed(&ag, value(&in, -30, 80));
			break;
		case 6:
			ag_pad_observed(&ag, u8(&in) & 1);
			break;
		case 7:
			if (u8(&in) < 16)
				ag_gain_changed_externally(&ag, value(&in, -30, 80));
			break;
		case 8:
			if (u8(&in) < 8)
				ag_cancel(&ag);
			else if (u8(&in) < 8)
				ag_device_failed(&ag);
			break;
		case 9:
			if (ag_running(&ag) && ag_start(&ag, &p) != -EBUSY)
				abort();
			break;
		}
	}
	/* a session always ends: cancel, then tick until it says so */
	ag_cancel(&ag);
	for (int i = 0; i < 16 && ag_running(&ag); i++) {
		struct ag_action a = ag_tick(&ag, now += 1000);

		check_action(&ag, &p, &a, &finished);
	}
	if (ag_running(&ag))
		abort();
	return 0;
}
