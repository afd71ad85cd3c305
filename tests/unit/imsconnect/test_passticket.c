/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PassTickets: the reference's vectors (section 7.3) exactly, evaluation,
 * and the protected key file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "imsgw/core.h"
#include "imsconnect/passticket.h"
#include "test_util.h"

static void translation_vector(void **state)
{
	char out[9];
	imsc_pt_legacy_translate(0x07247F79u, out);
	assert_string_equal(out, "QHOAH1TV");
}

static void legacy_vectors(void **state)
{
	struct {
		const char *user, *appl, *key;
		uint64_t time;
		uint32_t r5;
		const char *ticket;
	} v[] = {
		{ "USERID", "APPNAME", "A1B2C3D4E5F6A7B8", 1600000000u, 0xda11e5c8u, "N07R4B2I" },
		{ "IBMUSER", "IMSAPPL1", "0123456789ABCDEF", 0x12345678u, 0x3de647a9u, "TZ4CAHWF" },
		{ "TOM", "TSO1234", "098D61A85585D2AB", 1700000000u, 0xbf9122deu, "H1VRS8J4" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t key[8];
		char out[9];
		struct imsc_pt_trace tr;
		assert_int_equal(hex2bin(v[i].key, key, sizeof(key)), 8);
		assert_int_equal(imsc_passticket(IMSC_PT_LEGACY, key, 8, v[i].user, v[i].appl,
						 v[i].time, out, &tr), 0);
		assert_int_equal(tr.r5, v[i].r5);
		assert_string_equal(out, v[i].ticket);
	}
	/* first vector's intermediates */
	uint8_t key[8], r1[8], r2[8];
	char out[9];
	struct imsc_pt_trace tr;
	hex2bin("A1B2C3D4E5F6A7B8", key, 8);
	hex2bin("3bbf4f6da1e82929", r1, 8);
	hex2bin("78d1e9e40e5d161a", r2, 8);
	assert_int_equal(imsc_passticket(IMSC_PT_LEGACY, key, 8, "userid", "appname",
					 1600000000u, out, &tr), 0);
	assert_memory_equal(tr.r1, r1, 8);
	assert_memory_equal(tr.r2, r2, 8);
	assert_int_equal(tr.r4, 0x278ff9e4u);
	assert_string_equal(out, "N07R4B2I");	/* lower case folded */
}

static void enhanced_vectors(void **state)
{
	uint8_t k32[32], k64[64];
	hex2bin("00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF", k32, 32);
	for (int i = 0; i < 64; i++)
		k64[i] = (uint8_t)i;
	struct {
		enum imsc_pt_type type;
		const uint8_t *key;
		size_t keylen;
		const char *user, *appl;
		uint64_t time, v48;
		const char *ticket;
	} v[] = {
		{ IMSC_PT_ENHANCED_UPPER, k32, 32, "USERID", "APPNAME", 1600000000u,
		  0x00ea0a656e0dull, "CTS47959" },
		{ IMSC_PT_ENHANCED_MIXED, k32, 32, "USERID", "APPNAME", 1600000000u,
		  0xaa93642f8cceull, "gfDaBupE" },
		{ IMSC_PT_ENHANCED_UPPER, k64, 64, "IBMUSER", "IMSAPPL1", 1700000000u,
		  0x0019b125a869ull, "1EOXAEEH" },
		{ IMSC_PT_ENHANCED_MIXED, k64, 64, "IBMUSER", "IMSAPPL1", 1700000000u,
		  0x4607489fdf7aull, "HWT8dzzw" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char out[9];
		struct imsc_pt_trace tr;
		assert_int_equal(imsc_passticket(v[i].type, v[i].key, v[i].keylen, v[i].user,
						 v[i].appl, v[i].time, out, &tr), 0);
		assert_int_equal(tr.v48, v[i].v48);
		assert_string_equal(out, v[i].ticket);
	}
}

static void bad_inputs(void **state)
{
	uint8_t key[64] = { 0 };
	char out[9];
	assert_int_equal(imsc_passticket(IMSC_PT_LEGACY, key, 7, "U", "A", 1, out, NULL), IGW_EINVAL);
	assert_int_equal(imsc_passticket(IMSC_PT_ENHANCED_UPPER, key, 31, "U", "A", 1, out, NULL),
			 IGW_EINVAL);
	assert_int_equal(imsc_passticket(IMSC_PT_LEGACY, key, 8, "", "A", 1, out, NULL), IGW_EINVAL);
	assert_int_equal(imsc_passticket(IMSC_PT_LEGACY, key, 8, "USER12345", "A", 1, out, NULL),
			 IGW_EINVAL);
	assert_int_equal(imsc_passticket(IMSC_PT_LEGACY, key, 8, "US ER", "A", 1, out, NULL),
			 IGW_EINVAL);
	assert_int_equal(imsc_passticket(IMSC_PT_LEGACY, key, 8, "U", "A-B", 1, out, NULL),
			 IGW_EINVAL);
	assert_int_equal(imsc_passticket((enum imsc_pt_type)9, key, 8, "U", "A", 1, out, NULL),
			 IGW_EINVAL);
	assert_int_equal(imsc_pt_type_parse("MIXED"), IMSC_PT_ENHANCED_MIXED);
	assert_int_equal(imsc_pt_type_parse("upper"), IMSC_PT_ENHANCED_UPPER);
	assert_int_equal(imsc_pt_type_parse("legacy"), IMSC_PT_LEGACY);
	assert_int_equal(imsc_pt_type_parse("des"), -1);
}

static void verify_window(void **state)
{
	uint8_t key[8];
	char t[9];
	hex2bin("0123456789ABCDEF", key, 8);
	assert_int_equal(imsc_passticket(IMSC_PT_LEGACY, key, 8, "IBMUSER", "IMSAPPL1",
					 1000000, t, NULL), 0);
	assert_int_equal(imsc_passticket_verify(IMSC_PT_LEGACY, key, 8, "IBMUSER", "IMSAPPL1",
						1000000 + 30, 60, t), 1);
	assert_int_equal(imsc_passticket_verify(IMSC_PT_LEGACY, key, 8, "IBMUSER", "IMSAPPL1",
						1000000 + 61, 60, t), 0);
	assert_int_equal(imsc_passticket_verify(IMSC_PT_LEGACY, key, 8, "IBMUSER", "OTHERAPP",
						1000000, 5, t), 0);
	key[0] ^= 0x02;	/* a different key (parity bit ignored: flip a key bit) */
	assert_int_equal(imsc_passticket_verify(IMSC_PT_LEGACY, key, 8, "IBMUSER", "IMSAPPL1",
						1000000, 5, t), 0);
}

static char dir[64];

static const char *write_file(const char *name, const char *text, mode_t mode)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static void key_file(void **state)
{
	strcpy(dir, "/tmp/imsc-pt-XXXXXX");
	assert_non_null(mkdtemp(dir));
	uint8_t key[64];
	size_t len = 99;
	const char *p = write_file("good", "A1B2C3D4 E5F6A7B8\n", 0600);
	assert_int_equal(imsc_passticket_key_load(p, key, sizeof(key), &len), 0);
	assert_int_equal(len, 8);
	assert_memory_equal(key, "\xA1\xB2\xC3\xD4\xE5\xF6\xA7\xB8", 8);
	p = write_file("groupread", "A1B2C3D4E5F6A7B8\n", 0640);
	assert_int_equal(imsc_passticket_key_load(p, key, sizeof(key), &len), IGW_EDENIED);
	p = write_file("otherread", "A1B2C3D4E5F6A7B8\n", 0604);
	assert_int_equal(imsc_passticket_key_load(p, key, sizeof(key), &len), IGW_EDENIED);
	p = write_file("odd", "A1B\n", 0400);
	assert_int_equal(imsc_passticket_key_load(p, key, sizeof(key), &len), IGW_EPARSE);
	p = write_file("nothex", "zz\n", 0600);
	assert_int_equal(imsc_passticket_key_load(p, key, sizeof(key), &len), IGW_EPARSE);
	p = write_file("empty", "\n", 0600);
	assert_int_equal(imsc_passticket_key_load(p, key, sizeof(key), &len), IGW_EPARSE);
	p = write_file("long", "00112233445566778899", 0600);
	assert_int_equal(imsc_passticket_key_load(p, key, 8, &len), IGW_ELIMIT);
	char big[IGW_IMSC_KEY_FILE_MAX + 10];
	memset(big, '0', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	p = write_file("huge", big, 0600);
	assert_int_equal(imsc_passticket_key_load(p, key, sizeof(key), &len), IGW_ELIMIT);
	char path[128];
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(imsc_passticket_key_load(path, key, sizeof(key), &len), IGW_ENOTFOUND);
	/* a symbolic link is not followed */
	char link[128];
	snprintf(path, sizeof(path), "%s/good", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_not_equal(imsc_passticket_key_load(link, key, sizeof(key), &len), 0);
	const char *names[] = { "good", "groupread", "otherread", "odd", "nothex", "empty",
				"long", "huge", "link" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(translation_vector),
		cmocka_unit_test(legacy_vectors),
		cmocka_unit_test(enhanced_vectors),
		cmocka_unit_test(bad_inputs),
		cmocka_unit_test(verify_window),
		cmocka_unit_test(key_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
