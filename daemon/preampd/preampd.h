/* SPDX-License-Identifier: MIT */
/*
 * preampd: the shared header of the service's bus layer and wiring. One
 * context struct (struct manager) owns everything; each D-Bus object type
 * has its own file (manager.c, bus/device.c, bus/input.c) with a private
 * struct behind the functions below; the hardware layer (hw/card.c for
 * ALSA controls, hw/hotplug.c for udev) has headers of its own and never
 * sees this one; bus/auth.c is the only file that talks to polkit.
 */
#ifndef PREAMPD_H
#define PREAMPD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "authz.h"
#include "config.h"
#include "devkey.h"
#include "card.h"
#include "hotplug.h"
#include "log.h"
#include "policy.h"
#include "profile.h"
#include "statefile.h"

#define PA_BUS_NAME		"org.preampd.Preamp1"
#define PA_ROOT_PATH		"/org/preampd/Preamp1"
#define PA_DEVICES_PATH		"/org/preampd/Preamp1/devices"
#define PA_MANAGER_IFACE	"org.preampd.Preamp1.Manager"
#define PA_DEVICE_IFACE		"org.preampd.Preamp1.Device"
#define PA_INPUT_IFACE		"org.preampd.Preamp1.Input"

#define PA_ERROR(name)		"org.preampd.Preamp1.Error." name
#define PA_ERR_OUT_OF_RANGE	PA_ERROR("OutOfRange")
#define PA_ERR_NOT_SUPPORTED	PA_ERROR("NotSupported")
#define PA_ERR_BUSY		PA_ERROR("Busy")
#define PA_ERR_LOCKED		PA_ERROR("Locked")
#define PA_ERR_NO_SUCH_DEVICE	PA_ERROR("NoSuchDevice")
#define PA_ERR_NO_SUCH_PRESET	PA_ERROR("NoSuchPreset")
#define PA_ERR_DEVICE_GONE	PA_ERROR("DeviceGone")
#define PA_ERR_IO		PA_ERROR("IOError")

#define PA_PATH_LEN 512

struct manager;
struct card;
struct device;
struct input;

/* ---- manager.c: the context, the Manager object, ObjectManager ---- */

struct manager {
	sd_event *event;
	sd_bus *bus;
	struct pa_config cfg;
	struct pa_profile *profiles;
	size_t n_profiles;
	int state_dirfd;
	int runtime_dirfd;
	bool have_fallback_gid;
	gid_t fallback_gid;
	struct hotplug *hotplug;
	struct card **cards;
	size_t n_cards;
	struct device **devices;	/* exported, in plug-in order */
	size_t n_devices;
	struct auth *auth;	/* authorization: callers, verdicts, polkit */
	struct saver *saver;	/* state files, written off the loop */
	struct write_wait *write_waits;		/* calls waiting for a late write */
	struct capture *captures;	/* autogain.c's open capture streams */
	bool exiting;
};

int manager_new(struct manager **out, const struct pa_config *cfg);
void manager_free(struct manager *m);
/* bus/manager.c: registers the objects and takes the bus name */
int manager_start_bus(struct manager *m);
/* bus/manager.c: InterfacesAdded, InterfacesRemoved (while d is still
 * registered) and the Devices property changed */
void manager_object_device_added(struct manager *m, struct device *d);
void manager_object_device_removing(struct manager *m, struct device *d);
void manager_object_devices_changed(struct manager *m);
/* every pending state file write, now */
void manager_flush(struct manager *m);

void manager_add_device(struct manager *m, struct device *d);
void manager_remove_device(struct manager *m, struct device *d);
struct device *manager_device_by_key(struct manager *m, const char *key);
struct device *manager_device_by_path(struct manager *m, const char *path);
struct input *manager_input_by_path(struct manager *m, const char *path);

/* ---- cards.c: the cards hotplug.c and card.c (card.h) report ---- */

/* the monitor and every card present now, delivered to cards.c */
int manager_start_hotplug(struct manager *m);

/* ---- write-wait.c: calls whose write the device may apply late ---- */

enum pa_write_reply {
	PA_REPLY_EMPTY,		/* no value */
	PA_REPLY_GAIN,		/* "d": the input's gain */
};

/*
 * The write of function fn of input in to the raw value failed with
 * write_err (< 0). Where the device may still apply it (a timeout:
 * write-verdict.h), the control is read back: holding raw, the call
 * succeeds now; else it is answered later, when the control holds raw, or
 * with the error after PA_WRITE_LATE_MS; 0 either way. Other errors set
 * err (what: "setting the gain") and return < 0.
 */
int write_wait_start(struct manager *m, sd_bus_message *call, struct input *in,
		     enum pa_fn fn, long raw, int write_err,
		     enum pa_write_reply reply, const char *what,
		     sd_bus_error *err);
/* drops every waiting call (at exit) */
void write_wait_cancel_all(struct manager *m);

/* ---- device.c: the Device object ---- */

/* takes match (allocated) in every case: the device keeps it */
int device_new(struct manager *m, struct card *c, struct pa_match *match,
	       struct device **out);
