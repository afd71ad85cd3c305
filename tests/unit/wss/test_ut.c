/* SPDX-License-Identifier: GPL-2.0-or-later */
/* UsernameToken and Timestamp over python3-zeep envelopes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
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
	f->c.service = "test-ut";
	f->c.tokens = IGW_WSS_TOKEN_UT;
	f->c.creds = fx_creds;
	f->c.ut_allow_digest = 1;
	f->replay = igw_wss_replay_mem_new(4, 1024);
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

static void test_text_passthrough(void **st)
{
	struct fx *f = setup_conf();
	size_t len;
	char *buf = fx_load("ut_text.xml", &len);
	struct igw_wss_result *r;
	(void)st;
	compile(f);
	r = EXPECT(f->p, buf, len, NULL, "WSS-OK");
	assert_int_equal(igw_wss_result_kind(r), IGW_WSS_KIND_USERNAMETOKEN);
	assert_string_equal(igw_wss_result_user(r), "alice");
	assert_string_equal(igw_wss_result_password(r), fx_meta("PASSWORD"));
	assert_int_equal(igw_wss_result_soap_version(r), 11);
	assert_non_null(igw_wss_result_body(r));
	igw_wss_result_free(r);
	/* passthrough does not judge the password: IMS Connect will */
	r = NULL;
	free(buf);
	buf = fx_load("ut_text_badpw.xml", &len);
	r = EXPECT(f->p, buf, len, NULL, "WSS-OK");
	assert_string_equal(igw_wss_result_password(r), "not-the-password");
	igw_wss_result_free(r);
	free(buf);
	CASE(f->p, "ut_text_ts.xml", NULL, "WSS-OK");
	CASE(f->p, "ut_text_soap12.xml", NULL, "WSS-OK");
	/* policy does not pass the password on */
	f->c.ut_text_mode = IGW_WSS_PW_LOCAL;
	f->c.ut_pass_password = 0;
	compile(f);
	buf = fx_load("ut_text.xml", &len);
	r = EXPECT(f->p, buf, len, NULL, "WSS-OK");
	assert_null(igw_wss_result_password(r));
	igw_wss_result_free(r);
	free(buf);
	done(f);
}

static void test_text_local(void **st)
{
	struct fx *f = setup_conf();
	(void)st;
	f->c.ut_text_mode = IGW_WSS_PW_LOCAL;
	compile(f);
	CASE(f->p, "ut_text.xml", NULL, "WSS-OK");
	CASE(f->p, "ut_text_badpw.xml", NULL, "WSS-UT-BAD-PASSWORD");
	CASE(f->p, "ut_noauth.xml", NULL, "WSS-UT-MALFORMED");
	done(f);
}

static void test_digest(void **st)
{
	struct fx *f = setup_conf();
	size_t len;
	char *buf;
	struct igw_wss_result *r;
	(void)st;
	compile(f);
	buf = fx_load("ut_digest.xml", &len);
	r = EXPECT(f->p, buf, len, NULL, "WSS-OK");
	assert_string_equal(igw_wss_result_user(r), "alice");
	assert_null(igw_wss_result_password(r));	/* never for digest */
	assert_true(igw_wss_result_token_age_ms(r) >= 0);
	igw_wss_result_free(r);
	/* the same envelope again: nonce replay */
	igw_wss_result_free(EXPECT(f->p, buf, len, NULL, "WSS-UT-NONCE-REPLAY"));
	free(buf);
	CASE(f->p, "ut_digest_ts.xml", NULL, "WSS-OK");
	CASE(f->p, "ut_digest_zulu.xml", NULL, "WSS-OK");
	CASE(f->p, "ut_digest_soap12.xml", NULL, "WSS-OK");
	CASE(f->p, "ut_digest_badpw.xml", NULL, "WSS-UT-BAD-PASSWORD");
	CASE(f->p, "ut_digest_unknown.xml", NULL, "WSS-UT-BAD-PASSWORD");
	CASE(f->p, "ut_digest_old.xml", NULL, "WSS-UT-EXPIRED");
	CASE(f->p, "ut_digest_future.xml", NULL, "WSS-UT-FUTURE");
	CASE(f->p, "ut_digest_ts_expired.xml", NULL, "WSS-TS-EXPIRED");
	CASE(f->p, "ut_digest_ts_future.xml", NULL, "WSS-TS-FUTURE");
	/* the past and future windows are separate knobs */
	f->c.ut_max_age_s = 7200;
	compile(f);
	CASE(f->p, "ut_digest_future.xml", NULL, "WSS-UT-FUTURE");
	CASE(f->p, "ut_digest_old.xml", NULL, "WSS-OK");
	f->c.ut_max_age_s = 300;
	f->c.ut_future_skew_s = 7200;
	compile(f);
	CASE(f->p, "ut_digest_future.xml", NULL, "WSS-OK");
	f->c.ts_past_skew_s = 3600;
	f->c.ts_future_skew_s = 3600;
	compile(f);
	CASE(f->p, "ut_digest_ts_expired.xml", NULL, "WSS-OK");
	CASE(f->p, "ut_digest_ts_future.xml", NULL, "WSS-OK");
	done(f);
}

