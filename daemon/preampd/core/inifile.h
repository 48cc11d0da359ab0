/* SPDX-License-Identifier: MIT */
/*
 * inih with line numbers and strict limits. Debian's inih gives the handler
 * no line number, splits lines longer than 199 bytes into two and stops at
 * a NUL byte; this wrapper counts lines itself and refuses such text as a
 * whole instead of parsing a fragment of it.
 */
#ifndef PREAMPD_INIFILE_H
#define PREAMPD_INIFILE_H

#include <stddef.h>

/* Lines longer than this (without the newline) are refused: inih's line
 * buffer is 200 bytes with the NUL. */
#define PA_INI_MAX_LINE	199
/* Section names inih keeps whole (its buffer is 50 bytes). */
#define PA_INI_MAX_SECTION	49

/* Return 0 to go on, a negative errno to stop (after writing err). */
typedef int (*pa_ini_handler)(void *user, unsigned line, const char *section,
			      const char *name, const char *value);

/*
 * Parses text[0..len). Returns 0, or a negative errno with a sentence in err
 * ("line 3: ..."): -EBADMSG for malformed text, or the handler's error.
 */
int pa_ini_parse(const char *text, size_t len, pa_ini_handler handler,
		 void *user, char *err, size_t errlen);

#endif
