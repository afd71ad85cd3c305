/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "imsgw/core.h"

static void every_code_has_name_and_text(void **state)
{
	for (int c = 0; c >= IGW_ERROR_MIN; c--) {
		assert_string_not_equal(igw_strerror(c), "unknown error");
		assert_string_not_equal(igw_errname(c), "IGW_E?");
		assert_true(strncmp(igw_errname(c), "IGW_", 4) == 0);
	}
	assert_string_equal(igw_strerror(IGW_ERROR_MIN - 1), "unknown error");
	assert_string_equal(igw_strerror(1), "unknown error");
	assert_string_equal(igw_errname(IGW_ETIMEOUT), "IGW_ETIMEOUT");
}

static void every_code_maps_to_a_reason(void **state)
{
	for (int c = 0; c >= IGW_ERROR_MIN; c--) {
		const struct igw_reason *r = igw_reason_for_error(c);
		assert_non_null(r);
		assert_true(r->http_status >= 200 && r->http_status <= 599);
	}
	assert_string_equal(igw_reason_for_error(IGW_ETIMEOUT)->code, "GW-TIMEOUT");
	assert_string_equal(igw_reason_for_error(12345)->code, "GW-INTERNAL");
}

static void reason_table_is_well_formed(void **state)
{
	unsigned n;
	const struct igw_reason *t = igw_reason_table(&n);
	assert_true(n > 10);
	for (unsigned i = 0; i < n; i++) {
		/* unique, prefixed, upper-case codes */
		assert_non_null(strchr(t[i].code, '-'));
		for (const char *p = t[i].code; *p; p++)
			assert_true((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-');
		for (unsigned j = i + 1; j < n; j++)
			assert_string_not_equal(t[i].code, t[j].code);
		assert_ptr_equal(igw_reason_find(t[i].code), &t[i]);
		assert_true(strlen(t[i].text) > 0);
	}
	assert_null(igw_reason_find("NO-SUCH"));
	assert_null(igw_reason_find(NULL));
	assert_int_equal(igw_reason_find("GW-CLIENT-CERT")->http_status, 403);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_has_name_and_text),
		cmocka_unit_test(every_code_maps_to_a_reason),
		cmocka_unit_test(reason_table_is_well_formed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
