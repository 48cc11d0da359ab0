// SPDX-License-Identifier: MIT
/*
 * Groups "faults", "disconnect", "unplug" and "probe": the emulator's
 * injected faults as a host sees them, and what a reference client makes
 * of each (it is the first one: it runs the host's checks of section 6 on
 * what arrives and says whether it would use, degrade or refuse).
 */
#include "conform.h"

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static double ms_since(uint64_t t0)
{
	return (double)(pc_now_ns() - t0) / 1e6;
}

/* The pipe works and answers a whole GET_INFO. */
static bool works_after(struct conform *c)
{
	struct pamp_info info;

	if (pc_get_info(c, &info) && !memcmp(&info, &c->info, sizeof(info)))
		return true;
	DETAIL(c, "afterwards: expected GET_INFO to answer as at the start");
	return false;
}

static void fault_stall(struct conform *c)
{
	struct pamp_info info;
	struct pc_state before;
	unsigned int k;
	bool ok = pc_emu(c, "fault stall 3") == 0;
	int r;

	for (k = 0; ok && k < 3; k++) {
		r = pc_in(c, PAMP_REQ_GET_INFO, 0, &info, sizeof(info));
		if (r != -EPIPE) {
			DETAIL(c, "request %u of 3: expected STALL, seen %s", k + 1,
			       r < 0 ? pc_errname(r) : "an answer");
			ok = false;
		}
	}
	ok = ok && works_after(c);
	RESULT(c, ok, "fault stall 3: the next 3 requests STALL, the 4th is answered");

	for (k = 0; k < c->n && !pc_has_gain(c, k); k++)
		;
	if (k == c->n || !pc_read_state(c, &before))
		return;
	ok = pc_emu(c, "fault stall 1") == 0;
	r = pc_out(c, PAMP_REQ_SET_GAIN, pamp_wvalue_set_gain(k,
		   before.gain[k] == c->in[k].gain_min ? 1 : 0), NULL, 0);
	if (r != -EPIPE) {
		DETAIL(c, "expected STALL, seen %s",
		       r < 0 ? pc_errname(r) : "success");
		ok = false;
	}
	ok = ok && pc_unchanged(c, &before);
	RESULT(c, ok, "fault stall 1: a valid SET_GAIN STALLs and changes nothing; the next request works");
}

