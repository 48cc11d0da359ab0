// SPDX-License-Identifier: MIT
/* Model data files, parsed with inih. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ini.h>

#include "modelfile.h"

struct parse {
	struct emu_desc *d;
	char *err;
	size_t errlen;
	int line;
	unsigned int seen_inputs;	/* bit i: [input i+1] present */
	bool failed;
	/* the reader counts lines: Debian's inih gives the handler none */
	FILE *file;
	const char *text;
};

static int fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (p->failed)
		return 0;
	p->failed = true;
	if (p->line > 0)
		n = snprintf(p->err, p->errlen, "line %d: ", p->line);
	if (n < 0 || (size_t)n >= p->errlen)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return 0;
}

static bool parse_long(const char *v, long min, long max, long *out)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(v, &end, 0);
	if (errno || end == v || *end || x < min || x > max)
		return false;
	*out = x;
	return true;
}

/* dB with up to the 1/256 dB grid: "12", "-10", "0.5" */
static bool parse_db_q8(const char *v, int16_t *out)
{
	char *end;
	double db, q8;

	errno = 0;
	db = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(db))
		return false;
	q8 = db * 256.0;
	if (q8 < INT16_MIN || q8 > INT16_MAX || fabs(q8 - round(q8)) > 1e-6)
		return false;
	*out = (int16_t)lrint(q8);
	return true;
}

static bool parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return false;
	return true;
}

static bool set_string(char *dst, size_t size, const char *v)
{
	size_t len = strlen(v);

	if (len == 0 || len >= size)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e)
			return false;
	memcpy(dst, v, len + 1);
	return true;
}

/* A space-separated list of words, each a bit of table[]. */
static bool parse_words(const char *v, const char *const *table,
			const unsigned int *bits, size_t n, unsigned int *out)
{
	char buf[256];
	char *save = NULL;

	if (strlen(v) >= sizeof(buf))
		return false;
	strcpy(buf, v);
	*out = 0;
	for (char *w = strtok_r(buf, " \t,", &save); w;
	     w = strtok_r(NULL, " \t,", &save)) {
		size_t i;

		for (i = 0; i < n; i++)
			if (!strcmp(w, table[i]))
				break;
		if (i == n)
			return false;
		*out |= bits[i];
	}
	return true;
}

static const char *const flag_words[] = { "meters", "notify", "persistent" };
static const unsigned int flag_bits[] = {
	PAMP_FLAG_METERS, PAMP_FLAG_NOTIFY, PAMP_FLAG_PERSISTENT,
};

