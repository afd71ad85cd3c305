/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Safe parsing, SOAP structure, header targeting, mustUnderstand, limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libxml/tree.h>
#include "imsgw/core.h"
#include "wss_test_util.h"

/* internal (wss/src/timestamp.c, wss/src/verify.c), tested directly */
int wss_parse_datetime(const char *s, int64_t *ms);
int wss_b64_decode(const char *in, uint8_t *out, size_t outmax, size_t *n);

#define S11 "http://schemas.xmlsoap.org/soap/envelope/"
#define S12 "http://www.w3.org/2003/05/soap-envelope"

static struct igw_wss_policy *policy(int require, const char *const *understood)
{
	struct igw_wss_policy_conf c;
	igw_wss_policy_conf_defaults(&c);
	c.tokens = IGW_WSS_TOKEN_UT;
	c.require_token = require;
	c.understood_headers = understood;
	return fx_policy(&c);
}

static void str(const struct igw_wss_policy *p, const char *xml, const char *reason, int line)
{
	igw_wss_result_free(fx_expect(p, xml, strlen(xml), NULL, reason, "inline", line));
}
#define STR(p, xml, reason) str(p, xml, reason, __LINE__)

static void test_fixtures(void **st)
{
	struct igw_wss_policy *p = policy(1, NULL);
	(void)st;
	CASE(p, "ut_text.xml", NULL, "WSS-OK");
	CASE(p, "doctype.xml", NULL, "WSS-DTD");
	CASE(p, "xxe.xml", NULL, "WSS-DTD");
	CASE(p, "must_understand.xml", NULL, "WSS-MUST-UNDERSTAND");
	CASE(p, "must_understand_other_actor.xml", NULL, "WSS-OK");
	CASE(p, "two_security.xml", NULL, "WSS-SECURITY-MULTIPLE");
	CASE(p, "deep.xml", NULL, "WSS-LIMIT");
	CASE(p, "not_soap.xml", NULL, "WSS-SOAP-STRUCTURE");
	igw_wss_policy_free(p);
	{
		static const char *const u[] = { "{urn:unknown}Unknown", NULL };
		p = policy(1, u);
		CASE(p, "must_understand.xml", NULL, "WSS-OK");
		igw_wss_policy_free(p);
	}
}

static void test_structure(void **st)
{
	struct igw_wss_policy *p = policy(0, NULL);
	(void)st;
	STR(p, "<e:Envelope xmlns:e='" S11 "'><e:Body/></e:Envelope>", "WSS-OK");
	STR(p, "<e:Envelope xmlns:e='" S12 "'><e:Header/><e:Body/></e:Envelope>", "WSS-OK");
	STR(p, "", "WSS-PARSE");
	STR(p, "not xml at all", "WSS-PARSE");
	STR(p, "<e:Envelope xmlns:e='" S11 "'><e:Body>&undefined;</e:Body></e:Envelope>", "WSS-PARSE");
	STR(p, "<e:Envelope xmlns:e='" S11 "'><e:Body/>", "WSS-PARSE");
	STR(p, "<e:Envelope xmlns:e='" S11 "'></e:Envelope>", "WSS-SOAP-STRUCTURE");
	STR(p, "<e:Envelope xmlns:e='" S11 "'><e:Body/><e:Body/></e:Envelope>", "WSS-SOAP-STRUCTURE");
	STR(p, "<e:Envelope xmlns:e='" S11 "'><e:Body/><e:Header/></e:Envelope>", "WSS-SOAP-STRUCTURE");
	STR(p, "<e:Envelope xmlns:e='" S11 "'>text<e:Body/></e:Envelope>", "WSS-SOAP-STRUCTURE");
	STR(p, "<e:Envelope xmlns:e='" S11 "'><?pi x?><e:Body/></e:Envelope>", "WSS-SOAP-STRUCTURE");
	STR(p, "<e:Envelope xmlns:e='" S12 "'><e:Header><x:H xmlns:x='urn:x' e:mustUnderstand='true'/>"
	       "</e:Header><e:Body/></e:Envelope>", "WSS-MUST-UNDERSTAND");
	STR(p, "<e:Envelope xmlns:e='" S12 "'><e:Header><x:H xmlns:x='urn:x' e:mustUnderstand='false'/>"
	       "</e:Header><e:Body/></e:Envelope>", "WSS-OK");
	STR(p, "<e:Envelope xmlns:e='" S12 "'><e:Header><x:H xmlns:x='urn:x' e:mustUnderstand='true' "
	       "e:role='http://www.w3.org/2003/05/soap-envelope/role/next'/></e:Header><e:Body/></e:Envelope>",
	    "WSS-MUST-UNDERSTAND");
	STR(p, "<e:Envelope xmlns:e='" S11 "'><e:Header><x:H xmlns:x='urn:x' e:mustUnderstand='true'/>"
	       "</e:Header><e:Body/></e:Envelope>", "WSS-SOAP-STRUCTURE");
	/* an old-namespace Security header with mustUnderstand is not ours */
	STR(p, "<e:Envelope xmlns:e='" S11 "'><e:Header><w:Security e:mustUnderstand='1' "
	       "xmlns:w='http://schemas.xmlsoap.org/ws/2002/07/secext'/></e:Header><e:Body/></e:Envelope>",
	    "WSS-MUST-UNDERSTAND");
	STR(p, "<e:Envelope xmlns:e='" S11 "'><e:Header><w:Security xmlns:w='http://docs.oasis-open.org/wss/"
	       "2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd'><w:BinarySecurityToken>AA==</w:BinarySecurityToken>"
	       "</w:Security></e:Header><e:Body/></e:Envelope>", "WSS-TOKEN-UNSUPPORTED");
	STR(p, "<e:Envelope xmlns:e='" S11 "'><e:Body><a Id='x'/><b Id='x'/></e:Body></e:Envelope>",
	    "WSS-DUPLICATE-ID");
	igw_wss_policy_free(p);
}

