/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Secrets: constant-time comparison and zeroing that the compiler keeps.
 */
#ifndef IMSGW_SECURE_H
#define IMSGW_SECURE_H

#include <stddef.h>

/* 1 if a[0..alen) equals b[0..blen), else 0.  Time depends only on alen and
 * blen (lengths are not secret; contents are). */
int igw_ct_equal(const void *a, size_t alen, const void *b, size_t blen);
/* Zero n bytes at p; not optimised away.  p may be NULL when n is 0. */
void igw_secure_zero(void *p, size_t n);
/* igw_secure_zero(s, strlen(s)) then free(s); NULL is fine. */
void igw_secure_free_str(char *s);

#endif
