/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UsernameToken / Timestamp read while parsing (wss/src/capture.c): a Header
 * of Security blocks made only of such tokens is not built; anything else in
 * it makes the Header be built as before.  These envelopes are hand-made
 * variants of the zeep fixtures' shape (the fixtures cover the common case):
 * every boundary of the capture and of the deferred Header, and the tree the
 * gateway receives.
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
#include <libxml/tree.h>
#include "imsgw/core.h"
#include "wss_test_util.h"

#define S11 "http://schemas.xmlsoap.org/soap/envelope/"
#define S12 "http://www.w3.org/2003/05/soap-envelope"
#define WSSE "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
#define WSU "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
#define PWT "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"

#define ENV "<s:Envelope xmlns:s='" S11 "'>"
#define ENV12 "<s:Envelope xmlns:s='" S12 "'>"
#define SEC "<w:Security xmlns:w='" WSSE "' xmlns:u='" WSU "'>"
#define UT(user) "<w:UsernameToken><w:Username>" user "</w:Username><w:Password>pw</w:Password></w:UsernameToken>"
#define BODY "<s:Body><x:Q xmlns:x='urn:x'>42</x:Q></s:Body>"
#define END "</s:Envelope>"

static struct igw_wss_replay *replay;

static struct igw_wss_policy *policy(const char *actor, int ts_required)
{
	struct igw_wss_policy_conf c;
	igw_wss_policy_conf_defaults(&c);
	c.service = "test-capture";
	c.tokens = IGW_WSS_TOKEN_UT;
	c.replay = replay;
	c.actor = actor;
	if (ts_required)
		c.ts = IGW_WSS_REQUIRED;
	return fx_policy(&c);
}

/* Verify s; check the reason and, on success, the user. */
static struct igw_wss_result *run(const struct igw_wss_policy *p, const char *s, const char *reason,
                                  const char *user, int line)
{
	struct igw_wss_result *r = fx_expect(p, s, strlen(s), NULL, reason, __FILE__, line);
	if (user)
		assert_string_equal(igw_wss_result_user(r), user);
	return r;
}
#define RUN(p, s, reason, user) igw_wss_result_free(run(p, s, reason, user, __LINE__))

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
			break;
	return n;
}

static void test_plain(void **st)
{
	struct igw_wss_policy *p = policy(NULL, 0);
	struct igw_wss_result *r;
	xmlChar *t;
	(void)st;
	/* the common case: no Header in the tree, the Body intact */
	r = run(p, ENV "<s:Header>" SEC UT("alice") "</w:Security></s:Header>" BODY END, "WSS-OK",
	        "alice", __LINE__);
	assert_string_equal(igw_wss_result_password(r), "pw");
	t = xmlNodeGetContent(igw_wss_result_body(r));
	assert_string_equal((const char *)t, "42");
	xmlFree(t);
	igw_wss_result_free(r);
	/* whitespace and comments between the blocks are fine */
	RUN(p, ENV "\n <s:Header>\n <!-- c -->" SEC "\n " UT("alice") "\n<!-- c --></w:Security>\n</s:Header>\n"
	       BODY END, "WSS-OK", "alice");
	RUN(p, ENV12 "<s:Header>" SEC UT("alice") "</w:Security></s:Header>" BODY END, "WSS-OK", "alice");
	/* a UsernameToken in the Body is data, not ours: kept whole */
	r = run(p, ENV "<s:Header>" SEC UT("alice") "</w:Security></s:Header><s:Body>" SEC UT("inner")
	           "</w:Security></s:Body>" END, "WSS-OK", "alice", __LINE__);
	t = xmlNodeGetContent(igw_wss_result_body(r));
	assert_string_equal((const char *)t, "innerpw");
	xmlFree(t);
	igw_wss_result_free(r);
	igw_wss_policy_free(p);
}

