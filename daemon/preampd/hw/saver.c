// SPDX-License-Identifier: MIT
/* Durable writes off the event loop: one worker thread, one queue. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "saver.h"
#include "util.h"

#define NAME_MAX_LEN 256
#define STACK_SIZE (256 * 1024)	/* it only writes: no deep calls */

struct job {
	struct job *next;
	char name[NAME_MAX_LEN];
	char *data;
	size_t len;
	mode_t mode;
	int r;
};

struct saver {
	int dirfd;
	int efd;
	sd_event_source *src;
	saver_done_t done;
	void *userdata;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;	/* work queued, or stop */
	pthread_cond_t idle;	/* the queue ran empty */
	struct job *queue;	/* to write, oldest first */
	struct job *finished;	/* written, to report */
	bool busy;		/* the thread writes one now */
	bool stop;
};

static void job_free(struct job *j)
{
	free(j->data);
	free(j);
}

static void *worker(void *arg)
{
	struct saver *s = arg;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		struct job *j;

		while (!s->queue && !s->stop)
			pthread_cond_wait(&s->wake, &s->lock);
		if (!s->queue)
			break;
		j = s->queue;
		s->queue = j->next;
		s->busy = true;
		pthread_mutex_unlock(&s->lock);

		j->r = pa_write_file_atomic(s->dirfd, j->name, j->data, j->len,
					    j->mode, true);

		pthread_mutex_lock(&s->lock);
		s->busy = false;
		j->next = s->finished;
		s->finished = j;
		if (!s->queue)
			pthread_cond_broadcast(&s->idle);
		/* wakes the loop: a counter, which cannot overflow here */
		ssize_t w = write(s->efd, &(uint64_t){ 1 }, sizeof(uint64_t));

		(void)w;
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* reports what was written, oldest first */
static void report(struct saver *s)
{
	struct job *list, *rev = NULL;

	pthread_mutex_lock(&s->lock);
	list = s->finished;
	s->finished = NULL;
	pthread_mutex_unlock(&s->lock);
	while (list) {
		struct job *next = list->next;

		list->next = rev;
		rev = list;
		list = next;
	}
	while (rev) {
		struct job *next = rev->next;

		s->done(s->userdata, rev->name, rev->r);
		job_free(rev);
		rev = next;
	}
}

static int on_event(sd_event_source *src, int fd, uint32_t revents,
		    void *userdata)
{
	uint64_t n;

	(void)src;
	(void)revents;
	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return 0;
	report(userdata);
	return 0;
}

int saver_new(sd_event *event, int dirfd, saver_done_t done, void *userdata,
	      struct saver **out)
{
	struct saver *s = calloc(1, sizeof(*s));
	pthread_attr_t attr;
	sigset_t all, old;
	int r;

	if (!s)
		return -ENOMEM;
	s->dirfd = dirfd;
	s->done = done;
	s->userdata = userdata;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	pthread_cond_init(&s->idle, NULL);
	s->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->efd < 0) {
		r = -errno;
		goto fail;
	}
	r = sd_event_add_io(event, &s->src, s->efd, EPOLLIN, on_event, s);
	if (r < 0)
		goto fail;
	/* signals are the loop's (signalfd): none reaches the thread */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK_SIZE);
	r = -pthread_create(&s->thread, &attr, worker, s);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	sd_event_source_disable_unref(s->src);
	if (s->efd >= 0)
		close(s->efd);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->wake);
	pthread_cond_destroy(&s->idle);
	free(s);
	return r;
}

int saver_write(struct saver *s, const char *name, char *data, size_t len,
		mode_t mode)
{
	struct job *j, **tail;

	if (strlen(name) >= NAME_MAX_LEN) {
		free(data);
		return -ENAMETOOLONG;
	}
	pthread_mutex_lock(&s->lock);
	/* one of the same name still waiting: the newer bytes replace it */
	for (tail = &s->queue; *tail; tail = &(*tail)->next) {
		if (strcmp((*tail)->name, name))
			continue;
		free((*tail)->data);
		(*tail)->data = data;
		(*tail)->len = len;
		(*tail)->mode = mode;
		pthread_mutex_unlock(&s->lock);
		return 0;
	}
	j = calloc(1, sizeof(*j));
	if (!j) {
		pthread_mutex_unlock(&s->lock);
		free(data);
		return -ENOMEM;
	}
	snprintf(j->name, sizeof(j->name), "%s", name);
	j->data = data;
	j->len = len;
	j->mode = mode;
	*tail = j;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

void saver_drain(struct saver *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	while (s->queue || s->busy)
		pthread_cond_wait(&s->idle, &s->lock);
	pthread_mutex_unlock(&s->lock);
	report(s);
}

void saver_free(struct saver *s)
{
	if (!s)
		return;
	saver_drain(s);
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	report(s);
	sd_event_source_disable_unref(s->src);
	close(s->efd);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->wake);
	pthread_cond_destroy(&s->idle);
	free(s);
}
