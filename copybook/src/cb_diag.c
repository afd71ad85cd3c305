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

void cb_diag_where(struct igw_cb_diag *d, const char *head,
                   const struct igw_cb_field *const *pf, const unsigned *pi, unsigned depth)
{
	char *w = d->where;
	size_t wl = sizeof(d->where);
	size_t o = (size_t)snprintf(w, wl, "%s", head);
	for (unsigned i = 0; i < depth && o < wl; i++) {
		if (pf[i]->occurs_max > 1)
			o += (size_t)snprintf(w + o, wl - o, "/%s[%u]", pf[i]->xml_name, pi[i] + 1);
		else
			o += (size_t)snprintf(w + o, wl - o, "/%s", pf[i]->xml_name);
	}
}