/* Anything but tokens in the Header: it is built, in order. */
static void test_built_header(void **st)
{
	struct igw_wss_policy *p = policy(NULL, 0);
	struct igw_wss_result *r;
	xmlNodePtr h, sec;
	(void)st;
	r = run(p, ENV "<s:Header>" SEC UT("alice") "</w:Security><a:MessageID xmlns:a='urn:wsa'>m1"
	           "</a:MessageID></s:Header>" BODY END, "WSS-OK", "alice", __LINE__);
	h = child(xmlDocGetRootElement(igw_wss_result_doc(r)), "Header");
	assert_non_null(h);
	sec = child(h, "Security");
	assert_non_null(sec);
	assert_non_null(child(sec, "UsernameToken"));
	assert_null(child(child(sec, "UsernameToken"), "Password"));	/* never in the tree */
	assert_non_null(child(h, "MessageID"));
	assert_ptr_equal(sec->next, child(h, "MessageID"));
	igw_wss_result_free(r);
	r = run(p, ENV "<s:Header><a:MessageID xmlns:a='urn:wsa'>m1</a:MessageID>" SEC UT("alice")
	           "</w:Security></s:Header>" BODY END, "WSS-OK", "alice", __LINE__);
	h = child(xmlDocGetRootElement(igw_wss_result_doc(r)), "Header");
	assert_non_null(child(h, "MessageID"));
	assert_non_null(child(child(h, "Security"), "UsernameToken"));
	igw_wss_result_free(r);
	/* a mustUnderstand block we do not process, before or after */
	RUN(p, ENV "<s:Header>" SEC UT("alice") "</w:Security><x:H xmlns:x='urn:x' s:mustUnderstand='1'/>"
	       "</s:Header>" BODY END, "WSS-MUST-UNDERSTAND", NULL);
	RUN(p, ENV "<s:Header><x:H xmlns:x='urn:x' s:mustUnderstand='1'/>" SEC UT("alice")
	       "</w:Security></s:Header>" BODY END, "WSS-MUST-UNDERSTAND", NULL);
	/* text, a PI, another token kind in the Security block */
	RUN(p, ENV "<s:Header>" SEC "junk" UT("alice") "</w:Security></s:Header>" BODY END,
	    "WSS-SECURITY-MALFORMED", NULL);
	RUN(p, ENV "<s:Header>" SEC UT("alice") "junk</w:Security></s:Header>" BODY END,
	    "WSS-SECURITY-MALFORMED", NULL);
	RUN(p, ENV "<s:Header><?pi x?>" SEC UT("alice") "</w:Security></s:Header>" BODY END, "WSS-OK",
	    "alice");
	RUN(p, ENV "<s:Header>" SEC UT("alice") "<w:BinarySecurityToken>AA==</w:BinarySecurityToken>"
	       "</w:Security></s:Header>" BODY END, "WSS-TOKEN-UNSUPPORTED", NULL);
	RUN(p, ENV "<s:Header>" SEC UT("alice") UT("bob") "</w:Security></s:Header>" BODY END,
	    "WSS-TOKEN-MULTIPLE", NULL);
	/* an ID on a token: built at once, registered like any other */
	RUN(p, ENV "<s:Header>" SEC "<w:UsernameToken u:Id='t1'><w:Username>alice</w:Username>"
	       "<w:Password>pw</w:Password></w:UsernameToken></w:Security></s:Header>" BODY END,
	    "WSS-OK", "alice");
	RUN(p, ENV "<s:Header>" SEC "<w:UsernameToken u:Id='dup'><w:Username>alice</w:Username>"
	       "<w:Password>pw</w:Password></w:UsernameToken></w:Security></s:Header>"
	       "<s:Body><x:Q xmlns:x='urn:x' Id='dup'/></s:Body>" END, "WSS-DUPLICATE-ID", NULL);
	/* an attribute value the parser leaves a reference in: built at once */
	igw_wss_policy_free(p);
	p = policy("urn:a&b", 0);
	RUN(p, ENV "<s:Header>" SEC UT("bob") "</w:Security>"
	       "<w:Security xmlns:w='" WSSE "' s:actor='urn:a&amp;b'>" UT("alice") "</w:Security>"
	       "</s:Header>" BODY END, "WSS-SECURITY-MULTIPLE", NULL);
	RUN(p, ENV "<s:Header><w:Security xmlns:w='" WSSE "' s:actor='urn:other'>" UT("bob") "</w:Security>"
	       "<w:Security xmlns:w='" WSSE "' s:actor='urn:a&amp;b'>" UT("alice") "</w:Security>"
	       "</s:Header>" BODY END, "WSS-OK", "alice");
	igw_wss_policy_free(p);
}

