// SPDX-License-Identifier: MIT
/*
 * pamp-conform: the conformance test of a Preamp Control device (spec:
 * usb-protocol.md) against the emulator that plays it. It talks to the
 * device through usbfs only and to the emulator through its control
 * socket, and prints `ok - ...` / `not ok - ...` lines with the expected
 * and the seen value under each failure.
 *
 *   pamp-conform --ctl /run/emu-NAME.sock --device /dev/bus/usb/BBB/DDD
 *                [--only GROUP[,GROUP...]] [--disconnect-on REQ]
 *                [--pad-db DB] [--timeout MS] [--verbose]
 *
 * --timeout is the host's timeout for ordinary requests: the spec's
 * 1000 ms by default; a slow emulated machine may need more. The checks of
 * the timeout itself (fault delay) always use 1000 ms.
 *
 * Exit status: 0 every check passed, 1 a check failed, 2 the test could
 * not run (usage, no device, no emulator).
 */
#include "conform.h"

#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct group {
	const char *name;
	void (*run)(struct conform *c);
	bool by_default;
	const char *what;
} groups[] = {
	{ "requests", group_requests, true,
	  "every request against the emulator's state" },
	{ "stall", group_stall, true,
	  "every STALL rule; nothing changes, the stall clears" },
	{ "phantom", group_phantom, true,
	  "phantom groups: one switch, notifications for the others" },
	{ "notify", group_notify, true,
	  "notifications: knob, coalescing and rate, reset, clip" },
	{ "meters", group_meters, true,
	  "GET_METERS against the sources and the gain" },
	{ "faults", group_faults, true,
	  "every injected fault but disconnects, as a host sees it" },
	{ "probe", group_probe, true,
	  "what the spec leaves open (notes only, never fails)" },
	{ "disconnect", group_disconnect, false,
	  "fault disconnect-on REQ: the device vanishes mid-request" },
	{ "unplug", group_disconnect, false,
	  "the emulator unplugs: pending transfers end, the device is gone" },
};

#define NUM_GROUPS (sizeof(groups) / sizeof(groups[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: pamp-conform --ctl SOCKET --device /dev/bus/usb/BBB/DDD\n"
		"                    [--only GROUP[,GROUP...]] [--disconnect-on REQ]\n"
		"                    [--pad-db DB] [--timeout MS] [--verbose]\n"
		"groups (default: all but disconnect and unplug):\n");
	for (i = 0; i < NUM_GROUPS; i++)
		fprintf(f, "  %-11s %s\n", groups[i].name, groups[i].what);
}

/* The device node, the interface, its string, claiming it. */
static bool setup_interface(struct conform *c)
{
	char s[128], drv[256];
	int r;

	r = usbfs_open(&c->dev, c->devpath);
	if (r < 0) {
		DETAIL(c, "open %s: %s", c->devpath, pc_errname(r));
		RESULT(c, false, "the device node opens");
		return false;
	}
	r = usbfs_find_interface(&c->dev, PAMP_INTF_CLASS, PAMP_INTF_SUBCLASS,
				 PAMP_INTF_PROTOCOL, &c->intf);
	if (r < 0) {
		DETAIL(c, "expected an interface ff/50/01 in the configuration descriptor, seen %s",
		       r == -ENOENT ? "none" : pc_errname(r));
		RESULT(c, false, "the configuration has a Preamp Control interface (ff/50/01)");
		return false;
	}
	RESULT(c, true, "the configuration has a Preamp Control interface (ff/50/01): interface %u",
	       c->intf.number);

	r = usbfs_get_string(&c->dev, c->intf.string_index, s, sizeof(s),
			     c->timeout_ms);
	if (r < 0)
		DETAIL(c, "GET_DESCRIPTOR string %u: %s", c->intf.string_index,
		       pc_errname(r));
	else
		DETAIL(c, "expected \"%s\", seen \"%s\"", PAMP_INTF_STRING, s);
	if (!RESULT(c, r >= 0 && !strcmp(s, PAMP_INTF_STRING),
		    "the interface string (iInterface %u) is \"%s\"",
		    c->intf.string_index, PAMP_INTF_STRING))
		return false;

	r = usbfs_driver(&c->dev, c->intf.number, drv, sizeof(drv));
	if (r == 0 && !strcmp(drv, "usbfs")) {
		DETAIL(c, "interface %u is already claimed through usbfs by another program",
		       c->intf.number);
		RESULT(c, false, "the interface can be claimed");
		return false;
	}
	if (r == 0) {
		tap_note("interface %u is bound to %s: detaching it",
			 c->intf.number, drv);
		r = usbfs_detach(&c->dev, c->intf.number);
		if (r < 0)
			DETAIL(c, "USBDEVFS_DISCONNECT: %s", pc_errname(r));
	}
	r = usbfs_claim(&c->dev, c->intf.number);
	if (r < 0)
		DETAIL(c, "USBDEVFS_CLAIMINTERFACE %u: %s", c->intf.number,
		       pc_errname(r));
	return RESULT(c, r == 0, "interface %u claimed", c->intf.number);
}

