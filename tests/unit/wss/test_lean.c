/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lean signature path (wss/src/leanverify.c) against xmlsec, and the
 * signer certificate cache (wss/src/truststore.c).  Uses the engine's
 * internal header for the test hooks (wss_lean_disabled, wss_lean_handled)
 * and the cache API.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <openssl/pem.h>
#include "imsgw/core.h"
#include "internal.h"
#include "wss_test_util.h"

struct pol {
	struct igw_wss_policy_conf c;
	struct igw_wss_replay *replay;
	struct igw_wss_policy *p;
};

static void pol_open(struct pol *f, int allow_sha1)
{
	memset(f, 0, sizeof(*f));
	igw_wss_policy_conf_defaults(&f->c);
	f->c.service = "test-lean";
	f->c.tokens = IGW_WSS_TOKEN_SAML11 | IGW_WSS_TOKEN_SAML20;
	f->c.truststore_pem = fx_cert("ca.crt");
	f->c.saml_audience = fx_meta("AUDIENCE");
	f->c.saml_allow_sha1 = allow_sha1;
	f->c.saml_allow_bearer = 1;
	f->replay = igw_wss_replay_mem_new(4, 4096);
	assert_non_null(f->replay);
	f->c.replay = f->replay;
	f->p = fx_policy(&f->c);
}

static void pol_close(struct pol *f)
{
	igw_wss_policy_free(f->p);
	igw_wss_replay_free(f->replay);
}

static unsigned long handled(void)
{
	return atomic_load(&wss_lean_handled);
}

/* Reason for buf (a fresh policy, SHA-1 allowed or not), lean path on or off. */
static char *reason_sha1(const char *buf, size_t len, int lean, int allow_sha1,
                         unsigned long *lean_used)
{
	struct pol f;
	struct igw_wss_result *r = NULL;
	unsigned long before;
	char *why;
	pol_open(&f, allow_sha1);
	wss_lean_disabled = !lean;
	before = handled();
	(void)igw_wss_verify(f.p, buf, len, NULL, &r);
	*lean_used = handled() - before;
	wss_lean_disabled = 0;
	assert_non_null(r);
	why = strdup(igw_wss_result_reason(r));
	igw_wss_result_free(r);
	pol_close(&f);
	return why;
}

/* Reason for fixture `name` under a fresh policy (fresh replay store). */
static char *reason_of(const char *name, int lean, int allow_sha1, unsigned long *lean_used)
{
	size_t len;
	char *buf = fx_load(name, &len);
	char *why = reason_sha1(buf, len, lean, allow_sha1, lean_used);
	free(buf);
	return why;
}

/* Every signed fixture gets the same verdict from the lean path as from
 * xmlsec; the common shape is judged by the lean path, ECDSA is not. */
static void test_same_verdict_as_xmlsec(void **st)
{
	static const char *const names[] = {
		"s2_signed.xml", "s2_signed_again.xml", "s1_signed.xml", "s2_rogue.xml", "s2_ec.xml",
		"s2_expired_cert.xml", "s2_sha1.xml", "s2_expired.xml", "s2_notyet.xml", "s2_bearer.xml",
		"s2_hok.xml", "s2_wrong_audience.xml", "s2_onetime.xml", "s1_bearer.xml",
		"s2_tampered_nameid.xml", "s2_comment_nameid.xml", "s2_no_sigvalue.xml",
		"s2_sig_removed.xml", "s2_xsw_object.xml", "s2_xsw_same_id.xml", "s2_xsw_wrapper.xml",
		"s2_dup_id.xml", "s2_two_assertions.xml", "s2_two_refs.xml", "s2_incl_ns.xml",
		"s2_incl_ns_xs_changed.xml", "s2_incl_ns_wsu_changed.xml", "outbound-signed.xml",
	};
	(void)st;
	for (int sha1 = 0; sha1 < 2; sha1++) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			unsigned long lean_used = 0, xmlsec_used = 0;
			char *a = reason_of(names[i], 1, sha1, &lean_used);
			char *b = reason_of(names[i], 0, sha1, &xmlsec_used);
			if (strcmp(a, b) != 0)
				fail_msg("%s (sha1 %d): lean %s, xmlsec %s", names[i], sha1, a, b);
			assert_int_equal(xmlsec_used, 0);
			if (strcmp(names[i], "s2_ec.xml") == 0)
				assert_int_equal(lean_used, 0);	/* ECDSA: xmlsec */
			if (strcmp(names[i], "s2_signed.xml") == 0 || strcmp(names[i], "s2_incl_ns.xml") == 0 ||
			    strcmp(names[i], "s2_tampered_nameid.xml") == 0 || strcmp(names[i], "s1_signed.xml") == 0)
				assert_int_equal(lean_used, 1);
			free(a);
			free(b);
		}
	}
}

