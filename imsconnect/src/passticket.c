/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RACF PassTickets: legacy DES and enhanced HMAC-SHA-512 (reference 7). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "imsgw/error.h"
#include "imsgw/limits.h"
#include "imsgw/secure.h"
#include "imsconnect/ebcdic.h"
#include "imsconnect/passticket.h"

#define NAME_LEN 8

/* User/appl: 1..8 of A-Z 0-9 @ # $, folded to upper case, EBCDIC, padded.
 * raw_len receives the unpadded length. */
static int name8(const char *s, uint8_t out[NAME_LEN], size_t *raw_len)
{
	int rc = IGW_EINVAL;
	size_t n = s ? strnlen(s, NAME_LEN + 1) : 0;
	if (n >= 1 && n <= NAME_LEN) {
		char tmp[NAME_LEN];
		rc = 0;
		memset(tmp, ' ', sizeof(tmp));
		for (size_t i = 0; i < n; i++) {
			char c = s[i];
			if (c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
			if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			      c == '@' || c == '#' || c == '$'))
				rc = IGW_EINVAL;
			tmp[i] = c;
		}
		if (rc == 0)
			rc = imsc_ebcdic_from_latin1(IMSC_EBCDIC_037, tmp, NAME_LEN, out);
		if (raw_len)
			*raw_len = n;
	}
	return rc;
}

/* ---------------------------------------------------------------- legacy */

/* Single DES in ECB mode on one block.  OpenSSL 3 keeps single DES in the
 * legacy provider, which may not be loaded; triple DES (default provider)
 * with K1 = K2 = K3 computes exactly E_K(D_K(E_K(x))) = E_K(x). */
struct des {
	EVP_CIPHER_CTX *ctx;
};

static int des_init(struct des *d, const uint8_t key[8])
{
	int rc = IGW_ECRYPTO;
	uint8_t k3[24];
	memcpy(k3, key, 8);
	memcpy(k3 + 8, key, 8);
	memcpy(k3 + 16, key, 8);
	d->ctx = EVP_CIPHER_CTX_new();
	if (d->ctx && EVP_EncryptInit_ex(d->ctx, EVP_des_ede3_ecb(), NULL, k3, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(d->ctx, 0) == 1)
		rc = 0;
	igw_secure_zero(k3, sizeof(k3));
	return rc;
}

static int des_block(struct des *d, const uint8_t in[8], uint8_t out[8])
{
	int n = 0;
	return EVP_EncryptUpdate(d->ctx, out, &n, in, 8) == 1 && n == 8 ? 0 : IGW_ECRYPTO;
}

static void des_free(struct des *d)
{
	EVP_CIPHER_CTX_free(d->ctx);	/* cleans the key schedule */
	d->ctx = NULL;
}

/* Permutation tables of the time coder (reference 7.1). */
static const uint8_t perm[6][16] = {
	{ 10, 2, 12, 4, 14, 6, 16, 8, 9, 1, 11, 3, 13, 5, 15, 7 },
	{ 1, 10, 3, 12, 13, 16, 7, 15, 9, 2, 11, 4, 5, 14, 8, 6 },
	{ 3, 10, 1, 12, 13, 16, 9, 15, 7, 2, 14, 4, 5, 11, 8, 6 },
	{ 10, 4, 12, 2, 14, 8, 16, 6, 9, 1, 13, 3, 11, 5, 15, 7 },
	{ 4, 10, 12, 1, 8, 16, 14, 5, 9, 2, 13, 3, 11, 7, 15, 6 },
	{ 1, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2 },
};

static uint16_t permute(const uint8_t *p, uint16_t e)
{
	uint16_t out = 0;
	for (int i = 0; i < 16; i++) {
		unsigned bit = (e >> (16 - p[i])) & 1u;	/* input bit p[i], 1 = MSB */
		out = (uint16_t)(out | (bit << (15 - i)));
	}
	return out;
}

void imsc_pt_legacy_translate(uint32_t r5, char out[IMSC_PT_LEN + 1])
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	for (unsigned k = 1; k <= 8; k++) {
		/* first bit (1 = MSB, wrapping 32 -> 1): 31 for k = 1, else 4k-5 */
		unsigned first = k == 1 ? 31 : 4 * k - 5;
		unsigned v = 0;
		for (unsigned j = 0; j < 6; j++) {
			unsigned bitno = (first - 1 + j) % 32 + 1;
			v = (v << 1) | ((r5 >> (32 - bitno)) & 1u);
		}
		out[k - 1] = alpha[v % 36];
	}
	out[IMSC_PT_LEN] = 0;
}

