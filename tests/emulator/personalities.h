/* SPDX-License-Identifier: MIT */
/*
 * The personalities preamp-emu knows (personality.h), each a loader of its
 * model files.
 */
#ifndef EMU_PERSONALITIES_H
#define EMU_PERSONALITIES_H

#include <stddef.h>

#include "personality.h"

/* preamp-emu's own interface: the Preamp Control Protocol */
int preamp_personality_load(const char *path, const char *serial,
			    struct emu_personality *p, char *err, size_t errlen);
/* Focusrite Scarlett 3rd/4th Gen and Vocaster: Linux's scarlett2 */
int scarlett2_personality_load(const char *path, const char *serial,
			       struct emu_personality *p, char *err,
			       size_t errlen);
/* RME Babyface Pro: the bbfpro quirk of snd-usb-audio */
int bbfpro_personality_load(const char *path, const char *serial,
			    struct emu_personality *p, char *err, size_t errlen);
/* A class-compliant UAC2 interface with input gain on a feature unit */
int uac2_personality_load(const char *path, const char *serial,
			  struct emu_personality *p, char *err, size_t errlen);

/* A USB serial given on the command line: 1..max printable bytes. */
int emu_serial_check(const char *serial, size_t max, char *err,
		     size_t errlen);

#endif /* EMU_PERSONALITIES_H */
