/* SPDX-License-Identifier: MIT */
/*
 * Model data files: an emulated interface described in INI (see README.md),
 * validated so that a shipped model is always a device the spec allows.
 */
#ifndef EMU_MODELFILE_H
#define EMU_MODELFILE_H

#include <stddef.h>

#include "model.h"

/* Loads path into out; on error returns -errno/-EINVAL and says why in err. */
int emu_desc_load(const char *path, struct emu_desc *out, char *err,
		  size_t errlen);
/* The same from a string (for tests). */
int emu_desc_parse(const char *text, struct emu_desc *out, char *err,
		   size_t errlen);

#endif /* EMU_MODELFILE_H */