/* GET_INFO, every GET_INPUT_INFO, and what a host would make of them. */
static bool setup_describe(struct conform *c)
{
	uint8_t bufs[PAMP_MAX_INPUTS][sizeof(struct pamp_input_info)];
	size_t lens[PAMP_MAX_INPUTS];
	struct pv_result res;
	uint8_t buf[sizeof(struct pamp_info)];
	unsigned int i;
	int r;

	r = pc_in(c, PAMP_REQ_GET_INFO, 0, buf, sizeof(buf));
	if (r < 0) {
		DETAIL(c, "GET_INFO: %s", pc_errname(r));
		RESULT(c, false, "GET_INFO answers");
		return false;
	}
	pv_check_info(buf, (size_t)r, &res);
	for (i = 0; i < res.num_msgs; i++)
		DETAIL(c, "%s", res.msg[i]);
	if (!RESULT(c, res.verdict == PV_OK,
		    "GET_INFO passes the host's checks (verdict: %s)",
		    pv_verdict_name(res.verdict)) &&
	    res.verdict == PV_REFUSED)
		return false;
	memcpy(&c->info, buf, sizeof(c->info));
	c->n = c->info.num_inputs;
	c->flags = c->info.flags;
	c->window_ms = le16toh(c->info.meter_window_ms);

	memset(&res, 0, sizeof(res));
	for (i = 0; i < c->n; i++) {
		r = pc_in(c, PAMP_REQ_GET_INPUT_INFO, (uint16_t)i, bufs[i],
			  sizeof(bufs[i]));
		lens[i] = r < 0 ? 0 : (size_t)r;
		if (r < 0)
			DETAIL(c, "GET_INPUT_INFO %u: %s", i, pc_errname(r));
		else
			memcpy(&c->raw[i], bufs[i], sizeof(c->raw[i]));
	}
	pv_check_inputs(bufs, lens, c->n, c->in, &res);
	for (i = 0; i < res.num_msgs; i++)
		DETAIL(c, "%s", res.msg[i]);
	if (!RESULT(c, res.verdict == PV_OK,
		    "GET_INPUT_INFO of all %u inputs passes the host's checks (verdict: %s)",
		    c->n, pv_verdict_name(res.verdict)) &&
	    res.verdict == PV_REFUSED)
		return false;
	tap_note("%u inputs, flags 0x%02x%s%s%s, meter window %u ms", c->n,
		 c->flags, c->flags & PAMP_FLAG_METERS ? " meters" : "",
		 c->flags & PAMP_FLAG_NOTIFY ? " notify" : "",
		 c->flags & PAMP_FLAG_PERSISTENT ? " persistent" : "",
		 c->window_ms);
	return true;
}

static void setup_notify(struct conform *c)
{
	int r;

	if (!(c->flags & PAMP_FLAG_NOTIFY))
		return;
	if (!c->intf.has_intr_in || c->intf.intr_maxp < 8) {
		if (c->intf.has_intr_in)
			DETAIL(c, "expected wMaxPacketSize >= 8, seen %u",
			       c->intf.intr_maxp);
		else
			DETAIL(c, "expected an interrupt IN endpoint, seen none");
		RESULT(c, false, "FLAG_NOTIFY: the interface has an interrupt IN endpoint of at least 8 bytes");
		return;
	}
	RESULT(c, true, "FLAG_NOTIFY: interrupt IN endpoint 0x%02x, wMaxPacketSize %u, bInterval %u",
	       c->intf.intr_ep, c->intf.intr_maxp, c->intf.intr_interval);
	r = usbfs_intr_start(&c->dev, c->intf.intr_ep, c->intf.intr_maxp,
			     &c->intr);
	if (r < 0) {
		DETAIL(c, "USBDEVFS_SUBMITURB: %s", pc_errname(r));
		RESULT(c, false, "an interrupt URB is submitted");
		c->intr = NULL;
	}
}

