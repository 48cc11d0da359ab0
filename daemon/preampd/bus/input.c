// SPDX-License-Identifier: MIT
/*
 * The Input object: one preamp input, its live values as the card reports
 * them, its methods (each checked, then authorized, then done), and the
 * Clipped signal from the driver's Clip Count events.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autogain.h"
#include "preampd.h"
#include "util.h"

#define CLIP_MIN_INTERVAL_USEC (250 * 1000)	/* at most 4 per second */
/* PropertiesChanged of the live values: at most 20 per second per input,
 * so that a flapping control (a bad contact, a script) cannot flood the
 * bus; what changes meanwhile goes out at the end of the 50 ms, with the
 * values as they are then: the last value is always announced */
#define PROPS_MIN_INTERVAL_USEC (50 * 1000)

struct input {
	struct device *d;
	unsigned number;
	char path[PA_PATH_LEN];
	const struct pa_input_map *map;
	struct pa_input_settings live;
	long gain_raw;
	/* Clipped */
	bool clip_known;
	long clip_count;
	uint64_t clip_last;
	sd_event_source *clip_timer;
	/* PropertiesChanged: what waits for the end of the interval */
	uint32_t props_due;		/* bits of props[] */
	uint64_t props_last;
	sd_event_source *props_timer;
	struct autogain *ag;
};

const char *input_path(const struct input *in) { return in->path; }
unsigned input_number(const struct input *in) { return in->number; }
struct device *input_device(const struct input *in) { return in->d; }
const struct pa_input_map *input_map(const struct input *in) { return in->map; }
const struct pa_input_settings *input_live(const struct input *in) { return &in->live; }
struct autogain *input_autogain(const struct input *in) { return in->ag; }

static struct card *card_of(const struct input *in)
{
	return device_card(in->d);
}

void input_emit_changed(struct input *in, const char *prop, ...)
{
	const char *names[24];
	size_t n = 0;
	va_list ap;
	struct manager *m = device_manager(in->d);

	va_start(ap, prop);
	for (const char *p = prop; p && n < PA_ARRAY_SIZE(names) - 1;
	     p = va_arg(ap, const char *))
		names[n++] = p;
	va_end(ap);
	names[n] = NULL;
	if (n && manager_device_by_path(m, device_path(in->d)))
		sd_bus_emit_properties_changed_strv(m->bus, in->path,
						    PA_INPUT_IFACE,
						    (char **)names);
}

void input_autogain_finished(struct input *in, const char *result,
			     double gain_db, double peak_dbfs)
{
	struct manager *m = device_manager(in->d);

	if (manager_device_by_path(m, device_path(in->d)))
		sd_bus_emit_signal(m->bus, in->path, PA_INPUT_IFACE,
				   "AutoGainFinished", "sdd", result, gain_db,
				   peak_dbfs);
	input_emit_changed(in, "AutoGainState", NULL);
}

void input_set_locked(struct input *in, bool locked)
{
	if (!(in->map->caps & PA_CAP_PHANTOM))
		return;
	in->live.fields |= PA_F_LOCK;
	if (in->live.locked == locked)
		return;
	in->live.locked = locked;
	input_emit_changed(in, "PhantomLocked", NULL);
}

/* ---- reading ---- */

static const char *const switch_props[PA_SW_COUNT] = {
	[PA_SW_PAD] = "Pad",
	[PA_SW_PHASE] = "Phase",
	[PA_SW_HIGHPASS] = "HighPass",
	[PA_SW_AIR] = "Air",
};

static void emit_clipped(struct input *in)
{
	struct manager *m = device_manager(in->d);
	uint64_t now = 0;

	sd_event_now(m->event, CLOCK_MONOTONIC, &now);
	in->clip_last = now;
	if (manager_device_by_path(m, device_path(in->d)))
		sd_bus_emit_signal(m->bus, in->path, PA_INPUT_IFACE, "Clipped",
				   "u", (uint32_t)in->clip_count);
}

static int on_clip_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct input *in = userdata;

	(void)s;
	(void)usec;
	in->clip_timer = sd_event_source_unref(in->clip_timer);
	emit_clipped(in);
	return 0;
}

/* The device counted clips: a signal now, or at the end of the 250 ms
 * that follow the last one (with the count as it is then). */
