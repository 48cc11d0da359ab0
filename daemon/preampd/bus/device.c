// SPDX-License-Identifier: MIT
/*
 * The Device object: a USB preamp that a profile matched on a card. Here
 * happen the restore at plug-in (or the adoption by a restarted daemon),
 * the 48 V policy and locks, presets and the debounced, atomic state file.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "autogain.h"
#include "driver-attr.h"
#include "preampd.h"
#include "saver.h"
#include "usbattr.h"
#include "util.h"

#define SAVE_MAX_DELAY_USEC (5ULL * 1000 * 1000)
#define MARKER_MAX 4096

struct device {
	struct manager *m;
	struct card *card;
	char key[PA_KEY_MAX + 1];
	char path[PA_PATH_LEN];
	char name[256];
	char usb_id[16];
	char serial[PA_USB_STRING_MAX * 3 + 1];	/* sanitized: U+FFFD is 3 bytes */
	const char *driver;
	struct pa_match *match;		/* owned; the inputs point into it */
	struct input *in[PA_MAX_INPUTS];
	struct pa_state state;		/* presets; cur is refreshed at save */
	bool loaded;			/* a state file was read */
	enum pa_policy policy;
	bool persistent;
	uint32_t phantom_pending;	/* switch on when the guard lifts */
	uint32_t restored_caps[PA_MAX_INPUTS];
	unsigned held_lock[PA_MAX_INPUTS];	/* numids of the elements we locked */
	size_t n_held;
	sd_event_source *save_timer;
	uint64_t dirty_since;
	bool exported;
};

const char *device_path(const struct device *d) { return d->path; }
const char *device_key(const struct device *d) { return d->key; }
struct card *device_card(const struct device *d) { return d->card; }
struct manager *device_manager(const struct device *d) { return d->m; }
enum pa_policy device_policy(const struct device *d) { return d->policy; }
const struct pa_match *device_match(const struct device *d) { return d->match; }

int device_card_index(const struct device *d)
{
	return card_identity(d->card)->card_index;
}

struct input *device_input(const struct device *d, unsigned number)
{
	if (number < 1 || number > PA_MAX_INPUTS)
		return NULL;
	return d->in[number - 1];
}

void device_topology(const struct device *d, struct pa_topology *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		const struct pa_input_map *map;

		if (!d->in[i])
			continue;
		map = input_map(d->in[i]);
		t->present |= 1u << i;
		t->caps[i] = map->caps;
		t->group[i] = map->phantom_group;
		if (map->caps & PA_CAP_PHANTOM)
			t->guard[i] = card_inactive(d->card,
						    map->ref[PA_FN_PHANTOM].elem);
	}
}

void device_settings(const struct device *d, struct pa_settings *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++)
		if (d->in[i])
			s->in[i] = *input_live(d->in[i]);
}

/* ---- the restore marker: /run/preampd/cardN.instance ---- */

struct marker {
	char syspath[256];
	uint64_t usec;
	char key[PA_KEY_MAX + 1];
	uint32_t caps[PA_MAX_INPUTS];
	uint32_t pending;
};

static int marker_name(const struct device *d, char *out, size_t n)
{
	return snprintf(out, n, "%s.instance",
			card_identity(d->card)->card_sysname) < (int)n ? 0 :
			-ENAMETOOLONG;
}

static int marker_read(const struct device *d, struct marker *mk)
{
	char name[64];
	_cleanup_free_ char *text = NULL;
	char *line, *save = NULL;
	int r;

	memset(mk, 0, sizeof(*mk));
	if (d->m->runtime_dirfd < 0 || marker_name(d, name, sizeof(name)) < 0)
		return -ENOENT;
	r = pa_read_file_at(d->m->runtime_dirfd, name, MARKER_MAX, &text, NULL);
	if (r < 0)
		return r;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long u;
		unsigned n, caps;
		char extra;

		if (!strncmp(line, "syspath=", 8)) {
			snprintf(mk->syspath, sizeof(mk->syspath), "%s", line + 8);
		} else if (sscanf(line, "usec=%llu%c", &u, &extra) == 1) {
			mk->usec = u;
		} else if (!strncmp(line, "key=", 4)) {
			if (!pa_devkey_valid(line + 4))
				return -EBADMSG;
			snprintf(mk->key, sizeof(mk->key), "%s", line + 4);
		} else if (sscanf(line, "input=%u %x%c", &n, &caps, &extra) == 2 &&
			   n >= 1 && n <= PA_MAX_INPUTS) {
			mk->caps[n - 1] = caps;
		} else if (sscanf(line, "pending=%x%c", &caps, &extra) == 1) {
			mk->pending = caps;
		} else {
			return -EBADMSG;
		}
	}
	/* usec may be 0: udev did not say; pa_marker_decide() weighs it */
	return mk->syspath[0] ? 0 : -EBADMSG;
}

