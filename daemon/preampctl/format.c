// SPDX-License-Identifier: MIT
/* Human and JSON output, and the level meter's rendering. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

void pctl_fmt_num(char *out, size_t size, double v)
{
	size_t n;

	if (isnan(v)) {
		snprintf(out, size, "nan");
		return;
	}
	if (isinf(v)) {
		snprintf(out, size, v < 0 ? "-inf" : "inf");
		return;
	}
	if (fabs(v) >= 1e9) {
		snprintf(out, size, "%.6g", v);
		return;
	}
	v = round(v * 100.0) / 100.0;
	if (fabs(v) < 0.005)
		v = 0.0;	/* never "-0.0" */
	snprintf(out, size, "%.2f", v);
	n = strlen(out);
	if (n >= 2 && out[n - 1] == '0' && out[n - 3] == '.')
		out[n - 1] = '\0';	/* "24.50" -> "24.5", "24.00" -> "24.0" */
}

void pctl_fmt_db(char *out, size_t size, double v)
{
	char num[32];

	if (!isfinite(v)) {
		snprintf(out, size, "-");
		return;
	}
	pctl_fmt_num(num, sizeof(num), v);
	snprintf(out, size, "%s dB", num);
}

/* ---- JSON ---- */

void pctl_json_string(struct pctl_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0;

	pctl_buf_putc(b, '"');
	while (i < n) {
		uint32_t cp;
		size_t len = pctl_utf8_next(s + i, n - i, &cp);

		switch (cp) {
		case '"':	pctl_buf_puts(b, "\\\""); break;
		case '\\':	pctl_buf_puts(b, "\\\\"); break;
		case '\b':	pctl_buf_puts(b, "\\b"); break;
		case '\f':	pctl_buf_puts(b, "\\f"); break;
		case '\n':	pctl_buf_puts(b, "\\n"); break;
		case '\r':	pctl_buf_puts(b, "\\r"); break;
		case '\t':	pctl_buf_puts(b, "\\t"); break;
		case PCTL_UTF8_INVALID:
			pctl_buf_puts(b, "\\ufffd");
			break;
		default:
			/* controls, and the invisible or reordering code points a
			 * terminal showing the JSON would act on, escaped */
			if (pctl_cp_unsafe(cp))
				pctl_buf_printf(b, "\\u%04x", (unsigned)cp);
			else
				pctl_buf_put(b, s + i, len);
		}
		i += len;
	}
	pctl_buf_putc(b, '"');
}

void pctl_json_number(struct pctl_buf *b, double v)
{
	char num[64];
	size_t n;

	if (!isfinite(v)) {
		pctl_buf_puts(b, "null");
		return;
	}
	if (fabs(v) >= 1e15) {
		pctl_buf_printf(b, "%.17g", v);
		return;
	}
	if (fabs(v) < 0.00005)
		v = 0.0;
	snprintf(num, sizeof(num), "%.4f", v);
	n = strlen(num);
	while (n > 0 && num[n - 1] == '0')
		num[--n] = '\0';
	if (n > 0 && num[n - 1] == '.')
		num[--n] = '\0';
	pctl_buf_puts(b, num);
}

void pctl_json_bool(struct pctl_buf *b, bool v)
{
	pctl_buf_puts(b, v ? "true" : "false");
}

static void json_key(struct pctl_buf *b, bool *first, const char *key)
{
	if (!*first)
		pctl_buf_putc(b, ',');
	*first = false;
	pctl_json_string(b, key);
	pctl_buf_putc(b, ':');
}

static void json_kstr(struct pctl_buf *b, bool *first, const char *key, const char *v)
{
	json_key(b, first, key);
	pctl_json_string(b, v);
}

static void json_knum(struct pctl_buf *b, bool *first, const char *key, double v)
{
	json_key(b, first, key);
	pctl_json_number(b, v);
}

static void json_kbool(struct pctl_buf *b, bool *first, const char *key, bool v)
{
	json_key(b, first, key);
	pctl_json_bool(b, v);
}

