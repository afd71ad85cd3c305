/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Copybook parser and layout: sizes and offsets as IBM COBOL allocates
 * them, source formats, roles, names, and every refusal with file:line. */
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

#ifndef CB_SAMPLES
#error "CB_SAMPLES must name copybook/samples"
#endif

static struct igw_cb_copybook *parse_ok(const char *src)
{
	struct igw_cb_copybook *cb = NULL;
	struct igw_cb_diag d;
	int rc = igw_cb_parse_mem("t.cpy", src, strlen(src), NULL, &cb, &d);
	if (rc != IGW_OK)
		fail_msg("parse failed (%s): %s %s\n%s", igw_errname(rc), d.where, d.text, src);
	return cb;
}

static void parse_fails(const char *src, int want, const char *where, const char *text)
{
	struct igw_cb_copybook *cb = NULL;
	struct igw_cb_diag d;
	int rc = igw_cb_parse_mem("t.cpy", src, strlen(src), NULL, &cb, &d);
	if (rc != want)
		fail_msg("want %s got %s (%s %s) for:\n%s", igw_errname(want), igw_errname(rc),
		         d.where, d.text, src);
	assert_null(cb);
	if (strcmp(d.where, where) != 0)
		fail_msg("where: got '%s' want '%s' (%s)", d.where, where, d.text);
	if (!strstr(d.text, text))
		fail_msg("text: '%s' lacks '%s'", d.text, text);
}

static const struct igw_cb_field *field(const struct igw_cb_copybook *cb, const char *n)
{
	const struct igw_cb_field *f = NULL;
	for (unsigned i = 0; i < igw_cb_record_count(cb) && !f; i++)
		f = igw_cb_find(igw_cb_record_at(cb, i), n);
	if (!f)
		fail_msg("no field %s", n);
	return f;
}

static void ivtno_samples(void **state)
{
	struct igw_cb_copybook *in = NULL, *out = NULL;
	struct igw_cb_diag d;
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/ivtno-in.cpy", NULL, &in, &d), IGW_OK);
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/ivtno-out.cpy", NULL, &out, &d), IGW_OK);
	const struct igw_cb_field *r = igw_cb_record(in, "input-msg");
	assert_non_null(r);
	assert_int_equal(r->size, 59);
	assert_string_equal(r->xml_name, "inputMsg");
	assert_int_equal(field(in, "IN-LL")->role, IGW_CB_ROLE_LL);
	assert_int_equal(field(in, "IN-ZZ")->role, IGW_CB_ROLE_ZZ);
	assert_int_equal(field(in, "IN-TRCD")->role, IGW_CB_ROLE_TRANCODE);
	assert_int_equal(field(in, "IN-TRCD")->size, 10);
	assert_int_equal(field(in, "IN-CMD")->offset, 14);
	assert_int_equal(field(in, "IN-NAME1")->offset, 22);
	assert_int_equal(field(in, "IN-ZIP")->offset, 52);
	assert_string_equal(field(in, "IN-NAME1")->xml_name, "inName1");
	r = igw_cb_record(out, "OUTPUT-MSG");
	assert_int_equal(r->size, 93);
	assert_int_equal(field(out, "OUT-SEGNO")->offset, 89);
	assert_int_equal(field(out, "OUT-LL")->role, IGW_CB_ROLE_LL);
	assert_int_equal(field(out, "OUT-MSG")->role, IGW_CB_ROLE_DATA);
	igw_cb_copybook_free(in);
	igw_cb_copybook_free(out);
}

