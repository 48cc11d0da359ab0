// SPDX-License-Identifier: MIT
/*
 * pamp-show: what a Preamp Control interface says about itself, decoded for
 * a person: GET_INFO, the input table with each input's state and meter,
 * and, with --watch, the notifications as they arrive.
 *
 *   pamp-show /dev/bus/usb/BBB/DDD [--watch SECONDS]
 *
 * It talks to the interface through usbfs, so no kernel driver may be bound
 * to it; everything the device sends is checked as a host must (section 6).
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "preamp-protocol.h"
#include "usbfs.h"
#include "validate.h"

#define TIMEOUT_MS 5000

static const char *const switch_names[PAMP_NUM_SWITCHES] = {
	"48V", "pad", "phase", "hpf", "air", "inst",
};

static void print_switches(unsigned int bits)
{
	int any = 0;

	for (unsigned int i = 0; i < PAMP_NUM_SWITCHES; i++)
		if (bits & (1u << i))
			printf("%s%s", any++ ? "," : "", switch_names[i]);
	if (!any)
		printf("-");
}

static double q8(int v)
{
	return v / 256.0;
}

static int get(struct usbfs_dev *dev, unsigned int intf, uint8_t req,
	       uint16_t value, void *buf, uint16_t len)
{
	return usbfs_control(dev, PAMP_REQTYPE_IN, req, value, intf, buf, len,
			     TIMEOUT_MS);
}

static int show_table(struct usbfs_dev *dev, unsigned int intf,
		      const struct pamp_info *info)
{
	unsigned int n = info->num_inputs;
	uint8_t bufs[PAMP_MAX_INPUTS][sizeof(struct pamp_input_info)];
	size_t lens[PAMP_MAX_INPUTS];
	struct pv_input in[PAMP_MAX_INPUTS];
	struct pamp_input_state st[PAMP_MAX_INPUTS];
	struct pamp_meter m[PAMP_MAX_INPUTS];
	struct pv_result res = { 0 };
	bool meters = (info->flags & PAMP_FLAG_METERS) &&
		      le16toh(info->meter_window_ms) >= PAMP_METER_WINDOW_MIN_MS &&
		      le16toh(info->meter_window_ms) <= PAMP_METER_WINDOW_MAX_MS;
	int r;

	for (unsigned int i = 0; i < n; i++) {
		r = get(dev, intf, PAMP_REQ_GET_INPUT_INFO, i, bufs[i],
			sizeof(bufs[i]));
		if (r < 0) {
			fprintf(stderr, "GET_INPUT_INFO %u: %s\n", i, strerror(-r));
			return r;
		}
		lens[i] = (size_t)r;
	}
	pv_check_inputs((const uint8_t (*)[sizeof(struct pamp_input_info)])bufs,
			lens, n, in, &res);
	for (unsigned int i = 0; i < res.num_msgs; i++)
		printf("  note: %s\n", res.msg[i]);
	if (res.verdict == PV_REFUSED)
		return -EPROTO;

	r = get(dev, intf, PAMP_REQ_GET_ALL_STATE, 0, st, (uint16_t)(4 * n));
	if (r != (int)(4 * n)) {
		fprintf(stderr, "GET_ALL_STATE: %s\n", r < 0 ? strerror(-r) : "short");
		return -EPROTO;
	}
	if (meters) {
		r = get(dev, intf, PAMP_REQ_GET_METERS, 0, m, (uint16_t)(4 * n));
		meters = r == (int)(4 * n);
	}

	printf("\n  in  label             gain range (dB)      step  48V group  can do                      now\n");
	for (unsigned int i = 0; i < n; i++) {
		char range[32] = "-", step[16] = "-", group[8] = "own";

		if (in[i].caps & PAMP_CAP_GAIN) {
			snprintf(range, sizeof(range), "%+.1f .. %+.1f",
				 q8(in[i].gain_min), q8(in[i].gain_max));
			snprintf(step, sizeof(step), "%.2f", q8(in[i].gain_step));
		}
		if (!(in[i].caps & (1u << PAMP_SW_PHANTOM)))
			strcpy(group, "-");
		else if (in[i].phantom_group)
			snprintf(group, sizeof(group), "%u", in[i].phantom_group);
		printf("  %2u  %-16s  %-19s  %-4s  %-9s  ", i + 1, in[i].label,
		       range, step, group);
		print_switches(in[i].caps & PAMP_SWITCH_MASK);
		printf("%*s", 2, "");
		if (in[i].caps & PAMP_CAP_GAIN)
			printf("%+.1f dB ", q8((int16_t)le16toh(st[i].gain)));
		print_switches(le16toh(st[i].switches) & in[i].caps);
		if (meters && (in[i].caps & PAMP_CAP_METER)) {
			int peak = (int16_t)le16toh(m[i].peak);

			if (peak == PAMP_METER_SILENCE)
				printf("  peak -inf");
			else
				printf("  peak %.1f dBFS", q8(peak));
			printf(", %u clips", le16toh(m[i].clip_count));
		}
		printf("\n");
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int watch(struct usbfs_dev *dev, const struct usbfs_intf *intf,
		 double seconds)
{
	struct usbfs_intr *intr;
	double start = now_s(), t;
	int r;

	if (!intf->has_intr_in) {
		printf("no interrupt endpoint: this device does not notify\n");
		return 0;
	}
	r = usbfs_intr_start(dev, intf->intr_ep, intf->intr_maxp, &intr);
	if (r < 0) {
		fprintf(stderr, "cannot read notifications: %s\n", strerror(-r));
		return r;
	}
	printf("watching notifications for %.0f s...\n", seconds);
	fflush(stdout);
	while ((t = now_s() - start) < seconds) {
		struct usbfs_urb_result res;
		uint32_t changed, events;

		r = usbfs_intr_wait(intr, (int)((seconds - t) * 1000) + 1, &res);
		if (r == 0)
			continue;	/* nothing within the time: loop ends */
		if (r < 0 || res.status < 0) {
			printf("  the endpoint ended: %s\n",
			       strerror(r < 0 ? -r : -res.status));
			break;
		}
		if (res.len < sizeof(struct pamp_notification)) {
			printf("  %6.3f s  a short notification (%zu bytes), ignored\n",
			       now_s() - start, res.len);
			continue;
		}
		memcpy(&changed, res.data, 4);
		memcpy(&events, res.data + 4, 4);
		changed = le32toh(changed);
		events = le32toh(events);
		printf("  %6.3f s  notification:", now_s() - start);
		for (unsigned int i = 0; i < 32; i++)
			if (changed & (1u << i))
				printf(" input %u changed", i + 1);
		if (events & PAMP_EVT_CLIP)
			printf(" CLIP");
		if (events & PAMP_EVT_RESET)
			printf(" RESET");
		printf("\n");
		fflush(stdout);
	}
	usbfs_intr_stop(intr);
	return 0;
}

