// SPDX-License-Identifier: MIT
/*
 * preampctl: the command-line client of preampd. Parses the command line,
 * reads the daemon's devices, finds the device and input meant, checks
 * what can be checked before asking (capabilities, range), makes the call
 * and says what happened, or why not, with an exit code from errors.h.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "args.h"
#include "bus.h"
#include "errors.h"
#include "format.h"
#include "help.h"
#include "meter.h"
#include "model.h"
#include "monitor.h"
#include "select.h"

#ifndef PREAMP_VERSION
#define PREAMP_VERSION "0.1"
#endif

struct ctx {
	struct pctl_cmd cmd;
	struct pctl_bus *bus;
	struct pctl_state st;
	struct pctl_error err;
	struct pctl_buf out;
	struct pctl_device *dev;
	struct pctl_input *in;
};

static int find_device(struct ctx *c)
{
	struct pctl_dev_ref *refs = calloc(c->st.n_devices + 1, sizeof(*refs));
	char msg[sizeof(c->err.message)];
	size_t pos;
	int r;

	if (!refs) {
		pctl_error_set(&c->err, PCTL_EXIT_FAILED, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < c->st.n_devices; i++) {
		const struct pctl_device *d = &c->st.devices[i];

		refs[i] = (struct pctl_dev_ref){ d->index, d->key, d->card_id, d->name, d->card };
	}
	r = pctl_select_device(refs, c->st.n_devices, c->cmd.dev, &pos, msg, sizeof(msg));
	free(refs);
	if (r < 0) {
		pctl_error_set(&c->err, r == -ENOMEM ? PCTL_EXIT_FAILED : PCTL_EXIT_NOTFOUND,
			       "%s", msg);
		return -1;
	}
	c->dev = &c->st.devices[pos];
	return 0;
}

static int find_input(struct ctx *c)
{
	struct pctl_in_ref *refs = calloc(c->dev->n_inputs + 1, sizeof(*refs));
	char msg[sizeof(c->err.message)];
	struct pctl_buf name;
	size_t pos;
	int r;

	if (!refs) {
		pctl_error_set(&c->err, PCTL_EXIT_FAILED, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < c->dev->n_inputs; i++)
		refs[i] = (struct pctl_in_ref){ c->dev->inputs[i].number, c->dev->inputs[i].label };
	r = pctl_select_input(refs, c->dev->n_inputs, c->cmd.input, &pos, msg, sizeof(msg));
	free(refs);
	if (r < 0) {
		pctl_buf_init(&name);
		pctl_term_text(&name, c->dev->name, 60);
		pctl_error_set(&c->err, r == -ENOMEM ? PCTL_EXIT_FAILED : PCTL_EXIT_NOTFOUND,
			       "%s: %s", pctl_buf_str(&name), msg);
		pctl_buf_free(&name);
		return -1;
	}
	c->in = &c->dev->inputs[pos];
	return 0;
}

/* "Mic 1 (input 1) of Quad Mic Pre" into a fixed buffer */
static const char *input_name(const struct ctx *c, char *out, size_t size)
{
	struct pctl_buf b;

	pctl_buf_init(&b);
	pctl_fmt_input_name(&b, c->dev, c->in);
	snprintf(out, size, "%s", pctl_buf_str(&b));
	pctl_buf_free(&b);
	return out;
}

static const char *device_name(const struct ctx *c, char *out, size_t size)
{
	struct pctl_buf b;

	pctl_buf_init(&b);
	pctl_term_text(&b, c->dev->name, 60);
	snprintf(out, size, "%s", pctl_buf_str(&b));
	pctl_buf_free(&b);
	return out;
}

static int need(struct ctx *c, unsigned cap, const char *what)
{
	char name[200];

	if (c->in->caps & cap)
		return 0;
	pctl_error_set(&c->err, PCTL_EXIT_UNSUPPORTED, "%s has no %s", input_name(c, name, sizeof(name)),
		       what);
	return -1;
}

