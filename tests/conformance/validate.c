// SPDX-License-Identifier: MIT
/* Host-side validation of a device's self-description (spec section 6). */
#include "validate.h"

#include <endian.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const struct {
	unsigned int bit;
	const char *name;
	enum pv_verdict verdict;
} issues[] = {
	{ PV_INFO_SHORT,	"info-short",		PV_REFUSED },
	{ PV_INFO_MAGIC,	"magic",		PV_REFUSED },
	{ PV_INFO_MAJOR,	"major",		PV_REFUSED },
	{ PV_INFO_NO_INPUTS,	"no-inputs",		PV_REFUSED },
	{ PV_INFO_TOO_MANY,	"too-many-inputs",	PV_REFUSED },
	{ PV_INFO_WINDOW,	"meter-window",		PV_DEGRADED },
	{ PV_IN_SHORT,		"input-info-short",	PV_REFUSED },
	{ PV_IN_GAIN_RANGE,	"gain-range",		PV_DEGRADED },
	{ PV_IN_GROUP_SPLIT,	"group-split",		PV_DEGRADED },
	{ PV_IN_LABEL_NO_NUL,	"label-no-nul",		PV_DEGRADED },
	{ PV_IN_LABEL_UTF8,	"label-utf8",		PV_DEGRADED },
	{ PV_RESERVED_NONZERO,	"reserved-nonzero",	PV_OK },
	{ PV_UNKNOWN_FLAGS,	"unknown-flags",	PV_OK },
	{ PV_UNKNOWN_CAPS,	"unknown-caps",		PV_OK },
};

const char *pv_verdict_name(enum pv_verdict v)
{
	switch (v) {
	case PV_OK:
		return "use";
	case PV_DEGRADED:
		return "use degraded";
	case PV_REFUSED:
		return "refuse";
	}
	return "?";
}

enum pv_verdict pv_issue_verdict(unsigned int issue)
{
	enum pv_verdict v = PV_OK;
	size_t i;

	for (i = 0; i < sizeof(issues) / sizeof(issues[0]); i++)
		if ((issue & issues[i].bit) && issues[i].verdict > v)
			v = issues[i].verdict;
	return v;
}

void pv_issue_names(unsigned int bits, char *out, size_t out_len)
{
	size_t i, len = 0;

	if (!out_len)
		return;
	out[0] = '\0';
	for (i = 0; i < sizeof(issues) / sizeof(issues[0]); i++) {
		int n;

		if (!(bits & issues[i].bit))
			continue;
		n = snprintf(out + len, out_len - len, "%s%s",
			     len ? " " : "", issues[i].name);
		if (n < 0 || (size_t)n >= out_len - len)
			return;
		len += (size_t)n;
	}
	if (!len)
		snprintf(out, out_len, "none");
}

static void add(struct pv_result *res, unsigned int issue,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add(struct pv_result *res, unsigned int issue,
		const char *fmt, ...)
{
	enum pv_verdict v = pv_issue_verdict(issue);
	va_list ap;

	res->issues |= issue;
	if (v > res->verdict)
		res->verdict = v;
	if (res->num_msgs >= PV_MAX_MSGS)
		return;
	va_start(ap, fmt);
	vsnprintf(res->msg[res->num_msgs++], PV_MSG_LEN, fmt, ap);
	va_end(ap);
}

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

void pv_check_info(const uint8_t *buf, size_t len, struct pv_result *res)
{
	struct pamp_info info;
	unsigned int window;

	memset(res, 0, sizeof(*res));
	if (len < sizeof(info)) {
		add(res, PV_INFO_SHORT,
		    "GET_INFO reply is %zu bytes, expected %zu: refusing the device",
		    len, sizeof(info));
		return;
	}
	memcpy(&info, buf, sizeof(info));
	if (memcmp(info.magic, PAMP_MAGIC, PAMP_MAGIC_LEN))
		add(res, PV_INFO_MAGIC,
		    "bad magic %02x %02x %02x %02x: refusing the device",
		    info.magic[0], info.magic[1], info.magic[2], info.magic[3]);
	if (info.version_major != PAMP_VERSION_MAJOR)
		add(res, PV_INFO_MAJOR,
		    "protocol version %u.%u, major %u expected: refusing the device",
		    info.version_major, info.version_minor,
		    PAMP_VERSION_MAJOR);
	if (info.num_inputs == 0)
		add(res, PV_INFO_NO_INPUTS,
		    "num_inputs 0: refusing the device");
	else if (info.num_inputs > PAMP_MAX_INPUTS)
		add(res, PV_INFO_TOO_MANY,
		    "num_inputs %u above %u: refusing the device",
		    info.num_inputs, PAMP_MAX_INPUTS);
	window = le16toh(info.meter_window_ms);
	if ((info.flags & PAMP_FLAG_METERS) &&
	    (window < PAMP_METER_WINDOW_MIN_MS ||
	     window > PAMP_METER_WINDOW_MAX_MS))
		add(res, PV_INFO_WINDOW,
		    "meter_window_ms %u outside %u..%u: no meters",
		    window, PAMP_METER_WINDOW_MIN_MS, PAMP_METER_WINDOW_MAX_MS);
	if (info.flags & ~(PAMP_FLAG_METERS | PAMP_FLAG_NOTIFY |
			   PAMP_FLAG_PERSISTENT))
		add(res, PV_UNKNOWN_FLAGS, "unknown flags 0x%02x ignored",
		    info.flags);
	if (!all_zero(info.reserved, sizeof(info.reserved)))
		add(res, PV_RESERVED_NONZERO,
		    "GET_INFO reserved bytes not zero (ignored)");
}

int pv_printable_utf8(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		unsigned int n, k;
		uint8_t c = s[i];

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;	/* continuation, overlong lead, > U+10FFFF */
		}
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
		    (cp >= 0x80 && cp <= 0x9f))
			return 0;
		i += n + 1;
	}
	return 1;
}