/* The digest covers the exact Created string: the same instant written
 * differently ("+00:00" -> "Z") must fail. */
static void test_digest_exact_created(void **st)
{
	struct fx *f = setup_conf();
	size_t len;
	char *buf = fx_load("ut_digest.xml", &len), *p;
	(void)st;
	compile(f);
	p = strstr(buf, "+00:00</wsu:Created>");
	assert_non_null(p);
	memmove(p + 1, p + 6, strlen(p + 6) + 1);
	p[0] = 'Z';
	igw_wss_result_free(EXPECT(f->p, buf, strlen(buf), NULL, "WSS-UT-BAD-PASSWORD"));
	free(buf);
	/* a comment inside Username is refused, not dropped */
	buf = fx_load("ut_digest_ts.xml", &len);
	p = strstr(buf, ">alice<");
	assert_non_null(p);
	{
		char *m = malloc(len + 16);
		size_t at = (size_t)(p - buf) + 4;
		memcpy(m, buf, at);
		memcpy(m + at, "<!---->", 7);
		memcpy(m + at + 7, buf + at, len - at + 1);
		igw_wss_result_free(EXPECT(f->p, m, len + 7, NULL, "WSS-UT-MALFORMED"));
		free(m);
	}
	free(buf);
	done(f);
}

static void test_policy_knobs(void **st)
{
	struct fx *f = setup_conf();
	(void)st;
	f->c.ut_allow_digest = 0;
	compile(f);
	CASE(f->p, "ut_digest.xml", NULL, "WSS-UT-PASSWORD-TYPE");
	f->c.ut_allow_digest = 1;
	f->c.ut_allow_text = 0;
	compile(f);
	CASE(f->p, "ut_text.xml", NULL, "WSS-UT-PASSWORD-TYPE");
	f->c.ut_allow_text = 1;
	f->c.ut_nonce = IGW_WSS_REQUIRED;
	compile(f);
	CASE(f->p, "ut_text.xml", NULL, "WSS-UT-POLICY");
	f->c.ut_nonce = IGW_WSS_OPTIONAL;
	f->c.ut_created = IGW_WSS_REQUIRED;
	compile(f);
	CASE(f->p, "ut_text.xml", NULL, "WSS-UT-POLICY");
	f->c.ut_created = IGW_WSS_FORBIDDEN;
	compile(f);
	CASE(f->p, "ut_digest.xml", NULL, "WSS-UT-POLICY");
	f->c.ut_created = IGW_WSS_OPTIONAL;
	f->c.ut_nonce = IGW_WSS_FORBIDDEN;
	compile(f);
	CASE(f->p, "ut_digest.xml", NULL, "WSS-UT-POLICY");
	CASE(f->p, "ut_text.xml", NULL, "WSS-OK");
	f->c.ut_nonce = IGW_WSS_OPTIONAL;
	f->c.ts = IGW_WSS_REQUIRED;
	compile(f);
	CASE(f->p, "ut_digest.xml", NULL, "WSS-TS-MISSING");
	CASE(f->p, "ut_digest_ts.xml", NULL, "WSS-OK");
	f->c.ts = IGW_WSS_OPTIONAL;
	f->c.tokens = IGW_WSS_TOKEN_SAML20;
	f->c.truststore_pem = fx_cert("ca.crt");
	compile(f);
	CASE(f->p, "ut_text.xml", NULL, "WSS-TOKEN-UNSUPPORTED");
	CASE(f->p, "plain.xml", NULL, "WSS-SECURITY-MISSING");
	f->c.require_token = 0;
	compile(f);
	CASE(f->p, "plain.xml", NULL, "WSS-OK");
	/* certificate identity when no token is sent */
	f->c.allow_cert_identity = 1;
	compile(f);
	{
		struct igw_wss_request rq = { NULL, "CN=x,O=y", NULL, 0, 0 };
		size_t len;
		char *buf = fx_load("plain.xml", &len);
		struct igw_wss_result *r = EXPECT(f->p, buf, len, &rq, "WSS-OK");
		assert_int_equal(igw_wss_result_kind(r), IGW_WSS_KIND_CERT);
		assert_string_equal(igw_wss_result_user(r), "CN=x,O=y");
		igw_wss_result_free(r);
		free(buf);
	}
	done(f);
}

