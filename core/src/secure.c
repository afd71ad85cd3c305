/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/secure.h"

int igw_ct_equal(const void *a, size_t alen, const void *b, size_t blen)
{
	const volatile uint8_t *x = a, *y = b;
	/* Walk the longer input fully so time depends on lengths only. */
	size_t n = alen > blen ? alen : blen;
	uint8_t diff = (uint8_t)(alen != blen);
	for (size_t i = 0; i < n; i++) {
		uint8_t cx = i < alen ? x[i] : 0;
		uint8_t cy = i < blen ? y[i] : 0;
		diff |= (uint8_t)(cx ^ cy);
	}
	return diff == 0;
}

void igw_secure_zero(void *p, size_t n)
{
	if (p != NULL && n > 0) {
		explicit_bzero(p, n);
	}
}

void igw_secure_free_str(char *s)
{
	if (s) {
		igw_secure_zero(s, strlen(s));
		free(s);
	}
}
