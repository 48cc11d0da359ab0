// SPDX-License-Identifier: MIT
/*
 * The scarlett2 device model (scarlett2-model.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "scarlett2-model.h"

#define HEADER_LEN		16
#define INIT_STEP0_LEN		24
#define INIT_2_LEN		84
#define TOLD_AFTER_NS		(50ull * 1000000)	/* "it runs" */
#define MS			1000000ull
#define QUIET_DBFS		-60.0	/* at full gain: nobody plays */

/* raw autogain results, by status set */
enum { R_SUCCESS, R_TOO_QUIET, R_MAX_GAIN, R_MIN_GAIN, R_CLIPPED,
       R_CANCELLED, R_COUNT };

static const uint8_t raw_result[2][R_COUNT] = {
	/* gen4: Success SuccessDRover WarnMinGainLimit FailDRunder
	 * FailMaxGainLimit FailClipped Cancelled */
	[S2_STATUS_GEN4] = { 0, 3, 4, 2, 5, 6 },
	/* Vocaster: Success FailPG FailRange WarnMaxCap WarnMinCap Cancelled */
	[S2_STATUS_VOCASTER] = { 0, 2, 3, 4, 4, 5 },
};

static const char *const status_words[2][9] = {
	[S2_STATUS_GEN4] = { "Success", "SuccessDRover", "WarnMinGainLimit",
			     "FailDRunder", "FailMaxGainLimit", "FailClipped",
			     "Cancelled", NULL },
	[S2_STATUS_VOCASTER] = { "Success", "FailPG", "FailRange",
				 "WarnMaxCap", "WarnMinCap", "Cancelled", NULL },
};

static const char *const fn_names[S2_FN_COUNT] = {
	[S2_FN_GAIN] = "gain", [S2_FN_PHANTOM] = "48V",
	[S2_FN_LEVEL] = "inst", [S2_FN_PAD] = "pad", [S2_FN_AIR] = "air",
	[S2_FN_AG_SWITCH] = "autogain", [S2_FN_SAFE] = "safe",
};

static const char *const count_names[S2_C_COUNT] = {
	"INIT", "GET_DATA", "SET_DATA", "DATA_CMD", "GET_MUX", "SET_MUX",
	"GET_MIX", "SET_MIX", "GET_METER", "GET_SYNC", "FLASH", "OTHER"
};

