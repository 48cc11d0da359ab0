// SPDX-License-Identifier: MIT
/*
 * Group "stall": every request the spec says a device refuses. Each must
 * STALL, change nothing (the device and the emulator both still say what
 * they said before), and leave the pipe working for the next request.
 *
 * Two tables: single requests (one line per rule, expanded per input or
 * per switch where the rule says), and SET_ALL_STATE records spoiled one
 * way each.
 */
#include "conform.h"

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Which instances of a rule to try. */
enum scope {
	ONCE,		/* one request, arg as given */
	EACH_INPUT,	/* per input; the value function may decline */
	EACH_SWITCH,	/* per input and switch bit 0..5 */
	EACH_ARG,	/* per input, arg from 4 to 7 (bits 7..4) */
};

/*
 * The wValue of one instance, or -1 when the rule does not apply to it
 * (an input that has the switch, a model with FLAG_METERS, ...).
 */
typedef int (*value_fn)(const struct conform *c, const struct pc_state *st,
			unsigned int in, unsigned int arg);

struct stall_case {
	const char *what;	/* printf: input, then arg */
	uint8_t type, req;
	value_fn value;
	unsigned int arg;
	enum scope scope;
	int len;		/* wLength; -1: the spec's for the request */
};

static int v_lit(const struct conform *c, const struct pc_state *st,
		 unsigned int in, unsigned int arg)
{
	(void)c, (void)st, (void)in;
	return (int)arg;
}

/* An input index past the last one: num_inputs + arg. */
static int v_past_input(const struct conform *c, const struct pc_state *st,
			unsigned int in, unsigned int arg)
{
	(void)st, (void)in;
	return (int)(c->n + arg) <= 0xffff ? (int)(c->n + arg) : -1;
}

/* SET_GAIN to input num_inputs (arg 0) or to input arg. */
static int v_gain_past_input(const struct conform *c,
			     const struct pc_state *st, unsigned int in,
			     unsigned int arg)
{
	unsigned int input = arg ? arg : c->n;

	(void)st, (void)in;
	if (input > 31 || input < c->n)
		return -1;	/* five bits cannot say it, or it exists */
	return pamp_wvalue_set_gain(input, 0);
}

/* A switch that input 0 has (so that only the index is wrong). */
static unsigned int some_switch(const struct conform *c)
{
	unsigned int sw;

	for (sw = 0; sw < PAMP_NUM_SWITCHES; sw++)
		if (pc_has_switch(c, 0, sw))
			return sw;
	return 0;
}

static int v_switch_past_input(const struct conform *c,
			       const struct pc_state *st, unsigned int in,
			       unsigned int arg)
{
	unsigned int input = arg ? arg : c->n;

	(void)st, (void)in;
	if (input > 255 || input < c->n)
		return -1;
	return pamp_wvalue_set_switch(input, some_switch(c), 1);
}

static int v_gain_nocap(const struct conform *c, const struct pc_state *st,
			unsigned int in, unsigned int arg)
{
	(void)st, (void)arg;
	return pc_has_gain(c, in) ? -1 : pamp_wvalue_set_gain(in, 1);
}

/* gain_index past gain_max: steps + 1, or 2047 (arg 1). */
static int v_gain_past_max(const struct conform *c, const struct pc_state *st,
			   unsigned int in, unsigned int arg)
{
	unsigned int steps = pc_gain_steps(c, in);

	(void)st;
	if (!pc_has_gain(c, in) || steps >= PAMP_MAX_GAIN_STEPS)
		return -1;
	if (arg && steps + 1 == PAMP_MAX_GAIN_STEPS)
		return -1;	/* the same as the first */
	return pamp_wvalue_set_gain(in, arg ? PAMP_MAX_GAIN_STEPS : steps + 1);
}

/* A switch the input lacks, set to the other value than now. */
static int v_switch_lacking(const struct conform *c, const struct pc_state *st,
			    unsigned int in, unsigned int sw)
{
	if (pc_has_switch(c, in, sw))
		return -1;
	return pamp_wvalue_set_switch(in, sw, !(st->sw[in] & (1u << sw)));
}

/* A switch the input has, flipped, with bit arg (7..4) set as well. */
static int v_switch_reserved_bit(const struct conform *c,
				 const struct pc_state *st, unsigned int in,
				 unsigned int bit)
{
	unsigned int sw;

	for (sw = 0; sw < PAMP_NUM_SWITCHES; sw++)
		if (pc_has_switch(c, in, sw))
			break;
	if (sw == PAMP_NUM_SWITCHES)
		sw = 0;
	return pamp_wvalue_set_switch(in, sw, !(st->sw[in] & (1u << sw))) |
	       1 << bit;
}

