/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Round trips over many generated values:
 *  - numbers: canonical text -> bytes -> text is the identity for every
 *    numeric kind (zoned with each sign form, packed, binary, COMP-5),
 *    with values drawn up to the full PIC (or binary) range;
 *  - text: EBCDIC bytes -> XML -> EBCDIC bytes is the identity for every
 *    byte a code page maps to an XML character, in every code page.
 * A fixed-seed generator keeps failures reproducible.
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

#define VALUES_PER_KIND 3000
#define TEXTS_PER_PAGE 500

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Du;
}

struct kind {
	const char *decl;
	unsigned idig, fdig;	/* integer and fraction digits to generate */
	int sign;
	int comp5_bytes;	/* COMP-5: generate from the binary range instead */
};

static const struct kind kinds[] = {
	{ "PIC 9(7)", 7, 0, 0, 0 },
	{ "PIC S9(9)V99", 9, 2, 1, 0 },
	{ "PIC S9(5)V9(3) SIGN LEADING", 5, 3, 1, 0 },
	{ "PIC S9(4)V9 SIGN TRAILING SEPARATE", 4, 1, 1, 0 },
	{ "PIC S9(6) SIGN LEADING SEPARATE", 6, 0, 1, 0 },
	{ "PIC S9(18) COMP-3", 18, 0, 1, 0 },
	{ "PIC S9(25)V9(6) COMP-3", 25, 6, 1, 0 },
	{ "PIC 9(6)V99 COMP-3", 6, 2, 0, 0 },
	{ "PIC S9(4) COMP", 4, 0, 1, 0 },
	{ "PIC 9(4) COMP", 4, 0, 0, 0 },
	{ "PIC S9(7)V99 BINARY", 7, 2, 1, 0 },
	{ "PIC S9(18) COMP-4", 18, 0, 1, 0 },
	{ "PIC 9(18) COMP", 18, 0, 0, 0 },
	{ "PIC S9(4) COMP-5", 0, 0, 1, 2 },
	{ "PIC 9(9) COMP-5", 0, 0, 0, 4 },
	{ "PIC S9(18) COMP-5", 0, 0, 1, 8 },
	{ "PIC 9(18) COMP-5", 0, 0, 0, 8 },
};

/* canonical text of a generated value */
static void gen_value(const struct kind *k, char *out)
{
	char *o = out;
	int neg = k->sign && (rnd() & 1);
	if (k->comp5_bytes) {
		unsigned bits = (unsigned)k->comp5_bytes * 8;
		uint64_t mask = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
		uint64_t v = rnd() >> (rnd() % 64);
		if (k->sign) {
			uint64_t lim = neg ? (UINT64_C(1) << (bits - 1)) : (UINT64_C(1) << (bits - 1)) - 1;
			v &= mask;
			if (v > lim)
				v = lim;
		} else {
			v &= mask;
		}
		if (v == 0)
			neg = 0;
		sprintf(out, "%s%llu", neg ? "-" : "", (unsigned long long)v);
		return;
	}
	unsigned nint = (unsigned)(rnd() % (k->idig + 1));
	char digits[64];
	unsigned nd = 0;
	int nonzero = 0;
	for (unsigned i = 0; i < nint; i++) {
		char c = (char)('0' + rnd() % 10);
		if (nd == 0 && c == '0')
			continue;
		digits[nd++] = c;
	}
	char frac[16];
	for (unsigned i = 0; i < k->fdig; i++)
		frac[i] = (char)('0' + rnd() % 10);
	for (unsigned i = 0; i < nd; i++)
		nonzero |= digits[i] != '0';
	for (unsigned i = 0; i < k->fdig; i++)
		nonzero |= frac[i] != '0';
	if (neg && nonzero)
		*o++ = '-';
	if (nd == 0)
		*o++ = '0';
	memcpy(o, digits, nd);
	o += nd;
	if (k->fdig) {
		*o++ = '.';
		memcpy(o, frac, k->fdig);
		o += k->fdig;
	}
	*o = 0;
}