static int legacy(const uint8_t *key, const char *user, const char *appl, uint64_t time,
                  char out[IMSC_PT_LEN + 1], struct imsc_pt_trace *tr)
{
	uint8_t u[NAME_LEN], a[NAME_LEN], r1[8], r2[8], blk[8], d[8], pad[12];
	size_t ulen = 0;
	struct des des = { NULL };
	int rc = name8(user, u, &ulen);
	if (rc == 0)
		rc = name8(appl, a, NULL);
	if (rc == 0)
		rc = des_init(&des, key);
	if (rc == 0)
		rc = des_block(&des, u, r1);
	for (int i = 0; i < 8; i++)
		blk[i] = (uint8_t)(r1[i] ^ a[i]);
	if (rc == 0)
		rc = des_block(&des, blk, r2);
	uint32_t t = (uint32_t)time;
	uint32_t r4 = (((uint32_t)r2[0] << 24) | ((uint32_t)r2[1] << 16) |
		       ((uint32_t)r2[2] << 8) | r2[3]) ^ t;
	/* pad: the user ID without blanks, then X'55' up to 12 bytes */
	memset(pad, 0x55, sizeof(pad));
	memcpy(pad, u, ulen);
	uint16_t l = (uint16_t)(r4 >> 16), r = (uint16_t)r4;
	for (int round = 1; rc == 0 && round <= 6; round++) {
		blk[0] = (uint8_t)(r >> 8);
		blk[1] = (uint8_t)r;
		memcpy(blk + 2, round % 2 ? pad : pad + 6, 6);
		rc = des_block(&des, blk, d);
		uint16_t e = (uint16_t)((((unsigned)d[0] << 8) | d[1]) ^ l);
		l = r;
		r = permute(perm[round - 1], e);
	}
	uint32_t r5 = ((uint32_t)l << 16) | r;
	if (rc == 0) {
		imsc_pt_legacy_translate(r5, out);
		if (tr) {
			memcpy(tr->r1, r1, 8);
			memcpy(tr->r2, r2, 8);
			tr->r4 = r4;
			tr->r5 = r5;
		}
	}
	des_free(&des);
	igw_secure_zero(r1, sizeof(r1));
	igw_secure_zero(r2, sizeof(r2));
	igw_secure_zero(blk, sizeof(blk));
	igw_secure_zero(d, sizeof(d));
	return rc;
}

/* -------------------------------------------------------------- enhanced */

static int hmac512(const uint8_t *key, size_t keylen, const uint8_t *msg, size_t n,
                   uint8_t out[64])
{
	unsigned int len = 0;
	uint8_t *p = HMAC(EVP_sha512(), key, (int)keylen, msg, n, out, &len);
	return p != NULL && len == 64 ? 0 : IGW_ECRYPTO;
}

static int enhanced(const uint8_t *key, size_t keylen, const char *user,
                    const char *appl, uint64_t time, int mixed,
                    char out[IMSC_PT_LEN + 1], struct imsc_pt_trace *tr)
{
	static const char alpha[] =
		"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
	uint8_t m[20], h[64];
	int rc = name8(user, m + 4, NULL);
	if (rc == 0)
		rc = name8(appl, m + 12, NULL);
	if (rc == 0)
		rc = hmac512(key, keylen, m + 4, 16, h);
	uint8_t b[6];
	for (int i = 0; i < 6; i++)
		b[i] = (uint8_t)((time >> (8 * (5 - i))) ^ h[i]);
	uint8_t l[3], r[3], x[3];
	memcpy(l, b, 3);
	memcpy(r, b + 3, 3);
	for (int round = 1; rc == 0 && round <= 6; round++) {
		memcpy(m, r, 3);
		m[3] = (uint8_t)round;
		rc = hmac512(key, keylen, m, sizeof(m), h);
		for (int i = 0; i < 3; i++)
			x[i] = (uint8_t)(l[i] ^ h[i]);
		if (!mixed && (round % 2))
			x[0] &= 0x01;
		memcpy(l, r, 3);
		memcpy(r, x, 3);
	}
	if (rc == 0) {
		uint64_t v = 0;
		for (int i = 0; i < 3; i++)
			v = (v << 8) | l[i];
		for (int i = 0; i < 3; i++)
			v = (v << 8) | r[i];
		if (tr)
			tr->v48 = v;
		unsigned base = mixed ? 64 : 36;
		for (int i = IMSC_PT_LEN - 1; i >= 0; i--) {
			out[i] = alpha[v % base];
			v /= base;
		}
		out[IMSC_PT_LEN] = 0;
	}
	igw_secure_zero(h, sizeof(h));
	igw_secure_zero(b, sizeof(b));
	return rc;
}