/* Body text of an accepted envelope given as bytes. */
static void body_text(const struct igw_wss_policy *p, const char *bytes, size_t len, const char *want)
{
	struct igw_wss_result *r = EXPECT(p, bytes, len, NULL, "WSS-OK");
	xmlChar *t = xmlNodeGetContent(igw_wss_result_body(r));
	assert_non_null(t);
	assert_string_equal((const char *)t, want);
	xmlFree(t);
	igw_wss_result_free(r);
}

/* The parser reads plain UTF-8 through a cheaper path; declared or
 * BOM-detected other encodings must still be converted, and a declaration
 * cannot smuggle anything past the well-formedness check. */
static void test_encodings(void **st)
{
	struct igw_wss_policy *p = policy(0, NULL);
	static const char body[] = "<e:Envelope xmlns:e='" S11 "'><e:Body><x>caf\xc3\xa9 %s</x></e:Body></e:Envelope>";
	char utf8[512], latin1[512], filler[300], want[320];
	uint8_t utf16[1100];
	size_t n, k = 0;
	(void)st;
	memset(filler, 'z', sizeof(filler) - 1);	/* longer than libxml2's 250-byte chunk */
	filler[sizeof(filler) - 1] = '\0';
	snprintf(utf8, sizeof(utf8), body, filler);
	snprintf(want, sizeof(want), "caf\xc3\xa9 %s", filler);
	body_text(p, utf8, strlen(utf8), want);
	n = (size_t)snprintf(latin1, sizeof(latin1), "<?xml version='1.0' encoding='utf8'?>%s", utf8);
	body_text(p, latin1, n, want);
	/* ISO-8859-1: 0xE9 is e-acute, converted to UTF-8 in the tree */
	n = (size_t)snprintf(latin1, sizeof(latin1), "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
	                     "<e:Envelope xmlns:e='" S11 "'><e:Body><x>caf\xe9 %s</x></e:Body></e:Envelope>",
	                     filler);
	body_text(p, latin1, n, want);
	/* a Latin-1 declaration after which only ASCII follows, then junk the
	 * converter must see: rejected as before */
	n = (size_t)snprintf(latin1, sizeof(latin1), "<?xml version='1.0' encoding='ISO-8859-1'?>"
	                     "<e:Envelope xmlns:e='" S11 "'><e:Body/></e:Envelope><junk/>");
	igw_wss_result_free(EXPECT(p, latin1, n, NULL, "WSS-PARSE"));
	/* UTF-16LE with a byte order mark */
	utf16[k++] = 0xff;
	utf16[k++] = 0xfe;
	for (const char *c = "<e:Envelope xmlns:e='" S11 "'><e:Body><x>caf"; *c; c++) {
		utf16[k++] = (uint8_t)*c;
		utf16[k++] = 0;
	}
	utf16[k++] = 0xe9;
	utf16[k++] = 0;
	for (const char *c = "</x></e:Body></e:Envelope>"; *c; c++) {
		utf16[k++] = (uint8_t)*c;
		utf16[k++] = 0;
	}
	body_text(p, (const char *)utf16, k, "caf\xc3\xa9");
	/* an unknown encoding is still refused */
	n = (size_t)snprintf(latin1, sizeof(latin1), "<?xml version='1.0' encoding='X-NONE'?>%s", utf8);
	igw_wss_result_free(EXPECT(p, latin1, n, NULL, "WSS-PARSE"));
	igw_wss_policy_free(p);
}

