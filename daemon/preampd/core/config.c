// SPDX-License-Identifier: MIT
/* preampd.conf, parsed with inih. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "inifile.h"
#include "util.h"

void pa_config_defaults(struct pa_config *c, const char *profile_dir,
			const char *state_dir, const char *runtime_dir)
{
	memset(c, 0, sizeof(*c));
	c->debounce_ms = PA_DEBOUNCE_DEFAULT_MS;
	c->phantom_policy = PA_POLICY_OFF;
	snprintf(c->fallback_group, sizeof(c->fallback_group), "audio");
	snprintf(c->profile_dir, sizeof(c->profile_dir), "%s", profile_dir);
	snprintf(c->state_dir, sizeof(c->state_dir), "%s", state_dir);
	snprintf(c->runtime_dir, sizeof(c->runtime_dir), "%s", runtime_dir);
}

struct cparse {
	struct pa_config *c;
	char *err;
	size_t errlen;
	int first;	/* first error seen */
};

static void bad(struct cparse *p, unsigned line, const char *fmt,
		const char *a, const char *b)
{
	char msg[200];

	if (p->first)
		return;
	p->first = -EBADMSG;
	snprintf(msg, sizeof(msg), fmt, a, b);
	snprintf(p->err, p->errlen, "line %u: %s", line, msg);
}

static bool group_name_ok(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n >= PA_GROUP_MAX || v[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = v[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
		      ch == '.'))
			return false;
	}
	return true;
}

static bool dir_ok(const char *v)
{
	size_t n = strlen(v);

	if (n < 2 || n >= PA_PATH_MAX || v[0] != '/')
		return false;
	/* no ".." component */
	if (strstr(v, "/../") || (n >= 3 && !strcmp(v + n - 3, "/..")))
		return false;
	return true;
}

static int handler(void *user, unsigned line, const char *section,
		   const char *name, const char *value)
{
	struct cparse *p = user;
	struct pa_config *c = p->c;
	unsigned long ul;
	enum pa_policy pol;

	if (strcmp(section, "preampd") != 0) {
		bad(p, line, "key '%s' outside the [preampd] section%s", name,
		    "");
		return 0;
	}
	if (!strcmp(name, "debounce_ms")) {
		if (pa_parse_uint(value, 0, PA_DEBOUNCE_MAX_MS, &ul) < 0)
			bad(p, line, "debounce_ms must be 0..60000, not '%s'%s",
			    value, "");
		else
			c->debounce_ms = (unsigned)ul;
	} else if (!strcmp(name, "phantom_policy")) {
		if (pa_policy_from_name(value, &pol) < 0)
			bad(p, line,
			    "phantom_policy must be off, restore or device, not '%s'%s",
			    value, "");
		else
			c->phantom_policy = pol;
	} else if (!strcmp(name, "fallback_group")) {
		if (!group_name_ok(value))
			bad(p, line, "fallback_group '%s' is not a group name%s",
			    value, "");
		else
			snprintf(c->fallback_group, sizeof(c->fallback_group),
				 "%s", value);
	} else if (!strcmp(name, "profile_dir") || !strcmp(name, "state_dir") ||
		   !strcmp(name, "runtime_dir")) {
		char *dst = !strcmp(name, "profile_dir") ? c->profile_dir :
			    !strcmp(name, "state_dir") ? c->state_dir :
			    c->runtime_dir;

		if (!dir_ok(value))
			bad(p, line, "%s must be an absolute directory, not '%s'",
			    name, value);
		else
			snprintf(dst, PA_PATH_MAX, "%s", value);
	} else {
		bad(p, line, "unknown key '%s'%s", name, "");
	}
	return 0;
}

int pa_config_parse(const char *text, size_t len, struct pa_config *c,
		    char *err, size_t errlen)
{
	struct cparse p = { .c = c, .err = err, .errlen = errlen };
	int r;

	r = pa_ini_parse(text, len, handler, &p, err, errlen);
	if (r < 0)
		return r;
	if (p.first)
		return p.first;
	return 0;
}
