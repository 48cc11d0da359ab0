// SPDX-License-Identifier: GPL-2.0
/*
 * ctlraw: ALSA control reads and writes straight through the control
 * device's ioctls, with no range check or clamping on the way (amixer
 * clamps), so that a test sees exactly what the driver answers.
 *
 *   ctlraw CARD read NAME            the values, space-separated
 *   ctlraw CARD write NAME VALUE...  integers, booleans (0/1) or enum items
 *   ctlraw CARD poll COUNT HZ NAME...
 *                                    read the named controls COUNT times,
 *                                    HZ times a second
 *   ctlraw CARD add NAME             add a user control (a BOOLEAN), which
 *                                    stays until removed or the card goes
 *   ctlraw CARD remove NAME          remove a user control
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

static int fail(const char *op, const char *name)
{
	int e = errno;
	const char *ename = strerrorname_np(e);

	fprintf(stderr, "ctlraw: %s %s: %s (%s)\n", op, name,
		ename ? ename : "?", strerror(e));
	return 1;
}

static int info(int fd, const char *name, struct snd_ctl_elem_info *in)
{
	memset(in, 0, sizeof(*in));
	in->id.iface = SNDRV_CTL_ELEM_IFACE_MIXER;
	snprintf((char *)in->id.name, sizeof(in->id.name), "%s", name);
	return ioctl(fd, SNDRV_CTL_IOCTL_ELEM_INFO, in);
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
	else
		goto usage;
	close(fd);
	return ret;
usage:
	fprintf(stderr, "usage: ctlraw CARD read NAME | write NAME VALUE... | poll COUNT HZ NAME... | add NAME | remove NAME\n");
	return 2;
}
