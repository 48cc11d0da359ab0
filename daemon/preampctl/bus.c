// SPDX-License-Identifier: MIT
/* sd-bus calls and the reading of the daemon's objects. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"

#define READ_TIMEOUT_USEC	(10ULL * 1000000ULL)
#define CHANGE_TIMEOUT_USEC	(30ULL * 1000000ULL)
/* polkit may ask a person for a password: give them time */
#define PROMPT_TIMEOUT_USEC	(300ULL * 1000000ULL)

struct pctl_bus {
	sd_bus *bus;
	bool interactive;
};

int pctl_bus_open(struct pctl_bus **out, bool interactive, struct pctl_error *err)
{
	struct pctl_bus *b = calloc(1, sizeof(*b));
	int r;

	if (!b) {
		pctl_error_set(err, PCTL_EXIT_FAILED, "out of memory");
		return -ENOMEM;
	}
	r = sd_bus_open_system(&b->bus);
	if (r < 0) {
		pctl_error_from_dbus(err, NULL, NULL, NULL, r);
		free(b);
		return r;
	}
	b->interactive = interactive;
	sd_bus_set_allow_interactive_authorization(b->bus, interactive);
	*out = b;
	return 0;
}

void pctl_bus_free(struct pctl_bus *b)
{
	if (!b)
		return;
	sd_bus_flush_close_unref(b->bus);
	free(b);
}

sd_bus *pctl_bus_sd(struct pctl_bus *b)
{
	return b->bus;
}

bool pctl_bus_interactive(const struct pctl_bus *b)
{
	return b->interactive;
}

void pctl_bus_error(struct pctl_error *err, const char *what,
		    const sd_bus_error *e, int r)
{
	if (e && sd_bus_error_is_set(e))
		pctl_error_from_dbus(err, what, e->name, e->message, r);
	else
		pctl_error_from_dbus(err, what, NULL, NULL, r < 0 ? r : -EIO);
}

int pctl_bus_call(struct pctl_bus *b, const char *path, const char *iface,
		  const char *member, bool change, sd_bus_message **reply,
		  struct pctl_error *err, const char *what, const char *types, ...)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *m = NULL, *rep = NULL;
	uint64_t timeout = !change ? READ_TIMEOUT_USEC :
			   b->interactive ? PROMPT_TIMEOUT_USEC : CHANGE_TIMEOUT_USEC;
	va_list ap;
	int r;

	r = sd_bus_message_new_method_call(b->bus, &m, PCTL_BUS_NAME, path, iface, member);
	if (r >= 0 && types && *types) {
		va_start(ap, types);
		r = sd_bus_message_appendv(m, types, ap);
		va_end(ap);
	}
	if (r >= 0 && change)
		r = sd_bus_message_set_allow_interactive_authorization(m, b->interactive);
	if (r < 0) {
		pctl_error_from_dbus(err, what, NULL, NULL, r);
		sd_bus_message_unref(m);
		return r;
	}
	r = sd_bus_call(b->bus, m, timeout, &e, &rep);
	sd_bus_message_unref(m);
	if (r < 0) {
		pctl_bus_error(err, what, &e, r);
		sd_bus_error_free(&e);
		return r;
	}
	if (reply)
		*reply = rep;
	else
		sd_bus_message_unref(rep);
	return 0;
}

/* ---- properties ---- */

static const char *prop_signature(enum pctl_prop_type t)
{
	switch (t) {
	case PCTL_PROP_STR:	return "s";
	case PCTL_PROP_BOOL:	return "b";
	case PCTL_PROP_DOUBLE:	return "d";
	case PCTL_PROP_U32:	return "u";
	case PCTL_PROP_I32:	return "i";
	case PCTL_PROP_STRV:	return "as";
	case PCTL_PROP_PATHV:	return "ao";
	}
	return "";
}

static void strv_free(char **l)
{
	for (size_t i = 0; l && l[i]; i++)
		free(l[i]);
	free(l);
}

