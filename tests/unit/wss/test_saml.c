/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SAML 1.1 / 2.0 sender-vouches over assertions signed by the xmlsec1 CLI. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "imsgw/core.h"
#include "wss_test_util.h"

struct fx {
	struct igw_wss_policy_conf c;
	struct igw_wss_replay *replay;
	struct igw_wss_policy *p;
};

static struct fx *setup_conf(void)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	igw_wss_policy_conf_defaults(&f->c);
	f->c.service = "test-saml";
	f->c.tokens = IGW_WSS_TOKEN_SAML11 | IGW_WSS_TOKEN_SAML20;
	f->c.truststore_pem = fx_cert("ca.crt");
	f->c.saml_audience = fx_meta("AUDIENCE");
	f->replay = igw_wss_replay_mem_new(4, 4096);
	assert_non_null(f->replay);
	f->c.replay = f->replay;
	return f;
}

static void compile(struct fx *f)
{
	igw_wss_policy_free(f->p);
	f->p = fx_policy(&f->c);
}

static void done(struct fx *f)
{
	igw_wss_policy_free(f->p);
	igw_wss_replay_free(f->replay);
	free(f);
}

static const struct igw_wss_request *tls_client(void)
{
	static struct igw_wss_request rq;
	rq.tls_subject = fx_meta("CLIENT_SUBJECT");
	rq.tls_fingerprint = fx_meta("CLIENT_FP");
	return &rq;
}

