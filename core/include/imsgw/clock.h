/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Time: a monotonic clock for deadlines and a wall clock for tokens.
 */
#ifndef IMSGW_CLOCK_H
#define IMSGW_CLOCK_H

#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC. */
int64_t igw_mono_ms(void);
/* Nanoseconds on CLOCK_MONOTONIC (read from the vDSO: for timing work of a
 * few microseconds). */
int64_t igw_mono_ns(void);
/* Milliseconds since the Unix epoch (CLOCK_REALTIME). */
int64_t igw_wall_ms(void);
/* Deadline helpers: a deadline is an absolute igw_mono_ms() value.
 * igw_deadline_left returns ms left, 0 if passed (never negative). */
int64_t igw_deadline_after(int64_t ms);
int64_t igw_deadline_left(int64_t deadline);

#endif
