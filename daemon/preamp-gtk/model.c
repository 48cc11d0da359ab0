// SPDX-License-Identifier: MIT
/* What the app shows for a state of the bus (pure). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct { const char *word; unsigned bit; } cap_words[] = {
	{ "gain", PG_CAP_GAIN }, { "phantom", PG_CAP_PHANTOM }, { "pad", PG_CAP_PAD },
	{ "phase", PG_CAP_PHASE }, { "highpass", PG_CAP_HIGHPASS }, { "air", PG_CAP_AIR },
	{ "level", PG_CAP_LEVEL }, { "meter", PG_CAP_METER }, { "autogain", PG_CAP_AUTOGAIN },
};

unsigned pg_cap_from_word(const char *word)
{
	for (size_t i = 0; word && i < ARRAY_SIZE(cap_words); i++)
		if (strcmp(word, cap_words[i].word) == 0)
			return cap_words[i].bit;
	return 0;
}

static bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

/* appends printf text, never past size */
static void cat(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cat(char *out, size_t size, const char *fmt, ...)
{
	size_t l = strnlen(out, size);
	va_list ap;

	if (l + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(out + l, size - l, fmt, ap);
	va_end(ap);
}

/* ---- text from devices ---- */

/* Decodes one UTF-8 sequence; returns its length, or 0 if invalid. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		n = 2, c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4, c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode */
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

static bool unsafe_char(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0) ||
	       (c >= 0x200b && c <= 0x200f) ||	/* zero width, LRM, RLM */
	       (c >= 0x2028 && c <= 0x202e) ||	/* separators, embeddings, overrides */
	       (c >= 0x2066 && c <= 0x2069) ||	/* isolates */
	       c == 0xfeff;
}

void pg_clean_text(char *out, size_t size, const char *s, size_t max_chars)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t o = 0, chars = 0;

	if (!size)
		return;
	while (*p && chars < max_chars) {
		uint32_t c = 0;
		size_t n = utf8_next(p, &c);
		const char *piece = (const char *)p;
		size_t len = n;

		if (!n || unsafe_char(c)) {
			piece = replacement;
			len = 3;
			if (!n)
				n = 1;
		}
		if (o + len + 1 > size)
			break;
		memcpy(out + o, piece, len);
		o += len;
		p += n;
		chars++;
	}
	out[o] = '\0';
}

/* ---- devices ---- */

static bool twins(const struct pg_device_state *a, const struct pg_device_state *b)
{
	return streq(a->name, b->name) && streq(a->usb_id, b->usb_id);
}

void pg_device_views(const struct pg_device_state *devs, size_t n,
		     struct pg_device_view *out)
{
	for (size_t i = 0; i < n; i++) {
		const struct pg_device_state *d = &devs[i];
		struct pg_device_view *v = &out[i];
		char product[200], serial[140], user[200], card_id[72];
		bool twin = false;

		for (size_t j = 0; j < n && !twin; j++)
			twin = j != i && twins(d, &devs[j]);
		pg_clean_text(product, sizeof(product), empty(d->name) ? "USB interface" : d->name, 48);
		pg_clean_text(serial, sizeof(serial), d->serial, 32);
		pg_clean_text(user, sizeof(user), d->user_name, 48);
		pg_clean_text(card_id, sizeof(card_id), d->card_id, 16);

		if (*user)
			snprintf(v->title, sizeof(v->title), "%s", user);
		else if (twin && *serial)
			snprintf(v->title, sizeof(v->title), "%s (%s)", product, serial);
		else if (twin)
			snprintf(v->title, sizeof(v->title), "%s (card %d)", product, (int)d->card);
		else
			snprintf(v->title, sizeof(v->title), "%s", product);
		snprintf(v->tab, sizeof(v->tab), "%s", v->title);

		snprintf(v->subtitle, sizeof(v->subtitle), "%s", product);
		if (*serial)
			cat(v->subtitle, sizeof(v->subtitle), " \u00b7 serial %s", serial);
		else
			cat(v->subtitle, sizeof(v->subtitle), " \u00b7 no serial");
		if (d->card >= 0)
			cat(v->subtitle, sizeof(v->subtitle), " \u00b7 card %d%s%s%s", (int)d->card,
			    *card_id ? " (" : "", card_id, *card_id ? ")" : "");
		if (d->persistent)
			cat(v->subtitle, sizeof(v->subtitle), " \u00b7 keeps its own settings");
	}
}

/* ---- gain ---- */