/* Switch number 6 or 7 in bits 3..1: there is no such switch. */
static int v_switch_no_such(const struct conform *c, const struct pc_state *st,
			    unsigned int in, unsigned int sw)
{
	(void)c, (void)st;
	return (int)(in << PAMP_SWITCH_INPUT_SHIFT |
		     sw << PAMP_SWITCH_BIT_SHIFT | PAMP_SWITCH_ON);
}

static int v_meters_without_flag(const struct conform *c,
				 const struct pc_state *st, unsigned int in,
				 unsigned int arg)
{
	(void)st, (void)in, (void)arg;
	return (c->flags & PAMP_FLAG_METERS) ? -1 : 0;
}

#define IN	PAMP_REQTYPE_IN
#define OUT	PAMP_REQTYPE_OUT

static const struct stall_case cases[] = {
	/* unknown request codes */
	{ "unknown request 0x00 (IN)", IN, 0x00, v_lit, 0, ONCE, 16 },
	{ "unknown request 0x09 (IN)", IN, 0x09, v_lit, 0, ONCE, 16 },
	{ "unknown request 0x09 (OUT, no data)", OUT, 0x09, v_lit, 0, ONCE, 0 },
	{ "unknown request 0x80 (IN)", IN, 0x80, v_lit, 0, ONCE, 4 },
	{ "unknown request 0xff (OUT, no data)", OUT, 0xff, v_lit, 0, ONCE, 0 },
	/* input index out of range, for each request that takes one */
	{ "GET_INPUT_INFO input num_inputs", IN, PAMP_REQ_GET_INPUT_INFO,
	  v_past_input, 0, ONCE, -1 },
	{ "GET_INPUT_INFO input 0x00ff", IN, PAMP_REQ_GET_INPUT_INFO,
	  v_lit, 0x00ff, ONCE, -1 },
	{ "GET_INPUT_INFO input 0xffff", IN, PAMP_REQ_GET_INPUT_INFO,
	  v_lit, 0xffff, ONCE, -1 },
	{ "GET_INPUT_STATE input num_inputs", IN, PAMP_REQ_GET_INPUT_STATE,
	  v_past_input, 0, ONCE, -1 },
	{ "GET_INPUT_STATE input 0x0100", IN, PAMP_REQ_GET_INPUT_STATE,
	  v_lit, 0x0100, ONCE, -1 },
	{ "SET_GAIN input num_inputs", OUT, PAMP_REQ_SET_GAIN,
	  v_gain_past_input, 0, ONCE, 0 },
	{ "SET_GAIN input 31", OUT, PAMP_REQ_SET_GAIN,
	  v_gain_past_input, 31, ONCE, 0 },
	{ "SET_SWITCH input num_inputs", OUT, PAMP_REQ_SET_SWITCH,
	  v_switch_past_input, 0, ONCE, 0 },
	{ "SET_SWITCH input 255", OUT, PAMP_REQ_SET_SWITCH,
	  v_switch_past_input, 255, ONCE, 0 },
	/* gain */
	{ "SET_GAIN input %u gain_index gain_max + 1 step", OUT,
	  PAMP_REQ_SET_GAIN, v_gain_past_max, 0, EACH_INPUT, 0 },
	{ "SET_GAIN input %u gain_index 2047", OUT, PAMP_REQ_SET_GAIN,
	  v_gain_past_max, 1, EACH_INPUT, 0 },
	{ "SET_GAIN input %u without CAP_GAIN", OUT, PAMP_REQ_SET_GAIN,
	  v_gain_nocap, 0, EACH_INPUT, 0 },
	/* switches */
	{ "SET_SWITCH input %u switch %u the input lacks", OUT,
	  PAMP_REQ_SET_SWITCH, v_switch_lacking, 0, EACH_SWITCH, 0 },
	{ "SET_SWITCH input %u with wValue bit %u (of 7..4) set", OUT,
	  PAMP_REQ_SET_SWITCH, v_switch_reserved_bit, 0, EACH_ARG, 0 },
	{ "SET_SWITCH input %u switch bit %u (no such switch)", OUT,
	  PAMP_REQ_SET_SWITCH, v_switch_no_such, 6, EACH_INPUT, 0 },
	{ "SET_SWITCH input %u switch bit %u (no such switch)", OUT,
	  PAMP_REQ_SET_SWITCH, v_switch_no_such, 7, EACH_INPUT, 0 },
	/* meters */
	{ "GET_METERS on a model without FLAG_METERS", IN,
	  PAMP_REQ_GET_METERS, v_meters_without_flag, 0, ONCE, -1 },
};

