// SPDX-License-Identifier: MIT
/*
 * preamp-emu: an emulated USB audio interface with preamp control, served
 * over USB/IP on loopback, steered through a control socket. The model file
 * says which device it is: preamp-emu's own interface, or one of the
 * interfaces people own (personality.h).
 *
 *   preamp-emu --model FILE --port PORT --ctl SOCKET [--serial S]
 *              [--busid ID] [--verbose]
 *
 * One thread: a ppoll() loop over the USB/IP sockets and the control
 * socket, woken for the transport's deadlines; SIGTERM and SIGINT end it.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "personality.h"
#include "usbip.h"

#define MAX_POLLFDS	32

struct options {
	const char *model;
	const char *ctl;
	const char *serial;
	const char *busid;
	unsigned long port;
	bool verbose;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void usage(FILE *f)
{
	fputs("usage: preamp-emu --model FILE --port PORT --ctl SOCKET\n"
	      "                  [--serial S] [--busid ID] [--verbose]\n"
	      "\n"
	      "  --model FILE   the device model (an .ini file)\n"
	      "  --port PORT    USB/IP port on 127.0.0.1\n"
	      "  --ctl SOCKET   path of the control channel's Unix socket\n"
	      "  --serial S     USB serial number (default: the model's)\n"
	      "  --busid ID     USB/IP bus id (default: 1-1)\n"
	      "  --verbose      log every request\n", f);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "model",   required_argument, NULL, 'm' },
		{ "port",    required_argument, NULL, 'p' },
		{ "ctl",     required_argument, NULL, 'c' },
		{ "serial",  required_argument, NULL, 's' },
		{ "busid",   required_argument, NULL, 'b' },
		{ "verbose", no_argument,       NULL, 'v' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int opt;

	o->busid = "1-1";
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			o->model = optarg;
			break;
		case 'p':
			errno = 0;
			o->port = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || o->port < 1 ||
			    o->port > 65535) {
				fprintf(stderr, "preamp-emu: bad port '%s' (1..65535)\n",
					optarg);
				return -1;
			}
			break;
		case 'c':
			o->ctl = optarg;
			break;
		case 's':
			o->serial = optarg;
			break;
		case 'b':
			o->busid = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "preamp-emu: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (!o->model || !o->port || !o->ctl) {
		fprintf(stderr, "preamp-emu: --model, --port and --ctl are required\n");
		usage(stderr);
		return -1;
	}
	if (!emu_usbip_busid_valid(o->busid)) {
		fprintf(stderr, "preamp-emu: bad busid '%s' (1..%d of [0-9A-Za-z.:-])\n",
			o->busid, EMU_USBIP_BUSID_MAX);
		return -1;
	}
	return 0;
}

static int unplug_hook(void *data)
{
	return emu_usbip_unplug(data);
}

/* The control channel's commands go to the personality. */
struct ctl_target {
	struct emu_personality *p;
	struct emu_ctl_env env;
};

static int ctl_exec(void *ctx, const char *line, uint64_t now, char *out,
		    size_t out_size)
{
	struct ctl_target *t = ctx;

	return t->p->ops->ctl(t->p->dev, &t->env, line, now, out, out_size);
}

/* The event loop; returns when a signal asks it to. */
static void run(struct emu_usbip *usbip, struct emu_ctl_server *ctl,
		const sigset_t *waitmask)
{
	struct pollfd fds[MAX_POLLFDS];

	while (!stop_signal) {
		struct timespec ts, *timeout = NULL;
		uint64_t now = now_ns(), deadline;
		size_t nu, nc;

		emu_usbip_run(usbip, now);
		deadline = emu_usbip_next_deadline(usbip);
		if (deadline != UINT64_MAX) {
			uint64_t wait = deadline > now ? deadline - now : 0;

			ts.tv_sec = (time_t)(wait / 1000000000ull);
			ts.tv_nsec = (long)(wait % 1000000000ull);
			timeout = &ts;
		}

		nu = emu_usbip_pollfds(usbip, fds, MAX_POLLFDS);
		nc = emu_ctl_server_pollfds(ctl, fds + nu, MAX_POLLFDS - nu);
		if (ppoll(fds, nu + nc, timeout, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			perror("preamp-emu: ppoll");
			return;
		}

		now = now_ns();
		emu_usbip_dispatch(usbip, fds, nu, now);
		if (emu_ctl_server_dispatch(ctl, fds + nu, nc, now))
			emu_usbip_poke(usbip, now);
	}
}

static int setup_signals(sigset_t *waitmask)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, waitmask) < 0)
		return -1;
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int main(int argc, char **argv)
{
	struct emu_usbip_config ucfg = { 0 };
	struct emu_ctl_hooks hooks = { unplug_hook, NULL };
	struct emu_ctl_server *ctl_server = NULL;
	struct emu_personality p = { 0 };
	struct emu_usbip *usbip = NULL;
	struct emu_stats stats = { 0 };
	struct options o = { 0 };
	struct ctl_target target;
	char err[256] = "";
	sigset_t waitmask;
	int ret = 1;

	if (parse_options(argc, argv, &o) < 0)
		return 2;

	if (emu_personality_load(o.model, o.serial, &p, err, sizeof(err)) < 0) {
		fprintf(stderr, "preamp-emu: %s\n",
			err[0] ? err : "cannot load the model");
		goto out;
	}

	if (setup_signals(&waitmask) < 0) {
		perror("preamp-emu: signals");
		goto out;
	}

	ucfg.port = (uint16_t)o.port;
	ucfg.busid = o.busid;
	ucfg.verbose = o.verbose;
	usbip = emu_usbip_new(&p, &ucfg, &stats);
	if (!usbip) {
		fprintf(stderr, "preamp-emu: cannot listen on 127.0.0.1:%lu: %s\n",
			o.port, strerror(errno));
		goto out;
	}
	hooks.data = usbip;
	target = (struct ctl_target){ &p, { &stats, &hooks } };
	ctl_server = emu_ctl_server_new(o.ctl, ctl_exec, &target);
	if (!ctl_server) {
		fprintf(stderr, "preamp-emu: cannot listen on %s: %s\n", o.ctl,
			strerror(errno));
		goto out;
	}

	fprintf(stderr, "preamp-emu: %s, USB/IP on 127.0.0.1:%lu busid %s, control %s\n",
		p.name, o.port, o.busid, o.ctl);
	run(usbip, ctl_server, &waitmask);
	if (stop_signal)
		fprintf(stderr, "preamp-emu: %s, exiting\n",
			strsignal(stop_signal));
	ret = stop_signal ? 0 : 1;
out:
	emu_ctl_server_free(ctl_server);
	emu_usbip_free(usbip);
	emu_personality_free(&p);
	return ret;
}