static void numbers(void **state)
{
	struct igw_cb_codepage *cp = NULL;
	assert_int_equal(igw_cb_codepage_open("IBM-037", &cp), IGW_OK);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char src[128], xml[256], want[256], val[64];
		struct igw_cb_copybook *cb = NULL;
		struct igw_cb_msg msg;
		struct igw_cb_diag d;
		struct igw_buf rec, back;
		snprintf(src, sizeof(src), "01 R.\n 05 F %s.\n", kinds[i].decl);
		assert_int_equal(igw_cb_parse_mem("rt", src, strlen(src), NULL, &cb, &d), IGW_OK);
		assert_int_equal(igw_cb_msg_build(cb, NULL, &msg, &d), IGW_OK);
		struct igw_cb_conv cv = { cp, NULL, 0, NULL };
		igw_buf_init(&rec, 1024);
		igw_buf_init(&back, 4096);
		for (int n = 0; n < VALUES_PER_KIND; n++) {
			gen_value(&kinds[i], val);
			snprintf(xml, sizeof(xml), "<w><r><f>%s</f></r></w>", val);
			igw_buf_reset(&rec);
			igw_buf_reset(&back);
			if (igw_cb_encode_xml(&msg, &cv, xml, strlen(xml), &rec, &d) != IGW_OK)
				fail_msg("%s: encode %s: %s %s", kinds[i].decl, val, d.reason, d.text);
			if (igw_cb_decode(&msg, &cv, "w", rec.data, rec.len, &back, &d) != IGW_OK)
				fail_msg("%s: decode of %s: %s %s", kinds[i].decl, val, d.reason, d.text);
			snprintf(want, sizeof(want), "<w><r><f>%s</f></r></w>", val);
			if (strcmp(igw_buf_cstr(&back), want) != 0)
				fail_msg("%s: %s came back as %s", kinds[i].decl, val, igw_buf_cstr(&back));
		}
		igw_buf_free(&rec);
		igw_buf_free(&back);
		igw_cb_copybook_free(cb);
	}
	igw_cb_codepage_free(cp);
}

static void text_all_pages(void **state)
{
	static const char *const pages[] = {
		"IBM-037", "IBM-1047", "IBM-500", "IBM-273", "IBM-277", "IBM-280", "IBM-284",
		"IBM-285", "IBM-297", "IBM-1140", "IBM-1141", "IBM-1142", "IBM-1143",
		"IBM-1144", "IBM-1145", "IBM-1146", "IBM-1147", "IBM-1148",
	};
	const char *src = "01 R.\n 05 F PIC X(40).\n";
	struct igw_cb_copybook *cb = NULL;
	struct igw_cb_msg msg;
	struct igw_cb_diag d;
	assert_int_equal(igw_cb_parse_mem("rt", src, strlen(src), NULL, &cb, &d), IGW_OK);
	assert_int_equal(igw_cb_msg_build(cb, NULL, &msg, &d), IGW_OK);
	for (size_t p = 0; p < sizeof(pages) / sizeof(pages[0]); p++) {
		struct igw_cb_codepage *cp = NULL;
		uint8_t ok[256];
		unsigned nok = 0;
		struct igw_buf tmp, xml, rec;
		assert_int_equal(igw_cb_codepage_open(pages[p], &cp), IGW_OK);
		igw_buf_init(&tmp, 64);
		/* the bytes XML can carry; 0x40 (space) and 0x00 are trimmed at the end */
		for (unsigned b = 0; b < 256; b++) {
			uint8_t e = (uint8_t)b;
			igw_buf_reset(&tmp);
			if (igw_cb_from_ebcdic(cp, &e, 1, &tmp) == IGW_OK && b != 0x40 && b != 0)
				ok[nok++] = e;
		}
		if (nok < 180)
			fail_msg("%s: only %u printable bytes", pages[p], nok);
		struct igw_cb_conv cv = { cp, NULL, 0, NULL };
		igw_buf_init(&xml, 4096);
		igw_buf_init(&rec, 1024);
		for (int n = 0; n < TEXTS_PER_PAGE; n++) {
			uint8_t in[40];
			/* every byte value appears: walk the table, then random */
			for (int i = 0; i < 40; i++)
				in[i] = n * 40 + i < (int)nok ? ok[n * 40 + i] : ok[rnd() % nok];
			igw_buf_reset(&xml);
			igw_buf_reset(&rec);
			if (igw_cb_decode(&msg, &cv, "w", in, 40, &xml, &d) != IGW_OK)
				fail_msg("%s decode: %s %s", pages[p], d.reason, d.text);
			if (igw_cb_encode_xml(&msg, &cv, (const char *)xml.data, xml.len, &rec, &d) != IGW_OK)
				fail_msg("%s encode %s: %s %s", pages[p], igw_buf_cstr(&xml), d.reason, d.text);
			if (rec.len != 40 || memcmp(rec.data, in, 40) != 0) {
				for (int i = 0; i < 40; i++)
					if (rec.data[i] != in[i])
						fail_msg("%s: byte %02X came back as %02X", pages[p], in[i],
						         rec.data[i]);
			}
		}
		igw_buf_free(&tmp);
		igw_buf_free(&xml);
		igw_buf_free(&rec);
		igw_cb_codepage_free(cp);
	}
	igw_cb_copybook_free(cb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers),
		cmocka_unit_test(text_all_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
