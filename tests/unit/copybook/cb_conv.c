/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cb_conv: command-line front end to the converter, for tests and for
 * trying layouts by hand.
 *   cb_conv encode COPYBOOK SPEC CODEPAGE TRANCODE  < request.xml  > hex
 *   cb_conv decode COPYBOOK SPEC CODEPAGE WRAPPER [NS] < hex       > xml
 * SPEC "" means every record once.  On a refusal prints
 * "REASON where: text" to stderr and exits 1.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "copybook/copybook.h"

static int read_all(struct igw_buf *b)
{
	char tmp[4096];
	size_t n;
	int rc = IGW_OK;
	while (rc == IGW_OK && (n = fread(tmp, 1, sizeof(tmp), stdin)) > 0)
		rc = igw_buf_append(b, tmp, n);
	return rc;
}

int main(int argc, char **argv)
{
	struct igw_cb_copybook *cb = NULL;
	struct igw_cb_codepage *cp = NULL;
	struct igw_cb_msg msg;
	struct igw_cb_diag d;
	struct igw_buf in, out;
	int rc, status = 1;
	if (argc < 6 || (strcmp(argv[1], "encode") && strcmp(argv[1], "decode"))) {
		fprintf(stderr, "usage: cb_conv encode|decode COPYBOOK SPEC CODEPAGE TRANCODE|WRAPPER [NS]\n");
		return 2;
	}
	igw_buf_init(&in, IGW_CB_XML_OUT_MAX);
	igw_buf_init(&out, IGW_CB_XML_OUT_MAX);
	rc = igw_cb_parse_file(argv[2], NULL, &cb, &d);
	if (rc != IGW_OK)
		fprintf(stderr, "%s: %s\n", d.where, d.text);
	if (rc == IGW_OK && (rc = igw_cb_msg_build(cb, argv[3], &msg, &d)) != IGW_OK)
		fprintf(stderr, "%s\n", d.text);
	if (rc == IGW_OK && (rc = igw_cb_codepage_open(argv[4], &cp)) != IGW_OK)
		fprintf(stderr, "code page %s: %s\n", argv[4], igw_strerror(rc));
	if (rc == IGW_OK)
		rc = read_all(&in);
	if (rc == IGW_OK && !strcmp(argv[1], "encode")) {
		struct igw_cb_conv cv = { cp, argv[5], 0, NULL };
		rc = igw_cb_encode_xml(&msg, &cv, (const char *)in.data, in.len, &out, &d);
		if (rc == IGW_OK) {
			for (size_t i = 0; i < out.len; i++)
				printf("%02X", out.data[i]);
			printf("\n");
		}
	} else if (rc == IGW_OK) {
		struct igw_cb_conv cv = { cp, NULL, 0, argc > 6 ? argv[6] : NULL };
		struct igw_buf bin;
		igw_buf_init(&bin, IGW_CB_MESSAGE_MAX);
		for (size_t i = 0; rc == IGW_OK && i + 1 < in.len; ) {
			unsigned v;
			if (isspace(in.data[i])) {
				i++;
				continue;
			}
			if (sscanf((const char *)in.data + i, "%2x", &v) != 1)
				rc = IGW_EPARSE;
			else
				rc = igw_buf_append_byte(&bin, (uint8_t)v);
			i += 2;
		}
		if (rc == IGW_OK)
			rc = igw_cb_decode(&msg, &cv, argv[5], bin.data, bin.len, &out, &d);
		if (rc == IGW_OK)
			printf("%s\n", igw_buf_cstr(&out));
		igw_buf_free(&bin);
	}
	if (rc == IGW_ECONV)
		fprintf(stderr, "%s %s: %s\n", d.reason ? d.reason : "?", d.where, d.text);
	else if (rc != IGW_OK)
		fprintf(stderr, "error %s\n", igw_errname(rc));
	status = rc == IGW_OK ? 0 : 1;
	igw_buf_free(&in);
	igw_buf_free(&out);
	igw_cb_codepage_free(cp);
	igw_cb_copybook_free(cb);
	return status;
}
