/*
 * setgain-bench: the round trip of preampd's SetGain over the system bus.
 *
 *   setgain-bench [--ping] [--clients K] INPUT_PATH [N]
 *
 * Makes N (default 1000) SetGain calls on INPUT_PATH, alternating two
 * gains, each waiting for its reply; with --ping, N empty method calls
 * (org.freedesktop.DBus.Peer.Ping, which sd-bus answers in preampd's
 * process without running any of preampd's code) on the same path: the
 * bus's share of a call, the reference for SetGain's. It prints
 *   calls=N p50_ms=X p99_ms=Y max_ms=Z timeouts=T errors=E
 * With --clients K, K processes, each with its own bus connection, make N
 * calls each at the same time, client k on input k (INPUT_PATH's last
 * number replaced: a mixer moving K faders), and a second line says
 *   clients=K elapsed_ms=E per_call_ms=P
 * where P is the wall time per call of them all (E / (K * N)): what one
 * call costs when K callers keep preampd busy, comparable with one
 * client's p50.
 * A call that took the driver's host timeout (1000 ms) or longer is a
 * timeout: a slow device on a busy bus, counted as a figure of its own and
 * left out of the percentiles, whether preampd answered it with success
 * (the device applied it late) or with an error. Any other failed call is
 * an error; it is counted, the measurement goes on. Exit status 1 when a
 * call failed other than by a timeout, or none was measured.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <systemd/sd-bus.h>

#include "call-stats.h"

#define MAX_CLIENTS 16

struct run {
	long measured, timeouts, errors;
};

/* One client's n calls on path; their times into t[0..measured). */
static int calls(const char *path, bool ping, long n, double *t, struct run *out)
{
	sd_bus *bus = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	r = sd_bus_open_system(&bus);
	if (r < 0) {
		fprintf(stderr, "setgain-bench: system bus: %s\n", strerror(-r));
		return r;
	}
	for (long i = 0; i < n; i++) {
		sd_bus_error err = SD_BUS_ERROR_NULL;
		sd_bus_message *reply = NULL;
		double t0 = now_ms(), dt;

		if (ping)
			r = sd_bus_call_method(bus, "org.preampd.Preamp1", path,
					       "org.freedesktop.DBus.Peer", "Ping",
					       &err, &reply, "");
		else
			r = sd_bus_call_method(bus, "org.preampd.Preamp1", path,
					       "org.preampd.Preamp1.Input", "SetGain",
					       &err, &reply, "db",
					       (i & 1) ? 20.0 : 10.0, 0);
		dt = now_ms() - t0;
		if (dt >= HOST_TIMEOUT_MS) {
			out->timeouts++;
		} else if (r < 0) {
			if (out->errors++ < 5)
				fprintf(stderr, "setgain-bench: %s call %ld: %s\n", path, i,
					err.message ? err.message : strerror(-r));
		} else {
			t[out->measured++] = dt;
		}
		if (r < 0 && dt >= HOST_TIMEOUT_MS)
			fprintf(stderr, "setgain-bench: %s call %ld timed out after %.0f ms: %s\n",
				path, i, dt, err.message ? err.message : strerror(-r));
		sd_bus_error_free(&err);
		sd_bus_message_unref(reply);
	}
	sd_bus_flush_close_unref(bus);
	return 0;
}

/* INPUT_PATH with its last number replaced by k */
static int client_path(const char *path, int k, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash || !slash[1] || strspn(slash + 1, "0123456789") != strlen(slash + 1))
		return -EINVAL;
	snprintf(buf, len, "%.*s/%d", (int)(slash - path), path, k);
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t got = read(fd, p, len);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -EIO;
		p += got;
		len -= (size_t)got;
	}
	return 0;
}

/* K clients at once; every time into t[0..measured) */
static int together(const char *path, bool ping, int k, long n, double *t,
		    struct run *all, double *elapsed)
{
	int go[2], res[MAX_CLIENTS][2];
	pid_t pid[MAX_CLIENTS];
	double t0;
	int failed = 0;

	memset(all, 0, sizeof(*all));
	if (pipe(go) < 0)
		return -errno;
	for (int c = 0; c < k; c++) {
		char p[256];

		if (client_path(path, c + 1, p, sizeof(p)) < 0 || pipe(res[c]) < 0)
			return -EINVAL;
		pid[c] = fork();
		if (pid[c] < 0)
			return -errno;
		if (pid[c] == 0) {
			struct run one;
			char byte;

			close(go[1]);
			close(res[c][0]);
			/* all start when the parent closes go */
			(void)!read(go[0], &byte, 1);
			if (calls(p, ping, n, t, &one) < 0)
				_exit(1);
			if (write(res[c][1], &one, sizeof(one)) != sizeof(one) ||
			    write(res[c][1], t, (size_t)one.measured * sizeof(*t)) !=
			    (ssize_t)((size_t)one.measured * sizeof(*t)))
				_exit(1);
			_exit(0);
		}
		close(res[c][1]);
	}
	close(go[0]);
	usleep(200 * 1000);	/* their connections are up */
	t0 = now_ms();
	close(go[1]);
	for (int c = 0; c < k; c++) {
		struct run one;

		if (read_all(res[c][0], &one, sizeof(one)) < 0 ||
		    one.measured < 0 || one.measured > n ||
		    read_all(res[c][0], t + all->measured,
			     (size_t)one.measured * sizeof(*t)) < 0) {
			fprintf(stderr, "setgain-bench: client %d gave no result\n", c + 1);
			failed = 1;
		} else {
			all->measured += one.measured;
			all->timeouts += one.timeouts;
			all->errors += one.errors;
		}
		close(res[c][0]);
	}
	for (int c = 0; c < k; c++)
		waitpid(pid[c], NULL, 0);
	*elapsed = now_ms() - t0;
	return failed ? -EIO : 0;
}

int main(int argc, char **argv)
{
	double *t, elapsed = 0;
	long n = 1000;
	int clients = 1, r;
	bool ping = false;
	struct run run;

	for (;;) {
		if (argc > 1 && !strcmp(argv[1], "--ping")) {
			ping = true;
		} else if (argc > 2 && !strcmp(argv[1], "--clients")) {
			clients = atoi(argv[2]);
			argv++;
			argc--;
		} else {
			break;
		}
		argv++;
		argc--;
	}
	if (argc < 2 || argc > 3 || clients < 1 || clients > MAX_CLIENTS) {
		fprintf(stderr, "usage: setgain-bench [--ping] [--clients K] INPUT_PATH [N]\n");
		return 2;
	}
	if (argc == 3)
		n = strtol(argv[2], NULL, 10);
	if (n < 1 || n > 1000000) {
		fprintf(stderr, "setgain-bench: bad count\n");
		return 2;
	}
	t = calloc((size_t)n * (size_t)clients, sizeof(*t));
	if (!t)
		return 1;
	if (clients == 1)
		r = calls(argv[1], ping, n, t, &run);
	else
		r = together(argv[1], ping, clients, n, t, &run, &elapsed);
	if (r < 0) {
		free(t);
		return 1;
	}
	if (clients > 1) {
		print_call_stats(t, run.measured, n * clients, run.timeouts,
				 run.errors);
		printf("clients=%d elapsed_ms=%.0f per_call_ms=%.2f\n", clients,
		       elapsed, elapsed / (double)(n * clients));
	} else {
		print_call_stats(t, run.measured, n, run.timeouts, run.errors);
	}
	free(t);
	return run.errors > 0 || run.measured == 0;
}
