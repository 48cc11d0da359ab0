/* SPDX-License-Identifier: MIT */
/* SHA-256 (FIPS 180-4), for device keys: no crypto library needed. */
#ifndef PREAMPD_SHA256_H
#define PREAMPD_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define PA_SHA256_LEN 32

void pa_sha256(const void *data, size_t len, uint8_t out[PA_SHA256_LEN]);

#endif
