// SPDX-License-Identifier: MIT
/* Helpers shared by the conformance test's groups. */
#include "conform.h"

#include <endian.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const pc_switch_names[PAMP_NUM_SWITCHES] = {
	"phantom", "pad", "phase", "hpf", "air", "inst",
};

uint64_t pc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void pc_sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000L,
	};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

const char *pc_errname(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ EPIPE, "EPIPE (STALL)" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ ENODEV, "ENODEV" }, { EPROTO, "EPROTO" },
		{ ESHUTDOWN, "ESHUTDOWN" }, { ECONNRESET, "ECONNRESET" },
		{ EIO, "EIO" }, { ENOENT, "ENOENT" }, { EINVAL, "EINVAL" },
		{ EOVERFLOW, "EOVERFLOW" }, { EILSEQ, "EILSEQ" },
		{ EREMOTEIO, "EREMOTEIO" }, { EBADMSG, "EBADMSG" },
		{ EBUSY, "EBUSY" }, { EACCES, "EACCES" }, { EPERM, "EPERM" },
		{ EHOSTUNREACH, "EHOSTUNREACH" }, { ENOMEM, "ENOMEM" },
	};
	size_t i;

	if (err >= 0)
		return "success";
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == -err)
			return names[i].name;
	return strerror(-err);
}

const char *pc_req_name(unsigned int req)
{
	const char *name = pamp_request_name(req);

	return name ? name : "UNKNOWN";
}

int pc_raw(struct conform *c, uint8_t type, uint8_t req, uint16_t value,
	   void *buf, uint16_t len, unsigned int timeout_ms)
{
	uint64_t t0 = pc_now_ns();
	unsigned int ms;
	int r;

	r = usbfs_control(&c->dev, type, req, value, c->intf.number, buf, len,
			  timeout_ms);
	ms = (unsigned int)((pc_now_ns() - t0) / 1000000u);
	if (r >= 0 && !c->slow_expected && ms > c->max_latency_ms)
		c->max_latency_ms = ms;
	if (r == -ENODEV)
		c->gone = true;
	return r;
}

int pc_in(struct conform *c, uint8_t req, uint16_t value, void *buf,
	  uint16_t len)
{
	return pc_raw(c, PAMP_REQTYPE_IN, req, value, buf, len, c->timeout_ms);
}

int pc_out(struct conform *c, uint8_t req, uint16_t value, const void *buf,
	   uint16_t len)
{
	return pc_raw(c, PAMP_REQTYPE_OUT, req, value, (void *)buf, len,
		      c->timeout_ms);
}

/* An IN request that must return exactly len bytes. */
static bool in_exact(struct conform *c, uint8_t req, uint16_t value,
		     void *buf, uint16_t len)
{
	int r = pc_in(c, req, value, buf, len);

	if (r == len)
		return true;
	if (r < 0)
		DETAIL(c, "%s (wValue 0x%04x): expected %u bytes, seen %s",
		       pc_req_name(req), value, len, pc_errname(r));
	else
		DETAIL(c, "%s (wValue 0x%04x): expected %u bytes, seen a reply of %d bytes (a protocol error)",
		       pc_req_name(req), value, len, r);
	return false;
}

static bool out_ok(struct conform *c, uint8_t req, uint16_t value,
		   const void *buf, uint16_t len)
{
	int r = pc_out(c, req, value, buf, len);

	if (r == len)
		return true;
	if (r < 0)
		DETAIL(c, "%s (wValue 0x%04x, %u bytes): expected success, seen %s",
		       pc_req_name(req), value, len, pc_errname(r));
	else
		DETAIL(c, "%s (wValue 0x%04x): expected %u bytes sent, seen %d",
		       pc_req_name(req), value, len, r);
	return false;
}

bool pc_get_info(struct conform *c, struct pamp_info *info)
{
	return in_exact(c, PAMP_REQ_GET_INFO, 0, info, sizeof(*info));
}

bool pc_get_input_state(struct conform *c, unsigned int in,
			struct pamp_input_state *st)
{
	return in_exact(c, PAMP_REQ_GET_INPUT_STATE, (uint16_t)in, st,
			sizeof(*st));
}