static void print_out(struct ctx *c)
{
	if (c->out.failed) {
		pctl_error_set(&c->err, PCTL_EXIT_FAILED, "out of memory");
		return;
	}
	fputs(pctl_buf_str(&c->out), stdout);
	pctl_buf_reset(&c->out);
}

/* {"device":KEY,"input":N, ... the caller adds the rest and "}\n" */
static void json_head(struct ctx *c)
{
	pctl_buf_puts(&c->out, "{\"device\":");
	pctl_json_string(&c->out, c->dev->key);
	if (c->in)
		pctl_buf_printf(&c->out, ",\"input\":%u", c->in->number);
}

static void range_text(const struct pctl_input *in, char *out, size_t size)
{
	char lo[48], hi[48];

	pctl_fmt_num(lo, sizeof(lo), in->gain_min);
	pctl_fmt_num(hi, sizeof(hi), in->gain_max);
	snprintf(out, size, "%s to %s dB", lo, hi);
}

static int cmd_gain(struct ctx *c)
{
	sd_bus_message *reply = NULL;
	char name[200], what[260], range[120], v[48];
	double set = NAN;
	int r;

	if (need(c, PCTL_CAP_GAIN, "gain control") < 0)
		return -1;
	range_text(c->in, range, sizeof(range));
	if (!c->cmd.relative && isfinite(c->in->gain_min) && isfinite(c->in->gain_max) &&
	    (c->cmd.value < c->in->gain_min || c->cmd.value > c->in->gain_max)) {
		pctl_fmt_num(v, sizeof(v), c->cmd.value);
		pctl_error_set(&c->err, PCTL_EXIT_INVALID,
			       "%s dB is out of range for %s: %s", v,
			       input_name(c, name, sizeof(name)), range);
		return -1;
	}
	snprintf(what, sizeof(what), "setting the gain of %s", input_name(c, name, sizeof(name)));
	pctl_agent_open();
	r = pctl_bus_call(c->bus, c->in->path, PCTL_IFACE_INPUT,
			  c->cmd.relative ? "AdjustGain" : "SetGain", true, &reply, &c->err, what,
			  "db", c->cmd.value, (int)pctl_bus_interactive(c->bus));
	pctl_agent_close();
	if (r < 0) {
		if (c->err.code == PCTL_EXIT_INVALID) {
			size_t l = strlen(c->err.message);

			snprintf(c->err.message + l, sizeof(c->err.message) - l,
				 " (the range is %s)", range);
		}
		return -1;
	}
	if (sd_bus_message_read(reply, "d", &set) < 0)
		set = NAN;	/* done, but the reply did not say to what */
	sd_bus_message_unref(reply);
	if (c->cmd.json) {
		json_head(c);
		pctl_buf_puts(&c->out, ",\"gain\":");
		pctl_json_number(&c->out, set);
		pctl_buf_puts(&c->out, "}\n");
	} else {
		pctl_fmt_db(v, sizeof(v), set);
		pctl_buf_printf(&c->out, "%s: gain %s\n", name, isfinite(set) ? v : "set");
	}
	return 0;
}

static bool group_locked(const struct ctx *c)
{
	if (c->in->phantom_locked)
		return true;
	for (size_t i = 0; i < c->in->n_phantom_group; i++) {
		const struct pctl_input *p = pctl_device_input_by_number(c->dev,
									  c->in->phantom_group[i]);

		if (p && p->phantom_locked)
			return true;
	}
	return false;
}

static void group_text(struct pctl_buf *b, const struct pctl_input *in, bool json)
{
	if (json) {
		pctl_buf_puts(b, ",\"inputs\":[");
		if (in->n_phantom_group == 0)
			pctl_buf_printf(b, "%u", in->number);
		for (size_t i = 0; i < in->n_phantom_group; i++)
			pctl_buf_printf(b, "%s%u", i ? "," : "", in->phantom_group[i]);
		pctl_buf_putc(b, ']');
		return;
	}
	if (in->n_phantom_group > 1) {
		pctl_buf_puts(b, " (one switch for inputs ");
		for (size_t i = 0; i < in->n_phantom_group; i++)
			pctl_buf_printf(b, "%s%u", i ? ", " : "", in->phantom_group[i]);
		pctl_buf_putc(b, ')');
	}
}

