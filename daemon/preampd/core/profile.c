// SPDX-License-Identifier: MIT
/* Profiles: parsing the data files and matching a card's controls. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inifile.h"
#include "profile.h"
#include "usbattr.h"
#include "util.h"

static const char *const fn_names[PA_FN_COUNT] = {
	[PA_FN_GAIN] = "gain",
	[PA_FN_PHANTOM] = "phantom",
	[PA_FN_PAD] = "pad",
	[PA_FN_PHASE] = "phase",
	[PA_FN_HIGHPASS] = "highpass",
	[PA_FN_AIR] = "air",
	[PA_FN_LEVEL] = "level",
	[PA_FN_METER] = "meter",
	[PA_FN_CLIP] = "clip",
	[PA_FN_AUTOGAIN] = "autogain",
	[PA_FN_AUTOGAIN_STATUS] = "autogain_status",
	[PA_FN_PERSISTENT] = "persistent",
};

#define MAX_RULES 256

const char *pa_fn_name(enum pa_fn fn)
{
	return (unsigned)fn < PA_FN_COUNT ? fn_names[fn] : "?";
}

static bool device_wide(enum pa_fn fn)
{
	return fn == PA_FN_METER || fn == PA_FN_CLIP || fn == PA_FN_PERSISTENT;
}

/* ---- patterns ---- */

/* Reads 1..3 digits at *s as an input number 1..PA_MAX_INPUTS. */
static bool take_number(const char **s, unsigned *out)
{
	unsigned v = 0, digits = 0;

	while (**s >= '0' && **s <= '9' && digits < 3) {
		v = v * 10 + (unsigned)(**s - '0');
		(*s)++;
		digits++;
	}
	if (**s >= '0' && **s <= '9')
		return false;	/* four digits or more */
	if (digits == 0 || v < 1 || v > PA_MAX_INPUTS)
		return false;
	*out = v;
	return true;
}

int pa_pattern_match(const char *pattern, const char *name, unsigned *n,
		     unsigned *m)
{
	const char *p = pattern, *s = name;
	int got = 0;

	while (*p) {
		if (!strncmp(p, "{n}", 3) || !strncmp(p, "{m}", 3)) {
			unsigned v;

			if (!take_number(&s, &v))
				return -1;
			if (p[1] == 'n')
				*n = v;
			else
				*m = v;
			got++;
			p += 3;
			continue;
		}
		if (*p != *s)
			return -1;
		p++;
		s++;
	}
	return *s ? -1 : got;
}

/* A pattern of a profile file: printable ASCII, "{n}" then optionally
 * "{m}", no other braces; placeholders only where allowed. */
static bool pattern_ok(const char *v, bool placeholders, bool *has_n)
{
	const char *p = v;
	bool n = false, m = false;

	if (!*v || strlen(v) >= PA_NAME_MAX)
		return false;
	while (*p) {
		if (*p == '{') {
			if (!placeholders)
				return false;
			if (!strncmp(p, "{n}", 3) && !n)
				n = true;
			else if (!strncmp(p, "{m}", 3) && n && !m)
				m = true;
			else
				return false;
			p += 3;
			continue;
		}
		if (*p < 0x20 || *p > 0x7e || *p == '}')
			return false;
		p++;
	}
	*has_n = n;
	return true;
}

/* ---- parsing ---- */

struct pparse {
	struct pa_profile *p;
	char *err;
	size_t errlen;
	bool have_profile;
};

static int fail(struct pparse *pp, unsigned line, const char *fmt,
		const char *a)
{
	char msg[160];

	snprintf(msg, sizeof(msg), fmt, a);
	snprintf(pp->err, pp->errlen, "line %u: %s", line, msg);
	return -EBADMSG;
}

