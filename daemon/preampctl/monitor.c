// SPDX-License-Identifier: MIT
/* Watching the daemon's signals. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-event.h>

#include "change.h"
#include "format.h"
#include "monitor.h"

struct monitor {
	struct pctl_bus *bus;
	sd_bus *sd;
	sd_event *ev;
	struct pctl_state st;
	bool json;
	unsigned long count, events;
	struct pctl_buf out;
	struct pctl_error *err;
	int code;
};

static void stop(struct monitor *m, int code)
{
	m->code = code;
	sd_event_exit(m->ev, code);
}

static void reload(struct monitor *m)
{
	struct pctl_error e;

	pctl_state_clear(&m->st);
	if (pctl_bus_load(m->bus, &m->st, &e) < 0)
		memset(&m->st, 0, sizeof(m->st));	/* names unknown for now */
}

/* Starts an event line: time, and for JSON the opening of the object. */
static void begin(struct monitor *m, const char *event)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	pctl_buf_reset(&m->out);
	if (m->json) {
		pctl_buf_printf(&m->out, "{\"time\":%lld.%03ld,\"event\":",
				(long long)ts.tv_sec, ts.tv_nsec / 1000000);
		pctl_json_string(&m->out, event);
		return;
	}
	localtime_r(&ts.tv_sec, &tm);
	pctl_buf_printf(&m->out, "%02d:%02d:%02d.%03ld  ", tm.tm_hour, tm.tm_min, tm.tm_sec,
			ts.tv_nsec / 1000000);
}

static void emit(struct monitor *m)
{
	const char *s;
	size_t n;

	pctl_buf_puts(&m->out, m->json ? "}\n" : "\n");
	if (m->out.failed) {
		pctl_error_set(m->err, PCTL_EXIT_FAILED, "out of memory");
		stop(m, PCTL_EXIT_FAILED);
		return;
	}
	s = pctl_buf_str(&m->out);
	n = m->out.len;
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			stop(m, PCTL_EXIT_OK);	/* the reader went away */
			return;
		}
		s += w;
		n -= (size_t)w;
	}
	if (m->count && ++m->events >= m->count)
		stop(m, PCTL_EXIT_OK);
}

/* Who an object path is: "1 Quad Mic Pre, input 2 (Mic 2)" or JSON fields. */
static void who(struct monitor *m, const char *path)
{
	const struct pctl_device *d = NULL;
	const struct pctl_input *in = NULL;

	for (size_t i = 0; i < m->st.n_devices && !d; i++) {
		const struct pctl_device *c = &m->st.devices[i];

		if (strcmp(c->path, path) == 0)
			d = c;
		else if ((in = pctl_device_input_by_path(c, path)))
			d = c;
	}
	if (m->json) {
		pctl_buf_puts(&m->out, ",\"path\":");
		pctl_json_string(&m->out, path);
		pctl_buf_puts(&m->out, ",\"device\":");
		if (d)
			pctl_json_string(&m->out, d->key);
		else
			pctl_buf_puts(&m->out, "null");
		pctl_buf_puts(&m->out, ",\"input\":");
		if (in)
			pctl_buf_printf(&m->out, "%u", in->number);
		else
			pctl_buf_puts(&m->out, "null");
		return;
	}
	if (strcmp(path, PCTL_ROOT_PATH) == 0) {
		pctl_buf_puts(&m->out, "preampd");
	} else if (d) {
		pctl_buf_printf(&m->out, "%u ", d->index);
		pctl_term_text(&m->out, d->name, 40);
		if (in) {
			pctl_buf_printf(&m->out, ", input %u (", in->number);
			pctl_term_text(&m->out, in->label, 30);
			pctl_buf_putc(&m->out, ')');
		}
	} else {
		pctl_term_text(&m->out, path, 200);
	}
}