static void test_signed_trust_one(void **st)
{
	struct fx *f = setup_conf();
	size_t len;
	char *buf = fx_load("s2_signed.xml", &len);
	struct igw_wss_result *r;
	const char *n, *v;
	(void)st;
	compile(f);
	r = EXPECT(f->p, buf, len, NULL, "WSS-OK");
	assert_int_equal(igw_wss_result_kind(r), IGW_WSS_KIND_SAML);
	assert_string_equal(igw_wss_result_user(r), "alice.evil.example");
	assert_string_equal(igw_wss_result_issuer(r), fx_meta("ISSUER"));
	assert_string_equal(igw_wss_result_format(r), "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
	assert_true(igw_wss_result_signed(r));
	/* no TLS client: the trusted signer is the attester */
	assert_string_equal(igw_wss_result_attester(r), fx_meta("SIGNER_SUBJECT"));
	assert_null(igw_wss_result_password(r));
	assert_int_equal(igw_wss_result_attr_count(r), 1);
	assert_int_equal(igw_wss_result_attr(r, 0, &n, &v), 0);
	assert_string_equal(n, "racfGroup");
	assert_string_equal(v, "PAYROLL");
	igw_wss_result_free(r);
	/* every assertion ID is single use by default */
	igw_wss_result_free(EXPECT(f->p, buf, len, NULL, "SAML-REPLAY"));
	free(buf);
	CASE(f->p, "s1_signed.xml", NULL, "WSS-OK");
	CASE(f->p, "s2_ec.xml", NULL, "WSS-OK");
	/* TLS client present: it is the attester */
	buf = fx_load("s2_signed_again.xml", &len);
	r = EXPECT(f->p, buf, len, tls_client(), "WSS-OK");
	assert_string_equal(igw_wss_result_attester(r), fx_meta("CLIENT_SUBJECT"));
	igw_wss_result_free(r);
	free(buf);
	done(f);
}

static void test_replay_onetime(void **st)
{
	struct fx *f = setup_conf();
	(void)st;
	f->c.saml_replay = IGW_WSS_SAML_REPLAY_ONETIME;
	compile(f);
	CASE(f->p, "s2_signed.xml", NULL, "WSS-OK");
	CASE(f->p, "s2_signed.xml", NULL, "WSS-OK");	/* reusable until expiry */
	CASE(f->p, "s2_onetime.xml", NULL, "WSS-OK");
	CASE(f->p, "s2_onetime.xml", NULL, "SAML-REPLAY");
	done(f);
}

static void test_unsigned(void **st)
{
	struct fx *f = setup_conf();
	(void)st;
	compile(f);
	CASE(f->p, "s2_unsigned.xml", tls_client(), "SAML-SIG-REQUIRED");
	CASE(f->p, "s2_sig_removed.xml", tls_client(), "SAML-SIG-REQUIRED");
	f->c.saml_sig = IGW_WSS_SIG_OPTIONAL;
	compile(f);
	CASE(f->p, "s2_unsigned.xml", tls_client(), "WSS-OK");
	CASE(f->p, "s1_unsigned.xml", tls_client(), "WSS-OK");
	/* unsigned sender-vouches without a TLS client: nobody vouches */
	CASE(f->p, "s2_sig_removed.xml", NULL, "SAML-SV-NO-ATTESTER");
	done(f);
}

static void test_trust(void **st)
{
	struct fx *f = setup_conf();
	(void)st;
	f->c.saml_replay = IGW_WSS_SAML_REPLAY_ONETIME;
	compile(f);
	CASE(f->p, "s2_rogue.xml", NULL, "SAML-SIG-UNTRUSTED");
	CASE(f->p, "s2_rogue.xml", tls_client(), "SAML-SIG-UNTRUSTED");
	CASE(f->p, "s2_expired_cert.xml", NULL, "SAML-SIG-CERT-EXPIRED");
	/* trust any: integrity only, so the signer never attests */
	f->c.saml_trust = IGW_WSS_TRUST_ANY;
	compile(f);
	CASE(f->p, "s2_rogue.xml", NULL, "SAML-SV-NO-ATTESTER");
	CASE(f->p, "s2_rogue.xml", tls_client(), "WSS-OK");
	/* even a signer that chains to the (configured) truststore */
	CASE(f->p, "s2_signed.xml", NULL, "SAML-SV-NO-ATTESTER");
	CASE(f->p, "s2_signed.xml", tls_client(), "WSS-OK");
	CASE(f->p, "s2_expired_cert.xml", tls_client(), "SAML-SIG-CERT-EXPIRED");
	CASE(f->p, "s2_tampered_nameid.xml", tls_client(), "SAML-SIG-INVALID");
	/* the truststore given as PEM text rather than a path */
	{
		char *pem = NULL;
		size_t n = 0;
		FILE *pf = fopen(fx_cert("ca.crt"), "r");
		assert_non_null(pf);
		pem = calloc(1, 65536);
		assert_non_null(pem);
		n = fread(pem, 1, 65535, pf);
		fclose(pf);
		assert_true(n > 0);
		f->c.saml_trust = IGW_WSS_TRUST_ONE;
		f->c.truststore_pem = pem;
		compile(f);	/* the policy copies the text */
		free(pem);
		CASE(f->p, "s2_ec.xml", NULL, "WSS-OK");
		CASE(f->p, "s2_rogue.xml", NULL, "SAML-SIG-UNTRUSTED");
		f->c.truststore_pem = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
		{
			struct igw_wss_policy *bad = NULL;
			char err[200];
			assert_int_equal(igw_wss_policy_compile(&f->c, &bad, err, sizeof(err)), IGW_ECONFIG);
			assert_null(bad);
		}
	}
	/* a pinned signer certificate as the whole truststore */
	f->c.saml_trust = IGW_WSS_TRUST_ONE;
	f->c.truststore_pem = fx_cert("saml-signer.crt");
	compile(f);
	CASE(f->p, "s2_signed.xml", NULL, "WSS-OK");
	CASE(f->p, "s2_ec.xml", NULL, "SAML-SIG-UNTRUSTED");
	f->c.truststore_pem = fx_cert("rogue-signer.crt");
	compile(f);
	CASE(f->p, "s2_signed_again.xml", NULL, "SAML-SIG-UNTRUSTED");
	CASE(f->p, "s2_rogue.xml", NULL, "WSS-OK");
	done(f);
}

static void test_algorithms(void **st)
{
	struct fx *f = setup_conf();
	(void)st;
	compile(f);
	CASE(f->p, "s2_sha1.xml", NULL, "SAML-SIG-ALGORITHM");
	f->c.saml_allow_sha1 = 1;
	compile(f);
	CASE(f->p, "s2_sha1.xml", NULL, "WSS-OK");
	done(f);
}

static void test_conditions(void **st)
{
	struct fx *f = setup_conf();
	(void)st;
	compile(f);
	CASE(f->p, "s2_expired.xml", NULL, "SAML-EXPIRED");
	CASE(f->p, "s2_notyet.xml", NULL, "SAML-NOT-YET-VALID");
	CASE(f->p, "s2_wrong_audience.xml", NULL, "SAML-AUDIENCE");
	CASE(f->p, "s2_bearer.xml", NULL, "SAML-CONFIRMATION");
	CASE(f->p, "s2_hok.xml", NULL, "SAML-CONFIRMATION");
	CASE(f->p, "s1_bearer.xml", NULL, "SAML-CONFIRMATION");
	f->c.saml_audience = NULL;
	f->c.saml_allow_bearer = 1;
	compile(f);
	CASE(f->p, "s2_wrong_audience.xml", NULL, "WSS-OK");
	CASE(f->p, "s2_bearer.xml", NULL, "WSS-OK");
	CASE(f->p, "s2_hok.xml", NULL, "SAML-CONFIRMATION");
	/* holder-of-key: only with the confirmation key as TLS client certificate */
	f->c.saml_allow_hok = 1;
	f->c.saml_replay = IGW_WSS_SAML_REPLAY_ONETIME;
	compile(f);
	CASE(f->p, "s2_hok_client.xml", tls_client(), "WSS-OK");
	CASE(f->p, "s2_hok_client.xml", NULL, "SAML-CONFIRMATION");
	CASE(f->p, "s2_hok.xml", tls_client(), "SAML-CONFIRMATION");
	{
		struct igw_wss_request other = { NULL, "CN=other", "sha256:00", 0, 0 };
		CASE(f->p, "s2_hok_client.xml", &other, "SAML-CONFIRMATION");
	}
	f->c.saml_skew_s = 3600;	/* a generous skew lets the old one in */
	compile(f);
	CASE(f->p, "s2_expired.xml", NULL, "WSS-OK");
	done(f);
}

static void test_tampering(void **st)
{
	struct fx *f = setup_conf();
	(void)st;
	compile(f);
	CASE(f->p, "s2_tampered_nameid.xml", NULL, "SAML-SIG-INVALID");
	/* signature still verifies (C14N drops comments) but the NameID is refused */
	CASE(f->p, "s2_comment_nameid.xml", NULL, "SAML-NAMEID");
	CASE(f->p, "s2_no_sigvalue.xml", NULL, "SAML-SIG-MALFORMED");
	CASE(f->p, "s2_xsw_object.xml", NULL, "SAML-XSW");
	CASE(f->p, "s2_xsw_same_id.xml", NULL, "WSS-DUPLICATE-ID");
	CASE(f->p, "s2_xsw_wrapper.xml", NULL, "SAML-XSW");
	CASE(f->p, "s2_dup_id.xml", NULL, "WSS-DUPLICATE-ID");
	CASE(f->p, "s2_two_assertions.xml", NULL, "WSS-TOKEN-MULTIPLE");
	CASE(f->p, "s2_two_refs.xml", NULL, "SAML-XSW");
	/* trust any changes none of this */
	f->c.saml_trust = IGW_WSS_TRUST_ANY;
	compile(f);
	CASE(f->p, "s2_xsw_wrapper.xml", tls_client(), "SAML-XSW");
	CASE(f->p, "s2_xsw_object.xml", tls_client(), "SAML-XSW");
	CASE(f->p, "s2_comment_nameid.xml", tls_client(), "SAML-NAMEID");
	done(f);
}

static void test_attesters(void **st)
{
	struct fx *f = setup_conf();
	struct igw_wss_attester a[2];
	(void)st;
	f->c.saml_sig = IGW_WSS_SIG_OPTIONAL;
	f->c.saml_replay = IGW_WSS_SAML_REPLAY_ONETIME;
	a[0].who = fx_meta("CLIENT_SUBJECT");
	a[0].issuer = NULL;
	f->c.attesters = a;
	f->c.attester_count = 1;
	compile(f);
	CASE(f->p, "s2_unsigned.xml", tls_client(), "WSS-OK");
	CASE(f->p, "s2_unsigned.xml", NULL, "SAML-SV-NO-ATTESTER");
	/* the trusted signer is not on the list */
	CASE(f->p, "s2_signed.xml", NULL, "SAML-SV-NO-ATTESTER");
	/* by fingerprint, restricted to another issuer */
	a[0].who = fx_meta("CLIENT_FP");
	a[0].issuer = "urn:some:other:idp";
	compile(f);
	CASE(f->p, "s2_unsigned.xml", tls_client(), "SAML-SV-NO-ATTESTER");
	a[0].issuer = fx_meta("ISSUER");
	a[1].who = fx_meta("SIGNER_FP");
	a[1].issuer = NULL;
	f->c.attester_count = 2;
	compile(f);
	CASE(f->p, "s2_unsigned.xml", tls_client(), "WSS-OK");
	CASE(f->p, "s2_signed.xml", NULL, "WSS-OK");
	done(f);
}

struct thr {
	const struct igw_wss_policy *p;
	const char *buf;
	size_t len;
	int ok;
};

static void *verify_many(void *arg)
{
	struct thr *t = arg;
	for (int i = 0; i < 200; i++) {
		struct igw_wss_result *r = NULL;
		if (igw_wss_verify(t->p, t->buf, t->len, NULL, &r) == 0 &&
		    strcmp(igw_wss_result_user(r), "alice.evil.example") == 0)
			t->ok++;
		igw_wss_result_free(r);
	}
	return NULL;
}

/* One policy (trust cache, per-thread parser contexts) shared by threads. */
static void test_threads(void **st)
{
	struct fx *f = setup_conf();
	struct thr t[3];
	pthread_t id[3];
	char *b1, *b2;
	size_t l1, l2;
	(void)st;
	f->c.saml_replay = IGW_WSS_SAML_REPLAY_ONETIME;
	compile(f);
	b1 = fx_load("s2_signed.xml", &l1);
	b2 = fx_load("s2_ec.xml", &l2);
	for (int i = 0; i < 3; i++) {
		t[i].p = f->p;
		t[i].buf = i == 1 ? b2 : b1;
		t[i].len = i == 1 ? l2 : l1;
		t[i].ok = 0;
		assert_int_equal(pthread_create(&id[i], NULL, verify_many, &t[i]), 0);
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(id[i], NULL);
		assert_int_equal(t[i].ok, 200);
	}
	free(b1);
	free(b2);
	done(f);
}

/* Hand-made unsigned assertions for the shape checks no tool would produce. */
static void inline_case(const struct igw_wss_policy *p, const char *assertion, const char *reason, int line)
{
	char buf[4096];
	int n = snprintf(buf, sizeof(buf),
	                 "<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'><e:Header>"
	                 "<w:Security xmlns:w='http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd'>"
	                 "%s</w:Security></e:Header><e:Body/></e:Envelope>", assertion);
	assert_true(n > 0 && (size_t)n < sizeof(buf));
	igw_wss_result_free(fx_expect(p, buf, (size_t)n, tls_client(), reason, "inline", line));
}
#define INLINE(p, a, reason) inline_case(p, a, reason, __LINE__)
#define A2(attrs, body) "<s:Assertion xmlns:s='urn:oasis:names:tc:SAML:2.0:assertion' " attrs ">" body "</s:Assertion>"
#define SUBJ "<s:Subject><s:NameID>bob</s:NameID><s:SubjectConfirmation " \
	"Method='urn:oasis:names:tc:SAML:2.0:cm:sender-vouches'/></s:Subject>"
#define OKATTR "ID='_x1' Version='2.0' IssueInstant='2020-01-01T00:00:00Z'"

static void test_shapes(void **st)
{
	struct fx *f = setup_conf();
	(void)st;
	f->c.saml_sig = IGW_WSS_SIG_OPTIONAL;
	f->c.saml_audience = NULL;
	f->c.saml_replay = IGW_WSS_SAML_REPLAY_ONETIME;
	compile(f);
	/* issued long ago, no NotOnOrAfter: older than the maximum lifetime */
	INLINE(f->p, A2(OKATTR, "<s:Issuer>i</s:Issuer>" SUBJ), "SAML-EXPIRED");
	f->c.saml_max_lifetime_s = 50u * 365 * 86400;
	compile(f);
	INLINE(f->p, A2(OKATTR, "<s:Issuer>i</s:Issuer>" SUBJ), "WSS-OK");
	INLINE(f->p, A2("ID='_x1' Version='1.0' IssueInstant='2020-01-01T00:00:00Z'", "<s:Issuer>i</s:Issuer>" SUBJ),
	       "SAML-VERSION");
	INLINE(f->p, A2(OKATTR, SUBJ), "SAML-MALFORMED");
	INLINE(f->p, A2("Version='2.0' IssueInstant='2020-01-01T00:00:00Z'", "<s:Issuer>i</s:Issuer>" SUBJ),
	       "SAML-MALFORMED");
	INLINE(f->p, A2("ID='_x1' Version='2.0' IssueInstant='yesterday'", "<s:Issuer>i</s:Issuer>" SUBJ),
	       "SAML-MALFORMED");
	INLINE(f->p, A2(OKATTR, "<s:Issuer>i</s:Issuer>"), "SAML-NAMEID");
	INLINE(f->p, A2(OKATTR, "<s:Issuer>i</s:Issuer><s:Subject><s:NameID>a<?pi x?>b</s:NameID></s:Subject>"),
	       "SAML-NAMEID");
	INLINE(f->p, A2(OKATTR, "<s:Issuer>i</s:Issuer>" SUBJ "<s:Conditions><s:Condition/></s:Conditions>"),
	       "SAML-CONDITIONS");
	INLINE(f->p, A2(OKATTR, "<s:Issuer>i</s:Issuer>" SUBJ
	                "<s:Conditions NotOnOrAfter='2000-01-01T00:00:00Z'/>"), "SAML-EXPIRED");
	INLINE(f->p, A2("ID='_x1' Version='2.0' IssueInstant='2999-01-01T00:00:00Z'", "<s:Issuer>i</s:Issuer>" SUBJ),
	       "SAML-NOT-YET-VALID");
	/* a signature without KeyInfo certificate */
	INLINE(f->p, A2(OKATTR, "<s:Issuer>i</s:Issuer><ds:Signature xmlns:ds='http://www.w3.org/2000/09/xmldsig#'>"
	                "<ds:SignedInfo><ds:CanonicalizationMethod Algorithm='http://www.w3.org/2001/10/xml-exc-c14n#'/>"
	                "<ds:SignatureMethod Algorithm='http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'/>"
	                "<ds:Reference URI='#_x1'><ds:Transforms><ds:Transform "
	                "Algorithm='http://www.w3.org/2000/09/xmldsig#enveloped-signature'/></ds:Transforms>"
	                "<ds:DigestMethod Algorithm='http://www.w3.org/2001/04/xmlenc#sha256'/>"
	                "<ds:DigestValue>AA==</ds:DigestValue></ds:Reference></ds:SignedInfo>"
	                "<ds:SignatureValue>AA==</ds:SignatureValue></ds:Signature>" SUBJ), "SAML-SIG-NO-CERT");
	/* inclusive C14N is refused */
	INLINE(f->p, A2(OKATTR, "<s:Issuer>i</s:Issuer><ds:Signature xmlns:ds='http://www.w3.org/2000/09/xmldsig#'>"
	                "<ds:SignedInfo><ds:CanonicalizationMethod "
	                "Algorithm='http://www.w3.org/TR/2001/REC-xml-c14n-20010315'/></ds:SignedInfo>"
	                "</ds:Signature>" SUBJ), "SAML-SIG-ALGORITHM");
	/* an XPath transform is refused */
	INLINE(f->p, A2(OKATTR, "<s:Issuer>i</s:Issuer><ds:Signature xmlns:ds='http://www.w3.org/2000/09/xmldsig#'>"
	                "<ds:SignedInfo><ds:CanonicalizationMethod Algorithm='http://www.w3.org/2001/10/xml-exc-c14n#'/>"
	                "<ds:SignatureMethod Algorithm='http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'/>"
	                "<ds:Reference URI='#_x1'><ds:Transforms><ds:Transform "
	                "Algorithm='http://www.w3.org/TR/1999/REC-xpath-19991116'/></ds:Transforms>"
	                "<ds:DigestMethod Algorithm='http://www.w3.org/2001/04/xmlenc#sha256'/>"
	                "<ds:DigestValue>AA==</ds:DigestValue></ds:Reference></ds:SignedInfo>"
	                "<ds:SignatureValue>AA==</ds:SignatureValue></ds:Signature>" SUBJ), "SAML-SIG-ALGORITHM");
	/* an ID that xmlsec would read as an XPointer expression */
	INLINE(f->p, A2("ID='xpointer(/)' Version='2.0' IssueInstant='2020-01-01T00:00:00Z'",
	                "<s:Issuer>i</s:Issuer><ds:Signature xmlns:ds='http://www.w3.org/2000/09/xmldsig#'>"
	                "<ds:SignedInfo><ds:CanonicalizationMethod Algorithm='http://www.w3.org/2001/10/xml-exc-c14n#'/>"
	                "<ds:SignatureMethod Algorithm='http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'/>"
	                "<ds:Reference URI='#xpointer(/)'><ds:DigestMethod Algorithm='http://www.w3.org/2001/04/xmlenc#sha256'/>"
	                "<ds:DigestValue>AA==</ds:DigestValue></ds:Reference></ds:SignedInfo>"
	                "<ds:SignatureValue>AA==</ds:SignatureValue></ds:Signature>" SUBJ), "SAML-XSW");
	/* text and timestamps in the Security header */
	INLINE(f->p, "junk", "WSS-SECURITY-MALFORMED");
	INLINE(f->p, "<u:Timestamp xmlns:u='http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd'>"
	       "<u:Expires>2030-01-01T00:00:00Z</u:Expires></u:Timestamp>", "WSS-TS-MALFORMED");
	done(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_trust_one),
		cmocka_unit_test(test_replay_onetime),
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_trust),
		cmocka_unit_test(test_algorithms),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_tampering),
		cmocka_unit_test(test_attesters),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_threads),
	};
	igw_log_setup(2, IGW_LOG_WARN, IGW_LOG_TEXT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