static void marker_write(struct device *d)
{
	const struct usb_identity *id = card_identity(d->card);
	char name[64], *text = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	if (d->m->runtime_dirfd < 0 || marker_name(d, name, sizeof(name)) < 0)
		return;
	f = open_memstream(&text, &len);
	if (!f) {
		log_warning("%s: cannot write its restore marker: %s", d->key,
			    strerror(ENOMEM));
		return;
	}
	fprintf(f, "syspath=%s\nusec=%llu\nkey=%s\n", id->card_syspath,
		(unsigned long long)id->usec_initialized, d->key);
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++)
		if (d->restored_caps[i])
			fprintf(f, "input=%u %x\n", i + 1, d->restored_caps[i]);
	fprintf(f, "pending=%x\n", d->phantom_pending);
	r = ferror(f) ? -ENOMEM : 0;
	if (fclose(f) != 0)
		r = -ENOMEM;
	if (r == 0)
		r = pa_write_file_atomic(d->m->runtime_dirfd, name, text, len,
					 0600, false);
	if (r < 0)
		log_warning("%s: cannot write its restore marker: %s", d->key,
			    strerror(-r));
	free(text);
}

/* ---- locks ---- */

/*
 * Holds an ALSA element lock on every 48 V switch with a locked input,
 * and on no other. Locks are kept by numid: a re-listed card puts the
 * same elements at new indexes.
 */
static void sync_locks(struct device *d)
{
	unsigned want[PA_MAX_INPUTS];
	const char *name[PA_MAX_INPUTS];
	size_t n_want = 0, n_elems;
	const struct pa_elem *elems = card_elems(d->card, &n_elems);

	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		const struct pa_input_map *map;
		int e;
		bool dup = false;

		if (!d->in[i] || !input_live(d->in[i])->locked)
			continue;
		map = input_map(d->in[i]);
		if (!(map->caps & PA_CAP_PHANTOM))
			continue;
		e = map->ref[PA_FN_PHANTOM].elem;
		if (e < 0 || (size_t)e >= n_elems)
			continue;
		for (size_t k = 0; k < n_want; k++)
			dup |= want[k] == elems[e].numid;
		if (!dup) {
			name[n_want] = elems[e].name;
			want[n_want++] = elems[e].numid;
		}
	}
	/* let go of what is no longer wanted */
	for (size_t k = 0; k < d->n_held;) {
		bool keep = false;

		for (size_t j = 0; j < n_want; j++)
			keep |= want[j] == d->held_lock[k];
		if (keep) {
			k++;
			continue;
		}
		card_lock(d->card, d->held_lock[k], false);
		d->held_lock[k] = d->held_lock[--d->n_held];
	}
	for (size_t j = 0; j < n_want; j++) {
		bool held = false;
		int r;

		for (size_t k = 0; k < d->n_held; k++)
			held |= d->held_lock[k] == want[j];
		if (held)
			continue;
		r = card_lock(d->card, want[j], true);
		if (r < 0) {
			log_warning("%s: cannot lock a 48 V switch (%s): %s",
				    d->key, name[j],
				    r == -EBUSY ? "another program holds its lock" :
				    strerror(-r));
			continue;
		}
		d->held_lock[d->n_held++] = want[j];
	}
}

/* ---- applying settings ---- */

int device_apply(struct device *d, const struct pa_plan *plan)
{
	int first = 0;
	bool lock_changed = false;

	/* locks and 48 V off first, everything else after */
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		const struct pa_input_settings *w = &plan->write.in[i];

		if (!d->in[i])
			continue;
		if (w->fields & PA_F_LOCK) {
			input_set_locked(d->in[i], w->locked);
			lock_changed = true;
		}
	}
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
			const struct pa_input_settings *w = &plan->write.in[i];
			struct input *in = d->in[i];
			const struct pa_input_map *map;
			int r = 0;

			if (!in)
				continue;
			map = input_map(in);
			if (pass == 0) {
				if ((w->fields & PA_F_PHANTOM) && !w->phantom)
					r = input_write_phantom(in, false);
			} else {
				if (w->fields & PA_F_GAIN)
					r = input_write_gain_raw(in,
						pa_gain_clamp_raw(&map->gain, w->gain_db));
				for (unsigned sw = 0; sw < PA_SW_COUNT && r >= 0; sw++)
					if (w->fields & PA_F_SWITCH(sw))
						r = input_write_switch(in, sw, w->sw[sw]);
				if (r >= 0 && (w->fields & PA_F_LEVEL))
					r = input_write_level(in, w->level);
				if (r >= 0 && (w->fields & PA_F_PHANTOM) && w->phantom)
					r = input_write_phantom(in, true);
			}
			if (r < 0) {
				log_warning("%s: input %u: a write failed: %s",
					    d->key, i + 1, strerror(-r));
				if (!first)
					first = r;
			}
		}
		if (pass == 0 && lock_changed)
			sync_locks(d);
	}
	return first;
}

/* ---- saving ---- */

