/* SPDX-License-Identifier: GPL-2.0-or-later */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "workers.h"

struct job { igw_job_fn fn; void *arg; };

struct igw_workers {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct job *ring;
	unsigned cap, head, count, running;
	int stopping;
	pthread_t *threads;
	unsigned nthreads;
	enum igw_worker_sched sched;
};

/* Applied by each worker to itself.  SCHED_BATCH is a hint inside the normal
 * class (no privilege needed, nice values unchanged): the scheduler stops
 * letting a woken worker preempt the running thread, so a listener thread
 * verifying a signature is not cut off every time an IMS reply arrives.  If
 * the system refuses, the worker stays SCHED_OTHER: only speed differs. */
static void apply_sched(enum igw_worker_sched sched)
{
	struct sched_param sp = { 0 };
	int policy = sched == IGW_WORKER_SCHED_BATCH ? SCHED_BATCH : SCHED_OTHER;
	int err = pthread_setschedparam(pthread_self(), policy, &sp);
	if (err != 0)
		igw_log(IGW_LOG_WARN, NULL, "worker scheduling policy not applied: %s", strerror(err));
}

static void *worker_main(void *p)
{
	struct igw_workers *w = p;
	apply_sched(w->sched);
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->count == 0 && !w->stopping)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->count == 0 && w->stopping)
			break;
		struct job j = w->ring[w->head];
		w->head = (w->head + 1) % w->cap;
		w->count--;
		w->running++;
		pthread_mutex_unlock(&w->lock);
		j.fn(j.arg);
		pthread_mutex_lock(&w->lock);
		w->running--;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int igw_workers_start(unsigned nthreads, unsigned queue_max, enum igw_worker_sched sched,
                      struct igw_workers **out)
{
	int rc = IGW_OK;
	struct igw_workers *w = calloc(1, sizeof(*w));
	*out = NULL;
	if (!w || nthreads == 0 || queue_max == 0) {
		free(w);
		return w ? IGW_EINVAL : IGW_ENOMEM;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->cap = queue_max;
	w->sched = sched;
	w->ring = calloc(queue_max, sizeof(*w->ring));
	w->threads = calloc(nthreads, sizeof(*w->threads));
	if (!w->ring || !w->threads)
		rc = IGW_ENOMEM;
	for (unsigned i = 0; rc == IGW_OK && i < nthreads; i++) {
		if (pthread_create(&w->threads[i], NULL, worker_main, w) != 0)
			rc = IGW_EIO;
		else
			w->nthreads++;
	}
	if (rc == IGW_OK)
		*out = w;
	else
		igw_workers_free(w);
	return rc;
}

int igw_workers_submit(struct igw_workers *w, igw_job_fn fn, void *arg)
{
	int rc = IGW_OK;
	pthread_mutex_lock(&w->lock);
	if (w->stopping || w->count == w->cap) {
		rc = IGW_EOVERLOAD;
	} else {
		w->ring[(w->head + w->count) % w->cap] = (struct job){ fn, arg };
		w->count++;
	}
	pthread_mutex_unlock(&w->lock);
	/* signalled after the unlock: the woken worker does not wake only to
	 * wait for the lock this thread still holds (workers re-check count) */
	if (rc == IGW_OK)
		pthread_cond_signal(&w->cond);
	return rc;
}

unsigned igw_workers_load(struct igw_workers *w)
{
	pthread_mutex_lock(&w->lock);
	unsigned n = w->count + w->running;
	pthread_mutex_unlock(&w->lock);
	return n;
}

void igw_workers_drain(struct igw_workers *w)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	for (unsigned i = 0; i < w->nthreads; i++)
		pthread_join(w->threads[i], NULL);
	w->nthreads = 0;
}

void igw_workers_free(struct igw_workers *w)
{
	if (w) {
		igw_workers_drain(w);
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		free(w->threads);
		free(w->ring);
		free(w);
	}
}
