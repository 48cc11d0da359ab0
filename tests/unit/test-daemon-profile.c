// SPDX-License-Identifier: MIT
/*
 * Profiles: the shipped files load, each matches the cards it is for (the
 * scarlett2 one against a captured `amixer contents`), cards without
 * preamp controls are ignored, and bad profile files are refused.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "profile.h"
#include "util.h"

static const char *const shipped[] = {
	"snd-usb-preamp", "scarlett2", "bbfpro", "uac2",
};

struct set {
	struct pa_profile p[8];
	size_t n;
};

static void load_shipped(struct set *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < PA_ARRAY_SIZE(shipped); i++) {
		char path[256], err[256];
		_cleanup_free_ char *text = NULL;
		size_t len;

		snprintf(path, sizeof(path), "%s.conf", shipped[i]);
		FILE *f;
		char full[300];

		snprintf(full, sizeof(full), PREAMPD_PROFILES "/%s", path);
		f = fopen(full, "r");
		assert_non_null(f);
		text = calloc(1, 65536);
		len = fread(text, 1, 65535, f);
		fclose(f);
		if (pa_profile_parse(text, len, path, &s->p[s->n], err,
				     sizeof(err)) < 0)
			fail_msg("%s: %s", path, err);
		s->n++;
	}
}

static void free_set(struct set *s)
{
	for (size_t i = 0; i < s->n; i++)
		pa_profile_clear(&s->p[i]);
}

/* ---- a card's controls, written as `amixer contents` prints them ---- */

struct card {
	struct pa_elem e[256];
	char items[256][PA_ITEMS_MAX][PA_ITEM_LEN];	/* e[i].items */
	size_t n;
};

static void parse_contents(const char *text, struct card *c)
{
	const char *line = text;

	memset(c, 0, sizeof(*c));
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char buf[512];
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		struct pa_elem *e = c->n ? &c->e[c->n - 1] : NULL;
		const char *p;

		assert_true(len < sizeof(buf));
		memcpy(buf, line, len);
		buf[len] = '\0';
		line = nl ? nl + 1 : NULL;

		if (!strncmp(buf, "numid=", 6)) {
			const char *q = strstr(buf, "name='");
			const char *end;

			assert_non_null(q);
			assert_true(c->n < PA_ARRAY_SIZE(c->e));
			e = &c->e[c->n++];
			e->numid = (unsigned)atoi(buf + 6);
			end = strrchr(q + 6, '\'');
			memcpy(e->name, q + 6, (size_t)(end - q - 6));
			p = strstr(buf, ",index=");
			e->index = p ? (unsigned)atoi(p + 7) : 0;
			e->readable = true;
		} else if ((p = strstr(buf, "; type="))) {
			assert_non_null(e);
			if (!strncmp(p + 7, "INTEGER", 7))
				e->type = PA_ELEM_INTEGER;
			else if (!strncmp(p + 7, "BOOLEAN", 7))
				e->type = PA_ELEM_BOOLEAN;
			else if (!strncmp(p + 7, "ENUMERATED", 10))
				e->type = PA_ELEM_ENUMERATED;
			if (e->type == PA_ELEM_ENUMERATED)
				e->items = c->items[e - c->e];
			p = strstr(buf, "access=");
			e->readable = p[7] == 'r';
			e->writable = p[8] == 'w';
			e->inactive = strchr(p + 7, 'i') &&
				      strchr(p + 7, 'i') < strstr(p, ",values");
			p = strstr(buf, "values=");
			e->count = (unsigned)atoi(p + 7);
			if ((p = strstr(buf, ",min=")))
				e->min = atol(p + 5);
			if ((p = strstr(buf, ",max=")))
				e->max = atol(p + 5);
			if ((p = strstr(buf, ",items=")))
				e->n_items = (unsigned)atoi(p + 7);
			if (e->type == PA_ELEM_BOOLEAN)
				e->max = 1;
		} else if ((p = strstr(buf, "; Item #"))) {
			unsigned idx = (unsigned)atoi(p + 8);
			const char *q = strchr(p, '\'');
			const char *end = strrchr(p, '\'');

			if (e->items && idx < PA_ITEMS_MAX)
				snprintf(e->items[idx], PA_ITEM_LEN, "%.*s",
					 (int)(end - q - 1), q + 1);
		} else if ((p = strstr(buf, "| dBminmax-min="))) {
			e->has_db = true;
			e->db_min = atof(p + 15);
			e->db_max = atof(strstr(p, ",max=") + 5);
		} else if ((p = strstr(buf, "| dBscale-min="))) {
			double step = atof(strstr(p, ",step=") + 6);

			e->has_db = true;
			e->db_min = atof(p + 14);
			e->db_max = e->db_min + step * (double)(e->max - e->min);
		}
	}
}

