/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * imsgw-wsdl: COBOL copybooks -> WSDL 1.1 (document/literal wrapped,
 * SOAP 1.1 and 1.2 bindings), or a layout listing with --dump.
 *
 *   imsgw-wsdl --service IVTNO --namespace urn:imsgw:ivtno \
 *              --endpoint https://gw.example.com/ivtno \
 *              --operation IVTNO --trancode IVTNO \
 *              --input ivtno-in.cpy --output ivtno-out.cpy -o ivtno.wsdl
 *
 * --input/--output take FILE or FILE:SPEC where SPEC lists the message's
 * records ("HDR,DETAIL*", see igw_cb_msg_build).  --operation starts a new
 * operation; the --trancode/--input/--output that follow belong to it.
 * Exit status: 0 success, 1 bad copybook or spec, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "copybook/copybook.h"

#define MAX_SELECT 64

struct opspec {
	const char *name, *trancode;
	char *in, *out;	/* FILE[:SPEC], owned */
};

static void usage(FILE *f)
{
	fputs("usage: imsgw-wsdl --service NAME --namespace URI --endpoint URL [-o FILE]\n"
	      "                  [--format auto|fixed|free] [--select NAME]...\n"
	      "                  [--trancode-field NAME]\n"
	      "                  --operation NAME [--trancode CODE] --input FILE[:SPEC]\n"
	      "                  --output FILE[:SPEC] [--operation ...]...\n"
	      "       imsgw-wsdl --dump FILE [--format ...] [--select NAME]...\n", f);
}

/* Split FILE[:SPEC]; returns the spec part or "". */
static const char *split_spec(char *arg)
{
	char *c = strrchr(arg, ':');
	const char *spec = "";
	if (c && !strchr(c, '/')) {
		*c = 0;
		spec = c + 1;
	}
	return spec;
}

static int load(char *arg, const struct igw_cb_parse_opts *po,
                struct igw_cb_copybook **cb, struct igw_cb_msg *msg)
{
	struct igw_cb_diag d;
	const char *spec = split_spec(arg);
	int rc = igw_cb_parse_file(arg, po, cb, &d);
	if (rc != IGW_OK) {
		fprintf(stderr, "imsgw-wsdl: %s: %s (%s)\n", d.where, d.text, igw_errname(rc));
	} else {
		rc = igw_cb_msg_build(*cb, spec, msg, &d);
		if (rc != IGW_OK)
			fprintf(stderr, "imsgw-wsdl: %s: %s\n", arg, d.text);
	}
	return rc;
}

