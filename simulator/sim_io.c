/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Client socket I/O with deadlines, plain or TLS. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <openssl/err.h>
#include "imsgw/core.h"
#include "sim_io.h"

#define SIM_IO_SLICE_MS 200

static void log_ssl_errors(const char *what)
{
	unsigned long e;
	char buf[256];
	while ((e = ERR_get_error()) != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		igw_log_warn(NULL, "%s: %s", what, buf);
	}
}

SSL_CTX *sim_tls_ctx_new(const char *cert, const char *key, const char *ca)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	int ok = ctx != NULL;
	if (ok)
		ok = SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) == 1;
	if (ok && SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		igw_log_error(NULL, "TLS: cannot load certificate %s", cert);
		ok = 0;
	}
	if (ok && SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		igw_log_error(NULL, "TLS: cannot load key %s", key);
		ok = 0;
	}
	if (ok && SSL_CTX_check_private_key(ctx) != 1) {
		igw_log_error(NULL, "TLS: key %s does not match %s", key, cert);
		ok = 0;
	}
	if (ok && ca && ca[0]) {
		if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
			igw_log_error(NULL, "TLS: cannot load CA %s", ca);
			ok = 0;
		} else {
			SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
			                   NULL);
		}
	}
	if (ok)
		SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);
	if (!ok) {
		log_ssl_errors("TLS setup");
		SSL_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

static int wait_fd(int fd, short ev, int64_t deadline)
{
	int64_t left = deadline < 0 ? SIM_IO_SLICE_MS : igw_deadline_left(deadline);
	if (left > SIM_IO_SLICE_MS)
		left = SIM_IO_SLICE_MS;
	struct pollfd p = { .fd = fd, .events = ev };
	int r = poll(&p, 1, (int)left);
	if (r < 0 && errno == EINTR)
		r = 0;
	return r;
}

int sim_io_tls_accept(struct sim_io *io, SSL_CTX *ctx, int64_t deadline)
{
	int rc = IGW_OK;
	io->ssl = SSL_new(ctx);
	if (!io->ssl || SSL_set_fd(io->ssl, io->fd) != 1)
		rc = IGW_ETLS;
	while (rc == IGW_OK) {
		/* Non-blocking handshake driven by poll so the deadline holds. */
		int r = SSL_accept(io->ssl);
		if (r == 1)
			break;
		int e = SSL_get_error(io->ssl, r);
		if ((e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) &&
		    igw_deadline_left(deadline) > 0) {
			wait_fd(io->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline);
			continue;
		}
		rc = IGW_ETLS;
	}
	if (rc != IGW_OK)
		log_ssl_errors("TLS handshake");
	return rc;
}

long sim_io_read(struct sim_io *io, void *buf, size_t n, int64_t deadline,
                 bool (*abort_fn)(void *), void *arg)
{
	long got = 0;
	bool done = false;
	while (!done) {
		if (abort_fn && abort_fn(arg)) {
			got = IGW_ECLOSED;
			break;
		}
		if (deadline >= 0 && igw_deadline_left(deadline) == 0) {
			got = IGW_ETIMEOUT;
			break;
		}
		if (!(io->ssl && SSL_pending(io->ssl) > 0)) {
			int r = wait_fd(io->fd, POLLIN, deadline);
			if (r < 0) {
				got = IGW_EIO;
				break;
			}
			if (r == 0)
				continue;
		}
		if (io->ssl) {
			size_t rd = 0;
			ERR_clear_error();
			int r = SSL_read_ex(io->ssl, buf, n, &rd);
			if (r == 1) {
				got = (long)rd;
				done = true;
			} else {
				int e = SSL_get_error(io->ssl, r);
				if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
					continue;
				got = e == SSL_ERROR_ZERO_RETURN ? 0 : IGW_EIO;
				done = true;
			}
		} else {
			ssize_t r = recv(io->fd, buf, n, 0);
			if (r < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			got = r < 0 ? IGW_EIO : (long)r;
			done = true;
		}
	}
	return got;
}

int sim_io_write(struct sim_io *io, const void *buf, size_t n)
{
	int rc = IGW_OK;
	const uint8_t *p = buf;
	while (n > 0 && rc == IGW_OK) {
		if (io->ssl) {
			size_t wr = 0;
			ERR_clear_error();
			if (SSL_write_ex(io->ssl, p, n, &wr) == 1) {
				p += wr;
				n -= wr;
			} else {
				int e = SSL_get_error(io->ssl, 0);
				if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ)
					wait_fd(io->fd, POLLOUT, igw_deadline_after(SIM_IO_SLICE_MS));
				else
					rc = IGW_EIO;
			}
		} else {
			ssize_t r = send(io->fd, p, n, MSG_NOSIGNAL);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 && errno == EAGAIN) {
				wait_fd(io->fd, POLLOUT, igw_deadline_after(SIM_IO_SLICE_MS));
				continue;
			}
			if (r <= 0) {
				rc = IGW_EIO;
			} else {
				p += r;
				n -= (size_t)r;
			}
		}
	}
	return rc;
}

int sim_io_peer_gone(struct sim_io *io)
{
	struct pollfd p = { .fd = io->fd, .events = POLLIN };
	int gone = 0;
	if (poll(&p, 1, 0) > 0) {
		if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) {
			gone = 1;
		} else if (io->ssl && (p.revents & POLLIN)) {
			char c;
			ERR_clear_error();
			int r = SSL_peek(io->ssl, &c, 1);
			if (r <= 0) {
				int e = SSL_get_error(io->ssl, r);
				gone = e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE;
			}
		} else if (p.revents & POLLIN) {
			char c;
			ssize_t r = recv(io->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
			gone = r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR);
		}
	}
	return gone;
}

void sim_io_close(struct sim_io *io)
{
	if (io->ssl) {
		SSL_shutdown(io->ssl);
		SSL_free(io->ssl);
		io->ssl = NULL;
	}
	if (io->fd >= 0) {
		close(io->fd);
		io->fd = -1;
	}
}
