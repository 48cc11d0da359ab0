// SPDX-License-Identifier: MIT
/*
 * The level meter's rendering: bars from -inf through -96..0 dBFS, the
 * -6..0 window marked, the held peak, the clip marker, lines that never
 * reach the terminal's last column at any width, the scale aligned with
 * the bars; and the peak hold and clip tracking over time.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "format.h"
#include "peak.h"

/* A 20-cell bar is 3 dB a cell; the window is the last two cells. */
static const struct {
	unsigned width;
	double peak, hold;
	const char *bar;
} bars[] = {
	{ 20, -INFINITY, -INFINITY, "..................--" },
	{ 20, NAN, NAN, "..................--" },
	{ 20, -96, -96, "..................--" },
	{ 20, -60, -60, "..................--" },
	{ 20, -59, -59, "..................--" },	/* under half a cell */
	{ 20, -58, -58, "|.................--" },	/* one cell lit, held */
	{ 20, -30, -INFINITY, "==========........--" },
	{ 20, -30, -30, "=========|........--" },
	{ 20, -30, -3, "==========........|-" },
	{ 20, -6, -6, "=================|--" },	/* the window starts past -6 */
	{ 20, -4.5, -4.5, "==================|-" },
	{ 20, -4.5, -INFINITY, "==================#-" },
	{ 20, -1, -INFINITY, "==================##" },
	{ 20, 0, 0, "==================#|" },
	{ 20, 3, 3, "==================#|" },	/* over full scale: clamped */
	{ 20, -20, -50, "=============.....--" },	/* a stale hold below the peak */
	{ 10, -12, -INFINITY, "========.-" },
	{ 1, 0, -INFINITY, "=" },
};

static void bars_render_levels_window_and_hold(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bars) / sizeof(bars[0]); i++) {
		char out[PCTL_METER_MAX_BAR + 1];

		pctl_meter_bar(out, sizeof(out), bars[i].width, bars[i].peak, bars[i].hold);
		if (strcmp(out, bars[i].bar) != 0)
			fail_msg("case %zu (%g, %g): '%s', want '%s'", i, bars[i].peak,
				 bars[i].hold, out, bars[i].bar);
	}
}

static void the_window_is_the_last_tenth_at_every_width(void **state)
{
	(void)state;
	for (unsigned w = PCTL_METER_MIN_BAR; w <= PCTL_METER_MAX_BAR; w++) {
		char out[PCTL_METER_MAX_BAR + 1];
		unsigned window = 0, filled = 0;

		pctl_meter_bar(out, sizeof(out), w, -INFINITY, -INFINITY);
		assert_int_equal(strlen(out), w);
		for (unsigned i = 0; i < w; i++) {
			window += out[i] == '-';
			/* the window is one block at the end */
			if (i > 0 && out[i - 1] == '-')
				assert_int_equal(out[i], '-');
		}
		assert_true(fabs((double)window - w * 0.1) <= 1.0);
		pctl_meter_bar(out, sizeof(out), w, 0, -INFINITY);
		for (unsigned i = 0; i < w; i++)
			filled += out[i] == '#';
		assert_int_equal(filled, window);
	}
}

static void the_bar_grows_with_the_level(void **state)
{
	unsigned last = 0;

	(void)state;
	for (double db = -96; db <= 0.0001; db += 0.25) {
		char out[41];
		unsigned lit = 0;

		pctl_meter_bar(out, sizeof(out), 40, db, -INFINITY);
		for (unsigned i = 0; i < 40; i++)
			lit += out[i] == '=' || out[i] == '#';
		assert_true(lit >= last);
		last = lit;
	}
	assert_int_equal(last, 40);
}

static void a_short_buffer_is_never_overrun(void **state)
{
	char out[8];

	(void)state;
	pctl_meter_bar(out, sizeof(out), 100, -1, -1);
	assert_int_equal(strlen(out), 7);
	pctl_meter_bar(out, 0, 100, -1, -1);	/* nothing written */
}

