/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Golden records: one field per row, XML -> bytes and bytes -> XML.
 *
 * Expected bytes were computed independently of imsgw:
 *  - text with Python's codecs (cp037, cp500, cp273, cp1140:
 *    "AB c".encode("cp037").hex() ...), IBM-1047 from IBM's code page
 *    chart (1047 differs from 037 in '[' AD, ']' BD, '^' 5F, '¬' B0);
 *  - zoned, packed and binary by hand from the IBM Enterprise COBOL
 *    Programming Guide rules (zone F, sign C/D, packed sign nibble C/D/F,
 *    big-endian two's complement), e.g. 123456789 = 0x075BCD15 so
 *    -123456789 = 0xF8A432EB.
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

struct row {
	const char *cp;		/* code page */
	const char *decl;	/* clauses after "05 F " */
	const char *in;		/* XML text of the value */
	const char *hex;	/* expected record bytes */
	const char *back;	/* canonical XML text after decoding */
};

static const struct row rows[] = {
	/* zoned decimal */
	{ "IBM-037", "PIC 9(5)", "123", "F0F0F1F2F3", "123" },
	{ "IBM-037", "PIC 9(5)", "  +00123 ", "F0F0F1F2F3", "123" },
	{ "IBM-037", "PIC S9(5)", "-123", "F0F0F1F2D3", "-123" },
	{ "IBM-037", "PIC S9(5)", "123", "F0F0F1F2C3", "123" },
	{ "IBM-037", "PIC S9(5)", "-0", "F0F0F0F0C0", "0" },
	{ "IBM-037", "PIC S9(3)V99", "12.5", "F0F1F2F5C0", "12.50" },
	{ "IBM-037", "PIC S9(3)V99", "-.07", "F0F0F0F0D7", "-0.07" },
	{ "IBM-037", "PIC V99", "0.05", "F0F5", "0.05" },
	{ "IBM-037", "PIC S9(3) SIGN LEADING", "-45", "D0F4F5", "-45" },
	{ "IBM-037", "PIC S9(3) SIGN TRAILING SEPARATE", "-45", "F0F4F560", "-45" },
	{ "IBM-037", "PIC S9(3) SIGN TRAILING SEPARATE", "7", "F0F0F74E", "7" },
	{ "IBM-037", "PIC S9(3) SIGN IS LEADING SEPARATE CHARACTER", "45", "4EF0F4F5", "45" },
	{ "IBM-1047", "PIC S9(3) SIGN LEADING SEPARATE", "-9", "60F0F0F9", "-9" },
	{ "IBM-1047", "PIC S9(4)V9", "-321.5", "F0F3F2F1D5", "-321.5" },
	/* packed decimal */
	{ "IBM-037", "PIC S9(7)V99 COMP-3", "-1234567.89", "123456789D", "-1234567.89" },
	{ "IBM-037", "PIC 9(3) COMP-3", "7", "007F", "7" },
	{ "IBM-037", "PIC S9(4) PACKED-DECIMAL", "1234", "01234C", "1234" },
	{ "IBM-037", "PIC S9(1) COMP-3", "-1", "1D", "-1" },
	{ "IBM-037", "PIC V999 COMP-3", "0.125", "125F", "0.125" },
	{ "IBM-037", "PIC S9(31) COMP-3", "-9999999999999999999999999999999",
	  "9999999999999999999999999999999D", "-9999999999999999999999999999999" },
	{ "IBM-1047", "PIC S9(5)V99 COMPUTATIONAL-3", "10.5", "0001050C", "10.50" },
	/* binary, truncated by PIC digits */
	{ "IBM-037", "PIC S9(4) COMP", "-2", "FFFE", "-2" },
	{ "IBM-037", "PIC 9(4) BINARY", "9999", "270F", "9999" },
	{ "IBM-037", "PIC S9(9) COMP-4", "-123456789", "F8A432EB", "-123456789" },
	{ "IBM-037", "PIC S9(18) COMP", "999999999999999999", "0DE0B6B3A763FFFF",
	  "999999999999999999" },
	{ "IBM-037", "PIC S9(5)V99 COMP", "-0.01", "FFFFFFFF", "-0.01" },
	{ "IBM-1047", "PIC 9(9) COMPUTATIONAL", "305419896", "12345678", "305419896" },
	/* COMP-5: full binary range */
	{ "IBM-037", "PIC S9(4) COMP-5", "-32768", "8000", "-32768" },
	{ "IBM-037", "PIC 9(4) COMP-5", "65535", "FFFF", "65535" },
	{ "IBM-037", "PIC 9(18) COMP-5", "18446744073709551615", "FFFFFFFFFFFFFFFF",
	  "18446744073709551615" },
	{ "IBM-037", "PIC S9(18) COMP-5", "-9223372036854775808", "8000000000000000",
	  "-9223372036854775808" },
	{ "IBM-1047", "PIC S9(9) COMPUTATIONAL-5", "2147483647", "7FFFFFFF", "2147483647" },
	/* text */
	{ "IBM-037", "PIC X(6)", "AB c", "C1C240834040", "AB c" },
	{ "IBM-037", "PIC X(4) JUSTIFIED RIGHT", "AB", "4040C1C2", "AB" },
	{ "IBM-037", "PIC A(3)", "Xy", "E7A840", "Xy" },
	{ "IBM-037", "PIC X(3)", "[]^", "BABBB0", "[]^" },
	{ "IBM-1047", "PIC X(3)", "[]^", "ADBD5F", "[]^" },
	{ "IBM-037", "PIC X(2)", "&amp;&lt;", "504C", "&amp;&lt;" },
	{ "IBM-037", "PIC X(3)", "\xC3\xA9{}", "51C0D0", "\xC3\xA9{}" },
	{ "IBM-1047", "PIC X(5)", "IVTNO", "C9E5E3D5D6", "IVTNO" },
	{ "IBM-500", "PIC X(3)", "[!]", "4A4F5A", "[!]" },
	{ "IBM-273", "PIC X(3)", "\xC3\x84\xC3\x96\xC3\xBC", "4AE0D0", "\xC3\x84\xC3\x96\xC3\xBC" },
	{ "IBM-1140", "PIC X(2)", "\xE2\x82\xAC" "1", "9FF1", "\xE2\x82\xAC" "1" },
	{ "IBM-037", "PIC X(3)", "", "404040", "" },
	/* every kind again in IBM-1047 (numeric bytes are code-page independent
	 * except the separate sign characters, which 1047 keeps at 4E/60) */
	{ "IBM-1047", "PIC 9(5)", "42", "F0F0F0F4F2", "42" },
	{ "IBM-1047", "PIC S9(3) SIGN LEADING", "123", "C1F2F3", "123" },
	{ "IBM-1047", "PIC S9(3) SIGN TRAILING SEPARATE", "-1", "F0F0F160", "-1" },
	{ "IBM-1047", "PIC 9(3) COMP-3", "999", "999F", "999" },
	{ "IBM-1047", "PIC S9(4) BINARY", "-1234", "FB2E", "-1234" },
	{ "IBM-1047", "PIC 9(4) COMP-5", "40000", "9C40", "40000" },
	{ "IBM-1047", "PIC A(3)", "Ab", "C18240", "Ab" },
	{ "IBM-1047", "PIC X(4) JUST RIGHT", "\xC2\xAC|", "4040B04F", "\xC2\xAC|" },
	{ "IBM-037", "PIC X(4) JUST RIGHT", "\xC2\xAC|", "40405F4F", "\xC2\xAC|" },
};

static void hex_of(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02X", p[i]);
	out[2 * n] = 0;
}

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = strlen(h) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(h + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void one_row(const struct row *r)
{
	char src[256], xml[512], hex[256];
	struct igw_cb_copybook *cb = NULL;
	struct igw_cb_codepage *cp = NULL;
	struct igw_cb_msg msg;
	struct igw_cb_diag d;
	struct igw_buf out;
	uint8_t bin[64];

	snprintf(src, sizeof(src), "01 R.\n  05 F %s.\n", r->decl);
	if (igw_cb_parse_mem("golden", src, strlen(src), NULL, &cb, &d) != IGW_OK)
		fail_msg("%s: parse: %s %s", r->decl, d.where, d.text);
	assert_int_equal(igw_cb_msg_build(cb, NULL, &msg, &d), IGW_OK);
	assert_int_equal(igw_cb_codepage_open(r->cp, &cp), IGW_OK);
	struct igw_cb_conv cv = { cp, NULL, 0, NULL };

	/* XML -> bytes */
	snprintf(xml, sizeof(xml), "<w><r><f>%s</f></r></w>", r->in);
	igw_buf_init(&out, 4096);
	int rc = igw_cb_encode_xml(&msg, &cv, xml, strlen(xml), &out, &d);
	if (rc != IGW_OK)
		fail_msg("%s %s '%s': %s %s %s", r->cp, r->decl, r->in, d.reason, d.where, d.text);
	hex_of(out.data, out.len, hex);
	if (strcmp(hex, r->hex) != 0)
		fail_msg("%s %s '%s': got %s want %s", r->cp, r->decl, r->in, hex, r->hex);

	/* bytes -> XML */
	size_t n = unhex(r->hex, bin);
	igw_buf_reset(&out);
	rc = igw_cb_decode(&msg, &cv, "w", bin, n, &out, &d);
	if (rc != IGW_OK)
		fail_msg("%s %s decode %s: %s %s %s", r->cp, r->decl, r->hex, d.reason, d.where, d.text);
	snprintf(xml, sizeof(xml), "<w><r><f>%s</f></r></w>", r->back);
	if (strcmp(igw_buf_cstr(&out), xml) != 0)
		fail_msg("%s %s decode %s: got %s want %s", r->cp, r->decl, r->hex,
		         igw_buf_cstr(&out), xml);
	igw_buf_free(&out);
	igw_cb_codepage_free(cp);
	igw_cb_copybook_free(cb);
}

static void golden_rows(void **state)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		one_row(&rows[i]);
}

/* Every code page the spec names opens through iconv and has the EBCDIC
 * invariants (digits F0-F9, space 40, '+' 4E, '-' 60). */
static void code_pages(void **state)
{
	static const char *const names[] = {
		"IBM-037", "IBM037", "CP037", "037", "1047", "IBM-500", "IBM-273", "IBM-277",
		"IBM-280", "IBM-284", "IBM-285", "IBM-297", "IBM-1140", "IBM-1141",
		"IBM-1142", "IBM-1143", "IBM-1144", "IBM-1145", "IBM-1146", "IBM-1147",
		"IBM-1148",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct igw_cb_codepage *cp = NULL;
		uint8_t e[16];
		size_t n = 0;
		if (igw_cb_codepage_open(names[i], &cp) != IGW_OK)
			fail_msg("code page %s does not open", names[i]);
		assert_int_equal(igw_cb_to_ebcdic(cp, "09 +-", 5, e, sizeof(e), &n), IGW_OK);
		assert_int_equal(n, 5);
		assert_int_equal(e[0], 0xF0);
		assert_int_equal(e[1], 0xF9);
		assert_int_equal(e[2], 0x40);
		assert_int_equal(e[3], 0x4E);
		assert_int_equal(e[4], 0x60);
		igw_cb_codepage_free(cp);
	}
	struct igw_cb_codepage *cp = NULL;
	assert_int_equal(igw_cb_codepage_open("IBM-99999", &cp), IGW_ENOTFOUND);
	assert_null(cp);
	/* ASCII code pages are refused: zoned decimal needs EBCDIC digits */
	assert_int_equal(igw_cb_codepage_open("ISO-8859-1", &cp), IGW_EUNSUPPORTED);
	assert_int_equal(igw_cb_codepage_open("UTF-8", &cp), IGW_EUNSUPPORTED);
	assert_int_equal(igw_cb_codepage_open("", &cp), IGW_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_rows),
		cmocka_unit_test(code_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