static void save_now(struct device *d)
{
	struct pa_state st = d->state;
	int r;

	d->save_timer = sd_event_source_disable_unref(d->save_timer);
	if (!d->dirty_since || d->m->state_dirfd < 0)
		return;
	pa_utf8_sanitize(d->name, strlen(d->name), st.name, sizeof(st.name));
	st.has_policy = true;
	st.policy = d->policy;
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		const struct pa_input_settings *live;
		struct pa_input_settings *s = &st.cur.in[i];

		if (!d->in[i])
			continue;	/* keep what the file had */
		live = input_live(d->in[i]);
		*s = *live;
		s->fields &= ~PA_F_LOCK;
		if (input_map(d->in[i])->caps & PA_CAP_PHANTOM)
			s->fields |= PA_F_LOCK;
	}
	d->state.cur = st.cur;
	if (d->m->saver) {
		/* the bytes now, the disk on the saver's thread */
		char fn[PA_KEY_MAX + 32];
		char *text = NULL;
		size_t len = 0;

		r = pa_state_file_name(d->key, fn, sizeof(fn));
		if (r == 0)
			r = pa_state_format(&st, d->key, &text, &len);
		if (r == 0) {
			r = saver_write(d->m->saver, fn, text, len,
					PA_STATE_MODE);
			text = NULL;
		}
		free(text);
	} else {
		r = pa_state_save(d->m->state_dirfd, d->key, &st);
	}
	if (r < 0) {
		log_error("%s: cannot save its state file: %s", d->key,
			  strerror(-r));
		return;	/* stays dirty: the next change tries again */
	}
	d->dirty_since = 0;
}

void device_state_written(void *manager, const char *name, int r)
{
	struct manager *m = manager;
	char fn[PA_KEY_MAX + 32];

	if (r == 0) {
		log_debug("%s: saved", name);
		return;
	}
	log_error("%s: cannot save this state file: %s", name, strerror(-r));
	if (m->exiting)
		return;
	/* its device stays dirty: the next change tries again */
	for (size_t i = 0; i < m->n_devices; i++) {
		struct device *d = m->devices[i];

		if (pa_state_file_name(d->key, fn, sizeof(fn)) == 0 &&
		    !strcmp(fn, name) && !d->dirty_since)
			sd_event_now(m->event, CLOCK_MONOTONIC, &d->dirty_since);
	}
}

static int on_save_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	(void)s;
	(void)usec;
	save_now(userdata);
	return 0;
}

void device_schedule_save(struct device *d)
{
	uint64_t now, at, debounce = (uint64_t)d->m->cfg.debounce_ms * 1000;

	if (sd_event_now(d->m->event, CLOCK_MONOTONIC, &now) < 0)
		now = 0;
	if (!d->dirty_since)
		d->dirty_since = now;
	if (debounce == 0 || d->m->exiting) {
		save_now(d);
		return;
	}
	/* 500 ms after the last change, but a knob turned for minutes
	 * still gets saved every few seconds */
	at = now + debounce;
	if (at > d->dirty_since + SAVE_MAX_DELAY_USEC + debounce)
		at = d->dirty_since + SAVE_MAX_DELAY_USEC + debounce;
	if (d->save_timer) {
		sd_event_source_set_time(d->save_timer, at);
		sd_event_source_set_enabled(d->save_timer, SD_EVENT_ONESHOT);
	} else if (sd_event_add_time(d->m->event, &d->save_timer,
				     CLOCK_MONOTONIC, at, 0, on_save_timer,
				     d) < 0) {
		save_now(d);
	}
}

void device_flush(struct device *d)
{
	if (d->dirty_since)
		save_now(d);
}

/* ---- events from the card ---- */

/*
 * A lock keeps other programs from switching 48 V on (an ALSA element
 * lock), not the interface itself: a 48 V button pressed on a locked
 * input reaches the driver as a change. It goes off again at once.
 */
static void enforce_locks(struct device *d, int elem)
{
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		struct input *in = d->in[i];
		const struct pa_input_settings *live;
		int r;

		if (!in || !(input_map(in)->caps & PA_CAP_PHANTOM) ||
		    (elem >= 0 && input_map(in)->ref[PA_FN_PHANTOM].elem != elem))
			continue;
		live = input_live(in);
		if (!live->locked || !(live->fields & PA_F_PHANTOM) ||
		    !live->phantom)
			continue;
		r = input_write_phantom(in, false);
		if (r < 0)
			log_error("%s: input %u: 48 V was switched on at the interface although the input is locked (48 V off for a ribbon microphone); switching it off failed: %s",
				  d->key, i + 1, strerror(-r));
		else
			log_warning("%s: input %u: 48 V was switched on at the interface although the input is locked (48 V off for a ribbon microphone): switched off again",
				    d->key, i + 1);
	}
}