static void test_limits(void **st)
{
	struct igw_wss_policy *p = policy(0, NULL);
	struct igw_buf b;
	(void)st;
	igw_buf_init(&b, IGW_WSS_ENVELOPE_MAX * 2);
	/* too many attributes on one element */
	igw_buf_append_str(&b, "<e:Envelope xmlns:e='" S11 "'><e:Body><x");
	for (unsigned i = 0; i <= IGW_WSS_ATTRS_MAX; i++)
		igw_buf_printf(&b, " a%u='1'", i);
	igw_buf_append_str(&b, "/></e:Body></e:Envelope>");
	STR(p, igw_buf_cstr(&b), "WSS-LIMIT");
	/* one text node too long */
	igw_buf_reset(&b);
	igw_buf_append_str(&b, "<e:Envelope xmlns:e='" S11 "'><e:Body><x>");
	for (unsigned i = 0; i <= IGW_WSS_TEXT_MAX / 64; i++)
		igw_buf_append_str(&b, "0123456789012345678901234567890123456789012345678901234567890123");
	igw_buf_append_str(&b, "</x></e:Body></e:Envelope>");
	STR(p, igw_buf_cstr(&b), "WSS-LIMIT");
	/* the envelope itself too large */
	igw_buf_reset(&b);
	igw_buf_append_str(&b, "<e:Envelope xmlns:e='" S11 "'><e:Body>");
	while (b.len <= IGW_WSS_ENVELOPE_MAX)
		igw_buf_append_str(&b, "<x>0123456789012345678901234567890123456789</x>");
	igw_buf_append_str(&b, "</e:Body></e:Envelope>");
	STR(p, igw_buf_cstr(&b), "WSS-LIMIT");
	igw_buf_free(&b);
	igw_wss_policy_free(p);
}