void pctl_json_input(struct pctl_buf *b, const struct pctl_input *in)
{
	bool first = true, f2 = true;

	pctl_buf_putc(b, '{');
	json_knum(b, &first, "number", in->number);
	json_kstr(b, &first, "label", in->label);
	json_key(b, &first, "capabilities");
	pctl_buf_putc(b, '[');
	for (unsigned i = 0; i < PCTL_CAP_COUNT; i++)
		if (in->caps & (1u << i)) {
			if (!f2)
				pctl_buf_putc(b, ',');
			f2 = false;
			pctl_json_string(b, pctl_cap_word(1u << i));
		}
	pctl_buf_putc(b, ']');
	json_knum(b, &first, "gain", in->gain);
	json_knum(b, &first, "gain_min", in->gain_min);
	json_knum(b, &first, "gain_max", in->gain_max);
	json_knum(b, &first, "gain_step", in->gain_step);
	json_kbool(b, &first, "phantom", in->phantom);
	json_key(b, &first, "phantom_group");
	pctl_buf_putc(b, '[');
	for (size_t i = 0; i < in->n_phantom_group; i++)
		pctl_buf_printf(b, "%s%u", i ? "," : "", in->phantom_group[i]);
	pctl_buf_putc(b, ']');
	json_kbool(b, &first, "phantom_locked", in->phantom_locked);
	json_kbool(b, &first, "pad", in->pad);
	json_kbool(b, &first, "phase", in->phase);
	json_kbool(b, &first, "highpass", in->highpass);
	json_kbool(b, &first, "air", in->air);
	json_key(b, &first, "level");
	if (in->level && *in->level)
		pctl_json_string(b, in->level);
	else
		pctl_buf_puts(b, "null");
	json_kstr(b, &first, "autogain_state", in->autogain_state);
	pctl_buf_putc(b, '}');
}

static void json_device_body(struct pctl_buf *b, const struct pctl_device *d, bool *first)
{
	json_knum(b, first, "index", d->index);
	json_kstr(b, first, "key", d->key);
	json_kstr(b, first, "name", d->name);
	json_kstr(b, first, "usb_id", d->usb_id);
	json_kstr(b, first, "serial", d->serial);
	json_knum(b, first, "card", d->card);
	json_kstr(b, first, "card_id", d->card_id);
	json_kstr(b, first, "driver", d->driver);
}

void pctl_json_device(struct pctl_buf *b, const struct pctl_device *d)
{
	bool first = true;

	pctl_buf_putc(b, '{');
	json_device_body(b, d, &first);
	json_kstr(b, &first, "path", d->path);
	json_kbool(b, &first, "persistent", d->persistent);
	json_kstr(b, &first, "phantom_policy", d->phantom_policy);
	json_key(b, &first, "presets");
	pctl_buf_putc(b, '[');
	for (size_t i = 0; i < d->n_presets; i++) {
		if (i)
			pctl_buf_putc(b, ',');
		pctl_json_string(b, d->presets[i]);
	}
	pctl_buf_putc(b, ']');
	json_key(b, &first, "inputs");
	pctl_buf_putc(b, '[');
	for (size_t i = 0; i < d->n_inputs; i++) {
		if (i)
			pctl_buf_putc(b, ',');
		pctl_json_input(b, &d->inputs[i]);
	}
	pctl_buf_puts(b, "]}");
}

void pctl_json_status(struct pctl_buf *b, const struct pctl_state *s,
		      const struct pctl_device *only)
{
	bool first = true, any = false;

	pctl_buf_putc(b, '{');
	json_kstr(b, &first, "daemon_version", s->version);
	json_key(b, &first, "devices");
	pctl_buf_putc(b, '[');
	for (size_t i = 0; i < s->n_devices; i++) {
		if (only && only != &s->devices[i])
			continue;
		if (any)
			pctl_buf_putc(b, ',');
		any = true;
		pctl_json_device(b, &s->devices[i]);
	}
	pctl_buf_puts(b, "]}\n");
}

