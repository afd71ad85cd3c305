/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <poll.h>
#include <stdint.h>
#include <openssl/pkcs12.h>
#include <openssl/ssl.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "outbound.h"
#include <stdsoap2.h>	/* runtime glue: gsoap_envC.c, made by soapcpp2 from gsoap_env.h */

struct igw_out_client {
	const struct igw_out_target *t;
	struct soap *soap;
	size_t (*frecv)(struct soap *, char *, size_t);	/* gSOAP's own */
	int timed_out;
};

/* Wait up to ms for fd to become readable (events) ; 1 ready, 0 timeout. */
static int wait_fd(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;
	do
		r = poll(&p, 1, ms);
	while (r < 0 && errno == EINTR);
	return r != 0;
}

/* Receive with a deadline.  gSOAP's receive timeout does not bound its TLS
 * reads (a TLS 1.3 session ticket makes the socket readable, then a blocking
 * SSL_read waits for application data without limit), so TLS reads are done
 * here on a non-blocking socket, waiting with poll() within the timeout. */
static size_t frecv_bounded(struct soap *s, char *buf, size_t len)
{
	struct igw_out_client *c = s->user;
	unsigned ms = c->t->timeout_ms ? c->t->timeout_ms : IGW_OUT_TIMEOUT_MS_DEFAULT;
	int64_t deadline = igw_deadline_after(ms);
	size_t n = 0;
	if (!s->ssl) {
		if (wait_fd(s->socket, POLLIN, (int)ms))
			n = c->frecv(s, buf, len);
		else
			c->timed_out = 1;
	} else {
		int fl = fcntl(s->socket, F_GETFL);
		if (fl >= 0 && !(fl & O_NONBLOCK))
			fcntl(s->socket, F_SETFL, fl | O_NONBLOCK);
		for (;;) {
			int r = SSL_read(s->ssl, buf, len > INT32_MAX ? INT32_MAX : (int)len);
			int e = r > 0 ? SSL_ERROR_NONE : SSL_get_error(s->ssl, r);
			if (r > 0) {
				n = (size_t)r;
				break;
			}
			if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
				break;		/* closed or failed: gSOAP sees EOF */
			if (!wait_fd(s->socket, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
			             (int)igw_deadline_left(deadline))) {
				c->timed_out = 1;
				break;
			}
		}
	}
	if (c->timed_out)
		s->errnum = ETIMEDOUT;
	return n;
}

/* Install the key and certificate (and chain) of a PKCS#12 keystore in ctx. */
static int use_p12(SSL_CTX *ctx, const char *path, const char *password)
{
	int rc = IGW_ETLS;
	FILE *f = fopen(path, "rb");
	PKCS12 *p12 = f ? d2i_PKCS12_fp(f, NULL) : NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	STACK_OF(X509) *ca = NULL;
	if (p12 && PKCS12_parse(p12, password, &key, &cert, &ca) == 1 && key && cert &&
	    SSL_CTX_use_cert_and_key(ctx, cert, key, ca, 1) == 1 && SSL_CTX_check_private_key(ctx) == 1)
		rc = IGW_OK;
	if (f)
		fclose(f);
	PKCS12_free(p12);
	EVP_PKEY_free(key);
	X509_free(cert);
	sk_X509_pop_free(ca, X509_free);
	return rc;
}

int igw_out_client_new(const struct igw_out_target *t, struct igw_out_client **out)
{
	int rc = IGW_OK;
	struct igw_out_client *c = calloc(1, sizeof(*c));
	*out = NULL;
	if (!c || !(c->soap = soap_new1(SOAP_IO_STORE | SOAP_IO_KEEPALIVE))) {
		rc = IGW_ENOMEM;
	} else {
		unsigned ms = t->timeout_ms ? t->timeout_ms : IGW_OUT_TIMEOUT_MS_DEFAULT;
		struct soap *s = c->soap;
		unsigned short flags = SOAP_SSL_DEFAULT | SOAP_TLSv1_2 | SOAP_TLSv1_3;
		c->t = t;
		/* negative gSOAP timeouts are microseconds; reads are bounded by
		 * frecv_bounded */
		s->connect_timeout = s->send_timeout = -(int)(ms * 1000);
		s->recv_timeout = 0;
		s->user = c;
		c->frecv = s->frecv;
		s->frecv = frecv_bounded;
		s->recv_maxlength = t->max_response ? t->max_response : IGW_OUT_RESPONSE_MAX;
		if (t->no_verify_host)
			flags |= SOAP_SSL_SKIP_HOST_CHECK;
		if (strncmp(t->url, "https:", 6) == 0 &&
		    soap_ssl_client_context(s, flags, t->keystore_pem, t->keystore_password,
		                            t->truststore_pem, NULL, NULL) != SOAP_OK) {
			igw_log_error(NULL, "outbound %s: TLS keystore/truststore unusable", t->url);
			rc = IGW_ETLS;
		} else if (strncmp(t->url, "https:", 6) == 0 && t->keystore_p12 &&
		           (!s->ctx || use_p12(s->ctx, t->keystore_p12, t->keystore_password) != IGW_OK)) {
			igw_log_error(NULL, "outbound %s: PKCS#12 keystore %s unusable (password, "
			              "key or certificate)", t->url, t->keystore_p12);
			rc = IGW_ETLS;
		}
	}
	if (rc == IGW_OK) {
		*out = c;
	} else {
		igw_out_client_free(c);
	}
	return rc;
}

