/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cb_bench: conversion cost in records per second.
 *   cb_bench [SAMPLES_DIR [ITERATIONS]]
 * For IVTNO and the orders layout: request XML -> record (parse included,
 * then on a pre-parsed tree) and reply record(s) -> XML.  Single thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/parser.h>
#include "imsgw/core.h"
#include "copybook/copybook.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct layout {
	const char *name, *in_file, *out_file, *out_spec, *req;
	struct igw_cb_copybook *in, *out;
	struct igw_cb_msg mi, mo;
};

static const char IVTNO_REQ[] =
	"<IVTNO xmlns='urn:imsgw:ivtno'><inputMsg><inCmd>ADD</inCmd><inName1>LAST1</inName1>"
	"<inName2>FIRST1</inName2><inExtn>8-111-1111</inExtn><inZip>D01/R01</inZip>"
	"</inputMsg></IVTNO>";

static const char ORDERS_REQ[] =
	"<PlaceOrder xmlns='urn:o'><orderRequest>"
	"<rqCustomer><rqCustId>12345678</rqCustId><rqCustName>ACME</rqCustName>"
	"<rqCustInitials>ABC</rqCustInitials><rqCustType>W</rqCustType><rqCustRef>R1</rqCustRef>"
	"</rqCustomer><rqAmounts><rqCreditLimit>-1234567.89</rqCreditLimit>"
	"<rqDiscountPct>0.125</rqDiscountPct><rqBalance>42</rqBalance><rqAdjust>-0.5</rqAdjust>"
	"<rqTax>1.99</rqTax><rqRebate>-7</rqRebate><rqPriority>3</rqPriority>"
	"<rqBranch>-1</rqBranch><rqAccount>123456789012345678</rqAccount><rqSeq>-32768</rqSeq>"
	"<rqCounter>18446744073709551615</rqCounter><rqPackedEven>-1234</rqPackedEven>"
	"<rqUnits>99999</rqUnits></rqAmounts><rqDelivery><rqDeliveryType>D</rqDeliveryType>"
	"<rqAddress><rqStreet>1 MAIN ST</rqStreet><rqCity>SPRINGFIELD</rqCity>"
	"<rqPostcode>12345</rqPostcode></rqAddress></rqDelivery>"
	"<rqNote>FRAGILE</rqNote><rqNote>RING TWICE</rqNote>"
	"<rqSchedule><rqDay>MON</rqDay><rqSlot>800</rqSlot><rqSlot>1200</rqSlot></rqSchedule>"
	"<rqLine><rqItem>WIDGET</rqItem><rqQty>5</rqQty><rqPrice>10.50</rqPrice></rqLine>"
	"<rqLine><rqItem>GADGET</rqItem><rqQty>-1</rqQty><rqPrice>0.99</rqPrice></rqLine>"
	"<rqLine><rqItem>GIZMO</rqItem><rqQty>2</rqQty><rqPrice>3.25</rqPrice></rqLine>"
	"</orderRequest></PlaceOrder>";

static void report(const char *what, long n, double secs, size_t bytes)
{
	printf("  %-44s %10.0f records/s  %8.1f MB/s\n", what, (double)n / secs,
	       (double)bytes * (double)n / secs / 1e6);
}

/* Build a reply by encoding a response-shaped XML with the output layout. */
static int make_reply(struct layout *l, const struct igw_cb_conv *cv, struct igw_buf *rep)
{
	struct igw_cb_diag d;
	const char *xml = strcmp(l->name, "ivtno") == 0 ?
		"<R><outputMsg><outMsg>ENTRY WAS ADDED</outMsg><outCmd>ADD</outCmd>"
		"<outName1>LAST1</outName1><outName2>FIRST1</outName2><outExtn>8-111-1111</outExtn>"
		"<outZip>D01/R01</outZip><outSegno>0001</outSegno></outputMsg></R>" :
		"<R><orderReplyHdr><rpStatus>OK</rpStatus><rpMessage>ORDER ACCEPTED</rpMessage>"
		"<rpOrderId>1234567</rpOrderId><rpTotal>123.45</rpTotal><rpTaxTotal>-19.99</rpTaxTotal>"
		"<rpLineCount>10</rpLineCount></orderReplyHdr>"
		"<orderReplyLine><rlLineNo>1</rlLineNo><rlItem>WIDGET</rlItem><rlQty>5</rlQty><rlAmount>10.50</rlAmount><rlStatus>A</rlStatus></orderReplyLine>"
		"<orderReplyLine><rlLineNo>2</rlLineNo><rlItem>WIDGET</rlItem><rlQty>5</rlQty><rlAmount>10.50</rlAmount><rlStatus>A</rlStatus></orderReplyLine>"
		"<orderReplyLine><rlLineNo>3</rlLineNo><rlItem>WIDGET</rlItem><rlQty>5</rlQty><rlAmount>10.50</rlAmount><rlStatus>A</rlStatus></orderReplyLine>"
		"<orderReplyLine><rlLineNo>4</rlLineNo><rlItem>WIDGET</rlItem><rlQty>5</rlQty><rlAmount>10.50</rlAmount><rlStatus>A</rlStatus></orderReplyLine>"
		"<orderReplyLine><rlLineNo>5</rlLineNo><rlItem>WIDGET</rlItem><rlQty>5</rlQty><rlAmount>10.50</rlAmount><rlStatus>A</rlStatus></orderReplyLine>"
		"<orderReplyLine><rlLineNo>6</rlLineNo><rlItem>WIDGET</rlItem><rlQty>5</rlQty><rlAmount>10.50</rlAmount><rlStatus>A</rlStatus></orderReplyLine>"
		"<orderReplyLine><rlLineNo>7</rlLineNo><rlItem>WIDGET</rlItem><rlQty>5</rlQty><rlAmount>10.50</rlAmount><rlStatus>A</rlStatus></orderReplyLine>"
		"<orderReplyLine><rlLineNo>8</rlLineNo><rlItem>WIDGET</rlItem><rlQty>5</rlQty><rlAmount>10.50</rlAmount><rlStatus>A</rlStatus></orderReplyLine>"
		"<orderReplyLine><rlLineNo>9</rlLineNo><rlItem>WIDGET</rlItem><rlQty>5</rlQty><rlAmount>10.50</rlAmount><rlStatus>A</rlStatus></orderReplyLine>"
		"<orderReplyLine><rlLineNo>10</rlLineNo><rlItem>WIDGET</rlItem><rlQty>5</rlQty><rlAmount>10.50</rlAmount><rlStatus>A</rlStatus></orderReplyLine>"
		"</R>";
	int rc = igw_cb_encode_xml(&l->mo, cv, xml, strlen(xml), rep, &d);
	if (rc != IGW_OK)
		fprintf(stderr, "reply: %s %s %s\n", d.reason, d.where, d.text);
	return rc;
}