static int parse_scale(const char *v, struct pa_scale *sc)
{
	char kind[16];
	char a[32], b[32], extra[2];
	int n;

	n = sscanf(v, "%15s %31s %31s %1s", kind, a, b, extra);
	if (n == 1 && !strcmp(kind, "tlv")) {
		sc->kind = PA_SCALE_TLV;
	} else if (n == 1 && !strcmp(kind, "usbmixer")) {
		sc->kind = PA_SCALE_USBMIXER;
	} else if (n == 3 && !strcmp(kind, "linear")) {
		if (pa_parse_double(a, &sc->a) < 0 ||
		    pa_parse_double(b, &sc->b) < 0 ||
		    sc->b < PA_GAIN_STEP_MIN ||
		    fabs(sc->a) > 1000 || sc->b > 100)
			return -EINVAL;
		sc->kind = PA_SCALE_LINEAR;
	} else {
		return -EINVAL;
	}
	sc->set = true;
	return 0;
}

static int parse_id(const char *v, struct pa_profile *p)
{
	unsigned vid, pid;
	char extra;

	if (p->n_ids >= PA_PROFILE_IDS)
		return -E2BIG;
	if (strlen(v) == 9 &&
	    sscanf(v, "%4x:%4x%c", &vid, &pid, &extra) == 2) {
		p->ids[p->n_ids].any_pid = false;
	} else if (strlen(v) == 4 && sscanf(v, "%4x%c", &vid, &extra) == 1) {
		pid = 0;
		p->ids[p->n_ids].any_pid = true;
	} else {
		return -EINVAL;
	}
	p->ids[p->n_ids].vid = (uint16_t)vid;
	p->ids[p->n_ids].pid = (uint16_t)pid;
	p->n_ids++;
	return 0;
}

static int add_rule(struct pparse *pp, unsigned line, unsigned input,
		    enum pa_fn fn, const char *value)
{
	struct pa_profile *p = pp->p;
	struct pa_rule *nr;
	bool has_n = false;

	if (!pattern_ok(value, input == 0, &has_n))
		return fail(pp, line, "'%s' is not a control name pattern",
			    value);
	if (input != 0 && device_wide(fn))
		return fail(pp, line, "%s belongs in [controls]",
			    pa_fn_name(fn));
	if (device_wide(fn) && has_n)
		return fail(pp, line, "%s is one control for the device: no {n}",
			    pa_fn_name(fn));
	if (p->n_rules >= MAX_RULES)
		return fail(pp, line, "too many control rules%s", "");
	nr = realloc(p->rules, (p->n_rules + 1) * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	p->rules = nr;
	nr[p->n_rules].input = input;
	nr[p->n_rules].fn = fn;
	snprintf(nr[p->n_rules].pattern, PA_NAME_MAX, "%s", value);
	p->n_rules++;
	return 0;
}

/* Input n's [input N] settings; NULL when its section sets none. */
static const struct pa_input_extra *extra_of(const struct pa_profile *p,
					     unsigned input)
{
	for (size_t i = 0; i < p->n_extras; i++)
		if (p->extras[i].input == input)
			return &p->extras[i];
	return NULL;
}

/* The same, made when it is not there yet; NULL when out of memory. */
static struct pa_input_extra *extra_for(struct pa_profile *p, unsigned input)
{
	struct pa_input_extra *x = (struct pa_input_extra *)extra_of(p, input);

