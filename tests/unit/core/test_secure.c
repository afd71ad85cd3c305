/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include "imsgw/core.h"

static void ct_equal_cases(void **state)
{
	assert_true(igw_ct_equal("abc", 3, "abc", 3));
	assert_false(igw_ct_equal("abc", 3, "abd", 3));
	assert_false(igw_ct_equal("abc", 3, "ab", 2));
	assert_false(igw_ct_equal("ab", 2, "abc", 3));
	assert_true(igw_ct_equal("", 0, "", 0));
	assert_true(igw_ct_equal(NULL, 0, NULL, 0));
	assert_false(igw_ct_equal("a", 1, "", 0));
	/* first and last byte differences */
	assert_false(igw_ct_equal("xbc", 3, "abc", 3));
	assert_false(igw_ct_equal("abx", 3, "abc", 3));
	/* a prefix padded with NULs is not equal */
	assert_false(igw_ct_equal("ab\0", 3, "ab", 2));
	/* binary */
	uint8_t a[256], b[256];
	for (int i = 0; i < 256; i++) a[i] = b[i] = (uint8_t)i;
	assert_true(igw_ct_equal(a, 256, b, 256));
	b[128] ^= 0x80;
	assert_false(igw_ct_equal(a, 256, b, 256));
}

static void zeroing(void **state)
{
	char buf[32];
	memset(buf, 'A', sizeof(buf));
	igw_secure_zero(buf + 4, 8);
	for (int i = 0; i < 32; i++)
		assert_int_equal(buf[i], (i >= 4 && i < 12) ? 0 : 'A');
	igw_secure_zero(NULL, 0);
	igw_secure_zero(buf, 0);
	char *s = strdup("password");
	igw_secure_free_str(s);
	igw_secure_free_str(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ct_equal_cases),
		cmocka_unit_test(zeroing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