static size_t strv_len(char *const *l)
{
	size_t n = 0;

	while (l && l[n])
		n++;
	return n;
}

static int read_one(sd_bus_message *m, const struct pctl_prop *p, void *base)
{
	char *field = (char *)base + p->offset;
	int r, i;

	switch (p->type) {
	case PCTL_PROP_STR: {
		const char *s;
		char *copy;

		r = sd_bus_message_read_basic(m, 's', &s);
		if (r < 0)
			return r;
		copy = strdup(s);
		if (!copy)
			return -ENOMEM;
		free(*(char **)field);
		*(char **)field = copy;
		return 0;
	}
	case PCTL_PROP_BOOL:
		r = sd_bus_message_read_basic(m, 'b', &i);
		if (r >= 0)
			*(bool *)field = i != 0;
		return r;
	case PCTL_PROP_DOUBLE:
		return sd_bus_message_read_basic(m, 'd', (double *)field);
	case PCTL_PROP_U32:
		return sd_bus_message_read_basic(m, 'u', (uint32_t *)field);
	case PCTL_PROP_I32:
		return sd_bus_message_read_basic(m, 'i', (int32_t *)field);
	case PCTL_PROP_STRV:
	case PCTL_PROP_PATHV: {
		char **l = NULL;

		r = sd_bus_message_read_strv(m, &l);
		if (r < 0)
			return r;
		strv_free(*(char ***)field);
		*(char ***)field = l;
		return 0;
	}
	}
	return -EINVAL;
}