const char *s2_count_name(enum s2_count c)
{
	return c < S2_C_COUNT ? count_names[c] : "?";
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

/* ---- the data space ------------------------------------------------------ */

static const struct s2_item *item_of(const struct s2_model *m, enum s2_fn fn)
{
	const struct s2_item *it;

	for (it = m->items; it->offset; it++)
		if (it->fn == fn)
			return it;
	return NULL;
}

/* Slots of a single setting (targets, MSD, ...) have no span: one slot. */
static unsigned int slots_of(const struct s2_model *m, enum s2_fn fn)
{
	return m->span[fn].count ? m->span[fn].count : 1;
}

static unsigned int mem_get(const uint8_t *mem, const struct s2_item *it,
			    unsigned int slot)
{
	switch (it->bits) {
	case 1:
		return (mem[it->offset] >> slot) & 1;
	case 16:
		return le16(mem + it->offset + 2 * slot);
	case 32:
		return le32(mem + it->offset + 4 * slot);
	default:
		return mem[it->offset + slot];
	}
}

static void mem_set(uint8_t *mem, const struct s2_item *it, unsigned int slot,
		    unsigned int v)
{
	switch (it->bits) {
	case 1:
		if (v & 1)
			mem[it->offset] |= (uint8_t)(1u << slot);
		else
			mem[it->offset] &= (uint8_t)~(1u << slot);
		break;
	case 16:
		put_le16(mem + it->offset + 2 * slot, (uint16_t)v);
		break;
	case 32:
		put_le32(mem + it->offset + 4 * slot, v);
		break;
	default:
		mem[it->offset + slot] = (uint8_t)v;
		break;
	}
}

/* The value of a 4th Gen "mute" item: 2 and 3 are on and off on their way. */
static unsigned int decode_mute(unsigned int v)
{
	return (v ^ (v >> 1)) & 1;
}

/* The switch (slot) an input belongs to, or -1. */
static int slot_of(const struct s2_model *m, enum s2_fn fn, unsigned int input)
{
	const struct s2_span *sp = &m->span[fn];
	unsigned int per = sp->per ? sp->per : 1;

	if (!sp->count || input < sp->first ||
	    (input - sp->first) / per >= sp->count)
		return -1;
	return (int)(sp->slot0 + (input - sp->first) / per);
}

static unsigned int fn_value(const struct s2_dev *d, enum s2_fn fn,
			     unsigned int slot)
{
	const struct s2_item *it = item_of(d->m, fn);
	unsigned int v;

	if (!it)
		return 0;
	v = mem_get(d->mem, it, slot);
	return it->mute ? decode_mute(v) : v;
}

/* "1" or "1-2": the inputs one switch serves, for the log. */
static void inputs_of(const struct s2_model *m, enum s2_fn fn,
		      unsigned int slot, char *buf, size_t size)
{
	const struct s2_span *sp = &m->span[fn];
	unsigned int per = sp->per ? sp->per : 1;
	unsigned int first = sp->first + (slot - sp->slot0) * per + 1;

	if (per > 1)
		snprintf(buf, size, "%u-%u", first, first + per - 1);
	else
		snprintf(buf, size, "%u", first);
}

/* 48 V as it is now, logged when it changes: what a test times. */
static void phantom_check(struct s2_dev *d, unsigned int slot, const char *who,
			  uint64_t now_ns)
{
	bool on = fn_value(d, S2_FN_PHANTOM, slot);
	char in[16];

	if (slot >= S2_MAX_INPUTS || d->phantom_on[slot] == on)
		return;
	d->phantom_on[slot] = on;
	inputs_of(d->m, S2_FN_PHANTOM, slot, in, sizeof(in));
	emu_event(now_ns, "48V input %s %s by %s", in, on ? "on" : "off", who);
}

/* What a power cycle keeps: everything but running autogain and a switch
 * still settling. */
static void save_flash(struct s2_dev *d)
{
	memcpy(d->flash, d->mem, sizeof(d->flash));
}

static void tell(struct s2_dev *d, enum s2_fn fn)
{
	d->pending |= d->m->notify[fn];
}

/* ---- the device's own autogain ------------------------------------------- */

static double target_dbfs(const struct s2_dev *d)
{
	const struct s2_item *it = item_of(d->m, S2_FN_AG_PEAK);

	if (!it)
		it = item_of(d->m, S2_FN_AG_HOT);
	if (!it)
		return -12.0;
	return -(double)(mem_get(d->mem, it, 0) & 0x7f);
}

static void set_status(struct s2_dev *d, unsigned int slot, int result)
{
	const struct s2_item *st = item_of(d->m, S2_FN_AG_STATUS);

	if (st)
		mem_set(d->mem, st, slot, raw_result[d->m->statuses][result]);
}

static void autogain_start(struct s2_dev *d, unsigned int slot, const char *who,
			   uint64_t now_ns)
{
	struct s2_autogain *ag = &d->ag[slot];

	ag->running = true;
	ag->told = false;
	ag->told_ns = now_ns + TOLD_AFTER_NS;
	ag->end_ns = now_ns + (uint64_t)d->autogain_ms * MS;
	emu_event(now_ns, "autogain input %u starts (%s), target %.0f dBFS",
		  slot + 1, who, target_dbfs(d));
}

static void autogain_stop(struct s2_dev *d, unsigned int slot, uint64_t now_ns)
{
	d->ag[slot].running = false;
	set_status(d, slot, R_CANCELLED);
	emu_event(now_ns, "autogain input %u cancelled", slot + 1);
	tell(d, S2_FN_AG_STATUS);
}

/* What a run on the input arrives at: its result and gain (raw). */
static int autogain_verdict(const struct s2_dev *d, unsigned int slot,
			    long *raw)
{
	const struct s2_item *gain = item_of(d->m, S2_FN_GAIN);
	double step = d->m->gain_step_db, max_db = S2_GAIN_MAX * step;
	double src = d->source_dbfs[slot], need = target_dbfs(d) - src;

	*raw = gain ? (long)mem_get(d->mem, gain, slot) : 0;
	if (!isfinite(src) || src + max_db < QUIET_DBFS)
		return R_TOO_QUIET;
	if (need > max_db) {
		*raw = S2_GAIN_MAX;
		return R_MAX_GAIN;
	}
	if (need < 0) {
		*raw = 0;
		return src > 0 ? R_CLIPPED : R_MIN_GAIN;
	}
	*raw = lround(need / step);
	if (*raw > S2_GAIN_MAX)
		*raw = S2_GAIN_MAX;
	return R_SUCCESS;
}

/* While it listens the device moves the gain half-way to where it goes. */
static void autogain_listening(struct s2_dev *d, unsigned int slot,
			       uint64_t now_ns)
{
	const struct s2_item *gain = item_of(d->m, S2_FN_GAIN);
	long to, from;

	d->ag[slot].told = true;
	tell(d, S2_FN_AG_SWITCH);
	if (!gain || autogain_verdict(d, slot, &to) == R_TOO_QUIET)
		return;
	from = (long)mem_get(d->mem, gain, slot);
	if (to == from)
		return;
	mem_set(d->mem, gain, slot, (unsigned int)((from + to) / 2));
	emu_event(now_ns, "autogain input %u listens at gain %ld", slot + 1,
		  (from + to) / 2);
	tell(d, S2_FN_GAIN);
}

/* The end of a run: the gain it found and the result in the status. */
static void autogain_end(struct s2_dev *d, unsigned int slot, uint64_t now_ns)
{
	const struct s2_item *sw = item_of(d->m, S2_FN_AG_SWITCH);
	const struct s2_item *gain = item_of(d->m, S2_FN_GAIN);
	long raw;
	int result = autogain_verdict(d, slot, &raw);

	d->ag[slot].running = false;
	if (gain)
		mem_set(d->mem, gain, slot, (unsigned int)raw);
	if (sw)
		mem_set(d->mem, sw, slot, 0);
	set_status(d, slot, result);
	save_flash(d);
	emu_event(now_ns, "autogain input %u ends: %s, gain %ld (%.2f dB)",
		  slot + 1, s2_status_word(d, slot), raw,
		  raw * d->m->gain_step_db);
	tell(d, S2_FN_AG_STATUS);
	tell(d, S2_FN_GAIN);
}

/* ---- applying a setting ---------------------------------------------------- */

/* A setting took its new value (from the host or the panel). */
static void changed(struct s2_dev *d, const struct s2_item *it,
		    unsigned int slot, unsigned int old, const char *who,
		    uint64_t now_ns)
{
	unsigned int v = mem_get(d->mem, it, slot);

	if (it->mute && (v & 2)) {
		/* on its way: settles, and is told again, a moment later */
		if (slot < S2_MAX_INPUTS)
			d->settle_ns[it->fn][slot] = now_ns +
				(uint64_t)d->settle_ms * MS;
		if (strcmp(who, "host"))
			tell(d, it->fn);
	}
	switch (it->fn) {
	case S2_FN_PHANTOM:
		phantom_check(d, slot, who, now_ns);
		break;
	case S2_FN_AG_SWITCH:
		if (slot >= S2_MAX_INPUTS)
			break;
		if ((v & 1) && !(old & 1) && !d->ag[slot].running)
			autogain_start(d, slot, who, now_ns);
		else if (!(v & 1) && d->ag[slot].running)
			autogain_stop(d, slot, now_ns);
		break;
	case S2_FN_GAIN:
		if (v > S2_GAIN_MAX)
			mem_set(d->mem, it, slot, S2_GAIN_MAX);
		break;
	default:
		break;
	}
}

/* The parameter buffer's value and channel go to the item of activate. */
static int apply_pbuf(struct s2_dev *d, unsigned int activate, uint64_t now_ns)
{
	const struct s2_item *it;
	unsigned int value = d->mem[d->m->param_buf];
	unsigned int chan = d->mem[d->m->param_buf + 1];

	for (it = d->m->items; it->offset; it++) {
		unsigned int slot, old;

		if (!it->pbuf || it->activate != activate)
			continue;
		if (chan < it->pbuf0 || chan - it->pbuf0 >= slots_of(d->m, it->fn))
			return -EINVAL;
		slot = chan - it->pbuf0;
		old = mem_get(d->mem, it, slot);
		mem_set(d->mem, it, slot, value);
		changed(d, it, slot, old, "host", now_ns);
		return 1;
	}
	return 0;
}

/* A direct write was activated: whatever changed since takes effect. */
static void apply_direct(struct s2_dev *d, unsigned int activate,
			 const uint8_t *before, uint64_t now_ns)
{
	const struct s2_item *it;

	for (it = d->m->items; it->offset; it++) {
		unsigned int slot;

		if (it->pbuf || it->activate != activate)
			continue;
		for (slot = 0; slot < slots_of(d->m, it->fn); slot++) {
			unsigned int old = mem_get(before, it, slot);

			if (old != mem_get(d->mem, it, slot))
				changed(d, it, slot, old, "host", now_ns);
		}
	}
}

static int data_cmd(struct s2_dev *d, unsigned int activate, uint64_t now_ns)
{
	int r = 0;

	if (d->m->param_buf)
		r = apply_pbuf(d, activate, now_ns);
	if (r < 0)
		return r;
	if (r == 0)
		apply_direct(d, activate, d->applied, now_ns);
	memcpy(d->applied, d->mem, sizeof(d->applied));
	/* the parameter buffer saves as it goes; the others on command */
	if (d->m->param_buf || activate == S2_CONFIG_SAVE)
		save_flash(d);
	return 0;
}

/* ---- commands ------------------------------------------------------------ */

static size_t answer_mux(const struct s2_dev *d, const uint8_t *q, size_t n,
			 uint8_t *out, size_t cap)
{
	unsigned int table, count, i;

	if (n < 4)
		return SIZE_MAX;
	table = le16(q);
	count = le16(q + 2);
	if (table >= 3 || count > S2_MAX_MUX || count * 4u > cap)
		return SIZE_MAX;
	for (i = 0; i < count; i++)
		put_le32(out + 4 * i, i < d->mux_len[table] ?
			 d->mux[table][i] : 0);
	return count * 4u;
}

static size_t store_mux(struct s2_dev *d, const uint8_t *q, size_t n)
{
	unsigned int table, count, i, k = 0;

	if (n < 4 || (n - 4) % 4)
		return SIZE_MAX;
	table = le16(q + 2);
	count = (unsigned int)(n - 4) / 4;
	if (table >= 3 || count > S2_MAX_MUX)
		return SIZE_MAX;
	/* the empty slots carry no destination: kept out */
	for (i = 0; i < count; i++) {
		uint32_t e = le32(q + 4 + 4 * i);

		if (e & 0xfff)
			d->mux[table][k++] = e;
	}
	d->mux_len[table] = k;
	return 0;
}

static size_t answer_mix(const struct s2_dev *d, const uint8_t *q, size_t n,
			 uint8_t *out, size_t cap)
{
	unsigned int mix, count, i;

	if (n < 4)
		return SIZE_MAX;
	mix = le16(q);
	count = le16(q + 2);
	if (mix >= d->m->mix_out || count > d->m->mix_in || count * 2u > cap)
		return SIZE_MAX;
	for (i = 0; i < count; i++)
		put_le16(out + 2 * i, d->mix[mix][i]);
	return count * 2u;
}

static size_t store_mix(struct s2_dev *d, const uint8_t *q, size_t n)
{
	unsigned int mix, count, i;

	if (n < 2 || n % 2)
		return SIZE_MAX;
	mix = le16(q);
	count = (unsigned int)n / 2 - 1;
	if (mix >= d->m->mix_out || count > d->m->mix_in)
		return SIZE_MAX;
	for (i = 0; i < count; i++)
		d->mix[mix][i] = le16(q + 2 + 2 * i);
	return 0;
}

static size_t answer_meters(const struct s2_dev *d, const uint8_t *q, size_t n,
			    uint8_t *out, size_t cap)
{
	unsigned int count, i;

	if (n < 8 || le32(q + 4) != 1)	/* the magic of a meter read */
		return SIZE_MAX;
	count = le16(q + 2);
	if (count > S2_MAX_MUX || count * 4u > cap)
		return SIZE_MAX;
	for (i = 0; i < count; i++)
		put_le32(out + 4 * i, s2_meter(d, i));
	return count * 4u;
}

static size_t answer_segment(const uint8_t *q, size_t n, uint8_t *out)
{
	static const char *const names[] = {
		"App_Gold", "App_Settings", "App_Upgrade"
	};
	uint32_t i;

	if (n < 4 || (i = le32(q)) >= 3)
		return SIZE_MAX;
	memset(out, 0, 24);
	put_le32(out, i == 2 ? 0x40000 : 0x10000);	/* size */
	strncpy((char *)out + 8, names[i], 16);
	return 24;
}

/*
 * Runs one command packet; the answer's data goes to out. Returns its
 * length, or SIZE_MAX for an error answer.
 */
static size_t run_command(struct s2_dev *d, uint32_t cmd, const uint8_t *q,
			  size_t n, uint8_t *out, size_t cap, uint64_t now_ns)
{
	uint32_t off, len;

	switch (cmd) {
	case S2_CMD_INIT_1:
		d->count[S2_C_INIT]++;
		return 0;
	case S2_CMD_INIT_2:
		d->count[S2_C_INIT]++;
		memset(out, 0, INIT_2_LEN);
		put_le32(out + 8, d->firmware);
		return INIT_2_LEN;
	case S2_CMD_GET_DATA:
		d->count[S2_C_GET_DATA]++;
		if (n < 8)
			return SIZE_MAX;
		off = le32(q);
		len = le32(q + 4);
		if (off > S2_MEM_SIZE || len > S2_MEM_SIZE - off || len > cap)
			return SIZE_MAX;
		memcpy(out, d->mem + off, len);
		return len;
	case S2_CMD_SET_DATA:
		d->count[S2_C_SET_DATA]++;
		d->writes++;
		if (n < 8)
			return SIZE_MAX;
		off = le32(q);
		len = le32(q + 4);
		if (len > n - 8 || off > S2_MEM_SIZE || len > S2_MEM_SIZE - off)
			return SIZE_MAX;
		memcpy(d->mem + off, q + 8, len);
		return 0;
	case S2_CMD_DATA_CMD:
		d->count[S2_C_DATA_CMD]++;
		if (n < 4)
			return SIZE_MAX;
		/* saving to flash changes no setting */
		if (le32(q) == S2_CONFIG_SAVE && !d->m->param_buf)
			d->saves++;
		else
			d->writes++;
		if (data_cmd(d, le32(q), now_ns) < 0)
			return SIZE_MAX;
		return 0;
	case S2_CMD_GET_MUX:
		d->count[S2_C_GET_MUX]++;
		return answer_mux(d, q, n, out, cap);
	case S2_CMD_SET_MUX:
		d->count[S2_C_SET_MUX]++;
		d->writes++;
		return store_mux(d, q, n);
	case S2_CMD_GET_MIX:
		d->count[S2_C_GET_MIX]++;
		return answer_mix(d, q, n, out, cap);
	case S2_CMD_SET_MIX:
		d->count[S2_C_SET_MIX]++;
		d->writes++;
		return store_mix(d, q, n);
	case S2_CMD_GET_METER:
		d->count[S2_C_GET_METER]++;
		return answer_meters(d, q, n, out, cap);
	case S2_CMD_GET_SYNC:
		d->count[S2_C_GET_SYNC]++;
		put_le32(out, 1);	/* locked */
		return 4;
	case S2_CMD_INFO_FLASH:
		d->count[S2_C_FLASH]++;
		memset(out, 0, 16);
		put_le32(out, 0x100000);	/* size */
		put_le32(out + 4, 3);		/* segments */
		return 16;
	case S2_CMD_INFO_SEGMENT:
		d->count[S2_C_FLASH]++;
		return answer_segment(q, n, out);
	default:
		d->count[S2_C_OTHER]++;
		return SIZE_MAX;
	}
}

/* An OUT command packet: run it, keep the answer for the host's IN. */
static int command(struct s2_dev *d, const uint8_t *p, size_t n,
		   uint64_t now_ns)
{
	uint8_t *hdr = d->resp;
	uint32_t cmd;
	uint16_t size, seq;
	size_t len;

	if (n < HEADER_LEN)
		return -EPIPE;
	cmd = le32(p);
	size = le16(p + 4);
	seq = le16(p + 6);
	if (size != n - HEADER_LEN) {
		len = SIZE_MAX;
	} else {
		len = run_command(d, cmd, p + HEADER_LEN, size,
				  d->resp + HEADER_LEN,
				  sizeof(d->resp) - HEADER_LEN, now_ns);
	}
	memset(hdr, 0, HEADER_LEN);
	put_le32(hdr, cmd);
	put_le16(hdr + 6, seq);
	if (len == SIZE_MAX) {
		d->errors++;
		put_le32(hdr + 8, 1);	/* error */
		len = 0;
	}
	put_le16(hdr + 4, (uint16_t)len);
	d->resp_len = HEADER_LEN + len;
	d->resp_ready = true;
	d->pending |= S2_NOTIFY_ACK;
	return 0;
}

int s2_request(struct s2_dev *d, uint8_t type, uint8_t request,
	       const uint8_t *out, size_t out_len, uint8_t *buf, size_t cap,
	       size_t *len, uint64_t now_ns)
{
	bool in = type & 0x80;

	*len = 0;
	if (!d->powered)
		return -EPIPE;
	s2_tick(d, now_ns);
	if (in && request == S2_REQ_INIT) {
		*len = cap < INIT_STEP0_LEN ? cap : INIT_STEP0_LEN;
		memset(buf, 0, *len);
		return 0;
	}
	if (!in && request == S2_REQ_CMD)
		return command(d, out, out_len, now_ns);
	if (in && request == S2_REQ_RESP && d->resp_ready) {
		*len = d->resp_len < cap ? d->resp_len : cap;
		memcpy(buf, d->resp, *len);
		d->resp_ready = false;
		return 0;
	}
	return -EPIPE;
}

/* ---- time ----------------------------------------------------------------- */

void s2_tick(struct s2_dev *d, uint64_t now_ns)
{
	unsigned int fn, i;

	if (!d->powered)
		return;
	for (fn = 0; fn < S2_FN_COUNT; fn++) {
		const struct s2_item *it = item_of(d->m, (enum s2_fn)fn);

		for (i = 0; it && i < S2_MAX_INPUTS; i++) {
			uint64_t t = d->settle_ns[fn][i];
			unsigned int v;

			if (!t || t > now_ns)
				continue;
			d->settle_ns[fn][i] = 0;
			v = mem_get(d->mem, it, i);
			if (v & 2)
				mem_set(d->mem, it, i, decode_mute(v));
			save_flash(d);
			tell(d, (enum s2_fn)fn);
		}
	}
	for (i = 0; i < S2_MAX_INPUTS; i++) {
		struct s2_autogain *ag = &d->ag[i];

		if (ag->running && !ag->told && ag->told_ns <= now_ns)
			autogain_listening(d, i, now_ns);
		if (ag->running && ag->end_ns <= now_ns)
			autogain_end(d, i, now_ns);
	}
}

uint64_t s2_next_ns(const struct s2_dev *d)
{
	uint64_t next = UINT64_MAX;
	unsigned int fn, i;

	if (!d->powered)
		return next;
	for (fn = 0; fn < S2_FN_COUNT; fn++)
		for (i = 0; i < S2_MAX_INPUTS; i++)
			if (d->settle_ns[fn][i] && d->settle_ns[fn][i] < next)
				next = d->settle_ns[fn][i];
	for (i = 0; i < S2_MAX_INPUTS; i++) {
		const struct s2_autogain *ag = &d->ag[i];

		if (ag->running && !ag->told && ag->told_ns < next)
			next = ag->told_ns;
		if (ag->running && ag->end_ns < next)
			next = ag->end_ns;
	}
	return next;
}

ssize_t s2_notification(struct s2_dev *d, uint8_t out[8], uint64_t now_ns)
{
	s2_tick(d, now_ns);
	if (!d->powered || !d->pending)
		return -EAGAIN;
	put_le32(out, d->pending);
	put_le32(out + 4, 0);
	d->pending = 0;
	return 8;
}

/* ---- life cycle ------------------------------------------------------------ */

static void default_routing(struct s2_dev *d)
{
	const struct s2_mux_range *r;
	unsigned int k = 0, t, j;

	for (r = d->m->mux; r->count && k < S2_MAX_MUX; r++) {
		for (j = 0; j < r->count && k < S2_MAX_MUX; j++) {
			unsigned int n = r->start + j;
			uint32_t src = 0;

			if (r->id == 0x600 && n < d->m->analogue_in)
				src = 0x080 + n;	/* capture n <- input n */
			else if (r->id == 0x080)
				src = 0x600 + n % 2;	/* output n <- playback */
			d->mux[0][k++] = (r->id + n) | src << 12;
		}
	}
	d->mux_len[0] = k;
	for (t = 1; t < 3; t++) {
		memcpy(d->mux[t], d->mux[0], sizeof(d->mux[0]));
		d->mux_len[t] = k;
	}
}

static void set_all(struct s2_dev *d, enum s2_fn fn, unsigned int v)
{
	const struct s2_item *it = item_of(d->m, fn);
	unsigned int i;

	for (i = 0; it && i < slots_of(d->m, fn); i++)
		mem_set(d->mem, it, i, v);
}

void s2_init(struct s2_dev *d, const struct s2_model *m, uint32_t firmware)
{
	const struct s2_item *dm;
	unsigned int i, n;

	memset(d, 0, sizeof(*d));
	d->m = m;
	d->firmware = firmware;
	d->autogain_ms = 3000;
	d->settle_ms = 250;
	for (i = 0; i < S2_MAX_INPUTS; i++)
		d->source_dbfs[i] = -30.0;

	set_all(d, S2_FN_GAIN, 10);
	set_all(d, S2_FN_AG_STATUS, 0);		/* the last run: Success */
	set_all(d, S2_FN_AG_PEAK, 6);		/* -6 dBFS */
	set_all(d, S2_FN_AG_MEAN, 18);
	set_all(d, S2_FN_AG_HOT, 10);
	/* direct monitoring: each input at 0 dB in its own mix; what is
	 * kept just before them is another setting, not zero */
	dm = item_of(m, S2_FN_DM_GAIN);
	if (dm) {
		n = 2 * 2 * m->mix_in;
		for (i = 0; i < n && dm->offset + 2 * (i + 1) <= S2_MEM_SIZE; i++)
			mem_set(d->mem, dm, i, i % (m->mix_in + 1) == 0 ? 8192 : 0);
		if (dm->offset >= 4)
			memset(d->mem + dm->offset - 4, 0xff, 4);
	}
	default_routing(d);
	save_flash(d);
}

void s2_power_on(struct s2_dev *d, uint64_t now_ns)
{
	const struct s2_item *ph = item_of(d->m, S2_FN_PHANTOM);
	bool keep48 = d->m->phantom_persists && fn_value(d, S2_FN_PHANTOM_PERSIST, 0);
	unsigned int i;

	memcpy(d->mem, d->flash, sizeof(d->mem));
	set_all(d, S2_FN_AG_SWITCH, 0);
	memset(d->ag, 0, sizeof(d->ag));
	memset(d->settle_ns, 0, sizeof(d->settle_ns));
	for (i = 0; ph && i < slots_of(d->m, S2_FN_PHANTOM); i++) {
		unsigned int v = mem_get(d->mem, ph, i);

		if (v & 2)
			v = decode_mute(v);
		mem_set(d->mem, ph, i, keep48 ? v : 0);
	}
	memcpy(d->applied, d->mem, sizeof(d->applied));
	d->pending = 0;
	d->resp_ready = false;
	d->powered = true;
	for (i = 0; i < S2_MAX_INPUTS; i++)
		d->phantom_on[i] = false;
	emu_event(now_ns, "power on");
	for (i = 0; ph && i < slots_of(d->m, S2_FN_PHANTOM); i++)
		phantom_check(d, i, "power-on", now_ns);
}

void s2_power_off(struct s2_dev *d, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < S2_MAX_INPUTS; i++) {
		if (d->phantom_on[i]) {
			char in[16];

			inputs_of(d->m, S2_FN_PHANTOM, i, in, sizeof(in));
			emu_event(now, "48V input %s off by power-off", in);
		}
		d->phantom_on[i] = false;
	}
	d->powered = false;
	d->resp_ready = false;
	d->pending = 0;
	memset(d->ag, 0, sizeof(d->ag));
}