static void orders_sample(void **state)
{
	struct igw_cb_copybook *cb = NULL;
	struct igw_cb_diag d;
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/orders-in.cpy", NULL, &cb, &d), IGW_OK);
	const struct igw_cb_field *r = igw_cb_record(cb, "ORDER-REQUEST");
	/* 4 + 8 + 50 (customer) + 67 (amounts) + 61 + 2*20 + 3*9 + 4 + 2 + 20*19 */
	assert_int_equal(r->size, 643);
	assert_int_equal(igw_cb_record_min_size(r), 263);
	assert_ptr_equal(igw_cb_record_odo(r), field(cb, "RQ-LINE"));
	assert_ptr_equal(field(cb, "RQ-LINE")->depending, field(cb, "RQ-LINE-COUNT"));
	assert_int_equal(field(cb, "RQ-LINE-COUNT")->role, IGW_CB_ROLE_ODO_COUNT);
	assert_int_equal(field(cb, "RQ-TRANCODE")->role, IGW_CB_ROLE_TRANCODE);
	assert_int_equal(field(cb, "RQ-CREDIT-LIMIT")->size, 5);
	assert_int_equal(field(cb, "RQ-DISCOUNT-PCT")->size, 2);
	assert_int_equal(field(cb, "RQ-DISCOUNT-PCT")->scale, 3);
	assert_int_equal(field(cb, "RQ-BALANCE")->size, 11);
	assert_int_equal(field(cb, "RQ-TAX")->size, 6);
	assert_true(field(cb, "RQ-TAX")->sign_separate);
	assert_false(field(cb, "RQ-TAX")->sign_leading);
	assert_true(field(cb, "RQ-REBATE")->sign_leading);
	assert_int_equal(field(cb, "RQ-ACCOUNT")->size, 8);
	assert_int_equal(field(cb, "RQ-ACCOUNT")->type, IGW_CB_BINARY);
	assert_int_equal(field(cb, "RQ-COUNTER")->type, IGW_CB_COMP5);
	assert_int_equal(field(cb, "RQ-PACKED-EVEN")->size, 3);
	assert_true(field(cb, "RQ-CUST-REF")->justified);
	assert_int_equal(field(cb, "RQ-CUST-INITIALS")->type, IGW_CB_ALPHA);
	/* REDEFINES: same offset, first definition visible by default */
	assert_int_equal(field(cb, "RQ-PICKUP")->offset, field(cb, "RQ-ADDRESS")->offset);
	assert_ptr_equal(field(cb, "RQ-PICKUP")->redefines, field(cb, "RQ-ADDRESS"));
	assert_int_equal(field(cb, "RQ-PICKUP")->role, IGW_CB_ROLE_UNSELECTED);
	assert_true(field(cb, "RQ-STORE-ID")->hidden);
	assert_false(field(cb, "RQ-STREET")->hidden);
	/* nested OCCURS */
	assert_int_equal(field(cb, "RQ-SCHEDULE")->occurs_max, 3);
	assert_int_equal(field(cb, "RQ-SCHEDULE")->size, 9);
	assert_int_equal(field(cb, "RQ-SLOT")->rel, 3);
	assert_int_equal(field(cb, "RQ-NOTE")->offset, 190);
	igw_cb_copybook_free(cb);

	/* a service may pick the other REDEFINES alternative */
	const char *sel[] = { "rq-pickup", NULL };
	struct igw_cb_parse_opts po = { IGW_CB_FORMAT_AUTO, sel, NULL };
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/orders-in.cpy", &po, &cb, &d), IGW_OK);
	assert_int_equal(field(cb, "RQ-ADDRESS")->role, IGW_CB_ROLE_UNSELECTED);
	assert_int_equal(field(cb, "RQ-PICKUP")->role, IGW_CB_ROLE_DATA);
	assert_false(field(cb, "RQ-STORE-ID")->hidden);
	assert_true(field(cb, "RQ-STREET")->hidden);
	igw_cb_copybook_free(cb);

	/* two alternatives of one item cannot both be selected */
	const char *sel2[] = { "RQ-PICKUP", "RQ-ADDRESS", NULL };
	po.select = sel2;
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/orders-in.cpy", &po, &cb, &d), IGW_ECONFIG);
	assert_null(cb);
	assert_non_null(strstr(d.text, "more than one REDEFINES"));
}

