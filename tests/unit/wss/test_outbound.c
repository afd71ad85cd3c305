/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Outbound tokens: built here, verified by this engine and by the xmlsec1 CLI. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "imsgw/core.h"
#include "wss_test_util.h"

static struct igw_wss_replay *replay;

static struct igw_wss_policy *ut_policy(void)
{
	struct igw_wss_policy_conf c;
	igw_wss_policy_conf_defaults(&c);
	c.tokens = IGW_WSS_TOKEN_UT;
	c.creds = fx_creds;
	c.ut_allow_digest = 1;
	c.replay = replay;
	c.ut_text_mode = IGW_WSS_PW_LOCAL;
	c.ts = IGW_WSS_REQUIRED;
	return fx_policy(&c);
}

static struct igw_wss_policy *saml_policy(enum igw_wss_saml_sig sig)
{
	struct igw_wss_policy_conf c;
	igw_wss_policy_conf_defaults(&c);
	c.tokens = IGW_WSS_TOKEN_SAML11 | IGW_WSS_TOKEN_SAML20;
	c.truststore_pem = fx_cert("ca.crt");
	c.saml_audience = "urn:callout:target";
	c.saml_sig = sig;
	c.replay = replay;
	return fx_policy(&c);
}

static void test_ut(void **st)
{
	struct igw_wss_policy *p = ut_policy();
	struct igw_wss_out_conf oc;
	struct igw_buf b;
	struct igw_wss_result *r;
	(void)st;
	memset(&oc, 0, sizeof(oc));
	oc.password = fx_meta("PASSWORD");
	oc.timestamp = 1;
	for (int kind = IGW_WSS_OUT_UT_TEXT; kind <= IGW_WSS_OUT_UT_DIGEST; kind++) {
		for (int v = 11; v <= 12; v++) {
			oc.kind = (enum igw_wss_out_kind)kind;
			igw_buf_init(&b, 1 << 16);
			assert_int_equal(igw_wss_out_envelope(&oc, "alice", v, "<x:Op xmlns:x='urn:x'/>", &b), 0);
			r = EXPECT(p, (const char *)b.data, b.len, NULL, "WSS-OK");
			assert_string_equal(igw_wss_result_user(r), "alice");
			assert_int_equal(igw_wss_result_soap_version(r), v);
			igw_wss_result_free(r);
			igw_buf_free(&b);
		}
	}
	/* escaping: a user name with markup characters stays data */
	oc.kind = IGW_WSS_OUT_UT_TEXT;
	igw_buf_init(&b, 1 << 16);
	assert_int_equal(igw_wss_out_security_header(&oc, "a<b>&\"c", &b), 0);
	assert_non_null(strstr(igw_buf_cstr(&b), "a&lt;b&gt;&amp;\"c"));
	igw_buf_free(&b);
	/* too small a buffer: IGW_ELIMIT, nothing appended */
	igw_buf_init(&b, 64);
	assert_int_equal(igw_wss_out_envelope(&oc, "alice", 11, NULL, &b), IGW_ELIMIT);
	assert_int_equal(b.len, 0);
	igw_buf_free(&b);
	assert_int_equal(igw_wss_out_envelope(&oc, "alice", 10, NULL, &b), IGW_EINVAL);
	igw_wss_policy_free(p);
}

static int xmlsec1_verifies(const char *xml, size_t len, int v2)
{
	/* one file per process: the in-place run of this test may run
	 * alongside (ctest -j) */
	char name[64], cmd[2048];
	const char *path;
	FILE *f;
	snprintf(name, sizeof(name), "outbound-signed-%ld.xml", (long)getpid());
	path = fx_path(name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(xml, 1, len, f), len);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
	         "xmlsec1 --verify --trusted-pem %s --id-attr:%s %s:Assertion %s >/dev/null 2>&1",
	         fx_cert("ca.crt"), v2 ? "ID" : "AssertionID",
	         v2 ? "urn:oasis:names:tc:SAML:2.0:assertion" : "urn:oasis:names:tc:SAML:1.0:assertion", path);
	{
		int ok = system(cmd) == 0;
		char keep[512];
		/* kept as outbound-signed.xml for unit_wss_lean (renamed whole:
		 * a concurrent reader never sees half a file) */
		snprintf(keep, sizeof(keep), "%s", fx_path("outbound-signed.xml"));
		if (!ok || rename(path, keep) != 0)
			(void)unlink(path);
		return ok;
	}
}

