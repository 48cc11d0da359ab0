// SPDX-License-Identifier: MIT
/*
 * ptyrun: runs a program on a pseudo-terminal of a given size, as if in a
 * terminal window, records everything it writes, types keys into it after
 * a while, and reports how it ended and whether it left the terminal's
 * modes as it found them.
 *
 *   ptyrun [-c COLS] [-r ROWS] [-w SECONDS] [-k KEYS] [-t TIMEOUT] -o FILE
 *          -- PROGRAM [ARGS...]
 *
 * -w  how long to let it run before typing (default 2 s)
 * -k  what to type then: "^C" (the default) is Ctrl-C, which the
 *     terminal's line discipline turns into SIGINT; anything else is typed
 *     as it is (e.g. "q")
 * -t  kill it (SIGKILL) when it has not ended this long after the keys
 *     (default 10 s)
 * -o  the transcript: every byte it wrote to the terminal
 *
 * On standard output, one word a line:
 *   raw=yes|no        whether it had switched off ICANON and ECHO by the
 *                     time the keys were typed
 *   restored=yes|no   whether the terminal's local modes (c_lflag) after
 *                     it ended are those it started with
 *   exit=N | signal=N | timeout
 * Exit status: 0 when the program exited (whatever its status), 1 when it
 * was killed by a signal or timed out, 2 on a usage or system error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: ptyrun [-c COLS] [-r ROWS] [-w SECONDS] [-k KEYS] "
			"[-t TIMEOUT] -o FILE -- PROGRAM [ARGS...]\n");
	exit(2);
}

static void die(const char *what)
{
	fprintf(stderr, "ptyrun: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* copies what the program wrote within WAIT_MS: the bytes copied */
static ssize_t drain(int master, int out, int wait_ms)
{
	struct pollfd p = { .fd = master, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	if (poll(&p, 1, wait_ms) <= 0)
		return 0;
	n = read(master, buf, sizeof(buf));
	if (n <= 0)
		return 0;
	if (write(out, buf, (size_t)n) != n)
		die("writing the transcript");
	return n;
}

int main(int argc, char **argv)
{
	unsigned short cols = 80, rows = 24;
	double wait_s = 2, timeout_s = 10, t_keys, deadline;
	const char *keys = "^C", *file = NULL;
	struct termios before, during, after;
	struct winsize ws;
	bool typed = false, raw = false, ended = false;
	int master, slave, out, opt, status = 0;
	char *slave_name;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+c:r:w:k:t:o:")) != -1) {
		switch (opt) {
		case 'c': cols = (unsigned short)atoi(optarg); break;
		case 'r': rows = (unsigned short)atoi(optarg); break;
		case 'w': wait_s = atof(optarg); break;
		case 'k': keys = optarg; break;
		case 't': timeout_s = atof(optarg); break;
		case 'o': file = optarg; break;
		default: usage();
		}
	}
	if (!file || optind >= argc || cols == 0 || rows == 0)
		usage();

	out = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0)
		die(file);
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		die("posix_openpt");
	slave_name = ptsname(master);
	if (!slave_name)
		die("ptsname");
	/* kept open here too, to read the modes after the program ended */
	slave = open(slave_name, O_RDWR | O_NOCTTY);
	if (slave < 0)
		die(slave_name);
	ws = (struct winsize){ .ws_row = rows, .ws_col = cols };
	if (ioctl(master, TIOCSWINSZ, &ws) < 0)
		die("TIOCSWINSZ");
	if (tcgetattr(slave, &before) < 0)
		die("tcgetattr");

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int fd;

		setsid();
		fd = open(slave_name, O_RDWR);	/* the controlling terminal */
		if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) < 0) {
			perror("ptyrun: controlling terminal");
			_exit(127);
		}
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
		close(master);
		close(slave);
		close(out);
		signal(SIGINT, SIG_DFL);
		execvp(argv[optind], argv + optind);
		perror("ptyrun: exec");
		_exit(127);
	}

	t_keys = now() + wait_s;
	deadline = t_keys + timeout_s;
	while (!ended) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid) {
			ended = true;
			break;
		}
		if (!typed && now() >= t_keys) {
			if (tcgetattr(slave, &during) == 0)
				raw = !(during.c_lflag & (ICANON | ECHO));
			if (strcmp(keys, "^C") == 0) {
				if (write(master, "\x03", 1) != 1)
					die("typing");
			} else if (write(master, keys, strlen(keys)) != (ssize_t)strlen(keys)) {
				die("typing");
			}
			typed = true;
		}
		if (now() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			while (drain(master, out, 50) > 0)
				;
			printf("raw=%s\nrestored=no\ntimeout\n", raw ? "yes" : "no");
			return 1;
		}
		drain(master, out, 20);
	}
	/* what it wrote just before it ended */
	while (drain(master, out, 50) > 0)
		;
	if (tcgetattr(slave, &after) < 0)
		die("tcgetattr");
	if (close(out) < 0)
		die("closing the transcript");
	printf("raw=%s\nrestored=%s\n", raw ? "yes" : "no",
	       after.c_lflag == before.c_lflag ? "yes" : "no");
	if (WIFEXITED(status)) {
		printf("exit=%d\n", WEXITSTATUS(status));
		return 0;
	}
	printf("signal=%d\n", WTERMSIG(status));
	return 1;
}