double pg_gain_snap(double db, double min, double max, double step)
{
	double v;

	if (isnan(db))
		return min;
	if (!(step > 0) || !isfinite(step))
		return db < min ? min : db > max ? max : db;
	{
		double last = floor((max - min) / step + 1e-9), k = round((db - min) / step);

		v = min + (k < 0 ? 0 : k > last ? last : k) * step;
	}
	/* keep 0.1 and such exact enough to print */
	return round(v * 1e6) / 1e6;
}

int pg_step_digits(double step)
{
	if (!(step > 0) || !isfinite(step))
		return 1;
	for (int d = 0; d < 2; d++) {
		double scaled = step * pow(10, d);

		if (fabs(scaled - round(scaled)) < 1e-6)
			return d;
	}
	return 2;
}

void pg_gain_text(char *out, size_t size, double db, double step)
{
	if (!isfinite(db)) {
		snprintf(out, size, "unknown");
		return;
	}
	if (fabs(db) < 1e-9)
		db = 0;		/* never "-0 dB" */
	snprintf(out, size, "%.*f dB", pg_step_digits(step), db);
}

void pg_inputs_text(char *out, size_t size, const uint32_t *numbers, size_t n)
{
	out[0] = '\0';
	if (!n)
		return;
	if (n == 1) {
		snprintf(out, size, "input %u", numbers[0]);
		return;
	}
	snprintf(out, size, "inputs ");
	for (size_t i = 0; i < n; i++)
		cat(out, size, "%u%s", numbers[i],
		    i + 2 < n ? ", " : i + 2 == n ? " and " : "");
}

static bool range_ok(const struct pg_input_state *in)
{
	return isfinite(in->gain_min) && isfinite(in->gain_max) && in->gain_max > in->gain_min &&
	       in->gain_max - in->gain_min <= 1000;
}

void pg_strip_view(const struct pg_input_state *in, struct pg_strip_view *v)
{
	char label[80], group[64];
	size_t n_group = in->n_group < PG_MAX_GROUP ? in->n_group : PG_MAX_GROUP;

	memset(v, 0, sizeof(*v));
	pg_clean_text(label, sizeof(label), in->label, 32);
	if (*label)
		snprintf(v->title, sizeof(v->title), "%s", label);
	else
		snprintf(v->title, sizeof(v->title), "Input %u", in->number);

	v->gain_ok = (in->caps & PG_CAP_GAIN) && range_ok(in);
	if (v->gain_ok) {
		double span = in->gain_max - in->gain_min;

		v->gain_min = in->gain_min;
		v->gain_max = in->gain_max;
		v->gain_step = in->gain_step > 0 && isfinite(in->gain_step) &&
			       in->gain_step <= span ? in->gain_step : span / 100;
		v->gain = pg_gain_snap(isfinite(in->gain) ? in->gain : in->gain_min,
				       v->gain_min, v->gain_max, v->gain_step);
		v->n_steps = (unsigned)floor(span / v->gain_step + 1e-6) + 1;
		v->digits = pg_step_digits(v->gain_step);
		pg_gain_text(v->gain_text, sizeof(v->gain_text), v->gain, v->gain_step);
	}

	v->show_phantom = in->caps & PG_CAP_PHANTOM;
	v->show_lock = v->show_phantom;
	if (v->show_phantom) {
		size_t n_others = 0;

		v->phantom_on = in->phantom;
		v->phantom_sensitive = !in->phantom_locked;
		snprintf(v->phantom_text, sizeof(v->phantom_text), "%s",
			 in->phantom_locked ? "48 V locked" : in->phantom ? "48 V on" : "48 V");
		for (size_t i = 0; i < n_group; i++)
			if (in->group[i] != in->number)
				n_others++;
		if (n_others) {
			pg_inputs_text(group, sizeof(group), in->group, n_group);
			snprintf(v->group_text, sizeof(v->group_text), "shared by %s", group);
		} else {
			snprintf(group, sizeof(group), "input %u", in->number);
		}
		snprintf(v->phantom_confirm, sizeof(v->phantom_confirm),
			 "48 V phantom power will go to %s. It powers condenser microphones, "
			 "and can damage a ribbon microphone or equipment not made for it. "
			 "Connect microphones before switching it on.", group);
	}
	v->show_pad = in->caps & PG_CAP_PAD;
	v->show_phase = in->caps & PG_CAP_PHASE;
	v->show_highpass = in->caps & PG_CAP_HIGHPASS;
	v->show_air = in->caps & PG_CAP_AIR;
	v->show_level = in->caps & PG_CAP_LEVEL;
	v->level_inst = streq(in->level, "inst");
	v->show_meter = in->caps & PG_CAP_METER;
	v->show_autogain = (in->caps & PG_CAP_AUTOGAIN) && v->gain_ok;
	v->autogain_running = streq(in->autogain_state, "listening");
}

