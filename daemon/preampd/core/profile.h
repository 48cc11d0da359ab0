/* SPDX-License-Identifier: MIT */
/*
 * Profiles: data files (daemon/profiles, see preampd(8)) that map a
 * card's control names to inputs and their functions. Parsing and matching
 * are pure: the card layer describes the controls, this decides what they
 * are.
 */
#ifndef PREAMPD_PROFILE_H
#define PREAMPD_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gain.h"
#include "settings.h"

#define PA_NAME_MAX 64		/* ALSA's are at most 43 bytes */
#define PA_ITEMS_MAX 16		/* enumerated item names kept */
#define PA_ITEM_LEN 32
#define PA_LABEL_MAX 64
#define PA_ELEMS_MAX 4096	/* a card's controls looked at */
#define PA_DRIVER_MAX 32
#define PA_PROFILE_IDS 8

/* The functions a control can have. */
enum pa_fn {
	PA_FN_GAIN,
	PA_FN_PHANTOM,
	PA_FN_PAD,		/* PA_FN_PAD + sw for switch sw */
	PA_FN_PHASE,
	PA_FN_HIGHPASS,
	PA_FN_AIR,
	PA_FN_LEVEL,
	PA_FN_METER,		/* one value per input, device wide */
	PA_FN_CLIP,		/* one value per input, device wide */
	PA_FN_AUTOGAIN,		/* hardware autogain switch */
	PA_FN_AUTOGAIN_STATUS,
	PA_FN_PERSISTENT,	/* device wide: FLAG_PERSISTENT */
	PA_FN_COUNT
};

enum pa_gain_scale {
	PA_SCALE_TLV,		/* the control's dB TLV */
	PA_SCALE_USBMIXER,	/* the device's 1/256 dB range (usbmixer) */
	PA_SCALE_LINEAR,	/* dB = a + raw * b, from the profile */
};

enum pa_meter_scale {
	PA_METER_NONE,		/* not usable as an input meter */
	PA_METER_CENTI_DBFS,	/* snd-usb-preamp: 0.01 dBFS */
};

/* A card's control, as the card layer read it. */
enum pa_elem_type {
	PA_ELEM_OTHER,
	PA_ELEM_BOOLEAN,
	PA_ELEM_INTEGER,
	PA_ELEM_ENUMERATED,
};

struct pa_elem {
	unsigned numid;
	char name[PA_NAME_MAX];
	unsigned index;
	unsigned count;		/* values (channels) */
	enum pa_elem_type type;
	long min, max;		/* INTEGER */
	unsigned n_items;	/* ENUMERATED: the card's count */
	/* ENUMERATED: the first min(n_items, PA_ITEMS_MAX) names, allocated
	 * (pa_elems_free); NULL for every other type, which is most of a
	 * card's controls */
	char (*items)[PA_ITEM_LEN];
	bool readable, writable, inactive;
	bool has_db;		/* TLV: dB at min and max */
	double db_min, db_max;
	bool has_usb_db;	/* usbmixer: dB at min and max */
	double usb_db_min, usb_db_max;
};

/* Frees the item names of n elements, then the array. */
void pa_elems_free(struct pa_elem *elems, size_t n);

/* One mapping rule of a profile file. */
struct pa_rule {
	unsigned input;		/* 0: [controls] (patterned), else [input N] */
	enum pa_fn fn;
	char pattern[PA_NAME_MAX];
};

struct pa_scale {
	bool set;
	enum pa_gain_scale kind;
	double a, b;		/* PA_SCALE_LINEAR */
};

/* What a profile's [input N] says of input N besides its rules. */
struct pa_input_extra {
	unsigned input;
	char label[PA_LABEL_MAX];	/* "": [controls]' label */
	struct pa_scale scale;		/* unset: [controls]' gain_scale */
};