static const struct pctl_meter_row row = {
	.number = 3, .label = "Inst 3", .metered = true, .peak = -12.34, .hold = -3.0,
	.clipping = true, .clips = 12,
};

static void a_line_shows_label_bar_numbers_and_clip(void **state)
{
	struct pctl_meter_layout l;
	struct pctl_buf b;
	char bar[PCTL_METER_MAX_BAR + 1];

	(void)state;
	pctl_meter_layout(80, &l);
	assert_int_equal(l.label_cols, 12);
	assert_true(l.hold);
	pctl_meter_bar(bar, sizeof(bar), l.bar, row.peak, row.hold);
	pctl_buf_init(&b);
	pctl_meter_line(&b, &row, &l);
	assert_true(strncmp(pctl_buf_str(&b), " 3 Inst 3       [", 17) == 0);
	assert_non_null(strstr(pctl_buf_str(&b), bar));
	assert_non_null(strstr(pctl_buf_str(&b), "]  -12.3   -3.0 CLIP 12"));
	assert_int_equal(b.len, 77);	/* no trailing blanks */

	/* a clip a while ago stays counted, quietly */
	{
		struct pctl_meter_row r = row;

		r.clipping = false;
		pctl_buf_reset(&b);
		pctl_meter_line(&b, &r, &l);
		assert_non_null(strstr(pctl_buf_str(&b), "-3.0 clip 12"));
		r.clips = 0;
		pctl_buf_reset(&b);
		pctl_meter_line(&b, &r, &l);
		assert_null(strstr(pctl_buf_str(&b), "clip"));
		assert_null(strstr(pctl_buf_str(&b), "CLIP"));
		r.clips = 123456;
		r.clipping = true;
		pctl_buf_reset(&b);
		pctl_meter_line(&b, &r, &l);
		assert_non_null(strstr(pctl_buf_str(&b), "CLIP 10k+"));
		r.peak = -INFINITY;
		r.hold = NAN;
		pctl_buf_reset(&b);
		pctl_meter_line(&b, &r, &l);
		assert_non_null(strstr(pctl_buf_str(&b), "]   -inf      ? CLIP"));
		r.peak = 0.4;
		pctl_buf_reset(&b);
		pctl_meter_line(&b, &r, &l);
		assert_non_null(strstr(pctl_buf_str(&b), "]   +0.4 "));
		r.metered = false;
		pctl_buf_reset(&b);
		pctl_meter_line(&b, &r, &l);
		assert_non_null(strstr(pctl_buf_str(&b), " no meter "));
		assert_null(strstr(pctl_buf_str(&b), "+0.4"));
	}
	pctl_buf_free(&b);
}

static void lines_fit_every_terminal_width(void **state)
{
	static const char *const labels[] = {
		"Mic 1", "A very long input label indeed", "\x1b[2J\x1b[31m\r\n",
		"\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad",
		"\xff\xfe\xfd", "", NULL,
	};

	(void)state;
	for (unsigned cols = 10; cols <= 400; cols++)
		for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
			struct pctl_meter_row r = row;
			struct pctl_meter_layout l;
			struct pctl_buf b;

			r.label = labels[k];
			r.number = 100 + (unsigned)k;
			pctl_meter_layout(cols, &l);
			assert_true(l.bar <= PCTL_METER_MAX_BAR);
			pctl_buf_init(&b);
			pctl_meter_line(&b, &r, &l);
			if (pctl_term_width(pctl_buf_str(&b)) > cols - 1)
				fail_msg("%u columns: '%s'", cols, pctl_buf_str(&b));
			for (const char *p = pctl_buf_str(&b); *p; p++)
				assert_true((unsigned char)*p >= 0x20);
			pctl_buf_reset(&b);
			pctl_meter_scale(&b, &l);
			assert_true(pctl_term_width(pctl_buf_str(&b)) <= cols - 1);
			pctl_buf_free(&b);
		}
}