/* One refused request: STALL, nothing changed, the pipe works after. */
static void run_one(struct conform *c, const struct stall_case *k,
		    const struct pc_state *before, unsigned int in,
		    unsigned int arg)
{
	uint8_t buf[8 * PAMP_MAX_INPUTS];
	char what[160];
	uint16_t len;
	int value, r;

	value = k->value(c, before, in, arg);
	if (value < 0)
		return;
	len = (uint16_t)(k->len >= 0 ? k->len :
			 (int)pamp_request_length(k->req, c->n));
	snprintf(what, sizeof(what), k->what, in, arg);
	memset(buf, 0, sizeof(buf));
	r = pc_raw(c, k->type, k->req, (uint16_t)value, buf, len,
		   c->timeout_ms);
	if (r != -EPIPE) {
		if (r >= 0)
			DETAIL(c, "expected STALL (EPIPE), seen success (%d bytes)",
			       r);
		else
			DETAIL(c, "expected STALL (EPIPE), seen %s",
			       pc_errname(r));
	}
	RESULT(c, r == -EPIPE && pc_unchanged(c, before),
	       "STALL: %s (wValue 0x%04x); nothing changed; the next request works",
	       what, (uint16_t)value);
}

static void run_single_cases(struct conform *c)
{
	struct pc_state before;
	size_t k;

	if (!pc_read_state(c, &before)) {
		RESULT(c, false, "the state can be read before the STALL cases");
		return;
	}
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]) && !c->gone; k++) {
		const struct stall_case *sc = &cases[k];
		unsigned int in, a;

		switch (sc->scope) {
		case ONCE:
			run_one(c, sc, &before, 0, sc->arg);
			break;
		case EACH_INPUT:
			for (in = 0; in < c->n; in++)
				run_one(c, sc, &before, in, sc->arg);
			break;
		case EACH_SWITCH:
			for (in = 0; in < c->n; in++)
				for (a = 0; a < PAMP_NUM_SWITCHES; a++)
					run_one(c, sc, &before, in, a);
			break;
		case EACH_ARG:
			for (in = 0; in < c->n; in++)
				for (a = 4; a <= 7; a++)
					run_one(c, sc, &before, in, a);
			break;
		}
	}
}

/*
 * SET_ALL_STATE: a valid set of records that changes every input, then
 * one record spoiled. The device must refuse the whole transfer: records
 * before and after the bad one are not applied either.
 */
typedef bool (*spoil_fn)(const struct conform *c, const struct pc_state *st,
			 struct pamp_set_state *recs, unsigned int in);

static bool spoil_gain_off_grid(const struct conform *c,
				const struct pc_state *st,
				struct pamp_set_state *recs, unsigned int in)
{
	const struct pv_input *p = &c->in[in];

	(void)st;
	if (!pc_has_gain(c, in) || p->gain_step < 2)
		return false;
	recs[in].gain = htole16((uint16_t)(p->gain_min + p->gain_step / 2));
	recs[in].apply = htole16(PAMP_APPLY_GAIN);
	return true;
}

static bool spoil_gain_below(const struct conform *c, const struct pc_state *st,
			     struct pamp_set_state *recs, unsigned int in)
{
	const struct pv_input *p = &c->in[in];

	(void)st;
	if (!pc_has_gain(c, in) || p->gain_min - p->gain_step < -32768)
		return false;
	recs[in].gain = htole16((uint16_t)(p->gain_min - p->gain_step));
	recs[in].apply = htole16(PAMP_APPLY_GAIN);
	return true;
}

static bool spoil_gain_above(const struct conform *c, const struct pc_state *st,
			     struct pamp_set_state *recs, unsigned int in)
{
	const struct pv_input *p = &c->in[in];

	(void)st;
	if (!pc_has_gain(c, in) || p->gain_max + p->gain_step > 32767)
		return false;
	recs[in].gain = htole16((uint16_t)(p->gain_max + p->gain_step));
	recs[in].apply = htole16(PAMP_APPLY_GAIN);
	return true;
}

static bool spoil_switch_outside_caps(const struct conform *c,
				      const struct pc_state *st,
				      struct pamp_set_state *recs,
				      unsigned int in)
{
	uint16_t lacking = (uint16_t)(~c->in[in].caps & PAMP_SWITCH_MASK);
	uint16_t bit;

	(void)st;
	if (!lacking)
		return false;
	bit = lacking & (uint16_t)-lacking;	/* the lowest one */
	recs[in].mask = htole16(le16toh(recs[in].mask) | bit);
	recs[in].value = htole16(le16toh(recs[in].value) | bit);
	return true;
}

static bool spoil_group_disagree(const struct conform *c,
				 const struct pc_state *st,
				 struct pamp_set_state *recs, unsigned int in)
{
	unsigned int first, last;
	uint16_t ph = 1u << PAMP_SW_PHANTOM;