/* Header blocks that are not built: targeting, mustUnderstand, order. */
static void test_blocks(void **st)
{
	struct igw_wss_policy *p = policy("urn:us", 0);
	(void)st;
	RUN(p, ENV "<s:Header><w:Security xmlns:w='" WSSE "' s:actor='urn:other'>" UT("bob") "</w:Security>"
	       SEC UT("alice") "</w:Security></s:Header>" BODY END, "WSS-OK", "alice");
	RUN(p, ENV "<s:Header><w:Security xmlns:w='" WSSE "' s:actor='urn:us'>" UT("carol") "</w:Security>"
	       "<w:Security xmlns:w='" WSSE "' s:actor='urn:other'>" UT("bob") "</w:Security></s:Header>"
	       BODY END, "WSS-OK", "carol");
	RUN(p, ENV "<s:Header><w:Security xmlns:w='" WSSE "' s:actor='urn:other'>" UT("bob") "</w:Security>"
	       "</s:Header>" BODY END, "WSS-SECURITY-MISSING", NULL);
	RUN(p, ENV "<s:Header>" SEC UT("alice") "</w:Security>" SEC UT("bob") "</w:Security></s:Header>"
	       BODY END, "WSS-SECURITY-MULTIPLE", NULL);
	RUN(p, ENV "<s:Header><w:Security xmlns:w='" WSSE "' s:mustUnderstand='2'>" UT("alice")
	       "</w:Security></s:Header>" BODY END, "WSS-SOAP-STRUCTURE", NULL);
	RUN(p, ENV "<s:Header><w:Security xmlns:w='" WSSE "' s:mustUnderstand='1'>" UT("alice")
	       "</w:Security></s:Header>" BODY END, "WSS-OK", "alice");
	RUN(p, ENV12 "<s:Header><w:Security xmlns:w='" WSSE "' s:mustUnderstand='true' "
	         "s:role='http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver'>" UT("alice")
	         "</w:Security></s:Header>" BODY END, "WSS-OK", "alice");
	RUN(p, ENV "<s:Header/>" BODY END, "WSS-SECURITY-MISSING", NULL);
	RUN(p, ENV "<s:Header>" SEC "</w:Security></s:Header>" BODY END, "WSS-TOKEN-MISSING", NULL);
	/* the Header out of place or twice */
	RUN(p, ENV BODY "<s:Header>" SEC UT("alice") "</w:Security></s:Header>" END, "WSS-SOAP-STRUCTURE",
	    NULL);
	RUN(p, ENV "<s:Header>" SEC UT("alice") "</w:Security></s:Header><s:Header/>" BODY END,
	    "WSS-SOAP-STRUCTURE", NULL);
	RUN(p, ENV "<s:Header>" SEC UT("alice") "</w:Security></s:Header>" END, "WSS-SOAP-STRUCTURE", NULL);
	/* a Security block of another namespace or level is not a token holder */
	RUN(p, ENV "<s:Header><x:H xmlns:x='urn:x'>" SEC UT("alice") "</w:Security></x:H></s:Header>" BODY END,
	    "WSS-SECURITY-MISSING", NULL);
	igw_wss_policy_free(p);
}