static void clip_counted(struct input *in)
{
	struct manager *m = device_manager(in->d);
	uint64_t now = 0;

	if (in->clip_timer)
		return;
	sd_event_now(m->event, CLOCK_MONOTONIC, &now);
	if (now >= in->clip_last + CLIP_MIN_INTERVAL_USEC) {
		emit_clipped(in);
		return;
	}
	sd_event_add_time(m->event, &in->clip_timer, CLOCK_MONOTONIC,
			  in->clip_last + CLIP_MIN_INTERVAL_USEC, 0,
			  on_clip_timer, in);
}

/* the live values input_refresh() announces, as bits of props_due */
static const char *const props[] = {
	"Gain", "Phantom", "Pad", "Phase", "HighPass", "Air", "Level",
};
#define PROP_GAIN	(1u << 0)
#define PROP_PHANTOM	(1u << 1)
#define PROP_SWITCH(sw)	(1u << (2 + (sw)))
#define PROP_LEVEL	(1u << 6)

static void props_emit(struct input *in)
{
	struct manager *m = device_manager(in->d);
	const char *names[PA_ARRAY_SIZE(props) + 1];
	size_t n = 0;

	for (size_t i = 0; i < PA_ARRAY_SIZE(props); i++)
		if (in->props_due & (1u << i))
			names[n++] = props[i];
	names[n] = NULL;
	in->props_due = 0;
	sd_event_now(m->event, CLOCK_MONOTONIC, &in->props_last);
	if (n && manager_device_by_path(m, device_path(in->d)))
		sd_bus_emit_properties_changed_strv(m->bus, in->path,
						    PA_INPUT_IFACE,
						    (char **)names);
}

static int on_props_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct input *in = userdata;

	(void)s;
	(void)usec;
	in->props_timer = sd_event_source_unref(in->props_timer);
	props_emit(in);
	return 0;
}

static void props_changed(struct input *in, uint32_t mask)
{
	struct manager *m = device_manager(in->d);
	uint64_t now = 0;

	in->props_due |= mask;
	if (in->props_timer)
		return;		/* goes out when it fires */
	sd_event_now(m->event, CLOCK_MONOTONIC, &now);
	if (!in->props_last || now >= in->props_last + PROPS_MIN_INTERVAL_USEC ||
	    sd_event_add_time(m->event, &in->props_timer, CLOCK_MONOTONIC,
			      in->props_last + PROPS_MIN_INTERVAL_USEC, 0,
			      on_props_timer, in) < 0)
		props_emit(in);
}

/* Reads the control of fn, when it is mapped and elem is it (or -1). */
static bool read_fn(struct input *in, enum pa_fn fn, int elem, long *v)
{
	const struct pa_ref *ref = &in->map->ref[fn];

	return ref->elem >= 0 && (elem < 0 || ref->elem == elem) &&
	       card_read(card_of(in), ref->elem, ref->channel, v) == 0;
}

/*
 * A live value read: true when it is new (first read, or differs from the
 * last), and the caller stores it; a change of a known value is due in
 * the next PropertiesChanged.
 */
static bool take(struct input *in, uint32_t field, bool differs,
		 uint32_t prop, uint32_t *changed)
{
	bool known = in->live.fields & field;

	if (known && !differs)
		return false;
	if (known)
		*changed |= prop;
	in->live.fields |= field;
	return true;
}

bool input_refresh(struct input *in, int elem)
{
	const struct pa_input_map *map = in->map;
	uint32_t changed = 0;
	bool saved_changed = false;
	long v;

	if ((map->caps & PA_CAP_GAIN) && read_fn(in, PA_FN_GAIN, elem, &v)) {
		bool known = in->live.fields & PA_F_GAIN;

		if (take(in, PA_F_GAIN, v != in->gain_raw, PROP_GAIN, &changed)) {
			in->gain_raw = v;
			in->live.gain_db = pa_gain_db(&map->gain, v);
			if (known)
				autogain_gain_moved(in);
			saved_changed = true;
		}
	}
	if ((map->caps & PA_CAP_PHANTOM) && read_fn(in, PA_FN_PHANTOM, elem, &v) &&
	    take(in, PA_F_PHANTOM, in->live.phantom != (v != 0), PROP_PHANTOM, &changed)) {
		in->live.phantom = v != 0;
		saved_changed = true;
	}
	for (unsigned sw = 0; sw < PA_SW_COUNT; sw++) {
		bool on;

		if (!read_fn(in, PA_FN_PAD + sw, elem, &v))
			continue;
		on = pa_switch_is_on(map, sw, v);
		if (take(in, PA_F_SWITCH(sw), in->live.sw[sw] != on, PROP_SWITCH(sw),
			 &changed)) {
			in->live.sw[sw] = on;
			saved_changed = true;
		}
	}
	if ((map->caps & PA_CAP_LEVEL) && read_fn(in, PA_FN_LEVEL, elem, &v)) {
		/* an item that is neither: keep calling it line */
		enum pa_level l = v == map->level_inst ? PA_LEVEL_INST : PA_LEVEL_LINE;

		if (take(in, PA_F_LEVEL, in->live.level != l, PROP_LEVEL, &changed)) {
			in->live.level = l;
			saved_changed = true;
		}
	}
	if (read_fn(in, PA_FN_CLIP, elem, &v)) {
		bool moved = in->clip_known && v != in->clip_count;

		in->clip_count = v;
		in->clip_known = true;
		if (moved)
			clip_counted(in);
	}
	if (changed)
		props_changed(in, changed);
	return saved_changed;
}