/* ---- meter ---- */

static double sample_db(double dbfs)
{
	if (isnan(dbfs) || dbfs < PG_METER_FLOOR)
		return PG_METER_FLOOR;
	return dbfs > 0 ? 0 : dbfs;
}

void pg_meter_init(struct pg_meter *m)
{
	memset(m, 0, sizeof(*m));
	m->bar = m->hold = PG_METER_FLOOR;
}

void pg_meter_feed(struct pg_meter *m, double now, double peak_dbfs, uint32_t clip_count)
{
	double db = sample_db(peak_dbfs), dt, fall;

	if (!m->started) {
		/* clips counted before we looked are not this session's */
		m->started = true;
		m->count = clip_count;
		m->last = now;
		m->bar = m->hold = db;
		m->hold_since = now;
		return;
	}
	dt = now - m->last;
	if (dt < 0)
		dt = 0;
	m->last = now;
	fall = PG_FALL_DB_PER_S * dt;
	m->bar = db > m->bar - fall ? db : m->bar - fall;
	if (db >= m->hold) {
		m->hold = db;
		m->hold_since = now;
	} else if (now - m->hold_since > PG_HOLD_SECONDS) {
		m->hold -= fall;
		if (m->hold < m->bar)
			m->hold = m->bar;
	}
	if (clip_count > m->count)
		m->clip = true;
	m->count = clip_count;
}

void pg_meter_clipped(struct pg_meter *m, uint32_t clip_count)
{
	m->clip = true;
	if (clip_count > m->count)
		m->count = clip_count;
}

void pg_meter_clear(struct pg_meter *m)
{
	m->clip = false;
}

double pg_meter_fraction(double dbfs)
{
	double db = sample_db(dbfs);

	return (db - PG_METER_FLOOR) / -PG_METER_FLOOR;
}

enum pg_zone pg_meter_zone(double dbfs)
{
	if (isnan(dbfs) || dbfs < PG_METER_WINDOW_LOW)
		return PG_ZONE_LOW;
	return dbfs >= 0 ? PG_ZONE_OVER : PG_ZONE_WINDOW;
}

void pg_peak_text(char *out, size_t size, double dbfs)
{
	if (isnan(dbfs) || dbfs <= PG_METER_FLOOR)
		snprintf(out, size, "silence");
	else
		snprintf(out, size, "%.1f dBFS", dbfs > 0 ? 0.0 : dbfs);
}

/* ---- AutoGain ---- */

static const char *const results[] = {
	"done", "max-gain", "min-gain", "too-quiet", "cancelled", "failed",
};

static bool is_result(const char *word)
{
	for (size_t i = 0; word && i < ARRAY_SIZE(results); i++)
		if (strcmp(word, results[i]) == 0)
			return true;
	return false;
}

void pg_autogain_init(struct pg_autogain *a)
{
	memset(a, 0, sizeof(*a));
	a->trying = a->result_gain = a->result_peak = NAN;
	a->target = PG_AUTOGAIN_TARGET;
}

void pg_autogain_started(struct pg_autogain *a, double target, double gain)
{
	pg_autogain_init(a);
	a->running = true;
	a->pass = 1;
	a->trying = gain;
	a->target = isfinite(target) ? target : PG_AUTOGAIN_TARGET;
}

void pg_autogain_state(struct pg_autogain *a, const char *state, double gain)
{
	if (streq(state, "listening")) {
		if (!a->running) {
			/* started elsewhere (preampctl): the pass is unknown */
			double target = a->target;

			pg_autogain_init(a);
			a->target = target;
			a->running = true;
			a->trying = gain;
		}
		return;
	}
	if (a->running && is_result(state)) {
		a->running = false;
		snprintf(a->result, sizeof(a->result), "%s", state);
		a->result_gain = gain;
	} else if (!is_result(state)) {
		a->running = false;	/* idle, or a word we do not know */
	}
}

void pg_autogain_gain(struct pg_autogain *a, const char *state, double gain)
{
	if (!a->running || !streq(state, "listening") || !isfinite(gain))
		return;
	if (isfinite(a->trying) && fabs(gain - a->trying) < 1e-9)
		return;
	a->trying = gain;
	if (a->pass)
		a->pass++;
}

void pg_autogain_finished(struct pg_autogain *a, const char *result, double gain, double peak)
{
	a->running = false;
	snprintf(a->result, sizeof(a->result), "%s", is_result(result) ? result : "unknown");
	a->result_gain = gain;
	a->result_peak = peak;
}