static void fault_delay(struct conform *c)
{
	struct pamp_info info;
	struct pc_state before, after;
	uint64_t t0;
	double ms[3];
	unsigned int k;
	bool ok;
	int r;

	c->slow_expected = true;
	ok = pc_emu(c, "fault delay 200") == 0;
	t0 = pc_now_ns();
	r = pc_in(c, PAMP_REQ_GET_INFO, 0, &info, sizeof(info));
	ms[0] = ms_since(t0);
	if (r != (int)sizeof(info) || ms[0] < 180) {
		DETAIL(c, "expected a whole reply after 200 ms, seen %s after %.0f ms",
		       r < 0 ? pc_errname(r) : "a reply", ms[0]);
		ok = false;
	}
	RESULT(c, ok, "fault delay 200: the late reply arrives (%.0f ms), well within the 1000 ms host timeout",
	       ms[0]);

	ok = pc_emu(c, "fault delay 150 2") == 0;
	for (k = 0; k < 3; k++) {
		t0 = pc_now_ns();
		r = pc_in(c, PAMP_REQ_GET_INFO, 0, &info, sizeof(info));
		ms[k] = ms_since(t0);
		if (r != (int)sizeof(info)) {
			DETAIL(c, "request %u: %s", k + 1,
			       r < 0 ? pc_errname(r) : "short");
			ok = false;
		}
	}
	if (ms[0] < 130 || ms[1] < 130 || ms[2] >= 130) {
		DETAIL(c, "expected two late replies then a prompt one, seen %.0f, %.0f, %.0f ms",
		       ms[0], ms[1], ms[2]);
		ok = false;
	}
	RESULT(c, ok, "fault delay 150 2: two late replies (%.0f, %.0f ms), then a prompt one (%.0f ms)",
	       ms[0], ms[1], ms[2]);

	/* A late SET_GAIN still takes effect. */
	for (k = 0; k < c->n && !pc_has_gain(c, k); k++)
		;
	if (k < c->n && pc_read_state(c, &before)) {
		unsigned int idx = before.gain[k] == c->in[k].gain_min ? 1 : 0;

		ok = pc_emu(c, "fault delay 200") == 0;
		t0 = pc_now_ns();
		ok = ok && pc_set_gain_index(c, k, idx);
		ms[0] = ms_since(t0);
		if (ok && pc_read_state(c, &after) &&
		    after.gain[k] != c->in[k].gain_min +
		    (int)(idx * c->in[k].gain_step)) {
			DETAIL(c, "gain afterwards: expected %d, seen %d",
			       c->in[k].gain_min + (int)(idx * c->in[k].gain_step),
			       after.gain[k]);
			ok = false;
		}
		RESULT(c, ok, "fault delay 200 on SET_GAIN: completes late (%.0f ms) and takes effect",
		       ms[0]);
		pc_set_gain_index(c, k, (unsigned int)(before.gain[k] -
			c->in[k].gain_min) / c->in[k].gain_step);
	}

	/* Past the host's timeout. */
	if (!pc_read_state(c, &before)) {
		c->slow_expected = false;
		return;
	}
	ok = pc_emu(c, "fault delay 1500") == 0;
	t0 = pc_now_ns();
	/* The spec's host timeout, whatever --timeout says. */
	r = pc_raw(c, PAMP_REQTYPE_IN, PAMP_REQ_GET_INFO, 0, &info,
		   sizeof(info), PAMP_HOST_TIMEOUT_MS);
	ms[0] = ms_since(t0);
	if (r != -ETIMEDOUT || ms[0] < PAMP_HOST_TIMEOUT_MS - 50 ||
	    ms[0] > 2 * PAMP_HOST_TIMEOUT_MS) {
		DETAIL(c, "expected ETIMEDOUT after %d ms, seen %s after %.0f ms",
		       PAMP_HOST_TIMEOUT_MS,
		       r < 0 ? pc_errname(r) : "a reply", ms[0]);
		ok = false;
	}
	pc_sleep_ms(800);	/* the device finishes its late answer */
	ok = ok && pc_unchanged(c, &before);
	RESULT(c, ok, "fault delay 1500: the host times out (ETIMEDOUT after %.0f ms); the device works after",
	       ms[0]);
	c->slow_expected = false;
}

static const struct {
	uint8_t req;
	int len;		/* the cut length; -1: one byte short */
} short_cases[] = {
	{ PAMP_REQ_GET_INFO, 10 },
	{ PAMP_REQ_GET_INFO, 0 },
	{ PAMP_REQ_GET_INPUT_INFO, 16 },
	{ PAMP_REQ_GET_INPUT_STATE, 2 },
	{ PAMP_REQ_GET_ALL_STATE, -1 },
	{ PAMP_REQ_GET_METERS, -1 },
};

