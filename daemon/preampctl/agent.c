// SPDX-License-Identifier: MIT
/* The polkit text agent. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"

#ifndef PCTL_PKTTYAGENT
#define PCTL_PKTTYAGENT "/usr/bin/pkttyagent"
#endif

static pid_t agent_pid;

void pctl_agent_open(void)
{
	int pipefd[2];
	char fdstr[16];
	struct pollfd p;
	pid_t pid;

	if (agent_pid > 0 || !isatty(STDIN_FILENO) || access(PCTL_PKTTYAGENT, X_OK) < 0)
		return;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return;
	}
	if (pid == 0) {
		/* the agent tells us it is ready by closing this end */
		int fd = fcntl(pipefd[1], F_DUPFD, 3);

		if (fd < 0)
			_exit(EXIT_FAILURE);
		snprintf(fdstr, sizeof(fdstr), "%d", fd);
		execl(PCTL_PKTTYAGENT, PCTL_PKTTYAGENT, "--notify-fd", fdstr, "--fallback",
		      (char *)NULL);
		_exit(EXIT_FAILURE);
	}
	agent_pid = pid;
	close(pipefd[1]);
	/* wait until it has registered (or died), at most 5 s */
	p.fd = pipefd[0];
	p.events = POLLIN;
	while (poll(&p, 1, 5000) < 0 && errno == EINTR)
		;
	close(pipefd[0]);
}

void pctl_agent_close(void)
{
	if (agent_pid <= 0)
		return;
	kill(agent_pid, SIGTERM);
	kill(agent_pid, SIGCONT);
	while (waitpid(agent_pid, NULL, 0) < 0 && errno == EINTR)
		;
	agent_pid = 0;
}
