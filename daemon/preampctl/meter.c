// SPDX-License-Identifier: MIT
/* The terminal loop of the level meter and of autogain. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-event.h>

#include "format.h"
#include "meter.h"
#include "peak.h"

#define USEC_PER_SEC		1000000ULL
#define LEVELS_TIMEOUT_USEC	(2ULL * USEC_PER_SEC)
#define SIGNAL_GRACE_SEC	1.5	/* a result state without its signal */
#define FRAME_MAX_LINES		256	/* widths kept; a taller frame counts 1 row a line */

/* ---- the terminal ---- */

struct term {
	bool live;		/* redraw in place */
	bool keys;		/* stdin switched to single keys */
	struct termios saved;
	unsigned columns, rows;
	unsigned lines;		/* lines of the frame on screen */
	unsigned pending;	/* lines of the frame being built */
	unsigned drawn_columns;	/* the width the frame on screen was built for */
	unsigned widths[FRAME_MAX_LINES];	/* of its lines */
	bool resized;
};

static void term_size(struct term *t)
{
	struct winsize ws;

	t->columns = 80;
	t->rows = 24;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
		if (ws.ws_col >= 10)
			t->columns = ws.ws_col;
		if (ws.ws_row >= 3)
			t->rows = ws.ws_row;
	}
}

static int write_all(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };

				poll(&p, 1, 1000);
				continue;
			}
			return -errno;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static void term_start(struct term *t, bool live)
{
	t->live = live;
	if (!live)
		return;
	term_size(t);
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &t->saved) == 0) {
		struct termios raw = t->saved;

		/* single keys, no echo; Ctrl-C still sends SIGINT */
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
			t->keys = true;
	}
	write_all("\x1b[?25l", 6);	/* hide the cursor */
}