static void fault_short(struct conform *c)
{
	uint8_t buf[8 * PAMP_MAX_INPUTS];
	size_t k;

	for (k = 0; k < sizeof(short_cases) / sizeof(short_cases[0]); k++) {
		uint8_t req = short_cases[k].req;
		unsigned int size = pamp_request_length(req, c->n);
		int cut = short_cases[k].len < 0 ? (int)size - 1 :
			  short_cases[k].len;
		bool ok;
		int r;

		if (req == PAMP_REQ_GET_METERS && !(c->flags & PAMP_FLAG_METERS))
			continue;
		ok = pc_emu(c, "fault short %d", cut) == 0;
		r = pc_in(c, req, 0, buf, (uint16_t)size);
		if (r != cut) {
			DETAIL(c, "expected a reply of %d bytes, seen %s%d",
			       cut, r < 0 ? pc_errname(r) : "",
			       r < 0 ? 0 : r);
			ok = false;
		} else {
			/* What a host does with it. */
			DETAIL(c, "the client: %s reply of %d bytes, %u expected: a protocol error, the request fails",
			       pc_req_name(req), r, size);
			if (req == PAMP_REQ_GET_INFO) {
				struct pv_result res;

				pv_check_info(buf, (size_t)r, &res);
				if (res.verdict != PV_REFUSED ||
				    !(res.issues & PV_INFO_SHORT)) {
					DETAIL(c, "the host's checks should refuse a short GET_INFO, said %s",
					       pv_verdict_name(res.verdict));
					ok = false;
				}
			}
		}
		r = pc_in(c, req, 0, buf, (uint16_t)size);
		if (r != (int)size) {
			DETAIL(c, "the next %s: expected %u bytes, seen %s%d",
			       pc_req_name(req), size, r < 0 ? pc_errname(r) : "",
			       r < 0 ? 0 : r);
			ok = false;
		}
		RESULT(c, ok, "fault short %d: %s answers %d of %u bytes, the client sees it short; the next is whole",
		       cut, pc_req_name(req), cut, size);
	}
}

/* Bytes [from, to) of a record may differ; no other byte. */
struct span {
	unsigned int from, to;
};

static bool only_differs(struct conform *c, const uint8_t *good,
			 const uint8_t *bad, size_t len, struct span allowed)
{
	bool differs = false, ok = true;
	size_t i;

	for (i = 0; i < len; i++) {
		bool in_span = i >= allowed.from && i < allowed.to;

		if (good[i] == bad[i])
			continue;
		if (in_span) {
			differs = true;
		} else {
			DETAIL(c, "byte %zu changed too: 0x%02x, was 0x%02x", i,
			       bad[i], good[i]);
			ok = false;
		}
	}
	if (allowed.to > allowed.from && !differs) {
		DETAIL(c, "bytes %u..%u are as in the good reply: no malformation seen",
		       allowed.from, allowed.to - 1);
		ok = false;
	}
	return ok;
}

static const struct {
	const char *kind;
	unsigned int issue;		/* what the host's checks must find */
	struct span span;		/* where the lie is */
} info_faults[] = {
	{ "magic",	PV_INFO_MAGIC,		{ 0, 4 } },
	{ "major",	PV_INFO_MAJOR,		{ 4, 5 } },
	{ "inputs0",	PV_INFO_NO_INPUTS,	{ 6, 7 } },
	{ "inputs33",	PV_INFO_TOO_MANY,	{ 6, 7 } },
	{ "window-low",	PV_INFO_WINDOW,		{ 8, 10 } },
	{ "window-high", PV_INFO_WINDOW,	{ 8, 10 } },
	{ "none",	0,			{ 0, 0 } },
};

#define NOTE_ISSUES (PV_RESERVED_NONZERO | PV_UNKNOWN_FLAGS | PV_UNKNOWN_CAPS)

