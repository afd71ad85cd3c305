/* SPDX-License-Identifier: GPL-2.0-or-later */
/* WSDL generation: structure, XSD facets, bindings, argument checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include "imsgw/core.h"
#include "copybook/copybook.h"

static xmlDocPtr doc;
static xmlXPathContextPtr xp;

static int count(const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, xp);
	int n = -1;
	if (o) {
		n = o->nodesetval ? o->nodesetval->nodeNr : 0;
		xmlXPathFreeObject(o);
	}
	if (n < 0)
		fail_msg("bad XPath %s", expr);
	return n;
}

static void expect(const char *expr, int n)
{
	int got = count(expr);
	if (got != n)
		fail_msg("%s: %d nodes, want %d", expr, got, n);
}

static int setup(void **state)
{
	struct igw_cb_copybook *in = NULL, *out = NULL;
	struct igw_cb_msg mi, mo;
	struct igw_cb_diag d;
	struct igw_buf b;
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/orders-in.cpy", NULL, &in, &d), 0);
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/orders-out.cpy", NULL, &out, &d), 0);
	assert_int_equal(igw_cb_msg_build(in, NULL, &mi, &d), 0);
	assert_int_equal(igw_cb_msg_build(out, "ORDER-REPLY-HDR,ORDER-REPLY-LINE{0,50}", &mo, &d), 0);
	struct igw_cb_operation ops[2] = {
		{ "PlaceOrder", "ORDERS", &mi, &mo },
		{ "CheckOrder", "ORDCHK", &mi, &mo },
	};
	struct igw_cb_wsdl_spec sp = { "Orders", "urn:test:orders/", "https://gw/x?a=1&b=2",
	                               ops, 2 };
	igw_buf_init(&b, IGW_CB_WSDL_MAX);
	assert_int_equal(igw_cb_wsdl_write(&sp, &b, &d), IGW_OK);
	doc = xmlReadMemory((const char *)b.data, (int)b.len, "w.wsdl", NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	xp = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(xp, (const xmlChar *)"w", (const xmlChar *)"http://schemas.xmlsoap.org/wsdl/");
	xmlXPathRegisterNs(xp, (const xmlChar *)"x", (const xmlChar *)"http://www.w3.org/2001/XMLSchema");
	xmlXPathRegisterNs(xp, (const xmlChar *)"s11", (const xmlChar *)"http://schemas.xmlsoap.org/wsdl/soap/");
	xmlXPathRegisterNs(xp, (const xmlChar *)"s12", (const xmlChar *)"http://schemas.xmlsoap.org/wsdl/soap12/");

	/* argument checks */
	sp.service = "1bad";
	assert_int_equal(igw_cb_wsdl_write(&sp, &b, &d), IGW_EINVAL);
	sp.service = "Orders";
	ops[1].name = "PlaceOrder";
	assert_int_equal(igw_cb_wsdl_write(&sp, &b, &d), IGW_EINVAL);
	ops[1].name = "PlaceOrderResponse";
	assert_int_equal(igw_cb_wsdl_write(&sp, &b, &d), IGW_EINVAL);
	assert_non_null(strstr(d.text, "clashes"));
	ops[1].name = "has space";
	assert_int_equal(igw_cb_wsdl_write(&sp, &b, &d), IGW_EINVAL);
	sp.nops = 0;
	assert_int_equal(igw_cb_wsdl_write(&sp, &b, &d), IGW_EINVAL);
	igw_buf_free(&b);
	igw_cb_copybook_free(in);
	igw_cb_copybook_free(out);
	return 0;
}

static int teardown(void **state)
{
	xmlXPathFreeContext(xp);
	xmlFreeDoc(doc);
	return 0;
}

static void structure(void **state)
{
	expect("/w:definitions[@targetNamespace='urn:test:orders/']", 1);
	expect("//w:types/x:schema[@elementFormDefault='qualified']", 1);
	expect("//x:schema/x:element[@name='PlaceOrder']", 1);
	expect("//x:schema/x:element[@name='PlaceOrderResponse']", 1);
	expect("//x:schema/x:element[@name='CheckOrderResponse']", 1);
	expect("//w:message[@name='PlaceOrderRequest']/w:part[@name='parameters' and "
	       "@element='tns:PlaceOrder']", 1);
	expect("//w:portType[@name='OrdersPortType']/w:operation", 2);
	expect("//w:binding[@name='OrdersSoap11Binding']/s11:binding[@style='document']", 1);
	expect("//w:binding[@name='OrdersSoap12Binding']/s12:binding[@style='document']", 1);
	expect("//w:binding/w:operation/s11:operation[@soapAction='urn:test:orders/PlaceOrder']", 1);
	expect("//w:binding/w:operation/w:input/s12:body[@use='literal']", 2);
	expect("//w:service/w:port/s11:address[@location='https://gw/x?a=1&b=2']", 1);
	expect("//w:service/w:port/s12:address", 1);
	/* no encoded use, no rpc style (WS-I BP 1.1) */
	expect("//*[@use='encoded']", 0);
	expect("//*[@style='rpc']", 0);
}

static void facets(void **state)
{
	const char *req = "//x:element[@name='PlaceOrder']//";
	char e[512];
#define AT(rest) (snprintf(e, sizeof(e), "%s%s", req, rest), e)
	expect(AT("x:element[@name='rqCustName']//x:maxLength[@value='30']"), 1);
	expect(AT("x:element[@name='rqCustInitials']//x:pattern"), 1);
	expect(AT("x:element[@name='rqCreditLimit']//x:restriction[@base='xsd:decimal']"
	          "/x:totalDigits[@value='9']"), 1);
	expect(AT("x:element[@name='rqCreditLimit']//x:fractionDigits[@value='2']"), 1);
	expect(AT("x:element[@name='rqDiscountPct']//x:minInclusive[@value='0']"), 1);
	expect(AT("x:element[@name='rqCustId']//x:restriction[@base='xsd:unsignedLong']"), 1);
	expect(AT("x:element[@name='rqSeq']//x:restriction[@base='xsd:short']"), 1);
	expect(AT("x:element[@name='rqCounter']//x:restriction[@base='xsd:unsignedLong']"), 1);
	expect(AT("x:element[@name='rqNote' and @minOccurs='0' and @maxOccurs='2']"), 1);
	expect(AT("x:element[@name='rqSlot' and @maxOccurs='2']"), 1);
	expect(AT("x:element[@name='rqLine' and @minOccurs='0' and @maxOccurs='20']"), 1);
	expect(AT("x:element[@name='rqCustName' and @minOccurs='0']"), 1);
	/* hidden: prefix, FILLER, ODO counter, unselected REDEFINES */
	expect("//x:element[@name='rqLl' or @name='rqZz' or @name='rqTrancode' or "
	       "@name='filler' or @name='rqLineCount' or @name='rqPickup']", 0);
	/* response: segments as a list, fields required */
	expect("//x:element[@name='PlaceOrderResponse']//x:element[@name='orderReplyLine' and "
	       "@minOccurs='0' and @maxOccurs='50']", 1);
	expect("//x:element[@name='PlaceOrderResponse']//x:element[@name='rpTotal' and "
	       "not(@minOccurs)]", 1);
#undef AT
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(structure),
		cmocka_unit_test(facets),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