int main(int argc, char **argv)
{
	struct usbfs_dev dev;
	struct usbfs_intf intf;
	struct pamp_info info;
	struct pv_result res = { 0 };
	char label[64] = "";
	double watch_s = 0;
	int r;

	if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "--watch"))) {
		fprintf(stderr, "usage: pamp-show /dev/bus/usb/BBB/DDD [--watch SECONDS]\n");
		return 2;
	}
	if (argc == 4) {
		char *end;

		watch_s = strtod(argv[3], &end);
		if (*end || !(watch_s > 0 && watch_s <= 3600)) {
			fprintf(stderr, "pamp-show: --watch takes 0 to 3600 seconds\n");
			return 2;
		}
	}
	r = usbfs_open(&dev, argv[1]);
	if (r < 0) {
		fprintf(stderr, "pamp-show: %s: %s\n", argv[1], strerror(-r));
		return 1;
	}
	r = usbfs_find_interface(&dev, PAMP_INTF_CLASS, PAMP_INTF_SUBCLASS,
				 PAMP_INTF_PROTOCOL, &intf);
	if (r < 0) {
		fprintf(stderr, "pamp-show: no interface of class ff/50/01\n");
		goto out;
	}
	if (intf.string_index)
		usbfs_get_string(&dev, intf.string_index, label, sizeof(label),
				 TIMEOUT_MS);
	if (strcmp(label, PAMP_INTF_STRING)) {
		fprintf(stderr, "pamp-show: interface %u is \"%s\", not \"%s\"\n",
			intf.number, label, PAMP_INTF_STRING);
		r = -ENODEV;
		goto out;
	}
	r = usbfs_claim(&dev, intf.number);
	if (r < 0) {
		fprintf(stderr, "pamp-show: interface %u is in use (a driver is bound?): %s\n",
			intf.number, strerror(-r));
		goto out;
	}
	r = get(&dev, intf.number, PAMP_REQ_GET_INFO, 0, &info, sizeof(info));
	pv_check_info((const uint8_t *)&info, r < 0 ? 0 : (size_t)r, &res);
	if (r < 0 || res.verdict == PV_REFUSED) {
		fprintf(stderr, "pamp-show: GET_INFO: %s\n",
			r < 0 ? strerror(-r) : res.msg[0]);
		r = -EPROTO;
		goto out;
	}
	printf("interface %u \"%s\": Preamp Control Protocol %u.%u, %u inputs, flags:%s%s%s, meter window %u ms\n",
	       intf.number, label, info.version_major, info.version_minor,
	       info.num_inputs,
	       info.flags & PAMP_FLAG_METERS ? " meters" : "",
	       info.flags & PAMP_FLAG_NOTIFY ? " notify" : "",
	       info.flags & PAMP_FLAG_PERSISTENT ? " persistent" : "",
	       le16toh(info.meter_window_ms));
	r = show_table(&dev, intf.number, &info);
	if (!r && watch_s > 0)
		r = watch(&dev, &intf, watch_s);
	usbfs_release(&dev, intf.number);
out:
	usbfs_close(&dev);
	return r < 0 ? 1 : 0;
}
