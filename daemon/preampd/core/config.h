/* SPDX-License-Identifier: MIT */
/* /etc/preampd/preampd.conf: every key optional (preampd.conf(5)). */
#ifndef PREAMPD_CONFIG_H
#define PREAMPD_CONFIG_H

#include <stddef.h>

#include "settings.h"

#define PA_PATH_MAX 256
#define PA_GROUP_MAX 64

struct pa_config {
	unsigned debounce_ms;		/* state file writes after a change */
	enum pa_policy phantom_policy;	/* for devices without a saved one */
	char fallback_group[PA_GROUP_MAX];	/* allowed without polkit */
	char profile_dir[PA_PATH_MAX];
	char state_dir[PA_PATH_MAX];
	char runtime_dir[PA_PATH_MAX];
};

#define PA_DEBOUNCE_DEFAULT_MS 500
#define PA_DEBOUNCE_MAX_MS 60000

/* The built-in defaults; directories from the arguments. */
void pa_config_defaults(struct pa_config *c, const char *profile_dir,
			const char *state_dir, const char *runtime_dir);

/*
 * Applies the keys of text over c. Every valid line is applied; the first
 * bad line is described in err and the result is -EBADMSG (the daemon logs
 * it and keeps the default for that key).
 */
int pa_config_parse(const char *text, size_t len, struct pa_config *c,
		    char *err, size_t errlen);

#endif