bool pc_read_state(struct conform *c, struct pc_state *st)
{
	struct pamp_input_state recs[PAMP_MAX_INPUTS];
	unsigned int i;

	memset(st, 0, sizeof(*st));
	if (!in_exact(c, PAMP_REQ_GET_ALL_STATE, 0, recs,
		      (uint16_t)(c->n * sizeof(recs[0]))))
		return false;
	for (i = 0; i < c->n; i++) {
		st->gain[i] = (int16_t)le16toh(recs[i].gain);
		st->sw[i] = le16toh(recs[i].switches);
	}
	return true;
}

bool pc_read_meters(struct conform *c, struct pamp_meter *m)
{
	return in_exact(c, PAMP_REQ_GET_METERS, 0, m,
			(uint16_t)(c->n * sizeof(*m)));
}

bool pc_set_gain_index(struct conform *c, unsigned int in, unsigned int idx)
{
	return out_ok(c, PAMP_REQ_SET_GAIN, pamp_wvalue_set_gain(in, idx),
		      NULL, 0);
}

bool pc_set_switch(struct conform *c, unsigned int in, unsigned int sw,
		   bool on)
{
	return out_ok(c, PAMP_REQ_SET_SWITCH,
		      pamp_wvalue_set_switch(in, sw, on), NULL, 0);
}

bool pc_set_all(struct conform *c, const struct pamp_set_state *recs)
{
	return out_ok(c, PAMP_REQ_SET_ALL_STATE, 0, recs,
		      (uint16_t)(c->n * sizeof(*recs)));
}

int pc_emu(struct conform *c, const char *fmt, ...)
{
	char cmd[400];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	r = ctl_cmd(c->ctl, &c->reply, "%s", cmd);
	if (r < 0)
		DETAIL(c, "emulator command `%s` failed: %s", cmd,
		       c->reply.error[0] ? c->reply.error : pc_errname(r));
	return r;
}

/* `get KEY` answers the value, or a key=value line: take either. */
static int emu_get(struct conform *c, const char *key, char *out,
		   size_t out_len)
{
	size_t klen = strlen(key);
	char *v, *nl;
	int r = pc_emu(c, "get %s", key);

	if (r < 0)
		return r;
	v = c->reply.text;
	if (!strncmp(v, key, klen) && v[klen] == '=')
		v += klen + 1;
	nl = strchr(v, '\n');
	if (nl)
		*nl = '\0';
	if (strlen(v) >= out_len) {
		DETAIL(c, "emulator: %s is longer than %zu bytes", key, out_len);
		return -EOVERFLOW;
	}
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

int pc_emu_in_long(struct conform *c, unsigned int in, const char *key,
		   long *out)
{
	char k[64], v[64], *end;
	int r;

	snprintf(k, sizeof(k), "in%u.%s", in + 1, key);
	r = emu_get(c, k, v, sizeof(v));
	if (r < 0)
		return r;
	errno = 0;
	*out = strtol(v, &end, 0);
	if (errno || end == v) {
		DETAIL(c, "emulator: %s=%s is not a number", k, v);
		return -EINVAL;
	}
	return 0;
}

int pc_emu_in_double(struct conform *c, unsigned int in, const char *key,
		     double *out)
{
	char k[64], v[64], *end;
	int r;

	snprintf(k, sizeof(k), "in%u.%s", in + 1, key);
	r = emu_get(c, k, v, sizeof(v));
	if (r < 0)
		return r;
	errno = 0;
	*out = strtod(v, &end);
	if (errno || end == v) {
		DETAIL(c, "emulator: %s=%s is not a number", k, v);
		return -EINVAL;
	}
	return 0;
}

bool pc_emu_state(struct conform *c, struct pc_state *st)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	if (pc_emu(c, "state") < 0)
		return false;
	for (i = 0; i < c->n; i++) {
		char k[32];
		long g;
		unsigned long sw;

		snprintf(k, sizeof(k), "in%u.gain", i + 1);
		if (ctl_long(&c->reply, k, &g)) {
			DETAIL(c, "emulator state has no usable %s", k);
			return false;
		}
		snprintf(k, sizeof(k), "in%u.switches", i + 1);
		if (ctl_hex(&c->reply, k, &sw)) {
			DETAIL(c, "emulator state has no usable %s", k);
			return false;
		}
		st->gain[i] = (int16_t)g;
		st->sw[i] = (uint16_t)sw;
	}
	return true;
}