static void fault_info(struct conform *c)
{
	size_t k;

	for (k = 0; k < sizeof(info_faults) / sizeof(info_faults[0]); k++) {
		uint8_t buf[sizeof(struct pamp_info)];
		struct pv_result res;
		char names[128];
		bool ok;
		int r;

		if (!strncmp(info_faults[k].kind, "window", 6) &&
		    !(c->flags & PAMP_FLAG_METERS))
			tap_note("fault info %s on a model without meters: a host does not look at the window",
				 info_faults[k].kind);
		ok = pc_emu(c, "fault info %s", info_faults[k].kind) == 0;
		r = pc_in(c, PAMP_REQ_GET_INFO, 0, buf, sizeof(buf));
		if (r != (int)sizeof(buf)) {
			DETAIL(c, "GET_INFO: expected 16 bytes, seen %s%d",
			       r < 0 ? pc_errname(r) : "", r < 0 ? 0 : r);
			RESULT(c, false, "fault info %s", info_faults[k].kind);
			continue;
		}
		ok &= only_differs(c, (const uint8_t *)&c->info, buf,
				   sizeof(buf), info_faults[k].span);
		pv_check_info(buf, sizeof(buf), &res);
		pv_issue_names(res.issues, names, sizeof(names));
		if (!(c->flags & PAMP_FLAG_METERS) &&
		    info_faults[k].issue == PV_INFO_WINDOW) {
			if (res.issues & ~(unsigned int)NOTE_ISSUES) {
				DETAIL(c, "the host's checks found %s", names);
				ok = false;
			}
		} else if ((res.issues & ~(unsigned int)NOTE_ISSUES) !=
			   info_faults[k].issue) {
			char want[64];

			pv_issue_names(info_faults[k].issue, want, sizeof(want));
			DETAIL(c, "the host's checks: expected %s, found %s", want,
			       names);
			ok = false;
		}
		DETAIL(c, "the client would %s the device%s%s",
		       pv_verdict_name(res.verdict), res.num_msgs ? ": " : "",
		       res.num_msgs ? res.msg[0] : "");
		ok &= pc_emu(c, "fault info none") == 0 && works_after(c);
		RESULT(c, ok, "fault info %s: GET_INFO shows exactly that (%s); the client would %s the device",
		       info_faults[k].kind, names, pv_verdict_name(res.verdict));
	}
}

static const struct {
	const char *kind;
	unsigned int issue;
	struct span span;
	bool needs_gain;
} input_faults[] = {
	{ "range-inverted",	PV_IN_GAIN_RANGE,	{ 2, 8 }, true },
	{ "step-zero",		PV_IN_GAIN_RANGE,	{ 6, 8 }, true },
	{ "step-indivisible",	PV_IN_GAIN_RANGE,	{ 2, 8 }, true },
	{ "too-many-steps",	PV_IN_GAIN_RANGE,	{ 2, 8 }, true },
	{ "group-split",	PV_IN_GROUP_SPLIT,	{ 8, 9 }, false },
	{ "label-no-nul",	PV_IN_LABEL_NO_NUL,	{ 16, 32 }, false },
	{ "label-utf8",		PV_IN_LABEL_UTF8,	{ 16, 32 }, false },
	{ "none",		0,			{ 0, 0 }, false },
};

