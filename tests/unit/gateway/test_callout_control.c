/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ICAL control data (<DFSENDPOINTURL>) parsing and the endpoint allow-list:
 * every malformed item refused (1012), empty URL (1013), anything outside
 * the endpointOverride prefixes refused (1015), other tags ignored. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "imsgw/core.h"
#include "callout.h"

static struct igw_callout co;
static char p1[] = "https://quotes.example.com/quote", p2[] = "https://alt.example.com:8443/";
static char *prefixes[] = { p1, p2 };
static char name[] = "t";

/* Append one item: 4-byte length then text in EBCDIC. */
static size_t item(uint8_t *out, const char *text)
{
	size_t n = 0, len = strlen(text);
	out[0] = (uint8_t)(len >> 24);
	out[1] = (uint8_t)(len >> 16);
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	assert_int_equal(igw_cb_to_ebcdic(co.cp, text, len, out + 4, 4096, &n), IGW_OK);
	assert_int_equal(n, len);
	return 4 + len;
}

static unsigned code_of(const uint8_t *d, size_t n, char *url)
{
	const struct igw_co_status *st = igw_callout_control_endpoint(&co, d, n, url, 2048);
	return st ? st->code : 0;
}

static void endpoint(void **state)
{
	(void)state;
	uint8_t d[8192];
	char url[2048];
	size_t n;

	n = item(d, "<DFSENDPOINTURL>https://quotes.example.com/quote/v2</DFSENDPOINTURL>");
	assert_int_equal(code_of(d, n, url), 0);
	assert_string_equal(url, "https://quotes.example.com/quote/v2");
	/* other tags around it are not for imsgw */
	n = item(d, "<DFSCNVTR>CONV1</DFSCNVTR>");
	n += item(d + n, "<DFSENDPOINTURL>https://alt.example.com:8443/x</DFSENDPOINTURL>");
	n += item(d + n, "<MYTAG>anything</MYTAG>");
	assert_int_equal(code_of(d, n, url), 0);
	assert_string_equal(url, "https://alt.example.com:8443/x");
	/* no endpoint item: url empty, no error */
	n = item(d, "<UUID>1234</UUID>");
	assert_int_equal(code_of(d, n, url), 0);
	assert_string_equal(url, "");
	assert_int_equal(code_of(d, 0, url), 0);
	/* empty value */
	n = item(d, "<DFSENDPOINTURL></DFSENDPOINTURL>");
	assert_int_equal(code_of(d, n, url), 1013);
	/* outside the prefixes, or tricks around them */
	static const char *denied[] = {
		"https://evil.example.com/quote",
		"https://quotes.example.com.evil.net/quote",
		"https://alt.example.com:84430/",
		"http://quotes.example.com/quote",
		"https://quotes.example.com/quot",
		"https://quotes.example.com/quote\\..\\admin",
		"https://quotes.example.com/quote#frag",
		"https://quotes.example.com/quote x",
		"ftp://quotes.example.com/quote",
	};
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		char text[512];
		snprintf(text, sizeof(text), "<DFSENDPOINTURL>%s</DFSENDPOINTURL>", denied[i]);
		n = item(d, text);
		assert_int_equal(code_of(d, n, url), 1015);
		assert_string_equal(url, "");
	}
}

static void malformed(void **state)
{
	(void)state;
	uint8_t d[8192];
	char url[2048];
	size_t n;
	static const char *bad[] = {
		"<DFSENDPOINTURL>https://quotes.example.com/quote</DFSENDPOINTURLX>",
		"<DFSENDPOINTURL>https://quotes.example.com/quote",
		"DFSENDPOINTURL>x</DFSENDPOINTURL>",
		"<>x</>",
		"<A B>x</A B>",
		"<A>x</B>",
		"<A>",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = item(d, bad[i]);
		assert_int_equal(code_of(d, n, url), 1012);
	}
	/* lengths that lie, every truncation of a good item */
	n = item(d, "<DFSENDPOINTURL>https://quotes.example.com/quote</DFSENDPOINTURL>");
	for (size_t cut = 1; cut < n; cut++)
		assert_int_equal(code_of(d, cut, url), 1012);
	d[3] = (uint8_t)(d[3] + 1);
	assert_int_equal(code_of(d, n, url), 1012);
	d[0] = 0xFF;
	assert_int_equal(code_of(d, n, url), 1012);
	/* a good item followed by garbage */
	n = item(d, "<DFSENDPOINTURL>https://quotes.example.com/quote</DFSENDPOINTURL>");
	d[n++] = 0;
	d[n++] = 0;
	assert_int_equal(code_of(d, n, url), 1012);
}

/* XML from IMS Connect's adapter is untrusted: only one well-formed element
 * without a DTD reaches the SOAP body (else 1006, nothing sent). */
static void adapter_input(void **state)
{
	(void)state;
	static const char *bad[] = {
		"<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
		"<a><b></a>",
		"<a/><b/>",
		"not xml",
		"",
		"<a xmlns:p=\"urn:x\"><p:b>1</p:b></a>trailing",
	};
	struct igw_out_target t;
	struct igw_out_client *http = NULL;
	struct igw_wss_policy *parse = NULL;
	struct igw_buf reply;
	int status;
	memset(&t, 0, sizeof(t));
	t.url = "http://127.0.0.1:1/nothing";	/* nothing listens: a message that
						 * passes the checks fails to connect */
	t.soap_version = 11;
	t.timeout_ms = 1000;
	assert_int_equal(igw_out_client_new(&t, &http), IGW_OK);
	assert_int_equal(igw_callout_parse_policy(&parse), IGW_OK);
	igw_buf_init(&reply, 1 << 16);
	co.xml_adapter = 1;
	co.target = t;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct igw_co_status *st = igw_callout_deliver(&co, http, parse,
			(const uint8_t *)bad[i], strlen(bad[i]), "U", NULL, 1, &reply, &status);
		assert_string_equal(st->outcome, "CO-REQUEST-CONVERSION");
		assert_int_equal(st->code, 1006);
	}
	static const char good[] = "<GetQuote xmlns=\"urn:q\"><q><item>A</item></q></GetQuote>";
	const struct igw_co_status *st = igw_callout_deliver(&co, http, parse, (const uint8_t *)good,
		sizeof(good) - 1, "U", NULL, 1, &reply, &status);
	assert_string_equal(st->outcome, "CO-NETWORK");
	co.xml_adapter = 0;
	igw_buf_free(&reply);
	igw_wss_policy_free(parse);
	igw_out_client_free(http);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(endpoint),
		cmocka_unit_test(malformed),
		cmocka_unit_test(adapter_input),
	};
	memset(&co, 0, sizeof(co));
	co.name = name;
	co.operation = name;
	co.response_name = name;
	co.url = p1;
	co.overrides = prefixes;
	co.noverrides = 2;
	if (igw_cb_codepage_open("IBM-037", &co.cp) != IGW_OK)
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	igw_cb_codepage_free(co.cp);
	return rc;
}