static void the_scale_marks_line_up_with_the_bar(void **state)
{
	struct pctl_meter_layout l;
	struct pctl_buf line, scale;
	const char *s, *bar, *six, *zero, *sixty;

	(void)state;
	pctl_meter_layout(100, &l);
	pctl_buf_init(&line);
	pctl_buf_init(&scale);
	pctl_meter_line(&line, &(struct pctl_meter_row){ .number = 1, .label = "x", .metered = true,
				.peak = -INFINITY, .hold = -INFINITY }, &l);
	pctl_meter_scale(&scale, &l);
	s = pctl_buf_str(&scale);
	bar = strchr(pctl_buf_str(&line), '[');
	assert_non_null(bar);
	/* "-60" starts at the first cell, "-6" at the window's first cell,
	 * "0" sits over the closing bracket */
	sixty = strstr(s, "-60");
	six = strstr(s, "-6 ");
	zero = strstr(s, " 0 ");
	assert_non_null(sixty);
	assert_non_null(six);
	assert_non_null(zero);
	assert_int_equal(sixty - s, bar - pctl_buf_str(&line) + 1);
	assert_int_equal(bar[six - s - (bar - pctl_buf_str(&line))], '-');
	assert_int_equal(bar[six - s - (bar - pctl_buf_str(&line)) - 1], '.');
	assert_int_equal(bar[zero + 1 - s - (bar - pctl_buf_str(&line))], ']');
	assert_non_null(strstr(s, "peak   hold"));
	pctl_buf_free(&line);
	pctl_buf_free(&scale);
}

static void narrow_terminals_drop_the_label_then_the_bar(void **state)
{
	struct pctl_meter_layout l;
	struct pctl_buf b;

	(void)state;
	pctl_meter_layout(40, &l);
	assert_int_equal(l.label_cols, 0);
	assert_false(l.hold);
	assert_true(l.bar >= 10);
	pctl_meter_layout(20, &l);
	assert_int_equal(l.bar, 0);
	pctl_buf_init(&b);
	pctl_meter_line(&b, &row, &l);
	assert_string_equal(pctl_buf_str(&b), " 3   -12.3 CLIP 12");
	pctl_buf_free(&b);
}

static void pipes_get_one_plain_or_json_line(void **state)
{
	struct pctl_meter_row rows[3] = {
		{ .number = 1, .metered = true, .peak = -20.04, .hold = -10 },
		{ .number = 2, .metered = false, .peak = -5, .hold = -5 },
		{ .number = 4, .metered = true, .peak = -INFINITY, .hold = -0.5, .clipping = true,
		  .clips = 2 },
	};
	struct pctl_buf b;

	(void)state;
	pctl_buf_init(&b);
	pctl_meter_plain(&b, 1.0333, rows, 3);
	assert_string_equal(pctl_buf_str(&b), "1.033  1:-20.0  4:-inf CLIP 2");
	pctl_buf_reset(&b);
	pctl_meter_json(&b, 1.0333, rows, 3);
	assert_string_equal(pctl_buf_str(&b),
		"{\"time\":1.0333,\"inputs\":["
		"{\"number\":1,\"peak\":-20.04,\"hold\":-10,\"clipping\":false,\"clips\":0},"
		"{\"number\":4,\"peak\":null,\"hold\":-0.5,\"clipping\":true,\"clips\":2}]}");
	pctl_buf_free(&b);
}

/* ---- peak hold and clips ---- */

