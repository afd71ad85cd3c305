/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "imsgw/core.h"

static void text_format(void **state)
{
	char out[256];
	int n = igw_log_format_record(out, sizeof(out), IGW_LOG_TEXT, IGW_LOG_WARN,
	                              "abcd", "hello\nforged line");
	assert_true(n > 0);
	assert_int_equal((int)strlen(out), n);
	assert_non_null(strstr(out, " warn [req=abcd] hello\\x0aforged line\n"));
	/* exactly one newline: the terminator */
	assert_ptr_equal(strchr(out, '\n'), out + n - 1);
}

static void json_format_escapes(void **state)
{
	char out[256];
	igw_log_format_record(out, sizeof(out), IGW_LOG_JSON, IGW_LOG_ERROR,
	                      "r\"1", "a\"b\\c\n\x01");
	assert_non_null(strstr(out, "\"level\":\"error\""));
	assert_non_null(strstr(out, "\"req\":\"r\\\"1\""));
	assert_non_null(strstr(out, "\"msg\":\"a\\\"b\\\\c\\n\\u0001\"}\n"));
	igw_log_format_record(out, sizeof(out), IGW_LOG_JSON, IGW_LOG_INFO, NULL, "x");
	assert_null(strstr(out, "\"req\""));
}

static void truncation_is_marked_and_bounded(void **state)
{
	char big[1000];
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	for (unsigned cap = 0; cap < 200; cap++) {
		char out[200 + 1];
		memset(out, 0x55, sizeof(out));
		int n = igw_log_format_record(out, cap, IGW_LOG_JSON, IGW_LOG_INFO, "id", big);
		assert_true(n >= 0);
		assert_true((unsigned)n < (cap ? cap : 1));
		assert_int_equal((unsigned char)out[cap], 0x55); /* no write past cap */
		if (n > 0) {
			assert_non_null(strstr(out, "...\"}\n"));
		}
	}
}

static void levels_and_filtering(void **state)
{
	int fds[2];
	char rd[512];
	assert_int_equal(igw_log_level_parse("debug"), IGW_LOG_DEBUG);
	assert_int_equal(igw_log_level_parse("WARN"), IGW_LOG_WARN);
	assert_int_equal(igw_log_level_parse("verbose"), -1);
	assert_int_equal(igw_log_format_parse("json"), IGW_LOG_JSON);
	assert_int_equal(igw_log_format_parse("xml"), -1);
	assert_int_equal(pipe(fds), 0);
	igw_log_setup(fds[1], IGW_LOG_WARN, IGW_LOG_TEXT);
	igw_log_info(NULL, "dropped %d", 1);
	igw_log_debug(NULL, "dropped %d", 2);
	igw_log_error("rid", "kept %d", 3);
	close(fds[1]);
	ssize_t n = read(fds[0], rd, sizeof(rd) - 1);
	assert_true(n > 0);
	rd[n] = 0;
	assert_null(strstr(rd, "dropped"));
	assert_non_null(strstr(rd, "error [req=rid] kept 3"));
	close(fds[0]);
	igw_log_setup(2, IGW_LOG_INFO, IGW_LOG_TEXT);
}

static void structured_events(void **state)
{
	char out[512];
	const struct igw_log_field f[] = {
		{ "service", "Phone\"Book", 0 }, { "ims_rc", NULL, 8 }, { "user", "CN=a,O=b\nX", 0 },
	};
	igw_log_format_event(out, sizeof(out), IGW_LOG_JSON, IGW_LOG_INFO, "r1", "soap", f, 3);
	assert_non_null(strstr(out, "\"req\":\"r1\",\"event\":\"soap\",\"service\":\"Phone\\\"Book\","
	                            "\"ims_rc\":8,\"user\":\"CN=a,O=b\\nX\"}\n"));
	igw_log_format_event(out, sizeof(out), IGW_LOG_TEXT, IGW_LOG_INFO, "r1", "soap", f, 3);
	assert_non_null(strstr(out, " info [req=r1] soap service=\"Phone\\\"Book\" ims_rc=8 user=\"CN=a,O=b\\nX\"\n"));
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	/* bounded like every record */
	for (unsigned cap = 0; cap < 120; cap++) {
		char small[121];
		memset(small, 0x55, sizeof(small));
		int n = igw_log_format_event(small, cap, IGW_LOG_JSON, IGW_LOG_INFO, "r", "soap", f, 3);
		assert_true((unsigned)n < (cap ? cap : 1));
		assert_int_equal((unsigned char)small[cap], 0x55);
	}
}

static void request_ids(void **state)
{
	char a[IGW_REQUEST_ID_LEN + 1], b[IGW_REQUEST_ID_LEN + 1];
	igw_request_id_new(a);
	igw_request_id_new(b);
	assert_int_equal(strlen(a), IGW_REQUEST_ID_LEN);
	assert_string_not_equal(a, b);
	for (int i = 0; i < (int)IGW_REQUEST_ID_LEN; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
	/* ids come from a per-thread pool refilled every 32 ids: 1 000 ids
	 * across many refills are well-formed and all distinct */
	static char many[1000][IGW_REQUEST_ID_LEN + 1];
	for (int i = 0; i < 1000; i++) {
		igw_request_id_new(many[i]);
		assert_int_equal(strlen(many[i]), IGW_REQUEST_ID_LEN);
		assert_int_equal(strspn(many[i], "0123456789abcdef"), IGW_REQUEST_ID_LEN);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(many[i], many[j]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_format),
		cmocka_unit_test(json_format_escapes),
		cmocka_unit_test(truncation_is_marked_and_bounded),
		cmocka_unit_test(levels_and_filtering),
		cmocka_unit_test(structured_events),
		cmocka_unit_test(request_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
