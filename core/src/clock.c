/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <time.h>
#include "imsgw/clock.h"

static int64_t clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t igw_mono_ms(void) { return clock_ms(CLOCK_MONOTONIC); }

int64_t igw_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
int64_t igw_wall_ms(void) { return clock_ms(CLOCK_REALTIME); }

int64_t igw_deadline_after(int64_t ms)
{
	return igw_mono_ms() + (ms > 0 ? ms : 0);
}

int64_t igw_deadline_left(int64_t deadline)
{
	int64_t left = deadline - igw_mono_ms();
	return left > 0 ? left : 0;
}