void device_free(struct device *d);
/* the card's element list was read again and maps the same controls */
void device_update_match(struct device *d, const struct pa_match *m);

const char *device_path(const struct device *d);
const char *device_key(const struct device *d);
struct card *device_card(const struct device *d);
struct manager *device_manager(const struct device *d);
int device_card_index(const struct device *d);
enum pa_policy device_policy(const struct device *d);
const struct pa_match *device_match(const struct device *d);
struct input *device_input(const struct device *d, unsigned number);

/* the ALSA values of elem changed (or its INFO): re-read what maps to it */
void device_elem_changed(struct device *d, int elem, bool info);
/* a setting changed: PropertiesChanged is the caller's; the save is here */
void device_schedule_save(struct device *d);
void device_flush(struct device *d);
/* the saver's report (saver.h): a failed save leaves its device dirty */
void device_state_written(void *manager, const char *name, int r);
/* the 48 V topology and live settings, for the policy functions */
void device_topology(const struct device *d, struct pa_topology *t);
void device_settings(const struct device *d, struct pa_settings *s);
/* SetPhantom / SetPhantomLock decided for these inputs' group: a 48 V
 * switch-on waiting for the plug-in guard is dropped */
void device_phantom_decided(struct device *d, uint32_t group);
/* an input's PhantomLocked changed: take or release element locks */
void device_locks_changed(struct device *d);
/* writes a plan (restore, preset, SetPhantomLock) to the card; every
 * write is tried, the first failure returned as a negative errno (the
 * caller on the bus maps it with pa_bus_error_from_errno) */
int device_apply(struct device *d, const struct pa_plan *plan);

extern const sd_bus_vtable device_vtable[];
int device_find(sd_bus *bus, const char *path, const char *iface,
		void *userdata, void **found, sd_bus_error *err);

/* ---- input.c: the Input object ---- */

int input_new(struct device *d, const struct pa_input_map *map,
	      struct input **out);
void input_free(struct input *in);

const char *input_path(const struct input *in);
unsigned input_number(const struct input *in);
struct device *input_device(const struct input *in);
const struct pa_input_map *input_map(const struct input *in);
/* the live settings as last read */
const struct pa_input_settings *input_live(const struct input *in);
struct autogain *input_autogain(const struct input *in);
void input_set_locked(struct input *in, bool locked);
/* re-reads the values mapped to elem; emits PropertiesChanged for what
 * changed and returns true if a saved setting changed */
bool input_refresh(struct input *in, int elem);
/* writes one setting to the card (no authorization: callers have it) */
int input_write_gain_raw(struct input *in, long raw);
int input_write_phantom(struct input *in, bool on);
int input_write_switch(struct input *in, enum pa_switch sw, bool on);
int input_write_level(struct input *in, enum pa_level level);
/* emit PropertiesChanged of the named properties (NULL-terminated) */
void input_emit_changed(struct input *in, const char *prop, ...);
/* an AutoGain run ended: the AutoGainFinished signal, AutoGainState */
void input_autogain_finished(struct input *in, const char *result,
			     double gain_db, double peak_dbfs);

extern const sd_bus_vtable input_vtable[];
int input_find(sd_bus *bus, const char *path, const char *iface,
	       void *userdata, void **found, sd_bus_error *err);

/* ---- auth.c: polkit, asynchronously; the fallback without polkit ---- */

/*
 * A change request waiting for its authorization. run is called once the
 * caller is authorized; it finds its object again by path (it may have
 * gone: DeviceGone) and replies to call itself (returning >= 0) or returns
 * a negative errno with err set.
 */
struct pa_op;
typedef int (*pa_op_run)(struct manager *m, sd_bus_message *call,
			 const struct pa_op *op, sd_bus_error *err);
struct pa_op {
	pa_op_run run;
	char path[PA_PATH_LEN];
	double db;		/* SetGain, AdjustGain; StartAutoGain's target (dBFS) */
	uint32_t listen_ms;	/* StartAutoGain */
	bool on;		/* SetPhantom, SetPhantomLock, the switches */
	int which;		/* a switch, a level or a 48 V policy (their enums) */
	char name[PA_PRESET_NAME_MAX + 1];	/* a preset */
};

/* Checks action for call's sender. Where the verdict is known already
 * (polkit's plain yes remembered, or no polkit and the caller's
 * credentials known) op runs at once and its result is returned;
 * otherwise 1 (the reply will come later) or a negative errno. */
int auth_check(struct manager *m, sd_bus_message *call, enum pa_action action,
	       bool interactive, const struct pa_op *op, sd_bus_error *err);

/* watches polkit on m->bus; auth_free drops every request still waiting */
struct auth;
int auth_new(struct manager *m, struct auth **out);
void auth_free(struct auth *auth);

/* errno of a card operation as a D-Bus error with a sentence */
int pa_bus_error_from_errno(sd_bus_error *err, int r, const char *what);
/* the same for a refusal of the autogain engine (autogain.h) */
struct autogain_refusal;
int pa_bus_error_from_refusal(sd_bus_error *err, const struct autogain_refusal *why);

/* ---- autogain.h has the engine's slot; see there ---- */

#endif