void pg_autogain_text(const struct pg_autogain *a, double step, char *out, size_t size)
{
	char g[32], p[32], t[32], lo[32];

	out[0] = '\0';
	snprintf(t, sizeof(t), "%.1f", a->target);
	snprintf(lo, sizeof(lo), "%.1f", a->target - 1.5);
	if (a->running) {
		pg_gain_text(g, sizeof(g), a->trying, step);
		if (a->pass)
			snprintf(out, size, "Listening, pass %u, at %s: play the loudest part now.",
				 a->pass, g);
		else
			snprintf(out, size, "Listening at %s: play the loudest part now.", g);
		return;
	}
	if (!*a->result)
		return;
	pg_gain_text(g, sizeof(g), a->result_gain, step);
	pg_peak_text(p, sizeof(p), a->result_peak);
	if (streq(a->result, "done")) {
		snprintf(out, size, "Done: the gain is %s.", g);
		if (isfinite(a->result_peak))
			cat(out, size, " The loudest peak will be about %s (target %s to %s dBFS).",
			    p, lo, t);
	} else if (streq(a->result, "max-gain")) {
		snprintf(out, size, "Stopped at the highest gain, %s: the source is too quiet "
			 "to reach %s dBFS. Move the microphone closer or play louder, then try again.",
			 g, t);
	} else if (streq(a->result, "min-gain")) {
		snprintf(out, size, "Stopped at the lowest gain, %s: the input still clips. "
			 "Turn the source down or move the microphone away, then try again.", g);
	} else if (streq(a->result, "too-quiet")) {
		snprintf(out, size, "Nothing was heard above -80 dBFS: did anybody play? "
			 "The gain is %s.", g);
	} else if (streq(a->result, "cancelled")) {
		snprintf(out, size, "Cancelled; the gain is back to %s.", g);
	} else if (streq(a->result, "failed")) {
		snprintf(out, size, "Failed: the interface refused a change or went away.");
	} else {
		snprintf(out, size, "Ended with a result this version does not know; the gain is %s.",
			 g);
	}
}

/* ---- presets and policy ---- */

bool pg_preset_name_valid(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t len;

	if (!name)
		return false;
	len = strlen(name);
	if (len < 1 || len > 64)
		return false;
	while (*p) {
		uint32_t c;
		size_t n = utf8_next(p, &c);

		if (!n || c == '/' || c < 0x20 || (c >= 0x7f && c < 0xa0))
			return false;
		p += n;
	}
	return true;
}

const char *const pg_policy_words[3] = { "off", "restore", "device" };

int pg_policy_index(const char *word)
{
	for (int i = 0; i < 3; i++)
		if (streq(word, pg_policy_words[i]))
			return i;
	return -1;
}

const char *pg_policy_title(int index)
{
	static const char *const titles[] = {
		"Off at plug-in", "Restore as saved", "As the interface has it",
	};

	return index >= 0 && index < 3 ? titles[index] : "Unknown";
}

const char *pg_policy_description(int index)
{
	static const char *const texts[] = {
		"48 V is switched off whenever the interface is plugged in, whatever was "
		"saved. The safest choice with a ribbon microphone in the studio.",
		"48 V comes back as it was saved, with the rest of the settings.",
		"preampd leaves 48 V as the interface reports it at plug-in.",
	};

	return index >= 0 && index < 3 ? texts[index] : "";
}

/* ---- errors ---- */

#define NS "org.preampd.Preamp1.Error."
#define FD "org.freedesktop.DBus.Error."

static const struct { const char *name; enum pg_err_kind kind; } error_kinds[] = {
	{ FD "ServiceUnknown", PG_ERR_DAEMON }, { FD "NameHasNoOwner", PG_ERR_DAEMON },
	{ FD "NoServer", PG_ERR_DAEMON }, { FD "Disconnected", PG_ERR_DAEMON },
	{ FD "NoReply", PG_ERR_DAEMON }, { FD "Timeout", PG_ERR_DAEMON },
	{ FD "TimedOut", PG_ERR_DAEMON },
	{ FD "AccessDenied", PG_ERR_DENIED }, { FD "AuthFailed", PG_ERR_DENIED },
	{ FD "InteractiveAuthorizationRequired", PG_ERR_DENIED },
	{ "org.freedesktop.PolicyKit1.Error.NotAuthorized", PG_ERR_DENIED },
	{ "org.freedesktop.PolicyKit1.Error.Cancelled", PG_ERR_DENIED },
	{ NS "DeviceGone", PG_ERR_GONE }, { FD "UnknownObject", PG_ERR_GONE },
	{ FD "UnknownInterface", PG_ERR_GONE },
	{ NS "IOError", PG_ERR_DEVICE }, { FD "IOError", PG_ERR_DEVICE },
	{ NS "Locked", PG_ERR_LOCKED },
	{ NS "Busy", PG_ERR_BUSY }, { FD "LimitsExceeded", PG_ERR_BUSY },
	{ NS "OutOfRange", PG_ERR_INVALID }, { FD "InvalidArgs", PG_ERR_INVALID },
	{ NS "NotSupported", PG_ERR_UNSUPPORTED }, { FD "UnknownMethod", PG_ERR_UNSUPPORTED },
	{ FD "UnknownProperty", PG_ERR_UNSUPPORTED }, { FD "NotSupported", PG_ERR_UNSUPPORTED },
	{ NS "NoSuchDevice", PG_ERR_NOTFOUND }, { NS "NoSuchPreset", PG_ERR_NOTFOUND },
};