/* ---- writing ---- */

/* After a write: read back, announce and save what changed. */
static int written(struct input *in, int elem, int r)
{
	if (r < 0) {
		/* the driver re-reads after a refusal: so do we */
		device_elem_changed(in->d, elem, false);
		return r;
	}
	device_elem_changed(in->d, elem, false);
	return 0;
}

int input_write_gain_raw(struct input *in, long raw)
{
	const struct pa_ref *ref = &in->map->ref[PA_FN_GAIN];

	if (!(in->map->caps & PA_CAP_GAIN))
		return -EOPNOTSUPP;
	return written(in, ref->elem,
		       card_write(card_of(in), ref->elem, ref->channel, raw));
}

int input_write_phantom(struct input *in, bool on)
{
	const struct pa_ref *ref = &in->map->ref[PA_FN_PHANTOM];

	if (!(in->map->caps & PA_CAP_PHANTOM))
		return -EOPNOTSUPP;
	return written(in, ref->elem,
		       card_write(card_of(in), ref->elem, ref->channel, on));
}

int input_write_switch(struct input *in, enum pa_switch sw, bool on)
{
	const struct pa_ref *ref = &in->map->ref[PA_FN_PAD + sw];
	long v;

	if (ref->elem < 0)
		return -EOPNOTSUPP;
	/* an enum already on (Air "Presence + Drive") stays as it is */
	if (on && (in->live.fields & PA_F_SWITCH(sw)) && in->live.sw[sw])
		return 0;
	v = on ? in->map->sw_on[sw] : in->map->sw_off[sw];
	return written(in, ref->elem,
		       card_write(card_of(in), ref->elem, ref->channel, v));
}

int input_write_level(struct input *in, enum pa_level level)
{
	const struct pa_ref *ref = &in->map->ref[PA_FN_LEVEL];

	if (!(in->map->caps & PA_CAP_LEVEL))
		return -EOPNOTSUPP;
	return written(in, ref->elem,
		       card_write(card_of(in), ref->elem, ref->channel,
				  level == PA_LEVEL_INST ? in->map->level_inst :
							   in->map->level_line));
}

/* ---- life cycle ---- */

int input_new(struct device *d, const struct pa_input_map *map,
	      struct input **out)
{
	struct input *in;
	int r;

	in = calloc(1, sizeof(*in));
	if (!in)
		return -ENOMEM;
	in->d = d;
	in->map = map;
	in->number = map->number;
	snprintf(in->path, sizeof(in->path), "%s/inputs/%u", device_path(d),
		 map->number);
	r = autogain_new(in, &in->ag);
	if (r < 0) {
		free(in);
		return r;
	}
	input_refresh(in, -1);
	*out = in;
	return 0;
}

void input_free(struct input *in)
{
	if (!in)
		return;
	sd_event_source_disable_unref(in->clip_timer);
	sd_event_source_disable_unref(in->props_timer);
	autogain_free(in->ag);
	free(in);
}

/* ---- D-Bus: properties ---- */

static int prop_number(sd_bus *bus, const char *path, const char *iface,
		       const char *property, sd_bus_message *reply,
		       void *userdata, sd_bus_error *err)
{
	(void)bus; (void)path; (void)iface; (void)property; (void)err;
	return sd_bus_message_append(reply, "u",
				     ((struct input *)userdata)->number);
}

