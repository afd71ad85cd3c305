/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the converter on the orders sample layout (built in, so the
 * target needs no files).  First byte even: bytes -> XML (decode of a
 * multi-segment reply); odd: XML -> bytes (encode of a request).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "copybook/copybook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char REPLY[] =
	"01 ORDER-REPLY-HDR.\n 05 RP-LL PIC S9(4) COMP.\n 05 RP-ZZ PIC S9(4) COMP.\n"
	" 05 RP-STATUS PIC X(2).\n 05 RP-ORDER-ID PIC 9(10) COMP-3.\n"
	" 05 RP-TOTAL PIC S9(9)V99 COMP-3.\n 05 RP-TAX PIC S9(7)V99.\n"
	" 05 RP-SIGNED PIC S9(3) SIGN LEADING SEPARATE.\n 05 RP-COUNT PIC 9(4) BINARY.\n"
	" 05 RP-C5 PIC S9(9) COMP-5.\n 05 RP-NAME PIC X(8) JUSTIFIED RIGHT.\n"
	" 05 RP-N PIC 9(2).\n 05 RP-T OCCURS 0 TO 5 DEPENDING ON RP-N.\n"
	"  10 RP-TX PIC A(2).\n  10 RP-TP PIC S9(3)V9 COMP-3.\n"
	"01 ORDER-REPLY-LINE.\n 05 RL-LL PIC S9(4) COMP.\n 05 RL-ZZ PIC S9(4) COMP.\n"
	" 05 RL-NO PIC 9(3).\n 05 RL-ITEM PIC X(12).\n 05 RL-AMT PIC S9(7)V99 COMP-3.\n";

static const char REQUEST[] =
	"01 ORDER-REQUEST.\n 05 RQ-LL PIC S9(4) COMP.\n 05 RQ-ZZ PIC S9(4) COMP.\n"
	" 05 RQ-TRANCODE PIC X(8).\n 05 RQ-CUST.\n  10 RQ-ID PIC 9(8).\n  10 RQ-NAME PIC X(30).\n"
	"  10 RQ-INIT PIC A(3).\n 05 RQ-AMT PIC S9(7)V99 COMP-3.\n 05 RQ-B PIC S9(4) COMP.\n"
	" 05 RQ-C PIC 9(18) COMP-5.\n 05 RQ-Z PIC S9(5)V99 SIGN TRAILING SEPARATE.\n"
	" 05 RQ-NOTE PIC X(5) OCCURS 2.\n 05 RQ-SCHED OCCURS 3.\n  10 RQ-DAY PIC X(3).\n"
	"  10 RQ-SLOT PIC 9(4) COMP-3 OCCURS 2.\n 05 RQ-N PIC S9(4) COMP.\n"
	" 05 RQ-LINE OCCURS 0 TO 20 DEPENDING ON RQ-N.\n  10 RQ-ITEM PIC X(12).\n"
	"  10 RQ-QTY PIC S9(5) COMP-3.\n";

static struct igw_cb_copybook *cb_out, *cb_in;
static struct igw_cb_msg m_out, m_in;
static struct igw_cb_codepage *cp;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct igw_cb_diag d;
	struct igw_buf b;
	if (!cp) {
		if (igw_cb_parse_mem("reply", REPLY, strlen(REPLY), NULL, &cb_out, &d) != IGW_OK ||
		    igw_cb_parse_mem("request", REQUEST, strlen(REQUEST), NULL, &cb_in, &d) != IGW_OK ||
		    igw_cb_msg_build(cb_out, "ORDER-REPLY-HDR,ORDER-REPLY-LINE*", &m_out, &d) != IGW_OK ||
		    igw_cb_msg_build(cb_in, NULL, &m_in, &d) != IGW_OK ||
		    igw_cb_codepage_open("IBM-037", &cp) != IGW_OK)
			abort();
	}
	if (size == 0)
		return 0;
	struct igw_cb_conv cv = { cp, "ORDERS", (data[0] & 2) != 0, "urn:fuzz" };
	igw_buf_init(&b, IGW_CB_XML_OUT_MAX);
	if ((data[0] & 1) == 0)
		(void)igw_cb_decode(&m_out, &cv, "R", data + 1, size - 1, &b, &d);
	else
		(void)igw_cb_encode_xml(&m_in, &cv, (const char *)data + 1, size - 1, &b, &d);
	igw_buf_free(&b);
	return 0;
}
