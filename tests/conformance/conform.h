/* SPDX-License-Identifier: MIT */
/*
 * The conformance test's shared context: the device under test (usbfs),
 * the emulator behind it (its control socket), what the device said about
 * itself, and the helpers every group of checks uses. One file per group:
 * conform-requests.c, conform-stall.c, conform-notify.c, conform-meters.c,
 * conform-faults.c.
 */
#ifndef PAMP_CONFORM_H
#define PAMP_CONFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "preamp-protocol.h"
#include "ctl-client.h"
#include "tap.h"
#include "usbfs.h"
#include "validate.h"

#define PC_NOTIF_MAX	512	/* notifications kept by one collection */

struct conform {
	struct tap tap;
	const char *ctl;		/* the emulator's control socket */
	const char *devpath;		/* /dev/bus/usb/BBB/DDD */
	const char *disconnect_req;	/* for the disconnect group */
	unsigned int timeout_ms;	/* for ordinary requests */
	double pad_db;			/* the model's pad, if known */
	bool have_pad_db;

	struct usbfs_dev dev;
	struct usbfs_intf intf;		/* the Preamp Control interface */
	struct usbfs_intr *intr;	/* notifications, with FLAG_NOTIFY */
	bool gone;			/* the device disappeared */

	/* What the device says about itself, checked by pv_check_*(). */
	struct pamp_info info;
	unsigned int n;			/* num_inputs */
	uint8_t flags;
	unsigned int window_ms;
	struct pamp_input_info raw[PAMP_MAX_INPUTS];
	struct pv_input in[PAMP_MAX_INPUTS];

	unsigned int max_latency_ms;	/* slowest answer seen ... */
	bool slow_expected;		/* ... but for injected delays */
	struct ctl_reply reply;		/* scratch for emulator commands */
};

/* The switch names of section 4, as the emulator's commands spell them. */
extern const char *const pc_switch_names[PAMP_NUM_SWITCHES];

/* Every input's state. */
struct pc_state {
	int16_t gain[PAMP_MAX_INPUTS];
	uint16_t sw[PAMP_MAX_INPUTS];
};

/* Everything a group changes and puts back. */
struct pc_saved {
	struct pc_state st;
	char source[PAMP_MAX_INPUTS][16];
	double level[PAMP_MAX_INPUTS];
};

/* One notification as it arrived on the interrupt endpoint. */
struct pc_notif {
	uint64_t t_ns;			/* when it was reaped */
	int status;			/* URB status */
	size_t len;
	uint8_t data[USBFS_INTR_MAX];
	uint32_t changed, events;	/* valid when len >= 8 */
};

/* Time */
uint64_t pc_now_ns(void);
void pc_sleep_ms(unsigned int ms);
const char *pc_errname(int err);	/* "EPIPE" for -EPIPE */
const char *pc_req_name(unsigned int req);

/* Shorthands for details and results. */
#define DETAIL(c, ...)	tap_detail(&(c)->tap, __VA_ARGS__)
#define RESULT(c, pass, ...)	tap_result(&(c)->tap, (pass), __VA_ARGS__)
#define SKIP(c, why, ...)	tap_skip(&(c)->tap, (why), __VA_ARGS__)

/*
 * Vendor requests to the interface: bytes transferred or a negative errno.
 * The raw form takes any request type and length; the usual ones use the
 * spec's.
 */
int pc_raw(struct conform *c, uint8_t type, uint8_t req, uint16_t value,
	   void *buf, uint16_t len, unsigned int timeout_ms);
int pc_in(struct conform *c, uint8_t req, uint16_t value, void *buf,
	  uint16_t len);
int pc_out(struct conform *c, uint8_t req, uint16_t value, const void *buf,
	   uint16_t len);

/*
 * A request that must succeed with exactly its size: returns true, or adds
 * a detail naming what happened and returns false.
 */
bool pc_get_info(struct conform *c, struct pamp_info *info);
bool pc_get_input_state(struct conform *c, unsigned int in,
			struct pamp_input_state *st);
bool pc_read_state(struct conform *c, struct pc_state *st);
bool pc_read_meters(struct conform *c, struct pamp_meter *m);
bool pc_set_gain_index(struct conform *c, unsigned int in, unsigned int idx);
bool pc_set_switch(struct conform *c, unsigned int in, unsigned int sw,
		   bool on);
bool pc_set_all(struct conform *c, const struct pamp_set_state *recs);

/* The emulator's view (its `state`), as the same records. */
bool pc_emu_state(struct conform *c, struct pc_state *st);
/*
 * Compares two states, adding a detail per difference (labelled with the
 * names of a and b). Returns true when equal.
 */
bool pc_same_state(struct conform *c, const struct pc_state *a,
		   const char *a_name, const struct pc_state *b,
		   const char *b_name);
/*
 * The device and the emulator both still say `before`; and a valid
 * request still works (a STALL clears). Adds details, returns true if so.
 */
bool pc_unchanged(struct conform *c, const struct pc_state *before);
/* Invariants of any state: caps-masked, on the grid, groups agree. */
bool pc_state_sane(struct conform *c, const struct pc_state *st);

/* Emulator commands: 0, or a negative errno with a detail added. */
int pc_emu(struct conform *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* One value of `state` for input in (0-based): inN.key */
int pc_emu_in_long(struct conform *c, unsigned int in, const char *key,
		   long *out);
int pc_emu_in_double(struct conform *c, unsigned int in, const char *key,
		     double *out);

/* Saving and putting back gains, switches and sources; clears faults. */
bool pc_save(struct conform *c, struct pc_saved *s);
void pc_restore(struct conform *c, const struct pc_saved *s);

/* Inputs */
bool pc_has_gain(const struct conform *c, unsigned int in);
bool pc_has_switch(const struct conform *c, unsigned int in, unsigned int sw);
unsigned int pc_gain_steps(const struct conform *c, unsigned int in);
/* First/last input of in's phantom group (in itself without one). */
void pc_group_span(const struct conform *c, unsigned int in,
		   unsigned int *first, unsigned int *last);
/* A mask of the inputs in in's phantom group. */
uint32_t pc_group_mask(const struct conform *c, unsigned int in);

/* Notifications: 1 for one, 0 on timeout, a negative errno when gone. */
int pc_notif_wait(struct conform *c, int timeout_ms, struct pc_notif *n);
/* Reads and drops notifications until none came for quiet_ms. */
unsigned int pc_notif_drain(struct conform *c, int quiet_ms);
/*
 * Collects notifications until none came for quiet_ms or max_ms passed.
 * Returns how many were stored (at most cap; more are counted in *extra).
 */
size_t pc_notif_collect(struct conform *c, int quiet_ms, int max_ms,
			struct pc_notif *out, size_t cap, size_t *extra);
void pc_notif_describe(struct conform *c, const struct pc_notif *n);

/* The groups of checks */
void group_requests(struct conform *c);
void group_stall(struct conform *c);
void group_phantom(struct conform *c);
void group_notify(struct conform *c);
void group_meters(struct conform *c);
void group_faults(struct conform *c);
void group_disconnect(struct conform *c);
void group_probe(struct conform *c);

#endif /* PAMP_CONFORM_H */
