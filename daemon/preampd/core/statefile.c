// SPDX-License-Identifier: MIT
/* State files: format, strict parse, atomic save. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devkey.h"
#include "inifile.h"
#include "statefile.h"

#define END_MARK "# end of state"
#define GAIN_LIMIT 200.0	/* |dB| beyond this is not a gain */

/* ---- value escaping: '%', ';', '#' and outer spaces as %XX ---- */

static void escape(const char *in, FILE *f)
{
	size_t n = strlen(in);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '%' || c == ';' || c == '#' || c < 0x20 ||
		    (c == ' ' && (i == 0 || i == n - 1)))
			fprintf(f, "%%%02X", c);
		else
			fputc(c, f);
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int unescape(const char *in, char *out, size_t outsz, size_t *outlen)
{
	size_t o = 0;

	for (const char *p = in; *p; p++) {
		char c = *p;

		if (c == '%') {
			int h = hexval(p[1]), l = h < 0 ? -1 : hexval(p[2]);

			if (h < 0 || l < 0)
				return -EINVAL;
			c = (char)(h * 16 + l);
			if (c == '\0')
				return -EINVAL;
			p += 2;
		}
		if (o + 1 >= outsz)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	out[o] = '\0';
	*outlen = o;
	return 0;
}

/* ---- parse ---- */

struct sparse {
	struct pa_state *st;
	char *err;
	size_t errlen;
	bool have_device, have_format;
	unsigned cur_preset;	/* file's preset number being read */
	int cur_preset_idx;	/* its index in st->presets, -1: none */
	unsigned preset_nums[PA_PRESETS_MAX];
};

static int fail(struct sparse *sp, unsigned line, const char *fmt,
		const char *a)
{
	char msg[200];

	snprintf(msg, sizeof(msg), fmt, a);
	snprintf(sp->err, sp->errlen, "line %u: %s", line, msg);
	return -EBADMSG;
}

static int onoff(const char *v, bool *out)
{
	if (!strcmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "off"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static int input_key(struct sparse *sp, unsigned line,
		     struct pa_input_settings *in, const char *name,
		     const char *value, bool preset)
{
	uint32_t f;
	enum pa_switch sw;
	int r = 0;

	if (!strcmp(name, "gain"))
		f = PA_F_GAIN;
	else if (!strcmp(name, "phantom"))
		f = PA_F_PHANTOM;
	else if (!strcmp(name, "phantom_locked") && !preset)
		f = PA_F_LOCK;
	else if (!strcmp(name, "level"))
		f = PA_F_LEVEL;
	else if (pa_switch_from_name(name, &sw) == 0)
		f = PA_F_SWITCH(sw);
	else
		return fail(sp, line, "unknown key '%s'", name);
	if (in->fields & f)
		return fail(sp, line, "'%s' given twice", name);

	switch (f) {
	case PA_F_GAIN:
		r = pa_parse_double(value, &in->gain_db);
		if (r == 0 && fabs(in->gain_db) > GAIN_LIMIT)
			r = -ERANGE;
		break;
	case PA_F_PHANTOM:
		r = onoff(value, &in->phantom);
		break;
	case PA_F_LOCK:
		r = pa_parse_bool(value, &in->locked);
		break;
	case PA_F_LEVEL:
		r = pa_level_from_name(value, &in->level);
		break;
	default:
		r = onoff(value, &in->sw[sw]);
		break;
	}
	if (r < 0)
		return fail(sp, line, "bad value '%s'", value);
	in->fields |= f;
	return 0;
}

static int preset_slot(struct sparse *sp, unsigned line, unsigned num)
{
	struct pa_state *st = sp->st;

	for (size_t i = 0; i < st->n_presets; i++)
		if (sp->preset_nums[i] == num)
			return (int)i;
	(void)line;
	return -1;
}

static int handler(void *user, unsigned line, const char *section,
		   const char *name, const char *value)
{
	struct sparse *sp = user;
	struct pa_state *st = sp->st;
	unsigned long a, b;
	char rest[64];
	int idx;

	if (!strcmp(section, "device")) {
		sp->have_device = true;
		if (!strcmp(name, "format")) {
			if (pa_parse_uint(value, 1, 1000, &a) < 0)
				return fail(sp, line, "bad format '%s'", value);
			if (a != PA_STATE_FORMAT)
				return fail(sp, line,
					    "format %s is not one this preampd reads",
					    value);
			sp->have_format = true;
		} else if (!strcmp(name, "name")) {
			size_t n;

			if (unescape(value, st->name, sizeof(st->name), &n) < 0 ||
			    !pa_utf8_valid(st->name, n))
				return fail(sp, line, "bad name '%s'", value);
		} else if (!strcmp(name, "phantom_policy")) {
			if (pa_policy_from_name(value, &st->policy) < 0)
				return fail(sp, line, "bad phantom_policy '%s'",
					    value);
			st->has_policy = true;
		} else {
			return fail(sp, line, "unknown key '%s' in [device]",
				    name);
		}
		return 0;
	}
	if (!sp->have_format)
		return fail(sp, line, "[device] with format = 1 must come first%s",
			    "");

	/* [input N] */
	if (sscanf(section, "input %lu%63s", &a, rest) == 1) {
		if (pa_parse_uint(section + 6, 1, PA_MAX_INPUTS, &a) < 0)
			return fail(sp, line, "bad section [%s]", section);
		return input_key(sp, line, &st->cur.in[a - 1], name, value,
				 false);
	}
	/* [preset P input N] */
	if (sscanf(section, "preset %lu input %lu%63s", &a, &b, rest) == 2) {
		char chk[PA_INI_MAX_SECTION + 1];

		snprintf(chk, sizeof(chk), "preset %lu input %lu", a, b);
		if (strcmp(chk, section) != 0 || b < 1 || b > PA_MAX_INPUTS)
			return fail(sp, line, "bad section [%s]", section);
		idx = preset_slot(sp, line, (unsigned)a);
		if (idx < 0)
			return fail(sp, line, "[%s] before its preset's name",
				    section);
		return input_key(sp, line, &st->presets[idx].s.in[b - 1], name,
				 value, true);
	}
	/* [preset P] */
	if (sscanf(section, "preset %lu%63s", &a, rest) == 1) {
		char nm[PA_PRESET_NAME_MAX + 1];
		size_t n;

		if (pa_parse_uint(section + 7, 1, 100000, &a) < 0)
			return fail(sp, line, "bad section [%s]", section);
		if (strcmp(name, "name") != 0)
			return fail(sp, line, "unknown key '%s' in a preset",
				    name);
		if (preset_slot(sp, line, (unsigned)a) >= 0)
			return fail(sp, line, "[%s] given twice", section);
		if (unescape(value, nm, sizeof(nm), &n) < 0 ||
		    !preamp_preset_name_valid(nm, n))
			return fail(sp, line, "bad preset name '%s'", value);
		if (pa_state_preset_find(st, nm) >= 0)
			return fail(sp, line, "preset '%s' given twice", value);
		if (st->n_presets >= PA_PRESETS_MAX)
			return fail(sp, line, "more than 100 presets%s", "");
		struct pa_preset *np = realloc(st->presets,
					       (st->n_presets + 1) * sizeof(*np));
		if (!np)
			return -ENOMEM;
		st->presets = np;
		memset(&np[st->n_presets], 0, sizeof(*np));
		memcpy(np[st->n_presets].name, nm, n + 1);
		sp->preset_nums[st->n_presets] = (unsigned)a;
		st->n_presets++;
		return 0;
	}
	return fail(sp, line, "unknown section [%s]", section);
}

static int cmp_preset(const void *a, const void *b)
{
	return strcmp(((const struct pa_preset *)a)->name,
		      ((const struct pa_preset *)b)->name);
}

void pa_state_init(struct pa_state *st)
{
	memset(st, 0, sizeof(*st));
}

void pa_state_free(struct pa_state *st)
{
	free(st->presets);
	pa_state_init(st);
}

/* The last line that is not blank must be the end mark: a file cut short
 * at a line boundary still parses, but it has lost its end. */
static bool has_end_mark(const char *text, size_t len)
{
	size_t e = len, s;

	while (e > 0 && (text[e - 1] == '\n' || text[e - 1] == ' ' ||
			 text[e - 1] == '\t' || text[e - 1] == '\r'))
		e--;
	s = e;
	while (s > 0 && text[s - 1] != '\n')
		s--;
	return e - s == strlen(END_MARK) && !memcmp(text + s, END_MARK, e - s);
}

int pa_state_parse(const char *text, size_t len, struct pa_state *st,
		   char *err, size_t errlen)
{
	struct sparse *sp;
	int r;

	pa_state_init(st);
	if (len == 0) {
		snprintf(err, errlen, "the file is empty");
		return -EBADMSG;
	}
	if (!has_end_mark(text, len)) {
		snprintf(err, errlen,
			 "the file does not end with '" END_MARK
			 "': it was cut short");
		return -EBADMSG;
	}
	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	sp->st = st;
	sp->err = err;
	sp->errlen = errlen;
	r = pa_ini_parse(text, len, handler, sp, err, errlen);
	if (r == 0 && !sp->have_format) {
		snprintf(err, errlen, "no [device] section with format = 1");
		r = -EBADMSG;
	}
	free(sp);
	if (r < 0) {
		pa_state_free(st);
		return r;
	}
	if (st->n_presets > 1)
		qsort(st->presets, st->n_presets, sizeof(*st->presets),
		      cmp_preset);
	return 0;
}

/* ---- format ---- */

static void format_input(FILE *f, const struct pa_input_settings *in,
			 bool preset)
{
	char db[32];

	if (in->fields & PA_F_GAIN) {
		pa_format_db(in->gain_db, db, sizeof(db));
		fprintf(f, "gain = %s\n", db);
	}
	if (in->fields & PA_F_PHANTOM)
		fprintf(f, "phantom = %s\n", in->phantom ? "on" : "off");
	if ((in->fields & PA_F_LOCK) && !preset)
		fprintf(f, "phantom_locked = %s\n",
			      in->locked ? "yes" : "no");
	for (unsigned sw = 0; sw < PA_SW_COUNT; sw++)
		if (in->fields & PA_F_SWITCH(sw))
			fprintf(f, "%s = %s\n", pa_switch_name(sw),
				      in->sw[sw] ? "on" : "off");
	if (in->fields & PA_F_LEVEL)
		fprintf(f, "level = %s\n", pa_level_name(in->level));
}

int pa_state_format(const struct pa_state *st, const char *key,
		    char **text, size_t *len)
{
	FILE *f = open_memstream(text, len);
	int r;

	if (!f)
		return -ENOMEM;
	fprintf(f,
		      "# preampd state of device %s\n"
		      "#\n"
		      "# preampd writes this file whenever a setting changes and\n"
		      "# reads it when the device is plugged in; see preampd(8).\n"
		      "# Edit it only while preampd is stopped. Gains are in dB;\n"
		      "# %%XX in a name is the byte XX in hex. A file that does not\n"
		      "# end with the line '" END_MARK "' is taken as damaged.\n"
		      "\n[device]\nformat = %d\nname = ", key, PA_STATE_FORMAT);
	escape(st->name, f);
	fprintf(f, "\n");
	if (st->has_policy)
		fprintf(f, "phantom_policy = %s\n",
			      pa_policy_name(st->policy));
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		if (!st->cur.in[i].fields)
			continue;
		fprintf(f, "\n[input %u]\n", i + 1);
		format_input(f, &st->cur.in[i], false);
	}
	for (size_t p = 0; p < st->n_presets; p++) {
		fprintf(f, "\n[preset %zu]\nname = ", p + 1);
		escape(st->presets[p].name, f);
		fprintf(f, "\n");
		for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
			if (!st->presets[p].s.in[i].fields)
				continue;
			fprintf(f, "\n[preset %zu input %u]\n", p + 1, i + 1);
			format_input(f, &st->presets[p].s.in[i], true);
		}
	}
	fprintf(f, "\n" END_MARK "\n");
	r = ferror(f) ? -ENOMEM : 0;
	if (fclose(f) != 0)
		r = -ENOMEM;
	if (r < 0) {
		free(*text);
		*text = NULL;
		*len = 0;
	}
	return r;
}

/* ---- files ---- */

static int file_name(const char *key, const char *suffix, char *out,
		     size_t n)
{
	if (!pa_devkey_valid(key))
		return -EINVAL;
	if ((size_t)snprintf(out, n, "%s%s", key, suffix) >= n)
		return -ENAMETOOLONG;
	return 0;
}

int pa_state_load(int dirfd, const char *key, struct pa_state *st, char *err,
		  size_t errlen)
{
	char fn[PA_KEY_MAX + 32];
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	pa_state_init(st);
	r = file_name(key, PA_STATE_SUFFIX, fn, sizeof(fn));
	if (r < 0)
		return r;
	r = pa_read_file_at(dirfd, fn, PA_STATE_FILE_MAX, &text, &len);
	if (r == -EFBIG)
		snprintf(err, errlen, "larger than %d bytes", PA_STATE_FILE_MAX);
	else if (r < 0 && r != -ENOENT)
		snprintf(err, errlen, "cannot be read: %s", strerror(-r));
	if (r < 0)
		return r;
	return pa_state_parse(text, len, st, err, errlen);
}

int pa_state_file_name(const char *key, char *out, size_t n)
{
	return file_name(key, PA_STATE_SUFFIX, out, n);
}

/* rename without replacing: renameat2's RENAME_NOREPLACE, or a hard link
 * where the file system has no such rename */
static int rename_noreplace(int dirfd, const char *from, const char *to)
{
	if (renameat2(dirfd, from, dirfd, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	if (linkat(dirfd, from, dirfd, to, 0) < 0)
		return -errno;
	unlinkat(dirfd, from, 0);
	return 0;
}

int pa_state_keep_aside(int dirfd, const char *key)
{
	char from[PA_KEY_MAX + 32], to[PA_KEY_MAX + 32];
	int r;

	r = file_name(key, PA_STATE_SUFFIX, from, sizeof(from));
	if (r < 0)
		return r;
	for (int i = 1; i <= PA_STATE_ASIDE_MAX; i++) {
		char suffix[32];

		if (i == 1)
			snprintf(suffix, sizeof(suffix), PA_STATE_ASIDE_SUFFIX);
		else
			snprintf(suffix, sizeof(suffix),
				 PA_STATE_ASIDE_SUFFIX "-%d", i);
		r = file_name(key, suffix, to, sizeof(to));
		if (r < 0)
			return r;
		r = rename_noreplace(dirfd, from, to);
		if (r != -EEXIST)
			return r;
	}
	return -EEXIST;
}

int pa_state_save(int dirfd, const char *key, const struct pa_state *st)
{
	char fn[PA_KEY_MAX + 32];
	char *text = NULL;
	size_t len = 0;
	int r;

	r = file_name(key, PA_STATE_SUFFIX, fn, sizeof(fn));
	if (r < 0)
		return r;
	r = pa_state_format(st, key, &text, &len);
	if (r == 0)
		r = pa_write_file_atomic(dirfd, fn, text, len, PA_STATE_MODE, true);
	free(text);
	return r;
}

/* ---- presets ---- */

int pa_state_preset_find(const struct pa_state *st, const char *name)
{
	for (size_t i = 0; i < st->n_presets; i++)
		if (!strcmp(st->presets[i].name, name))
			return (int)i;
	return -1;
}

int pa_state_preset_put(struct pa_state *st, const char *name,
			const struct pa_settings *s)
{
	int i = pa_state_preset_find(st, name);
	struct pa_preset *np;
	size_t at;

	if (!preamp_preset_name_valid(name, strlen(name)))
		return -EINVAL;
	if (i >= 0) {
		st->presets[i].s = *s;
		return 0;
	}
	if (st->n_presets >= PA_PRESETS_MAX)
		return -E2BIG;
	np = realloc(st->presets, (st->n_presets + 1) * sizeof(*np));
	if (!np)
		return -ENOMEM;
	st->presets = np;
	for (at = 0; at < st->n_presets; at++)
		if (strcmp(np[at].name, name) > 0)
			break;
	memmove(&np[at + 1], &np[at], (st->n_presets - at) * sizeof(*np));
	memset(&np[at], 0, sizeof(*np));
	snprintf(np[at].name, sizeof(np[at].name), "%s", name);
	np[at].s = *s;
	st->n_presets++;
	return 0;
}

int pa_state_preset_delete(struct pa_state *st, const char *name)
{
	int i = pa_state_preset_find(st, name);

	if (i < 0)
		return -ENOENT;
	memmove(&st->presets[i], &st->presets[i + 1],
		(st->n_presets - (size_t)i - 1) * sizeof(*st->presets));
	st->n_presets--;
	return 0;
}
