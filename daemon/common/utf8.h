/* SPDX-License-Identifier: MIT */
/*
 * Strict UTF-8 decoding, shared by preampd and preampctl: pure, no
 * allocation.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define PREAMP_UTF8_INVALID UINT32_MAX

/*
 * Decodes one code point from s (n > 0 bytes available): returns how many
 * bytes it took (at least 1) and stores the code point, or
 * PREAMP_UTF8_INVALID for a byte that does not start a valid sequence
 * (overlong forms, surrogates and values past U+10FFFF are invalid).
 */
size_t preamp_utf8_next(const char *s, size_t n, uint32_t *cp);
