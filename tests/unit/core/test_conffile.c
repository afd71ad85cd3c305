/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "imsgw/core.h"
#include "imsgw/conffile.h"

static char last[512];
static void sink(void *ctx, const char *m)
{
	(void)ctx;
	snprintf(last, sizeof(last), "%s", m);
}

static int split(const char *text, struct igw_conf_line *cl, struct igw_conf_errors *e, char *store)
{
	strcpy(store, text);
	last[0] = 0;
	return igw_conf_split(store, 7, cl, e);
}

static void words_quotes_comments(void **state)
{
	struct igw_conf_errors e = { "f.conf", 0, sink, NULL };
	struct igw_conf_line cl;
	char buf[256];
	assert_int_equal(split("  key  value  # comment", &cl, &e, buf), 0);
	assert_int_equal(cl.nwords, 2);
	assert_string_equal(cl.words[0], "key");
	assert_string_equal(cl.words[1], "value");
	assert_int_equal(split("key \"a b # not comment\" c#x", &cl, &e, buf), 0);
	assert_int_equal(cl.nwords, 3);
	assert_string_equal(cl.words[1], "a b # not comment");
	assert_string_equal(cl.words[2], "c");
	assert_int_equal(split("k \"q\\\"x\\\\\"", &cl, &e, buf), 0);
	assert_string_equal(cl.words[1], "q\"x\\");
	assert_int_equal(split("   # only a comment", &cl, &e, buf), 0);
	assert_int_equal(cl.nwords, 0);
	assert_int_equal(split("", &cl, &e, buf), 0);
	assert_int_equal(cl.nwords, 0);
	assert_int_equal(split("k \"\"", &cl, &e, buf), 0);
	assert_int_equal(cl.nwords, 2);
	assert_string_equal(cl.words[1], "");
	assert_int_equal(e.count, 0);
}

static void sections(void **state)
{
	struct igw_conf_errors e = { "f.conf", 0, sink, NULL };
	struct igw_conf_line cl;
	char buf[256];
	assert_int_equal(split("[listener main] # c", &cl, &e, buf), 0);
	assert_true(cl.is_section);
	assert_int_equal(cl.nwords, 2);
	assert_string_equal(cl.words[0], "listener");
	assert_string_equal(cl.words[1], "main");
	assert_int_equal(split("[server", &cl, &e, buf), -1);
	assert_string_equal(last, "f.conf:7: section header without closing ']'");
	assert_int_equal(split("[a] junk", &cl, &e, buf), -1);
	assert_string_equal(last, "f.conf:7: text after section header");
	assert_int_equal(split("[]", &cl, &e, buf), -1);
	assert_int_equal(split("[a b c]", &cl, &e, buf), -1);
	assert_int_equal(e.count, 4);
}

static void syntax_errors(void **state)
{
	struct igw_conf_errors e = { "f.conf", 0, sink, NULL };
	struct igw_conf_line cl;
	char buf[256];
	assert_int_equal(split("k \"open", &cl, &e, buf), -1);
	assert_string_equal(last, "f.conf:7: unterminated quoted string");
	assert_int_equal(split("k \"a\"b", &cl, &e, buf), -1);
	assert_string_equal(last, "f.conf:7: text directly after a closing quote");
	assert_int_equal(split("a b c d e f g h", &cl, &e, buf), 0);
	assert_int_equal(cl.nwords, IGW_CONF_MAX_WORDS);
	assert_int_equal(split("a b c d e f g h i", &cl, &e, buf), -1);
	assert_non_null(strstr(last, "too many values"));
}

static void numbers(void **state)
{
	unsigned v = 99;
	assert_int_equal(igw_conf_uint("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(igw_conf_uint("10", 0, 10, &v), 0);
	assert_int_equal(igw_conf_uint("11", 0, 10, &v), -1);
	assert_int_equal(igw_conf_uint("1", 2, 10, &v), -1);
	assert_int_equal(igw_conf_uint("-1", 0, 10, &v), -1);
	assert_int_equal(igw_conf_uint("+1", 0, 10, &v), -1);
	assert_int_equal(igw_conf_uint(" 1", 0, 10, &v), -1);
	assert_int_equal(igw_conf_uint("1x", 0, 10, &v), -1);
	assert_int_equal(igw_conf_uint("", 0, 10, &v), -1);
	assert_int_equal(igw_conf_uint("99999999999999999999", 0, 4000000000u, &v), -1);
	assert_int_equal(igw_conf_uint("4294967295", 0, 4294967295u, &v), 0);
	assert_int_equal(v, 4294967295u);
}

static void error_cap(void **state)
{
	int calls = 0;
	struct igw_conf_errors e = { "f", 0, NULL, NULL };
	(void)calls;
	e.sink = sink;
	for (unsigned i = 0; i < IGW_CONFIG_ERRORS_MAX + 5; i++)
		igw_conf_error(&e, (int)i + 1, "problem %u", i);
	assert_int_equal(e.count, IGW_CONFIG_ERRORS_MAX + 5);
	/* the sink stopped at the cap */
	char want[64];
	snprintf(want, sizeof(want), "f:%u: problem %u", IGW_CONFIG_ERRORS_MAX, IGW_CONFIG_ERRORS_MAX - 1);
	assert_string_equal(last, want);
	igw_conf_error(&e, 0, "whole file");
}

static void paths_and_files(void **state)
{
	char *p = igw_conf_resolve("/etc/imsgw/imsgw.conf", "certs/a.crt");
	assert_string_equal(p, "/etc/imsgw/certs/a.crt");
	free(p);
	p = igw_conf_resolve("/etc/imsgw/imsgw.conf", "/abs/a.crt");
	assert_string_equal(p, "/abs/a.crt");
	free(p);
	p = igw_conf_resolve("imsgw.conf", "a.crt");
	assert_string_equal(p, "./a.crt");
	free(p);

	char tmpl[] = "/tmp/igw-conffile-XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0123456789", 10), 10);
	close(fd);
	char *data;
	size_t len;
	assert_int_equal(igw_conf_read_file(tmpl, 10, &data, &len), IGW_OK);
	assert_int_equal(len, 10);
	assert_string_equal(data, "0123456789");
	free(data);
	assert_int_equal(igw_conf_read_file(tmpl, 9, &data, &len), IGW_ELIMIT);
	assert_null(data);
	assert_int_equal(igw_conf_read_file("/nonexistent/x", 9, &data, &len), IGW_EIO);

	const char *why = NULL;
	chmod(tmpl, 0600);
	assert_int_equal(igw_conf_check_secret_file(tmpl, &why), 0);
	chmod(tmpl, 0640);
	assert_int_equal(igw_conf_check_secret_file(tmpl, &why), -1);
	assert_non_null(strstr(why, "group or others"));
	chmod(tmpl, 0602);
	assert_int_equal(igw_conf_check_secret_file(tmpl, &why), -1);
	assert_int_equal(igw_conf_check_secret_file("/tmp", &why), -1);
	assert_string_equal(why, "not a regular file");
	unlink(tmpl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_quotes_comments),
		cmocka_unit_test(sections),
		cmocka_unit_test(syntax_errors),
		cmocka_unit_test(numbers),
		cmocka_unit_test(error_cap),
		cmocka_unit_test(paths_and_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