/* Ctrl-Z: put the terminal back, stop, and take it again on fg. */
static void term_suspend(struct term *t)
{
	bool keys = t->keys;

	if (!t->live) {
		kill(getpid(), SIGSTOP);
		return;
	}
	write_all("\x1b[?25h", 6);
	if (keys)
		tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
	kill(getpid(), SIGSTOP);
	/* continued: the shell has written below the meter; start afresh */
	if (keys) {
		struct termios raw = t->saved;

		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	write_all("\x1b[?25l", 6);
	t->lines = 0;
	term_size(t);
}

static void term_stop(struct term *t)
{
	if (!t->live)
		return;
	write_all("\x1b[?25h", 6);
	if (t->keys) {
		tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
		t->keys = false;
	}
	t->live = false;
}

/*
 * Starts a frame over the last one: back to its first line. The size is
 * read again here, not only on SIGWINCH: a frame built for the old width
 * can reach a terminal that has already narrowed, and then each of its
 * lines wrapped into several rows, as they do when the terminal reflows.
 */
static void frame_begin(struct term *t, struct pctl_buf *out)
{
	unsigned up = t->lines;

	pctl_buf_reset(out);
	term_size(t);
	if (t->lines > 0 && t->columns != t->drawn_columns) {
		unsigned kept = t->lines < FRAME_MAX_LINES ? t->lines : FRAME_MAX_LINES;

		up = pctl_frame_rows(t->widths, kept, t->columns) + (t->lines - kept);
		t->resized = true;
	}
	if (up > 0)
		pctl_buf_printf(out, "\r\x1b[%uA", up);
	if (t->resized) {
		/* lines may have wrapped: clear below, this once */
		pctl_buf_puts(out, "\x1b[J");
		t->resized = false;
	}
	t->drawn_columns = t->columns;
	t->pending = 0;
}

/* Ends the line just appended: clear what an older, longer one left. */
static void frame_line_end(struct term *t, struct pctl_buf *out)
{
	pctl_buf_puts(out, "\x1b[K\n");
	t->pending++;
}

/* Appends text cut to the terminal's width, then ends the line. */
static void frame_text(struct term *t, struct pctl_buf *out, const char *text)
{
	size_t width = pctl_term_text(out, text, t->columns - 1);

	if (t->pending < FRAME_MAX_LINES)
		t->widths[t->pending] = (unsigned)width;
	frame_line_end(t, out);
}

static int frame_end(struct term *t, struct pctl_buf *out)
{
	t->lines = t->pending;
	if (out->failed)
		return -ENOMEM;
	return write_all(pctl_buf_str(out), out->len);	/* one write: no tearing */
}

/* ---- the shared loop ---- */

struct autogain {
	const struct pctl_input *in;
	double target;
	unsigned listen_ms;
	char state[32];
	double gain;
	bool finished;
	char result[32];
	double result_gain, result_peak;
	bool cancelling;
	double final_at;	/* when a result state came without its signal */
	char last_line[160];	/* for pipes: print changes only */
};

struct view {
	struct pctl_bus *bus;
	sd_bus *sd;
	sd_event *ev;
	const struct pctl_device *dev;
	const struct pctl_input **shown;
	size_t n;
	struct pctl_peak *peaks;
	struct pctl_meter_row *rows;
	struct pctl_level *levels;
	size_t max_levels;
	bool metered;		/* ask for levels at all */
	bool json;
	unsigned rate;
	unsigned long count, updates;
	uint64_t t0, next;
	sd_bus_slot *pending;
	sd_bus_slot *matches[4];
	bool matched;
	sd_event_source *timer;
	struct term term;
	struct pctl_buf out;
	struct pctl_error *err;
	int code;
	struct autogain *ag;
};

static double now_sec(struct view *v)
{
	uint64_t usec = 0;

	sd_event_now(v->ev, CLOCK_MONOTONIC, &usec);
	return (double)(usec - v->t0) / (double)USEC_PER_SEC;
}

static void stop(struct view *v, int code)
{
	v->code = code;
	sd_event_exit(v->ev, code);
}

static void fail(struct view *v, int code, const char *fmt, const char *arg)
{
	pctl_error_set(v->err, code, fmt, arg);
	stop(v, code);
}

static void build_rows(struct view *v, double now)
{
	for (size_t i = 0; i < v->n; i++) {
		struct pctl_meter_row *row = &v->rows[i];

		row->number = v->shown[i]->number;
		row->label = v->shown[i]->label;
		row->metered = v->metered && (v->shown[i]->caps & PCTL_CAP_METER);
		row->peak = v->peaks[i].peak;
		row->hold = v->peaks[i].hold;
		row->clipping = pctl_peak_clipping(&v->peaks[i], now);
		row->clips = v->peaks[i].clips;
	}
}

static void draw_autogain_status(struct view *v, struct pctl_buf *line, double now)
{
	struct autogain *ag = v->ag;
	char gain[48];

	pctl_fmt_db(gain, sizeof(gain), ag->gain);
	pctl_buf_puts(line, "   ");
	pctl_term_text(line, ag->cancelling ? "cancelling" : ag->state, 16);
	pctl_buf_printf(line, "  %.1f s  gain %s", now, gain);
}

static int draw(struct view *v)
{
	double now = now_sec(v);
	struct pctl_buf line;
	int r;

	build_rows(v, now);

	if (v->json || !v->term.live) {
		if (v->ag) {
			/* a pipe gets autogain's changes, JSON only the result */
			if (v->json)
				return 0;
			pctl_buf_init(&line);
			draw_autogain_status(v, &line, 0);
			/* compare without the time */
			if (strcmp(pctl_buf_str(&line), v->ag->last_line) == 0) {
				pctl_buf_free(&line);
				return 0;
			}
			snprintf(v->ag->last_line, sizeof(v->ag->last_line), "%s",
				 pctl_buf_str(&line));
			pctl_buf_free(&line);
			pctl_buf_reset(&v->out);
			draw_autogain_status(v, &v->out, now);
			pctl_buf_putc(&v->out, '\n');
		} else {
			pctl_buf_reset(&v->out);
			if (v->json)
				pctl_meter_json(&v->out, now, v->rows, v->n);
			else
				pctl_meter_plain(&v->out, now, v->rows, v->n);
			pctl_buf_putc(&v->out, '\n');
		}
		if (v->out.failed)
			return -ENOMEM;
		return write_all(pctl_buf_str(&v->out), v->out.len);
	}

	/* the live view */
	{
		struct pctl_meter_layout layout;
		unsigned room, shown = (unsigned)v->n;

		frame_begin(&v->term, &v->out);
		pctl_meter_layout(v->term.columns, &layout);
		pctl_buf_init(&line);

		if (v->ag) {
			char t[48], lo[48];

			pctl_fmt_num(t, sizeof(t), v->ag->target);
			pctl_fmt_num(lo, sizeof(lo), v->ag->target - 1.5);
			pctl_buf_puts(&line, "Autogain: ");
			pctl_fmt_input_name(&line, v->dev, v->ag->in);
			pctl_buf_printf(&line, ", target %s to %s dBFS", lo, t);
		} else {
			pctl_buf_puts(&line, "Levels of ");
			pctl_term_text(&line, v->dev->name, 60);
			pctl_buf_puts(&line, v->term.keys ? " (dBFS)   q or Ctrl-C to quit" :
							    " (dBFS)   Ctrl-C to quit");
		}
		frame_text(&v->term, &v->out, pctl_buf_str(&line));

		/* as many rows as the terminal is tall */
		room = v->term.rows > 4 ? v->term.rows - 4 : 1;
		if (shown > room)
			shown = room;
		if (v->metered) {
			pctl_buf_reset(&line);
			pctl_meter_scale(&line, &layout);
			frame_text(&v->term, &v->out, pctl_buf_str(&line));
			for (unsigned i = 0; i < shown; i++) {
				pctl_buf_reset(&line);
				pctl_meter_line(&line, &v->rows[i], &layout);
				frame_text(&v->term, &v->out, pctl_buf_str(&line));
			}
			if (shown < v->n) {
				pctl_buf_reset(&line);
				pctl_buf_printf(&line, "   (%zu more inputs: make the terminal taller)",
						v->n - shown);
				frame_text(&v->term, &v->out, pctl_buf_str(&line));
			}
		}
		if (v->ag) {
			pctl_buf_reset(&line);
			draw_autogain_status(v, &line, now);
			pctl_buf_puts(&line, v->ag->cancelling ? "" : "   Ctrl-C cancels");
			frame_text(&v->term, &v->out, pctl_buf_str(&line));
		}
		if (line.failed)
			v->out.failed = true;
		pctl_buf_free(&line);
		r = frame_end(&v->term, &v->out);
	}
	return r;
}

static void after_draw(struct view *v, int r)
{
	if (r == -EPIPE) {
		stop(v, PCTL_EXIT_OK);	/* the reader went away */
		return;
	}
	if (r < 0) {
		fail(v, PCTL_EXIT_FAILED, "cannot write the output: %s", strerror(-r));
		return;
	}
	if (!v->ag && v->count && ++v->updates >= v->count)
		stop(v, PCTL_EXIT_OK);
}

static int on_levels(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
	struct view *v = userdata;
	double now;
	size_t n = 0;
	int r;

	(void)ret_error;
	v->pending = sd_bus_slot_unref(v->pending);
	if (sd_bus_message_is_method_error(reply, NULL)) {
		const sd_bus_error *e = sd_bus_message_get_error(reply);

		pctl_bus_error(v->err, "reading the levels", e, sd_bus_message_get_errno(reply));
		/* the device went between two refreshes: InterfacesRemoved may
		 * still be on its way; say it as on_removed() does */
		if (e && e->name && (strcmp(e->name, PCTL_ERROR_NS "DeviceGone") == 0 ||
				     strcmp(e->name, "org.freedesktop.DBus.Error.UnknownObject") == 0))
			pctl_error_set(v->err, PCTL_EXIT_GONE, "the device was unplugged");
		if (v->ag && v->err->code == PCTL_EXIT_UNSUPPORTED) {
			v->metered = false;	/* autogain goes on without a meter */
			return 0;
		}
		stop(v, v->err->code);
		return 0;
	}
	r = pctl_bus_read_levels(reply, v->levels, v->max_levels, &n);
	if (r < 0) {
		fail(v, PCTL_EXIT_FAILED, "preampd sent levels preampctl cannot read (%s)",
		     strerror(-r));
		return 0;
	}
	now = now_sec(v);
	for (size_t i = 0; i < v->n; i++) {
		size_t pos = v->shown[i]->position;

		if (pos < n)
			pctl_peak_update(&v->peaks[i], now, v->levels[pos].peak,
					 v->levels[pos].clips);
		else
			pctl_peak_update(&v->peaks[i], now, -INFINITY, v->peaks[i].last_count);
	}
	after_draw(v, draw(v));
	return 0;
}

static int request_levels(struct view *v)
{
	sd_bus_message *m = NULL;
	int r;

	r = sd_bus_message_new_method_call(v->sd, &m, PCTL_BUS_NAME, v->dev->path,
					   PCTL_IFACE_DEVICE, "GetLevels");
	if (r >= 0)
		r = sd_bus_call_async(v->sd, &v->pending, m, on_levels, v, LEVELS_TIMEOUT_USEC);
	sd_bus_message_unref(m);
	return r;
}

static void autogain_finish(struct view *v, const char *result, double gain, double peak)
{
	struct autogain *ag = v->ag;

	if (ag->finished)
		return;
	ag->finished = true;
	snprintf(ag->result, sizeof(ag->result), "%s", result);
	ag->result_gain = gain;
	ag->result_peak = peak;
	stop(v, pctl_exit_for_autogain(ag->result));
}

static int on_tick(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct view *v = userdata;
	uint64_t period = USEC_PER_SEC / v->rate;
	int r;

	v->next += period;
	if (v->next <= usec)
		v->next = usec + period;	/* fell behind: do not catch up */
	sd_event_source_set_time(s, v->next);

	if (v->ag && v->ag->final_at > 0 && now_sec(v) - v->ag->final_at > SIGNAL_GRACE_SEC) {
		/* the state says it is over but the signal never came */
		autogain_finish(v, v->ag->state, v->ag->gain, NAN);
		return 0;
	}
	if (v->metered) {
		if (!v->pending) {
			r = request_levels(v);
			if (r < 0) {
				pctl_bus_error(v->err, "reading the levels", NULL, r);
				stop(v, v->err->code);
			}
		}
	} else {
		after_draw(v, draw(v));
	}
	return 0;
}

static void cancel_autogain(struct view *v)
{
	sd_bus_message *m = NULL;
	int r;

	v->ag->cancelling = true;
	r = sd_bus_message_new_method_call(v->sd, &m, PCTL_BUS_NAME, v->ag->in->path,
					   PCTL_IFACE_INPUT, "CancelAutoGain");
	if (r >= 0)
		r = sd_bus_message_append(m, "b", (int)pctl_bus_interactive(v->bus));
	if (r >= 0)
		r = sd_bus_message_set_allow_interactive_authorization(m,
						pctl_bus_interactive(v->bus));
	/* the answer does not matter: AutoGainFinished tells the end */
	if (r >= 0)
		r = sd_bus_call_async(v->sd, NULL, m, NULL, NULL, 0);
	sd_bus_message_unref(m);
	if (r < 0)
		fail(v, PCTL_EXIT_AUTOGAIN, "cannot cancel autogain: %s", strerror(-r));
}

static void quit(struct view *v)
{
	if (!v->ag) {
		stop(v, PCTL_EXIT_OK);
	} else if (!v->ag->cancelling) {
		cancel_autogain(v);
	} else {
		fail(v, PCTL_EXIT_AUTOGAIN, "%s",
		     "stopped waiting; autogain may still be running (preampctl show DEV tells)");
	}
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	struct view *v = userdata;

	(void)s;
	if (si->ssi_signo == SIGWINCH) {
		term_size(&v->term);
		v->term.resized = true;
		return 0;
	}
	if (si->ssi_signo == SIGTSTP) {
		term_suspend(&v->term);
		return 0;
	}
	quit(v);
	return 0;
}

static int on_key(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct view *v = userdata;
	char keys[64];
	ssize_t n;

	(void)s;
	(void)revents;
	n = read(fd, keys, sizeof(keys));
	for (ssize_t i = 0; i < n; i++)
		if (keys[i] == 'q' || keys[i] == 'Q') {
			quit(v);
			break;
		}
	if (n == 0)	/* the terminal went away */
		sd_event_source_set_enabled(s, SD_EVENT_OFF);
	return 0;
}

static int on_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct view *v = userdata;
	const char *path;

	(void)ret_error;
	if (sd_bus_message_read_basic(m, 'o', &path) <= 0)
		return 0;
	if (strcmp(path, v->dev->path) == 0 || (v->ag && strcmp(path, v->ag->in->path) == 0)) {
		pctl_error_set(v->err, PCTL_EXIT_GONE, "the device was unplugged");
		stop(v, PCTL_EXIT_GONE);
	}
	return 0;
}

