/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "imsgw/core.h"
#include "server_config.h"
#include "imsgw/conffile.h"

static char dir[] = "/tmp/igw-servconf-XXXXXX";
static char msgs[8192];

static void sink(void *ctx, const char *m)
{
	(void)ctx;
	strncat(msgs, m, sizeof(msgs) - strlen(msgs) - 2);
	strcat(msgs, "\n");
}

static void write_file(const char *name, const char *text, mode_t mode)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static int load(const char *text, struct igw_server_conf **c, unsigned *n)
{
	char path[256];
	write_file("t.conf", text, 0644);
	snprintf(path, sizeof(path), "%s/t.conf", dir);
	msgs[0] = 0;
	return igw_server_conf_load(path, sink, NULL, c, n);
}

/* Copy a development certificate file (certs/gen-dev-certs.sh) into dir. */
static void copy_cert(const char *from, const char *to, mode_t mode)
{
	char src[512], *text = NULL;
	size_t len = 0;
	snprintf(src, sizeof(src), "%s/%s", IGW_TEST_CERTS, from);
	assert_int_equal(igw_conf_read_file(src, 1 << 20, &text, &len), IGW_OK);
	write_file(to, text, mode);
	free(text);
}

static int setup(void **state)
{
	assert_non_null(mkdtemp(dir));
	copy_cert("server.crt", "cert.pem", 0644);	/* cert.pem also serves as client-ca */
	copy_cert("server.key", "key.pem", 0600);
	copy_cert("client.key", "other-key.pem", 0600);
	write_file("open-key.pem", "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n", 0644);
	write_file("notpem.txt", "hello\n", 0644);
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

#define LISTENER_OK "[listener main]\nport 8443\ntls-cert cert.pem\ntls-key key.pem\nclient-ca cert.pem\n"

static void defaults_are_secure(void **state)
{
	struct igw_server_conf *c;
	unsigned n;
	assert_int_equal(load(LISTENER_OK, &c, &n), IGW_OK);
	assert_int_equal(n, 0);
	assert_int_equal(c->n_listeners, 1);
	const struct igw_listener_conf *l = &c->listeners[0];
	assert_string_equal(l->name, "main");
	assert_string_equal(l->address, "127.0.0.1");	/* loopback unless told */
	assert_int_equal(l->client_cert, IGW_CLIENT_CERT_REQUIRED);
	assert_int_equal(l->max_body, IGW_HTTP_BODY_DEFAULT);
	assert_int_equal(l->max_connections, IGW_HTTP_CONNECTIONS_DEFAULT);
	assert_non_null(strstr(l->tls_cert_path, "/cert.pem"));	/* resolved to the file's dir */
	assert_non_null(strstr(l->tls_key_pem, "PRIVATE KEY"));
	assert_int_equal(c->log_level, IGW_LOG_INFO);
	assert_int_equal(c->workers, IGW_PROVIDER_WORKERS_DEFAULT);
	assert_int_equal(c->worker_sched, IGW_WORKER_SCHED_BATCH);
	igw_server_conf_free(c);
}

static void every_option(void **state)
{
	struct igw_server_conf *c;
	unsigned n;
	int rc = load("[server]\nlog-level debug\nlog-format json\nworkers 7\n"
	              "worker-scheduling normal\n"
	              "[listener a]\naddress ::1\nport 1\ntls-cert cert.pem\ntls-key key.pem\n"
	              "client-cert none\nmax-connections 10\nper-ip-connections 20\n"
	              "connection-timeout 5\nconnection-memory 16384\nmax-body 100\nthreads 3\n"
	              "[listener b]\naddress localhost\nport 2\ntls-cert cert.pem\ntls-key key.pem\n"
	              "client-ca cert.pem\nclient-cert optional\n", &c, &n);
	assert_int_equal(rc, IGW_OK);
	assert_int_equal(c->log_level, IGW_LOG_DEBUG);
	assert_int_equal(c->log_format, IGW_LOG_JSON);
	assert_int_equal(c->workers, 7);
	assert_int_equal(c->worker_sched, IGW_WORKER_SCHED_NORMAL);
	assert_int_equal(c->n_listeners, 2);
	assert_string_equal(c->listeners[0].address, "::1");
	assert_int_equal(c->listeners[0].client_cert, IGW_CLIENT_CERT_NONE);
	assert_int_equal(c->listeners[0].per_ip_connections, 10);	/* clamped to max */
	assert_int_equal(c->listeners[0].connection_memory, 16384);
	assert_int_equal(c->listeners[0].threads, 3);
	assert_int_equal(c->listeners[1].client_cert, IGW_CLIENT_CERT_OPTIONAL);
	igw_server_conf_free(c);
}

static void all_errors_in_one_run(void **state)
{
	struct igw_server_conf *c = (void *)1;
	unsigned n;
	int rc = load("port 1\n"			/* 1: outside a section */
	              "[mystery]\n"			/* 2 */
	              "[listener x]\n"			/* 3 */
	              "address 10.0.0.300\n"		/* 4 */
	              "port 0\n"			/* 5 */
	              "tls-cert notpem.txt\n"		/* 6 */
	              "tls-key open-key.pem\n"		/* 7 */
	              "max-body 999999999\n"		/* 8 */
	              "connection-memory 100\n"	/* 9 */
	              "threads\n"			/* 10 */
	              "tls-cert cert.pem\n"		/* 11: duplicate */
	              "[server]\n"			/* 12 */
	              "worker-scheduling fifo\n"	/* 13 */
	              "workers 0\n",			/* 14 */
	              &c, &n);
	assert_int_equal(rc, IGW_ECONFIG);
	assert_null(c);
	assert_true(n >= 12);
	assert_non_null(strstr(msgs, "t.conf:1: directive 'port' outside a section"));
	assert_non_null(strstr(msgs, "t.conf:2: unknown section [mystery]"));
	assert_non_null(strstr(msgs, "t.conf:4: address: '10.0.0.300'"));
	assert_non_null(strstr(msgs, "t.conf:5: port: '0' is not a whole number in 1..65535"));
	assert_non_null(strstr(msgs, "t.conf:8: max-body"));
	assert_non_null(strstr(msgs, "t.conf:9: connection-memory"));
	assert_non_null(strstr(msgs, "t.conf:10: 'threads' takes exactly one value"));
	assert_non_null(strstr(msgs, "t.conf:11: duplicate directive"));
	assert_non_null(strstr(msgs, "t.conf:13: worker-scheduling: 'fifo' is not one of batch, normal"));
	assert_non_null(strstr(msgs, "t.conf:14: workers: '0' is not a whole number in 1..256"));
	assert_non_null(strstr(msgs, "notpem.txt: not a PEM file"));
	assert_non_null(strstr(msgs, "t.conf:7: tls-key"));
	assert_non_null(strstr(msgs, "accessible by group or others"));
	assert_non_null(strstr(msgs, "t.conf:3: listener 'x': client-cert required needs 'client-ca'"));
}

static void structural_errors(void **state)
{
	struct igw_server_conf *c;
	unsigned n;
	assert_int_equal(load("[server]\n", &c, &n), IGW_ECONFIG);
	assert_non_null(strstr(msgs, "t.conf: no [listener NAME] section"));
	assert_int_equal(load("[listener]\n", &c, &n), IGW_ECONFIG);
	assert_non_null(strstr(msgs, "t.conf:1: [listener NAME] needs a name"));
	assert_int_equal(load(LISTENER_OK "[listener other]\nport 8443\ntls-cert cert.pem\n"
	                      "tls-key key.pem\nclient-cert none\n", &c, &n), IGW_ECONFIG);
	assert_non_null(strstr(msgs, "t.conf:6: listener 'other': 127.0.0.1 port 8443 already used by 'main'"));
	assert_int_equal(load("[listener a]\nport 1\n", &c, &n), IGW_ECONFIG);
	assert_non_null(strstr(msgs, "'tls-cert' and 'tls-key' are required"));
	/* too many listeners */
	char big[8192] = "";
	for (unsigned i = 0; i <= IGW_LISTENERS_MAX; i++) {
		char blk[256];
		snprintf(blk, sizeof(blk), "[listener l%u]\nport %u\ntls-cert cert.pem\ntls-key key.pem\n"
		         "client-cert none\n", i, 1000 + i);
		strcat(big, blk);
	}
	assert_int_equal(load(big, &c, &n), IGW_ECONFIG);
	assert_non_null(strstr(msgs, "too many listeners"));
	/* missing file */
	msgs[0] = 0;
	assert_int_equal(igw_server_conf_load("/nonexistent/imsgw.conf", sink, NULL, &c, &n), IGW_EIO);
	assert_non_null(strstr(msgs, "/nonexistent/imsgw.conf: cannot read"));
}

static void tls_material_checked(void **state)
{
	struct igw_server_conf *c;
	unsigned n;
	/* a key that does not belong to the certificate */
	assert_int_equal(load("[listener main]\nport 8443\ntls-cert cert.pem\ntls-key other-key.pem\n"
	                      "client-ca cert.pem\n", &c, &n), IGW_ECONFIG);
	assert_non_null(strstr(msgs, "t.conf:4: listener 'main': tls-cert and tls-key do not load together"));
	/* a client-ca file without a certificate */
	write_file("empty-ca.pem", "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n", 0644);
	assert_int_equal(load("[listener main]\nport 8443\ntls-cert cert.pem\ntls-key key.pem\n"
	                      "client-ca empty-ca.pem\n", &c, &n), IGW_ECONFIG);
	assert_non_null(strstr(msgs, "t.conf:5: listener 'main': client-ca holds no usable certificate"));
}

static void long_line_refused(void **state)
{
	struct igw_server_conf *c;
	unsigned n;
	size_t len = IGW_CONFIG_LINE_MAX + 10;
	char *text = malloc(len + 64);
	strcpy(text, "[server]\nlog-level ");
	size_t off = strlen(text);
	memset(text + off, 'a', len);
	strcpy(text + off + len, "\n");
	assert_int_equal(load(text, &c, &n), IGW_ECONFIG);
	assert_non_null(strstr(msgs, "t.conf:2: line longer than"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_secure),
		cmocka_unit_test(every_option),
		cmocka_unit_test(all_errors_in_one_run),
		cmocka_unit_test(structural_errors),
		cmocka_unit_test(tls_material_checked),
		cmocka_unit_test(long_line_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
