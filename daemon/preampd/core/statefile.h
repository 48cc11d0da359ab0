/* SPDX-License-Identifier: MIT */
/*
 * The state file of one device, <key>.state in the state directory: the
 * current settings, the phantom policy and the presets, as human-readable
 * INI text (preampd(8) documents it). Parsing and formatting are pure;
 * saving is atomic.
 */
#ifndef PREAMPD_STATEFILE_H
#define PREAMPD_STATEFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "preset-name.h"
#include "settings.h"
#include "util.h"

#define PA_STATE_FORMAT 1
#define PA_PRESET_NAME_MAX PREAMP_PRESET_NAME_MAX
#define PA_PRESETS_MAX 100
#define PA_STATE_FILE_MAX (1024 * 1024)
#define PA_STATE_NAME_MAX 65	/* 64 bytes: escaped, a line still fits */
#define PA_STATE_SUFFIX ".state"
#define PA_STATE_ASIDE_SUFFIX ".state.corrupt"
#define PA_STATE_ASIDE_MAX 10	/* .state.corrupt, then -2 to -10 */
#define PA_STATE_MODE 0600	/* the unit's UMask=0077, whatever the umask */

struct pa_preset {
	char name[PA_PRESET_NAME_MAX + 1];
	struct pa_settings s;
};

struct pa_state {
	char name[PA_STATE_NAME_MAX];	/* the device's name, informative */
	bool has_policy;
	enum pa_policy policy;
	struct pa_settings cur;
	struct pa_preset *presets;	/* sorted by name (byte order) */
	size_t n_presets;
};

/* Parses a state file's text; on failure st is empty and err says why. */
int pa_state_parse(const char *text, size_t len, struct pa_state *st,
		   char *err, size_t errlen);

/*
 * Formats st as a state file for the device key into *text (allocated,
 * NUL-terminated, *len bytes; the caller frees it). 0 or -ENOMEM.
 */
int pa_state_format(const struct pa_state *st, const char *key,
		    char **text, size_t *len);

/*
 * Loads dirfd/<key>.state. -ENOENT: none; -EBADMSG (err says why), -EFBIG
 * or another error: unusable, to be kept aside.
 */
int pa_state_load(int dirfd, const char *key, struct pa_state *st, char *err,
		  size_t errlen);

/* Renames an unusable dirfd/<key>.state to <key>.state.corrupt, or to
 * the first of <key>.state.corrupt-2 .. -10 that does not exist: a file
 * kept aside is never replaced (-EEXIST when all ten are there). */
int pa_state_keep_aside(int dirfd, const char *key);

/* Writes dirfd/<key>.state atomically and durably. */
int pa_state_save(int dirfd, const char *key, const struct pa_state *st);

/* The file name of key's state file ("<key>.state"); -EINVAL for a key
 * that is not a safe file name. */
int pa_state_file_name(const char *key, char *out, size_t n);

void pa_state_init(struct pa_state *st);
void pa_state_free(struct pa_state *st);

/* Presets: index of name or -1; put adds or replaces (-E2BIG at the
 * limit); delete gives -ENOENT for an unknown name. */
int pa_state_preset_find(const struct pa_state *st, const char *name);
int pa_state_preset_put(struct pa_state *st, const char *name,
			const struct pa_settings *s);
int pa_state_preset_delete(struct pa_state *st, const char *name);

#endif