static int on_owner(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct view *v = userdata;
	const char *name, *old, *new;

	(void)ret_error;
	if (sd_bus_message_read(m, "sss", &name, &old, &new) < 0)
		return 0;
	if (strcmp(name, PCTL_BUS_NAME) == 0 && !*new) {
		pctl_error_set(v->err, PCTL_EXIT_DAEMON,
			       "preampd stopped.\nStart it again with: systemctl start preampd");
		stop(v, PCTL_EXIT_DAEMON);
	}
	return 0;
}

static int on_props(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct view *v = userdata;
	struct pctl_input_raw raw;
	const char *iface;
	double now;

	(void)ret_error;
	if (!v->ag || sd_bus_message_read_basic(m, 's', &iface) <= 0 ||
	    strcmp(iface, PCTL_IFACE_INPUT) != 0)
		return 0;
	memset(&raw, 0, sizeof(raw));
	raw.in.gain = NAN;
	if (pctl_bus_read_props(m, pctl_input_props, pctl_n_input_props, &raw) >= 0) {
		if (isfinite(raw.in.gain))
			v->ag->gain = raw.in.gain;
		if (raw.in.autogain_state) {
			snprintf(v->ag->state, sizeof(v->ag->state), "%s", raw.in.autogain_state);
			now = now_sec(v);
			if (pctl_autogain_final(v->ag->state))
				v->ag->final_at = now > 0 ? now : 1e-6;
			else
				v->ag->final_at = 0;
		}
	}
	pctl_input_raw_clear(&raw);
	return 0;
}

