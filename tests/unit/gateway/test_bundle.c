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
#include "bundle.h"
#include "site.h"

static char dir[] = "/tmp/igw-bundle-XXXXXX";
static char msgs[16384];

static void sink(void *ctx, const char *m)
{
	(void)ctx;
	strncat(msgs, m, sizeof(msgs) - strlen(msgs) - 2);
	strcat(msgs, "\n");
}

static void put(const char *name, const char *text, mode_t mode)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static int load_one(const char *xml, struct igw_bundle_set *set)
{
	char path[256];
	struct igw_conf_errors e = { "?", 0, sink, NULL };
	put("b.xml", xml, 0644);
	snprintf(path, sizeof(path), "%s/b.xml", dir);
	msgs[0] = 0;
	return igw_bundle_load_file(path, &e, set);
}

static int setup(void **state)
{
	assert_non_null(mkdtemp(dir));
	put("pw", "secret1\n", 0600);
	put("pw-open", "secret1\n", 0644);
	put("pw-long", "123456789\n", 0600);
	put("pt.key", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n", 0600);
	put("pt-legacy.key", "E001193519561977\n", 0600);
	put("pt-open.key", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n", 0644);
	put("ca.pem", "-----BEGIN CERTIFICATE-----\n", 0644);
	put("client.key", "-----BEGIN PRIVATE KEY-----\n", 0600);
	put("client.crt", "-----BEGIN CERTIFICATE-----\n", 0644);
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

#define HEAD "<?xml version=\"1.0\"?>\n<bundle xmlns=\"urn:imsgw:config:1\" name=\"ivtno\">\n"

static void full_bundle(void **state)
{
	struct igw_bundle_set set = { 0 };
	int rc = load_one(HEAD
		"<imsConnect host=\"ims.example.com\" port=\"9999\" datastore=\"ims1\" clientIdPrefix=\"gw\" exit=\"HWSSMPL0\" irmCodePage=\"ASCII\">\n"
		"  <tls truststore=\"ca.pem\" certificate=\"client.crt\" key=\"client.key\" serverName=\"ims\"/>\n"
		"  <pool size=\"4\" waitMs=\"250\" idlePingMs=\"30000\"/>\n"
		"  <timeouts connectMs=\"1500\" executionMs=\"7000\"/>\n"
		"  <interaction commitMode=\"0\" syncLevel=\"confirm\"/>\n"
		"</imsConnect>\n"
		"<credentials user=\"imsuser\" group=\"grp1\" passwordFile=\"pw\"/>\n"
		"<passTicket application=\"imsappl\" keyFile=\"pt.key\" algorithm=\"mixed\"/>\n"
		"</bundle>\n", &set);
	assert_string_equal(msgs, "");
	assert_int_equal(rc, IGW_OK);
	assert_int_equal(set.count, 1);
	const struct igw_bundle *b = igw_bundle_find(&set, "ivtno");
	assert_non_null(b);
	assert_string_equal(b->ep.host, "ims.example.com");
	assert_int_equal(b->ep.port, 9999);
	assert_string_equal(b->ep.datastore, "IMS1");		/* upper-cased */
	assert_string_equal(b->ep.clientid_prefix, "GW");
	assert_int_equal(b->ep.exit, IMSC_EXIT_SAMPLE);
	assert_int_equal(b->ep.cp, IMSC_CP_ASCII);
	assert_true(b->ep.tls.enabled);
	assert_non_null(strstr(b->ep.tls.ca_file, "/ca.pem"));
	assert_string_equal(b->ep.tls.server_name, "ims");
	assert_false(b->ep.tls.no_verify_host);
	assert_int_equal(b->ep.pool_max, 4);
	assert_int_equal(b->pool_wait_ms, 250);
	assert_int_equal(b->ep.idle_ping_ms, 30000);
	assert_int_equal(b->ep.connect_ms, 1500);
	assert_int_equal(b->execution_ms, 7000);
	assert_int_equal(b->commit_mode, 0);
	assert_true(b->sync_confirm);
	assert_string_equal(b->user, "IMSUSER");
	assert_string_equal(b->group, "GRP1");
	assert_string_equal(b->password, "secret1");		/* newline stripped */
	assert_true(b->has_passticket);
	assert_string_equal(b->pt_application, "IMSAPPL");
	assert_int_equal(b->pt_type, IMSC_PT_ENHANCED_MIXED);
	assert_int_equal(b->pt_keylen, 32);
	assert_null(igw_bundle_find(&set, "other"));
	/* the same name twice is refused, naming the first definition */
	rc = load_one(HEAD "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"/></bundle>\n", &set);
	assert_int_equal(rc, IGW_ECONFIG);
	assert_non_null(strstr(msgs, "b.xml:2: bundle 'ivtno' already defined in"));
	free(set.bundles[0].name);
	set.bundles[0].name = strdup("renamed");
	rc = load_one(HEAD "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"/></bundle>\n", &set);
	assert_int_equal(rc, IGW_OK);
	assert_int_equal(set.count, 2);
	/* defaults */
	b = igw_bundle_find(&set, "ivtno");
	assert_int_equal(b->ep.pool_max, 8);
	assert_int_equal(b->execution_ms, 10000);
	assert_int_equal(b->commit_mode, 1);
	assert_false(b->sync_confirm);
	assert_false(b->ep.tls.enabled);
	assert_false(b->has_credentials);
	assert_string_equal(b->ep.clientid_prefix, "IGW");
	/* pointers into bundles survive the array growing */
	b = igw_bundle_find(&set, "renamed");
	assert_string_equal(b->ep.host, "ims.example.com");
	igw_bundles_clear(&set);
}

struct bad { const char *body; const char *expect; };

static void refusals(void **state)
{
	static const struct bad cases[] = {
		{ "<imsConnect host=\"h\" port=\"0\" datastore=\"D\"/>", "b.xml:3: Element '{urn:imsgw:config:1}imsConnect', attribute 'port'" },
		{ "<imsConnect host=\"h\" port=\"1\"/>", "b.xml:3: Element '{urn:imsgw:config:1}imsConnect': The attribute 'datastore' is required" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"TOOLONGDS\"/>", "b.xml:3: Element '{urn:imsgw:config:1}imsConnect', attribute 'datastore'" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\" clientIdPrefix=\"HWS1\"/>", "b.xml:3: clientIdPrefix must not start with HWS" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"><pool size=\"999\"/></imsConnect>", "b.xml:3: Element '{urn:imsgw:config:1}pool', attribute 'size'" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"><tls truststore=\"nope.pem\"/></imsConnect>", "b.xml:3: truststore" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"><tls truststore=\"ca.pem\" certificate=\"client.crt\"/></imsConnect>", "b.xml:3: tls: certificate and key go together" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"><tls truststore=\"ca.pem\" certificate=\"client.crt\" key=\"ca.pem\"/></imsConnect>", "accessible by group or others" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"/>\n<credentials user=\"u\" passwordFile=\"pw-open\"/>", "b.xml:4: passwordFile" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"/>\n<credentials user=\"u\" passwordFile=\"pw-long\"/>", "1-8 characters (found 9)" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"/>\n<credentials user=\"u\" passwordFile=\"missing\"/>", "b.xml:4: passwordFile" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"/>\n<credentials user=\"bad user\"/>", "b.xml:4: Element '{urn:imsgw:config:1}credentials', attribute 'user'" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"/>\n<passTicket application=\"A\" keyFile=\"pt-open.key\"/>", "b.xml:4: keyFile" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"/>\n<passTicket application=\"A\" keyFile=\"pt-legacy.key\"/>", "an enhanced PassTicket key is 32..64 bytes, found 8" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"/>\n<passTicket application=\"A\" keyFile=\"pt.key\" algorithm=\"legacy\"/>", "a legacy PassTicket key is 8 bytes, found 32" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\"/>\n<mystery/>", "b.xml:4: Element '{urn:imsgw:config:1}mystery': This element is not expected" },
		{ "<imsConnect host=\"h\" port=\"1\" datastore=\"D\">", "b.xml:" },	/* not well-formed */
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct igw_bundle_set set = { 0 };
		char xml[2048];
		snprintf(xml, sizeof(xml), HEAD "%s\n</bundle>\n", cases[i].body);
		int rc = load_one(xml, &set);
		if (rc != IGW_ECONFIG || !strstr(msgs, cases[i].expect))
			fail_msg("case %u: rc %d, messages:\n%s\nexpected: %s", i, rc, msgs, cases[i].expect);
		assert_int_equal(set.count, 0);
		igw_bundles_clear(&set);
	}
}

static void doctype_and_entities_refused(void **state)
{
	struct igw_bundle_set set = { 0 };
	int rc = load_one("<?xml version=\"1.0\"?>\n<!DOCTYPE bundle [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	                  "<bundle xmlns=\"urn:imsgw:config:1\" name=\"&x;\"><imsConnect host=\"h\" port=\"1\" datastore=\"D\"/></bundle>\n",
	                  &set);
	assert_int_equal(rc, IGW_ECONFIG);
	assert_non_null(strstr(msgs, "DOCTYPE is not allowed"));
	assert_null(strstr(msgs, "root:"));
}

static void folder_loading(void **state)
{
	char sub[300], path[400];
	struct igw_conf_errors e = { "imsgw.conf", 0, sink, NULL };
	struct igw_site *set = NULL;
	snprintf(sub, sizeof(sub), "%s/bundles", dir);
	mkdir(sub, 0755);
	snprintf(path, sizeof(path), "%s/a.xml", sub);
	FILE *f = fopen(path, "w");
	fputs("<bundle xmlns=\"urn:imsgw:config:1\" name=\"a\"><imsConnect host=\"h\" port=\"1\" datastore=\"D\"/></bundle>", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/b.xml", sub);
	f = fopen(path, "w");
	fputs("<bundle xmlns=\"urn:imsgw:config:1\" name=\"b\"><imsConnect host=\"h\" port=\"2\" datastore=\"D\"/></bundle>", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/notes.txt", sub);
	f = fopen(path, "w");
	fputs("ignored", f);
	fclose(f);
	msgs[0] = 0;
	assert_int_equal(igw_site_load(sub, &e, &set), IGW_OK);
	assert_int_equal(set->bundles.count, 2);
	assert_int_equal(igw_bundle_find(&set->bundles, "b")->ep.port, 2);
	igw_site_free(set);
	/* two broken files: both reported, nothing returned */
	snprintf(path, sizeof(path), "%s/c.xml", sub);
	f = fopen(path, "w");
	fputs("<bundle xmlns=\"urn:imsgw:config:1\" name=\"a\"><imsConnect host=\"h\" port=\"3\" datastore=\"D\"/></bundle>", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/d.xml", sub);
	f = fopen(path, "w");
	fputs("<bundle/>", f);
	fclose(f);
	assert_int_equal(igw_site_load(sub, &e, &set), IGW_ECONFIG);
	assert_null(set);
	assert_non_null(strstr(msgs, "c.xml:1: bundle 'a' already defined"));
	assert_non_null(strstr(msgs, "d.xml:1: Element 'bundle'"));
	msgs[0] = 0;
	assert_int_equal(igw_site_load("/nonexistent", &e, &set), IGW_ECONFIG);
	assert_non_null(strstr(msgs, "bundles folder /nonexistent"));
}

static void racf_names(void **state)
{
	char out[IMSC_NAME_BUF];
	assert_true(igw_racf_name_valid("A"));
	assert_true(igw_racf_name_valid("@#$az09Z"));
	assert_false(igw_racf_name_valid(""));
	assert_false(igw_racf_name_valid("ABCDEFGHI"));
	assert_false(igw_racf_name_valid("A B"));
	assert_false(igw_racf_name_valid("A-B"));
	assert_false(igw_racf_name_valid(NULL));
	assert_int_equal(igw_racf_name_norm("ims@usr1", out), IGW_OK);
	assert_string_equal(out, "IMS@USR1");
	assert_int_equal(igw_racf_name_norm("bad!", out), IGW_EINVAL);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_bundle),
		cmocka_unit_test(refusals),
		cmocka_unit_test(doctype_and_entities_refused),
		cmocka_unit_test(folder_loading),
		cmocka_unit_test(racf_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