/* The inside of a token: text only, what libxml2 decodes, limits. */
static void test_token_content(void **st)
{
	struct igw_wss_policy *p = policy(NULL, 0);
	char *big = malloc(4096), *deep = malloc(4096);
	char user[1100];
	size_t n = 0;
	(void)st;
	RUN(p, ENV "<s:Header>" SEC UT("<![CDATA[al]]>ice") "</w:Security></s:Header>" BODY END, "WSS-OK",
	    "alice");
	RUN(p, ENV "<s:Header>" SEC UT("&#97;l&#x69;ce") "</w:Security></s:Header>" BODY END, "WSS-OK",
	    "alice");
	RUN(p, ENV "<s:Header>" SEC UT("a&amp;b") "</w:Security></s:Header>" BODY END, "WSS-OK", "a&b");
	RUN(p, ENV "<s:Header>" SEC UT("al<!-- x -->ice") "</w:Security></s:Header>" BODY END,
	    "WSS-UT-MALFORMED", NULL);
	RUN(p, ENV "<s:Header>" SEC UT("al<?pi x?>ice") "</w:Security></s:Header>" BODY END,
	    "WSS-UT-MALFORMED", NULL);
	RUN(p, ENV "<s:Header>" SEC UT("al<b>i</b>ce") "</w:Security></s:Header>" BODY END,
	    "WSS-UT-MALFORMED", NULL);
	RUN(p, ENV "<s:Header>" SEC UT("") "</w:Security></s:Header>" BODY END, "WSS-UT-MALFORMED", NULL);
	/* attribute values as the tree would hold them */
	RUN(p, ENV "<s:Header>" SEC "<w:UsernameToken><w:Username>alice</w:Username><w:Password "
	       "Type='http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0&#x23;"
	       "PasswordText'>pw</w:Password></w:UsernameToken></w:Security></s:Header>" BODY END,
	    "WSS-OK", "alice");
	RUN(p, ENV "<s:Header>" SEC "<w:UsernameToken><w:Username>alice</w:Username><w:Password "
	       "Type='" PWT "&amp;x'>pw</w:Password></w:UsernameToken></w:Security></s:Header>" BODY END,
	    "WSS-UT-PASSWORD-TYPE", NULL);
	RUN(p, ENV "<s:Header>" SEC "<w:UsernameToken><w:Username>alice</w:Username><w:Password "
	       "u:Type='x'>pw</w:Password></w:UsernameToken></w:Security></s:Header>" BODY END,
	    "WSS-OK", "alice");	/* a namespaced Type is not the Type */
	/* IDs inside a token count against the whole document */
	RUN(p, ENV "<s:Header>" SEC "<w:UsernameToken><w:Username u:Id='d'>alice</w:Username>"
	       "<w:Password>pw</w:Password></w:UsernameToken></w:Security></s:Header>"
	       "<s:Body><x:Q xmlns:x='urn:x' ID='d'/></s:Body>" END, "WSS-DUPLICATE-ID", NULL);
	RUN(p, ENV "<s:Header>" SEC "<w:UsernameToken><w:Username u:Id='d'>alice</w:Username>"
	       "<w:Password xml:id='d'>pw</w:Password></w:UsernameToken></w:Security></s:Header>" BODY END,
	    "WSS-DUPLICATE-ID", NULL);
	RUN(p, ENV "<s:Header>" SEC "<w:UsernameToken><w:Username u:Id=''>alice</w:Username>"
	       "<w:Password>pw</w:Password></w:UsernameToken></w:Security></s:Header>" BODY END,
	    "WSS-PARSE", NULL);
	/* a field at its limit and past it */
	memset(user, 'u', IGW_WSS_FIELD_MAX);
	user[IGW_WSS_FIELD_MAX] = '\0';
	snprintf(big, 4096, ENV "<s:Header>" SEC UT("%s") "</w:Security></s:Header>" BODY END, user);
	RUN(p, big, "WSS-OK", user);
	snprintf(big, 4096, ENV "<s:Header>" SEC UT("%sX") "</w:Security></s:Header>" BODY END, user);
	RUN(p, big, "WSS-UT-MALFORMED", NULL);
	/* more children than kept, more tokens than kept, nesting past the limit */
	n = (size_t)snprintf(big, 4096, ENV "<s:Header>" SEC "<w:UsernameToken>");
	for (int i = 0; i < (int)IGW_WSS_TOKEN_CHILDREN_MAX + 1; i++)
		n += (size_t)snprintf(big + n, 4096 - n, "<w:Username>alice</w:Username>");
	snprintf(big + n, 4096 - n, "<w:Password>pw</w:Password></w:UsernameToken></w:Security></s:Header>"
	         BODY END);
	RUN(p, big, "WSS-UT-MALFORMED", NULL);
	n = (size_t)snprintf(big, 4096, ENV "<s:Header>" SEC);
	for (int i = 0; i < (int)IGW_WSS_TOKENS_MAX + 1; i++)
		n += (size_t)snprintf(big + n, 4096 - n, "<u:Timestamp><u:Created>x</u:Created></u:Timestamp>");
	snprintf(big + n, 4096 - n, UT("alice") "</w:Security></s:Header>" BODY END);
	RUN(p, big, "WSS-LIMIT", NULL);
	n = (size_t)snprintf(deep, 4096, ENV "<s:Header>" SEC "<w:UsernameToken><w:Username>");
	for (int i = 0; i < (int)IGW_WSS_DEPTH_MAX; i++)
		n += (size_t)snprintf(deep + n, 4096 - n, "<a>");
	for (int i = 0; i < (int)IGW_WSS_DEPTH_MAX; i++)
		n += (size_t)snprintf(deep + n, 4096 - n, "</a>");
	snprintf(deep + n, 4096 - n, "</w:Username><w:Password>pw</w:Password></w:UsernameToken>"
	         "</w:Security></s:Header>" BODY END);
	RUN(p, deep, "WSS-LIMIT", NULL);
	free(big);
	free(deep);
	igw_wss_policy_free(p);
}

