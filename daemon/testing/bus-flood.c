// SPDX-License-Identifier: MIT
/*
 * pa-bus-flood: one bus connection that makes COUNT calls of a preampd
 * method, waits WAIT seconds for the answers, prints how they went and
 * exits, leaving the bus with whatever still waits. For the VM scenarios.
 *
 *   pa-bus-flood [--seq] [--poke PID] COUNT WAIT PATH [METHOD]
 *
 * METHOD is SetGain (the default: 0 dB, interactive, on an input's PATH)
 * or GetLevels (on a device's PATH). The calls go out at once, or with
 * --seq one after the other's answer. --poke (with --seq): after the
 * first answer, send SIGUSR1 to PID (pa-polkit-stub, which then emits
 * polkit's Changed signal) and make the next call only once that signal
 * arrived, so that preampd has it too (the bus keeps the order).
 * Prints "sent=N busy=N denied=N ok=N other=N waiting=N".
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

static unsigned long count, sent;
static unsigned busy, denied, ok, other, waiting;
static const char *path, *method = "SetGain";
static bool seq;
static long poke_pid;
static bool poked, changed_seen;
static sd_bus *bus;
static sd_event *event;

static int send_one(void);

static int on_reply(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	const sd_bus_error *e = sd_bus_message_get_error(m);

	(void)userdata;
	(void)err;
	waiting--;
	if (!e)
		ok++;
	else if (!strcmp(e->name, "org.preampd.Preamp1.Error.Busy"))
		busy++;
	else if (!strcmp(e->name, SD_BUS_ERROR_ACCESS_DENIED))
		denied++;
	else
		other++;
	if (!seq || sent >= count)
		return sent >= count && !waiting ? sd_event_exit(event, 0) : 0;
	if (poke_pid && !poked) {
		poked = true;
		if (kill((pid_t)poke_pid, SIGUSR1) < 0)
			return sd_event_exit(event, -errno);
		return 0;	/* the next call when Changed arrives */
	}
	return send_one();
}

static int on_changed(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	(void)m;
	(void)userdata;
	(void)err;
	if (!poked || changed_seen)
		return 0;
	changed_seen = true;
	return send_one();
}

static int send_one(void)
{
	int r;

	if (!strcmp(method, "GetLevels"))
		r = sd_bus_call_method_async(bus, NULL, "org.preampd.Preamp1",
					     path, "org.preampd.Preamp1.Device",
					     "GetLevels", on_reply, NULL, "");
	else
		r = sd_bus_call_method_async(bus, NULL, "org.preampd.Preamp1",
					     path, "org.preampd.Preamp1.Input",
					     "SetGain", on_reply, NULL, "db",
					     0.0, 1);
	if (r >= 0) {
		sent++;
		waiting++;
	}
	return r;
}

static int on_time(sd_event_source *s, uint64_t usec, void *userdata)
{
	(void)s;
	(void)usec;
	(void)userdata;
	return sd_event_exit(event, 0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seq", no_argument, NULL, 's' },
		{ "poke", required_argument, NULL, 'p' },
		{ 0 }
	};
	unsigned long wait_s;
	uint64_t now;
	int c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) >= 0) {
		if (c == 's')
			seq = true;
		else if (c == 'p')
			poke_pid = strtol(optarg, NULL, 10);
		else
			return 2;
	}
	if (argc - optind < 3 || argc - optind > 4) {
		fprintf(stderr, "usage: pa-bus-flood [--seq] [--poke PID] COUNT WAIT PATH [METHOD]\n");
		return 2;
	}
	count = strtoul(argv[optind], NULL, 10);
	wait_s = strtoul(argv[optind + 1], NULL, 10);
	path = argv[optind + 2];
	if (argc - optind == 4)
		method = argv[optind + 3];
	r = sd_event_default(&event);
	if (r >= 0)
		r = sd_bus_open_system(&bus);
	if (r >= 0)
		r = sd_bus_attach_event(bus, event, 0);
	if (r >= 0 && poke_pid)
		r = sd_bus_match_signal(bus, NULL, NULL,
					"/org/freedesktop/PolicyKit1/Authority",
					"org.freedesktop.PolicyKit1.Authority",
					"Changed", on_changed, NULL);
	for (unsigned long i = 0; r >= 0 && i < (seq ? 1 : count); i++)
		r = send_one();
	if (r >= 0)
		r = sd_event_now(event, CLOCK_MONOTONIC, &now);
	if (r >= 0)
		r = sd_event_add_time(event, NULL, CLOCK_MONOTONIC,
				      now + wait_s * 1000000ULL, 0, on_time, NULL);
	if (r >= 0)
		r = sd_event_loop(event);
	if (r < 0) {
		fprintf(stderr, "pa-bus-flood: %s\n", strerror(-r));
		return 1;
	}
	printf("sent=%lu busy=%u denied=%u ok=%u other=%u waiting=%u\n", sent,
	       busy, denied, ok, other, waiting);
	sd_bus_flush_close_unref(bus);
	sd_event_unref(event);
	return 0;
}
