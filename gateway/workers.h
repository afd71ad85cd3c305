/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fixed set of worker threads with a bounded job queue.
 *
 * Jobs that wait on IMS Connect run here, so that the listener threads stay
 * free for other connections while IMS works.  The queue is bounded: when
 * it is full, submit fails at once (IGW_EOVERLOAD) and the caller answers
 * GW-OVERLOADED instead of queueing without limit.
 *
 * Shutdown: igw_workers_drain() lets the workers finish every queued job,
 * then joins them; igw_workers_free() releases the object.
 */
#ifndef IMSGW_WORKERS_H
#define IMSGW_WORKERS_H

typedef void (*igw_job_fn)(void *arg);

/* Scheduling policy of the worker threads.  BATCH (the default of the
 * [server] worker-scheduling directive): a woken worker waits for the
 * running thread's slice instead of preempting it, which keeps the listener
 * threads' CPU work (TLS, signature checks) in one piece under load.  NORMAL:
 * SCHED_OTHER, the system's default, as before 2026-12-07. */
enum igw_worker_sched {
	IGW_WORKER_SCHED_BATCH = 0,
	IGW_WORKER_SCHED_NORMAL = 1,
};

struct igw_workers;

/* nthreads >= 1, queue_max >= 1.  IGW_ENOMEM / IGW_EIO (thread creation). */
int igw_workers_start(unsigned nthreads, unsigned queue_max, enum igw_worker_sched sched,
                      struct igw_workers **out);
/* Queue fn(arg).  IGW_OK, or IGW_EOVERLOAD when the queue is full or the
 * workers are stopping (fn is then not called). */
int igw_workers_submit(struct igw_workers *w, igw_job_fn fn, void *arg);
/* Jobs queued or running now (for metrics and tests). */
unsigned igw_workers_load(struct igw_workers *w);
/* Refuse new jobs, run every queued one, join the threads.  w stays valid
 * (submit then fails with IGW_EOVERLOAD) until igw_workers_free(). */
void igw_workers_drain(struct igw_workers *w);
/* Drain (if not done) and free.  NULL is fine. */
void igw_workers_free(struct igw_workers *w);

#endif