void device_elem_changed(struct device *d, int elem, bool info)
{
	bool changed = false;

	for (unsigned i = 0; i < PA_MAX_INPUTS; i++)
		if (d->in[i])
			changed |= input_refresh(d->in[i], elem);
	if (changed)
		device_schedule_save(d);
	if (changed)
		enforce_locks(d, elem);
	if (!info || !d->phantom_pending)
		return;
	/* a plug-in guard lifted: the 48 V that "restore" waits for */
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		struct input *in = d->in[i];
		struct pa_topology topo;
		struct pa_settings cur;
		int r;

		if (!(d->phantom_pending & (1u << i)) || !in ||
		    input_map(in)->ref[PA_FN_PHANTOM].elem != elem ||
		    card_inactive(d->card, elem))
			continue;
		d->phantom_pending &= ~(1u << i);
		/* a lock on any input that shares the switch holds it off */
		device_topology(d, &topo);
		device_settings(d, &cur);
		if (pa_phantom_check_set(&topo, &cur, i + 1, true) < 0) {
			log_info("%s: input %u: 48 V stays off after the plug-in guard: its group is locked",
				 d->key, i + 1);
			marker_write(d);
			continue;
		}
		r = input_write_phantom(in, true);
		if (r < 0)
			log_warning("%s: input %u: 48 V could not come back after the plug-in guard: %s",
				    d->key, i + 1, strerror(-r));
		else
			log_info("%s: input %u: 48 V back on as saved (the plug-in guard lifted)",
				 d->key, i + 1);
		marker_write(d);
	}
}

/* SetPhantom or a lock decided for the group: no pending switch-on */
static void clear_pending(struct device *d, uint32_t group)
{
	if (d->phantom_pending & group) {
		d->phantom_pending &= ~group;
		marker_write(d);
	}
}

/* ---- life cycle ---- */

static int make_key(struct device *d, const struct marker *mk, bool adopt)
{
	const struct usb_identity *id = card_identity(d->card);
	char base[PA_KEY_MAX + 1];
	int r;

	/* a restarted daemon keeps the key it gave this plug-in */
	if (adopt && mk->key[0] && !manager_device_by_key(d->m, mk->key)) {
		snprintf(d->key, sizeof(d->key), "%s", mk->key);
		return 0;
	}
	r = pa_devkey_make(id->vid, id->pid, id->serial, id->serial_len,
			   id->usb_path, base);
	if (r < 0)
		return r;
	if (!manager_device_by_key(d->m, base)) {
		snprintf(d->key, sizeof(d->key), "%s", base);
		return 0;
	}
	/* two present devices with one serial: the later one gets its path */
	r = pa_devkey_disambiguate(base, id->usb_path, d->key);
	if (r < 0)
		return r;
	if (manager_device_by_key(d->m, d->key))
		return -EEXIST;
	log_notice("%s: another present device has the key %s: this one is %s",
		   id->card_id, base, d->key);
	return 0;
}

static void load_state(struct device *d)
{
	char err[256] = "";
	int r;

	r = pa_state_load(d->m->state_dirfd, d->key, &d->state, err, sizeof(err));
	if (r == 0)
		d->loaded = true;
	if (r == 0 || r == -ENOENT || d->m->state_dirfd < 0)
		return;
	if (r < 0) {
		int k = pa_state_keep_aside(d->m->state_dirfd, d->key);

		log_error("%s: its state file %s" PA_STATE_SUFFIX " is damaged (%s); %s",
			  d->key, d->key, err[0] ? err : strerror(-r),
			  k == 0 ? "kept aside as " PA_STATE_ASIDE_SUFFIX
				   "(-N), starting from the device's settings" :
			  k == -EEXIST ? "not kept: " PA_STATE_ASIDE_SUFFIX
					 " and its numbered siblings exist already" :
				   "it could not be moved aside");
		pa_state_init(&d->state);
	}
}

/* Logs each 48 V switch the plug-in found on and switched off, with an
 * upper bound of how long it had been on (udev set the card up then). */
static void report_48v_off(struct device *d, const struct pa_settings *before,
			   const struct pa_plan *plan)
{
	const struct usb_identity *id = card_identity(d->card);
	uint64_t now = 0;

	sd_event_now(d->m->event, CLOCK_MONOTONIC, &now);
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		const struct pa_input_settings *w = &plan->write.in[i];

		if (!d->in[i] || !(w->fields & PA_F_PHANTOM) || w->phantom ||
		    !before->in[i].phantom)
			continue;
		if (id->usec_initialized && now > id->usec_initialized)
			log_warning("%s: input %u: 48 V was on at plug-in (%s); switched off after at most %llu ms",
				    d->key, i + 1,
				    card_inactive(d->card, input_map(d->in[i])->ref[PA_FN_PHANTOM].elem) ?
				    "during the plug-in guard" :
				    "the driver has no plug-in guard: alsactl's restore?",
				    (unsigned long long)((now - id->usec_initialized) / 1000));
		else
			log_warning("%s: input %u: 48 V was on at plug-in; switched off",
				    d->key, i + 1);
	}
}

/* Restore or adopt (pa_marker_decide()): the marker read into mk. */
static enum pa_marker_verdict marker_verdict(struct device *d,
					     struct marker *mk)
{
	const struct usb_identity *id = card_identity(d->card);
	struct pa_marker_case c = {
		.at_start = id->coldplug,
		.runtime_dir = d->m->runtime_dirfd >= 0,
		.card_usec = id->usec_initialized,
	};
	enum pa_marker_verdict v;