static void fault_input_info(struct conform *c)
{
	unsigned int gain_in, other_in;
	size_t k;

	for (gain_in = 0; gain_in < c->n && !pc_has_gain(c, gain_in); gain_in++)
		;
	other_in = c->n - 1;
	for (k = 0; k < sizeof(input_faults) / sizeof(input_faults[0]); k++) {
		uint8_t bufs[PAMP_MAX_INPUTS][sizeof(struct pamp_input_info)];
		size_t lens[PAMP_MAX_INPUTS];
		struct pv_input out[PAMP_MAX_INPUTS];
		struct pv_result res;
		unsigned int in = input_faults[k].needs_gain ? gain_in : other_in;
		unsigned int i, others = 0;
		char names[128];
		bool ok;

		if (in >= c->n) {
			SKIP(c, "no input with CAP_GAIN", "fault input-info %s",
			     input_faults[k].kind);
			continue;
		}
		if (input_faults[k].issue == PV_IN_GROUP_SPLIT && c->n < 3) {
			/* member, other, member: three inputs at least */
			SKIP(c, "fewer than 3 inputs cannot hold a split group",
			     "fault input-info %u %s", in + 1, input_faults[k].kind);
			continue;
		}
		ok = pc_emu(c, "fault input-info %u %s", in + 1,
			    input_faults[k].kind) == 0;
		for (i = 0; i < c->n; i++) {
			int r = pc_in(c, PAMP_REQ_GET_INPUT_INFO, (uint16_t)i,
				      bufs[i], sizeof(bufs[i]));

			lens[i] = r < 0 ? 0 : (size_t)r;
			if (r != (int)sizeof(bufs[i])) {
				DETAIL(c, "GET_INPUT_INFO %u: %s%d", i,
				       r < 0 ? pc_errname(r) : "short ",
				       r < 0 ? 0 : r);
				ok = false;
			} else if (i != in && memcmp(bufs[i], &c->raw[i],
						     sizeof(bufs[i]))) {
				DETAIL(c, "GET_INPUT_INFO %u changed too", i);
				ok = false;
			}
		}
		if (lens[in] == sizeof(bufs[in]))
			ok &= only_differs(c, (const uint8_t *)&c->raw[in],
					   bufs[in], sizeof(bufs[in]),
					   input_faults[k].span);
		memset(&res, 0, sizeof(res));
		pv_check_inputs(bufs, lens, c->n, out, &res);
		pv_issue_names(out[in].issues & ~(unsigned int)NOTE_ISSUES,
			       names, sizeof(names));
		for (i = 0; i < c->n; i++)
			if (i != in && (out[i].issues & ~(unsigned int)NOTE_ISSUES) &&
			    !(out[i].issues & PV_IN_GROUP_SPLIT))
				others++;
		if ((out[in].issues & ~(unsigned int)NOTE_ISSUES) !=
		    input_faults[k].issue || others) {
			char want[64];
			uint8_t g = bufs[in][8];
			unsigned int sharing = 0;

			for (i = 0; i < c->n; i++)
				sharing += i != in && bufs[i][8] == g;
			if (input_faults[k].issue == PV_IN_GROUP_SPLIT && g &&
			    !sharing)
				DETAIL(c, "phantom_group %u on input %u is shared by no other input: a one-member group is consecutive, a legal reply (section 3); a split needs a number that a non-adjacent input has",
				       g, in);

			pv_issue_names(input_faults[k].issue, want, sizeof(want));
			DETAIL(c, "the host's checks on input %u: expected %s, found %s (%u other inputs flagged)",
			       in, want, names, others);
			ok = false;
		}
		for (i = 0; i < res.num_msgs; i++)
			DETAIL(c, "the client: %s", res.msg[i]);
		ok &= pc_emu(c, "fault input-info %u none", in + 1) == 0;
		if (ok) {
			uint8_t again[sizeof(struct pamp_input_info)];

			if (pc_in(c, PAMP_REQ_GET_INPUT_INFO, (uint16_t)in, again,
				  sizeof(again)) != (int)sizeof(again) ||
			    memcmp(again, &c->raw[in], sizeof(again))) {
				DETAIL(c, "after `none`, GET_INPUT_INFO %u is not as at the start",
				       in);
				ok = false;
			}
		}
		RESULT(c, ok, "fault input-info %u %s: GET_INPUT_INFO %u shows exactly that (%s); the client would %s the device",
		       in + 1, input_faults[k].kind, in, names,
		       pv_verdict_name(res.verdict));
	}
}

/* Something a knob can change on this model; "" if nothing. */
static void knob_command(struct conform *c, unsigned int turn, char *cmd,
			 size_t len)
{
	unsigned int i, sw;

	cmd[0] = '\0';
	for (i = 0; i < c->n; i++) {
		if (pc_has_gain(c, i)) {
			int g = c->in[i].gain_min +
				(turn % 2 ? 0 : c->in[i].gain_step);

			snprintf(cmd, len, "knob %u gain %.4f", i + 1, g / 256.0);
			return;
		}
		for (sw = 0; sw < PAMP_NUM_SWITCHES; sw++)
			if (pc_has_switch(c, i, sw)) {
				snprintf(cmd, len, "knob %u %s %s", i + 1,
					 pc_switch_names[sw], turn % 2 ? "off" : "on");
				return;
			}
	}
}

/* Turns a knob and waits for the next thing on the interrupt endpoint. */
static int knob_and_wait(struct conform *c, unsigned int turn,
			 struct pc_notif *n)
{
	char cmd[64];

	knob_command(c, turn, cmd, sizeof(cmd));
	if (!cmd[0] || pc_emu(c, "%s", cmd) < 0)
		return -EINVAL;
	return pc_notif_wait(c, 1500, n);
}

