/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Converter on the sample layouts: IVTNO both directions (expected bytes
 * from Python's cp037 codec), the multi-segment orders reply, LL/ZZ/trancode
 * and ODO handling, and every refusal with its reason code and field path.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include "imsgw/core.h"
#include "copybook/copybook.h"

struct fx {
	struct igw_cb_copybook *ivin, *ivout, *oin, *oout;
	struct igw_cb_msg m_ivin, m_ivout, m_oin, m_oout;
	struct igw_cb_codepage *cp037, *cp1047;
	struct igw_buf out;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct igw_cb_diag d;
	assert_non_null(f);
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/ivtno-in.cpy", NULL, &f->ivin, &d), 0);
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/ivtno-out.cpy", NULL, &f->ivout, &d), 0);
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/orders-in.cpy", NULL, &f->oin, &d), 0);
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/orders-out.cpy", NULL, &f->oout, &d), 0);
	assert_int_equal(igw_cb_msg_build(f->ivin, NULL, &f->m_ivin, &d), 0);
	assert_int_equal(igw_cb_msg_build(f->ivout, NULL, &f->m_ivout, &d), 0);
	assert_int_equal(igw_cb_msg_build(f->oin, NULL, &f->m_oin, &d), 0);
	assert_int_equal(igw_cb_msg_build(f->oout, "ORDER-REPLY-HDR,ORDER-REPLY-LINE{0,5}",
	                                  &f->m_oout, &d), 0);
	assert_int_equal(igw_cb_codepage_open("IBM-037", &f->cp037), 0);
	assert_int_equal(igw_cb_codepage_open("IBM-1047", &f->cp1047), 0);
	assert_int_equal(igw_buf_init(&f->out, IGW_CB_XML_OUT_MAX), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	igw_cb_copybook_free(f->ivin);
	igw_cb_copybook_free(f->ivout);
	igw_cb_copybook_free(f->oin);
	igw_cb_copybook_free(f->oout);
	igw_cb_codepage_free(f->cp037);
	igw_cb_codepage_free(f->cp1047);
	igw_buf_free(&f->out);
	free(f);
	return 0;
}

static char *hex(const uint8_t *p, size_t n)
{
	static char h[8192];
	for (size_t i = 0; i < n && i < sizeof(h) / 2 - 1; i++)
		sprintf(h + 2 * i, "%02X", p[i]);
	h[2 * n] = 0;
	return h;
}

static size_t unhex(const char *h, uint8_t *out, size_t max)
{
	size_t n = 0;
	while (h[0] && h[1] && n < max) {
		unsigned v;
		if (h[0] == ' ') {
			h++;
			continue;
		}
		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
		h += 2;
	}
	return n;
}

/* encode and expect a refusal */
static void enc_refused(struct fx *f, const struct igw_cb_msg *m, const char *xml,
                        const char *reason, const char *where)
{
	struct igw_cb_conv cv = { f->cp037, "IVTNO", 0, NULL };
	struct igw_cb_diag d;
	igw_buf_reset(&f->out);
	int rc = igw_cb_encode_xml(m, &cv, xml, strlen(xml), &f->out, &d);
	if (rc != IGW_ECONV || !d.reason || strcmp(d.reason, reason) != 0)
		fail_msg("want %s, got %s %s (%s: %s) for %s", reason, igw_errname(rc),
		         d.reason ? d.reason : "-", d.where, d.text, xml);
	if (where && strcmp(d.where, where) != 0)
		fail_msg("%s: path '%s' want '%s'", reason, d.where, where);
	assert_int_equal(f->out.len, 0);	/* nothing half-written */
	assert_non_null(igw_reason_find(reason));	/* in the core table */
}

static void dec_refused(struct fx *f, const struct igw_cb_msg *m, const char *hx,
                        const char *reason, const char *where)
{
	struct igw_cb_conv cv = { f->cp037, NULL, 0, "urn:x" };
	struct igw_cb_diag d;
	uint8_t bin[4096];
	size_t n = unhex(hx, bin, sizeof(bin));
	igw_buf_reset(&f->out);
	int rc = igw_cb_decode(m, &cv, "R", bin, n, &f->out, &d);
	if (rc != IGW_ECONV || !d.reason || strcmp(d.reason, reason) != 0)
		fail_msg("want %s, got %s %s (%s: %s) for %s", reason, igw_errname(rc),
		         d.reason ? d.reason : "-", d.where, d.text, hx);
	if (where && strcmp(d.where, where) != 0)
		fail_msg("%s: path '%s' want '%s'", reason, d.where, where);
	assert_int_equal(f->out.len, 0);
	assert_non_null(igw_reason_find(reason));
}

static void ivtno_request(void **state)
{
	struct fx *f = *state;
	struct igw_cb_conv cv = { f->cp037, "IVTNO", 0, NULL };
	struct igw_cb_diag d;
	const char *xml =
		"<ns:IVTNO xmlns:ns='urn:imsgw:ivtno'><ns:inputMsg>"
		"<ns:inCmd>ADD</ns:inCmd><ns:inName1>LAST1</ns:inName1>"
		"<ns:inName2>FIRST1</ns:inName2><ns:inExtn>8-111-1111</ns:inExtn>"
		"<ns:inZip>D01/R01</ns:inZip></ns:inputMsg></ns:IVTNO>";
	/* Python: (b'\x00\x3b\x00\x00' + 'IVTNO     ADD     LAST1     FIRST1    '
	 *          '8-111-1111D01/R01'.encode('cp037')).hex().upper() */
	const char *want =
		"003B0000C9E5E3D5D64040404040C1C4C44040404040D3C1E2E3F14040404040C6C9D9E2E3F1"
		"40404040F860F1F1F160F1F1F1F1C4F0F161D9F0F1";
	assert_int_equal(igw_cb_encode_xml(&f->m_ivin, &cv, xml, strlen(xml), &f->out, &d), 0);
	assert_string_equal(hex(f->out.data, f->out.len), want);

	/* missing fields are spaces; no trancode given: spaces too */
	cv.trancode = NULL;
	igw_buf_reset(&f->out);
	xml = "<IVTNO><inputMsg><inName1>X</inName1></inputMsg></IVTNO>";
	assert_int_equal(igw_cb_encode_xml(&f->m_ivin, &cv, xml, strlen(xml), &f->out, &d), 0);
	assert_int_equal(f->out.len, 59);
	assert_int_equal(f->out.data[4], 0x40);
	assert_int_equal(f->out.data[22], 0xE7);

	/* trancode longer than the field: configuration error, not a client fault,
	 * and detectable when the service is loaded */
	assert_int_equal(igw_cb_conv_check(&f->m_ivin, &cv, &d), IGW_OK);
	cv.trancode = "IVTNO\xE2\x82\xAC";	/* not in IBM-037 */
	assert_int_equal(igw_cb_conv_check(&f->m_ivin, &cv, &d), IGW_ECONFIG);
	cv.trancode = "TOOLONGTRANCODE";
	assert_int_equal(igw_cb_conv_check(&f->m_ivin, &cv, &d), IGW_ECONFIG);
	assert_non_null(strstr(d.text, "IN-TRCD"));
	igw_buf_reset(&f->out);
	assert_int_equal(igw_cb_encode_xml(&f->m_ivin, &cv, xml, strlen(xml), &f->out, &d),
	                 IGW_ECONFIG);
	assert_int_equal(f->out.len, 0);
}

static void ivtno_reply(void **state)
{
	struct fx *f = *state;
	struct igw_cb_conv cv = { f->cp037, NULL, 0, "urn:imsgw:ivtno" };
	struct igw_cb_diag d;
	uint8_t bin[200];
	/* Python: (b'\x00\x5d\x00\x00' + ('ENTRY WAS ADDED'.ljust(40) + 'ADD'.ljust(8) +
	 *   'LAST1'.ljust(10) + 'FIRST1'.ljust(10) + '8-111-1111' + 'D01/R01' +
	 *   '0001').encode('cp037')).hex().upper() */
	size_t n = unhex("005D0000C5D5E3D9E840E6C1E240C1C4C4C5C4404040404040404040404040404040"
	                 "40404040404040404040C1C4C44040404040D3C1E2E3F14040404040C6C9D9E2E3F1"
	                 "40404040F860F1F1F160F1F1F1F1C4F0F161D9F0F1F0F0F0F1", bin, sizeof(bin));
	assert_int_equal(n, 93);
	assert_int_equal(igw_cb_decode(&f->m_ivout, &cv, "IVTNOResponse", bin, n, &f->out, &d), 0);
	assert_string_equal(igw_buf_cstr(&f->out),
		"<IVTNOResponse xmlns=\"urn:imsgw:ivtno\"><outputMsg>"
		"<outMsg>ENTRY WAS ADDED</outMsg><outCmd>ADD</outCmd>"
		"<outName1>LAST1</outName1><outName2>FIRST1</outName2>"
		"<outExtn>8-111-1111</outExtn><outZip>D01/R01</outZip>"
		"<outSegno>0001</outSegno></outputMsg></IVTNOResponse>");
	/* LL not matching the layout */
	dec_refused(f, &f->m_ivout, "005C0000", "CONV-OUT-LENGTH", "outputMsg[1]");
	bin[1] = 0x5E;
	igw_buf_reset(&f->out);
	assert_int_equal(igw_cb_decode(&f->m_ivout, &cv, "R", bin, n, &f->out, &d), IGW_ECONV);
	assert_string_equal(d.reason, "CONV-OUT-LENGTH");
	/* the segment is shorter than the layout */
	bin[1] = 0x5C;
	igw_buf_reset(&f->out);
	assert_int_equal(igw_cb_decode(&f->m_ivout, &cv, "R", bin, n - 1, &f->out, &d), IGW_ECONV);
	assert_string_equal(d.reason, "CONV-OUT-LENGTH");
	/* two segments where one is expected */
	bin[1] = 0x5D;
	memcpy(bin + 93, bin, 4);
	igw_buf_reset(&f->out);
	assert_int_equal(igw_cb_decode(&f->m_ivout, &cv, "R", bin, n + 4, &f->out, &d), IGW_ECONV);
	assert_string_equal(d.reason, "CONV-OUT-SEGMENTS");
	/* empty reply */
	dec_refused(f, &f->m_ivout, "", "CONV-OUT-SEGMENTS", "outputMsg[1]");
}

static const char *ORDER_XML =
	"<PlaceOrder xmlns='http://example.com/imsgw/orders'><orderRequest>"
	"<rqCustomer><rqCustId>12345678</rqCustId><rqCustName>ACME &amp; SONS</rqCustName>"
	"<rqCustInitials>ABC</rqCustInitials><rqCustType>W</rqCustType>"
	"<rqCustRef>R1</rqCustRef></rqCustomer>"
	"<rqAmounts><rqCreditLimit>-1234567.89</rqCreditLimit><rqDiscountPct>0.125</rqDiscountPct>"
	"<rqBalance>42</rqBalance><rqAdjust>-0.5</rqAdjust><rqTax>1.99</rqTax>"
	"<rqRebate>-7</rqRebate><rqPriority>3</rqPriority><rqBranch>-1</rqBranch>"
	"<rqAccount>123456789012345678</rqAccount><rqSeq>-32768</rqSeq>"
	"<rqCounter>18446744073709551615</rqCounter><rqPackedEven>-1234</rqPackedEven>"
	"<rqUnits>99999</rqUnits></rqAmounts>"
	"<rqDelivery><rqDeliveryType>D</rqDeliveryType><rqAddress><rqStreet>1 MAIN ST</rqStreet>"
	"<rqCity>SPRINGFIELD</rqCity><rqPostcode>12345</rqPostcode></rqAddress></rqDelivery>"
	"<rqNote>FRAGILE</rqNote><rqNote>RING TWICE</rqNote>"
	"<rqSchedule><rqDay>MON</rqDay><rqSlot>800</rqSlot><rqSlot>1200</rqSlot></rqSchedule>"
	"<rqSchedule><rqDay>TUE</rqDay></rqSchedule>"
	"<rqLine><rqItem>WIDGET</rqItem><rqQty>5</rqQty><rqPrice>10.50</rqPrice></rqLine>"
	"<rqLine><rqItem>GADGET</rqItem><rqQty>-1</rqQty><rqPrice>0.99</rqPrice></rqLine>"
	"<rqLine><rqItem>GIZMO</rqItem></rqLine>"
	"</orderRequest></PlaceOrder>";

static void orders_request(void **state)
{
	struct fx *f = *state;
	struct igw_cb_conv cv = { f->cp037, "ORDERS", 0, NULL };
	struct igw_cb_diag d;
	int rc = igw_cb_encode_xml(&f->m_oin, &cv, ORDER_XML, strlen(ORDER_XML), &f->out, &d);
	if (rc != IGW_OK)
		fail_msg("%s %s %s", d.reason, d.where, d.text);
	const uint8_t *r = f->out.data;
	/* ODO: 263 fixed bytes + 3 lines of 19 */
	assert_int_equal(f->out.len, 263 + 3 * 19);
	assert_string_equal(hex(r, 12), "014000" "00" "D6D9C4C5D9E24040");	/* LL=320 ZZ 'ORDERS  ' */
	assert_string_equal(hex(r + 54, 8), "40404040" "4040D9F1");	/* JUSTIFIED RIGHT */
	assert_string_equal(hex(r + 62, 5), "123456789D");
	assert_string_equal(hex(r + 67, 2), "125F");
	assert_string_equal(hex(r + 69, 11), "F0F0F0F0F0F0F0F4F2F0C0");	/* +42.00 */
	assert_string_equal(hex(r + 80, 7), "D0F0F0F0F0F5F0");		/* -0.50 leading */
	assert_string_equal(hex(r + 87, 6), "F0F0F1F9F94E");		/* 1.99 trailing sep */
	assert_string_equal(hex(r + 93, 4), "60F0F0F7");		/* -7 leading sep */
	assert_string_equal(hex(r + 97, 2), "0003");
	assert_string_equal(hex(r + 99, 4), "FFFFFFFF");
	assert_string_equal(hex(r + 103, 8), "01B69B4BA630F34E");	/* 123456789012345678 */
	assert_string_equal(hex(r + 111, 2), "8000");
	assert_string_equal(hex(r + 113, 8), "FFFFFFFFFFFFFFFF");
	assert_string_equal(hex(r + 121, 3), "01234D");
	assert_string_equal(hex(r + 124, 5), "F9F9F9F9F9");
	assert_string_equal(hex(r + 233, 6), "00800F01200F");	/* slots of MON */
	assert_string_equal(hex(r + 242, 6), "00000F00000F");	/* TUE defaults */
	assert_string_equal(hex(r + 261, 2), "0003");			/* ODO count */
	assert_string_equal(hex(r + 263 + 12, 7), "00005C0001050C");
	assert_string_equal(hex(r + 263 + 19 + 12, 7), "00001D0000099C");
	assert_string_equal(hex(r + 263 + 38 + 12, 7), "00000C0000000C");	/* defaults */

	/* zero lines: minimum length, count 0 */
	const char *x0 = "<P><orderRequest><rqLineCount>1</rqLineCount></orderRequest></P>";
	enc_refused(f, &f->m_oin, x0, "CONV-IN-UNKNOWN", "orderRequest");	/* ODO object hidden */
	x0 = "<P><orderRequest/></P>";
	igw_buf_reset(&f->out);
	assert_int_equal(igw_cb_encode_xml(&f->m_oin, &cv, x0, strlen(x0), &f->out, &d), 0);
	assert_int_equal(f->out.len, 263);
	assert_string_equal(hex(f->out.data, 2), "0107");
}

static void orders_reply_segments(void **state)
{
	struct fx *f = *state;
	struct igw_cb_conv cv = { f->cp1047, NULL, 0, "urn:o" };
	struct igw_cb_diag d;
	uint8_t bin[400];
	/* header (89 bytes) + two line segments (28 bytes), IBM-1047 */
	char hx[1024];
	snprintf(hx, sizeof(hx), "%s%s%s%s%s%s%s%s",
		"00590000" "D6D2" "D6D9C4C5D9AD5F5DBD",	/* 'OK' 'ORDER[^)]' (1047: [ AD ^ 5F ] BD) */
		"404040404040404040404040404040404040404040404040404040404040404040404040404040404040404040404040404040",
		"00001234567F" "00000012345C" "F0F0F0F0F0F1F9F9D9" "0002",
		"001C0000" "F0F0F1" "E6C9C4C7C5E34040" "40404040" "00005C" "000001050C" "C1",
		"001C0000" "F0F0F2" "C7C1C4C7C5E34040" "40404040" "00001D" "000000099D" "C2",
		"", "", "");
	/* the header message field: 'ORDER[^)]' is 9 chars + 51 spaces = 60 */
	size_t n = unhex(hx, bin, sizeof(bin));
	assert_int_equal(n, 89 + 28 + 28);
	int rc = igw_cb_decode(&f->m_oout, &cv, "PlaceOrderResponse", bin, n, &f->out, &d);
	if (rc != IGW_OK)
		fail_msg("%s %s %s", d.reason, d.where, d.text);
	assert_string_equal(igw_buf_cstr(&f->out),
		"<PlaceOrderResponse xmlns=\"urn:o\"><orderReplyHdr><rpStatus>OK</rpStatus>"
		"<rpMessage>ORDER[^)]</rpMessage><rpOrderId>1234567</rpOrderId>"
		"<rpTotal>123.45</rpTotal><rpTaxTotal>-19.99</rpTaxTotal><rpLineCount>2</rpLineCount>"
		"</orderReplyHdr>"
		"<orderReplyLine><rlLineNo>1</rlLineNo><rlItem>WIDGET</rlItem><rlQty>5</rlQty>"
		"<rlAmount>10.50</rlAmount><rlStatus>A</rlStatus></orderReplyLine>"
		"<orderReplyLine><rlLineNo>2</rlLineNo><rlItem>GADGET</rlItem><rlQty>-1</rlQty>"
		"<rlAmount>-0.99</rlAmount><rlStatus>B</rlStatus></orderReplyLine>"
		"</PlaceOrderResponse>");
	/* header only is fine (0..5 lines) */
	igw_buf_reset(&f->out);
	assert_int_equal(igw_cb_decode(&f->m_oout, &cv, "R", bin, 89, &f->out, &d), 0);
	/* six lines is one too many */
	uint8_t big[89 + 6 * 28];
	memcpy(big, bin, 89);
	for (int i = 0; i < 6; i++)
		memcpy(big + 89 + 28 * i, bin + 89, 28);
	igw_buf_reset(&f->out);
	assert_int_equal(igw_cb_decode(&f->m_oout, &cv, "R", big, sizeof(big), &f->out, &d),
	                 IGW_ECONV);
	assert_string_equal(d.reason, "CONV-OUT-SEGMENTS");
	assert_int_equal(f->out.len, 0);
	/* a truncated second segment */
	igw_buf_reset(&f->out);
	assert_int_equal(igw_cb_decode(&f->m_oout, &cv, "R", bin, n - 1, &f->out, &d), IGW_ECONV);
	assert_string_equal(d.reason, "CONV-OUT-LENGTH");
	assert_string_equal(d.where, "orderReplyLine[2]");
}

static void redefines_selected(void **state)
{
	struct fx *f = *state;
	const char *sel[] = { "RQ-PICKUP", NULL };
	struct igw_cb_parse_opts po = { IGW_CB_FORMAT_AUTO, sel, NULL };
	struct igw_cb_copybook *cb = NULL;
	struct igw_cb_msg m;
	struct igw_cb_diag d;
	struct igw_cb_conv cv = { f->cp037, NULL, 0, "urn:o" };
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/orders-in.cpy", &po, &cb, &d), 0);
	assert_int_equal(igw_cb_msg_build(cb, NULL, &m, &d), 0);
	const char *x = "<P><orderRequest><rqDelivery><rqDeliveryType>P</rqDeliveryType><rqPickup>"
	                "<rqStoreId>42</rqStoreId><rqPickupDate>2026-11-25</rqPickupDate>"
	                "</rqPickup></rqDelivery></orderRequest></P>";
	assert_int_equal(igw_cb_encode_xml(&m, &cv, x, strlen(x), &f->out, &d), 0);
	/* Python: ('P' + '000042' ... ) -> D7 F0F0F0F0F4F2 F2F0F2F660F1F160F2F5, FILLER blanks */
	assert_string_equal(hex(f->out.data + 129, 17), "D7F0F0F0F0F4F2F2F0F2F660F1F160F2F5");
	for (unsigned i = 146; i < 190; i++)
		assert_int_equal(f->out.data[i], 0x40);
	/* and back */
	struct igw_buf xml;
	igw_buf_init(&xml, 1 << 20);
	assert_int_equal(igw_cb_decode(&m, &cv, "R", f->out.data, f->out.len, &xml, &d), 0);
	assert_non_null(strstr(igw_buf_cstr(&xml), "<rqPickup><rqStoreId>42</rqStoreId>"
	                       "<rqPickupDate>2026-11-25</rqPickupDate></rqPickup>"));
	assert_null(strstr(igw_buf_cstr(&xml), "rqStreet"));
	igw_buf_free(&xml);
	/* the first definition is now the hidden one */
	enc_refused(f, &m, "<a><orderRequest><rqDelivery><rqAddress/></rqDelivery></orderRequest></a>",
	            "CONV-IN-UNKNOWN", "orderRequest/rqDelivery");
	igw_cb_copybook_free(cb);
}

static void elementary_record(void **state)
{
	struct fx *f = *state;
	struct igw_cb_copybook *cb = NULL;
	struct igw_cb_msg m;
	struct igw_cb_diag d;
	struct igw_cb_conv cv = { f->cp037, NULL, 0, NULL };
	const char *src = "01 TOTAL-AMOUNT PIC S9(5)V99 COMP-3.\n";
	assert_int_equal(igw_cb_parse_mem("e", src, strlen(src), NULL, &cb, &d), 0);
	assert_int_equal(igw_cb_msg_build(cb, NULL, &m, &d), 0);
	const char *x = "<w><totalAmount>-12.5</totalAmount></w>";
	assert_int_equal(igw_cb_encode_xml(&m, &cv, x, strlen(x), &f->out, &d), 0);
	assert_string_equal(hex(f->out.data, f->out.len), "0001250D");
	struct igw_buf xml;
	igw_buf_init(&xml, 4096);
	assert_int_equal(igw_cb_decode(&m, &cv, "w", f->out.data, f->out.len, &xml, &d), 0);
	assert_string_equal(igw_buf_cstr(&xml), "<w><totalAmount>-12.50</totalAmount></w>");
	igw_buf_free(&xml);
	enc_refused(f, &m, "<w><totalAmount>x</totalAmount></w>", "CONV-IN-NOT-NUMERIC",
	            "totalAmount");
	igw_cb_copybook_free(cb);
}

/* The IMS side, as the simulator plays it: read the input record field by
 * field, build the output record field by field. */
static void field_access(void **state)
{
	struct fx *f = *state;
	struct igw_cb_conv cv = { f->cp037, "IVTNO", 0, "urn:x" };
	struct igw_cb_diag d;
	struct igw_buf v;
	const char *xml = "<a><inputMsg><inCmd>ADD</inCmd><inName1>A&amp;B</inName1></inputMsg></a>";
	assert_int_equal(igw_cb_encode_xml(&f->m_ivin, &cv, xml, strlen(xml), &f->out, &d), 0);
	const struct igw_cb_field *rin = igw_cb_record(f->ivin, "INPUT-MSG");
	igw_buf_init(&v, 1024);
	assert_int_equal(igw_cb_field_get(f->cp037, igw_cb_find(rin, "IN-NAME1"), f->out.data,
	                                  f->out.len, igw_cb_find(rin, "IN-NAME1")->offset, &v, &d), 0);
	assert_string_equal(igw_buf_cstr(&v), "A&B");		/* not escaped */
	igw_buf_reset(&v);
	assert_int_equal(igw_cb_field_get(f->cp037, igw_cb_find(rin, "IN-LL"), f->out.data,
	                                  f->out.len, 0, &v, &d), 0);
	assert_string_equal(igw_buf_cstr(&v), "59");
	igw_buf_reset(&v);
	assert_int_equal(igw_cb_field_get(f->cp037, igw_cb_find(rin, "IN-TRCD"), f->out.data,
	                                  f->out.len, 4, &v, &d), 0);
	assert_string_equal(igw_buf_cstr(&v), "IVTNO");
	/* a group or a field outside the record */
	assert_int_equal(igw_cb_field_get(f->cp037, rin, f->out.data, f->out.len, 0, &v, &d),
	                 IGW_EINVAL);
	assert_int_equal(igw_cb_field_get(f->cp037, igw_cb_find(rin, "IN-ZIP"), f->out.data,
	                                  10, 52, &v, &d), IGW_EINVAL);

	/* output record */
	const struct igw_cb_field *rout = igw_cb_record(f->ivout, "OUTPUT-MSG");
	uint8_t rec[93];
	assert_int_equal(igw_cb_record_init(f->cp037, rout, rec, sizeof(rec)), 0);
	assert_int_equal(igw_cb_record_init(f->cp037, rout, rec, 10), IGW_EINVAL);
	assert_string_equal(hex(rec, 6), "000000004040");
	const struct igw_cb_field *ll = igw_cb_find(rout, "OUT-LL");
	assert_int_equal(igw_cb_field_set(f->cp037, ll, rec, sizeof(rec), 0, "93", 2, 0, &d), 0);
	const struct igw_cb_field *msg = igw_cb_find(rout, "OUT-MSG");
	assert_int_equal(igw_cb_field_set(f->cp037, msg, rec, sizeof(rec), msg->offset,
	                                  "ENTRY WAS ADDED", 15, 0, &d), 0);
	const struct igw_cb_field *seg = igw_cb_find(rout, "OUT-SEGNO");
	assert_int_equal(igw_cb_field_set(f->cp037, seg, rec, sizeof(rec), seg->offset,
	                                  "00012", 5, 0, &d), IGW_ECONV);
	assert_string_equal(d.reason, "CONV-IN-TOO-LONG");
	assert_string_equal(hex(rec + 89, 4), "40404040");	/* unchanged */
	assert_int_equal(igw_cb_field_set(f->cp037, seg, rec, sizeof(rec), seg->offset,
	                                  "00012", 5, 1, &d), 0);
	assert_int_equal(igw_cb_field_set(f->cp037, ll, rec, sizeof(rec), 0, "x", 1, 0, &d),
	                 IGW_ECONV);
	assert_string_equal(d.reason, "CONV-IN-NOT-NUMERIC");
	igw_buf_reset(&f->out);
	assert_int_equal(igw_cb_decode(&f->m_ivout, &cv, "R", rec, sizeof(rec), &f->out, &d), 0);
	assert_string_equal(igw_buf_cstr(&f->out), "<R xmlns=\"urn:x\"><outputMsg>"
	                    "<outMsg>ENTRY WAS ADDED</outMsg><outCmd></outCmd><outName1></outName1>"
	                    "<outName2></outName2><outExtn></outExtn><outZip></outZip>"
	                    "<outSegno>0001</outSegno></outputMsg></R>");
	igw_buf_free(&v);
}

static void input_refusals(void **state)
{
	struct fx *f = *state;
	const struct igw_cb_msg *iv = &f->m_ivin, *o = &f->m_oin;
	enc_refused(f, iv, "<a><inputMsg>", "CONV-IN-MALFORMED", NULL);
	enc_refused(f, iv, "<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", "CONV-IN-MALFORMED", NULL);
	enc_refused(f, iv, "<a><inputMsg><inCmd>&x;</inCmd></inputMsg></a>", "CONV-IN-MALFORMED",
	            NULL);
	enc_refused(f, iv, "<a><bogus/></a>", "CONV-IN-UNKNOWN", "");
	enc_refused(f, iv, "<a>text<inputMsg/></a>", "CONV-IN-UNKNOWN", "");
	enc_refused(f, iv, "<a/>", "CONV-IN-MISSING", "inputMsg");
	enc_refused(f, iv, "<a><inputMsg/><inputMsg/></a>", "CONV-IN-OCCURS", "inputMsg");
	enc_refused(f, iv, "<a><inputMsg><inZip>1</inZip><inCmd>A</inCmd></inputMsg></a>",
	            "CONV-IN-UNKNOWN", "inputMsg");
	enc_refused(f, iv, "<a><inputMsg><inTrcd>X</inTrcd></inputMsg></a>", "CONV-IN-UNKNOWN",
	            "inputMsg");
	enc_refused(f, iv, "<a><inputMsg><inCmd><b/></inCmd></inputMsg></a>", "CONV-IN-UNKNOWN",
	            "inputMsg/inCmd");
	enc_refused(f, iv, "<a><inputMsg><inCmd>ADD</inCmd><inCmd>X</inCmd></inputMsg></a>",
	            "CONV-IN-OCCURS", "inputMsg");
	enc_refused(f, iv, "<a><inputMsg><inName1>ABCDEFGHIJK</inName1></inputMsg></a>",
	            "CONV-IN-TOO-LONG", "inputMsg/inName1");
	enc_refused(f, iv, "<a><inputMsg><inName1>\xE2\x82\xAC</inName1></inputMsg></a>",
	            "CONV-IN-CHARSET", "inputMsg/inName1");
	enc_refused(f, o, "<a><orderRequest><rqCustomer><rqCustInitials>A1</rqCustInitials>"
	            "</rqCustomer></orderRequest></a>", "CONV-IN-NOT-ALPHA",
	            "orderRequest/rqCustomer/rqCustInitials");
	static const char *const notnum[] = { "12a", "", " ", "1e5", "--1", "1.2.3", "+", ".",
	                                      "0x10", "1 2", "\xD9\xA1" };
	for (size_t i = 0; i < sizeof(notnum) / sizeof(notnum[0]); i++) {
		char x[256];
		snprintf(x, sizeof(x), "<a><orderRequest><rqCustomer><rqCustId>%s</rqCustId>"
		         "</rqCustomer></orderRequest></a>", notnum[i]);
		enc_refused(f, o, x, "CONV-IN-NOT-NUMERIC", "orderRequest/rqCustomer/rqCustId");
	}
	enc_refused(f, o, "<a><orderRequest><rqCustomer><rqCustId>123456789</rqCustId>"
	            "</rqCustomer></orderRequest></a>", "CONV-IN-DIGITS",
	            "orderRequest/rqCustomer/rqCustId");
	enc_refused(f, o, "<a><orderRequest><rqAmounts><rqCreditLimit>1.234</rqCreditLimit>"
	            "</rqAmounts></orderRequest></a>", "CONV-IN-DIGITS",
	            "orderRequest/rqAmounts/rqCreditLimit");
	enc_refused(f, o, "<a><orderRequest><rqAmounts><rqPriority>10000</rqPriority>"
	            "</rqAmounts></orderRequest></a>", "CONV-IN-DIGITS",
	            "orderRequest/rqAmounts/rqPriority");
	enc_refused(f, o, "<a><orderRequest><rqAmounts><rqSeq>32768</rqSeq>"
	            "</rqAmounts></orderRequest></a>", "CONV-IN-DIGITS", "orderRequest/rqAmounts/rqSeq");
	enc_refused(f, o, "<a><orderRequest><rqAmounts><rqCounter>18446744073709551616</rqCounter>"
	            "</rqAmounts></orderRequest></a>", "CONV-IN-DIGITS",
	            "orderRequest/rqAmounts/rqCounter");
	enc_refused(f, o, "<a><orderRequest><rqAmounts><rqUnits>-1</rqUnits>"
	            "</rqAmounts></orderRequest></a>", "CONV-IN-SIGN", "orderRequest/rqAmounts/rqUnits");
	enc_refused(f, o, "<a><orderRequest><rqAmounts><rqDiscountPct>-0.1</rqDiscountPct>"
	            "</rqAmounts></orderRequest></a>", "CONV-IN-SIGN",
	            "orderRequest/rqAmounts/rqDiscountPct");
	enc_refused(f, o, "<a><orderRequest><rqNote>1</rqNote><rqNote>2</rqNote><rqNote>3</rqNote>"
	            "</orderRequest></a>", "CONV-IN-OCCURS", "orderRequest");
	enc_refused(f, o, "<a><orderRequest><rqSchedule><rqSlot>1</rqSlot><rqSlot>2</rqSlot>"
	            "<rqSlot>x</rqSlot></rqSchedule></orderRequest></a>", "CONV-IN-OCCURS",
	            "orderRequest/rqSchedule[1]");
	enc_refused(f, o, "<a><orderRequest><rqSchedule/><rqSchedule/><rqSchedule><rqSlot>1</rqSlot>"
	            "<rqSlot>x</rqSlot></rqSchedule></orderRequest></a>", "CONV-IN-NOT-NUMERIC",
	            "orderRequest/rqSchedule[3]/rqSlot[2]");
	/* the unselected REDEFINES alternative is not accepted */
	enc_refused(f, o, "<a><orderRequest><rqDelivery><rqPickup/></rqDelivery></orderRequest></a>",
	            "CONV-IN-UNKNOWN", "orderRequest/rqDelivery");
	char big[4096];
	size_t k = (size_t)snprintf(big, sizeof(big), "<a><orderRequest>");
	for (int i = 0; i < 21; i++)
		k += (size_t)snprintf(big + k, sizeof(big) - k, "<rqLine/>");
	snprintf(big + k, sizeof(big) - k, "</orderRequest></a>");
	enc_refused(f, o, big, "CONV-IN-OCCURS", "orderRequest");

	/* size limit */
	size_t huge = IGW_CB_XML_IN_MAX + 1;
	char *h = malloc(huge);
	assert_non_null(h);
	memset(h, ' ', huge);
	memcpy(h, "<a>", 3);
	memcpy(h + huge - 4, "</a>", 4);
	struct igw_cb_conv cv = { f->cp037, NULL, 0, NULL };
	struct igw_cb_diag d;
	igw_buf_reset(&f->out);
	assert_int_equal(igw_cb_encode_xml(iv, &cv, h, huge, &f->out, &d), IGW_ECONV);
	assert_string_equal(d.reason, "CONV-IN-LIMIT");
	free(h);
}

static void truncation_and_nil(void **state)
{
	struct fx *f = *state;
	struct igw_cb_conv cv = { f->cp037, NULL, 1, NULL };
	struct igw_cb_diag d;
	const char *x = "<a xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'><inputMsg>"
	                "<inCmd xsi:nil='true'/><inName1>ABCDEFGHIJKLMN</inName1></inputMsg></a>";
	assert_int_equal(igw_cb_encode_xml(&f->m_ivin, &cv, x, strlen(x), &f->out, &d), 0);
	assert_string_equal(hex(f->out.data + 14, 18), "4040404040404040C1C2C3C4C5C6C7C8C9D1");
	/* CDATA and split text nodes are one value */
	x = "<a><inputMsg><inName1>AB<![CDATA[<&]]>C</inName1></inputMsg></a>";
	igw_buf_reset(&f->out);
	assert_int_equal(igw_cb_encode_xml(&f->m_ivin, &cv, x, strlen(x), &f->out, &d), 0);
	assert_string_equal(hex(f->out.data + 22, 6), "C1C24C50C340");
}

static void output_refusals(void **state)
{
	struct fx *f = *state;
	struct igw_cb_copybook *cb = NULL;
	struct igw_cb_msg m;
	struct igw_cb_diag d;
	const char *src =
		"01 R.\n"
		" 05 Z PIC S9(3).\n"		/* 0-2 */
		" 05 U PIC 9(2).\n"		/* 3-4 */
		" 05 P PIC S9(3) COMP-3.\n"	/* 5-6 */
		" 05 Q PIC 9(2) COMP-3.\n"	/* 7-8 */
		" 05 B PIC 9(4) COMP.\n"	/* 9-10 */
		" 05 X PIC X(3).\n"		/* 11-13 */
		" 05 S PIC S9 SIGN LEADING SEPARATE.\n"	/* 14-15 */
		" 05 N PIC 9.\n"		/* 16 */
		" 05 T OCCURS 0 TO 3 DEPENDING ON N PIC X.\n";	/* 17.. */
	assert_int_equal(igw_cb_parse_mem("o", src, strlen(src), NULL, &cb, &d), 0);
	assert_int_equal(igw_cb_msg_build(cb, NULL, &m, &d), 0);
	const char *good = "F0F1C2" "F4F5" "012C" "045F" "270F" "C1C2C3" "4EF5" "F1" "C4";
	struct igw_cb_conv cv = { f->cp037, NULL, 0, "urn:x" };
	uint8_t bin[64];
	size_t n = unhex(good, bin, sizeof(bin));
	assert_int_equal(igw_cb_decode(&m, &cv, "R", bin, n, &f->out, &d), 0);
	assert_string_equal(igw_buf_cstr(&f->out), "<R xmlns=\"urn:x\"><r><z>12</z><u>45</u>"
	                    "<p>12</p><q>45</q><b>9999</b><x>ABC</x><s>5</s><t>D</t></r></R>");
	dec_refused(f, &m, "F0F140" "F4F5" "012C" "045F" "270F" "C1C2C3" "4EF5" "F1" "C4",
	            "CONV-OUT-ZONED", "r[1]/z");
	dec_refused(f, &m, "F0F1C2" "F4C5" "012C" "045F" "270F" "C1C2C3" "4EF5" "F1" "C4",
	            "CONV-OUT-ZONED", "r[1]/u");	/* sign zone in an unsigned field */
	dec_refused(f, &m, "F0FAC2" "F4F5" "012C" "045F" "270F" "C1C2C3" "4EF5" "F1" "C4",
	            "CONV-OUT-ZONED", "r[1]/z");
	dec_refused(f, &m, "F0F1C2" "F4F5" "012C" "045F" "270F" "C1C2C3" "C1F5" "F1" "C4",
	            "CONV-OUT-ZONED", "r[1]/s");
	dec_refused(f, &m, "F0F1C2" "F4F5" "01AC" "045F" "270F" "C1C2C3" "4EF5" "F1" "C4",
	            "CONV-OUT-PACKED", "r[1]/p");
	dec_refused(f, &m, "F0F1C2" "F4F5" "0120" "045F" "270F" "C1C2C3" "4EF5" "F1" "C4",
	            "CONV-OUT-PACKED", "r[1]/p");
	dec_refused(f, &m, "F0F1C2" "F4F5" "012C" "045D" "270F" "C1C2C3" "4EF5" "F1" "C4",
	            "CONV-OUT-PACKED", "r[1]/q");	/* negative in unsigned */
	dec_refused(f, &m, "F0F1C2" "F4F5" "012C" "145F" "270F" "C1C2C3" "4EF5" "F1" "C4",
	            "CONV-OUT-PACKED", "r[1]/q");	/* pad nibble not zero */
	dec_refused(f, &m, "F0F1C2" "F4F5" "012C" "045F" "2710" "C1C2C3" "4EF5" "F1" "C4",
	            "CONV-OUT-DIGITS", "r[1]/b");
	dec_refused(f, &m, "F0F1C2" "F4F5" "012C" "045F" "270F" "C100C3" "4EF5" "F1" "C4",
	            "CONV-OUT-CHARSET", "r[1]/x");
	dec_refused(f, &m, "F0F1C2" "F4F5" "012C" "045F" "270F" "C1C2C3" "4EF5" "F4" "C4C4C4C4",
	            "CONV-OUT-ODO", "r[1]/n");
	dec_refused(f, &m, "F0F1C2" "F4F5" "012C" "045F" "270F" "C1C2C3" "4EF5" "F2" "C4",
	            "CONV-OUT-LENGTH", "r[1]");
	dec_refused(f, &m, "F0F1C2" "F4F5" "012C" "045F" "270F" "C1C2C3" "4EF5" "40" "C4",
	            "CONV-OUT-ZONED", "r[1]/n");
	dec_refused(f, &m, "F0F1C2", "CONV-OUT-LENGTH", "r[1]");
	/* trailing LOW-VALUES and spaces are trimmed; '<' and '&' escaped */
	n = unhex("F0F1C2" "F4F5" "012C" "045F" "270F" "4C5000" "4EF5" "F0", bin, sizeof(bin));
	igw_buf_reset(&f->out);
	assert_int_equal(igw_cb_decode(&m, &cv, "R", bin, n, &f->out, &d), 0);
	assert_non_null(strstr(igw_buf_cstr(&f->out), "<x>&lt;&amp;</x><s>5</s></r>"));
	igw_cb_copybook_free(cb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ivtno_request, setup, teardown),
		cmocka_unit_test_setup_teardown(ivtno_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(orders_request, setup, teardown),
		cmocka_unit_test_setup_teardown(orders_reply_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(redefines_selected, setup, teardown),
		cmocka_unit_test_setup_teardown(elementary_record, setup, teardown),
		cmocka_unit_test_setup_teardown(field_access, setup, teardown),
		cmocka_unit_test_setup_teardown(input_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(truncation_and_nil, setup, teardown),
		cmocka_unit_test_setup_teardown(output_refusals, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