/* Reads the variant m sits at into v (a list is allocated: value_free). */
static int read_value(sd_bus_message *msg, struct pctl_value *v)
{
	const char *contents;
	char type;
	int r;

	memset(v, 0, sizeof(*v));
	r = sd_bus_message_peek_type(msg, &type, &contents);
	if (r <= 0)
		return r < 0 ? r : -EBADMSG;
	r = sd_bus_message_enter_container(msg, 'v', contents);
	if (r < 0)
		return r;
	if (strlen(contents) == 1 && strchr("sogbdyniuqxt", contents[0])) {
		union {
			const char *s;
			int b;
			double d;
			uint8_t y;
			int16_t n;
			uint16_t q;
			int32_t i;
			uint32_t u;
			int64_t x;
			uint64_t t;
		} u;

		r = sd_bus_message_read_basic(msg, contents[0], &u);
		if (r < 0)
			return r;
		v->type = 'i';
		switch (contents[0]) {
		case 's': case 'o': case 'g': v->type = 's'; v->s = u.s; break;
		case 'b': v->type = 'b'; v->b = u.b; break;
		case 'd': v->type = 'd'; v->d = u.d; break;
		case 'y': v->i = u.y; break;
		case 'n': v->i = u.n; break;
		case 'q': v->i = u.q; break;
		case 'i': v->i = u.i; break;
		case 'u': v->i = u.u; break;
		case 'x': v->i = u.x; break;
		case 't': v->i = u.t > INT64_MAX ? INT64_MAX : (long long)u.t; break;
		}
	} else if (strcmp(contents, "as") == 0 || strcmp(contents, "ao") == 0) {
		r = sd_bus_message_read_strv(msg, &v->list);
		if (r < 0)
			return r;
		v->type = 'a';
	} else {
		r = sd_bus_message_skip(msg, contents);
		if (r < 0)
			return r;
	}
	return sd_bus_message_exit_container(msg);
}

static void value_free(struct pctl_value *v)
{
	for (size_t i = 0; v->list && v->list[i]; i++)
		free(v->list[i]);
	free(v->list);
	v->list = NULL;
}

static void json_value(struct pctl_buf *b, const struct pctl_value *v)
{
	switch (v->type) {
	case 's':
		pctl_json_string(b, v->s);
		break;
	case 'b':
		pctl_json_bool(b, v->b);
		break;
	case 'd':
		pctl_json_number(b, v->d);
		break;
	case 'i':
		pctl_buf_printf(b, "%lld", v->i);
		break;
	case 'a':
		pctl_buf_putc(b, '[');
		for (size_t i = 0; v->list && v->list[i]; i++) {
			if (i)
				pctl_buf_putc(b, ',');
			pctl_json_string(b, v->list[i]);
		}
		pctl_buf_putc(b, ']');
		break;
	default:
		pctl_buf_puts(b, "null");
		break;
	}
}

static int on_props(sd_bus_message *msg, void *userdata, sd_bus_error *ret_error)
{
	struct monitor *m = userdata;
	const char *iface, *path = sd_bus_message_get_path(msg);
	bool reload_after = false;
	int r;

	(void)ret_error;
	if (!path || sd_bus_message_read_basic(msg, 's', &iface) <= 0)
		return 0;
	r = sd_bus_message_enter_container(msg, 'a', "{sv}");
	if (r < 0)
		return 0;
	while ((r = sd_bus_message_enter_container(msg, 'e', "sv")) > 0) {
		struct pctl_value v;
		const char *prop;
		bool shown;

		if (sd_bus_message_read_basic(msg, 's', &prop) <= 0)
			return 0;
		if (read_value(msg, &v) < 0) {
			value_free(&v);
			return 0;	/* a malformed message: drop the rest */
		}
		if (sd_bus_message_exit_container(msg) < 0) {
			value_free(&v);
			return 0;
		}
		begin(m, "changed");
		who(m, path);
		if (m->json) {
			pctl_buf_puts(&m->out, ",\"interface\":");
			pctl_json_string(&m->out, iface);
			pctl_buf_puts(&m->out, ",\"property\":");
			pctl_json_string(&m->out, prop);
			pctl_buf_puts(&m->out, ",\"value\":");
			json_value(&m->out, &v);
			shown = true;
		} else {
			pctl_buf_puts(&m->out, ": ");
			shown = pctl_fmt_change(&m->out, prop, &v);
		}
		value_free(&v);
		if (shown)
			emit(m);
		/* names and labels feed the other lines */
		if (strcmp(prop, "Label") == 0 || strcmp(prop, "Name") == 0 ||
		    strcmp(prop, "Devices") == 0 || strcmp(prop, "Inputs") == 0)
			reload_after = true;
	}
	if (reload_after)
		reload(m);
	return 0;
}