static int on_finished(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct view *v = userdata;
	const char *result;
	double gain, peak;

	(void)ret_error;
	if (!v->ag || sd_bus_message_read(m, "sdd", &result, &gain, &peak) < 0)
		return 0;	/* not the signal we know: ignore it */
	if (isfinite(gain))
		v->ag->gain = gain;
	autogain_finish(v, result, gain, peak);
	return 0;
}

static int add_matches(struct view *v)
{
	int r;

	if (v->matched)
		return 0;
	r = sd_bus_match_signal(v->sd, &v->matches[0], PCTL_BUS_NAME, PCTL_ROOT_PATH,
				"org.freedesktop.DBus.ObjectManager", "InterfacesRemoved",
				on_removed, v);
	if (r >= 0)
		r = sd_bus_match_signal(v->sd, &v->matches[1], "org.freedesktop.DBus",
					"/org/freedesktop/DBus", "org.freedesktop.DBus",
					"NameOwnerChanged", on_owner, v);
	if (r >= 0 && v->ag)
		r = sd_bus_match_signal(v->sd, &v->matches[2], PCTL_BUS_NAME, v->ag->in->path,
					"org.freedesktop.DBus.Properties", "PropertiesChanged",
					on_props, v);
	if (r >= 0 && v->ag)
		r = sd_bus_match_signal(v->sd, &v->matches[3], PCTL_BUS_NAME, v->ag->in->path,
					PCTL_IFACE_INPUT, "AutoGainFinished", on_finished, v);
	if (r >= 0)
		v->matched = true;
	return r;
}