	c.marker = marker_read(d, mk);
	c.same_syspath = c.marker == 0 && !strcmp(mk->syspath, id->card_syspath);
	c.marker_usec = mk->usec;
	v = pa_marker_decide(&c);
	if (v == PA_MARKER_ADOPT_ALL)
		log_notice("card %d (%s): %s: adopting it as it is, not restoring",
			   id->card_index, id->card_id,
			   !c.runtime_dir ? "no runtime directory to tell whether this preampd restarted" :
			   "its restore marker is unreadable");
	else if (v == PA_MARKER_ADOPT && (!c.marker_usec || !c.card_usec))
		log_notice("card %d (%s): udev gives no initialization time: its restore marker is taken for this plug-in",
			   id->card_index, id->card_id);
	return v;
}

static void restore(struct device *d, const struct marker *mk,
		    enum pa_marker_verdict verdict)
{
	struct pa_topology topo, fresh;
	struct pa_settings cur;
	struct pa_plan adopt, rest;
	const struct pa_settings *saved = d->loaded ? &d->state.cur : NULL;
	bool marked = verdict != PA_MARKER_RESTORE;

	device_topology(d, &topo);
	device_settings(d, &cur);

	/* what this plug-in had restored already is adopted as it is */
	memset(&adopt, 0, sizeof(adopt));
	fresh = topo;
	if (marked) {
		pa_plan_adopt(&topo, &cur, saved, &adopt);
		for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
			if (verdict == PA_MARKER_ADOPT)
				fresh.caps[i] &= ~mk->caps[i];
			else
				fresh.caps[i] = 0;	/* nothing to go by */
			if (!fresh.caps[i])
				fresh.present &= ~(1u << i);
		}
		/* 48 V still to come back, unless a lock holds its group */
		if (verdict == PA_MARKER_ADOPT)
			d->phantom_pending = mk->pending & topo.present &
					     ~adopt.lock;
	}
	pa_plan_restore(&fresh, &cur, saved, d->policy, &rest);
	/* merge: the adoption's locks and switch-offs, then the restore */
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		struct pa_input_settings *w = &rest.write.in[i];
		const struct pa_input_settings *a = &adopt.write.in[i];

		if ((a->fields & PA_F_LOCK) && !(w->fields & PA_F_LOCK)) {
			w->fields |= PA_F_LOCK;
			w->locked = a->locked;
		}
		if ((a->fields & PA_F_PHANTOM) && !(w->fields & PA_F_PHANTOM)) {
			w->fields |= PA_F_PHANTOM;
			w->phantom = a->phantom;
		}
	}
	rest.lock |= adopt.lock;
	if (fresh.present)
		log_info("%s: %s at plug-in (48 V policy '%s'%s)", d->key,
			 saved ? "restoring the saved settings" :
				 "no saved settings; applying the 48 V policy",
			 pa_policy_name(d->policy),
			 d->persistent ? ", a persistent device" : "");
	else
		log_info("%s: already restored at this plug-in: adopting it as it is",
			 d->key);
	report_48v_off(d, &cur, &rest);
	device_apply(d, &rest);
	d->phantom_pending |= rest.phantom_later;
	if (rest.phantom_later)
		log_info("%s: 48 V comes back when the device's plug-in guard lifts",
			 d->key);
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++)
		d->restored_caps[i] = topo.caps[i];
	marker_write(d);
}

/* The labels the device gave its inputs, where its driver shows them. */
static void read_labels(struct device *d, struct driver_attrs *attrs)
{
	const struct pa_profile *p = d->match->profile;
	char name[32], v[PA_LABEL_MAX];

	for (unsigned i = 0; i < PA_MAX_INPUTS && p->label_attr[0]; i++) {
		struct pa_input_map *in = &d->match->in[i];

		if (!(d->match->present & (1u << i)) ||
		    pa_usbattr_name_for(p->label_attr, in->number, name,
					sizeof(name)) < 0 ||
		    driver_attrs_read(attrs, name, v, sizeof(v)) <= 0)
			continue;
		pa_utf8_sanitize(v, strlen(v), in->label, sizeof(in->label));
	}
}

/* What the driver says of the device outside its controls: whether it
 * keeps its settings, and its inputs' labels. */
static void read_driver_attrs(struct device *d, const char *usb_syspath)
{
	const struct pa_profile *p = d->match->profile;
	struct driver_attrs *attrs;
	int r;

	if (!p->label_attr[0] &&
	    (d->match->persistent.elem >= 0 || !p->persistent_attr[0]))
		return;
	attrs = driver_attrs_open(usb_syspath, p->driver);
	if (d->match->persistent.elem < 0 && p->persistent_attr[0]) {
		r = driver_attrs_bool(attrs, p->persistent_attr,
				      &d->persistent);
		if (r < 0 && r != -ENOENT)
			log_warning("%s: %s's '%s' attribute: %s; taken as not persistent",
				    d->key, p->driver, p->persistent_attr,
				    strerror(-r));
	}
	read_labels(d, attrs);
	driver_attrs_close(attrs);
}

int device_new(struct manager *m, struct card *c, struct pa_match *match,
	       struct device **out)
{
	const struct usb_identity *id = card_identity(c);
	struct device *d;
	struct marker mk;
	enum pa_marker_verdict verdict;
	_cleanup_free_ char *path = NULL;
	int r;