void pctl_json_list(struct pctl_buf *b, const struct pctl_state *s)
{
	pctl_buf_puts(b, "{\"devices\":[");
	for (size_t i = 0; i < s->n_devices; i++) {
		bool first = true;

		if (i)
			pctl_buf_putc(b, ',');
		pctl_buf_putc(b, '{');
		json_device_body(b, &s->devices[i], &first);
		json_knum(b, &first, "input_count", (double)s->devices[i].n_inputs);
		pctl_buf_putc(b, '}');
	}
	pctl_buf_puts(b, "]}\n");
}

/* ---- human output ---- */

static const char *onoff(bool have, bool v)
{
	return !have ? "-" : v ? "on" : "off";
}

void pctl_fmt_input_name(struct pctl_buf *b, const struct pctl_device *d,
			 const struct pctl_input *in)
{
	pctl_term_text(b, in->label, 40);
	pctl_buf_printf(b, " (input %u) of ", in->number);
	pctl_term_text(b, d->name, 60);
}

static void device_heading(struct pctl_buf *b, const struct pctl_device *d)
{
	pctl_buf_printf(b, "%u  ", d->index);
	pctl_term_text(b, *d->name ? d->name : "(no name)", 60);
	pctl_buf_puts(b, "  [");
	pctl_term_text(b, d->key, 120);
	pctl_buf_printf(b, "]  card %d", d->card);
	if (d->card_id && *d->card_id) {
		pctl_buf_puts(b, " (");
		pctl_term_text(b, d->card_id, 40);
		pctl_buf_putc(b, ')');
	}
	pctl_buf_puts(b, ", 48 V at plug-in: ");
	pctl_term_text(b, d->phantom_policy, 20);
	pctl_buf_putc(b, '\n');
}

static void phantom_cell(char *out, size_t size, const struct pctl_input *in)
{
	if (!(in->caps & PCTL_CAP_PHANTOM))
		snprintf(out, size, "-");
	else if (in->phantom_locked)
		snprintf(out, size, "locked");
	else
		snprintf(out, size, "%s", in->phantom ? "on" : "off");
}

void pctl_fmt_status(struct pctl_buf *b, const struct pctl_state *s,
		     const struct pctl_device *only)
{
	bool any = false;

	for (size_t i = 0; i < s->n_devices; i++) {
		const struct pctl_device *d = &s->devices[i];

		if (only && only != d)
			continue;
		if (any)
			pctl_buf_putc(b, '\n');
		any = true;
		device_heading(b, d);
		if (d->n_inputs == 0) {
			pctl_buf_puts(b, "   (no inputs)\n");
			continue;
		}
		pctl_buf_puts(b, "   IN  LABEL           GAIN       48V     PAD  PHASE HPF  AIR  LEVEL AUTOGAIN\n");
		for (size_t j = 0; j < d->n_inputs; j++) {
			const struct pctl_input *in = &d->inputs[j];
			char gain[48], ph[16];

			if (in->caps & PCTL_CAP_GAIN)
				pctl_fmt_db(gain, sizeof(gain), in->gain);
			else
				snprintf(gain, sizeof(gain), "-");
			phantom_cell(ph, sizeof(ph), in);
			pctl_buf_printf(b, "  %3u  ", in->number);
			pctl_term_cell(b, in->label, 14);
			pctl_buf_printf(b, "  %-9s  %-6s  %-3s  %-5s %-3s  %-3s  ", gain, ph,
					onoff(in->caps & PCTL_CAP_PAD, in->pad),
					onoff(in->caps & PCTL_CAP_PHASE, in->phase),
					onoff(in->caps & PCTL_CAP_HIGHPASS, in->highpass),
					onoff(in->caps & PCTL_CAP_AIR, in->air));
			pctl_term_cell(b, (in->caps & PCTL_CAP_LEVEL) && *in->level ? in->level : "-", 5);
			pctl_buf_putc(b, ' ');
			pctl_term_text(b, (in->caps & PCTL_CAP_AUTOGAIN) ? in->autogain_state : "-", 12);
			/* no trailing blanks */
			while (b->len > 0 && b->data[b->len - 1] == ' ')
				b->data[--b->len] = '\0';
			pctl_buf_putc(b, '\n');
		}
	}
	if (!any)
		pctl_buf_puts(b, "No preamp is connected.\n");
}