static int view_init(struct view *v, struct pctl_bus *b, const struct pctl_device *dev,
		     struct pctl_error *err)
{
	memset(v, 0, sizeof(*v));
	v->bus = b;
	v->sd = pctl_bus_sd(b);
	v->dev = dev;
	v->err = err;
	v->max_levels = dev->n_inputs + 1;
	for (size_t i = 0; i < dev->n_inputs; i++)
		if (dev->inputs[i].position >= v->max_levels)
			v->max_levels = dev->inputs[i].position + 1;
	v->shown = calloc(dev->n_inputs + 1, sizeof(*v->shown));
	v->peaks = calloc(dev->n_inputs + 1, sizeof(*v->peaks));
	v->rows = calloc(dev->n_inputs + 1, sizeof(*v->rows));
	v->levels = calloc(v->max_levels, sizeof(*v->levels));
	pctl_buf_init(&v->out);
	if (!v->shown || !v->peaks || !v->rows || !v->levels) {
		pctl_error_set(err, PCTL_EXIT_FAILED, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static void view_free(struct view *v)
{
	sd_bus_slot_unref(v->pending);
	for (size_t i = 0; i < sizeof(v->matches) / sizeof(v->matches[0]); i++)
		sd_bus_slot_unref(v->matches[i]);
	sd_event_source_unref(v->timer);
	sd_bus_detach_event(v->sd);
	sd_event_unref(v->ev);
	free(v->shown);
	free(v->peaks);
	free(v->rows);
	free(v->levels);
	pctl_buf_free(&v->out);
}

/* Runs the loop until stop(); the terminal is put back whatever happens. */
static int view_run(struct view *v, bool live)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP };
	sigset_t mask, old;
	uint64_t now;
	int r;

	for (size_t i = 0; i < v->n; i++)
		pctl_peak_init(&v->peaks[i]);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&mask, sigs[i]);
	sigprocmask(SIG_BLOCK, &mask, &old);

