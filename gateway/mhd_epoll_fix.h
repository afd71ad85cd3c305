/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A work-around for libmicrohttpd 0.9.75's epoll loop (Debian 12).
 *
 * MHD_epoll() reads events in a loop "while (MAX_EVENTS == num_events)"
 * (MAX_EVENTS is 128) and passes the same time-out to every epoll_wait() of
 * the loop.  The connections of the first, full batch are only marked ready;
 * they are served after the loop.  When exactly 128 events were ready, the
 * second epoll_wait() therefore blocks for the whole time-out (up to the
 * connection time-out, 30 s by default) with 128 requests waiting, and when
 * it returns libmicrohttpd closes those connections as idle: a burst of 128
 * requests on one listener thread is dropped after 30 s.  Reproduced with
 * tests/security/burst.py (128 requests answered after the time-out, 127 and
 * 129 at once).
 *
 * imsgw defines epoll_wait() itself; the dynamic linker binds
 * libmicrohttpd's calls to it (an executable's definitions come first).  It
 * behaves as the C library's, except that a call that follows, on the same
 * thread and the same epoll descriptor, a call that returned a full array
 * does not wait (time-out 0).  For a caller that loops on a full array, as
 * libmicrohttpd does, that is the intended behaviour; for any other caller
 * it is an early return with 0 events, which epoll_wait() callers must
 * already handle (signals, time-outs).  No other function is replaced.
 */
#ifndef IMSGW_MHD_EPOLL_FIX_H
#define IMSGW_MHD_EPOLL_FIX_H

/* 1 when libmicrohttpd's epoll_wait() calls reach the replacement (checked
 * with dlsym; the listener logs a warning if not, e.g. when imsgw is linked
 * in an unusual way), 0 otherwise. */
int igw_mhd_epoll_fix_active(void);

#endif