static void load_fixture(const char *name, struct card *c)
{
	char path[256];
	FILE *f;
	_cleanup_free_ char *text = calloc(1, 1 << 20);

	snprintf(path, sizeof(path), PREAMPD_FIXTURES "/%s", name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_true(fread(text, 1, (1 << 20) - 1, f) > 0);
	fclose(f);
	parse_contents(text, c);
}

static int match(const struct set *s, uint16_t vid, uint16_t pid,
		 const struct card *c, struct pa_match *m)
{
	return pa_profile_best(s->p, s->n, vid, pid, c->e, c->n, m);
}

/* ---- tests ---- */

static void every_shipped_profile_loads(void **state)
{
	struct set s;

	(void)state;
	load_shipped(&s);
	assert_int_equal(s.n, PA_ARRAY_SIZE(shipped));
	for (size_t i = 0; i < s.n; i++)
		assert_string_equal(s.p[i].driver, shipped[i]);
	free_set(&s);
}

static void the_scarlett2_fixture_gives_two_inputs(void **state)
{
	struct set s;
	struct card c;
	struct pa_match *m = pa_match_new();
	const struct pa_input_map *in;

	(void)state;
	load_shipped(&s);
	load_fixture("scarlett2-2i2-4th-gen.amixer-contents.txt", &c);
	assert_true(c.n > 60);
	assert_int_equal(match(&s, 0x1235, 0x8219, &c, m), 1);
	assert_string_equal(m->profile->driver, "scarlett2");
	assert_int_equal(m->present, 0x3);
	for (unsigned i = 0; i < 2; i++) {
		in = &m->in[i];
		assert_int_equal(in->number, i + 1);
		assert_int_equal(in->caps, PA_CAP_GAIN | PA_CAP_PHANTOM |
				 PA_CAP_AIR | PA_CAP_LEVEL);
		assert_string_equal(c.e[in->ref[PA_FN_GAIN].elem].name,
				    i ? "Line In 2 Gain Capture Volume" :
					"Line In 1 Gain Capture Volume");
		/* 0..70 over 0..69 dB */
		assert_int_equal(in->gain.raw_min, 0);
		assert_int_equal(in->gain.raw_max, 70);
		assert_float_equal(in->gain.db_max, 69.0, 1e-9);
		assert_float_equal(pa_gain_step(&in->gain), 69.0 / 70.0, 1e-9);
		/* Air is an enum: Off is 0, on is Presence */
		assert_int_equal(in->sw_off[PA_SW_AIR], 0);
		assert_int_equal(in->sw_on[PA_SW_AIR], 1);
		assert_true(pa_switch_is_on(in, PA_SW_AIR, 2));
		assert_int_equal(in->level_line, 0);
		assert_int_equal(in->level_inst, 1);
		assert_int_equal(in->ref[PA_FN_METER].elem, -1);
		assert_true(in->ref[PA_FN_AUTOGAIN].elem >= 0);
		assert_true(in->ref[PA_FN_AUTOGAIN_STATUS].elem >= 0);
		assert_string_equal(in->label, i ? "Line In 2" : "Line In 1");
	}
	/* one 48 V switch for both */
	assert_int_equal(m->in[0].phantom_group, m->in[1].phantom_group);
	assert_int_equal(m->in[0].ref[PA_FN_PHANTOM].elem,
			 m->in[1].ref[PA_FN_PHANTOM].elem);
	assert_string_equal(c.e[m->in[0].ref[PA_FN_PHANTOM].elem].name,
			    "Line In 1-2 Phantom Power Capture Switch");
	assert_int_equal(m->persistent.elem, -1);
	free_set(&s);
	free(m);
}

static void the_same_names_on_another_vendor_are_our_drivers(void **state)
{
	struct set s;
	struct card c;
	struct pa_match *m = pa_match_new();

	(void)state;
	load_shipped(&s);
	load_fixture("scarlett2-2i2-4th-gen.amixer-contents.txt", &c);
	assert_int_equal(match(&s, 0x1d6b, 0x0104, &c, m), 1);
	assert_string_equal(m->profile->driver, "snd-usb-preamp");
	/* the PCM "Level Meter" (0..4095) is not a meter in 0.01 dBFS */
	assert_false(m->in[0].caps & PA_CAP_METER);
	free_set(&s);
	free(m);
}

/* A device keeps its match with room for its own inputs only, and a
 * re-match copies into it unchanged. */
static void a_kept_match_holds_its_inputs_only(void **state)
{
	struct set s;
	struct card c;
	struct pa_match *m = pa_match_new(), *again = pa_match_new(), *kept;

	(void)state;
	assert_non_null(m);
	assert_non_null(again);
	assert_int_equal(m->n_in, PA_MAX_INPUTS);
	load_shipped(&s);
	load_fixture("scarlett2-2i2-4th-gen.amixer-contents.txt", &c);
	assert_int_equal(match(&s, 0x1235, 0x8219, &c, m), 1);
	assert_int_equal(match(&s, 0x1235, 0x8219, &c, again), 1);
	kept = pa_match_shrink(m);
	assert_int_equal(kept->n_in, 2);
	assert_int_equal(kept->present, 0x3);
	assert_memory_equal(kept->in, again->in, 2 * sizeof(kept->in[0]));
	assert_ptr_equal(kept->profile, again->profile);
	/* shrinking again changes nothing */
	assert_ptr_equal(pa_match_shrink(kept), kept);
	memset(kept->in, 0, 2 * sizeof(kept->in[0]));
	pa_match_copy(kept, again);
	assert_int_equal(kept->n_in, 2);
	assert_memory_equal(kept->in, again->in, 2 * sizeof(kept->in[0]));
	assert_string_equal(kept->in[1].label, again->in[1].label);
	/* a match with no room finds nothing, and writes nothing */
	kept->n_in = 0;
	assert_int_equal(match(&s, 0x1235, 0x8219, &c, kept), 0);
	free_set(&s);
	free(again);
	free(kept);
}

/* The controls of a four-input device on snd-usb-preamp: groups 1-2 and
 * 3-4, every switch and meters. */
static const char our_quad[] =
	"numid=1,iface=MIXER,name='Line In 1 Gain Capture Volume'\n"
	"  ; type=INTEGER,access=rw---R--,values=1,min=0,max=140,step=0\n"
	"  | dBminmax-min=-10.00dB,max=60.00dB\n"
	"numid=2,iface=MIXER,name='Line In 2 Gain Capture Volume'\n"
	"  ; type=INTEGER,access=rw---R--,values=1,min=0,max=140,step=0\n"
	"  | dBminmax-min=-10.00dB,max=60.00dB\n"
	"numid=3,iface=MIXER,name='Line In 3 Gain Capture Volume'\n"
	"  ; type=INTEGER,access=rw---R--,values=1,min=0,max=60,step=0\n"
	"  | dBminmax-min=0.00dB,max=60.00dB\n"
	"numid=4,iface=MIXER,name='Line In 4 Gain Capture Volume'\n"
	"  ; type=INTEGER,access=rw---R--,values=1,min=0,max=60,step=0\n"
	"  | dBminmax-min=0.00dB,max=60.00dB\n"
	"numid=5,iface=MIXER,name='Line In 1-2 Phantom Power Capture Switch'\n"
	"  ; type=BOOLEAN,access=rw-i----,values=1\n"
	"numid=6,iface=MIXER,name='Line In 3-4 Phantom Power Capture Switch'\n"
	"  ; type=BOOLEAN,access=rw-i----,values=1\n"
	"numid=7,iface=MIXER,name='Line In 1 Pad Capture Switch'\n"
	"  ; type=BOOLEAN,access=rw------,values=1\n"
	"numid=8,iface=MIXER,name='Line In 1 Phase Invert Capture Switch'\n"
	"  ; type=BOOLEAN,access=rw------,values=1\n"
	"numid=9,iface=MIXER,name='Line In 1 High Pass Filter Capture Switch'\n"
	"  ; type=BOOLEAN,access=rw------,values=1\n"
	"numid=10,iface=MIXER,name='Line In 1 Air Capture Switch'\n"
	"  ; type=BOOLEAN,access=rw------,values=1\n"
	"numid=11,iface=MIXER,name='Line In 1 Level Capture Enum'\n"
	"  ; type=ENUMERATED,access=rw------,values=1,items=2\n"
	"  ; Item #0 'Line'\n"
	"  ; Item #1 'Inst'\n"
	"numid=12,iface=MIXER,name='Level Meter'\n"
	"  ; type=INTEGER,access=r--v-R--,values=4,min=-9600,max=0,step=0\n"
	"  | dBminmax-min=-96.00dB,max=0.00dB\n"
	"numid=13,iface=MIXER,name='Clip Count'\n"
	"  ; type=INTEGER,access=r--v----,values=4,min=0,max=65535,step=0\n";

static void our_drivers_controls_give_four_inputs(void **state)
{
	struct set s;
	struct card c;
	struct pa_match *m = pa_match_new();

	(void)state;
	load_shipped(&s);
	parse_contents(our_quad, &c);
	assert_int_equal(match(&s, 0x1d6b, 0x0104, &c, m), 1);
	assert_string_equal(m->profile->driver, "snd-usb-preamp");
	assert_int_equal(m->present, 0xf);
	assert_int_equal(m->in[0].caps,
			 PA_CAP_GAIN | PA_CAP_PHANTOM | PA_CAP_PAD | PA_CAP_PHASE |
			 PA_CAP_HIGHPASS | PA_CAP_AIR | PA_CAP_LEVEL |
			 PA_CAP_METER);
	assert_int_equal(m->in[3].caps,
			 PA_CAP_GAIN | PA_CAP_PHANTOM | PA_CAP_METER);
	assert_float_equal(m->in[0].gain.db_min, -10.0, 1e-9);
	assert_float_equal(pa_gain_step(&m->in[0].gain), 0.5, 1e-9);
	assert_float_equal(pa_gain_step(&m->in[3].gain), 1.0, 1e-9);
	assert_int_equal(m->in[0].phantom_group, m->in[1].phantom_group);
	assert_int_equal(m->in[2].phantom_group, m->in[3].phantom_group);
	assert_int_not_equal(m->in[0].phantom_group, m->in[2].phantom_group);
	/* meters: value n-1 of the one control is input n's */
	for (unsigned i = 0; i < 4; i++) {
		assert_string_equal(c.e[m->in[i].ref[PA_FN_METER].elem].name,
				    "Level Meter");
		assert_int_equal(m->in[i].ref[PA_FN_METER].channel, i);
		assert_int_equal(m->in[i].ref[PA_FN_CLIP].channel, i);
	}
	/* persistence is the interface's sysfs attribute, not a control */
	assert_int_equal(m->persistent.elem, -1);
	assert_string_equal(m->profile->persistent_attr, "persistent");
	assert_string_equal(m->profile->label_attr, "input{n}_label");
	assert_true(c.e[m->in[0].ref[PA_FN_PHANTOM].elem].inactive);
	free_set(&s);
	free(m);
}

static const char our_solo[] =
	"numid=1,iface=MIXER,name='Line In 1 Gain Capture Volume'\n"
	"  ; type=INTEGER,access=rw---R--,values=1,min=0,max=69,step=0\n"
	"  | dBminmax-min=0.00dB,max=69.00dB\n"
	"numid=2,iface=MIXER,name='Line In 1 Phantom Power Capture Switch'\n"
	"  ; type=BOOLEAN,access=rw------,values=1\n";

static void a_single_input_with_its_own_48v_switch(void **state)
{
	struct set s;
	struct card c;
	struct pa_match *m = pa_match_new();

	(void)state;
	load_shipped(&s);
	parse_contents(our_solo, &c);
	assert_int_equal(match(&s, 0x1d6b, 0x0104, &c, m), 1);
	assert_string_equal(m->profile->driver, "snd-usb-preamp");
	assert_int_equal(m->present, 0x1);
	assert_int_equal(m->in[0].caps, PA_CAP_GAIN | PA_CAP_PHANTOM);
	assert_int_not_equal(m->in[0].phantom_group, 0);
	assert_int_equal(m->persistent.elem, -1);
	free_set(&s);
	free(m);
}

static const char babyface[] =
	"numid=1,iface=MIXER,name='Mic-AN1-AN1 Playback Volume'\n"
	"  ; type=INTEGER,access=rw------,values=1,min=0,max=65536,step=0\n"
	"numid=290,iface=MIXER,name='Mic-AN1 Gain'\n"
	"  ; type=INTEGER,access=rw------,values=1,min=0,max=65,step=0\n"
	"numid=291,iface=MIXER,name='Mic-AN2 Gain'\n"
	"  ; type=INTEGER,access=rw------,values=1,min=0,max=65,step=0\n"
	"numid=292,iface=MIXER,name='Line-IN3 Gain'\n"
	"  ; type=INTEGER,access=rw------,values=1,min=0,max=18,step=0\n"
	"numid=293,iface=MIXER,name='Line-IN4 Gain'\n"
	"  ; type=INTEGER,access=rw------,values=1,min=0,max=18,step=0\n"
	"numid=294,iface=MIXER,name='Sample Clock Source'\n"
	"  ; type=ENUMERATED,access=rw------,values=1,items=2\n"
	"  ; Item #0 'AutoSync'\n"
	"  ; Item #1 'Internal'\n"
	"numid=298,iface=MIXER,name='Mic-AN1 48V'\n"
	"  ; type=BOOLEAN,access=rw------,values=1\n"
	"numid=299,iface=MIXER,name='Mic-AN2 48V'\n"
	"  ; type=BOOLEAN,access=rw------,values=1\n"
	"numid=300,iface=MIXER,name='Line-IN3 Sens.'\n"
	"  ; type=ENUMERATED,access=rw------,values=1,items=2\n"
	"  ; Item #0 '-10dBV'\n"
	"  ; Item #1 '+4dBu'\n"
	"numid=302,iface=MIXER,name='Mic-AN1 PAD'\n"
	"  ; type=BOOLEAN,access=rw------,values=1\n"
	"numid=303,iface=MIXER,name='Mic-AN2 PAD'\n"
	"  ; type=BOOLEAN,access=rw------,values=1\n";

static void the_babyface_pro_has_two_mics_and_two_lines(void **state)
{
	struct set s;
	struct card c;
	struct pa_match *m = pa_match_new();

	(void)state;
	load_shipped(&s);
	parse_contents(babyface, &c);
	assert_int_equal(match(&s, 0x2a39, 0x3fb0, &c, m), 1);
	assert_string_equal(m->profile->driver, "bbfpro");
	assert_int_equal(m->present, 0xf);
	assert_int_equal(m->in[0].caps, PA_CAP_GAIN | PA_CAP_PHANTOM | PA_CAP_PAD);
	assert_int_equal(m->in[2].caps, PA_CAP_GAIN);
	assert_string_equal(m->in[0].label, "Mic AN1");
	assert_string_equal(m->in[3].label, "Line IN4");
	assert_float_equal(m->in[1].gain.db_max, 65.0, 1e-9);
	assert_float_equal(pa_gain_step(&m->in[1].gain), 1.0, 1e-9);
	assert_float_equal(m->in[2].gain.db_max, 9.0, 1e-9);
	assert_float_equal(pa_gain_step(&m->in[2].gain), 0.5, 1e-9);
	assert_int_not_equal(m->in[0].phantom_group, m->in[1].phantom_group);
	/* the same names on a device that is not a Babyface: not ours */
	assert_int_equal(match(&s, 0x2a39, 0x0001, &c, m), 0);
	free_set(&s);
	free(m);
}

static const char uac2_card[] =
	"numid=1,iface=MIXER,name='Mic Capture Volume'\n"
	"  ; type=INTEGER,access=rw---R--,values=2,min=0,max=127,step=0\n"
	"  | dBminmax-min=-96.00dB,max=0.00dB\n"
	"numid=2,iface=MIXER,name='Input Gain Control'\n"
	"  ; type=INTEGER,access=rw------,values=2,min=0,max=40,step=0\n"
	"numid=3,iface=MIXER,name='Input Gain Pad Control'\n"
	"  ; type=INTEGER,access=rw------,values=2,min=0,max=1,step=0\n"
	"numid=4,iface=MIXER,name='Phase Inverter Control'\n"
	"  ; type=BOOLEAN,access=rw------,values=2\n";

/* what /proc/asound/cardN/usbmixer says about those */
static const char usbmixer[] =
	"USB Mixer: usb_id=0x0d8c0102, ctrlif=0, ctlerr=0\n"
	"Card: Some Interface at usb-0000:00:14.0-2, high speed\n"
	"  Unit: 10\n"
	"    Control: name=\"Mic Capture Volume\", index=0\n"
	"    Info: id=10, control=2, cmask=0x3, channels=2, type=\"S16\"\n"
	"    Volume: min=-24576, max=0, dBmin=-9600, dBmax=0\n"
	"  Unit: 10\n"
	"    Control: name=\"Input Gain Control\", index=0\n"
	"    Info: id=10, control=11, cmask=0x3, channels=2, type=\"S16\"\n"
	"    Volume: min=-2560, max=7680, dBmin=-1000, dBmax=3000\n"
	"  Unit: 10\n"
	"    Control: name=\"Input Gain Pad Control\", index=0\n"
	"    Info: id=10, control=12, cmask=0x3, channels=2, type=\"S16\"\n"
	"    Volume: min=-5120, max=0, dBmin=-2000, dBmax=0\n"
	"  Unit: 11\n"
	"    Control: name=\"Phase Inverter Control\", index=0\n"
	"    Info: id=11, control=13, cmask=0x3, channels=2, type=\"BOOLEAN\"\n"
	"    Volume: min=0, max=1, dBmin=0, dBmax=0\n";

static void put_usb_db(void *user, const char *name, unsigned index,
		       long raw_min, long raw_max)
{
	struct card *c = user;

	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->e[i].name, name) || c->e[i].index != index)
			continue;
		c->e[i].has_usb_db = true;
		c->e[i].usb_db_min = raw_min / 256.0;
		c->e[i].usb_db_max = raw_max / 256.0;
	}
}

