/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Deadline-bounded TCP and TLS I/O on non-blocking sockets. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "imsgw/clock.h"
#include "imsgw/error.h"
#include "imsgw/log.h"
#include "io.h"

/* Wait for events on fd until the deadline: 1 ready, IGW_ETIMEOUT, IGW_EIO. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	int rc = 0;
	while (rc == 0) {
		int64_t left = igw_deadline_left(deadline);
		struct pollfd pfd = { .fd = fd, .events = events, .revents = 0 };
		if (left <= 0) {
			rc = IGW_ETIMEOUT;
			break;
		}
		int n = poll(&pfd, 1, left > 1000000 ? 1000000 : (int)left);
		if (n > 0)
			rc = 1;
		else if (n < 0 && errno != EINTR)
			rc = IGW_EIO;
	}
	return rc;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0 ? 0 : IGW_EIO;
}

static int tcp_connect(const char *host, uint16_t port, int64_t deadline, int *out)
{
	int rc = IGW_ECONNECT;
	char svc[8];
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(svc, sizeof(svc), "%u", (unsigned)port);
	if (getaddrinfo(host, svc, &hints, &res) != 0)
		res = NULL;
	for (struct addrinfo *ai = res; ai && rc != 0; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		int r = set_nonblock(fd);
		if (r == 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
			if (errno == EINPROGRESS) {
				r = wait_fd(fd, POLLOUT, deadline);
				int err = 0;
				socklen_t el = sizeof(err);
				if (r == 1)
					r = getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 &&
					    err == 0 ? 0 : IGW_ECONNECT;
			} else {
				r = IGW_ECONNECT;
			}
		}
		if (r == 0) {
			*out = fd;
			rc = 0;
		} else {
			close(fd);
			if (r == IGW_ETIMEOUT) {
				rc = IGW_ETIMEOUT;
				break;
			}
		}
	}
	if (res)
		freeaddrinfo(res);
	return rc;
}

int imsc_tls_ctx_new(const struct imsc_tls_config *cfg, SSL_CTX **out)
{
	int rc = 0;
	SSL_CTX *ctx = NULL;
	*out = NULL;
	if (cfg && cfg->enabled) {
		ctx = SSL_CTX_new(TLS_client_method());
		if (ctx == NULL)
			rc = IGW_ETLS;
		if (rc == 0 && SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1)
			rc = IGW_ETLS;
		if (rc == 0) {
			SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
			if (cfg->ca_file)
				rc = SSL_CTX_load_verify_locations(ctx, cfg->ca_file, NULL) == 1
					? 0 : IGW_ECONFIG;
			else
				rc = SSL_CTX_set_default_verify_paths(ctx) == 1 ? 0 : IGW_ECONFIG;
		}
		if (rc == 0 && (cfg->cert_file != NULL) != (cfg->key_file != NULL))
			rc = IGW_ECONFIG;
		if (rc == 0 && cfg->cert_file) {
			if (SSL_CTX_use_certificate_chain_file(ctx, cfg->cert_file) != 1 ||
			    SSL_CTX_use_PrivateKey_file(ctx, cfg->key_file, SSL_FILETYPE_PEM) != 1 ||
			    SSL_CTX_check_private_key(ctx) != 1)
				rc = IGW_ECONFIG;
		}
		if (rc != 0) {
			igw_log_error(NULL, "imsconnect: TLS setup failed (%s)",
				      igw_strerror(rc));
			ERR_clear_error();
			SSL_CTX_free(ctx);
			ctx = NULL;
		}
	}
	*out = ctx;
	return rc;
}

/* Drive an SSL call that may want to read or write. */
static int tls_wait(struct imsc_io *io, int r, int64_t deadline)
{
	int rc;
	int e = SSL_get_error(io->ssl, r);
	if (e == SSL_ERROR_WANT_READ)
		rc = wait_fd(io->fd, POLLIN, deadline);
	else if (e == SSL_ERROR_WANT_WRITE)
		rc = wait_fd(io->fd, POLLOUT, deadline);
	else if (e == SSL_ERROR_ZERO_RETURN)
		rc = IGW_ECLOSED;
	else if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)
		rc = IGW_ECLOSED;	/* EOF without close_notify */
	else
		rc = IGW_ETLS;
	if (rc < 0)
		ERR_clear_error();
	return rc;
}

