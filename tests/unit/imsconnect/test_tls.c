/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Client over TLS: truststore, host name check, client certificate, against
 * an in-process OpenSSL server with certificates made in memory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "imsgw/core.h"
#include "imsconnect/client.h"

static char dir[64];
static char cert_path[128], key_path[128], other_path[128];

/* Self-signed certificate for CN with SAN san; written as PEM files. */
static void make_cert(const char *cn, const char *san, const char *cpath, const char *kpath)
{
	EVP_PKEY *pk = EVP_EC_gen("P-256");
	assert_non_null(pk);
	X509 *x = X509_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, pk);
	X509_NAME *n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, n);
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, san);
	assert_non_null(e);
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	e = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, "critical,CA:TRUE");
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	assert_true(X509_sign(x, pk, EVP_sha256()) > 0);
	FILE *f = fopen(cpath, "w");
	PEM_write_X509(f, x);
	fclose(f);
	f = fopen(kpath, "w");
	PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	chmod(kpath, 0600);
	X509_free(x);
	EVP_PKEY_free(pk);
}

struct server {
	int lfd;
	uint16_t port;
	SSL_CTX *ctx;
	pthread_t th;
	int conns;
	int served;
};

static void *serve(void *arg)
{
	struct server *s = arg;
	for (int i = 0; i < s->conns; i++) {
		int fd = accept(s->lfd, NULL, NULL);
		if (fd < 0)
			break;
		SSL *ssl = SSL_new(s->ctx);
		SSL_set_fd(ssl, fd);
		if (SSL_accept(ssl) == 1) {
			struct imsc_framer f;
			imsc_framer_init(&f, IMSC_FRAME_REQUEST, 1 << 16);
			long want;
			uint8_t buf[4096];
			int ok = 1;
			while (ok && (want = imsc_framer_want(&f)) > 0) {
				int n = SSL_read(ssl, buf, (int)((size_t)want < sizeof(buf) ? want : 4096));
				ok = n > 0 && imsc_framer_push(&f, buf, (size_t)n) == 0;
			}
			if (ok) {
				struct igw_buf out;
				struct imsc_writer w;
				igw_buf_init(&out, 4096);
				imsc_writer_start(&w, &out, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
				imsc_put_segment(&w, "SECURE", 6);
				imsc_put_csm(&w, 0, 0);
				imsc_writer_finish(&w);
				SSL_write(ssl, out.data, (int)out.len);
				igw_buf_free(&out);
				s->served++;
			}
			imsc_framer_free(&f);
			SSL_shutdown(ssl);
		}
		SSL_free(ssl);
		close(fd);
	}
	return NULL;
}

static void server_start(struct server *s, int conns, bool require_client_cert)
{
	memset(s, 0, sizeof(*s));
	s->conns = conns;
	s->ctx = SSL_CTX_new(TLS_server_method());
	assert_int_equal(SSL_CTX_use_certificate_file(s->ctx, cert_path, SSL_FILETYPE_PEM), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey_file(s->ctx, key_path, SSL_FILETYPE_PEM), 1);
	if (require_client_cert) {
		SSL_CTX_load_verify_locations(s->ctx, cert_path, NULL);
		SSL_CTX_set_verify(s->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	}
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t sl = sizeof(sa);
	assert_int_equal(bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(s->lfd, 8), 0);
	getsockname(s->lfd, (struct sockaddr *)&sa, &sl);
	s->port = ntohs(sa.sin_port);
	pthread_create(&s->th, NULL, serve, s);
}

static void server_stop(struct server *s)
{
	shutdown(s->lfd, SHUT_RDWR);
	pthread_join(s->th, NULL);
	close(s->lfd);
	SSL_CTX_free(s->ctx);
}

static int call(const struct imsc_endpoint *ep, struct imsc_result *res)
{
	struct imsc_conn *c = NULL;
	struct imsc_irm irm;
	static const struct imsc_seg seg = { (const uint8_t *)"IVTNO X", 7 };
	int rc = imsc_conn_open(ep, NULL, igw_deadline_after(3000), &c);
	if (rc == 0) {
		imsc_irm_init(&irm, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
		strcpy(irm.trncod, "IVTNO");
		rc = imsc_sendrecv(c, &irm, &seg, 1, igw_deadline_after(3000), res);
		imsc_conn_close(c);
	}
	return rc;
}

static void endpoint(struct imsc_endpoint *ep, uint16_t port)
{
	imsc_endpoint_init(ep);
	ep->host = "127.0.0.1";
	ep->port = port;
	ep->tls.enabled = true;
	ep->tls.ca_file = cert_path;
	ep->tls.server_name = "localhost";
}

static void tls_cases(void **state)
{
	struct server s;
	struct imsc_endpoint ep;
	struct imsc_result res;
	imsc_result_init(&res, 0);
	strcpy(dir, "/tmp/imsc-tls-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cert_path, sizeof(cert_path), "%s/server.pem", dir);
	snprintf(key_path, sizeof(key_path), "%s/server.key", dir);
	snprintf(other_path, sizeof(other_path), "%s/other.pem", dir);
	make_cert("localhost", "DNS:localhost,IP:127.0.0.1", cert_path, key_path);
	char other_key[128];
	snprintf(other_key, sizeof(other_key), "%s/other.key", dir);
	make_cert("other", "DNS:other.example", other_path, other_key);

	/* good: trusted, name matches */
	server_start(&s, 4, false);
	endpoint(&ep, s.port);
	assert_int_equal(call(&ep, &res), 0);
	assert_true(res.reply.has_csm);
	assert_int_equal(res.reply.data_len, 10);
	/* wrong host name */
	ep.tls.server_name = "wrong.example";
	assert_int_equal(call(&ep, &res), IGW_ETLS);
	/* untrusted server certificate */
	endpoint(&ep, s.port);
	ep.tls.ca_file = other_path;
	assert_int_equal(call(&ep, &res), IGW_ETLS);
	/* the host name check can be switched off (tests only) */
	endpoint(&ep, s.port);
	ep.tls.server_name = "wrong.example";
	ep.tls.no_verify_host = true;
	assert_int_equal(call(&ep, &res), 0);
	server_stop(&s);
	assert_int_equal(s.served, 2);

	/* client certificate required by the server */
	server_start(&s, 2, true);
	endpoint(&ep, s.port);
	assert_int_not_equal(call(&ep, &res), 0);
	ep.tls.cert_file = cert_path;
	ep.tls.key_file = key_path;
	assert_int_equal(call(&ep, &res), 0);
	server_stop(&s);
	assert_int_equal(s.served, 1);

	/* through the pool: one TLS context shared by its connections */
	server_start(&s, 1, false);
	endpoint(&ep, s.port);
	struct imsc_pool *tp = NULL;
	struct imsc_conn *pc = NULL;
	assert_int_equal(imsc_pool_new(&ep, &tp), 0);
	assert_int_equal(imsc_pool_checkout(tp, igw_deadline_after(3000), &pc), 0);
	struct imsc_irm irm;
	static const struct imsc_seg pseg = { (const uint8_t *)"IVTNO Y", 7 };
	imsc_irm_init(&irm, IMSC_EXIT_SAMPL1, IMSC_CP_EBCDIC);
	strcpy(irm.trncod, "IVTNO");
	assert_int_equal(imsc_sendrecv(pc, &irm, &pseg, 1, igw_deadline_after(3000), &res), 0);
	assert_true(res.reply.has_csm);
	imsc_pool_checkin(tp, pc);
	imsc_pool_free(tp);
	server_stop(&s);
	assert_int_equal(s.served, 1);

	/* unusable files are a configuration error */
	endpoint(&ep, 1);
	ep.tls.ca_file = "/nonexistent/ca.pem";
	struct imsc_conn *c = NULL;
	assert_int_equal(imsc_conn_open(&ep, NULL, igw_deadline_after(500), &c), IGW_ECONFIG);
	endpoint(&ep, 1);
	ep.tls.cert_file = cert_path;	/* without its key */
	assert_int_equal(imsc_conn_open(&ep, NULL, igw_deadline_after(500), &c), IGW_ECONFIG);
	struct imsc_pool *pool = NULL;
	assert_int_equal(imsc_pool_new(&ep, &pool), IGW_ECONFIG);

	const char *files[] = { "server.pem", "server.key", "other.pem", "other.key" };
	for (size_t i = 0; i < 4; i++) {
		char p[160];
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
	imsc_result_free(&res);
}

int main(void)
{
	igw_log_setup(2, IGW_LOG_ERROR, IGW_LOG_TEXT);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tls_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
