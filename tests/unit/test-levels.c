// SPDX-License-Identifier: MIT
/*
 * Where levels come from (daemon/preampd/core/levels.c): snd-usb-preamp's Level
 * Meter and Clip Count, scarlett2's Level Meter and autogain status (from
 * the captured amixer fixture of a Scarlett 2i2 4th Gen), and the peak
 * meter over captured samples.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "levels.h"

#ifndef LEVELS_FIXTURES
#define LEVELS_FIXTURES "tests/unit/fixtures"
#endif

static void assert_db(double got, double want)
{
	if (isinf(want)) {
		if (got != want)
			fail_msg("got %g, want %g", got, want);
		return;
	}
	if (!(fabs(got - want) < 0.005))
		fail_msg("got %.4f, want %.4f", got, want);
}

/* ---- snd-usb-preamp ---- */

static void test_level_meter_values(void **state)
{
	static const struct {
		long v;
		double db;
	} cases[] = {
		{ -9600, -INFINITY },	/* the driver's silence */
		{ -9601, -INFINITY },
		{ LONG_MIN, -INFINITY },
		{ -9599, -95.99 },
		{ -400, -4.0 },
		{ -1, -0.01 },
		{ 0, 0.0 },		/* full scale */
		{ 1, 0.0 },		/* above full scale: garbage, read as full */
		{ LONG_MAX, 0.0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_db(lv_centi_dbfs(cases[i].v), cases[i].db);
}

static void test_clip_count_wraps(void **state)
{
	static const struct {
		long prev, cur;
		int r;
		unsigned delta;
	} cases[] = {
		{ 0, 0, 0, 0 },
		{ 10, 12, 0, 2 },
		{ 65535, 0, 0, 1 },
		{ 65530, 4, 0, 10 },
		{ 5, 4, 0, 65535 },
		{ 0, 65535, 0, 65535 },
		{ -1, 0, -ERANGE, 0 },
		{ 0, 65536, -ERANGE, 0 },
		{ LONG_MIN, LONG_MAX, -ERANGE, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned d = 12345;

		assert_int_equal(lv_clip_delta(cases[i].prev, cases[i].cur, &d),
				 cases[i].r);
		assert_int_equal(d, cases[i].delta);
	}
}

static void test_get_levels_entries(void **state)
{
	static const struct {
		bool has_meter;
		long meter;
		bool has_clip;
		long clip;
		double peak;
		uint32_t clips;
	} cases[] = {
		{ true, -1250, true, 7, -12.5, 7 },
		{ true, -9600, true, 65535, -INFINITY, 65535 },
		{ false, -400, true, 3, -INFINITY, 3 },
		{ true, -400, false, 3, -4.0, 0 },
		{ true, 5, true, 70000, 0.0, 0 },
		{ true, -400, true, -2, -4.0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double peak;
		uint32_t clips;

		lv_levels_entry(cases[i].has_meter, cases[i].meter,
				cases[i].has_clip, cases[i].clip, &peak, &clips);
		assert_db(peak, cases[i].peak);
		assert_int_equal(clips, cases[i].clips);
	}
}

/* ---- scarlett2 ---- */

static void test_linear_meter(void **state)
{
	static const struct {
		long v, full;
		double db;
	} cases[] = {
		{ 4095, 4095, 0.0 },
		{ 5000, 4095, 0.0 },
		{ 0, 4095, -INFINITY },
		{ -5, 4095, -INFINITY },
		{ 2048, 4095, -6.0185 },
		{ 200, 4095, -26.2246 },
		{ 1, 4095, -72.2446 },
		{ 100, 0, -INFINITY },
		{ 100, -4095, -INFINITY },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_db(lv_linear_dbfs(cases[i].v, cases[i].full), cases[i].db);
}

/* The controls of the amixer fixture, as far as these tests need them. */
struct fx_ctl {
	unsigned numid;
	char name[64];
	unsigned n_items;
	char items[16][32];
	unsigned n_values;
	long values[16];
	bool enumerated;
};

struct fixture {
	struct fx_ctl ctl[128];
	size_t n;
};

static void load_fixture(struct fixture *fx)
{
	char line[512];
	FILE *f = fopen(LEVELS_FIXTURES "/scarlett2-2i2-4th-gen.amixer-contents.txt", "r");
	struct fx_ctl *c = NULL;

	assert_non_null(f);
	memset(fx, 0, sizeof(*fx));
	while (fgets(line, sizeof(line), f)) {
		unsigned numid, idx;
		char name[64], item[32];

		if (sscanf(line, "numid=%u,iface=%*[^,],name='%63[^']'", &numid,
			   name) == 2) {
			assert_true(fx->n < 128);
			c = &fx->ctl[fx->n++];
			c->numid = numid;
			snprintf(c->name, sizeof(c->name), "%s", name);
		} else if (c && strstr(line, "type=ENUMERATED")) {
			c->enumerated = true;
		} else if (c && sscanf(line, "  ; Item #%u '%31[^']'", &idx, item) == 2 &&
			   idx < 16) {
			snprintf(c->items[idx], sizeof(c->items[idx]), "%s", item);
			if (idx + 1 > c->n_items)
				c->n_items = idx + 1;
		} else if (c && strncmp(line, "  : values=", 11) == 0) {
			char *p = line + 11;

			while (c->n_values < 16 && *p && *p != '\n') {
				char *end;
				long v = strtol(p, &end, 10);

				if (end == p) {
					/* on/off */
					v = strncmp(p, "on", 2) == 0;
					end = p + strcspn(p, ",\n");
				}
				c->values[c->n_values++] = v;
				p = *end == ',' ? end + 1 : end;
			}
		}
	}
	fclose(f);
}

static const struct fx_ctl *fx_find(const struct fixture *fx, const char *name)
{
	for (size_t i = 0; i < fx->n; i++)
		if (strcmp(fx->ctl[i].name, name) == 0)
			return &fx->ctl[i];
	return NULL;
}

static int by_numid(const void *a, const void *b)
{
	const struct fx_ctl *x = *(const struct fx_ctl *const *)a;
	const struct fx_ctl *y = *(const struct fx_ctl *const *)b;

	return (x->numid > y->numid) - (x->numid < y->numid);
}

/* The routing destinations: enums whose items are the routing sources. */
static size_t fx_routes(const struct fixture *fx, struct lv_route *routes,
			size_t max)
{
	const struct fx_ctl *dst[64];
	size_t n = 0;

	for (size_t i = 0; i < fx->n && n < 64; i++) {
		const struct fx_ctl *c = &fx->ctl[i];
		bool analogue = false, pcm = false;

		for (unsigned k = 0; c->enumerated && k < c->n_items; k++) {
			analogue |= strcmp(c->items[k], "Analogue 1") == 0;
			pcm |= strcmp(c->items[k], "PCM 1") == 0;
		}
		if (analogue && pcm)
			dst[n++] = c;
	}
	qsort(dst, n, sizeof(dst[0]), by_numid);
	assert_true(n <= max);
	for (size_t i = 0; i < n; i++) {
		routes[i].dst = dst[i]->name;
		routes[i].src = dst[i]->values[0] >= 0 &&
				(unsigned)dst[i]->values[0] < dst[i]->n_items ?
				dst[i]->items[dst[i]->values[0]] : NULL;
	}
	return n;
}

static void test_scarlett2_meter_of_each_input(void **state)
{
	static struct fixture fx;
	struct lv_route routes[64];
	const struct fx_ctl *meter;
	size_t n;
	int idx;

	(void)state;
	load_fixture(&fx);
	meter = fx_find(&fx, "Level Meter");
	assert_non_null(meter);
	assert_int_equal(meter->n_values, 12);
	n = fx_routes(&fx, routes, 64);
	/* 2 analogue outputs, 4 mixer inputs, 2 DSP inputs, 4 PCM captures */
	assert_int_equal(n, 12);
	assert_string_equal(routes[0].dst, "Analogue Output 01 Playback Enum");
	assert_string_equal(routes[8].dst, "PCM 01 Capture Enum");

	/* input 1 is captured by PCM 01, input 2 by PCM 02 */
	idx = lv_scarlett2_meter_index(routes, n, meter->n_values, 1);
	assert_int_equal(idx, 8);
	assert_db(lv_linear_dbfs(meter->values[idx], LV_SCARLETT2_METER_MAX),
		  -26.2246);
	idx = lv_scarlett2_meter_index(routes, n, meter->n_values, 2);
	assert_int_equal(idx, 9);
	assert_db(lv_linear_dbfs(meter->values[idx], LV_SCARLETT2_METER_MAX),
		  -32.2452);
	/* no input 3; a count that does not match; input 0 */
	assert_int_equal(lv_scarlett2_meter_index(routes, n, meter->n_values, 3),
			 -ENOENT);
	assert_int_equal(lv_scarlett2_meter_index(routes, n, 11, 1), -EINVAL);
	assert_int_equal(lv_scarlett2_meter_index(routes, n, n, 0), -EINVAL);

	/* routed only to a monitor output: read there */
	routes[8].src = "Off";
	idx = lv_scarlett2_meter_index(routes, n, n, 1);
	assert_int_equal(idx, -ENOENT);
	routes[3].src = "Analogue 1";
	routes[5].src = "Analogue 1";
	assert_int_equal(lv_scarlett2_meter_index(routes, n, n, 1), 3);
	/* a capture destination wins over an earlier other one */
	routes[10].src = "Analogue 1";
	assert_int_equal(lv_scarlett2_meter_index(routes, n, n, 1), 10);
	/* a NULL source (an item index out of range) is skipped */
	routes[3].src = NULL;
	routes[5].dst = NULL;
	routes[10].src = NULL;
	assert_int_equal(lv_scarlett2_meter_index(routes, n, n, 1), 5);
}

static void test_scarlett2_autogain_status(void **state)
{
	static const struct {
		const char *item;
		enum lv_hw_autogain state;
		enum ag_result result;
	} cases[] = {
		{ "Running", LV_HWAG_RUNNING, AG_RESULT_NONE },
		{ "Success", LV_HWAG_FINISHED, AG_DONE },
		{ "SuccessDRover", LV_HWAG_FINISHED, AG_DONE },
		{ "WarnMinGainLimit", LV_HWAG_FINISHED, AG_MIN_GAIN },
		{ "FailDRunder", LV_HWAG_FINISHED, AG_TOO_QUIET },
		{ "FailMaxGainLimit", LV_HWAG_FINISHED, AG_MAX_GAIN },
		{ "FailClipped", LV_HWAG_FINISHED, AG_MIN_GAIN },
		{ "Cancelled", LV_HWAG_FINISHED, AG_CANCELLED },
		{ "Invalid", LV_HWAG_FINISHED, AG_FAILED },
		{ "Root", LV_HWAG_IDLE, AG_RESULT_NONE },
		{ "Stopped", LV_HWAG_FINISHED, AG_DONE },
		{ "WarnMaxCap", LV_HWAG_FINISHED, AG_MAX_GAIN },
		{ "WarnMinCap", LV_HWAG_FINISHED, AG_MIN_GAIN },
		{ "FailPG", LV_HWAG_FINISHED, AG_FAILED },
		{ "running", LV_HWAG_FINISHED, AG_FAILED },
		{ "", LV_HWAG_FINISHED, AG_FAILED },
		{ NULL, LV_HWAG_FINISHED, AG_FAILED },
	};
	static struct fixture fx;
	const struct fx_ctl *st;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum ag_result r = AG_RESULT_NONE;

		assert_int_equal(lv_scarlett2_autogain_status(cases[i].item, &r),
				 cases[i].state);
		assert_int_equal(r, cases[i].result);
	}

	/* every item of the fixture's status enum is one the table knows */
	load_fixture(&fx);
	st = fx_find(&fx, "Line In 1 Autogain Status Capture Enum");
	assert_non_null(st);
	assert_int_equal(st->n_items, 9);
	for (unsigned k = 0; k < st->n_items; k++) {
		bool known = false;

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			known |= cases[i].item && strcmp(cases[i].item, st->items[k]) == 0;
		if (!known)
			fail_msg("status item '%s' is not in the table", st->items[k]);
	}
	/* it reads Success: the last run was done */
	{
		enum ag_result r;

		assert_int_equal(lv_scarlett2_autogain_status(st->items[st->values[0]], &r),
				 LV_HWAG_FINISHED);
		assert_int_equal(r, AG_DONE);
	}
}

static void test_scarlett2_peak_target(void **state)
{
	static const struct {
		double target;
		int r;
		long v;
	} cases[] = {
		{ -4.0, 0, -4 }, { -4.5, 0, -5 }, { -0.2, 0, -1 }, { 0.0, 0, 0 },
		{ 0.5, 0, 0 }, { -30.0, 0, -30 }, { -60.0, 0, -30 },
		{ -INFINITY, 0, -30 }, { INFINITY, 0, 0 }, { NAN, -EINVAL, 99 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long v = 99;

		assert_int_equal(lv_scarlett2_peak_target(cases[i].target, &v),
				 cases[i].r);
		assert_int_equal(v, cases[i].v);
	}
}

/* ---- the capture peak meter ---- */

static void put_le(uint8_t *p, size_t bytes, int64_t v)
{
	for (size_t i = 0; i < bytes; i++)
		p[i] = (uint8_t)((uint64_t)v >> (8 * i));
}

static void test_pcm_peaks_and_clips(void **state)
{
	static const struct {
		const char *what;
		enum lv_format fmt;
		int64_t sample;
		double db;
		bool clipped;
	} cases[] = {
		{ "S16 silence", LV_S16_LE, 0, -INFINITY, false },
		{ "S16 half", LV_S16_LE, 16384, -6.0203, false },
		{ "S16 minus half", LV_S16_LE, -16384, -6.0203, false },
		{ "S16 one", LV_S16_LE, 1, -90.3087, false },
		{ "S16 just below", LV_S16_LE, 32766, -0.0003, false },
		{ "S16 full", LV_S16_LE, 32767, 0.0, true },
		{ "S16 negative full", LV_S16_LE, -32768, 0.0, true },
		{ "S24 half", LV_S24_3LE, 0x400000, -6.0206, false },
		{ "S24 negative", LV_S24_3LE, -0x400000, -6.0206, false },
		{ "S24 full", LV_S24_3LE, 0x7fffff, 0.0, true },
		{ "S24 negative full", LV_S24_3LE, -0x800000, 0.0, true },
		{ "S32 half", LV_S32_LE, 0x40000000, -6.0206, false },
		{ "S32 24-bit full", LV_S32_LE, 0x7fffff00, 0.0, true },
		{ "S32 24-bit just below", LV_S32_LE, 0x7ffffe00, -0.0000, false },
		{ "S32 full", LV_S32_LE, 0x7fffffff, 0.0, true },
		{ "S32 negative full", LV_S32_LE, INT32_MIN, 0.0, true },
		{ "S32 minus one", LV_S32_LE, -1, -186.6386, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lv_pcm_meter m;
		uint8_t buf[3 * 2 * 4] = { 0 };
		size_t fb, sb;
		bool clipped;
		double db;

		assert_int_equal(lv_pcm_meter_init(&m, cases[i].fmt, 2), 0);
		fb = lv_pcm_frame_bytes(&m);
		sb = fb / 2;
		/* the sample on channel 2 of frame 2 of 3; channel 1 a quarter */
		put_le(buf + fb + sb, sb, cases[i].sample);
		put_le(buf, sb, cases[i].fmt == LV_S16_LE ? 8192 :
				cases[i].fmt == LV_S24_3LE ? 0x200000 : 0x20000000);
		lv_pcm_meter_feed(&m, buf, 3);
		db = lv_pcm_meter_take(&m, 1, &clipped);
		if (isinf(cases[i].db) ? db != cases[i].db :
		    !(fabs(db - cases[i].db) < 0.0001))
			fail_msg("%s: %.4f dBFS, want %.4f", cases[i].what, db,
				 cases[i].db);
		if (clipped != cases[i].clipped)
			fail_msg("%s: clipped %d", cases[i].what, clipped);
		db = lv_pcm_meter_take(&m, 0, &clipped);
		assert_true(fabs(db + 12.04) < 0.01);
		assert_false(clipped);
		/* taken: the next block starts empty */
		assert_true(isnan(lv_pcm_meter_take(&m, 1, &clipped)));
		assert_false(clipped);
	}
}

static void test_pcm_blocks(void **state)
{
	struct lv_pcm_meter m;
	int16_t block[4 * 3];
	bool clipped;

	(void)state;
	assert_int_equal(lv_pcm_meter_init(&m, LV_S16_LE, 3), 0);
	assert_int_equal(lv_pcm_frame_bytes(&m), 6);
	memset(block, 0, sizeof(block));
	block[0 * 3 + 0] = 1000;
	block[3 * 3 + 0] = -2000;
	block[1 * 3 + 2] = -32768;
	lv_pcm_meter_feed(&m, block, 4);
	/* nothing fed: the peak stays */
	lv_pcm_meter_feed(&m, block, 0);
	block[3 * 3 + 0] = 3000;
	block[1 * 3 + 2] = 0;
	lv_pcm_meter_feed(&m, block, 4);
	assert_db(lv_pcm_meter_take(&m, 0, &clipped), 20 * log10(3000.0 / 32767));
	assert_false(clipped);
	assert_db(lv_pcm_meter_take(&m, 1, &clipped), -INFINITY);
	assert_db(lv_pcm_meter_take(&m, 2, &clipped), 0.0);
	assert_true(clipped);
	/* the next block of channel 2: no clip any more */
	lv_pcm_meter_feed(&m, block, 4);
	assert_db(lv_pcm_meter_take(&m, 2, &clipped), -INFINITY);
	assert_false(clipped);
	/* a channel that is not there */
	assert_true(isnan(lv_pcm_meter_take(&m, 3, &clipped)));
	assert_false(clipped);
}

static void test_pcm_meter_init_checks(void **state)
{
	struct lv_pcm_meter m;

	(void)state;
	assert_int_equal(lv_pcm_meter_init(&m, LV_S16_LE, 0), -EINVAL);
	assert_int_equal(lv_pcm_meter_init(&m, LV_S16_LE, 33), -EINVAL);
	assert_int_equal(lv_pcm_meter_init(&m, (enum lv_format)7, 2), -EINVAL);
	assert_int_equal(lv_pcm_meter_init(&m, LV_S32_LE, 32), 0);
	assert_int_equal(lv_pcm_frame_bytes(&m), 128);
	assert_int_equal(lv_pcm_meter_init(&m, LV_S24_3LE, 2), 0);
	assert_int_equal(lv_pcm_frame_bytes(&m), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_meter_values),
		cmocka_unit_test(test_clip_count_wraps),
		cmocka_unit_test(test_get_levels_entries),
		cmocka_unit_test(test_linear_meter),
		cmocka_unit_test(test_scarlett2_meter_of_each_input),
		cmocka_unit_test(test_scarlett2_autogain_status),
		cmocka_unit_test(test_scarlett2_peak_target),
		cmocka_unit_test(test_pcm_peaks_and_clips),
		cmocka_unit_test(test_pcm_blocks),
		cmocka_unit_test(test_pcm_meter_init_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
