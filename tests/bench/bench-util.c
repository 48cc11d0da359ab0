/*
 * bench-util: the timing helpers of the bench scenario.
 *
 *   bench-util now
 *       CLOCK_MONOTONIC in seconds (6 decimals), the clock of udevadm
 *       monitor's and the kernel's timestamps
 *   bench-util wait-state [--fresh] SOCKET TIMEOUT_S KEY=VALUE...
 *       asks the emulator's control socket for its state every
 *       millisecond until every KEY has VALUE; prints the monotonic time
 *       of the first poll that saw them all. With --fresh, only after a
 *       poll that saw one of them differ (the device powered up at its
 *       defaults: an unplugged emulator keeps its last values until it is
 *       plugged in again). Exit 1 on timeout.
 *   bench-util count-renames DIR SECONDS
 *       counts files renamed into DIR (inotify IN_MOVED_TO: an atomic
 *       state-file write) during SECONDS; prints the count
 *   bench-util ms-stats
 *       reads one duration in ms per line on stdin; prints
 *       "n=N p50_ms=X p99_ms=Y"
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The emulator's state as key=value lines, up to its "ok". */
static int get_state(const char *path, char *buf, size_t size)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = 0;
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    write(fd, "state\n", 6) != 6) {
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\nok\n") || !strncmp(buf, "ok\n", 3) ||
		    strstr(buf, "error:") || len >= size - 1)
			break;
	}
	buf[len] = '\0';
	close(fd);
	return 0;
}

static bool has(const char *state, const char *kv)
{
	size_t n = strlen(kv);
	const char *p = state;

	while ((p = strstr(p, kv))) {
		if ((p == state || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

static int wait_state(int argc, char **argv)
{
	static char buf[65536];
	bool fresh = argc > 2 && !strcmp(argv[2], "--fresh");
	double end;

	if (fresh) {
		argv++;
		argc--;
	}
	if (argc < 5)
		return 2;
	end = mono() + atof(argv[3]);
	while (mono() < end) {
		if (get_state(argv[2], buf, sizeof(buf)) == 0) {
			double t = mono();
			int i;

			for (i = 4; i < argc && has(buf, argv[i]); i++)
				;
			if (i < argc)
				fresh = false;	/* one differs: from here on */
			else if (!fresh) {
				printf("%.6f\n", t);
				return 0;
			}
		}
		usleep(1000);
	}
	fprintf(stderr, "bench-util: the state was not reached\n");
	return 1;
}

static int count_renames(const char *dir, double secs)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	double end = mono() + secs;
	long count = 0;
	int fd;

	fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (fd < 0 || inotify_add_watch(fd, dir, IN_MOVED_TO) < 0) {
		perror("bench-util: inotify");
		return 1;
	}
	printf("watching\n");
	fflush(stdout);
	for (;;) {
		double left = end - mono();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (left <= 0)
			break;
		if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			for (char *q = buf; q < buf + n;) {
				struct inotify_event *e = (struct inotify_event *)q;

				if (e->mask & IN_MOVED_TO)
					count++;
				q += sizeof(*e) + e->len;
			}
		}
	}
	printf("%ld\n", count);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int ms_stats(void)
{
	double *v = NULL, x;
	size_t n = 0, cap = 0;

	while (scanf("%lf", &x) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				return 1;
		}
		v[n++] = x;
	}
	if (!n) {
		fprintf(stderr, "bench-util: no values\n");
		return 1;
	}
	qsort(v, n, sizeof(*v), cmp);
	printf("n=%zu p50_ms=%.1f p99_ms=%.1f\n", n, v[(n - 1) / 2],
	       v[(n * 99 + 99) / 100 - 1]);
	free(v);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("%.6f\n", mono());
		return 0;
	}
	if (argc >= 5 && !strcmp(argv[1], "wait-state"))
		return wait_state(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "count-renames"))
		return count_renames(argv[2], atof(argv[3]));
	if (argc == 2 && !strcmp(argv[1], "ms-stats"))
		return ms_stats();
	fprintf(stderr, "usage: bench-util now | wait-state [--fresh] SOCKET TIMEOUT_S KEY=VALUE... |\n"
		"       count-renames DIR SECONDS | ms-stats\n");
	return 2;
}