static int on_added(sd_bus_message *msg, void *userdata, sd_bus_error *ret_error)
{
	struct monitor *m = userdata;
	const char *path;
	bool device = false;
	int r;

	(void)ret_error;
	if (sd_bus_message_read_basic(msg, 'o', &path) <= 0)
		return 0;
	r = sd_bus_message_enter_container(msg, 'a', "{sa{sv}}");
	while (r >= 0 && (r = sd_bus_message_enter_container(msg, 'e', "sa{sv}")) > 0) {
		const char *iface;

		if (sd_bus_message_read_basic(msg, 's', &iface) <= 0)
			return 0;
		if (strcmp(iface, PCTL_IFACE_DEVICE) == 0)
			device = true;
		if (sd_bus_message_skip(msg, "a{sv}") < 0 || sd_bus_message_exit_container(msg) < 0)
			return 0;
	}
	if (!device)
		return 0;	/* inputs come along with their device */
	reload(m);
	begin(m, "device-added");
	who(m, path);
	if (!m->json)
		pctl_buf_puts(&m->out, ": plugged in");
	else {
		const struct pctl_device *d = pctl_state_device_by_path(&m->st, path);

		pctl_buf_puts(&m->out, ",\"name\":");
		pctl_json_string(&m->out, d ? d->name : "");
	}
	emit(m);
	return 0;
}

static int on_removed(sd_bus_message *msg, void *userdata, sd_bus_error *ret_error)
{
	struct monitor *m = userdata;
	const char *path;
	char **ifaces = NULL;
	bool device = false;

	(void)ret_error;
	if (sd_bus_message_read_basic(msg, 'o', &path) <= 0 ||
	    sd_bus_message_read_strv(msg, &ifaces) < 0)
		return 0;
	for (size_t i = 0; ifaces && ifaces[i]; i++) {
		if (strcmp(ifaces[i], PCTL_IFACE_DEVICE) == 0)
			device = true;
		free(ifaces[i]);
	}
	free(ifaces);
	if (!device)
		return 0;
	begin(m, "device-removed");
	who(m, path);
	if (!m->json)
		pctl_buf_puts(&m->out, ": unplugged");
	emit(m);
	reload(m);
	return 0;
}

static int on_input_signal(sd_bus_message *msg, void *userdata, sd_bus_error *ret_error)
{
	struct monitor *m = userdata;
	const char *path = sd_bus_message_get_path(msg);
	const char *member = sd_bus_message_get_member(msg);

	(void)ret_error;
	if (!path || !member)
		return 0;
	if (strcmp(member, "Clipped") == 0) {
		uint32_t count;

		if (sd_bus_message_read(msg, "u", &count) < 0)
			return 0;
		begin(m, "clipped");
		who(m, path);
		if (m->json)
			pctl_buf_printf(&m->out, ",\"clip_count\":%u", count);
		else
			pctl_buf_printf(&m->out, ": CLIPPED (clip count %u)", count);
		emit(m);
	} else if (strcmp(member, "AutoGainFinished") == 0) {
		const char *result;
		double gain, peak;
		char g[48], p[48];

		if (sd_bus_message_read(msg, "sdd", &result, &gain, &peak) < 0)
			return 0;
		begin(m, "autogain-finished");
		who(m, path);
		if (m->json) {
			pctl_buf_puts(&m->out, ",\"result\":");
			pctl_json_string(&m->out, result);
			pctl_buf_puts(&m->out, ",\"gain\":");
			pctl_json_number(&m->out, gain);
			pctl_buf_puts(&m->out, ",\"peak\":");
			pctl_json_number(&m->out, peak);
		} else {
			pctl_fmt_db(g, sizeof(g), gain);
			pctl_fmt_num(p, sizeof(p), peak);
			pctl_buf_puts(&m->out, ": autogain finished: ");
			pctl_term_text(&m->out, result, 20);
			pctl_buf_printf(&m->out, ", gain %s, peak %s dBFS", g, p);
		}
		emit(m);
	}
	return 0;
}