/* ---- the front panel ------------------------------------------------------ */

int s2_get(const struct s2_dev *d, enum s2_fn fn, unsigned int input,
	   unsigned int *value)
{
	int slot = slot_of(d->m, fn, input);

	if (slot < 0 || !item_of(d->m, fn))
		return -ENOENT;
	*value = fn_value(d, fn, (unsigned int)slot);
	return 0;
}

int s2_panel(struct s2_dev *d, enum s2_fn fn, unsigned int input,
	     unsigned int value, uint64_t now_ns)
{
	const struct s2_item *it = item_of(d->m, fn);
	int slot = slot_of(d->m, fn, input);
	unsigned int old;

	if (slot < 0 || !it)
		return -ENOENT;
	if (fn == S2_FN_GAIN && value > S2_GAIN_MAX)
		return -ERANGE;
	if (fn == S2_FN_AIR && value >= d->m->air_values)
		return -ERANGE;
	if (fn != S2_FN_GAIN && fn != S2_FN_AIR && value > 1)
		return -ERANGE;
	s2_tick(d, now_ns);
	old = mem_get(d->mem, it, (unsigned int)slot);
	/* a button of a "mute" item goes through its transition too */
	mem_set(d->mem, it, (unsigned int)slot,
		it->mute && d->powered ? (!value) | 2 : value);
	if (d->powered) {
		changed(d, it, (unsigned int)slot, old, "panel", now_ns);
		tell(d, fn);
	}
	memcpy(d->applied, d->mem, sizeof(d->applied));
	save_flash(d);
	if (fn_names[fn])
		emu_event(now_ns, "panel: input %u %s %u", input + 1,
			  fn_names[fn], value);
	return 0;
}