void pv_check_inputs(const uint8_t (*bufs)[sizeof(struct pamp_input_info)],
		     const size_t *lens, unsigned int num_inputs,
		     struct pv_input *out, struct pv_result *res)
{
	unsigned int i, j;

	for (i = 0; i < num_inputs && i < PAMP_MAX_INPUTS; i++) {
		struct pamp_input_info ii;
		struct pv_input *o = &out[i];
		const uint8_t *nul;
		unsigned int caps;

		memset(o, 0, sizeof(*o));
		snprintf(o->label, sizeof(o->label), "Input %u", i + 1);
		if (lens[i] < sizeof(ii)) {
			o->issues |= PV_IN_SHORT;
			add(res, PV_IN_SHORT,
			    "input %u: GET_INPUT_INFO reply is %zu bytes, expected %zu: refusing the device",
			    i, lens[i], sizeof(ii));
			continue;
		}
		memcpy(&ii, bufs[i], sizeof(ii));
		caps = le16toh(ii.caps);
		o->caps = (uint16_t)caps;
		o->gain_min = (int16_t)le16toh(ii.gain_min);
		o->gain_max = (int16_t)le16toh(ii.gain_max);
		o->gain_step = le16toh(ii.gain_step);
		o->phantom_group = ii.phantom_group;
		if (caps & ~(PAMP_SWITCH_MASK | PAMP_CAP_GAIN | PAMP_CAP_METER)) {
			o->issues |= PV_UNKNOWN_CAPS;
			add(res, PV_UNKNOWN_CAPS,
			    "input %u: unknown caps 0x%04x ignored", i, caps);
		}
		if ((caps & PAMP_CAP_GAIN) &&
		    !pamp_gain_range_valid(o->gain_min, o->gain_max,
					   o->gain_step)) {
			o->issues |= PV_IN_GAIN_RANGE;
			o->caps &= (uint16_t)~PAMP_CAP_GAIN;
			add(res, PV_IN_GAIN_RANGE,
			    "input %u: gain range min %d max %d step %u is not usable: no gain control",
			    i, o->gain_min, o->gain_max, o->gain_step);
		}
		if (!all_zero(ii.reserved, sizeof(ii.reserved))) {
			o->issues |= PV_RESERVED_NONZERO;
			add(res, PV_RESERVED_NONZERO,
			    "input %u: reserved bytes not zero (ignored)", i);
		}
		nul = memchr(ii.label, 0, sizeof(ii.label));
		if (!nul) {
			o->issues |= PV_IN_LABEL_NO_NUL;
			add(res, PV_IN_LABEL_NO_NUL,
			    "input %u: label without a NUL: using \"%s\"", i,
			    o->label);
		} else if (!pv_printable_utf8(ii.label,
					      (size_t)(nul - ii.label))) {
			o->issues |= PV_IN_LABEL_UTF8;
			add(res, PV_IN_LABEL_UTF8,
			    "input %u: label is not printable UTF-8: using \"%s\"",
			    i, o->label);
		} else if (nul != ii.label) {
			memcpy(o->label, ii.label, (size_t)(nul - ii.label));
			o->label[nul - ii.label] = '\0';
		}
	}

	/* Members of a phantom group are consecutive inputs. */
	for (i = 0; i < num_inputs && i < PAMP_MAX_INPUTS; i++) {
		uint8_t k = out[i].phantom_group;
		bool split = false;

		if (!k || (out[i].issues & PV_IN_SHORT) ||
		    (i > 0 && out[i - 1].phantom_group == k))
			continue;	/* no group, or not its first member */
		for (j = i + 1; j < num_inputs && out[j].phantom_group == k; j++)
			;
		for (; j < num_inputs; j++)
			if (out[j].phantom_group == k)
				split = true;
		if (!split)
			continue;
		add(res, PV_IN_GROUP_SPLIT,
		    "phantom group %u is not consecutive: each member gets its own switch",
		    k);
		for (j = 0; j < num_inputs; j++)
			if (out[j].phantom_group == k) {
				out[j].issues |= PV_IN_GROUP_SPLIT;
				out[j].phantom_group = 0;
			}
	}
}