static void a_uac2_card_reads_its_range_from_usbmixer(void **state)
{
	struct set s;
	struct card c;
	struct pa_match *m = pa_match_new();

	(void)state;
	load_shipped(&s);
	parse_contents(uac2_card, &c);
	/* without the device's range, no gain in dB */
	assert_int_equal(match(&s, 0x0d8c, 0x0102, &c, m), 0);

	pa_usbmixer_parse(usbmixer, put_usb_db, &c);
	assert_true(c.e[1].has_usb_db);
	assert_false(c.e[3].has_usb_db);	/* BOOLEAN, not S16 */
	assert_int_equal(match(&s, 0x0d8c, 0x0102, &c, m), 1);
	assert_string_equal(m->profile->driver, "uac2");
	assert_int_equal(m->present, 0x3);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(m->in[i].caps, PA_CAP_GAIN | PA_CAP_PAD |
				 PA_CAP_PHASE);
		assert_int_equal(m->in[i].ref[PA_FN_GAIN].channel, i);
		assert_float_equal(m->in[i].gain.db_min, -10.0, 1e-9);
		assert_float_equal(m->in[i].gain.db_max, 30.0, 1e-9);
		assert_float_equal(pa_gain_step(&m->in[i].gain), 1.0, 1e-9);
		/* the pad: step 1 is 0 dB (off), step 0 is -20 dB (on) */
		assert_int_equal(m->in[i].sw_off[PA_SW_PAD], 1);
		assert_int_equal(m->in[i].sw_on[PA_SW_PAD], 0);
		assert_string_equal(m->in[i].label, i ? "Line In 2" : "Line In 1");
	}
	free_set(&s);
	free(m);
}

