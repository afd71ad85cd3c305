/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The epoll_wait() replacement (gateway/mhd_epoll_fix.h): after a call that
 * filled the array, the next call on that descriptor does not wait; every
 * other call waits as the C library's does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <cmocka.h>
#include "mhd_epoll_fix.h"

#define NFD 128

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* An epoll set with n edge-triggered eventfds, all readable: one event each. */
static int ready_set(int n, int *fds)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	assert_true(ep >= 0);
	for (int i = 0; i < n; i++) {
		fds[i] = eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK);
		assert_true(fds[i] >= 0);
		struct epoll_event e = { .events = EPOLLIN | EPOLLET, .data.u32 = (uint32_t)i };
		assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &e), 0);
	}
	return ep;
}

static void close_set(int ep, int n, const int *fds)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
	close(ep);
}

/* Call epoll_wait(ep, max, timeout); returns the count, *ms the time taken. */
static int timed_wait(int ep, int max, int timeout, double *ms)
{
	struct epoll_event ev[NFD];
	double t0 = now_ms();
	int n = epoll_wait(ep, ev, max, timeout);
	*ms = now_ms() - t0;
	return n;
}

static void active_in_this_program(void **state)
{
	(void)state;
	assert_int_equal(igw_mhd_epoll_fix_active(), 1);
}

/* libmicrohttpd's pattern: exactly 128 ready, the second call of its loop
 * must not sleep for the time-out. */
static void no_wait_after_a_full_batch(void **state)
{
	(void)state;
	int fds[NFD];
	double ms;
	int ep = ready_set(NFD, fds);
	assert_int_equal(timed_wait(ep, NFD, 3000, &ms), NFD);
	assert_int_equal(timed_wait(ep, NFD, 3000, &ms), 0);
	assert_true(ms < 1000);		/* the C library's would take 3 s */
	/* the next call (the previous one was not full) waits again */
	assert_int_equal(timed_wait(ep, NFD, 200, &ms), 0);
	assert_true(ms >= 150);
	close_set(ep, NFD, fds);
}

static void events_still_delivered_after_a_full_batch(void **state)
{
	(void)state;
	int fds[NFD];
	double ms;
	int ep = ready_set(NFD, fds);
	assert_int_equal(timed_wait(ep, 100, 3000, &ms), 100);	/* full: 100 of 128 */
	assert_int_equal(timed_wait(ep, 100, 3000, &ms), 28);	/* the rest, at once */
	close_set(ep, NFD, fds);
}

static void partial_batches_wait_normally(void **state)
{
	(void)state;
	int fds[NFD];
	double ms;
	int ep = ready_set(10, fds);
	assert_int_equal(timed_wait(ep, NFD, 3000, &ms), 10);	/* not full */
	assert_int_equal(timed_wait(ep, NFD, 200, &ms), 0);
	assert_true(ms >= 150);					/* waited */
	close_set(ep, 10, fds);
}

static void a_full_batch_elsewhere_does_not_count(void **state)
{
	(void)state;
	int a[NFD], b[1];
	double ms;
	int ea = ready_set(NFD, a), eb = ready_set(0, b);
	assert_int_equal(timed_wait(ea, NFD, 3000, &ms), NFD);	/* a: full */
	assert_int_equal(timed_wait(eb, NFD, 200, &ms), 0);	/* b: waits */
	assert_true(ms >= 150);
	close_set(ea, NFD, a);
	close_set(eb, 0, b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(active_in_this_program),
		cmocka_unit_test(no_wait_after_a_full_batch),
		cmocka_unit_test(events_still_delivered_after_a_full_batch),
		cmocka_unit_test(partial_batches_wait_normally),
		cmocka_unit_test(a_full_batch_elsewhere_does_not_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
