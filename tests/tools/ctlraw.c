// SPDX-License-Identifier: GPL-2.0
/*
 * ctlraw: ALSA control reads and writes straight through the control
 * device's ioctls (NAME on the MIXER interface, else CARD or PCM), with
 * no range check or clamping on the way (amixer clamps), so that a test
 * sees exactly what the driver answers.
 *
 *   ctlraw CARD read NAME            the values, space-separated
 *   ctlraw CARD write NAME VALUE...  integers, booleans (0/1) or enum items
 *   ctlraw CARD poll COUNT HZ NAME...
 *                                    read the named controls COUNT times,
 *                                    HZ times a second
 *   ctlraw CARD add NAME             add a user control (a BOOLEAN), which
 *                                    stays until removed or the card goes
 *   ctlraw CARD remove NAME          remove a user control
 *   ctlraw CARD time SECONDS[/MS] read NAME
 *   ctlraw CARD time SECONDS[/MS] write NAME VALUE [VALUE2]
 *                                    repeat the read (or the write, taking
 *                                    turns with VALUE2) for SECONDS, back
 *                                    to back or one every MS milliseconds,
 *                                    failures included, and print
 *                                    how long each took: "ops=N errors=N
 *                                    gone=0|1 p50_ms=X p90_ms=X max_ms=X
 *                                    errnos=EAGAIN:3,...". gone=1: the card
 *                                    went away (ENODEV), which ends it early.
 *
 * A failed ioctl prints "ctlraw: OP NAME: ENAME (text)" and exits 1; usage
 * errors exit 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <sound/asound.h>

/* "time" counts failures instead of printing them; errno tells which. */
static int quiet;

static int fail(const char *op, const char *name)
{
	int e = errno;
	const char *ename = strerrorname_np(e);

	if (quiet)
		return 1;
	fprintf(stderr, "ctlraw: %s %s: %s (%s)\n", op, name,
		ename ? ename : "?", strerror(e));
	return 1;
}

/* NAME on the MIXER interface, else on CARD or PCM (snd-usb-audio's own). */
static int info(int fd, const char *name, struct snd_ctl_elem_info *in)
{
	static const int ifaces[] = { SNDRV_CTL_ELEM_IFACE_MIXER,
				      SNDRV_CTL_ELEM_IFACE_CARD,
				      SNDRV_CTL_ELEM_IFACE_PCM };
	unsigned int i;
	int ret = -1;

	for (i = 0; i < sizeof(ifaces) / sizeof(ifaces[0]); i++) {
		memset(in, 0, sizeof(*in));
		in->id.iface = ifaces[i];
		snprintf((char *)in->id.name, sizeof(in->id.name), "%s", name);
		ret = ioctl(fd, SNDRV_CTL_IOCTL_ELEM_INFO, in);
		if (ret == 0 || errno != ENOENT)
			break;
	}
	return ret;
}

static int do_read(int fd, const char *name, int print)
{
	struct snd_ctl_elem_info in;
	struct snd_ctl_elem_value v;
	unsigned int i;

	if (info(fd, name, &in) < 0)
		return fail("info", name);
	memset(&v, 0, sizeof(v));
	v.id = in.id;
	if (ioctl(fd, SNDRV_CTL_IOCTL_ELEM_READ, &v) < 0)
		return fail("read", name);
	if (!print)
		return 0;
	for (i = 0; i < in.count; i++) {
		if (in.type == SNDRV_CTL_ELEM_TYPE_ENUMERATED)
			printf("%s%u", i ? " " : "", v.value.enumerated.item[i]);
		else
			printf("%s%ld", i ? " " : "", v.value.integer.value[i]);
	}
	printf("\n");
	return 0;
}

static int do_write(int fd, const char *name, int argc, char **argv)
{
	struct snd_ctl_elem_info in;
	struct snd_ctl_elem_value v;
	int i;

	if (info(fd, name, &in) < 0)
		return fail("info", name);
	memset(&v, 0, sizeof(v));
	v.id = in.id;
	for (i = 0; i < argc && i < 128; i++) {
		if (in.type == SNDRV_CTL_ELEM_TYPE_ENUMERATED)
			v.value.enumerated.item[i] = strtoul(argv[i], NULL, 0);
		else
			v.value.integer.value[i] = strtol(argv[i], NULL, 0);
	}
	if (ioctl(fd, SNDRV_CTL_IOCTL_ELEM_WRITE, &v) < 0)
		return fail("write", name);
	return 0;
}

