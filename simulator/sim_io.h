/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Socket I/O for one client connection, plain TCP or TLS (OpenSSL), with
 * deadlines.  Reads never take more bytes than asked, so a frame boundary is
 * never crossed.  Blocking socket + poll(); TLS reads check SSL_pending first.
 */
#ifndef SIM_IO_H
#define SIM_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/ssl.h>

struct sim_io {
	int fd;
	SSL *ssl;		/* NULL for plain TCP */
};

/* Server TLS context from PEM files; ca (may be "") makes client
 * certificates mandatory.  NULL on error (logged). */
SSL_CTX *sim_tls_ctx_new(const char *cert, const char *key, const char *ca);
/* TLS handshake as server on io->fd within deadline.  IGW_ETLS on failure. */
int sim_io_tls_accept(struct sim_io *io, SSL_CTX *ctx, int64_t deadline);
/* Read 1..n bytes.  Returns the count, 0 at EOF, IGW_ETIMEOUT when the
 * deadline (mono ms, < 0 none) passed, IGW_EIO on error.  Every slice_ms the
 * abort function (may be NULL) is asked whether to give up: IGW_ECLOSED. */
long sim_io_read(struct sim_io *io, void *buf, size_t n, int64_t deadline,
                 bool (*abort_fn)(void *), void *arg);
/* Write all n bytes.  IGW_EIO on error. */
int sim_io_write(struct sim_io *io, const void *buf, size_t n);
/* 1 if the peer closed (or reset) the connection, without consuming data. */
int sim_io_peer_gone(struct sim_io *io);
/* TLS close_notify (best effort), free SSL, close fd. */
void sim_io_close(struct sim_io *io);

#endif