/* Every Nonce/Created presence policy against every combination present. */
static void test_presence_matrix(void **st)
{
	static const struct { const char *file; int nonce, created; } tok[] = {
		{ "ut_text.xml", 0, 0 }, { "ut_text_nonce.xml", 1, 0 },
		{ "ut_text_created.xml", 0, 1 }, { "ut_text_both.xml", 1, 1 },
	};
	static const enum igw_wss_presence pol[] = { IGW_WSS_OPTIONAL, IGW_WSS_REQUIRED, IGW_WSS_FORBIDDEN };
	int accepted = 0;
	(void)st;
	for (int n = 0; n < 3; n++) {
		for (int c = 0; c < 3; c++) {
			for (unsigned t = 0; t < sizeof(tok) / sizeof(tok[0]); t++) {
				struct fx *f = setup_conf();
				int ok_n = pol[n] == IGW_WSS_OPTIONAL || (pol[n] == IGW_WSS_REQUIRED) == tok[t].nonce;
				int ok_c = pol[c] == IGW_WSS_OPTIONAL || (pol[c] == IGW_WSS_REQUIRED) == tok[t].created;
				f->c.ut_text_mode = IGW_WSS_PW_LOCAL;
				f->c.ut_nonce = pol[n];
				f->c.ut_created = pol[c];
				compile(f);
				CASE(f->p, tok[t].file, NULL, ok_n && ok_c ? "WSS-OK" : "WSS-UT-POLICY");
				accepted += ok_n && ok_c;
				done(f);
			}
		}
	}
	assert_int_equal(accepted, 16);	/* 4 x 4 of the 36 combinations */
}

static void test_replay_store_needed(void **st)
{
	struct fx *f = setup_conf();
	struct igw_wss_replay *tiny;
	struct igw_wss_policy *p = NULL;
	char err[200];
	(void)st;
	f->c.replay = NULL;
	compile(f);
	CASE(f->p, "ut_digest.xml", NULL, "WSS-REPLAY-UNAVAILABLE");
	CASE(f->p, "ut_text.xml", NULL, "WSS-OK");	/* no nonce, no need */
	/* a full store refuses instead of forgetting a fresh nonce */
	tiny = igw_wss_replay_mem_new(1, 1);
	f->c.replay = tiny;
	compile(f);
	CASE(f->p, "ut_digest.xml", NULL, "WSS-OK");
	CASE(f->p, "ut_digest_ts.xml", NULL, "WSS-REPLAY-FULL");
	igw_wss_policy_free(f->p);
	f->p = NULL;
	igw_wss_replay_free(tiny);
	/* digest without a clear-password store is a configuration error */
	f->c.replay = f->replay;
	f->c.creds.get_password = NULL;
	assert_int_equal(igw_wss_policy_compile(&f->c, &p, err, sizeof(err)), IGW_ECONFIG);
	assert_null(p);
	assert_non_null(strstr(err, "PasswordDigest"));
	done(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_passthrough),
		cmocka_unit_test(test_text_local),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_digest_exact_created),
		cmocka_unit_test(test_policy_knobs),
		cmocka_unit_test(test_presence_matrix),
		cmocka_unit_test(test_replay_store_needed),
	};
	igw_log_setup(2, IGW_LOG_WARN, IGW_LOG_TEXT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
