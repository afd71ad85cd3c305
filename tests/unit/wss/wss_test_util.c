/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "imsgw/core.h"
#include "wss_test_util.h"

/* Paths stay valid for the whole run (policies keep pointers until compiled). */
static const char *path_in(const char *dir, const char *name)
{
	static char slot[64][1024];
	static unsigned used;
	char want[1024];
	snprintf(want, sizeof(want), "%s/%s", dir, name);
	for (unsigned i = 0; i < used; i++)
		if (strcmp(slot[i], want) == 0)
			return slot[i];
	if (used == 64)
		fail_msg("too many distinct fixture paths");
	memcpy(slot[used], want, sizeof(want));
	return slot[used++];
}

const char *fx_path(const char *name) { return path_in(WSS_FIXTURE_DIR, name); }
const char *fx_cert(const char *name) { return path_in(WSS_CERT_DIR, name); }

char *fx_load(const char *name, size_t *len)
{
	FILE *f = fopen(fx_path(name), "rb");
	char *buf = NULL;
	long n;
	if (!f)
		fail_msg("fixture %s missing (run the unit_wss_fixtures test first)", name);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

const char *fx_meta(const char *key)
{
	static char lines[32][512];
	static int loaded;
	size_t kl = strlen(key);
	if (!loaded) {
		FILE *f = fopen(fx_path("meta.txt"), "r");
		int i = 0;
		assert_non_null(f);
		while (i < 32 && fgets(lines[i], sizeof(lines[i]), f)) {
			lines[i][strcspn(lines[i], "\n")] = '\0';
			i++;
		}
		fclose(f);
		loaded = 1;
	}
	for (int i = 0; i < 32; i++)
		if (strncmp(lines[i], key, kl) == 0 && lines[i][kl] == '=')
			return lines[i] + kl + 1;
	fail_msg("meta key %s missing", key);
	return NULL;
}

static int get_pw(void *ctx, const char *user, struct igw_buf *out)
{
	(void)ctx;
	if (strcmp(user, "alice") != 0)
		return IGW_ENOTFOUND;
	return igw_buf_append_str(out, fx_meta("PASSWORD"));
}

const struct igw_wss_credentials fx_creds = { get_pw, NULL, NULL };

struct igw_wss_result *fx_expect(const struct igw_wss_policy *p, const char *buf, size_t len,
                                 const struct igw_wss_request *req, const char *reason,
                                 const char *file, int line)
{
	struct igw_wss_result *r = NULL;
	struct igw_wss_request in_place = { NULL, NULL, NULL, 0, 0 };
	int rc;
	const char *got;
	/* WSS_TEST_IN_PLACE=1 (a second ctest run of every wss unit test):
	 * the same envelopes parsed in place (buf[len] is a NUL: fx_load and
	 * string literals), the gateway's path, instead of copied */
	if (getenv("WSS_TEST_IN_PLACE") && buf[len] == '\0') {
		if (req)
			in_place = *req;
		in_place.env_terminated = 1;
		req = &in_place;
	}
	rc = igw_wss_verify(p, buf, len, req, &r);
	if (!r)
		fail_msg("%s:%d: no result", file, line);
	got = igw_wss_result_reason(r);
	if (strcmp(got, reason) != 0)
		fail_msg("%s:%d: expected %s, got %s (%s)", file, line, reason, got, igw_wss_result_detail(r));
	if (strcmp(reason, "WSS-OK") == 0) {
		if (rc != 0)
			fail_msg("%s:%d: WSS-OK with rc %d", file, line, rc);
	} else {
		if (rc >= 0)
			fail_msg("%s:%d: rejection %s with rc %d", file, line, reason, rc);
		if (!igw_reason_find(reason))
			fail_msg("%s:%d: reason %s not in the core reason table", file, line, reason);
		int plain = strcmp(reason, "WSS-PARSE") == 0 || strcmp(reason, "WSS-DTD") == 0 ||
		            strcmp(reason, "WSS-LIMIT") == 0 || strcmp(reason, "WSS-SOAP-STRUCTURE") == 0 ||
		            strcmp(reason, "WSS-MUST-UNDERSTAND") == 0;
		if (!plain && !igw_wss_fault_code(reason))
			fail_msg("%s:%d: reason %s has no wsse fault code", file, line, reason);
		if (plain && igw_wss_fault_code(reason))
			fail_msg("%s:%d: envelope problem %s mapped to a wsse fault", file, line, reason);
		if (igw_wss_result_user(r) || igw_wss_result_password(r))
			fail_msg("%s:%d: a rejection carries an identity", file, line);
	}
	return r;
}

void fx_case(const struct igw_wss_policy *p, const char *name, const struct igw_wss_request *req,
             const char *reason, const char *file, int line)
{
	size_t len;
	char *buf = fx_load(name, &len);
	char where[1200];
	snprintf(where, sizeof(where), "%s [%s]", file, name);
	igw_wss_result_free(fx_expect(p, buf, len, req, reason, where, line));
	free(buf);
}

struct igw_wss_policy *fx_policy(const struct igw_wss_policy_conf *c)
{
	struct igw_wss_policy *p = NULL;
	char err[256];
	int rc = igw_wss_policy_compile(c, &p, err, sizeof(err));
	if (rc != 0)
		fail_msg("policy compile failed: %s", err);
	return p;
}
