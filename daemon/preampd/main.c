// SPDX-License-Identifier: MIT
/*
 * preampd: options, configuration, profiles, the sd-event loop and its
 * signals. See preampd(8).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "preampd-paths.h"
#include "preampd.h"
#include "saver.h"
#include "util.h"

#define PROFILE_FILE_MAX (256 * 1024)
#define MAX_PROFILES 256

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: preampd [--config FILE] [--debug]\n"
		"The preamp service: restores USB preamps at plug-in, keeps their\n"
		"settings, and serves %s on the system bus.\n\n"
		"  -c, --config FILE  configuration (default %s)\n"
		"  -d, --debug        log debug messages too\n"
		"  -V, --version      print the version\n"
		"  -h, --help         this text\n",
		PA_BUS_NAME, PREAMPD_CONFIG_FILE);
}

static void load_config(const char *path, struct pa_config *cfg)
{
	const char *state = getenv("STATE_DIRECTORY");
	const char *runtime = getenv("RUNTIME_DIRECTORY");
	_cleanup_free_ char *text = NULL;
	char err[256];
	size_t len;
	int r;

	/* systemd names the unit's directories; the file may override */
	pa_config_defaults(cfg, PREAMPD_PROFILE_DIR,
			   state && state[0] == '/' && !strchr(state, ':') ?
			   state : PREAMPD_STATE_DIR,
			   runtime && runtime[0] == '/' && !strchr(runtime, ':') ?
			   runtime : PREAMPD_RUNTIME_DIR);
	r = pa_read_file_at(AT_FDCWD, path, 64 * 1024, &text, &len);
	if (r == -ENOENT) {
		log_debug("%s: none, using the defaults", path);
		return;
	}
	if (r < 0) {
		log_warning("%s: cannot be read (%s); using the defaults", path,
			    strerror(-r));
		return;
	}
	if (pa_config_parse(text, len, cfg, err, sizeof(err)) < 0)
		log_warning("%s: %s; that key keeps its default", path, err);
}

static int cmp_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int conf_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 && !strcmp(e->d_name + n - 5, ".conf");
}

static int load_profiles(struct manager *m)
{
	struct dirent **names = NULL;
	int dfd, n;

	dfd = open(m->cfg.profile_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		log_error("profile directory %s: %s", m->cfg.profile_dir,
			  strerror(errno));
		return -errno;
	}
	n = scandir(m->cfg.profile_dir, &names, conf_file, cmp_name);
	if (n < 0) {
		close(dfd);
		return -errno;
	}
	m->profiles = calloc(n > 0 ? (size_t)n : 1, sizeof(*m->profiles));
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *text = NULL;
		char err[256];
		size_t len;
		int r;

		if (m->profiles && m->n_profiles < MAX_PROFILES) {
			r = pa_read_file_at(dfd, names[i]->d_name,
					    PROFILE_FILE_MAX, &text, &len);
			if (r < 0)
				log_error("profile %s: %s", names[i]->d_name,
					  strerror(-r));
			else if (pa_profile_parse(text, len, names[i]->d_name,
						  &m->profiles[m->n_profiles],
						  err, sizeof(err)) < 0)
				log_error("profile %s: %s; not used",
					  names[i]->d_name, err);
			else
				log_debug("profile %s: driver %s",
					  names[i]->d_name,
					  m->profiles[m->n_profiles++].driver);
		}
		free(names[i]);
	}
	free(names);
	close(dfd);
	if (!m->profiles)
		return -ENOMEM;
	if (m->n_profiles == 0)
		log_error("no usable profile in %s: every card will be ignored",
			  m->cfg.profile_dir);
	return 0;
}

static int open_dir(const char *path, bool create)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT && create) {
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	return fd < 0 ? -errno : fd;
}

/* what a save that was killed half-way left */
static void remove_stale_tmp(int dirfd, const char *path)
{
	int n = pa_remove_stale_tmp(dirfd);

	if (n > 0)
		log_notice("%s: removed %d temporary file(s) of an interrupted save",
			   path, n);
	else if (n < 0)
		log_warning("%s: cannot look for temporary files: %s", path,
			    strerror(-n));
}

/*
 * While this file exists, udev's 91-preampd-restore.rules leaves the
 * cards whose driver has no 48 V plug-in guard, and the driver's own, to
 * preampd instead of alsactl's restore (preampd(8)). It is written once
 * preampd watches udev and removed when it exits; after a crash the
 * unit's ExecStopPost removes it.
 */
#define TAKES_CARDS_FILE "running"