static void fault_notify(struct conform *c)
{
	struct pc_notif n[PC_NOTIF_MAX];
	uint32_t mask = c->n >= 32 ? 0xffffffffu : (1u << c->n) - 1;
	unsigned int len, turn = 0;
	size_t got, extra, i;
	double min_gap = 1e9;
	bool ok;
	char cmd[64];

	if (!(c->flags & PAMP_FLAG_NOTIFY) || !c->intr) {
		SKIP(c, "no FLAG_NOTIFY", "notification faults");
		return;
	}
	knob_command(c, 0, cmd, sizeof(cmd));
	if (!cmd[0]) {
		SKIP(c, "nothing a knob can turn", "notification faults");
		return;
	}
	/* Make sure the knob's first turn is a change. */
	knob_and_wait(c, 1, &n[0]);
	pc_notif_drain(c, 100);

	for (len = 0; len < 8; len++) {
		ok = pc_emu(c, "fault notify-short %u", len) == 0 &&
		     knob_and_wait(c, turn++, &n[0]) == 1;
		if (ok && (n[0].status || n[0].len != len)) {
			pc_notif_describe(c, &n[0]);
			DETAIL(c, "expected a notification of %u bytes", len);
			ok = false;
		} else if (ok) {
			DETAIL(c, "the client: a notification of %u bytes (8 expected): ignores its content, re-reads all state",
			       len);
		}
		pc_notif_drain(c, 60);
		ok = ok && knob_and_wait(c, turn++, &n[1]) == 1 &&
		     n[1].len == 8 && !n[1].status;
		if (!ok)
			DETAIL(c, "the next notification: expected 8 bytes");
		pc_notif_drain(c, 60);
		RESULT(c, ok, "fault notify-short %u: the next notification is %u bytes, the one after 8",
		       len, len);
	}

	ok = pc_emu(c, "fault notify-garbage") == 0 &&
	     knob_and_wait(c, turn++, &n[0]) == 1;
	if (ok) {
		uint32_t beyond = n[0].changed & ~mask;
		uint32_t unknown = n[0].events &
				   ~(uint32_t)(PAMP_EVT_CLIP | PAMP_EVT_RESET);

		pc_notif_describe(c, &n[0]);
		if (n[0].len != 8 || (!beyond && !unknown)) {
			DETAIL(c, "expected 8 bytes with bits beyond the %u inputs or unknown events",
			       c->n);
			ok = false;
		}
		DETAIL(c, "the client: ignores changed bits 0x%08x (no such inputs) and events 0x%08x; re-reads inputs 0x%08x",
		       beyond, unknown, n[0].changed & mask);
	}
	pc_notif_drain(c, 60);
	ok = ok && knob_and_wait(c, turn++, &n[1]) == 1 && n[1].len == 8 &&
	     !(n[1].changed & ~mask) &&
	     !(n[1].events & ~(uint32_t)(PAMP_EVT_CLIP | PAMP_EVT_RESET));
	RESULT(c, ok, "fault notify-garbage: the next notification has unknown bits; the one after is clean");
	pc_notif_drain(c, 60);

	ok = pc_emu(c, "fault storm 50") == 0;
	got = pc_notif_collect(c, 400, 8000, n, PC_NOTIF_MAX, &extra);
	for (i = 1; i < got; i++) {
		double gap = (double)(n[i].t_ns - n[i - 1].t_ns) / 1e6;

		if (gap < min_gap)
			min_gap = gap;
	}
	if (!got) {
		DETAIL(c, "expected the storm's notifications, seen none");
		ok = false;
	}
	DETAIL(c, "%zu notifications, closest %.2f ms apart: the client survives and coalesces",
	       got + extra, got > 1 ? min_gap : 0.0);
	ok = ok && works_after(c);
	pc_notif_drain(c, 100);
	ok = ok && knob_and_wait(c, turn++, &n[0]) == 1 && n[0].len == 8 &&
	     !n[0].status;
	RESULT(c, ok, "fault storm 50: %zu notifications arrive (closest %.2f ms apart, below the spec's 10 ms); then the device and its notifications work",
	       got + extra, got > 1 ? min_gap : 0.0);
	pc_notif_drain(c, 100);
}