static int do_poll(int fd, int count, int hz, int n, char **names)
{
	struct timespec next;
	long period = 1000000000L / (hz > 0 ? hz : 1);
	int i, k;

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (i = 0; i < count; i++) {
		for (k = 0; k < n; k++)
			if (do_read(fd, names[k], 0))
				return 1;
		next.tv_nsec += period;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	return 0;
}

static void mixer_id(struct snd_ctl_elem_id *id, const char *name)
{
	memset(id, 0, sizeof(*id));
	id->iface = SNDRV_CTL_ELEM_IFACE_MIXER;
	snprintf((char *)id->name, sizeof(id->name), "%s", name);
}

static int do_add(int fd, const char *name)
{
	struct snd_ctl_elem_info in;

	memset(&in, 0, sizeof(in));
	mixer_id(&in.id, name);
	in.type = SNDRV_CTL_ELEM_TYPE_BOOLEAN;
	in.access = SNDRV_CTL_ELEM_ACCESS_READWRITE;
	in.count = 1;
	in.value.integer.max = 1;
	if (ioctl(fd, SNDRV_CTL_IOCTL_ELEM_ADD, &in) < 0)
		return fail("add", name);
	return 0;
}

static int do_remove(int fd, const char *name)
{
	struct snd_ctl_elem_id id;

	mixer_id(&id, name);
	if (ioctl(fd, SNDRV_CTL_IOCTL_ELEM_REMOVE, &id) < 0)
		return fail("remove", name);
	return 0;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#define TIME_MAX_OPS	200000
#define TIME_MAX_ERRNOS	8

static int do_time(int fd, const char *span, int write, const char *name,
		   char **values, int nvalues)
{
	const char *slash = strchr(span, '/');
	double seconds = atof(span), every = slash ? atof(slash + 1) : 0;
	static double took[TIME_MAX_OPS];
	int errnos[TIME_MAX_ERRNOS] = { 0 }, counts[TIME_MAX_ERRNOS] = { 0 };
	double start = now_ms(), t;
	int n = 0, errors = 0, gone = 0, i, e;

	quiet = 1;
	while (n < TIME_MAX_OPS && now_ms() - start < seconds * 1e3) {
		t = now_ms();
		if (write)
			e = do_write(fd, name, 1, values + n % nvalues);
		else
			e = do_read(fd, name, 0);
		took[n++] = now_ms() - t;
		if (every > 0 && now_ms() - t < every)
			usleep((useconds_t)((every - (now_ms() - t)) * 1e3));
		if (!e)
			continue;
		errors++;
		e = errno;
		for (i = 0; i < TIME_MAX_ERRNOS && errnos[i] && errnos[i] != e; i++)
			;
		if (i < TIME_MAX_ERRNOS) {
			errnos[i] = e;
			counts[i]++;
		}
		if (e == ENODEV) {
			gone = 1;
			break;
		}
	}
	qsort(took, n, sizeof(took[0]), cmp_double);
	printf("ops=%d errors=%d gone=%d p50_ms=%.1f p90_ms=%.1f max_ms=%.1f errnos=",
	       n, errors, gone, n ? took[n / 2] : 0.0,
	       n ? took[n * 9 / 10] : 0.0, n ? took[n - 1] : 0.0);
	for (i = 0; i < TIME_MAX_ERRNOS && errnos[i]; i++) {
		const char *ename = strerrorname_np(errnos[i]);

		printf("%s%s:%d", i ? "," : "", ename ? ename : "?", counts[i]);
	}
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	char path[64];
	int fd, ret;

	if (argc < 4)
		goto usage;
	snprintf(path, sizeof(path), "/dev/snd/controlC%s", argv[1]);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "ctlraw: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!strcmp(argv[2], "read") && argc == 4)
		ret = do_read(fd, argv[3], 1);
	else if (!strcmp(argv[2], "write") && argc >= 5)
		ret = do_write(fd, argv[3], argc - 4, argv + 4);
	else if (!strcmp(argv[2], "poll") && argc >= 6)
		ret = do_poll(fd, atoi(argv[3]), atoi(argv[4]), argc - 5,
			      argv + 5);
	else if (!strcmp(argv[2], "add") && argc == 4)
		ret = do_add(fd, argv[3]);
	else if (!strcmp(argv[2], "remove") && argc == 4)
		ret = do_remove(fd, argv[3]);
	else if (!strcmp(argv[2], "time") && argc == 6 &&
		 !strcmp(argv[4], "read"))
		ret = do_time(fd, argv[3], 0, argv[5], NULL, 1);
	else if (!strcmp(argv[2], "time") && (argc == 7 || argc == 8) &&
		 !strcmp(argv[4], "write"))
		ret = do_time(fd, argv[3], 1, argv[5], argv + 6, argc - 6);
	else
		goto usage;
	close(fd);
	return ret;
usage:
	fprintf(stderr, "usage: ctlraw CARD read NAME | write NAME VALUE... | poll COUNT HZ NAME... | add NAME | remove NAME | time SECONDS[/MS] read NAME | time SECONDS[/MS] write NAME VALUE [VALUE2]\n");
	return 2;
}