bool pc_same_state(struct conform *c, const struct pc_state *a,
		   const char *a_name, const struct pc_state *b,
		   const char *b_name)
{
	bool same = true;
	unsigned int i;

	for (i = 0; i < c->n; i++) {
		if (a->gain[i] != b->gain[i]) {
			DETAIL(c, "input %u gain: %s %d (%.2f dB), %s %d (%.2f dB)",
			       i, a_name, a->gain[i], a->gain[i] / 256.0,
			       b_name, b->gain[i], b->gain[i] / 256.0);
			same = false;
		}
		if (a->sw[i] != b->sw[i]) {
			DETAIL(c, "input %u switches: %s 0x%02x, %s 0x%02x",
			       i, a_name, a->sw[i], b_name, b->sw[i]);
			same = false;
		}
	}
	return same;
}

bool pc_unchanged(struct conform *c, const struct pc_state *before)
{
	struct pc_state dev, emu;
	struct pamp_info info;
	bool ok = true;

	/* The next valid request works: the STALL cleared. */
	if (!pc_get_info(c, &info)) {
		DETAIL(c, "the next valid request (GET_INFO) failed after the refusal");
		ok = false;
	} else if (memcmp(info.magic, PAMP_MAGIC, PAMP_MAGIC_LEN)) {
		DETAIL(c, "GET_INFO after the refusal has a bad magic");
		ok = false;
	}
	if (!pc_read_state(c, &dev))
		ok = false;
	else if (!pc_same_state(c, before, "expected (before)", &dev,
				"device (GET_ALL_STATE)"))
		ok = false;
	if (!pc_emu_state(c, &emu))
		ok = false;
	else if (!pc_same_state(c, before, "expected (before)", &emu,
				"emulator state"))
		ok = false;
	return ok;
}

bool pc_has_gain(const struct conform *c, unsigned int in)
{
	return in < c->n && (c->in[in].caps & PAMP_CAP_GAIN);
}

bool pc_has_switch(const struct conform *c, unsigned int in, unsigned int sw)
{
	return in < c->n && sw < PAMP_NUM_SWITCHES &&
	       (c->in[in].caps & (1u << sw));
}

unsigned int pc_gain_steps(const struct conform *c, unsigned int in)
{
	if (!pc_has_gain(c, in))
		return 0;
	return (unsigned int)(c->in[in].gain_max - c->in[in].gain_min) /
	       c->in[in].gain_step;
}

void pc_group_span(const struct conform *c, unsigned int in,
		   unsigned int *first, unsigned int *last)
{
	uint8_t k = c->in[in].phantom_group;

	*first = *last = in;
	if (!k)
		return;
	while (*first > 0 && c->in[*first - 1].phantom_group == k)
		(*first)--;
	while (*last + 1 < c->n && c->in[*last + 1].phantom_group == k)
		(*last)++;
}

uint32_t pc_group_mask(const struct conform *c, unsigned int in)
{
	unsigned int first, last, i;
	uint32_t m = 0;

	pc_group_span(c, in, &first, &last);
	for (i = first; i <= last; i++)
		m |= 1u << i;
	return m;
}

bool pc_state_sane(struct conform *c, const struct pc_state *st)
{
	bool ok = true;
	unsigned int i;

	for (i = 0; i < c->n; i++) {
		const struct pv_input *in = &c->in[i];
		uint16_t allowed = in->caps & PAMP_SWITCH_MASK;

		if (st->sw[i] & ~allowed) {
			DETAIL(c, "input %u switches 0x%02x outside caps 0x%02x",
			       i, st->sw[i], allowed);
			ok = false;
		}
		if (pc_has_gain(c, i) &&
		    (st->gain[i] < in->gain_min || st->gain[i] > in->gain_max ||
		     (st->gain[i] - in->gain_min) % in->gain_step)) {
			DETAIL(c, "input %u gain %d off the grid %d..%d step %u",
			       i, st->gain[i], in->gain_min, in->gain_max,
			       in->gain_step);
			ok = false;
		}
		if (i > 0 && in->phantom_group &&
		    c->in[i - 1].phantom_group == in->phantom_group &&
		    ((st->sw[i] ^ st->sw[i - 1]) & (1u << PAMP_SW_PHANTOM))) {
			DETAIL(c, "inputs %u and %u share phantom group %u but disagree on 48V",
			       i - 1, i, in->phantom_group);
			ok = false;
		}
	}
	return ok;
}