static void usbmixer_text_that_is_odd_is_skipped(void **state)
{
	struct card c;
	static const char odd[] =
		"    Control: name=\"Input Gain Control\", index=0\n"
		"    Info: id=10, control=11, cmask=0x3, channels=2, type=\"S16\"\n"
		"    Volume: min=100, max=-100, dBmin=0, dBmax=0\n"	/* inverted */
		"    Control: name=\"Input Gain Control\", index=x\n"
		"    Volume: min=0, max=10, dBmin=0, dBmax=0\n"	/* no control */
		"    Control: name=\"Input Gain Control, index=0\n"	/* no quote */
		"    Info: type=\"S16\"\n"
		"    Volume: min=0, max=99999, dBmin=0, dBmax=0\n";

	(void)state;
	parse_contents(uac2_card, &c);
	pa_usbmixer_parse(odd, put_usb_db, &c);
	pa_usbmixer_parse("", put_usb_db, &c);
	for (size_t i = 0; i < c.n; i++)
		assert_false(c.e[i].has_usb_db);
}

static const char headset[] =
	"numid=1,iface=MIXER,name='PCM Playback Volume'\n"
	"  ; type=INTEGER,access=rw---R--,values=2,min=0,max=127,step=0\n"
	"  | dBminmax-min=-96.00dB,max=0.00dB\n"
	"numid=2,iface=MIXER,name='Mic Capture Switch'\n"
	"  ; type=BOOLEAN,access=rw------,values=1\n"
	"numid=3,iface=MIXER,name='Mic Capture Volume'\n"
	"  ; type=INTEGER,access=rw---R--,values=1,min=0,max=31,step=0\n"
	"  | dBminmax-min=-12.00dB,max=12.00dB\n";