static int prop_label(sd_bus *bus, const char *path, const char *iface,
		      const char *property, sd_bus_message *reply,
		      void *userdata, sd_bus_error *err)
{
	struct input *in = userdata;
	char label[PA_LABEL_MAX * 3];

	(void)bus; (void)path; (void)iface; (void)property; (void)err;
	pa_utf8_sanitize(in->map->label, strlen(in->map->label), label,
			 sizeof(label));
	return sd_bus_message_append(reply, "s", label);
}

static int prop_caps(sd_bus *bus, const char *path, const char *iface,
		     const char *property, sd_bus_message *reply,
		     void *userdata, sd_bus_error *err)
{
	struct input *in = userdata;
	uint32_t caps = in->map->caps;
	int r;

	(void)bus; (void)path; (void)iface; (void)property; (void)err;
	if (autogain_capable(in))
		caps |= PA_CAP_AUTOGAIN;
	else
		caps &= ~PA_CAP_AUTOGAIN;
	r = sd_bus_message_open_container(reply, 'a', "s");
	for (unsigned b = 0; b < PA_CAP_COUNT && r >= 0; b++)
		if (caps & (1u << b))
			r = sd_bus_message_append(reply, "s", pa_cap_name(b));
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int prop_gain(sd_bus *bus, const char *path, const char *iface,
		     const char *property, sd_bus_message *reply,
		     void *userdata, sd_bus_error *err)
{
	struct input *in = userdata;
	const struct pa_gain_range *g = &in->map->gain;
	bool has = in->map->caps & PA_CAP_GAIN;
	double v = 0.0;

	(void)bus; (void)path; (void)iface; (void)err;
	if (!has)
		v = 0.0;
	else if (!strcmp(property, "Gain"))
		v = in->live.gain_db;
	else if (!strcmp(property, "GainMin"))
		v = g->db_min;
	else if (!strcmp(property, "GainMax"))
		v = g->db_max;
	else if (!strcmp(property, "GainStep"))
		v = pa_gain_step(g);
	return sd_bus_message_append(reply, "d", v);
}

static int prop_bool(sd_bus *bus, const char *path, const char *iface,
		     const char *property, sd_bus_message *reply,
		     void *userdata, sd_bus_error *err)
{
	struct input *in = userdata;
	enum pa_switch sw;
	bool v = false;

	(void)bus; (void)path; (void)iface; (void)err;
	if (!strcmp(property, "Phantom"))
		v = (in->live.fields & PA_F_PHANTOM) && in->live.phantom;
	else if (!strcmp(property, "PhantomLocked"))
		v = (in->live.fields & PA_F_LOCK) && in->live.locked;
	else
		for (sw = 0; sw < PA_SW_COUNT; sw++)
			if (!strcmp(property, switch_props[sw]))
				v = (in->live.fields & PA_F_SWITCH(sw)) &&
				    in->live.sw[sw];
	return sd_bus_message_append(reply, "b", v);
}

static int prop_group(sd_bus *bus, const char *path, const char *iface,
		      const char *property, sd_bus_message *reply,
		      void *userdata, sd_bus_error *err)
{
	struct input *in = userdata;
	struct pa_topology t;
	uint32_t mask;
	int r;

	(void)bus; (void)path; (void)iface; (void)property; (void)err;
	device_topology(in->d, &t);
	mask = pa_phantom_group_mask(&t, in->number);
	r = sd_bus_message_open_container(reply, 'a', "o");
	for (unsigned i = 0; i < PA_MAX_INPUTS && r >= 0; i++)
		if (mask & (1u << i))
			r = sd_bus_message_append(reply, "o",
						  input_path(device_input(in->d, i + 1)));
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int prop_strings(sd_bus *bus, const char *path, const char *iface,
			const char *property, sd_bus_message *reply,
			void *userdata, sd_bus_error *err)
{
	struct input *in = userdata;
	const char *v = "";

	(void)bus; (void)path; (void)iface; (void)err;
	if (!strcmp(property, "Level")) {
		if (in->map->caps & PA_CAP_LEVEL)
			v = pa_level_name(in->live.level);
	} else if (!strcmp(property, "AutoGainState")) {
		v = autogain_state(in->ag);
	}
	return sd_bus_message_append(reply, "s", v);
}

/* ---- D-Bus: methods ---- */

static struct input *op_input(struct manager *m, const struct pa_op *op,
			      sd_bus_error *err)
{
	struct input *in = manager_input_by_path(m, op->path);

	if (!in)
		sd_bus_error_setf(err, PA_ERR_DEVICE_GONE,
				  "The device was unplugged.");
	return in;
}

static int not_supported(sd_bus_error *err, const char *what)
{
	return sd_bus_error_setf(err, PA_ERR_NOT_SUPPORTED,
				 "This input has no %s.", what);
}

static int check_gain(struct input *in, sd_bus_error *err)
{
	if (!(in->map->caps & PA_CAP_GAIN))
		return not_supported(err, "software gain");
	return 0;
}

static int run_set_gain(struct manager *m, sd_bus_message *call,
			const struct pa_op *op, sd_bus_error *err)
{
	struct input *in = op_input(m, op, err);
	long raw;
	double db;
	int r;

	if (!in)
		return -ENODEV;
	r = check_gain(in, err);
	if (r < 0)
		return r;
	r = pa_gain_snap(&in->map->gain, op->db, &raw, &db);
	if (r == -ERANGE)
		return sd_bus_error_setf(err, PA_ERR_OUT_OF_RANGE,
					 "%.2f dB is outside this input's range, %.2f to %.2f dB.",
					 op->db, in->map->gain.db_min,
					 in->map->gain.db_max);
	if (r < 0)
		return sd_bus_error_setf(err, SD_BUS_ERROR_INVALID_ARGS,
					 "The gain must be a finite number of dB.");
	r = input_write_gain_raw(in, raw);
	if (r < 0)
		return write_wait_start(m, call, in, PA_FN_GAIN, raw, r, PA_REPLY_GAIN,
					"setting the gain", err);
	return sd_bus_reply_method_return(call, "d", in->live.gain_db);
}

static int run_adjust_gain(struct manager *m, sd_bus_message *call,
			   const struct pa_op *op, sd_bus_error *err)
{
	struct input *in = op_input(m, op, err);
	long raw;
	double db;
	int r;

	if (!in)
		return -ENODEV;
	r = check_gain(in, err);
	if (r < 0)
		return r;
	r = pa_gain_adjust(&in->map->gain, in->gain_raw, op->db, &raw, &db);
	if (r < 0)
		return sd_bus_error_setf(err, SD_BUS_ERROR_INVALID_ARGS,
					 "The change must be a finite number of dB.");
	if (raw != in->gain_raw) {
		r = input_write_gain_raw(in, raw);
		if (r < 0)
			return write_wait_start(m, call, in, PA_FN_GAIN, raw, r,
						PA_REPLY_GAIN, "setting the gain", err);
	}
	return sd_bus_reply_method_return(call, "d", in->live.gain_db);
}

static int gain_method(sd_bus_message *call, struct input *in, pa_op_run run,
		       sd_bus_error *err)
{
	struct pa_op op = { .run = run };
	int interactive, r;

	r = sd_bus_message_read(call, "db", &op.db, &interactive);
	if (r < 0)
		return r;
	r = check_gain(in, err);
	if (r < 0)
		return r;
	if (!isfinite(op.db))
		return sd_bus_error_setf(err, SD_BUS_ERROR_INVALID_ARGS,
					 "The gain must be a finite number of dB.");
	if (run == run_set_gain && (op.db < in->map->gain.db_min - 1e-6 ||
				    op.db > in->map->gain.db_max + 1e-6))
		return sd_bus_error_setf(err, PA_ERR_OUT_OF_RANGE,
					 "%.2f dB is outside this input's range, %.2f to %.2f dB.",
					 op.db, in->map->gain.db_min,
					 in->map->gain.db_max);
	snprintf(op.path, sizeof(op.path), "%s", in->path);
	return auth_check(device_manager(in->d), call, PA_ACTION_SET_GAIN,
			  interactive, &op, err);
}

static int method_set_gain(sd_bus_message *call, void *userdata,
			   sd_bus_error *err)
{
	return gain_method(call, userdata, run_set_gain, err);
}

static int method_adjust_gain(sd_bus_message *call, void *userdata,
			      sd_bus_error *err)
{
	return gain_method(call, userdata, run_adjust_gain, err);
}

static int check_phantom(struct input *in, bool on, sd_bus_error *err)
{
	struct pa_topology t;
	struct pa_settings s;
	int r;

	device_topology(in->d, &t);
	device_settings(in->d, &s);
	r = pa_phantom_check_set(&t, &s, in->number, on);
	if (r == -EOPNOTSUPP)
		return not_supported(err, "48 V phantom power");
	if (r == -EPERM)
		return sd_bus_error_setf(err, PA_ERR_LOCKED,
					 "48 V is locked off on this input or one that shares its switch.");
	return r;
}

static int run_set_phantom(struct manager *m, sd_bus_message *call,
			   const struct pa_op *op, sd_bus_error *err)
{
	struct input *in = op_input(m, op, err);
	struct pa_topology t;
	int r;

	if (!in)
		return -ENODEV;
	r = check_phantom(in, op->on, err);
	if (r < 0)
		return r;
	device_topology(in->d, &t);
	device_phantom_decided(in->d, pa_phantom_group_mask(&t, in->number));
	r = input_write_phantom(in, op->on);
	if (r == -EPERM && op->on)
		return sd_bus_error_setf(err, PA_ERR_IO,
					 "The device refused 48 V: its plug-in guard holds it off for a few seconds after plug-in, or another program holds the switch.");
	if (r < 0)
		return write_wait_start(m, call, in, PA_FN_PHANTOM, op->on, r,
					PA_REPLY_EMPTY, "switching 48 V", err);
	return sd_bus_reply_method_return(call, NULL);
}

static int method_set_phantom(sd_bus_message *call, void *userdata,
			      sd_bus_error *err)
{
	struct input *in = userdata;
	struct pa_op op = { .run = run_set_phantom };
	int on, interactive, r;

	r = sd_bus_message_read(call, "bb", &on, &interactive);
	if (r < 0)
		return r;
	op.on = on;
	r = check_phantom(in, op.on, err);
	if (r < 0)
		return r;
	snprintf(op.path, sizeof(op.path), "%s", in->path);
	return auth_check(device_manager(in->d), call, PA_ACTION_SET_PHANTOM,
			  interactive, &op, err);
}

static int run_set_lock(struct manager *m, sd_bus_message *call,
			const struct pa_op *op, sd_bus_error *err)
{
	struct input *in = op_input(m, op, err);
	struct pa_topology t;
	uint32_t group;
	int r = 0;

	if (!in)
		return -ENODEV;
	if (!(in->map->caps & PA_CAP_PHANTOM))
		return not_supported(err, "48 V phantom power");
	device_topology(in->d, &t);
	group = pa_phantom_group_mask(&t, in->number);
	input_set_locked(in, op->on);
	if (op->on) {
		/* off first, then nobody else can switch it on */
		device_phantom_decided(in->d, group);
		if (in->live.phantom)
			r = input_write_phantom(in, false);
	}
	device_locks_changed(in->d);
	device_schedule_save(in->d);
	log_info("%s: input %u: 48 V %s", device_key(in->d), in->number,
		 op->on ? "locked off" : "unlocked");
	if (r < 0)
		return write_wait_start(m, call, in, PA_FN_PHANTOM, 0, r,
					PA_REPLY_EMPTY, "switching 48 V off", err);
	return sd_bus_reply_method_return(call, NULL);
}

static int method_set_lock(sd_bus_message *call, void *userdata,
			   sd_bus_error *err)
{
	struct input *in = userdata;
	struct pa_op op = { .run = run_set_lock };
	int locked, interactive, r;

	r = sd_bus_message_read(call, "bb", &locked, &interactive);
	if (r < 0)
		return r;
	if (!(in->map->caps & PA_CAP_PHANTOM))
		return not_supported(err, "48 V phantom power");
	op.on = locked;
	snprintf(op.path, sizeof(op.path), "%s", in->path);
	/* unlocking takes a ribbon microphone's protection off */
	return auth_check(device_manager(in->d), call, pa_action_of_lock(locked),
			  interactive, &op, err);
}

static int run_set_switch(struct manager *m, sd_bus_message *call,
			  const struct pa_op *op, sd_bus_error *err)
{
	struct input *in = op_input(m, op, err);
	int r;

	if (!in)
		return -ENODEV;
	if (!(in->map->caps & PA_CAP_SWITCH(op->which)))
		return not_supported(err, pa_switch_name(op->which));
	r = input_write_switch(in, (enum pa_switch)op->which, op->on);
	if (r < 0)
		return write_wait_start(m, call, in, PA_FN_PAD + op->which,
					op->on ? in->map->sw_on[op->which] :
						in->map->sw_off[op->which],
					r, PA_REPLY_EMPTY, "setting the switch", err);
	return sd_bus_reply_method_return(call, NULL);
}

static int method_set_switch(sd_bus_message *call, void *userdata,
			     sd_bus_error *err)
{
	struct input *in = userdata;
	struct pa_op op = { .run = run_set_switch };
	const char *name;
	enum pa_switch sw;
	int on, interactive, r;

	r = sd_bus_message_read(call, "sbb", &name, &on, &interactive);
	if (r < 0)
		return r;
	if (pa_switch_from_name(name, &sw) < 0)
		return sd_bus_error_setf(err, SD_BUS_ERROR_INVALID_ARGS,
					 "A switch is \"pad\", \"phase\", \"highpass\" or \"air\".");
	if (!(in->map->caps & PA_CAP_SWITCH(sw)))
		return not_supported(err, pa_switch_name(sw));
	op.which = (int)sw;
	op.on = on;
	snprintf(op.path, sizeof(op.path), "%s", in->path);
	return auth_check(device_manager(in->d), call, PA_ACTION_SET_GAIN,
			  interactive, &op, err);
}

static int run_set_level(struct manager *m, sd_bus_message *call,
			 const struct pa_op *op, sd_bus_error *err)
{
	struct input *in = op_input(m, op, err);
	int r;

	if (!in)
		return -ENODEV;
	if (!(in->map->caps & PA_CAP_LEVEL))
		return not_supported(err, "line/instrument level");
	r = input_write_level(in, (enum pa_level)op->which);
	if (r < 0)
		return write_wait_start(m, call, in, PA_FN_LEVEL,
					op->which == PA_LEVEL_INST ? in->map->level_inst :
								 in->map->level_line,
					r, PA_REPLY_EMPTY, "setting the level", err);
	return sd_bus_reply_method_return(call, NULL);
}

static int method_set_level(sd_bus_message *call, void *userdata,
			    sd_bus_error *err)
{
	struct input *in = userdata;
	struct pa_op op = { .run = run_set_level };
	const char *name;
	enum pa_level level;
	int interactive, r;

	r = sd_bus_message_read(call, "sb", &name, &interactive);
	if (r < 0)
		return r;
	if (pa_level_from_name(name, &level) < 0)
		return sd_bus_error_setf(err, SD_BUS_ERROR_INVALID_ARGS,
					 "A level is \"line\" or \"inst\".");
	if (!(in->map->caps & PA_CAP_LEVEL))
		return not_supported(err, "line/instrument level");
	op.which = (int)level;
	snprintf(op.path, sizeof(op.path), "%s", in->path);
	return auth_check(device_manager(in->d), call, PA_ACTION_SET_GAIN,
			  interactive, &op, err);
}

static int run_start_autogain(struct manager *m, sd_bus_message *call,
			      const struct pa_op *op, sd_bus_error *err)
{
	struct input *in = op_input(m, op, err);
	struct autogain_refusal why;
	int r;

	if (!in)
		return -ENODEV;
	r = autogain_start(in, op->db, op->listen_ms, &why);
	if (r < 0)
		return pa_bus_error_from_refusal(err, &why);
	r = sd_bus_reply_method_return(call, "");
	autogain_go(in);
	return r;
}

static int method_start_autogain(sd_bus_message *call, void *userdata,
				 sd_bus_error *err)
{
	struct input *in = userdata;
	struct pa_op op = { .run = run_start_autogain };
	int interactive, r;

	r = sd_bus_message_read(call, "dub", &op.db, &op.listen_ms, &interactive);
	if (r < 0)
		return r;
	if (!autogain_capable(in))
		return not_supported(err, "autogain");
	if (!isfinite(op.db) || op.db > 0 || op.db < -60)
		return sd_bus_error_setf(err, SD_BUS_ERROR_INVALID_ARGS,
					 "The target peak is a finite level from -60 to 0 dBFS.");
	if (op.listen_ms < 1000 || op.listen_ms > 60000)
		return sd_bus_error_setf(err, SD_BUS_ERROR_INVALID_ARGS,
					 "listen_ms is 1000 to 60000.");
	snprintf(op.path, sizeof(op.path), "%s", in->path);
	return auth_check(device_manager(in->d), call, PA_ACTION_SET_GAIN,
			  interactive, &op, err);
}

static int run_cancel_autogain(struct manager *m, sd_bus_message *call,
			       const struct pa_op *op, sd_bus_error *err)
{
	struct input *in = op_input(m, op, err);

	if (!in)
		return -ENODEV;
	autogain_cancel(in);
	return sd_bus_reply_method_return(call, "");
}

static int method_cancel_autogain(sd_bus_message *call, void *userdata,
				  sd_bus_error *err)
{
	struct input *in = userdata;
	struct pa_op op = { .run = run_cancel_autogain };
	int interactive, r;

	r = sd_bus_message_read(call, "b", &interactive);
	if (r < 0)
		return r;
	if (!autogain_capable(in))
		return not_supported(err, "autogain");
	snprintf(op.path, sizeof(op.path), "%s", in->path);
	return auth_check(device_manager(in->d), call, PA_ACTION_SET_GAIN,
			  interactive, &op, err);
}

int input_find(sd_bus *bus, const char *path, const char *iface,
	       void *userdata, void **found, sd_bus_error *err)
{
	struct input *in = manager_input_by_path(userdata, path);

	(void)bus; (void)iface; (void)err;
	if (!in)
		return 0;
	*found = in;
	return 1;
}

#define EMITS SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE
#define CONST SD_BUS_VTABLE_PROPERTY_CONST
#define UNPRIV SD_BUS_VTABLE_UNPRIVILEGED

const sd_bus_vtable input_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Number", "u", prop_number, 0, CONST),
	SD_BUS_PROPERTY("Label", "s", prop_label, 0, CONST),
	SD_BUS_PROPERTY("Capabilities", "as", prop_caps, 0, CONST),
	SD_BUS_PROPERTY("Gain", "d", prop_gain, 0, EMITS),
	SD_BUS_PROPERTY("GainMin", "d", prop_gain, 0, CONST),
	SD_BUS_PROPERTY("GainMax", "d", prop_gain, 0, CONST),
	SD_BUS_PROPERTY("GainStep", "d", prop_gain, 0, CONST),
	SD_BUS_PROPERTY("Phantom", "b", prop_bool, 0, EMITS),
	SD_BUS_PROPERTY("PhantomGroup", "ao", prop_group, 0, CONST),
	SD_BUS_PROPERTY("PhantomLocked", "b", prop_bool, 0, EMITS),
	SD_BUS_PROPERTY("Pad", "b", prop_bool, 0, EMITS),
	SD_BUS_PROPERTY("Phase", "b", prop_bool, 0, EMITS),
	SD_BUS_PROPERTY("HighPass", "b", prop_bool, 0, EMITS),
	SD_BUS_PROPERTY("Air", "b", prop_bool, 0, EMITS),
	SD_BUS_PROPERTY("Level", "s", prop_strings, 0, EMITS),
	SD_BUS_PROPERTY("AutoGainState", "s", prop_strings, 0, EMITS),
	SD_BUS_METHOD_WITH_NAMES("SetGain", "db",
				 SD_BUS_PARAM(db) SD_BUS_PARAM(interactive),
				 "d", SD_BUS_PARAM(db), method_set_gain, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("AdjustGain", "db",
				 SD_BUS_PARAM(delta_db) SD_BUS_PARAM(interactive),
				 "d", SD_BUS_PARAM(db), method_adjust_gain, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("SetPhantom", "bb",
				 SD_BUS_PARAM(on) SD_BUS_PARAM(interactive),
				 "", , method_set_phantom, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("SetPhantomLock", "bb",
				 SD_BUS_PARAM(locked) SD_BUS_PARAM(interactive),
				 "", , method_set_lock, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("SetSwitch", "sbb",
				 SD_BUS_PARAM(name) SD_BUS_PARAM(on)
				 SD_BUS_PARAM(interactive),
				 "", , method_set_switch, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("SetLevel", "sb",
				 SD_BUS_PARAM(level) SD_BUS_PARAM(interactive),
				 "", , method_set_level, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("StartAutoGain", "dub",
				 SD_BUS_PARAM(target_peak_dbfs)
				 SD_BUS_PARAM(listen_ms) SD_BUS_PARAM(interactive),
				 "", , method_start_autogain, UNPRIV),
	SD_BUS_METHOD_WITH_NAMES("CancelAutoGain", "b",
				 SD_BUS_PARAM(interactive),
				 "", , method_cancel_autogain, UNPRIV),
	SD_BUS_SIGNAL_WITH_NAMES("AutoGainFinished", "sdd",
				 SD_BUS_PARAM(result) SD_BUS_PARAM(gain_db)
				 SD_BUS_PARAM(peak_dbfs), 0),
	SD_BUS_SIGNAL_WITH_NAMES("Clipped", "u", SD_BUS_PARAM(clip_count), 0),
	SD_BUS_VTABLE_END
};
