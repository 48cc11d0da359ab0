/* SPDX-License-Identifier: MIT */
/*
 * preampctl's D-Bus side: the connection to the system bus, reading the
 * daemon's objects into a struct pctl_state, and every method call, with
 * failures mapped to an exit code and a message (errors.h). Every byte
 * the daemon sends is checked: a property of an unexpected type is
 * ignored, never trusted.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "errors.h"
#include "model.h"

#define PCTL_ROOT_PATH		"/org/preampd/Preamp1"
#define PCTL_IFACE_MANAGER	"org.preampd.Preamp1.Manager"
#define PCTL_IFACE_DEVICE	"org.preampd.Preamp1.Device"
#define PCTL_IFACE_INPUT	"org.preampd.Preamp1.Input"

/* Limits on what we take from the daemon. */
#define PCTL_MAX_DEVICES	256
#define PCTL_MAX_INPUTS		256

struct pctl_bus;

/* interactive: polkit may ask for a password (passed with every change). */
int pctl_bus_open(struct pctl_bus **out, bool interactive, struct pctl_error *err);
void pctl_bus_free(struct pctl_bus *b);
sd_bus *pctl_bus_sd(struct pctl_bus *b);
bool pctl_bus_interactive(const struct pctl_bus *b);

/* Reads the Manager and every device and input. */
int pctl_bus_load(struct pctl_bus *b, struct pctl_state *st, struct pctl_error *err);

/*
 * Calls a method of the daemon; what says what is being done, for the
 * message. change: a call that changes something (polkit may prompt, so
 * no short timeout). reply may be NULL.
 */
int pctl_bus_call(struct pctl_bus *b, const char *path, const char *iface,
		  const char *member, bool change, sd_bus_message **reply,
		  struct pctl_error *err, const char *what, const char *types, ...);

/* Fills err from a method error reply (or the errno r). */
void pctl_bus_error(struct pctl_error *err, const char *what,
		    const sd_bus_error *e, int r);

struct pctl_level {
	double peak;		/* dBFS; NaN where the daemon sent nonsense */
	uint32_t clips;
};

/* Reads a GetLevels reply: at most max entries, *n of them. */
int pctl_bus_read_levels(sd_bus_message *m, struct pctl_level *out, size_t max, size_t *n);

/*
 * Reads one a{sv} of properties, keeping only those in the table whose
 * type matches; m sits at the array.
 */
enum pctl_prop_type { PCTL_PROP_STR, PCTL_PROP_BOOL, PCTL_PROP_DOUBLE,
		      PCTL_PROP_U32, PCTL_PROP_I32, PCTL_PROP_STRV, PCTL_PROP_PATHV };
struct pctl_prop {
	const char *name;
	enum pctl_prop_type type;
	size_t offset;		/* in the struct given to pctl_bus_read_props() */
};
int pctl_bus_read_props(sd_bus_message *m, const struct pctl_prop *props,
			size_t n, void *base);
/* The properties of an input, for reading a PropertiesChanged into one. */
extern const struct pctl_prop pctl_input_props[];
extern const size_t pctl_n_input_props;
/* Turns the read capability words into bits (call after reading). */
struct pctl_input_raw {
	struct pctl_input in;
	char **caps;
	char **group;		/* PhantomGroup paths */
};
void pctl_input_raw_clear(struct pctl_input_raw *r);