static void test_datetime(void **st)
{
	int64_t ms = 0;
	(void)st;
	assert_int_equal(wss_parse_datetime("1970-01-01T00:00:00Z", &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(wss_parse_datetime("2026-11-25T12:00:00.250Z", &ms), 0);
	assert_int_equal(ms, 1795608000250LL);
	assert_int_equal(wss_parse_datetime("2026-11-25T13:00:00+01:00", &ms), 0);
	assert_int_equal(ms, 1795608000000LL);
	assert_int_equal(wss_parse_datetime(" 2026-11-25T12:00:00-00:30 ", &ms), 0);
	assert_int_equal(ms, 1795608000000LL + 1800000);
	assert_int_equal(wss_parse_datetime("2026-11-25T12:00:00", &ms), IGW_EPARSE); /* no zone */
	assert_int_equal(wss_parse_datetime("2026-02-30T12:00:00Z", &ms), IGW_EPARSE);
	assert_int_equal(wss_parse_datetime("2026-11-25 12:00:00Z", &ms), IGW_EPARSE);
	assert_int_equal(wss_parse_datetime("2026-11-25T12:00:00Zjunk", &ms), IGW_EPARSE);
	assert_int_equal(wss_parse_datetime("2026-11-25T12:00:00.Z", &ms), IGW_EPARSE);
	/* the calendar as timegm() had it: leap years, month ends, :60 seconds
	 * counted into the next minute unless they roll into the next day */
	assert_int_equal(wss_parse_datetime("2024-02-29T00:00:00Z", &ms), 0);
	assert_int_equal(ms, 1709164800000LL);
	assert_int_equal(wss_parse_datetime("2000-02-29T23:59:59Z", &ms), 0);
	assert_int_equal(ms, 951868799000LL);
	assert_int_equal(wss_parse_datetime("9999-12-31T23:59:59Z", &ms), 0);
	assert_int_equal(ms, 253402300799000LL);
	assert_int_equal(wss_parse_datetime("2026-11-25T12:30:60Z", &ms), 0);
	assert_int_equal(ms, 1795609860000LL);
	assert_int_equal(wss_parse_datetime("2100-02-29T12:00:00Z", &ms), IGW_EPARSE);
	assert_int_equal(wss_parse_datetime("2025-02-29T12:00:00Z", &ms), IGW_EPARSE);
	assert_int_equal(wss_parse_datetime("2026-04-31T12:00:00Z", &ms), IGW_EPARSE);
	assert_int_equal(wss_parse_datetime("2026-12-31T23:59:60Z", &ms), IGW_EPARSE);
	assert_int_equal(wss_parse_datetime("2026-06-15T23:59:60Z", &ms), IGW_EPARSE);
}

/* Base64: canonical input (spaces left out) and anything xmlsec takes decode
 * alike; what xmlsec refuses is refused. */
static void test_base64(void **st)
{
	static const struct {
		const char *in;
		int rc;
		const char *out;
	} cases[] = {
		{ "QUJD", 0, "ABC" },
		{ "QUI=", 0, "AB" },
		{ "QQ==", 0, "A" },
		{ " Q U\nJD\r\n\t", 0, "ABC" },		/* xmlsec's spaces anywhere */
		{ "QUJDRA==\n", 0, "ABCD" },
		{ "QR==", 0, "A" },			/* pad bits set: xmlsec decodes */
		{ "Q===", IGW_EPARSE, NULL },
		{ "QU=D", IGW_EPARSE, NULL },		/* '=' before the end */
		{ "QUJ*", IGW_EPARSE, NULL },
		{ "", 0, "" },
	};
	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t out[16];
		size_t n = 99;
		int rc = wss_b64_decode(cases[i].in, out, sizeof(out), &n);
		assert_int_equal(rc, cases[i].rc);
		if (rc == 0) {
			assert_int_equal(n, strlen(cases[i].out));
			assert_memory_equal(out, cases[i].out, n);
		}
	}
}

static void test_fault_codes(void **st)
{
	(void)st;
	assert_string_equal(igw_wss_fault_code("WSS-UT-BAD-PASSWORD"), "wsse:FailedAuthentication");
	assert_string_equal(igw_wss_fault_code("WSS-UT-MALFORMED"), "wsse:InvalidSecurityToken");
	assert_string_equal(igw_wss_fault_code("WSS-TS-EXPIRED"), "wsse:MessageExpired");
	assert_string_equal(igw_wss_fault_code("WSS-TS-MALFORMED"), "wsse:InvalidSecurity");
	assert_string_equal(igw_wss_fault_code("SAML-SIG-ALGORITHM"), "wsse:UnsupportedAlgorithm");
	assert_null(igw_wss_fault_code("WSS-MUST-UNDERSTAND"));
	assert_null(igw_wss_fault_code("WSS-PARSE"));
	assert_string_equal(igw_wss_fault_code("SAML-SIG-INVALID"), "wsse:FailedCheck");
	assert_string_equal(igw_wss_fault_code("SAML-XSW"), "wsse:FailedCheck");
	assert_string_equal(igw_wss_fault_code("WSS-SECURITY-MISSING"), "wsse:SecurityTokenUnavailable");
	assert_string_equal(igw_wss_fault_code("SAML-SV-NO-ATTESTER"), "wsse:FailedAuthentication");
	assert_null(igw_wss_fault_code("WSS-OK"));
	assert_null(igw_wss_fault_code("GW-TIMEOUT"));
	assert_null(igw_wss_fault_code(NULL));
	/* every WSS-/SAML- row of the core table is mapped (or a plain SOAP fault) */
	{
		unsigned n = 0;
		const struct igw_reason *t = igw_reason_table(&n);
		for (unsigned i = 0; i < n; i++) {
			const char *c = t[i].code;
			if (strncmp(c, "WSS-", 4) != 0 && strncmp(c, "SAML-", 5) != 0)
				continue;
			if (!igw_wss_fault_code(c) && strcmp(c, "WSS-OK") != 0 && strcmp(c, "WSS-PARSE") != 0 &&
			    strcmp(c, "WSS-DTD") != 0 && strcmp(c, "WSS-LIMIT") != 0 &&
			    strcmp(c, "WSS-SOAP-STRUCTURE") != 0 && strcmp(c, "WSS-MUST-UNDERSTAND") != 0)
				fail_msg("%s has no fault code", c);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_datetime),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_fault_codes),
	};
	igw_log_setup(2, IGW_LOG_ERROR, IGW_LOG_TEXT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