static void a_card_without_preamp_controls_is_ignored(void **state)
{
	struct set s;
	struct card c;
	struct pa_match *m = pa_match_new();

	(void)state;
	load_shipped(&s);
	parse_contents(headset, &c);
	assert_int_equal(match(&s, 0x046d, 0x0a44, &c, m), 0);
	c.n = 0;
	assert_int_equal(match(&s, 0x046d, 0x0a44, &c, m), 0);
	free_set(&s);
	free(m);
}

/* controls that have the right names but cannot be what they claim */
static const char odd_controls[] =
	"numid=1,iface=MIXER,name='Line In 1 Gain Capture Volume'\n"
	"  ; type=INTEGER,access=rw------,values=1,min=0,max=70,step=0\n"	/* no dB */
	"numid=2,iface=MIXER,name='Line In 2 Gain Capture Volume'\n"
	"  ; type=BOOLEAN,access=rw------,values=1\n"		/* not an integer */
	"numid=3,iface=MIXER,name='Line In 3 Gain Capture Volume'\n"
	"  ; type=INTEGER,access=r-------,values=1,min=0,max=70,step=0\n"	/* read-only */
	"  | dBminmax-min=0.00dB,max=69.00dB\n"
	"numid=4,iface=MIXER,name='Line In 4 Gain Capture Volume'\n"
	"  ; type=INTEGER,access=rw---R--,values=1,min=5,max=5,step=0\n"	/* one value */
	"  | dBminmax-min=0.00dB,max=69.00dB\n"
	"numid=5,iface=MIXER,name='Line In 0 Gain Capture Volume'\n"
	"  ; type=INTEGER,access=rw---R--,values=1,min=0,max=70,step=0\n"
	"  | dBminmax-min=0.00dB,max=69.00dB\n"
	"numid=6,iface=MIXER,name='Line In 33 Gain Capture Volume'\n"
	"  ; type=INTEGER,access=rw---R--,values=1,min=0,max=70,step=0\n"
	"  | dBminmax-min=0.00dB,max=69.00dB\n"
	"numid=7,iface=MIXER,name='Line In 5 Gain Capture Volume'\n"
	"  ; type=INTEGER,access=rw---R--,values=0,min=0,max=70,step=0\n"	/* no value */
	"  | dBminmax-min=0.00dB,max=69.00dB\n"
	"numid=8,iface=MIXER,name='Line In 6 Gain Capture Volume'\n"
	"  ; type=INTEGER,access=rw---R--,values=1,min=0,max=70,step=0\n"	/* inverted dB */
	"  | dBminmax-min=10.00dB,max=0.00dB\n"
	"numid=9,iface=MIXER,name='Line In 7-3 Phantom Power Capture Switch'\n"
	"  ; type=BOOLEAN,access=rw------,values=1\n"		/* inverted group */
	"numid=10,iface=MIXER,name='Line In 8 Level Capture Enum'\n"
	"  ; type=ENUMERATED,access=rw------,values=1,items=2\n"
	"  ; Item #0 'Low'\n"
	"  ; Item #1 'High'\n";