bool pc_save(struct conform *c, struct pc_saved *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	if (!pc_read_state(c, &s->st))
		return false;
	if (pc_emu(c, "state") < 0)
		return false;
	for (i = 0; i < c->n; i++) {
		char k[32];

		snprintf(k, sizeof(k), "in%u.source", i + 1);
		if (ctl_value(&c->reply, k, s->source[i],
			      sizeof(s->source[i])))
			snprintf(s->source[i], sizeof(s->source[i]),
				 "silence");
		snprintf(k, sizeof(k), "in%u.level_dbfs", i + 1);
		if (ctl_double(&c->reply, k, &s->level[i]))
			s->level[i] = -120.0;
	}
	return true;
}

void pc_restore(struct conform *c, const struct pc_saved *s)
{
	struct pamp_set_state recs[PAMP_MAX_INPUTS];
	unsigned int i;

	if (c->gone)
		return;
	pc_emu(c, "fault clear");
	memset(recs, 0, sizeof(recs));
	for (i = 0; i < c->n; i++) {
		recs[i].mask = htole16(c->in[i].caps & PAMP_SWITCH_MASK);
		recs[i].value = htole16(s->st.sw[i]);
		if (pc_has_gain(c, i)) {
			recs[i].gain = htole16((uint16_t)s->st.gain[i]);
			recs[i].apply = htole16(PAMP_APPLY_GAIN);
		}
	}
	if (!pc_set_all(c, recs)) {
		tap_note("restoring the state with SET_ALL_STATE failed");
		tap_discard(&c->tap);
	}
	for (i = 0; i < c->n; i++) {
		if (!isfinite(s->level[i]))
			pc_emu(c, "source %u silence -120", i + 1);
		else
			pc_emu(c, "source %u %s %.2f", i + 1, s->source[i],
			       s->level[i]);
	}
	tap_discard(&c->tap);
	pc_notif_drain(c, 60);
}

int pc_notif_wait(struct conform *c, int timeout_ms, struct pc_notif *n)
{
	struct usbfs_urb_result res;
	int r;

	if (!c->intr)
		return -ENOTSUP;
	r = usbfs_intr_wait(c->intr, timeout_ms, &res);
	if (r <= 0) {
		if (r == -ENODEV)
			c->gone = true;
		return r;
	}
	memset(n, 0, sizeof(*n));
	n->t_ns = pc_now_ns();
	n->status = res.status;
	n->len = res.len;
	memcpy(n->data, res.data, res.len);
	if (res.len >= sizeof(struct pamp_notification)) {
		struct pamp_notification pn;

		memcpy(&pn, res.data, sizeof(pn));
		n->changed = le32toh(pn.changed);
		n->events = le32toh(pn.events);
	}
	if (res.status == -ENODEV || res.status == -ESHUTDOWN)
		c->gone = true;
	return 1;
}

unsigned int pc_notif_drain(struct conform *c, int quiet_ms)
{
	struct pc_notif n;
	unsigned int count = 0;

	if (!c->intr || c->gone)
		return 0;
	while (count < 100000 && pc_notif_wait(c, quiet_ms, &n) == 1 &&
	       n.status == 0)
		count++;
	return count;
}

size_t pc_notif_collect(struct conform *c, int quiet_ms, int max_ms,
			struct pc_notif *out, size_t cap, size_t *extra)
{
	uint64_t end = pc_now_ns() + (uint64_t)max_ms * 1000000u;
	size_t got = 0;

	*extra = 0;
	while (c->intr && !c->gone) {
		struct pc_notif n;
		uint64_t now = pc_now_ns();
		int left, r;

		if (now >= end)
			break;
		left = (int)((end - now) / 1000000u) + 1;
		r = pc_notif_wait(c, left < quiet_ms ? left : quiet_ms, &n);
		if (r <= 0)
			break;
		if (got < cap)
			out[got++] = n;
		else
			(*extra)++;
		if (n.status != 0)
			break;
	}
	return got;
}

void pc_notif_describe(struct conform *c, const struct pc_notif *n)
{
	char hex[3 * USBFS_INTR_MAX + 1];
	size_t i, len = 0;

	hex[0] = '\0';
	for (i = 0; i < n->len && i < USBFS_INTR_MAX; i++)
		len += (size_t)snprintf(hex + len, sizeof(hex) - len, "%s%02x",
					i ? " " : "", n->data[i]);
	if (n->status)
		DETAIL(c, "notification: URB status %s", pc_errname(n->status));
	else if (n->len >= 8)
		DETAIL(c, "notification: %zu bytes [%s] changed 0x%08x events 0x%08x",
		       n->len, hex, n->changed, n->events);
	else
		DETAIL(c, "notification: %zu bytes [%s] (short)", n->len, hex);
}