static int bench(struct layout *l, const char *dir, long iters, struct igw_cb_codepage *cp)
{
	char path[1024];
	struct igw_cb_diag d;
	struct igw_buf out, rep;
	struct igw_cb_conv cv = { cp, "TRAN", 0, "urn:o" };
	int rc;
	double t;
	snprintf(path, sizeof(path), "%s/%s", dir, l->in_file);
	rc = igw_cb_parse_file(path, NULL, &l->in, &d);
	if (rc == IGW_OK) {
		snprintf(path, sizeof(path), "%s/%s", dir, l->out_file);
		rc = igw_cb_parse_file(path, NULL, &l->out, &d);
	}
	if (rc == IGW_OK)
		rc = igw_cb_msg_build(l->in, NULL, &l->mi, &d);
	if (rc == IGW_OK)
		rc = igw_cb_msg_build(l->out, l->out_spec, &l->mo, &d);
	if (rc != IGW_OK) {
		fprintf(stderr, "%s: %s %s\n", l->name, d.where, d.text);
		return rc;
	}
	igw_buf_init(&out, IGW_CB_XML_OUT_MAX);
	igw_buf_init(&rep, IGW_CB_MESSAGE_MAX);
	rc = make_reply(l, &cv, &rep);
	printf("%s (request record %u bytes max, reply %zu bytes)\n", l->name,
	       l->mi.seg[0].rec->size, rep.len);

	size_t reclen = 0;
	t = now();
	for (long i = 0; i < iters && rc == IGW_OK; i++) {
		igw_buf_reset(&out);
		rc = igw_cb_encode_xml(&l->mi, &cv, l->req, strlen(l->req), &out, &d);
		reclen = out.len;
	}
	if (rc == IGW_OK)
		report("XML text -> record (libxml2 parse included)", iters, now() - t, reclen);

	xmlDocPtr doc = xmlReadMemory(l->req, (int)strlen(l->req), NULL, NULL, XML_PARSE_NONET);
	t = now();
	for (long i = 0; i < iters && rc == IGW_OK && doc; i++) {
		igw_buf_reset(&out);
		rc = igw_cb_encode_node(&l->mi, &cv, xmlDocGetRootElement(doc), &out, &d);
	}
	if (rc == IGW_OK)
		report("parsed tree -> record (conversion only)", iters, now() - t, reclen);
	xmlFreeDoc(doc);

	t = now();
	for (long i = 0; i < iters && rc == IGW_OK; i++) {
		igw_buf_reset(&out);
		rc = igw_cb_decode(&l->mo, &cv, "Response", rep.data, rep.len, &out, &d);
	}
	if (rc == IGW_OK)
		report("reply record(s) -> XML text", iters, now() - t, rep.len);
	if (rc != IGW_OK)
		fprintf(stderr, "%s: %s %s %s\n", l->name, d.reason, d.where, d.text);
	igw_buf_free(&out);
	igw_buf_free(&rep);
	igw_cb_copybook_free(l->in);
	igw_cb_copybook_free(l->out);
	return rc;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "copybook/samples";
	long iters = argc > 2 ? atol(argv[2]) : 200000;
	struct igw_cb_codepage *cp = NULL;
	struct layout ls[] = {
		{ "ivtno", "ivtno-in.cpy", "ivtno-out.cpy", NULL, IVTNO_REQ, NULL, NULL, { { { 0 } }, 0 },
		  { { { 0 } }, 0 } },
		{ "orders", "orders-in.cpy", "orders-out.cpy", "ORDER-REPLY-HDR,ORDER-REPLY-LINE*",
		  ORDERS_REQ, NULL, NULL, { { { 0 } }, 0 }, { { { 0 } }, 0 } },
	};
	int rc = igw_cb_codepage_open("IBM-037", &cp);
	if (iters < 1)
		iters = 1;
	printf("cb_bench: %ld iterations per figure, code page IBM-037\n", iters);
	for (size_t i = 0; i < sizeof(ls) / sizeof(ls[0]) && rc == IGW_OK; i++)
		rc = bench(&ls[i], dir, iters, cp);
	igw_cb_codepage_free(cp);
	return rc == IGW_OK ? 0 : 1;
}
