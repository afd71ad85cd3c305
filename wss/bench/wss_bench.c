/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wss_bench: verifications per second, one thread, from envelope bytes to a
 * verified identity.
 *
 *   wss_bench [CERT_DIR [SECONDS [ut|saml|saml-distinct|all|floor [COLD_BYTES]]]]
 *   (defaults: certs/dev, 3, all = ut and saml)
 *
 * COLD_BYTES > 0: before each verification, write one byte in every cache
 * line of a COLD_BYTES buffer (what TLS, HTTP and the other connections do
 * to the caches between two verifications inside the daemon), and time each
 * verification alone (monotonic clock); prints their median and mean.
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
 * saml-distinct: 2 000 distinct signed assertions (signed before the clock
 * starts) and every assertion ID remembered, which is what the gateway does
 * with igw-load's traffic.
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

/* Cold-cache mode (COLD_BYTES): per-verification times. */
static size_t cold_bytes;
static volatile unsigned char *cold_buf;
static double *cold_t;
static size_t ncold, cold_max;

static void cold_touch(void)
{
	for (size_t i = 0; i < cold_bytes; i += 64)
		cold_buf[i]++;
}

static void cold_add(double t)
{
	if (ncold < cold_max)
		cold_t[ncold++] = t;
}

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

static int dcmp(const void *a, const void *b);

static void cold_report(const char *what)
{
	if (ncold) {
		double sum = 0;
		for (size_t i = 0; i < ncold; i++)
			sum += cold_t[i];
		qsort(cold_t, ncold, sizeof(cold_t[0]), dcmp);
		printf("  %s after touching %zu bytes: median %.2f us (%.0f/s), mean %.2f us, %zu verifications\n",
		       what, cold_bytes, cold_t[ncold / 2] * 1e6, 1 / cold_t[ncold / 2], sum / (double)ncold * 1e6,
		       ncold);
	}
	ncold = 0;
}

static void batch_report(const char *what)
{
	cold_report(what);
	if (nbatch && !cold_bytes) {
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

/* One verification of env: in cold-cache mode the caches are cleared first
 * and the verification alone is timed.  0 or -1 (reported on stderr). */
static int verify_one(const struct igw_wss_policy *p, const struct igw_buf *env, const char *what)
{
	struct igw_wss_result *res = NULL;
	double v0 = 0;
	if (cold_bytes) {
		cold_touch();
		v0 = clock_s(CLOCK_MONOTONIC);
	}
	int rc = igw_wss_verify(p, env->data, env->len, &in_place, &res) == 0 ? 0 : -1;
	if (cold_bytes)
		cold_add(clock_s(CLOCK_MONOTONIC) - v0);
	if (rc != 0)
		fprintf(stderr, "%s rejected: %s %s\n", what, igw_wss_result_reason(res),
		        igw_wss_result_detail(res));
	igw_wss_result_free(res);
	return rc;
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
			if (i % UT_BATCH == 0 && i) {
				double b1 = now_s();
				batch_add(UT_BATCH / (b1 - b0));
				b0 = b1;
			}
			if (verify_one(p, &env[i], "UT") != 0)
				return -1;
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

/* saml-distinct: a pool of distinct assertions and every ID remembered, as
 * the gateway sees them (igw-load sends distinct assertions). */
static int saml_distinct;
#define SAML_POOL 2000

static double bench_saml(const char *certs, double seconds)
{
	char key[1024], crt[1024], ca[1024];
	struct igw_wss_signer *s = NULL;
	struct igw_wss_out_conf oc;
	struct igw_wss_policy_conf c;
	struct igw_wss_policy *p = NULL;
	struct igw_wss_replay *r = NULL;
	int npool = saml_distinct ? SAML_POOL : 1;
	struct igw_buf *env = calloc((size_t)npool, sizeof(*env));
	unsigned long done = 0;
	double t0, elapsed = 0;
	snprintf(key, sizeof(key), "%s/saml-signer.key", certs);
	snprintf(crt, sizeof(crt), "%s/saml-signer.crt", certs);
	snprintf(ca, sizeof(ca), "%s/ca.crt", certs);
	if (!env || igw_wss_signer_load(key, crt, &s) != 0)
		return -1;
	memset(&oc, 0, sizeof(oc));
	oc.kind = IGW_WSS_OUT_SAML20;
	oc.issuer = "urn:imsgw:bench:idp";
	oc.audience = "urn:imsgw:bench";
	oc.lifetime_s = 3600;
	oc.signer = s;
	for (int i = 0; i < npool; i++) {
		igw_buf_init(&env[i], 1 << 16);
		if (igw_wss_out_envelope(&oc, "BENCHUSR", 11,
		                         "<x:Inquiry xmlns:x='urn:x'><x:account>12345</x:account></x:Inquiry>",
		                         &env[i]) != 0)
			return -1;
	}
	igw_wss_policy_conf_defaults(&c);
	c.service = "bench-saml";
	c.tokens = IGW_WSS_TOKEN_SAML20;
	c.truststore_pem = ca;
	c.saml_audience = "urn:imsgw:bench";
	/* one envelope reused: only OneTimeUse IDs are remembered; distinct
	 * ones: every ID, with a fresh replay store per round of the pool */
	c.saml_replay = saml_distinct ? IGW_WSS_SAML_REPLAY_ALL : IGW_WSS_SAML_REPLAY_ONETIME;
	while (elapsed < seconds) {
		if (!p) {
			r = saml_distinct ? igw_wss_replay_mem_new(16, SAML_POOL * 2) : NULL;
			c.replay = r;
			if (igw_wss_policy_compile(&c, &p, NULL, 0) != 0)
				return -1;
		}
		double w0 = clock_s(CLOCK_MONOTONIC);
		double b0;
		t0 = b0 = now_s();
		for (int i = 0; i < 2000; i++) {
			const struct igw_buf *e = &env[i % npool];
			if (i % SAML_BATCH == 0 && i) {
				double b1 = now_s();
				batch_add(SAML_BATCH / (b1 - b0));
				b0 = b1;
			}
			if (verify_one(p, e, "SAML") != 0)
				return -1;
		}
		elapsed += now_s() - t0;
		wall_total += clock_s(CLOCK_MONOTONIC) - w0;
		done += 2000;
		if (saml_distinct) {	/* every ID of the pool is now remembered */
			igw_wss_policy_free(p);
			igw_wss_replay_free(r);
			p = NULL;
			r = NULL;
		}
	}
	last_done = done;
	printf("  (signed SAML 2.0 envelope: %zu bytes; %s)\n", env[0].len,
	       saml_distinct ? "2 000 distinct assertions, every ID remembered" :
	       "one envelope, OneTimeUse IDs remembered");
	for (int i = 0; i < npool; i++)
		igw_buf_free(&env[i]);
	free(env);
	igw_wss_policy_free(p);
	igw_wss_replay_free(r);
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
	const char *only = argc > 3 && strcmp(argv[3], "all") != 0 ? argv[3] : "";
	if (strcmp(only, "saml-distinct") == 0) {
		saml_distinct = 1;
		only = "saml";
	}
	cold_bytes = argc > 4 ? (size_t)strtoull(argv[4], NULL, 10) : 0;
	if (cold_bytes) {
		cold_max = 4000000;
		cold_buf = calloc(1, cold_bytes);
		cold_t = calloc(cold_max, sizeof(*cold_t));
		if (!cold_buf || !cold_t)
			return 1;
	}
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