int pctl_bus_read_props(sd_bus_message *m, const struct pctl_prop *props,
			size_t n, void *base)
{
	int r;

	r = sd_bus_message_enter_container(m, 'a', "{sv}");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		const struct pctl_prop *p = NULL;
		const char *name, *contents;
		char type;

		r = sd_bus_message_read_basic(m, 's', &name);
		if (r < 0)
			return r;
		for (size_t i = 0; i < n; i++)
			if (strcmp(props[i].name, name) == 0)
				p = &props[i];
		r = sd_bus_message_peek_type(m, &type, &contents);
		if (r < 0)
			return r;
		if (p && type == 'v' && strcmp(contents, prop_signature(p->type)) == 0) {
			r = sd_bus_message_enter_container(m, 'v', contents);
			if (r < 0)
				return r;
			r = read_one(m, p, base);
			if (r < 0)
				return r;
			r = sd_bus_message_exit_container(m);
		} else {
			r = sd_bus_message_skip(m, "v");
		}
		if (r < 0)
			return r;
		r = sd_bus_message_exit_container(m);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

struct device_raw {
	struct pctl_device dev;
	char **inputs;
};

#define DEV(f) offsetof(struct device_raw, dev.f)
static const struct pctl_prop device_props[] = {
	{ "Key",		PCTL_PROP_STR,	DEV(key) },
	{ "Name",		PCTL_PROP_STR,	DEV(name) },
	{ "UsbId",		PCTL_PROP_STR,	DEV(usb_id) },
	{ "Serial",		PCTL_PROP_STR,	DEV(serial) },
	{ "Card",		PCTL_PROP_I32,	DEV(card) },
	{ "CardId",		PCTL_PROP_STR,	DEV(card_id) },
	{ "Driver",		PCTL_PROP_STR,	DEV(driver) },
	{ "Persistent",		PCTL_PROP_BOOL,	DEV(persistent) },
	{ "PhantomPolicy",	PCTL_PROP_STR,	DEV(phantom_policy) },
	{ "Presets",		PCTL_PROP_STRV,	DEV(presets) },
	{ "Inputs",		PCTL_PROP_PATHV, offsetof(struct device_raw, inputs) },
};
#undef DEV

#define IN(f) offsetof(struct pctl_input_raw, in.f)
const struct pctl_prop pctl_input_props[] = {
	{ "Number",		PCTL_PROP_U32,	IN(number) },
	{ "Label",		PCTL_PROP_STR,	IN(label) },
	{ "Capabilities",	PCTL_PROP_STRV,	offsetof(struct pctl_input_raw, caps) },
	{ "Gain",		PCTL_PROP_DOUBLE, IN(gain) },
	{ "GainMin",		PCTL_PROP_DOUBLE, IN(gain_min) },
	{ "GainMax",		PCTL_PROP_DOUBLE, IN(gain_max) },
	{ "GainStep",		PCTL_PROP_DOUBLE, IN(gain_step) },
	{ "Phantom",		PCTL_PROP_BOOL,	IN(phantom) },
	{ "PhantomGroup",	PCTL_PROP_PATHV, offsetof(struct pctl_input_raw, group) },
	{ "PhantomLocked",	PCTL_PROP_BOOL,	IN(phantom_locked) },
	{ "Pad",		PCTL_PROP_BOOL,	IN(pad) },
	{ "Phase",		PCTL_PROP_BOOL,	IN(phase) },
	{ "HighPass",		PCTL_PROP_BOOL,	IN(highpass) },
	{ "Air",		PCTL_PROP_BOOL,	IN(air) },
	{ "Level",		PCTL_PROP_STR,	IN(level) },
	{ "AutoGainState",	PCTL_PROP_STR,	IN(autogain_state) },
};
const size_t pctl_n_input_props = sizeof(pctl_input_props) / sizeof(pctl_input_props[0]);
#undef IN

void pctl_input_raw_clear(struct pctl_input_raw *r)
{
	pctl_input_clear(&r->in);
	strv_free(r->caps);
	strv_free(r->group);
	r->caps = r->group = NULL;
}

static int ensure(char **s)
{
	if (!*s)
		*s = strdup("");
	return *s ? 0 : -ENOMEM;
}

struct objects {
	struct device_raw *devs;
	size_t n_devs;
	struct pctl_input_raw *ins;
	size_t n_ins;
};

static void objects_clear(struct objects *o)
{
	for (size_t i = 0; i < o->n_devs; i++) {
		pctl_device_clear(&o->devs[i].dev);
		strv_free(o->devs[i].inputs);
	}
	for (size_t i = 0; i < o->n_ins; i++)
		pctl_input_raw_clear(&o->ins[i]);
	free(o->devs);
	free(o->ins);
	memset(o, 0, sizeof(*o));
}

/* one object path's interfaces, a{sa{sv}} */
static int read_object(sd_bus_message *m, const char *path, struct objects *o)
{
	int r;

	r = sd_bus_message_enter_container(m, 'a', "{sa{sv}}");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sa{sv}")) > 0) {
		const char *iface;

		r = sd_bus_message_read_basic(m, 's', &iface);
		if (r < 0)
			return r;
		if (strcmp(iface, PCTL_IFACE_DEVICE) == 0 && o->n_devs < PCTL_MAX_DEVICES * 4) {
			struct device_raw *d, *p = realloc(o->devs, (o->n_devs + 1) * sizeof(*p));

			if (!p)
				return -ENOMEM;
			o->devs = p;
			d = &o->devs[o->n_devs++];
			memset(d, 0, sizeof(*d));
			d->dev.path = strdup(path);
			if (!d->dev.path)
				return -ENOMEM;
			r = pctl_bus_read_props(m, device_props,
						sizeof(device_props) / sizeof(device_props[0]), d);
		} else if (strcmp(iface, PCTL_IFACE_INPUT) == 0 &&
			   o->n_ins < PCTL_MAX_DEVICES * PCTL_MAX_INPUTS) {
			struct pctl_input_raw *in, *p = realloc(o->ins, (o->n_ins + 1) * sizeof(*p));

			if (!p)
				return -ENOMEM;
			o->ins = p;
			in = &o->ins[o->n_ins++];
			memset(in, 0, sizeof(*in));
			in->in.gain = in->in.gain_min = in->in.gain_max = in->in.gain_step = NAN;
			in->in.path = strdup(path);
			if (!in->in.path)
				return -ENOMEM;
			r = pctl_bus_read_props(m, pctl_input_props, pctl_n_input_props, in);
		} else {
			r = sd_bus_message_skip(m, "a{sv}");
		}
		if (r < 0)
			return r;
		r = sd_bus_message_exit_container(m);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

static int read_managed_objects(sd_bus_message *m, struct objects *o)
{
	int r;

	r = sd_bus_message_enter_container(m, 'a', "{oa{sa{sv}}}");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "oa{sa{sv}}")) > 0) {
		const char *path;

		r = sd_bus_message_read_basic(m, 'o', &path);
		if (r < 0)
			return r;
		r = read_object(m, path, o);
		if (r < 0)
			return r;
		r = sd_bus_message_exit_container(m);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

static struct pctl_input_raw *find_input(struct objects *o, const char *path)
{
	for (size_t i = 0; i < o->n_ins; i++)
		if (o->ins[i].in.path && strcmp(o->ins[i].in.path, path) == 0)
			return &o->ins[i];
	return NULL;
}

static struct device_raw *find_device(struct objects *o, const char *path)
{
	for (size_t i = 0; i < o->n_devs; i++)
		if (o->devs[i].dev.path && strcmp(o->devs[i].dev.path, path) == 0)
			return &o->devs[i];
	return NULL;
}

/* Finishes an input read from D-Bus: capability bits, defaults. */
static int finish_input(struct pctl_input_raw *r)
{
	r->in.caps = 0;
	for (size_t i = 0; r->caps && r->caps[i]; i++)
		r->in.caps |= pctl_cap_from_word(r->caps[i]);
	if (ensure(&r->in.label) < 0 || ensure(&r->in.level) < 0 ||
	    ensure(&r->in.autogain_state) < 0)
		return -ENOMEM;
	return 0;
}

/* Moves a device and its inputs from o into dst. */
static int assemble_device(struct objects *o, struct device_raw *raw, unsigned index,
			   struct pctl_device *dst)
{
	size_t n = strv_len(raw->inputs);
	struct pctl_device *d = dst;

	*d = raw->dev;
	memset(&raw->dev, 0, sizeof(raw->dev));
	d->index = index;
	d->n_presets = strv_len(d->presets);
	if (ensure(&d->key) < 0 || ensure(&d->name) < 0 || ensure(&d->usb_id) < 0 ||
	    ensure(&d->serial) < 0 || ensure(&d->card_id) < 0 || ensure(&d->driver) < 0 ||
	    ensure(&d->phantom_policy) < 0)
		return -ENOMEM;
	if (n > PCTL_MAX_INPUTS)
		n = PCTL_MAX_INPUTS;
	d->inputs = calloc(n ? n : 1, sizeof(*d->inputs));
	if (!d->inputs)
		return -ENOMEM;

	for (size_t i = 0; i < n; i++) {
		struct pctl_input_raw *r = find_input(o, raw->inputs[i]);

		if (!r || pctl_device_input_by_path(d, raw->inputs[i]))
			continue;	/* listed but not served, or listed twice */
		if (finish_input(r) < 0)
			return -ENOMEM;
		d->inputs[d->n_inputs] = r->in;
		d->inputs[d->n_inputs].position = i;
		memset(&r->in, 0, sizeof(r->in));
		/* keep the group paths on the raw input to resolve below */
		r->in.path = strdup(d->inputs[d->n_inputs].path);
		if (!r->in.path)
			return -ENOMEM;
		d->n_inputs++;
	}
	/* 48 V groups: paths to numbers, within this device only */
	for (size_t i = 0; i < d->n_inputs; i++) {
		struct pctl_input *in = &d->inputs[i];
		struct pctl_input_raw *r = find_input(o, in->path);
		size_t g = r ? strv_len(r->group) : 0;

		if (g == 0)
			continue;
		in->phantom_group = calloc(g, sizeof(*in->phantom_group));
		if (!in->phantom_group)
			return -ENOMEM;
		for (size_t k = 0; k < g; k++) {
			struct pctl_input *peer = pctl_device_input_by_path(d, r->group[k]);

			if (peer)
				in->phantom_group[in->n_phantom_group++] = peer->number;
		}
	}
	return 0;
}

struct manager_raw {
	char *version;
	char **devices;
};

static const struct pctl_prop manager_props[] = {
	{ "Version", PCTL_PROP_STR, offsetof(struct manager_raw, version) },
	{ "Devices", PCTL_PROP_PATHV, offsetof(struct manager_raw, devices) },
};

int pctl_bus_load(struct pctl_bus *b, struct pctl_state *st, struct pctl_error *err)
{
	static const char *const what = "reading the devices";
	sd_bus_message *reply = NULL;
	struct objects o = { 0 };
	char **devices = NULL;
	struct manager_raw mgr = { NULL, NULL };
	size_t n;
	int r;

	memset(st, 0, sizeof(*st));
	r = pctl_bus_call(b, PCTL_ROOT_PATH, "org.freedesktop.DBus.Properties", "GetAll",
			  false, &reply, err, NULL, "s", PCTL_IFACE_MANAGER);
	if (r < 0) {
		if (err->code == PCTL_EXIT_GONE || err->code == PCTL_EXIT_UNSUPPORTED)
			pctl_error_set(err, PCTL_EXIT_DAEMON,
				       "the program that owns %s on the system bus does not serve "
				       "preampd's interface (%s)", PCTL_BUS_NAME, PCTL_IFACE_MANAGER);
		return r;
	}
	r = pctl_bus_read_props(reply, manager_props,
				sizeof(manager_props) / sizeof(manager_props[0]), &mgr);
	reply = sd_bus_message_unref(reply);
	devices = mgr.devices;
	st->version = mgr.version ? mgr.version : strdup("");
	if (r < 0)
		goto bad_reply;
	if (!st->version) {
		r = -ENOMEM;
		goto bad_reply;
	}

	r = pctl_bus_call(b, PCTL_ROOT_PATH, "org.freedesktop.DBus.ObjectManager",
			  "GetManagedObjects", false, &reply, err, what, NULL);
	if (r < 0)
		goto out;
	r = read_managed_objects(reply, &o);
	reply = sd_bus_message_unref(reply);
	if (r < 0)
		goto bad_reply;

	n = strv_len(devices);
	if (n > PCTL_MAX_DEVICES)
		n = PCTL_MAX_DEVICES;
	st->devices = calloc(n ? n : 1, sizeof(*st->devices));
	if (!st->devices) {
		r = -ENOMEM;
		goto bad_reply;
	}
	for (size_t i = 0; i < n; i++) {
		struct device_raw *raw = find_device(&o, devices[i]);

		/* a device in Devices but without its object has just gone */
		if (!raw || !raw->dev.path)
			continue;
		r = assemble_device(&o, raw, (unsigned)(i + 1), &st->devices[st->n_devices]);
		st->n_devices++;
		if (r < 0)
			goto bad_reply;
	}
	r = 0;
	goto out;

bad_reply:
	if (r == -ENOMEM)
		pctl_error_set(err, PCTL_EXIT_FAILED, "out of memory");
	else
		pctl_error_set(err, PCTL_EXIT_FAILED,
			       "preampd sent a reply preampctl cannot read (%s)", strerror(-r));
	pctl_state_clear(st);
out:
	if (r < 0)
		pctl_state_clear(st);
	strv_free(devices);
	objects_clear(&o);
	return r;
}

int pctl_bus_read_levels(sd_bus_message *m, struct pctl_level *out, size_t max, size_t *n)
{
	int r;

	*n = 0;
	r = sd_bus_message_enter_container(m, 'a', "(du)");
	if (r < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'r', "du")) > 0) {
		double peak;
		uint32_t clips;

		r = sd_bus_message_read(m, "du", &peak, &clips);
		if (r < 0)
			return r;
		r = sd_bus_message_exit_container(m);
		if (r < 0)
			return r;
		if (*n < max) {
			out[*n].peak = peak;
			out[*n].clips = clips;
			(*n)++;
		}
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}
