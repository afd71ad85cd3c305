/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test driver for gateway/outbound.c: post an envelope N times through one
 * client and print "status=S len=L" or "error=IGW_E..." per post, then the
 * last body.
 *   igw-post URL KEYSTORE|- TRUSTSTORE|- USER|- PASSWORD|- TIMEOUT_MS COUNT [MAX] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "outbound.h"

static const char *opt(const char *s) { return strcmp(s, "-") == 0 ? NULL : s; }

int main(int argc, char **argv)
{
	static const char env[] = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
	                          "<s:Body><p:Ping xmlns:p=\"urn:test\">hello</p:Ping></s:Body></s:Envelope>";
	struct igw_out_target t;
	struct igw_out_client *c = NULL;
	struct igw_buf body;
	int rc = 0;
	if (argc < 8)
		return 64;
	memset(&t, 0, sizeof(t));
	t.url = argv[1];
	t.keystore_pem = opt(argv[2]);
	t.truststore_pem = opt(argv[3]);
	t.user = opt(argv[4]);
	t.password = opt(argv[5]);
	t.timeout_ms = (unsigned)atoi(argv[6]);
	t.soap_action = "urn:test/Ping";
	t.soap_version = 11;
	t.max_response = argc > 8 ? (size_t)atol(argv[8]) : 0;
	igw_log_setup(2, IGW_LOG_ERROR, IGW_LOG_TEXT);
	if ((rc = igw_out_client_new(&t, &c)) != IGW_OK) {
		printf("error=%s\n", igw_errname(rc));
		return 1;
	}
	igw_buf_init(&body, 8u << 20);
	for (int i = 0; i < atoi(argv[7]); i++) {
		int status = 0;
		int64_t t0 = igw_mono_ms();
		igw_buf_reset(&body);
		rc = igw_out_post(c, env, sizeof(env) - 1, &status, &body);
		if (rc == IGW_OK)
			printf("status=%d len=%zu ms=%lld\n", status, body.len, (long long)(igw_mono_ms() - t0));
		else
			printf("error=%s ms=%lld\n", igw_errname(rc), (long long)(igw_mono_ms() - t0));
	}
	printf("body=%s\n", igw_buf_cstr(&body));
	igw_buf_free(&body);
	igw_out_client_free(c);
	return 0;
}