	pc_group_span(c, in, &first, &last);
	if (first == last || in != first ||
	    !pc_has_switch(c, first, PAMP_SW_PHANTOM) ||
	    !pc_has_switch(c, last, PAMP_SW_PHANTOM))
		return false;
	/* Both masks carry it; the values differ. */
	recs[first].mask = htole16(le16toh(recs[first].mask) | ph);
	recs[last].mask = htole16(le16toh(recs[last].mask) | ph);
	recs[first].value = htole16((le16toh(recs[first].value) & ~ph) |
				    (~st->sw[first] & ph));
	recs[last].value = htole16((le16toh(recs[last].value) & ~ph) |
				   (st->sw[first] & ph));
	return true;
}

static const struct {
	const char *what;
	spoil_fn spoil;
} bad_records[] = {
	{ "gain off the step grid", spoil_gain_off_grid },
	{ "gain below gain_min", spoil_gain_below },
	{ "gain above gain_max", spoil_gain_above },
	{ "a masked switch outside the input's caps", spoil_switch_outside_caps },
	{ "phantom group members disagree on 48V", spoil_group_disagree },
};

/* Valid records that change every input: new gain, every switch flipped. */
static void changing_records(const struct conform *c, const struct pc_state *st,
			     struct pamp_set_state *recs)
{
	unsigned int i;

	memset(recs, 0, sizeof(*recs) * PAMP_MAX_INPUTS);
	for (i = 0; i < c->n; i++) {
		uint16_t caps = c->in[i].caps & PAMP_SWITCH_MASK;

		recs[i].mask = htole16(caps);
		recs[i].value = htole16((uint16_t)(~st->sw[i] & caps));
		if (pc_has_gain(c, i)) {
			int g = st->gain[i] + c->in[i].gain_step;

			if (g > c->in[i].gain_max)
				g = c->in[i].gain_min;
			recs[i].gain = htole16((uint16_t)g);
			recs[i].apply = htole16(PAMP_APPLY_GAIN);
		}
	}
}

static void run_bad_records(struct conform *c)
{
	struct pamp_set_state recs[PAMP_MAX_INPUTS];
	struct pc_state before;
	size_t k;

	if (!pc_read_state(c, &before)) {
		RESULT(c, false, "the state can be read before the SET_ALL_STATE cases");
		return;
	}
	for (k = 0; k < sizeof(bad_records) / sizeof(bad_records[0]); k++) {
		bool tried = false;
		unsigned int pick[2] = { c->n, c->n };
		unsigned int in, p;

		/* The first and the last input the spoiler applies to. */
		for (in = 0; in < c->n; in++) {
			changing_records(c, &before, recs);
			if (!bad_records[k].spoil(c, &before, recs, in))
				continue;
			if (pick[0] == c->n)
				pick[0] = in;
			pick[1] = in;
		}
		for (p = 0; p < 2 && !c->gone; p++) {
			int r;

			in = pick[p];
			if (in == c->n || (p == 1 && pick[1] == pick[0]))
				continue;
			tried = true;
			changing_records(c, &before, recs);
			bad_records[k].spoil(c, &before, recs, in);
			r = pc_out(c, PAMP_REQ_SET_ALL_STATE, 0, recs,
				   (uint16_t)(8 * c->n));
			if (r != -EPIPE)
				DETAIL(c, "expected STALL (EPIPE), seen %s",
				       r >= 0 ? "success" : pc_errname(r));
			RESULT(c, r == -EPIPE && pc_unchanged(c, &before),
			       "STALL: SET_ALL_STATE with %s in input %u's record, every other record valid; nothing changed",
			       bad_records[k].what, in);
			if (r >= 0) {
				/* It took it: put the state back. */
				struct pamp_set_state back[PAMP_MAX_INPUTS];
				unsigned int i;

				for (i = 0; i < c->n; i++) {
					back[i].mask = htole16(c->in[i].caps &
							       PAMP_SWITCH_MASK);
					back[i].value = htole16(before.sw[i]);
					back[i].gain = htole16((uint16_t)before.gain[i]);
					back[i].apply = htole16(pc_has_gain(c, i) ?
								PAMP_APPLY_GAIN : 0);
				}
				pc_set_all(c, back);
				tap_discard(&c->tap);
			}
		}
		if (!tried)
			SKIP(c, "no input of this model allows it",
			     "STALL: SET_ALL_STATE with %s", bad_records[k].what);
	}
}

void group_stall(struct conform *c)
{
	struct pc_saved saved;

	if (!pc_save(c, &saved)) {
		RESULT(c, false, "the state can be read before the group");
		return;
	}
	run_single_cases(c);
	run_bad_records(c);
	pc_restore(c, &saved);
}