void pctl_fmt_list(struct pctl_buf *b, const struct pctl_state *s)
{
	size_t keyw = 3, cidw = 4;

	if (s->n_devices == 0) {
		pctl_buf_puts(b, "No preamp is connected.\n");
		return;
	}
	for (size_t i = 0; i < s->n_devices; i++) {
		size_t k = pctl_term_width(s->devices[i].key);
		size_t c = pctl_term_width(s->devices[i].card_id);

		keyw = k > keyw ? (k > 100 ? 100 : k) : keyw;
		cidw = c > cidw ? (c > 20 ? 20 : c) : cidw;
	}
	pctl_buf_puts(b, "  #  ");
	pctl_term_cell(b, "KEY", keyw);
	pctl_buf_puts(b, "  CARD  ");
	pctl_term_cell(b, "ID", cidw);
	pctl_buf_puts(b, "  INPUTS  NAME\n");
	for (size_t i = 0; i < s->n_devices; i++) {
		const struct pctl_device *d = &s->devices[i];

		pctl_buf_printf(b, "%3u  ", d->index);
		pctl_term_cell(b, d->key, keyw);
		pctl_buf_printf(b, "  %4d  ", d->card);
		pctl_term_cell(b, d->card_id, cidw);
		pctl_buf_printf(b, "  %6zu  ", d->n_inputs);
		pctl_term_text(b, d->name, 60);
		pctl_buf_putc(b, '\n');
	}
}

static void field(struct pctl_buf *b, const char *indent, const char *name)
{
	pctl_buf_printf(b, "%s%-14s", indent, name);
}