static int cmd_phantom(struct ctx *c, bool lock)
{
	char name[200], what[260];
	int r;

	if (need(c, PCTL_CAP_PHANTOM, "48 V phantom power") < 0)
		return -1;
	input_name(c, name, sizeof(name));
	if (!lock && c->cmd.on && group_locked(c)) {
		pctl_error_set(&c->err, PCTL_EXIT_BUSY,
			       "48 V is locked off for %s%s.\nThe lock protects a ribbon microphone; "
			       "remove it with: preampctl lock DEV IN off", name,
			       c->in->phantom_locked ? "" : " (by an input sharing its switch)");
		return -1;
	}
	snprintf(what, sizeof(what), "%s 48 V for %s",
		 lock ? (c->cmd.on ? "locking" : "unlocking") : (c->cmd.on ? "switching on" :
									     "switching off"),
		 name);
	pctl_agent_open();
	r = pctl_bus_call(c->bus, c->in->path, PCTL_IFACE_INPUT,
			  lock ? "SetPhantomLock" : "SetPhantom", true, NULL, &c->err, what,
			  "bb", (int)c->cmd.on, (int)pctl_bus_interactive(c->bus));
	pctl_agent_close();
	if (r < 0)
		return -1;
	if (c->cmd.json) {
		json_head(c);
		pctl_buf_printf(&c->out, ",\"%s\":%s", lock ? "phantom_locked" : "phantom",
				c->cmd.on ? "true" : "false");
		group_text(&c->out, c->in, true);
		pctl_buf_puts(&c->out, "}\n");
	} else if (lock) {
		pctl_buf_printf(&c->out, "%s: 48 V %s", name,
				c->cmd.on ? "locked off" : "unlocked");
		group_text(&c->out, c->in, false);
		pctl_buf_putc(&c->out, '\n');
	} else {
		pctl_buf_printf(&c->out, "%s: 48 V %s", name, c->cmd.on ? "on" : "off");
		group_text(&c->out, c->in, false);
		pctl_buf_putc(&c->out, '\n');
	}
	return 0;
}

static int cmd_switch(struct ctx *c)
{
	static const struct {
		const char *word, *what;
		unsigned cap;
	} sw[] = {
		{ "pad", "pad", PCTL_CAP_PAD },
		{ "phase", "phase (polarity) switch", PCTL_CAP_PHASE },
		{ "highpass", "high-pass filter", PCTL_CAP_HIGHPASS },
		{ "air", "Air mode", PCTL_CAP_AIR },
	};
	char name[200], what[260];
	size_t i;
	int r;

	for (i = 0; i < sizeof(sw) / sizeof(sw[0]) - 1; i++)
		if (strcmp(c->cmd.word, sw[i].word) == 0)
			break;
	if (need(c, sw[i].cap, sw[i].what) < 0)
		return -1;
	snprintf(what, sizeof(what), "switching %s %s for %s", sw[i].word,
		 c->cmd.on ? "on" : "off", input_name(c, name, sizeof(name)));
	pctl_agent_open();
	r = pctl_bus_call(c->bus, c->in->path, PCTL_IFACE_INPUT, "SetSwitch", true, NULL,
			  &c->err, what, "sbb", sw[i].word, (int)c->cmd.on,
			  (int)pctl_bus_interactive(c->bus));
	pctl_agent_close();
	if (r < 0)
		return -1;
	if (c->cmd.json) {
		json_head(c);
		pctl_buf_printf(&c->out, ",\"%s\":%s}\n", sw[i].word, c->cmd.on ? "true" : "false");
	} else {
		pctl_buf_printf(&c->out, "%s: %s %s\n", name, sw[i].word, c->cmd.on ? "on" : "off");
	}
	return 0;
}

