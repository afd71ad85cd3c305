/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wss_bench: verifications per second, one thread, from envelope bytes to a
 * verified identity.
 *
 *   wss_bench [CERT_DIR [SECONDS [ut|saml|floor]]]   (defaults: certs/dev, 3, ut and saml)
 *
 * floor: libxml2 parse + free of the UT envelopes alone (what no engine
 * change can go below).
 *
 * UT digest: distinct envelopes (fresh nonces, built by igw_wss_out_envelope)
 * through a policy with a credential store and the in-process replay cache,
 * so every verification also inserts its nonce.
 * SAML 2.0: one RSA-2048 signed sender-vouches assertion (dev SAML signer,
 * exclusive C14N, RSA-SHA256) verified with trust one against the dev CA
 * truststore; the chain result is cached by fingerprint after the first
 * verification, as in production.  The same envelope is reused, so the
 * policy remembers only OneTimeUse IDs (saml_replay = ONETIME).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/parser.h>
#include "imsgw/core.h"
#include "wss/wss.h"

#define UT_POOL 20000
#define UT_BATCH 1000
#define SAML_BATCH 100

static const char *secret = "bench-Pa55word";

/* The envelopes are NUL-terminated igw_bufs, like the gateway's request
 * bodies, and are verified the way the gateway does it (parsed in place). */
static const struct igw_wss_request in_place = { "bench", NULL, NULL, 0, 1 };

static int get_pw(void *ctx, const char *user, struct igw_buf *out)
{
	(void)ctx;
	(void)user;
	return igw_buf_append_str(out, secret);
}

/* Rates are computed on this thread's CPU time, so that other work on a
 * shared machine does not count against the engine; wall-clock rates are
 * printed too. */
static double wall_total;
static unsigned long last_done;

/*
 * Rates of short batches too: on a shared virtual machine, bursts of other
 * work slow some batches down (cache and sibling-thread contention count as
 * this thread's CPU time); the median batch is the engine's typical speed,
 * the mean includes the bursts.
 */
#define BATCHES_MAX 20000
static double batch[BATCHES_MAX];
static size_t nbatch;

