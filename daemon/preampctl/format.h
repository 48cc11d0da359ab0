/* SPDX-License-Identifier: MIT */
/*
 * Everything preampctl prints, rendered into a struct pctl_buf: numbers in
 * dB, the status table, the device details, JSON (strings escaped; names
 * come from USB devices and are untrusted), and the level meter's lines.
 * Pure: no I/O.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "text.h"

/* "24.0", "24.25", "-6.5", "0.0", "-inf", "inf", "nan": at most 2 decimals. */
void pctl_fmt_num(char *out, size_t size, double v);
/* "24.0 dB", or "-" where v is not finite. */
void pctl_fmt_db(char *out, size_t size, double v);

/* JSON: a quoted, escaped string (invalid UTF-8 becomes U+FFFD), a number
 * (null where it is not finite), a boolean. */
void pctl_json_string(struct pctl_buf *b, const char *s);
void pctl_json_number(struct pctl_buf *b, double v);
void pctl_json_bool(struct pctl_buf *b, bool v);

/* Human output. only: one device, or NULL for every one. */
void pctl_fmt_status(struct pctl_buf *b, const struct pctl_state *s,
		     const struct pctl_device *only);
void pctl_fmt_list(struct pctl_buf *b, const struct pctl_state *s);
void pctl_fmt_show(struct pctl_buf *b, const struct pctl_device *d);
/* "Mic 1 (input 1) of Quad Mic Pre", terminal-safe */
void pctl_fmt_input_name(struct pctl_buf *b, const struct pctl_device *d,
			 const struct pctl_input *in);

/* JSON output, one object and a newline each. */
void pctl_json_status(struct pctl_buf *b, const struct pctl_state *s,
		      const struct pctl_device *only);
void pctl_json_list(struct pctl_buf *b, const struct pctl_state *s);
void pctl_json_device(struct pctl_buf *b, const struct pctl_device *d);
void pctl_json_input(struct pctl_buf *b, const struct pctl_input *in);

/* ---- the level meter ---- */

#define PCTL_METER_FLOOR	(-60.0)	/* dBFS at the left end of a bar */
#define PCTL_METER_WINDOW	(-6.0)	/* start of the 0..-6 dBFS target window */
#define PCTL_METER_MIN_BAR	10u
#define PCTL_METER_MAX_BAR	160u

/*
 * One bar of exactly width characters (width >= 1) into out (size >
 * width): '=' signal below the window, '#' signal inside it, '.' empty
 * below the window, '-' empty inside it, '|' the held peak.
 * peak and hold in dBFS; -inf or NaN light nothing.
 */
void pctl_meter_bar(char *out, size_t size, unsigned width, double peak, double hold);

struct pctl_meter_row {
	uint32_t number;
	const char *label;	/* untrusted */
	bool metered;		/* false: the input has no meter */
	double peak, hold;	/* dBFS */
	bool clipping;		/* clipped a moment ago */
	uint32_t clips;		/* clips seen since the meter started */
};

/* Where things go on a line of a given terminal width. */
struct pctl_meter_layout {
	unsigned columns;	/* the terminal's */
	unsigned label_cols;	/* 0: no number and label column */
	unsigned bar;		/* bar cells, brackets not included */
	bool hold;		/* a hold column */
};

void pctl_meter_layout(unsigned columns, struct pctl_meter_layout *l);
/* One meter line, no newline, never wider than columns - 1. */
void pctl_meter_line(struct pctl_buf *b, const struct pctl_meter_row *row,
		     const struct pctl_meter_layout *l);
/* The dBFS scale above the bars, aligned with them, no newline. */
void pctl_meter_scale(struct pctl_buf *b, const struct pctl_meter_layout *l);
/* One line for a pipe: "1.033  1:-12.3  2:-inf  4:-0.5 CLIP 2", no newline. */
void pctl_meter_plain(struct pctl_buf *b, double elapsed,
		      const struct pctl_meter_row *rows, size_t n);
/* The same as one JSON object (see preampctl(1)), no newline. */
void pctl_meter_json(struct pctl_buf *b, double elapsed,
		     const struct pctl_meter_row *rows, size_t n);

/*
 * Rows that lines of these widths take on a terminal of cols columns once
 * it has wrapped them: a line drawn for a wider terminal wraps as it is
 * written, or is reflowed when the terminal narrows.
 */
unsigned pctl_frame_rows(const unsigned *widths, size_t n, unsigned cols);

/* ---- autogain ---- */

/* Whether an AutoGainState word is a result (not "idle" or "listening"). */
bool pctl_autogain_final(const char *state);
/*
 * The outcome in words, one or two lines with a newline: result is the
 * AutoGainFinished word, gain and peak from it (NaN: unknown), target the
 * level asked for, in the input's name.
 */
void pctl_fmt_autogain_result(struct pctl_buf *b, const struct pctl_device *d,
			      const struct pctl_input *in, const char *result,
			      double gain, double peak, double target);
void pctl_json_autogain_result(struct pctl_buf *b, const struct pctl_device *d,
			       const struct pctl_input *in, const char *result,
			       double gain, double peak, double target);
