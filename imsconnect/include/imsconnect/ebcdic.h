/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * EBCDIC <-> ISO-8859-1 translation for IRM fields and for text payloads
 * (imsconnect-call, the simulator's sample transactions).
 *
 * The tables are built once, thread-safely, from iconv ("IBM037"/"IBM1047"
 * to "ISO-8859-1"); both code pages are permutations of Latin-1 so the
 * translation is total and reversible.  Binary or packed data must never go
 * through these functions.
 */
#ifndef IMSCONNECT_EBCDIC_H
#define IMSCONNECT_EBCDIC_H

#include <stddef.h>
#include <stdint.h>

enum imsc_ebcdic_page {
	IMSC_EBCDIC_037 = 0,	/* CP037: IRM fields, US/Canada host data   */
	IMSC_EBCDIC_1047 = 1,	/* CP1047: z/OS UNIX / Open Systems        */
};

/* Translate n bytes.  in and out may be the same buffer.  Returns 0, or
 * IGW_ECONV if iconv cannot provide the table (the C library lacks the code
 * page), IGW_EINVAL for a bad page. */
int imsc_ebcdic_from_latin1(enum imsc_ebcdic_page page, const void *in, size_t n,
                            void *out);
int imsc_ebcdic_to_latin1(enum imsc_ebcdic_page page, const void *in, size_t n,
                          void *out);
/* Parse "037"/"cp037"/"IBM037"/"1047"/...; -1 if unknown. */
int imsc_ebcdic_page_parse(const char *name);

#endif
