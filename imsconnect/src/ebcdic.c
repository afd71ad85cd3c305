/* SPDX-License-Identifier: GPL-2.0-or-later */
/* EBCDIC tables built once from iconv. */
#include <iconv.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "imsgw/error.h"
#include "imsconnect/ebcdic.h"

#define PAGES 2

static uint8_t to_e[PAGES][256];	/* latin1 -> ebcdic */
static uint8_t to_a[PAGES][256];	/* ebcdic -> latin1 */
static int tables_ok;			/* 1 when both pages built */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int build_page(const char *name, uint8_t *e2a, uint8_t *a2e)
{
	int rc = IGW_ECONV;
	iconv_t cd = iconv_open("ISO-8859-1", name);
	if (cd != (iconv_t)-1) {
		char in[256], out[256];
		for (int i = 0; i < 256; i++)
			in[i] = (char)i;
		char *ip = in, *op = out;
		size_t il = sizeof(in), ol = sizeof(out);
		size_t n = iconv(cd, &ip, &il, &op, &ol);
		iconv_close(cd);
		if (n != (size_t)-1 && il == 0 && ol == 0) {
			/* must be a permutation */
			uint8_t seen[256];
			memset(seen, 0, sizeof(seen));
			rc = 0;
			for (int i = 0; i < 256; i++) {
				uint8_t a = (uint8_t)out[i];
				if (seen[a])
					rc = IGW_ECONV;
				seen[a] = 1;
				e2a[i] = a;
				a2e[a] = (uint8_t)i;
			}
		}
	}
	return rc;
}

static void build(void)
{
	int ok = build_page("IBM037", to_a[IMSC_EBCDIC_037], to_e[IMSC_EBCDIC_037]) == 0 &&
		 build_page("IBM1047", to_a[IMSC_EBCDIC_1047], to_e[IMSC_EBCDIC_1047]) == 0;
	tables_ok = ok;
}

static int translate(const uint8_t *table, const void *in, size_t n, void *out)
{
	const uint8_t *s = in;
	uint8_t *d = out;
	for (size_t i = 0; i < n; i++)
		d[i] = table[s[i]];
	return 0;
}

int imsc_ebcdic_from_latin1(enum imsc_ebcdic_page page, const void *in, size_t n,
                            void *out)
{
	int rc = IGW_EINVAL;
	if ((unsigned)page < PAGES && (n == 0 || (in && out))) {
		pthread_once(&once, build);
		rc = tables_ok ? translate(to_e[page], in, n, out) : IGW_ECONV;
	}
	return rc;
}

int imsc_ebcdic_to_latin1(enum imsc_ebcdic_page page, const void *in, size_t n,
                          void *out)
{
	int rc = IGW_EINVAL;
	if ((unsigned)page < PAGES && (n == 0 || (in && out))) {
		pthread_once(&once, build);
		rc = tables_ok ? translate(to_a[page], in, n, out) : IGW_ECONV;
	}
	return rc;
}

int imsc_ebcdic_page_parse(const char *name)
{
	int page = -1;
	if (name) {
		const char *p = name;
		if (strncasecmp(p, "cp", 2) == 0)
			p += 2;
		else if (strncasecmp(p, "ibm", 3) == 0)
			p += 3;
		if (*p == '-')
			p++;
		if (strcmp(p, "037") == 0 || strcmp(p, "37") == 0)
			page = IMSC_EBCDIC_037;
		else if (strcmp(p, "1047") == 0)
			page = IMSC_EBCDIC_1047;
	}
	return page;
}