	d = calloc(1, sizeof(*d));
	if (!d) {
		free(match);
		return -ENOMEM;
	}
	d->m = m;
	d->card = c;
	d->match = match;
	d->driver = match->profile->driver;
	pa_state_init(&d->state);

	verdict = marker_verdict(d, &mk);
	r = make_key(d, &mk, verdict == PA_MARKER_ADOPT);
	if (r < 0) {
		log_error("card %d: no device key: %s", id->card_index,
			  strerror(-r));
		free(d->match);
		free(d);
		return r;
	}
	r = sd_bus_path_encode(PA_DEVICES_PATH, d->key, &path);
	if (r < 0 || strlen(path) >= sizeof(d->path)) {
		free(d->match);
		free(d);
		return r < 0 ? r : -ENAMETOOLONG;
	}
	snprintf(d->path, sizeof(d->path), "%s", path);
	pa_utf8_sanitize(id->product, strlen(id->product), d->name,
			 sizeof(d->name));
	if (!d->name[0])
		snprintf(d->name, sizeof(d->name), "USB device %04x:%04x",
			 id->vid, id->pid);
	snprintf(d->usb_id, sizeof(d->usb_id), "%04x:%04x", id->vid, id->pid);
	pa_utf8_sanitize(id->serial, id->serial_len, d->serial,
			 sizeof(d->serial));
	card_set_device(c, d);

	load_state(d);
	d->policy = d->state.has_policy ? d->state.policy : m->cfg.phantom_policy;
	if (match->persistent.elem >= 0) {
		long v = 0;

		d->persistent = card_read(c, match->persistent.elem,
					  match->persistent.channel, &v) == 0 && v;
	}
	read_driver_attrs(d, id->usb_syspath);
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++) {
		if (!(match->present & (1u << i)))
			continue;
		r = input_new(d, &d->match->in[i], &d->in[i]);
		if (r < 0) {
			device_free(d);
			return r;
		}
	}
	log_info("%s: %s (%s, card %d '%s'), %u input(s), profile %s", d->key,
		 d->name, d->usb_id, id->card_index, id->card_id,
		 (unsigned)__builtin_popcount(match->present), d->driver);

	restore(d, &mk, verdict);
	manager_add_device(m, d);
	d->exported = true;
	device_schedule_save(d);
	if (out)
		*out = d;
	return 0;
}

void device_update_match(struct device *d, const struct pa_match *m)
{
	/* the inputs point into d->match, which stays where it is; m has
	 * the same inputs present (same_mapping) */
	pa_match_copy(d->match, m);
}

void device_free(struct device *d)
{
	if (!d)
		return;
	if (d->exported) {
		manager_remove_device(d->m, d);
		d->exported = false;
	}
	device_flush(d);
	sd_event_source_disable_unref(d->save_timer);
	for (size_t k = 0; k < d->n_held; k++)
		card_lock(d->card, d->held_lock[k], false);
	for (unsigned i = 0; i < PA_MAX_INPUTS; i++)
		input_free(d->in[i]);
	if (card_device(d->card) == d)
		card_set_device(d->card, NULL);
	pa_state_free(&d->state);
	free(d->match);
	free(d);
}

/* ---- D-Bus: properties ---- */

static int prop_string(sd_bus *bus, const char *path, const char *iface,
		       const char *property, sd_bus_message *reply,
		       void *userdata, sd_bus_error *err)
{
	struct device *d = userdata;
	const char *v = "";

	(void)bus; (void)path; (void)iface; (void)err;
	if (!strcmp(property, "Key"))
		v = d->key;
	else if (!strcmp(property, "Name"))
		v = d->name;
	else if (!strcmp(property, "UsbId"))
		v = d->usb_id;
	else if (!strcmp(property, "Serial"))
		v = d->serial;
	else if (!strcmp(property, "CardId"))
		v = card_identity(d->card)->card_id;
	else if (!strcmp(property, "Driver"))
		v = d->driver;
	else if (!strcmp(property, "PhantomPolicy"))
		v = pa_policy_name(d->policy);
	if (!pa_utf8_valid(v, strlen(v)))
		v = "";
	return sd_bus_message_append(reply, "s", v);
}

static int prop_card(sd_bus *bus, const char *path, const char *iface,
		     const char *property, sd_bus_message *reply,
		     void *userdata, sd_bus_error *err)
{
	(void)bus; (void)path; (void)iface; (void)property; (void)err;
	return sd_bus_message_append(reply, "i", device_card_index(userdata));
}

static int prop_persistent(sd_bus *bus, const char *path, const char *iface,
			   const char *property, sd_bus_message *reply,
			   void *userdata, sd_bus_error *err)
{
	struct device *d = userdata;

	(void)bus; (void)path; (void)iface; (void)property; (void)err;
	return sd_bus_message_append(reply, "b", d->persistent);
}