/* Reason for buf (a fresh policy), lean path on or off. */
static char *reason_buf(const char *buf, size_t len, int lean, unsigned long *lean_used)
{
	return reason_sha1(buf, len, lean, 0, lean_used);
}

/*
 * Deterministic mutations of signed fixtures that mostly keep the signature
 * valid (comments, whitespace, PIs, foreign elements between tags; namespace
 * declarations and attributes in start tags, which exclusive C14N may or may
 * not drop): the lean path and xmlsec must agree on every one.
 */
static void test_mutations_agree(void **st)
{
	static const char *const names[] = { "s2_signed.xml", "s2_incl_ns.xml", "s1_signed.xml" };
	static const char *const between[] = { "<!--c-->", "\n ", "<?p x?>", "<x:e xmlns:x='urn:x'/>" };
	static const char *const attrs[] = {
		" xmlns:foo='urn:foo'", " xmlns='urn:d'", " xmlns:xs='urn:evil'", " xmlns:wsu='urn:w'",
		" foo='1'", " xmlns:ds='http://www.w3.org/2000/09/xmldsig#'",
	};
	unsigned long cases = 0, lean_cases = 0, accepted = 0;
	(void)st;
	for (size_t f = 0; f < sizeof(names) / sizeof(names[0]); f++) {
		size_t len;
		char *buf = fx_load(names[f], &len);
		char *m = malloc(len + 64);
		unsigned k = 0;
		assert_non_null(m);
		for (size_t at = 1; at < len; at++) {
			const char *ins = NULL;
			/* after a '>': between[]; before ' ', '>' or "/>" (the end
			 * of a name or attribute in a tag, or text): attrs[] */
			if (buf[at - 1] == '>')
				ins = between[k % 4];
			else if (buf[at] == ' ' || buf[at] == '>' || (buf[at] == '/' && buf[at + 1] == '>'))
				ins = attrs[k % 6];
			if (!ins || k++ % 3 != 0)	/* every third site keeps it quick */
				continue;
			{
				size_t il = strlen(ins);
				unsigned long la = 0, lb = 0;
				char *a, *b;
				memcpy(m, buf, at);
				memcpy(m + at, ins, il);
				memcpy(m + at + il, buf + at, len - at + 1);
				a = reason_buf(m, len + il, 1, &la);
				b = reason_buf(m, len + il, 0, &lb);
				if (strcmp(a, b) != 0)
					fail_msg("%s + \"%s\" at %zu: lean %s, xmlsec %s", names[f], ins, at, a, b);
				cases++;
				lean_cases += la;
				accepted += strcmp(a, "WSS-OK") == 0;
				free(a);
				free(b);
			}
		}
		free(m);
		free(buf);
	}
	print_message("%lu mutations, %lu judged by the lean path, %lu accepted\n", cases, lean_cases,
	              accepted);
	/* both outcomes and both paths were exercised */
	assert_true(cases > 100);
	assert_true(lean_cases > 20);
	assert_true(accepted > 20 && accepted < cases);
}

/* InclusiveNamespaces PrefixList is honoured on both C14N steps: the
 * declarations it names are signed even though no element uses them. */
static void test_inclusive_namespaces(void **st)
{
	struct pol f;
	unsigned long before;
	(void)st;
	pol_open(&f, 0);
	before = handled();
	CASE(f.p, "s2_incl_ns.xml", NULL, "WSS-OK");
	CASE(f.p, "s2_incl_ns_xs_changed.xml", NULL, "SAML-SIG-INVALID");	/* Reference */
	CASE(f.p, "s2_incl_ns_wsu_changed.xml", NULL, "SAML-SIG-INVALID");	/* SignedInfo */
	assert_int_equal(handled() - before, 3);
	pol_close(&f);
}

/* A processing instruction anywhere sends the signature to xmlsec. */
static void test_pi_goes_to_xmlsec(void **st)
{
	struct pol f;
	size_t len;
	char *buf = fx_load("s2_signed.xml", &len);
	char *pi = malloc(len + 16);
	char *body = strstr(buf, "<soap:Body>");
	unsigned long before;
	(void)st;
	assert_non_null(pi);
	assert_non_null(body);
	body += strlen("<soap:Body>");
	memcpy(pi, buf, (size_t)(body - buf));
	memcpy(pi + (body - buf), "<?x y?>", 7);
	memcpy(pi + (body - buf) + 7, body, len - (size_t)(body - buf) + 1);
	pol_open(&f, 0);
	before = handled();
	igw_wss_result_free(EXPECT(f.p, pi, len + 7, NULL, "WSS-OK"));
	assert_int_equal(handled() - before, 0);
	pol_close(&f);
	free(pi);
	free(buf);
}

/* Base64 body of a PEM certificate file (line breaks kept). */
static char *pem_b64(const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[256], *out = calloc(1, 8192);
	assert_non_null(fp);
	assert_non_null(out);
	while (fgets(line, sizeof(line), fp)) {
		if (strncmp(line, "-----", 5) != 0)
			strncat(out, line, 8191 - strlen(out));
	}
	fclose(fp);
	return out;
}

