// SPDX-License-Identifier: MIT
/*
 * Profiles (the files of daemon/profiles, and whatever an administrator puts
 * there): any bytes parse or are refused with a reason; what parses is
 * matched against a card's controls (a quad of snd-usb-preamp's and a
 * UAC2 card's, with dB ranges and enumerations) and maps only controls
 * that exist, with gain ranges preampd can compute with. The same bytes
 * are also read as /proc/asound/cardN/usbmixer text.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

#define N_ELEMS 24

static struct pa_elem elems[N_ELEMS];
static char items[N_ELEMS][2][PA_ITEM_LEN];

static void elem(unsigned i, const char *name, enum pa_elem_type t, long min,
		 long max, double db_min, double db_max)
{
	struct pa_elem *e = &elems[i];

	snprintf(e->name, sizeof(e->name), "%s", name);
	e->numid = i + 1;
	e->count = 1;
	e->type = t;
	e->min = min;
	e->max = max;
	e->readable = e->writable = true;
	if (t == PA_ELEM_INTEGER && db_max > db_min) {
		e->has_db = true;
		e->db_min = db_min;
		e->db_max = db_max;
		e->has_usb_db = true;
		e->usb_db_min = db_min;
		e->usb_db_max = db_max;
	}
	if (t == PA_ELEM_ENUMERATED) {
		e->n_items = 2;
		e->items = items[i];
		snprintf(e->items[0], PA_ITEM_LEN, "Line");
		snprintf(e->items[1], PA_ITEM_LEN, "Inst");
	}
}

static void card(void)
{
	char name[PA_NAME_MAX];
	unsigned i = 0;

	for (unsigned n = 1; n <= 4; n++) {
		snprintf(name, sizeof(name), "Line In %u Gain Capture Volume", n);
		elem(i++, name, PA_ELEM_INTEGER, 0, 140, -10, 60);
		snprintf(name, sizeof(name), "Line In %u Pad Capture Switch", n);
		elem(i++, name, PA_ELEM_BOOLEAN, 0, 1, 0, 0);
		snprintf(name, sizeof(name), "Line In %u Level Capture Enum", n);
		elem(i++, name, PA_ELEM_ENUMERATED, 0, 1, 0, 0);
	}
	elem(i++, "Line In 1-2 Phantom Power Capture Switch", PA_ELEM_BOOLEAN, 0, 1, 0, 0);
	elem(i++, "Line In 3-4 Phantom Power Capture Switch", PA_ELEM_BOOLEAN, 0, 1, 0, 0);
	elem(i++, "Level Meter", PA_ELEM_INTEGER, -12000, 0, 0, 0);
	elem(i++, "Mic Capture Volume", PA_ELEM_INTEGER, 0, 127, -0.5, 63);
	elem(i++, "Mic Capture Switch", PA_ELEM_BOOLEAN, 0, 1, 0, 0);
	elem(i++, "Tiny Step Capture Volume", PA_ELEM_INTEGER, 0, 100000, 0, 1e-3);
	elem(i++, "Huge Capture Volume", PA_ELEM_INTEGER, -100000, 100000, -200, 200);
	elem(i++, "Air Capture Switch", PA_ELEM_ENUMERATED, 0, 1, 0, 0);
	elem(i++, "Phantom Power Persistence Capture Switch", PA_ELEM_BOOLEAN, 0, 1, 0, 0);
	while (i < N_ELEMS)
		elem(i++, "Other", PA_ELEM_OTHER, 0, 0, 0, 0);
}

static void check_match(const struct pa_match *m)
{
	/* every present input is held */
	if (m->n_in > PA_MAX_INPUTS ||
	    (m->n_in < PA_MAX_INPUTS && (m->present >> m->n_in)))
		abort();
	for (unsigned i = 0; i < m->n_in; i++) {
		const struct pa_input_map *in = &m->in[i];

		if (!(m->present & (1u << i)))
			continue;
		for (unsigned f = 0; f < PA_FN_COUNT; f++)
			if (in->ref[f].elem >= N_ELEMS ||
			    (in->ref[f].elem >= 0 &&
			     in->ref[f].channel >= elems[in->ref[f].elem].count))
				abort();
		if ((in->caps & PA_CAP_GAIN) &&
		    (!pa_gain_range_valid(&in->gain) ||
		     !isfinite(pa_gain_step(&in->gain)) ||
		     pa_gain_step(&in->gain) < PA_GAIN_STEP_MIN))
			abort();
	}
}

static void on_usbmixer(void *user, const char *name, unsigned index,
			long raw_min, long raw_max)
{
	(void)user;
	(void)index;
	if (!name || raw_min < -32768 || raw_max > 32767)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pa_profile p;
	struct pa_match *m;
	char err[256] = "";
	char *text;

	if (size > 64 * 1024)
		return 0;
	if (!elems[0].numid)
		card();
	text = malloc(size + 1);
	m = pa_match_new();
	if (!text || !m)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&p, 0, sizeof(p));
	if (pa_profile_parse(text, size, "fuzz.conf", &p, err, sizeof(err)) == 0) {
		if (pa_profile_best(&p, 1, 0x1d6b, 0x0104, elems, N_ELEMS, m) > 0) {
			check_match(m);
			m = pa_match_shrink(m);	/* as a device keeps it */
			check_match(m);
		}
		pa_profile_clear(&p);
	} else if (!err[0]) {
		abort();
	}
	pa_usbmixer_parse(text, on_usbmixer, NULL);
	free(m);
	free(text);
	return 0;
}
