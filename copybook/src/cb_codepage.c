/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * EBCDIC code pages.  The tables are derived from iconv(3) when a code page
 * is opened (one iconv call per byte value and per Latin-1 code point); no
 * table is typed in by hand.  After that, conversions are table look-ups:
 * fast, and safe to share between threads (iconv descriptors are not).
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "imsgw/error.h"
#include "cb_internal.h"

/* "IBM-037", "ibm037", "CP037", "CCSID037", "037", "37" -> "IBM037". */
static void iconv_name(const char *in, char *out, size_t outlen)
{
	const char *p = in;
	if (!strncasecmp(p, "IBM", 3))
		p += 3;
	else if (!strncasecmp(p, "CCSID", 5))
		p += 5;
	else if (!strncasecmp(p, "CP", 2))
		p += 2;
	if (*p == '-' || *p == '_')
		p++;
	size_t n = strspn(p, "0123456789");
	if (n > 0 && n <= 5 && p[n] == 0) {
		unsigned long v = strtoul(p, NULL, 10);
		snprintf(out, outlen, "IBM%03lu", v);
	} else {
		snprintf(out, outlen, "%s", in);
	}
}

static int utf8_put(uint32_t c, uint8_t *o)
{
	int n;
	if (c < 0x80) {
		o[0] = (uint8_t)c;
		n = 1;
	} else if (c < 0x800) {
		o[0] = (uint8_t)(0xC0 | (c >> 6));
		o[1] = (uint8_t)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		o[0] = (uint8_t)(0xE0 | (c >> 12));
		o[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (uint8_t)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		o[0] = (uint8_t)(0xF0 | (c >> 18));
		o[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
		o[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
		o[3] = (uint8_t)(0x80 | (c & 0x3F));
		n = 4;
	}
	return n;
}

static int xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
	       (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static int build(struct igw_cb_codepage *cp)
{
	int rc = IGW_OK;
	iconv_t to_u = iconv_open("UCS-4BE", cp->name);
	iconv_t to_e = (iconv_t)-1;
	if (to_u == (iconv_t)-1) {
		rc = IGW_ENOTFOUND;
	} else {
		to_e = iconv_open(cp->name, "UCS-4BE");
		if (to_e == (iconv_t)-1)
			rc = IGW_ENOTFOUND;
	}
	for (unsigned b = 0; b < 256 && rc == IGW_OK; b++) {
		char in[1] = { (char)b };
		unsigned char o[8];
		char *ip = in, *op = (char *)o;
		size_t il = 1, ol = sizeof(o);
		iconv(to_u, NULL, NULL, NULL, NULL);
		size_t r = iconv(to_u, &ip, &il, &op, &ol);
		cp->e2u[b] = UINT32_MAX;
		if (r == (size_t)-1 && errno == EINVAL) {
			rc = IGW_EUNSUPPORTED;	/* multi-byte code page */
		} else if (r != (size_t)-1 && sizeof(o) - ol == 4) {
			uint32_t c = (uint32_t)o[0] << 24 | (uint32_t)o[1] << 16 |
			             (uint32_t)o[2] << 8 | o[3];
			cp->e2u[b] = c;
			cp->xml_ok[b] = xml_char(c) ? 1 : 0;
			cp->u8len[b] = (uint8_t)utf8_put(c, cp->u8[b]);
		}
	}
	for (unsigned c = 0; c < 256 && rc == IGW_OK; c++) {
		unsigned char in[4] = { 0, 0, 0, (unsigned char)c };
		unsigned char o[8];
		char *ip = (char *)in, *op = (char *)o;
		size_t il = 4, ol = sizeof(o);
		iconv(to_e, NULL, NULL, NULL, NULL);
		size_t r = iconv(to_e, &ip, &il, &op, &ol);
		cp->u2e_latin[c] = -1;
		if (r != (size_t)-1 && sizeof(o) - ol == 1)
			cp->u2e_latin[c] = o[0];
		else if (r != (size_t)-1 && sizeof(o) - ol > 1)
			rc = IGW_EUNSUPPORTED;
	}
	if (rc == IGW_OK) {
		/* zoned decimal needs digits F0-F9: EBCDIC only */
		for (unsigned i = 0; i < 10 && rc == IGW_OK; i++) {
			if (cp->u2e_latin['0' + i] != (int16_t)(0xF0 + i))
				rc = IGW_EUNSUPPORTED;
			else
				cp->digit[i] = (uint8_t)cp->u2e_latin['0' + i];
		}
		if (cp->u2e_latin[' '] < 0 || cp->u2e_latin['+'] < 0 ||
		    cp->u2e_latin['-'] < 0 || cp->u2e_latin['.'] < 0)
			rc = IGW_EUNSUPPORTED;
	}
	if (rc == IGW_OK) {
		cp->space = (uint8_t)cp->u2e_latin[' '];
		cp->plus = (uint8_t)cp->u2e_latin['+'];
		cp->minus = (uint8_t)cp->u2e_latin['-'];
		cp->period = (uint8_t)cp->u2e_latin['.'];
	}
	if (to_u != (iconv_t)-1)
		iconv_close(to_u);
	if (to_e != (iconv_t)-1)
		iconv_close(to_e);
	return rc;
}

int igw_cb_codepage_open(const char *name, struct igw_cb_codepage **out)
{
	int rc = IGW_OK;
	struct igw_cb_codepage *cp = NULL;
	*out = NULL;
	if (!name || !*name || strlen(name) >= sizeof(cp->name) - 4) {
		rc = IGW_EINVAL;
	} else {
		cp = calloc(1, sizeof(*cp));
		if (!cp)
			rc = IGW_ENOMEM;
	}
	if (rc == IGW_OK) {
		iconv_name(name, cp->name, sizeof(cp->name));
		rc = build(cp);
	}
	if (rc == IGW_OK)
		*out = cp;
	else
		free(cp);
	return rc;
}

void igw_cb_codepage_free(struct igw_cb_codepage *cp)
{
	free(cp);
}

const char *igw_cb_codepage_name(const struct igw_cb_codepage *cp)
{
	return cp->name;
}

/* Decode one UTF-8 sequence at s[0..n); returns its length or 0 if invalid. */
static size_t utf8_get(const unsigned char *s, size_t n, uint32_t *c)
{
	size_t len = 0;
	if (s[0] < 0x80) {
		*c = s[0];
		len = 1;
	} else if (s[0] >= 0xC2 && s[0] <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
		*c = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		len = 2;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF && n >= 3 && (s[1] & 0xC0) == 0x80 &&
	           (s[2] & 0xC0) == 0x80) {
		*c = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		len = (*c >= 0x800 && (*c < 0xD800 || *c > 0xDFFF)) ? 3 : 0;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4 && n >= 4 && (s[1] & 0xC0) == 0x80 &&
	           (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
		*c = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
		     (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
		len = (*c >= 0x10000 && *c <= 0x10FFFF) ? 4 : 0;
	}
	return len;
}

int igw_cb_to_ebcdic(const struct igw_cb_codepage *cp, const char *utf8,
                     size_t n, uint8_t *out, size_t outmax, size_t *outlen)
{
	int rc = IGW_OK;
	const unsigned char *s = (const unsigned char *)utf8;
	size_t i = 0, o = 0;
	while (i < n && rc == IGW_OK) {
		uint32_t c;
		int b = -1;
		size_t k = utf8_get(s + i, n - i, &c);
		if (k == 0) {
			rc = IGW_ECONV;
			break;
		}
		if (c < 256) {
			b = cp->u2e_latin[c];
		} else {
			for (unsigned e = 0; e < 256 && b < 0; e++)
				if (cp->e2u[e] == c)
					b = (int)e;
		}
		if (b < 0)
			rc = IGW_ECONV;
		else if (o == outmax)
			rc = IGW_ELIMIT;
		else
			out[o++] = (uint8_t)b;
		i += k;
	}
	*outlen = o;
	return rc;
}

int igw_cb_from_ebcdic(const struct igw_cb_codepage *cp, const uint8_t *e,
                       size_t n, struct igw_buf *out)
{
	int rc = IGW_OK;
	size_t need = 0;
	for (size_t i = 0; i < n && rc == IGW_OK; i++) {
		if (!cp->xml_ok[e[i]])
			rc = IGW_ECONV;
		need += cp->u8len[e[i]];
	}
	if (rc == IGW_OK)
		rc = igw_buf_reserve(out, need);
	for (size_t i = 0; i < n && rc == IGW_OK; i++) {
		uint8_t b = e[i];
		memcpy(out->data + out->len, cp->u8[b], cp->u8len[b]);
		out->len += cp->u8len[b];
	}
	if (rc == IGW_OK && out->data)
		out->data[out->len] = 0;
	return rc;
}
