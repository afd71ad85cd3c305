/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: envelope parser + Security header processing (UsernameToken,
 * Timestamp, SAML 1.1/2.0 including signature checks) through igw_wss_verify.
 *
 * With -DIMSGW_FUZZ=ON (clang) it is a libFuzzer target:
 *     fuzz_wss_envelope tests/unit/wss/corpus build/.../fixtures
 * Otherwise main() replays every file of the directories (or files) given
 * on the command line once - that is what ctest runs (unit_wss_fuzz_replay)
 * over the seed corpus and the generated fixtures.  Any crash, sanitizer
 * report or leak fails the test; rejections are expected.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "imsgw/core.h"
#include "wss/wss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct igw_wss_policy *policy;
static struct igw_wss_replay *replay;

static int get_pw(void *ctx, const char *user, struct igw_buf *out)
{
	(void)ctx;
	return strcmp(user, "alice") == 0 ? igw_buf_append_str(out, "s3cret-Pa55") : IGW_ENOTFOUND;
}

static void setup(void)
{
	struct igw_wss_policy_conf c;
	igw_log_setup(2, IGW_LOG_ERROR, IGW_LOG_TEXT);
	igw_wss_policy_conf_defaults(&c);
	c.service = "fuzz";
	c.tokens = IGW_WSS_TOKEN_UT | IGW_WSS_TOKEN_SAML11 | IGW_WSS_TOKEN_SAML20;
	c.creds.get_password = get_pw;
	c.ut_allow_digest = 1;
	c.ut_text_mode = IGW_WSS_PW_LOCAL;
	c.truststore_pem = WSS_CERT_DIR "/ca.crt";
	c.saml_sig = IGW_WSS_SIG_OPTIONAL;
	c.saml_replay = IGW_WSS_SAML_REPLAY_ONETIME;
	replay = igw_wss_replay_mem_new(4, 1 << 16);
	c.replay = replay;
	if (igw_wss_policy_compile(&c, &policy, NULL, 0) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct igw_wss_request rq = { NULL, "CN=fuzz", NULL, 0, 0 };
	struct igw_wss_result *r = NULL;
	uint8_t *z = malloc(size + 1);
	if (!policy)
		setup();
	(void)igw_wss_verify(policy, data, size, &rq, &r);
	/* and parsed in place, from a NUL-terminated copy (the gateway's way) */
	if (z) {
		struct igw_wss_result *r2 = NULL;
		memcpy(z, data, size);
		z[size] = 0;
		rq.env_terminated = 1;
		(void)igw_wss_verify(policy, z, size, &rq, &r2);
		igw_wss_result_free(r2);
		free(z);
	}
	/* touch every accessor */
	(void)igw_wss_result_user(r);
	(void)igw_wss_fault_code(igw_wss_result_reason(r));
	for (size_t i = 0; i < igw_wss_result_attr_count(r); i++) {
		const char *n, *v;
		(void)igw_wss_result_attr(r, i, &n, &v);
	}
	igw_wss_result_free(r);
	return 0;
}

#ifndef IMSGW_LIBFUZZER
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;
	if (!f)
		return 1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return 1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int files = 0, bad = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "fuzz replay: %s missing\n", argv[i]);
			bad++;
		} else if (S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *e;
			while (d && (e = readdir(d))) {
				char p[4096];
				if (e->d_name[0] == '.')
					continue;
				snprintf(p, sizeof(p), "%s/%s", argv[i], e->d_name);
				bad += replay_file(p);
				files++;
			}
			if (d)
				closedir(d);
		} else {
			bad += replay_file(argv[i]);
			files++;
		}
	}
	printf("fuzz replay: %d inputs, %d unreadable\n", files, bad);
	igw_wss_policy_free(policy);
	igw_wss_replay_free(replay);
	return bad || files == 0;
}
#endif
