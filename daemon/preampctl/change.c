// SPDX-License-Identifier: MIT
/* A property change in words. */
#include <stdio.h>
#include <string.h>

#include "change.h"
#include "format.h"

static void on_off(struct pctl_buf *b, const char *what, bool on)
{
	pctl_buf_printf(b, "%s %s", what, on ? "on" : "off");
}

static void list(struct pctl_buf *b, char **l)
{
	if (!l || !l[0]) {
		pctl_buf_puts(b, "(none)");
		return;
	}
	for (size_t i = 0; l[i]; i++) {
		if (i)
			pctl_buf_puts(b, ", ");
		pctl_term_text(b, l[i], 120);
	}
}

/* "1, 2" from the inputs' object paths (.../inputs/N) */
static void group(struct pctl_buf *b, char **paths)
{
	for (size_t i = 0; paths && paths[i]; i++) {
		const char *n = strrchr(paths[i], '/');

		if (i)
			pctl_buf_puts(b, ", ");
		pctl_term_text(b, n ? n + 1 : paths[i], 8);
	}
}

/* Whatever the value, as it is (a property this preampctl does not know). */
static void raw(struct pctl_buf *b, const struct pctl_value *v)
{
	char num[48];

	switch (v->type) {
	case 's':
		pctl_buf_putc(b, '"');
		pctl_term_text(b, v->s, 120);
		pctl_buf_putc(b, '"');
		break;
	case 'b':
		pctl_buf_puts(b, v->b ? "on" : "off");
		break;
	case 'd':
		pctl_fmt_num(num, sizeof(num), v->d);
		pctl_buf_puts(b, num);
		break;
	case 'i':
		pctl_buf_printf(b, "%lld", v->i);
		break;
	case 'a':
		list(b, v->list);
		break;
	default:
		pctl_buf_puts(b, "(?)");
		break;
	}
}

bool pctl_fmt_change(struct pctl_buf *b, const char *prop, const struct pctl_value *v)
{
	static const struct {
		const char *prop, *words;
	} switches[] = {
		{ "Pad", "pad" }, { "Phase", "phase" }, { "HighPass", "highpass" },
		{ "Air", "air" }, { "Persistent", "persistent" },
	}, texts[] = {
		{ "Level", "level" }, { "AutoGainState", "autogain" },
		{ "Label", "label" }, { "Name", "name" }, { "CardId", "ALSA card id" },
		{ "Driver", "driver" }, { "Serial", "serial" }, { "UsbId", "USB ID" },
	}, gains[] = {
		{ "Gain", "gain" }, { "GainMin", "lowest gain" },
		{ "GainMax", "highest gain" }, { "GainStep", "gain step" },
	};
	char num[48];

	if (!strcmp(prop, "Devices") || !strcmp(prop, "Inputs"))
		return false;
	for (size_t i = 0; i < sizeof(gains) / sizeof(gains[0]); i++)
		if (v->type == 'd' && !strcmp(prop, gains[i].prop)) {
			pctl_fmt_db(num, sizeof(num), v->d);
			pctl_buf_printf(b, "%s %s", gains[i].words, num);
			return true;
		}
	for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++)
		if (v->type == 'b' && !strcmp(prop, switches[i].prop)) {
			on_off(b, switches[i].words, v->b);
			return true;
		}
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (v->type == 's' && !strcmp(prop, texts[i].prop)) {
			pctl_buf_printf(b, "%s ", texts[i].words);
			pctl_term_text(b, v->s, 120);
			return true;
		}
	if (v->type == 'b' && !strcmp(prop, "Phantom")) {
		on_off(b, "48 V", v->b);
	} else if (v->type == 'b' && !strcmp(prop, "PhantomLocked")) {
		pctl_buf_puts(b, v->b ? "48 V locked off" : "48 V unlocked");
	} else if (v->type == 's' && !strcmp(prop, "PhantomPolicy")) {
		pctl_buf_puts(b, "48 V policy: ");
		pctl_term_text(b, v->s, 20);
	} else if (v->type == 'a' && !strcmp(prop, "Presets")) {
		pctl_buf_puts(b, "presets: ");
		list(b, v->list);
	} else if (v->type == 'a' && !strcmp(prop, "Capabilities")) {
		pctl_buf_puts(b, "capabilities: ");
		list(b, v->list);
	} else if (v->type == 'i' && !strcmp(prop, "Card")) {
		pctl_buf_printf(b, "ALSA card %lld", v->i);
	} else if (v->type == 'a' && !strcmp(prop, "PhantomGroup")) {
		pctl_buf_puts(b, "48 V switch of inputs ");
		group(b, v->list);
	} else {
		pctl_term_text(b, prop, 40);
		pctl_buf_putc(b, ' ');
		raw(b, v);
	}
	return true;
}