static void the_peak_is_held_then_falls(void **state)
{
	struct pctl_peak p;

	(void)state;
	pctl_peak_init(&p);
	assert_true(p.hold == -INFINITY);
	pctl_peak_update(&p, 0.0, -10, 0);
	assert_true(p.hold == -10);
	pctl_peak_update(&p, 0.5, -30, 0);
	assert_true(p.peak == -30);
	assert_true(p.hold == -10);		/* held */
	pctl_peak_update(&p, 1.5, -30, 0);
	assert_true(p.hold == -10);		/* still, at 1.5 s */
	pctl_peak_update(&p, 1.6, -30, 0);
	assert_true(fabs(p.hold - (-10 - PCTL_HOLD_FALL * 0.1)) < 1e-9);	/* falling */
	pctl_peak_update(&p, 3.0, -30, 0);
	assert_true(p.hold == -30);		/* down to the signal, no further */
	pctl_peak_update(&p, 3.1, -5, 0);
	assert_true(p.hold == -5);		/* a new peak is held at once */
	pctl_peak_update(&p, 3.2, NAN, 0);
	assert_true(p.peak == -INFINITY);	/* nonsense is silence */
	assert_true(p.hold == -5);
	for (double t = 3.3; t < 20; t += 0.1)
		pctl_peak_update(&p, t, -INFINITY, 0);
	assert_true(p.hold == -INFINITY);	/* silence lets the hold go */
}

static void clips_count_from_when_the_meter_started(void **state)
{
	struct pctl_peak p;

	(void)state;
	pctl_peak_init(&p);
	pctl_peak_update(&p, 0.0, -1, 40);	/* 40 before we looked */
	assert_int_equal(p.clips, 0);
	assert_false(pctl_peak_clipping(&p, 0.0));
	pctl_peak_update(&p, 0.1, 0, 43);
	assert_int_equal(p.clips, 3);
	assert_true(pctl_peak_clipping(&p, 0.1));
	assert_true(pctl_peak_clipping(&p, 2.0));
	assert_false(pctl_peak_clipping(&p, 2.2));	/* CLIP shows for 2 s */
	pctl_peak_update(&p, 3.0, -1, 2);		/* the counter restarted */
	assert_int_equal(p.clips, 5);
	assert_true(pctl_peak_clipping(&p, 3.0));
	pctl_peak_update(&p, 3.1, -1, 2);
	assert_int_equal(p.clips, 5);
	pctl_peak_update(&p, 3.2, -1, UINT32_MAX);
	pctl_peak_update(&p, 3.3, -1, UINT32_MAX - 1);
	assert_int_equal(p.clips, UINT32_MAX);		/* saturates, never wraps */
}

/*
 * A frame drawn for 100 columns, seen by a terminal now 45 wide: its
 * lines wrapped, and going back up six rows would leave the top of it.
 */
static void a_narrowed_terminal_holds_the_wrapped_frame(void **state)
{
	const unsigned six[] = { 99, 99, 44, 45, 46, 0 };

	(void)state;
	assert_int_equal(pctl_frame_rows(six, 6, 45), 3 + 3 + 1 + 1 + 2 + 1);
	assert_int_equal(pctl_frame_rows(six, 6, 100), 6);	/* unwrapped */
	assert_int_equal(pctl_frame_rows(six, 0, 45), 0);
	assert_int_equal(pctl_frame_rows(six, 6, 0), 6);	/* no width known */
	assert_int_equal(pctl_frame_rows(six, 2, 1), 198);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_narrowed_terminal_holds_the_wrapped_frame),
		cmocka_unit_test(bars_render_levels_window_and_hold),
		cmocka_unit_test(the_window_is_the_last_tenth_at_every_width),
		cmocka_unit_test(the_bar_grows_with_the_level),
		cmocka_unit_test(a_short_buffer_is_never_overrun),
		cmocka_unit_test(a_line_shows_label_bar_numbers_and_clip),
		cmocka_unit_test(lines_fit_every_terminal_width),
		cmocka_unit_test(the_scale_marks_line_up_with_the_bar),
		cmocka_unit_test(narrow_terminals_drop_the_label_then_the_bar),
		cmocka_unit_test(pipes_get_one_plain_or_json_line),
		cmocka_unit_test(the_peak_is_held_then_falls),
		cmocka_unit_test(clips_count_from_when_the_meter_started),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