void group_faults(struct conform *c)
{
	struct pc_saved saved;

	unsigned int i;

	if (!pc_save(c, &saved)) {
		RESULT(c, false, "the state can be read before the group");
		return;
	}
	/* Silent sources: no clip event comes between the faults. */
	for (i = 0; i < c->n; i++)
		pc_emu(c, "source %u silence -120", i + 1);
	tap_discard(&c->tap);
	pc_notif_drain(c, 100);
	fault_stall(c);
	fault_delay(c);
	fault_short(c);
	fault_info(c);
	fault_input_info(c);
	fault_notify(c);
	pc_restore(c, &saved);
}

/* How a request that the device never answers ends on the host. */
static bool gone_error(int r)
{
	switch (-r) {
	case ENODEV:
	case EPROTO:
	case ESHUTDOWN:
	case ECONNRESET:
	case EIO:
	case ENOENT:
	case ETIMEDOUT:
		return true;
	default:
		return false;
	}
}

/* The request REQ in a valid form, so only the disconnect can fail it. */
static int issue(struct conform *c, unsigned int req)
{
	uint8_t buf[8 * PAMP_MAX_INPUTS];
	unsigned int len = pamp_request_length(req, c->n);
	unsigned int sw;

	memset(buf, 0, sizeof(buf));
	switch (req) {
	case PAMP_REQ_SET_GAIN:
		return pc_out(c, (uint8_t)req, pamp_wvalue_set_gain(0, 0), NULL, 0);
	case PAMP_REQ_SET_SWITCH:
		for (sw = 0; sw < PAMP_NUM_SWITCHES && !pc_has_switch(c, 0, sw);
		     sw++)
			;
		return pc_out(c, (uint8_t)req, pamp_wvalue_set_switch(0, sw, 0),
			      NULL, 0);
	case PAMP_REQ_SET_ALL_STATE:
		return pc_out(c, (uint8_t)req, 0, buf, (uint16_t)len);
	default:
		return pc_in(c, (uint8_t)req, 0, buf, (uint16_t)len);
	}
}

void group_disconnect(struct conform *c)
{
	const char *name = c->disconnect_req;
	unsigned int req = PAMP_REQ_GET_INFO, k;
	struct pc_notif n;
	uint64_t t0;
	bool ok, gone = false;
	int r = 0;

	/* What arrived before is not what the disconnect does. */
	pc_notif_drain(c, 100);
	if (name) {
		for (k = PAMP_REQ_FIRST; k <= PAMP_REQ_LAST; k++)
			if (!strcmp(name, pc_req_name(k)))
				req = k;
		if (strcmp(name, "any") && strcmp(name, pc_req_name(req))) {
			RESULT(c, false, "--disconnect-on %s: a request name or any",
			       name);
			return;
		}
		ok = pc_emu(c, "fault disconnect-on %s", name) == 0;
		t0 = pc_now_ns();
		r = issue(c, req);
		if (!gone_error(r)) {
			DETAIL(c, "expected the request to fail as the device vanishes (ENODEV, EPROTO, ESHUTDOWN, ...), seen %s",
			       r >= 0 ? "success" : pc_errname(r));
			ok = false;
		}
		RESULT(c, ok, "fault disconnect-on %s: the device vanishes mid-request; %s fails with %s after %.0f ms (expected)",
		       name, pc_req_name(req), pc_errname(r), ms_since(t0));
	} else {
		ok = pc_emu(c, "unplug") == 0;
		RESULT(c, ok, "unplug: the emulator drops the connection");
	}

	/* The device node goes away within a few seconds. */
	t0 = pc_now_ns();
	while (ms_since(t0) < 5000 && !(gone = !usbfs_connected(&c->dev)))
		pc_sleep_ms(50);
	if (!gone)
		DETAIL(c, "usbfs still reports the device connected after 5 s");
	RESULT(c, gone, "the device is gone from the host (%.0f ms)", ms_since(t0));
	c->gone = true;

	/* A pending notification read ends with an error, not a hang. */
	if (c->intr) {
		/* Notifications completed before it went are skipped. */
		for (k = 0; k < 64; k++) {
			r = pc_notif_wait(c, 2000, &n);
			if (r != 1 || n.status != 0)
				break;
		}
		ok = (r == 1 && n.status != 0) || r == -ENODEV;
		if (!ok)
			DETAIL(c, "the interrupt URB: expected an error status, seen %s",
			       r == 1 ? "a completion with status 0" :
			       r == 0 ? "nothing within 2 s" : pc_errname(r));
		RESULT(c, ok, "the pending interrupt URB ends with %s",
		       r == 1 ? pc_errname(n.status) : pc_errname(r));
	}
	r = issue(c, PAMP_REQ_GET_INFO);
	if (r != -ENODEV)
		DETAIL(c, "expected ENODEV, seen %s", pc_errname(r));
	RESULT(c, r == -ENODEV, "a request after the disconnect fails with ENODEV");
}