	if (x)
		return x;
	x = realloc(p->extras, (p->n_extras + 1) * sizeof(*x));
	if (!x)
		return NULL;
	p->extras = x;
	x = &x[p->n_extras++];
	memset(x, 0, sizeof(*x));
	x->input = input;
	return x;
}

static int label_ok(const char *v)
{
	size_t n = strlen(v);

	return n > 0 && n < PA_LABEL_MAX && pa_utf8_valid(v, n) &&
	       !pa_has_control(v, n);
}

static int handler(void *user, unsigned line, const char *section,
		   const char *name, const char *value)
{
	struct pparse *pp = user;
	struct pa_profile *p = pp->p;
	unsigned long input = 0;
	unsigned fn;

	if (!strcmp(section, "profile")) {
		pp->have_profile = true;
		if (!strcmp(name, "driver")) {
			size_t n = strlen(value);

			if (n == 0 || n >= PA_DRIVER_MAX ||
			    !pa_utf8_valid(value, n) || pa_has_control(value, n))
				return fail(pp, line, "bad driver name '%s'",
					    value);
			snprintf(p->driver, sizeof(p->driver), "%s", value);
		} else if (!strcmp(name, "description")) {
			snprintf(p->description, sizeof(p->description), "%s",
				 value);
		} else if (!strcmp(name, "priority")) {
			unsigned long v;

			if (pa_parse_uint(value, 0, 1000, &v) < 0)
				return fail(pp, line,
					    "priority must be 0..1000, not '%s'",
					    value);
			p->priority = (int)v;
		} else if (!strcmp(name, "usb_id")) {
			if (parse_id(value, p) < 0)
				return fail(pp, line,
					    "usb_id must be vvvv or vvvv:pppp (hex, at most 8), not '%s'",
					    value);
		} else if (!strcmp(name, "meter_scale")) {
			if (!strcmp(value, "centi-dbfs"))
				p->meter_scale = PA_METER_CENTI_DBFS;
			else if (!strcmp(value, "none"))
				p->meter_scale = PA_METER_NONE;
			else
				return fail(pp, line,
					    "meter_scale must be centi-dbfs or none, not '%s'",
					    value);
		} else if (!strcmp(name, "persistent_attr")) {
			if (!pa_usbattr_name_valid(value))
				return fail(pp, line,
					    "persistent_attr must be a sysfs attribute name (1 to 31 of a-z, 0-9, _), not '%s'",
					    value);
			snprintf(p->persistent_attr, sizeof(p->persistent_attr),
				 "%s", value);
		} else if (!strcmp(name, "label_attr")) {
			char probe[32];

			if (strlen(value) >= sizeof(p->label_attr) ||
			    pa_usbattr_name_for(value, PA_MAX_INPUTS, probe,
						sizeof(probe)) < 0)
				return fail(pp, line,
					    "label_attr must be a sysfs attribute name with {n} once (in{n}_label), not '%s'",
					    value);
			snprintf(p->label_attr, sizeof(p->label_attr), "%s",
				 value);
		} else {
			return fail(pp, line, "unknown key '%s' in [profile]",
				    name);
		}
		return 0;
	}

	if (!strcmp(section, "controls")) {
		input = 0;
	} else if (!strncmp(section, "input ", 6) &&
		   pa_parse_uint(section + 6, 1, PA_MAX_INPUTS, &input) == 0) {
		/* [input N] */
	} else {
		return fail(pp, line, "unknown section [%s]", section);
	}

	if (!strcmp(name, "label")) {
		struct pa_input_extra *x = input ? extra_for(p, input) : NULL;

		if (input && !x)
			return -ENOMEM;
		if (!label_ok(value))
			return fail(pp, line, "bad label '%s'", value);
		snprintf(x ? x->label : p->label, PA_LABEL_MAX, "%s", value);
		return 0;
	}
	if (!strcmp(name, "gain_scale")) {
		struct pa_input_extra *x = input ? extra_for(p, input) : NULL;

		if (input && !x)
			return -ENOMEM;
		if (parse_scale(value, x ? &x->scale : &p->scale) < 0)
			return fail(pp, line,
				    "gain_scale must be tlv, usbmixer or 'linear A B', not '%s'",
				    value);
		return 0;
	}
	for (fn = 0; fn < PA_FN_COUNT; fn++)
		if (!strcmp(name, fn_names[fn]))
			return add_rule(pp, line, (unsigned)input,
					(enum pa_fn)fn, value);
	return fail(pp, line, "unknown key '%s'", name);
}

void pa_profile_clear(struct pa_profile *p)
{
	free(p->extras);
	free(p->rules);
	memset(p, 0, sizeof(*p));
}

int pa_profile_parse(const char *text, size_t len, const char *file,
		     struct pa_profile *p, char *err, size_t errlen)
{
	struct pparse pp = { .p = p, .err = err, .errlen = errlen };
	int r;

