/* SPDX-License-Identifier: GPL-2.0-or-later */
/* 8-byte name fields and structure IDs in EBCDIC (CP037) or ASCII. */
#include <string.h>

#include "imsgw/error.h"
#include "imsgw/secure.h"
#include "imsconnect/codec.h"
#include "imsconnect/ebcdic.h"
#include "codec_internal.h"

int imsc_name_encode(const char *name, enum imsc_cp cp, uint8_t out[IMSC_NAME_LEN])
{
	int rc = IGW_EINVAL;
	size_t n = name ? strnlen(name, IMSC_NAME_LEN + 1) : 0;
	if (n <= IMSC_NAME_LEN && (cp == IMSC_CP_EBCDIC || cp == IMSC_CP_ASCII)) {
		uint8_t tmp[IMSC_NAME_LEN];
		rc = 0;
		memset(tmp, ' ', sizeof(tmp));
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)name[i];
			if (c < 0x20 || c > 0x7E)
				rc = IGW_EINVAL;
			tmp[i] = c;
		}
		if (rc == 0 && cp == IMSC_CP_EBCDIC)
			rc = imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, tmp, sizeof(tmp), tmp);
		if (rc == 0)
			memcpy(out, tmp, sizeof(tmp));
	}
	return rc;
}

int imsc_name_decode(const uint8_t in[IMSC_NAME_LEN], enum imsc_cp cp,
                     char out[IMSC_NAME_BUF])
{
	int rc = IGW_EINVAL;
	if (cp == IMSC_CP_EBCDIC || cp == IMSC_CP_ASCII) {
		uint8_t tmp[IMSC_NAME_LEN];
		rc = 0;
		if (cp == IMSC_CP_EBCDIC)
			rc = imsc_ebcdic_to_latin1(IMSC_EBCDIC_037, in, IMSC_NAME_LEN, tmp);
		else
			memcpy(tmp, in, IMSC_NAME_LEN);
		size_t end = IMSC_NAME_LEN;
		while (end > 0 && (tmp[end - 1] == ' ' || tmp[end - 1] == 0))
			end--;
		for (size_t i = 0; rc == 0 && i < end; i++) {
			if (tmp[i] < 0x20 || tmp[i] > 0x7E)
				rc = IGW_ECONV;
		}
		if (rc == 0) {
			memcpy(out, tmp, end);
			out[end] = 0;
		} else {
			out[0] = 0;
		}
		igw_secure_zero(tmp, sizeof(tmp));
	}
	return rc;
}

int imsc_id_bytes(const char *id, enum imsc_cp cp, uint8_t out[IMSC_NAME_LEN])
{
	int rc = IGW_EINVAL;
	if (id && strlen(id) == IMSC_NAME_LEN)
		rc = imsc_name_encode(id, cp, out);
	return rc;
}

int imsc_id_is(const uint8_t *p, const char *id, int cp)
{
	uint8_t want[IMSC_NAME_LEN];
	return imsc_id_bytes(id, (enum imsc_cp)cp, want) == 0 &&
	       memcmp(p, want, IMSC_NAME_LEN) == 0;
}