static void test_timestamp(void **st)
{
	struct igw_wss_policy *p = policy(NULL, 1);
	char env[2048], now[32], later[32];
	time_t t = time(NULL);
	struct tm tm;
	(void)st;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	t += 300;
	gmtime_r(&t, &tm);
	strftime(later, sizeof(later), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(env, sizeof(env), ENV "<s:Header>" SEC "<u:Timestamp><u:Created>%s</u:Created>"
	         "<u:Expires>%s</u:Expires></u:Timestamp>" UT("alice") "</w:Security></s:Header>" BODY END,
	         now, later);
	RUN(p, env, "WSS-OK", "alice");
	snprintf(env, sizeof(env), ENV "<s:Header>" SEC "<u:Timestamp><u:Expires>%s</u:Expires>"
	         "<u:Created>%s</u:Created></u:Timestamp>" UT("alice") "</w:Security></s:Header>" BODY END,
	         later, now);
	RUN(p, env, "WSS-TS-MALFORMED", NULL);
	snprintf(env, sizeof(env), ENV "<s:Header>" SEC "<u:Timestamp><u:Created>%s</u:Created>"
	         "</u:Timestamp><u:Timestamp><u:Created>%s</u:Created></u:Timestamp>" UT("alice")
	         "</w:Security></s:Header>" BODY END, now, now);
	RUN(p, env, "WSS-TS-MALFORMED", NULL);
	RUN(p, ENV "<s:Header>" SEC UT("alice") "</w:Security></s:Header>" BODY END, "WSS-TS-MISSING", NULL);
	igw_wss_policy_free(p);
}

/* The thread's parser context is replaced once its dictionary holds more
 * than 4 096 names (parse.c; four times here); the tokens must still be read
 * afterwards (the capture interns its names in the new dictionary, whatever
 * its address). */
static void test_dictionary_replaced(void **st)
{
	struct igw_wss_policy *p = policy(NULL, 0);
	char *env = malloc(1 << 16);
	(void)st;
	for (int round = 0; round < 3; round++) {
		for (int d = 0; d < 60; d++) {
			size_t n = (size_t)snprintf(env, 1 << 16, ENV "<s:Header>" SEC UT("alice")
			                            "</w:Security></s:Header><s:Body><x:Q xmlns:x='urn:x'>");
			for (int i = 0; i < 100; i++)
				n += (size_t)snprintf(env + n, (1 << 16) - n, "<n%d_%d_%d/>", round, d, i);
			snprintf(env + n, (1 << 16) - n, "</x:Q></s:Body>" END);
			RUN(p, env, "WSS-OK", "alice");
		}
	}
	free(env);
	igw_wss_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_built_header),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_token_content),
		cmocka_unit_test(test_timestamp),
		cmocka_unit_test(test_dictionary_replaced),
	};
	int rc;
	replay = igw_wss_replay_mem_new(4, 4096);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	igw_wss_replay_free(replay);
	return rc;
}