void pctl_fmt_show(struct pctl_buf *b, const struct pctl_device *d)
{
	char v1[48], v2[48], v3[48];

	pctl_buf_printf(b, "Device %u: ", d->index);
	pctl_term_text(b, d->name, 80);
	pctl_buf_putc(b, '\n');
	field(b, "  ", "Key:");
	pctl_term_text(b, d->key, 120);
	pctl_buf_putc(b, '\n');
	field(b, "  ", "USB ID:");
	pctl_term_text(b, d->usb_id, 20);
	pctl_buf_putc(b, '\n');
	field(b, "  ", "Serial:");
	pctl_term_text(b, *d->serial ? d->serial : "(none)", 120);
	pctl_buf_putc(b, '\n');
	field(b, "  ", "ALSA card:");
	pctl_buf_printf(b, "%d (", d->card);
	pctl_term_text(b, d->card_id, 40);
	pctl_buf_puts(b, ")\n");
	field(b, "  ", "Driver:");
	pctl_term_text(b, d->driver, 40);
	pctl_buf_putc(b, '\n');
	field(b, "  ", "Persistent:");
	pctl_buf_puts(b, d->persistent ? "yes (the device keeps its own settings)\n" : "no\n");
	field(b, "  ", "48 V policy:");
	pctl_term_text(b, d->phantom_policy, 20);
	pctl_buf_putc(b, '\n');
	field(b, "  ", "Presets:");
	if (d->n_presets == 0)
		pctl_buf_puts(b, "(none)");
	for (size_t i = 0; i < d->n_presets; i++) {
		if (i)
			pctl_buf_puts(b, ", ");
		pctl_term_text(b, d->presets[i], 64);
	}
	pctl_buf_putc(b, '\n');

	for (size_t j = 0; j < d->n_inputs; j++) {
		const struct pctl_input *in = &d->inputs[j];

		pctl_buf_printf(b, "  Input %u: ", in->number);
		pctl_term_text(b, in->label, 60);
		pctl_buf_putc(b, '\n');
		field(b, "    ", "Capabilities:");
		if (!in->caps)
			pctl_buf_puts(b, "(none)");
		for (unsigned i = 0, n = 0; i < PCTL_CAP_COUNT; i++)
			if (in->caps & (1u << i))
				pctl_buf_printf(b, "%s%s", n++ ? " " : "", pctl_cap_word(1u << i));
		pctl_buf_putc(b, '\n');
		if (in->caps & PCTL_CAP_GAIN) {
			pctl_fmt_db(v1, sizeof(v1), in->gain);
			pctl_fmt_num(v2, sizeof(v2), in->gain_min);
			pctl_fmt_num(v3, sizeof(v3), in->gain_max);
			field(b, "    ", "Gain:");
			pctl_buf_printf(b, "%s (%s to %s dB", v1, v2, v3);
			pctl_fmt_num(v1, sizeof(v1), in->gain_step);
			if (isfinite(in->gain_step) && in->gain_step > 0)
				pctl_buf_printf(b, ", steps of %s dB", v1);
			pctl_buf_puts(b, ")\n");
		}
		if (in->caps & PCTL_CAP_PHANTOM) {
			field(b, "    ", "48 V:");
			pctl_buf_puts(b, in->phantom ? "on" : "off");
			if (in->phantom_locked)
				pctl_buf_puts(b, ", locked off");
			if (in->n_phantom_group > 1) {
				pctl_buf_puts(b, " (one switch for inputs ");
				for (size_t i = 0; i < in->n_phantom_group; i++)
					pctl_buf_printf(b, "%s%u", i ? ", " : "", in->phantom_group[i]);
				pctl_buf_putc(b, ')');
			}
			pctl_buf_putc(b, '\n');
		}
		if (in->caps & (PCTL_CAP_PAD | PCTL_CAP_PHASE | PCTL_CAP_HIGHPASS | PCTL_CAP_AIR)) {
			field(b, "    ", "Switches:");
			if (in->caps & PCTL_CAP_PAD)
				pctl_buf_printf(b, "pad %s  ", onoff(true, in->pad));
			if (in->caps & PCTL_CAP_PHASE)
				pctl_buf_printf(b, "phase %s  ", onoff(true, in->phase));
			if (in->caps & PCTL_CAP_HIGHPASS)
				pctl_buf_printf(b, "highpass %s  ", onoff(true, in->highpass));
			if (in->caps & PCTL_CAP_AIR)
				pctl_buf_printf(b, "air %s  ", onoff(true, in->air));
			while (b->len > 0 && b->data[b->len - 1] == ' ')
				b->data[--b->len] = '\0';
			pctl_buf_putc(b, '\n');
		}
		if (in->caps & PCTL_CAP_LEVEL) {
			field(b, "    ", "Level:");
			pctl_term_text(b, *in->level ? in->level : "?", 10);
			pctl_buf_putc(b, '\n');
		}
		if (in->caps & PCTL_CAP_AUTOGAIN) {
			field(b, "    ", "Autogain:");
			pctl_term_text(b, in->autogain_state, 20);
			pctl_buf_putc(b, '\n');
		}
	}
}

/* ---- the meter ---- */

/* how many cells a level lights: 0..width */
static unsigned cells_for(double db, unsigned width)
{
	double x;

	if (isnan(db) || db <= PCTL_METER_FLOOR)
		return 0;
	if (db >= 0.0)
		return width;
	x = (db - PCTL_METER_FLOOR) / -PCTL_METER_FLOOR * width;
	return (unsigned)lround(x);
}

void pctl_meter_bar(char *out, size_t size, unsigned width, double peak, double hold)
{
	unsigned lit, win, held, i;

	if (size == 0)
		return;
	if (width >= size)
		width = (unsigned)size - 1;
	lit = cells_for(peak, width);
	held = cells_for(hold, width);
	win = cells_for(PCTL_METER_WINDOW, width);
	for (i = 0; i < width; i++) {
		bool in_window = i >= win;

		if (i < lit)
			out[i] = in_window ? '#' : '=';
		else
			out[i] = in_window ? '-' : '.';
	}
	if (held > 0 && held >= lit)
		out[held - 1] = '|';
	out[width] = '\0';
}

#define NUM_COLS	6	/* " -12.3" without the blank */
#define CLIP_COLS	9	/* "CLIP 9999" */

