/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Custom authentication module: the sample module, dlopen'ed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "imsgw/core.h"
#include "wss_test_util.h"

static void test_sample_module(void **st)
{
	struct igw_wss_policy_conf c;
	struct igw_wss_policy *p;
	struct igw_wss_replay *r = igw_wss_replay_mem_new(1, 64);
	(void)st;
	igw_wss_policy_conf_defaults(&c);
	c.service = "payroll";
	c.tokens = IGW_WSS_TOKEN_UT;
	c.creds = fx_creds;
	c.replay = r;
	c.module_path = WSS_SAMPLE_MODULE;
	c.module_arg = "bob,alice";
	p = fx_policy(&c);
	CASE(p, "ut_text.xml", NULL, "WSS-MODULE-DENIED");
	igw_wss_policy_free(p);
	c.module_arg = "bob,mallory,alic";	/* whole names only */
	p = fx_policy(&c);
	CASE(p, "ut_text.xml", NULL, "WSS-OK");
	igw_wss_policy_free(p);
	c.module_arg = "service:payroll";
	p = fx_policy(&c);
	CASE(p, "ut_text.xml", NULL, "WSS-MODULE-DENIED");
	/* the module runs after the built-in checks: a bad token never reaches it */
	c.ut_text_mode = IGW_WSS_PW_LOCAL;
	igw_wss_policy_free(p);
	p = fx_policy(&c);
	CASE(p, "ut_text_badpw.xml", NULL, "WSS-UT-BAD-PASSWORD");
	igw_wss_policy_free(p);
	igw_wss_replay_free(r);
}

static void test_bad_module(void **st)
{
	struct igw_wss_policy_conf c;
	struct igw_wss_policy *p = NULL;
	char err[300];
	(void)st;
	igw_wss_policy_conf_defaults(&c);
	c.tokens = IGW_WSS_TOKEN_UT;
	c.creds = fx_creds;
	c.module_path = "/nonexistent/module.so";
	assert_int_equal(igw_wss_policy_compile(&c, &p, err, sizeof(err)), IGW_ECONFIG);
	assert_null(p);
	assert_non_null(strstr(err, "cannot load module"));
	/* a shared object without the check symbol */
	c.module_path = "libc.so.6";
	assert_int_equal(igw_wss_policy_compile(&c, &p, err, sizeof(err)), IGW_ECONFIG);
	assert_non_null(strstr(err, "igw_wss_module_check"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_module),
		cmocka_unit_test(test_bad_module),
	};
	igw_log_setup(2, IGW_LOG_ERROR, IGW_LOG_TEXT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
