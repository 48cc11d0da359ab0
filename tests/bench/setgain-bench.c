/*
 * setgain-bench: the round trip of preampd's SetGain over the system bus.
 *
 *   setgain-bench [--ping] INPUT_PATH [N]
 *
 * Makes N (default 1000) SetGain calls on INPUT_PATH, alternating two
 * gains, each waiting for its reply; with --ping, N empty method calls
 * (org.freedesktop.DBus.Peer.Ping, which sd-bus answers in preampd's
 * process without running any of preampd's code) on the same path: the
 * bus's share of a call, the reference for SetGain's. It prints
 *   calls=N p50_ms=X p99_ms=Y max_ms=Z timeouts=T errors=E
 * A call that took the driver's host timeout (1000 ms) or longer is a
 * timeout: a slow device on a busy bus, counted as a figure of its own and
 * left out of the percentiles, whether preampd answered it with success
 * (the device applied it late) or with an error. Any other failed call is
 * an error; it is counted, the measurement goes on. Exit status 1 when a
 * call failed other than by a timeout, or none was measured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "call-stats.h"

int main(int argc, char **argv)
{
	sd_bus *bus = NULL;
	double *t;
	long n = 1000, measured = 0, timeouts = 0, errors = 0;
	int ping = 0, r;

	if (argc > 1 && !strcmp(argv[1], "--ping")) {
		ping = 1;
		argv++;
		argc--;
	}
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: setgain-bench [--ping] INPUT_PATH [N]\n");
		return 2;
	}
	if (argc == 3)
		n = strtol(argv[2], NULL, 10);
	if (n < 1 || n > 1000000) {
		fprintf(stderr, "setgain-bench: bad count\n");
		return 2;
	}
	t = calloc((size_t)n, sizeof(*t));
	if (!t)
		return 1;
	r = sd_bus_open_system(&bus);
	if (r < 0) {
		fprintf(stderr, "setgain-bench: system bus: %s\n", strerror(-r));
		return 1;
	}
	for (long i = 0; i < n; i++) {
		sd_bus_error err = SD_BUS_ERROR_NULL;
		sd_bus_message *reply = NULL;
		double t0 = now_ms(), dt;

		if (ping)
			r = sd_bus_call_method(bus, "org.preampd.Preamp1", argv[1],
					       "org.freedesktop.DBus.Peer", "Ping",
					       &err, &reply, "");
		else
			r = sd_bus_call_method(bus, "org.preampd.Preamp1", argv[1],
					       "org.preampd.Preamp1.Input", "SetGain",
					       &err, &reply, "db",
					       (i & 1) ? 20.0 : 10.0, 0);
		dt = now_ms() - t0;
		if (dt >= HOST_TIMEOUT_MS) {
			timeouts++;
		} else if (r < 0) {
			if (errors++ < 5)
				fprintf(stderr, "setgain-bench: call %ld: %s\n", i,
					err.message ? err.message : strerror(-r));
		} else {
			t[measured++] = dt;
		}
		if (r < 0 && dt >= HOST_TIMEOUT_MS)
			fprintf(stderr, "setgain-bench: call %ld timed out after %.0f ms: %s\n",
				i, dt, err.message ? err.message : strerror(-r));
		sd_bus_error_free(&err);
		sd_bus_message_unref(reply);
	}
	print_call_stats(t, measured, n, timeouts, errors);
	sd_bus_flush_close_unref(bus);
	free(t);
	return errors > 0 || measured == 0;
}