/* gSOAP error -> igw error.  timed_out: the operation ran into the
 * socket timeout (gSOAP reports that as a plain EOF). */
static int map_error(struct soap *s, int timed_out)
{
	int rc;
	if (timed_out || s->errnum == ETIMEDOUT || s->errnum == EAGAIN || s->errnum == EWOULDBLOCK)
		rc = IGW_ETIMEOUT;
	else if (s->error == SOAP_SSL_ERROR)
		rc = IGW_ETLS;
	else if (s->error == SOAP_TCP_ERROR)
		rc = IGW_ECONNECT;
	else if (s->error == SOAP_EOF)
		rc = IGW_ECLOSED;
	else if (s->error == SOAP_EOM || s->error == SOAP_LENGTH)
		rc = IGW_ELIMIT;
	else
		rc = IGW_EPROTO;
	return rc;
}

int igw_out_post(struct igw_out_client *c, const void *env, size_t len, int *status,
                 struct igw_buf *out)
{
	return igw_out_post_to(c, NULL, env, len, status, out);
}

int igw_out_post_to(struct igw_out_client *c, const char *url, const void *env, size_t len,
                    int *status, struct igw_buf *out)
{
	const struct igw_out_target *t = c->t;
	struct soap *s = c->soap;
	unsigned ms = t->timeout_ms ? t->timeout_ms : IGW_OUT_TIMEOUT_MS_DEFAULT;
	size_t max = t->max_response ? t->max_response : IGW_OUT_RESPONSE_MAX;
	int64_t t0 = igw_mono_ms();
	int rc = IGW_OK;
	*status = 0;
	c->timed_out = 0;
	s->http_content = t->soap_version == 12 ? "application/soap+xml; charset=utf-8"
	                                        : "text/xml; charset=utf-8";
	s->userid = t->user;
	s->passwd = t->password;
	if (soap_connect_command(s, SOAP_POST_FILE, url ? url : t->url, t->soap_action) != SOAP_OK) {
		rc = map_error(s, igw_mono_ms() - t0 >= (int64_t)ms);
	} else {
		if (soap_send_raw(s, env, len) != SOAP_OK || soap_end_send(s) != SOAP_OK) {
			rc = map_error(s, c->timed_out);
		} else {
			int r = soap_begin_recv(s);
			if (r == SOAP_OK || (r >= 200 && r < 600)) {
				size_t n = 0;
				char *body = NULL;
				*status = s->status ? s->status : r;
				if (s->length > max)	/* Content-Length says too much */
					rc = IGW_ELIMIT;
				else if ((body = soap_http_get_body(s, &n)) == NULL && n == 0 &&
				         s->error && s->error != r)
					rc = map_error(s, c->timed_out);
				else if (n > max || (n > 0 && igw_buf_append(out, body, n) != IGW_OK))
					rc = IGW_ELIMIT;
				soap_end_recv(s);
			} else {
				rc = map_error(s, c->timed_out);
			}
		}
	}
	if (rc != IGW_OK) {
		igw_log_info(NULL, "outbound %s: %s (gSOAP error %d, errno %d)", url ? url : t->url,
		             igw_strerror(rc), s->error, s->errnum);
		/* drop the connection at once: no TLS close_notify exchange
		 * with a peer that may be the reason for the failure */
		if (s->ssl)
			SSL_set_quiet_shutdown(s->ssl, 1);
		if (soap_valid_socket(s->socket))
			shutdown(s->socket, SHUT_RDWR);
		soap_closesock(s);
	}
	soap_destroy(s);
	soap_end(s);		/* frees this exchange's memory, keeps the socket */
	return rc;
}

void igw_out_client_free(struct igw_out_client *c)
{
	if (c) {
		if (c->soap) {
			soap_destroy(c->soap);
			soap_end(c->soap);
			soap_free(c->soap);
		}
		free(c);
	}
}
