/* SPDX-License-Identifier: GPL-2.0-or-later */
/* See mhd_epoll_fix.h: libmicrohttpd 0.9.75 blocks after a full epoll batch. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <sys/epoll.h>
#include "mhd_epoll_fix.h"

/* The epoll descriptor whose last epoll_wait() on this thread filled the
 * caller's array; -1 when the last call did not. */
static _Thread_local int full_epfd = -1;

int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)
{
	if (epfd == full_epfd)
		timeout = 0;	/* more events may be pending: look, do not wait */
	/* epoll_pwait() with no signal mask is epoll_wait() (epoll_wait(2)) */
	int n = epoll_pwait(epfd, events, maxevents, timeout, NULL);
	full_epfd = (n > 0 && n == maxevents) ? epfd : -1;
	return n;
}

int igw_mhd_epoll_fix_active(void)
{
	int (*bound)(int, struct epoll_event *, int, int);
	*(void **)&bound = dlsym(RTLD_DEFAULT, "epoll_wait");	/* POSIX dlsym idiom */
	return bound == epoll_wait;
}