static void test_saml(void **st)
{
	struct igw_wss_policy *unsigned_ok = saml_policy(IGW_WSS_SIG_OPTIONAL);
	struct igw_wss_policy *signed_only = saml_policy(IGW_WSS_SIG_REQUIRED);
	struct igw_wss_signer *signer = NULL, *bad = NULL;
	struct igw_wss_request tls = { NULL, "CN=callout-client", NULL, 0, 0 };
	struct igw_wss_out_conf oc;
	struct igw_buf b;
	struct igw_wss_result *r;
	(void)st;
	assert_int_equal(igw_wss_signer_load(fx_cert("saml-signer.key"), fx_cert("saml-signer.crt"), &signer), 0);
	assert_int_equal(igw_wss_signer_load("/nonexistent.key", NULL, &bad), IGW_ECONFIG);
	memset(&oc, 0, sizeof(oc));
	oc.issuer = "urn:imsgw:callout";
	oc.audience = "urn:callout:target";
	oc.lifetime_s = 120;
	for (int kind = IGW_WSS_OUT_SAML11; kind <= IGW_WSS_OUT_SAML20; kind++) {
		oc.kind = (enum igw_wss_out_kind)kind;
		/* unsigned: accepted where unsigned is allowed and a TLS client vouches */
		oc.signer = NULL;
		igw_buf_init(&b, 1 << 16);
		assert_int_equal(igw_wss_out_envelope(&oc, "IMSUSER1", 11, NULL, &b), 0);
		r = EXPECT(unsigned_ok, (const char *)b.data, b.len, &tls, "WSS-OK");
		assert_string_equal(igw_wss_result_user(r), "IMSUSER1");
		assert_string_equal(igw_wss_result_issuer(r), "urn:imsgw:callout");
		assert_false(igw_wss_result_signed(r));
		igw_wss_result_free(r);
		igw_wss_result_free(EXPECT(signed_only, (const char *)b.data, b.len, &tls, "SAML-SIG-REQUIRED"));
		igw_buf_free(&b);
		/* signed with the dev signer: verified here and by xmlsec1 */
		oc.signer = signer;
		igw_buf_init(&b, 1 << 16);
		assert_int_equal(igw_wss_out_envelope(&oc, "IMSUSER1", 12, "<x:Op xmlns:x='urn:x'/>", &b), 0);
		r = EXPECT(signed_only, (const char *)b.data, b.len, NULL, "WSS-OK");
		assert_true(igw_wss_result_signed(r));
		assert_string_equal(igw_wss_result_attester(r), fx_meta("SIGNER_SUBJECT"));
		igw_wss_result_free(r);
		assert_true(xmlsec1_verifies((const char *)b.data, b.len, kind == IGW_WSS_OUT_SAML20));
		igw_buf_free(&b);
	}
	igw_wss_signer_free(signer);
	/* the same signer from the PKCS#12 keystore */
	{
		char pass[128] = "";
		FILE *pf = fopen(fx_cert("pkcs12.pass"), "r");
		assert_non_null(pf);
		assert_non_null(fgets(pass, sizeof(pass), pf));
		fclose(pf);
		pass[strcspn(pass, "\r\n")] = '\0';
		assert_int_equal(igw_wss_signer_load_p12(fx_cert("saml-signer.p12"), "wrong", &bad), IGW_ECONFIG);
		assert_int_equal(igw_wss_signer_load_p12(fx_cert("saml-signer.p12"), pass, &signer), 0);
		oc.kind = IGW_WSS_OUT_SAML20;
		oc.signer = signer;
		igw_buf_init(&b, 1 << 16);
		assert_int_equal(igw_wss_out_security_header(&oc, "IMSUSER2", &b), 0);
		{
			struct igw_buf env;
			igw_buf_init(&env, 1 << 16);
			igw_buf_printf(&env, "<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'>"
			               "<e:Header>%s</e:Header><e:Body/></e:Envelope>", igw_buf_cstr(&b));
			r = EXPECT(signed_only, (const char *)env.data, env.len, NULL, "WSS-OK");
			assert_string_equal(igw_wss_result_user(r), "IMSUSER2");
			igw_wss_result_free(r);
			igw_buf_free(&env);
		}
		igw_buf_free(&b);
		igw_wss_signer_free(signer);
	}
	igw_wss_policy_free(unsigned_ok);
	igw_wss_policy_free(signed_only);
}

static int setup(void **st)
{
	(void)st;
	replay = igw_wss_replay_mem_new(2, 256);
	return replay ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	igw_wss_replay_free(replay);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ut),
		cmocka_unit_test(test_saml),
	};
	igw_log_setup(2, IGW_LOG_ERROR, IGW_LOG_TEXT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
