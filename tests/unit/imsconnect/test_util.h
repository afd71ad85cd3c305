/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers shared by the imsconnect unit tests. */
#ifndef IMSC_TEST_UTIL_H
#define IMSC_TEST_UTIL_H

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Parse hex text (spaces ignored) into out; returns the byte count. */
static inline size_t hex2bin(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;
	for (const char *p = hex; *p && n < max; p++) {
		int v;
		if (isspace((unsigned char)*p))
			continue;
		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			v = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			v = *p - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

#endif