static void batch_add(double rate)
{
	if (nbatch < BATCHES_MAX)
		batch[nbatch++] = rate;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void batch_report(const char *what)
{
	if (nbatch) {
		qsort(batch, nbatch, sizeof(batch[0]), dcmp);
		printf("  %s: median batch %.0f/s (%.2f us), best %.0f/s, worst %.0f/s, %zu batches\n",
		       what, batch[nbatch / 2], 1e6 / batch[nbatch / 2], batch[nbatch - 1], batch[0], nbatch);
	}
	nbatch = 0;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
	return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

static double bench_ut(double seconds)
{
	struct igw_wss_out_conf oc;
	struct igw_wss_policy_conf c;
	struct igw_buf *env = calloc(UT_POOL, sizeof(*env));
	unsigned long done = 0;
	double t0, elapsed = 0;
	memset(&oc, 0, sizeof(oc));
	oc.kind = IGW_WSS_OUT_UT_DIGEST;
	oc.password = secret;
	for (int i = 0; i < UT_POOL; i++) {
		igw_buf_init(&env[i], 1 << 14);
		if (igw_wss_out_envelope(&oc, "BENCHUSR", 11,
		                         "<x:Inquiry xmlns:x='urn:x'><x:account>12345</x:account></x:Inquiry>",
		                         &env[i]) != 0)
			return -1;
	}
	igw_wss_policy_conf_defaults(&c);
	c.service = "bench-ut";
	c.tokens = IGW_WSS_TOKEN_UT;
	c.creds.get_password = get_pw;
	c.ut_allow_digest = 1;
	while (elapsed < seconds) {
		struct igw_wss_replay *r = igw_wss_replay_mem_new(16, UT_POOL * 2);
		struct igw_wss_policy *p = NULL;
		c.replay = r;
		if (igw_wss_policy_compile(&c, &p, NULL, 0) != 0)
			return -1;
		double w0 = clock_s(CLOCK_MONOTONIC), b0;
		t0 = b0 = now_s();
		for (int i = 0; i < UT_POOL; i++) {
			struct igw_wss_result *res = NULL;
			if (i % UT_BATCH == 0 && i) {
				double b1 = now_s();
				batch_add(UT_BATCH / (b1 - b0));
				b0 = b1;
			}
			if (igw_wss_verify(p, env[i].data, env[i].len, &in_place, &res) != 0) {
				fprintf(stderr, "UT rejected: %s %s\n", igw_wss_result_reason(res),
				        igw_wss_result_detail(res));
				return -1;
			}
			igw_wss_result_free(res);
		}
		elapsed += now_s() - t0;
		wall_total += clock_s(CLOCK_MONOTONIC) - w0;
		done += UT_POOL;
		igw_wss_policy_free(p);
		igw_wss_replay_free(r);
	}
	last_done = done;
	for (int i = 0; i < UT_POOL; i++)
		igw_buf_free(&env[i]);
	free(env);
	return (double)done / elapsed;
}

static double bench_saml(const char *certs, double seconds)
{
	char key[1024], crt[1024], ca[1024];
	struct igw_wss_signer *s = NULL;
	struct igw_wss_out_conf oc;
	struct igw_wss_policy_conf c;
	struct igw_wss_policy *p = NULL;
	struct igw_buf env;
	unsigned long done = 0;
	double t0, elapsed = 0;
	snprintf(key, sizeof(key), "%s/saml-signer.key", certs);
	snprintf(crt, sizeof(crt), "%s/saml-signer.crt", certs);
	snprintf(ca, sizeof(ca), "%s/ca.crt", certs);
	if (igw_wss_signer_load(key, crt, &s) != 0)
		return -1;
	memset(&oc, 0, sizeof(oc));
	oc.kind = IGW_WSS_OUT_SAML20;
	oc.issuer = "urn:imsgw:bench:idp";
	oc.audience = "urn:imsgw:bench";
	oc.lifetime_s = 3600;
	oc.signer = s;
	igw_buf_init(&env, 1 << 16);
	if (igw_wss_out_envelope(&oc, "BENCHUSR", 11,
	                         "<x:Inquiry xmlns:x='urn:x'><x:account>12345</x:account></x:Inquiry>", &env) != 0)
		return -1;
	igw_wss_policy_conf_defaults(&c);
	c.service = "bench-saml";
	c.tokens = IGW_WSS_TOKEN_SAML20;
	c.truststore_pem = ca;
	c.saml_audience = "urn:imsgw:bench";
	c.saml_replay = IGW_WSS_SAML_REPLAY_ONETIME;
	if (igw_wss_policy_compile(&c, &p, NULL, 0) != 0)
		return -1;
	while (elapsed < seconds) {
		double w0 = clock_s(CLOCK_MONOTONIC);
		double b0;
		t0 = b0 = now_s();
		for (int i = 0; i < 2000; i++) {
			if (i % SAML_BATCH == 0 && i) {
				double b1 = now_s();
				batch_add(SAML_BATCH / (b1 - b0));
				b0 = b1;
			}
			struct igw_wss_result *res = NULL;
			if (igw_wss_verify(p, env.data, env.len, &in_place, &res) != 0) {
				fprintf(stderr, "SAML rejected: %s %s\n", igw_wss_result_reason(res),
				        igw_wss_result_detail(res));
				return -1;
			}
			igw_wss_result_free(res);
		}
		elapsed += now_s() - t0;
		wall_total += clock_s(CLOCK_MONOTONIC) - w0;
		done += 2000;
	}
	last_done = done;
	printf("  (signed SAML 2.0 envelope: %zu bytes)\n", env.len);
	igw_buf_free(&env);
	igw_wss_policy_free(p);
	igw_wss_signer_free(s);
	return (double)done / elapsed;
}

/*
 * The floor under the UsernameToken figure: libxml2 alone parsing and
 * freeing the same envelopes (reused parser context, the engine's options),
 * nothing else.  The engine's own read is slightly cheaper than
 * xmlCtxtReadMemory (see wss/src/parse.c), so this is an upper bound of
 * what the parse costs inside a verification.
 */
static double bench_parse_floor(double seconds)
{
	struct igw_wss_out_conf oc;
	struct igw_buf *env = calloc(UT_POOL / 10, sizeof(*env));
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	                 XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
	unsigned long done = 0;
	double t0, elapsed = 0;
	memset(&oc, 0, sizeof(oc));
	oc.kind = IGW_WSS_OUT_UT_DIGEST;
	oc.password = secret;
	for (int i = 0; i < UT_POOL / 10; i++) {
		igw_buf_init(&env[i], 1 << 14);
		if (igw_wss_out_envelope(&oc, "BENCHUSR", 11,
		                         "<x:Inquiry xmlns:x='urn:x'><x:account>12345</x:account></x:Inquiry>",
		                         &env[i]) != 0 || !ctxt)
			return -1;
	}
	while (elapsed < seconds) {
		t0 = now_s();
		for (int i = 0; i < UT_POOL / 10; i++) {
			xmlDocPtr d = xmlCtxtReadMemory(ctxt, (const char *)env[i].data, (int)env[i].len,
			                                NULL, NULL, opts);
			if (!d)
				return -1;
			xmlFreeDoc(d);
		}
		elapsed += now_s() - t0;
		done += UT_POOL / 10;
	}
	for (int i = 0; i < UT_POOL / 10; i++)
		igw_buf_free(&env[i]);
	free(env);
	xmlFreeParserCtxt(ctxt);
	return (double)done / elapsed;
}

int main(int argc, char **argv)
{
	const char *certs = argc > 1 ? argv[1] : "certs/dev";
	double secs = argc > 2 ? atof(argv[2]) : 3.0, ut = 1, saml = 1;
	const char *only = argc > 3 ? argv[3] : "";
	igw_log_setup(2, IGW_LOG_WARN, IGW_LOG_TEXT);
	if (igw_wss_init() != 0)
		return 1;
	double ut_wall = 1, saml_wall = 1;
	unsigned long ut_n = 0, saml_n = 0;
	if (strcmp(only, "floor") == 0) {
		double f = bench_parse_floor(secs);
		if (f < 0)
			return 1;
		printf("libxml2 parse+free only   : %9.0f envelopes/s per CPU-second (%.2f us each)\n",
		       f, 1e6 / f);
		return 0;
	}
	if (strcmp(only, "saml") != 0) {
		wall_total = 0;
		ut = bench_ut(secs);
		batch_report("UsernameToken digest");
		ut_wall = wall_total;
		ut_n = last_done;
	}
	if (strcmp(only, "ut") != 0) {
		wall_total = 0;
		saml = bench_saml(certs, secs);
		batch_report("signed SAML 2.0");
		saml_wall = wall_total;
		saml_n = last_done;
	}
	if (ut < 0 || saml < 0) {
		fprintf(stderr, "wss_bench: setup failed\n");
		return 1;
	}
	if (strcmp(only, "saml") != 0)
		printf("UsernameToken digest       : %9.0f verifications/s per CPU-second (%.2f us each; "
		       "%.0f/s wall)\n", ut, 1e6 / ut, (double)ut_n / ut_wall);
	if (strcmp(only, "ut") != 0)
		printf("signed SAML 2.0 RSA-2048   : %9.0f verifications/s per CPU-second (%.2f us each; "
		       "%.0f/s wall)\n", saml, 1e6 / saml, (double)saml_n / saml_wall);
	return 0;
}