static int prop_inputs(sd_bus *bus, const char *path, const char *iface,
		       const char *property, sd_bus_message *reply,
		       void *userdata, sd_bus_error *err)
{
	struct device *d = userdata;
	int r;

	(void)bus; (void)path; (void)iface; (void)property; (void)err;
	r = sd_bus_message_open_container(reply, 'a', "o");
	for (unsigned i = 0; i < PA_MAX_INPUTS && r >= 0; i++)
		if (d->in[i])
			r = sd_bus_message_append(reply, "o", input_path(d->in[i]));
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static int prop_presets(sd_bus *bus, const char *path, const char *iface,
			const char *property, sd_bus_message *reply,
			void *userdata, sd_bus_error *err)
{
	struct device *d = userdata;
	int r;

	(void)bus; (void)path; (void)iface; (void)property; (void)err;
	r = sd_bus_message_open_container(reply, 'a', "s");
	for (size_t i = 0; i < d->state.n_presets && r >= 0; i++)
		r = sd_bus_message_append(reply, "s", d->state.presets[i].name);
	return r < 0 ? r : sd_bus_message_close_container(reply);
}

static void emit(struct device *d, const char *prop)
{
	if (d->exported)
		sd_bus_emit_properties_changed(d->m->bus, d->path,
					       PA_DEVICE_IFACE, prop, NULL);
}

/* ---- D-Bus: methods ---- */

static int preset_name_arg(const char *name, sd_bus_error *err)
{
	if (!preamp_preset_name_valid(name, strlen(name)))
		return sd_bus_error_setf(err, SD_BUS_ERROR_INVALID_ARGS,
					 "A preset name is 1 to 64 bytes of UTF-8 without '/' or control characters.");
	return 0;
}

static struct device *op_device(struct manager *m, const struct pa_op *op,
				sd_bus_error *err)
{
	struct device *d = manager_device_by_path(m, op->path);

	if (!d)
		sd_bus_error_setf(err, PA_ERR_DEVICE_GONE,
				  "The device was unplugged.");
	return d;
}

static int run_get_levels(struct manager *m, sd_bus_message *call,
			  const struct pa_op *op, sd_bus_error *err)
{
	struct device *d = op_device(m, op, err);
	struct autogain_level levels[PA_MAX_INPUTS];
	struct autogain_refusal why;
	sd_bus_message *reply = NULL;
	size_t n;
	int r;

	if (!d)
		return -ENODEV;
	r = autogain_get_levels(d, levels, &n, &why);
	if (r < 0)
		return pa_bus_error_from_refusal(err, &why);
	r = sd_bus_message_new_method_return(call, &reply);
	if (r >= 0)
		r = sd_bus_message_open_container(reply, 'a', "(du)");
	for (size_t i = 0; r >= 0 && i < n; i++)
		r = sd_bus_message_append(reply, "(du)", levels[i].peak, levels[i].clips);
	if (r >= 0)
		r = sd_bus_message_close_container(reply);
	if (r >= 0)
		r = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return r;
}

/* a microphone's levels are private: authorized, the verdict remembered
 * per caller (auth.c), so that a meter polling at 30 Hz asks polkit once */
static int method_get_levels(sd_bus_message *call, void *userdata,
			     sd_bus_error *err)
{
	struct device *d = userdata;
	struct pa_op op = { .run = run_get_levels };

	snprintf(op.path, sizeof(op.path), "%s", d->path);
	return auth_check(d->m, call, PA_ACTION_MONITOR, false, &op, err);
}

static int run_set_policy(struct manager *m, sd_bus_message *call,
			  const struct pa_op *op, sd_bus_error *err)
{
	struct device *d = op_device(m, op, err);

	if (!d)
		return -ENODEV;
	if (d->policy != (enum pa_policy)op->which) {
		d->policy = (enum pa_policy)op->which;
		log_info("%s: 48 V policy now '%s'", d->key,
			 pa_policy_name(d->policy));
		emit(d, "PhantomPolicy");
		device_schedule_save(d);
	}
	return sd_bus_reply_method_return(call, NULL);
}

static int method_set_policy(sd_bus_message *call, void *userdata,
			     sd_bus_error *err)
{
	struct device *d = userdata;
	struct pa_op op = { .run = run_set_policy };
	const char *policy;
	enum pa_policy p;
	int interactive, r;

	r = sd_bus_message_read(call, "sb", &policy, &interactive);
	if (r < 0)
		return r;
	if (pa_policy_from_name(policy, &p) < 0)
		return sd_bus_error_setf(err, SD_BUS_ERROR_INVALID_ARGS,
					 "The 48 V policy is \"off\", \"restore\" or \"device\".");
	op.which = (int)p;
	snprintf(op.path, sizeof(op.path), "%s", d->path);
	return auth_check(d->m, call, PA_ACTION_MANAGE, interactive, &op, err);
}

static int run_save_preset(struct manager *m, sd_bus_message *call,
			   const struct pa_op *op, sd_bus_error *err)
{
	struct device *d = op_device(m, op, err);
	struct pa_topology t;
	struct pa_settings cur, pre;
	int r;

	if (!d)
		return -ENODEV;
	device_topology(d, &t);
	device_settings(d, &cur);
	pa_preset_snapshot(&t, &cur, d->policy, &pre);
	r = pa_state_preset_put(&d->state, op->name, &pre);
	if (r == -E2BIG)
		return sd_bus_error_setf(err, SD_BUS_ERROR_LIMITS_EXCEEDED,
					 "A device keeps at most %d presets.",
					 PA_PRESETS_MAX);
	if (r < 0)
		return r;
	emit(d, "Presets");
	device_schedule_save(d);
	return sd_bus_reply_method_return(call, NULL);
}

static int run_apply_preset(struct manager *m, sd_bus_message *call,
			    const struct pa_op *op, sd_bus_error *err)
{
	struct device *d = op_device(m, op, err);
	struct pa_topology t;
	struct pa_settings cur;
	struct pa_plan plan;
	int i, r;

	if (!d)
		return -ENODEV;
	i = pa_state_preset_find(&d->state, op->name);
	if (i < 0)
		return sd_bus_error_setf(err, PA_ERR_NO_SUCH_PRESET,
					 "This device has no preset of that name.");
	device_topology(d, &t);
	device_settings(d, &cur);
	pa_plan_preset(&t, &cur, &d->state.presets[i].s, d->policy, &plan);
	r = device_apply(d, &plan);
	if (r < 0)
		return pa_bus_error_from_errno(err, r, "applying the settings");
	return sd_bus_reply_method_return(call, NULL);
}

static int run_delete_preset(struct manager *m, sd_bus_message *call,
			     const struct pa_op *op, sd_bus_error *err)
{
	struct device *d = op_device(m, op, err);

	if (!d)
		return -ENODEV;
	if (pa_state_preset_delete(&d->state, op->name) < 0)
		return sd_bus_error_setf(err, PA_ERR_NO_SUCH_PRESET,
					 "This device has no preset of that name.");
	emit(d, "Presets");
	device_schedule_save(d);
	return sd_bus_reply_method_return(call, NULL);
}

static int preset_method(sd_bus_message *call, struct device *d,
			 pa_op_run run, bool must_exist, sd_bus_error *err)
{
	struct pa_op op = { .run = run };
	const char *name;
	int interactive, r;

	r = sd_bus_message_read(call, "sb", &name, &interactive);
	if (r < 0)
		return r;
	r = preset_name_arg(name, err);
	if (r < 0)
		return r;
	if (must_exist && pa_state_preset_find(&d->state, name) < 0)
		return sd_bus_error_setf(err, PA_ERR_NO_SUCH_PRESET,
					 "This device has no preset of that name.");
	if (!must_exist && pa_state_preset_find(&d->state, name) < 0 &&
	    d->state.n_presets >= PA_PRESETS_MAX)
		return sd_bus_error_setf(err, SD_BUS_ERROR_LIMITS_EXCEEDED,
					 "A device keeps at most %d presets.",
					 PA_PRESETS_MAX);
	snprintf(op.name, sizeof(op.name), "%s", name);
	snprintf(op.path, sizeof(op.path), "%s", d->path);
	return auth_check(d->m, call, PA_ACTION_MANAGE, interactive, &op, err);
}

static int method_save_preset(sd_bus_message *call, void *userdata,
			      sd_bus_error *err)
{
	return preset_method(call, userdata, run_save_preset, false, err);
}

static int method_apply_preset(sd_bus_message *call, void *userdata,
			       sd_bus_error *err)
{
	return preset_method(call, userdata, run_apply_preset, true, err);
}

static int method_delete_preset(sd_bus_message *call, void *userdata,
				sd_bus_error *err)
{
	return preset_method(call, userdata, run_delete_preset, true, err);
}

void device_phantom_decided(struct device *d, uint32_t group)
{
	clear_pending(d, group);
}

void device_locks_changed(struct device *d)
{
	sync_locks(d);
}

int device_find(sd_bus *bus, const char *path, const char *iface,
		void *userdata, void **found, sd_bus_error *err)
{
	struct device *d = manager_device_by_path(userdata, path);

	(void)bus; (void)iface; (void)err;
	if (!d)
		return 0;
	*found = d;
	return 1;
}

const sd_bus_vtable device_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Key", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Name", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("UsbId", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Serial", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Card", "i", prop_card, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("CardId", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Driver", "s", prop_string, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Inputs", "ao", prop_inputs, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("Persistent", "b", prop_persistent, 0, SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("PhantomPolicy", "s", prop_string, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("Presets", "as", prop_presets, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_METHOD_WITH_NAMES("GetLevels", "", , "a(du)", SD_BUS_PARAM(levels),
				 method_get_levels, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("SetPhantomPolicy", "sb",
				 SD_BUS_PARAM(policy) SD_BUS_PARAM(interactive),
				 "", , method_set_policy,
				 SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("SavePreset", "sb",
				 SD_BUS_PARAM(name) SD_BUS_PARAM(interactive),
				 "", , method_save_preset,
				 SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("ApplyPreset", "sb",
				 SD_BUS_PARAM(name) SD_BUS_PARAM(interactive),
				 "", , method_apply_preset,
				 SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_NAMES("DeletePreset", "sb",
				 SD_BUS_PARAM(name) SD_BUS_PARAM(interactive),
				 "", , method_delete_preset,
				 SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END
};
