// SPDX-License-Identifier: GPL-2.0
/*
 * usbreset: reset a USB device through usbfs (USBDEVFS_RESET), as a port
 * reset from the host would. The kernel calls pre_reset and post_reset of
 * every bound interface driver.
 *
 *   usbreset /dev/bus/usb/BBB/DDD
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/usbdevice_fs.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: usbreset /dev/bus/usb/BBB/DDD\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "usbreset: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (ioctl(fd, USBDEVFS_RESET, 0) < 0) {
		fprintf(stderr, "usbreset: USBDEVFS_RESET: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}