void pctl_meter_layout(unsigned columns, struct pctl_meter_layout *l)
{
	unsigned avail = columns > 0 ? columns - 1 : 0;	/* never the last column */

	memset(l, 0, sizeof(*l));
	l->columns = columns;
	/* full: "NN LABEL....... [bar] -12.3  -10.0 CLIP 9999" */
	l->label_cols = 12;
	l->hold = true;
	if (avail >= 3 + 12 + 1 + 2 + PCTL_METER_MIN_BAR + 3 * 1 + 2 * NUM_COLS + CLIP_COLS) {
		l->bar = avail - (3 + 12 + 1 + 2 + 3 + 2 * NUM_COLS + CLIP_COLS);
	} else {
		/* narrow: "NN [bar] -12.3 CLIP 9999" */
		l->label_cols = 0;
		l->hold = false;
		if (avail >= 3 + 2 + 2 + NUM_COLS + CLIP_COLS + PCTL_METER_MIN_BAR)
			l->bar = avail - (3 + 2 + 2 + NUM_COLS + CLIP_COLS);
		else
			l->bar = 0;	/* numbers only */
	}
	if (l->bar > PCTL_METER_MAX_BAR)
		l->bar = PCTL_METER_MAX_BAR;
}

static void level_text(char *out, size_t size, double db)
{
	if (isnan(db))
		snprintf(out, size, "?");
	else if (db == -INFINITY || db < -999.0)
		snprintf(out, size, "-inf");
	else if (db > 999.0)
		snprintf(out, size, "+999");
	else if (db > 0.0)
		snprintf(out, size, "+%.1f", db);
	else
		snprintf(out, size, "%.1f", db > -0.05 ? 0.0 : db);
}

static void clip_text(char *out, size_t size, const struct pctl_meter_row *row)
{
	const char *word = row->clipping ? "CLIP" : "clip";

	if (row->clips == 0 && !row->clipping)
		snprintf(out, size, "%s", "");
	else if (row->clips > 9999)
		snprintf(out, size, "%s 10k+", word);
	else
		snprintf(out, size, "%s %u", word, row->clips);
}

