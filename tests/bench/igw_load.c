/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * igw-load: a load generator for imsgw.
 *
 * N client connections (one thread each), HTTPS with a client certificate,
 * HTTP/1.1 keep-alive, each sending SOAP requests back to back.  Envelopes
 * are generated before the clock starts, one per request, so that replay
 * protection never sees the same nonce or assertion ID twice:
 *   none     the IVTNO DISPLAY body without WS-Security
 *   ut       + UsernameToken PasswordText
 *   saml20   + SAML 2.0 sender-vouches assertion signed with RSA-2048
 * Reports requests/s and latency percentiles; errors are counted (any status
 * other than 200).  --idle N instead opens N keep-alive connections, holds
 * them, and prints nothing but "ready" until stdin closes (RSS measurements).
 *
 *   igw-load --host 127.0.0.1 --port 8443 --path /ivtno/static --certs certs/dev
 *            --kind none --connections 64 --requests 20000
 */
#define _GNU_SOURCE 1
#include <getopt.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include "imsgw/core.h"
#include "wss/wss.h"

#define BODY "<i:IVTNO xmlns:i=\"urn:imsgw:ivtno\"><i:inputMsg><i:inCmd>DISPLAY</i:inCmd>" \
             "<i:inName1>LAST1</i:inName1></i:inputMsg></i:IVTNO>"

struct opts {
	const char *host, *path, *certs, *kind, *user, *password;
	unsigned port, connections, requests, idle;
};

struct shared {
	struct opts o;
	SSL_CTX *ctx;
	char **env;			/* requests pre-built HTTP messages */
	size_t *envlen;
	atomic_uint next;
	atomic_uint errors;
	double *lat_ms;			/* one slot per request */
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static SSL *open_conn(struct shared *sh)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai = NULL;
	char port[16];
	SSL *ssl = NULL;
	int fd = -1, one = 1;
	snprintf(port, sizeof(port), "%u", sh->o.port);
	if (getaddrinfo(sh->o.host, port, &hints, &ai) == 0) {
		fd = socket(ai->ai_family, SOCK_STREAM, 0);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
			close(fd);
			fd = -1;
		}
		freeaddrinfo(ai);
	}
	if (fd >= 0) {
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		ssl = SSL_new(sh->ctx);
		SSL_set_fd(ssl, fd);
		SSL_set_tlsext_host_name(ssl, "localhost");
		if (SSL_connect(ssl) != 1) {
			SSL_free(ssl);
			close(fd);
			ssl = NULL;
		}
	}
	return ssl;
}

static void close_conn(SSL *ssl)
{
	if (ssl) {
		int fd = SSL_get_fd(ssl);
		SSL_shutdown(ssl);
		SSL_free(ssl);
		close(fd);
	}
}

