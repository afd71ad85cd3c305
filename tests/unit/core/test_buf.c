/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include "imsgw/core.h"

static void init_requires_ceiling(void **state)
{
	struct igw_buf b;
	assert_int_equal(igw_buf_init(&b, 0), IGW_EINVAL);
	assert_int_equal(igw_buf_append(&b, "x", 1), IGW_EINVAL);
	assert_int_equal(igw_buf_init(&b, 1), IGW_OK);
	assert_null(b.data);
	assert_string_equal(igw_buf_cstr(&b), "");
	igw_buf_free(&b);
}

static void exact_ceiling(void **state)
{
	struct igw_buf b;
	igw_buf_init(&b, 10);
	assert_int_equal(igw_buf_append(&b, "0123456789", 10), IGW_OK);
	assert_int_equal(b.len, 10);
	assert_string_equal(igw_buf_cstr(&b), "0123456789");
	/* one byte past the ceiling fails and changes nothing */
	assert_int_equal(igw_buf_append_byte(&b, 'x'), IGW_ELIMIT);
	assert_int_equal(b.len, 10);
	assert_string_equal(igw_buf_cstr(&b), "0123456789");
	/* empty append at the ceiling is fine */
	assert_int_equal(igw_buf_append(&b, "", 0), IGW_OK);
	igw_buf_free(&b);
}

static void over_ceiling_in_one_go(void **state)
{
	struct igw_buf b;
	igw_buf_init(&b, 10);
	assert_int_equal(igw_buf_append(&b, "01234567890", 11), IGW_ELIMIT);
	assert_int_equal(b.len, 0);
	assert_int_equal(igw_buf_append(&b, "01234", 5), IGW_OK);
	assert_int_equal(igw_buf_append(&b, "012345", 6), IGW_ELIMIT);
	assert_int_equal(b.len, 5);
	/* size_t overflow in len + extra must not wrap */
	assert_int_equal(igw_buf_reserve(&b, SIZE_MAX), IGW_ELIMIT);
	assert_int_equal(igw_buf_reserve(&b, SIZE_MAX - 2), IGW_ELIMIT);
	igw_buf_free(&b);
}

static void growth_keeps_content(void **state)
{
	struct igw_buf b;
	igw_buf_init(&b, 100000);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(igw_buf_append_byte(&b, (uint8_t)('a' + i % 26)), IGW_OK);
	assert_int_equal(b.len, 10000);
	assert_true(b.cap <= b.max);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	assert_int_equal(b.data[b.len], 0);
	igw_buf_free(&b);
	assert_null(b.data);
}

static void printf_all_or_nothing(void **state)
{
	struct igw_buf b;
	igw_buf_init(&b, 8);
	assert_int_equal(igw_buf_printf(&b, "%d-%s", 12, "ab"), IGW_OK);
	assert_string_equal(igw_buf_cstr(&b), "12-ab");
	assert_int_equal(igw_buf_printf(&b, "%s", "xyzw"), IGW_ELIMIT);
	assert_string_equal(igw_buf_cstr(&b), "12-ab");
	assert_int_equal(igw_buf_printf(&b, "%s", "xyz"), IGW_OK);
	assert_string_equal(igw_buf_cstr(&b), "12-abxyz");
	igw_buf_free(&b);
}

static void reset_and_steal(void **state)
{
	struct igw_buf b;
	size_t n = 99;
	igw_buf_init(&b, 16);
	assert_null(igw_buf_steal(&b, &n));
	assert_int_equal(n, 0);
	igw_buf_append_str(&b, "secret");
	igw_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(igw_buf_cstr(&b), "");
	igw_buf_append_str(&b, "abc");
	uint8_t *p = igw_buf_steal(&b, &n);
	assert_non_null(p);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "abc", 4);
	free(p);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(igw_buf_append_str(&b, "again"), IGW_OK);
	igw_buf_free(&b);
}

static void ceiling_one(void **state)
{
	struct igw_buf b;
	igw_buf_init(&b, 1);
	assert_int_equal(igw_buf_append_byte(&b, 'z'), IGW_OK);
	assert_int_equal(igw_buf_append_byte(&b, 'z'), IGW_ELIMIT);
	assert_int_equal(b.cap, 1);
	igw_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_requires_ceiling),
		cmocka_unit_test(exact_ceiling),
		cmocka_unit_test(over_ceiling_in_one_go),
		cmocka_unit_test(growth_keeps_content),
		cmocka_unit_test(printf_all_or_nothing),
		cmocka_unit_test(reset_and_steal),
		cmocka_unit_test(ceiling_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