void pctl_meter_line(struct pctl_buf *b, const struct pctl_meter_row *row,
		     const struct pctl_meter_layout *l)
{
	char bar[PCTL_METER_MAX_BAR + 1], peak[16], hold[16], clip[16];
	size_t start = b->len, max = l->columns > 0 ? l->columns - 1 : 0;

	level_text(peak, sizeof(peak), row->peak);
	level_text(hold, sizeof(hold), row->hold);
	clip_text(clip, sizeof(clip), row);

	pctl_buf_printf(b, "%2u ", row->number % 100);
	if (l->label_cols) {
		pctl_term_cell(b, row->label, l->label_cols);
		pctl_buf_putc(b, ' ');
	}
	if (l->bar) {
		if (row->metered) {
			pctl_meter_bar(bar, sizeof(bar), l->bar, row->peak, row->hold);
		} else {
			memset(bar, ' ', l->bar);
			bar[l->bar] = '\0';
			if (l->bar >= 10)
				memcpy(bar + (l->bar - 10) / 2, " no meter ", 10);
		}
		pctl_buf_printf(b, "[%s]", bar);
	}
	if (!row->metered) {
		pctl_buf_printf(b, " %*s", NUM_COLS, "");
		if (l->hold)
			pctl_buf_printf(b, " %*s", NUM_COLS, "");
		pctl_buf_printf(b, " %-*s", CLIP_COLS, "");
	} else {
		pctl_buf_printf(b, " %*s", NUM_COLS, peak);
		if (l->hold)
			pctl_buf_printf(b, " %*s", NUM_COLS, hold);
		pctl_buf_printf(b, " %-*s", CLIP_COLS, clip);
	}
	/* no trailing blanks (the live view clears to the end of the line) */
	while (b->len > start && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	/* a line never reaches the last column: the terminal would wrap it */
	if (b->len - start > max) {
		struct pctl_buf tmp;

		pctl_buf_init(&tmp);
		pctl_term_text(&tmp, b->data + start, max);
		b->len = start;
		if (b->data)
			b->data[start] = '\0';
		pctl_buf_puts(b, pctl_buf_str(&tmp));
		if (tmp.failed)
			b->failed = true;
		pctl_buf_free(&tmp);
	}
}

unsigned pctl_frame_rows(const unsigned *widths, size_t n, unsigned cols)
{
	unsigned rows = 0;

	for (size_t i = 0; i < n; i++)
		rows += cols > 0 && widths[i] > cols ? (widths[i] + cols - 1) / cols : 1;
	return rows;
}

static void scale_line(struct pctl_buf *b, const struct pctl_meter_layout *l);

void pctl_meter_scale(struct pctl_buf *b, const struct pctl_meter_layout *l)
{
	struct pctl_buf tmp;

	/* never past the terminal's last column but one */
	pctl_buf_init(&tmp);
	scale_line(&tmp, l);
	pctl_term_text(b, pctl_buf_str(&tmp), l->columns > 0 ? l->columns - 1 : 0);
	if (tmp.failed)
		b->failed = true;
	pctl_buf_free(&tmp);
}

static void scale_line(struct pctl_buf *b, const struct pctl_meter_layout *l)
{
	/* the marks that matter most first: a later one never overlaps */
	static const int ticks[] = { 0, -6, -20, -40, -60, -10, -30, -50 };
	char line[PCTL_METER_MAX_BAR + 16];
	unsigned lead = 3 + (l->label_cols ? l->label_cols + 1 : 0) + 1, width;
	bool used[PCTL_METER_MAX_BAR + 16] = { false };

	if (l->bar == 0) {
		pctl_buf_puts(b, "   dBFS  (bars hidden: the terminal is too narrow)");
		return;
	}
	width = l->bar + 2;		/* room for "0" past the bar's end */
	memset(line, ' ', width);
	line[width] = '\0';
	for (size_t t = 0; t < sizeof(ticks) / sizeof(ticks[0]); t++) {
		char label[8];
		unsigned cell = cells_for(ticks[t] + 1e-9, l->bar), len, pos, i;
		bool free_ = true;

		if (ticks[t] <= PCTL_METER_FLOOR)
			cell = 0;
		len = (unsigned)snprintf(label, sizeof(label), "%d", ticks[t]);
		/* a label starts at the boundary its value marks; "0" ends
		 * at the bar's end */
		pos = cell + 1;
		if (ticks[t] == 0)
			pos = l->bar + 2 - len;
		if (pos + len > width)
			continue;
		for (i = (pos ? pos - 1 : 0); i < pos + len + 1 && i < width; i++)
			if (used[i])
				free_ = false;
		if (!free_)
			continue;
		memcpy(line + pos, label, len);
		for (i = pos; i < pos + len; i++)
			used[i] = true;
	}
	pctl_buf_repeat(b, ' ', lead - 1);
	pctl_buf_puts(b, line);
	pctl_buf_printf(b, " %*s", NUM_COLS, "peak");
	if (l->hold)
		pctl_buf_printf(b, " %*s", NUM_COLS, "hold");
	/* trim, and stay inside the line */
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
}

void pctl_meter_plain(struct pctl_buf *b, double elapsed,
		      const struct pctl_meter_row *rows, size_t n)
{
	char peak[16];

	pctl_buf_printf(b, "%.3f", elapsed);
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].metered)
			continue;
		level_text(peak, sizeof(peak), rows[i].peak);
		pctl_buf_printf(b, "  %u:%s", rows[i].number, peak);
		if (rows[i].clipping)
			pctl_buf_printf(b, " CLIP %u", rows[i].clips);
	}
}

void pctl_meter_json(struct pctl_buf *b, double elapsed,
		     const struct pctl_meter_row *rows, size_t n)
{
	bool any = false;

	pctl_buf_puts(b, "{\"time\":");
	pctl_json_number(b, elapsed);
	pctl_buf_puts(b, ",\"inputs\":[");
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].metered)
			continue;
		if (any)
			pctl_buf_putc(b, ',');
		any = true;
		pctl_buf_printf(b, "{\"number\":%u,\"peak\":", rows[i].number);
		pctl_json_number(b, rows[i].peak);
		pctl_buf_puts(b, ",\"hold\":");
		pctl_json_number(b, rows[i].hold);
		pctl_buf_printf(b, ",\"clipping\":%s,\"clips\":%u}",
				rows[i].clipping ? "true" : "false", rows[i].clips);
	}
	pctl_buf_puts(b, "]}");
}

