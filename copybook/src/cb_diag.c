/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cb_internal.h"

void cb_diag_clear(struct igw_cb_diag *d)
{
	if (d) {
		d->reason = NULL;
		d->where[0] = 0;
		d->text[0] = 0;
	}
}

void cb_diag_at(struct igw_cb_diag *d, const char *name, unsigned line,
                const char *fmt, ...)
{
	if (d) {
		va_list ap;
		d->reason = NULL;
		snprintf(d->where, sizeof(d->where), "%s:%u", name ? name : "-", line);
		va_start(ap, fmt);
		vsnprintf(d->text, sizeof(d->text), fmt, ap);
		va_end(ap);
	}
}

void cb_diag_text(struct igw_cb_diag *d, const char *fmt, ...)
{
	if (d) {
		va_list ap;
		d->reason = NULL;
		d->where[0] = 0;
		va_start(ap, fmt);
		vsnprintf(d->text, sizeof(d->text), fmt, ap);
		va_end(ap);
	}
}

int cb_name_eq(const char *a, const char *b)
{
	int eq = 1;
	for (;; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'a' && x <= 'z')
			x = (char)(x - 'a' + 'A');
		if (y >= 'a' && y <= 'z')
			y = (char)(y - 'a' + 'A');
		if (x == '_')
			x = '-';
		if (y == '_')
			y = '-';
		if (x != y) {
			eq = 0;
			break;
		}
		if (x == 0)
			break;
	}
	return eq;
}