static int cmd_level(struct ctx *c)
{
	char name[200], what[260];
	int r;

	if (need(c, PCTL_CAP_LEVEL, "line/instrument switch") < 0)
		return -1;
	snprintf(what, sizeof(what), "setting %s to %s level", input_name(c, name, sizeof(name)),
		 c->cmd.word);
	pctl_agent_open();
	r = pctl_bus_call(c->bus, c->in->path, PCTL_IFACE_INPUT, "SetLevel", true, NULL, &c->err,
			  what, "sb", c->cmd.word, (int)pctl_bus_interactive(c->bus));
	pctl_agent_close();
	if (r < 0)
		return -1;
	if (c->cmd.json) {
		json_head(c);
		pctl_buf_printf(&c->out, ",\"level\":\"%s\"}\n", c->cmd.word);
	} else {
		pctl_buf_printf(&c->out, "%s: %s level\n", name,
				strcmp(c->cmd.word, "inst") == 0 ? "instrument" : "line");
	}
	return 0;
}

static int cmd_policy(struct ctx *c)
{
	char name[100], what[200];
	int r;

	snprintf(what, sizeof(what), "setting the 48 V policy of %s",
		 device_name(c, name, sizeof(name)));
	pctl_agent_open();
	r = pctl_bus_call(c->bus, c->dev->path, PCTL_IFACE_DEVICE, "SetPhantomPolicy", true, NULL,
			  &c->err, what, "sb", c->cmd.word, (int)pctl_bus_interactive(c->bus));
	pctl_agent_close();
	if (r < 0)
		return -1;
	if (c->cmd.json) {
		json_head(c);
		pctl_buf_printf(&c->out, ",\"phantom_policy\":\"%s\"}\n", c->cmd.word);
	} else {
		static const char *const meaning[] = {
			"off", "48 V is switched off at every plug-in",
			"restore", "48 V comes back as it was saved",
			"device", "48 V is left as the device reports it",
		};

		for (size_t i = 0; i < sizeof(meaning) / sizeof(meaning[0]); i += 2)
			if (strcmp(c->cmd.word, meaning[i]) == 0)
				pctl_buf_printf(&c->out, "%s: 48 V policy %s (%s)\n", name,
						c->cmd.word, meaning[i + 1]);
	}
	return 0;
}

static bool has_preset(const struct pctl_device *d, const char *name)
{
	for (size_t i = 0; i < d->n_presets; i++)
		if (strcmp(d->presets[i], name) == 0)
			return true;
	return false;
}

static int cmd_preset(struct ctx *c)
{
	const char *method = NULL, *done = NULL;
	char name[100], what[300];
	struct pctl_buf pn;
	int r;

	device_name(c, name, sizeof(name));
	if (c->cmd.verb == PCTL_CMD_PRESET_LIST) {
		if (c->cmd.json) {
			json_head(c);
			pctl_buf_puts(&c->out, ",\"presets\":[");
			for (size_t i = 0; i < c->dev->n_presets; i++) {
				if (i)
					pctl_buf_putc(&c->out, ',');
				pctl_json_string(&c->out, c->dev->presets[i]);
			}
			pctl_buf_puts(&c->out, "]}\n");
		} else if (c->dev->n_presets == 0) {
			pctl_buf_printf(&c->out, "%s has no saved presets.\n", name);
		} else {
			for (size_t i = 0; i < c->dev->n_presets; i++) {
				pctl_term_text(&c->out, c->dev->presets[i], 64);
				pctl_buf_putc(&c->out, '\n');
			}
		}
		return 0;
	}
	pctl_buf_init(&pn);
	pctl_term_text(&pn, c->cmd.name, 64);
	switch (c->cmd.verb) {
	case PCTL_CMD_PRESET_SAVE:
		method = "SavePreset", done = "saved";
		break;
	case PCTL_CMD_PRESET_APPLY:
		method = "ApplyPreset", done = "applied";
		break;
	default:
		method = "DeletePreset", done = "deleted";
		break;
	}
	if (c->cmd.verb != PCTL_CMD_PRESET_SAVE && !has_preset(c->dev, c->cmd.name)) {
		struct pctl_buf list;

		pctl_buf_init(&list);
		for (size_t i = 0; i < c->dev->n_presets && i < 20; i++) {
			pctl_buf_puts(&list, i ? ", " : "");
			pctl_term_text(&list, c->dev->presets[i], 64);
		}
		pctl_error_set(&c->err, PCTL_EXIT_NOTFOUND, "%s has no preset '%s'%s%s", name,
			       pctl_buf_str(&pn), c->dev->n_presets ? "; presets: " : " (it has none)",
			       pctl_buf_str(&list));
		pctl_buf_free(&list);
		pctl_buf_free(&pn);
		return -1;
	}
	snprintf(what, sizeof(what), "preset '%s' of %s", pctl_buf_str(&pn), name);
	pctl_agent_open();
	r = pctl_bus_call(c->bus, c->dev->path, PCTL_IFACE_DEVICE, method, true, NULL, &c->err,
			  what, "sb", c->cmd.name, (int)pctl_bus_interactive(c->bus));
	pctl_agent_close();
	if (r == 0) {
		if (c->cmd.json) {
			json_head(c);
			pctl_buf_puts(&c->out, ",\"preset\":");
			pctl_json_string(&c->out, c->cmd.name);
			pctl_buf_printf(&c->out, ",\"action\":\"%s\"}\n", done);
		} else {
			pctl_buf_printf(&c->out, "%s: preset '%s' %s\n", name, pctl_buf_str(&pn), done);
		}
	}
	pctl_buf_free(&pn);
	return r < 0 ? -1 : 0;
}