enum pg_err_kind pg_error_kind(const char *name)
{
	if (!name)
		return PG_ERR_OTHER;
	if (strncmp(name, FD "Spawn.", strlen(FD "Spawn.")) == 0)
		return PG_ERR_DAEMON;
	for (size_t i = 0; i < ARRAY_SIZE(error_kinds); i++)
		if (strcmp(name, error_kinds[i].name) == 0)
			return error_kinds[i].kind;
	return PG_ERR_OTHER;
}

const char pg_daemon_help[] =
	"preampd, the service that drives the interfaces, is not on the system bus. "
	"It starts by itself when an interface is plugged in; to start it by hand: "
	"sudo systemctl start preampd";

enum pg_err_kind pg_error_text(char *out, size_t size, const char *what,
			       const char *dbus_name, const char *message)
{
	enum pg_err_kind kind = pg_error_kind(dbus_name);
	char said[256], doing[160];

	pg_clean_text(said, sizeof(said), message, 200);
	pg_clean_text(doing, sizeof(doing), empty(what) ? "That" : what, 120);

	switch (kind) {
	case PG_ERR_DAEMON:
		if (streq(dbus_name, FD "NoReply") || streq(dbus_name, FD "Timeout") ||
		    streq(dbus_name, FD "TimedOut"))
			snprintf(out, size, "%s failed: preampd did not answer in time. "
				 "Check it with: systemctl status preampd", doing);
		else
			snprintf(out, size, "%s failed: preampd is not running. %s", doing,
				 "Start it with: sudo systemctl start preampd");
		break;
	case PG_ERR_DENIED:
		snprintf(out, size, "%s was not allowed%s%s%s. Changing preamp settings needs "
			 "authorization from polkit, which gives it to the person at the machine; "
			 "from elsewhere an administrator must allow it.", doing,
			 *said ? " (" : "", said, *said ? ")" : "");
		break;
	case PG_ERR_GONE:
		snprintf(out, size, "%s failed: the interface went away (unplugged?). "
			 "Plug it back in: its settings come back with it.", doing);
		break;
	case PG_ERR_DEVICE:
		snprintf(out, size, "%s failed: the interface refused the request%s%s.", doing,
			 *said ? ": " : "", said);
		break;
	case PG_ERR_LOCKED:
		snprintf(out, size, "%s failed: 48 V is locked off on this input or one sharing "
			 "its switch, to protect a ribbon microphone. Remove the lock first.", doing);
		break;
	case PG_ERR_BUSY:
		snprintf(out, size, "%s failed: busy%s%s.", doing, *said ? ": " : "", said);
		break;
	case PG_ERR_INVALID:
		snprintf(out, size, "%s failed: %s", doing, *said ? said : "an invalid value.");
		break;
	case PG_ERR_UNSUPPORTED:
		snprintf(out, size, "%s failed: not supported here%s%s.", doing,
			 *said ? ": " : "", said);
		break;
	case PG_ERR_NOTFOUND:
		snprintf(out, size, "%s failed: %s", doing,
			 *said ? said : "no such device or preset.");
		break;
	default:
		snprintf(out, size, "%s failed%s%s.", doing, *said ? ": " : "", said);
		break;
	}
	return kind;
}

uint32_t pg_input_number_from_path(const char *device_path, const char *path)
{
	size_t l = device_path ? strlen(device_path) : 0;
	unsigned long n = 0;
	const char *p;

	if (!l || !path || strncmp(path, device_path, l) != 0 ||
	    strncmp(path + l, "/inputs/", 8) != 0)
		return 0;
	p = path + l + 8;
	if (*p < '1' || *p > '9')
		return 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || n > 99999)
			return 0;
		n = n * 10 + (unsigned long)(*p - '0');
	}
	return (uint32_t)n;
}