static double model_pad_db(struct conform *c)
{
	double v;

	if (c->have_pad_db)
		return c->pad_db;
	/* The emulator may say it; otherwise the meters group does without. */
	if (ctl_cmd(c->ctl, &c->reply, "state") == 0 &&
	    ctl_double(&c->reply, "device.pad_db", &v) == 0) {
		c->pad_db = v;
		c->have_pad_db = true;
	}
	return c->pad_db;
}

static bool selected(const char *only, const struct group *g)
{
	const char *p = only;
	size_t len = strlen(g->name);

	if (!only)
		return g->by_default;
	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t l = comma ? (size_t)(comma - p) : strlen(p);

		if (l == len && !strncmp(p, g->name, len))
			return true;
		if (l == 3 && !strncmp(p, "all", 3) && g->by_default)
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

static bool only_valid(const char *only)
{
	const char *p = only;

	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t l = comma ? (size_t)(comma - p) : strlen(p);
		size_t i;
		bool found = l == 3 && !strncmp(p, "all", 3);

		for (i = 0; i < NUM_GROUPS && !found; i++)
			found = strlen(groups[i].name) == l &&
				!strncmp(p, groups[i].name, l);
		if (!found) {
			fprintf(stderr, "pamp-conform: unknown group '%.*s'\n",
				(int)l, p);
			return false;
		}
		p = comma ? comma + 1 : NULL;
	}
	return true;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ctl", required_argument, NULL, 'c' },
		{ "device", required_argument, NULL, 'd' },
		{ "only", required_argument, NULL, 'o' },
		{ "disconnect-on", required_argument, NULL, 'D' },
		{ "pad-db", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct conform conf;
	struct conform *c = &conf;
	const char *only = NULL;
	size_t i;
	int opt;

	c->dev.fd = -1;
	c->disconnect_req = "SET_GAIN";
	c->timeout_ms = PAMP_HOST_TIMEOUT_MS;
	while ((opt = getopt_long(argc, argv, "c:d:o:D:p:t:vh", opts, NULL)) != -1) {
		char *end;

		switch (opt) {
		case 'c':
			c->ctl = optarg;
			break;
		case 'd':
			c->devpath = optarg;
			break;
		case 'o':
			only = optarg;
			break;
		case 'D':
			c->disconnect_req = optarg;
			break;
		case 'p':
			c->pad_db = strtod(optarg, &end);
			if (end == optarg || *end) {
				fprintf(stderr, "pamp-conform: bad --pad-db '%s'\n",
					optarg);
				return 2;
			}
			c->have_pad_db = true;
			break;
		case 't':
			c->timeout_ms = (unsigned int)strtoul(optarg, &end, 10);
			if (end == optarg || *end || c->timeout_ms < 100 ||
			    c->timeout_ms > 60000) {
				fprintf(stderr, "pamp-conform: --timeout takes 100..60000 ms\n");
				return 2;
			}
			break;
		case 'v':
			c->tap.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!c->ctl || !c->devpath || optind != argc || !only_valid(only)) {
		usage(stderr);
		return 2;
	}

	tap_note("pamp-conform: device %s, emulator %s, request timeout %u ms",
		 c->devpath, c->ctl, c->timeout_ms);
	if (pc_emu(c, "fault clear") < 0) {
		RESULT(c, false, "the emulator's control socket answers");
		tap_finish(&c->tap);
		return 2;
	}
	model_pad_db(c);
	if (!setup_interface(c) || !setup_describe(c)) {
		tap_note("cannot go on without the interface");
		tap_finish(&c->tap);
		usbfs_close(&c->dev);
		return c->tap.failed ? 1 : 2;
	}
	setup_notify(c);

	for (i = 0; i < NUM_GROUPS; i++) {
		if (!selected(only, &groups[i]))
			continue;
		if (c->gone) {
			tap_note("the device is gone: group %s not run",
				 groups[i].name);
			continue;
		}
		tap_note("group %s: %s", groups[i].name, groups[i].what);
		if (!strcmp(groups[i].name, "unplug"))
			c->disconnect_req = NULL;	/* unplug, not a fault */
		groups[i].run(c);
	}

	if (c->max_latency_ms)
		tap_note("slowest answer to a request: %u ms", c->max_latency_ms);
	usbfs_intr_stop(c->intr);
	c->intr = NULL;
	if (!c->gone)
		usbfs_release(&c->dev, c->intf.number);
	usbfs_close(&c->dev);
	return tap_finish(&c->tap);
}
