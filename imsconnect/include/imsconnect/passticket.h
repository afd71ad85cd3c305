/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RACF PassTicket generation (reference section 7): the legacy DES
 * algorithm and the enhanced HMAC-SHA-512 algorithm (UPPER and MIXED).
 * Cryptography is OpenSSL's; this file only arranges the bytes.
 *
 * User ID and application name: 1-8 characters A-Z 0-9 @ # $ (lower case is
 * folded to upper case), translated to CP037 EBCDIC and blank padded.
 * Time is seconds since 1970-01-01 00:00:00 GMT.
 *
 * Keys are secrets: callers wipe them (igw_secure_zero) after use; nothing
 * here logs a key or a ticket.  Thread-safe, no global state.
 */
#ifndef IMSCONNECT_PASSTICKET_H
#define IMSCONNECT_PASSTICKET_H

#include <stddef.h>
#include <stdint.h>

#define IMSC_PT_LEN             8u	/* ticket characters          */
#define IMSC_PT_LEGACY_KEY_LEN  8u	/* DES key, parity ignored     */
#define IMSC_PT_ENH_KEY_MIN     32u	/* >= 256 bits                 */
#define IMSC_PT_ENH_KEY_MAX     64u	/* 512 bits (recommended)      */

enum imsc_pt_type {
	IMSC_PT_LEGACY = 0,
	IMSC_PT_ENHANCED_UPPER = 1,	/* A-Z 0-9                         */
	IMSC_PT_ENHANCED_MIXED = 2,	/* A-Z a-z 0-9 - _                 */
};

/* Intermediate values, for tests and for evaluating tickets. */
struct imsc_pt_trace {
	uint8_t r1[8], r2[8];		/* legacy */
	uint32_t r4, r5;		/* legacy */
	uint64_t v48;			/* enhanced: final 48-bit value */
};

/*
 * Generate a ticket into out[IMSC_PT_LEN + 1] (NUL terminated).  key is
 * 8 bytes (legacy) or 32..64 bytes (enhanced).  trace may be NULL.
 * Returns 0, IGW_EINVAL (bad user/appl/key length/type), IGW_ECRYPTO.
 */
int imsc_passticket(enum imsc_pt_type type, const uint8_t *key, size_t keylen,
                    const char *user, const char *appl, uint64_t time,
                    char out[IMSC_PT_LEN + 1], struct imsc_pt_trace *trace);

/* Legacy translation step alone: 32-bit R5 to 8 characters. */
void imsc_pt_legacy_translate(uint32_t r5, char out[IMSC_PT_LEN + 1]);

/*
 * Evaluate a ticket as RACF would: 1 if it matches any second in
 * [time - window_s, time + window_s], else 0; negative on error.  (Legacy
 * RACF uses a 600 s window; enhanced uses the profile's TIMEOUT, 1..600.)
 * Constant-time comparison per candidate.
 */
int imsc_passticket_verify(enum imsc_pt_type type, const uint8_t *key, size_t keylen,
                           const char *user, const char *appl, uint64_t time,
                           unsigned window_s, const char *ticket);

/*
 * Read a key file: hexadecimal text (whitespace and a trailing newline
 * allowed), at most IGW_IMSC_KEY_FILE_MAX bytes.  The file must be a regular
 * file, not readable or writable by group or others (else IGW_EDENIED), and
 * hold 1..max bytes of key.  key[] receives the bytes, *len their count.
 * IGW_ENOTFOUND, IGW_EIO, IGW_EPARSE (not hex / odd digits), IGW_ELIMIT.
 */
int imsc_passticket_key_load(const char *path, uint8_t *key, size_t max, size_t *len);

/* "legacy", "upper", "mixed" -> type; -1 if unknown. */
int imsc_pt_type_parse(const char *s);

#endif