	memset(p, 0, sizeof(*p));
	snprintf(p->file, sizeof(p->file), "%s", file);
	r = pa_ini_parse(text, len, handler, &pp, err, errlen);
	if (r == 0 && !p->driver[0]) {
		snprintf(err, errlen, "no [profile] driver = ...");
		r = -EBADMSG;
	}
	if (r == 0 && p->n_rules == 0) {
		snprintf(err, errlen, "no control rules");
		r = -EBADMSG;
	}
	if (r < 0) {
		pa_profile_clear(p);
		return r;
	}
	return 0;
}

/* ---- matching ---- */

static bool id_matches(const struct pa_profile *p, uint16_t vid, uint16_t pid)
{
	for (unsigned i = 0; i < p->n_ids; i++)
		if (p->ids[i].vid == vid &&
		    (p->ids[i].any_pid || p->ids[i].pid == pid))
			return true;
	return false;
}

void pa_elems_free(struct pa_elem *elems, size_t n)
{
	if (!elems)
		return;
	for (size_t i = 0; i < n; i++)
		free(elems[i].items);
	free(elems);
}

static int find_item(const struct pa_elem *e, const char *const *names)
{
	unsigned n = !e->items ? 0 :
		     e->n_items < PA_ITEMS_MAX ? e->n_items : PA_ITEMS_MAX;

	for (const char *const *nm = names; *nm; nm++)
		for (unsigned i = 0; i < n; i++)
			if (pa_streq_ci(e->items[i], *nm))
				return (int)i;
	return -1;
}

/* A gain: a writable integer with a dB range from the profile's scale. */
static bool usable_gain(const struct pa_profile *prof, unsigned number,
			const struct pa_elem *e, struct pa_input_map *in)
{
	const struct pa_input_extra *x = extra_of(prof, number);
	const struct pa_scale *sc = x && x->scale.set ? &x->scale : &prof->scale;
	struct pa_gain_range r;

	if (e->type != PA_ELEM_INTEGER || !e->writable ||
	    e->min >= e->max || e->max - e->min > 100000)
		return false;
	r.raw_min = e->min;
	r.raw_max = e->max;
	switch (sc->set ? sc->kind : PA_SCALE_TLV) {
	case PA_SCALE_TLV:
		if (!e->has_db)
			return false;
		r.db_min = e->db_min;
		r.db_max = e->db_max;
		break;
	case PA_SCALE_USBMIXER:
		if (!e->has_usb_db)
			return false;
		r.db_min = e->usb_db_min;
		r.db_max = e->usb_db_max;
		break;
	case PA_SCALE_LINEAR:
		r.db_min = sc->a + (double)e->min * sc->b;
		r.db_max = sc->a + (double)e->max * sc->b;
		break;
	}
	if (!pa_gain_range_valid(&r) || r.db_min < -200 || r.db_max > 200)
		return false;
	in->gain = r;
	return true;
}

/* A switch (pad, phase, high-pass, Air): its off and on values. */
static bool usable_switch(unsigned sw, const struct pa_elem *e,
			  struct pa_input_map *in)
{
	static const char *const off[] = { "Off", NULL };