static int on_owner(sd_bus_message *msg, void *userdata, sd_bus_error *ret_error)
{
	struct monitor *m = userdata;
	const char *name, *old, *new;

	(void)ret_error;
	if (sd_bus_message_read(msg, "sss", &name, &old, &new) < 0 ||
	    strcmp(name, PCTL_BUS_NAME) != 0)
		return 0;
	if (*new)
		reload(m);
	else
		pctl_state_clear(&m->st);
	begin(m, *new ? "daemon-started" : "daemon-stopped");
	if (!m->json)
		pctl_buf_puts(&m->out, *new ? "preampd started" : "preampd stopped");
	emit(m);
	return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	(void)s;
	(void)si;
	stop(userdata, PCTL_EXIT_OK);
	return 0;
}

int pctl_monitor_run(struct pctl_bus *b, bool json, unsigned long count,
		     struct pctl_error *err)
{
	static const char *const match_props =
		"type='signal',sender='" PCTL_BUS_NAME "',"
		"interface='org.freedesktop.DBus.Properties',member='PropertiesChanged',"
		"path_namespace='" PCTL_ROOT_PATH "'";
	static const char *const match_input =
		"type='signal',sender='" PCTL_BUS_NAME "',"
		"interface='" PCTL_IFACE_INPUT "',path_namespace='" PCTL_ROOT_PATH "'";
	static const char *const match_owner =
		"type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
		"interface='org.freedesktop.DBus',member='NameOwnerChanged',"
		"arg0='" PCTL_BUS_NAME "'";
	sd_bus_slot *slots[5] = { NULL };
	struct monitor m;
	sigset_t mask, old;
	int r;

	memset(&m, 0, sizeof(m));
	m.bus = b;
	m.sd = pctl_bus_sd(b);
	m.json = json;
	m.count = count;
	m.err = err;
	pctl_buf_init(&m.out);

	/* subscribe first, then read: nothing falls between */
	r = sd_bus_add_match(m.sd, &slots[0], match_props, on_props, &m);
	if (r >= 0)
		r = sd_bus_add_match(m.sd, &slots[1], match_input, on_input_signal, &m);
	if (r >= 0)
		r = sd_bus_match_signal(m.sd, &slots[2], PCTL_BUS_NAME, PCTL_ROOT_PATH,
					"org.freedesktop.DBus.ObjectManager", "InterfacesAdded",
					on_added, &m);
	if (r >= 0)
		r = sd_bus_match_signal(m.sd, &slots[3], PCTL_BUS_NAME, PCTL_ROOT_PATH,
					"org.freedesktop.DBus.ObjectManager", "InterfacesRemoved",
					on_removed, &m);
	if (r >= 0)
		r = sd_bus_add_match(m.sd, &slots[4], match_owner, on_owner, &m);
	if (r < 0) {
		pctl_bus_error(err, "watching preampd", NULL, r);
		goto out;
	}
	/* a daemon that is not running yet is fine: monitor waits for it */
	if (pctl_bus_load(b, &m.st, err) < 0) {
		if (err->code != PCTL_EXIT_DAEMON) {
			r = -EIO;
			goto out;
		}
		fprintf(stderr, "preampd is not running; waiting for it.\n");
		err->code = PCTL_EXIT_OK;
		err->message[0] = '\0';
	}

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old);
	r = sd_event_new(&m.ev);
	if (r >= 0)
		r = sd_bus_attach_event(m.sd, m.ev, SD_EVENT_PRIORITY_NORMAL);
	if (r >= 0)
		r = sd_event_add_signal(m.ev, NULL, SIGINT, on_signal, &m);
	if (r >= 0)
		r = sd_event_add_signal(m.ev, NULL, SIGTERM, on_signal, &m);
	if (r >= 0)
		r = sd_event_add_signal(m.ev, NULL, SIGHUP, on_signal, &m);
	if (r >= 0) {
		if (!json && isatty(STDOUT_FILENO))
			fprintf(stderr, "Watching preampd; Ctrl-C to stop.\n");
		m.code = PCTL_EXIT_OK;
		r = sd_event_loop(m.ev);
		if (r >= 0)
			r = 0;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (r < 0)
		pctl_error_set(err, PCTL_EXIT_FAILED, "event loop failed: %s", strerror(-r));
out:
	for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		sd_bus_slot_unref(slots[i]);
	sd_bus_detach_event(m.sd);
	sd_event_unref(m.ev);
	pctl_state_clear(&m.st);
	pctl_buf_free(&m.out);
	if (r < 0)
		return err->code ? err->code : PCTL_EXIT_FAILED;
	return m.code;
}