struct pa_profile {
	char file[PA_NAME_MAX];	/* the file's name, for messages */
	char driver[PA_DRIVER_MAX];
	char description[128];
	int priority;
	unsigned n_ids;
	struct {
		uint16_t vid, pid;
		bool any_pid;
	} ids[PA_PROFILE_IDS];
	enum pa_meter_scale meter_scale;
	char persistent_attr[32];	/* the driver's sysfs attribute, or "" */
	char label_attr[32];		/* the same, per input: holds {n} */
	char label[PA_LABEL_MAX];	/* [controls] label, may hold {n} */
	struct pa_scale scale;		/* [controls] gain_scale */
	/* the inputs with an [input N] label or gain_scale, as many as
	 * there are (most profiles have none) */
	struct pa_input_extra *extras;
	size_t n_extras;
	struct pa_rule *rules;
	size_t n_rules;
};

/* A reference to one value of one control: elems[elem], value channel. */
/* small: a device keeps 12 of them for each of 32 possible inputs */
struct pa_ref {
	int16_t elem;		/* index into the card's list (< PA_ELEMS_MAX); -1: none */
	uint16_t channel;
};

struct pa_input_map {
	unsigned number;
	char label[PA_LABEL_MAX];
	uint32_t caps;			/* enum pa_cap */
	struct pa_ref ref[PA_FN_COUNT];	/* PA_FN_PERSISTENT unused here */
	struct pa_gain_range gain;
	unsigned phantom_group;		/* the phantom control's elem + 1 */
	long sw_on[PA_SW_COUNT], sw_off[PA_SW_COUNT];
	long level_line, level_inst;
};

struct pa_match {
	const struct pa_profile *profile;
	int score;
	uint32_t present;		/* bit n-1: input n */
	struct pa_ref persistent;
	enum pa_meter_scale meter_scale;
	unsigned n_in;			/* in[] holds inputs 1..n_in */
	struct pa_input_map in[];	/* in[n-1]: input n */
};

/*
 * A match with room for every input (PA_MAX_INPUTS), as matching needs;
 * NULL when out of memory. Free it with free().
 */
struct pa_match *pa_match_new(void);

/*
 * The same match, reallocated to hold inputs up to the highest present one
 * only: what a device keeps (a map is 260 bytes, most cards have 2 to 8
 * inputs of 32). m itself when it cannot shrink.
 */
struct pa_match *pa_match_shrink(struct pa_match *m);

/* Copies src's mapping into dst, which holds dst->n_in inputs; src must
 * hold at least as many. */
void pa_match_copy(struct pa_match *dst, const struct pa_match *src);

/* Parses one profile file's text. err gets a sentence on failure. */
int pa_profile_parse(const char *text, size_t len, const char *file,
		     struct pa_profile *p, char *err, size_t errlen);
void pa_profile_clear(struct pa_profile *p);

/*
 * Matches one profile against a card's controls. Returns the score (> 0)
 * and fills m when the profile gives at least one input a gain or 48 V
 * control, 0 when it does not apply. Inputs beyond m->n_in are not
 * looked at: m comes from pa_match_new().
 */
int pa_profile_match(const struct pa_profile *p, uint16_t vid, uint16_t pid,
		     const struct pa_elem *elems, size_t n_elems,
		     struct pa_match *m);

/* The best of n profiles, or 0 when none applies (the card is ignored). */
int pa_profile_best(const struct pa_profile *profiles, size_t n, uint16_t vid,
		    uint16_t pid, const struct pa_elem *elems, size_t n_elems,
		    struct pa_match *m);

/*
 * Matching one name against a pattern: "{n}" and "{m}" stand for decimal
 * numbers 1..PA_MAX_INPUTS. Returns how many numbers were captured (0..2),
 * or -1 when the name does not match.
 */
int pa_pattern_match(const char *pattern, const char *name, unsigned *n,
		     unsigned *m);

/* Switch helpers over a mapped input: the value of the control for on/off,
 * and whether a raw value means on. */
bool pa_switch_is_on(const struct pa_input_map *in, enum pa_switch sw,
		     long raw);

/* The function names of profile files ("gain", "phantom", ...). */
const char *pa_fn_name(enum pa_fn fn);

/*
 * /proc/asound/cardN/usbmixer (snd-usb-audio): calls cb for every 16-bit
 * signed control with its device range in 1/256 dB.
 */
typedef void (*pa_usbmixer_cb)(void *user, const char *name, unsigned index,
			       long raw_min, long raw_max);
void pa_usbmixer_parse(const char *text, pa_usbmixer_cb cb, void *user);

#endif
