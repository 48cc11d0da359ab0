// SPDX-License-Identifier: MIT
/*
 * Which personality a model file asks for, and the helpers they share.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <ini.h>

#include "personality.h"
#include "personalities.h"

static const struct {
	const char *kind;
	int (*load)(const char *path, const char *serial,
		    struct emu_personality *p, char *err, size_t errlen);
} kinds[] = {
	{ "preamp", preamp_personality_load },
	{ "scarlett2", scarlett2_personality_load },
	{ "bbfpro", bbfpro_personality_load },
	{ "uac2", uac2_personality_load },
};

struct peek {
	char kind[32];
	bool too_long;
};

static int peek_handler(void *user, const char *section, const char *name,
			const char *value)
{
	struct peek *pk = user;

	if (!strcmp(section, "device") && !strcmp(name, "personality")) {
		if (strlen(value) >= sizeof(pk->kind))
			pk->too_long = true;
		else
			strcpy(pk->kind, value);
	}
	return 1;	/* the personality's own loader judges the rest */
}

int emu_personality_load(const char *path, const char *serial,
			 struct emu_personality *p, char *err, size_t errlen)
{
	struct peek pk = { "preamp", false };
	FILE *f;
	size_t i;

	memset(p, 0, sizeof(*p));
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ini_parse_file(f, peek_handler, &pk);
	fclose(f);
	if (pk.too_long) {
		snprintf(err, errlen, "%s: the personality's name is too long",
			 path);
		return -1;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].kind, pk.kind))
			return kinds[i].load(path, serial, p, err, errlen);
	snprintf(err, errlen, "%s: no personality '%s' (preamp scarlett2 bbfpro uac2)",
		 path, pk.kind);
	return -1;
}

void emu_personality_free(struct emu_personality *p)
{
	if (p && p->ops && p->ops->free && p->dev)
		p->ops->free(p->dev);
	if (p)
		p->dev = NULL;
}

int emu_serial_check(const char *serial, size_t max, char *err, size_t errlen)
{
	size_t i, n = strlen(serial);

	if (n == 0 || n > max) {
		snprintf(err, errlen, "the serial must be 1..%zu characters", max);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)serial[i] < 0x20 || serial[i] == 0x7f) {
			snprintf(err, errlen, "control character in the serial");
			return -1;
		}
	}
	return 0;
}

int emu_usb_langids(uint8_t *buf, size_t cap)
{
	if (cap < 4)
		return -ENOSPC;
	buf[0] = 4;
	buf[1] = 0x03;		/* STRING */
	buf[2] = 0x09;		/* English (United States) */
	buf[3] = 0x04;
	return 4;
}

/* The strings of the personalities are ASCII: one UTF-16 unit each; any
 * other byte becomes U+FFFD. */
int emu_usb_string_desc(const char *s, uint8_t *buf, size_t cap)
{
	size_t len = 2;

	if (cap < 2)
		return -ENOSPC;
	if (cap > 255)
		cap = 255;
	for (; *s && len + 2 <= cap; s++) {
		unsigned char ch = (unsigned char)*s;
		unsigned int u = ch < 0x80 ? ch : 0xfffd;

		buf[len++] = u & 0xff;
		buf[len++] = u >> 8;
	}
	buf[0] = (uint8_t)len;
	buf[1] = 0x03;
	return (int)len;
}