static int tls_handshake(struct imsc_io *io, SSL_CTX *ctx, const char *host,
                         const struct imsc_tls_config *tls, int64_t deadline)
{
	int rc = 0;
	const char *name = tls->server_name ? tls->server_name : host;
	io->ssl = SSL_new(ctx);
	if (io->ssl == NULL || SSL_set_fd(io->ssl, io->fd) != 1)
		rc = IGW_ETLS;
	if (rc == 0 && name) {
		char sni[256];	/* the macro wants a non-const pointer */
		size_t n = strnlen(name, sizeof(sni));
		if (n < sizeof(sni)) {
			memcpy(sni, name, n + 1);
			SSL_set_tlsext_host_name(io->ssl, sni);
		}
	}
	if (rc == 0 && name && !tls->no_verify_host) {
		SSL_set_hostflags(io->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (SSL_set1_host(io->ssl, name) != 1)
			rc = IGW_ETLS;
	}
	while (rc == 0) {
		int r = SSL_connect(io->ssl);
		if (r == 1)
			break;
		rc = tls_wait(io, r, deadline);
		if (rc == 1)
			rc = 0;
		else if (rc == IGW_ECLOSED)
			rc = IGW_ETLS;
	}
	if (rc == IGW_ETLS) {
		long v = SSL_get_verify_result(io->ssl);
		igw_log_warn(NULL, "imsconnect: TLS handshake with %s failed%s%s", name ? name : "?",
			     v != X509_V_OK ? ": " : "",
			     v != X509_V_OK ? X509_verify_cert_error_string(v) : "");
	}
	return rc;
}

int imsc_io_connect(const char *host, uint16_t port, SSL_CTX *ctx,
                    const struct imsc_tls_config *tls, int64_t deadline,
                    struct imsc_io *io)
{
	io->fd = -1;
	io->ssl = NULL;
	io->rpos = io->rlen = 0;
	int rc = host ? tcp_connect(host, port, deadline, &io->fd) : IGW_EINVAL;
	if (rc == 0 && ctx)
		rc = tls_handshake(io, ctx, host, tls, deadline);
	if (rc != 0)
		imsc_io_close(io);
	return rc;
}

int imsc_io_adopt(int fd, struct imsc_io *io)
{
	io->fd = fd;
	io->ssl = NULL;
	io->rpos = io->rlen = 0;
	return fd >= 0 ? set_nonblock(fd) : IGW_EINVAL;
}

int imsc_io_write_all(struct imsc_io *io, const uint8_t *p, size_t n, int64_t deadline)
{
	int rc = io->fd >= 0 ? 0 : IGW_ECLOSED;
	while (rc == 0 && n > 0) {
		if (io->ssl) {
			size_t w = 0;
			int r = SSL_write_ex(io->ssl, p, n, &w);
			if (r == 1) {
				p += w;
				n -= w;
			} else {
				rc = tls_wait(io, r, deadline);
				if (rc == 1)
					rc = 0;
			}
		} else {
			ssize_t w = send(io->fd, p, n, MSG_NOSIGNAL);
			if (w > 0) {
				p += w;
				n -= (size_t)w;
			} else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				rc = wait_fd(io->fd, POLLOUT, deadline);
				if (rc == 1)
					rc = 0;
			} else if (w < 0 && errno == EINTR) {
				continue;
			} else {
				rc = (errno == EPIPE || errno == ECONNRESET) ? IGW_ECLOSED : IGW_EIO;
			}
		}
	}
	return rc;
}

/* One read from the connection of 1..n bytes (what has arrived). */
static int read_raw(struct imsc_io *io, uint8_t *p, size_t n, int64_t deadline)
{
	int rc = io->fd >= 0 ? 0 : IGW_ECLOSED;
	if (n > 0x40000000u)
		n = 0x40000000u;
	while (rc == 0) {
		if (io->ssl) {
			size_t r = 0;
			int x = SSL_read_ex(io->ssl, p, n, &r);
			if (x == 1) {
				rc = (int)r;
			} else {
				rc = tls_wait(io, x, deadline);
				if (rc == 1)
					rc = 0;
			}
		} else {
			ssize_t r = recv(io->fd, p, n, 0);
			if (r > 0)
				rc = (int)r;
			else if (r == 0)
				rc = IGW_ECLOSED;
			else if (errno == EAGAIN || errno == EWOULDBLOCK) {
				rc = wait_fd(io->fd, POLLIN, deadline);
				if (rc == 1)
					rc = 0;
			} else if (errno != EINTR) {
				rc = errno == ECONNRESET ? IGW_ECLOSED : IGW_EIO;
			}
		}
	}
	return rc;
}

int imsc_io_read_some(struct imsc_io *io, uint8_t *p, size_t n, int64_t deadline)
{
	int rc = 0, direct = 0;
	if (io->rpos == io->rlen) {
		io->rpos = io->rlen = 0;
		direct = n >= sizeof(io->rbuf);		/* large: straight in */
		rc = direct ? read_raw(io, p, n, deadline) :
		     read_raw(io, io->rbuf, sizeof(io->rbuf), deadline);
		if (rc > 0 && !direct) {
			io->rlen = (size_t)rc;
			rc = 0;
		}
	}
	if (rc == 0 && !direct) {
		size_t k = io->rlen - io->rpos < n ? io->rlen - io->rpos : n;
		memcpy(p, io->rbuf + io->rpos, k);
		io->rpos += k;
		rc = (int)k;
	}
	return rc;
}

void imsc_io_close(struct imsc_io *io)
{
	io->rpos = io->rlen = 0;
	if (io->ssl) {
		SSL_shutdown(io->ssl);	/* best effort close_notify, non-blocking */
		SSL_free(io->ssl);
		io->ssl = NULL;
		ERR_clear_error();
	}
	if (io->fd >= 0) {
		close(io->fd);
		io->fd = -1;
	}
}
