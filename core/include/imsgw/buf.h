/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bounded growable byte buffer.
 *
 * A buffer owns its storage.  Its ceiling (max) is mandatory and fixed at
 * init: no operation ever makes len exceed max; one that would fails with
 * IGW_ELIMIT and leaves the buffer unchanged.  Growth doubles capacity up to
 * max.  The bytes are always followed by a NUL that is not counted in len, so
 * text can be read as a C string (binary data may contain NULs of its own).
 *
 * Not thread-safe; one owner at a time.
 */
#ifndef IMSGW_BUF_H
#define IMSGW_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

struct igw_buf {
	uint8_t *data;	/* NULL until the first byte is stored */
	size_t len;	/* bytes stored */
	size_t cap;	/* bytes allocated (excluding the trailing NUL) */
	size_t max;	/* ceiling on len, > 0 */
};

/* Empty buffer with ceiling max (> 0).  Allocates nothing.
 * Returns IGW_EINVAL if max is 0. */
int igw_buf_init(struct igw_buf *b, size_t max);
/* Make room for len + extra bytes.  IGW_ELIMIT past max, IGW_ENOMEM. */
int igw_buf_reserve(struct igw_buf *b, size_t extra);
int igw_buf_append(struct igw_buf *b, const void *p, size_t n);
int igw_buf_append_str(struct igw_buf *b, const char *s);
int igw_buf_append_byte(struct igw_buf *b, uint8_t c);
/* printf-style append; all or nothing. */
int igw_buf_printf(struct igw_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int igw_buf_vprintf(struct igw_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Forget the contents, keep the storage (zeroing what was stored). */
void igw_buf_reset(struct igw_buf *b);
/* Release storage after zeroing it; the buffer may be re-initialised. */
void igw_buf_free(struct igw_buf *b);
/* Hand the storage to the caller (who frees it with free()); buffer is reset
 * to empty.  Returns NULL for an empty buffer that never allocated. */
uint8_t *igw_buf_steal(struct igw_buf *b, size_t *len);
/* Contents as a C string ("" when empty); valid until the next change. */
const char *igw_buf_cstr(const struct igw_buf *b);

#endif