int s2_panel_autogain(struct s2_dev *d, unsigned int input, uint64_t now_ns)
{
	const struct s2_item *sw = item_of(d->m, S2_FN_AG_SWITCH);
	int slot = slot_of(d->m, S2_FN_AG_SWITCH, input);

	if (slot < 0 || !sw)
		return -ENOENT;
	if (!d->powered)
		return -ENODEV;
	s2_tick(d, now_ns);
	if (d->ag[slot].running)
		return -EBUSY;
	mem_set(d->mem, sw, (unsigned int)slot, 1);
	autogain_start(d, (unsigned int)slot, "panel", now_ns);
	autogain_listening(d, (unsigned int)slot, now_ns);
	return 0;
}

int s2_autogain_end_now(struct s2_dev *d, unsigned int input, uint64_t now_ns)
{
	int slot = slot_of(d->m, S2_FN_AG_SWITCH, input);

	if (slot < 0)
		return -ENOENT;
	if (!d->powered || !d->ag[slot].running)
		return -EAGAIN;
	if (!d->ag[slot].told)
		autogain_listening(d, (unsigned int)slot, now_ns);
	d->ag[slot].end_ns = now_ns;
	s2_tick(d, now_ns);
	return 0;
}

int s2_set_source(struct s2_dev *d, unsigned int input, double dbfs)
{
	if (input >= d->m->num_inputs || input >= S2_MAX_INPUTS ||
	    isnan(dbfs) || dbfs > 40.0)
		return -EINVAL;
	d->source_dbfs[input] = dbfs;
	return 0;
}