static int64_t cert_time(const char *path, int after)
{
	FILE *fp = fopen(path, "r");
	X509 *x = fp ? PEM_read_X509(fp, NULL, NULL, NULL) : NULL;
	struct tm tm;
	int64_t ms = -1;
	if (x && ASN1_TIME_to_tm(after ? X509_get0_notAfter(x) : X509_get0_notBefore(x), &tm) == 1)
		ms = (int64_t)timegm(&tm) * 1000;
	X509_free(x);
	if (fp)
		fclose(fp);
	return ms;
}

static void lookup(struct wss_trust *t, const char *b64, int64_t now, int want_rc, int want_trusted)
{
	EVP_PKEY *k = NULL;
	char *subject = NULL, *fp = NULL;
	int trusted = -1;
	int rc = wss_trust_lookup(t, b64, now, &k, &subject, &fp, &trusted);
	assert_int_equal(rc, want_rc);
	if (rc == IGW_OK) {
		assert_non_null(k);
		assert_int_equal(trusted, want_trusted);
		assert_string_equal(fp, fx_meta("SIGNER_FP"));
		assert_string_equal(subject, fx_meta("SIGNER_SUBJECT"));
	} else {
		assert_null(k);
		assert_null(fp);
	}
	EVP_PKEY_free(k);
	free(subject);
	free(fp);
}

/* Cached entries: a hit decodes nothing, validity is still checked on every
 * use (an entry does not outlive its certificate), the cache is bounded. */
static void test_cert_cache(void **st)
{
	const char *crt = fx_cert("saml-signer.crt");
	char *b64 = pem_b64(crt), *flat = calloc(1, 8192);
	int64_t nb = cert_time(crt, 0), na = cert_time(crt, 1), now = igw_wall_ms();
	struct wss_trust *t = NULL, *none = NULL;
	size_t entries = 0, j = 0;
	unsigned long hits = 0, misses = 0;
	char err[256];
	(void)st;
	assert_true(nb > 0 && na > nb && now > nb && now < na);
	assert_int_equal(wss_init(), IGW_OK);
	assert_int_equal(wss_trust_new(fx_cert("ca.crt"), &t, err, sizeof(err)), IGW_OK);
	lookup(t, b64, now, IGW_OK, 1);
	lookup(t, b64, now, IGW_OK, 1);
	wss_trust_stats(t, &entries, &hits, &misses);
	assert_int_equal(entries, 1);
	assert_int_equal(misses, 1);
	assert_int_equal(hits, 1);
	/* expiry honoured on a cached entry, at both ends of the window */
	lookup(t, b64, na, IGW_EEXPIRED, 0);
	lookup(t, b64, na + 86400000, IGW_EEXPIRED, 0);
	lookup(t, b64, nb - 1, IGW_EEXPIRED, 0);
	lookup(t, b64, na - 1, IGW_OK, 1);
	wss_trust_stats(t, &entries, &hits, &misses);
	assert_int_equal(misses, 1);
	/* not Base64 / not a certificate: refused, not cached */
	lookup(t, "!!!not base64", now, IGW_EPARSE, 0);
	lookup(t, "QUJD", now, IGW_EPARSE, 0);
	wss_trust_stats(t, &entries, &hits, &misses);
	assert_int_equal(entries, 1);
	/* the same certificate written differently: another entry, same DER
	 * fingerprint; thousands of spellings never exceed the bound */
	for (const char *p = b64; *p; p++)
		if (*p != '\n')
			flat[j++] = *p;
	lookup(t, flat, now, IGW_OK, 1);
	for (int i = 0; i < 3000; i++) {
		/* i + 1 leading spaces, which Base64 readers skip */
		size_t n = strlen(flat) + (size_t)i + 2;
		char *v = malloc(n);
		assert_non_null(v);
		memset(v, ' ', (size_t)i + 1);
		memcpy(v + i + 1, flat, strlen(flat) + 1);
		lookup(t, v, now, IGW_OK, 1);
		free(v);
	}
	wss_trust_stats(t, &entries, &hits, &misses);
	assert_true(entries <= IGW_WSS_CERT_CACHE);
	assert_true(entries > 1);
	wss_trust_free(t);
	/* without a truststore nothing is trusted, the key is still usable */
	assert_int_equal(wss_trust_new(NULL, &none, err, sizeof(err)), IGW_OK);
	lookup(none, b64, now, IGW_OK, 0);
	wss_trust_free(none);
	free(flat);
	free(b64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_verdict_as_xmlsec),
		cmocka_unit_test(test_inclusive_namespaces),
		cmocka_unit_test(test_mutations_agree),
		cmocka_unit_test(test_pi_goes_to_xmlsec),
		cmocka_unit_test(test_cert_cache),
	};
	igw_log_setup(2, IGW_LOG_ERROR, IGW_LOG_TEXT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