static const char *const cap_words[] = {
	"phantom", "pad", "phase", "hpf", "air", "inst", "gain", "meter",
};
static const unsigned int cap_bits[] = {
	1u << PAMP_SW_PHANTOM, 1u << PAMP_SW_PAD, 1u << PAMP_SW_PHASE,
	1u << PAMP_SW_HPF, 1u << PAMP_SW_AIR, 1u << PAMP_SW_INST,
	PAMP_CAP_GAIN, PAMP_CAP_METER,
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static int device_key(struct parse *p, const char *name, const char *v)
{
	struct emu_desc *d = p->d;
	unsigned int bits;
	long x;
	double db;
	char *end;

	if (!strcmp(name, "name")) {
		if (!set_string(d->name, sizeof(d->name), v))
			return fail(p, "name: 1 to %zu printable ASCII characters",
				    sizeof(d->name) - 1);
	} else if (!strcmp(name, "manufacturer")) {
		if (!set_string(d->manufacturer, sizeof(d->manufacturer), v))
			return fail(p, "manufacturer: 1 to %zu printable ASCII characters",
				    sizeof(d->manufacturer) - 1);
	} else if (!strcmp(name, "serial")) {
		if (!set_string(d->serial, sizeof(d->serial), v))
			return fail(p, "serial: 1 to %zu printable ASCII characters",
				    sizeof(d->serial) - 1);
	} else if (!strcmp(name, "vendor_id")) {
		if (!parse_long(v, 0, 0xffff, &x))
			return fail(p, "vendor_id: a 16-bit number");
		d->vendor_id = (uint16_t)x;
	} else if (!strcmp(name, "product_id")) {
		if (!parse_long(v, 0, 0xffff, &x))
			return fail(p, "product_id: a 16-bit number");
		d->product_id = (uint16_t)x;
	} else if (!strcmp(name, "bcd_device")) {
		if (!parse_long(v, 0, 0xffff, &x))
			return fail(p, "bcd_device: a 16-bit number");
		d->bcd_device = (uint16_t)x;
	} else if (!strcmp(name, "flags")) {
		if (!parse_words(v, flag_words, flag_bits, N_OF(flag_words), &bits))
			return fail(p, "flags: words of: meters notify persistent");
		d->flags = (uint8_t)bits;
	} else if (!strcmp(name, "meter_window_ms")) {
		if (!parse_long(v, PAMP_METER_WINDOW_MIN_MS,
				PAMP_METER_WINDOW_MAX_MS, &x))
			return fail(p, "meter_window_ms: %d to %d",
				    PAMP_METER_WINDOW_MIN_MS,
				    PAMP_METER_WINDOW_MAX_MS);
		d->meter_window_ms = (uint16_t)x;
	} else if (!strcmp(name, "audio")) {
		if (!parse_bool(v, &d->audio))
			return fail(p, "audio: yes or no");
	} else if (!strcmp(name, "control_first")) {
		if (!parse_bool(v, &d->control_first))
			return fail(p, "control_first: yes or no");
	} else if (!strcmp(name, "pad_db")) {
		db = strtod(v, &end);
		if (end == v || *end || !(db >= 0.0 && db <= 60.0))
			return fail(p, "pad_db: 0 to 60");
		d->pad_db = db;
	} else {
		return fail(p, "[device]: unknown key '%s'", name);
	}
	return 1;
}

static int source_key(struct parse *p, struct emu_input_desc *in,
		      const char *name, const char *v)
{
	char *end;
	double level;
	int shape;

	if (!strcmp(name, "source")) {
		shape = emu_shape_from_name(v);
		if (shape < 0)
			return fail(p, "source: silence, sine or speech");
		in->source.shape = (enum emu_shape)shape;
		return 1;
	}
	level = strtod(v, &end);
	if (end == v || *end || !(level >= EMU_LEVEL_MIN_DBFS &&
				  level <= EMU_LEVEL_MAX_DBFS))
		return fail(p, "level: %g to %g dBFS", EMU_LEVEL_MIN_DBFS,
			    EMU_LEVEL_MAX_DBFS);
	in->source.level_dbfs = level;
	return 1;
}

static int input_key(struct parse *p, struct emu_input_desc *in,
		     const char *name, const char *v)
{
	unsigned int bits;
	int16_t q8;
	long x;

	if (!strcmp(name, "label")) {
		if (!set_string(in->label, sizeof(in->label), v))
			return fail(p, "label: 1 to %d printable ASCII characters",
				    PAMP_LABEL_LEN);
	} else if (!strcmp(name, "caps")) {
		if (!parse_words(v, cap_words, cap_bits, N_OF(cap_words), &bits))
			return fail(p, "caps: words of: gain phantom pad phase hpf air inst meter");
		in->caps = (uint16_t)bits;
	} else if (!strcmp(name, "switches")) {
		if (!parse_words(v, cap_words, cap_bits, 6, &bits))
			return fail(p, "switches: words of: phantom pad phase hpf air inst");
		in->switches_default = (uint16_t)bits;
	} else if (!strcmp(name, "gain_min") || !strcmp(name, "gain_max") ||
		   !strcmp(name, "gain_step") || !strcmp(name, "gain")) {
		if (!parse_db_q8(v, &q8))
			return fail(p, "%s: dB on the 1/256 dB grid", name);
		if (!strcmp(name, "gain_min"))
			in->gain_min = q8;
		else if (!strcmp(name, "gain_max"))
			in->gain_max = q8;
		else if (!strcmp(name, "gain"))
			in->gain_default = q8;
		else if (q8 <= 0)
			return fail(p, "gain_step: above 0");
		else
			in->gain_step = (uint16_t)q8;
	} else if (!strcmp(name, "phantom_group")) {
		if (!parse_long(v, 0, 255, &x))
			return fail(p, "phantom_group: 0 to 255");
		in->phantom_group = (uint8_t)x;
	} else if (!strcmp(name, "source") || !strcmp(name, "level")) {
		return source_key(p, in, name, v);
	} else {
		return fail(p, "[input]: unknown key '%s'", name);
	}
	return 1;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct parse *p = user;
	long n;

	if (p->failed)
		return 0;
	if (!strcmp(section, "device"))
		return device_key(p, name, value);
	if (!strncmp(section, "input ", 6) &&
	    parse_long(section + 6, 1, PAMP_MAX_INPUTS, &n)) {
		p->seen_inputs |= 1u << (n - 1);
		return input_key(p, &p->d->inputs[n - 1], name, value);
	}
	return fail(p, "unknown section [%s]", section);
}

static void set_defaults(struct emu_desc *d)
{
	memset(d, 0, sizeof(*d));
	strcpy(d->manufacturer, "preamp project");
	d->vendor_id = 0x1d6b;
	d->product_id = 0x0104;
	d->bcd_device = 0x0100;
	d->meter_window_ms = 100;
	d->audio = true;
	d->pad_db = 20.0;
	for (unsigned int i = 0; i < PAMP_MAX_INPUTS; i++) {
		d->inputs[i].source.shape = EMU_SHAPE_SINE;
		d->inputs[i].source.level_dbfs = -40.0;
	}
}

/* The whole-device rules no single key can check. */
static int validate(struct parse *p)
{
	struct emu_desc *d = p->d;
	unsigned int n = 0;

	p->line = 0;
	while (n < PAMP_MAX_INPUTS && (p->seen_inputs & (1u << n)))
		n++;
	if (n == 0)
		return fail(p, "no [input 1] section");
	if (p->seen_inputs >> n)
		return fail(p, "inputs must be numbered 1 to N without gaps");
	if (!d->name[0] || !d->serial[0])
		return fail(p, "[device] needs a name and a serial");
	d->num_inputs = n;

	for (unsigned int i = 0; i < n; i++) {
		struct emu_input_desc *in = &d->inputs[i];
		uint8_t g = in->phantom_group;

		if (!in->label[0])
			snprintf(in->label, sizeof(in->label), "Input %u", i + 1);
		if (in->caps & PAMP_CAP_GAIN) {
			if (!pamp_gain_range_valid(in->gain_min, in->gain_max,
						   in->gain_step))
				return fail(p, "input %u: gain_min < gain_max, a step that divides the span, at most %d steps",
					    i + 1, PAMP_MAX_GAIN_STEPS);
			if (in->gain_default < in->gain_min ||
			    in->gain_default > in->gain_max ||
			    (in->gain_default - in->gain_min) % in->gain_step)
				return fail(p, "input %u: gain off the range or its steps",
					    i + 1);
		}
		if (in->switches_default & ~in->caps)
			return fail(p, "input %u: a switch on that the input lacks",
				    i + 1);
		if ((in->caps & PAMP_CAP_METER) && !(d->flags & PAMP_FLAG_METERS))
			return fail(p, "input %u: meter cap without the meters flag",
				    i + 1);
		if (!g)
			continue;
		if (!(in->caps & (1u << PAMP_SW_PHANTOM)))
			return fail(p, "input %u: phantom_group without phantom",
				    i + 1);
		/* members consecutive, all agreeing on 48 V */
		for (unsigned int j = i + 1; j < n; j++) {
			if (d->inputs[j].phantom_group != g)
				continue;
			if (d->inputs[j - 1].phantom_group != g)
				return fail(p, "phantom group %u is not consecutive", g);
			if ((d->inputs[j].switches_default ^ in->switches_default) &
			    (1u << PAMP_SW_PHANTOM))
				return fail(p, "phantom group %u: members disagree on 48 V", g);
		}
	}
	return 1;
}

static char *reader(char *str, int num, void *stream)
{
	struct parse *p = stream;
	char *ret;

	if (p->file) {
		ret = fgets(str, num, p->file);
	} else {
		size_t len = strcspn(p->text, "\n");

		if (!*p->text || num < 2)
			return NULL;
		if (p->text[len] == '\n')
			len++;
		if (len > (size_t)num - 1)
			len = (size_t)num - 1;
		memcpy(str, p->text, len);
		str[len] = '\0';
		p->text += len;
		ret = str;
	}
	if (ret) {
		long n;
		char *close;

		p->line++;
		/* inih calls no handler for a section without keys */
		ret += strspn(ret, " \t");
		close = strchr(ret, ']');
		if (*ret == '[' && close) {
			*close = '\0';
			if (!strncmp(ret, "[input ", 7) &&
			    parse_long(ret + 7, 1, PAMP_MAX_INPUTS, &n))
				p->seen_inputs |= 1u << (n - 1);
			else if (strcmp(ret, "[device"))
				fail(p, "unknown section %s]", ret);
			*close = ']';
		}
		ret = str;
	}
	return ret;
}

static int parse(struct parse *p)
{
	int ret = ini_parse_stream(reader, p, handler, p);

	if (ret > 0 && !p->failed) {
		p->line = ret;
		fail(p, "not an INI line");
	}
	if (!p->failed)
		validate(p);
	return p->failed ? -EINVAL : 0;
}

int emu_desc_parse(const char *text, struct emu_desc *out, char *err,
		   size_t errlen)
{
	struct parse p = { .d = out, .err = err, .errlen = errlen, .text = text };

	set_defaults(out);
	return parse(&p);
}

int emu_desc_load(const char *path, struct emu_desc *out, char *err,
		  size_t errlen)
{
	struct parse p = { .d = out, .err = err, .errlen = errlen };
	int ret;

	set_defaults(out);
	p.file = fopen(path, "r");
	if (!p.file) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	ret = parse(&p);
	fclose(p.file);
	if (ret) {
		/* prefix the file name to the message */
		char msg[256];

		snprintf(msg, sizeof(msg), "%s", err);
		snprintf(err, errlen, "%s: %s", path, msg);
	}
	return ret;
}
