/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: print a PassTicket with the client library's generator.
 *   sim-ptgen legacy|upper|mixed KEYHEX USER APPL EPOCH
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imsgw/core.h"
#include "imsconnect/passticket.h"

int main(int argc, char **argv)
{
	uint8_t key[IMSC_PT_ENH_KEY_MAX];
	size_t klen = 0;
	char out[IMSC_PT_LEN + 1];
	int type = argc == 6 ? imsc_pt_type_parse(argv[1]) : -1;
	size_t hl = argc == 6 ? strlen(argv[2]) : 0;
	if (type < 0 || hl % 2 || hl / 2 > sizeof(key)) {
		fprintf(stderr, "usage: sim-ptgen legacy|upper|mixed KEYHEX USER APPL EPOCH\n");
		return 2;
	}
	for (size_t i = 0; i < hl / 2; i++) {
		unsigned v;
		if (sscanf(argv[2] + 2 * i, "%2x", &v) != 1)
			return 2;
		key[klen++] = (uint8_t)v;
	}
	int rc = imsc_passticket((enum imsc_pt_type)type, key, klen, argv[3], argv[4],
	                         strtoull(argv[5], NULL, 10), out, NULL);
	igw_secure_zero(key, sizeof(key));
	if (rc != 0) {
		fprintf(stderr, "sim-ptgen: %s\n", igw_strerror(rc));
		return 1;
	}
	printf("%s\n", out);
	return 0;
}