static int cmd_meter(struct ctx *c)
{
	struct pctl_meter_opts o = { c->cmd.json, c->cmd.rate, c->cmd.count };
	bool any = false;
	char name[200];
	int code;

	if (c->in) {
		if (need(c, PCTL_CAP_METER, "level meter") < 0)
			return -1;
	} else {
		for (size_t i = 0; i < c->dev->n_inputs; i++)
			any |= (c->dev->inputs[i].caps & PCTL_CAP_METER) != 0;
		if (!any) {
			pctl_error_set(&c->err, PCTL_EXIT_UNSUPPORTED, "%s has no level meters",
				       device_name(c, name, sizeof(name)));
			return -1;
		}
	}
	code = pctl_meter_run(c->bus, c->dev, c->in, &o, &c->err);
	if (code != PCTL_EXIT_OK) {
		c->err.code = code;
		return -1;
	}
	return 0;
}

static int cmd_autogain(struct ctx *c)
{
	int code;

	if (need(c, PCTL_CAP_AUTOGAIN, "autogain") < 0)
		return -1;
	pctl_agent_open();
	code = pctl_autogain_run(c->bus, c->dev, c->in, c->cmd.target, c->cmd.listen_ms,
				 c->cmd.json, &c->err);
	pctl_agent_close();
	if (code != PCTL_EXIT_OK) {
		c->err.code = code;
		return -1;
	}
	return 0;
}

/* one candidate a line; a line break inside one would split it */
static void candidate(struct pctl_buf *b, const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return;
	pctl_buf_puts(b, s);
	pctl_buf_putc(b, '\n');
}

static int cmd_complete(struct ctx *c)
{
	char num[16];

	switch (c->cmd.complete) {
	case PCTL_COMPLETE_DEVICES:
		for (size_t i = 0; i < c->st.n_devices; i++) {
			snprintf(num, sizeof(num), "%u", c->st.devices[i].index);
			candidate(&c->out, num);
			candidate(&c->out, c->st.devices[i].key);
		}
		return 0;
	case PCTL_COMPLETE_INPUTS:
		for (size_t i = 0; i < c->dev->n_inputs; i++) {
			snprintf(num, sizeof(num), "%u", c->dev->inputs[i].number);
			candidate(&c->out, num);
		}
		return 0;
	case PCTL_COMPLETE_PRESETS:
		for (size_t i = 0; i < c->dev->n_presets; i++)
			candidate(&c->out, c->dev->presets[i]);
		return 0;
	}
	return 0;
}