static void allocation_sizes(void **state)
{
	static const struct { const char *decl; unsigned size; } t[] = {
		{ "PIC 9", 1 }, { "PIC S9(4)", 4 }, { "PIC S9(4) SIGN LEADING SEPARATE", 5 },
		{ "PIC 9(1) COMP", 2 }, { "PIC S9(4) COMP", 2 }, { "PIC 9(5) COMP", 4 },
		{ "PIC S9(9) BINARY", 4 }, { "PIC 9(10) COMP-4", 8 }, { "PIC S9(18) COMP-5", 8 },
		{ "PIC 9(1) COMP-3", 1 }, { "PIC 9(2) COMP-3", 2 }, { "PIC S9(3) COMP-3", 2 },
		{ "PIC S9(6)V9(3) COMP-3", 5 }, { "PIC 9(31) COMP-3", 16 }, { "PIC X(100)", 100 },
		{ "PIC XXXX", 4 }, { "PIC A(2)X(3)", 5 }, { "PIC 99V99", 4 },
		{ "PICTURE IS S9(3)V9(2) USAGE IS COMPUTATIONAL-3", 3 }, { "PIC X OCCURS 7", 1 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char src[200];
		snprintf(src, sizeof(src), "       01 R.\n           05 F %s.\n", t[i].decl);
		struct igw_cb_copybook *cb = parse_ok(src);
		if (field(cb, "F")->size != t[i].size)
			fail_msg("%s: size %u want %u", t[i].decl, field(cb, "F")->size, t[i].size);
		igw_cb_copybook_free(cb);
	}
}

static void group_usage_and_sign(void **state)
{
	struct igw_cb_copybook *cb = parse_ok(
		"01 R.\n"
		"  05 G1 COMP-3.\n"
		"    10 A PIC S9(5).\n"
		"    10 B PIC 9(2).\n"
		"  05 G2 SIGN IS LEADING SEPARATE.\n"
		"    10 C PIC S9(3).\n"
		"    10 D PIC 9(3).\n"
		"  05 E PIC X(2).\n");
	assert_int_equal(field(cb, "A")->type, IGW_CB_PACKED);
	assert_int_equal(field(cb, "A")->size, 3);
	assert_int_equal(field(cb, "B")->size, 2);
	assert_int_equal(field(cb, "C")->size, 4);
	assert_true(field(cb, "C")->sign_leading);
	assert_int_equal(field(cb, "D")->size, 3);	/* unsigned: no sign */
	assert_int_equal(field(cb, "E")->offset, 3 + 2 + 4 + 3);
	igw_cb_copybook_free(cb);
}

static void source_formats(void **state)
{
	/* fixed: sequence numbers, comments, '/' page eject, D debug line,
	 * identification area 73-80, a word split over a continuation line */
	struct igw_cb_copybook *cb = parse_ok(
		"000100* COMMENT LINE WITH 01 BOGUS PIC X.\n"
		"000200/\n"
		"000300 01  REC.                                                         ABCD0001\n"
		"000400     05  FIELD-ONE   PIC X(5).                                    ABCD0002\n"
		"000500D    05  DEBUG-ONLY  PIC X(9).\n"
		"000600     05  FIELD-TW\n"
		"000700-        O           PIC 9(3) VALUE ZERO.\n"
		"000800     05  FIELD-3     PIC X VALUE 'A''B'. *> inline comment\n");
	const struct igw_cb_field *r = igw_cb_record(cb, "REC");
	assert_int_equal(r->size, 9);
	assert_int_equal(field(cb, "FIELD-TWO")->offset, 5);
	assert_null(igw_cb_find(r, "DEBUG-ONLY"));
	igw_cb_copybook_free(cb);

	/* free format: starts in column 1, *> comments, lower case */
	cb = parse_ok(
		"*> free format copybook\n"
		"01 rec. *> record\n"
		"   05 a pic x(3).\n"
		"   05 b pic s9(3)v9 comp-3 value -1.5.\n"
		"   05 c pic 9 occurs 2 times.\n");
	assert_int_equal(igw_cb_record(cb, "REC")->size, 3 + 3 + 2);
	assert_int_equal(field(cb, "B")->scale, 1);
	igw_cb_copybook_free(cb);

	/* explicit format option */
	struct igw_cb_parse_opts po = { IGW_CB_FORMAT_FREE, NULL, NULL };
	struct igw_cb_diag d;
	const char *src = "       01 R.\n         05 X PIC X.\n";
	assert_int_equal(igw_cb_parse_mem("f", src, strlen(src), &po, &cb, &d), IGW_OK);
	igw_cb_copybook_free(cb);

	/* literal continued to column 72 (the orders sample has one too) */
	cb = parse_ok(
		"       01 R.\n"
		"           05 A PIC X(80) VALUE 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
		"      -    'BBBB'.\n"
		"           05 B PIC X.\n");
	assert_int_equal(field(cb, "B")->offset, 80);
	igw_cb_copybook_free(cb);
}

static void levels(void **state)
{
	struct igw_cb_copybook *cb = parse_ok(
		"01 R.\n"
		" 03 G.\n"
		"  07 A PIC X.\n"
		"   88 A-YES VALUE 'Y'.\n"
		"   88 A-RANGE VALUES 'A' THRU 'F' 'X'.\n"
		"  07 B PIC X.\n"
		" 03 C PIC X(2).\n"
		" 03 PIC X(3).\n"
		" 03 FILLER PIC 9.\n"
		"01 S REDEFINES R.\n"
		" 05 T PIC X(8).\n"
		"01 U.\n"
		" 05 V PIC X.\n");
	assert_int_equal(igw_cb_record_count(cb), 3);
	assert_int_equal(igw_cb_record(cb, "R")->size, 8);
	assert_int_equal(field(cb, "C")->offset, 2);
	assert_ptr_equal(igw_cb_record(cb, "S")->redefines, igw_cb_record(cb, "R"));
	const struct igw_cb_field *g = field(cb, "G");
	assert_int_equal(g->next->next->role, IGW_CB_ROLE_FILLER);
	assert_string_equal(g->next->next->name, "FILLER");
	igw_cb_copybook_free(cb);
	/* default message: every 01 except a REDEFINES of another 01 */
	cb = parse_ok("01 A.\n 05 A-LL PIC S9(4) COMP.\n 05 A-ZZ PIC S9(4) COMP.\n"
	              " 05 X PIC X(4).\n01 B REDEFINES A.\n 05 Y PIC X(8).\n"
	              "01 C.\n 05 C-LL PIC S9(4) COMP.\n 05 C-ZZ PIC S9(4) COMP.\n"
	              " 05 Z PIC X.\n");
	struct igw_cb_msg m;
	struct igw_cb_diag d;
	assert_int_equal(igw_cb_msg_build(cb, NULL, &m, &d), IGW_OK);
	assert_int_equal(m.nseg, 2);
	assert_string_equal(m.seg[0].rec->name, "A");
	assert_string_equal(m.seg[1].rec->name, "C");
	igw_cb_copybook_free(cb);
}

static void refusals(void **state)
{
	parse_fails("01 R.\n 05 A PIC X SYNC.\n", IGW_EUNSUPPORTED, "t.cpy:2", "SYNCHRONIZED");
	parse_fails("01 R.\n 05 A PIC X.\n 66 B RENAMES A.\n", IGW_EUNSUPPORTED, "t.cpy:3", "level 66");
	parse_fails("77 A PIC X.\n", IGW_EUNSUPPORTED, "t.cpy:1", "level 77");
	parse_fails("01 R.\n\n 05 A PIC 9(3)PP.\n", IGW_EUNSUPPORTED, "t.cpy:3", "PICTURE P");
	parse_fails("01 R.\n 05 A PIC ZZ9.99.\n", IGW_EUNSUPPORTED, "t.cpy:2", "edited");
	parse_fails("01 R.\n 05 A PIC -9(3).\n", IGW_EUNSUPPORTED, "t.cpy:2", "edited");
	parse_fails("01 R.\n 05 A COMP-1.\n", IGW_EUNSUPPORTED, "t.cpy:2", "COMP-1");
	parse_fails("01 R.\n 05 A USAGE POINTER.\n", IGW_EUNSUPPORTED, "t.cpy:2", "POINTER");
	parse_fails("01 R.\n 05 A PIC N(3).\n", IGW_EUNSUPPORTED, "t.cpy:2", "national");
	parse_fails("01 R.\n 05 A PIC 9 BLANK WHEN ZERO.\n", IGW_EUNSUPPORTED, "t.cpy:2", "BLANK");
	parse_fails("01 R.\n COPY OTHER.\n", IGW_EUNSUPPORTED, "t.cpy:2", "COPY");
	parse_fails("01 R.\n 05 A PIC 9(19) COMP.\n", IGW_EUNSUPPORTED, "t.cpy:2", "18 digits");
	parse_fails("01 R.\n 05 A PIC 9(32).\n", IGW_EUNSUPPORTED, "t.cpy:2", "31 digits");
	parse_fails("01 R.\n 05 A PIC X.\n 05 B REDEFINES A PIC X(2).\n", IGW_EUNSUPPORTED,
	            "t.cpy:3", "larger");
	parse_fails("01 R.\n 05 A PIC X.\n 05 C PIC X.\n 05 B REDEFINES A PIC X.\n", IGW_EPARSE,
	            "t.cpy:4", "preceding item");
	parse_fails("01 R.\n 05 N PIC 9.\n 05 T OCCURS 1 TO 5 DEPENDING ON N PIC X.\n 05 Z PIC X.\n",
	            IGW_EUNSUPPORTED, "t.cpy:3", "complex ODO");
	parse_fails("01 R.\n 05 N PIC 9.\n 05 O OCCURS 2.\n  10 T OCCURS 1 TO 5 DEPENDING ON N PIC X.\n",
	            IGW_EUNSUPPORTED, "t.cpy:4", "inside another OCCURS");
	parse_fails("01 R.\n 05 T OCCURS 1 TO 5 DEPENDING ON M PIC X.\n", IGW_EPARSE,
	            "t.cpy:2", "no such item");
	parse_fails("01 R.\n 05 N PIC X.\n 05 T OCCURS 1 TO 5 DEPENDING ON N PIC X.\n", IGW_EPARSE,
	            "t.cpy:3", "not an integer");
	parse_fails("01 R.\n 05 N PIC 9.\n 05 T OCCURS 1 TO 10 DEPENDING ON N PIC X.\n",
	            IGW_EPARSE, "t.cpy:3", "too few digits");
	parse_fails("01 R.\n 05 T OCCURS 1 TO 5 PIC X.\n", IGW_EPARSE, "t.cpy:2", "DEPENDING");
	parse_fails("01 R OCCURS 2.\n 05 A PIC X.\n", IGW_EPARSE, "t.cpy:1", "level 01");
	parse_fails("01 R.\n 05 A PIC X.\n  10 B PIC X.\n", IGW_EPARSE, "t.cpy:3", "PICTURE");
	parse_fails("01 R.\n 05 A.\n", IGW_EPARSE, "t.cpy:2", "without PICTURE");
	parse_fails("01 R.\n 05 A.\n  10 B PIC X.\n 03 C PIC X.\n", IGW_EPARSE, "t.cpy:4",
	            "does not match");
	parse_fails("01 R.\n 05 A PIC X.\n 05 A PIC X.\n", IGW_EPARSE, "t.cpy:3", "sibling");
	parse_fails("01 R.\n 05 A-B PIC X.\n 05 A--B PIC X.\n", IGW_EPARSE, "t.cpy:3", "sibling");
	parse_fails("01 R.\n 05 A PIC X(0).\n", IGW_EPARSE, "t.cpy:2", "repetition");
	parse_fails("01 R.\n 05 A PIC X(40000).\n", IGW_EPARSE, "t.cpy:2", "repetition");
	parse_fails("01 R.\n 05 A PIC SX.\n", IGW_EPARSE, "t.cpy:2", "alphanumeric");
	parse_fails("01 R.\n 05 A PIC X COMP.\n", IGW_EPARSE, "t.cpy:2", "non-DISPLAY");
	parse_fails("01 R.\n 05 A PIC 9 SIGN LEADING.\n", IGW_EPARSE, "t.cpy:2", "SIGN");
	parse_fails("01 R.\n 05 A PIC X VALUE 'abc.\n", IGW_EPARSE, "t.cpy:2", "literal");
	parse_fails("01 R.\n 05 A PIC X\n 05 B PIC X.\n", IGW_EPARSE, "t.cpy:3", "period");
	parse_fails("05 A PIC X.\n", IGW_EPARSE, "t.cpy:1", "before any 01");
	parse_fails("* only a comment\n", IGW_EPARSE, "t.cpy:1", "no 01");
	parse_fails("01 R.\n 05 A PIC X(20000).\n 05 B PIC X(20000).\n", IGW_ELIMIT, "t.cpy:3",
	            "32767");
	parse_fails("01 R.\n 05 A PIC X WHATEVER.\n", IGW_EPARSE, "t.cpy:2", "unexpected");
	/* an invalid indicator in column 7 (fixed format forced) */
	struct igw_cb_parse_opts po = { IGW_CB_FORMAT_FIXED, NULL, NULL };
	struct igw_cb_copybook *cb = NULL;
	struct igw_cb_diag d;
	const char *src = "       01 R.\n      X    05 A PIC X.\n";
	assert_int_equal(igw_cb_parse_mem("t.cpy", src, strlen(src), &po, &cb, &d), IGW_EPARSE);
	assert_string_equal(d.where, "t.cpy:2");
	assert_non_null(strstr(d.text, "indicator"));
	/* fixed format: an open literal needs a continuation line */
	po.format = IGW_CB_FORMAT_FIXED;
	src = "       01 R.\n           05 A PIC X(80) VALUE 'ABC\n           05 B PIC X.\n";
	assert_int_equal(igw_cb_parse_mem("t.cpy", src, strlen(src), &po, &cb, &d), IGW_EPARSE);
	assert_string_equal(d.where, "t.cpy:3");
	assert_non_null(strstr(d.text, "continuation"));
	src = "       01 R.\n           05 A PIC X(80) VALUE 'ABC\n      -    B'.\n";
	assert_int_equal(igw_cb_parse_mem("t.cpy", src, strlen(src), &po, &cb, &d), IGW_EPARSE);
	assert_string_equal(d.where, "t.cpy:3");
	assert_non_null(strstr(d.text, "quote"));
	/* a free-format literal may not span lines */
	po.format = IGW_CB_FORMAT_FREE;
	src = "01 R.\n 05 A PIC X VALUE 'ab\n 'c'.\n";
	assert_int_equal(igw_cb_parse_mem("t.cpy", src, strlen(src), &po, &cb, &d), IGW_EPARSE);
	assert_string_equal(d.where, "t.cpy:2");
}

static void xml_names(void **state)
{
	static const char *const t[][2] = {
		{ "IN-NAME1", "inName1" }, { "OUT-SEGNO", "outSegno" }, { "A", "a" },
		{ "WS-ORDER-TOTAL-AMT", "wsOrderTotalAmt" }, { "1ST-LINE", "_1stLine" },
		{ "X_Y", "xY" }, { "ABC--DEF", "abcDef" }, { "rq-cust-id", "rqCustId" },
	};
	char out[IGW_CB_XML_NAME_MAX + 1];
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(igw_cb_xml_name(t[i][0], out), IGW_OK);
		assert_string_equal(out, t[i][1]);
	}
	assert_int_equal(igw_cb_xml_name("", out), IGW_EINVAL);
}