static int select_used(const char *name, struct igw_cb_copybook **cbs, unsigned n)
{
	int used = 0;
	for (unsigned i = 0; i < n && !used; i++)
		for (unsigned r = 0; r < igw_cb_record_count(cbs[i]) && !used; r++)
			used = igw_cb_find(igw_cb_record_at(cbs[i], r), name) != NULL;
	return used;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "service", required_argument, NULL, 's' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "endpoint", required_argument, NULL, 'e' },
		{ "operation", required_argument, NULL, 'p' },
		{ "trancode", required_argument, NULL, 't' },
		{ "input", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'O' },
		{ "format", required_argument, NULL, 'f' },
		{ "select", required_argument, NULL, 'S' },
		{ "trancode-field", required_argument, NULL, 'T' },
		{ "dump", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opspec ops[IGW_CB_OPERATIONS_MAX];
	unsigned nops = 0, nsel = 0, ncb = 0;
	const char *select[MAX_SELECT + 1];
	const char *service = NULL, *ns = NULL, *endpoint = NULL, *outpath = NULL;
	const char *dump = NULL;
	struct igw_cb_parse_opts po;
	struct igw_cb_copybook *cbs[2 * IGW_CB_OPERATIONS_MAX + 1];
	struct igw_cb_msg msgs[2 * IGW_CB_OPERATIONS_MAX];
	struct igw_cb_operation cops[IGW_CB_OPERATIONS_MAX];
	int status = 0, c;

	memset(ops, 0, sizeof(ops));
	memset(&po, 0, sizeof(po));
	memset(cbs, 0, sizeof(cbs));
	while (status == 0 && (c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
		switch (c) {
		case 's': service = optarg; break;
		case 'n': ns = optarg; break;
		case 'e': endpoint = optarg; break;
		case 'o': outpath = optarg; break;
		case 'd': dump = optarg; break;
		case 'T': po.trancode_field = optarg; break;
		case 'f':
			if (!strcmp(optarg, "fixed"))
				po.format = IGW_CB_FORMAT_FIXED;
			else if (!strcmp(optarg, "free"))
				po.format = IGW_CB_FORMAT_FREE;
			else if (!strcmp(optarg, "auto"))
				po.format = IGW_CB_FORMAT_AUTO;
			else
				status = 2;
			break;
		case 'S':
			if (nsel == MAX_SELECT)
				status = 2;
			else
				select[nsel++] = optarg;
			break;
		case 'p':
			if (nops == IGW_CB_OPERATIONS_MAX)
				status = 2;
			else
				ops[nops++].name = optarg;
			break;
		case 't': case 'i': case 'O':
			if (nops == 0) {
				fprintf(stderr, "imsgw-wsdl: --%s before --operation\n",
				        c == 't' ? "trancode" : c == 'i' ? "input" : "output");
				status = 2;
			} else if (c == 't') {
				ops[nops - 1].trancode = optarg;
			} else if (c == 'i') {
				ops[nops - 1].in = optarg;
			} else {
				ops[nops - 1].out = optarg;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			status = 2;
			break;
		}
	}
	select[nsel] = NULL;
	po.select = nsel ? select : NULL;
	if (status == 0 && optind != argc)
		status = 2;
	if (status == 0 && dump) {
		struct igw_buf b;
		struct igw_cb_diag d;
		int rc = igw_cb_parse_file(dump, &po, &cbs[0], &d);
		igw_buf_init(&b, IGW_CB_WSDL_MAX);
		if (rc != IGW_OK) {
			fprintf(stderr, "imsgw-wsdl: %s: %s (%s)\n", d.where, d.text, igw_errname(rc));
			status = 1;
		}
		for (unsigned r = 0; status == 0 && r < igw_cb_record_count(cbs[0]); r++) {
			const struct igw_cb_field *rec = igw_cb_record_at(cbs[0], r);
			igw_buf_reset(&b);
			if (igw_cb_dump(rec, &b) == IGW_OK)
				printf("%s(min size %u)\n", igw_buf_cstr(&b), igw_cb_record_min_size(rec));
		}
		igw_buf_free(&b);
		igw_cb_copybook_free(cbs[0]);
		return status;
	}
	if (status == 0 && (!service || !ns || !endpoint || nops == 0)) {
		fprintf(stderr, "imsgw-wsdl: --service, --namespace, --endpoint and at least one "
		        "--operation are required\n");
		status = 2;
	}
	for (unsigned i = 0; status == 0 && i < nops; i++) {
		if (!ops[i].in || !ops[i].out) {
			fprintf(stderr, "imsgw-wsdl: operation %s needs --input and --output\n",
			        ops[i].name);
			status = 2;
		}
	}
	if (status == 2) {
		usage(stderr);
		return 2;
	}
	for (unsigned i = 0; status == 0 && i < nops; i++) {
		char *in = strdup(ops[i].in), *out = strdup(ops[i].out);
		if (!in || !out ||
		    load(in, &po, &cbs[ncb++], &msgs[2 * i]) != IGW_OK ||
		    load(out, &po, &cbs[ncb++], &msgs[2 * i + 1]) != IGW_OK)
			status = 1;
		free(in);
		free(out);
		cops[i].name = ops[i].name;
		cops[i].trancode = ops[i].trancode;
		cops[i].in = &msgs[2 * i];
		cops[i].out = &msgs[2 * i + 1];
	}
	for (unsigned i = 0; status == 0 && i < nsel; i++)
		if (!select_used(select[i], cbs, ncb)) {
			fprintf(stderr, "imsgw-wsdl: --select %s: no such item\n", select[i]);
			status = 1;
		}
	if (status == 0) {
		struct igw_cb_wsdl_spec sp = { service, ns, endpoint, cops, nops };
		struct igw_buf b;
		struct igw_cb_diag d;
		igw_buf_init(&b, IGW_CB_WSDL_MAX);
		if (igw_cb_wsdl_write(&sp, &b, &d) != IGW_OK) {
			fprintf(stderr, "imsgw-wsdl: %s\n", d.text);
			status = 1;
		} else {
			FILE *f = outpath ? fopen(outpath, "w") : stdout;
			if (!f || fwrite(b.data, 1, b.len, f) != b.len) {
				fprintf(stderr, "imsgw-wsdl: cannot write %s\n", outpath ? outpath : "stdout");
				status = 1;
			}
			if (f && f != stdout && fclose(f) != 0)
				status = 1;
		}
		igw_buf_free(&b);
	}
	for (unsigned i = 0; i < ncb; i++)
		igw_cb_copybook_free(cbs[i]);
	return status;
}