static void announce_running(struct manager *m, bool on)
{
	char pid[32];
	int r;

	if (m->runtime_dirfd < 0)
		return;
	if (!on) {
		unlinkat(m->runtime_dirfd, TAKES_CARDS_FILE, 0);
		return;
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	r = pa_write_file_atomic(m->runtime_dirfd, TAKES_CARDS_FILE, pid,
				 strlen(pid), 0644, false);
	if (r < 0)
		log_warning("cannot write %s in the runtime directory: %s: alsactl's restore at plug-in stays on for every card",
			    TAKES_CARDS_FILE, strerror(-r));
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si,
		     void *userdata)
{
	struct manager *m = userdata;

	(void)s;
	log_info("signal %u: saving and exiting", si->ssi_signo);
	m->exiting = true;
	manager_flush(m);
	return sd_event_exit(sd_event_source_get_event(s), 0);
}

/* The options: 0 to go on, or the exit status (--help, --version, misuse). */
static int parse_args(int argc, char **argv, const char **config)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "debug", no_argument, NULL, 'd' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:dVh", opts, NULL)) >= 0) {
		switch (c) {
		case 'c':
			*config = optarg;
			break;
		case 'd':
			setenv("PREAMPD_DEBUG", "1", 1);
			break;
		case 'V':
			printf("preampd %s\n", PREAMPD_VERSION);
			return -1;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	return 0;
}

/* The group that may change settings when polkit is not running. */
static void find_fallback_group(struct manager *m)
{
	struct group gr, *res = NULL;
	char buf[4096];

	if (getgrnam_r(m->cfg.fallback_group, &gr, buf, sizeof(buf), &res) == 0 && res) {
		m->have_fallback_gid = true;
		m->fallback_gid = res->gr_gid;
	} else {
		log_warning("group '%s' does not exist: without polkit only root may change settings",
			    m->cfg.fallback_group);
	}
}

/* The state and runtime directories; a missing one costs a feature only. */
static void open_dirs(struct manager *m)
{
	m->state_dirfd = open_dir(m->cfg.state_dir, true);
	if (m->state_dirfd < 0)
		log_error("state directory %s: %s: settings will not be kept",
			  m->cfg.state_dir, strerror(-m->state_dirfd));
	else
		remove_stale_tmp(m->state_dirfd, m->cfg.state_dir);
	m->runtime_dirfd = open_dir(m->cfg.runtime_dir, true);
	if (m->runtime_dirfd < 0)
		log_error("runtime directory %s: %s: the cards present now are adopted as they are",
			  m->cfg.runtime_dir, strerror(-m->runtime_dirfd));
	else
		remove_stale_tmp(m->runtime_dirfd, m->cfg.runtime_dir);
}

/* The event loop, SIGTERM and SIGINT on it, and the saving thread. */
static int start_loop(struct manager *m)
{
	sigset_t mask;
	int r;

	r = sd_event_default(&m->event);
	if (r < 0)
		return r;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	r = sd_event_add_signal(m->event, NULL, SIGTERM, on_signal, m);
	if (r >= 0)
		r = sd_event_add_signal(m->event, NULL, SIGINT, on_signal, m);
	if (r < 0)
		return r;
	/* after the signals are blocked: the thread inherits the mask */
	if (m->state_dirfd >= 0) {
		r = saver_new(m->event, m->state_dirfd, device_state_written, m,
			      &m->saver);
		if (r < 0)
			log_warning("no thread for saving (%s): state files are written on the loop",
				    strerror(-r));
	}
	return 0;
}

/* The system bus, authorization and the objects; the name comes later. */
static int start_bus(struct manager *m)
{
	int r;

	r = sd_bus_open_system(&m->bus);
	if (r < 0) {
		log_error("cannot connect to the system bus: %s", strerror(-r));
		return r;
	}
	r = sd_bus_attach_event(m->bus, m->event, 0);
	if (r >= 0)
		r = sd_bus_set_exit_on_disconnect(m->bus, true);
	if (r >= 0)
		r = auth_new(m, &m->auth);
	if (r >= 0)
		r = manager_start_bus(m);
	return r;
}

int main(int argc, char **argv)
{
	const char *config = PREAMPD_CONFIG_FILE;
	struct pa_config cfg;
	struct manager *m = NULL;
	int r;

	r = parse_args(argc, argv, &config);
	if (r != 0)
		return r < 0 ? 0 : r;
	setvbuf(stderr, NULL, _IOLBF, 0);
	load_config(config, &cfg);

	r = manager_new(&m, &cfg);
	if (r < 0)
		goto fail;
	find_fallback_group(m);
	r = load_profiles(m);
	if (r < 0 && r != -ENOENT)
		goto fail;
	open_dirs(m);
	r = start_loop(m);
	if (r >= 0)
		r = start_bus(m);
	if (r < 0)
		goto fail;

	/* restore what is plugged in, then let clients in */
	r = manager_start_hotplug(m);
	if (r < 0) {
		log_error("cannot watch udev: %s", strerror(-r));
		goto fail;
	}
	r = sd_bus_request_name(m->bus, PA_BUS_NAME, 0);
	if (r < 0) {
		log_error("cannot own %s: %s", PA_BUS_NAME, strerror(-r));
		goto fail;
	}
	announce_running(m, true);
	log_info("preampd %s: %zu profile(s), %zu device(s), 48 V policy '%s'",
		 PREAMPD_VERSION, m->n_profiles, m->n_devices,
		 pa_policy_name(cfg.phantom_policy));

	r = sd_event_loop(m->event);
	announce_running(m, false);
	m->exiting = true;
	manager_flush(m);
	saver_drain(m->saver);	/* every state file on the disk */
	manager_free(m);
	return r < 0 ? 1 : 0;

fail:
	log_error("preampd cannot start: %s", strerror(-r));
	manager_free(m);
	return 1;
}
