/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Dead-letter files: durable write, exact read back, every corruption
 * refused, listing order; and the callout status table's invariants. */
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
#include "deadletter.h"
#include "callout.h"

static char dir[] = "/tmp/igw-dl-XXXXXX";

static int collect(void *arg, const char *d, const char *name)
{
	(void)d;
	char *out = arg;
	strcat(out, name);
	strcat(out, "\n");
	return 0;
}

static void roundtrip(void **state)
{
	(void)state;
	uint8_t msg[300];
	char name[IGW_DL_NAME_MAX], path[512];
	struct igw_dl_entry e;
	struct stat st;
	for (unsigned i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7);	/* binary, includes NUL and newlines */
	assert_int_equal(igw_dl_write(dir, "orders", "ASYTPIPE", 5, "CO-SOAP-FAULT", msg, sizeof(msg),
	                              name), IGW_OK);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_non_null(strstr(name, "-ASYTPIPE-"));
	assert_int_equal(igw_dl_read(path, &e), IGW_OK);
	assert_string_equal(e.callout, "orders");
	assert_string_equal(e.tpipe, "ASYTPIPE");
	assert_string_equal(e.reason, "CO-SOAP-FAULT");
	assert_int_equal(e.attempts, 5);
	assert_int_equal(e.data.len, sizeof(msg));
	assert_memory_equal(e.data.data, msg, sizeof(msg));
	igw_dl_entry_free(&e);
	/* an empty message is kept too */
	assert_int_equal(igw_dl_write(dir, "orders", "ASYTPIPE", 1, "CO-REQUEST-CONVERSION", "", 0,
	                              name), IGW_OK);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(igw_dl_read(path, &e), IGW_OK);
	assert_int_equal(e.data.len, 0);
	igw_dl_entry_free(&e);
	/* header injection: blanks and newlines in names are neutralised */
	assert_int_equal(igw_dl_write(dir, "a b\nlength: 0", "T\n", 1, "R", "x", 1, name), IGW_OK);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(igw_dl_read(path, &e), IGW_OK);
	assert_string_equal(e.callout, "a_b_length:_0");
	assert_int_equal(e.data.len, 1);
	igw_dl_entry_free(&e);
}

static void put(const char *name, const char *text, size_t len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fwrite(text, 1, len, f);
	fclose(f);
}

static void corrupt(void **state)
{
	(void)state;
	static const char good[] = "imsgw-dead-letter 1\ncallout: c\ntpipe: t\nattempts: 2\n"
	                           "reason: R\ntime: 2026-01-01T00:00:00Z\nlength: 3\n\nabc";
	static const char *bad[] = {
		"imsgw-dead-letter 2\ncallout: c\ntpipe: t\nattempts: 2\nreason: R\ntime: x\nlength: 3\n\nabc",
		"imsgw-dead-letter 1\ncallout: c\ntpipe: t\nattempts: 2\nreason: R\ntime: x\nlength: 4\n\nabc",
		"imsgw-dead-letter 1\ncallout: c\ntpipe: t\nattempts: 2\nreason: R\ntime: x\nlength: 2\n\nabc",
		"imsgw-dead-letter 1\ncallout: c\ntpipe: t\nattempts: x\nreason: R\ntime: x\nlength: 3\n\nabc",
		"imsgw-dead-letter 1\ntpipe: t\ncallout: c\nattempts: 2\nreason: R\ntime: x\nlength: 3\n\nabc",
		"imsgw-dead-letter 1\ncallout: c\ntpipe: t\nattempts: 2\nreason: R\ntime: x\nlength: 3\nabc",
		"",
	};
	char path[512];
	struct igw_dl_entry e;
	put("good.dl", good, sizeof(good) - 1);
	snprintf(path, sizeof(path), "%s/good.dl", dir);
	assert_int_equal(igw_dl_read(path, &e), IGW_OK);
	igw_dl_entry_free(&e);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put("bad.dl", bad[i], strlen(bad[i]));
		snprintf(path, sizeof(path), "%s/bad.dl", dir);
		assert_int_equal(igw_dl_read(path, &e), IGW_EPROTO);
	}
	/* every truncation of a good file is refused */
	for (size_t n = 0; n + 1 < sizeof(good) - 1; n++) {
		put("cut.dl", good, n);
		snprintf(path, sizeof(path), "%s/cut.dl", dir);
		assert_int_not_equal(igw_dl_read(path, &e), IGW_OK);
	}
	unlink(path);
	snprintf(path, sizeof(path), "%s/bad.dl", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/good.dl", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/missing.dl", dir);
	assert_int_equal(igw_dl_read(path, &e), IGW_EIO);
}

static void listing(void **state)
{
	(void)state;
	char sub[600], names[4096] = "", name[IGW_DL_NAME_MAX];
	snprintf(sub, sizeof(sub), "%s/list", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(igw_dl_write(sub, "c", "T", 1, "R", "x", 1, name), IGW_OK);
		usleep(2000);
	}
	assert_int_equal(igw_dl_each(sub, collect, names), IGW_OK);
	/* three files, oldest first, no temporary files */
	char *a = strtok(names, "\n"), *b = strtok(NULL, "\n"), *c = strtok(NULL, "\n");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_null(strtok(NULL, "\n"));
	assert_true(strcmp(a, b) < 0 && strcmp(b, c) < 0);
	assert_int_equal(igw_dl_each("/nonexistent-igw", collect, names), IGW_EIO);
	/* a folder that cannot be written: the write fails, nothing claims success */
	if (geteuid() != 0) {
		chmod(sub, 0500);
		assert_int_equal(igw_dl_write(sub, "c", "T", 1, "R", "x", 1, name), IGW_EIO);
		chmod(sub, 0700);
	}
	assert_int_equal(igw_dl_write("/nonexistent-igw", "c", "T", 1, "R", "x", 1, name), IGW_EIO);
}

static void status_table(void **state)
{
	(void)state;
	unsigned n = 0;
	const struct igw_co_status *t = igw_callout_status_table(&n);
	assert_true(n >= 8);
	assert_string_equal(t[0].outcome, "CO-OK");
	assert_int_equal(t[0].code, 0);
	for (unsigned i = 1; i < n; i++) {
		/* IMS SOAP Gateway's range for gateway-detected callout errors */
		assert_true(t[i].code >= 1001 && t[i].code <= 1015);
		assert_non_null(t[i].text);
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(t[i].outcome, t[j].outcome);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrip),
		cmocka_unit_test(corrupt),
		cmocka_unit_test(listing),
		cmocka_unit_test(status_table),
	};
	assert_non_null(mkdtemp(dir));
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