	if (!e->writable)
		return false;
	if (e->type == PA_ELEM_BOOLEAN) {
		in->sw_off[sw] = 0;
		in->sw_on[sw] = 1;
	} else if (e->type == PA_ELEM_ENUMERATED && e->n_items >= 2) {
		int o = find_item(e, off);

		in->sw_off[sw] = o < 0 ? 0 : o;
		in->sw_on[sw] = in->sw_off[sw] == 0 ? 1 : 0;
	} else if (e->type == PA_ELEM_INTEGER && e->min < e->max) {
		/* an attenuation in dB (UAC2 pad): off is the value nearest
		 * 0 dB, on the one farthest from it */
		if (e->has_usb_db || e->has_db) {
			struct pa_gain_range r = {
				e->min, e->max,
				e->has_usb_db ? e->usb_db_min : e->db_min,
				e->has_usb_db ? e->usb_db_max : e->db_max,
			};

			if (!pa_gain_range_valid(&r))
				return false;
			in->sw_off[sw] = pa_gain_clamp_raw(&r, 0.0);
		} else {
			in->sw_off[sw] = e->min;
		}
		in->sw_on[sw] = in->sw_off[sw] - e->min <
				e->max - in->sw_off[sw] ? e->max : e->min;
	} else {
		return false;
	}
	return true;
}

/* Line or instrument level: a switch, or an enum naming both. */
static bool usable_level(const struct pa_elem *e, struct pa_input_map *in)
{
	static const char *const line[] = { "Line", NULL };
	static const char *const inst[] = { "Inst", "Instrument", "Hi-Z", NULL };

	if (!e->writable)
		return false;
	if (e->type == PA_ELEM_BOOLEAN) {
		in->level_line = 0;
		in->level_inst = 1;
		return true;
	}
	if (e->type != PA_ELEM_ENUMERATED)
		return false;
	in->level_line = find_item(e, line);
	in->level_inst = find_item(e, inst);
	return in->level_line >= 0 && in->level_inst >= 0;
}

/* Is e usable for fn at value channel c? Fills the input's extra data. */
static bool usable(const struct pa_profile *prof, unsigned number,
		   enum pa_fn fn, const struct pa_elem *e, unsigned c,
		   struct pa_input_map *in)
{
	if (c >= e->count || e->count > 256 || !e->readable)
		return false;
	switch (fn) {
	case PA_FN_GAIN:
		return usable_gain(prof, number, e, in);
	case PA_FN_PHANTOM:
	case PA_FN_AUTOGAIN:
		return e->writable && (e->type == PA_ELEM_BOOLEAN ||
				       (e->type == PA_ELEM_INTEGER &&
					e->min == 0 && e->max == 1));
	case PA_FN_PAD:
	case PA_FN_PHASE:
	case PA_FN_HIGHPASS:
	case PA_FN_AIR:
		return usable_switch(fn - PA_FN_PAD, e, in);
	case PA_FN_LEVEL:
		return usable_level(e, in);
	case PA_FN_METER:
		/* a meter in 0.01 dBFS never goes above 0 dBFS (scarlett2's
		 * linear 0..4095 "Level Meter" is not one) */
		return e->type == PA_ELEM_INTEGER &&
		       (prof->meter_scale != PA_METER_CENTI_DBFS ||
			(e->max <= 0 && e->min >= -20000));
	case PA_FN_CLIP:
		return e->type == PA_ELEM_INTEGER && e->min >= 0;
	case PA_FN_AUTOGAIN_STATUS:
		return e->type == PA_ELEM_ENUMERATED;
	case PA_FN_PERSISTENT:
		return e->type == PA_ELEM_BOOLEAN || e->type == PA_ELEM_INTEGER;
	default:
		return false;
	}
}

static void assign(const struct pa_profile *prof, struct pa_match *m,
		   unsigned number, enum pa_fn fn, const struct pa_elem *elems,
		   int ei, unsigned c)
{
	struct pa_input_map *in;

	if (number < 1 || number > m->n_in)
		return;
	in = &m->in[number - 1];
	if (in->ref[fn].elem >= 0)
		return;	/* the first rule that matched wins */
	if (!usable(prof, number, fn, &elems[ei], c, in))
		return;
	in->ref[fn].elem = ei;
	in->ref[fn].channel = c;
	if (fn == PA_FN_PHANTOM)
		in->phantom_group = (unsigned)ei + 1;
}

static int cmp_index(const void *a, const void *b, void *elems)
{
	const struct pa_elem *e = elems;
	int x = *(const int *)a, y = *(const int *)b;

	if (e[x].index != e[y].index)
		return e[x].index < e[y].index ? -1 : 1;
	return e[x].numid < e[y].numid ? -1 : e[x].numid > e[y].numid;
}

/* qsort_r is a GNU extension; a small insertion sort does as well here. */
static void sort_by_index(int *v, size_t n, const struct pa_elem *elems)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 &&
		     cmp_index(&v[j - 1], &v[j], (void *)elems) > 0; j--) {
			int t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static void apply_rule(const struct pa_profile *prof, const struct pa_rule *r,
		       const struct pa_elem *elems, size_t n_elems,
		       struct pa_match *m)
{
	int *chan = NULL;
	size_t n_chan = 0;

	if (n_elems > PA_ELEMS_MAX)
		n_elems = PA_ELEMS_MAX;	/* a pa_ref holds the index */
	for (size_t i = 0; i < n_elems; i++) {
		unsigned a = 0, b = 0;
		int k = pa_pattern_match(r->pattern, elems[i].name, &a, &b);

		if (k < 0)
			continue;
		if (r->input) {
			assign(prof, m, r->input, r->fn, elems, (int)i, 0);
		} else if (k == 2 && r->fn == PA_FN_PHANTOM) {
			/* "{n}-{m}": one switch for inputs a..b */
			if (b < a || b > PA_MAX_INPUTS)
				continue;
			for (unsigned x = a; x <= b; x++)
				assign(prof, m, x, r->fn, elems, (int)i, 0);
		} else if (k == 1) {
			assign(prof, m, a, r->fn, elems, (int)i, 0);
		} else if (k == 0 && r->fn == PA_FN_PERSISTENT) {
			if (m->persistent.elem < 0 && elems[i].readable &&
			    usable(prof, 1, r->fn, &elems[i], 0, &m->in[0])) {
				m->persistent.elem = (int)i;
				m->persistent.channel = 0;
			}
		} else if (k == 0 && (r->fn == PA_FN_METER || r->fn == PA_FN_CLIP)) {
			if (elems[i].index != 0)
				continue;
			for (unsigned c = 0; c < elems[i].count &&
			     c < PA_MAX_INPUTS; c++)
				assign(prof, m, c + 1, r->fn, elems, (int)i, c);
		} else if (k == 0) {
			int *nc = realloc(chan, (n_chan + 1) * sizeof(*nc));

			if (!nc)
				break;
			chan = nc;
			chan[n_chan++] = (int)i;
		}
	}
	if (n_chan) {
		/* no number in the name: every value of every such control,
		 * in index order, is the next input */
		unsigned number = 1;

		sort_by_index(chan, n_chan, elems);
		for (size_t j = 0; j < n_chan; j++)
			for (unsigned c = 0; c < elems[chan[j]].count &&
			     number <= PA_MAX_INPUTS; c++, number++)
				assign(prof, m, number, r->fn, elems, chan[j], c);
	}
	free(chan);
}

static void make_label(const struct pa_profile *p, unsigned number,
		       char *out)
{
	const struct pa_input_extra *x = extra_of(p, number);
	const char *tmpl = x && x->label[0] ? x->label : p->label;
	const char *ph = strstr(tmpl, "{n}");

	if (!tmpl[0]) {
		snprintf(out, PA_LABEL_MAX, "Line In %u", number);
	} else if (ph) {
		snprintf(out, PA_LABEL_MAX, "%.*s%u%s", (int)(ph - tmpl), tmpl,
			 number, ph + 3);
	} else {
		snprintf(out, PA_LABEL_MAX, "%s", tmpl);
	}
}

int pa_profile_match(const struct pa_profile *p, uint16_t vid, uint16_t pid,
		     const struct pa_elem *elems, size_t n_elems,
		     struct pa_match *m)
{
	bool id_ok = id_matches(p, vid, pid);
	static const uint32_t fn_caps[PA_FN_COUNT] = {
		[PA_FN_GAIN] = PA_CAP_GAIN,
		[PA_FN_PHANTOM] = PA_CAP_PHANTOM,
		[PA_FN_PAD] = PA_CAP_PAD,
		[PA_FN_PHASE] = PA_CAP_PHASE,
		[PA_FN_HIGHPASS] = PA_CAP_HIGHPASS,
		[PA_FN_AIR] = PA_CAP_AIR,
		[PA_FN_LEVEL] = PA_CAP_LEVEL,
	};
	unsigned n_in = m->n_in;
	int score = 0;

	memset(m, 0, sizeof(*m) + n_in * sizeof(m->in[0]));
	m->n_in = n_in;
	m->persistent.elem = -1;
	for (unsigned i = 0; i < n_in; i++)
		for (unsigned f = 0; f < PA_FN_COUNT; f++)
			m->in[i].ref[f].elem = -1;
	if (!n_in || (p->n_ids && !id_ok))
		return 0;
	for (size_t r = 0; r < p->n_rules; r++)
		apply_rule(p, &p->rules[r], elems, n_elems, m);

	for (unsigned i = 0; i < n_in; i++) {
		struct pa_input_map *in = &m->in[i];
		int mapped = 0;

		for (unsigned f = 0; f < PA_FN_COUNT; f++) {
			if (in->ref[f].elem < 0)
				continue;
			in->caps |= fn_caps[f];
			mapped++;
		}
		if (!(in->caps & (PA_CAP_GAIN | PA_CAP_PHANTOM))) {
			in->caps = 0;	/* not an input of ours */
			continue;
		}
		score += mapped;
		if (p->meter_scale != PA_METER_NONE &&
		    in->ref[PA_FN_METER].elem >= 0)
			in->caps |= PA_CAP_METER;
		in->number = i + 1;
		make_label(p, i + 1, in->label);
		m->present |= 1u << i;
	}
	if (!m->present)
		return 0;
	m->profile = p;
	m->meter_scale = p->meter_scale;
	if (m->persistent.elem >= 0)
		score++;
	score += id_ok ? 1000 : 0;
	m->score = score;
	return score;
}

int pa_profile_best(const struct pa_profile *profiles, size_t n, uint16_t vid,
		    uint16_t pid, const struct pa_elem *elems, size_t n_elems,
		    struct pa_match *m)
{
	size_t best_i = 0;
	int best = 0;

	/* the scores in m, then the winner matched again into it: one match
	 * (room for every input) at a time, not a candidate beside the best */
	for (size_t i = 0; i < n; i++) {
		int s = pa_profile_match(&profiles[i], vid, pid, elems, n_elems, m);

		if (s <= 0)
			continue;
		if (best > 0 &&
		    (s < best || (s == best &&
				  profiles[i].priority <= profiles[best_i].priority)))
			continue;
		best = s;
		best_i = i;
	}
	if (best <= 0)
		return 0;
	pa_profile_match(&profiles[best_i], vid, pid, elems, n_elems, m);
	return 1;
}

struct pa_match *pa_match_new(void)
{
	struct pa_match *m = calloc(1, sizeof(*m) +
				    PA_MAX_INPUTS * sizeof(m->in[0]));

	if (m)
		m->n_in = PA_MAX_INPUTS;
	return m;
}

struct pa_match *pa_match_shrink(struct pa_match *m)
{
	unsigned n = 0;
	struct pa_match *s;

	for (unsigned i = 0; i < m->n_in; i++)
		if (m->present & (1u << i))
			n = i + 1;
	if (n == m->n_in)
		return m;
	s = realloc(m, sizeof(*m) + n * sizeof(m->in[0]));
	if (!s)
		return m;
	s->n_in = n;
	return s;
}

void pa_match_copy(struct pa_match *dst, const struct pa_match *src)
{
	unsigned n = dst->n_in;

	memcpy(dst, src, sizeof(*dst));
	dst->n_in = n;
	memcpy(dst->in, src->in, n * sizeof(dst->in[0]));
}

bool pa_switch_is_on(const struct pa_input_map *in, enum pa_switch sw,
		     long raw)
{
	return raw != in->sw_off[sw];
}

/* ---- /proc/asound/cardN/usbmixer ---- */

void pa_usbmixer_parse(const char *text, pa_usbmixer_cb cb, void *user)
{
	char name[PA_NAME_MAX] = "";
	unsigned index = 0;
	bool have_ctl = false, s16 = false;
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[256];
		const char *s;

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = '\0';
		line = nl ? nl + 1 : NULL;
		s = buf;
		while (*s == ' ')
			s++;

		if (!strncmp(s, "Unit:", 5)) {
			have_ctl = s16 = false;
		} else if (!strncmp(s, "Control: name=\"", 15)) {
			const char *start = s + 15;
			const char *end = strstr(start, "\", index=");
			unsigned long idx;

			have_ctl = false;
			if (!end || (size_t)(end - start) >= sizeof(name))
				continue;
			if (pa_parse_uint(end + 9, 0, 1023, &idx) < 0)
				continue;
			memcpy(name, start, (size_t)(end - start));
			name[end - start] = '\0';
			index = (unsigned)idx;
			have_ctl = true;
		} else if (!strncmp(s, "Info:", 5)) {
			s16 = strstr(s, "type=\"S16\"") != NULL;
		} else if (!strncmp(s, "Volume:", 7) && have_ctl && s16) {
			long mn, mx, dmn, dmx;

			if (sscanf(s, "Volume: min=%ld, max=%ld, dBmin=%ld, dBmax=%ld",
				   &mn, &mx, &dmn, &dmx) == 4 &&
			    mn >= -32768 && mx <= 32767 && mn < mx)
				cb(user, name, index, mn, mx);
			have_ctl = false;
		}
	}
}