static int run(struct ctx *c)
{
	enum pctl_verb v = c->cmd.verb;
	bool interactive = !c->cmd.no_ask_password && isatty(STDIN_FILENO);

	if (pctl_bus_open(&c->bus, interactive, &c->err) < 0)
		return -1;
	if (v == PCTL_CMD_MONITOR) {
		int code = pctl_monitor_run(c->bus, c->cmd.json, c->cmd.count, &c->err);

		c->err.code = code;
		return code ? -1 : 0;
	}
	if (pctl_bus_load(c->bus, &c->st, &c->err) < 0)
		return -1;
	if (c->cmd.dev && find_device(c) < 0)
		return -1;
	if (c->cmd.input && find_input(c) < 0)
		return -1;

	switch (v) {
	case PCTL_CMD_STATUS:
		if (c->cmd.json)
			pctl_json_status(&c->out, &c->st, c->dev);
		else
			pctl_fmt_status(&c->out, &c->st, c->dev);
		return 0;
	case PCTL_CMD_LIST:
		if (c->cmd.json)
			pctl_json_list(&c->out, &c->st);
		else
			pctl_fmt_list(&c->out, &c->st);
		return 0;
	case PCTL_CMD_SHOW:
		if (c->cmd.json) {
			pctl_json_device(&c->out, c->dev);
			pctl_buf_putc(&c->out, '\n');
		} else {
			pctl_fmt_show(&c->out, c->dev);
		}
		return 0;
	case PCTL_CMD_GAIN:
		return cmd_gain(c);
	case PCTL_CMD_PHANTOM:
		return cmd_phantom(c, false);
	case PCTL_CMD_LOCK:
		return cmd_phantom(c, true);
	case PCTL_CMD_SWITCH:
		return cmd_switch(c);
	case PCTL_CMD_LEVEL:
		return cmd_level(c);
	case PCTL_CMD_POLICY:
		return cmd_policy(c);
	case PCTL_CMD_PRESET_SAVE:
	case PCTL_CMD_PRESET_APPLY:
	case PCTL_CMD_PRESET_DELETE:
	case PCTL_CMD_PRESET_LIST:
		return cmd_preset(c);
	case PCTL_CMD_METER:
		return cmd_meter(c);
	case PCTL_CMD_AUTOGAIN:
		return cmd_autogain(c);
	case PCTL_CMD_COMPLETE:
		return cmd_complete(c);
	default:
		return 0;
	}
}

int main(int argc, char **argv)
{
	static struct ctx c;	/* static: zeroed, and off the stack */
	char msg[512];
	int code;

	code = pctl_parse_args(argc, argv, &c.cmd, msg, sizeof(msg));
	if (code != PCTL_EXIT_OK) {
		fprintf(stderr, "preampctl: %s\n", msg);
		if (code == PCTL_EXIT_USAGE)
			fprintf(stderr, "Try 'preampctl %s%s--help'.\n",
				c.cmd.topic ? c.cmd.topic : "", c.cmd.topic ? " " : "");
		return code;
	}
	if (c.cmd.verb == PCTL_CMD_HELP) {
		fputs(c.cmd.topic ? pctl_command_help(c.cmd.topic) : pctl_help_text,
		      stdout);
		return PCTL_EXIT_OK;
	}
	if (c.cmd.verb == PCTL_CMD_VERSION) {
		printf("preampctl %s\n", PREAMP_VERSION);
		return PCTL_EXIT_OK;
	}

	pctl_buf_init(&c.out);
	code = PCTL_EXIT_OK;
	if (run(&c) < 0)
		code = c.err.code ? c.err.code : PCTL_EXIT_FAILED;
	print_out(&c);
	if (c.err.code && code == PCTL_EXIT_OK)
		code = c.err.code;	/* the output itself failed */
	if (fflush(stdout) != 0 && code == PCTL_EXIT_OK) {
		pctl_error_set(&c.err, PCTL_EXIT_FAILED, "cannot write the output");
		code = PCTL_EXIT_FAILED;
	}
	if (code != PCTL_EXIT_OK && c.err.message[0] && c.cmd.verb != PCTL_CMD_COMPLETE)
		fprintf(stderr, "preampctl: %s\n", c.err.message);

	pctl_agent_close();
	pctl_buf_free(&c.out);
	pctl_state_clear(&c.st);
	pctl_bus_free(c.bus);
	return code;
}