const char *s2_status_word(const struct s2_dev *d, unsigned int input)
{
	const struct s2_item *st = item_of(d->m, S2_FN_AG_STATUS);
	int slot = slot_of(d->m, S2_FN_AG_STATUS, input);
	unsigned int raw;

	if (!st || slot < 0)
		return "";
	if (fn_value(d, S2_FN_AG_SWITCH, (unsigned int)slot))
		return "Running";
	raw = mem_get(d->mem, st, (unsigned int)slot);
	return raw < 7 && status_words[d->m->statuses][raw] ?
	       status_words[d->m->statuses][raw] : "Invalid";
}

double s2_gain_db(const struct s2_dev *d, unsigned int input)
{
	int slot = slot_of(d->m, S2_FN_GAIN, input);

	if (slot < 0)
		return 0.0;
	return fn_value(d, S2_FN_GAIN, (unsigned int)slot) * d->m->gain_step_db;
}

/* The level of mux source id, in dBFS (-INFINITY for what carries none). */
static double source_level(const struct s2_dev *d, uint32_t src)
{
	unsigned int n, pad = 0;

	if ((src & 0xf80) != 0x080)
		return -INFINITY;
	n = src & 0x7f;
	if (n >= d->m->num_inputs || n >= S2_MAX_INPUTS)
		return -INFINITY;
	s2_get(d, S2_FN_PAD, n, &pad);
	return d->source_dbfs[n] + s2_gain_db(d, n) - (pad ? 10.0 : 0.0);
}

uint16_t s2_meter(const struct s2_dev *d, unsigned int k)
{
	const struct s2_mux_range *r;
	unsigned int i = 0, j;
	uint32_t dst = 0;
	double db = -INFINITY;

	for (r = d->m->mux; r->count && !dst; r++)
		for (j = 0; j < r->count && !dst; j++, i++)
			if (i == k)
				dst = r->id + r->start + j;
	for (i = 0; dst && i < d->mux_len[0]; i++)
		if ((d->mux[0][i] & 0xfff) == dst)
			db = source_level(d, d->mux[0][i] >> 12);
	if (!isfinite(db))
		return 0;
	if (db >= 0.0)
		return 4095;
	return (uint16_t)lround(4095.0 * pow(10.0, db / 20.0));
}
