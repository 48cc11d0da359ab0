/* SPDX-License-Identifier: GPL-2.0 */
/*
 * snd-usb-preamp: what differs between the kernels the driver builds for
 * (Debian's 6.1 LTS, 6.12 and the newest 7.x). Each branch says which
 * kernels it serves; code outside this file uses the newest spelling.
 */
#ifndef PAMP_COMPAT_H
#define PAMP_COMPAT_H

#include <linux/slab.h>

/*
 * kzalloc_obj(VAR, GFP): a zeroed object the size of VAR's type. 7.x has
 * it (and 7.3's checkpatch asks for it over kzalloc with sizeof); for 6.1
 * and 6.12, which lack it, it is the kzalloc it stands for, with the GFP
 * flags always given.
 */
#ifndef kzalloc_obj
#define kzalloc_obj(VAR, GFP) kzalloc(sizeof(VAR), GFP)
#endif

#endif /* PAMP_COMPAT_H */
