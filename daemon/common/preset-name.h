/* SPDX-License-Identifier: MIT */
/*
 * What a preset name may be (the D-Bus contract, section 3): 1 to 64 bytes
 * of valid UTF-8, without '/' or control characters. preampd refuses other
 * names and preampctl does not send them. Pure.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define PREAMP_PRESET_NAME_MAX 64	/* bytes */

/* name: len bytes (a NUL among them makes it invalid) */
bool preamp_preset_name_valid(const char *name, size_t len);