int imsc_passticket(enum imsc_pt_type type, const uint8_t *key, size_t keylen,
                    const char *user, const char *appl, uint64_t time,
                    char out[IMSC_PT_LEN + 1], struct imsc_pt_trace *trace)
{
	int rc = IGW_EINVAL;
	if (key == NULL || out == NULL)
		rc = IGW_EINVAL;
	else if (type == IMSC_PT_LEGACY && keylen == IMSC_PT_LEGACY_KEY_LEN &&
		 time <= UINT32_MAX)
		rc = legacy(key, user, appl, time, out, trace);
	else if ((type == IMSC_PT_ENHANCED_UPPER || type == IMSC_PT_ENHANCED_MIXED) &&
		 keylen >= IMSC_PT_ENH_KEY_MIN && keylen <= IMSC_PT_ENH_KEY_MAX &&
		 time < ((uint64_t)1 << 48))
		rc = enhanced(key, keylen, user, appl, time,
			      type == IMSC_PT_ENHANCED_MIXED, out, trace);
	if (rc != 0 && out)
		out[0] = 0;
	return rc;
}

int imsc_passticket_verify(enum imsc_pt_type type, const uint8_t *key, size_t keylen,
                           const char *user, const char *appl, uint64_t time,
                           unsigned window_s, const char *ticket)
{
	int rc = 0;
	char cand[IMSC_PT_LEN + 1];
	size_t tl = ticket ? strnlen(ticket, IMSC_PT_LEN + 1) : 0;
	uint64_t from = time > window_s ? time - window_s : 0;
	uint64_t to = time + window_s;
	for (uint64_t t = from; rc == 0 && t <= to; t++) {
		int g = imsc_passticket(type, key, keylen, user, appl, t, cand, NULL);
		if (g < 0)
			rc = g;
		else if (tl == IMSC_PT_LEN && igw_ct_equal(cand, IMSC_PT_LEN, ticket, tl))
			rc = 1;
	}
	igw_secure_zero(cand, sizeof(cand));
	return rc;
}

/* --------------------------------------------------------------- key file */

static int hexval(int c)
{
	int v = -1;
	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	return v;
}

static int parse_hex(const char *txt, size_t n, uint8_t *key, size_t max, size_t *len)
{
	int rc = 0;
	size_t out = 0;
	int hi = -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		unsigned char c = (unsigned char)txt[i];
		int v = hexval(c);
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (v < 0)
			rc = IGW_EPARSE;
		else if (hi < 0)
			hi = v;
		else if (out >= max)
			rc = IGW_ELIMIT;
		else {
			key[out++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (rc == 0 && (hi >= 0 || out == 0))
		rc = IGW_EPARSE;
	*len = rc == 0 ? out : 0;
	if (rc != 0)
		igw_secure_zero(key, out);
	return rc;
}

int imsc_passticket_key_load(const char *path, uint8_t *key, size_t max, size_t *len)
{
	int rc = 0;
	char txt[IGW_IMSC_KEY_FILE_MAX + 1];
	size_t got = 0;
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
	struct stat st;
	*len = 0;
	if (path == NULL || key == NULL)
		rc = IGW_EINVAL;
	else if (fd < 0)
		rc = errno == ENOENT ? IGW_ENOTFOUND : IGW_EIO;
	else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		rc = IGW_EIO;
	else if (st.st_mode & (S_IRWXG | S_IRWXO))
		rc = IGW_EDENIED;	/* group/other may read or write it */
	else if (st.st_size > (off_t)IGW_IMSC_KEY_FILE_MAX)
		rc = IGW_ELIMIT;
	while (rc == 0) {
		ssize_t n = read(fd, txt + got, sizeof(txt) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = IGW_EIO;
		else if (n == 0)
			break;
		else if ((got += (size_t)n) > IGW_IMSC_KEY_FILE_MAX)
			rc = IGW_ELIMIT;
	}
	if (rc == 0)
		rc = parse_hex(txt, got, key, max, len);
	if (fd >= 0)
		close(fd);
	igw_secure_zero(txt, sizeof(txt));
	return rc;
}

int imsc_pt_type_parse(const char *s)
{
	int t = -1;
	if (s == NULL)
		t = -1;
	else if (strcasecmp(s, "legacy") == 0)
		t = IMSC_PT_LEGACY;
	else if (strcasecmp(s, "upper") == 0)
		t = IMSC_PT_ENHANCED_UPPER;
	else if (strcasecmp(s, "mixed") == 0)
		t = IMSC_PT_ENHANCED_MIXED;
	return t;
}