static const char *outcome(int r, char *buf, size_t len)
{
	if (r < 0)
		snprintf(buf, len, "%s", pc_errname(r));
	else
		snprintf(buf, len, "%d bytes", r);
	return buf;
}

/* What the spec leaves open: reported, never judged. */
void group_probe(struct conform *c)
{
	uint8_t buf[64 + 8 * PAMP_MAX_INPUTS];
	struct pamp_set_state recs[PAMP_MAX_INPUTS];
	struct pc_state before, after;
	int r;

	char o[48];

	r = pc_in(c, PAMP_REQ_GET_INFO, 0, buf, 64);
	tap_note("probe: GET_INFO with wLength 64 -> %s", outcome(r, o, sizeof(o)));
	r = pc_in(c, PAMP_REQ_GET_INFO, 0, buf, 8);
	tap_note("probe: GET_INFO with wLength 8 -> %s", outcome(r, o, sizeof(o)));
	r = pc_in(c, PAMP_REQ_GET_INPUT_STATE, 0, buf, 2);
	tap_note("probe: GET_INPUT_STATE with wLength 2 -> %s",
		 outcome(r, o, sizeof(o)));
	r = pc_in(c, PAMP_REQ_GET_ALL_STATE, 0, buf, (uint16_t)(4 * c->n + 4));
	tap_note("probe: GET_ALL_STATE with wLength 4 * num_inputs + 4 -> %s",
		 outcome(r, o, sizeof(o)));
	if (!pc_read_state(c, &before)) {
		tap_discard(&c->tap);
		return;
	}
	memset(recs, 0, sizeof(recs));
	r = pc_out(c, PAMP_REQ_SET_ALL_STATE, 0, recs, (uint16_t)(8 * c->n - 1));
	tap_note("probe: SET_ALL_STATE with wLength 8 * num_inputs - 1 (empty masks) -> %s",
		 r < 0 ? pc_errname(r) : "accepted");
	r = pc_out(c, PAMP_REQ_SET_GAIN, pamp_wvalue_set_gain(0, 0), recs, 2);
	tap_note("probe: SET_GAIN with a 2-byte data stage -> %s",
		 r < 0 ? pc_errname(r) : "accepted");
	if (pc_read_state(c, &after) &&
	    !pc_same_state(c, &before, "before", &after, "after")) {
		tap_note("probe: the state changed; putting it back");
		for (unsigned int i = 0; i < c->n; i++) {
			recs[i].mask = htole16(c->in[i].caps & PAMP_SWITCH_MASK);
			recs[i].value = htole16(before.sw[i]);
			recs[i].gain = htole16((uint16_t)before.gain[i]);
			recs[i].apply = htole16(pc_has_gain(c, i) ?
						PAMP_APPLY_GAIN : 0);
		}
		pc_set_all(c, recs);
	}
	tap_discard(&c->tap);
	pc_notif_drain(c, 60);
}
