// SPDX-License-Identifier: MIT
/*
 * preamp-emu-ctl SOCKET WORDS...: sends one command to a preamp-emu control
 * socket. Prints the reply's lines but the last on stdout; an "error: ..."
 * reply goes to stderr. Exit status: 0 ok, 1 error (or no complete reply
 * in time), 2 cannot connect.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS	10000
#define LINE_MAX_LEN	256	/* as the emulator accepts */
#define REPLY_MAX	(1024 * 1024)

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int join_words(int argc, char **argv, char *line, size_t size)
{
	size_t len = 0;
	int i;

	for (i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (strpbrk(argv[i], "\r\n")) {
			fprintf(stderr, "preamp-emu-ctl: a word may not hold a line break\n");
			return -1;
		}
		if (len + n + 2 > size) {
			fprintf(stderr, "preamp-emu-ctl: command too long\n");
			return -1;
		}
		if (i)
			line[len++] = ' ';
		memcpy(line + len, argv[i], n);
		len += n;
	}
	line[len++] = '\n';
	line[len] = '\0';
	return (int)len;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "preamp-emu-ctl: socket path too long: %s\n",
			path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "preamp-emu-ctl: cannot connect to %s: %s\n",
			path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The start of the reply's last line, or NULL if it is not complete. */
static const char *final_line(const char *buf, size_t len)
{
	const char *last = buf;
	size_t i;

	if (len == 0 || buf[len - 1] != '\n')
		return NULL;
	for (i = 0; i + 1 < len; i++)
		if (buf[i] == '\n')
			last = buf + i + 1;
	if (!strcmp(last, "ok\n") || !strncmp(last, "error:", 6))
		return last;
	return NULL;
}

/*
 * Reads the whole reply: the emulator closes the connection after it, since
 * this side shut its writing half down. Returns the final line, or NULL.
 */
static const char *read_reply(int fd, char *buf, size_t size, size_t *len)
{
	int64_t deadline = now_ms() + TIMEOUT_MS;
	const char *last;

	*len = 0;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - now_ms();
		ssize_t n;

		if (left <= 0) {
			fprintf(stderr, "preamp-emu-ctl: no reply within %d s\n",
				TIMEOUT_MS / 1000);
			return NULL;
		}
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		if (!p.revents)
			continue;
		if (*len + 1 >= size) {
			fprintf(stderr, "preamp-emu-ctl: reply too long\n");
			return NULL;
		}
		n = recv(fd, buf + *len, size - *len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "preamp-emu-ctl: %s\n", strerror(errno));
			return NULL;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
		buf[*len] = '\0';
	}
	last = final_line(buf, *len);
	if (!last)
		fprintf(stderr, "preamp-emu-ctl: incomplete reply\n");
	return last;
}

int main(int argc, char **argv)
{
	char line[LINE_MAX_LEN + 1];
	const char *last;
	size_t len;
	char *reply;
	int fd, ret;

	if (argc < 3) {
		fprintf(stderr, "usage: preamp-emu-ctl SOCKET WORDS...\n");
		return 1;
	}
	if (join_words(argc - 2, argv + 2, line, sizeof(line)) < 0)
		return 1;
	fd = connect_to(argv[1]);
	if (fd < 0)
		return 2;
	reply = malloc(REPLY_MAX);
	if (!reply || send_all(fd, line, strlen(line)) < 0 ||
	    shutdown(fd, SHUT_WR) < 0) {
		fprintf(stderr, "preamp-emu-ctl: cannot send the command: %s\n",
			strerror(errno));
		close(fd);
		free(reply);
		return 1;
	}
	last = read_reply(fd, reply, REPLY_MAX, &len);
	close(fd);
	if (!last) {
		free(reply);
		return 1;
	}
	fwrite(reply, 1, (size_t)(last - reply), stdout);
	ret = strncmp(last, "ok", 2) ? 1 : 0;
	if (ret)
		fputs(last, stderr);
	free(reply);
	return ret;
}
