/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/buf.h"
#include "imsgw/error.h"
#include "imsgw/secure.h"

int igw_buf_init(struct igw_buf *b, size_t max)
{
	int rc = IGW_OK;
	memset(b, 0, sizeof(*b));
	if (max == 0 || max == SIZE_MAX)
		rc = IGW_EINVAL;
	else
		b->max = max;
	return rc;
}

int igw_buf_reserve(struct igw_buf *b, size_t extra)
{
	int rc = IGW_OK;
	if (b->max == 0) {
		rc = IGW_EINVAL;
	} else if (extra > b->max || b->len > b->max - extra) {
		rc = IGW_ELIMIT;
	} else if (b->len + extra > b->cap || b->data == NULL) {
		size_t need = b->len + extra;
		size_t cap = b->cap ? b->cap : 64;
		while (cap < need)
			cap = cap > b->max / 2 ? b->max : cap * 2;
		if (cap > b->max)
			cap = b->max;
		uint8_t *p = malloc(cap + 1);
		if (p == NULL) {
			rc = IGW_ENOMEM;
		} else {
			if (b->data) {
				memcpy(p, b->data, b->len);
				igw_secure_zero(b->data, b->cap);
				free(b->data);
			}
			p[b->len] = 0;
			b->data = p;
			b->cap = cap;
		}
	}
	return rc;
}

int igw_buf_append(struct igw_buf *b, const void *p, size_t n)
{
	int rc = igw_buf_reserve(b, n);
	if (rc == IGW_OK && n > 0) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = 0;
	}
	return rc;
}

int igw_buf_append_str(struct igw_buf *b, const char *s)
{
	return igw_buf_append(b, s, strlen(s));
}

int igw_buf_append_byte(struct igw_buf *b, uint8_t c)
{
	return igw_buf_append(b, &c, 1);
}

int igw_buf_vprintf(struct igw_buf *b, const char *fmt, va_list ap)
{
	int rc;
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		rc = IGW_EINVAL;
	} else {
		rc = igw_buf_reserve(b, (size_t)n);
		if (rc == IGW_OK) {
			vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
			b->len += (size_t)n;
		}
	}
	return rc;
}

int igw_buf_printf(struct igw_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = igw_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void igw_buf_reset(struct igw_buf *b)
{
	if (b->data) {
		igw_secure_zero(b->data, b->len);
		b->data[0] = 0;
	}
	b->len = 0;
}

void igw_buf_free(struct igw_buf *b)
{
	if (b->data) {
		igw_secure_zero(b->data, b->cap + 1);
		free(b->data);
	}
	b->data = NULL;
	b->len = b->cap = 0;
}

uint8_t *igw_buf_steal(struct igw_buf *b, size_t *len)
{
	uint8_t *p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

const char *igw_buf_cstr(const struct igw_buf *b)
{
	return b->data ? (const char *)b->data : "";
}