static void controls_that_cannot_be_what_they_claim_are_skipped(void **state)
{
	struct set s;
	struct card c;
	struct pa_match *m = pa_match_new();

	(void)state;
	load_shipped(&s);
	parse_contents(odd_controls, &c);
	assert_int_equal(match(&s, 0x1d6b, 0x0104, &c, m), 0);
	free_set(&s);
	free(m);
}

static void patterns_capture_input_numbers(void **state)
{
	static const struct {
		const char *pattern, *name;
		int got;
		unsigned n, m;
	} v[] = {
		{ "Line In {n} Gain Capture Volume", "Line In 3 Gain Capture Volume", 1, 3, 0 },
		{ "Line In {n} Gain Capture Volume", "Line In 32 Gain Capture Volume", 1, 32, 0 },
		{ "Line In {n} Gain Capture Volume", "Line In 0 Gain Capture Volume", -1, 0, 0 },
		{ "Line In {n} Gain Capture Volume", "Line In 33 Gain Capture Volume", -1, 0, 0 },
		{ "Line In {n} Gain Capture Volume", "Line In 1234 Gain Capture Volume", -1, 0, 0 },
		{ "Line In {n} Gain Capture Volume", "Line In  Gain Capture Volume", -1, 0, 0 },
		{ "Line In {n} Gain Capture Volume", "Line In 3 Gain Capture Volume2", -1, 0, 0 },
		{ "Line In {n} Gain Capture Volume", "Line In 3 Gain Capture", -1, 0, 0 },
		{ "Line In {n}-{m} Phantom Power Capture Switch",
		  "Line In 1-2 Phantom Power Capture Switch", 2, 1, 2 },
		{ "Line In {n}-{m} Phantom Power Capture Switch",
		  "Line In 1 Phantom Power Capture Switch", -1, 0, 0 },
		{ "Line In {n} Phantom Power Capture Switch",
		  "Line In 1-2 Phantom Power Capture Switch", -1, 0, 0 },
		{ "Input Gain Control", "Input Gain Control", 0, 0, 0 },
		{ "Input Gain Control", "Input Gain Pad Control", -1, 0, 0 },
		{ "Mic-AN1 Gain", "Mic-AN1 Gain", 0, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < PA_ARRAY_SIZE(v); i++) {
		unsigned n = 0, m = 0;
		int got = pa_pattern_match(v[i].pattern, v[i].name, &n, &m);

		if (got != v[i].got)
			fail_msg("'%s' against '%s': %d, not %d", v[i].name,
				 v[i].pattern, got, v[i].got);
		if (got > 0)
			assert_int_equal(n, v[i].n);
		if (got > 1)
			assert_int_equal(m, v[i].m);
	}
}

static void bad_profile_files_are_refused(void **state)
{
	static const struct {
		const char *text;
		const char *why;
	} v[] = {
		{ "", "no [profile] driver" },
		{ "[controls]\ngain = X {n}\n", "no [profile] driver" },
		{ "[profile]\ndriver = x\n", "no control rules" },
		{ "[profile]\ndriver = x\nfoo = 1\n[controls]\ngain = G\n", "unknown key 'foo'" },
		{ "[profile]\ndriver = x\n[elsewhere]\ngain = G\n", "unknown section" },
		{ "[profile]\ndriver = x\n[controls]\ngain = G {x}\n", "not a control name pattern" },
		{ "[profile]\ndriver = x\n[controls]\ngain = G {m} {n}\n", "not a control name pattern" },
		{ "[profile]\ndriver = x\n[controls]\ngain = G {n} {n}\n", "not a control name pattern" },
		{ "[profile]\ndriver = x\n[input 1]\ngain = G {n}\n", "not a control name pattern" },
		{ "[profile]\ndriver = x\n[controls]\nmeter = M {n}\n", "one control for the device" },
		{ "[profile]\ndriver = x\n[input 1]\nmeter = M\n", "belongs in [controls]" },
		{ "[profile]\ndriver = x\n[input 33]\ngain = G\n", "unknown section" },
		{ "[profile]\ndriver = x\n[input 0]\ngain = G\n", "unknown section" },
		{ "[profile]\ndriver = x\npriority = -1\n[controls]\ngain = G\n", "priority" },
		{ "[profile]\ndriver = x\nusb_id = zz\n[controls]\ngain = G\n", "usb_id" },
		{ "[profile]\ndriver = x\nusb_id = 12345\n[controls]\ngain = G\n", "usb_id" },
		{ "[profile]\ndriver = x\n[controls]\ngain = G\ngain_scale = linear 0 0\n", "gain_scale" },
		{ "[profile]\ndriver = x\n[controls]\ngain = G\ngain_scale = linear nan 1\n", "gain_scale" },
		{ "[profile]\ndriver = x\n[controls]\ngain = G\ngain_scale = linear 0 1e-300\n", "gain_scale" },
		{ "[profile]\ndriver = x\n[input 2]\ngain = G\ngain_scale = linear 0 0.0009\n", "gain_scale" },
		{ "[profile]\ndriver = x\n[controls]\ngain = G\ngain_scale = db\n", "gain_scale" },
		{ "[profile]\ndriver = x\n[controls]\ngain = G\nlabel = a\x01z\n", "bad label" },
		{ "[profile]\ndriver = \xff\n[controls]\ngain = G\n", "bad driver" },
		{ "[profile]\ndriver = x\n[controls]\ngain = G\nmeter_scale = linear\n", "unknown key" },
		{ "[profile]\ndriver = x\nmeter_scale = linear\n[controls]\ngain = G\n", "meter_scale" },
		{ "[profile]\ndriver = x\npersistent_attr = ../x\n[controls]\ngain = G\n", "persistent_attr" },
		{ "[profile]\ndriver = x\npersistent_attr = \n[controls]\ngain = G\n", "persistent_attr" },
		{ "[profile]\ndriver = x\nlabel_attr = label\n[controls]\ngain = G\n", "label_attr" },
		{ "[profile]\ndriver = x\nlabel_attr = in{n}/x\n[controls]\ngain = G\n", "label_attr" },
		{ "[profile]\ndriver = x\n[controls\ngain = G\n", "without ']'" },
		{ "[profile]\ndriver = x\n[controls]\nthis line has no equals sign\n", "not a 'key = value'" },
	};
	char err[256];
	struct pa_profile p;

	(void)state;
	for (size_t i = 0; i < PA_ARRAY_SIZE(v); i++) {
		int r = pa_profile_parse(v[i].text, strlen(v[i].text), "t.conf",
					 &p, err, sizeof(err));

		if (r != -EBADMSG)
			fail_msg("case %zu was accepted (%d)", i, r);
		if (!strstr(err, v[i].why))
			fail_msg("case %zu: '%s' does not say '%s'", i, err,
				 v[i].why);
		assert_null(p.rules);
	}
}

static void a_profile_with_a_nul_or_a_huge_line_is_refused(void **state)
{
	char text[600], err[256];
	struct pa_profile p;
	static const char head[] = "[profile]\ndriver = x\n[controls]\ngain = ";

	(void)state;
	memcpy(text, head, sizeof(head));
	memset(text + strlen(head), 'G', 300);
	text[strlen(head) + 300] = '\0';
	assert_int_equal(pa_profile_parse(text, strlen(text), "t", &p, err,
					  sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "line 4: longer than"));

	static const char nul[] = "[profile]\ndriver = x\0\n[controls]\ngain = G\n";

	assert_int_equal(pa_profile_parse(nul, sizeof(nul) - 1, "t", &p, err,
					  sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "NUL"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_shipped_profile_loads),
		cmocka_unit_test(the_scarlett2_fixture_gives_two_inputs),
		cmocka_unit_test(the_same_names_on_another_vendor_are_our_drivers),
		cmocka_unit_test(a_kept_match_holds_its_inputs_only),
		cmocka_unit_test(our_drivers_controls_give_four_inputs),
		cmocka_unit_test(a_single_input_with_its_own_48v_switch),
		cmocka_unit_test(the_babyface_pro_has_two_mics_and_two_lines),
		cmocka_unit_test(a_uac2_card_reads_its_range_from_usbmixer),
		cmocka_unit_test(usbmixer_text_that_is_odd_is_skipped),
		cmocka_unit_test(a_card_without_preamp_controls_is_ignored),
		cmocka_unit_test(controls_that_cannot_be_what_they_claim_are_skipped),
		cmocka_unit_test(patterns_capture_input_numbers),
		cmocka_unit_test(bad_profile_files_are_refused),
		cmocka_unit_test(a_profile_with_a_nul_or_a_huge_line_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
