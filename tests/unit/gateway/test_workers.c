/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The worker pool: every job runs once, the bounded queue refuses when full,
 * drain runs what was queued, and the threads get the scheduling policy asked
 * for ([server] worker-scheduling). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <cmocka.h>
#include "imsgw/core.h"
#include "workers.h"

static atomic_uint ran;

static void count_job(void *arg)
{
	(void)arg;
	atomic_fetch_add(&ran, 1);
}

struct submitter { struct igw_workers *w; unsigned n, refused; };

static void *submit_many(void *p)
{
	struct submitter *s = p;
	for (unsigned i = 0; i < s->n; i++)
		while (igw_workers_submit(s->w, count_job, NULL) != IGW_OK) {
			s->refused++;	/* queue full for a moment: retry */
			sched_yield();
		}
	return NULL;
}

static void every_job_runs_once(void **state)
{
	(void)state;
	struct igw_workers *w;
	struct submitter s[3];
	pthread_t t[3];
	atomic_store(&ran, 0);
	assert_int_equal(igw_workers_start(4, 64, IGW_WORKER_SCHED_BATCH, &w), IGW_OK);
	for (unsigned i = 0; i < 3; i++) {
		s[i] = (struct submitter){ w, 5000, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, submit_many, &s[i]), 0);
	}
	for (unsigned i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	igw_workers_drain(w);
	assert_int_equal(atomic_load(&ran), 15000);
	assert_int_equal(igw_workers_load(w), 0);
	igw_workers_free(w);
}

/* A job that holds its worker until released. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_open, gate_entered;

static void gated_job(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&gate_lock);
	gate_entered++;
	pthread_cond_broadcast(&gate_cond);
	while (!gate_open)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
	atomic_fetch_add(&ran, 1);
}

static void full_queue_refuses_and_drain_runs_the_rest(void **state)
{
	(void)state;
	struct igw_workers *w;
	atomic_store(&ran, 0);
	gate_open = 0;
	gate_entered = 0;
	assert_int_equal(igw_workers_start(1, 2, IGW_WORKER_SCHED_NORMAL, &w), IGW_OK);
	assert_int_equal(igw_workers_submit(w, gated_job, NULL), IGW_OK);
	pthread_mutex_lock(&gate_lock);
	while (gate_entered == 0)	/* the one worker is now busy */
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
	assert_int_equal(igw_workers_submit(w, count_job, NULL), IGW_OK);
	assert_int_equal(igw_workers_submit(w, count_job, NULL), IGW_OK);
	assert_int_equal(igw_workers_submit(w, count_job, NULL), IGW_EOVERLOAD);	/* 2 queued */
	assert_int_equal(igw_workers_load(w), 3);
	pthread_mutex_lock(&gate_lock);
	gate_open = 1;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
	igw_workers_drain(w);
	assert_int_equal(atomic_load(&ran), 3);
	assert_int_equal(igw_workers_submit(w, count_job, NULL), IGW_EOVERLOAD);	/* stopped */
	igw_workers_free(w);
}

static atomic_int seen_policy;

static void policy_job(void *arg)
{
	(void)arg;
	atomic_store(&seen_policy, sched_getscheduler(0));	/* this thread's policy */
}

static int policy_of_workers(enum igw_worker_sched sched)
{
	struct igw_workers *w;
	atomic_store(&seen_policy, -2);
	assert_int_equal(igw_workers_start(2, 4, sched, &w), IGW_OK);
	assert_int_equal(igw_workers_submit(w, policy_job, NULL), IGW_OK);
	igw_workers_free(w);	/* drains: the job has run */
	return atomic_load(&seen_policy);
}

static void scheduling_policy_applied(void **state)
{
	(void)state;
	assert_int_equal(policy_of_workers(IGW_WORKER_SCHED_BATCH), SCHED_BATCH);
	assert_int_equal(policy_of_workers(IGW_WORKER_SCHED_NORMAL), SCHED_OTHER);
	assert_int_equal(sched_getscheduler(0), SCHED_OTHER);	/* the caller untouched */
}

static void bad_arguments(void **state)
{
	(void)state;
	struct igw_workers *w = (void *)1;
	assert_int_equal(igw_workers_start(0, 4, IGW_WORKER_SCHED_BATCH, &w), IGW_EINVAL);
	assert_null(w);
	assert_int_equal(igw_workers_start(1, 0, IGW_WORKER_SCHED_BATCH, &w), IGW_EINVAL);
	assert_null(w);
	igw_workers_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_job_runs_once),
		cmocka_unit_test(full_queue_refuses_and_drain_runs_the_rest),
		cmocka_unit_test(scheduling_policy_applied),
		cmocka_unit_test(bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