/* ---- autogain ---- */

bool pctl_autogain_final(const char *state)
{
	static const char *const finals[] = {
		"done", "max-gain", "min-gain", "too-quiet", "cancelled", "failed",
	};

	for (size_t i = 0; state && i < sizeof(finals) / sizeof(finals[0]); i++)
		if (strcmp(state, finals[i]) == 0)
			return true;
	return false;
}

void pctl_fmt_autogain_result(struct pctl_buf *b, const struct pctl_device *d,
			      const struct pctl_input *in, const char *result,
			      double gain, double peak, double target)
{
	char g[48], p[48], t[48], lo[48];

	pctl_fmt_db(g, sizeof(g), gain);
	pctl_fmt_num(p, sizeof(p), peak);
	pctl_fmt_num(t, sizeof(t), target);
	pctl_fmt_num(lo, sizeof(lo), target - 1.5);
	if (!isfinite(gain))
		snprintf(g, sizeof(g), "unchanged");

	if (!result)
		result = "";
	if (strcmp(result, "done") == 0) {
		pctl_buf_puts(b, "Autogain done: ");
		pctl_fmt_input_name(b, d, in);
		pctl_buf_printf(b, " is set to %s.\n", g);
		if (isfinite(peak))
			pctl_buf_printf(b, "The loudest peak will be about %s dBFS "
					"(target %s to %s dBFS).\n", p, lo, t);
	} else if (strcmp(result, "max-gain") == 0) {
		pctl_buf_printf(b, "Autogain stopped at the highest gain, %s: the source is too "
				"quiet to reach %s dBFS", g, t);
		if (isfinite(peak))
			pctl_buf_printf(b, " (loudest peak %s dBFS)", p);
		pctl_buf_puts(b, ".\nMove the microphone closer or play louder, then try again.\n");
	} else if (strcmp(result, "min-gain") == 0) {
		pctl_buf_printf(b, "Autogain stopped at the lowest gain, %s: the input still clips",
				g);
		if (isfinite(peak))
			pctl_buf_printf(b, " (loudest peak %s dBFS)", p);
		pctl_buf_puts(b, ".\nTurn the source down (or move the microphone away), then try again.\n");
	} else if (strcmp(result, "too-quiet") == 0) {
		pctl_buf_printf(b, "Autogain heard nothing above -80 dBFS: did anybody play? "
				"The gain is %s.\n", g);
	} else if (strcmp(result, "cancelled") == 0) {
		pctl_buf_printf(b, "Autogain cancelled; the gain is back to %s.\n", g);
	} else if (strcmp(result, "failed") == 0) {
		pctl_buf_puts(b, "Autogain failed: the device refused a change or went away.\n");
	} else {
		pctl_buf_puts(b, "Autogain ended with an unknown result: ");
		pctl_term_text(b, result, 32);
		pctl_buf_printf(b, "; the gain is %s.\n", g);
	}
}

void pctl_json_autogain_result(struct pctl_buf *b, const struct pctl_device *d,
			       const struct pctl_input *in, const char *result,
			       double gain, double peak, double target)
{
	pctl_buf_puts(b, "{\"device\":");
	pctl_json_string(b, d->key);
	pctl_buf_printf(b, ",\"input\":%u,\"result\":", in->number);
	pctl_json_string(b, result);
	pctl_buf_puts(b, ",\"gain\":");
	pctl_json_number(b, gain);
	pctl_buf_puts(b, ",\"peak\":");
	pctl_json_number(b, peak);
	pctl_buf_puts(b, ",\"target\":");
	pctl_json_number(b, target);
	pctl_buf_puts(b, "}\n");
}
