/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private: deadline-bounded socket I/O, plain or TLS (OpenSSL). */
#ifndef IMSC_IO_H
#define IMSC_IO_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "imsconnect/client.h"
#include "imsgw/limits.h"

/* One connection.  Reads go through rbuf: one recv (or SSL_read) takes
 * whatever has arrived, up to IGW_IMSC_READ_AHEAD bytes, so that a reply's
 * length prefixes, segments and CSM, which the framer asks for piece by
 * piece, usually cost one system call instead of one each.  Bytes past the
 * current reply stay in rbuf for the next one, exactly as they would have
 * stayed in the socket; connect, adopt and close empty it. */
struct imsc_io {
	int fd;
	SSL *ssl;
	size_t rpos, rlen;		/* unread bytes: rbuf[rpos..rlen) */
	uint8_t rbuf[IGW_IMSC_READ_AHEAD];
};

/* TLS client context from the configuration (NULL *out when disabled). */
int imsc_tls_ctx_new(const struct imsc_tls_config *cfg, SSL_CTX **out);
/* TCP connect to host:port, then the TLS handshake if ctx is not NULL,
 * checking the peer against server_name (or host). */
int imsc_io_connect(const char *host, uint16_t port, SSL_CTX *ctx,
                    const struct imsc_tls_config *tls, int64_t deadline,
                    struct imsc_io *io);
/* Adopt a connected plain socket (made non-blocking). */
int imsc_io_adopt(int fd, struct imsc_io *io);
int imsc_io_write_all(struct imsc_io *io, const uint8_t *p, size_t n, int64_t deadline);
/* Read 1..n bytes (buffered bytes first).  IGW_ECLOSED at end of stream,
 * IGW_ETIMEOUT. */
int imsc_io_read_some(struct imsc_io *io, uint8_t *p, size_t n, int64_t deadline);
void imsc_io_close(struct imsc_io *io);

#endif