	r = sd_event_new(&v->ev);
	if (r >= 0)
		r = sd_bus_attach_event(v->sd, v->ev, SD_EVENT_PRIORITY_NORMAL);
	for (size_t i = 0; r >= 0 && i < sizeof(sigs) / sizeof(sigs[0]); i++)
		r = sd_event_add_signal(v->ev, NULL, sigs[i], on_signal, v);
	if (r >= 0)
		r = add_matches(v);
	if (r >= 0)
		r = sd_event_now(v->ev, CLOCK_MONOTONIC, &now);
	if (r >= 0) {
		v->t0 = now;
		v->next = now;
		r = sd_event_add_time(v->ev, &v->timer, CLOCK_MONOTONIC, now, 1000, on_tick, v);
	}
	if (r >= 0)
		r = sd_event_source_set_enabled(v->timer, SD_EVENT_ON);
	if (r < 0) {
		pctl_error_set(v->err, PCTL_EXIT_FAILED, "cannot set up the event loop: %s",
			       strerror(-r));
		sigprocmask(SIG_SETMASK, &old, NULL);
		return PCTL_EXIT_FAILED;
	}

	term_start(&v->term, live);
	if (v->term.keys)
		sd_event_add_io(v->ev, NULL, STDIN_FILENO, EPOLLIN, on_key, v);
	v->code = PCTL_EXIT_OK;
	r = sd_event_loop(v->ev);
	term_stop(&v->term);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (r < 0 && v->code == PCTL_EXIT_OK) {
		pctl_error_set(v->err, PCTL_EXIT_FAILED, "event loop failed: %s", strerror(-r));
		return PCTL_EXIT_FAILED;
	}
	return v->code;
}

int pctl_meter_run(struct pctl_bus *b, const struct pctl_device *dev,
		   const struct pctl_input *only, const struct pctl_meter_opts *o,
		   struct pctl_error *err)
{
	struct view v;
	int code;

	if (view_init(&v, b, dev, err) < 0) {
		view_free(&v);
		return PCTL_EXIT_FAILED;
	}
	for (size_t i = 0; i < dev->n_inputs; i++)
		if ((!only || only == &dev->inputs[i]) && (dev->inputs[i].caps & PCTL_CAP_METER))
			v.shown[v.n++] = &dev->inputs[i];
	v.metered = true;
	v.json = o->json;
	v.rate = o->rate ? o->rate : 30;
	v.count = o->count;
	code = view_run(&v, !o->json && isatty(STDOUT_FILENO));
	view_free(&v);
	return code;
}

int pctl_autogain_run(struct pctl_bus *b, const struct pctl_device *dev,
		      const struct pctl_input *in, double target, unsigned listen_ms,
		      bool json, struct pctl_error *err)
{
	struct autogain ag;
	struct pctl_buf out;
	struct view v;
	int code, r;

	memset(&ag, 0, sizeof(ag));
	ag.in = in;
	ag.target = target;
	ag.listen_ms = listen_ms;
	ag.gain = in->gain;
	snprintf(ag.state, sizeof(ag.state), "listening");

	if (view_init(&v, b, dev, err) < 0) {
		view_free(&v);
		return PCTL_EXIT_FAILED;
	}
	v.ag = &ag;
	v.shown[v.n++] = in;
	/* levels only for the live view: a pipe gets state changes only */
	v.metered = (in->caps & PCTL_CAP_METER) && !json && isatty(STDOUT_FILENO);
	v.json = json;
	v.rate = v.metered ? 30 : 10;

	/* listen before asking, so that no signal can slip by */
	r = add_matches(&v);
	if (r < 0) {
		pctl_bus_error(err, "watching autogain", NULL, r);
		view_free(&v);
		return err->code;
	}
	r = pctl_bus_call(b, in->path, PCTL_IFACE_INPUT, "StartAutoGain", true, NULL, err,
			  "starting autogain", "dub", target, (uint32_t)listen_ms,
			  (int)pctl_bus_interactive(b));
	if (r < 0) {
		view_free(&v);
		return err->code;
	}
	code = view_run(&v, !json && isatty(STDOUT_FILENO));

	/* the result, unless the loop ended some other way (unplugged...) */
	if (ag.finished) {
		pctl_buf_init(&out);
		if (json)
			pctl_json_autogain_result(&out, dev, in, ag.result, ag.result_gain,
						  ag.result_peak, target);
		else
			pctl_fmt_autogain_result(&out, dev, in, ag.result, ag.result_gain,
						 ag.result_peak, target);
		fputs(pctl_buf_str(&out), stdout);
		fflush(stdout);
		pctl_buf_free(&out);
		err->message[0] = '\0';
	}
	view_free(&v);
	return code;
}
