// SPDX-License-Identifier: MIT
/* Device keys: bounded, file-name safe, and distinct for distinct serials. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "devkey.h"
#include "sha256.h"

#define HASH_SUFFIX 9	/* "-" and 8 hex digits */

static bool key_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/*
 * Appends raw[0..len) to out (which holds olen chars) so that the total
 * stays within PA_KEY_MAX: each unsafe byte becomes '_'; where that changed
 * anything or had to cut, the result ends in "-" and 8 hex digits of the
 * SHA-256 of hashed[0..hlen).
 */
static int append_component(char *out, size_t olen, const char *raw,
			    size_t len, const void *hashed, size_t hlen)
{
	size_t room = PA_KEY_MAX - olen, i, keep;
	bool changed = len > room;
	uint8_t h[PA_SHA256_LEN];

	if (room < HASH_SUFFIX + 1)
		return -ENAMETOOLONG;
	for (i = 0; i < len; i++)
		if (!key_char((unsigned char)raw[i]))
			changed = true;
	keep = len;
	if (changed && keep > room - HASH_SUFFIX)
		keep = room - HASH_SUFFIX;
	for (i = 0; i < keep; i++)
		out[olen + i] = key_char((unsigned char)raw[i]) ? raw[i] : '_';
	olen += keep;
	if (changed) {
		pa_sha256(hashed, hlen, h);
		snprintf(out + olen, HASH_SUFFIX + 1, "-%02x%02x%02x%02x",
			 h[0], h[1], h[2], h[3]);
		olen += HASH_SUFFIX;
	}
	out[olen] = '\0';
	return 0;
}

int pa_devkey_make(uint16_t vid, uint16_t pid, const char *serial,
		   size_t serial_len, const char *id_path,
		   char out[PA_KEY_MAX + 1])
{
	int n;

	if (!serial)
		serial_len = 0;
	if (serial_len == 0 && (!id_path || !*id_path))
		return -EINVAL;
	n = snprintf(out, PA_KEY_MAX + 1, "%04x-%04x-%s", vid, pid,
		     serial_len ? "" : "path-");
	if (serial_len)
		return append_component(out, (size_t)n, serial, serial_len,
					serial, serial_len);
	return append_component(out, (size_t)n, id_path, strlen(id_path),
				id_path, strlen(id_path));
}

int pa_devkey_disambiguate(const char *base, const char *id_path,
			   char out[PA_KEY_MAX + 1])
{
	char hashed[PA_KEY_MAX + 8 + 4096];
	size_t blen, plen;
	int n;

	if (!pa_devkey_valid(base) || !id_path || !*id_path)
		return -EINVAL;
	blen = strlen(base);
	plen = strnlen(id_path, 4096);
	/* what the suffix distinguishes: this base and the whole path */
	n = snprintf(hashed, sizeof(hashed), "%s-path-", base);
	memcpy(hashed + n, id_path, plen);
	/* the room left for the path; cut the base when there is none */
	if (blen + 6 + HASH_SUFFIX + 1 > PA_KEY_MAX)
		blen = PA_KEY_MAX - 6 - HASH_SUFFIX - 1;
	memcpy(out, base, blen);
	memcpy(out + blen, "-path-", 6);
	if (blen < strlen(base)) {
		/* the cut already changed something: force the hash */
		size_t room = PA_KEY_MAX - blen - 6 - HASH_SUFFIX;
		uint8_t h[PA_SHA256_LEN];
		size_t i, keep = plen < room ? plen : room;

		for (i = 0; i < keep; i++)
			out[blen + 6 + i] = key_char((unsigned char)id_path[i]) ?
					    id_path[i] : '_';
		pa_sha256(hashed, (size_t)n + plen, h);
		snprintf(out + blen + 6 + keep, HASH_SUFFIX + 1,
			 "-%02x%02x%02x%02x", h[0], h[1], h[2], h[3]);
		return 0;
	}
	return append_component(out, blen + 6, id_path, plen, hashed,
				(size_t)n + plen);
}

bool pa_devkey_valid(const char *key)
{
	size_t i, len = strnlen(key, PA_KEY_MAX + 1);

	if (len == 0 || len > PA_KEY_MAX || key[0] == '.')
		return false;
	for (i = 0; i < len; i++)
		if (!key_char((unsigned char)key[i]))
			return false;
	return true;
}

int pa_usb_path_of_card(const char *card_id_path, char *out, size_t outsz)
{
	size_t len = strlen(card_id_path), end = len;
	const char *usb = strstr(card_id_path, "-usb-");
	size_t i = len;

	if (len + 1 > outsz)
		return -ENAMETOOLONG;
	/* ":<digits>.<digits>" at the very end, after "-usb-" */
	while (i > 0 && card_id_path[i - 1] >= '0' && card_id_path[i - 1] <= '9')
		i--;
	if (usb && i < len && i > 0 && card_id_path[i - 1] == '.') {
		size_t j = i - 1;

		while (j > 0 && card_id_path[j - 1] >= '0' &&
		       card_id_path[j - 1] <= '9')
			j--;
		if (j < i - 1 && j > 0 && card_id_path[j - 1] == ':' &&
		    card_id_path + j - 1 > usb + 4)
			end = j - 1;
	}
	memcpy(out, card_id_path, end);
	out[end] = '\0';
	return 0;
}