/* Read one HTTP response (Content-Length framed); returns the status or -1. */
static int read_response(SSL *ssl, char *buf, size_t cap)
{
	size_t have = 0, need = 0;
	int status = -1;
	char *hdr_end = NULL;
	for (;;) {
		int n = SSL_read(ssl, buf + have, (int)(cap - have - 1));
		if (n <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = 0;
		if (!hdr_end && (hdr_end = strstr(buf, "\r\n\r\n"))) {
			const char *cl = strcasestr(buf, "\r\nContent-Length:");
			status = atoi(buf + 9);
			need = (size_t)(hdr_end + 4 - buf) + (cl ? strtoul(cl + 17, NULL, 10) : 0);
			if (need >= cap)
				return -1;
		}
		if (hdr_end && have >= need)
			break;
	}
	return status;
}

static void *client(void *arg)
{
	struct shared *sh = arg;
	char *buf = malloc(1 << 16);
	SSL *ssl = open_conn(sh);
	for (;;) {
		unsigned i = atomic_fetch_add(&sh->next, 1);
		if (i >= sh->o.requests)
			break;
		double t0 = now_s();
		int status = -1;
		for (int attempt = 0; attempt < 2 && status < 0; attempt++) {
			if (!ssl)
				ssl = open_conn(sh);
			if (ssl && SSL_write(ssl, sh->env[i], (int)sh->envlen[i]) == (int)sh->envlen[i])
				status = read_response(ssl, buf, 1 << 16);
			if (status < 0) {
				close_conn(ssl);
				ssl = NULL;
			}
		}
		sh->lat_ms[i] = (now_s() - t0) * 1000.0;
		if (status != 200)
			atomic_fetch_add(&sh->errors, 1);
	}
	close_conn(ssl);
	free(buf);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static char *http_message(const struct opts *o, const char *env, size_t len, size_t *outlen)
{
	size_t cap = len + 512;
	char *m = malloc(cap);
	int h = snprintf(m, cap, "POST %s HTTP/1.1\r\nHost: %s:%u\r\nContent-Type: text/xml; charset=utf-8\r\n"
	                 "SOAPAction: \"urn:imsgw:ivtno/IVTNO\"\r\nContent-Length: %zu\r\n\r\n",
	                 o->path, o->host, o->port, len);
	memcpy(m + h, env, len);
	*outlen = (size_t)h + len;
	return m;
}

static int build_envelopes(struct shared *sh)
{
	const struct opts *o = &sh->o;
	struct igw_wss_signer *signer = NULL;
	char key[1024], crt[1024];
	int rc = 0;
	sh->env = calloc(o->requests, sizeof(char *));
	sh->envlen = calloc(o->requests, sizeof(size_t));
	if (strcmp(o->kind, "saml20") == 0) {
		snprintf(key, sizeof(key), "%s/saml-signer.key", o->certs);
		snprintf(crt, sizeof(crt), "%s/saml-signer.crt", o->certs);
		if (igw_wss_signer_load(key, crt, &signer) != IGW_OK) {
			fprintf(stderr, "igw-load: cannot load the SAML signer from %s\n", o->certs);
			return -1;
		}
	}
	for (unsigned i = 0; i < o->requests && rc == 0; i++) {
		struct igw_buf b;
		igw_buf_init(&b, 1 << 16);
		if (strcmp(o->kind, "none") == 0) {
			igw_buf_printf(&b, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
			               "<s:Body>%s</s:Body></s:Envelope>", BODY);
		} else {
			struct igw_wss_out_conf c = { 0 };
			c.kind = strcmp(o->kind, "ut") == 0 ? IGW_WSS_OUT_UT_TEXT : IGW_WSS_OUT_SAML20;
			c.password = o->password;
			c.issuer = "urn:imsgw:bench";
			c.audience = "urn:imsgw:ivtno";
			c.lifetime_s = 600;
			c.signer = signer;
			if (igw_wss_out_envelope(&c, o->user, 11, BODY, &b) != IGW_OK) {
				fprintf(stderr, "igw-load: cannot build envelope %u\n", i);
				rc = -1;
			}
		}
		sh->env[i] = http_message(o, (const char *)b.data, b.len, &sh->envlen[i]);
		igw_buf_free(&b);
	}
	igw_wss_signer_free(signer);
	return rc;
}

static void usage(void)
{
	fprintf(stderr, "usage: igw-load --port P --path PATH --certs DIR [--host H] [--kind none|ut|saml20]\n"
	                "                [--user U] [--password PW] [--connections N] [--requests N] [--idle N]\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "host", 1, 0, 'h' }, { "port", 1, 0, 'p' }, { "path", 1, 0, 'P' },
		{ "certs", 1, 0, 'c' }, { "kind", 1, 0, 'k' }, { "connections", 1, 0, 'n' },
		{ "requests", 1, 0, 'r' }, { "idle", 1, 0, 'i' }, { "user", 1, 0, 'u' },
		{ "password", 1, 0, 'w' }, { 0, 0, 0, 0 } };
	struct shared sh;
	int c;
	char ca[1024], crt[1024], key[1024];
	memset(&sh, 0, sizeof(sh));
	sh.o = (struct opts){ "127.0.0.1", "/ivtno/static", "certs/dev", "none", "USER01", "PASS01",
	                      8443, 8, 10000, 0 };
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'h': sh.o.host = optarg; break;
		case 'p': sh.o.port = (unsigned)atoi(optarg); break;
		case 'P': sh.o.path = optarg; break;
		case 'c': sh.o.certs = optarg; break;
		case 'k': sh.o.kind = optarg; break;
		case 'n': sh.o.connections = (unsigned)atoi(optarg); break;
		case 'r': sh.o.requests = (unsigned)atoi(optarg); break;
		case 'i': sh.o.idle = (unsigned)atoi(optarg); break;
		case 'u': sh.o.user = optarg; break;
		case 'w': sh.o.password = optarg; break;
		default: usage(); return 2;
		}
	}
	if (sh.o.connections == 0 || sh.o.connections > 4096) {
		usage();
		return 2;
	}
	snprintf(ca, sizeof(ca), "%s/ca.crt", sh.o.certs);
	snprintf(crt, sizeof(crt), "%s/client.crt", sh.o.certs);
	snprintf(key, sizeof(key), "%s/client.key", sh.o.certs);
	sh.ctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_set_min_proto_version(sh.ctx, TLS1_2_VERSION);
	if (SSL_CTX_load_verify_locations(sh.ctx, ca, NULL) != 1 ||
	    SSL_CTX_use_certificate_file(sh.ctx, crt, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_use_PrivateKey_file(sh.ctx, key, SSL_FILETYPE_PEM) != 1) {
		fprintf(stderr, "igw-load: cannot load TLS files from %s\n", sh.o.certs);
		return 1;
	}
	SSL_CTX_set_verify(sh.ctx, SSL_VERIFY_PEER, NULL);

	if (sh.o.idle) {
		SSL **held = calloc(sh.o.idle, sizeof(SSL *));
		unsigned ok = 0;
		for (unsigned i = 0; i < sh.o.idle; i++)
			ok += (held[i] = open_conn(&sh)) != NULL;
		printf("ready %u\n", ok);
		fflush(stdout);
		char tmp[64];
		while (fread(tmp, 1, sizeof(tmp), stdin) > 0)
			;
		for (unsigned i = 0; i < sh.o.idle; i++)
			close_conn(held[i]);
		free(held);
		SSL_CTX_free(sh.ctx);
		return ok == sh.o.idle ? 0 : 1;
	}

	igw_wss_init();
	if (build_envelopes(&sh) != 0)
		return 1;
	sh.lat_ms = calloc(sh.o.requests, sizeof(double));
	pthread_t *th = calloc(sh.o.connections, sizeof(pthread_t));
	double t0 = now_s();
	for (unsigned i = 0; i < sh.o.connections; i++)
		pthread_create(&th[i], NULL, client, &sh);
	for (unsigned i = 0; i < sh.o.connections; i++)
		pthread_join(th[i], NULL);
	double el = now_s() - t0;
	qsort(sh.lat_ms, sh.o.requests, sizeof(double), cmp_double);
	unsigned n = sh.o.requests;
	printf("kind=%s path=%s connections=%u requests=%u errors=%u seconds=%.2f rps=%.0f "
	       "p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms\n",
	       sh.o.kind, sh.o.path, sh.o.connections, n, atomic_load(&sh.errors), el, n / el,
	       sh.lat_ms[n / 2], sh.lat_ms[n * 9 / 10], sh.lat_ms[(size_t)n * 99 / 100], sh.lat_ms[n - 1]);
	fflush(stdout);
	for (unsigned i = 0; i < n; i++)
		free(sh.env[i]);
	free(sh.env);
	free(sh.envlen);
	free(sh.lat_ms);
	free(th);
	SSL_CTX_free(sh.ctx);
	return atomic_load(&sh.errors) ? 1 : 0;
}