static void message_specs(void **state)
{
	struct igw_cb_copybook *cb = NULL;
	struct igw_cb_diag d;
	struct igw_cb_msg m;
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/orders-out.cpy", NULL, &cb, &d), IGW_OK);
	assert_int_equal(igw_cb_msg_build(cb, "ORDER-REPLY-HDR,ORDER-REPLY-LINE*", &m, &d), IGW_OK);
	assert_int_equal(m.nseg, 2);
	assert_int_equal(m.seg[1].min, 0);
	assert_int_equal(m.seg[1].max, IGW_CB_SEGMENTS_MAX);
	assert_int_equal(igw_cb_msg_build(cb, "order-reply-hdr, order-reply-line{2,5}", &m, &d),
	                 IGW_OK);
	assert_int_equal(m.seg[1].min, 2);
	assert_int_equal(m.seg[1].max, 5);
	assert_int_equal(igw_cb_msg_build(cb, "ORDER-REPLY-LINE+", &m, &d), IGW_OK);
	assert_int_equal(m.seg[0].min, 1);
	assert_int_equal(igw_cb_msg_build(cb, "ORDER-REPLY-LINE*,ORDER-REPLY-HDR", &m, &d),
	                 IGW_ECONFIG);
	assert_non_null(strstr(d.text, "only the last"));
	assert_int_equal(igw_cb_msg_build(cb, "NOPE", &m, &d), IGW_ECONFIG);
	assert_int_equal(igw_cb_msg_build(cb, "ORDER-REPLY-HDR{3,1}", &m, &d), IGW_ECONFIG);
	assert_int_equal(igw_cb_msg_build(cb, "ORDER-REPLY-HDR,ORDER-REPLY-HDR", &m, &d),
	                 IGW_ECONFIG);
	igw_cb_copybook_free(cb);
	/* more than one segment needs LL fields */
	cb = parse_ok("01 A.\n 05 X PIC X.\n01 B.\n 05 Y PIC X.\n");
	assert_int_equal(igw_cb_msg_build(cb, NULL, &m, &d), IGW_ECONFIG);
	assert_non_null(strstr(d.text, "LL"));
	assert_int_equal(igw_cb_msg_build(cb, "A", &m, &d), IGW_OK);
	igw_cb_copybook_free(cb);
}

static void dump_listing(void **state)
{
	struct igw_cb_copybook *cb = NULL;
	struct igw_cb_diag d;
	struct igw_buf b;
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/orders-in.cpy", NULL, &cb, &d), IGW_OK);
	igw_buf_init(&b, 1 << 20);
	assert_int_equal(igw_cb_dump(igw_cb_record_at(cb, 0), &b), IGW_OK);
	assert_non_null(strstr(igw_buf_cstr(&b), "RQ-LINE"));
	assert_non_null(strstr(igw_buf_cstr(&b), "depending=RQ-LINE-COUNT"));
	igw_buf_free(&b);
	igw_cb_copybook_free(cb);
	assert_int_equal(igw_cb_parse_file(CB_SAMPLES "/no-such.cpy", NULL, &cb, &d),
	                 IGW_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ivtno_samples),
		cmocka_unit_test(orders_sample),
		cmocka_unit_test(allocation_sizes),
		cmocka_unit_test(group_usage_and_sign),
		cmocka_unit_test(source_formats),
		cmocka_unit_test(levels),
		cmocka_unit_test(refusals),
		cmocka_unit_test(xml_names),
		cmocka_unit_test(message_specs),
		cmocka_unit_test(dump_listing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
